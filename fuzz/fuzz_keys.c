/* The key-string decoders, the identity-file parser and Bech32 itself,
 * each against round-trip properties (crypto/keyformat.h).
 *
 * Input: one selector byte, then the text. Selector mod 4:
 *   0: keystr_public_decode(): a key it accepts is 62 characters, of one
 *      case, and re-encodes (in the flavor it reports) to the input, lower-
 *      cased; a stanza wrapped to it is made or refused as low-order
 *   1: keystr_secret_decode(): likewise, 74 characters, upper case; its
 *      key pair opens a stanza wrapped to its public key
 *   2: identity_parse(): an accepted file holds its key's canonical string
 *      (in some case) as a whole line, and identity_format() of the key
 *      parses back to it; a refused one names a line that exists
 *   3: bech32_decode(): an accepted string re-encodes to itself, byte for
 *      byte; groups that regroup to bytes regroup back to themselves
 * Any other error than the documented ones is a finding too.
 *
 * Stand-alone, for now outside fuzz/build and fuzz/run:
 *   clang -fsanitize=fuzzer,address -I. fuzz/fuzz_keys.c crypto/[a-z]*.c \
 *       $(pkg-config --cflags --libs libsodium) */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto/bech32.h"
#include "crypto/errors.h"
#include "crypto/identity.h"
#include "crypto/keystr.h"
#include "crypto/recipient.h"
#include "fuzz/fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	FUZZ_CHECK(sodium_init() >= 0);
	return 0;
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

static bool
caseeq(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lower(a[i]) != lower(b[i]))
			return false;
	return true;
}

static bool
one_case(const char *s, size_t n)
{
	bool up = false, lo = false;
	size_t i;

	for (i = 0; i < n; i++) {
		up |= s[i] >= 'A' && s[i] <= 'Z';
		lo |= s[i] >= 'a' && s[i] <= 'z';
	}
	return !(up && lo);
}

static bool
key_error(int r)
{
	return r == FBV_ERR_KEY_FORMAT || r == FBV_ERR_KEY_PREFIX ||
	    r == FBV_ERR_KEY_CHECKSUM || r == FBV_ERR_KEY_LENGTH;
}

/* A stanza to pk is made unless pk is of low order; kp, when given, opens it. */
static void
check_stanza(const unsigned char pk[FBV_X25519_BYTES], const struct x25519_keypair *kp)
{
	unsigned char dk[FBV_KEY_BYTES] = { 1, 2, 3 }, out[FBV_KEY_BYTES];
	unsigned char body[FBV_STANZA_BYTES];
	int r = stanza_wrap(body, dk, pk, (const unsigned char *)"ctx", 3);

	FUZZ_CHECK(r == FBV_OK || r == FBV_ERR_INVALID);
	if (r != FBV_OK || kp == NULL)
		return;
	FUZZ_CHECK(stanza_unwrap(out, body, sizeof(body), kp, (const unsigned char *)"ctx", 3) == FBV_OK);
	FUZZ_CHECK(memcmp(out, dk, sizeof(dk)) == 0);
}

static void
fuzz_public(const char *s, size_t n)
{
	unsigned char pk[FBV_X25519_BYTES];
	char again[FBV_PUBLIC_STR_LEN + 1];
	enum key_flavor f = (enum key_flavor)7;
	int r = keystr_public_decode(pk, &f, s, n);

	if (r != FBV_OK) {
		FUZZ_CHECK(key_error(r) && sodium_is_zero(pk, sizeof(pk)));
		return;
	}
	FUZZ_CHECK(n == FBV_PUBLIC_STR_LEN && one_case(s, n));
	FUZZ_CHECK(f == KEY_FBV || f == KEY_AGE);
	FUZZ_CHECK(keystr_public_encode(again, pk, f) == FBV_OK);
	FUZZ_CHECK(strlen(again) == n && caseeq(again, s, n));
	check_stanza(pk, NULL);
}

static void
fuzz_secret(const char *s, size_t n)
{
	unsigned char sk[FBV_X25519_BYTES];
	char again[FBV_SECRET_STR_LEN + 1];
	enum key_flavor f = (enum key_flavor)7;
	struct x25519_keypair *kp = NULL;
	int r = keystr_secret_decode(sk, &f, s, n);

	if (r != FBV_OK) {
		FUZZ_CHECK(key_error(r) && sodium_is_zero(sk, sizeof(sk)));
		return;
	}
	FUZZ_CHECK(n == FBV_SECRET_STR_LEN && one_case(s, n));
	FUZZ_CHECK(f == KEY_FBV || f == KEY_AGE);
	FUZZ_CHECK(keystr_secret_encode(again, sk, f) == FBV_OK);
	FUZZ_CHECK(strlen(again) == n && caseeq(again, s, n));
	FUZZ_CHECK(x25519_keypair_from_secret(&kp, sk) == FBV_OK);
	check_stanza(kp->pk, kp);
	x25519_keypair_free(kp);
}

/* Does s[0, n) hold want (n characters, any one case) as a whole line? */
static bool
has_line(const char *s, size_t n, const char *want, size_t wn)
{
	size_t i;

	for (i = 0; i + wn <= n; i++) {
		if ((i == 0 || s[i - 1] == '\n') && caseeq(s + i, want, wn) &&
		    (i + wn == n || s[i + wn] == '\n' || s[i + wn] == '\r'))
			return true;
	}
	return false;
}

static size_t
count_lines(const char *s, size_t n)
{
	size_t i, lines = n > 0;

	for (i = 0; i + 1 < n; i++)
		lines += s[i] == '\n';
	return lines;
}

static void
check_identity_ok(const char *s, size_t n, const struct x25519_keypair *kp)
{
	char fbv[FBV_SECRET_STR_LEN + 1], age[FBV_SECRET_STR_LEN + 1];
	struct x25519_keypair *back = NULL;
	unsigned char pk[FBV_X25519_BYTES];
	struct sbuf b;
	size_t line = 1;

	FUZZ_CHECK(crypto_scalarmult_base(pk, kp->sk) == 0 && memcmp(pk, kp->pk, sizeof(pk)) == 0);
	FUZZ_CHECK(keystr_secret_encode(fbv, kp->sk, KEY_FBV) == FBV_OK);
	FUZZ_CHECK(keystr_secret_encode(age, kp->sk, KEY_AGE) == FBV_OK);
	FUZZ_CHECK(has_line(s, n, fbv, FBV_SECRET_STR_LEN) || has_line(s, n, age, FBV_SECRET_STR_LEN));
	sbuf_init(&b, 4096);
	FUZZ_CHECK(identity_format(&b, kp, KEY_FBV) == FBV_OK);
	FUZZ_CHECK(identity_parse(&back, &line, b.data, b.len) == FBV_OK && line == 0);
	FUZZ_CHECK(memcmp(back->sk, kp->sk, sizeof(kp->sk)) == 0);
	x25519_keypair_free(back);
	sbuf_free(&b);
}

static void
fuzz_identity(const char *s, size_t n)
{
	struct x25519_keypair *kp = NULL;
	size_t line = 12345;
	int r = identity_parse(&kp, &line, (const unsigned char *)s, n);

	if (r == FBV_OK) {
		FUZZ_CHECK(kp != NULL && line == 0);
		check_identity_ok(s, n, kp);
		x25519_keypair_free(kp);
		return;
	}
	FUZZ_CHECK(kp == NULL);
	if (r == FBV_ERR_NO_KEY || r == FBV_ERR_TOO_LARGE)
		FUZZ_CHECK(line == 0 && (r == FBV_ERR_TOO_LARGE) == (n > FBV_IDENTITY_FILE_MAX));
	else
		FUZZ_CHECK((key_error(r) || r == FBV_ERR_MANY_KEYS) &&
		    line >= 1 && line <= count_lines(s, n));
}

static void
fuzz_bech32(const char *s, size_t n)
{
	struct bech32 b;
	char again[BECH32_MAX + 1];
	unsigned char bytes[BECH32_DATA_MAX], groups[BECH32_DATA_MAX + 1];
	size_t len;
	int r = bech32_decode(&b, s, n);

	if (r != FBV_OK) {
		FUZZ_CHECK(key_error(r) && r != FBV_ERR_KEY_PREFIX);
		return;
	}
	FUZZ_CHECK(bech32_encode(again, sizeof(again), b.hrp, b.data, b.datalen, b.upper) == FBV_OK);
	FUZZ_CHECK(strlen(again) == n && memcmp(again, s, n) == 0);
	r = bech32_bytes(bytes, sizeof(bytes), &len, b.data, b.datalen);
	FUZZ_CHECK(r == FBV_OK || r == FBV_ERR_KEY_FORMAT || r == FBV_ERR_KEY_LENGTH);
	if (r != FBV_OK)
		return;
	FUZZ_CHECK(bech32_groups(groups, bytes, len) == b.datalen);
	FUZZ_CHECK(memcmp(groups, b.data, b.datalen) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static void (*const targets[])(const char *, size_t) = {
		fuzz_public, fuzz_secret, fuzz_identity, fuzz_bech32,
	};

	if (size < 1)
		return 0;
	targets[data[0] % 4]((const char *)data + 1, size - 1);
	return 0;
}
