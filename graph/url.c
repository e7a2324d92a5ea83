#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "../crypto/errors.h"
#include "url.h"

static bool
host_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '.';
}

static bool
ipv6_char(char c)
{
	return isxdigit((unsigned char)c) || c == ':' || c == '.';
}

/* Printable ASCII without space and backslash: nothing that a URL
 * parser might read differently from ours. */
static bool
url_chars_ok(const char *s, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (s[k] <= ' ' || s[k] > '~' || s[k] == '\\')
			return false;
	return true;
}

static int
scheme(const char *url, struct url_origin *o, size_t *off)
{
	if (strncasecmp(url, "https://", 8) == 0) {
		o->https = true;
		*off = 8;
	} else if (strncasecmp(url, "http://", 7) == 0) {
		o->https = false;
		*off = 7;
	} else {
		return FBV_ERR_INVALID;
	}
	o->port = o->https ? 443 : 80;
	return FBV_OK;
}

static int
host(const char *s, size_t n, struct url_origin *o, size_t *used)
{
	size_t k = 0;

	if (n > 0 && s[0] == '[') {
		for (k = 1; k < n && s[k] != ']'; k++)
			if (!ipv6_char(s[k]))
				return FBV_ERR_INVALID;
		if (k == n || k == 1)
			return FBV_ERR_INVALID;
		k++;
	} else {
		while (k < n && host_char(s[k]))
			k++;
	}
	if (k == 0 || k >= sizeof(o->host))
		return FBV_ERR_INVALID;
	for (*used = 0; *used < k; (*used)++)
		o->host[*used] = (char)tolower((unsigned char)s[*used]);
	o->host[k] = '\0';
	return FBV_OK;
}

static int
port(const char *s, size_t n, struct url_origin *o)
{
	unsigned v = 0;
	size_t k;

	if (n == 0)
		return FBV_OK;
	if (s[0] != ':' || n < 2 || n > 6)
		return FBV_ERR_INVALID;
	for (k = 1; k < n; k++) {
		if (s[k] < '0' || s[k] > '9')
			return FBV_ERR_INVALID;
		v = v * 10 + (unsigned)(s[k] - '0');
	}
	if (v == 0 || v > 65535)
		return FBV_ERR_INVALID;
	o->port = v;
	return FBV_OK;
}

int
url_parse(const char *url, struct url_origin *o, size_t *path_off)
{
	size_t len = strnlen(url, URL_MAX + 1), off, auth, used;
	int r;

	if (len > URL_MAX || !url_chars_ok(url, len) || strchr(url, '#') != NULL)
		return FBV_ERR_INVALID;
	if ((r = scheme(url, o, &off)) != FBV_OK)
		return r;
	auth = strcspn(url + off, "/?");
	if (memchr(url + off, '@', auth) != NULL)
		return FBV_ERR_INVALID;
	if ((r = host(url + off, auth, o, &used)) != FBV_OK ||
	    (r = port(url + off + used, auth - used, o)) != FBV_OK)
		return r;
	*path_off = off + auth;
	return FBV_OK;
}

bool
url_same_origin(const struct url_origin *a, const struct url_origin *b)
{
	return a->https == b->https && a->port == b->port && strcmp(a->host, b->host) == 0;
}

static bool
dotted_quad_127(const char *h)
{
	unsigned octet[4], k, v;
	int digits;

	for (k = 0; k < 4; k++) {
		for (v = 0, digits = 0; *h >= '0' && *h <= '9' && digits < 4; h++, digits++)
			v = v * 10 + (unsigned)(*h - '0');
		if (digits == 0 || digits > 3 || v > 255 || *h != (k < 3 ? '.' : '\0'))
			return false;
		octet[k] = v;
		h++;
	}
	return octet[0] == 127;
}

bool
url_host_is_loopback(const char *h)
{
	return strcmp(h, "localhost") == 0 || strcmp(h, "[::1]") == 0 || dotted_quad_127(h);
}

int
url_put(struct sbuf *b, const char *s)
{
	return sbuf_put(b, s, strlen(s));
}

int
url_put_escaped(struct sbuf *b, const void *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = s;
	unsigned char esc[3];
	size_t k;
	int r = FBV_OK;

	for (k = 0; k < len && r == FBV_OK; k++) {
		if (isalnum(p[k]) || p[k] == '-' || p[k] == '.' || p[k] == '_' || p[k] == '~') {
			r = sbuf_put_u8(b, p[k]);
			continue;
		}
		esc[0] = '%';
		esc[1] = (unsigned char)hex[p[k] >> 4];
		esc[2] = (unsigned char)hex[p[k] & 0xf];
		r = sbuf_put(b, esc, sizeof(esc));
	}
	return r;
}

int
url_param(struct sbuf *b, bool first, const char *name, const void *value, size_t len)
{
	int r;

	if ((r = url_put(b, first ? "?" : "&")) != FBV_OK ||
	    (r = url_put(b, name)) != FBV_OK ||
	    (r = url_put(b, "=")) != FBV_OK)
		return r;
	return url_put_escaped(b, value, len);
}

int
form_param(struct sbuf *b, const char *name, const void *value, size_t len)
{
	int r;

	if ((b->len > 0 && (r = url_put(b, "&")) != FBV_OK) ||
	    (r = url_put(b, name)) != FBV_OK ||
	    (r = url_put(b, "=")) != FBV_OK)
		return r;
	return url_put_escaped(b, value, len);
}

int
url_finish(struct sbuf *b)
{
	int r;

	if ((r = sbuf_put_u8(b, '\0')) != FBV_OK)
		return r;
	b->len--;
	return FBV_OK;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Whether the parameter name in s[0..n) percent-decodes to name. */
static bool
param_name_is(const char *s, size_t n, const char *name)
{
	size_t k = 0;
	int hi, lo;
	char c;

	for (; *name != '\0'; name++) {
		if (k >= n)
			return false;
		c = s[k++];
		if (c == '%') {
			if (n - k < 2 || (hi = hexval(s[k])) < 0 || (lo = hexval(s[k + 1])) < 0)
				return false;
			c = (char)(hi << 4 | lo);
			k += 2;
		}
		if (c != *name)
			return false;
	}
	return k == n;
}

static bool
is_credential(const char *param, size_t n)
{
	size_t name = strcspn(param, "=&");

	if (name > n)
		name = n;
	return param_name_is(param, name, "access_token") ||
	    param_name_is(param, name, "appsecret_proof");
}

int
url_next(const struct url_origin *base, const char *next, struct sbuf *out, bool *has_query)
{
	struct url_origin o;
	const char *q, *p;
	size_t n;
	int r;

	sbuf_reset(out);
	*has_query = false;
	if ((r = url_parse(next, &o, &n)) != FBV_OK)
		return r;
	if (!url_same_origin(&o, base))
		return FBV_ERR_PROTOCOL;
	q = strchr(next, '?');
	if ((r = sbuf_put(out, next, q != NULL ? (size_t)(q - next) : strlen(next))) != FBV_OK)
		return r;
	for (p = q; p != NULL && *p != '\0'; p += n) {
		p++;                            /* the '?' or '&' */
		n = strcspn(p, "&");
		if (n == 0 || is_credential(p, n))
			continue;
		if ((r = sbuf_put_u8(out, *has_query ? '&' : '?')) != FBV_OK ||
		    (r = sbuf_put(out, p, n)) != FBV_OK)
			return r;
		*has_query = true;
	}
	return url_finish(out);
}
