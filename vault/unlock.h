/* Timed unlock: the data key kept in the Linux kernel's user keyring (@u)
 * with a kernel-enforced timeout. Any process of the same user can read it
 * until it expires or `fbvault lock` revokes it; see SECURITY.md. */
#ifndef FBV_UNLOCK_H
#define FBV_UNLOCK_H

#include <stdint.h>

#include "../crypto/seal.h"

#define FBV_UNLOCK_MAX_SECONDS (24 * 3600)

/* vault_id_hex names the key: "fbvault:<hex id>". */
int unlock_store(const char *vault_id_hex, const unsigned char key[FBV_KEY_BYTES],
    uint32_t seconds, int64_t now);
/* FBV_ERR_NOT_UNLOCKED when there is no live key; *until may be NULL. */
int unlock_fetch(const char *vault_id_hex, unsigned char key[FBV_KEY_BYTES], int64_t *until);
int unlock_revoke(const char *vault_id_hex);

#endif
