#include <stdbool.h>
#include <string.h>

#include "../crypto/errors.h"
#include "redact.h"

static const char *const credential_names[] = { "access_token", "appsecret_proof" };

static bool
is_credential(const unsigned char *s, size_t n)
{
	size_t k;

	for (k = 0; k < sizeof(credential_names) / sizeof(*credential_names); k++)
		if (strlen(credential_names[k]) == n && memcmp(credential_names[k], s, n) == 0)
			return true;
	return false;
}

/* The end of the string whose opening quote is at i: its closing quote. */
static size_t
string_end(const unsigned char *in, size_t len, size_t i)
{
	for (i++; i < len && in[i] != '"'; i++)
		if (in[i] == '\\')
			i++;
	return i < len ? i : len;
}

/* How many bytes at s match a secret, or a credential parameter's name and
 * '=' (then *param is set); 0 when none. */
static size_t
match(const unsigned char *s, size_t n, const struct sbuf *secrets, size_t ns, bool *param)
{
	size_t k, m;

	*param = false;
	for (k = 0; k < ns; k++)
		if (secrets[k].len > 0 && secrets[k].len <= n &&
		    memcmp(s, secrets[k].data, secrets[k].len) == 0)
			return secrets[k].len;
	for (k = 0; k < sizeof(credential_names) / sizeof(*credential_names); k++) {
		m = strlen(credential_names[k]);
		if (m < n && memcmp(s, credential_names[k], m) == 0 && s[m] == '=') {
			*param = true;
			return m + 1;
		}
	}
	return 0;
}

/* The length of the escape sequence at s (\uXXXX or \c). */
static size_t
escape_len(const unsigned char *s, size_t n)
{
	size_t m = n > 1 && s[1] == 'u' ? 6 : 2;

	return m < n ? m : n;
}

/* A string's inside, s[0..n), with secrets and credential parameters out.
 * An escape sequence is copied whole: a match never starts inside one. */
static int
put_inside(struct sbuf *out, const unsigned char *s, size_t n, const struct sbuf *secrets,
    size_t ns)
{
	size_t k = 0, m;
	bool param;
	int r = FBV_OK;

	while (k < n && r == FBV_OK) {
		if (s[k] == '\\') {
			m = escape_len(s + k, n - k);
			r = sbuf_put(out, s + k, m);
			k += m;
			continue;
		}
		if ((m = match(s + k, n - k, secrets, ns, &param)) == 0) {
			r = sbuf_put_u8(out, s[k++]);
			continue;
		}
		if (param && (r = sbuf_put(out, s + k, m)) != FBV_OK)
			break;
		r = sbuf_put(out, REDACTED, strlen(REDACTED));
		k += m;
		if (param)
			while (k < n && s[k] != '&' && s[k] != '\\')
				k++;
	}
	return r;
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (unsigned char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* \uXXXX at s (6 bytes there), as a UTF-16 unit; -1 when malformed. */
static long
unit_at(const unsigned char *s, size_t n)
{
	long v = 0;
	int k, h;

	if (n < 6 || s[0] != '\\' || s[1] != 'u')
		return -1;
	for (k = 2; k < 6; k++) {
		if ((h = hexval(s[k])) < 0)
			return -1;
		v = v << 4 | h;
	}
	return v;
}

static int
put_utf8(struct sbuf *b, unsigned long c)
{
	unsigned char u[4];
	size_t n;

	if (c < 0x80) {
		u[0] = (unsigned char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (unsigned char)(0xc0 | c >> 6);
		u[1] = (unsigned char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (unsigned char)(0xe0 | c >> 12);
		u[1] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		u[2] = (unsigned char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xf0 | c >> 18);
		u[1] = (unsigned char)(0x80 | (c >> 12 & 0x3f));
		u[2] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		u[3] = (unsigned char)(0x80 | (c & 0x3f));
		n = 4;
	}
	return sbuf_put(b, u, n);
}

/* A string's inside decoded into b (JSON escapes; what does not decode is
 * kept as it is: this only looks for secrets). */
static int
decode(const unsigned char *s, size_t n, struct sbuf *b)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *p;
	size_t k = 0;
	long hi, lo;
	int r = FBV_OK;

	while (k < n && r == FBV_OK) {
		if (s[k] != '\\' || k + 1 >= n) {
			r = sbuf_put_u8(b, s[k++]);
		} else if ((hi = unit_at(s + k, n - k)) >= 0xd800 && hi < 0xdc00 &&
		    (lo = unit_at(s + k + 6, n - k - 6)) >= 0xdc00 && lo < 0xe000) {
			r = put_utf8(b, 0x10000 + ((unsigned long)(hi - 0xd800) << 10) +
			    (unsigned long)(lo - 0xdc00));
			k += 12;
		} else if (hi >= 0) {
			r = put_utf8(b, (unsigned long)hi);
			k += 6;
		} else if ((p = strchr(from, s[k + 1])) != NULL && s[k + 1] != '\0') {
			r = sbuf_put_u8(b, (unsigned char)to[p - from]);
			k += 2;
		} else {
			r = sbuf_put_u8(b, s[k++]);
		}
	}
	return r;
}

/* Whether the escaped string s[0..n), decoded, holds a secret: escapes
 * can split a secret that the raw text does not show whole. */
static bool
escaped_secret(const unsigned char *s, size_t n, const struct sbuf *secrets, size_t ns)
{
	struct sbuf b;
	bool found = false;
	size_t k;

	if (memchr(s, '\\', n) == NULL)
		return false;
	sbuf_init(&b, n + 1);
	if (decode(s, n, &b) != FBV_OK)
		found = true;   /* cannot tell: hide it */
	for (k = 0; k < ns && !found; k++)
		found = secrets[k].len > 0 && b.len >= secrets[k].len &&
		    memmem(b.data, b.len, secrets[k].data, secrets[k].len) != NULL;
	sbuf_free(&b);
	return found;
}

int
redact_json(const unsigned char *in, size_t len, const struct sbuf *secrets, size_t n,
    struct sbuf *out)
{
	bool pending = false;   /* the last key was a credential's */
	size_t i = 0, e, k;
	int r = FBV_OK;

	sbuf_reset(out);
	while (i < len && r == FBV_OK) {
		if (in[i] != '"') {
			if (in[i] != ' ' && in[i] != '\t' && in[i] != '\n' && in[i] != '\r' && in[i] != ':')
				pending = false;
			r = sbuf_put_u8(out, in[i++]);
			continue;
		}
		e = string_end(in, len, i);
		for (k = e + 1; k < len && (in[k] == ' ' || in[k] == '\t' || in[k] == '\n' ||
		    in[k] == '\r'); k++)
			;
		if ((pending && !(k < len && in[k] == ':')) ||
		    escaped_secret(in + i + 1, e - i - 1, secrets, n)) {
			r = sbuf_put(out, "\"" REDACTED "\"", strlen(REDACTED) + 2);
			pending = false;
		} else {
			if (k < len && in[k] == ':')
				pending = is_credential(in + i + 1, e - i - 1);
			if ((r = sbuf_put_u8(out, '"')) == FBV_OK &&
			    (r = put_inside(out, in + i + 1, e - i - 1, secrets, n)) == FBV_OK && e < len)
				r = sbuf_put_u8(out, '"');
		}
		i = e + 1;
	}
	return r;
}
