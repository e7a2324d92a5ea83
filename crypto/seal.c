#include <string.h>

#include <sodium.h>

#include "config.h"
#include "errors.h"
#include "seal.h"

#define SUBKEY_CONTEXT "fbvault1"

int
kdf_level_parse(const char *s, enum kdf_level *out)
{
	if (strcmp(s, "interactive") == 0)
		*out = KDF_INTERACTIVE;
	else if (strcmp(s, "moderate") == 0)
		*out = KDF_MODERATE;
	else if (strcmp(s, "sensitive") == 0)
		*out = KDF_SENSITIVE;
	else
		return FBV_ERR_INVALID;
	return FBV_OK;
}

#if FBV_TEST_KDF
/* -Dtest_kdf=interactive, a build for the tests under valgrind only: the
 * three levels stay three, in order (doctor's warning, passwd --kdf), but
 * each costs interactive's memory and one pass more than the level below.
 * Still at or above the floor kdf_check() enforces in every build. */
void
kdf_level_params(enum kdf_level l, uint64_t *ops, uint64_t *mem)
{
	*ops = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE + (uint64_t)l;
	*mem = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
}
#else
void
kdf_level_params(enum kdf_level l, uint64_t *ops, uint64_t *mem)
{
	switch (l) {
	case KDF_INTERACTIVE:
		*ops = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
		*mem = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
		break;
	case KDF_MODERATE:
		*ops = crypto_pwhash_argon2id_OPSLIMIT_MODERATE;
		*mem = crypto_pwhash_argon2id_MEMLIMIT_MODERATE;
		break;
	case KDF_SENSITIVE:
		*ops = crypto_pwhash_argon2id_OPSLIMIT_SENSITIVE;
		*mem = crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE;
		break;
	}
}
#endif

const char *
kdf_level_name(uint64_t ops, uint64_t mem)
{
	static const char *names[] = { "interactive", "moderate", "sensitive" };
	uint64_t o, m;
	int l;

	for (l = KDF_SENSITIVE; l >= KDF_INTERACTIVE; l--) {
		kdf_level_params((enum kdf_level)l, &o, &m);
		if (ops >= o && mem >= m)
			return names[l];
	}
	return "below interactive";
}

int
kdf_check(uint64_t ops, uint64_t mem)
{
	if (ops < crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE || ops > FBV_KDF_OPS_MAX)
		return FBV_ERR_KDF_LIMITS;
	if (mem < crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE || mem > FBV_KDF_MEM_MAX)
		return FBV_ERR_KDF_LIMITS;
	return FBV_OK;
}

int
kdf_derive(unsigned char key[FBV_KEY_BYTES], const char *pass, size_t passlen,
    const unsigned char salt[FBV_SALT_BYTES], uint64_t ops, uint64_t mem)
{
	int r;

	if ((r = kdf_check(ops, mem)) != FBV_OK)
		return r;
	if (crypto_pwhash(key, FBV_KEY_BYTES, pass, passlen, salt, ops, (size_t)mem,
	    crypto_pwhash_ALG_ARGON2ID13) != 0)
		return FBV_ERR_NOMEM;
	return FBV_OK;
}

void
random_bytes(void *p, size_t n)
{
	randombytes_buf(p, n);
}

void
aead_seal(unsigned char *out, const unsigned char *m, size_t mlen,
    const unsigned char *ad, size_t adlen,
    const unsigned char nonce[FBV_NONCE_BYTES], const unsigned char key[FBV_KEY_BYTES])
{
	crypto_aead_xchacha20poly1305_ietf_encrypt(out, NULL, m, mlen, ad, adlen,
	    NULL, nonce, key);
}

int
aead_open(unsigned char *out, const unsigned char *c, size_t clen,
    const unsigned char *ad, size_t adlen,
    const unsigned char nonce[FBV_NONCE_BYTES], const unsigned char key[FBV_KEY_BYTES])
{
	if (clen < FBV_TAG_BYTES)
		return FBV_ERR_CORRUPT;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(out, NULL, NULL, c, clen,
	    ad, adlen, nonce, key) != 0)
		return FBV_ERR_CORRUPT;
	return FBV_OK;
}

void
subkey_derive(unsigned char out[FBV_KEY_BYTES], enum subkey_id id,
    const unsigned char key[FBV_KEY_BYTES])
{
	crypto_kdf_derive_from_key(out, FBV_KEY_BYTES, (uint64_t)id, SUBKEY_CONTEXT, key);
}

void
mac_compute(unsigned char out[FBV_MAC_BYTES], const unsigned char *m, size_t mlen,
    const unsigned char key[FBV_KEY_BYTES])
{
	crypto_generichash(out, FBV_MAC_BYTES, m, mlen, key, FBV_KEY_BYTES);
}

int
mac_verify(const unsigned char mac[FBV_MAC_BYTES], const unsigned char *m, size_t mlen,
    const unsigned char key[FBV_KEY_BYTES])
{
	unsigned char want[FBV_MAC_BYTES];
	int ok;

	mac_compute(want, m, mlen, key);
	ok = crypto_verify_32(want, mac) == 0;
	sodium_memzero(want, sizeof(want));
	return ok ? FBV_OK : FBV_ERR_CORRUPT;
}

void
hmac_sha256_hex(char out[FBV_HMAC_HEX], const unsigned char *key, size_t keylen,
    const unsigned char *m, size_t mlen)
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];

	crypto_auth_hmacsha256_init(&st, key, keylen);
	crypto_auth_hmacsha256_update(&st, m, mlen);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(out, FBV_HMAC_HEX, mac, sizeof(mac));
	sodium_memzero(&st, sizeof(st));
	sodium_memzero(mac, sizeof(mac));
}
