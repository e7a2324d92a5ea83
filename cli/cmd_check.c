/* check: the live health of every stored token, in as few requests as
 * Graph allows: one batch of debug_token calls per 50 tokens and one
 * /me/accounts for the tasks on each page. One line per token; the
 * metadata (checked_at, expiries, scopes, tasks) saved in one write.
 * Exit 0 healthy, 1 something ends within --warn, 77 a token is dead or
 * cannot post; 69 / 75 when Graph is unreachable / rate limited. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../crypto/errors.h"
#include "commands.h"
#include "duration.h"
#include "entry_text.h"
#include "errors.h"
#include "graph_session.h"
#include "notify.h"
#include "obuf.h"
#include "open.h"
#include "options.h"
#include "out.h"
#include "page_tokens.h"

#define CHECK_WARN_DEFAULT (14 * 86400)
#define CHECK_TOKENS_MAX 10000
#define EXIT_WARN 1

enum verdict { V_OK, V_WARN, V_DEAD, V_ERROR };
static const char *const verdict_word[] = { "ok", "WARNING", "DEAD", "ERROR" };
static const char *const verdict_json[] = { "ok", "warning", "dead", "error" };

struct check_opts {
	const struct command *cmd;
	int64_t warn;
	bool notify;
	bool json;
};

/* One stored token and what came of asking about it. */
struct tok {
	char name[FBV_NAME_MAX + 1];
	bool page;
	struct sbuf value;
	struct graph_token_info info;
	char *tasks;                    /* from /me/accounts; NULL unknown */
	bool listed;                    /* /me/accounts lists the page */
	enum verdict v;
	char why[640];
};

struct run {
	struct tok *t;
	size_t n;
	const char *source;             /* entry name of the user token, or NULL */
	bool source_ok;
	int64_t now;
};

static int
check_opt(void *state, int opt, const char *arg)
{
	struct check_opts *o = state;

	if (opt == 'n')
		o->notify = true;
	else if (opt == 'j')
		o->json = true;
	else if (duration_parse(arg, &o->warn) != FBV_OK || o->warn < 0)
		return usage_error(o->cmd, "--warn wants a duration such as 14d, 36h or 2w");
	return -1;
}

/* What check sends as a token: one line of printable characters. */
static bool
token_ok_text(const struct sbuf *b)
{
	size_t k;

	for (k = 0; k < b->len; k++)
		if (b->data[k] <= ' ' || b->data[k] > '~')
			return false;
	return b->len > 0 && b->len <= GRAPH_TOKEN_MAX;
}

static void
run_free(struct run *x)
{
	size_t i;

	for (i = 0; x->t != NULL && i < x->n; i++) {
		sbuf_free(&x->t[i].value);
		graph_token_info_free(&x->t[i].info);
		free(x->t[i].tasks);
	}
	free(x->t);
}

/* Copies of every stored token, the vault's order. */
static int
collect(const struct vault *v, struct run *x)
{
	const struct entry *e, *src = source_token(v, NULL);
	size_t i, n = vault_count(v);
	struct tok *t;

	if ((x->t = calloc(n > 0 ? n : 1, sizeof(*x->t))) == NULL)
		return fail(EXIT_INTERNAL, "out of memory");
	for (i = 0; i < n && x->n < CHECK_TOKENS_MAX; i++) {
		if (!entry_holds_token(e = vault_entry(v, i)))
			continue;
		t = &x->t[x->n++];
		snprintf(t->name, sizeof(t->name), "%s", e->name);
		t->page = strncmp(e->name, "page/", 5) == 0;
		graph_token_info_init(&t->info);
		sbuf_init(&t->value, GRAPH_TOKEN_MAX + 1);
		if (sbuf_put(&t->value, e->value, e->value_len) != FBV_OK || !token_ok_text(&t->value))
			return fail(EXIT_USAGE, "'%s' does not hold a token (one line of printable "
			    "characters); check sends only tokens to Graph", e->name);
		if (e == src)
			x->source = t->name;
	}
	if (x->n == 0)
		return fail(EXIT_NOTFOUND, "no tokens in the vault: run fbvault login");
	return 0;
}

static struct tok *
find_tok(struct run *x, const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < x->n; i++)
		if (strcmp(x->t[i].name, name) == 0)
			return &x->t[i];
	return NULL;
}

/* The tasks on each page, when the user token is alive to ask. */
static int
ask_tasks(struct graph *g, struct run *x)
{
	struct tok *src = find_tok(x, x->source), *t;
	struct graph_page *pages = NULL;
	struct graph_error ge;
	char name[FBV_NAME_MAX + 1];
	size_t n = 0, i;
	int r;

	x->source_ok = src != NULL && src->info.is_valid;
	if (!x->source_ok)
		return 0;
	if ((r = graph_page_tasks(g, &src->value, &pages, &n, &ge)) != FBV_OK)
		return graph_fail(r, &ge);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "page/%s", pages[i].id);
		if ((t = find_tok(x, name)) == NULL)
			continue;
		t->listed = true;
		t->tasks = pages[i].tasks;
		pages[i].tasks = NULL;
	}
	graph_pages_free(pages, n);
	return 0;
}

static int
ask_graph(struct graph *g, struct run *x)
{
	struct graph_token_info *infos = calloc(x->n, sizeof(*infos));
	const struct sbuf **toks = calloc(x->n, sizeof(*toks));
	struct graph_error ge;
	size_t i;
	int r = 0;

	if (infos == NULL || toks == NULL) {
		r = fail(EXIT_INTERNAL, "out of memory");
		goto out;
	}
	for (i = 0; i < x->n; i++)
		toks[i] = &x->t[i].value;
	r = graph_debug_tokens(g, toks, x->n, infos, &ge);
	for (i = 0; i < x->n; i++)
		x->t[i].info = infos[i];
	if (r != FBV_OK) {
		r = graph_fail(r, &ge);
		goto out;
	}
	r = ask_tasks(g, x);
out:
	free(infos);
	free(toks);
	return r;
}

/* A dead token: the cause and the fix, as for a refused call. */
static void
judge_dead(const struct run *x, struct tok *t)
{
	struct graph_error ge;
	char line[512];

	graph_token_error(&t->info, &ge);
	ge.call = GRAPH_CALL_PAGE;
	graph_error_describe(FBV_ERR_REFUSED, &ge, line, sizeof(line));
	t->v = V_DEAD;
	if (t->page && x->source_ok)
		snprintf(t->why, sizeof(t->why), "%s; %s is alive: fbvault refresh renews it", line,
		    x->source);
	else
		snprintf(t->why, sizeof(t->why), "%s", line);
}

/* Within the warning window: when it ends and what to do. */
static bool
judge_time(const struct check_opts *o, const struct run *x, struct tok *t)
{
	const struct graph_token_info *i = &t->info;
	bool sys = strcmp(t->name, SYSTEM_TOKEN) == 0;
	char left[32], when[64];

	if (i->expires_at > 0 && i->expires_at - x->now <= o->warn) {
		duration_format(i->expires_at - x->now, left, sizeof(left));
		format_time(i->expires_at, when, sizeof(when));
		snprintf(t->why, sizeof(t->why), "expires in %s (%s): %s", left, when, sys ?
		    "make a new system-user token in Business Settings and run fbvault login "
		    "--system-user" : t->page ? "run fbvault refresh" :
		    "run fbvault login with a fresh short-lived token");
	} else if (i->data_access_expires_at > 0 && i->data_access_expires_at - x->now <= o->warn) {
		duration_format(i->data_access_expires_at - x->now, left, sizeof(left));
		format_time(i->data_access_expires_at, when, sizeof(when));
		snprintf(t->why, sizeof(t->why), "data access ends in %s (%s): use the app as this "
		    "user (Graph Explorer), then run fbvault login", left, when);
	} else {
		return false;
	}
	t->v = V_WARN;
	return true;
}

static void
judge(const struct check_opts *o, const struct run *x, struct tok *t)
{
	const char *want = strcmp(t->name, SYSTEM_TOKEN) == 0 ? "SYSTEM_USER" : "USER", *fix;
	char what[256];

	t->v = V_OK;
	if (!t->info.is_valid) {
		judge_dead(x, t);
	} else if (t->page && page_problem(&t->info, t->tasks, t->name + 5, false, true, what,
	    sizeof(what), &fix)) {
		t->v = V_ERROR;
		snprintf(t->why, sizeof(t->why), "cannot post: %s: %s", what, fix);
	} else if (t->page && x->source_ok && !t->listed) {
		t->v = V_ERROR;
		snprintf(t->why, sizeof(t->why), "cannot post: %s no longer lists this page among the "
		    "user's (a lost role?): ask a page admin, then run fbvault refresh", x->source);
	} else if (!t->page && strcmp(t->info.type, want) != 0) {
		t->v = V_ERROR;
		snprintf(t->why, sizeof(t->why), "the entry holds a %s token, not a %s token: run "
		    "fbvault login%s", t->info.type[0] != '\0' ? t->info.type : "unknown", want,
		    strcmp(want, "USER") == 0 ? "" : " --system-user");
	} else {
		judge_time(o, x, t);
	}
}

static void
print_line(const struct tok *t)
{
	const struct graph_token_info *i = &t->info;
	char when[64] = "never", da[64] = "unknown";

	if (t->v != V_OK) {
		printf("%s: %s: %s\n", t->name, verdict_word[t->v], t->why);
		return;
	}
	if (i->expires_at > 0)
		format_time(i->expires_at, when, sizeof(when));
	else if (i->expires_at < 0)
		snprintf(when, sizeof(when), "unknown");
	if (i->data_access_expires_at == 0)
		snprintf(da, sizeof(da), "never ends");
	else if (i->data_access_expires_at > 0)
		format_time(i->data_access_expires_at, da, sizeof(da));
	printf("%s: ok: %s token%s%s, expires %s, data access until %s, scopes %s\n", t->name,
	    i->type, t->page ? ", can post" : "", t->page && t->tasks != NULL ? " (" TASK_POST ")" :
	    "", when, da, i->scopes != NULL && i->scopes[0] != '\0' ? i->scopes : "none");
}

static void
json_str_or_null(const char *key, const char *s)
{
	printf(",\"%s\":", key);
	if (s == NULL)
		fputs("null", stdout);
	else
		json_print_string(stdout, s, strlen(s));
}

static void
print_json(const struct run *x)
{
	const struct tok *t;
	size_t i;

	printf("{\"now\":%lld,\"tokens\":[", (long long)x->now);
	for (i = 0; i < x->n; i++) {
		t = &x->t[i];
		printf("%s{\"name\":", i > 0 ? "," : "");
		json_print_string(stdout, t->name, strlen(t->name));
		printf(",\"status\":\"%s\",\"is_valid\":%s", verdict_json[t->v],
		    t->info.is_valid ? "true" : "false");
		json_str_or_null("problem", t->v == V_OK ? NULL : t->why);
		json_str_or_null("type", t->info.type);
		json_str_or_null("scopes", t->info.scopes);
		json_str_or_null("tasks", t->tasks);
		printf(",\"expires_at\":%lld,\"data_access_expires_at\":%lld,\"error_code\":%d,"
		    "\"error_subcode\":%d}", (long long)t->info.expires_at,
		    (long long)t->info.data_access_expires_at, t->info.err_code, t->info.err_subcode);
	}
	printf("]}\n");
}

/* checked_at, and what Graph said of a live token, in one save. */
static int
save_meta(struct ctx *c, struct vault *v, const struct run *x)
{
	struct vault_txn t;
	struct entry *e;
	size_t i;
	int r = FBV_OK;

	if ((r = edit_begin(c, v, &t)) != 0)
		return r;
	for (i = 0, r = FBV_OK; i < x->n && r == FBV_OK; i++) {
		const struct graph_token_info *in = &x->t[i].info;

		if ((e = vault_edit(t.v, x->t[i].name)) == NULL)
			continue;
		r = meta_set_int(e, META_CHECKED_AT, x->now);
		if (r == FBV_OK && in->is_valid && in->expires_at >= 0)
			r = meta_set_int(e, META_EXPIRES_AT, in->expires_at);
		if (r == FBV_OK && in->is_valid && in->data_access_expires_at >= 0)
			r = meta_set_int(e, META_DATA_ACCESS_EXPIRES_AT, in->data_access_expires_at);
		if (r == FBV_OK && in->is_valid && in->scopes != NULL)
			r = meta_set_str(e, META_SCOPES, in->scopes);
		if (r == FBV_OK && in->is_valid && in->type[0] != '\0')
			r = meta_set_str(e, META_TOKEN_TYPE, in->type);
		if (r == FBV_OK && x->t[i].tasks != NULL)
			r = meta_set_str(e, META_TASKS, x->t[i].tasks);
	}
	if (r != FBV_OK)
		return edit_abort(&t, fail(err_exit_code(r), "cannot save what check learned: %s",
		    fbv_strerror(r)));
	return edit_commit(c, &t);
}

static void
notify(const struct run *x, int code)
{
	char body[512] = "";
	size_t i, used = 0;
	int n;

	for (i = 0; i < x->n; i++) {
		if (x->t[i].v == V_OK)
			continue;
		n = snprintf(body + used, sizeof(body) - used, "%s%s %s", used > 0 ? ", " : "",
		    x->t[i].name, verdict_json[x->t[i].v]);
		if (n < 0 || (size_t)n >= sizeof(body) - used)
			break;
		used += (size_t)n;
	}
	(void)notify_desktop(code == EXIT_WARN ? "fbvault: a token expires soon" :
	    "fbvault: a token is dead or cannot post", body, code != EXIT_WARN);
}

static int
verdicts(const struct check_opts *o, struct run *x)
{
	size_t i;
	int code = 0;

	for (i = 0; i < x->n; i++) {
		judge(o, x, &x->t[i]);
		if (x->t[i].v == V_DEAD || x->t[i].v == V_ERROR)
			code = EXIT_DENIED;
		else if (x->t[i].v == V_WARN && code == 0)
			code = EXIT_WARN;
	}
	return code;
}

static int
check_run(struct vault *v, struct run *x)
{
	struct graph_conf conf;
	struct graph *g = NULL;
	struct sbuf secret;
	char app_id[64];
	bool asked;
	int r;

	sbuf_init(&secret, 1);
	if (graph_conf_from_env(&conf) != FBV_OK)
		r = fail(EXIT_USAGE, "%s", graph_conf_check(&conf));
	else if ((r = collect(v, x)) == 0 && (r = app_id_of(v, NULL, app_id)) == 0 &&
	    (r = app_secret_of(v, &secret, &asked)) == 0) {
		unsetenv("SSLKEYLOGFILE"); /* TLS session keys must not be written out */
		if ((r = graph_connect(&conf, app_id, &secret, &g)) != FBV_OK)
			r = graph_fail(r, NULL);
		else
			r = ask_graph(g, x);
	}
	graph_close(g);
	sbuf_free(&secret);
	return r;
}

int
cmd_check(struct ctx *c, const struct command *self, int argc, char **argv)
{
	struct check_opts o = { self, CHECK_WARN_DEFAULT, false, false };
	struct run x = { .t = NULL };
	struct vault *v;
	size_t i;
	int r, code;

	if ((r = parse_args(c, self, argc, argv, &o, check_opt)) >= 0)
		return r;
	if ((r = vault_open_read(c, &v)) != 0)
		return r;
	x.now = now_unix();
	if ((r = check_run(v, &x)) != 0) {
		vault_free(v);
		if (o.notify && r != EXIT_USAGE)
			(void)notify_desktop("fbvault check could not ask Graph", "run fbvault check "
			    "to see why", false);
		run_free(&x);
		return r;
	}
	code = verdicts(&o, &x);
	if ((r = save_meta(c, v, &x)) != 0) {
		run_free(&x);
		return r;
	}
	if (o.json)
		print_json(&x);
	else
		for (i = 0; i < x.n; i++)
			print_line(&x.t[i]);
	fflush(stdout);
	if (o.notify && code != 0)
		notify(&x, code);
	run_free(&x);
	return code;
}
