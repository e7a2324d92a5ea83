/* login: the Graph token flow; status: what the vault knows of its
 * tokens, offline; inspect: what /debug_token says of one, live. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../crypto/errors.h"
#include "../graph/graph.h"
#include "../vault/txn.h"
#include "../vault/unlock.h"
#include "cli.h"
#include "commands.h"
#include "module.h"

#define LOGIN_PAGES_MAX 100
#define RENEW_WARN_SECONDS (7 * 86400)
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

static bool
digits(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return i > 0 && i < 64;
}

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
graph_fail(int err, const struct graph_error *ge)
{
	char line[512];

	graph_error_describe(err, ge, line, sizeof(line));
	return fail(err_exit_code(graph_error_class(err, ge)), "%s",
	    line[0] != '\0' ? line : fbv_strerror(err));
}

/* A client of the HTTPS module, which graph_open() refuses when it is
 * missing. */
static int
graph_connect(const struct graph_conf *conf, const char *app_id, const struct sbuf *secret,
    struct graph **g)
{
	const struct http_ops *http = NULL;

	(void)http_module(&http);
	return graph_open(conf, http, app_id, secret->data, secret->len, g);
}

static const unsigned char *
entry_value(const struct vault *v, const char *name, size_t *len)
{
	const struct entry *e = vault_find(v, name);

	if (e == NULL)
		return NULL;
	*len = e->value_len;
	return e->value;
}

/* The App ID: --app-id, else the entry app-id. */
static int
app_id_of(const struct vault *v, const char *given, char out[64])
{
	const unsigned char *p;
	size_t len;

	if (given != NULL) {
		snprintf(out, 64, "%s", given);
		return 0;
	}
	if ((p = entry_value(v, "app-id", &len)) == NULL)
		return fail(EXIT_NOTFOUND, "no App ID: give --app-id ID or store it with: "
		    "fbvault put app-id");
	if (len == 0 || len >= 64)
		return fail(EXIT_USAGE, "the entry app-id is not a numeric App ID");
	memcpy(out, p, len);
	out[len] = '\0';
	if (!digits(out))
		return fail(EXIT_USAGE, "the entry app-id is not a numeric App ID");
	return 0;
}

/* The App Secret: the entry app-secret, else asked for without echo
 * (and stored at the end, if the whole flow succeeds). */
static int
app_secret_of(const struct vault *v, struct sbuf *out, bool *asked)
{
	const unsigned char *p;
	size_t len;
	int r;

	sbuf_init(out, GRAPH_SECRET_MAX + 1);
	*asked = false;
	if ((p = entry_value(v, "app-secret", &len)) != NULL)
		return sbuf_put(out, p, len) == FBV_OK ? 0 : fail(EXIT_USAGE,
		    "the entry app-secret is longer than %d bytes", GRAPH_SECRET_MAX);
	if (!have_tty())
		return fail(EXIT_NOTFOUND, "no App Secret: store it first with: "
		    "fbvault put app-secret");
	if ((r = read_tty_line("App Secret (not shown): ", out)) != FBV_OK || out->len == 0)
		return fail(EXIT_USAGE, "no App Secret given");
	*asked = true;
	return 0;
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
	if (out->len == 0 || i != out->len)
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
	if ((cs = calloc(npages + 1, sizeof(*cs))) == NULL) {
		r = fail(EXIT_INTERNAL, "out of memory");
		goto out;
	}
	snprintf(cs[0].name, sizeof(cs[0].name), "user-token");
	cs[0].kind = "user-token";
	cs[0].token = &user_tok;
	for (i = 0; i < npages; i++) {
		snprintf(cs[i + 1].name, sizeof(cs[i + 1].name), "page/%s", pages[i].id);
		cs[i + 1].kind = "page-token";
		cs[i + 1].token = &pages[i].token;
		cs[i + 1].page_id = pages[i].id;
		cs[i + 1].page_name = pages[i].name;
	}
	for (i = 0; i < npages; i++) {
		if (pages[i].token.len == 0) {
			r = fail(EXIT_DENIED, "page %s: Graph gave no token for it (your role on the "
			    "page lacks the tasks to manage it); nothing was stored", pages[i].id);
			goto out;
		}
	}
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
cmd_login(struct ctx *c, int argc, char **argv)
{
	static const struct option own[] = { { "app-id", required_argument, NULL, 'a' },
		{ "page", required_argument, NULL, 'p' }, { 0 } };
	struct login_opts o = { command_find("login"), NULL, { 0 }, 0, 0 };
	struct sbuf secret, short_tok;
	char app_id[64];
	bool asked;
	struct vault *v;
	int r;

	if ((r = parse_options(c, o.cmd, argc, argv, "+h", own, &o, login_opt)) >= 0)
		return r;
	if (optind != argc)
		return usage_error(o.cmd, "unexpected argument '%s'", argv[optind]);
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

/* status */

static bool
is_token(const struct entry *e)
{
	const char *k;
	size_t len;

	return meta_get_str(e, META_KIND, &k, &len) == FBV_OK &&
	    ((len == 10 && memcmp(k, "user-token", 10) == 0) ||
	    (len == 10 && memcmp(k, "page-token", 10) == 0));
}

/* A warning line for e, or NULL: the user token within 7 days of expiry,
 * or data access lapsing within 7 days. */
static const char *
renew_warning(const struct entry *e, int64_t now, char *buf, size_t len)
{
	int64_t t;
	char left[32];

	if (meta_get_int(e, META_EXPIRES_AT, &t) == FBV_OK && t > 0 && t - now < RENEW_WARN_SECONDS) {
		duration_format(t - now, left, sizeof(left));
		snprintf(buf, len, "%s %s (%s left): run `fbvault login` with a fresh short-lived "
		    "token from Graph Explorer", e->name, t <= now ? "has expired" : "expires soon",
		    left);
		return buf;
	}
	if (meta_get_int(e, META_DATA_ACCESS_EXPIRES_AT, &t) == FBV_OK && t > 0 &&
	    t - now < RENEW_WARN_SECONDS) {
		duration_format(t - now, left, sizeof(left));
		snprintf(buf, len, "%s: data access %s (%s left): use the app as this user, then "
		    "run `fbvault login` again", e->name, t <= now ? "has expired" : "expires soon",
		    left);
		return buf;
	}
	return NULL;
}

static void
status_line(const struct entry *e, int64_t now)
{
	const char *kind = "", *pname = NULL;
	size_t klen = 0, plen = 0;
	char expires[64], left[32] = "", name[256] = "";
	int64_t t;

	meta_get_str(e, META_KIND, &kind, &klen);
	if (meta_get_str(e, META_PAGE_NAME, &pname, &plen) == FBV_OK)
		graph_escape(name, sizeof(name), pname, plen);
	expiry_text(e, expires, sizeof(expires));
	if (meta_get_int(e, META_EXPIRES_AT, &t) == FBV_OK && t > 0)
		duration_format(t - now, left, sizeof(left));
	printf("%-24s %-10.*s expires %s%s%s%s%s%s\n", e->name, (int)klen, kind, expires,
	    *left ? " (" : "", left, *left ? " left)" : "", *name ? "  " : "", name);
}

static void
status_json(const struct vault *v, int64_t now)
{
	char warn[512];
	size_t i, n = 0;

	printf("{\"now\":%lld,\"tokens\":[", (long long)now);
	for (i = 0; i < vault_count(v); i++) {
		if (!is_token(vault_entry(v, i)))
			continue;
		if (n++ > 0)
			putchar(',');
		entry_json(stdout, vault_entry(v, i));
	}
	printf("],\"warnings\":[");
	for (i = 0, n = 0; i < vault_count(v); i++) {
		if (!is_token(vault_entry(v, i)) ||
		    renew_warning(vault_entry(v, i), now, warn, sizeof(warn)) == NULL)
			continue;
		if (n++ > 0)
			putchar(',');
		json_print_string(stdout, warn, strlen(warn));
	}
	printf("],\"unlock\":");
	print_unlock_state(stdout, v, false, true);
	printf("}\n");
}

int
cmd_status(struct ctx *c, int argc, char **argv)
{
	static const struct option own[] = { { "json", no_argument, NULL, 'j' }, { 0 } };
	const struct command *cmd = command_find("status");
	int64_t now = now_unix();
	bool json = false;
	char warn[512];
	struct vault *v;
	size_t i, n = 0;
	int r;

	if ((r = parse_options(c, cmd, argc, argv, "+h", own, &json, flag_opt)) >= 0)
		return r;
	if (optind != argc)
		return usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if ((r = vault_open_read(c, &v)) != 0)
		return r;
	if (seen_slots_warning(v) != NULL)
		msg("warning: %s: %s", c->vault_path, seen_slots_warning(v));
	if (json) {
		status_json(v, now);
		vault_free(v);
		return 0;
	}
	for (i = 0; i < vault_count(v); i++) {
		if (is_token(vault_entry(v, i))) {
			status_line(vault_entry(v, i), now);
			n++;
		}
	}
	if (n == 0)
		printf("no tokens: run `fbvault login`\n");
	for (i = 0; i < vault_count(v); i++)
		if (is_token(vault_entry(v, i)) &&
		    renew_warning(vault_entry(v, i), now, warn, sizeof(warn)) != NULL)
			msg("warning: %s", warn);
	print_unlock_state(stdout, v, false, false);
	vault_free(v);
	return 0;
}

/* inspect */

static void
inspect_print(const char *name, const struct graph_token_info *t, bool json)
{
	char app[256] = "", when[64], da[64];

	if (t->application != NULL)
		graph_escape(app, sizeof(app), t->application, strlen(t->application));
	if (json) {
		printf("{\"name\":");
		json_print_string(stdout, name, strlen(name));
		printf(",\"is_valid\":%s,\"type\":", t->is_valid ? "true" : "false");
		json_print_string(stdout, t->type, strlen(t->type));
		printf(",\"app_id\":");
		json_print_string(stdout, t->app_id, strlen(t->app_id));
		printf(",\"application\":");
		json_print_string(stdout, app, strlen(app));
		printf(",\"profile_id\":");
		json_print_string(stdout, t->profile_id, strlen(t->profile_id));
		printf(",\"user_id\":");
		json_print_string(stdout, t->user_id, strlen(t->user_id));
		printf(",\"scopes\":");
		json_print_string(stdout, t->scopes, strlen(t->scopes));
		printf(",\"expires_at\":%lld,\"data_access_expires_at\":%lld,\"issued_at\":%lld,"
		    "\"error_code\":%d,\"error_subcode\":%d}\n", (long long)t->expires_at,
		    (long long)t->data_access_expires_at, (long long)t->issued_at, t->err_code,
		    t->err_subcode);
		return;
	}
	format_time(t->expires_at, when, sizeof(when));
	format_time(t->data_access_expires_at, da, sizeof(da));
	printf("%s: %s %s token of app %s (%s)\n", name, t->is_valid ? "valid" : "INVALID",
	    *t->type ? t->type : "unknown", t->app_id, app);
	if (*t->profile_id)
		printf("  page: %s\n", t->profile_id);
	printf("  scopes: %s\n  expires: %s\n  data access expires: %s\n", t->scopes,
	    t->expires_at == 0 ? "never" : t->expires_at < 0 ? "unknown" : when,
	    t->data_access_expires_at < 0 ? "unknown" : da);
}

int
cmd_inspect(struct ctx *c, int argc, char **argv)
{
	static const struct option own[] = { { "json", no_argument, NULL, 'j' }, { 0 } };
	const struct command *cmd = command_find("inspect");
	struct graph_token_info info = { 0 };
	struct graph_conf conf;
	struct graph_error ge = { 0 };
	struct graph *g = NULL;
	struct sbuf secret, token;
	const struct entry *e;
	char app_id[64];
	bool json = false, asked;
	struct vault *v;
	int r;

	if ((r = parse_options(c, cmd, argc, argv, "h", own, &json, flag_opt)) >= 0)
		return r;
	if (argc - optind != 1)
		return usage_error(cmd, "inspect takes one NAME");
	if (name_check(argv[optind]) != FBV_OK)
		return fail(EXIT_USAGE, "invalid entry name '%s'", argv[optind]);
	if (graph_conf_from_env(&conf) != FBV_OK)
		return fail(EXIT_USAGE, "%s", graph_conf_check(&conf));
	if ((r = vault_open_read(c, &v)) != 0)
		return r;
	sbuf_init(&secret, 1);
	sbuf_init(&token, GRAPH_TOKEN_MAX + 1);
	if ((e = vault_find(v, argv[optind])) == NULL) {
		r = fail(EXIT_NOTFOUND, "no entry '%s' in %s", argv[optind], c->vault_path);
		goto out;
	}
	if (sbuf_put(&token, e->value, e->value_len) != FBV_OK) {
		r = fail(EXIT_USAGE, "'%s' is too long to be a token", argv[optind]);
		goto out;
	}
	if ((r = app_id_of(v, NULL, app_id)) != 0 || (r = app_secret_of(v, &secret, &asked)) != 0)
		goto out;
	vault_free(v);
	v = NULL;
	unsetenv("SSLKEYLOGFILE");
	if ((r = graph_connect(&conf, app_id, &secret, &g)) == FBV_OK)
		r = graph_debug_token(g, &token, &info, &ge);
	if (r != FBV_OK) {
		r = graph_fail(r, &ge);
		goto out;
	}
	inspect_print(argv[optind], &info, json);
	if (!info.is_valid) {
		graph_token_error(&info, &ge);
		r = graph_fail(FBV_ERR_REFUSED, &ge);
	}
out:
	graph_token_info_free(&info);
	graph_close(g);
	sbuf_free(&secret);
	sbuf_free(&token);
	vault_free(v);
	return r;
}
