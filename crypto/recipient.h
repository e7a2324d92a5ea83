/* X25519 key pairs and the stanza that seals a data key to a public key
 * (layouts and reasons: crypto/keyformat.h). Knows nothing about files. */
#ifndef FBV_RECIPIENT_H
#define FBV_RECIPIENT_H

#include <stdbool.h>
#include <stddef.h>

#include "keyformat.h"
#include "seal.h"

/* Lives in secret memory: make it with one of the functions below,
 * end it with x25519_keypair_free(). */
struct x25519_keypair {
	unsigned char sk[FBV_X25519_BYTES];
	unsigned char pk[FBV_X25519_BYTES];
};

int x25519_keypair_generate(struct x25519_keypair **out);
/* pk = X25519(sk, 9). */
int x25519_keypair_from_secret(struct x25519_keypair **out,
    const unsigned char sk[FBV_X25519_BYTES]);
/* pk as given, not derived from sk: for a pair this program kept together
 * (the timed unlock's kernel key, vault/unlock.h), or one that opened a
 * stanza. A pk that is not sk's opens nothing: stanza_unwrap() binds the
 * recipient's public key (salt E || R, keyformat.h). */
int x25519_keypair_from_pair(struct x25519_keypair **out,
    const unsigned char sk[FBV_X25519_BYTES], const unsigned char pk[FBV_X25519_BYTES]);
void x25519_keypair_free(struct x25519_keypair *kp);
/* Whether pk is a point of small order, from which every X25519 result is
 * zero (no one holds its secret, no stanza can be sealed to it): a lookup
 * in libsodium's own list of them, with the top bit ignored as X25519
 * ignores it, instead of a scalar multiplication. */
bool x25519_small_order(const unsigned char pk[FBV_X25519_BYTES]);

/* Seals data_key to recipient under a fresh ephemeral key; ctx (may be
 * NULL when ctxlen is 0) is the associated data the reader must give too.
 * FBV_ERR_INVALID when recipient is a low-order point. */
int stanza_wrap(unsigned char body[FBV_STANZA_BYTES],
    const unsigned char data_key[FBV_KEY_BYTES],
    const unsigned char recipient[FBV_X25519_BYTES],
    const unsigned char *ctx, size_t ctxlen);

/* Opens a stanza with kp. FBV_ERR_WRONG_PASS: not for this key (or
 * tampered: the two look alike); FBV_ERR_CORRUPT: the wrong length, or an
 * ephemeral key that gives the all-zero secret. data_key is zero unless
 * FBV_OK. */
int stanza_unwrap(unsigned char data_key[FBV_KEY_BYTES],
    const unsigned char *body, size_t bodylen,
    const struct x25519_keypair *kp,
    const unsigned char *ctx, size_t ctxlen);

#endif
