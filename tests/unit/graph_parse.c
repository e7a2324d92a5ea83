/* Unit tests for the Graph client without a network: each response shape
 * and error body parsed from strings, the error class, exit code and
 * message of each, URL checks, configuration, escaping. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <sodium.h>

#include "../../crypto/errors.h"
#include "../../crypto/seal.h"
#include "../../cli/errors.h"
#include "../../cli/module.h"
#include "../../graph/batch.h"
#include "../../graph/graph.h"
#include "../../graph/parse.h"
#include "../../graph/url.h"
#include "check.h"
#include "graph_helpers.h"

/* The last line describe() produced, for the failure report. */
static char line[1024];

static bool
says(const char *want)
{
	if (strstr(line, want) != NULL)
		return true;
	fprintf(stderr, "  line \"%s\" lacks \"%s\"\n", line, want);
	return false;
}

static void
test_proof_vector(void)
{
	char hex[FBV_PROOF_HEX];

	appsecret_proof(hex, (const unsigned char *)"xyz789", 6, (const unsigned char *)"abc123", 6);
	CHECK(strcmp(hex, "4dad02ff1693df832f9c183fe400fc4f601360be06514acb4a73edb783eec345") == 0);
}

/* Classifies body as an answer with HTTP status and describes it. */
static int
answer(long status, const char *body, enum graph_call call, struct graph_error *ge)
{
	struct json j;
	int r;

	memset(ge, 0, sizeof(*ge));
	ge->call = call;
	ge->http_status = status;
	strcpy(ge->app_usage, "{\"call_count\":100,\"total_cputime\":7,\"total_time\":9}");
	r = parse_response(status, body, strlen(body), &j, ge);
	if (r == FBV_OK)
		json_free(&j);
	graph_error_describe(r, ge, line, sizeof(line));
	return r;
}

static const char *
error_body(int code, int subcode, const char *message, const char *extra)
{
	static char body[1024];

	if (subcode != 0)
		snprintf(body, sizeof(body), "{\"error\":{\"message\":\"%s\",\"type\":\"OAuthException\","
		    "\"code\":%d,\"error_subcode\":%d,\"fbtrace_id\":\"AbC123xyz\"%s}}",
		    message, code, subcode, extra);
	else
		snprintf(body, sizeof(body), "{\"error\":{\"message\":\"%s\",\"type\":\"OAuthException\","
		    "\"code\":%d,\"fbtrace_id\":\"AbC123xyz\"%s}}", message, code, extra);
	return body;
}

struct error_case {
	int code, subcode;
	const char *message;
	const char *extra;
	enum graph_call call;
	int err, exit;
	const char *says;
};

static const struct error_case error_cases[] = {
	{ 1, 0, "Error validating client secret.", ",\"is_transient\":false", GRAPH_CALL_EXCHANGE,
	  FBV_ERR_REFUSED, EX_NOPERM, "the App Secret was rejected (code 1): check app-secret" },
	{ 1, 0, "An unknown error occurred", "", GRAPH_CALL_ACCOUNTS,
	  FBV_ERR_TEMPFAIL, EX_TEMPFAIL, "temporary error (code 1): retry later" },
	{ 2, 0, "An unexpected error has occurred.", ",\"is_transient\":true", GRAPH_CALL_PAGE,
	  FBV_ERR_TEMPFAIL, EX_TEMPFAIL, "temporary error (code 2)" },
	{ 4, 0, "(#4) Application request limit reached", ",\"is_transient\":true", GRAPH_CALL_PAGE,
	  FBV_ERR_TEMPFAIL, EX_TEMPFAIL,
	  "rate limited (code 4): wait and retry; X-App-Usage {\"call_count\":100," },
	{ 17, 0, "(#17) User request limit reached", "", GRAPH_CALL_ACCOUNTS,
	  FBV_ERR_TEMPFAIL, EX_TEMPFAIL, "rate limited (code 17)" },
	{ 32, 0, "(#32) Page request limit reached", "", GRAPH_CALL_ACCOUNTS,
	  FBV_ERR_TEMPFAIL, EX_TEMPFAIL, "rate limited (code 32)" },
	{ 613, 0, "(#613) Calls to this api have exceeded the rate limit.", "", GRAPH_CALL_DEBUG,
	  FBV_ERR_TEMPFAIL, EX_TEMPFAIL, "rate limited (code 613)" },
	{ 190, 0, "Invalid OAuth 2.0 Access Token", ",\"is_transient\":true", GRAPH_CALL_PAGE,
	  FBV_ERR_TEMPFAIL, EX_TEMPFAIL, "temporary error (code 190)" },
	{ 190, 463, "Error validating access token: Session has expired", "", GRAPH_CALL_EXCHANGE,
	  FBV_ERR_REFUSED, EX_NOPERM, "the short-lived token has expired (code 190/463): get a fresh "
	  "one from Graph Explorer and run login again" },
	{ 190, 463, "Error validating access token: Session has expired", "", GRAPH_CALL_ACCOUNTS,
	  FBV_ERR_REFUSED, EX_NOPERM, "the user token has expired (code 190/463)" },
	{ 190, 458, "The user has not authorized application.", "", GRAPH_CALL_PAGE,
	  FBV_ERR_REFUSED, EX_NOPERM, "not installed for this user (code 190/458)" },
	{ 190, 459, "log in to www.facebook.com", "", GRAPH_CALL_PAGE,
	  FBV_ERR_REFUSED, EX_NOPERM, "checkpointed (code 190/459)" },
	{ 190, 460, "the user changed their password", "", GRAPH_CALL_PAGE,
	  FBV_ERR_REFUSED, EX_NOPERM, "password change (code 190/460)" },
	{ 190, 464, "not a confirmed user", "", GRAPH_CALL_PAGE,
	  FBV_ERR_REFUSED, EX_NOPERM, "not confirmed (code 190/464)" },
	{ 190, 467, "Invalid OAuth access token - Cannot parse access token", "", GRAPH_CALL_PAGE,
	  FBV_ERR_REFUSED, EX_NOPERM, "the token is invalid (code 190/467)" },
	{ 190, 492, "User must have a role on the page", "", GRAPH_CALL_PAGE,
	  FBV_ERR_REFUSED, EX_NOPERM, "no role on the page (code 190/492): ask a page admin" },
	{ 190, 493, "Data access has expired for the user.", "", GRAPH_CALL_PAGE,
	  FBV_ERR_REFUSED, EX_NOPERM, "data access has expired after 90 days without use (code 190/493)" },
	{ 190, 0, "Invalid OAuth access token signature.", "", GRAPH_CALL_DEBUG,
	  FBV_ERR_REFUSED, EX_NOPERM, "the app token was rejected (code 190): check app-id and app-secret" },
	{ 102, 0, "Session key invalid or no longer valid", "", GRAPH_CALL_ACCOUNTS,
	  FBV_ERR_REFUSED, EX_NOPERM, "(code 102)" },
	{ 10, 0, "(#10) Application does not have permission", "", GRAPH_CALL_PAGE,
	  FBV_ERR_REFUSED, EX_NOPERM, "missing permission (code 10)" },
	{ 200, 0, "(#200) Requires pages_manage_posts permission", "", GRAPH_CALL_PAGE,
	  FBV_ERR_REFUSED, EX_NOPERM, "missing permission (code 200): grant pages_show_list and "
	  "pages_manage_posts in Graph Explorer" },
	{ 299, 0, "(#299) x", "", GRAPH_CALL_PAGE,
	  FBV_ERR_REFUSED, EX_NOPERM, "missing permission (code 299)" },
	{ 100, 33, "Unsupported get request. Object with ID '4242' does not exist", "",
	  GRAPH_CALL_PAGE, FBV_ERR_REFUSED, EX_DATAERR,
	  "unknown page or bad parameter (code 100/33): check the page id; graph says: "
	  "Unsupported get request. Object with ID '4242' does not exist" },
	{ 101, 0, "Error validating application. Invalid application ID.", "", GRAPH_CALL_EXCHANGE,
	  FBV_ERR_REFUSED, EX_NOPERM, "invalid App ID (code 101): check app-id" },
	{ 1, 0, "An unknown error occurred", ",\"is_transient\":false", GRAPH_CALL_ACCOUNTS,
	  FBV_ERR_REFUSED, EX_UNAVAILABLE, "the Graph API failed the request (code 1) and says it "
	  "is not temporary: retrying will not help; graph says: An unknown error occurred" },
	{ 2, 0, "An unexpected error has occurred.", ",\"is_transient\":false", GRAPH_CALL_PAGE,
	  FBV_ERR_REFUSED, EX_UNAVAILABLE, "(code 2) and says it is not temporary" },
	{ 341, 0, "(#341) Application limit reached", "", GRAPH_CALL_ACCOUNTS,
	  FBV_ERR_TEMPFAIL, EX_TEMPFAIL, "rate limited (code 341): wait and retry" },
	{ 80001, 0, "(#80001) There have been too many calls to this Page account.", "",
	  GRAPH_CALL_ACCOUNTS, FBV_ERR_TEMPFAIL, EX_TEMPFAIL, "rate limited (code 80001)" },
	{ 80014, 0, "(#80014) too many calls", "", GRAPH_CALL_PAGE,
	  FBV_ERR_TEMPFAIL, EX_TEMPFAIL, "rate limited (code 80014)" },
	{ 0, 458, "The user has not authorized application.", "", GRAPH_CALL_ACCOUNTS,
	  FBV_ERR_REFUSED, EX_NOPERM, "the app is not installed for this user (code 0/458)" },
	{ 100, 0, "You must provide an app access token, or a user access token that is an owner "
	  "or developer of the app", "", GRAPH_CALL_DEBUG, FBV_ERR_REFUSED, EX_NOPERM,
	  "debug_token refused the app token (code 100): check app-id and app-secret" },
	{ 368, 0, "Temporarily blocked for policies violations", "", GRAPH_CALL_PAGE,
	  FBV_ERR_REFUSED, EX_NOPERM, "the Graph API refused the request (code 368): Temporarily "
	  "blocked for policies violations" },
};

static void
test_error_bodies(void)
{
	const struct error_case *c;
	struct graph_error ge;
	size_t i;
	int r;

	for (i = 0; i < sizeof(error_cases) / sizeof(*error_cases); i++) {
		c = &error_cases[i];
		r = answer(c->code == 4 ? 403 : 400, error_body(c->code, c->subcode, c->message, c->extra),
		    c->call, &ge);
		CHECK(r == c->err);
		CHECK(exit_code_of(r, &ge) == c->exit);
		CHECK(ge.code == c->code && ge.subcode == c->subcode);
		CHECK(says(c->says));
		CHECK(says(" [fbtrace_id AbC123xyz]"));
		CHECK(line[0] >= 'a' && line[0] <= 'z' && strchr(line, '\n') == NULL);
		if (r != c->err || !says(c->says))
			fprintf(stderr, "  case %zu (code %d/%d)\n", i, c->code, c->subcode);
	}
	/* fields Graph sends beside the usual ones */
	r = answer(400, "{\"error\":{\"message\":\"m\",\"type\":\"OAuthException\",\"code\":190,"
	    "\"error_subcode\":460,\"error_user_title\":\"t\",\"error_user_msg\":\"u\","
	    "\"fbtrace_id\":\"EJplcsCHuLu\",\"is_transient\":false}}", GRAPH_CALL_PAGE, &ge);
	CHECK(r == FBV_ERR_REFUSED && ge.subcode == 460 && strcmp(ge.type, "OAuthException") == 0 &&
	    strcmp(ge.fbtrace_id, "EJplcsCHuLu") == 0 && !ge.is_transient);
	/* only code and message */
	r = answer(400, "{\"error\":{\"message\":\"m\",\"code\":100}}", GRAPH_CALL_PAGE, &ge);
	CHECK(r == FBV_ERR_REFUSED && exit_code_of(r, &ge) == EX_DATAERR);
	CHECK(strstr(line, "fbtrace_id") == NULL);
	/* a code and nothing else is classified by its code */
	r = answer(400, "{\"error\":{\"code\":190}}", GRAPH_CALL_PAGE, &ge);
	CHECK(r == FBV_ERR_REFUSED && exit_code_of(r, &ge) == EX_NOPERM && ge.message[0] == '\0');
	CHECK(says("the access token was rejected (code 190): get a fresh one"));
	r = answer(500, "{\"error\":{\"code\":2}}", GRAPH_CALL_ACCOUNTS, &ge);
	CHECK(r == FBV_ERR_TEMPFAIL && exit_code_of(r, &ge) == EX_TEMPFAIL);
	CHECK(says("temporary error (code 2): retry later"));
	r = answer(400, "{\"error\":{\"code\":2,\"is_transient\":false}}", GRAPH_CALL_PAGE, &ge);
	CHECK(r == FBV_ERR_REFUSED && strstr(line, "retry later") == NULL);
	CHECK(says("retrying will not help") && strstr(line, "graph says") == NULL);
	r = answer(400, "{\"error\":{\"code\":100}}", GRAPH_CALL_PAGE, &ge);
	CHECK(says("unknown page or bad parameter (code 100): check the page id") &&
	    strstr(line, "graph says") == NULL);
	/* an error body with status 200 is still an error */
	r = answer(200, "{\"error\":{\"message\":\"m\",\"code\":190,\"error_subcode\":467}}",
	    GRAPH_CALL_PAGE, &ge);
	CHECK(r == FBV_ERR_REFUSED && ge.subcode == 467);
	/* the ratelimit answer without X-App-Usage */
	r = answer(403, error_body(4, 0, "x", ""), GRAPH_CALL_PAGE, &ge);
	ge.app_usage[0] = '\0';
	graph_error_describe(r, &ge, line, sizeof(line));
	CHECK(says("rate limited (code 4): wait and retry [fbtrace_id"));
}

static void
test_not_graph_errors(void)
{
	static const struct { long status; const char *body; } bad[] = {
		{ 502, "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head></html>\n" },
		{ 200, "{\"access_token\":\"EAAabc\",\"id\":\"10" },                 /* truncated */
		{ 200, "{\"access_token\": \"EAA\x01<garbage>, ]] not json" },
		{ 400, "{\"error\":\"invalid_request\"}" },
		{ 400, "{\"error\":{\"message\":\"m\"}}" },                           /* no code */
		{ 400, "{\"error\":{\"code\":\"x\",\"message\":\"m\"}}" },
		{ 400, "{\"error\":{\"code\":-1,\"message\":\"m\"}}" },
		{ 400, "{\"error\":{\"code\":1.5,\"message\":\"m\"}}" },
		{ 400, "{\"error\":{\"code\":190,\"message\":\"m\",\"error_subcode\":\"x\"}}" },
		{ 400, "{\"error\":{\"code\":190,\"message\":\"m\",\"is_transient\":\"no\"}}" },
		{ 400, "{\"error\":{\"code\":190,\"message\":7}}" },
		{ 400, "{\"error\":null}" },
		{ 500, "{\"data\":[]}" },
		{ 404, "" },
		{ 200, "" },
		{ 200, "[]" },
	};
	struct graph_error ge;
	size_t i;
	int r;

	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		r = answer(bad[i].status, bad[i].body, GRAPH_CALL_EXCHANGE, &ge);
		CHECK(r == FBV_ERR_PROTOCOL);
		CHECK(exit_code_of(r, &ge) == EX_PROTOCOL);
		CHECK(ge.http_status == bad[i].status && ge.code == 0 && ge.type[0] == '\0');
		if (r != FBV_ERR_PROTOCOL)
			fprintf(stderr, "  case %zu\n", i);
	}
	r = answer(502, bad[0].body, GRAPH_CALL_ACCOUNTS, &ge);
	CHECK(says("unexpected response from the Graph API (HTTP 502"));
	CHECK(answer(200, "{\"access_token\":\"EAAabc\"}", GRAPH_CALL_EXCHANGE, &ge) == FBV_OK);
}

static void
test_other_errors(void)
{
	struct graph_error ge;

	memset(&ge, 0, sizeof(ge));
	strcpy(ge.message, "Failed to connect to 127.0.0.1 port 9: Connection refused");
	graph_error_describe(FBV_ERR_NET, &ge, line, sizeof(line));
	CHECK(strcmp(line, "cannot reach the Graph API: Failed to connect to 127.0.0.1 port 9: "
	    "Connection refused") == 0);
	CHECK(exit_code_of(FBV_ERR_NET, &ge) == EX_UNAVAILABLE);
	graph_error_describe(FBV_ERR_NET, NULL, line, sizeof(line));
	CHECK(strcmp(line, "cannot reach the Graph API: no response") == 0);
	CHECK(exit_code_of(FBV_ERR_TEMPFAIL, NULL) == EX_TEMPFAIL);
	CHECK(exit_code_of(FBV_ERR_PROTOCOL, NULL) == EX_PROTOCOL);
	CHECK(exit_code_of(FBV_ERR_INVALID, NULL) == EX_USAGE);
	CHECK(exit_code_of(FBV_ERR_UNSUPPORTED, NULL) == EX_UNAVAILABLE);
	CHECK(exit_code_of(FBV_ERR_NOMEM, NULL) == EX_SOFTWARE);
	CHECK(exit_code_of(FBV_OK, NULL) == 0);
	graph_error_describe(FBV_ERR_UNSUPPORTED, NULL, line, sizeof(line));
	CHECK(says("fbvault-http.so"));
	/* a tiny buffer is still a terminated string */
	graph_error_describe(FBV_ERR_NET, &ge, line, 8);
	CHECK(strcmp(line, "cannot ") == 0);
}

static void
test_message_escaping(void)
{
	struct graph_error ge;
	char body[2048], longmsg[1000];
	int r;

	r = answer(400, "{\"error\":{\"message\":\"bad \\u001b]0;pwned\\u0007\\u001b[2J "
	    "\\u202eevil \\u00e9\\\\\",\"code\":368,\"fbtrace_id\":\"a\\u001bb\"}}",
	    GRAPH_CALL_PAGE, &ge);
	CHECK(r == FBV_ERR_REFUSED);
	CHECK(says("bad \\x1b]0;pwned\\x07\\x1b[2J \\xe2\\x80\\xaeevil \xc3\xa9\\\\ [fbtrace_id a\\x1bb]"));
	CHECK(strchr(line, 0x1b) == NULL && strchr(line, 0x07) == NULL);
	/* Graph's text is cut to 160 bytes before escaping */
	memset(longmsg, 'x', sizeof(longmsg) - 1);
	longmsg[sizeof(longmsg) - 1] = '\0';
	snprintf(body, sizeof(body), "{\"error\":{\"message\":\"%s\",\"code\":368}}", longmsg);
	r = answer(400, body, GRAPH_CALL_PAGE, &ge);
	CHECK(r == FBV_ERR_REFUSED && strlen(ge.message) == 255);
	CHECK(strstr(line, "(code 368): ") != NULL &&
	    strlen(strstr(line, "(code 368): ") + strlen("(code 368): ")) == 160);
	/* a cut message stays valid UTF-8 */
	memset(longmsg, 0, sizeof(longmsg));
	strcpy(longmsg, "x");
	while (strlen(longmsg) < 900)
		strcat(longmsg, "\\u00e9");
	snprintf(body, sizeof(body), "{\"error\":{\"message\":\"%s\",\"code\":368}}", longmsg);
	r = answer(400, body, GRAPH_CALL_PAGE, &ge);
	CHECK(r == FBV_ERR_REFUSED && strlen(ge.message) == 255);   /* 'x' + 127 x 2 bytes */
	CHECK(strstr(line, "\\x") == NULL);
}

#define ESCAPE(out, len, lit) graph_escape(out, len, lit, sizeof(lit) - 1)

static void
test_escape(void)
{
	char out[64];

	ESCAPE(out, sizeof(out), "Caf\xc3\xa9 \xf0\x9f\xa5\x90 24/7");
	CHECK(strcmp(out, "Caf\xc3\xa9 \xf0\x9f\xa5\x90 24/7") == 0);
	ESCAPE(out, sizeof(out), "a\x1b[2J\x07\x7f\n\t");
	CHECK(strcmp(out, "a\\x1b[2J\\x07\\x7f\\x0a\\x09") == 0);
	ESCAPE(out, sizeof(out), "a\xff\xc3(b\xc0\xaf");
	CHECK(strcmp(out, "a\\xff\\xc3(b\\xc0\\xaf") == 0);
	ESCAPE(out, sizeof(out), "\xc2\x9b" "1m \xe2\x80\xae \xe2\x81\xa6 \xe2\x80\xa8");
	CHECK(strcmp(out, "\\xc2\\x9b1m \\xe2\\x80\\xae \\xe2\\x81\\xa6 \\xe2\\x80\\xa8") == 0);
	ESCAPE(out, sizeof(out), "a\\b");
	CHECK(strcmp(out, "a\\\\b") == 0);
	ESCAPE(out, sizeof(out), "a\0b");
	CHECK(strcmp(out, "a\\x00b") == 0);
	/* cut between characters, never inside an escape or a sequence */
	ESCAPE(out, 5, "ab\x1b" "c");
	CHECK(strcmp(out, "ab") == 0);
	ESCAPE(out, 4, "ab\xc3\xa9");
	CHECK(strcmp(out, "ab") == 0);
	ESCAPE(out, 5, "ab\xc3\xa9");
	CHECK(strcmp(out, "ab\xc3\xa9") == 0);
	ESCAPE(out, 1, "abc");
	CHECK(out[0] == '\0');
}

#define PARSE(j, lit) json_parse(j, lit, sizeof(lit) - 1)

static void
test_exchange(void)
{
	struct json j;
	struct sbuf t;
	int64_t exp;

	sbuf_init(&t, GRAPH_TOKEN_MAX + 1);
	CHECK(PARSE(&j, "{\"access_token\":\"EAAlong\",\"token_type\":\"bearer\","
	    "\"expires_in\":5183944}") == FBV_OK);
	CHECK(parse_exchange(&j, &t, &exp) == FBV_OK && exp == 5183944 && t.len == 7 &&
	    memcmp(t.data, "EAAlong", 8) == 0);
	json_free(&j);
	CHECK(PARSE(&j, "{\"access_token\":\"EAAold\",\"expires\":\"5183944\"}") == FBV_OK);
	CHECK(parse_exchange(&j, &t, &exp) == FBV_OK && exp == 5183944 && t.len == 6);
	json_free(&j);
	CHECK(PARSE(&j, "{\"access_token\":\"EA\\u0041x\"}") == FBV_OK);
	CHECK(parse_exchange(&j, &t, &exp) == FBV_OK && exp == -1 && memcmp(t.data, "EAAx", 5) == 0);
	json_free(&j);
	CHECK(PARSE(&j, "{\"token_type\":\"bearer\"}") == FBV_OK);
	CHECK(parse_exchange(&j, &t, &exp) == FBV_ERR_PROTOCOL && t.len == 0);
	json_free(&j);
	CHECK(PARSE(&j, "{\"access_token\":\"EAA x\"}") == FBV_OK);
	CHECK(parse_exchange(&j, &t, &exp) == FBV_ERR_PROTOCOL && t.len == 0);
	json_free(&j);
	CHECK(PARSE(&j, "{\"access_token\":\"\"}") == FBV_OK);
	CHECK(parse_exchange(&j, &t, &exp) == FBV_ERR_PROTOCOL);
	json_free(&j);
	CHECK(PARSE(&j, "{\"access_token\":42}") == FBV_OK);
	CHECK(parse_exchange(&j, &t, &exp) == FBV_ERR_PROTOCOL);
	json_free(&j);
	CHECK(PARSE(&j, "{\"access_token\":\"EAA\",\"expires_in\":-5}") == FBV_OK);
	CHECK(parse_exchange(&j, &t, &exp) == FBV_ERR_PROTOCOL && t.len == 0 && exp == -1);
	json_free(&j);
	sbuf_free(&t);
}

static void
test_page(void)
{
	struct graph_error ge;
	struct graph_page p;
	struct json j;
	const char *s;

	memset(&ge, 0, sizeof(ge));
	s = "{\"access_token\":\"EAApage\",\"name\":\"Ferret Bakery\",\"id\":\"1234\"}";
	graph_page_init(&p);
	CHECK(json_parse(&j, s, strlen(s)) == FBV_OK);
	CHECK(parse_page(&j, "1234", &p, &ge) == FBV_OK && strcmp(p.id, "1234") == 0 &&
	    strcmp(p.name, "Ferret Bakery") == 0 && p.token.len == 7);
	graph_page_free(&p);
	graph_page_init(&p);
	CHECK(parse_page(&j, "1235", &p, &ge) == FBV_ERR_PROTOCOL);
	graph_page_free(&p);
	json_free(&j);
	s = "{\"access_token\":\"EAApage\",\"id\":1234}";
	graph_page_init(&p);
	CHECK(json_parse(&j, s, strlen(s)) == FBV_OK);
	CHECK(parse_page(&j, "1234", &p, &ge) == FBV_OK && p.name == NULL);
	graph_page_free(&p);
	json_free(&j);
	s = "{\"name\":\"Not Mine\",\"id\":\"1234\"}";
	graph_page_init(&p);
	CHECK(json_parse(&j, s, strlen(s)) == FBV_OK);
	CHECK(parse_page(&j, "1234", &p, &ge) == FBV_ERR_REFUSED && ge.code == 0);
	CHECK(exit_code_of(FBV_ERR_REFUSED, &ge) == EX_NOPERM);
	graph_error_describe(FBV_ERR_REFUSED, &ge, line, sizeof(line));
	CHECK(says("no page token for this page"));
	graph_page_free(&p);
	json_free(&j);
}

static int
accounts(const char *body, struct graph_page **pages, size_t *n, size_t *cap, struct sbuf *next)
{
	struct json j;
	int r;

	if ((r = json_parse(&j, body, strlen(body))) != FBV_OK)
		return r;
	r = parse_accounts(&j, pages, n, cap, next);
	json_free(&j);
	return r;
}

static void
test_accounts(void)
{
	struct graph_page *pages = NULL;
	struct sbuf next;
	size_t n = 0, cap = 0;

	sbuf_init(&next, URL_MAX + 1);
	CHECK(accounts("{\"data\":[{\"access_token\":\"EAA1\",\"category\":\"Bakery\","
	    "\"category_list\":[{\"id\":\"2265\",\"name\":\"Bakery\"}],\"name\":\"Ferret Bakery\","
	    "\"id\":\"1001\",\"tasks\":[\"ANALYZE\",\"MANAGE\"]},{\"name\":\"Caf\\u00e9 \\ud83e\\udd50\","
	    "\"id\":1002,\"access_token\":\"EAA2\"}],\"paging\":{\"cursors\":{\"before\":\"MQ\","
	    "\"after\":\"Mg\"},\"next\":\"https:\\/\\/graph.facebook.com\\/v25.0\\/me\\/accounts?"
	    "access_token=EAAuser&limit=2&after=Mg\"}}", &pages, &n, &cap, &next) == FBV_OK);
	CHECK(n == 2 && strcmp(pages[0].id, "1001") == 0 && strcmp(pages[1].id, "1002") == 0);
	CHECK(strcmp(pages[1].name, "Caf\xc3\xa9 \xf0\x9f\xa5\x90") == 0);
	CHECK(pages[1].token.len == 4 && memcmp(pages[1].token.data, "EAA2", 5) == 0);
	CHECK(strcmp((char *)next.data, "https://graph.facebook.com/v25.0/me/accounts?"
	    "access_token=EAAuser&limit=2&after=Mg") == 0);
	/* the last page: previous only, one entry without a token */
	CHECK(accounts("{\"data\":[{\"name\":\"No Token\",\"id\":\"1003\"}],\"paging\":{"
	    "\"previous\":\"https://graph.facebook.com/x\"}}", &pages, &n, &cap, &next) == FBV_OK);
	CHECK(n == 3 && pages[2].token.len == 0 && next.len == 0);
	CHECK(accounts("{\"data\":[]}", &pages, &n, &cap, &next) == FBV_OK && n == 3);
	CHECK(accounts("{\"data\":{}}", &pages, &n, &cap, &next) == FBV_ERR_PROTOCOL);
	CHECK(accounts("{\"paging\":{}}", &pages, &n, &cap, &next) == FBV_ERR_PROTOCOL);
	CHECK(accounts("{\"data\":[{\"name\":\"x\"}]}", &pages, &n, &cap, &next) == FBV_ERR_PROTOCOL);
	CHECK(accounts("{\"data\":[{\"id\":\"12x\"}]}", &pages, &n, &cap, &next) == FBV_ERR_PROTOCOL);
	CHECK(accounts("{\"data\":[7]}", &pages, &n, &cap, &next) == FBV_ERR_PROTOCOL);
	CHECK(accounts("{\"data\":[],\"paging\":{\"next\":7}}", &pages, &n, &cap, &next) ==
	    FBV_ERR_PROTOCOL);
	CHECK(accounts("{\"data\":[],\"paging\":[]}", &pages, &n, &cap, &next) == FBV_ERR_PROTOCOL);
	graph_pages_free(pages, n);
	sbuf_free(&next);
}

/* type is one of the kinds debug_token reports and every scope is [a-z_]+:
 * escape sequences never reach the screen or the vault's metadata. */
static void
test_debug_strict(void)
{
	static const char *const bad[] = {
		"{\"data\":{\"is_valid\":true,\"type\":\"US\\u001b[31mER\"}}",
		"{\"data\":{\"is_valid\":true,\"type\":\"user\"}}",
		"{\"data\":{\"is_valid\":true,\"type\":\"\"}}",
		"{\"data\":{\"is_valid\":true,\"scopes\":[\"pages_manage_posts\\u001b]0;x\\u0007\"]}}",
		"{\"data\":{\"is_valid\":true,\"scopes\":[\"Pages\"]}}",
		"{\"data\":{\"is_valid\":true,\"scopes\":[\"a b\"]}}",
		"{\"data\":{\"is_valid\":true,\"scopes\":[\"\"]}}",
	};
	static const char *const good[] = { "USER", "PAGE", "APP", "SYSTEM_USER" };
	struct graph_token_info t = { 0 };
	char body[256];
	struct json j;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(json_parse(&j, bad[i], strlen(bad[i])) == FBV_OK);
		CHECK(parse_debug(&j, &t) == FBV_ERR_PROTOCOL);
		json_free(&j);
		graph_token_info_free(&t);
	}
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(body, sizeof(body), "{\"data\":{\"is_valid\":true,\"type\":\"%s\","
		    "\"scopes\":[\"pages_show_list\",\"business_management\"]}}", good[i]);
		CHECK(json_parse(&j, body, strlen(body)) == FBV_OK);
		CHECK(parse_debug(&j, &t) == FBV_OK && strcmp(t.type, good[i]) == 0 &&
		    strcmp(t.scopes, "pages_show_list,business_management") == 0);
		json_free(&j);
		graph_token_info_free(&t);
	}
}

static void
test_debug(void)
{
	static const char full[] = "{\"data\":{\"app_id\":\"138483919580948\",\"type\":\"PAGE\","
	    "\"application\":\"Ferret Poster\",\"data_access_expires_at\":1790000000,"
	    "\"expires_at\":0,\"is_valid\":true,\"issued_at\":1760000000,\"profile_id\":\"1234\","
	    "\"scopes\":[\"pages_show_list\",\"pages_manage_posts\"],\"granular_scopes\":[{\"scope\":"
	    "\"pages_manage_posts\",\"target_ids\":[\"1234\"]}],\"user_id\":\"9876\"}}";
	static const char numeric[] = "{\"data\":{\"app_id\":138483919580948,\"type\":\"PAGE\","
	    "\"is_valid\":true,\"profile_id\":1234,\"scopes\":[]}}";
	static const char invalid[] = "{\"data\":{\"scopes\":[],\"is_valid\":false,\"error\":{"
	    "\"code\":190,\"message\":\"Invalid OAuth access token - Cannot parse access token\","
	    "\"subcode\":467}}}";
	struct graph_token_info t;
	struct graph_error ge;
	struct json j;

	graph_token_info_init(&t);
	CHECK(json_parse(&j, full, strlen(full)) == FBV_OK && parse_debug(&j, &t) == FBV_OK);
	CHECK(t.is_valid && strcmp(t.type, "PAGE") == 0 && strcmp(t.app_id, "138483919580948") == 0);
	CHECK(strcmp(t.profile_id, "1234") == 0 && strcmp(t.user_id, "9876") == 0);
	CHECK(strcmp(t.application, "Ferret Poster") == 0);
	CHECK(strcmp(t.scopes, "pages_show_list,pages_manage_posts") == 0);
	CHECK(graph_has_scope(&t, "pages_manage_posts") && graph_has_scope(&t, "pages_show_list"));
	CHECK(!graph_has_scope(&t, "pages_manage") && !graph_has_scope(&t, "") &&
	    !graph_has_scope(&t, "pages_show_list,pages_manage_posts"));
	CHECK(t.expires_at == 0 && t.issued_at == 1760000000 && t.data_access_expires_at == 1790000000);
	json_free(&j);
	graph_token_info_free(&t);

	CHECK(json_parse(&j, numeric, strlen(numeric)) == FBV_OK && parse_debug(&j, &t) == FBV_OK);
	CHECK(strcmp(t.app_id, "138483919580948") == 0 && strcmp(t.profile_id, "1234") == 0);
	CHECK(t.expires_at == -1 && t.issued_at == -1 && t.user_id[0] == '\0');
	CHECK(t.scopes != NULL && t.scopes[0] == '\0' && !graph_has_scope(&t, "pages_manage_posts"));
	json_free(&j);
	graph_token_info_free(&t);

	CHECK(json_parse(&j, invalid, strlen(invalid)) == FBV_OK && parse_debug(&j, &t) == FBV_OK);
	CHECK(!t.is_valid && t.err_code == 190 && t.err_subcode == 467 &&
	    strncmp(t.err_message, "Invalid OAuth", 13) == 0);
	CHECK(graph_token_error(&t, &ge) == FBV_ERR_REFUSED && ge.code == 190 && ge.subcode == 467);
	graph_error_describe(FBV_ERR_REFUSED, &ge, line, sizeof(line));
	CHECK(says("the token is invalid (code 190/467)"));
	CHECK(exit_code_of(FBV_ERR_REFUSED, &ge) == EX_NOPERM);
	t.err_code = t.err_subcode = 0;
	CHECK(graph_token_error(&t, &ge) == FBV_ERR_REFUSED && ge.code == 190);
	graph_error_describe(FBV_ERR_REFUSED, &ge, line, sizeof(line));
	CHECK(says("the access token was rejected (code 190): get a fresh one"));
	json_free(&j);
	graph_token_info_free(&t);

	CHECK(PARSE(&j, "{\"data\":{\"is_valid\":\"yes\"}}") == FBV_OK);
	CHECK(parse_debug(&j, &t) == FBV_ERR_PROTOCOL);
	json_free(&j);
	graph_token_info_free(&t);
	CHECK(PARSE(&j, "{\"data\":{\"is_valid\":true,\"scopes\":[\"a,b\"]}}") == FBV_OK);
	CHECK(parse_debug(&j, &t) == FBV_ERR_PROTOCOL);
	json_free(&j);
	graph_token_info_free(&t);
	CHECK(PARSE(&j, "{\"data\":{\"is_valid\":true,\"app_id\":\"12ab\"}}") == FBV_OK);
	CHECK(parse_debug(&j, &t) == FBV_ERR_PROTOCOL);
	json_free(&j);
	graph_token_info_free(&t);
	CHECK(PARSE(&j, "{\"is_valid\":true}") == FBV_OK);
	CHECK(parse_debug(&j, &t) == FBV_ERR_PROTOCOL);
	json_free(&j);
	graph_token_info_free(&t);
	test_debug_strict();
}

static bool
origin_is(const char *url, bool https, const char *host, unsigned port)
{
	struct url_origin o;
	size_t path;

	return url_parse(url, &o, &path) == FBV_OK && o.https == https &&
	    strcmp(o.host, host) == 0 && o.port == port;
}

static bool
url_refused(const char *url)
{
	struct url_origin o;
	size_t path;

	return url_parse(url, &o, &path) == FBV_ERR_INVALID;
}

static void
test_urls(void)
{
	struct sbuf b;

	CHECK(origin_is("https://graph.facebook.com", true, "graph.facebook.com", 443));
	CHECK(origin_is("HTTPS://Graph.Facebook.COM:443/v25.0/me?x=1", true, "graph.facebook.com", 443));
	CHECK(origin_is("http://127.0.0.1:8080/", false, "127.0.0.1", 8080));
	CHECK(origin_is("http://[::1]:99", false, "[::1]", 99));
	CHECK(url_refused("ftp://graph.facebook.com"));
	CHECK(url_refused("https//graph.facebook.com"));
	CHECK(url_refused("https://user@graph.facebook.com"));
	CHECK(url_refused("https://graph.facebook.com:443@evil.example/"));
	CHECK(url_refused("https://evil.example#@graph.facebook.com"));
	CHECK(url_refused("https://graph.facebook.com\\@evil.example"));
	CHECK(url_refused("https://graph.facebook.com /x"));
	CHECK(url_refused("https://graph.face\x01" "book.com"));
	CHECK(url_refused("https://"));
	CHECK(url_refused("https://:443"));
	CHECK(url_refused("https://host:0"));
	CHECK(url_refused("https://host:65536"));
	CHECK(url_refused("https://host:12a"));
	CHECK(url_refused("https://host:"));
	CHECK(url_refused("https://%65vil.example"));
	CHECK(url_refused("https://[]"));
	CHECK(url_refused("https://[::1"));
	CHECK(url_host_is_loopback("127.0.0.1") && url_host_is_loopback("127.255.3.4") &&
	    url_host_is_loopback("localhost") && url_host_is_loopback("[::1]"));
	CHECK(!url_host_is_loopback("128.0.0.1") && !url_host_is_loopback("127.0.0.1.evil.example") &&
	    !url_host_is_loopback("127.1") && !url_host_is_loopback("127.0.0.256") &&
	    !url_host_is_loopback("127.0.0.0001") && !url_host_is_loopback("localhost.evil.example") &&
	    !url_host_is_loopback("[::2]") && !url_host_is_loopback("10.0.0.1"));

	sbuf_init(&b, 1024);
	CHECK(url_param(&b, true, "access_token", "123|s3c r/t&x=é", 16) == FBV_OK &&
	    url_finish(&b) == FBV_OK);
	CHECK(strcmp((char *)b.data, "?access_token=123%7Cs3c%20r%2Ft%26x%3D%C3%A9") == 0);
	sbuf_reset(&b);
	CHECK(url_param(&b, false, "t", "AZaz09-._~", 10) == FBV_OK && url_finish(&b) == FBV_OK);
	CHECK(strcmp((char *)b.data, "&t=AZaz09-._~") == 0);
	sbuf_free(&b);
}

static int
next_url(const char *base, const char *next, char *out, size_t len, bool *hasq)
{
	struct url_origin o;
	struct sbuf b;
	size_t path;
	int r;

	if (url_parse(base, &o, &path) != FBV_OK)
		return -100;
	sbuf_init(&b, 4096);
	if ((r = url_next(&o, next, &b, hasq)) == FBV_OK)
		snprintf(out, len, "%s", (char *)b.data);
	sbuf_free(&b);
	return r;
}

static void
test_next_urls(void)
{
	const char *base = "https://127.0.0.1:8443";
	char out[1024];
	bool q;

	CHECK(next_url(base, "https://127.0.0.1:8443/v25.0/me/accounts?access_token=EAAx&limit=2"
	    "&after=MTAwMg%3D%3D", out, sizeof(out), &q) == FBV_OK && q);
	CHECK(strcmp(out, "https://127.0.0.1:8443/v25.0/me/accounts?limit=2&after=MTAwMg%3D%3D") == 0);
	/* a proof already there, ours or not, goes; so does a token under a
	 * percent-encoded name */
	CHECK(next_url(base, "https://127.0.0.1:8443/me/accounts?appsecret_proof=00ff&after=x&"
	    "access%5ftoken=EAAy&appsecret%5Fproof=1&access_tokens=keep", out, sizeof(out), &q) ==
	    FBV_OK);
	CHECK(strcmp(out, "https://127.0.0.1:8443/me/accounts?after=x&access_tokens=keep") == 0);
	CHECK(next_url(base, "https://127.0.0.1:8443/me/accounts?access_token=EAAx", out,
	    sizeof(out), &q) == FBV_OK && !q);
	CHECK(strcmp(out, "https://127.0.0.1:8443/me/accounts") == 0);
	CHECK(next_url("https://graph.facebook.com", "https://GRAPH.facebook.com:443/v25.0/me/"
	    "accounts?after=x", out, sizeof(out), &q) == FBV_OK);
	/* another host, scheme or port: never */
	CHECK(next_url(base, "https://evil.example:8443/me/accounts?after=x", out, sizeof(out), &q) ==
	    FBV_ERR_PROTOCOL);
	CHECK(next_url(base, "https://127.0.0.1:8444/me/accounts", out, sizeof(out), &q) ==
	    FBV_ERR_PROTOCOL);
	CHECK(next_url(base, "http://127.0.0.1:8443/me/accounts", out, sizeof(out), &q) ==
	    FBV_ERR_PROTOCOL);
	CHECK(next_url(base, "https://127.0.0.1/me/accounts", out, sizeof(out), &q) ==
	    FBV_ERR_PROTOCOL);
	CHECK(next_url("https://graph.facebook.com", "https://graph.facebook.com.evil.example/x",
	    out, sizeof(out), &q) == FBV_ERR_PROTOCOL);
	CHECK(next_url("https://graph.facebook.com", "https://graph.facebook.com@evil.example/x",
	    out, sizeof(out), &q) == FBV_ERR_INVALID);
	CHECK(next_url("https://graph.facebook.com", "/v25.0/me/accounts?after=x",
	    out, sizeof(out), &q) == FBV_ERR_INVALID);
	CHECK(next_url("https://graph.facebook.com", "//evil.example/x",
	    out, sizeof(out), &q) == FBV_ERR_INVALID);
}

static void
conf_defaults(struct graph_conf *c, const char *url)
{
	c->base_url = url;
	c->version = "v25.0";
	c->ca_file = NULL;
	c->connect_timeout_ms = 10000;
	c->timeout_ms = 30000;
}

static int
open_with(const char *url, const char *version, const char *app_id, size_t secret_len)
{
	struct graph_conf c;
	struct graph *g = (struct graph *)&c;   /* must come back NULL */
	int r;

	conf_defaults(&c, url);
	c.version = version;
	r = graph_open(&c, test_http(), app_id, (const unsigned char *)"s3cret", secret_len, &g);
	if (r != FBV_OK && g != NULL)
		return -100;
	graph_close(g);
	return r;
}

static void
test_conf(void)
{
	struct graph_conf c;

	CHECK(open_with("http://graph.facebook.com", "v25.0", "1", 6) == FBV_ERR_INVALID);
	CHECK(open_with("http://10.0.0.1:8080", "v25.0", "1", 6) == FBV_ERR_INVALID);
	CHECK(open_with("http://127.1:8080", "v25.0", "1", 6) == FBV_ERR_INVALID);
	CHECK(open_with("http://127.0.0.1.evil.example", "v25.0", "1", 6) == FBV_ERR_INVALID);
	CHECK(open_with("ftp://127.0.0.1", "v25.0", "1", 6) == FBV_ERR_INVALID);
	CHECK(open_with("https://graph.facebook.com?x=1", "v25.0", "1", 6) == FBV_ERR_INVALID);
	CHECK(open_with("https://graph.facebook.com", "v25", "1", 6) == FBV_ERR_INVALID);
	CHECK(open_with("https://graph.facebook.com", "25.0", "1", 6) == FBV_ERR_INVALID);
	CHECK(open_with("https://graph.facebook.com", "v25.0/", "1", 6) == FBV_ERR_INVALID);
	CHECK(open_with("https://graph.facebook.com", "v.0", "1", 6) == FBV_ERR_INVALID);
	CHECK(open_with("https://graph.facebook.com", "v25.0", "12a", 6) == FBV_ERR_INVALID);
	CHECK(open_with("https://graph.facebook.com", "v25.0", "", 6) == FBV_ERR_INVALID);
	CHECK(open_with("https://graph.facebook.com", "v25.0", "1", 0) == FBV_ERR_INVALID);

	conf_defaults(&c, "http://127.0.0.1:8080");
	CHECK(graph_conf_check(&c) == NULL);
	c.base_url = "http://localhost:1/prefix/";
	CHECK(graph_conf_check(&c) == NULL);
	c.base_url = "http://[::1]:8080";
	CHECK(graph_conf_check(&c) == NULL);
	c.base_url = "https://graph.example:8443/graph";
	c.version = "";
	CHECK(graph_conf_check(&c) == NULL);
	c.base_url = "http://192.168.1.1";
	CHECK(strstr(graph_conf_check(&c), "loopback") != NULL);
	c.base_url = GRAPH_DEFAULT_URL;
	c.ca_file = "/nonexistent/ca.pem";
	CHECK(strstr(graph_conf_check(&c), "FBVAULT_CA_FILE") != NULL);
	c.ca_file = NULL;
	c.timeout_ms = 0;
	CHECK(strstr(graph_conf_check(&c), "FBVAULT_TIMEOUT") != NULL);

	setenv("FBVAULT_GRAPH_URL", "http://127.0.0.1:9", 1);
	setenv("FBVAULT_GRAPH_VERSION", "", 1);
	setenv("FBVAULT_CONNECT_TIMEOUT", "0.5", 1);
	setenv("FBVAULT_TIMEOUT", "2.25", 1);
	unsetenv("FBVAULT_CA_FILE");
	CHECK(graph_conf_from_env(&c) == FBV_OK && strcmp(c.version, "") == 0 &&
	    strcmp(c.base_url, "http://127.0.0.1:9") == 0 && c.ca_file == NULL &&
	    c.connect_timeout_ms == 500 && c.timeout_ms == 2250);
	setenv("FBVAULT_TIMEOUT", "abc", 1);
	CHECK(graph_conf_from_env(&c) == FBV_ERR_INVALID);
	setenv("FBVAULT_TIMEOUT", "0", 1);
	CHECK(graph_conf_from_env(&c) == FBV_ERR_INVALID);
	setenv("FBVAULT_TIMEOUT", "3601", 1);
	CHECK(graph_conf_from_env(&c) == FBV_ERR_INVALID);
	setenv("FBVAULT_TIMEOUT", "1.2345", 1);
	CHECK(graph_conf_from_env(&c) == FBV_ERR_INVALID);
	setenv("FBVAULT_TIMEOUT", "1.", 1);
	CHECK(graph_conf_from_env(&c) == FBV_ERR_INVALID);
	setenv("FBVAULT_GRAPH_URL", "http://example.com", 1);
	unsetenv("FBVAULT_TIMEOUT");
	CHECK(graph_conf_from_env(&c) == FBV_ERR_INVALID);
	unsetenv("FBVAULT_GRAPH_URL");
	unsetenv("FBVAULT_GRAPH_VERSION");
	unsetenv("FBVAULT_CONNECT_TIMEOUT");
	CHECK(graph_conf_from_env(&c) == FBV_OK && strcmp(c.base_url, GRAPH_DEFAULT_URL) == 0 &&
	    strcmp(c.version, GRAPH_DEFAULT_VERSION) == 0 && c.timeout_ms == 30000 &&
	    c.connect_timeout_ms == 10000);
}

static void
test_tokens(void)
{
	CHECK(token_ok((const unsigned char *)"EAAabc", 6));
	CHECK(token_ok((const unsigned char *)"123|abc", 7));
	CHECK(!token_ok((const unsigned char *)"", 0));
	CHECK(!token_ok((const unsigned char *)"EAA abc", 7));
	CHECK(!token_ok((const unsigned char *)"EAA\nabc", 7));
	CHECK(!token_ok((const unsigned char *)"EAA\xc3\xa9", 5));
}

/* The refusals of posting calls: class, exit code, line. */
static void
test_posting_errors(void)
{
	static const struct error_case cases[] = {
		{ 506, 0, "(#506) Duplicate status message", "", GRAPH_CALL_PUBLISH,
		  FBV_ERR_REFUSED, EX_CANTCREAT, "duplicate post (code 506): the same message was "
		  "just posted on this page; nothing was posted" },
		{ 368, 0, "(#368) The action attempted has been deemed abusive", ",\"error_user_msg\":"
		  "\"You can't post for 3 days\"", GRAPH_CALL_PUBLISH, FBV_ERR_REFUSED, EX_NOPERM,
		  "the page may not post for now (code 368): Facebook blocked it for a policy "
		  "violation; graph says: You can't post for 3 days" },
		{ 200, 0, "(#200) If posting to a page, requires both", "", GRAPH_CALL_PUBLISH,
		  FBV_ERR_REFUSED, EX_NOPERM, "the page token needs pages_manage_posts and "
		  "pages_read_engagement and a CREATE_CONTENT, MODERATE or MANAGE task" },
		{ 10, 0, "(#10) This endpoint requires", "", GRAPH_CALL_SCHEDULED,
		  FBV_ERR_REFUSED, EX_NOPERM, "missing permission (code 10): the page token needs" },
		{ 100, 0, "(#100) The specified scheduled publish time is invalid.", "",
		  GRAPH_CALL_PUBLISH, FBV_ERR_REFUSED, EX_DATAERR, "the scheduled time was refused "
		  "(code 100): it must be from 10 minutes to 30 days ahead" },
		{ 100, 33, "Unsupported delete request.", "", GRAPH_CALL_DELETE,
		  FBV_ERR_REFUSED, EX_DATAERR, "no such post (code 100/33)" },
		{ 324, 0, "(#324) Requires upload file", "", GRAPH_CALL_UPLOAD,
		  FBV_ERR_REFUSED, EX_DATAERR, "Graph refused the post (code 324): (#324) Requires" },
		{ 190, 460, "Error validating access token", "", GRAPH_CALL_PUBLISH,
		  FBV_ERR_REFUSED, EX_NOPERM, "the token died with a password change (code 190/460)" },
		{ 341, 0, "(#341) Application limit reached", "", GRAPH_CALL_PUBLISH,
		  FBV_ERR_TEMPFAIL, EX_TEMPFAIL, "rate limited (code 341): wait and retry" },
		{ 80001, 0, "There have been too many calls to this Page account", "",
		  GRAPH_CALL_PUBLISH, FBV_ERR_TEMPFAIL, EX_TEMPFAIL, "rate limited (code 80001)" },
	};
	struct graph_error ge;
	size_t i;
	int r;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		r = answer(400, error_body(cases[i].code, cases[i].subcode, cases[i].message,
		    cases[i].extra), cases[i].call, &ge);
		CHECK(r == cases[i].err);
		CHECK(exit_code_of(r, &ge) == cases[i].exit);
		CHECKF(says(cases[i].says), "posting case %zu", i);
	}
	/* Business Use Case limits: the minutes until access returns. */
	memset(&ge, 0, sizeof(ge));
	ge.code = 80001;
	ge.call = GRAPH_CALL_PUBLISH;
	strcpy(ge.buc_usage, "{\"1001\":[{\"type\":\"pages\",\"call_count\":100,"
	    "\"estimated_time_to_regain_access\":12}]}");
	ge.regain_minutes = parse_buc_minutes(ge.buc_usage, strlen(ge.buc_usage));
	CHECK(ge.regain_minutes == 12);
	graph_error_describe(FBV_ERR_TEMPFAIL, &ge, line, sizeof(line));
	CHECK(says("rate limited (code 80001): wait 12 minutes and retry; "
	    "X-Business-Use-Case-Usage {\"1001\":[{"));
#define BUC(s) parse_buc_minutes(s, strlen(s))
	CHECK(BUC("{\"1\":[{\"estimated_time_to_regain_access\":3}],"
	    "\"2\":[{\"estimated_time_to_regain_access\":9},{}]}") == 9);
	CHECK(BUC("") == 0);
	CHECK(BUC("{\"1\":{}}") == 0);
	CHECK(BUC("not json") == 0);
	CHECK(BUC("{\"1\":[{\"estimated_time_to_regain_access\":-4}]}") == 0);
#undef BUC
	/* A post that may exist: exit 75, said as such. */
	memset(&ge, 0, sizeof(ge));
	ge.call = GRAPH_CALL_PUBLISH;
	strcpy(ge.message, "Operation timed out");
	graph_error_describe(FBV_ERR_UNCERTAIN, &ge, line, sizeof(line));
	CHECK(says("no clear answer after the post went out (Operation timed out): it may have "
	    "been published"));
	CHECK(exit_code_of(FBV_ERR_UNCERTAIN, &ge) == EX_TEMPFAIL);
}

static void
test_posting_answers(void)
{
	struct graph_posted out;
	struct graph_scheduled *items = NULL;
	struct sbuf next;
	struct json j;
	size_t n = 0, cap = 0;
	const char *body;

	memset(&out, 0, sizeof(out));
	body = "{\"id\":\"1001_55\"}";
	CHECK(json_parse(&j, body, strlen(body)) == FBV_OK);
	CHECK(parse_posted(&j, false, &out) == FBV_OK && strcmp(out.id, "1001_55") == 0);
	json_free(&j);
	body = "{\"id\":\"77\",\"post_id\":\"1001_78\"}";
	CHECK(json_parse(&j, body, strlen(body)) == FBV_OK);
	memset(&out, 0, sizeof(out));
	CHECK(parse_posted(&j, true, &out) == FBV_OK && strcmp(out.id, "1001_78") == 0 &&
	    out.nphotos == 1 && strcmp(out.photo_ids[0], "77") == 0);
	json_free(&j);
	body = "{\"id\":\"1001_55/../x\"}";
	CHECK(json_parse(&j, body, strlen(body)) == FBV_OK);
	CHECK(parse_posted(&j, false, &out) == FBV_ERR_PROTOCOL);
	json_free(&j);
	body = "{\"data\":[{\"id\":\"1001_9\",\"message\":\"a\\nb\",\"scheduled_publish_time\":"
	    "1790000000},{\"id\":\"1001_8\"}],\"paging\":{\"next\":\"https://h/x?after=1\"}}";
	CHECK(json_parse(&j, body, strlen(body)) == FBV_OK);
	sbuf_init(&next, 8192);
	CHECK(parse_scheduled(&j, &items, &n, &cap, &next) == FBV_OK && n == 2);
	CHECK(n == 2 && strcmp(items[0].message, "a\nb") == 0 && items[0].scheduled_at == 1790000000 &&
	    items[1].message == NULL && items[1].scheduled_at == -1 && next.len > 0);
	json_free(&j);
	graph_scheduled_free(items, n);
	sbuf_free(&next);
	body = "{\"success\":true}";
	CHECK(json_parse(&j, body, strlen(body)) == FBV_OK && parse_success(&j) == FBV_OK);
	json_free(&j);
	body = "{\"success\":false}";
	CHECK(json_parse(&j, body, strlen(body)) == FBV_OK && parse_success(&j) == FBV_ERR_PROTOCOL);
	json_free(&j);
	CHECK(graph_post_id_ok("1001_55") && graph_post_id_ok("77"));
	CHECK(!graph_post_id_ok("") && !graph_post_id_ok("_1") && !graph_post_id_ok("1_") &&
	    !graph_post_id_ok("1_2_3") && !graph_post_id_ok("../1") && !graph_post_id_ok("1?x=y"));
}

#define JSON_LIT(j, lit) json_parse(j, lit, sizeof(lit) - 1)

/* A batch answer of n items: each item read, each body as an answer. */
static int
batch_of(long status, const char *body, size_t n, struct graph_error *ge)
{
	struct json j;
	int r;

	memset(ge, 0, sizeof(*ge));
	if ((r = parse_batch(status, body, strlen(body), n, &j, ge)) == FBV_OK)
		json_free(&j);
	return r;
}

static void
test_batch(void)
{
	static const char two[] = "[null,{\"code\":400,\"headers\":[{\"name\":\"x-app-usage\","
	    "\"value\":\"{\\\"call_count\\\":100}\"},{\"name\":\"Other\",\"value\":\"v\"}],"
	    "\"body\":\"{\\\"error\\\":{\\\"message\\\":\\\"(#613) Calls to this api have "
	    "exceeded the rate limit.\\\",\\\"code\\\":613}}\"}]";
	static const char *const bad_items[] = {
		"[1]", "[{}]", "[{\"code\":99,\"body\":\"{}\"}]", "[{\"code\":600,\"body\":\"{}\"}]",
		"[{\"code\":200}]", "[{\"code\":200,\"body\":{}}]", "[{\"code\":\"x\",\"body\":\"{}\"}]",
		"[{\"code\":200,\"body\":\"{}\",\"headers\":{}}]",
		"[{\"code\":200,\"body\":\"{}\",\"headers\":[{\"name\":1,\"value\":\"v\"}]}]",
		"[{\"code\":200,\"body\":\"{}\",\"headers\":[{\"name\":\"n\"}]}]",
	};
	struct batch_item it;
	struct graph_error ge;
	struct json j, b;
	size_t i;
	int r;

	CHECK(batch_of(200, two, 2, &ge) == FBV_OK);
	CHECK(batch_of(200, two, 3, &ge) == FBV_ERR_PROTOCOL && strstr(ge.message, "number") != NULL);
	CHECK(batch_of(500, two, 2, &ge) == FBV_ERR_PROTOCOL);
	CHECK(batch_of(200, "{\"data\":[]}", 1, &ge) == FBV_ERR_PROTOCOL &&
	    strcmp(ge.message, "the batch answer is not an array") == 0);
	CHECK(batch_of(400, "{\"error\":{\"message\":\"bad\",\"code\":190}}", 1, &ge) == FBV_ERR_REFUSED &&
	    ge.code == 190);
	CHECK(batch_of(200, "[null] x", 1, &ge) == FBV_ERR_PROTOCOL);
	CHECK(batch_of(200, "", 1, &ge) == FBV_ERR_PROTOCOL);
	CHECK(batch_of(200, "[]", 0, &ge) == FBV_OK);

	sbuf_init(&it.body, GRAPH_MAX_BODY);
	CHECK(parse_batch(200, two, strlen(two), 2, &j, &ge) == FBV_OK);
	CHECK(parse_batch_item(&j, 1, &it) == FBV_OK && it.missing);
	CHECK(parse_batch_item(&j, 2, &it) == FBV_OK && !it.missing && it.code == 400);
	CHECK(strcmp(it.app_usage, "{\"call_count\":100}") == 0 && it.page_usage[0] == '\0');
	memset(&ge, 0, sizeof(ge));
	ge.call = GRAPH_CALL_DEBUG;
	r = parse_batch_answer(&it, &b, &ge);
	CHECK(r == FBV_ERR_TEMPFAIL && ge.code == 613 && ge.http_status == 400);
	graph_error_describe(r, &ge, line, sizeof(line));
	CHECK(says("rate limited (code 613): wait and retry; X-App-Usage {\"call_count\":100}"));
	json_free(&j);
	for (i = 0; i < sizeof(bad_items) / sizeof(bad_items[0]); i++) {
		CHECK(parse_batch(200, bad_items[i], strlen(bad_items[i]), 1, &j, &ge) == FBV_OK);
		CHECK(parse_batch_item(&j, 1, &it) == FBV_ERR_PROTOCOL);
		json_free(&j);
	}
	/* a debug_token answer inside an item */
	r = parse_batch(200, "[{\"code\":200,\"body\":\"{\\\"data\\\":{\\\"is_valid\\\":true,"
	    "\\\"type\\\":\\\"PAGE\\\",\\\"granular_scopes\\\":[{\\\"scope\\\":"
	    "\\\"pages_manage_posts\\\",\\\"target_ids\\\":[\\\"1001\\\"]}]}}\"}]", 0, 1, &j, &ge);
	CHECK(r == FBV_ERR_PROTOCOL);   /* len 0: nothing to read */
	sbuf_free(&it.body);
}

static void
test_granular(void)
{
	struct graph_token_info t;
	struct json j;
	static const char body[] = "{\"data\":{\"is_valid\":true,\"type\":\"PAGE\",\"scopes\":"
	    "[\"pages_manage_posts\"],\"granular_scopes\":[{\"scope\":\"pages_show_list\"},"
	    "{\"scope\":\"pages_manage_posts\",\"target_ids\":[\"1001\",\"1003\"]}]}}";

	graph_token_info_init(&t);
	CHECK(json_parse(&j, body, strlen(body)) == FBV_OK && parse_debug(&j, &t) == FBV_OK);
	CHECK(t.post_targets != NULL && strcmp(t.post_targets, "1001,1003") == 0);
	CHECK(graph_grant_covers(&t, "1001") && graph_grant_covers(&t, "1003") &&
	    !graph_grant_covers(&t, "1002") && !graph_grant_covers(&t, "100"));
	json_free(&j);
	graph_token_info_free(&t);
	CHECK(json_parse(&j, "{\"data\":{\"is_valid\":true}}", strlen("{\"data\":{\"is_valid\":true}}")) == FBV_OK &&
	    parse_debug(&j, &t) == FBV_OK && t.post_targets == NULL && graph_grant_covers(&t, "1"));
	json_free(&j);
	graph_token_info_free(&t);
	CHECK(JSON_LIT(&j, "{\"data\":{\"is_valid\":true,\"granular_scopes\":[{\"scope\":"
	    "\"pages_manage_posts\",\"target_ids\":[\"12a\"]}]}}") == FBV_OK);
	CHECK(parse_debug(&j, &t) == FBV_ERR_PROTOCOL);
	json_free(&j);
	graph_token_info_free(&t);
}

static void
test_page_fields(void)
{
	static const char body[] = "{\"data\":[{\"id\":\"1001\",\"name\":\"A\",\"access_token\":\"EAAx\","
	    "\"tasks\":[\"ANALYZE\",\"CREATE_CONTENT\"],\"instagram_business_account\":{\"id\":"
	    "\"17841400000000001\",\"username\":\"ferret\"}},{\"id\":\"1002\"}]}";
	struct graph_page *pages = NULL;
	struct sbuf next;
	size_t n = 0, cap = 0;
	struct json j;

	sbuf_init(&next, 1024);
	CHECK(json_parse(&j, body, strlen(body)) == FBV_OK);
	CHECK(parse_accounts(&j, &pages, &n, &cap, &next) == FBV_OK && n == 2);
	CHECK(n == 2 && strcmp(pages[0].tasks, "ANALYZE,CREATE_CONTENT") == 0 &&
	    strcmp(pages[0].ig_id, "17841400000000001") == 0 &&
	    strcmp(pages[0].ig_username, "ferret") == 0);
	CHECK(n == 2 && pages[1].tasks == NULL && pages[1].ig_id[0] == '\0' &&
	    pages[1].ig_username == NULL);
	json_free(&j);
	graph_pages_free(pages, n);
	pages = NULL;
	n = cap = 0;
	CHECK(JSON_LIT(&j, "{\"data\":[{\"id\":\"1\",\"tasks\":[\"create\"]}]}") == FBV_OK);
	CHECK(parse_accounts(&j, &pages, &n, &cap, &next) == FBV_ERR_PROTOCOL);
	json_free(&j);
	graph_pages_free(pages, n);
	pages = NULL;
	n = cap = 0;
	CHECK(JSON_LIT(&j, "{\"data\":[{\"id\":\"1\",\"instagram_business_account\":{}}]}") == FBV_OK);
	CHECK(parse_accounts(&j, &pages, &n, &cap, &next) == FBV_ERR_PROTOCOL);
	json_free(&j);
	graph_pages_free(pages, n);
	sbuf_free(&next);
}

int
main(void)
{
	if (sodium_init() < 0)
		return 1;
	test_batch();
	test_granular();
	test_page_fields();
	test_proof_vector();
	test_error_bodies();
	test_posting_errors();
	test_posting_answers();
	test_not_graph_errors();
	test_other_errors();
	test_message_escaping();
	test_escape();
	test_exchange();
	test_page();
	test_accounts();
	test_debug();
	test_urls();
	test_next_urls();
	test_conf();
	test_tokens();
	return check_report(NULL);
}
