/* Vault format 2 (vault/format.h): opening through a slot's X25519 key,
 * saving under a fresh data key, the v2 slot edits. vault.c parses both
 * versions and calls these for version 2; nothing else does. */
#ifndef FBV_FORMAT2_H
#define FBV_FORMAT2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vault.h"

/* vault.c's helpers that format2.c shares. */
struct slot *vault_slot(const struct vault *v, uint8_t type);
size_t vault_wrap_ad(unsigned char *ad, const struct vault *v, uint8_t type,
    const unsigned char *pre, size_t prelen);
/* The payload, decrypted where it was read (v->plain), once: whether that
 * is done; doing it (FBV_ERR_INVALID if done); undoing a failed unlock
 * (plaintext and entries wiped, nothing left that opens). */
bool vault_payload_is_open(const struct vault *v);
int vault_payload_open(struct vault *v, const unsigned char *ad, size_t adlen,
    const unsigned char sub[FBV_KEY_BYTES]);
void vault_payload_wipe(struct vault *v);

int v2_slot_check(const struct slot *s);
/* Checks the header MAC, opens the payload, its slot records, the entries.
 * When kp is given, slot is the one whose stanza kp opened. */
int v2_unlock_key(struct vault *v, const unsigned char key[FBV_KEY_BYTES], size_t slot,
    const struct x25519_keypair *kp);
/* The first two steps of v2_unlock_key(): the header MAC, then the payload
 * decrypted into v->plain (bench/payload times these alone). */
int v2_open_payload(struct vault *v, const unsigned char key[FBV_KEY_BYTES]);
/* The data key from the first stanza kp opens (type 0: any slot with a
 * stanza; else only that type); *slot is its index. */
int v2_stanza_key(const struct vault *v, const struct x25519_keypair *kp, uint8_t type,
    unsigned char key[FBV_KEY_BYTES], size_t *slot);
/* A passphrase or keyring slot: kek opens its sealed secret key. */
int v2_unlock_sealed(struct vault *v, uint8_t type, const unsigned char kek[FBV_KEY_BYTES]);
/* type 0: every slot with a stanza; else only slots of that type. */
int v2_unlock_keypair(struct vault *v, const struct x25519_keypair *kp, uint8_t type);
int v2_unlock_secret(struct vault *v, const unsigned char sk[FBV_X25519_BYTES], uint8_t type);
int v2_save(struct vault *v, bool exclusive);

/* Puts a known slot: body prefix pre (the stanza follows at save), record pk.
 * replace: any slot of that type is replaced, else one is added. */
int v2_put_slot(struct vault *v, uint8_t type, const unsigned char *pre, size_t prelen,
    const unsigned char pk[FBV_X25519_BYTES], bool replace);
int v2_set_sealed(struct vault *v, uint8_t type, const unsigned char *pre,
    const unsigned char kek[FBV_KEY_BYTES]);
/* A version 1 vault, open, becomes version 2 in memory; vault_save() does
 * it before writing. */
int v2_convert(struct vault *v);

#endif
