/* status: what the vault knows of its tokens, offline; inspect: what
 * /debug_token says of one, live. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../crypto/errors.h"
#include "../graph/graph.h"
#include "commands.h"
#include "duration.h"
#include "entry_text.h"
#include "errors.h"
#include "graph_session.h"
#include "obuf.h"
#include "open.h"
#include "options.h"
#include "out.h"
#include "unlock_state.h"

#define RENEW_WARN_SECONDS (7 * 86400)
/* As doctor's warnings: a script can gate on it (status || renew). */
#define EXIT_RENEW 1

/* "expires in 59d 23h", "expired 3d ago" */
static void
when_text(int64_t t, int64_t now, char *buf, size_t len)
{
	char d[32];

	if (t <= now) {
		duration_short(now - t, d, sizeof(d));
		snprintf(buf, len, "expired %s ago", d);
	} else {
		duration_format(t - now, d, sizeof(d));
		snprintf(buf, len, "expires in %s", d);
	}
}

/* A warning line for e, or NULL: the user token within 7 days of expiry
 * or past it, or data access lapsing within 7 days. */
static const char *
renew_warning(const struct entry *e, int64_t now, char *buf, size_t len)
{
	int64_t t;
	char when[48];

	if (meta_get_int(e, META_EXPIRES_AT, &t) == FBV_OK && t > 0 && t - now < RENEW_WARN_SECONDS) {
		when_text(t, now, when, sizeof(when));
		snprintf(buf, len, "%s %s: run `fbvault login` with a fresh short-lived token "
		    "from Graph Explorer", e->name, when);
		return buf;
	}
	if (meta_get_int(e, META_DATA_ACCESS_EXPIRES_AT, &t) == FBV_OK && t > 0 &&
	    t - now < RENEW_WARN_SECONDS) {
		when_text(t, now, when, sizeof(when));
		snprintf(buf, len, "%s: data access %s: use the app as this user, then run "
		    "`fbvault login` again", e->name, when);
		return buf;
	}
	return NULL;
}

enum health { HEALTH_OK, HEALTH_SOON, HEALTH_EXPIRED };
static const char *const health_words[] = { "ok", "renew soon", "expired" };
static const char *const health_colours[] = { "\033[32m", "\033[33m", "\033[31m" };

static enum health
health_of(const struct entry *e, int64_t now)
{
	enum health h = HEALTH_OK;
	int64_t t;

	if (meta_get_int(e, META_EXPIRES_AT, &t) == FBV_OK && t > 0)
		h = t <= now ? HEALTH_EXPIRED : t - now < RENEW_WARN_SECONDS ? HEALTH_SOON : h;
	if (h != HEALTH_EXPIRED && meta_get_int(e, META_DATA_ACCESS_EXPIRES_AT, &t) == FBV_OK &&
	    t > 0 && t - now < RENEW_WARN_SECONDS)
		h = t <= now ? HEALTH_EXPIRED : HEALTH_SOON;
	return h;
}

/* Colour only for a person: stdout a terminal and NO_COLOR unset or empty. */
static bool
use_colour(void)
{
	const char *no = getenv("NO_COLOR");

	return isatty(STDOUT_FILENO) && (no == NULL || *no == '\0');
}

/* One line per token: name, kind, health, expiry, page name. */
static enum health
status_line(const struct entry *e, int64_t now, bool colour)
{
	const char *kind = "", *pname = NULL;
	size_t klen = 0, plen = 0;
	char when[96], at[64], name[256] = "";
	enum health h = health_of(e, now);
	int64_t t;

	meta_get_str(e, META_KIND, &kind, &klen);
	if (meta_get_str(e, META_PAGE_NAME, &pname, &plen) == FBV_OK)
		graph_escape(name, sizeof(name), pname, plen);
	if (meta_get_int(e, META_EXPIRES_AT, &t) != FBV_OK) {
		snprintf(when, sizeof(when), "expiry unknown");
	} else if (t == 0) {
		snprintf(when, sizeof(when), "expires never");
	} else {
		when_text(t, now, when, sizeof(when) - sizeof(at));
		format_time(t, at, sizeof(at));
		snprintf(when + strlen(when), sizeof(when) - strlen(when), " (%s)", at);
	}
	printf("%-24s %-10.*s %s%-10s%s  %s%s%s\n", e->name, (int)klen, kind,
	    colour ? health_colours[h] : "", health_words[h], colour ? "\033[0m" : "", when,
	    *name ? "  " : "", name);
	return h;
}

/* The page's linked Instagram business account, when login saw one. */
static void
instagram_line(const struct entry *e)
{
	const char *id, *user;
	size_t idlen, ulen;
	char name[256] = "";

	if (meta_get_str(e, META_IG_ID, &id, &idlen) != FBV_OK)
		return;
	if (meta_get_str(e, META_IG_USERNAME, &user, &ulen) == FBV_OK)
		graph_escape(name, sizeof(name), user, ulen);
	printf("  instagram %s%s(%.*s)\n", name, name[0] != '\0' ? " " : "", (int)idlen, id);
}

/* Whether any token warned. */
static bool
status_json(const struct vault *v, int64_t now)
{
	char warn[512], name[FBV_NAME_MAX + 1];
	const struct entry *e;
	struct entry tmp;
	size_t i, n = 0;

	printf("{\"now\":%lld,\"tokens\":[", (long long)now);
	for (i = 0; i < vault_count(v); i++) {
		if (!entry_is_token(e = vault_entry_peek(v, i, &tmp, name)))
			continue;
		if (n++ > 0)
			putchar(',');
		entry_json(stdout, e);
	}
	printf("],\"warnings\":[");
	for (i = 0, n = 0; i < vault_count(v); i++) {
		e = vault_entry_peek(v, i, &tmp, name);
		if (!entry_is_token(e) || renew_warning(e, now, warn, sizeof(warn)) == NULL)
			continue;
		if (n++ > 0)
			putchar(',');
		json_print_string(stdout, warn, strlen(warn));
	}
	printf("],\"unlock\":");
	print_unlock_state(stdout, v, false, true);
	printf("}\n");
	return n > 0;
}

int
cmd_status(struct ctx *c, const struct command *self, int argc, char **argv)
{
	int64_t now = now_unix();
	bool json = false, renew = false, colour = use_colour();
	char warn[512], name[FBV_NAME_MAX + 1];
	const struct entry *e;
	struct entry tmp;
	struct vault *v;
	size_t i, n = 0;
	int r;

	if ((r = parse_args(c, self, argc, argv, &json, flag_opt)) >= 0)
		return r;
	if ((r = vault_open_read(c, &v)) != 0)
		return r;
	if ((r = vault_open_records(v)) != FBV_OK) {
		vault_free(v);
		return fail_err(r, c->vault_path);
	}
	if (seen_slots_warning(v) != NULL)
		msg("warning: %s: %s", c->vault_path, seen_slots_warning(v));
	if (json) {
		renew = status_json(v, now);
		vault_free(v);
		return renew ? EXIT_RENEW : 0;
	}
	for (i = 0; i < vault_count(v); i++) {
		if (entry_is_token(e = vault_entry_peek(v, i, &tmp, name))) {
			if (status_line(e, now, colour) != HEALTH_OK)
				renew = true;
			instagram_line(e);
			n++;
		}
	}
	if (n == 0)
		printf("no tokens: run `fbvault login`\n");
	for (i = 0; i < vault_count(v); i++)
		if (entry_is_token(e = vault_entry_peek(v, i, &tmp, name)) &&
		    renew_warning(e, now, warn, sizeof(warn)) != NULL)
			msg("warning: %s", warn);
	print_unlock_state(stdout, v, false, false);
	vault_free(v);
	return renew ? EXIT_RENEW : 0;
}

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

/* The token to inspect and the app's credentials, copied out of v. Only
 * a token goes to /debug_token: never the App Secret or another secret. */
static int
inspect_inputs(const struct ctx *c, const struct vault *v, const char *name,
    struct sbuf *token, char app_id[64], struct sbuf *secret)
{
	const struct entry *e = vault_find(v, name);
	const char *kind;
	size_t klen;

	if (e == NULL)
		return fail(EXIT_NOTFOUND, "no entry '%s' in %s", name, c->vault_path);
	if (!entry_holds_token(e)) {
		kind = entry_kind(e, &klen);
		return fail(EXIT_USAGE, "'%s' is not a token (its kind is %.*s); inspect sends "
		    "only tokens to Graph", name, (int)klen, kind);
	}
	return call_credentials(v, e, app_id, secret, token);
}

int
cmd_inspect(struct ctx *c, const struct command *self, int argc, char **argv)
{
	struct graph_token_info info = { 0 };
	struct graph_conf conf;
	struct graph_error ge = { 0 };
	struct graph *g = NULL;
	struct sbuf secret, token;
	char app_id[64];
	bool json = false;
	struct vault *v;
	int r;

	if ((r = parse_args(c, self, argc, argv, &json, flag_opt)) >= 0)
		return r;
	if (name_check(argv[optind]) != FBV_OK)
		return fail(EXIT_USAGE, "invalid entry name '%s'", argv[optind]);
	if (graph_conf_from_env(&conf) != FBV_OK)
		return fail(EXIT_USAGE, "%s", graph_conf_check(&conf));
	if ((r = vault_open_read(c, &v)) != 0)
		return r;
	sbuf_init(&secret, 1);
	sbuf_init(&token, GRAPH_TOKEN_MAX + 1);
	if ((r = inspect_inputs(c, v, argv[optind], &token, app_id, &secret)) != 0)
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
