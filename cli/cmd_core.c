/* init, put, get, list, rm, passwd */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "../crypto/errors.h"
#include "../vault/store.h"
#include "../vault/txn.h"
#include "../vault/io.h"
#include "cli.h"
#include "commands.h"

/* Parses options shared by all commands plus the command's own, given as
 * getopt short letters; on_opt handles the command's own. Returns -1 to go
 * on, or an exit code. */
int
parse_options(struct ctx *c, const struct command *cmd, int argc, char **argv,
    const char *shortopts, const struct option *own, void *state,
    int (*on_opt)(void *state, int opt, const char *arg))
{
	struct option all[24];
	size_t n = 0, i;
	int opt, r;
	static const struct option common[] = { COMMON_LONGOPTS };

	for (i = 0; own != NULL && own[i].name != NULL && n < 16; i++)
		all[n++] = own[i];
	for (i = 0; i < sizeof(common) / sizeof(common[0]); i++)
		all[n++] = common[i];
	memset(&all[n], 0, sizeof(all[n]));
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, shortopts, all, NULL)) != -1) {
		if (opt == '?' || opt == ':')
			return usage_error(cmd, "%s '%s'", opt == ':' ? "missing value for option" :
			    "unknown option", argv[optind - 1]);
		if ((r = common_option(c, cmd, opt, optarg)) == OPT_HANDLED)
			continue;
		if (r == OPT_HELP)
			return 0;
		if (r != 0)
			return r;
		if (on_opt == NULL || (r = on_opt(state, opt, optarg)) >= 0)
			return on_opt == NULL ? usage_error(cmd, "unknown option") : r;
	}
	return -1;
}

/* init */

struct init_opts { enum kdf_level level; const struct command *cmd; };

static int
init_opt(void *state, int opt, const char *arg)
{
	struct init_opts *o = state;

	if (opt == 'k' && kdf_level_parse(arg, &o->level) == FBV_OK)
		return -1;
	return usage_error(o->cmd, "--kdf wants interactive, moderate or sensitive");
}

int
cmd_init(struct ctx *c, int argc, char **argv)
{
	static const struct option own[] = { { "kdf", required_argument, NULL, 'k' }, { 0 } };
	struct init_opts o = { KDF_MODERATE, command_find("init") };
	struct vault_txn t;
	struct sbuf pass;
	struct vault *v;
	int r;

	if ((r = parse_options(c, o.cmd, argc, argv, "+h", own, &o, init_opt)) >= 0)
		return r;
	if (optind != argc)
		return usage_error(o.cmd, "unexpected argument '%s'", argv[optind]);
	if (access(c->vault_path, F_OK) == 0)
		return fail(EXIT_EXISTS, "a vault already exists at %s", c->vault_path);
	if (store_make_dirs(c->vault_path) != FBV_OK)
		return fail(EXIT_IO, "cannot create the directory for %s: %s", c->vault_path,
		    fbv_strerror(FBV_ERR_SYSTEM));
	if ((r = read_passphrase(c, PASS_INIT, &pass)) != 0)
		return r;
	r = vault_create(c->vault_path, (const char *)pass.data, pass.len, o.level, &v);
	sbuf_free(&pass);
	if (r == FBV_OK && (r = txn_begin_create(v, LOCK_TIMEOUT_MS, &t)) == FBV_OK)
		r = txn_commit(&t);
	if (r == FBV_ERR_EXISTS)
		return fail(EXIT_EXISTS, "a vault already exists at %s", c->vault_path);
	if (r != FBV_OK)
		return fail(err_exit_code(r), "cannot create %s: %s", c->vault_path, fbv_strerror(r));
	if (!c->quiet)
		fprintf(stderr, "fbvault: created %s\n", c->vault_path);
	return 0;
}

/* put */

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

int
cmd_put(struct ctx *c, int argc, char **argv)
{
	static const struct option own[] = { { "force", no_argument, NULL, 'f' },
		{ "binary", no_argument, NULL, 'b' }, { 0 } };
	const struct command *cmd = command_find("put");
	struct put_opts o = { false, false };
	char prompt[FBV_NAME_MAX + 16];
	struct vault_txn t;
	struct sbuf value;
	struct vault *v;
	struct entry *e;
	const char *name;
	int r;

	if ((r = parse_options(c, cmd, argc, argv, "+hfb", own, &o, put_opt)) >= 0)
		return r;
	if (argc - optind != 1)
		return usage_error(cmd, "put takes one NAME");
	name = argv[optind];
	if (name_check(name) != FBV_OK)
		return fail(EXIT_USAGE, "invalid entry name '%s': use 1-128 of A-Z a-z 0-9 . _ - / :, "
		    "not starting with / or -, without '..'", name);
	if ((r = vault_open_read(c, &v)) != 0)
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

/* get */

int
flag_opt(void *state, int opt, const char *arg)
{
	(void)opt;
	(void)arg;
	*(bool *)state = true;
	return -1;
}

int
cmd_get(struct ctx *c, int argc, char **argv)
{
	static const struct option own[] = { { "no-newline", no_argument, NULL, 'n' }, { 0 } };
	const struct command *cmd = command_find("get");
	bool no_newline = false;
	const struct entry *e;
	struct vault *v;
	int r;

	if ((r = parse_options(c, cmd, argc, argv, "+hn", own, &no_newline, flag_opt)) >= 0)
		return r;
	if (argc - optind != 1)
		return usage_error(cmd, "get takes one NAME");
	if (name_check(argv[optind]) != FBV_OK)
		return fail(EXIT_USAGE, "invalid entry name '%s'", argv[optind]);
	if ((r = vault_open_read(c, &v)) != 0)
		return r;
	if ((e = vault_find(v, argv[optind])) == NULL)
		r = fail(EXIT_NOTFOUND, "no entry '%s' in %s", argv[optind], c->vault_path);
	else if (fd_write_all(STDOUT_FILENO, e->value, e->value_len) != 0 ||
	    (!no_newline && fd_write_all(STDOUT_FILENO, "\n", 1) != 0))
		r = fail(EXIT_IO, "cannot write the value to stdout");
	vault_free(v);
	return r;
}

/* list */

static void
json_meta_str(FILE *f, const struct entry *e, enum meta_tag tag, const char *key)
{
	const char *s;
	size_t len;

	if (meta_get_str(e, tag, &s, &len) != FBV_OK)
		return;
	fprintf(f, ",\"%s\":", key);
	json_print_string(f, s, len);
}

static void
json_meta_int(FILE *f, const struct entry *e, enum meta_tag tag, const char *key, bool always)
{
	int64_t t;

	if (meta_get_int(e, tag, &t) == FBV_OK)
		fprintf(f, ",\"%s\":%lld", key, (long long)t);
	else if (always)
		fprintf(f, ",\"%s\":null", key);
}

/* One object of the list --json schema (documented in README). */
void
entry_json(FILE *f, const struct entry *e)
{
	const char *kind = "secret";
	size_t klen = 6;

	meta_get_str(e, META_KIND, &kind, &klen);
	fputs("{\"name\":", f);
	json_print_string(f, e->name, strlen(e->name));
	fputs(",\"kind\":", f);
	json_print_string(f, kind, klen);
	fprintf(f, ",\"created\":%lld,\"updated\":%lld", (long long)e->created,
	    (long long)e->updated);
	json_meta_int(f, e, META_EXPIRES_AT, "expires_at", true);
	json_meta_int(f, e, META_DATA_ACCESS_EXPIRES_AT, "data_access_expires_at", false);
	json_meta_int(f, e, META_CHECKED_AT, "checked_at", false);
	json_meta_str(f, e, META_TOKEN_TYPE, "token_type");
	json_meta_str(f, e, META_APP_ID, "app_id");
	json_meta_str(f, e, META_USER_ID, "user_id");
	json_meta_str(f, e, META_PAGE_ID, "page_id");
	json_meta_str(f, e, META_PAGE_NAME, "page_name");
	json_meta_str(f, e, META_SCOPES, "scopes");
	fputc('}', f);
}

void
expiry_text(const struct entry *e, char *buf, size_t len)
{
	int64_t t;

	if (meta_get_int(e, META_EXPIRES_AT, &t) != FBV_OK)
		snprintf(buf, len, "-");
	else if (t == 0)
		snprintf(buf, len, "never");
	else
		format_time(t, buf, len);
}

static void
list_table(FILE *f, const struct vault *v)
{
	bool tty = isatty(fileno(f));
	size_t i, w = 4;
	char updated[64], expires[64];

	for (i = 0; i < vault_count(v); i++)
		if (strlen(vault_entry(v, i)->name) > w)
			w = strlen(vault_entry(v, i)->name);
	if (tty)
		fprintf(f, "%-*s  %-10s  %-20s  %s\n", (int)w, "NAME", "KIND", "UPDATED", "EXPIRES");
	for (i = 0; i < vault_count(v); i++) {
		const struct entry *e = vault_entry(v, i);
		const char *kind = "secret";
		size_t klen = 6;

		meta_get_str(e, META_KIND, &kind, &klen);
		format_time(e->updated, updated, sizeof(updated));
		expiry_text(e, expires, sizeof(expires));
		if (tty)
			fprintf(f, "%-*s  %-10.*s  %-20s  %s\n", (int)w, e->name, (int)klen, kind,
			    updated, expires);
		else
			fprintf(f, "%s\t%.*s\t%lld\t%s\n", e->name, (int)klen, kind,
			    (long long)e->updated, expires);
	}
}

/* --names-if-unlocked, for shell completion: the names, one a line, only
 * when the vault opens without asking (timed unlock or keyring); else
 * nothing and exit 77. */
static int
list_names_if_unlocked(struct ctx *c)
{
	struct vault *v;
	size_t i;
	int r;

	if ((r = vault_load(c->vault_path, &v)) != FBV_OK)
		return fail_err(r, c->vault_path);
	if ((r = vault_key_sources(c, v, false)) == 0)
		for (i = 0; i < vault_count(v); i++)
			printf("%s\n", vault_entry(v, i)->name);
	vault_free(v);
	return r;
}

struct list_opts { bool json, names; };

static int
list_opt(void *state, int opt, const char *arg)
{
	struct list_opts *o = state;

	(void)arg;
	*(opt == 'n' ? &o->names : &o->json) = true;
	return -1;
}

int
cmd_list(struct ctx *c, int argc, char **argv)
{
	static const struct option own[] = { { "json", no_argument, NULL, 'j' },
		{ "names-if-unlocked", no_argument, NULL, 'n' }, { 0 } };
	const struct command *cmd = command_find("list");
	struct list_opts o = { false, false };
	struct vault *v;
	size_t i;
	int r;

	if ((r = parse_options(c, cmd, argc, argv, "+h", own, &o, list_opt)) >= 0)
		return r;
	if (optind != argc)
		return usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (o.names)
		return list_names_if_unlocked(c);
	if ((r = vault_open_read(c, &v)) != 0)
		return r;
	if (o.json) {
		fputc('[', stdout);
		for (i = 0; i < vault_count(v); i++) {
			if (i > 0)
				fputc(',', stdout);
			entry_json(stdout, vault_entry(v, i));
		}
		fputs("]\n", stdout);
	} else {
		list_table(stdout, v);
	}
	vault_free(v);
	return 0;
}

/* rm */

int
cmd_rm(struct ctx *c, int argc, char **argv)
{
	const struct command *cmd = command_find("rm");
	struct vault_txn t;
	int r;

	if ((r = parse_options(c, cmd, argc, argv, "+h", NULL, NULL, NULL)) >= 0)
		return r;
	if (argc - optind != 1)
		return usage_error(cmd, "rm takes one NAME");
	if (name_check(argv[optind]) != FBV_OK)
		return fail(EXIT_USAGE, "invalid entry name '%s'", argv[optind]);
	if ((r = edit_open(c, &t)) != 0)
		return r;
	if (vault_remove(t.v, argv[optind]) != FBV_OK)
		return edit_abort(&t, fail(EXIT_NOTFOUND, "no entry '%s' in %s", argv[optind],
		    c->vault_path));
	return edit_commit(c, &t);
}

/* passwd: a new passphrase slot key pair, after the current passphrase
 * (never only a timed unlock or the keyring: vault_open_proof()). */

int
cmd_passwd(struct ctx *c, int argc, char **argv)
{
	static const struct option own[] = { { "kdf", required_argument, NULL, 'k' }, { 0 } };
	struct init_opts o = { KDF_MODERATE, command_find("passwd") };
	bool level_given;
	uint64_t ops, mem;
	struct vault_txn t;
	struct sbuf pass;
	struct vault *v;
	int r;

	o.level = (enum kdf_level)-1;
	if ((r = parse_options(c, o.cmd, argc, argv, "+h", own, &o, init_opt)) >= 0)
		return r;
	if (optind != argc)
		return usage_error(o.cmd, "unexpected argument '%s'", argv[optind]);
	level_given = o.level != (enum kdf_level)-1;
	if ((r = vault_open_proof(c, &v)) != 0)
		return r;
	if ((r = read_passphrase(c, PASS_NEW, &pass)) != 0) {
		vault_free(v);
		return r;
	}
	if ((r = edit_begin(c, v, &t)) != 0) {
		sbuf_free(&pass);
		return r;
	}
	if (level_given)
		kdf_level_params(o.level, &ops, &mem);
	else if (vault_kdf_params(t.v, &ops, &mem) != FBV_OK)
		kdf_level_params(KDF_MODERATE, &ops, &mem);
	r = vault_set_passphrase(t.v, (const char *)pass.data, pass.len, ops, mem);
	sbuf_free(&pass);
	r = r == FBV_OK ? edit_commit(c, &t) : edit_abort(&t, fail_err(r, c->vault_path));
	if (r == 0 && !c->quiet)
		fprintf(stderr, "fbvault: passphrase changed\n");
	return r;
}
