#include <string.h>

#include <sodium.h>

#include "errors.h"
#include "hkdf.h"
#include "recipient.h"
#include "secmem.h"

#define LABEL_LEN (sizeof(FBV_STANZA_LABEL) - 1)

_Static_assert(FBV_STANZA_SEALED == FBV_STANZA_EPK + FBV_X25519_BYTES &&
    FBV_STANZA_BYTES == FBV_STANZA_SEALED + FBV_KEY_BYTES +
    crypto_aead_chacha20poly1305_ietf_ABYTES, "stanza layout (keyformat.h)");

/* Everything secret one wrap or unwrap computes, in one wiped place. */
struct stanza_scratch {
	unsigned char esk[FBV_X25519_BYTES];
	unsigned char shared[FBV_X25519_BYTES];
	unsigned char salt[2 * FBV_X25519_BYTES];
	unsigned char key[crypto_aead_chacha20poly1305_ietf_KEYBYTES];
	unsigned char plain[FBV_KEY_BYTES];
};

static const unsigned char zero_nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES];

static int
derive_public(unsigned char pk[FBV_X25519_BYTES], const unsigned char sk[FBV_X25519_BYTES])
{
	if (crypto_scalarmult_base(pk, sk) != 0 || sodium_is_zero(pk, FBV_X25519_BYTES))
		return FBV_ERR_INVALID;
	return FBV_OK;
}

int
x25519_keypair_from_secret(struct x25519_keypair **out,
    const unsigned char sk[FBV_X25519_BYTES])
{
	struct x25519_keypair *kp;
	int r;

	*out = NULL;
	if ((kp = secret_alloc(sizeof(*kp))) == NULL)
		return FBV_ERR_NOMEM;
	memcpy(kp->sk, sk, sizeof(kp->sk));
	if ((r = derive_public(kp->pk, kp->sk)) != FBV_OK) {
		x25519_keypair_free(kp);
		return r;
	}
	*out = kp;
	return FBV_OK;
}

int
x25519_keypair_from_pair(struct x25519_keypair **out,
    const unsigned char sk[FBV_X25519_BYTES], const unsigned char pk[FBV_X25519_BYTES])
{
	struct x25519_keypair *kp;

	*out = NULL;
	if ((kp = secret_alloc(sizeof(*kp))) == NULL)
		return FBV_ERR_NOMEM;
	memcpy(kp->sk, sk, sizeof(kp->sk));
	memcpy(kp->pk, pk, sizeof(kp->pk));
	*out = kp;
	return FBV_OK;
}

int
x25519_keypair_generate(struct x25519_keypair **out)
{
	unsigned char *sk;
	int r;

	if ((sk = secret_alloc(FBV_X25519_BYTES)) == NULL)
		return FBV_ERR_NOMEM;
	randombytes_buf(sk, FBV_X25519_BYTES);
	r = x25519_keypair_from_secret(out, sk);
	secret_free(sk);
	return r;
}

void
x25519_keypair_free(struct x25519_keypair *kp)
{
	secret_free(kp);
}

/* s->key from s->shared = X25519(sk, point), salt E || R. The all-zero
 * secret (point of low order) is FBV_ERR_INVALID here; callers say what
 * it means for them. */
static int
wrap_key(struct stanza_scratch *s, const unsigned char sk[FBV_X25519_BYTES],
    const unsigned char point[FBV_X25519_BYTES],
    const unsigned char epk[FBV_X25519_BYTES], const unsigned char rpk[FBV_X25519_BYTES])
{
	if (crypto_scalarmult(s->shared, sk, point) != 0 ||
	    sodium_is_zero(s->shared, sizeof(s->shared)))
		return FBV_ERR_INVALID;
	memcpy(s->salt, epk, FBV_X25519_BYTES);
	memcpy(s->salt + FBV_X25519_BYTES, rpk, FBV_X25519_BYTES);
	return hkdf_sha256(s->key, sizeof(s->key), s->shared, sizeof(s->shared),
	    s->salt, sizeof(s->salt), (const unsigned char *)FBV_STANZA_LABEL, LABEL_LEN);
}

int
stanza_wrap(unsigned char body[FBV_STANZA_BYTES],
    const unsigned char data_key[FBV_KEY_BYTES],
    const unsigned char recipient[FBV_X25519_BYTES],
    const unsigned char *ctx, size_t ctxlen)
{
	unsigned char *epk = body + FBV_STANZA_EPK;
	struct stanza_scratch *s;
	int r;

	if (ctx == NULL && ctxlen > 0)
		return FBV_ERR_INVALID;
	if ((s = secret_alloc(sizeof(*s))) == NULL)
		return FBV_ERR_NOMEM;
	randombytes_buf(s->esk, sizeof(s->esk));
	if ((r = derive_public(epk, s->esk)) != FBV_OK ||
	    (r = wrap_key(s, s->esk, recipient, epk, recipient)) != FBV_OK)
		goto out;
	crypto_aead_chacha20poly1305_ietf_encrypt(body + FBV_STANZA_SEALED, NULL,
	    data_key, FBV_KEY_BYTES, ctx, ctxlen, NULL, zero_nonce, s->key);
out:
	if (r != FBV_OK)
		sodium_memzero(body, FBV_STANZA_BYTES);
	secret_free(s);
	return r;
}

int
stanza_unwrap(unsigned char data_key[FBV_KEY_BYTES],
    const unsigned char *body, size_t bodylen,
    const struct x25519_keypair *kp,
    const unsigned char *ctx, size_t ctxlen)
{
	const unsigned char *epk = body + FBV_STANZA_EPK;
	struct stanza_scratch *s;
	int r;

	sodium_memzero(data_key, FBV_KEY_BYTES);
	if (ctx == NULL && ctxlen > 0)
		return FBV_ERR_INVALID;
	/* Before any computation: no timing or error tells a short body from
	 * a wrong key (age: partitioning oracles). */
	if (body == NULL || bodylen != FBV_STANZA_BYTES)
		return FBV_ERR_CORRUPT;
	if ((s = secret_alloc(sizeof(*s))) == NULL)
		return FBV_ERR_NOMEM;
	if ((r = wrap_key(s, kp->sk, epk, epk, kp->pk)) != FBV_OK) {
		r = r == FBV_ERR_INVALID ? FBV_ERR_CORRUPT : r;
		goto out;
	}
	if (crypto_aead_chacha20poly1305_ietf_decrypt(s->plain, NULL, NULL,
	    body + FBV_STANZA_SEALED, FBV_STANZA_BYTES - FBV_STANZA_SEALED,
	    ctx, ctxlen, zero_nonce, s->key) != 0) {
		r = FBV_ERR_WRONG_PASS;
		goto out;
	}
	memcpy(data_key, s->plain, FBV_KEY_BYTES);
out:
	secret_free(s);
	return r;
}

/* libsodium's has_small_order() (crypto_scalarmult/curve25519/ref10):
 * 0, 1, the two points of order 8, p - 1, p and p + 1. */
static const unsigned char small_order[7][FBV_X25519_BYTES] = {
	{ 0 },
	{ 1 },
	{ 0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3, 0xfa, 0xf1, 0x9f,
	  0xc4, 0x6a, 0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32, 0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16,
	  0x5f, 0x49, 0xb8, 0x00 },
	{ 0x5f, 0x9c, 0x95, 0xbc, 0xa3, 0x50, 0x8c, 0x24, 0xb1, 0xd0, 0xb1, 0x55, 0x9c, 0x83,
	  0xef, 0x5b, 0x04, 0x44, 0x5c, 0xc4, 0x58, 0x1c, 0x8e, 0x86, 0xd8, 0x22, 0x4e, 0xdd,
	  0xd0, 0x9f, 0x11, 0x57 },
	{ 0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0x7f },
	{ 0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0x7f },
	{ 0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0x7f },
};

bool
x25519_small_order(const unsigned char pk[FBV_X25519_BYTES])
{
	size_t i;

	for (i = 0; i < 7; i++)
		if (memcmp(pk, small_order[i], FBV_X25519_BYTES - 1) == 0 &&
		    (pk[FBV_X25519_BYTES - 1] & 0x7f) == small_order[i][FBV_X25519_BYTES - 1])
			return true;
	return false;
}
