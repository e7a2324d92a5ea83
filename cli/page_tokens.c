#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../crypto/errors.h"
#include "errors.h"
#include "graph_session.h"
#include "open.h"
#include "out.h"
#include "page_tokens.h"

void
progress(const struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->quiet)
		return;
	fputs("fbvault: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
pages_fetch(const struct ctx *c, struct graph *g, const struct sbuf *user_tok,
    const char *const *ids, size_t nids, struct graph_page **pages, size_t *n)
{
	struct graph_error ge;
	size_t i;
	int r;

	*pages = NULL;
	*n = 0;
	if (nids == 0) {
		if ((r = graph_accounts(g, user_tok, pages, n, &ge)) != FBV_OK)
			return graph_fail(r, &ge);
		if (*n == 0)
			return fail(EXIT_NOTFOUND, "Graph lists no pages for this user: grant the app "
			    "access to your pages in Graph Explorer (pages_show_list)");
		progress(c, "listed %zu page%s", *n, *n == 1 ? "" : "s");
		return 0;
	}
	if ((*pages = calloc(nids, sizeof(**pages))) == NULL)
		return fail(EXIT_INTERNAL, "out of memory");
	for (i = 0; i < nids; i++) {
		r = graph_page_token(g, user_tok, ids[i], &(*pages)[i], &ge);
		*n = i + 1;
		if (r != FBV_OK)
			return graph_fail(r, &ge);
		progress(c, "fetched page %s", ids[i]);
	}
	return 0;
}

int
checked_list(const char *user_name, const char *user_kind, const struct sbuf *user_tok,
    const struct graph_page *pages, size_t npages, struct checked **out)
{
	struct checked *cs;
	size_t i;

	*out = NULL;
	for (i = 0; i < npages; i++)
		if (pages[i].token.len == 0)
			return fail(EXIT_DENIED, "page %s: Graph gave no token for it (your role on the "
			    "page lacks the tasks to manage it); nothing was stored", pages[i].id);
	if ((*out = cs = calloc(npages + 1, sizeof(*cs))) == NULL)
		return fail(EXIT_INTERNAL, "out of memory");
	for (i = 0; i <= npages; i++)
		graph_token_info_init(&cs[i].info);
	snprintf(cs[0].name, sizeof(cs[0].name), "%s", user_name);
	cs[0].kind = user_kind;
	cs[0].token = user_tok;
	for (i = 0; i < npages; i++) {
		snprintf(cs[i + 1].name, sizeof(cs[i + 1].name), "page/%s", pages[i].id);
		cs[i + 1].kind = "page-token";
		cs[i + 1].token = &pages[i].token;
		cs[i + 1].page = &pages[i];
	}
	return 0;
}

void
checked_free(struct checked *cs, size_t n)
{
	size_t i;

	for (i = 0; cs != NULL && i < n; i++)
		graph_token_info_free(&cs[i].info);
	free(cs);
}

bool
page_problem(const struct graph_token_info *t, const char *tasks, const char *page_id,
    bool forever, bool posting, char *buf, size_t len, const char **fix)
{
	*fix = "run fbvault login again";
	if (!t->is_valid)
		snprintf(buf, len, "Graph says the page token is not valid (code %d/%d)",
		    t->err_code != 0 ? t->err_code : 190, t->err_subcode);
	else if (strcmp(t->type, "PAGE") != 0) {
		snprintf(buf, len, "the entry holds a %s token, not a page token",
		    t->type[0] != '\0' ? t->type : "unknown");
		*fix = "run fbvault refresh (or login again) to store the page's own token";
	} else if (!graph_has_scope(t, SCOPE_POST)) {
		snprintf(buf, len, "the token lacks %s", SCOPE_POST);
		*fix = "in Graph Explorer, tick " SCOPE_POST " (and pages_show_list), get a new user "
		    "token and run login again";
	} else if (forever && t->expires_at != 0) {
		snprintf(buf, len, "the page token expires (it came from a short-lived user token)");
		*fix = "run login again with a fresh token";
	} else if (posting && !graph_grant_covers(t, page_id)) {
		snprintf(buf, len, "the %s grant does not include this page", SCOPE_POST);
		*fix = "grant " SCOPE_POST " for this page too (Graph Explorer lets you pick the "
		    "pages) and run login again";
	} else if (posting && tasks != NULL && !graph_list_has(tasks, TASK_POST)) {
		snprintf(buf, len, "your tasks on the page lack %s", TASK_POST);
		*fix = "ask a page admin for a role that may create content, then run fbvault refresh";
	} else {
		return false;
	}
	return true;
}

/* The first page that cannot post, and how many more: one line. */
static int
pages_refused(const struct checked *cs, size_t n)
{
	char what[256], first[256] = "", name[256] = "";
	const char *fix, *first_fix = "", *id = "";
	size_t i, bad = 0;

	for (i = 1; i < n; i++) {
		if (!page_problem(&cs[i].info, cs[i].page->tasks, cs[i].page->id, true, false, what,
		    sizeof(what), &fix) || bad++ > 0)
			continue;
		memcpy(first, what, sizeof(first));
		first_fix = fix;
		id = cs[i].page->id;
		graph_escape(name, sizeof(name), cs[i].page->name ? cs[i].page->name : "",
		    cs[i].page->name ? strlen(cs[i].page->name) : 0);
	}
	if (bad == 0)
		return 0;
	if (bad == 1)
		return fail(EXIT_DENIED, "page %s (%s): %s: %s; nothing was stored", id, name, first,
		    first_fix);
	return fail(EXIT_DENIED, "page %s (%s): %s (and %zu more page%s): %s; nothing was stored",
	    id, name, first, bad - 1, bad == 2 ? "" : "s", first_fix);
}

static int
user_refused(const struct checked *u, const char *want_type)
{
	struct graph_error ge;

	if (!u->info.is_valid) {
		graph_token_error(&u->info, &ge);
		return graph_fail(FBV_ERR_REFUSED, &ge);
	}
	if (strcmp(u->info.type, want_type) == 0)
		return 0;
	if (strcmp(want_type, "SYSTEM_USER") == 0)
		return fail(EXIT_DENIED, "Graph says this is a %s token, not a system user's: make one "
		    "in Business Settings > System users, or run login without --system-user; nothing "
		    "was stored", u->info.type[0] != '\0' ? u->info.type : "unknown");
	return fail(EXIT_DENIED, "Graph says this is a %s token, not a user token%s; nothing was "
	    "stored", u->info.type[0] != '\0' ? u->info.type : "unknown",
	    strcmp(u->info.type, "SYSTEM_USER") == 0 ? ": use login --system-user" : "");
}

int
checked_verify(const struct ctx *c, struct graph *g, struct checked *cs, size_t n,
    const char *want_type, bool show)
{
	struct graph_token_info *infos = calloc(n, sizeof(*infos));
	const struct sbuf **toks = calloc(n, sizeof(*toks));
	struct graph_error ge;
	char what[256];
	const char *fix;
	size_t i;
	int r = 0;

	if (infos == NULL || toks == NULL) {
		r = fail(EXIT_INTERNAL, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++)
		toks[i] = cs[i].token;
	if ((r = graph_debug_tokens(g, toks, n, infos, &ge)) != FBV_OK) {
		for (i = 0; i < n; i++)
			graph_token_info_free(&infos[i]);
		r = graph_fail(r, &ge);
		goto out;
	}
	for (i = 0; i < n; i++) {
		graph_token_info_free(&cs[i].info);
		cs[i].info = infos[i];
		if (show && i == 0)
			progress(c, "checked %s: %s", cs[i].name, cs[i].info.is_valid ? "ok" : "not valid");
		else if (show)
			progress(c, "checked %s: %s", cs[i].name, page_problem(&cs[i].info,
			    cs[i].page->tasks, cs[i].page->id, true, false, what, sizeof(what), &fix) ?
			    what : "ok");
		/* stored, but it will not post: said even with --quiet */
		if (i > 0 && !page_problem(&cs[i].info, NULL, NULL, true, false, what, sizeof(what),
		    &fix) && page_problem(&cs[i].info, cs[i].page->tasks, cs[i].page->id, true, true,
		    what, sizeof(what), &fix))
			msg("warning: %s: %s (%s); it cannot post", cs[i].name, what, fix);
	}
	if ((r = user_refused(&cs[0], want_type)) == 0)
		r = pages_refused(cs, n);
out:
	free(infos);
	free(toks);
	return r;
}

int
put_kinded(struct vault *v, const char *name, const char *kind, const unsigned char *p,
    size_t len, int64_t now, struct entry **out)
{
	const struct entry *old = vault_find(v, name);
	int r;

	if (old != NULL && old->value_len == len && (len == 0 ||
	    sodium_memcmp(old->value, p, len) == 0)) {
		*out = vault_edit(v, name);
		return meta_set_str(*out, META_KIND, kind);
	}
	if ((r = vault_put(v, name, p, len, true, now, out)) != FBV_OK)
		return r;
	return meta_set_str(*out, META_KIND, kind);
}

static int
page_meta(struct entry *e, const struct graph_page *p)
{
	int r = meta_set_str(e, META_PAGE_ID, p->id);

	if (r == FBV_OK && p->name != NULL)
		r = meta_set_str(e, META_PAGE_NAME, p->name);
	if (r == FBV_OK && p->tasks != NULL)
		r = meta_set_str(e, META_TASKS, p->tasks);
	if (p->ig_id[0] == '\0') {
		meta_clear(e, META_IG_ID);
		meta_clear(e, META_IG_USERNAME);
		return r;
	}
	if (r == FBV_OK)
		r = meta_set_str(e, META_IG_ID, p->ig_id);
	if (r == FBV_OK && p->ig_username != NULL)
		r = meta_set_str(e, META_IG_USERNAME, p->ig_username);
	else if (r == FBV_OK)
		meta_clear(e, META_IG_USERNAME);
	return r;
}

static int
token_meta(struct entry *e, const struct checked *c, int64_t now)
{
	const struct graph_token_info *t = &c->info;
	int r = FBV_OK;

	if (t->expires_at >= 0)
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
	if (r == FBV_OK && t->scopes != NULL)
		r = meta_set_str(e, META_SCOPES, t->scopes);
	if (r == FBV_OK && c->page != NULL)
		r = page_meta(e, c->page);
	return r;
}

int
checked_store(struct vault *v, const struct checked *cs, size_t n, int64_t now)
{
	struct entry *e;
	size_t i;
	int r = FBV_OK;

	for (i = 0; i < n && r == FBV_OK; i++)
		if ((r = put_kinded(v, cs[i].name, cs[i].kind, cs[i].token->data, cs[i].token->len,
		    now, &e)) == FBV_OK)
			r = token_meta(e, &cs[i], now);
	return r;
}

static bool
same_user(const struct entry *a, const struct entry *b)
{
	const char *x, *y;
	size_t xl, yl;

	return a != NULL && b != NULL && meta_get_str(a, META_USER_ID, &x, &xl) == FBV_OK &&
	    meta_get_str(b, META_USER_ID, &y, &yl) == FBV_OK && xl == yl && memcmp(x, y, xl) == 0;
}

const struct entry *
source_token(const struct vault *v, const struct entry *page)
{
	const struct entry *sys = vault_find(v, SYSTEM_TOKEN), *user = vault_find(v, USER_TOKEN);

	if (same_user(user, page))
		return user;
	return sys != NULL ? sys : user;
}

/* The user token that page_id's token comes from, copied out of v. */
static int
heal_source(const struct vault *v, const char *page_id, struct sbuf *user, const char **kind,
    char name[FBV_NAME_MAX + 1])
{
	char page[FBV_NAME_MAX + 1];
	const struct entry *src;

	snprintf(page, sizeof(page), "page/%s", page_id);
	if ((src = source_token(v, vault_find(v, page))) == NULL)
		return fail(EXIT_DENIED, "%s: Graph refused its token and the vault holds no user "
		    "token to renew it from: run fbvault login", page);
	snprintf(name, FBV_NAME_MAX + 1, "%s", src->name);
	*kind = strcmp(src->name, SYSTEM_TOKEN) == 0 ? SYSTEM_TOKEN : USER_TOKEN;
	if (sbuf_put(user, src->value, src->value_len) != FBV_OK)
		return fail(EXIT_USAGE, "'%s' is too long to be a token", src->name);
	return 0;
}

/* A fresh token for page_id from user, checked; nothing stored yet. */
static int
heal_fetch(struct ctx *c, struct graph *g, struct sbuf *user, const char *name,
    const char *kind, const char *page_id, struct graph_page *fresh, struct checked **cs)
{
	struct graph_error ge;
	char line[512];
	int r;

	if ((r = graph_page_token(g, user, page_id, fresh, &ge)) != FBV_OK) {
		graph_error_describe(r, &ge, line, sizeof(line));
		return fail(err_exit_code(graph_error_class(r, &ge)), "cannot renew page/%s from "
		    "%s: %s; run fbvault login", page_id, name, line[0] != '\0' ? line :
		    fbv_strerror(r));
	}
	if ((r = checked_list(name, kind, user, fresh, 1, cs)) != 0)
		return r;
	return checked_verify(c, g, *cs, 2, strcmp(kind, SYSTEM_TOKEN) == 0 ? "SYSTEM_USER" :
	    "USER", false);
}

int
page_heal(struct ctx *c, struct graph *g, const char *page_id, struct sbuf *token)
{
	char name[FBV_NAME_MAX + 1];
	struct checked *cs = NULL;
	struct graph_page fresh;
	struct vault_txn t;
	struct vault *v;
	struct sbuf user;
	const char *kind = USER_TOKEN;
	int r;

	graph_page_init(&fresh);
	sbuf_init(&user, GRAPH_TOKEN_MAX + 1);
	if ((r = vault_open_read(c, &v)) != 0)
		goto out;
	if ((r = heal_source(v, page_id, &user, &kind, name)) != 0 ||
	    (r = heal_fetch(c, g, &user, name, kind, page_id, &fresh, &cs)) != 0) {
		vault_free(v);
		goto out;
	}
	/* Graph gives the very token it refused, and says it is valid: the
	 * refusal is not a dead token, and sending again would not help */
	if (fresh.token.len == token->len &&
	    sodium_memcmp(fresh.token.data, token->data, token->len) == 0) {
		vault_free(v);
		r = -1;
		goto out;
	}
	if ((r = edit_begin(c, v, &t)) != 0)
		goto out;
	if ((r = checked_store(t.v, cs, 2, now_unix())) != FBV_OK) {
		r = edit_abort(&t, fail(err_exit_code(r), "cannot store the renewed token: %s",
		    fbv_strerror(r)));
		goto out;
	}
	if ((r = edit_commit(c, &t)) != 0)
		goto out;
	sbuf_reset(token);
	if (sbuf_put(token, fresh.token.data, fresh.token.len) != FBV_OK)
		r = fail(EXIT_INTERNAL, "out of memory");
	else
		msg("page/%s: Graph refused its token (code 190); stored a renewed one from %s; "
		    "trying once more", page_id, name);
out:
	checked_free(cs, cs != NULL ? 2 : 0);
	graph_page_free(&fresh);
	sbuf_free(&user);
	return r;
}

void
checked_summary(const struct checked *cs, size_t n)
{
	char when[64], name[256], ig[256] = "";
	const struct graph_page *p;
	size_t i;

	format_time(cs[0].info.expires_at, when, sizeof(when));
	printf("%s: %sexpires %s\n", cs[0].name, strcmp(cs[0].kind, USER_TOKEN) == 0 ?
	    "long-lived, " : "", cs[0].info.expires_at > 0 ? when : cs[0].info.expires_at == 0 ?
	    "never" : "unknown");
	for (i = 1; i < n; i++) {
		p = cs[i].page;
		ig[0] = '\0';
		graph_escape(name, sizeof(name), p->name ? p->name : "-", p->name ? strlen(p->name) : 1);
		if (p->ig_id[0] != '\0')
			graph_escape(ig, sizeof(ig), p->ig_username ? p->ig_username : p->ig_id,
			    strlen(p->ig_username ? p->ig_username : p->ig_id));
		printf("%s: %s; %s ok; expires never%s%s%s%s\n", cs[i].name, name, SCOPE_POST,
		    p->ig_id[0] != '\0' ? "; instagram " : "", ig, p->ig_id[0] != '\0' ? " " : "",
		    p->ig_id);
	}
}
