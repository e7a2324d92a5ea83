#include <stdbool.h>
#include <string.h>

#include <sodium.h>

#include "bech32.h"
#include "errors.h"
#include "keystr.h"
#include "secmem.h"

_Static_assert(sizeof(FBV_HRP_PUBLIC) + FBV_KEY_GROUPS + BECH32_CHECKSUM == FBV_PUBLIC_STR_LEN &&
    sizeof(FBV_HRP_SECRET) + FBV_KEY_GROUPS + BECH32_CHECKSUM == FBV_SECRET_STR_LEN &&
    sizeof(FBV_HRP_AGE_PUBLIC) == sizeof(FBV_HRP_PUBLIC) &&
    sizeof(FBV_HRP_AGE_SECRET) == sizeof(FBV_HRP_SECRET) &&
    FBV_SECRET_STR_LEN <= BECH32_MAX, "key string lengths (keyformat.h)");

/* Indexed by enum key_flavor. */
static const char *const public_hrp[] = { FBV_HRP_PUBLIC, FBV_HRP_AGE_PUBLIC };
static const char *const secret_hrp[] = { FBV_HRP_SECRET, FBV_HRP_AGE_SECRET };

/* Bytes and decoded groups of one key: secret for identities. */
struct keystr_scratch {
	struct bech32 b;
	unsigned char groups[FBV_KEY_GROUPS + 1];
};

/* ASCII only, whatever the locale. */
static bool
ascii_caseeq(const char *a, const char *lower, size_t n)
{
	size_t i;
	char c;

	for (i = 0; i < n; i++) {
		c = a[i] >= 'A' && a[i] <= 'Z' ? (char)(a[i] + 32) : a[i];
		if (c != lower[i])
			return false;
	}
	return true;
}

/* Which of hrp[] (lower case) is everything before s's last '1'. */
static int
match_prefix(const char *s, size_t n, const char *const hrp[2], enum key_flavor *f)
{
	size_t sep = n;
	int i;

	while (sep > 0 && s[sep - 1] != '1')
		sep--;
	if (sep == 0)
		return FBV_ERR_KEY_FORMAT;
	for (i = KEY_FBV; i <= KEY_AGE; i++) {
		if (strlen(hrp[i]) == sep - 1 && ascii_caseeq(s, hrp[i], sep - 1)) {
			*f = (enum key_flavor)i;
			return FBV_OK;
		}
	}
	return FBV_ERR_KEY_PREFIX;
}

static int
decode(unsigned char key[FBV_X25519_BYTES], enum key_flavor *f,
    const char *s, size_t n, const char *const hrp[2])
{
	struct keystr_scratch *k = NULL;
	enum key_flavor fl = KEY_FBV;
	size_t len;
	int r;

	sodium_memzero(key, FBV_X25519_BYTES);
	if (s == NULL)
		return FBV_ERR_INVALID;
	if ((r = match_prefix(s, n, hrp, &fl)) != FBV_OK)
		return r;
	if ((k = secret_alloc(sizeof(*k))) == NULL)
		return FBV_ERR_NOMEM;
	if ((r = bech32_decode(&k->b, s, n)) != FBV_OK)
		goto out;
	if (k->b.datalen != FBV_KEY_GROUPS) {
		r = FBV_ERR_KEY_LENGTH;
		goto out;
	}
	r = bech32_bytes(key, FBV_X25519_BYTES, &len, k->b.data, k->b.datalen);
	if (r == FBV_OK && f != NULL)
		*f = fl;
out:
	secret_free(k);
	return r;
}

static int
encode(char *out, size_t cap, const unsigned char key[FBV_X25519_BYTES],
    const char *hrp, bool upper)
{
	struct keystr_scratch *k;
	int r;

	if ((k = secret_alloc(sizeof(*k))) == NULL)
		return FBV_ERR_NOMEM;
	bech32_groups(k->groups, key, FBV_X25519_BYTES);
	r = bech32_encode(out, cap, hrp, k->groups, FBV_KEY_GROUPS, upper);
	secret_free(k);
	return r;
}

int
keystr_public_encode(char out[FBV_PUBLIC_STR_LEN + 1],
    const unsigned char pk[FBV_X25519_BYTES], enum key_flavor f)
{
	if (f != KEY_FBV && f != KEY_AGE)
		return FBV_ERR_INVALID;
	return encode(out, FBV_PUBLIC_STR_LEN + 1, pk, public_hrp[f], false);
}

int
keystr_secret_encode(char out[FBV_SECRET_STR_LEN + 1],
    const unsigned char sk[FBV_X25519_BYTES], enum key_flavor f)
{
	if (f != KEY_FBV && f != KEY_AGE)
		return FBV_ERR_INVALID;
	return encode(out, FBV_SECRET_STR_LEN + 1, sk, secret_hrp[f], true);
}

int
keystr_public_decode(unsigned char pk[FBV_X25519_BYTES], enum key_flavor *f,
    const char *s, size_t n)
{
	return decode(pk, f, s, n, public_hrp);
}

int
keystr_secret_decode(unsigned char sk[FBV_X25519_BYTES], enum key_flavor *f,
    const char *s, size_t n)
{
	return decode(sk, f, s, n, secret_hrp);
}
