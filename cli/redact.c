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

/* A string's inside, s[0..n), with secrets and credential parameters out. */
static int
put_inside(struct sbuf *out, const unsigned char *s, size_t n, const struct sbuf *secrets,
    size_t ns)
{
	size_t k = 0, m;
	bool param;
	int r = FBV_OK;

	while (k < n && r == FBV_OK) {
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
		if (pending && !(k < len && in[k] == ':')) {
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
