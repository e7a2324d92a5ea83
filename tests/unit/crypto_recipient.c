/* Unit tests for crypto/'s recipient keys: HKDF, stanzas, Bech32, key
 * strings, identity files, and age's own vectors. One subtest per argument:
 *   crypto_recipient hkdf|stanza|bech32|keystr|identity|age-vectors
 *   crypto_recipient age-keygen PATH   (exit 77, skipped, without age-keygen)
 * Every check states the exact outcome. */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "../../crypto/bech32.h"
#include "../../crypto/errors.h"
#include "../../crypto/hkdf.h"
#include "../../crypto/identity.h"
#include "../../crypto/keystr.h"
#include "../../crypto/recipient.h"

static int passed, failed;

#define CHECK(cond) do { \
	if (cond) passed++; \
	else { failed++; fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); } \
} while (0)

#define LEN(a) (sizeof(a) / sizeof(*(a)))
#define US(s) ((const unsigned char *)(s))

/* age's spec (C2SP age.md, "The X25519 recipient type"): a matching pair;
 * age-keygen -y 1.1.1 prints this recipient for this identity. */
#define AGE_SPEC_IDENTITY "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX"
#define AGE_SPEC_RECIPIENT "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj"

static void
unhex(unsigned char *out, size_t n, const char *hex)
{
	size_t got = 0;

	if (sodium_hex2bin(out, n, hex, strlen(hex), NULL, &got, NULL) != 0 || got != n)
		abort();
}

static void
unb64(unsigned char *out, size_t n, const char *b64)
{
	size_t got = 0;

	if (sodium_base642bin(out, n, b64, strlen(b64), NULL, &got, NULL,
	    sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0 || got != n)
		abort();
}

/* ---- HKDF: RFC 5869 appendix A, the SHA-256 cases ---- */

static void
hkdf_case(const unsigned char *ikm, size_t ikmlen, const unsigned char *salt, size_t saltlen,
    const unsigned char *info, size_t infolen, const char *okm_hex)
{
	unsigned char want[82], got[82];
	size_t n = strlen(okm_hex) / 2;

	unhex(want, n, okm_hex);
	CHECK(hkdf_sha256(got, n, ikm, ikmlen, salt, saltlen, info, infolen) == FBV_OK);
	CHECK(memcmp(got, want, n) == 0);
}

static void
test_hkdf(void)
{
	unsigned char ikm[80], salt[80], info[80], big[FBV_HKDF_MAX + 1];
	size_t i;

	memset(ikm, 0x0b, 22);
	for (i = 0; i < 13; i++)
		salt[i] = (unsigned char)i;
	for (i = 0; i < 10; i++)
		info[i] = (unsigned char)(0xf0 + i);
	hkdf_case(ikm, 22, salt, 13, info, 10, "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c"
	    "5db02d56ecc4c5bf34007208d5b887185865");
	hkdf_case(ikm, 22, NULL, 0, NULL, 0, "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879e"
	    "c3454e5f3c738d2d9d201395faa4b61a96c8");
	for (i = 0; i < 80; i++) {
		ikm[i] = (unsigned char)i;
		salt[i] = (unsigned char)(0x60 + i);
		info[i] = (unsigned char)(0xb0 + i);
	}
	hkdf_case(ikm, 80, salt, 80, info, 80, "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8"
	    "a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
	    "cc30c58179ec3e87c14c01d5c1f3434f1d87");
	CHECK(hkdf_sha256(big, FBV_HKDF_MAX, ikm, 22, NULL, 0, NULL, 0) == FBV_OK);
	CHECK(hkdf_sha256(big, sizeof(big), ikm, 22, NULL, 0, NULL, 0) == FBV_ERR_INVALID);
	CHECK(hkdf_sha256(big, 32, NULL, 1, NULL, 0, NULL, 0) == FBV_ERR_INVALID);
}

/* ---- Stanzas ---- */

static const unsigned char ctx[] = "fbvault v2 slot\x01\x02\x03\x04\x05\x06\x07\x08"
    "\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x00\x03";

static struct x25519_keypair *
new_keypair(void)
{
	struct x25519_keypair *kp = NULL;

	if (x25519_keypair_generate(&kp) != FBV_OK)
		abort();
	return kp;
}

static void
test_keypair(void)
{
	struct x25519_keypair *a = new_keypair(), *b = NULL;
	unsigned char pk[FBV_X25519_BYTES], zero[FBV_X25519_BYTES] = { 0 };

	crypto_scalarmult_base(pk, a->sk);
	CHECK(memcmp(pk, a->pk, sizeof(pk)) == 0);
	CHECK(x25519_keypair_from_secret(&b, a->sk) == FBV_OK);
	CHECK(b != NULL && memcmp(b->pk, a->pk, sizeof(pk)) == 0);
	x25519_keypair_free(b);
	/* The all-zero scalar clamps to 2^254: a valid key, not a refused one. */
	CHECK(x25519_keypair_from_secret(&b, zero) == FBV_OK && b != NULL);
	x25519_keypair_free(b);
	x25519_keypair_free(a);
}

static void
test_roundtrip(void)
{
	struct x25519_keypair *kp = new_keypair(), *other = new_keypair();
	unsigned char dk[FBV_KEY_BYTES], out[FBV_KEY_BYTES], b1[FBV_STANZA_BYTES], b2[FBV_STANZA_BYTES];
	size_t i, same = 0;

	randombytes_buf(dk, sizeof(dk));
	CHECK(stanza_wrap(b1, dk, kp->pk, ctx, sizeof(ctx)) == FBV_OK);
	CHECK(stanza_unwrap(out, b1, sizeof(b1), kp, ctx, sizeof(ctx)) == FBV_OK);
	CHECK(memcmp(out, dk, sizeof(dk)) == 0);
	/* A fresh ephemeral key each time: two stanzas for one key share nothing. */
	CHECK(stanza_wrap(b2, dk, kp->pk, ctx, sizeof(ctx)) == FBV_OK);
	for (i = 0; i < sizeof(b1); i++)
		same += b1[i] == b2[i];
	CHECK(same < 8);
	CHECK(stanza_unwrap(out, b2, sizeof(b2), other, ctx, sizeof(ctx)) == FBV_ERR_WRONG_PASS);
	CHECK(sodium_is_zero(out, sizeof(out)));
	CHECK(stanza_wrap(b1, dk, kp->pk, NULL, 0) == FBV_OK);
	CHECK(stanza_unwrap(out, b1, sizeof(b1), kp, NULL, 0) == FBV_OK);
	CHECK(memcmp(out, dk, sizeof(dk)) == 0);
	CHECK(stanza_wrap(b1, dk, kp->pk, NULL, 1) == FBV_ERR_INVALID);
	CHECK(stanza_unwrap(out, b2, sizeof(b2), kp, NULL, 1) == FBV_ERR_INVALID);
	x25519_keypair_free(other);
	x25519_keypair_free(kp);
}

static void
test_context(void)
{
	struct x25519_keypair *kp = new_keypair();
	unsigned char dk[FBV_KEY_BYTES], out[FBV_KEY_BYTES], body[FBV_STANZA_BYTES];
	unsigned char c2[sizeof(ctx) + 1];
	size_t i, bad = 0;

	randombytes_buf(dk, sizeof(dk));
	CHECK(stanza_wrap(body, dk, kp->pk, ctx, sizeof(ctx)) == FBV_OK);
	memcpy(c2, ctx, sizeof(ctx));
	c2[sizeof(ctx)] = 0;
	CHECK(stanza_unwrap(out, body, sizeof(body), kp, c2, sizeof(c2)) == FBV_ERR_WRONG_PASS);
	CHECK(stanza_unwrap(out, body, sizeof(body), kp, ctx, sizeof(ctx) - 1) == FBV_ERR_WRONG_PASS);
	CHECK(stanza_unwrap(out, body, sizeof(body), kp, NULL, 0) == FBV_ERR_WRONG_PASS);
	for (i = 0; i < sizeof(ctx) * 8; i++) {
		memcpy(c2, ctx, sizeof(ctx));
		c2[i / 8] ^= (unsigned char)(1U << (i % 8));
		bad += stanza_unwrap(out, body, sizeof(body), kp, c2, sizeof(ctx)) != FBV_ERR_WRONG_PASS ||
		    !sodium_is_zero(out, sizeof(out));
	}
	CHECK(bad == 0);
	x25519_keypair_free(kp);
}

static void
test_lengths(void)
{
	struct x25519_keypair *kp = new_keypair();
	unsigned char dk[FBV_KEY_BYTES] = { 1 }, out[FBV_KEY_BYTES], body[FBV_STANZA_BYTES + 1];

	CHECK(stanza_wrap(body, dk, kp->pk, ctx, sizeof(ctx)) == FBV_OK);
	body[FBV_STANZA_BYTES] = 0;
	CHECK(stanza_unwrap(out, body, FBV_STANZA_BYTES - 1, kp, ctx, sizeof(ctx)) == FBV_ERR_CORRUPT);
	CHECK(stanza_unwrap(out, body, FBV_STANZA_BYTES + 1, kp, ctx, sizeof(ctx)) == FBV_ERR_CORRUPT);
	CHECK(stanza_unwrap(out, body, 0, kp, ctx, sizeof(ctx)) == FBV_ERR_CORRUPT);
	CHECK(stanza_unwrap(out, NULL, FBV_STANZA_BYTES, kp, ctx, sizeof(ctx)) == FBV_ERR_CORRUPT);
	CHECK(sodium_is_zero(out, sizeof(out)));
	CHECK(stanza_unwrap(out, body, FBV_STANZA_BYTES, kp, ctx, sizeof(ctx)) == FBV_OK);
	x25519_keypair_free(kp);
}

/* Every point of small order (libsodium's list, with and without the
 * ignored top bit), from which every X25519 result is zero. */
static const char *const low_order[] = {
	"0000000000000000000000000000000000000000000000000000000000000000",
	"0100000000000000000000000000000000000000000000000000000000000000",
	"e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
	"5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
	"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"0000000000000000000000000000000000000000000000000000000000000080",
	"5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f11d7",
	"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
};

static void
test_low_order(void)
{
	struct x25519_keypair *kp = new_keypair();
	unsigned char dk[FBV_KEY_BYTES], out[FBV_KEY_BYTES], body[FBV_STANZA_BYTES];
	unsigned char point[FBV_X25519_BYTES], cctv[FBV_X25519_BYTES];
	size_t i;

	/* CCTV's age/testdata/x25519_low_order share: entry 3 with its top
	 * bit set, entry 8. */
	unb64(cctv, sizeof(cctv), "X5yVvKNQjCSx0LFVnIPvWwREXMRYHI6G2CJO3dCfEdc");
	unhex(point, sizeof(point), low_order[8]);
	CHECK(memcmp(cctv, point, sizeof(point)) == 0);
	randombytes_buf(dk, sizeof(dk));
	for (i = 0; i < LEN(low_order); i++) {
		unhex(point, sizeof(point), low_order[i]);
		memset(body, 0xaa, sizeof(body));
		CHECK(stanza_wrap(body, dk, point, ctx, sizeof(ctx)) == FBV_ERR_INVALID);
		CHECK(sodium_is_zero(body, sizeof(body)));
		CHECK(stanza_wrap(body, dk, kp->pk, ctx, sizeof(ctx)) == FBV_OK);
		memcpy(body + FBV_STANZA_EPK, point, sizeof(point));
		CHECK(stanza_unwrap(out, body, sizeof(body), kp, ctx, sizeof(ctx)) == FBV_ERR_CORRUPT);
		CHECK(sodium_is_zero(out, sizeof(out)));
		CHECK(x25519_small_order(point));
	}
	x25519_keypair_free(kp);
}

/* The table lookup says what a scalar multiplication by a multiple of 8
 * says (every result zero), on every listed point with either top bit and
 * on random points and real public keys. */
static void
test_small_order_table(void)
{
	static const unsigned char eight[crypto_scalarmult_SCALARBYTES] = { 8 };
	unsigned char point[FBV_X25519_BYTES], q[crypto_scalarmult_BYTES];
	struct x25519_keypair *kp;
	size_t i, agree = 0, n = 0;

	for (i = 0; i < LEN(low_order) + 2000; i++, n++) {
		if (i < LEN(low_order)) {
			unhex(point, sizeof(point), low_order[i]);
		} else if (i % 2 == 0) {
			randombytes_buf(point, sizeof(point));
		} else {
			kp = new_keypair();
			memcpy(point, kp->pk, sizeof(point));
			x25519_keypair_free(kp);
		}
		agree += x25519_small_order(point) == (crypto_scalarmult(q, eight, point) != 0);
		point[FBV_X25519_BYTES - 1] ^= 0x80;
		agree += x25519_small_order(point) == (crypto_scalarmult(q, eight, point) != 0);
		n++;
	}
	CHECK(agree == n);
}

static void
test_flips(void)
{
	struct x25519_keypair *kp = new_keypair();
	unsigned char dk[FBV_KEY_BYTES], out[FBV_KEY_BYTES], body[FBV_STANZA_BYTES], t[FBV_STANZA_BYTES];
	size_t i, bad = 0, tried = 0;

	randombytes_buf(dk, sizeof(dk));
	CHECK(stanza_wrap(body, dk, kp->pk, ctx, sizeof(ctx)) == FBV_OK);
	for (i = 0; i < sizeof(body) * 8; i++, tried++) {
		memcpy(t, body, sizeof(t));
		t[i / 8] ^= (unsigned char)(1U << (i % 8));
		memset(out, 0x55, sizeof(out));
		if (stanza_unwrap(out, t, sizeof(t), kp, ctx, sizeof(ctx)) != FBV_ERR_WRONG_PASS ||
		    !sodium_is_zero(out, sizeof(out))) {
			bad++;
			fprintf(stderr, "flip of bit %zu not refused as not-for-me\n", i);
		}
	}
	CHECK(tried == 640 && bad == 0);
	CHECK(stanza_unwrap(out, body, sizeof(body), kp, ctx, sizeof(ctx)) == FBV_OK);
	x25519_keypair_free(kp);
}

/* The stanza built from keyformat.h's description with libsodium and
 * hkdf_sha256 directly, and frozen as bytes: stanza_unwrap must open it, and
 * the format cannot change without this test changing. The same bytes come
 * out of Python's cryptography package (OpenSSL's X25519, HKDF, ChaCha20-
 * Poly1305) given these inputs, ctx with its final NUL. */
static void
test_spec_vector(void)
{
	static const char frozen[] =
	    "5869aff450549732cbaaed5e5df9b30a6da31cb0e5742bad5ad4a1a768f1a67b"
	    "857969e3b6a0d1501fd226ab36e3e40b294d041365321935ec6bdeef47da6158"
	    "5148f3e5a7ba7f1791ad9327852dc35c";
	static const unsigned char nonce[12];
	unsigned char rsk[32], esk[32], epk[32], rpk[32], shared[32], salt[64], key[32], dk[32];
	unsigned char body[FBV_STANZA_BYTES], want[FBV_STANZA_BYTES], out[32];
	struct x25519_keypair *kp = NULL;
	size_t i;

	for (i = 0; i < 32; i++) {
		rsk[i] = (unsigned char)(1 + i);
		esk[i] = (unsigned char)(0x21 + i);
		dk[i] = (unsigned char)(0x41 + i);
	}
	CHECK(crypto_scalarmult_base(rpk, rsk) == 0 && crypto_scalarmult_base(epk, esk) == 0);
	CHECK(crypto_scalarmult(shared, esk, rpk) == 0);
	memcpy(salt, epk, 32);
	memcpy(salt + 32, rpk, 32);
	CHECK(hkdf_sha256(key, 32, shared, 32, salt, 64, US("fbvault v2 x25519"), 17) == FBV_OK);
	memcpy(body, epk, 32);
	crypto_aead_chacha20poly1305_ietf_encrypt(body + 32, NULL, dk, 32, ctx, sizeof(ctx),
	    NULL, nonce, key);
	CHECK(x25519_keypair_from_secret(&kp, rsk) == FBV_OK);
	CHECK(stanza_unwrap(out, body, sizeof(body), kp, ctx, sizeof(ctx)) == FBV_OK);
	CHECK(memcmp(out, dk, sizeof(dk)) == 0);
	unhex(want, sizeof(want), frozen);
	CHECK(memcmp(body, want, sizeof(want)) == 0);
	if (getenv("PRINT_VECTOR") != NULL)
		for (i = 0; i < sizeof(body); i++)
			printf("%02x%s", body[i], i + 1 == sizeof(body) ? "\n" : "");
	x25519_keypair_free(kp);
}

static void
test_stanza(void)
{
	test_keypair();
	test_roundtrip();
	test_context();
	test_lengths();
	test_low_order();
	test_small_order_table();
	test_flips();
	test_spec_vector();
}

/* ---- Bech32: BIP 173's vectors ---- */

static void
test_bech32_valid(void)
{
	static const char *const valid[] = {
		"A12UEL5L",
		"a12uel5l",
		"an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
		"abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
		"11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
		"split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
		"?1ezyfcl",
		"bc1gmk9yu",
	};
	struct bech32 b;
	char again[BECH32_MAX + 1];
	size_t i;

	for (i = 0; i < LEN(valid); i++) {
		CHECK(bech32_decode(&b, valid[i], strlen(valid[i])) == FBV_OK);
		CHECK(bech32_encode(again, sizeof(again), b.hrp, b.data, b.datalen, b.upper) == FBV_OK);
		CHECK(strcmp(again, valid[i]) == 0);
	}
	CHECK(bech32_decode(&b, valid[3], strlen(valid[3])) == FBV_OK);
	CHECK(strcmp(b.hrp, "abcdef") == 0 && b.datalen == 32 && !b.upper);
	for (i = 0; i < 32; i++)
		CHECK(b.data[i] == i);
	CHECK(bech32_decode(&b, valid[0], strlen(valid[0])) == FBV_OK);
	CHECK(strcmp(b.hrp, "a") == 0 && b.datalen == 0 && b.upper);
}

static void
test_bech32_invalid(void)
{
	static const struct { const char *s; int err; } invalid[] = {
		{ " 1nwldj5", FBV_ERR_KEY_FORMAT },             /* HRP character out of range */
		{ "\x7f" "1axkwrx", FBV_ERR_KEY_FORMAT },
		{ "\x80" "1eym55h", FBV_ERR_KEY_FORMAT },
		{ "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx",
		  FBV_ERR_KEY_LENGTH },                           /* overall max length exceeded */
		{ "pzry9x0s0muk", FBV_ERR_KEY_FORMAT },         /* no separator character */
		{ "1pzry9x0s0muk", FBV_ERR_KEY_FORMAT },        /* empty HRP */
		{ "x1b4n0q5v", FBV_ERR_KEY_FORMAT },            /* invalid data character */
		{ "li1dgmt3", FBV_ERR_KEY_FORMAT },             /* too short checksum */
		{ "de1lg7wt\xff", FBV_ERR_KEY_FORMAT },         /* invalid character in checksum */
		{ "A1G7SGD8", FBV_ERR_KEY_CHECKSUM },           /* checksum over the upper-case HRP */
		{ "10a06t8", FBV_ERR_KEY_FORMAT },              /* empty HRP */
		{ "1qzzfhee", FBV_ERR_KEY_FORMAT },             /* empty HRP */
		{ "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7", FBV_ERR_KEY_FORMAT },
		{ "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", FBV_ERR_KEY_CHECKSUM },
		{ "a12UEL5L", FBV_ERR_KEY_FORMAT },             /* mixed case */
		{ "", FBV_ERR_KEY_FORMAT },
	};
	struct bech32 b;
	size_t i;

	for (i = 0; i < LEN(invalid); i++) {
		memset(&b, 0x5a, sizeof(b));
		CHECK(bech32_decode(&b, invalid[i].s, strlen(invalid[i].s)) == invalid[i].err);
		CHECK(b.datalen == 0 && sodium_is_zero(b.data, sizeof(b.data)));
	}
	CHECK(bech32_decode(&b, "a12uel5l\0", 9) == FBV_ERR_KEY_FORMAT);
}

/* BIP 173's segwit addresses: data group 0 is the witness version, the rest
 * regroups to the program. */
static void
test_bech32_regroup(void)
{
	static const struct { const char *s; int err; const char *prog; } v[] = {
		{ "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", FBV_OK,
		  "751e76e8199196d454941c45d1b3a323f1433bd6" },
		{ "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", FBV_OK,
		  "1863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262" },
		{ "bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du", FBV_ERR_KEY_LENGTH, NULL },
		{ "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv", FBV_ERR_KEY_FORMAT, NULL },
	};
	unsigned char bytes[64], want[64], groups[BECH32_DATA_MAX];
	struct bech32 b;
	size_t i, n, k;

	for (i = 0; i < LEN(v); i++) {
		CHECK(bech32_decode(&b, v[i].s, strlen(v[i].s)) == FBV_OK);
		CHECK(bech32_bytes(bytes, sizeof(bytes), &n, b.data + 1, b.datalen - 1) == v[i].err);
		if (v[i].prog == NULL)
			continue;
		unhex(want, strlen(v[i].prog) / 2, v[i].prog);
		CHECK(n == strlen(v[i].prog) / 2 && memcmp(bytes, want, n) == 0);
		k = bech32_groups(groups, bytes, n);
		CHECK(k == b.datalen - 1 && memcmp(groups, b.data + 1, k) == 0);
	}
	CHECK(bech32_decode(&b, v[0].s, strlen(v[0].s)) == FBV_OK);
	CHECK(bech32_bytes(bytes, 19, &n, b.data + 1, b.datalen - 1) == FBV_ERR_KEY_LENGTH);
	groups[0] = 32;
	CHECK(bech32_bytes(bytes, sizeof(bytes), &n, groups, 8) == FBV_ERR_KEY_FORMAT);
}

static void
test_bech32_encode_args(void)
{
	unsigned char data[BECH32_DATA_MAX] = { 0 };
	char out[BECH32_MAX + 1];

	CHECK(bech32_encode(out, sizeof(out), "", data, 1, false) == FBV_ERR_INVALID);
	CHECK(bech32_encode(out, sizeof(out), "Ab", data, 1, false) == FBV_ERR_INVALID);
	CHECK(bech32_encode(out, sizeof(out), "a b", data, 1, false) == FBV_ERR_INVALID);
	CHECK(bech32_encode(out, sizeof(out), "a", data, 82, false) == FBV_OK && strlen(out) == 90);
	CHECK(bech32_encode(out, sizeof(out), "ab", data, 82, false) == FBV_ERR_INVALID);
	CHECK(bech32_encode(out, 90, "a", data, 82, false) == FBV_ERR_INVALID);
	data[3] = 32;
	CHECK(bech32_encode(out, sizeof(out), "a", data, 4, false) == FBV_ERR_INVALID);
	CHECK(bech32_encode(out, sizeof(out), "a", NULL, 0, true) == FBV_OK);
	CHECK(strcmp(out, "A12UEL5L") == 0);
}

static void
test_bech32(void)
{
	test_bech32_valid();
	test_bech32_invalid();
	test_bech32_regroup();
	test_bech32_encode_args();
}

/* ---- Key strings ---- */

/* A string with hrp over n key bytes whose groups are given, checksummed. */
static void
make_string(char out[BECH32_MAX + 1], const char *hrp, const unsigned char *key, size_t n,
    bool upper, unsigned pad_or)
{
	unsigned char groups[BECH32_DATA_MAX];
	size_t k = bech32_groups(groups, key, n);

	groups[k - 1] = (unsigned char)(groups[k - 1] | pad_or);
	if (bech32_encode(out, BECH32_MAX + 1, hrp, groups, k, upper) != FBV_OK)
		abort();
}

static void
test_keystr_roundtrip(void)
{
	unsigned char key[32], back[32];
	char pub[FBV_PUBLIC_STR_LEN + 1], sec[FBV_SECRET_STR_LEN + 1];
	enum key_flavor f = KEY_AGE;
	size_t i, bad = 0;

	for (i = 0; i < 200; i++) {
		randombytes_buf(key, sizeof(key));
		bad += keystr_public_encode(pub, key, KEY_FBV) != FBV_OK ||
		    strlen(pub) != FBV_PUBLIC_STR_LEN || strncmp(pub, "fbv1", 4) != 0 ||
		    keystr_public_decode(back, &f, pub, strlen(pub)) != FBV_OK ||
		    memcmp(back, key, 32) != 0 || f != KEY_FBV;
		bad += keystr_secret_encode(sec, key, KEY_FBV) != FBV_OK ||
		    strlen(sec) != FBV_SECRET_STR_LEN || strncmp(sec, "FBV-SECRET-KEY-1", 16) != 0 ||
		    keystr_secret_decode(back, &f, sec, strlen(sec)) != FBV_OK ||
		    memcmp(back, key, 32) != 0 || f != KEY_FBV;
		bad += keystr_public_encode(pub, key, KEY_AGE) != FBV_OK ||
		    strncmp(pub, "age1", 4) != 0 || strlen(pub) != FBV_PUBLIC_STR_LEN ||
		    keystr_public_decode(back, &f, pub, strlen(pub)) != FBV_OK ||
		    memcmp(back, key, 32) != 0 || f != KEY_AGE;
		bad += keystr_secret_encode(sec, key, KEY_AGE) != FBV_OK ||
		    strncmp(sec, "AGE-SECRET-KEY-1", 16) != 0 || strlen(sec) != FBV_SECRET_STR_LEN ||
		    keystr_secret_decode(back, &f, sec, strlen(sec)) != FBV_OK ||
		    memcmp(back, key, 32) != 0 || f != KEY_AGE;
	}
	CHECK(bad == 0);
	CHECK(keystr_public_encode(pub, key, (enum key_flavor)2) == FBV_ERR_INVALID);
	CHECK(keystr_secret_encode(sec, key, (enum key_flavor)-1) == FBV_ERR_INVALID);
}

static void
test_keystr_case(void)
{
	unsigned char key[32], back[32];
	char pub[FBV_PUBLIC_STR_LEN + 1], sec[FBV_SECRET_STR_LEN + 1];
	size_t i;

	randombytes_buf(key, sizeof(key));
	CHECK(keystr_public_encode(pub, key, KEY_FBV) == FBV_OK);
	CHECK(keystr_secret_encode(sec, key, KEY_FBV) == FBV_OK);
	for (i = 0; pub[i] != '\0'; i++)
		pub[i] = (char)(pub[i] >= 'a' && pub[i] <= 'z' ? pub[i] - 32 : pub[i]);
	for (i = 0; sec[i] != '\0'; i++)
		sec[i] = (char)(sec[i] >= 'A' && sec[i] <= 'Z' ? sec[i] + 32 : sec[i]);
	CHECK(keystr_public_decode(back, NULL, pub, strlen(pub)) == FBV_OK && memcmp(back, key, 32) == 0);
	CHECK(keystr_secret_decode(back, NULL, sec, strlen(sec)) == FBV_OK && memcmp(back, key, 32) == 0);
	pub[0] = 'f';           /* "fBV1...": the HRP matches, the case is mixed */
	CHECK(keystr_public_decode(back, NULL, pub, strlen(pub)) == FBV_ERR_KEY_FORMAT);
	CHECK(sodium_is_zero(back, sizeof(back)));
	CHECK(keystr_public_encode(pub, key, KEY_FBV) == FBV_OK);
	for (i = 4; pub[i] != '\0' && !(pub[i] >= 'a' && pub[i] <= 'z'); i++)
		;
	pub[i] = (char)(pub[i] - 32);
	CHECK(keystr_public_decode(back, NULL, pub, strlen(pub)) == FBV_ERR_KEY_FORMAT);
}

/* Any one wrong character is a checksum failure, in every position. */
static void
test_keystr_substitutions(void)
{
	static const char alphabet[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
	unsigned char key[32], back[32];
	char pub[FBV_PUBLIC_STR_LEN + 1], t[FBV_PUBLIC_STR_LEN + 1], sec[FBV_SECRET_STR_LEN + 1];
	size_t i, j, bad = 0, tried = 0;
	char c;

	randombytes_buf(key, sizeof(key));
	CHECK(keystr_public_encode(pub, key, KEY_FBV) == FBV_OK);
	for (i = 4; i < FBV_PUBLIC_STR_LEN; i++) {
		for (j = 0; j < 32; j++) {
			if (alphabet[j] == pub[i])
				continue;
			memcpy(t, pub, sizeof(t));
			t[i] = alphabet[j];
			tried++;
			bad += keystr_public_decode(back, NULL, t, strlen(t)) != FBV_ERR_KEY_CHECKSUM;
		}
	}
	CHECK(tried == 58 * 31 && bad == 0);
	CHECK(keystr_secret_encode(sec, key, KEY_FBV) == FBV_OK);
	for (i = 16, bad = 0; i < FBV_SECRET_STR_LEN; i++) {
		c = sec[i];
		sec[i] = c == 'Q' ? 'P' : 'Q';
		bad += keystr_secret_decode(back, NULL, sec, strlen(sec)) != FBV_ERR_KEY_CHECKSUM;
		sec[i] = c;
	}
	CHECK(bad == 0);
}

static void
test_keystr_errors(void)
{
	unsigned char key[33], back[32];
	char s[BECH32_MAX + 1], pub[FBV_PUBLIC_STR_LEN + 1], sec[FBV_SECRET_STR_LEN + 1];
	char longer[128];
	static const char *const other_kinds[] = {
		"age1pq1x34nzsvr0rxjsgdn8zgyhfe8j7ceq5r9rdelkjuh3y235jzxshfg87pzf5zrqtzdxz95paef6caq5aapdmwjjqpjfdyxnzr2z",
		"age1tag1qt8lw0ual6avlwmwatk888yqnmdamm7xfd0wak53ut6elz5c4swx2yqdj4e",
		"AGE-PLUGIN-YUBIKEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ",
		"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIL0idNvgGiucWgup",
		"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
		" fbv1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq",
	};
	size_t i;

	randombytes_buf(key, sizeof(key));
	CHECK(keystr_public_encode(pub, key, KEY_FBV) == FBV_OK);
	CHECK(keystr_secret_encode(sec, key, KEY_FBV) == FBV_OK);
	/* A key string of the other kind. */
	CHECK(keystr_secret_decode(back, NULL, pub, strlen(pub)) == FBV_ERR_KEY_PREFIX);
	CHECK(keystr_public_decode(back, NULL, sec, strlen(sec)) == FBV_ERR_KEY_PREFIX);
	for (i = 0; i < LEN(other_kinds); i++) {
		CHECK(keystr_public_decode(back, NULL, other_kinds[i], strlen(other_kinds[i])) == FBV_ERR_KEY_PREFIX);
		CHECK(keystr_secret_decode(back, NULL, other_kinds[i], strlen(other_kinds[i])) == FBV_ERR_KEY_PREFIX);
	}
	/* Well-formed and checksummed, but not 32 bytes. */
	make_string(s, "fbv", key, 31, false, 0);
	CHECK(keystr_public_decode(back, NULL, s, strlen(s)) == FBV_ERR_KEY_LENGTH);
	make_string(s, "fbv", key, 33, false, 0);
	CHECK(keystr_public_decode(back, NULL, s, strlen(s)) == FBV_ERR_KEY_LENGTH);
	make_string(s, "fbv-secret-key-", key, 31, true, 0);
	CHECK(keystr_secret_decode(back, NULL, s, strlen(s)) == FBV_ERR_KEY_LENGTH);
	snprintf(longer, sizeof(longer), "%s%s", pub, "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq");
	CHECK(strlen(longer) == 93);
	CHECK(keystr_public_decode(back, NULL, longer, strlen(longer)) == FBV_ERR_KEY_LENGTH);
	/* A padding bit set: checksum fine, but a second spelling of a key. */
	make_string(s, "fbv", key, 32, false, 1);
	CHECK(strlen(s) == FBV_PUBLIC_STR_LEN);
	CHECK(keystr_public_decode(back, NULL, s, strlen(s)) == FBV_ERR_KEY_FORMAT);
	make_string(s, "age-secret-key-", key, 32, true, 8);
	CHECK(keystr_secret_decode(back, NULL, s, strlen(s)) == FBV_ERR_KEY_FORMAT);
	CHECK(sodium_is_zero(back, sizeof(back)));
	/* Not key strings at all. */
	CHECK(keystr_public_decode(back, NULL, "", 0) == FBV_ERR_KEY_FORMAT);
	CHECK(keystr_public_decode(back, NULL, "hello", 5) == FBV_ERR_KEY_FORMAT);
	CHECK(keystr_public_decode(back, NULL, pub, strlen(pub) - 1) != FBV_OK);
	snprintf(longer, sizeof(longer), "%s ", pub);
	CHECK(keystr_public_decode(back, NULL, longer, strlen(longer)) == FBV_ERR_KEY_FORMAT);
	snprintf(longer, sizeof(longer), "%s", pub);
	longer[10] = '\0';
	CHECK(keystr_public_decode(back, NULL, longer, strlen(pub)) == FBV_ERR_KEY_FORMAT);
	CHECK(keystr_public_decode(back, NULL, "fbv1b", 5) == FBV_ERR_KEY_FORMAT);
	CHECK(keystr_public_decode(back, NULL, NULL, 0) == FBV_ERR_INVALID);
}

static void
test_keystr(void)
{
	test_keystr_roundtrip();
	test_keystr_case();
	test_keystr_substitutions();
	test_keystr_errors();
}

/* ---- Identity files ---- */

static int
parse(const char *text, size_t *line, struct x25519_keypair **kp)
{
	return identity_parse(kp, line, US(text), strlen(text));
}

static void
expect_parse(const char *text, int err, size_t line)
{
	static struct x25519_keypair sentinel;
	struct x25519_keypair *kp = &sentinel;
	size_t got = 99;
	int r = parse(text, &got, &kp);

	CHECK(r == err);
	CHECK(got == line);
	CHECK(kp != &sentinel && (err == FBV_OK ? kp != NULL : kp == NULL));
	if (r != err || got != line)
		fprintf(stderr, "  identity file %.40s...: got %d at line %zu\n", text, r, got);
	if (kp != &sentinel)
		x25519_keypair_free(kp);
}

static void
test_identity_good(void)
{
	struct x25519_keypair *kp = new_keypair(), *back = NULL;
	char pub[FBV_PUBLIC_STR_LEN + 1], want[256];
	struct sbuf b;
	size_t line = 9;

	sbuf_init(&b, 4096);
	CHECK(identity_format(&b, kp, KEY_FBV) == FBV_OK);
	CHECK(keystr_public_encode(pub, kp->pk, KEY_FBV) == FBV_OK);
	snprintf(want, sizeof(want), "# fbvault identity: keep this file secret\n"
	    "# public key: %s\n", pub);
	CHECK(b.len == strlen(want) + FBV_SECRET_STR_LEN + 1);
	CHECK(memcmp(b.data, want, strlen(want)) == 0);
	CHECK(memcmp(b.data + strlen(want), "FBV-SECRET-KEY-1", 16) == 0);
	CHECK(identity_parse(&back, &line, b.data, b.len) == FBV_OK && line == 0);
	CHECK(back != NULL && memcmp(back->sk, kp->sk, 32) == 0 && memcmp(back->pk, kp->pk, 32) == 0);
	x25519_keypair_free(back);
	/* Without the final newline, with CRLF, with blank lines. */
	CHECK(identity_parse(&back, &line, b.data, b.len - 1) == FBV_OK);
	x25519_keypair_free(back);
	sbuf_reset(&b);
	CHECK(identity_format(&b, kp, KEY_AGE) == FBV_OK);
	CHECK(memmem(b.data, b.len, "\nAGE-SECRET-KEY-1", 17) != NULL);
	CHECK(identity_parse(&back, &line, b.data, b.len) == FBV_OK);
	CHECK(back != NULL && memcmp(back->pk, kp->pk, 32) == 0);
	x25519_keypair_free(back);
	sbuf_free(&b);
	x25519_keypair_free(kp);
	expect_parse("\r\n# c\r\n\r\n" AGE_SPEC_IDENTITY "\r\n\r\n", FBV_OK, 0);
	expect_parse("\n\n\n" AGE_SPEC_IDENTITY, FBV_OK, 0);
	expect_parse("#" AGE_SPEC_IDENTITY "\n" AGE_SPEC_IDENTITY "\n# \x01\xff\n", FBV_OK, 0);
}

/* age-keygen's output, as age 1.1.1 writes it. */
static void
test_identity_age_file(void)
{
	static const char file[] =
	    "# created: 2024-05-04T10:11:12+02:00\n"
	    "# public key: " AGE_SPEC_RECIPIENT "\n"
	    AGE_SPEC_IDENTITY "\n";
	struct x25519_keypair *kp = NULL;
	char pub[FBV_PUBLIC_STR_LEN + 1];
	size_t line = 5;

	CHECK(parse(file, &line, &kp) == FBV_OK && kp != NULL && line == 0);
	CHECK(kp != NULL && keystr_public_encode(pub, kp->pk, KEY_AGE) == FBV_OK);
	CHECK(strcmp(pub, AGE_SPEC_RECIPIENT) == 0);
	x25519_keypair_free(kp);
}

static void
test_identity_errors(void)
{
	unsigned char key[32] = { 7 };
	char s31[BECH32_MAX + 1], text[512], pub[FBV_PUBLIC_STR_LEN + 1], sec[FBV_SECRET_STR_LEN + 1];
	char *big;

	CHECK(keystr_public_encode(pub, key, KEY_FBV) == FBV_OK);
	CHECK(keystr_secret_encode(sec, key, KEY_FBV) == FBV_OK);
	expect_parse("", FBV_ERR_NO_KEY, 0);
	expect_parse("# only\n#comments\n\n", FBV_ERR_NO_KEY, 0);
	snprintf(text, sizeof(text), "# two\n%s\n\n%s\n", sec, AGE_SPEC_IDENTITY);
	expect_parse(text, FBV_ERR_MANY_KEYS, 4);
	snprintf(text, sizeof(text), "%s\n%s\n", sec, sec);
	expect_parse(text, FBV_ERR_MANY_KEYS, 2);
	snprintf(text, sizeof(text), "#\n#\n%s\n", sec);
	text[4 + 30] = text[4 + 30] == 'Q' ? 'P' : 'Q';
	expect_parse(text, FBV_ERR_KEY_CHECKSUM, 3);
	snprintf(text, sizeof(text), "# a public key, not an identity\n%s\n", pub);
	expect_parse(text, FBV_ERR_KEY_PREFIX, 2);
	expect_parse(AGE_SPEC_RECIPIENT "\n", FBV_ERR_KEY_PREFIX, 1);
	make_string(s31, "fbv-secret-key-", key, 31, true, 0);
	snprintf(text, sizeof(text), "\n%s\n", s31);
	expect_parse(text, FBV_ERR_KEY_LENGTH, 2);
	snprintf(text, sizeof(text), "%s\ngarbage\n", sec);
	expect_parse(text, FBV_ERR_KEY_FORMAT, 2);
	snprintf(text, sizeof(text), "%s \n", sec);
	expect_parse(text, FBV_ERR_KEY_FORMAT, 1);
	snprintf(text, sizeof(text), "%s\r", sec);
	expect_parse(text, FBV_ERR_KEY_FORMAT, 1);
	expect_parse("  # an indented comment is not one\n", FBV_ERR_KEY_FORMAT, 1);
	if ((big = malloc(FBV_IDENTITY_FILE_MAX + 1)) == NULL)
		abort();
	memset(big, '#', FBV_IDENTITY_FILE_MAX);
	big[FBV_IDENTITY_FILE_MAX - FBV_SECRET_STR_LEN - 1] = '\n';
	memcpy(big + FBV_IDENTITY_FILE_MAX - FBV_SECRET_STR_LEN, sec, FBV_SECRET_STR_LEN);
	big[FBV_IDENTITY_FILE_MAX] = '\0';
	expect_parse(big, FBV_OK, 0);
	big[FBV_IDENTITY_FILE_MAX] = '\n';
	{
		struct x25519_keypair *kp = NULL;
		size_t line = 9;

		CHECK(identity_parse(&kp, &line, US(big), FBV_IDENTITY_FILE_MAX + 1) == FBV_ERR_TOO_LARGE);
		CHECK(kp == NULL && line == 0);
		CHECK(identity_parse(&kp, &line, NULL, 1) == FBV_ERR_INVALID);
	}
	free(big);
}

static void
test_identity(void)
{
	test_identity_good();
	test_identity_age_file();
	test_identity_errors();
}

/* ---- age's own vectors ---- */

/* age's X25519 unwrap (C2SP age.md), written here from the spec: the age
 * vectors then check our decoding of age identities end to end. */
static int
age_unwrap(unsigned char file_key[16], const unsigned char share[32],
    const unsigned char body[32], const struct x25519_keypair *kp)
{
	static const unsigned char nonce[12];
	unsigned char shared[32], salt[64], key[32];

	if (crypto_scalarmult(shared, kp->sk, share) != 0)
		return -1;
	memcpy(salt, share, 32);
	memcpy(salt + 32, kp->pk, 32);
	if (hkdf_sha256(key, 32, shared, 32, salt, 64, US("age-encryption.org/v1/X25519"), 28) != FBV_OK)
		return -1;
	return crypto_aead_chacha20poly1305_ietf_decrypt(file_key, NULL, NULL, body, 32,
	    NULL, 0, nonce, key);
}

static struct x25519_keypair *
identity_of(const char *s)
{
	struct x25519_keypair *kp = NULL;
	size_t line;

	if (identity_parse(&kp, &line, US(s), strlen(s)) != FBV_OK)
		return NULL;
	return kp;
}

static void
test_age_spec_pair(void)
{
	struct x25519_keypair *kp = identity_of(AGE_SPEC_IDENTITY);
	unsigned char pk[32], sk[32];
	char s[FBV_SECRET_STR_LEN + 1];
	enum key_flavor f = KEY_FBV;

	CHECK(kp != NULL);
	if (kp == NULL)
		return;
	CHECK(keystr_public_encode(s, kp->pk, KEY_AGE) == FBV_OK && strcmp(s, AGE_SPEC_RECIPIENT) == 0);
	CHECK(keystr_public_decode(pk, &f, AGE_SPEC_RECIPIENT, strlen(AGE_SPEC_RECIPIENT)) == FBV_OK);
	CHECK(f == KEY_AGE && memcmp(pk, kp->pk, 32) == 0);
	CHECK(keystr_secret_encode(s, kp->sk, KEY_AGE) == FBV_OK && strcmp(s, AGE_SPEC_IDENTITY) == 0);
	/* The same key as an fbvault identity. */
	CHECK(keystr_secret_encode(s, kp->sk, KEY_FBV) == FBV_OK);
	CHECK(keystr_secret_decode(sk, &f, s, strlen(s)) == FBV_OK && f == KEY_FBV);
	CHECK(memcmp(sk, kp->sk, 32) == 0);
	x25519_keypair_free(kp);
}

/* C2SP/CCTV age/testdata/x25519: the identity opens the stanza to
 * "YELLOW SUBMARINE". Its recipient, from age-keygen -y (age 1.1.1). */
static void
test_age_cctv(void)
{
	struct x25519_keypair *kp =
	    identity_of("AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0");
	unsigned char share[32], body[32], file_key[16];
	char s[FBV_PUBLIC_STR_LEN + 1];

	CHECK(kp != NULL);
	if (kp == NULL)
		return;
	CHECK(keystr_public_encode(s, kp->pk, KEY_AGE) == FBV_OK);
	CHECK(strcmp(s, "age1xmwwc06ly3ee5rytxm9mflaz2u56jjj36s0mypdrwsvlul66mv4q47ryef") == 0);
	unb64(share, sizeof(share), "TEiF0ypqr+bpvcqXNyCVJpL7OuwPdVwPL7KQEbFDOCc");
	unb64(body, sizeof(body), "hjabGXwSLQ9c3S6Lw2i+S2Tu2fiwQHHslbBN6B41FLE");
	CHECK(age_unwrap(file_key, share, body, kp) == 0);
	CHECK(memcmp(file_key, "YELLOW SUBMARINE", 16) == 0);
	body[0] ^= 1;
	CHECK(age_unwrap(file_key, share, body, kp) == -1);
	/* CCTV x25519_low_order and x25519_identity: shares with no secret. */
	unb64(share, sizeof(share), "X5yVvKNQjCSx0LFVnIPvWwREXMRYHI6G2CJO3dCfEdc");
	CHECK(age_unwrap(file_key, share, body, kp) == -1);
	x25519_keypair_free(kp);
}

static void
test_age_vectors(void)
{
	test_age_spec_pair();
	test_age_cctv();
}

/* ---- Against the real age-keygen ---- */

/* Runs argv, stdout into out (NUL-terminated), stderr discarded. */
static int
run(char *const argv[], char *out, size_t cap)
{
	int fd[2], status;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	if (pipe(fd) != 0 || (pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(fd[1], 1);
		dup2(null, 2);
		close(fd[0]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fd[1]);
	while (len + 1 < cap && (n = read(fd[0], out + len, cap - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	close(fd[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* age-keygen's key, read by us: our public key is the one it printed. */
static void
age_to_us(const char *path)
{
	char out[1024], pub[FBV_PUBLIC_STR_LEN + 1], *comment;
	char *argv[] = { (char *)(uintptr_t)path, NULL };
	struct x25519_keypair *kp;

	CHECK(run(argv, out, sizeof(out)) == 0);
	CHECK((kp = identity_of(out)) != NULL);
	comment = strstr(out, "# public key: ");
	CHECK(comment != NULL);
	if (kp == NULL || comment == NULL)
		return;
	CHECK(keystr_public_encode(pub, kp->pk, KEY_AGE) == FBV_OK);
	CHECK(strncmp(comment + 14, pub, FBV_PUBLIC_STR_LEN) == 0 && comment[14 + FBV_PUBLIC_STR_LEN] == '\n');
	x25519_keypair_free(kp);
}

/* Our key, read by age-keygen -y: it derives our public key. */
static void
us_to_age(const char *path)
{
	struct x25519_keypair *kp = new_keypair();
	char file[] = "/tmp/fbvault-age-XXXXXX", out[256], pub[FBV_PUBLIC_STR_LEN + 1];
	char *argv[] = { (char *)(uintptr_t)path, (char *)(uintptr_t)"-y", file, NULL };
	struct sbuf b;
	int fd;

	sbuf_init(&b, 4096);
	CHECK(identity_format(&b, kp, KEY_AGE) == FBV_OK);
	CHECK((fd = mkstemp(file)) >= 0);
	CHECK(fd >= 0 && write(fd, b.data, b.len) == (ssize_t)b.len && close(fd) == 0);
	CHECK(run(argv, out, sizeof(out)) == 0);
	unlink(file);
	CHECK(keystr_public_encode(pub, kp->pk, KEY_AGE) == FBV_OK);
	CHECK(strlen(out) == FBV_PUBLIC_STR_LEN + 1 && strncmp(out, pub, FBV_PUBLIC_STR_LEN) == 0);
	sbuf_free(&b);
	x25519_keypair_free(kp);
}

static int
test_age_keygen(const char *path)
{
	int i;

	if (path == NULL || *path == '\0' || access(path, X_OK) != 0) {
		printf("SKIP: age-keygen not found (install the age package: apt-get install "
		    "age); keys were not checked against the real age\n");
		return 77;
	}
	for (i = 0; i < 16; i++) {
		age_to_us(path);
		us_to_age(path);
	}
	return -1;
}

int
main(int argc, char **argv)
{
	static const struct { const char *name; void (*fn)(void); } tests[] = {
		{ "hkdf", test_hkdf }, { "stanza", test_stanza }, { "bech32", test_bech32 },
		{ "keystr", test_keystr }, { "identity", test_identity },
		{ "age-vectors", test_age_vectors },
	};
	size_t i;
	int ran = 0, r;

	if (sodium_init() < 0)
		return 1;
	if (argc >= 2 && strcmp(argv[1], "age-keygen") == 0) {
		if ((r = test_age_keygen(argc >= 3 ? argv[2] : NULL)) == 77)
			return 77;
		ran = 1;
	}
	for (i = 0; i < LEN(tests); i++) {
		if (argc < 2 || strcmp(argv[1], tests[i].name) == 0) {
			tests[i].fn();
			ran = 1;
		}
	}
	if (!ran) {
		fprintf(stderr, "unknown subtest %s\n", argv[1]);
		return 2;
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed == 0 && passed > 0 ? 0 : 1;
}
