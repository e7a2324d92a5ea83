#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define JSMN_HEADER
#define JSMN_STRICT
#define JSMN_PARENT_LINKS
#include <jsmn.h>

#include "../crypto/errors.h"
#include "json.h"

struct json_tokens {
	jsmntok_t *tok;
	int *next;              /* the index just past each value's subtree */
};

static const jsmntok_t *
tok_at(const struct json *j, int i)
{
	if (j->t == NULL || i < 0 || i >= j->ntok)
		return NULL;
	return &j->t->tok[i];
}

/* jsmn's string tokens exclude the quotes; the checks below need them. */
static int
raw_start(const jsmntok_t *t)
{
	return t->type == JSMN_STRING ? t->start - 1 : t->start;
}

static int
raw_end(const jsmntok_t *t)
{
	return t->type == JSMN_STRING ? t->end + 1 : t->end;
}

size_t
utf8_seq_len(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, k;

	if (n == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (k = 2; k < len; k++)
		if (s[k] < 0x80 || s[k] > 0xbf)
			return 0;
	return len;
}

bool
utf8_valid(const unsigned char *s, size_t n)
{
	size_t i, len;

	for (i = 0; i < n; i += len)
		if ((len = utf8_seq_len(s + i, n - i)) == 0)
			return false;
	return true;
}

static size_t
utf8_put(unsigned char out[4], uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (unsigned char)(0xc0 | (cp >> 6));
		out[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (unsigned char)(0xe0 | (cp >> 12));
		out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (unsigned char)(0xf0 | (cp >> 18));
	out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

static int
hex4(const unsigned char *s, const unsigned char *e, uint32_t *out)
{
	uint32_t v = 0;
	int k, d;

	if (e - s < 4)
		return -1;
	for (k = 0; k < 4; k++) {
		if (s[k] >= '0' && s[k] <= '9')
			d = s[k] - '0';
		else if (s[k] >= 'a' && s[k] <= 'f')
			d = s[k] - 'a' + 10;
		else if (s[k] >= 'A' && s[k] <= 'F')
			d = s[k] - 'A' + 10;
		else
			return -1;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return 0;
}

/* \uXXXX at *sp (just past the 'u'), with a following low surrogate when
 * XXXX is a high one. NUL and unpaired surrogates are refused. */
static int
unescape_u(const unsigned char **sp, const unsigned char *e, uint32_t *cp)
{
	const unsigned char *s = *sp;
	uint32_t hi, lo;

	if (hex4(s, e, &hi) != 0 || hi == 0 || (hi >= 0xdc00 && hi <= 0xdfff))
		return -1;
	s += 4;
	if (hi >= 0xd800 && hi <= 0xdbff) {
		if (e - s < 2 || s[0] != '\\' || s[1] != 'u' ||
		    hex4(s + 2, e, &lo) != 0 || lo < 0xdc00 || lo > 0xdfff)
			return -1;
		s += 6;
		hi = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
	}
	*cp = hi;
	*sp = s;
	return 0;
}

static int
unescape(const unsigned char **sp, const unsigned char *e, uint32_t *cp)
{
	const unsigned char *s = *sp + 1;       /* past the backslash */
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *p;

	if (s >= e)
		return -1;
	if (*s == 'u') {
		*sp = s + 1;
		return unescape_u(sp, e, cp);
	}
	if ((p = memchr(from, *s, sizeof(from) - 1)) == NULL)
		return -1;
	*cp = (unsigned char)to[p - from];
	*sp = s + 1;
	return 0;
}

/* Decodes string token t into out (cap bytes), or only checks it when out
 * is NULL. The decoded form is never longer than the raw one. */
static int
decode(const struct json *j, const jsmntok_t *t, unsigned char *out, size_t cap,
    size_t *outlen)
{
	const unsigned char *s = (const unsigned char *)j->js + t->start;
	const unsigned char *e = (const unsigned char *)j->js + t->end;
	unsigned char u8[4];
	size_t n = 0, ulen;
	uint32_t cp;

	while (s < e) {
		if (*s == '\\') {
			if (unescape(&s, e, &cp) != 0)
				return FBV_ERR_PROTOCOL;
			ulen = utf8_put(u8, cp);
		} else if (*s < 0x20) {
			return FBV_ERR_PROTOCOL;
		} else {
			if ((ulen = utf8_seq_len(s, (size_t)(e - s))) == 0)
				return FBV_ERR_PROTOCOL;
			memcpy(u8, s, ulen);
			s += ulen;
		}
		if (out != NULL) {
			if (ulen > cap - n)
				return FBV_ERR_TOO_LARGE;
			memcpy(out + n, u8, ulen);
		}
		n += ulen;
	}
	*outlen = n;
	return FBV_OK;
}

static bool
digits(const char **sp, const char *e)
{
	const char *s = *sp;

	while (s < e && *s >= '0' && *s <= '9')
		s++;
	if (s == *sp)
		return false;
	*sp = s;
	return true;
}

/* RFC 8259 number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool
number_ok(const char *s, const char *e)
{
	if (s < e && *s == '-')
		s++;
	if (s < e && *s == '0')
		s++;
	else if (s >= e || *s < '1' || *s > '9' || !digits(&s, e))
		return false;
	if (s < e && *s == '.') {
		s++;
		if (!digits(&s, e))
			return false;
	}
	if (s < e && (*s == 'e' || *s == 'E')) {
		s++;
		if (s < e && (*s == '+' || *s == '-'))
			s++;
		if (!digits(&s, e))
			return false;
	}
	return s == e;
}

static bool
literal_is(const struct json *j, const jsmntok_t *t, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(t->end - t->start) == n && memcmp(j->js + t->start, lit, n) == 0;
}

static bool
primitive_ok(const struct json *j, const jsmntok_t *t)
{
	return literal_is(j, t, "true") || literal_is(j, t, "false") ||
	    literal_is(j, t, "null") || number_ok(j->js + t->start, j->js + t->end);
}

static bool
string_ok(const struct json *j, const jsmntok_t *t)
{
	size_t n;

	return decode(j, t, NULL, 0, &n) == FBV_OK;
}

/* Bytes [from, to) hold only whitespace and, when sep is not 0, exactly
 * one sep. */
static bool
gap(const struct json *j, int from, int to, char sep)
{
	bool seen = sep == 0;
	char c;

	if (from > to)
		return false;
	for (; from < to; from++) {
		c = j->js[from];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c != sep || seen)
			return false;
		seen = true;
	}
	return seen;
}

static int walk(struct json *j, int i, int depth);

/* Every byte between a container's brackets must belong to a member or
 * be a separator where one belongs: that, not jsmn's leniency, decides
 * what parses. */
static int
walk_container(struct json *j, int i, int depth)
{
	const jsmntok_t *c = &j->t->tok[i], *key, *val;
	int k = i + 1, pos = c->start + 1, m;

	for (m = 0; m < c->size; m++) {
		if ((key = tok_at(j, k)) == NULL || !gap(j, pos, raw_start(key), m ? ',' : 0))
			return -1;
		if (c->type == JSMN_OBJECT) {
			if (key->type != JSMN_STRING || key->size != 1 || !string_ok(j, key) ||
			    (val = tok_at(j, k + 1)) == NULL ||
			    !gap(j, raw_end(key), raw_start(val), ':'))
				return -1;
			k++;
		}
		val = &j->t->tok[k];
		if ((k = walk(j, k, depth + 1)) < 0)
			return -1;
		pos = raw_end(val);
	}
	return gap(j, pos, c->end - 1, 0) ? k : -1;
}

static int
walk(struct json *j, int i, int depth)
{
	const jsmntok_t *t = tok_at(j, i);
	int k;

	if (t == NULL || depth > JSON_MAX_DEPTH)
		return -1;
	switch (t->type) {
	case JSMN_PRIMITIVE:
		k = primitive_ok(j, t) ? i + 1 : -1;
		break;
	case JSMN_STRING:
		k = t->size == 0 && string_ok(j, t) ? i + 1 : -1;
		break;
	case JSMN_OBJECT:
	case JSMN_ARRAY:
		k = walk_container(j, i, depth);
		break;
	default:
		k = -1;
	}
	if (k > 0)
		j->t->next[i] = k;
	return k;
}

/* jsmn closes a container by walking up from the last token, which is
 * quadratic in the nesting depth: refuse deep bodies before it runs. */
static bool
shallow(const char *js, size_t len)
{
	bool in_string = false;
	int depth = 0;
	size_t k;

	for (k = 0; k < len; k++) {
		if (in_string) {
			if (js[k] == '\\')
				k++;
			else if (js[k] == '"')
				in_string = false;
		} else if (js[k] == '"') {
			in_string = true;
		} else if (js[k] == '{' || js[k] == '[') {
			if (++depth > JSON_MAX_DEPTH + 1)
				return false;
		} else if (js[k] == '}' || js[k] == ']') {
			depth--;
		}
	}
	return true;
}

static int
tokenize(struct json *j)
{
	jsmn_parser p;
	int n;

	if (!shallow(j->js, j->len))
		return FBV_ERR_PROTOCOL;
	jsmn_init(&p);
	n = jsmn_parse(&p, j->js, j->len, NULL, 0);
	if (n <= 0 || n > JSON_MAX_TOKENS)
		return FBV_ERR_PROTOCOL;
	if ((j->t = calloc(1, sizeof(*j->t))) == NULL ||
	    (j->t->tok = calloc((size_t)n, sizeof(*j->t->tok))) == NULL ||
	    (j->t->next = calloc((size_t)n, sizeof(*j->t->next))) == NULL)
		return FBV_ERR_NOMEM;
	jsmn_init(&p);
	if (jsmn_parse(&p, j->js, j->len, j->t->tok, (unsigned int)n) != n)
		return FBV_ERR_PROTOCOL;
	j->ntok = n;
	return FBV_OK;
}

static int
parse_top(struct json *j, const char *js, size_t len, jsmntype_t top)
{
	int r;

	j->js = js;
	j->len = len;
	j->t = NULL;
	j->ntok = 0;
	/* jsmn stops at a NUL and counts in int. */
	if (js == NULL || len == 0 || len > INT_MAX / 2 || memchr(js, '\0', len) != NULL)
		return FBV_ERR_PROTOCOL;
	if ((r = tokenize(j)) != FBV_OK)
		goto out;
	r = FBV_ERR_PROTOCOL;
	if (j->t->tok[0].type != top || walk(j, 0, 0) != j->ntok ||
	    !gap(j, 0, j->t->tok[0].start, 0) || !gap(j, j->t->tok[0].end, (int)len, 0))
		goto out;
	r = FBV_OK;
out:
	if (r != FBV_OK)
		json_free(j);
	return r;
}

int
json_parse(struct json *j, const char *js, size_t len)
{
	return parse_top(j, js, len, JSMN_OBJECT);
}

int
json_parse_array(struct json *j, const char *js, size_t len)
{
	return parse_top(j, js, len, JSMN_ARRAY);
}

void
json_free(struct json *j)
{
	if (j->t != NULL) {
		free(j->t->tok);
		free(j->t->next);
		free(j->t);
	}
	j->t = NULL;
	j->ntok = 0;
}

enum json_type
json_type(const struct json *j, int i)
{
	const jsmntok_t *t = tok_at(j, i);

	if (t == NULL)
		return JSON_NONE;
	switch (t->type) {
	case JSMN_OBJECT: return JSON_OBJECT;
	case JSMN_ARRAY: return JSON_ARRAY;
	case JSMN_STRING: return JSON_STRING;
	case JSMN_PRIMITIVE: return JSON_PRIMITIVE;
	default: return JSON_NONE;
	}
}

int
json_size(const struct json *j, int i)
{
	const jsmntok_t *t = tok_at(j, i);

	return t != NULL && (t->type == JSMN_ARRAY || t->type == JSMN_OBJECT) ? t->size : 0;
}

int
json_next(const struct json *j, int i)
{
	return tok_at(j, i) != NULL ? j->t->next[i] : -1;
}

bool
json_string_is(const struct json *j, int i, const char *s)
{
	const jsmntok_t *t = tok_at(j, i);
	size_t n = strlen(s), rawlen, got;
	unsigned char *tmp;
	bool eq;

	if (t == NULL || t->type != JSMN_STRING)
		return false;
	rawlen = (size_t)(t->end - t->start);
	if (memchr(j->js + t->start, '\\', rawlen) == NULL)
		return rawlen == n && memcmp(j->js + t->start, s, n) == 0;
	if ((tmp = malloc(rawlen)) == NULL)
		return false;
	eq = decode(j, t, tmp, rawlen, &got) == FBV_OK && got == n && memcmp(tmp, s, n) == 0;
	free(tmp);
	return eq;
}

int
json_get(const struct json *j, int obj, const char *key)
{
	const jsmntok_t *t = tok_at(j, obj);
	int k, m;

	if (t == NULL || t->type != JSMN_OBJECT)
		return -1;
	for (m = 0, k = obj + 1; m < t->size; m++, k = json_next(j, k + 1))
		if (json_string_is(j, k, key))
			return k + 1;
	return -1;
}

static const jsmntok_t *
string_tok(const struct json *j, int i)
{
	const jsmntok_t *t = tok_at(j, i);

	return t != NULL && t->type == JSMN_STRING ? t : NULL;
}

int
json_string(const struct json *j, int i, char *buf, size_t len)
{
	const jsmntok_t *t = string_tok(j, i);
	size_t n;
	int r;

	if (t == NULL)
		return FBV_ERR_PROTOCOL;
	if (len == 0)
		return FBV_ERR_TOO_LARGE;
	if ((r = decode(j, t, (unsigned char *)buf, len - 1, &n)) != FBV_OK) {
		buf[0] = '\0';
		return r;
	}
	buf[n] = '\0';
	return FBV_OK;
}

int
json_strdup(const struct json *j, int i, char **out)
{
	const jsmntok_t *t = string_tok(j, i);
	size_t n, rawlen;
	int r;

	*out = NULL;
	if (t == NULL)
		return FBV_ERR_PROTOCOL;
	rawlen = (size_t)(t->end - t->start);
	if ((*out = malloc(rawlen + 1)) == NULL)
		return FBV_ERR_NOMEM;
	if ((r = decode(j, t, (unsigned char *)*out, rawlen, &n)) != FBV_OK) {
		free(*out);
		*out = NULL;
		return r;
	}
	(*out)[n] = '\0';
	return FBV_OK;
}

int
json_sbuf(const struct json *j, int i, struct sbuf *out)
{
	const jsmntok_t *t = string_tok(j, i);
	size_t n, rawlen;
	int r;

	sbuf_reset(out);
	if (t == NULL)
		return FBV_ERR_PROTOCOL;
	rawlen = (size_t)(t->end - t->start);
	if ((r = sbuf_reserve(out, rawlen + 1)) != FBV_OK)
		return r;
	if ((r = decode(j, t, out->data, rawlen, &n)) != FBV_OK) {
		sbuf_reset(out);
		return r;
	}
	out->data[n] = '\0';
	out->len = n;
	return FBV_OK;
}

int
json_int(const struct json *j, int i, int64_t *out)
{
	const jsmntok_t *t = tok_at(j, i);
	const char *s, *e;
	bool neg;
	uint64_t v = 0, lim;

	if (t == NULL || (t->type != JSMN_PRIMITIVE && t->type != JSMN_STRING))
		return FBV_ERR_PROTOCOL;
	s = j->js + t->start;
	e = j->js + t->end;
	if ((neg = s < e && *s == '-'))
		s++;
	if (s == e)
		return FBV_ERR_PROTOCOL;
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; s < e; s++) {
		if (*s < '0' || *s > '9')
			return FBV_ERR_PROTOCOL;
		if (v > (lim - (uint64_t)(*s - '0')) / 10)
			return FBV_ERR_PROTOCOL;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = neg ? (v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v) : (int64_t)v;
	return FBV_OK;
}

int
json_bool(const struct json *j, int i, bool *out)
{
	const jsmntok_t *t = tok_at(j, i);

	if (t == NULL || t->type != JSMN_PRIMITIVE)
		return FBV_ERR_PROTOCOL;
	if (literal_is(j, t, "true"))
		*out = true;
	else if (literal_is(j, t, "false"))
		*out = false;
	else
		return FBV_ERR_PROTOCOL;
	return FBV_OK;
}

bool
json_is_null(const struct json *j, int i)
{
	const jsmntok_t *t = tok_at(j, i);

	return t != NULL && t->type == JSMN_PRIMITIVE && literal_is(j, t, "null");
}

int
json_raw(const struct json *j, int i, const char **p, size_t *len)
{
	const jsmntok_t *t = tok_at(j, i);

	if (t == NULL)
		return FBV_ERR_PROTOCOL;
	*p = j->js + raw_start(t);
	*len = (size_t)(raw_end(t) - raw_start(t));
	return FBV_OK;
}
