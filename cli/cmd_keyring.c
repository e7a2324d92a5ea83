/* keyring enable|disable|status, unlock, lock */
#include <stdio.h>
#include <string.h>

#include "../crypto/errors.h"
#include "../crypto/recipient.h"
#include "../vault/keyring.h"
#include "../vault/store.h"
#include "../vault/txn.h"
#include "../vault/unlock.h"
#include "cli.h"
#include "commands.h"
#include "module.h"

#define UNLOCK_DEFAULT_SECONDS (15 * 60)

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

/* What status reports about the keyring and the timed unlock; needs only
 * the header, never the passphrase. */
struct unlock_state {
	bool slot;
	const char *service;    /* "reachable", "unreachable", "not built" */
	const char *item;       /* "present", "missing", "unknown" */
	int64_t unlocked_until; /* 0: not unlocked */
};

static void
unlock_state_read(const struct vault *v, bool probe_keyring, struct unlock_state *st)
{
	const struct keyring_ops *ks;
	unsigned char *key = secret_alloc(FBV_KEY_BYTES);
	char id[2 * FBV_ID_BYTES + 1];
	int r;

	vault_id_hex(v, id);
	st->slot = vault_has_slot(v, FBV_SLOT_KEYRING);
	st->service = probe_keyring ? "not built" : "not checked";
	st->item = "unknown";
	st->unlocked_until = 0;
	if (unlock_until(id, now_unix(), &st->unlocked_until) != FBV_OK)
		st->unlocked_until = 0;
	if (probe_keyring && key != NULL && keyring_module(&ks) == FBV_OK) {
		r = ks->lookup(id, key);
		st->service = r == FBV_ERR_KEYRING ? "unreachable" : "reachable";
		if (r != FBV_ERR_KEYRING)
			st->item = r == FBV_OK ? "present" : "missing";
	}
	secret_free(key);
}

int
print_unlock_state(FILE *f, const struct vault *v, bool probe_keyring, bool json)
{
	struct unlock_state st;
	char until[64];

	unlock_state_read(v, probe_keyring, &st);
	if (json) {
		fprintf(f, "{\"keyring_slot\":%s,\"secret_service\":\"%s\",\"keyring_item\":\"%s\","
		    "\"unlocked_until\":", st.slot ? "true" : "false", st.service, st.item);
		if (st.unlocked_until > 0)
			fprintf(f, "%lld}", (long long)st.unlocked_until);
		else
			fputs("null}", f);
		return 0;
	}
	fprintf(f, "keyring slot: %s\n", st.slot ? "yes" : "no");
	if (probe_keyring)
		fprintf(f, "secret service: %s; item for this vault: %s\n", st.service, st.item);
	if (st.unlocked_until > 0) {
		format_time(st.unlocked_until, until, sizeof(until));
		fprintf(f, "timed unlock: unlocked until %s\n", until);
	} else {
		fprintf(f, "timed unlock: locked\n");
	}
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
cmd_keyring(struct ctx *c, int argc, char **argv)
{
	static const struct option own[] = { { "json", no_argument, NULL, 'j' }, { 0 } };
	const struct command *cmd = command_find("keyring");
	const struct keyring_ops *ks;
	bool json = false;
	const char *sub;
	int r;

	if ((r = parse_options(c, cmd, argc, argv, "h", own, &json, flag_opt)) >= 0)
		return r;
	if (argc - optind != 1)
		return usage_error(cmd, "keyring takes one of enable, disable, status");
	sub = argv[optind];
	if (strcmp(sub, "status") == 0)
		return keyring_status(c, json);
	if (strcmp(sub, "enable") != 0 && strcmp(sub, "disable") != 0)
		return usage_error(cmd, "unknown keyring command '%s'", sub);
	if ((r = load_keyring(&ks)) != 0)
		return r;
	return strcmp(sub, "enable") == 0 ? keyring_enable(c, ks) : keyring_disable(c, ks);
}

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
cmd_unlock(struct ctx *c, int argc, char **argv)
{
	static const struct option own[] = { { "for", required_argument, NULL, 'f' }, { 0 } };
	const struct command *cmd = command_find("unlock");
	int64_t secs = UNLOCK_DEFAULT_SECONDS, now = now_unix();
	char id[2 * FBV_ID_BYTES + 1], until[64];
	struct x25519_keypair *kp;
	struct vault_txn t;
	struct vault *v;
	int r;

	if ((r = parse_options(c, cmd, argc, argv, "+h", own, &secs, for_opt)) >= 0)
		return r;
	if (optind != argc)
		return usage_error(cmd, "unexpected argument '%s'", argv[optind]);
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
	r = unlock_store(id, kp->sk, (uint32_t)secs, now);
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
	unsigned char *sk = secret_alloc(FBV_X25519_BYTES);
	char id[2 * FBV_ID_BYTES + 1];
	struct vault_txn t;
	int r = FBV_ERR_NOMEM;
	bool saved;

	vault_id_hex(v, id);
	if (sk != NULL && (r = unlock_fetch(id, sk, NULL)) == FBV_OK &&
	    v->version == FBV_VERSION2 && vault_has_slot(v, FBV_SLOT_TIMED))
		r = vault_unlock_secret(v, sk);
	else
		r = FBV_ERR_NO_SLOT;
	secret_free(sk);
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
cmd_lock(struct ctx *c, int argc, char **argv)
{
	static const struct option own[] = { { "all", no_argument, NULL, 'a' }, { 0 } };
	const struct command *cmd = command_find("lock");
	char id[2 * FBV_ID_BYTES + 1];
	struct vault *v;
	bool all = false;
	int r, others;

	if ((r = parse_options(c, cmd, argc, argv, "+h", own, &all, flag_opt)) >= 0)
		return r;
	if (optind != argc)
		return usage_error(cmd, "unexpected argument '%s'", argv[optind]);
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
