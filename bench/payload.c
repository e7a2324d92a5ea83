/* bench/payload: what every command pays before it looks at an entry, and
 * nothing more: read the vault, check the header MAC, decrypt the whole
 * payload into secret memory (key from the timed unlock). bench/run times
 * it beside `fbvault get` at each vault size, to tell the cost of the
 * format (one AEAD message for all entries) from the cost of decoding.
 *
 *   payload VAULT
 *
 * Not installed; built by meson with -Dbench=true (bench/meson.build). */
#include <stdio.h>

#include <sodium.h>

#include "cli/errors.h"
#include "crypto/errors.h"
#include "crypto/seal.h"
#include "vault/unlock.h"
#include "vault/vault.h"

int
main(int argc, char **argv)
{
	unsigned char *key, *plain, sub[FBV_KEY_BYTES];
	char id[2 * FBV_ID_BYTES + 1];
	struct vault *v;
	int r;

	if (argc != 2 || sodium_init() < 0)
		return 64;
	if ((r = vault_load(argv[1], &v)) != FBV_OK)
		goto fail;
	vault_id_hex(v, id);
	if ((key = secret_alloc(FBV_KEY_BYTES)) == NULL ||
	    (plain = secret_alloc(v->cipher_len)) == NULL) {
		r = FBV_ERR_NOMEM;
		goto fail;
	}
	if ((r = unlock_fetch(id, key, NULL)) != FBV_OK)
		goto fail;
	subkey_derive(sub, SUBKEY_HEADER_MAC, key);
	if ((r = mac_verify(v->mac, v->hdr, v->hdr_len, sub)) != FBV_OK)
		goto fail;
	subkey_derive(sub, SUBKEY_PAYLOAD, key);
	r = aead_open(plain, v->cipher, v->cipher_len, v->hdr, FBV_PREFIX_BYTES, v->nonce, sub);
	sodium_memzero(sub, sizeof(sub));
	if (r != FBV_OK)
		goto fail;
	secret_free(plain);
	secret_free(key);
	vault_free(v);
	return 0;
fail:
	fprintf(stderr, "payload: %s: %s\n", argv[1], fbv_strerror(r));
	return 1;
}
