/* refresh: fresh page tokens from the stored user token (or system-user
 * token), checked like login's and stored all or nothing: the pages the
 * vault holds, or those of --page. One /me/accounts and one batch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../crypto/errors.h"
#include "commands.h"
#include "errors.h"
#include "graph_session.h"
#include "open.h"
#include "options.h"
#include "out.h"
#include "page_tokens.h"

#define REFRESH_PAGES_MAX 1000

struct refresh_opts {
	const struct command *cmd;
	const char *pages[REFRESH_PAGES_MAX];
	size_t npages;
};

static int
refresh_opt(void *state, int opt, const char *arg)
{
	struct refresh_opts *o = state;

	(void)opt;
	if (!digits(arg))
		return usage_error(o->cmd, "--page wants a numeric id");
	if (o->npages == REFRESH_PAGES_MAX)
		return usage_error(o->cmd, "at most %d --page options", REFRESH_PAGES_MAX);
	o->pages[o->npages++] = arg;
	return -1;
}

/* Without --page: the vault's pages. */
static int
stored_pages(const struct vault *v, struct refresh_opts *o)
{
	const struct entry *e;
	size_t i;

	for (i = 0; i < vault_count(v) && o->npages < REFRESH_PAGES_MAX; i++) {
		e = vault_entry(v, i);
		if (strncmp(e->name, "page/", 5) == 0 && digits(e->name + 5))
			o->pages[o->npages++] = e->name + 5;
	}
	if (o->npages == 0)
		return fail(EXIT_NOTFOUND, "no page token in the vault to refresh: run fbvault login");
	return 0;
}

/* The wanted pages out of /me/accounts, in want's order; a page Graph
 * no longer lists stops everything. */
static int
pick_pages(const struct refresh_opts *o, struct graph_page *all, size_t nall,
    struct graph_page **out)
{
	size_t i, k;

	if ((*out = calloc(o->npages, sizeof(**out))) == NULL)
		return fail(EXIT_INTERNAL, "out of memory");
	for (i = 0; i < o->npages; i++) {
		for (k = 0; k < nall && strcmp(all[k].id, o->pages[i]) != 0; k++)
			;
		if (k == nall)
			return fail(EXIT_DENIED, "page %s: Graph no longer lists it among the user's "
			    "pages (a lost role?): ask a page admin, then run fbvault login; nothing was "
			    "stored", o->pages[i]);
		(*out)[i] = all[k];
		graph_page_init(&all[k]);
	}
	return 0;
}

struct refresh_run {
	struct sbuf user;
	const char *kind;
	struct graph_page *all, *pages;
	size_t nall, npicked;
	struct checked *cs;
};

static int
derive(struct ctx *c, struct graph *g, const struct refresh_opts *o, struct refresh_run *x)
{
	int r;

	if ((r = pages_fetch(c, g, &x->user, NULL, 0, &x->all, &x->nall)) != 0 ||
	    (r = pick_pages(o, x->all, x->nall, &x->pages)) != 0)
		return r;
	x->npicked = o->npages;
	if ((r = checked_list(x->kind, x->kind, &x->user, x->pages, o->npages, &x->cs)) != 0)
		return r;
	return checked_verify(c, g, x->cs, o->npages + 1, strcmp(x->kind, SYSTEM_TOKEN) == 0 ?
	    "SYSTEM_USER" : "USER", true);
}

static int
source_of(struct ctx *c, struct vault *v, struct refresh_opts *o, struct refresh_run *x,
    char app_id[64], struct sbuf *secret)
{
	const struct entry *src = source_token(v, NULL);

	if (src == NULL)
		return fail(EXIT_NOTFOUND, "no user-token or system-user-token in %s: run fbvault "
		    "login", c->vault_path);
	x->kind = strcmp(src->name, SYSTEM_TOKEN) == 0 ? SYSTEM_TOKEN : USER_TOKEN;
	if (o->npages == 0 && stored_pages(v, o) != 0)
		return EXIT_NOTFOUND;
	return call_credentials(v, src, app_id, secret, &x->user);
}

static int
store(struct ctx *c, struct vault *v, const struct refresh_run *x)
{
	struct vault_txn t;
	int r;

	if ((r = edit_begin(c, v, &t)) != 0)
		return r;
	if ((r = checked_store(t.v, x->cs, x->npicked + 1, now_unix())) != FBV_OK)
		return edit_abort(&t, fail(err_exit_code(r), "cannot store the tokens: %s (the "
		    "vault is unchanged)", fbv_strerror(r)));
	return edit_commit(c, &t);
}

int
cmd_refresh(struct ctx *c, const struct command *self, int argc, char **argv)
{
	struct refresh_opts o = { .cmd = self };
	struct refresh_run x = { .kind = USER_TOKEN };
	struct graph_conf conf;
	struct graph *g = NULL;
	struct vault *v = NULL;
	struct sbuf secret;
	char app_id[64];
	int r;

	sbuf_init(&secret, 1);
	sbuf_init(&x.user, GRAPH_TOKEN_MAX + 1);
	if ((r = parse_args(c, self, argc, argv, &o, refresh_opt)) >= 0)
		goto out;
	if (graph_conf_from_env(&conf) != FBV_OK) {
		r = fail(EXIT_USAGE, "%s", graph_conf_check(&conf));
		goto out;
	}
	unsetenv("SSLKEYLOGFILE"); /* TLS session keys must not be written out */
	if ((r = vault_open_read(c, &v)) != 0 ||
	    (r = source_of(c, v, &o, &x, app_id, &secret)) != 0)
		goto out;
	if ((r = graph_connect(&conf, app_id, &secret, &g)) != FBV_OK) {
		r = graph_fail(r, NULL);
		goto out;
	}
	if ((r = derive(c, g, &o, &x)) != 0)
		goto out;
	graph_close(g);
	g = NULL;
	if ((r = store(c, v, &x)) == 0)
		checked_summary(x.cs, x.npicked + 1);
	v = NULL;
out:
	checked_free(x.cs, x.cs != NULL ? x.npicked + 1 : 0);
	graph_pages_free(x.pages, x.pages != NULL ? o.npages : 0);
	graph_pages_free(x.all, x.nall);
	sbuf_free(&x.user);
	sbuf_free(&secret);
	graph_close(g);
	vault_free(v);
	return r;
}
