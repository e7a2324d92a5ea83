/* exec, env, inject: hand vault entries to the programs that need them,
 * through their environment or a file rendered from a template, never
 * through argv. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "../crypto/errors.h"
#include "../crypto/seal.h"
#include "../graph/graph.h"
#include "../graph/json.h"
#include "../vault/io.h"
#include "../vault/store.h"
#include "cli.h"
#include "commands.h"
#include "template.h"

extern char **environ;

/* As shells report them. */
#define EXIT_CANNOT_EXEC 126
#define EXIT_CMD_NOT_FOUND 127

#define SPECS_MAX 64
#define VARS_MAX (SPECS_MAX + 8)
#define VAR_NAME_MAX 128
#define TEMPLATE_MAX (16U * 1024 * 1024)
#define OUTPUT_MAX FBV_PAYLOAD_MAX
#define PAGE_PREFIX "page/"

/* Never inherited by exec's child: the passphrase files would let it open
 * the vault, and a stale page variable must not pass for ours. */
static const char *const dropped_vars[] = {
	"FBVAULT_PASSPHRASE_FILE", "FBVAULT_NEW_PASSPHRASE_FILE", "FBVAULT_EXEC",
	"FB_PAGE_ID", "FB_PAGE_ACCESS_TOKEN", "FB_APP_ID", "FB_APPSECRET_PROOF",
	"FB_TOKEN_EXPIRES_AT", NULL,
};

enum env_format { FMT_SHELL, FMT_DOTENV, FMT_JSON };

/* -e VAR=NAME; both point into argv. */
struct spec {
	const char *var;
	size_t var_len;
	const char *name;
};

struct env_opts {
	const struct command *cmd;
	const char *page;
	struct spec specs[SPECS_MAX];
	size_t nspecs;
	const char *min_ttl_arg;
	int64_t min_ttl;        /* -1: not asked for */
	bool allow_nested;
	bool force;
	enum env_format format;
};

/* One variable as "NAME=value\0" in secret memory, ready for execve. */
struct var {
	char *kv;
	size_t name_len;
	size_t len;             /* without the NUL */
};

struct varset {
	struct var v[VARS_MAX];
	size_t n;
};

/* Variables */

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

static bool
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

static int
varset_add_str(struct varset *vs, const char *name, const char *value)
{
	return varset_add(vs, name, strlen(name), value, strlen(value));
}

static void
varset_free(struct varset *vs)
{
	size_t i;

	for (i = 0; i < vs->n; i++)
		secret_free(vs->v[i].kv);
	vs->n = 0;
}

/* Puts entry e in variable var, if its value can travel as one. */
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
	return varset_add(vs, var, var_len, e->value, e->value_len);
}

/* Options */

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

static int
env_parse(struct ctx *c, struct env_opts *o, const char *name, int argc, char **argv,
    const struct option *own)
{
	char entry[FBV_NAME_MAX + 1];
	int r;

	memset(o, 0, sizeof(*o));
	o->cmd = command_find(name);
	o->min_ttl = -1;
	if ((r = parse_options(c, o->cmd, argc, argv, "+he:", own, o, env_opt)) >= 0)
		return r;
	if (o->page != NULL && ((size_t)snprintf(entry, sizeof(entry), PAGE_PREFIX "%s",
	    o->page) >= sizeof(entry) || name_check(entry) != FBV_OK))
		return fail(EXIT_USAGE, "invalid page id '%s'", o->page);
	return -1;
}

/* The page token */

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
	const char *kind;
	size_t len;

	if (meta_get_str(e, META_KIND, &kind, &len) == FBV_OK && len == 10 &&
	    (memcmp(kind, "page-token", len) == 0 || memcmp(kind, "user-token", len) == 0))
		return true;
	return is_page(e) || strcmp(e->name, "user-token") == 0;
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

static int
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
 * when known, FB_TOKEN_EXPIRES_AT. The App Secret itself stays behind. */
static int
add_page_vars(const struct ctx *c, const struct env_opts *o, const struct vault *v,
    struct varset *vs)
{
	const struct entry *page = NULL, *app_id, *secret;
	char proof[FBV_PROOF_HEX], expires[24];
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
static int
load_vars(struct ctx *c, const struct env_opts *o, struct varset *vs)
{
	bool with_page = o->page != NULL || o->nspecs == 0, ttl_checked = with_page;
	struct vault *v;
	int r;

	if ((r = vault_open_read(c, &v)) != 0)
		return r;
	if (!with_page || (r = add_page_vars(c, o, v, vs)) == 0)
		r = add_spec_vars(c, o, v, vs, &ttl_checked);
	vault_free(v);
	if (r == 0 && o->min_ttl >= 0 && !ttl_checked)
		r = usage_error(o->cmd, "--min-ttl: none of the entries asked for is a token");
	return r;
}

/* exec */

static bool
env_dropped(const char *kv, const struct varset *vs)
{
	size_t len = strcspn(kv, "=");
	const char *const *d;

	for (d = dropped_vars; *d != NULL; d++)
		if (strlen(*d) == len && memcmp(*d, kv, len) == 0)
			return true;
	return varset_has(vs, kv, len);
}

/* Our environment without what must not pass on, then our variables. */
static char **
child_env(const struct varset *vs)
{
	size_t n = 0, i, k = 0;
	char **envp;

	while (environ != NULL && environ[n] != NULL)
		n++;
	if ((envp = calloc(n + vs->n + 1, sizeof(*envp))) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (!env_dropped(environ[i], vs))
			envp[k++] = environ[i];
	for (i = 0; i < vs->n; i++)
		envp[k++] = vs->v[i].kv;
	return envp;
}

static int
exec_error(const char *cmd, int err)
{
	if (err == ENOENT)
		return fail(EXIT_CMD_NOT_FOUND, "%s: %s", cmd,
		    strchr(cmd, '/') != NULL ? "no such file or directory" : "command not found");
	if (err == EACCES)
		return fail(EXIT_CANNOT_EXEC, "%s: permission denied", cmd);
	return fail(EXIT_CANNOT_EXEC, "%s: cannot execute: %s", cmd, strerror(err));
}

/* A passphrase descriptor would let the child read what is left in it;
 * standard streams stay, as the user set them up. */
static void
close_passphrase_fds(const struct ctx *c)
{
	if (c->passphrase_fd > STDERR_FILENO)
		close(c->passphrase_fd);
	if (c->new_passphrase_fd > STDERR_FILENO && c->new_passphrase_fd != c->passphrase_fd)
		close(c->new_passphrase_fd);
}

int
cmd_exec(struct ctx *c, int argc, char **argv)
{
	static const struct option own[] = { { "page", required_argument, NULL, 'p' },
		{ "min-ttl", required_argument, NULL, 't' },
		{ "allow-nested", no_argument, NULL, 'n' }, { 0 } };
	struct env_opts o;
	struct varset vs = { .n = 0 };
	char **envp;
	int r;

	if ((r = env_parse(c, &o, "exec", argc, argv, own)) >= 0)
		return r;
	if (optind >= argc)
		return usage_error(o.cmd, "exec needs a command to run");
	if (getenv("FBVAULT_EXEC") != NULL && !o.allow_nested)
		return fail(EXIT_USAGE, "already running under fbvault exec (FBVAULT_EXEC is "
		    "set); use --allow-nested to run another inside it");
	if ((r = varset_add_str(&vs, "FBVAULT_EXEC", "1")) != 0 ||
	    (r = load_vars(c, &o, &vs)) != 0) {
		varset_free(&vs);
		return r;
	}
	if ((envp = child_env(&vs)) == NULL) {
		varset_free(&vs);
		return fail(EXIT_INTERNAL, "out of memory");
	}
	close_passphrase_fds(c);
	restore_child_state();
	fflush(NULL);
	execvpe(argv[optind], argv + optind, envp);
	r = exec_error(argv[optind], errno);
	free(envp);
	varset_free(&vs);
	return r;
}

/* env */

static void
put_shell(struct obuf *out, const struct var *v)
{
	const char *val = v->kv + v->name_len + 1, *end = v->kv + v->len, *q;

	oputs(out, "export ");
	oput(out, v->kv, v->name_len);
	oputs(out, "='");
	for (; (q = memchr(val, '\'', (size_t)(end - val))) != NULL; val = q + 1) {
		oput(out, val, (size_t)(q - val));
		oputs(out, "'\\''");
	}
	oput(out, val, (size_t)(end - val));
	oputs(out, "'\n");
}

static void
put_dotenv(struct obuf *out, const struct var *v)
{
	const char *p;

	oput(out, v->kv, v->name_len);
	oputs(out, "=\"");
	for (p = v->kv + v->name_len + 1; p < v->kv + v->len; p++) {
		if (*p == '\n')
			oputs(out, "\\n");
		else if (*p == '\\' || *p == '"' || *p == '$' || *p == '`') {
			oputs(out, "\\");
			oput(out, p, 1);
		} else {
			oput(out, p, 1);
		}
	}
	oputs(out, "\"\n");
}

static void
format_vars(struct obuf *out, const struct varset *vs, enum env_format format)
{
	size_t i;

	for (i = 0; i < vs->n; i++) {
		const struct var *v = &vs->v[i];

		if (format == FMT_SHELL)
			put_shell(out, v);
		else if (format == FMT_DOTENV)
			put_dotenv(out, v);
		else {
			oputs(out, i == 0 ? "{" : ",");
			oput_json_string(out, v->kv, v->name_len);
			oputs(out, ":");
			oput_json_string(out, v->kv + v->name_len + 1, v->len - v->name_len - 1);
		}
	}
	if (format == FMT_JSON)
		oputs(out, vs->n == 0 ? "{}\n" : "}\n");
}

int
cmd_env(struct ctx *c, int argc, char **argv)
{
	static const struct option own[] = { { "page", required_argument, NULL, 'p' },
		{ "min-ttl", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'F' },
		{ "force", no_argument, NULL, 'f' }, { 0 } };
	struct env_opts o;
	struct varset vs = { .n = 0 };
	struct obuf out;
	int r;

	if ((r = env_parse(c, &o, "env", argc, argv, own)) >= 0)
		return r;
	if (optind != argc)
		return usage_error(o.cmd, "unexpected argument '%s'", argv[optind]);
	if (isatty(STDOUT_FILENO) && !o.force)
		return fail(EXIT_USAGE, "refusing to print tokens to a terminal, where they "
		    "stay in the scrollback; use eval \"$(fbvault env)\", redirect it, or --force");
	if ((r = load_vars(c, &o, &vs)) != 0) {
		varset_free(&vs);
		return r;
	}
	obuf_init(&out, OUTPUT_MAX);
	format_vars(&out, &vs, o.format);
	varset_free(&vs);
	if (out.err != FBV_OK)
		r = fail_err(out.err, "env");
	else if (fd_write_all(STDOUT_FILENO, out.b.data, out.b.len) != 0)
		r = fail(EXIT_IO, "cannot write to stdout: %s", strerror(errno));
	obuf_free(&out);
	return r;
}

/* inject */

struct template {
	const unsigned char *p;
	size_t len;
	const char *label;      /* the file, or "stdin" */
};

static int
fail_ref(int code, const struct template *t, size_t line, const char *what,
    const unsigned char *name, size_t len)
{
	fprintf(stderr, "fbvault: %s:%zu: %s", t->label, line, what);
	if (name != NULL) {
		fputs(" '", stderr);
		term_escape(stderr, (const char *)name, len);
		fputc('\'', stderr);
	}
	fputc('\n', stderr);
	return code;
}

static bool
entry_lookup(const void *v, const char *name, const unsigned char **value, size_t *len)
{
	const struct entry *e = vault_find(v, name);

	if (e == NULL)
		return false;
	*value = e->value;
	*len = e->value_len;
	return true;
}

/* Copies t to out with each reference replaced by its entry's value; with
 * es NULL, only checks the template's syntax. */
static int
render(const struct template *t, const struct vault *v, const char *vault_path,
    struct sbuf *out)
{
	struct template_error e;

	switch (template_render(t->p, t->len, v != NULL ? entry_lookup : NULL, v, out, &e)) {
	case TEMPLATE_OK:
		return 0;
	case TEMPLATE_UNCLOSED:
		return fail_ref(EXIT_USAGE, t, e.line, "'{{ fbvault:' without a closing '}}' "
		    "on the same line", NULL, 0);
	case TEMPLATE_MALFORMED:
		return fail_ref(EXIT_USAGE, t, e.line, "malformed reference: want "
		    "{{ fbvault:NAME }}", NULL, 0);
	case TEMPLATE_BAD_NAME:
		return fail_ref(EXIT_USAGE, t, e.line, "invalid entry name", e.name,
		    e.name_len > FBV_NAME_MAX ? 32 : e.name_len);
	case TEMPLATE_NOT_FOUND:
		return fail(EXIT_NOTFOUND, "%s:%zu: no entry '%.*s' in %s", t->label, e.line,
		    (int)e.name_len, (const char *)e.name, vault_path);
	}
	if (e.out_err == FBV_ERR_TOO_LARGE)
		return fail(EXIT_USAGE, "the output would be larger than %u bytes", OUTPUT_MAX);
	return fail_err(e.out_err, "inject");
}

static int
read_template(const char *path, struct sbuf *out)
{
	int fd = STDIN_FILENO, r;

	sbuf_init(out, TEMPLATE_MAX);
	if (path != NULL && (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return fail(errno == ENOENT ? EXIT_NOTFOUND : EXIT_IO, "cannot open %s: %s",
		    path, strerror(errno));
	r = fd_read_sbuf(fd, out);
	if (r == FBV_ERR_SYSTEM)
		r = fail(EXIT_IO, "cannot read %s: %s", path ? path : "stdin", strerror(errno));
	else if (r == FBV_ERR_TOO_LARGE)
		r = fail(EXIT_USAGE, "%s: a template may hold at most %u bytes",
		    path ? path : "stdin", TEMPLATE_MAX);
	else if (r != FBV_OK)
		r = fail_err(r, path ? path : "stdin");
	if (path != NULL)
		close(fd);
	return r;
}

/* The output replaces the file atomically, 0600 from the first byte, under
 * a random temporary name (PATH.tmp may be somebody's file). */
static int
write_output(const char *path, const unsigned char *buf, size_t len)
{
	int r = store_write(path, buf, len, STORE_RANDOM_TMP);

	if (r == FBV_ERR_SYSTEM)
		return fail(EXIT_IO, "cannot write %s: %s", path, strerror(errno));
	return r == FBV_OK ? 0 : fail_err(r, path);
}

struct inject_opts {
	const struct command *cmd;
	const char *in;
	const char *out;
};

static int
inject_opt(void *state, int opt, const char *arg)
{
	struct inject_opts *o = state;

	if (opt == 'i')
		o->in = arg;
	else
		o->out = arg;
	return -1;
}

/* The template is checked before the vault is opened, so a typo costs no
 * passphrase; the output is written only once every reference resolved. */
static int
inject_run(struct ctx *c, const struct template *t, const char *output)
{
	struct sbuf out;
	struct vault *v;
	int r;

	if ((r = render(t, NULL, c->vault_path, NULL)) != 0 ||
	    (r = vault_open_read(c, &v)) != 0)
		return r;
	sbuf_init(&out, OUTPUT_MAX);
	r = render(t, v, c->vault_path, &out);
	vault_free(v);
	if (r == 0 && output != NULL)
		r = write_output(output, out.data, out.len);
	else if (r == 0 && fd_write_all(STDOUT_FILENO, out.data, out.len) != 0)
		r = fail(EXIT_IO, "cannot write to stdout: %s", strerror(errno));
	sbuf_free(&out);
	return r;
}

int
cmd_inject(struct ctx *c, int argc, char **argv)
{
	static const struct option own[] = { { "input", required_argument, NULL, 'i' },
		{ "output", required_argument, NULL, 'o' }, { 0 } };
	struct inject_opts o = { command_find("inject"), NULL, NULL };
	struct template t;
	struct sbuf in;
	int r;

	if ((r = parse_options(c, o.cmd, argc, argv, "+hi:o:", own, &o, inject_opt)) >= 0)
		return r;
	if (optind != argc)
		return usage_error(o.cmd, "unexpected argument '%s'", argv[optind]);
	if ((r = read_template(o.in, &in)) == 0) {
		t.p = in.data;
		t.len = in.len;
		t.label = o.in != NULL ? o.in : "stdin";
		r = inject_run(c, &t, o.out);
	}
	sbuf_free(&in);
	return r;
}
