/* Graph API answers as graph.c sees them, body bytes straight from the
 * network: parse_response() then the parser of the call, the paging link
 * check, the error text a user is shown.
 *
 * Input: one selector byte, then the HTTP body (never NUL-terminated
 * here, so a read past the end is caught). The selector's low 3 bits
 * pick the call, the next 3 the HTTP status:
 *   0 token exchange   1 one page      2 /me/accounts   3 debug_token
 *   4 error body       5 paging link (the body is the URL, checked
 *                        against a base picked by the status bits)
 *   6 raw JSON: every value through every accessor, the posting
 *     answers' parsers (feed, photo, scheduled_posts, success), the
 *     X-Business-Use-Case-Usage reader, and api's redaction
 *   7 graph_escape() of the body
 * In modes 0-4 the first bytes of the body are the X-App-Usage header as
 * well, which the rate-limit message shows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "../crypto/errors.h"
#include "../cli/errors.h"
#include "../cli/redact.h"
#include "../graph/graph.h"
#include "../graph/parse.h"
#include "../graph/url.h"
#include "../tests/unit/graph_helpers.h"
#include "fuzz.h"

#define PAGE_ID "1234"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const long statuses[] = { 200, 200, 201, 299, 400, 403, 500, 302 };
static const char *const bases[] = {
	"https://graph.facebook.com", "https://graph.facebook.com/v25.0",
	"http://127.0.0.1:8443", "https://[::1]:4443", "https://GRAPH.facebook.com:443",
	"http://localhost", "https://graph.facebook.com:8443", "https://b-graph.facebook.com",
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	return 0;
}

static bool
is_text(const char *s)
{
	size_t n = strlen(s);

	return fuzz_utf8_valid((const unsigned char *)s, n);
}

/* U+200E, U+200F, U+2028..U+202E, U+2066..U+2069 in UTF-8 at p. */
static bool
is_bidi(const unsigned char *p, size_t left)
{
	if (left < 3 || p[0] != 0xe2)
		return false;
	if (p[1] == 0x80)
		return p[2] == 0x8e || p[2] == 0x8f || (p[2] >= 0xa8 && p[2] <= 0xae);
	return p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9;
}

/* One line a terminal shows as it is: no control bytes, C1 controls,
 * bidi or line-separator controls, or invalid UTF-8. graph_escape() and
 * describe promise that. */
static bool
is_safe_line(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, n = strlen(s);

	if (!fuzz_utf8_valid(p, n))
		return false;
	for (i = 0; i < n; i++) {
		if (p[i] < 0x20 || p[i] == 0x7f || is_bidi(p + i, n - i))
			return false;
		if (p[i] == 0xc2 && i + 1 < n && p[i + 1] < 0xa0)
			return false;
	}
	return true;
}

static bool
all_digits(const char *s)
{
	size_t i, n = strlen(s);

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0 && s[0] != '0';
}

static void
check_error(int r, struct graph_error *ge)
{
	char line[512];
	int code;

	FUZZ_CHECK(memchr(ge->message, '\0', sizeof(ge->message)) != NULL && is_text(ge->message));
	FUZZ_CHECK(memchr(ge->type, '\0', sizeof(ge->type)) != NULL && is_text(ge->type));
	FUZZ_CHECK(memchr(ge->fbtrace_id, '\0', sizeof(ge->fbtrace_id)) != NULL &&
	    is_text(ge->fbtrace_id));
	FUZZ_CHECK(ge->code >= 0 && ge->subcode >= 0);
	if (r == FBV_ERR_REFUSED || r == FBV_ERR_TEMPFAIL)
		FUZZ_CHECK(parse_error_class(ge) == r);
	graph_error_describe(r, ge, line, sizeof(line));
	FUZZ_CHECK(is_safe_line(line));
	FUZZ_CHECK(line[0] != '\0' || r == FBV_OK || r == FBV_ERR_NOMEM);
	code = exit_code_of(r, ge);
	FUZZ_CHECK(code == 0 || (code >= EX_USAGE && code <= EX_CONFIG));
	FUZZ_CHECK((code == 0) == (r == FBV_OK));
}

static void
check_token(const struct sbuf *t)
{
	FUZZ_CHECK(token_ok(t->data, t->len) && t->data[t->len] == '\0');
}

static int
call_exchange(const struct json *j)
{
	struct sbuf token;
	int64_t expires_in;
	int r;

	sbuf_init(&token, GRAPH_TOKEN_MAX + 1);
	r = parse_exchange(j, &token, &expires_in);
	FUZZ_CHECK(r == FBV_OK || r == FBV_ERR_PROTOCOL);
	if (r == FBV_OK) {
		check_token(&token);
		FUZZ_CHECK(expires_in >= -1);
	} else {
		FUZZ_CHECK(token.len == 0 && expires_in == -1);
	}
	sbuf_free(&token);
	return r;
}

static void
check_page(const struct graph_page *p)
{
	FUZZ_CHECK(all_digits(p->id) && strlen(p->id) < sizeof(p->id));
	FUZZ_CHECK(p->name == NULL || is_text(p->name));
	if (p->token.len > 0)
		check_token(&p->token);
}

static int
call_page(const struct json *j, struct graph_error *ge)
{
	struct graph_page page;
	int r;

	graph_page_init(&page);
	r = parse_page(j, PAGE_ID, &page, ge);
	FUZZ_CHECK(r == FBV_OK || r == FBV_ERR_PROTOCOL || r == FBV_ERR_REFUSED);
	if (r == FBV_OK) {
		check_page(&page);
		FUZZ_CHECK(strcmp(page.id, PAGE_ID) == 0 && page.token.len > 0);
	}
	if (r == FBV_ERR_REFUSED)
		FUZZ_CHECK(ge->code == 0 && page.token.len == 0);
	graph_page_free(&page);
	return r;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The name of the parameter at s (up to '=' or n), percent-decoded. */
static void
param_name(const char *s, size_t n, char *out, size_t cap)
{
	size_t k = 0, o = 0;

	while (k < n && s[k] != '=' && o + 1 < cap) {
		if (s[k] == '%' && n - k >= 3 && hexval(s[k + 1]) >= 0 && hexval(s[k + 2]) >= 0) {
			out[o++] = (char)(hexval(s[k + 1]) << 4 | hexval(s[k + 2]));
			k += 3;
		} else {
			out[o++] = s[k++];
		}
	}
	out[o] = '\0';
}

/* A link we follow goes to the base's origin and carries no credential
 * of its own; everything else it held is kept in order. */
static void
check_next(const struct url_origin *base, const char *next)
{
	struct url_origin o;
	struct sbuf out;
	const char *q, *p;
	char name[64];
	size_t path, n;
	bool has_query;
	int r;

	sbuf_init(&out, 64 * 1024);
	r = url_next(base, next, &out, &has_query);
	FUZZ_CHECK(r == FBV_OK || r == FBV_ERR_INVALID || r == FBV_ERR_PROTOCOL);
	if (r == FBV_ERR_PROTOCOL)
		FUZZ_CHECK(url_parse(next, &o, &path) == FBV_OK && !url_same_origin(&o, base));
	if (r != FBV_OK) {
		sbuf_free(&out);
		return;
	}
	FUZZ_CHECK(out.data[out.len] == '\0' && strlen((char *)out.data) == out.len);
	FUZZ_CHECK(out.len <= strlen(next));
	FUZZ_CHECK(url_parse((char *)out.data, &o, &path) == FBV_OK && url_same_origin(&o, base));
	q = strchr((char *)out.data, '?');
	FUZZ_CHECK(has_query == (q != NULL));
	FUZZ_CHECK(strncmp((char *)out.data, next, q != NULL ? (size_t)(q - (char *)out.data) :
	    out.len) == 0);
	for (p = q; p != NULL && *p != '\0'; p += n) {
		p++;
		n = strcspn(p, "&");
		FUZZ_CHECK(n > 0);
		param_name(p, n, name, sizeof(name));
		FUZZ_CHECK(strcmp(name, "access_token") != 0 && strcmp(name, "appsecret_proof") != 0);
	}
	sbuf_free(&out);
}

static int
call_accounts(const struct json *j, int base)
{
	struct graph_page *pages = NULL;
	struct url_origin origin;
	struct sbuf next;
	size_t n = 0, cap = 0, k, path;
	int r;

	sbuf_init(&next, URL_MAX + 1);
	r = parse_accounts(j, &pages, &n, &cap, &next);
	FUZZ_CHECK(r == FBV_OK || r == FBV_ERR_PROTOCOL);
	FUZZ_CHECK(n <= cap && n <= GRAPH_MAX_ACCOUNTS);
	if (r == FBV_OK) {
		for (k = 0; k < n; k++)
			check_page(&pages[k]);
		if (next.len > 0) {
			/* graph.c hands the link on as a C string. */
			FUZZ_CHECK(strlen((char *)next.data) == next.len);
			FUZZ_CHECK(url_parse(bases[base], &origin, &path) == FBV_OK);
			check_next(&origin, (char *)next.data);
		}
	}
	graph_pages_free(pages, n);
	sbuf_free(&next);
	return r;
}

static int
call_debug(const struct json *j)
{
	struct graph_token_info info;
	struct graph_error ge;
	const char *s;
	size_t len;
	char scope[256];
	int r;

	graph_token_info_init(&info);
	r = parse_debug(j, &info);
	FUZZ_CHECK(r == FBV_OK || r == FBV_ERR_PROTOCOL);
	if (r == FBV_OK) {
		FUZZ_CHECK(info.scopes != NULL && is_text(info.scopes));
		FUZZ_CHECK(info.application == NULL || is_text(info.application));
		FUZZ_CHECK(info.expires_at >= -1 && info.data_access_expires_at >= -1 &&
		    info.issued_at >= -1);
		FUZZ_CHECK(info.app_id[0] == '\0' || all_digits(info.app_id));
		FUZZ_CHECK(info.user_id[0] == '\0' || all_digits(info.user_id));
		FUZZ_CHECK(info.profile_id[0] == '\0' || all_digits(info.profile_id));
		FUZZ_CHECK(is_text(info.type) && is_text(info.err_message));
		for (s = info.scopes; *s != '\0'; s += len + (s[len] == ',')) {
			len = strcspn(s, ",");
			FUZZ_CHECK(len > 0);
			if (len < sizeof(scope)) {
				memcpy(scope, s, len);
				scope[len] = '\0';
				FUZZ_CHECK(graph_has_scope(&info, scope));
			}
		}
		r = graph_token_error(&info, &ge);
		FUZZ_CHECK(r == (info.is_valid ? FBV_OK : FBV_ERR_REFUSED));
		ge.call = GRAPH_CALL_DEBUG;
		if (r != FBV_OK) {
			FUZZ_CHECK(ge.code > 0);
			check_error(r, &ge);
		}
	}
	graph_token_info_free(&info);
	return r == FBV_ERR_REFUSED ? FBV_OK : r;
}

static void
check_string(const struct json *j, int i, struct sbuf *b)
{
	char small[8];
	char *s;
	int r;

	FUZZ_CHECK(json_type(j, i) == JSON_STRING);
	FUZZ_CHECK(json_strdup(j, i, &s) == FBV_OK && is_text(s));
	FUZZ_CHECK(json_sbuf(j, i, b) == FBV_OK && b->len == strlen(s) &&
	    memcmp(b->data, s, b->len) == 0);
	FUZZ_CHECK(json_string_is(j, i, s));
	r = json_string(j, i, small, sizeof(small));
	FUZZ_CHECK(r == (strlen(s) < sizeof(small) ? FBV_OK : FBV_ERR_TOO_LARGE));
	FUZZ_CHECK(r != FBV_OK || strcmp(small, s) == 0);
	free(s);
}

/* The value at i and its members, through every accessor; returns the
 * index past it, which json_next() must agree with. */
static int
visit(const struct json *j, int i, struct sbuf *b)
{
	enum json_type t = json_type(j, i);
	int64_t v;
	bool flag;
	char *key;
	int k, m = i + 1, found;

	FUZZ_CHECK(t != JSON_NONE);
	if (t == JSON_STRING)
		check_string(j, i, b);
	else
		FUZZ_CHECK(json_strdup(j, i, &key) == FBV_ERR_PROTOCOL && key == NULL);
	if (json_int(j, i, &v) == FBV_OK)
		FUZZ_CHECK(t == JSON_PRIMITIVE || t == JSON_STRING);
	if (json_bool(j, i, &flag) == FBV_OK)
		FUZZ_CHECK(t == JSON_PRIMITIVE && !json_is_null(j, i));
	for (k = 0; k < json_size(j, i); k++) {
		if (t == JSON_OBJECT) {
			check_string(j, m, b);
			FUZZ_CHECK(json_strdup(j, m, &key) == FBV_OK);
			/* json_get() finds a key's first occurrence */
			found = json_get(j, i, key);
			FUZZ_CHECK(found > i && found <= m + 1 && json_string_is(j, found - 1, key));
			free(key);
			m++;
		}
		m = visit(j, m, b);
	}
	FUZZ_CHECK(json_next(j, i) == m);
	return m;
}

/* A second reading of json.h's grammar: RFC 8259, an object at the top,
 * strings of strict UTF-8 without "\\u0000" or lone surrogates, values
 * at most JSON_MAX_DEPTH deep (the top object is at depth 0). */
struct jp {
	const unsigned char *s;
	size_t n, i;
};

static void
jp_ws(struct jp *p)
{
	while (p->i < p->n && strchr(" \t\n\r", p->s[p->i]) != NULL && p->s[p->i] != '\0')
		p->i++;
}

static bool
jp_eat(struct jp *p, char c)
{
	if (p->i < p->n && p->s[p->i] == (unsigned char)c) {
		p->i++;
		return true;
	}
	return false;
}

static bool
jp_hex4(struct jp *p, unsigned *v)
{
	int k, d;

	*v = 0;
	for (k = 0; k < 4; k++) {
		if (p->i >= p->n || (d = hexval((char)p->s[p->i])) < 0)
			return false;
		*v = *v << 4 | (unsigned)d;
		p->i++;
	}
	return true;
}

static bool
jp_escape(struct jp *p)
{
	unsigned hi, lo;

	if (p->i >= p->n)
		return false;
	if (strchr("\"\\/bfnrt", p->s[p->i]) != NULL && p->s[p->i] != '\0') {
		p->i++;
		return true;
	}
	if (!jp_eat(p, 'u') || !jp_hex4(p, &hi) || hi == 0 || (hi >= 0xdc00 && hi <= 0xdfff))
		return false;
	if (hi < 0xd800 || hi > 0xdbff)
		return true;
	return jp_eat(p, '\\') && jp_eat(p, 'u') && jp_hex4(p, &lo) && lo >= 0xdc00 && lo <= 0xdfff;
}

static bool
jp_string(struct jp *p)
{
	size_t k;

	if (!jp_eat(p, '"'))
		return false;
	while (p->i < p->n) {
		unsigned char c = p->s[p->i];

		if (c == '"') {
			p->i++;
			return true;
		}
		if (c < 0x20)
			return false;
		if (c == '\\') {
			p->i++;
			if (!jp_escape(p))
				return false;
			continue;
		}
		for (k = 1; k <= 4 && p->i + k <= p->n; k++)
			if (fuzz_utf8_valid(p->s + p->i, k))
				break;
		if (k > 4 || p->i + k > p->n)
			return false;
		p->i += k;
	}
	return false;
}

static bool
jp_digits(struct jp *p)
{
	size_t start = p->i;

	while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
		p->i++;
	return p->i > start;
}

static bool
jp_number(struct jp *p)
{
	jp_eat(p, '-');
	if (!jp_eat(p, '0')) {
		if (p->i >= p->n || p->s[p->i] < '1' || p->s[p->i] > '9')
			return false;
		jp_digits(p);
	}
	if (jp_eat(p, '.') && !jp_digits(p))
		return false;
	if (jp_eat(p, 'e') || jp_eat(p, 'E')) {
		if (!jp_eat(p, '+'))
			jp_eat(p, '-');
		if (!jp_digits(p))
			return false;
	}
	return true;
}

static bool
jp_word(struct jp *p, const char *w)
{
	size_t n = strlen(w);

	if (p->n - p->i < n || memcmp(p->s + p->i, w, n) != 0)
		return false;
	p->i += n;
	return true;
}

static bool jp_value(struct jp *p, int depth);

static bool
jp_members(struct jp *p, int depth, char close, bool keys)
{
	jp_ws(p);
	if (jp_eat(p, close))
		return true;
	do {
		jp_ws(p);
		if (keys) {
			if (!jp_string(p))
				return false;
			jp_ws(p);
			if (!jp_eat(p, ':'))
				return false;
			jp_ws(p);
		}
		if (!jp_value(p, depth + 1))
			return false;
		jp_ws(p);
	} while (jp_eat(p, ','));
	return jp_eat(p, close);
}

static bool
jp_value(struct jp *p, int depth)
{
	if (depth > JSON_MAX_DEPTH || p->i >= p->n)
		return false;
	switch (p->s[p->i]) {
	case '{':
		p->i++;
		return jp_members(p, depth, '}', true);
	case '[':
		p->i++;
		return jp_members(p, depth, ']', false);
	case '"':
		return jp_string(p);
	case 't':
		return jp_word(p, "true");
	case 'f':
		return jp_word(p, "false");
	case 'n':
		return jp_word(p, "null");
	default:
		return jp_number(p);
	}
}

static bool
json_oracle(const char *body, size_t len)
{
	struct jp p = { (const unsigned char *)body, len, 0 };

	jp_ws(&p);
	if (p.i >= p.n || p.s[p.i] != '{' || !jp_value(&p, 0))
		return false;
	jp_ws(&p);
	return p.i == p.n;
}

static void
walk_json(const struct json *j)
{
	struct sbuf b;

	sbuf_init(&b, GRAPH_MAX_BODY);
	FUZZ_CHECK(json_type(j, 0) == JSON_OBJECT && json_type(j, j->ntok) == JSON_NONE &&
	    json_type(j, -1) == JSON_NONE);
	FUZZ_CHECK(visit(j, 0, &b) == j->ntok);
	sbuf_free(&b);
}

#define SECRET "EAAstoredsecret42"

/* Whether some string of j, decoded, holds SECRET. */
static bool
holds_secret(const struct json *j)
{
	bool found = false;
	char *v;
	int i;

	for (i = 0; i < j->ntok && !found; i++) {
		if (json_type(j, i) != JSON_STRING || json_strdup(j, i, &v) != FBV_OK)
			continue;
		found = strstr(v, SECRET) != NULL;
		free(v);
	}
	return found;
}

/* api's redaction: still one JSON object, no stored secret left in any
 * string (as decoded), and a top-level access_token string is
 * "<redacted>". */
static void
call_redact(const char *body, size_t len)
{
	struct sbuf secret, out;
	struct json j;
	int v;

	sbuf_init(&secret, sizeof(SECRET));
	sbuf_init(&out, GRAPH_MAX_BODY * 2);
	FUZZ_CHECK(sbuf_put(&secret, SECRET, strlen(SECRET)) == FBV_OK);
	FUZZ_CHECK(redact_json((const unsigned char *)body, len, &secret, 1, &out) == FBV_OK);
	FUZZ_CHECK(json_parse(&j, (const char *)out.data, out.len) == FBV_OK);
	FUZZ_CHECK(!holds_secret(&j));
	if ((v = json_get(&j, 0, "access_token")) >= 0 && json_type(&j, v) == JSON_STRING)
		FUZZ_CHECK(json_string_is(&j, v, REDACTED));
	json_free(&j);
	sbuf_free(&out);
	sbuf_free(&secret);
}

/* The answers of posting calls: ids that pass graph_post_id_ok(), or a
 * protocol error. */
static void
call_posting(const struct json *j, const char *body, size_t len)
{
	struct graph_posted out;
	struct graph_scheduled *items = NULL;
	struct sbuf next;
	size_t n = 0, cap = 0, k;
	int r, m;

	memset(&out, 0, sizeof(out));
	r = parse_posted(j, false, &out);
	FUZZ_CHECK(r == FBV_OK || r == FBV_ERR_PROTOCOL || r == FBV_ERR_NOMEM);
	if (r == FBV_OK)
		FUZZ_CHECK(graph_post_id_ok(out.id));
	memset(&out, 0, sizeof(out));
	r = parse_posted(j, true, &out);
	FUZZ_CHECK(r == FBV_OK || r == FBV_ERR_PROTOCOL || r == FBV_ERR_NOMEM);
	if (r == FBV_OK)
		FUZZ_CHECK(out.nphotos == 1 && all_digits(out.photo_ids[0]) &&
		    (out.id[0] == '\0' || graph_post_id_ok(out.id)));
	sbuf_init(&next, URL_MAX + 1);
	r = parse_scheduled(j, &items, &n, &cap, &next);
	FUZZ_CHECK(r == FBV_OK || r == FBV_ERR_PROTOCOL || r == FBV_ERR_NOMEM);
	for (k = 0; r == FBV_OK && k < n; k++)
		FUZZ_CHECK(graph_post_id_ok(items[k].id) && items[k].scheduled_at >= -1 &&
		    (items[k].message == NULL || is_text(items[k].message)));
	graph_scheduled_free(items, n);
	sbuf_free(&next);
	r = parse_success(j);
	FUZZ_CHECK(r == FBV_OK || r == FBV_ERR_PROTOCOL);
	m = parse_buc_minutes(body, len);
	FUZZ_CHECK(m >= 0 && m < 100000);
}

static void
call_url(const char *body, size_t len, int base)
{
	struct url_origin origin, o;
	size_t path;
	char *url = malloc(len + 1);

	FUZZ_CHECK(url != NULL);
	memcpy(url, body, len);
	url[len] = '\0';
	FUZZ_CHECK(url_parse(bases[base], &origin, &path) == FBV_OK);
	if (url_parse(url, &o, &path) == FBV_OK) {
		FUZZ_CHECK(path <= strlen(url) && o.port >= 1 && o.port <= 65535);
		FUZZ_CHECK(strlen(o.host) > 0 && strlen(o.host) < sizeof(o.host));
		if (url_host_is_loopback(o.host))
			FUZZ_CHECK(strcmp(o.host, "localhost") == 0 || strcmp(o.host, "[::1]") == 0 ||
			    strncmp(o.host, "127.", 4) == 0);
	}
	check_next(&origin, url);
	free(url);
}

/* Undoes graph_escape(): "\\\\" and "\\xNN" are the only escapes; the
 * length of the original, or -1 when out is not an escape's output. */
static long
unescape(const char *out, unsigned char *orig)
{
	size_t i, n = 0;

	for (i = 0; out[i] != '\0'; i++) {
		if (out[i] != '\\') {
			orig[n++] = (unsigned char)out[i];
		} else if (out[i + 1] == '\\') {
			orig[n++] = '\\';
			i++;
		} else if (out[i + 1] == 'x' && hexval(out[i + 2]) >= 0 && hexval(out[i + 3]) >= 0) {
			orig[n++] = (unsigned char)(hexval(out[i + 2]) << 4 | hexval(out[i + 3]));
			i += 3;
		} else {
			return -1;
		}
	}
	return (long)n;
}

/* Safe to show, reversible, cut only between characters: what comes
 * back is the input or a prefix of it; with room enough, all of it. */
static void
call_escape(const char *body, size_t len)
{
	const size_t sizes[] = { 1, 2, 5, 17, 256, 4 * len + 1 };
	unsigned char *orig = malloc(4 * len + 1);
	char *out;
	size_t k;
	long n;

	FUZZ_CHECK(orig != NULL);
	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		FUZZ_CHECK((out = malloc(sizes[k])) != NULL);
		graph_escape(out, sizes[k], body, len);
		FUZZ_CHECK(strlen(out) < sizes[k] && is_safe_line(out));
		n = unescape(out, orig);
		FUZZ_CHECK(n >= 0 && (size_t)n <= len && memcmp(orig, body, (size_t)n) == 0);
		if (k == sizeof(sizes) / sizeof(sizes[0]) - 1)
			FUZZ_CHECK((size_t)n == len);
		free(out);
	}
	free(orig);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum graph_call calls[] = { GRAPH_CALL_EXCHANGE, GRAPH_CALL_PAGE,
		GRAPH_CALL_ACCOUNTS, GRAPH_CALL_DEBUG, GRAPH_CALL_NONE };
	struct graph_error ge;
	struct json j;
	char *body;
	int mode, status, r;

	if (size == 0)
		return 0;
	mode = data[0] & 7;
	status = data[0] >> 3 & 7;
	size--;
	if ((body = malloc(size == 0 ? 1 : size)) == NULL)
		return 0;
	memcpy(body, data + 1, size);
	if (mode == 5) {
		call_url(body, size, status);
	} else if (mode == 7) {
		call_escape(body, size);
	} else if (mode == 6) {
		r = json_parse(&j, body, size);
		FUZZ_CHECK(r == FBV_OK || r == FBV_ERR_PROTOCOL);
		FUZZ_CHECK((r == FBV_OK) == json_oracle(body, size));
		if (r == FBV_OK) {
			walk_json(&j);
			call_posting(&j, body, size);
			json_free(&j);
			call_redact(body, size);
		}
	} else {
		memset(&ge, 0, sizeof(ge));
		ge.call = calls[mode];
		ge.http_status = statuses[status];
		/* The X-App-Usage header comes from the network too. */
		memcpy(ge.app_usage, body, size < sizeof(ge.app_usage) ? size : sizeof(ge.app_usage) - 1);
		r = parse_response(statuses[status], body, size, &j, &ge);
		FUZZ_CHECK(r == FBV_OK || r == FBV_ERR_PROTOCOL || r == FBV_ERR_REFUSED ||
		    r == FBV_ERR_TEMPFAIL);
		if (r == FBV_OK) {
			FUZZ_CHECK(statuses[status] >= 200 && statuses[status] <= 299);
			FUZZ_CHECK(json_type(&j, 0) == JSON_OBJECT && json_get(&j, 0, "error") < 0);
			if (mode == 0)
				r = call_exchange(&j);
			else if (mode == 1)
				r = call_page(&j, &ge);
			else if (mode == 2)
				r = call_accounts(&j, status);
			else if (mode == 3)
				r = call_debug(&j);
			json_free(&j);
		} else {
			FUZZ_CHECK(j.t == NULL);
		}
		check_error(r, &ge);
	}
	free(body);
	return 0;
}
