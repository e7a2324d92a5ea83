/* login: the Graph token flow. A short-lived user token is exchanged for
 * a long-lived one, which yields the page tokens; each is checked with
 * /debug_token, and all are stored in one write, or none. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../crypto/errors.h"
#include "../graph/graph.h"
#include "commands.h"
#include "errors.h"
#include "graph_session.h"
#include "open.h"
#include "options.h"
#include "out.h"
#include "prompt.h"

#define LOGIN_PAGES_MAX 100
#define SCOPE_POST "pages_manage_posts"

struct login_opts {
	const struct command *cmd;
	const char *app_id;
	const char *pages[LOGIN_PAGES_MAX];
	size_t npages;
	int bad;
};

/* What login learned of one token, before anything is stored. */
struct checked {
	char name[FBV_NAME_MAX + 1];
	const char *kind;
	struct sbuf *token;
	const char *page_id;
	const char *page_name;
	struct graph_token_info info;
};

static int
login_opt(void *state, int opt, const char *arg)
{
	struct login_opts *o = state;

	if (!digits(arg))
		return usage_error(o->cmd, "--%s wants a numeric id", opt == 'a' ? "app-id" : "page");
	if (opt == 'a')
		o->app_id = arg;
	else if (o->npages == LOGIN_PAGES_MAX)
		return usage_error(o->cmd, "at most %d --page options", LOGIN_PAGES_MAX);
	else
		o->pages[o->npages++] = arg;
	return -1;
}

static int
read_short_token(struct sbuf *out)
{
	size_t i;
	int r;

	r = read_input("Short-lived user token from Graph Explorer (not shown): ",
	    GRAPH_TOKEN_MAX, false, out);
	if (r != 0)
		return r;
	while (out->len > 0 && (out->data[out->len - 1] == ' ' || out->data[out->len - 1] == '\n'))
		out->len--;
	for (i = 0; i < out->len; i++)
		if (out->data[i] <= ' ' || out->data[i] >= 0x7f)
			break;
	if (out->len == 0)
		return fail(EXIT_USAGE, "no token given: paste the short-lived user token from "
		    "Graph Explorer");
	if (i != out->len)
		return fail(EXIT_USAGE, "the short-lived token must be one line of printable "
		    "characters without spaces (copy it from Graph Explorer)");
	return 0;
}

/* A page token must be valid, carry pages_manage_posts and never expire;
 * otherwise why goes into buf. */
static bool
page_ok(const struct checked *c, char *buf, size_t len)
{
	char name[256];

	graph_escape(name, sizeof(name), c->page_name ? c->page_name : "", c->page_name ?
	    strlen(c->page_name) : 0);
	if (!c->info.is_valid)
		snprintf(buf, len, "page %s (%s): Graph says the page token is not valid "
		    "(code %d/%d)", c->page_id, name, c->info.err_code, c->info.err_subcode);
	else if (!graph_has_scope(&c->info, SCOPE_POST))
		snprintf(buf, len, "page %s (%s): the token lacks %s: in Graph Explorer, tick %s "
		    "(and pages_show_list), get a new user token and run login again",
		    c->page_id, name, SCOPE_POST, SCOPE_POST);
	else if (c->info.expires_at != 0)
		snprintf(buf, len, "page %s (%s): the page token expires (it came from a "
		    "short-lived user token); run login again with a fresh token", c->page_id, name);
	else
		return true;
	return false;
}

/* Asks /debug_token about every token; one line for the first problem. */
static int
inspect_all(struct graph *g, struct checked *cs, size_t n)
{
	struct graph_error ge;
	char first[768] = "", why[768];
	size_t i, bad = 0;
	int r;

	for (i = 0; i < n; i++) {
		if ((r = graph_debug_token(g, cs[i].token, &cs[i].info, &ge)) != FBV_OK)
			return graph_fail(r, &ge);
		if (cs[i].page_id != NULL && !page_ok(&cs[i], why, sizeof(why)) && bad++ == 0)
			memcpy(first, why, sizeof(first));
	}
	if (!cs[0].info.is_valid) {
		graph_token_error(&cs[0].info, &ge);
		return graph_fail(FBV_ERR_REFUSED, &ge);
	}
	if (bad == 1)
		return fail(EXIT_DENIED, "%s; nothing was stored", first);
	if (bad > 1)
		return fail(EXIT_DENIED, "%s (and %zu more pages); nothing was stored", first, bad - 1);
	return 0;
}

static int
store_meta(struct entry *e, const struct checked *c, int64_t now)
{
	const struct graph_token_info *t = &c->info;
	int r = meta_set_str(e, META_KIND, c->kind);

	if (r == FBV_OK && t->expires_at >= 0)
		r = meta_set_int(e, META_EXPIRES_AT, t->expires_at);
	if (r == FBV_OK && t->data_access_expires_at >= 0)
		r = meta_set_int(e, META_DATA_ACCESS_EXPIRES_AT, t->data_access_expires_at);
	if (r == FBV_OK)
		r = meta_set_int(e, META_CHECKED_AT, now);
	if (r == FBV_OK && t->type[0] != '\0')
		r = meta_set_str(e, META_TOKEN_TYPE, t->type);
	if (r == FBV_OK && t->app_id[0] != '\0')
		r = meta_set_str(e, META_APP_ID, t->app_id);
	if (r == FBV_OK && t->user_id[0] != '\0')
		r = meta_set_str(e, META_USER_ID, t->user_id);
	if (r == FBV_OK)
		r = meta_set_str(e, META_SCOPES, t->scopes);
	if (r == FBV_OK && c->page_id != NULL)
		r = meta_set_str(e, META_PAGE_ID, c->page_id);
	if (r == FBV_OK && c->page_name != NULL)
		r = meta_set_str(e, META_PAGE_NAME, c->page_name);
	return r;
}

static int
put_value(struct vault *v, const char *name, const char *kind, const unsigned char *p,
    size_t len, int64_t now)
{
	struct entry *e;
	int r = vault_put(v, name, p, len, true, now, &e);

	return r == FBV_OK ? meta_set_str(e, META_KIND, kind) : r;
}

/* All or nothing: one write, after every check passed. */
static int
store_all(struct ctx *c, struct vault *v, const struct checked *cs, size_t n,
    const char *app_id, const struct sbuf *secret, bool secret_asked)
{
	int64_t now = now_unix();
	struct vault_txn t;
	struct entry *e;
	size_t i;
	int r;

	if ((r = edit_begin(c, v, &t)) != 0)
		return r;
	r = put_value(t.v, "app-id", "app-id", (const unsigned char *)app_id, strlen(app_id), now);
	if (r == FBV_OK && secret_asked)
		r = put_value(t.v, "app-secret", "app-secret", secret->data, secret->len, now);
	for (i = 0; i < n && r == FBV_OK; i++) {
		r = vault_put(t.v, cs[i].name, cs[i].token->data, cs[i].token->len, true, now, &e);
		if (r == FBV_OK)
			r = store_meta(e, &cs[i], now);
	}
	if (r != FBV_OK)
		return edit_abort(&t, fail(err_exit_code(r), "cannot store the tokens: %s (the "
		    "vault is unchanged)", fbv_strerror(r)));
	return edit_commit(c, &t);
}

static void
print_summary(const struct checked *cs, size_t n)
{
	char when[64], name[256];
	size_t i;

	format_time(cs[0].info.expires_at, when, sizeof(when));
	printf("user-token: long-lived, expires %s\n",
	    cs[0].info.expires_at > 0 ? when : cs[0].info.expires_at == 0 ? "never" : "unknown");
	for (i = 1; i < n; i++) {
		graph_escape(name, sizeof(name), cs[i].page_name ? cs[i].page_name : "-",
		    cs[i].page_name ? strlen(cs[i].page_name) : 1);
		printf("page/%s: %s; %s ok; expires never\n", cs[i].page_id, name, SCOPE_POST);
	}
}

/* Runs the exchange and gathers every token; cs[0] is the user token. */
static int
gather(struct graph *g, const struct login_opts *o, const struct sbuf *short_tok,
    struct sbuf *user_tok, struct graph_page **pages, size_t *npages)
{
	struct graph_error ge;
	int64_t expires_in;
	size_t i;
	int r;

	sbuf_init(user_tok, GRAPH_TOKEN_MAX + 1);
	if ((r = graph_exchange(g, short_tok->data, short_tok->len, user_tok, &expires_in, &ge)) != FBV_OK)
		return graph_fail(r, &ge);
	if (o->npages == 0) {
		if ((r = graph_accounts(g, user_tok, pages, npages, &ge)) != FBV_OK)
			return graph_fail(r, &ge);
		if (*npages == 0)
			return fail(EXIT_NOTFOUND, "Graph lists no pages for this user: grant the app "
			    "access to your pages in Graph Explorer (pages_show_list)");
		return 0;
	}
	if ((*pages = calloc(o->npages, sizeof(**pages))) == NULL)
		return fail(EXIT_INTERNAL, "out of memory");
	for (i = 0; i < o->npages; i++) {
		r = graph_page_token(g, user_tok, o->pages[i], &(*pages)[i], &ge);
		*npages = i + 1;
		if (r != FBV_OK)
			return graph_fail(r, &ge);
	}
	return 0;
}

/* What is to be checked and stored: cs[0] the user token, then each
 * page's; a page Graph gave no token for stops the flow here. */
static int
checked_list(struct sbuf *user_tok, struct graph_page *pages, size_t npages,
    struct checked **out)
{
	struct checked *cs;
	size_t i;

	for (i = 0; i < npages; i++)
		if (pages[i].token.len == 0)
			return fail(EXIT_DENIED, "page %s: Graph gave no token for it (your role on the "
			    "page lacks the tasks to manage it); nothing was stored", pages[i].id);
	if ((*out = cs = calloc(npages + 1, sizeof(*cs))) == NULL)
		return fail(EXIT_INTERNAL, "out of memory");
	snprintf(cs[0].name, sizeof(cs[0].name), "user-token");
	cs[0].kind = "user-token";
	cs[0].token = user_tok;
	for (i = 0; i < npages; i++) {
		snprintf(cs[i + 1].name, sizeof(cs[i + 1].name), "page/%s", pages[i].id);
		cs[i + 1].kind = "page-token";
		cs[i + 1].token = &pages[i].token;
		cs[i + 1].page_id = pages[i].id;
		cs[i + 1].page_name = pages[i].name;
	}
	return 0;
}

static int
flow(struct ctx *c, struct vault *v, const struct login_opts *o, const char *app_id,
    const struct sbuf *secret, bool secret_asked, const struct sbuf *short_tok)
{
	struct graph_conf conf;
	struct graph *g = NULL;
	struct graph_page *pages = NULL;
	struct checked *cs = NULL;
	struct sbuf user_tok;
	size_t npages = 0, i;
	int r;

	sbuf_init(&user_tok, GRAPH_TOKEN_MAX + 1);
	if (graph_conf_from_env(&conf) != FBV_OK) {
		r = fail(EXIT_USAGE, "%s", graph_conf_check(&conf));
		goto out;
	}
	unsetenv("SSLKEYLOGFILE"); /* TLS session keys must not be written out */
	if ((r = graph_connect(&conf, app_id, secret, &g)) != FBV_OK) {
		r = graph_fail(r, NULL);
		goto out;
	}
	if ((r = gather(g, o, short_tok, &user_tok, &pages, &npages)) != 0)
		goto out;
	if ((r = checked_list(&user_tok, pages, npages, &cs)) != 0)
		goto out;
	if ((r = inspect_all(g, cs, npages + 1)) != 0)
		goto out;
	graph_close(g);
	g = NULL;
	if ((r = store_all(c, v, cs, npages + 1, app_id, secret, secret_asked)) == 0)
		print_summary(cs, npages + 1);
	v = NULL;
out:
	for (i = 0; cs != NULL && i <= npages; i++)
		graph_token_info_free(&cs[i].info);
	free(cs);
	graph_pages_free(pages, npages);
	sbuf_free(&user_tok);
	graph_close(g);
	vault_free(v);
	return r;
}

int
cmd_login(struct ctx *c, const struct command *self, int argc, char **argv)
{
	struct login_opts o = { self, NULL, { 0 }, 0, 0 };
	struct sbuf secret, short_tok;
	char app_id[64];
	bool asked;
	struct vault *v;
	int r;

	if ((r = parse_args(c, self, argc, argv, &o, login_opt)) >= 0)
		return r;
	if ((r = vault_open_read(c, &v)) != 0)
		return r;
	sbuf_init(&secret, 1);
	sbuf_init(&short_tok, 1);
	if ((r = app_id_of(v, o.app_id, app_id)) != 0 ||
	    (r = app_secret_of(v, &secret, &asked)) != 0 ||
	    (r = read_short_token(&short_tok)) != 0) {
		vault_free(v);
	} else {
		r = flow(c, v, &o, app_id, &secret, asked, &short_tok);
	}
	sbuf_free(&secret);
	sbuf_free(&short_tok);
	return r;
}
