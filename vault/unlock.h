/* Timed unlock: the timed slot's secret key kept in the Linux kernel's
 * user keyring (@u) with a kernel-enforced timeout. Any process of the same user can read it
 * until it expires or `fbvault lock` revokes it; see SECURITY.md.
 *
 * The key: type "user", description "fbvault:<hex vault id>", payload of
 * 72 bytes:
 *
 *  offset  size  field
 *       0    32  the timed slot's X25519 secret key
 *      32    32  its public key, kept so that an open need not derive it;
 *                not trusted: a public key that is not the secret key's
 *                opens no stanza (the wrap key's salt is E || R,
 *                crypto/keyformat.h), and the slot's record in the
 *                payload must equal it (format2.c)
 *      64     8  the expiry, unix seconds, little-endian (what status shows,
 *                capped by the kernel's own count)
 *
 * Also read: 40 bytes, a secret key then the expiry, as fbvault wrote it
 * before it kept the public key (the public key is then derived). Its key
 * may be a version 1 data key, which converted slots took as their secret
 * key (format.h, "Conversion"), so it is tried on every slot; a 72-byte
 * key only on the timed slot. Any other size is no unlock. */
#ifndef FBV_UNLOCK_H
#define FBV_UNLOCK_H

#include <stdint.h>

#include "../crypto/recipient.h"
#include "../crypto/seal.h"

#define FBV_UNLOCK_MAX_SECONDS (24 * 3600)

/* vault_id_hex names the key: "fbvault:<hex id>". */
int unlock_store(const char *vault_id_hex, const unsigned char sk[FBV_X25519_BYTES],
    const unsigned char pk[FBV_X25519_BYTES], uint32_t seconds, int64_t now);
/* The first 32 bytes: a secret key (or a version 1 data key).
 * FBV_ERR_NOT_UNLOCKED when there is no live key; *until may be NULL. */
int unlock_fetch(const char *vault_id_hex, unsigned char key[FBV_KEY_BYTES], int64_t *until);
/* The key pair (x25519_keypair_free() it), and the type of slot to try it
 * on: FBV_SLOT_TIMED, or 0 (every slot) for a 40-byte key. */
int unlock_fetch_keypair(const char *vault_id_hex, struct x25519_keypair **kp, uint8_t *type);
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
