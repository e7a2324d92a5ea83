/* Key strings: X25519 keys as Bech32 text, fbvault's own ("fbv1...",
 * "FBV-SECRET-KEY-1...") and age's ("age1...", "AGE-SECRET-KEY-1...").
 * Layout, limits and the order of the checks: crypto/keyformat.h. */
#ifndef FBV_KEYSTR_H
#define FBV_KEYSTR_H

#include <stddef.h>

#include "keyformat.h"

enum key_flavor { KEY_FBV, KEY_AGE };

/* out gets the canonical string and a NUL: public keys lower case. */
int keystr_public_encode(char out[FBV_PUBLIC_STR_LEN + 1],
    const unsigned char pk[FBV_X25519_BYTES], enum key_flavor f);
/* Upper case; out holds a secret: give it secret memory. */
int keystr_secret_encode(char out[FBV_SECRET_STR_LEN + 1],
    const unsigned char sk[FBV_X25519_BYTES], enum key_flavor f);

/* s is n bytes, no NUL needed; *f (may be NULL) says whose string it was.
 * FBV_ERR_KEY_FORMAT, _PREFIX, _LENGTH, _CHECKSUM; the key is zero
 * unless FBV_OK. */
int keystr_public_decode(unsigned char pk[FBV_X25519_BYTES], enum key_flavor *f,
    const char *s, size_t n);
int keystr_secret_decode(unsigned char sk[FBV_X25519_BYTES], enum key_flavor *f,
    const char *s, size_t n);

#endif
