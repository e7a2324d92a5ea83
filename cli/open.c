/* Opening the vault: through the timed unlock, a member's identity, the
 * desktop keyring slot, or the passphrase slot, in that order. A change to
 * the set of slots needs a fresh proof: an identity or the passphrase
 * (vault_open_proof()). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "../crypto/errors.h"
#include "../vault/keyring.h"
#include "../vault/seen.h"
#include "../vault/txn.h"
#include "../vault/unlock.h"
#include "errors.h"
#include "git.h"
#include "identities.h"
#include "open.h"
#include "out.h"
#include "progress.h"
#include "prompt.h"
#include "module.h"


bool
keyring_wanted(const struct ctx *c)
{
	const char *e = getenv("FBVAULT_NO_KEYRING");

	return !c->no_keyring && !(e != NULL && *e != '\0' && strcmp(e, "0") != 0);
}

/* version 2: the timed slot's key pair; version 1: the data key */
static int
try_timed_unlock(struct vault *v)
{
	struct x25519_keypair *kp;
	unsigned char *key;
	char id[2 * FBV_ID_BYTES + 1];
	uint8_t type;
	int r;

	vault_id_hex(v, id);
	if (v->version >= FBV_VERSION2) {
		if ((r = unlock_fetch_keypair(id, &kp, &type)) == FBV_OK)
			r = vault_unlock_keypair(v, kp, type);
		x25519_keypair_free(kp);
		return r;
	}
	if ((key = secret_alloc(FBV_KEY_BYTES)) == NULL)
		return FBV_ERR_NOMEM;
	if ((r = unlock_fetch(id, key, NULL)) == FBV_OK)
		r = vault_unlock_key(v, key);
	secret_free(key);
	return r;
}

/* Said once per vault and cause (a marker beside the rollback memory,
 * removed when the keyring opens the vault again), with where the
 * passphrase comes from and how to skip the keyring. */
static void
keyring_notice(const struct ctx *c, const char *id, int why, const char *text)
{
	const char *file = getenv("FBVAULT_PASSPHRASE_FILE");
	char *path = NULL, *marker = NULL;
	int fd = -1;

	if (seen_path(id, &path) == FBV_OK && asprintf(&marker, "%s.keyring-notice%d", path,
	    -why) > 0)
		fd = open(marker, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0 || marker == NULL || errno != EEXIST)
		msg("notice: %s; %s%s (said once; --no-keyring or FBVAULT_NO_KEYRING=1 skips the "
		    "keyring)", text, c->passphrase_fd >= 0 ? "using the passphrase from "
		    "--passphrase-fd" : passphrase_at_tty(c) ? "asking for the passphrase" :
		    "using the passphrase from ", passphrase_at_tty(c) ||
		    c->passphrase_fd >= 0 ? "" : file);
	if (fd >= 0)
		close(fd);
	free(marker);
	free(path);
}

static void
keyring_notice_clear(const char *id)
{
	static const int whys[] = { FBV_ERR_KEYRING, FBV_ERR_KEYRING_ITEM, FBV_ERR_UNSUPPORTED };
	char *path = NULL, *marker;
	size_t i;

	if (seen_path(id, &path) != FBV_OK)
		return;
	for (i = 0; i < sizeof(whys) / sizeof(whys[0]); i++) {
		if (asprintf(&marker, "%s.keyring-notice%d", path, -whys[i]) > 0) {
			unlink(marker);
			free(marker);
		}
	}
	free(path);
}

/* FBV_OK when the keyring slot opened the vault; otherwise a notice has
 * said why and the caller falls back to the passphrase. */
static int
try_keyring(const struct ctx *c, struct vault *v)
{
	const struct keyring_ops *ks;
	unsigned char *kek;
	char id[2 * FBV_ID_BYTES + 1], why[160];
	int r;

	vault_id_hex(v, id);
	if ((r = keyring_module(&ks)) != FBV_OK) {
		snprintf(why, sizeof(why), "this fbvault cannot use the desktop keyring (%s)",
		    fbv_strerror(r));
		keyring_notice(c, id, FBV_ERR_UNSUPPORTED, why);
		return r;
	}
	if ((kek = secret_alloc(FBV_KEY_BYTES)) == NULL)
		return FBV_ERR_NOMEM;
	r = ks->lookup(id, kek);
	if (r == FBV_OK)
		r = vault_unlock_keyring(v, kek);
	secret_free(kek);
	if (r == FBV_OK)
		keyring_notice_clear(id);
	else if (r == FBV_ERR_KEYRING)
		keyring_notice(c, id, r, "the desktop keyring cannot be reached");
	else if (r == FBV_ERR_KEYRING_ITEM)
		keyring_notice(c, id, r, "the desktop keyring has no working key for this vault "
		    "(run: fbvault keyring enable)");
	return r;
}

/* At a terminal, a wrong passphrase may be typed again (three tries, a
 * pause after each); from a descriptor or a file, once. */
static int
try_passphrase(struct ctx *c, struct vault *v, bool allow_prompt)
{
	struct progress p;
	struct sbuf pass;
	int r, tries = passphrase_tries(c);

	if (!allow_prompt)
		return fail(EXIT_DENIED, "%s is locked", v->path);
	for (;;) {
		if ((r = read_passphrase(c, PASS_CURRENT, &pass)) != 0)
			return r;
		progress_start(&p, KDF_PROGRESS);
		r = vault_unlock_passphrase(v, (const char *)pass.data, pass.len);
		progress_stop(&p);
		sbuf_free(&pass);
		if (r != FBV_ERR_WRONG_PASS || --tries == 0)
			break;
		passphrase_retry_pause();
		msg("wrong passphrase; try again");
	}
	return r == FBV_OK ? 0 : fail_err(r, v->path);
}

/* Unlocks v or prints why not; returns an exit code. */
int
vault_key_sources(struct ctx *c, struct vault *v, bool allow_prompt)
{
	int r;

	r = try_timed_unlock(v);
	if (r == FBV_OK)
		return 0;
	if ((r = identities_open(c, v)) >= 0)
		return r;
	if (vault_has_slot(v, FBV_SLOT_KEYRING) && keyring_wanted(c)) {
		r = try_keyring(c, v);
		if (r == FBV_OK)
			return 0;
		if (r == FBV_ERR_CORRUPT)
			return fail_err(r, v->path);
	}
	if (!vault_has_slot(v, FBV_SLOT_PASSPHRASE))
		return fail(EXIT_DENIED, "%s: no passphrase slot, and no identity%s opened "
		    "the vault", v->path, vault_has_slot(v, FBV_SLOT_KEYRING) ? " or keyring" :
		    identities_named(c) ? " given" : " (--identity FILE)");
	return try_passphrase(c, v, allow_prompt);
}

/* For a change to the set of slots (passwd, keyring enable and disable,
 * unlock, recipients): a member's identity or the passphrase, never a timed unlock or the keyring, which any
 * process of this user may borrow; such a process must not add a slot for
 * itself or take the owner's away. */
int
vault_open_proof(struct ctx *c, struct vault **out)
{
	struct vault *v;
	int r;

	if ((r = vault_load(c->vault_path, &v)) != FBV_OK)
		return fail_err(r, c->vault_path);
	/* a member's identity is a fresh proof: a file, not a borrowed unlock */
	if ((r = identities_open(c, v)) == 0)
		r = seen_check(c, v);
	else if (r < 0 && !vault_has_slot(v, FBV_SLOT_PASSPHRASE))
		r = fail(EXIT_DENIED, "%s: changing its key slots needs the passphrase or a "
		    "member's identity (--identity FILE), and neither opened it", c->vault_path);
	else if (r < 0 && (r = try_passphrase(c, v, true)) == 0)
		r = seen_check(c, v);
	if (r != 0) {
		vault_free(v);
		return r;
	}
	*out = v;
	return 0;
}

static void
seen_put(const char *id, const struct seen *s, const char *path)
{
	if (seen_write(id, s) != FBV_OK)
		msg("warning: cannot remember the generation of %s (%s); rollback to it "
		    "will not be noticed", path, fbv_strerror(FBV_ERR_SYSTEM));
}

/* Whether the file at v's path is now genuinely of generation gen or
 * later (it opens with what opened v): v was read just before another
 * fbvault saved and remembered a newer one, which is no rollback. */
static bool
superseded(const struct vault *v, uint64_t gen)
{
	struct vault *now;
	bool later;

	if (vault_load(v->path, &now) != FBV_OK)
		return false;
	later = now->version >= FBV_VERSION2 && now->generation >= gen &&
	    memcmp(now->id, v->id, FBV_ID_BYTES) == 0 && vault_reopen(now, v) == FBV_OK;
	vault_free(now);
	return later;
}

int
seen_check(struct ctx *c, const struct vault *v)
{
	char id[2 * FBV_ID_BYTES + 1];
	struct seen s;
	int r;

	vault_id_hex(v, id);
	if ((r = seen_read(id, &s)) != FBV_OK && !c->accept_rollback)
		return fail(err_exit_code(r), "%s: cannot read this machine's rollback memory "
		    "for it: %s (--accept-rollback starts it afresh)", v->path, fbv_strerror(r));
	if (r == FBV_OK && s.known && v->generation < s.generation && !c->accept_rollback &&
	    !superseded(v, s.generation))
		return fail(EXIT_ROLLBACK, "%s is generation %" PRIu64 ", older than generation "
		    "%" PRIu64 ", which this machine has opened: an older copy was put back%s; if you "
		    "restored it on purpose, run again with --accept-rollback", v->path,
		    v->generation, s.generation, git_rollback_hint(v->path));
	if (v->version < FBV_VERSION2)
		return 0;
	if (r != FBV_OK || !s.known || c->accept_rollback) {
		seen_slots(v, s.slots);
		s.known = true;
	} else if (v->generation <= s.generation) {
		return 0;
	}
	s.generation = v->generation;
	seen_put(id, &s, v->path);
	return 0;
}

/* What this machine wrote: its generation and slot set. */
void
seen_note_save(const struct vault *v)
{
	char id[2 * FBV_ID_BYTES + 1];
	struct seen s;

	vault_id_hex(v, id);
	s.known = true;
	s.generation = v->generation;
	seen_slots(v, s.slots);
	seen_put(id, &s, v->path);
}

const char *
seen_slots_warning(const struct vault *v)
{
	unsigned char now[FBV_SEEN_DIGEST];
	char id[2 * FBV_ID_BYTES + 1];
	struct seen s;

	vault_id_hex(v, id);
	if (v->version < FBV_VERSION2 || v->key == NULL || seen_read(id, &s) != FBV_OK ||
	    !s.known)
		return NULL;
	seen_slots(v, now);
	if (sodium_memcmp(now, s.slots, sizeof(now)) == 0)
		return NULL;
	return "its key slots were changed by a command that did not run on this machine "
	    "(a slot added or removed elsewhere); if you did not do it, change the "
	    "passphrase and check who can read the vault";
}

int
vault_unlock_unattended(struct ctx *c, struct vault *v)
{
	const struct keyring_ops *ks;
	unsigned char *kek;
	char id[2 * FBV_ID_BYTES + 1];
	int r;

	if (try_timed_unlock(v) == FBV_OK)
		return 0;
	if ((r = identities_open(c, v)) >= 0)
		return r;
	if (!vault_has_slot(v, FBV_SLOT_KEYRING) || !keyring_wanted(c) ||
	    keyring_module(&ks) != FBV_OK || (kek = secret_alloc(FBV_KEY_BYTES)) == NULL)
		return -1;
	vault_id_hex(v, id);
	r = ks->lookup(id, kek);
	if (r == FBV_OK)
		r = vault_unlock_keyring(v, kek);
	secret_free(kek);
	return r == FBV_OK ? 0 : -1;
}

int
vault_open_read(struct ctx *c, struct vault **out)
{
	struct vault *v;
	int r;

	if ((r = vault_load(c->vault_path, &v)) != FBV_OK)
		return fail_err(r, c->vault_path);
	if ((r = vault_key_sources(c, v, true)) != 0 || (r = seen_check(c, v)) != 0) {
		vault_free(v);
		return r;
	}
	*out = v;
	return 0;
}

/* Locks and re-reads the vault that opened was read from (txn_begin());
 * opened is the transaction's from here on. On failure, a message. */
int
edit_begin(struct ctx *c, struct vault *opened, struct vault_txn *t)
{
	int r = txn_begin(opened, LOCK_TIMEOUT_MS, t);

	if (r == FBV_ERR_BUSY)
		return fail(EXIT_TEMPFAIL, "%s is being written by another fbvault; try again",
		    c->vault_path);
	return r == FBV_OK ? 0 : fail_err(r, c->vault_path);
}

/* vault_open_read(), then edit_begin(). */
int
edit_open(struct ctx *c, struct vault_txn *t)
{
	struct vault *v;
	int r;

	if ((r = vault_open_read(c, &v)) != 0)
		return r;
	return edit_begin(c, v, t);
}

int
edit_commit(struct ctx *c, struct vault_txn *t)
{
	bool convert = t->v->changed && t->v->version == FBV_VERSION;
	bool kept, saved;
	int r;

	if (convert && (r = vault_convert(t->v)) != FBV_OK) {
		txn_abort(t);
		return fail_err(r, c->vault_path);
	}
	kept = t->v->v1_key_kept;
	if ((r = txn_save(t, &saved)) == FBV_OK && saved)
		seen_note_save(t->v);
	txn_abort(t);
	if (r == FBV_OK) {
		if (convert)
			msg("notice: %s is now in vault format 3%s", c->vault_path, kept ?
			    "; run `fbvault passwd` (and `fbvault keyring enable`, if you use "
			    "it) so that its format 1 key opens nothing written from now on" : "");
		return 0;
	}
	return fail(err_exit_code(r), "cannot write %s: %s (the vault is unchanged)",
	    c->vault_path, fbv_strerror(r));
}

/* Leaves the file as it was and returns code. */
int
edit_abort(struct vault_txn *t, int code)
{
	txn_abort(t);
	return code;
}
