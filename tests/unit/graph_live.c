/* graph.c against a real HTTPS server: tests/graph/fake_graph.py on
 * 127.0.0.1 with a test CA, driven by tests/graph_client.sh.
 *
 *   graph_live flow     the whole login flow on one connection
 *   graph_live faults   every fault of the fake and every refusal Graph
 *                       makes, each to its error class, exit code and line
 *   graph_live paging   paging links from a plain-HTTP loopback server:
 *                       only same-origin ones are followed
 *
 * The module is loaded by http_load(), as fbvault does: this executable
 * is built beside fbvault-http.so. Environment (set by the wrapper):
 * FBVAULT_GRAPH_URL, FBVAULT_CA_FILE, FBV_TEST_BASE_CONFIG (the fake's
 * config without faults), FBV_TEST_CONFIG (the file the fake reads),
 * FBV_TEST_APP_ID, FBV_TEST_SECRET, FBV_TEST_SHORT (user 9876, manages
 * pages 1001-1005), FBV_TEST_SHORT2 (user 5555, pages 1001-1004, no
 * pages_manage_posts), FBV_TEST_SHORT_EXPIRED, FBV_TEST_OTHER_URL and
 * FBV_TEST_OTHER_CA (a server with a certificate from another CA),
 * FBV_TEST_PLAIN_URL (paging only). With FBV_TEST_VERBOSE set, every
 * line a user would see is shown on stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include <sodium.h>

#include "../../crypto/errors.h"
#include "../../cli/errors.h"
#include "../../cli/module.h"
#include "../../graph/graph.h"
#include "check.h"
#include "graph_helpers.h"

static const char *app_id, *secret;
static struct sbuf long_token, long_token2, page_token;
static char line[1024];

static const char *
need(const char *name)
{
	const char *v = getenv(name);

	if (v == NULL || *v == '\0') {
		fprintf(stderr, "graph_live: %s is not set\n", name);
		exit(2);
	}
	return v;
}

/* The fake re-reads its config when the file changes: the base config
 * with "faults" added, replaced by rename. */
static void
set_faults(const char *faults)
{
	const char *path = need("FBV_TEST_CONFIG");
	char base[8192], tmp[4096];
	size_t n;
	FILE *f;

	if ((f = fopen(need("FBV_TEST_BASE_CONFIG"), "r")) == NULL)
		exit(2);
	n = fread(base, 1, sizeof(base) - 1, f);
	fclose(f);
	base[n] = '\0';
	while (n > 0 && strchr(" \t\r\n}", base[n - 1]) != NULL)
		base[--n] = '\0';
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL)
		exit(2);
	fprintf(f, "%s,\"faults\":{%s}}\n", base, faults);
	if (fclose(f) != 0 || rename(tmp, path) != 0)
		exit(2);
}

static struct graph *
open_as(const char *url, const char *ca, const char *id, const char *key, long timeout_ms)
{
	struct graph_conf c;
	struct graph *g = NULL;
	int r;

	if (graph_conf_from_env(&c) != FBV_OK) {
		fprintf(stderr, "graph_live: bad environment: %s\n", graph_conf_check(&c));
		exit(2);
	}
	if (url != NULL)
		c.base_url = url;
	if (ca != NULL)
		c.ca_file = ca;
	if (timeout_ms > 0)
		c.timeout_ms = timeout_ms;
	r = graph_open(&c, test_http(), id, (const unsigned char *)key, strlen(key), &g);
	if (r != FBV_OK) {
		fprintf(stderr, "graph_live: graph_open: %s\n", fbv_strerror(r));
		exit(2);
	}
	return g;
}

static struct graph *
open_default(void)
{
	return open_as(NULL, NULL, app_id, secret, 0);
}

/* What a user sees must never carry a secret, a token or a URL, nor a
 * byte a terminal would act on. */
static bool
clean(const char *s)
{
	const char *p;

	if (strstr(s, secret) != NULL || strstr(s, "EAA") != NULL || strstr(s, "access_token") ||
	    strstr(s, "://") != NULL || strstr(s, "appsecret_proof") != NULL) {
		fprintf(stderr, "  leaks: %s\n", s);
		return false;
	}
	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

static bool
says(const char *want)
{
	if (getenv("FBV_TEST_VERBOSE") != NULL)
		fprintf(stderr, "  %s\n", line);
	if (strstr(line, want) != NULL)
		return true;
	fprintf(stderr, "  line \"%s\" lacks \"%s\"\n", line, want);
	return false;
}

static int
exchange(struct graph *g, const char *short_token, struct sbuf *out, int64_t *exp,
    struct graph_error *ge)
{
	return graph_exchange(g, (const unsigned char *)short_token, strlen(short_token), out, exp, ge);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
check_accounts(const struct graph_page *pages, size_t n)
{
	static const char *ids[] = { "1001", "1002", "1003", "1004", "1005" };
	size_t k;

	CHECK(n == 5);
	for (k = 0; k < n && k < 5; k++) {
		CHECK(strcmp(pages[k].id, ids[k]) == 0);
		CHECK(pages[k].name != NULL && pages[k].token.len == 123 &&
		    memcmp(pages[k].token.data, "EAA", 3) == 0);
	}
	CHECK(n > 0 && strcmp(pages[0].name, "Ferret Bakery") == 0);
}

/* exchange, /me/accounts (one answer: limit=100 however small the fake's
 * per_page), one page's token and its inspection: four requests on one
 * connection, every one of them
 * with a correct appsecret_proof (check_proofs.py reads the log). */
static void
flow(void)
{
	struct graph *g = open_default();
	struct graph_error ge;
	struct graph_page *pages, page;
	struct graph_token_info info;
	size_t n;
	int64_t exp;

	CHECK(exchange(g, need("FBV_TEST_SHORT"), &long_token, &exp, &ge) == FBV_OK);
	CHECK(exp == 5183944 && long_token.len == 123 && long_token.data[123] == '\0');
	CHECK(graph_accounts(g, &long_token, &pages, &n, &ge) == FBV_OK);
	check_accounts(pages, n);
	CHECK(graph_page_token(g, &long_token, "1001", &page, &ge) == FBV_OK);
	CHECK(strcmp(page.id, "1001") == 0 && strcmp(page.name, "Ferret Bakery") == 0);
	/* the fake issues one page token per page and user token */
	CHECK(n > 0 && page.token.len == pages[0].token.len &&
	    sodium_memcmp(page.token.data, pages[0].token.data, page.token.len) == 0);
	CHECK(graph_debug_token(g, &page.token, &info, &ge) == FBV_OK);
	CHECK(info.is_valid && strcmp(info.type, "PAGE") == 0 && info.expires_at == 0);
	CHECK(strcmp(info.app_id, app_id) == 0 && strcmp(info.profile_id, "1001") == 0 &&
	    strcmp(info.user_id, "9876") == 0);
	CHECK(graph_has_scope(&info, "pages_manage_posts") && graph_has_scope(&info, "pages_show_list"));
	CHECK(info.application != NULL && strcmp(info.application, "Ferret Poster") == 0);
	CHECK(info.issued_at > 0 && info.data_access_expires_at > info.issued_at);
	CHECK(graph_connections(g) == 1);
	graph_token_info_free(&info);
	graph_page_free(&page);
	graph_pages_free(pages, n);
	graph_close(g);
}

static const struct graph_post text_post = { "fault case", 10, NULL, NULL, 0, 0 };

static int
call(struct graph *g, enum graph_call what, struct graph_error *ge)
{
	struct graph_token_info info;
	struct graph_page *pages, page;
	struct graph_scheduled *items;
	struct graph_posted posted;
	struct sbuf t;
	int64_t exp;
	size_t n;
	int r = FBV_ERR_INVALID;

	switch (what) {
	case GRAPH_CALL_EXCHANGE:
		sbuf_init(&t, GRAPH_TOKEN_MAX + 1);
		r = exchange(g, need("FBV_TEST_SHORT"), &t, &exp, ge);
		sbuf_free(&t);
		break;
	case GRAPH_CALL_ACCOUNTS:
		if ((r = graph_accounts(g, &long_token, &pages, &n, ge)) == FBV_OK)
			graph_pages_free(pages, n);
		break;
	case GRAPH_CALL_PAGE:
		r = graph_page_token(g, &long_token, "1001", &page, ge);
		graph_page_free(&page);
		break;
	case GRAPH_CALL_DEBUG:
		r = graph_debug_token(g, &page_token, &info, ge);
		graph_token_info_free(&info);
		break;
	case GRAPH_CALL_PUBLISH:
		r = graph_publish(g, &page_token, "1001", &text_post, &posted, ge);
		break;
	case GRAPH_CALL_SCHEDULED:
		if ((r = graph_scheduled(g, &page_token, "1001", &items, &n, ge)) == FBV_OK)
			graph_scheduled_free(items, n);
		break;
	case GRAPH_CALL_DELETE:
		r = graph_delete(g, &page_token, "1001_1", ge);
		break;
	case GRAPH_CALL_UPLOAD:
	case GRAPH_CALL_API:
	case GRAPH_CALL_API_WRITE:
	case GRAPH_CALL_NONE:
		break;
	}
	return r;
}

struct fault_case {
	const char *faults;
	enum graph_call call;
	int err, exit;
	long status;
	const char *says;
};

static const struct fault_case fault_cases[] = {
	{ "\"exchange\":\"http500\"", GRAPH_CALL_EXCHANGE, FBV_ERR_TEMPFAIL, EX_TEMPFAIL, 500,
	  "the Graph API had a temporary error (code 2): retry later [fbtrace_id " },
	{ "\"accounts\":\"html502\"", GRAPH_CALL_ACCOUNTS, FBV_ERR_PROTOCOL, EX_PROTOCOL, 502,
	  "unexpected response from the Graph API (HTTP 502: the response is not a JSON object)" },
	{ "\"page\":\"truncated\"", GRAPH_CALL_PAGE, FBV_ERR_PROTOCOL, EX_PROTOCOL, 200,
	  "unexpected response from the Graph API (HTTP 200: the response is not a JSON object)" },
	{ "\"exchange\":\"malformed\"", GRAPH_CALL_EXCHANGE, FBV_ERR_PROTOCOL, EX_PROTOCOL, 200,
	  "unexpected response from the Graph API (HTTP 200" },
	{ "\"debug_token\":\"oversize\"", GRAPH_CALL_DEBUG, FBV_ERR_PROTOCOL, EX_PROTOCOL, 200,
	  "unexpected response from the Graph API (HTTP 200: the response is too large" },
	{ "\"accounts\":\"reset\"", GRAPH_CALL_ACCOUNTS, FBV_ERR_NET, EX_UNAVAILABLE, 0,
	  "cannot reach the Graph API: " },
	{ "\"exchange\":\"ratelimit\"", GRAPH_CALL_EXCHANGE, FBV_ERR_TEMPFAIL, EX_TEMPFAIL, 403,
	  "rate limited (code 4): wait and retry; X-App-Usage {\"call_count\":100," },
	{ "\"accounts\":\"error:17\"", GRAPH_CALL_ACCOUNTS, FBV_ERR_TEMPFAIL, EX_TEMPFAIL, 403,
	  "rate limited (code 17)" },
	{ "\"page\":\"error:32\"", GRAPH_CALL_PAGE, FBV_ERR_TEMPFAIL, EX_TEMPFAIL, 403,
	  "rate limited (code 32)" },
	{ "\"debug_token\":\"error:613\"", GRAPH_CALL_DEBUG, FBV_ERR_TEMPFAIL, EX_TEMPFAIL, 403,
	  "rate limited (code 613)" },
	{ "\"debug_token\":\"error:2\"", GRAPH_CALL_DEBUG, FBV_ERR_TEMPFAIL, EX_TEMPFAIL, 400,
	  "temporary error (code 2)" },
	{ "\"exchange\":\"error:1\"", GRAPH_CALL_EXCHANGE, FBV_ERR_TEMPFAIL, EX_TEMPFAIL, 400,
	  "temporary error (code 1)" },
	{ "\"page\":\"error:190:460\"", GRAPH_CALL_PAGE, FBV_ERR_REFUSED, EX_NOPERM, 400,
	  "the token died with a password change (code 190/460): get a fresh one" },
	{ "\"exchange\":\"error:190:463\"", GRAPH_CALL_EXCHANGE, FBV_ERR_REFUSED, EX_NOPERM, 400,
	  "the short-lived token has expired (code 190/463): get a fresh one from Graph Explorer "
	  "and run login again" },
	{ "\"page\":\"error:190:492\"", GRAPH_CALL_PAGE, FBV_ERR_REFUSED, EX_NOPERM, 400,
	  "the user has no role on the page (code 190/492)" },
	{ "\"accounts\":\"error:190:493\"", GRAPH_CALL_ACCOUNTS, FBV_ERR_REFUSED, EX_NOPERM, 400,
	  "data access has expired" },
	{ "\"accounts\":\"error:190:458\"", GRAPH_CALL_ACCOUNTS, FBV_ERR_REFUSED, EX_NOPERM, 400,
	  "(code 190/458)" },
	{ "\"accounts\":\"error:102\"", GRAPH_CALL_ACCOUNTS, FBV_ERR_REFUSED, EX_NOPERM, 400,
	  "(code 102)" },
	{ "\"accounts\":\"error:200\"", GRAPH_CALL_ACCOUNTS, FBV_ERR_REFUSED, EX_NOPERM, 400,
	  "missing permission (code 200): grant pages_show_list and pages_manage_posts" },
	{ "\"page\":\"error:10\"", GRAPH_CALL_PAGE, FBV_ERR_REFUSED, EX_NOPERM, 400,
	  "missing permission (code 10)" },
	{ "\"page\":\"error:100:33\"", GRAPH_CALL_PAGE, FBV_ERR_REFUSED, EX_DATAERR, 400,
	  "unknown page or bad parameter (code 100/33): check the page id; graph says: Unsupported" },
	{ "\"exchange\":\"error:101\"", GRAPH_CALL_EXCHANGE, FBV_ERR_REFUSED, EX_NOPERM, 400,
	  "invalid App ID (code 101): check app-id" },
	{ "\"exchange\":\"error:368\"", GRAPH_CALL_EXCHANGE, FBV_ERR_REFUSED, EX_NOPERM, 400,
	  "the Graph API refused the request (code 368): (#368) An error occurred" },
	/* posting: a write that may have been done is never a plain failure */
	{ "\"feed\":\"reset\"", GRAPH_CALL_PUBLISH, FBV_ERR_UNCERTAIN, EX_TEMPFAIL, 0,
	  "no clear answer after the post went out (" },
	{ "\"feed\":\"truncated\"", GRAPH_CALL_PUBLISH, FBV_ERR_UNCERTAIN, EX_TEMPFAIL, 200,
	  "it may have been published" },
	{ "\"feed\":\"error:506\"", GRAPH_CALL_PUBLISH, FBV_ERR_REFUSED, EX_CANTCREAT, 400,
	  "duplicate post (code 506)" },
	{ "\"feed\":\"blocked\"", GRAPH_CALL_PUBLISH, FBV_ERR_REFUSED, EX_NOPERM, 400,
	  "the page may not post for now (code 368)" },
	{ "\"feed\":\"error:80001\"", GRAPH_CALL_PUBLISH, FBV_ERR_TEMPFAIL, EX_TEMPFAIL, 403,
	  "rate limited (code 80001): wait 5 minutes and retry; X-Business-Use-Case-Usage" },
	{ "\"delete\":\"reset\"", GRAPH_CALL_DELETE, FBV_ERR_UNCERTAIN, EX_TEMPFAIL, 0,
	  "no clear answer after the delete went out" },
	{ "\"scheduled_posts\":\"reset\"", GRAPH_CALL_SCHEDULED, FBV_ERR_NET, EX_UNAVAILABLE, 0,
	  "cannot reach the Graph API: " },
};

static void
fault_classes(struct graph *g)
{
	const struct fault_case *c;
	struct graph_error ge;
	size_t k;
	int r;

	for (k = 0; k < sizeof(fault_cases) / sizeof(*fault_cases); k++) {
		c = &fault_cases[k];
		set_faults(c->faults);
		r = call(g, c->call, &ge);
		graph_error_describe(r, &ge, line, sizeof(line));
		CHECK(r == c->err);
		CHECK(exit_code_of(r, &ge) == c->exit);
		CHECK(ge.http_status == c->status && ge.call == c->call);
		CHECK(says(c->says));
		CHECK(clean(line));
		if (r != c->err || ge.http_status != c->status)
			fprintf(stderr, "  fault %s: %s (HTTP %ld)\n", c->faults, fbv_strerror(r),
			    ge.http_status);
	}
	set_faults("");
	/* the html502 answer carried X-App-Usage too */
	set_faults("\"accounts\":\"html502\"");
	call(g, GRAPH_CALL_ACCOUNTS, &ge);
	CHECK(strstr(ge.app_usage, "\"call_count\":") != NULL);
	set_faults("");
}

static void
refusals(struct graph *g)
{
	struct graph *bad;
	struct graph_error ge;
	struct graph_page p;
	struct sbuf t;
	int64_t exp;
	int r;

	sbuf_init(&t, GRAPH_TOKEN_MAX + 1);
	bad = open_as(NULL, NULL, app_id, "not-the-secret", 0);
	r = exchange(bad, need("FBV_TEST_SHORT"), &t, &exp, &ge);
	graph_error_describe(r, &ge, line, sizeof(line));
	CHECK(r == FBV_ERR_REFUSED && ge.code == 1 && exit_code_of(r, &ge) == EX_NOPERM);
	CHECK(says("the App Secret was rejected (code 1): check app-secret [fbtrace_id "));
	CHECK(t.len == 0 && clean(line));
	graph_close(bad);

	bad = open_as(NULL, NULL, "999", secret, 0);
	r = exchange(bad, need("FBV_TEST_SHORT"), &t, &exp, &ge);
	graph_error_describe(r, &ge, line, sizeof(line));
	CHECK(r == FBV_ERR_REFUSED && ge.code == 101 && says("invalid App ID (code 101)"));
	graph_close(bad);

	r = exchange(g, need("FBV_TEST_SHORT_EXPIRED"), &t, &exp, &ge);
	graph_error_describe(r, &ge, line, sizeof(line));
	CHECK(r == FBV_ERR_REFUSED && ge.code == 190 && ge.subcode == 463);
	CHECK(says("the short-lived token has expired (code 190/463)") && clean(line));
	r = exchange(g, "EAAnotAtoken", &t, &exp, &ge);
	CHECK(r == FBV_ERR_REFUSED && ge.subcode == 467 && exit_code_of(r, &ge) == EX_NOPERM);
	r = exchange(g, "EAA not a token", &t, &exp, &ge);
	CHECK(r == FBV_ERR_INVALID && exit_code_of(r, &ge) == EX_USAGE);

	r = graph_page_token(g, &long_token, "4242", &p, &ge);
	graph_error_describe(r, &ge, line, sizeof(line));
	CHECK(r == FBV_ERR_REFUSED && ge.code == 100 && ge.subcode == 33 &&
	    exit_code_of(r, &ge) == EX_DATAERR);
	CHECK(says("unknown page or bad parameter (code 100/33)") && clean(line));
	graph_page_free(&p);
	r = graph_page_token(g, &long_token2, "1005", &p, &ge);
	CHECK(r == FBV_ERR_REFUSED && ge.code == 190 && ge.subcode == 492);
	graph_page_free(&p);
	r = graph_page_token(g, &long_token, "../me", &p, &ge);
	CHECK(r == FBV_ERR_INVALID);
	graph_page_free(&p);
	sbuf_free(&t);
}

static void
inspections(struct graph *g)
{
	struct graph_token_info info;
	struct graph_error ge;
	struct graph_page p;
	struct sbuf t;

	sbuf_init(&t, GRAPH_TOKEN_MAX + 1);
	sbuf_put(&t, "EAAnotAtoken", 12);
	CHECK(graph_debug_token(g, &t, &info, &ge) == FBV_OK);
	CHECK(!info.is_valid && info.err_code == 190 && info.err_subcode == 467);
	graph_token_info_free(&info);
	CHECK(graph_debug_token(g, &long_token, &info, &ge) == FBV_OK);
	CHECK(info.is_valid && strcmp(info.type, "USER") == 0 && info.expires_at > (int64_t)time(NULL) &&
	    info.profile_id[0] == '\0');
	graph_token_info_free(&info);
	/* user 5555 lacks pages_manage_posts: the flow must notice */
	CHECK(graph_page_token(g, &long_token2, "1002", &p, &ge) == FBV_OK);
	CHECK(graph_debug_token(g, &p.token, &info, &ge) == FBV_OK);
	CHECK(info.is_valid && !graph_has_scope(&info, "pages_manage_posts") &&
	    graph_has_scope(&info, "pages_show_list"));
	graph_token_info_free(&info);
	graph_page_free(&p);
	set_faults("\"debug_token\":\"numeric_ids\"");
	CHECK(graph_debug_token(g, &page_token, &info, &ge) == FBV_OK);
	CHECK(strcmp(info.app_id, app_id) == 0 && strcmp(info.profile_id, "1001") == 0);
	graph_token_info_free(&info);
	set_faults("");
	sbuf_free(&t);
}

static void
unicode_names(struct graph *g)
{
	struct graph_error ge;
	struct graph_page *pages;
	char shown[512];
	size_t n;

	set_faults("\"accounts\":\"unicode_name\"");
	CHECK(graph_accounts(g, &long_token, &pages, &n, &ge) == FBV_OK && n == 5);
	if (n > 0) {
		CHECK(strstr(pages[0].name, "Ferret Bakery \xe2\x80\x94 Caf\xc3\xa9 \xf0\x9f\xa5\x90 24/7 "
		    "\x1b]0;pwned\x07\x1b[2J") != NULL);
		graph_escape(shown, sizeof(shown), pages[0].name, strlen(pages[0].name));
		CHECK(strcmp(shown, "Ferret Bakery \xe2\x80\x94 Caf\xc3\xa9 \xf0\x9f\xa5\x90 24/7 "
		    "\\x1b]0;pwned\\x07\\x1b[2J") == 0);
	}
	graph_pages_free(pages, n);
	set_faults("");
}

static void
transport(void)
{
	struct graph_error ge;
	struct graph *g;
	struct sbuf t;
	int64_t exp;
	double t0;
	int r;

	sbuf_init(&t, GRAPH_TOKEN_MAX + 1);
	/* a server certificate from a CA we were not told to trust */
	g = open_as(need("FBV_TEST_OTHER_URL"), NULL, app_id, secret, 0);
	r = exchange(g, need("FBV_TEST_SHORT"), &t, &exp, &ge);
	graph_error_describe(r, &ge, line, sizeof(line));
	CHECK(r == FBV_ERR_NET && exit_code_of(r, &ge) == EX_UNAVAILABLE && ge.http_status == 0);
	CHECK(says("cannot reach the Graph API: SSL certificate problem") && clean(line));
	CHECK(t.len == 0);
	graph_close(g);
	/* the same server, trusted: the refusal above was the CA's doing */
	g = open_as(need("FBV_TEST_OTHER_URL"), need("FBV_TEST_OTHER_CA"), app_id, secret, 0);
	CHECK(exchange(g, need("FBV_TEST_SHORT"), &t, &exp, &ge) == FBV_OK && t.len == 123);
	graph_close(g);
	/* nobody listening */
	g = open_as("https://127.0.0.1:1", NULL, app_id, secret, 0);
	r = exchange(g, need("FBV_TEST_SHORT"), &t, &exp, &ge);
	graph_error_describe(r, &ge, line, sizeof(line));
	CHECK(r == FBV_ERR_NET && clean(line));
	graph_close(g);
	/* an answer later than the timeout */
	set_faults("\"exchange\":\"slow\"");
	g = open_as(NULL, NULL, app_id, secret, 1000);
	t0 = now();
	r = exchange(g, need("FBV_TEST_SHORT"), &t, &exp, &ge);
	graph_error_describe(r, &ge, line, sizeof(line));
	CHECK(r == FBV_ERR_NET && now() - t0 >= 0.9 && now() - t0 < 4.0);
	CHECK(says("timed out") && clean(line));
	graph_close(g);
	set_faults("");
	sbuf_free(&t);
}

/* Unversioned calls, and the server named localhost: paging links
 * come back with the same spelling of the host and are followed. */
static void
variants(void)
{
	struct graph_error ge;
	struct graph_page *pages;
	struct graph_conf c;
	struct graph *g = NULL;
	char url[256];
	const char *port;
	size_t n;

	CHECK(graph_conf_from_env(&c) == FBV_OK);
	c.version = "";
	CHECK(graph_open(&c, test_http(), app_id, (const unsigned char *)secret, strlen(secret), &g) == FBV_OK);
	CHECK(graph_accounts(g, &long_token, &pages, &n, &ge) == FBV_OK);
	check_accounts(pages, n);
	graph_pages_free(pages, n);
	graph_close(g);
	port = strrchr(need("FBVAULT_GRAPH_URL"), ':');
	snprintf(url, sizeof(url), "https://localhost%s", port != NULL ? port : "");
	g = open_as(url, NULL, app_id, secret, 0);
	CHECK(graph_accounts(g, &long_token, &pages, &n, &ge) == FBV_OK);
	check_accounts(pages, n);
	CHECK(graph_connections(g) == 1);
	graph_pages_free(pages, n);
	graph_close(g);
}

static void
faults(void)
{
	struct graph *g = open_default();
	struct graph_error ge;
	struct graph_page p;
	int64_t exp;

	set_faults("");
	CHECK(exchange(g, need("FBV_TEST_SHORT"), &long_token, &exp, &ge) == FBV_OK);
	CHECK(exchange(g, need("FBV_TEST_SHORT2"), &long_token2, &exp, &ge) == FBV_OK);
	CHECK(graph_page_token(g, &long_token, "1001", &p, &ge) == FBV_OK);
	sbuf_put(&page_token, p.token.data, p.token.len);
	graph_page_free(&p);
	fault_classes(g);
	refusals(g);
	inspections(g);
	unicode_names(g);
	graph_close(g);
	variants();
	transport();
}

/* The plain server answers /KIND/me/accounts with one entry and a paging
 * link that is foreign in the way KIND says; only "same" may be
 * followed, and then with our own token and proof. */
static void
paging(void)
{
	static const struct { const char *kind; int err; const char *says; } cases[] = {
		{ "port", FBV_ERR_PROTOCOL, "a paging link points to another server" },
		{ "host", FBV_ERR_PROTOCOL, "a paging link points to another server" },
		{ "scheme", FBV_ERR_PROTOCOL, "a paging link points to another server" },
		{ "userinfo", FBV_ERR_PROTOCOL, "a paging link is not a URL fbvault accepts" },
		{ "same", FBV_OK, NULL },
	};
	struct graph_error ge;
	struct graph_page *pages;
	struct graph *g;
	char url[256];
	size_t k, n;
	int r;

	sbuf_put(&long_token, "EAAplainUserToken", 17);
	for (k = 0; k < sizeof(cases) / sizeof(*cases); k++) {
		snprintf(url, sizeof(url), "%s/%s", need("FBV_TEST_PLAIN_URL"), cases[k].kind);
		g = open_as(url, NULL, app_id, secret, 0);
		r = graph_accounts(g, &long_token, &pages, &n, &ge);
		graph_error_describe(r, &ge, line, sizeof(line));
		CHECK(r == cases[k].err);
		if (cases[k].says != NULL) {
			CHECK(pages == NULL && n == 0);
			CHECK(exit_code_of(r, &ge) == EX_PROTOCOL);
			CHECK(says(cases[k].says) && clean(line));
		} else {
			CHECK(n == 2 && strcmp(pages[0].id, "1") == 0 && strcmp(pages[1].id, "2") == 0);
			CHECK(graph_connections(g) == 1);
		}
		if (r != cases[k].err)
			fprintf(stderr, "  kind %s: %s\n", cases[k].kind, line);
		graph_pages_free(pages, n);
		graph_close(g);
	}
}

int
main(int argc, char **argv)
{
	if (argc != 2 || sodium_init() < 0)
		return 2;
	app_id = need("FBV_TEST_APP_ID");
	secret = need("FBV_TEST_SECRET");
	sbuf_init(&long_token, GRAPH_TOKEN_MAX + 1);
	sbuf_init(&long_token2, GRAPH_TOKEN_MAX + 1);
	sbuf_init(&page_token, GRAPH_TOKEN_MAX + 1);
	if (strcmp(argv[1], "flow") == 0)
		flow();
	else if (strcmp(argv[1], "faults") == 0)
		faults();
	else if (strcmp(argv[1], "paging") == 0)
		paging();
	else
		return 2;
	sbuf_free(&long_token);
	sbuf_free(&long_token2);
	sbuf_free(&page_token);
	return check_report(argv[1]);
}
