#include <string.h>

#include <sodium.h>

#include "errors.h"
#include "hkdf.h"
#include "secmem.h"

#define BLOCK crypto_auth_hmacsha256_BYTES

struct hkdf_state {
	crypto_auth_hmacsha256_state h;
	unsigned char prk[BLOCK];
	unsigned char t[BLOCK];
};

static void
extract(struct hkdf_state *s, const unsigned char *ikm, size_t ikmlen,
    const unsigned char *salt, size_t saltlen)
{
	/* RFC 5869 2.2: no salt means HashLen zero bytes; HMAC pads its key
	 * with zeros, so the empty key is the same key. */
	crypto_auth_hmacsha256_init(&s->h, salt, saltlen);
	crypto_auth_hmacsha256_update(&s->h, ikm, ikmlen);
	crypto_auth_hmacsha256_final(&s->h, s->prk);
}

/* T(i) = HMAC(PRK, T(i-1) || info || i), T(0) empty. */
static void
expand_block(struct hkdf_state *s, unsigned char i,
    const unsigned char *info, size_t infolen)
{
	crypto_auth_hmacsha256_init(&s->h, s->prk, sizeof(s->prk));
	if (i > 1)
		crypto_auth_hmacsha256_update(&s->h, s->t, sizeof(s->t));
	crypto_auth_hmacsha256_update(&s->h, info, infolen);
	crypto_auth_hmacsha256_update(&s->h, &i, 1);
	crypto_auth_hmacsha256_final(&s->h, s->t);
}

int
hkdf_sha256(unsigned char *out, size_t outlen,
    const unsigned char *ikm, size_t ikmlen,
    const unsigned char *salt, size_t saltlen,
    const unsigned char *info, size_t infolen)
{
	static const unsigned char none[1];
	struct hkdf_state *s;
	size_t done, n;
	unsigned char i;

	if (outlen > FBV_HKDF_MAX || (ikm == NULL && ikmlen > 0) ||
	    (salt == NULL && saltlen > 0) || (info == NULL && infolen > 0))
		return FBV_ERR_INVALID;
	/* libsodium declares its pointers non-null, empty inputs included. */
	ikm = ikm != NULL ? ikm : none;
	salt = salt != NULL ? salt : none;
	info = info != NULL ? info : none;
	if ((s = secret_alloc(sizeof(*s))) == NULL)
		return FBV_ERR_NOMEM;
	extract(s, ikm, ikmlen, salt, saltlen);
	for (done = 0, i = 1; done < outlen; done += n, i++) {
		expand_block(s, i, info, infolen);
		n = outlen - done < BLOCK ? outlen - done : BLOCK;
		memcpy(out + done, s->t, n);
	}
	secret_free(s);
	return FBV_OK;
}
