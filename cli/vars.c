#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../crypto/errors.h"
#include "../graph/graph.h"
#include "../graph/json.h"
#include "duration.h"
#include "entry_text.h"
#include "errors.h"
#include "open.h"
#include "options.h"
#include "out.h"
#include "use.h"
#include "vars.h"

#define VAR_NAME_MAX 128
#define PAGE_PREFIX "page/"

static bool
var_name_valid(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > VAR_NAME_MAX || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

bool
varset_has(const struct varset *vs, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < vs->n; i++)
		if (vs->v[i].name_len == len && memcmp(vs->v[i].kv, name, len) == 0)
			return true;
	return false;
}

static int
varset_add(struct varset *vs, const char *name, size_t name_len,
    const void *value, size_t len)
{
	struct var *v = &vs->v[vs->n];

	if (varset_has(vs, name, name_len))
		return fail(EXIT_USAGE, "variable %.*s is given twice", (int)name_len, name);
	if (vs->n == VARS_MAX || (v->kv = secret_alloc(name_len + len + 2)) == NULL)
		return fail(EXIT_INTERNAL, "out of memory");
	memcpy(v->kv, name, name_len);
	v->kv[name_len] = '=';
	if (len > 0)
		memcpy(v->kv + name_len + 1, value, len);
	v->kv[name_len + 1 + len] = '\0';
	v->name_len = name_len;
	v->len = name_len + 1 + len;
	vs->n++;
	return 0;
}

int
varset_add_str(struct varset *vs, const char *name, const char *value)
{
	return varset_add(vs, name, strlen(name), value, strlen(value));
}

void
varset_free(struct varset *vs)
{
	size_t i;

	for (i = 0; i < vs->n; i++)
		secret_free(vs->v[i].kv);
	vs->n = 0;
}

/* Puts entry e in variable var, if its value can travel as one. */
/* Whether a value reads back the same from a double-quoted dotenv line in
 * sh (set -a; . FILE) and in dotenv libraries (python-dotenv, Docker): no
 * escape means the same to all of them, so the value must need none. */
static bool
dotenv_safe(const unsigned char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] == 0x7f || s[i] == '$' || s[i] == '`' || s[i] == '\\' ||
		    s[i] == '"')
			return false;
	return utf8_valid(s, n);
}

static int
add_entry(const struct env_opts *o, struct varset *vs, const char *var, size_t var_len,
    const struct entry *e)
{
	if (memchr(e->value, '\0', e->value_len) != NULL)
		return fail(EXIT_USAGE, "entry '%s' holds a NUL byte, which an environment "
		    "variable cannot carry", e->name);
	if (o->format == FMT_JSON && !utf8_valid(e->value, e->value_len))
		return fail(EXIT_USAGE, "entry '%s' is not UTF-8 text, which --format json "
		    "cannot carry", e->name);
	if (o->format == FMT_DOTENV && !dotenv_safe(e->value, e->value_len))
		return fail(EXIT_USAGE, "entry '%s' holds what dotenv readers do not read back "
		    "alike (a newline or other control character, $ ` \\ \", or bytes that are not "
		    "UTF-8); use --format shell or --format json", e->name);
	return varset_add(vs, var, var_len, e->value, e->value_len);
}

static int
spec_add(struct env_opts *o, const char *arg)
{
	const char *eq = strchr(arg, '=');
	struct spec *s = &o->specs[o->nspecs];

	if (eq == NULL)
		return usage_error(o->cmd, "-e wants VAR=NAME, not '%s'", arg);
	if (!var_name_valid(arg, (size_t)(eq - arg)))
		return usage_error(o->cmd, "-e: '%.*s' is not a valid variable name "
		    "([A-Za-z_][A-Za-z0-9_]*)", (int)(eq - arg), arg);
	if (name_check(eq + 1) != FBV_OK)
		return fail(EXIT_USAGE, "invalid entry name '%s'", eq + 1);
	if (o->nspecs == SPECS_MAX)
		return usage_error(o->cmd, "at most %d -e options", SPECS_MAX);
	s->var = arg;
	s->var_len = (size_t)(eq - arg);
	s->name = eq + 1;
	o->nspecs++;
	return -1;
}

static int
format_parse(struct env_opts *o, const char *arg)
{
	if (strcmp(arg, "shell") == 0)
		o->format = FMT_SHELL;
	else if (strcmp(arg, "dotenv") == 0)
		o->format = FMT_DOTENV;
	else if (strcmp(arg, "json") == 0)
		o->format = FMT_JSON;
	else
		return usage_error(o->cmd, "--format wants shell, dotenv or json");
	return -1;
}

static int
env_opt(void *state, int opt, const char *arg)
{
	struct env_opts *o = state;

	switch (opt) {
	case 'p':
		o->page = arg;
		return -1;
	case 'e':
		return spec_add(o, arg);
	case 't':
		o->min_ttl_arg = arg;
		if (duration_parse(arg, &o->min_ttl) == FBV_OK)
			return -1;
		return usage_error(o->cmd, "--min-ttl wants a duration such as 90m, 12h or 7d");
	case 'n':
		o->allow_nested = true;
		return -1;
	case 'f':
		o->force = true;
		return -1;
	case 'F':
		return format_parse(o, arg);
	default:
		return usage_error(o->cmd, "unknown option");
	}
}

int
env_parse(struct ctx *c, const struct command *self, int argc, char **argv,
    struct env_opts *o)
{
	char entry[FBV_NAME_MAX + 1];
	int r;

	memset(o, 0, sizeof(*o));
	o->cmd = self;
	o->min_ttl = -1;
	if ((r = parse_args(c, self, argc, argv, o, env_opt)) >= 0)
		return r;
	if (o->page != NULL && ((size_t)snprintf(entry, sizeof(entry), PAGE_PREFIX "%s",
	    o->page) >= sizeof(entry) || name_check(entry) != FBV_OK))
		return fail(EXIT_USAGE, "invalid page id '%s'", o->page);
	return -1;
}

static bool
is_page(const struct entry *e)
{
	return strncmp(e->name, PAGE_PREFIX, strlen(PAGE_PREFIX)) == 0;
}

/* Whether --min-ttl applies: the tokens `fbvault login` stores, or an
 * entry named like one. */
static bool
is_token(const struct entry *e)
{
	return entry_is_token(e) || is_page(e) || strcmp(e->name, "user-token") == 0;
}

/* "fbvault: WHAT: 111, 222" on stderr; page ids passed name_check(). */
static int
fail_pages(int code, const char *what, const struct vault *v)
{
	size_t i, shown = 0;

	fprintf(stderr, "fbvault: %s", what);
	for (i = 0; i < vault_count(v); i++)
		if (is_page(vault_entry(v, i)))
			fprintf(stderr, "%s%s", shown++ ? ", " : ": ",
			    vault_entry(v, i)->name + strlen(PAGE_PREFIX));
	fputs(shown ? "\n" : ": none\n", stderr);
	return code;
}

int
page_pick(const struct ctx *c, const char *page, const struct vault *v,
    const struct entry **out)
{
	char name[FBV_NAME_MAX + 1], what[FBV_NAME_MAX + 64];
	size_t i, count = 0;

	if (page != NULL) {
		snprintf(name, sizeof(name), PAGE_PREFIX "%s", page);
		if ((*out = vault_find(v, name)) != NULL)
			return 0;
		snprintf(what, sizeof(what), "no page %s in the vault; its pages", page);
		return fail_pages(EXIT_NOTFOUND, what, v);
	}
	for (i = 0; i < vault_count(v); i++)
		if (is_page(vault_entry(v, i)) && count++ == 0)
			*out = vault_entry(v, i);
	if (count == 0)
		return fail(EXIT_NOTFOUND, "no page token in %s; run: fbvault login", c->vault_path);
	if (count > 1)
		return fail_pages(EXIT_USAGE, "the vault holds several pages; name one with "
		    "--page PAGE_ID", v);
	return 0;
}

static int
ttl_check(const struct env_opts *o, const struct entry *e)
{
	char when[64], left_text[32];
	int64_t at, left;

	if (meta_get_int(e, META_EXPIRES_AT, &at) != FBV_OK)
		return fail(EXIT_DENIED, "%s: its expiry is unknown, so --min-ttl %s cannot be "
		    "checked; record it with: fbvault login (or fbvault inspect)", e->name,
		    o->min_ttl_arg);
	left = at - now_unix();
	if (at == 0 || left >= o->min_ttl)
		return 0;
	format_time(at, when, sizeof(when));
	if (left <= 0)
		return fail(EXIT_DENIED, "%s expired at %s; renew it with: fbvault login",
		    e->name, when);
	duration_format(left, left_text, sizeof(left_text));
	return fail(EXIT_DENIED, "%s expires at %s (in %s), sooner than --min-ttl %s",
	    e->name, when, left_text, o->min_ttl_arg);
}

static int
need_entry(const struct ctx *c, const struct vault *v, const char *name,
    const char *why, const struct entry **out)
{
	if ((*out = vault_find(v, name)) != NULL)
		return 0;
	return fail(EXIT_NOTFOUND, "no %s entry in %s (%s needs it); run: fbvault login",
	    name, c->vault_path, why);
}

/* FB_PAGE_ID, FB_PAGE_ACCESS_TOKEN, FB_APP_ID, FB_APPSECRET_PROOF and,
 * when known, FB_TOKEN_EXPIRES_AT and IG_USER_ID (the page's Instagram
 * business account). The App Secret itself stays behind. The page's
 * entry name goes into used. */
static int
add_page_vars(const struct ctx *c, const struct env_opts *o, const struct vault *v,
    struct varset *vs, char *used)
{
	const struct entry *page = NULL, *app_id, *secret;
	char proof[FBV_PROOF_HEX], expires[24], igbuf[64];
	const char *ig;
	size_t iglen;
	int64_t at;
	int r;

	if ((r = page_pick(c, o->page, v, &page)) != 0 ||
	    (r = need_entry(c, v, "app-id", "FB_APP_ID", &app_id)) != 0 ||
	    (r = need_entry(c, v, "app-secret", "FB_APPSECRET_PROOF", &secret)) != 0 ||
	    (o->min_ttl >= 0 && (r = ttl_check(o, page)) != 0) ||
	    (r = varset_add_str(vs, "FB_PAGE_ID", page->name + strlen(PAGE_PREFIX))) != 0 ||
	    (r = add_entry(o, vs, "FB_PAGE_ACCESS_TOKEN", strlen("FB_PAGE_ACCESS_TOKEN"),
	    page)) != 0 ||
	    (r = add_entry(o, vs, "FB_APP_ID", strlen("FB_APP_ID"), app_id)) != 0)
		return r;
	appsecret_proof(proof, secret->value, secret->value_len, page->value, page->value_len);
	r = varset_add_str(vs, "FB_APPSECRET_PROOF", proof);
	sodium_memzero(proof, sizeof(proof));
	if (r == 0 && meta_get_int(page, META_EXPIRES_AT, &at) == FBV_OK) {
		snprintf(expires, sizeof(expires), "%lld", (long long)at);
		r = varset_add_str(vs, "FB_TOKEN_EXPIRES_AT", expires);
	}
	if (r == 0 && meta_get_str(page, META_IG_ID, &ig, &iglen) == FBV_OK && iglen > 0 &&
	    iglen < sizeof(igbuf)) {
		memcpy(igbuf, ig, iglen);
		igbuf[iglen] = '\0';
		r = varset_add_str(vs, "IG_USER_ID", igbuf);
	}
	if (r == 0)
		snprintf(used, FBV_NAME_MAX + 1, "%s", page->name);
	return r;
}

static int
add_spec_vars(const struct ctx *c, const struct env_opts *o, const struct vault *v,
    struct varset *vs, bool *ttl_checked)
{
	const struct entry *e;
	size_t i;
	int r;

	for (i = 0; i < o->nspecs; i++) {
		if ((e = vault_find(v, o->specs[i].name)) == NULL)
			return fail(EXIT_NOTFOUND, "no entry '%s' in %s", o->specs[i].name,
			    c->vault_path);
		if (o->min_ttl >= 0 && is_token(e)) {
			if ((r = ttl_check(o, e)) != 0)
				return r;
			*ttl_checked = true;
		}
		if ((r = add_entry(o, vs, o->specs[i].var, o->specs[i].var_len, e)) != 0)
			return r;
	}
	return 0;
}

/* Opens the vault, copies the variables out into secret memory, and wipes
 * the vault from memory again. */
int
load_vars(struct ctx *c, const struct env_opts *o, struct varset *vs)
{
	bool with_page = o->page != NULL || o->nspecs == 0, ttl_checked = with_page;
	char page[FBV_NAME_MAX + 1] = "";
	const char *used[SPECS_MAX + 2];
	struct vault *v;
	size_t i, n = 0;
	int r;

	if ((r = vault_open_read(c, &v)) != 0)
		return r;
	if (!with_page || (r = add_page_vars(c, o, v, vs, page)) == 0)
		r = add_spec_vars(c, o, v, vs, &ttl_checked);
	vault_free(v);
	if (r == 0 && o->min_ttl >= 0 && !ttl_checked)
		r = usage_error(o->cmd, "--min-ttl: none of the entries asked for is a token");
	if (r != 0)
		return r;
	/* handed out: the page token and the App Secret behind its proof */
	if (page[0] != '\0') {
		used[n++] = page;
		used[n++] = "app-secret";
	}
	for (i = 0; i < o->nspecs; i++)
		used[n++] = o->specs[i].name;
	use_note_all(o->cmd->name, used, n, o->program);
	return 0;
}
