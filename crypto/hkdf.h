/* HKDF-SHA-256 (RFC 5869) on libsodium's HMAC-SHA-256: libsodium 1.0.18,
 * our floor, has no crypto_kdf_hkdf_sha256. */
#ifndef FBV_HKDF_H
#define FBV_HKDF_H

#include <stddef.h>

#define FBV_HKDF_MAX (255 * 32)      /* RFC 5869: at most 255 blocks */

/* out gets outlen bytes of HKDF-Expand(HKDF-Extract(salt, ikm), info).
 * salt and info may be NULL when their length is 0. Every intermediate
 * lives in secret memory and is wiped. */
int hkdf_sha256(unsigned char *out, size_t outlen,
    const unsigned char *ikm, size_t ikmlen,
    const unsigned char *salt, size_t saltlen,
    const unsigned char *info, size_t infolen);

#endif
