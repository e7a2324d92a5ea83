/* put, get, rm: one entry at a time, named on the command line. */
#include <stdio.h>
#include <unistd.h>

#include "../crypto/errors.h"
#include "../vault/io.h"
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
	snprintf(prompt, sizeof(prompt), "Value for %s: ", name);
	if ((r = read_input(prompt, FBV_VALUE_MAX, o.binary, &value)) != 0) {
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

int
cmd_get(struct ctx *c, const struct command *self, int argc, char **argv)
{
	bool no_newline = false;
	const struct entry *e;
	struct vault *v;
	int r;

	if ((r = parse_args(c, self, argc, argv, &no_newline, flag_opt)) >= 0)
		return r;
	if ((r = name_arg(argv[optind], false)) != 0 || (r = vault_open_read(c, &v)) != 0)
		return r;
	if ((e = vault_find(v, argv[optind])) == NULL)
		r = no_entry(c, argv[optind]);
	else if (fd_write_all(STDOUT_FILENO, e->value, e->value_len) != 0 ||
	    (!no_newline && fd_write_all(STDOUT_FILENO, "\n", 1) != 0))
		r = fail(EXIT_IO, "cannot write the value to stdout");
	else
		use_note("get", e->name, NULL);
	vault_free(v);
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
