/* unlock and lock: a timed slot whose secret key the kernel keyring keeps
 * for a while; lock removes the slot and the key. */
#include <stdio.h>

#include "../crypto/errors.h"
#include "../crypto/recipient.h"
#include "../vault/txn.h"
#include "../vault/unlock.h"
#include "commands.h"
#include "duration.h"
#include "errors.h"
#include "open.h"
#include "options.h"
#include "out.h"

#define UNLOCK_DEFAULT_SECONDS (15 * 60)

static int
for_opt(void *state, int opt, const char *arg)
{
	int64_t *secs = state;

	(void)opt;
	if (duration_parse(arg, secs) != FBV_OK || *secs <= 0 || *secs > FBV_UNLOCK_MAX_SECONDS)
		return fail(EXIT_USAGE, "--for wants a duration from 1s to 24h, like 15m or 8h");
	return -1;
}

int
cmd_unlock(struct ctx *c, const struct command *self, int argc, char **argv)
{
	int64_t secs = UNLOCK_DEFAULT_SECONDS, now = now_unix();
	char id[2 * FBV_ID_BYTES + 1], until[64];
	struct x25519_keypair *kp;
	struct vault_txn t;
	struct vault *v;
	int r;

	if ((r = parse_args(c, self, argc, argv, &secs, for_opt)) >= 0)
		return r;
	if ((r = vault_open_proof(c, &v)) != 0)
		return r;
	if (x25519_keypair_generate(&kp) != FBV_OK) {
		vault_free(v);
		return fail(EXIT_INTERNAL, "out of memory");
	}
	/* A key pair of its own, its public half a timed slot: the vault's data
	 * key never goes to the kernel, and lock makes the next save out of
	 * reach of whoever read this key. */
	vault_id_hex(v, id);
	if ((r = edit_begin(c, v, &t)) != 0) {
		x25519_keypair_free(kp);
		return r;
	}
	if ((r = vault_set_timed(t.v, kp->pk, now + secs)) != FBV_OK) {
		x25519_keypair_free(kp);
		return edit_abort(&t, fail_err(r, c->vault_path));
	}
	r = unlock_store(id, kp->sk, kp->pk, (uint32_t)secs, now);
	x25519_keypair_free(kp);
	if (r != FBV_OK)
		return edit_abort(&t, fail(EXIT_UNAVAILABLE, "cannot keep the key in the kernel "
		    "keyring: %s", fbv_strerror(r)));
	if ((r = edit_commit(c, &t)) != 0) {
		unlock_revoke(id);
		return r;
	}
	format_time(now + secs, until, sizeof(until));
	fprintf(stderr, "fbvault: unlocked until %s; `fbvault lock` locks it now\n", until);
	return 0;
}

/* The timed slot removed and the vault saved at once, opened with the
 * timed key itself: what was read from the kernel opens nothing written
 * from now on. v is freed. A vault the key does not open is only locked. */
static void
drop_timed_slot(struct ctx *c, struct vault *v)
{
	struct x25519_keypair *kp = NULL;
	char id[2 * FBV_ID_BYTES + 1];
	struct vault_txn t;
	uint8_t type;
	int r;
	bool saved;

	vault_id_hex(v, id);
	if (v->version >= FBV_VERSION2 && vault_has_slot(v, FBV_SLOT_TIMED) &&
	    unlock_fetch_keypair(id, &kp, &type) == FBV_OK)
		r = vault_unlock_keypair(v, kp, type);
	else
		r = FBV_ERR_NO_SLOT;
	x25519_keypair_free(kp);
	if (r != FBV_OK) {
		vault_free(v);
		return;
	}
	if (txn_begin(v, LOCK_TIMEOUT_MS, &t) != FBV_OK)
		return;
	if (vault_remove_slot(t.v, FBV_SLOT_TIMED) == FBV_OK && txn_save(&t, &saved) == FBV_OK)
		seen_note_save(t.v);
	else
		msg("warning: cannot save %s without its timed slot; the next save drops it",
		    c->vault_path);
	txn_abort(&t);
}

static int
lock_all(void)
{
	int n, r = unlock_revoke_all(&n);

	if (r != FBV_OK)
		return fail(EXIT_IO, "cannot revoke every timed-unlock key: %s (%d revoked)",
		    fbv_strerror(r), n);
	fprintf(stderr, "fbvault: revoked %d timed-unlock key%s\n", n, n == 1 ? "" : "s");
	return 0;
}

int
cmd_lock(struct ctx *c, const struct command *self, int argc, char **argv)
{
	char id[2 * FBV_ID_BYTES + 1];
	struct vault *v;
	bool all = false;
	int r, others;

	if ((r = parse_args(c, self, argc, argv, &all, flag_opt)) >= 0)
		return r;
	if (all)
		return lock_all();
	/* Without the vault's id no key can be named: say how to end them all. */
	if ((r = vault_load(c->vault_path, &v)) != FBV_OK)
		return fail(err_exit_code(r), "%s: %s; `fbvault lock --all` revokes every "
		    "timed-unlock key of yours", c->vault_path, fbv_strerror(r));
	vault_id_hex(v, id);
	drop_timed_slot(c, v);
	r = unlock_revoke(id);
	if (r == FBV_ERR_NOT_UNLOCKED) {
		fprintf(stderr, "fbvault: %s was not unlocked\n", c->vault_path);
		/* A key under another id may be this vault's, its id altered
		 * since; which one cannot be told (the keys of other vaults look
		 * the same), so they are named, not revoked. */
		if (unlock_count_all(&others) == FBV_OK && others > 0)
			msg("notice: %d timed-unlock key%s of yours for other vault ids remain%s; "
			    "if this vault's id was altered, `fbvault lock --all`", others,
			    others == 1 ? "" : "s", others == 1 ? "s" : "");
		return 0;
	}
	if (r != FBV_OK)
		return fail(EXIT_IO, "a timed-unlock key for %s remains: %s; try `fbvault lock "
		    "--all`", c->vault_path, fbv_strerror(r));
	fprintf(stderr, "fbvault: locked %s\n", c->vault_path);
	return 0;
}
