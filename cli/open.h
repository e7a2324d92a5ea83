/* Opening the vault for a command: the data key through the timed unlock,
 * the desktop keyring slot or the passphrase slot, in that order; and the
 * write transaction (vault/txn.h) with its messages. Each returns 0, or an
 * exit code after a message. */
#ifndef FBV_OPEN_H
#define FBV_OPEN_H

#include <stdbool.h>

#include "../vault/txn.h"
#include "../vault/vault.h"
#include "command.h"

#define LOCK_TIMEOUT_MS 30000

int vault_open_read(struct ctx *c, struct vault **out);
/* For a change to the set of slots: a member's identity or the
 * passphrase, never a timed unlock or the keyring, which any process of
 * this user may borrow. */
int vault_open_proof(struct ctx *c, struct vault **out);
/* Unlocks a loaded v; allow_prompt false: only what needs no passphrase. */
int vault_key_sources(struct ctx *c, struct vault *v, bool allow_prompt);

/* For git's drivers, which have no terminal: the timed unlock, an
 * identity, the keyring, in that order, quietly; never a passphrase.
 * 0, -1 when nothing opened v, or an exit code after a message (an
 * identity that cannot be read). */
int vault_unlock_unattended(struct ctx *c, struct vault *v);

/* txn_begin() on opened (the transaction's from here on). */
int edit_begin(struct ctx *c, struct vault *opened, struct vault_txn *t);
/* vault_open_read(), then edit_begin(). */
int edit_open(struct ctx *c, struct vault_txn *t);
int edit_commit(struct ctx *c, struct vault_txn *t);
/* Leaves the file as it was; returns code. */
int edit_abort(struct vault_txn *t, int code);

/* Rollback memory (vault/seen.h) for an open vault: refuses an older
 * generation than this machine opened (EXIT_ROLLBACK) unless
 * --accept-rollback, and remembers a newer one. */
int seen_check(struct ctx *c, const struct vault *v);
/* After a save made here: its generation and slots are this machine's. */
void seen_note_save(const struct vault *v);
/* status and doctor: a warning line, or NULL, about the slot set. */
const char *seen_slots_warning(const struct vault *v);

#endif
