/* recipients add|rm|list: a vault's members, each a recipient slot sealed
 * to a public key, and the committed recipients file beside the vault that
 * lists them for people (vault/recipients.h). The vault is what counts;
 * every command compares the two. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../crypto/errors.h"
#include "../crypto/recipient.h"
#include "../vault/recipients.h"
#include "commands.h"
#include "errors.h"
#include "obuf.h"
#include "open.h"
#include "options.h"
#include "out.h"

struct rcp_opts {
	const char *label;
	const char *from;       /* -R FILE */
	bool json;
};

static int
rcp_opt(void *state, int opt, const char *arg)
{
	struct rcp_opts *o = state;

	if (opt == 'j')
		o->json = true;
	else if (opt == 'R')
		o->from = arg;
	else
		o->label = arg;
	return -1;
}

static void
key_text(char out[FBV_PUBLIC_STR_LEN + 1], const unsigned char *pk, const struct members *file)
{
	const struct member *m = members_find(file, pk);

	if (keystr_public_encode(out, pk, m != NULL ? m->flavor : KEY_FBV) != FBV_OK)
		out[0] = '\0';
}

static const char *
label_of(const struct members *file, const unsigned char *pk)
{
	const struct member *m = members_find(file, pk);

	return m != NULL ? m->label : "";
}

/* The recipients file, or none (no file is no member); 0 or an exit code. */
static int
read_file(const char *path, struct members *out, bool *exists)
{
	size_t line;
	int r = recipients_read(path, out, &line);

	*exists = r != FBV_ERR_NO_VAULT;
	if (r == FBV_OK || r == FBV_ERR_NO_VAULT)
		return 0;
	if (line > 0)
		return fail(err_exit_code(r), "%s: line %zu: %s", path, line, fbv_strerror(r));
	return fail_err(r, path);
}

/* Lines of the file with no slot in the vault: said, and dropped. */
static void
drop_strays(const struct members *file, const struct members *now, const char *path)
{
	char key[FBV_PUBLIC_STR_LEN + 1];
	size_t i;

	for (i = 0; i < file->n; i++) {
		if (members_find(now, file->v[i].pk) != NULL)
			continue;
		key_text(key, file->v[i].pk, file);
		msg("notice: %s listed %s%s%s, which had no slot in the vault (it opened "
		    "nothing); that line is gone", path, key, file->v[i].label[0] ? " " : "",
		    file->v[i].label);
	}
}

static int
write_file(const char *path, const struct members *m, const char *vault)
{
	int r = recipients_write(path, m);

	if (r == FBV_OK)
		return 0;
	return fail(err_exit_code(r), "%s is saved, but %s could not be written: %s; run "
	    "fbvault recipients add or rm again to write it", vault, path, fbv_strerror(r));
}

/* The keys to add: KEY with --name, or every line of -R FILE. */
static int
wanted(const struct command *self, const struct rcp_opts *o, int argc, char **argv,
    struct members *out)
{
	unsigned char pk[FBV_X25519_BYTES];
	enum key_flavor f;
	size_t line;
	int r;

	memset(out, 0, sizeof(*out));
	if ((o->from != NULL) == (optind + 1 < argc))
		return usage_error(self, "recipients add takes one KEY, or -R FILE");
	if (o->from != NULL && o->label != NULL)
		return usage_error(self, "--name labels one KEY; -R FILE has its own labels");
	if (o->from != NULL) {
		if ((r = recipients_read(o->from, out, &line)) == FBV_OK)
			return out->n > 0 ? 0 : fail(EXIT_USAGE, "%s: no key in it", o->from);
		return line > 0 ? fail(err_exit_code(r), "%s: line %zu: %s", o->from, line,
		    fbv_strerror(r)) : fail_err(r, o->from);
	}
	if ((r = keystr_public_decode(pk, &f, argv[optind + 1], strlen(argv[optind + 1]))) != FBV_OK)
		return fail(err_exit_code(r), "'%s': %s", argv[optind + 1], fbv_strerror(r));
	if ((r = members_add(out, pk, f, o->label != NULL ? o->label : "")) != FBV_OK)
		return fail(err_exit_code(r), "--name '%s': %s", o->label, fbv_strerror(r));
	return 0;
}

static void
passphrase_notice(const char *vault)
{
	msg("notice: %s was opened by its passphrase alone; from now on every save is also "
	    "sealed to each recipient, whose identity opens it without the passphrase. The "
	    "passphrase slot stays, and whoever has the file (everyone who can read the "
	    "repository, once it is committed) can guess at it offline; a copy readable by "
	    "others is refused while it has one: when every member has an identity, remove it "
	    "(fbvault passwd --remove)", vault);
}

/* Adds each of add to t's vault and to file (its labels); 0 or an exit code. */
static int
add_each(struct ctx *c, struct vault_txn *t, const struct members *add, struct members *next,
    bool single)
{
	char key[FBV_PUBLIC_STR_LEN + 1];
	size_t i;
	int r;

	for (i = 0; i < add->n; i++) {
		const struct member *m = &add->v[i];

		key_text(key, m->pk, add);
		r = vault_add_recipient(t->v, m->pk);
		if (r == FBV_ERR_EXISTS && !single) {
			msg("notice: %s is a member already", key);
			continue;
		}
		if (r == FBV_ERR_EXISTS)
			return fail(EXIT_EXISTS, "%s is a member of %s already", key, c->vault_path);
		if (r == FBV_ERR_TOO_LARGE)
			return fail(EXIT_USAGE, "%s has %d key slots, the most a vault has",
			    c->vault_path, FBV_SLOTS_MAX);
		if (r != FBV_OK)
			return fail_err(r, key);
		members_remove(next, m->pk);
		if ((r = members_add(next, m->pk, m->flavor, m->label)) != FBV_OK)
			return fail(err_exit_code(r), "label '%s': %s", m->label, fbv_strerror(r));
	}
	return 0;
}

static int
rcp_add(struct ctx *c, const struct command *self, const struct rcp_opts *o, int argc,
    char **argv)
{
	struct members add, file, next;
	struct vault_txn t;
	struct vault *v;
	char *path = recipients_path(c->vault_path);
	bool exists, only_pass;
	size_t i;
	int r;

	if (path == NULL)
		return fail(EXIT_INTERNAL, "out of memory");
	if ((r = wanted(self, o, argc, argv, &add)) != 0 || (r = read_file(path, &file, &exists)) != 0 ||
	    (r = vault_open_proof(c, &v)) != 0 || (r = edit_begin(c, v, &t)) != 0)
		goto out;
	only_pass = !vault_has_slot(t.v, FBV_SLOT_RECIPIENT) && vault_has_slot(t.v, FBV_SLOT_PASSPHRASE);
	members_of_vault(t.v, &file, &next);
	if ((r = add_each(c, &t, &add, &next, o->from == NULL)) != 0) {
		r = edit_abort(&t, r);
		goto out;
	}
	if ((r = edit_commit(c, &t)) != 0 || (r = write_file(path, &next, c->vault_path)) != 0)
		goto out;
	drop_strays(&file, &next, path);
	if (only_pass)
		passphrase_notice(c->vault_path);
	for (i = 0; i < add.n; i++) {
		char key[FBV_PUBLIC_STR_LEN + 1];

		key_text(key, add.v[i].pk, &add);
		msg("added %s%s%s; %s lists the members", key, add.v[i].label[0] ? " " : "",
		    add.v[i].label, path);
	}
out:
	free(path);
	return r;
}

/* KEY, or a label the recipients file gives a key. */
static int
resolve(const char *arg, const struct members *file, unsigned char pk[FBV_X25519_BYTES])
{
	size_t i, n = strlen(arg);

	if (keystr_public_decode(pk, NULL, arg, n) == FBV_OK)
		return 0;
	if (label_check(arg, n) == FBV_OK)
		for (i = 0; i < file->n; i++)
			if (strcmp(file->v[i].label, arg) == 0) {
				memcpy(pk, file->v[i].pk, FBV_X25519_BYTES);
				return 0;
			}
	return fail(EXIT_NOTFOUND, "'%s' is neither a key nor a label of the recipients file", arg);
}

static void
removal_notice(const struct vault *v, const char *key, const char *label, bool timed)
{
	msg("removed %s%s%s: the versions they could open stay readable to them (git history "
	    "keeps every version); renew what they could read: run fbvault login again, and "
	    "if they had the App Secret, reset it in the Meta app (App settings, Basic)", key,
	    label[0] ? " " : "", label);
	if (timed)
		msg("notice: the timed-unlock slot was dropped too (it may have been theirs); "
		    "fbvault unlock makes a new one");
	if (vault_has_slot(v, FBV_SLOT_PASSPHRASE))
		msg("notice: the passphrase slot still opens new versions: if they knew the "
		    "passphrase, change it (fbvault passwd)");
	if (vault_has_slot(v, FBV_SLOT_KEYRING))
		msg("notice: the keyring slot is one machine's: if it was theirs, run "
		    "fbvault keyring enable on yours (it replaces the slot) or keyring disable");
}

static int
rcp_rm(struct ctx *c, const char *arg)
{
	unsigned char pk[FBV_X25519_BYTES];
	char key[FBV_PUBLIC_STR_LEN + 1], label[FBV_LABEL_MAX + 1];
	struct members file, next;
	struct vault_txn t;
	struct vault *v;
	char *path = recipients_path(c->vault_path);
	bool exists, timed = false, self_removed;
	int r;

	if (path == NULL)
		return fail(EXIT_INTERNAL, "out of memory");
	if ((r = read_file(path, &file, &exists)) != 0 || (r = resolve(arg, &file, pk)) != 0 ||
	    (r = vault_open_proof(c, &v)) != 0 || (r = edit_begin(c, v, &t)) != 0)
		goto out;
	key_text(key, pk, &file);
	snprintf(label, sizeof(label), "%s", label_of(&file, pk));
	members_remove(&file, pk);
	self_removed = t.v->cred != NULL && sodium_memcmp(t.v->cred->pk, pk, FBV_X25519_BYTES) == 0;
	if ((r = vault_remove_recipient(t.v, pk)) == FBV_ERR_NO_SLOT) {
		r = edit_abort(&t, fail(EXIT_NOTFOUND, "%s is not a member of %s", key,
		    c->vault_path));
		goto out;
	}
	if (r == FBV_OK && vault_has_slot(t.v, FBV_SLOT_TIMED)) {
		timed = true;
		r = vault_remove_slot(t.v, FBV_SLOT_TIMED);
	}
	if (r == FBV_OK && !vault_has_slot(t.v, FBV_SLOT_RECIPIENT) &&
	    !vault_has_slot(t.v, FBV_SLOT_PASSPHRASE) && !vault_has_slot(t.v, FBV_SLOT_KEYRING)) {
		r = edit_abort(&t, fail(EXIT_DENIED, "%s is the last key slot of %s; refusing to "
		    "remove it", key, c->vault_path));
		goto out;
	}
	if (r != FBV_OK) {
		r = edit_abort(&t, fail_err(r, c->vault_path));
		goto out;
	}
	members_of_vault(t.v, &file, &next);
	if ((r = edit_commit(c, &t)) != 0)
		goto out;
	/* t.v is gone with the commit: read the slots again for the notices */
	if ((r = write_file(path, &next, c->vault_path)) != 0)
		goto out;
	drop_strays(&file, &next, path);
	if ((r = vault_load(c->vault_path, &v)) == FBV_OK) {
		removal_notice(v, key, label, timed);
		vault_free(v);
	}
	r = 0;
	if (self_removed)
		msg("notice: that was the identity you opened the vault with: it opens no version "
		    "saved from now on");
out:
	free(path);
	return r;
}

static const char *const other_slots[] = { NULL, "passphrase slot", "keyring slot",
	"timed-unlock slot" };

static bool
is_you(const struct vault *v, const unsigned char *pk)
{
	return v->cred != NULL && sodium_memcmp(v->cred->pk, pk, FBV_X25519_BYTES) == 0;
}

static void
list_text(const struct vault *v, const struct members *now)
{
	char key[FBV_PUBLIC_STR_LEN + 1];
	size_t i;

	for (i = 0; i < now->n; i++) {
		key_text(key, now->v[i].pk, now);
		printf("%s%s%s%s\n", key, now->v[i].label[0] ? "  " : "", now->v[i].label,
		    is_you(v, now->v[i].pk) ? "  (you)" : "");
	}
	for (i = 0; i < v->nslots; i++)
		if (v->slots[i].type < FBV_SLOT_RECIPIENT)
			printf("%s\n", other_slots[v->slots[i].type]);
}

static void
json_members(const struct members *m, const struct members *file, const struct vault *v)
{
	char key[FBV_PUBLIC_STR_LEN + 1];
	size_t i;

	for (i = 0; i < m->n; i++) {
		key_text(key, m->v[i].pk, m);
		printf("%s{\"key\":\"%s\",\"label\":", i > 0 ? "," : "", key);
		json_print_string(stdout, m->v[i].label, strlen(m->v[i].label));
		if (v != NULL)
			printf(",\"listed\":%s,\"you\":%s", members_find(file, m->v[i].pk) != NULL ?
			    "true" : "false", is_you(v, m->v[i].pk) ? "true" : "false");
		fputc('}', stdout);
	}
}

static void
list_json(const struct vault *v, const struct members *now, const struct members *file,
    const struct members *stray, bool agree)
{
	fputs("{\"members\":[", stdout);
	json_members(now, file, v);
	fputs("],\"stray\":[", stdout);
	json_members(stray, file, NULL);
	printf("],\"passphrase\":%s,\"keyring\":%s,\"timed_unlock\":%s,\"consistent\":%s}\n",
	    vault_has_slot(v, FBV_SLOT_PASSPHRASE) ? "true" : "false",
	    vault_has_slot(v, FBV_SLOT_KEYRING) ? "true" : "false",
	    vault_has_slot(v, FBV_SLOT_TIMED) ? "true" : "false", agree ? "true" : "false");
}

/* Each difference between the file and the vault, one line on stderr. */
static void
say_mismatch(const char *path, bool exists, const struct members *unlisted,
    const struct members *stray)
{
	char key[FBV_PUBLIC_STR_LEN + 1];
	size_t i;

	for (i = 0; i < unlisted->n; i++) {
		key_text(key, unlisted->v[i].pk, unlisted);
		msg("warning: %s is a member (it has a slot) but %s %s; the next recipients add "
		    "or rm writes the file again", key, path, exists ? "does not list it" :
		    "does not exist");
	}
	for (i = 0; i < stray->n; i++) {
		key_text(key, stray->v[i].pk, stray);
		msg("warning: %s lists %s%s%s, which has no slot in the vault: it opens nothing "
		    "(added by hand?); remove the line, or have a member run: fbvault recipients "
		    "add %s", path, key, stray->v[i].label[0] ? " " : "", stray->v[i].label, key);
	}
}

static int
rcp_list(struct ctx *c, bool json)
{
	struct members file, now, unlisted, stray;
	struct vault *v;
	char *path = recipients_path(c->vault_path);
	bool exists, agree;
	int r;

	if (path == NULL)
		return fail(EXIT_INTERNAL, "out of memory");
	if ((r = read_file(path, &file, &exists)) != 0 || (r = vault_open_read(c, &v)) != 0) {
		free(path);
		return r;
	}
	members_of_vault(v, &file, &now);
	agree = members_compare(v, &file, &unlisted, &stray);
	if (json)
		list_json(v, &now, &file, &stray, agree);
	else
		list_text(v, &now);
	say_mismatch(path, exists, &unlisted, &stray);
	vault_free(v);
	free(path);
	return agree ? 0 : EXIT_CORRUPT;
}

int
cmd_recipients(struct ctx *c, const struct command *self, int argc, char **argv)
{
	struct rcp_opts o = { NULL, NULL, false };
	const char *sub;
	int r;

	if ((r = parse_args(c, self, argc, argv, &o, rcp_opt)) >= 0)
		return r;
	sub = argv[optind];
	if (strcmp(sub, "add") == 0)
		return rcp_add(c, self, &o, argc, argv);
	if (o.from != NULL || o.label != NULL)
		return usage_error(self, "--name and -R go with recipients add");
	if (strcmp(sub, "rm") == 0 && optind + 2 == argc)
		return o.json ? usage_error(self, "--json goes with recipients list") :
		    rcp_rm(c, argv[optind + 1]);
	if (strcmp(sub, "rm") == 0)
		return usage_error(self, "recipients rm takes one KEY or LABEL");
	if (strcmp(sub, "list") == 0 && optind + 1 == argc)
		return rcp_list(c, o.json);
	if (strcmp(sub, "list") == 0)
		return usage_error(self, "recipients list takes no argument");
	return usage_error(self, "unknown recipients command '%s'", sub);
}
