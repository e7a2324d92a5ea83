/* init and passwd: a vault's passphrase and its key derivation cost. */
#include <stdio.h>
#include <unistd.h>

#include "../crypto/errors.h"
#include "../vault/store.h"
#include "commands.h"
#include "errors.h"
#include "open.h"
#include "options.h"
#include "out.h"
#include "prompt.h"

struct kdf_opts {
	const struct command *self;
	enum kdf_level level;
	bool given;
	bool remove;            /* passwd --remove */
};

static int
kdf_opt(void *state, int opt, const char *arg)
{
	struct kdf_opts *o = state;

	if (opt == 'r') {
		o->remove = true;
		return -1;
	}
	if (kdf_level_parse(arg, &o->level) == FBV_OK) {
		o->given = true;
		return -1;
	}
	return usage_error(o->self, "--kdf wants interactive, moderate or sensitive");
}

int
cmd_init(struct ctx *c, const struct command *self, int argc, char **argv)
{
	struct kdf_opts o = { self, KDF_MODERATE, false, false };
	struct vault_txn t;
	struct sbuf pass;
	struct vault *v;
	int r;

	if ((r = parse_args(c, self, argc, argv, &o, kdf_opt)) >= 0)
		return r;
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

/* passwd --remove: a team's vault, opened by its members' identities, may
 * do without a passphrase slot, which anyone with the file can attack
 * offline (and a clone readable by others is refused while it has one). */
static int
passwd_remove(struct ctx *c)
{
	struct vault_txn t;
	struct vault *v;
	bool keyring;
	int r;

	if ((r = vault_open_proof(c, &v)) != 0 || (r = edit_begin(c, v, &t)) != 0)
		return r;
	keyring = vault_has_slot(t.v, FBV_SLOT_KEYRING);
	if (!vault_has_slot(t.v, FBV_SLOT_PASSPHRASE))
		return edit_abort(&t, fail(EXIT_NOTFOUND, "%s has no passphrase slot", c->vault_path));
	if (!vault_has_slot(t.v, FBV_SLOT_RECIPIENT) && !vault_has_slot(t.v, FBV_SLOT_KEYRING))
		return edit_abort(&t, fail(EXIT_DENIED, "the passphrase slot is what opens %s; add a "
		    "member first (fbvault recipients add KEY)", c->vault_path));
	if ((r = vault_remove_slot(t.v, FBV_SLOT_PASSPHRASE)) != FBV_OK)
		return edit_abort(&t, fail_err(r, c->vault_path));
	if ((r = edit_commit(c, &t)) == 0 && !c->quiet)
		fprintf(stderr, "fbvault: the passphrase slot is gone: %s opens with its members' "
		    "identities%s only\n", c->vault_path, keyring ? " and the keyring" :
		    "");
	return r;
}

/* A new passphrase slot key pair, after the current passphrase (never
 * only a timed unlock or the keyring: vault_open_proof()). Without --kdf
 * the cost stays what it was. */
int
cmd_passwd(struct ctx *c, const struct command *self, int argc, char **argv)
{
	struct kdf_opts o = { self, KDF_MODERATE, false, false };
	uint64_t ops, mem;
	struct vault_txn t;
	struct sbuf pass;
	struct vault *v;
	int r;

	if ((r = parse_args(c, self, argc, argv, &o, kdf_opt)) >= 0)
		return r;
	if (o.remove && o.given)
		return usage_error(self, "--remove takes no --kdf");
	if (o.remove)
		return passwd_remove(c);
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
	if (o.given || vault_kdf_params(t.v, &ops, &mem) != FBV_OK)
		kdf_level_params(o.level, &ops, &mem);
	r = vault_set_passphrase(t.v, (const char *)pass.data, pass.len, ops, mem);
	sbuf_free(&pass);
	r = r == FBV_OK ? edit_commit(c, &t) : edit_abort(&t, fail_err(r, c->vault_path));
	if (r == 0 && !c->quiet)
		fprintf(stderr, "fbvault: passphrase changed\n");
	return r;
}
