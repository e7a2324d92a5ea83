/* keyring enable|disable|status: the desktop keyring key slot. */
#include <stdio.h>
#include <string.h>

#include "../crypto/errors.h"
#include "../vault/keyring.h"
#include "../vault/store.h"
#include "commands.h"
#include "errors.h"
#include "module.h"
#include "open.h"
#include "options.h"
#include "out.h"
#include "unlock_state.h"

static int
load_keyring(const struct keyring_ops **ks)
{
	if (keyring_module(ks) == FBV_OK)
		return 0;
	return fail(EXIT_UNAVAILABLE, "this fbvault was built without desktop keyring support "
	    "(libsecret), or its module fbvault-keyring.so is missing");
}

static int
keyring_enable(struct ctx *c, const struct keyring_ops *ks)
{
	unsigned char *kek;
	char id[2 * FBV_ID_BYTES + 1], label[512];
	struct vault_txn t;
	struct vault *v;
	bool had_slot;
	int r;

	if ((r = vault_open_proof(c, &v)) != 0)
		return r;
	if ((kek = secret_alloc(FBV_KEY_BYTES)) == NULL) {
		vault_free(v);
		return fail(EXIT_INTERNAL, "out of memory");
	}
	random_bytes(kek, FBV_KEY_BYTES);
	vault_id_hex(v, id);
	had_slot = vault_has_slot(v, FBV_SLOT_KEYRING);
	snprintf(label, sizeof(label), "fbvault key for the vault %s", c->vault_path);
	if ((r = ks->store(id, label, kek)) != FBV_OK) {
		secret_free(kek);
		vault_free(v);
		return fail(err_exit_code(r), "cannot store the key in the desktop keyring: %s",
		    fbv_strerror(r));
	}
	if ((r = edit_begin(c, v, &t)) == 0) {
		r = vault_set_keyring(t.v, kek);
		r = r == FBV_OK ? edit_commit(c, &t) : edit_abort(&t, fail_err(r, c->vault_path));
	}
	secret_free(kek);
	if (r != 0 && !had_slot)
		ks->clear(id);
	if (r == 0)
		fprintf(stderr, "fbvault: the desktop keyring now opens %s; the passphrase still "
		    "works too\n", c->vault_path);
	return r;
}

static int
keyring_disable(struct ctx *c, const struct keyring_ops *ks)
{
	char id[2 * FBV_ID_BYTES + 1];
	struct vault_txn t;
	struct vault *v;
	int r;

	if ((r = vault_open_proof(c, &v)) != 0 || (r = edit_begin(c, v, &t)) != 0)
		return r;
	vault_id_hex(t.v, id);
	if (!vault_has_slot(t.v, FBV_SLOT_KEYRING)) {
		fprintf(stderr, "fbvault: the keyring was not enabled for %s\n", c->vault_path);
		return edit_abort(&t, 0);
	}
	if (!vault_has_slot(t.v, FBV_SLOT_PASSPHRASE))
		return edit_abort(&t, fail(EXIT_DENIED, "the keyring slot is this vault's only "
		    "key slot; refusing to remove it"));
	/* Asked first: a slot removed and then an item that cannot be would
	 * leave the key behind, and the command failed. */
	if ((r = ks->ping()) != FBV_OK)
		return edit_abort(&t, fail(err_exit_code(r), "cannot reach the Secret Service to "
		    "remove this vault's key from it: %s; the vault is unchanged (run this in the "
		    "desktop session; --no-keyring stops using the keyring meanwhile)",
		    fbv_strerror(r)));
	if ((r = vault_remove_slot(t.v, FBV_SLOT_KEYRING)) != FBV_OK)
		return edit_abort(&t, fail_err(r, c->vault_path));
	if ((r = edit_commit(c, &t)) != 0)
		return r;
	if ((r = ks->clear(id)) != FBV_OK && r != FBV_ERR_KEYRING_ITEM)
		return fail(err_exit_code(r), "the keyring slot is gone, but the keyring item "
		    "could not be removed: %s", fbv_strerror(r));
	fprintf(stderr, "fbvault: the desktop keyring no longer opens %s\n", c->vault_path);
	return 0;
}

static int
keyring_status(struct ctx *c, bool json)
{
	struct vault *v;
	int r;

	if ((r = vault_load(c->vault_path, &v)) != FBV_OK)
		return fail_err(r, c->vault_path);
	print_unlock_state(stdout, v, true, json);
	if (json)
		fputc('\n', stdout);
	vault_free(v);
	return 0;
}

int
cmd_keyring(struct ctx *c, const struct command *self, int argc, char **argv)
{
	const struct keyring_ops *ks;
	bool json = false;
	const char *sub;
	int r;

	if ((r = parse_args(c, self, argc, argv, &json, flag_opt)) >= 0)
		return r;
	sub = argv[optind];
	if (strcmp(sub, "status") == 0)
		return keyring_status(c, json);
	if (strcmp(sub, "enable") != 0 && strcmp(sub, "disable") != 0)
		return usage_error(self, "unknown keyring command '%s'", sub);
	if ((r = load_keyring(&ks)) != 0)
		return r;
	return strcmp(sub, "enable") == 0 ? keyring_enable(c, ks) : keyring_disable(c, ks);
}
