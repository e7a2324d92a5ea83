/* What this machine has seen of each vault: the highest generation it has
 * opened (a lower one is a rollback: an older copy put back) and the set
 * of slots it last wrote or accepted (a different set was changed
 * elsewhere). One small file per vault id:
 *
 *   $XDG_STATE_HOME/fbvault/seen-<hex id>, else ~/.local/state/fbvault/...
 *   mode 0600, replaced atomically (store_write), text:
 *     fbvault-seen 1
 *     generation <decimal>
 *     slots <64 hex: BLAKE2b-256 of each slot's type, record length, record>
 *
 * Limits (SECURITY.md): nothing is known on first use or on a fresh
 * machine; two forks of the same generation look alike; whoever can write
 * this file can reset it, as whoever can replace the vault could. */
#ifndef FBV_SEEN_H
#define FBV_SEEN_H

#include <stdbool.h>
#include <stdint.h>

#include "vault.h"

#define FBV_SEEN_DIGEST 32

struct seen {
	bool known;             /* false: no file, nothing seen yet */
	uint64_t generation;
	unsigned char slots[FBV_SEEN_DIGEST];
};

/* A malloc()ed path; FBV_ERR_NO_VAULT when neither variable is set. */
int seen_path(const char *id_hex, char **out);
/* FBV_OK with s->known false when there is no file; FBV_ERR_CORRUPT for a
 * file that does not parse. */
int seen_read(const char *id_hex, struct seen *s);
int seen_write(const char *id_hex, const struct seen *s);
/* The digest of an open v2 vault's slot set. */
void seen_slots(const struct vault *v, unsigned char out[FBV_SEEN_DIGEST]);

#endif
