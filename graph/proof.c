#include "../crypto/seal.h"
#include "graph.h"

void
appsecret_proof(char out[FBV_PROOF_HEX], const unsigned char *secret, size_t secretlen,
    const unsigned char *token, size_t tokenlen)
{
	hmac_sha256_hex(out, secret, secretlen, token, tokenlen);
}
