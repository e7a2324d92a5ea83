/* One write transaction: the writers' lock, the vault read again under it,
 * edits, then one save, or none. Every command that changes a vault goes
 * through it:
 *
 *	vault found and unlocked (a prompt, a slow KDF: before the lock)
 *	txn_begin()     lock, re-read, reopen with the same key
 *	vault_put(), vault_remove(), slot edits on t.v
 *	txn_commit()    save if anything changed, unlock, free
 *	or txn_abort()  unlock, free: the file is as it was
 */
#ifndef FBV_TXN_H
#define FBV_TXN_H

#include <stdbool.h>

#include "vault.h"

struct vault_txn {
	struct vault *v;        /* the vault to edit */
	int lock_fd;
	bool create;            /* a new vault: the save must not replace a file */
};

/* Takes opened (from here on the transaction's, freed on failure too),
 * locks its file (FBV_ERR_BUSY after timeout_ms) and looks again:
 * unchanged since (vault_file_same(): its two ends, not the whole file),
 * opened itself is kept (a big vault is not read or decrypted twice); else the fresh copy is opened with what opened opened with:
 * version 2, the slot's secret key (the data key changes on every save);
 * version 1, the data key (vault_reopen()). */
int txn_begin(struct vault *opened, int timeout_ms, struct vault_txn *t);
/* The same for a vault made by vault_create(), not yet on disk. */
int txn_begin_create(struct vault *fresh, int timeout_ms, struct vault_txn *t);
/* Saves t->v if it changed; unlocks and frees either way. */
int txn_commit(struct vault_txn *t);
/* The same save, keeping the lock and t->v (what was written: its
 * generation, its slots); txn_abort() ends it. *saved: whether it wrote. */
int txn_save(struct vault_txn *t, bool *saved);
void txn_abort(struct vault_txn *t);

#endif
