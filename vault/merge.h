/* Three-way merge of a vault's versions (base, ours, theirs), all open:
 * what `fbvault git-merge` does for git. Per entry and per slot:
 *   - the same on both sides (deleted on both, too): that
 *   - changed on one side only: that side's
 *   - changed differently on both, or deleted on one and changed on the
 *     other: a conflict, named; nothing is merged
 * An entry is its value and its metadata (created and updated come with
 * the side taken). Recipient slots are a set of public keys, so they
 * cannot conflict: one added on either side is in, one removed on either
 * side is out. The passphrase and keyring slots (one of each at most)
 * conflict when both sides changed them differently; the timed-unlock
 * slot is one machine's and short-lived: ours wins a conflict. Slots of
 * types this fbvault does not know stay as ours has them. */
#ifndef FBV_MERGE_H
#define FBV_MERGE_H

#include <stddef.h>

#include "vault.h"

struct merge_result {
	char **conflicts;       /* entry names, or "passphrase slot", "keyring slot" */
	size_t nconflicts;
	unsigned char added[FBV_SLOTS_MAX][FBV_X25519_BYTES];  /* recipients, from theirs */
	size_t nadded;
	unsigned char removed[FBV_SLOTS_MAX][FBV_X25519_BYTES];
	size_t nremoved;
};

/* Edits ours into the merge and sets its generation to the larger of
 * ours' and theirs' (the save adds one). FBV_ERR_OTHER_VAULT when the vault
 * ids differ, FBV_ERR_VERSION unless all are format 2, FBV_ERR_CONFLICT
 * (res names them; ours is then half-edited: do not save it),
 * FBV_ERR_NO_SLOT when no slot would be left. */
int vault_merge(struct vault *ours, const struct vault *base, const struct vault *theirs,
    struct merge_result *res);
void merge_result_free(struct merge_result *res);

#endif
