/* Timed unlock: the timed slot's secret key kept in the Linux kernel's
 * user keyring (@u) with a kernel-enforced timeout. Any process of the same user can read it
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
/* FBV_OK only when no key for this vault remains. */
int unlock_revoke(const char *vault_id_hex);
/* Every fbvault key in this user's keyring, whatever vault it is for. */
int unlock_revoke_all(int *count);
int unlock_count_all(int *count);
/* The kernel's own count of the time left, in /proc/keys' coarse unit
 * (59s, 14m, 23h): an upper bound. FBV_ERR_NOT_UNLOCKED when none. */
int unlock_time_left(const char *vault_id_hex, int64_t *seconds);
/* Until when the key lives: the expiry it carries, capped by the kernel's
 * own count (what status and doctor show). */
int unlock_until(const char *vault_id_hex, int64_t now, int64_t *until);

#endif
