/* put, get, rm: one entry at a time, named on the command line. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../crypto/errors.h"
#include "../graph/graph.h"
#include "../graph/parse.h"
#include "../vault/io.h"
#include "clip.h"
#include "commands.h"
#include "errors.h"
#include "open.h"
#include "options.h"
#include "use.h"
#include "out.h"
#include "prompt.h"

/* 0 when name may name an entry; else an exit code after a message. */
static int
name_arg(const char *name, bool explain)
{
	if (name_check(name) == FBV_OK)
		return 0;
	if (explain)
		return fail(EXIT_USAGE, "invalid entry name '%s': use 1-128 of A-Z a-z 0-9 . _ - / :, "
		    "not starting with / or -, without '..'", name);
	return fail(EXIT_USAGE, "invalid entry name '%s'", name);
}

static int
no_entry(const struct ctx *c, const char *name)
{
	return fail(EXIT_NOTFOUND, "no entry '%s' in %s", name, c->vault_path);
}

/* The entries fbvault itself reads, by name: what each must look like. */
enum known { KNOWN_NONE, KNOWN_APP_ID, KNOWN_APP_SECRET, KNOWN_TOKEN };

static enum known
known_kind(const char *name)
{
	if (strcmp(name, "app-id") == 0)
		return KNOWN_APP_ID;
	if (strcmp(name, "app-secret") == 0)
		return KNOWN_APP_SECRET;
	if (strcmp(name, "user-token") == 0 || strncmp(name, "page/", 5) == 0)
		return KNOWN_TOKEN;
	return KNOWN_NONE;
}

static bool
is_space(unsigned char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f';
}

/* A value for an entry fbvault reads (app-id, app-secret, user-token,
 * page/ID): spaces and newlines around it dropped, then checked, so that
 * a paste with a stray blank is stored as meant and a wrong one is told
 * here rather than by login. 0, or an exit code after a message. */
static int
check_known(const char *name, struct sbuf *value)
{
	enum known k = known_kind(name);
	size_t start = 0, i;

	if (k == KNOWN_NONE)
		return 0;
	while (start < value->len && is_space(value->data[start]))
		start++;
	while (value->len > start && is_space(value->data[value->len - 1]))
		value->len--;
	if (start > 0) {
		memmove(value->data, value->data + start, value->len - start);
		value->len -= start;
	}
	if (value->len == 0)
		return fail(EXIT_USAGE, "the value for %s is empty", name);
	for (i = 0; i < value->len; i++) {
		if (k == KNOWN_APP_ID && (value->data[i] < '0' || value->data[i] > '9'))
			return fail(EXIT_USAGE, "app-id must be the numeric App ID (digits only, "
			    "from App settings > Basic)");
		if (value->data[i] <= ' ' || value->data[i] >= 0x7f)
			return fail(EXIT_USAGE, "the value for %s must be one line of printable "
			    "characters without spaces", name);
	}
	if (k == KNOWN_APP_ID && value->len >= 64)
		return fail(EXIT_USAGE, "app-id must be the numeric App ID (at most 63 digits)");
	if (k == KNOWN_TOKEN && !token_ok(value->data, value->len))
		return fail(EXIT_USAGE, "the value for %s is not a token (at most %d printable "
		    "characters)", name, GRAPH_TOKEN_MAX);
	return 0;
}

struct put_opts { bool force, binary; };

static int
put_opt(void *state, int opt, const char *arg)
{
	struct put_opts *o = state;

	(void)arg;
	if (opt == 'f')
		o->force = true;
	else
		o->binary = true;
	return -1;
}

/* The value is read after the vault opened (a typo'd passphrase costs no
 * typing) and before the writers' lock is taken. */
int
cmd_put(struct ctx *c, const struct command *self, int argc, char **argv)
{
	struct put_opts o = { false, false };
	char prompt[FBV_NAME_MAX + 16];
	struct vault_txn t;
	struct sbuf value;
	struct vault *v;
	struct entry *e;
	const char *name;
	int r;

	if ((r = parse_args(c, self, argc, argv, &o, put_opt)) >= 0)
		return r;
	name = argv[optind];
	if ((r = name_arg(name, true)) != 0 || (r = vault_open_read(c, &v)) != 0)
		return r;
	if (!o.force && vault_find(v, name) != NULL) {
		vault_free(v);
		return fail(EXIT_EXISTS, "entry '%s' exists; use --force to replace it", name);
	}
	snprintf(prompt, sizeof(prompt), "Value for %s (not shown): ", name);
	if ((r = read_input(prompt, FBV_VALUE_MAX, o.binary, &value)) != 0 ||
	    (r = check_known(name, &value)) != 0) {
		sbuf_free(&value);
		vault_free(v);
		return r;
	}
	if ((r = edit_begin(c, v, &t)) != 0) {
		sbuf_free(&value);
		return r;
	}
	r = vault_put(t.v, name, value.data, value.len, o.force, now_unix(), &e);
	sbuf_free(&value);
	if (r == FBV_OK && !meta_has(e, META_KIND))
		r = meta_set_str(e, META_KIND, "secret");
	return r == FBV_OK ? edit_commit(c, &t) : edit_abort(&t, fail_err(r, name));
}

struct get_opts { bool no_newline, clip; };

static int
get_opt(void *state, int opt, const char *arg)
{
	struct get_opts *o = state;

	(void)arg;
	if (opt == 'c')
		o->clip = true;
	else
		o->no_newline = true;
	return -1;
}

int
cmd_get(struct ctx *c, const struct command *self, int argc, char **argv)
{
	struct get_opts o = { false, false };
	const struct entry *e;
	struct clip clip;
	struct vault *v;
	int r;

	if ((r = parse_args(c, self, argc, argv, &o, get_opt)) >= 0)
		return r;
	if ((r = name_arg(argv[optind], false)) != 0 || (r = vault_open_read(c, &v)) != 0)
		return r;
	if ((e = vault_find(v, argv[optind])) == NULL)
		r = no_entry(c, argv[optind]);
	else if (o.clip)
		r = clip_copy(e->value, e->value_len, &clip);
	else if (fd_write_all(STDOUT_FILENO, e->value, e->value_len) != 0 ||
	    (!o.no_newline && fd_write_all(STDOUT_FILENO, "\n", 1) != 0))
		r = fail(EXIT_IO, "cannot write the value to stdout");
	else
		use_note("get", e->name, NULL);
	vault_free(v);
	if (e != NULL && o.clip && r == 0)
		r = clip_clear_later(&clip, argv[optind]);
	return r;
}

int
cmd_rm(struct ctx *c, const struct command *self, int argc, char **argv)
{
	struct vault_txn t;
	int r;

	if ((r = parse_args(c, self, argc, argv, NULL, NULL)) >= 0)
		return r;
	if ((r = name_arg(argv[optind], false)) != 0 || (r = edit_open(c, &t)) != 0)
		return r;
	if (vault_remove(t.v, argv[optind]) != FBV_OK)
		return edit_abort(&t, no_entry(c, argv[optind]));
	return edit_commit(c, &t);
}
