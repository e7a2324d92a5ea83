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
/* Unlocks a loaded v; allow_prompt false: only what needs no passphrase. */
int vault_key_sources(struct ctx *c, struct vault *v, bool allow_prompt);

/* txn_begin() on opened (the transaction's from here on). */
int edit_begin(struct ctx *c, struct vault *opened, struct vault_txn *t);
/* vault_open_read(), then edit_begin(). */
int edit_open(struct ctx *c, struct vault_txn *t);
int edit_commit(struct ctx *c, struct vault_txn *t);
/* Leaves the file as it was; returns code. */
int edit_abort(struct vault_txn *t, int code);

#endif
