/* login: the Graph token flow. A short-lived user token is exchanged for
 * a long-lived one (a system-user token is taken as it is), which yields
 * the page tokens; all are checked with /debug_token in batch requests,
 * and all are stored in one write, or none. Three requests for up to 49
 * pages: the exchange, /me/accounts with every field at once, a batch. */
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
#include "page_tokens.h"
#include "prompt.h"

#define LOGIN_PAGES_MAX 100

struct login_opts {
	const struct command *cmd;
	const char *app_id;
	const char *pages[LOGIN_PAGES_MAX];
	size_t npages;
	bool system_user;
};

static int
login_opt(void *state, int opt, const char *arg)
{
	struct login_opts *o = state;

	if (opt == 's') {
		o->system_user = true;
		return -1;
	}
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
read_short_token(bool system_user, struct sbuf *out)
{
	size_t i;
	int r;

	r = read_input(system_user ? "System-user token from Business Settings (not shown): " :
	    "Short-lived user token from Graph Explorer (not shown): ", GRAPH_TOKEN_MAX, false, out);
	if (r != 0)
		return r;
	while (out->len > 0 && (out->data[out->len - 1] == ' ' || out->data[out->len - 1] == '\n'))
		out->len--;
	for (i = 0; i < out->len; i++)
		if (out->data[i] <= ' ' || out->data[i] >= 0x7f)
			break;
	if (out->len == 0 || i != out->len)
		return fail(EXIT_USAGE, "the %s must be one line of printable characters without "
		    "spaces (copy it from %s)", system_user ? "system-user token" : "short-lived token",
		    system_user ? "Business Settings" : "Graph Explorer");
	return 0;
}

/* All or nothing: one write, after every check passed. The App ID and
 * App Secret are kinded as such; an entry whose value is unchanged keeps
 * its updated time. */
static int
store_all(struct ctx *c, struct vault *v, const struct checked *cs, size_t n,
    const char *app_id, const struct sbuf *secret)
{
	int64_t now = now_unix();
	struct vault_txn t;
	struct entry *e;
	int r;

	if ((r = edit_begin(c, v, &t)) != 0)
		return r;
	r = put_kinded(t.v, "app-id", "app-id", (const unsigned char *)app_id, strlen(app_id), now,
	    &e);
	if (r == FBV_OK)
		r = put_kinded(t.v, "app-secret", "app-secret", secret->data, secret->len, now, &e);
	if (r == FBV_OK)
		r = checked_store(t.v, cs, n, now);
	if (r != FBV_OK)
		return edit_abort(&t, fail(err_exit_code(r), "cannot store the tokens: %s (the "
		    "vault is unchanged)", fbv_strerror(r)));
	return edit_commit(c, &t);
}

/* The long-lived user token: the short-lived one exchanged, or with
 * --system-user the token given, as it is. */
static int
user_token_of(const struct ctx *c, struct graph *g, const struct login_opts *o,
    const struct sbuf *given, struct sbuf *user_tok)
{
	struct graph_error ge;
	int64_t expires_in;
	int r;

	if (o->system_user)
		return sbuf_put(user_tok, given->data, given->len) == FBV_OK ? 0 :
		    fail(EXIT_USAGE, "the token is too long");
	if ((r = graph_exchange(g, given->data, given->len, user_tok, &expires_in, &ge)) != FBV_OK)
		return graph_fail(r, &ge);
	progress(c, "exchanged the short-lived token for a long-lived one");
	return 0;
}

static int
flow(struct ctx *c, struct vault *v, const struct login_opts *o, const char *app_id,
    const struct sbuf *secret, const struct sbuf *given)
{
	struct graph_conf conf;
	struct graph *g = NULL;
	struct graph_page *pages = NULL;
	struct checked *cs = NULL;
	struct sbuf user_tok;
	size_t npages = 0;
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
	if ((r = user_token_of(c, g, o, given, &user_tok)) != 0 ||
	    (r = pages_fetch(c, g, &user_tok, o->pages, o->npages, &pages, &npages)) != 0 ||
	    (r = checked_list(o->system_user ? SYSTEM_TOKEN : USER_TOKEN, o->system_user ?
	    SYSTEM_TOKEN : USER_TOKEN, &user_tok, pages, npages, &cs)) != 0 ||
	    (r = checked_verify(c, g, cs, npages + 1, o->system_user ? "SYSTEM_USER" : "USER",
	    true)) != 0)
		goto out;
	graph_close(g);
	g = NULL;
	if ((r = store_all(c, v, cs, npages + 1, app_id, secret)) == 0)
		checked_summary(cs, npages + 1);
	v = NULL;
out:
	checked_free(cs, cs != NULL ? npages + 1 : 0);
	graph_pages_free(pages, npages);
	sbuf_free(&user_tok);
	graph_close(g);
	vault_free(v);
	return r;
}

int
cmd_login(struct ctx *c, const struct command *self, int argc, char **argv)
{
	struct login_opts o = { self, NULL, { 0 }, 0, false };
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
	    (r = read_short_token(o.system_user, &short_tok)) != 0) {
		vault_free(v);
	} else {
		r = flow(c, v, &o, app_id, &secret, &short_tok);
	}
	sbuf_free(&secret);
	sbuf_free(&short_tok);
	return r;
}
