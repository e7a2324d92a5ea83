#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "config.h"
#include "../crypto/errors.h"
#include "../crypto/seal.h"
#include "graph.h"
#include "client.h"
#include "http.h"
#include "parse.h"
#include "url.h"

#define TIMEOUT_MAX_MS 3600000L
#define GRAPH_IG_FIELD "instagram_business_account{id,username}"
#define RETRY_PAUSE_MS 500


void
graph_copy_str(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

bool
graph_all_digits(const char *s, size_t min, size_t max)
{
	size_t n = strspn(s, "0123456789");

	return s[n] == '\0' && n >= min && n <= max;
}

/* "" or v<digits>.<digits> */
static bool
version_ok(const char *v)
{
	size_t major, minor;

	if (*v == '\0')
		return true;
	if (*v++ != 'v' || (major = strspn(v, "0123456789")) == 0 || v[major] != '.')
		return false;
	v += major + 1;
	minor = strspn(v, "0123456789");
	return minor > 0 && v[minor] == '\0' && major + minor < 12;
}

const char *
graph_conf_check(const struct graph_conf *c)
{
	struct url_origin o;
	size_t path;

	if (c->base_url == NULL || url_parse(c->base_url, &o, &path) != FBV_OK ||
	    strchr(c->base_url, '?') != NULL)
		return "FBVAULT_GRAPH_URL is not an https://host[:port][/path] URL";
	if (!o.https && !url_host_is_loopback(o.host))
		return "FBVAULT_GRAPH_URL must be https:// (http:// only to a loopback address)";
	if (c->version == NULL || !version_ok(c->version))
		return "FBVAULT_GRAPH_VERSION must look like v25.0, or be empty for unversioned calls";
	if (c->ca_file != NULL && (c->ca_file[0] == '\0' || access(c->ca_file, R_OK) != 0))
		return "FBVAULT_CA_FILE is not a readable file";
	if (c->connect_timeout_ms < 1 || c->connect_timeout_ms > TIMEOUT_MAX_MS ||
	    c->timeout_ms < 1 || c->timeout_ms > TIMEOUT_MAX_MS)
		return "FBVAULT_CONNECT_TIMEOUT and FBVAULT_TIMEOUT must be seconds from 0.001 to 3600";
	return NULL;
}

/* "12", "0.5", "2.250": seconds with up to three decimals; 0 (refused by
 * graph_conf_check()) when malformed. */
static long
seconds_to_ms(const char *s, long dflt)
{
	long ms = 0, scale = 1000;
	size_t n;

	if (s == NULL || *s == '\0')
		return dflt;
	if ((n = strspn(s, "0123456789")) == 0 || n > 4)
		return 0;
	for (; n > 0; n--, s++)
		ms = ms * 10 + (*s - '0');
	ms *= 1000;
	if (*s == '.') {
		for (s++, n = 0; *s >= '0' && *s <= '9' && n < 3; s++, n++)
			ms += (*s - '0') * (scale /= 10);
		if (n == 0)
			return 0;
	}
	return *s == '\0' ? ms : 0;
}

static const char *
env(const char *name)
{
	const char *v = secure_getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

int
graph_conf_from_env(struct graph_conf *c)
{
	const char *v;

	c->base_url = (v = env("FBVAULT_GRAPH_URL")) != NULL ? v : GRAPH_DEFAULT_URL;
	/* Set but empty means unversioned. */
	c->version = (v = secure_getenv("FBVAULT_GRAPH_VERSION")) != NULL ? v : GRAPH_DEFAULT_VERSION;
	c->ca_file = env("FBVAULT_CA_FILE");
	c->connect_timeout_ms = seconds_to_ms(env("FBVAULT_CONNECT_TIMEOUT"), 10000);
	c->timeout_ms = seconds_to_ms(env("FBVAULT_TIMEOUT"), 30000);
	return graph_conf_check(c) == NULL ? FBV_OK : FBV_ERR_INVALID;
}

static int
graph_start(struct graph *g, const struct graph_conf *c, const struct http_ops *http)
{
	struct http_opts o = {
		.ca_file = c->ca_file,
		.connect_timeout_ms = c->connect_timeout_ms,
		.timeout_ms = c->timeout_ms,
		.max_body = GRAPH_MAX_BODY,
		.user_agent = "fbvault/" FBV_PACKAGE_VERSION,
		.body_put = sbuf_put,
		.body_reset = sbuf_reset,
	};
	if (http == NULL)
		return FBV_ERR_UNSUPPORTED;
	g->ops = http;
	if ((g->http = g->ops->open(&o)) == NULL)
		return FBV_ERR_NOMEM;
	return FBV_OK;
}

int
graph_open(const struct graph_conf *c, const struct http_ops *http, const char *app_id,
    const unsigned char *secret, size_t secret_len, struct graph **out)
{
	struct graph *g;
	size_t path, n;
	int r = FBV_ERR_NOMEM;

	*out = NULL;
	if (graph_conf_check(c) != NULL || app_id == NULL || !graph_all_digits(app_id, 1, 31) ||
	    secret == NULL || secret_len == 0 || secret_len > GRAPH_SECRET_MAX)
		return FBV_ERR_INVALID;
	if ((g = calloc(1, sizeof(*g))) == NULL)
		return FBV_ERR_NOMEM;
	sbuf_init(&g->resp.body, GRAPH_MAX_BODY);
	if ((g->base = strdup(c->base_url)) == NULL || (g->secret = secret_alloc(secret_len)) == NULL)
		goto out;
	for (n = strlen(g->base); n > 0 && g->base[n - 1] == '/'; n--)
		g->base[n - 1] = '\0';
	if (url_parse(g->base, &g->origin, &path) != FBV_OK) {
		r = FBV_ERR_INVALID;
		goto out;
	}
	memcpy(g->secret, secret, secret_len);
	g->secret_len = secret_len;
	graph_copy_str(g->version, sizeof(g->version), c->version);
	graph_copy_str(g->app_id, sizeof(g->app_id), app_id);
	r = graph_start(g, c, http);
out:
	if (r != FBV_OK)
		graph_close(g);
	else
		*out = g;
	return r;
}

void
graph_close(struct graph *g)
{
	if (g == NULL)
		return;
	if (g->http != NULL)
		g->ops->close(g->http);
	sbuf_free(&g->resp.body);
	secret_free(g->secret);
	free(g->base);
	sodium_memzero(g, sizeof(*g));
	free(g);
}

long
graph_connections(const struct graph *g)
{
	return g->http != NULL ? g->ops->connections(g->http) : 0;
}

struct graph_error *
graph_call_begin(struct graph_error *err, struct graph_error *scratch, enum graph_call call)
{
	if (err == NULL)
		err = scratch;
	memset(err, 0, sizeof(*err));
	err->call = call;
	return err;
}

int
graph_url(const struct graph *g, struct sbuf *u, const char *path)
{
	int r;

	sbuf_reset(u);
	if ((r = url_put(u, g->base)) != FBV_OK)
		return r;
	if (g->version[0] != '\0' &&
	    ((r = url_put(u, "/")) != FBV_OK || (r = url_put(u, g->version)) != FBV_OK))
		return r;
	if ((r = url_put(u, "/")) != FBV_OK)
		return r;
	return url_put(u, path);
}

/* access_token and, always beside it, its appsecret_proof. */
int
graph_put_token(const struct graph *g, struct sbuf *u, bool first, const unsigned char *tok, size_t len)
{
	char proof[FBV_PROOF_HEX];
	int r;

	appsecret_proof(proof, g->secret, g->secret_len, tok, len);
	if ((r = url_param(u, first, "access_token", tok, len)) == FBV_OK)
		r = url_param(u, false, "appsecret_proof", proof, FBV_PROOF_HEX - 1);
	sodium_memzero(proof, sizeof(proof));
	return r;
}

int
graph_form_token(const struct graph *g, struct sbuf *b, const struct sbuf *tok)
{
	char proof[FBV_PROOF_HEX];
	int r;

	appsecret_proof(proof, g->secret, g->secret_len, tok->data, tok->len);
	if ((r = form_param(b, "access_token", tok->data, tok->len)) == FBV_OK)
		r = form_param(b, "appsecret_proof", proof, FBV_PROOF_HEX - 1);
	sodium_memzero(proof, sizeof(proof));
	return r;
}

void
graph_why(struct graph_error *err, const char *what)
{
	graph_copy_str(err->message, sizeof(err->message), what);
}

void
graph_note_usage(struct graph_error *err, const char *app, const char *page, const char *buc)
{
	graph_copy_str(err->app_usage, sizeof(err->app_usage), app);
	graph_copy_str(err->page_usage, sizeof(err->page_usage), page);
	graph_copy_str(err->buc_usage, sizeof(err->buc_usage), buc);
	err->regain_minutes = parse_buc_minutes(buc, strlen(buc));
}

int
graph_perform(struct graph *g, const struct http_request *req, struct graph_error *err)
{
	static const struct timespec pause = { RETRY_PAUSE_MS / 1000, RETRY_PAUSE_MS % 1000 * 1000000L };
	int r = g->ops->perform(g->http, req, &g->resp);

	/* A request that certainly never left (no connection, TLS refused)
	 * is the one thing sent again, once; anything else might be a
	 * second post. */
	if (r == FBV_ERR_NET && !g->resp.sent) {
		nanosleep(&pause, NULL);
		r = g->ops->perform(g->http, req, &g->resp);
	}

	err->http_status = g->resp.status;
	graph_note_usage(err, g->resp.app_usage, g->resp.page_usage, g->resp.buc_usage);
	if (r == FBV_ERR_NET)
		graph_why(err, g->resp.error);
	else if (r == FBV_ERR_PROTOCOL)
		graph_why(err, "the response is too large or incomplete");
	return r;
}

int
graph_send(struct graph *g, const struct http_request *req, bool acts, struct json *j,
    struct graph_error *err)
{
	int r = graph_perform(g, req, err);

	if (r == FBV_OK)
		r = parse_response(g->resp.status, (const char *)g->resp.body.data,
		    g->resp.body.len, j, err);
	if (acts && ((r == FBV_ERR_NET && g->resp.sent) || r == FBV_ERR_PROTOCOL))
		r = FBV_ERR_UNCERTAIN;
	return r;
}

int
graph_fetch(struct graph *g, struct sbuf *u, struct json *j, struct graph_error *err)
{
	struct http_request req = { HTTP_GET, NULL, NULL, NULL, 0 };
	int r;

	if ((r = url_finish(u)) != FBV_OK)
		return r;
	req.url = (const char *)u->data;
	r = graph_send(g, &req, false, j, err);
	sbuf_reset(u);
	return r;
}

int
graph_shape(struct graph_error *err, int r)
{
	if (r == FBV_ERR_PROTOCOL && err->message[0] == '\0')
		graph_why(err, "the answer lacks the expected fields");
	return r;
}

static bool
user_token_ok(const struct sbuf *t)
{
	return t != NULL && token_ok(t->data, t->len);
}

int
graph_exchange(struct graph *g, const unsigned char *short_token, size_t len,
    struct sbuf *long_token, int64_t *expires_in, struct graph_error *err)
{
	static const char grant[] = "fb_exchange_token";
	struct graph_error scratch;
	struct sbuf u;
	struct json j;
	int r;

	err = graph_call_begin(err, &scratch, GRAPH_CALL_EXCHANGE);
	*expires_in = -1;
	sbuf_reset(long_token);
	if (!token_ok(short_token, len))
		return FBV_ERR_INVALID;
	sbuf_init(&u, URL_BUF_MAX);
	if ((r = graph_url(g, &u, "oauth/access_token")) != FBV_OK ||
	    (r = url_param(&u, true, "grant_type", grant, sizeof(grant) - 1)) != FBV_OK ||
	    (r = url_param(&u, false, "client_id", g->app_id, strlen(g->app_id))) != FBV_OK ||
	    (r = url_param(&u, false, "client_secret", g->secret, g->secret_len)) != FBV_OK ||
	    (r = url_param(&u, false, "fb_exchange_token", short_token, len)) != FBV_OK ||
	    (r = graph_fetch(g, &u, &j, err)) != FBV_OK)
		goto out;
	r = graph_shape(err, parse_exchange(&j, long_token, expires_in));
	json_free(&j);
out:
	sbuf_free(&u);
	sbuf_reset(&g->resp.body);
	return r;
}

int
graph_page_token(struct graph *g, const struct sbuf *user_token, const char *page_id,
    struct graph_page *out, struct graph_error *err)
{
	static const char fields[] = "id,name,access_token," GRAPH_IG_FIELD;
	struct graph_error scratch;
	struct sbuf u;
	struct json j;
	int r;

	err = graph_call_begin(err, &scratch, GRAPH_CALL_PAGE);
	graph_page_init(out);
	if (!user_token_ok(user_token) || page_id == NULL || !graph_all_digits(page_id, 1, 63))
		return FBV_ERR_INVALID;
	sbuf_init(&u, URL_BUF_MAX);
	if ((r = graph_url(g, &u, page_id)) != FBV_OK ||
	    (r = url_param(&u, true, "fields", fields, sizeof(fields) - 1)) != FBV_OK ||
	    (r = graph_put_token(g, &u, false, user_token->data, user_token->len)) != FBV_OK ||
	    (r = graph_fetch(g, &u, &j, err)) != FBV_OK)
		goto out;
	r = graph_shape(err, parse_page(&j, page_id, out, err));
	json_free(&j);
out:
	sbuf_free(&u);
	sbuf_reset(&g->resp.body);
	return r;
}

/* The next request from a paging link: only to our own origin, and with
 * our token and proof in place of whatever credentials the link holds. */
int
graph_follow(const struct graph *g, const struct sbuf *next, const struct sbuf *token,
    struct sbuf *u, struct graph_error *err)
{
	bool has_query;
	int r;

	r = url_next(&g->origin, (const char *)next->data, u, &has_query);
	if (r == FBV_ERR_INVALID || r == FBV_ERR_PROTOCOL) {
		graph_why(err, r == FBV_ERR_INVALID ? "a paging link is not a URL fbvault accepts" :
		    "a paging link points to another server");
		return FBV_ERR_PROTOCOL;
	}
	if (r != FBV_OK)
		return r;
	return graph_put_token(g, u, !has_query, token->data, token->len);
}

int
graph_walk(struct graph *g, const struct sbuf *token, struct sbuf *u, graph_page_fn fn,
    void *state, struct graph_error *err)
{
	struct sbuf next;
	struct json j;
	int hops, r = FBV_OK;

	sbuf_init(&next, URL_MAX + 1);
	for (hops = 0; r == FBV_OK; hops++) {
		if (hops == GRAPH_MAX_PAGING) {
			graph_why(err, "more result pages than fbvault follows");
			r = FBV_ERR_PROTOCOL;
			break;
		}
		if ((r = graph_fetch(g, u, &j, err)) != FBV_OK)
			break;
		r = graph_shape(err, fn(&j, state, &next));
		json_free(&j);
		sbuf_reset(&g->resp.body);
		if (r != FBV_OK || next.len == 0)
			break;
		r = graph_follow(g, &next, token, u, err);
	}
	sbuf_free(&next);
	return r;
}

struct accounts_walk {
	struct graph_page **pages;
	size_t *n, cap;
};

static int
accounts_page(const struct json *j, void *state, struct sbuf *next)
{
	struct accounts_walk *w = state;

	return parse_accounts(j, w->pages, w->n, &w->cap, next);
}

static int
accounts_fetch(struct graph *g, const struct sbuf *user_token, const char *fields,
    struct graph_page **pages, size_t *n, struct graph_error *err)
{
	static const char limit[] = "100";      /* the largest page of results */
	struct graph_error scratch;
	struct sbuf u;
	int r;

	err = graph_call_begin(err, &scratch, GRAPH_CALL_ACCOUNTS);
	*pages = NULL;
	*n = 0;
	if (!user_token_ok(user_token))
		return FBV_ERR_INVALID;
	sbuf_init(&u, URL_BUF_MAX);
	if ((r = graph_url(g, &u, "me/accounts")) == FBV_OK &&
	    (r = url_param(&u, true, "fields", fields, strlen(fields))) == FBV_OK &&
	    (r = url_param(&u, false, "limit", limit, sizeof(limit) - 1)) == FBV_OK &&
	    (r = graph_put_token(g, &u, false, user_token->data, user_token->len)) == FBV_OK)
		r = graph_walk(g, user_token, &u, accounts_page,
		    &(struct accounts_walk){ pages, n, 0 }, err);
	sbuf_free(&u);
	if (r != FBV_OK) {
		graph_pages_free(*pages, *n);
		*pages = NULL;
		*n = 0;
	}
	return r;
}

int
graph_accounts(struct graph *g, const struct sbuf *user_token,
    struct graph_page **pages, size_t *n, struct graph_error *err)
{
	/* every field login stores, at once */
	return accounts_fetch(g, user_token, "id,name,access_token,tasks," GRAPH_IG_FIELD, pages,
	    n, err);
}

int
graph_page_tasks(struct graph *g, const struct sbuf *user_token,
    struct graph_page **pages, size_t *n, struct graph_error *err)
{
	return accounts_fetch(g, user_token, "id,name,tasks", pages, n, err);
}

int
graph_app_token(const struct graph *g, struct sbuf *t)
{
	int r;

	if ((r = url_put(t, g->app_id)) != FBV_OK || (r = url_put(t, "|")) != FBV_OK)
		return r;
	return sbuf_put(t, g->secret, g->secret_len);
}

int
graph_debug_token(struct graph *g, const struct sbuf *token,
    struct graph_token_info *out, struct graph_error *err)
{
	struct graph_error scratch;
	struct sbuf u, app;
	struct json j;
	int r;

	err = graph_call_begin(err, &scratch, GRAPH_CALL_DEBUG);
	graph_token_info_init(out);
	if (!user_token_ok(token))
		return FBV_ERR_INVALID;
	sbuf_init(&u, URL_BUF_MAX);
	sbuf_init(&app, sizeof(g->app_id) + 1 + GRAPH_SECRET_MAX);
	if ((r = graph_app_token(g, &app)) != FBV_OK ||
	    (r = graph_url(g, &u, "debug_token")) != FBV_OK ||
	    (r = url_param(&u, true, "input_token", token->data, token->len)) != FBV_OK ||
	    (r = graph_put_token(g, &u, false, app.data, app.len)) != FBV_OK ||
	    (r = graph_fetch(g, &u, &j, err)) != FBV_OK)
		goto out;
	r = graph_shape(err, parse_debug(&j, out));
	json_free(&j);
out:
	sbuf_free(&app);
	sbuf_free(&u);
	sbuf_reset(&g->resp.body);
	return r;
}
