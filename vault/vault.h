/* An fbvault vault: parse, unlock through a key slot, edit, save. */
#ifndef FBV_VAULT_H
#define FBV_VAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../crypto/keyformat.h"
#include "../crypto/seal.h"
#include "../crypto/secmem.h"
#include "entries.h"
#include "format.h"

struct x25519_keypair;

struct slot {
	uint8_t type;
	uint16_t len;
	unsigned char *body;            /* the header's slot body */
	uint16_t rec_len;               /* v2, once open: the payload's record */
	unsigned char *rec;             /* (known types: the public key) */
};

struct vault {
	char *path;
	unsigned char id[FBV_ID_BYTES];
	struct slot slots[FBV_SLOTS_MAX];
	size_t nslots;
	uint16_t version;               /* as read; what vault_save() writes */
	uint64_t generation;            /* v2: +1 on every save */
	unsigned char *key;             /* data key; NULL while locked */
	struct x25519_keypair *cred;    /* v2: the slot key that opened it */
	unsigned char *v1kek;           /* v1: the key that opened slot v1kek_type */
	uint8_t v1kek_type;
	bool v1_key_kept;               /* converted: a slot's key is the v1 data key */
	unsigned char *hdr;             /* bytes [0, H) as read */
	size_t hdr_len;
	unsigned char mac[FBV_MAC_BYTES];
	unsigned char nonce[FBV_NONCE_BYTES];
	/* The payload as read, in secret memory (plain.data), decrypted there
	 * by the unlock: cipher is plain.data until then, NULL after (and
	 * after a save, which does not keep what it wrote). */
	unsigned char *cipher;
	size_t cipher_len;              /* as read or last written */
	unsigned char tag[FBV_TAG_BYTES]; /* the payload's last 16 bytes, ditto */
	struct sbuf plain;              /* decrypted payload: entries point here */
	/* v3 (format.h): the file's first cbuf_len bytes as read (ordinary
	 * memory: ciphertext), the rest read from fd when a segment needs
	 * them; which segments are decrypted in plain, under paykey. */
	int fd;                         /* -1: cbuf holds the whole file */
	unsigned char *cbuf;
	size_t cbuf_len;
	size_t file_len;
	size_t seg_off;                 /* where segment 0 starts: H+52 */
	uint32_t plain_len;             /* L */
	unsigned char prefix[FBV3_PREFIX_NONCE_BYTES];
	unsigned char *ad;              /* bytes [0, seg_off): every segment's AD */
	unsigned char *paykey;          /* subkey 6, while segments are left */
	unsigned char *seg_open;        /* one byte per segment */
	size_t nsegs_open;
	bool plain_mapped;              /* plain.data is secret_map()ed */
	struct entries entries;         /* through the functions below only */
	bool dirty;                     /* entries changed since last seal */
	bool changed;                   /* anything changed since read */
};

void vault_id_hex(const struct vault *v, char out[2 * FBV_ID_BYTES + 1]);

int vault_parse(const char *path, const unsigned char *buf, size_t len, struct vault **out);
int vault_load(const char *path, struct vault **out);
void vault_free(struct vault *v);

bool vault_has_slot(const struct vault *v, uint8_t type);
int vault_kdf_params(const struct vault *v, uint64_t *ops, uint64_t *mem);

/* Unlocking: each verifies the header MAC and decrypts the payload. */
int vault_unlock_key(struct vault *v, const unsigned char key[FBV_KEY_BYTES]);
int vault_unlock_passphrase(struct vault *v, const char *pass, size_t len);
/* The two halves of vault_unlock_passphrase(): the slow KDF, then the
 * unwrap (the bit-flip battery reuses one derivation for many files). */
int vault_passphrase_kek(const struct vault *v, const char *pass, size_t len,
    unsigned char kek[FBV_KEY_BYTES]);
int vault_unlock_passphrase_kek(struct vault *v, const unsigned char kek[FBV_KEY_BYTES]);
int vault_unlock_keyring(struct vault *v, const unsigned char kek[FBV_KEY_BYTES]);

/* v2: opens with the secret key of any slot whose stanza it opens (a
 * timed-unlock, keyring or recipient slot); tries each, as age does. */
int vault_unlock_secret(struct vault *v, const unsigned char sk[FBV_X25519_BYTES]);
/* The same with the public key at hand (not derived again; a wrong one
 * opens nothing), tried on slots of type only (0: every slot). */
int vault_unlock_keypair(struct vault *v, const struct x25519_keypair *kp, uint8_t type);
/* Opens fresh, a newer copy of opened's file, with what opened opened with
 * (v2: the slot key; v1: the data key). */
int vault_reopen(struct vault *fresh, const struct vault *opened);

/* Whether the file at v's path is the one v was read from or last saved
 * as: the same header, MAC, nonce, payload length and payload tag, read
 * from its two ends (vault/txn.h says why that is enough). */
int vault_file_same(const struct vault *v, bool *same);

/* A new vault in memory with one passphrase slot; vault_save() writes it. */
int vault_create(const char *path, const char *pass, size_t len, enum kdf_level level,
    struct vault **out);
/* A version 1 vault, open, becomes version 2 in memory (format.h,
 * "Conversion"); vault_save() does it itself if needed. */
int vault_convert(struct vault *v);
/* Writes an unlocked vault, always in format 2 (a version 1 vault is
 * converted first); exclusive refuses to replace an existing file. */
int vault_save(struct vault *v, bool exclusive);

/* Every segment of a version 3 vault decrypted, as an edit or a save
 * needs (nothing to do for versions 1 and 2, decrypted whole). Reading an
 * entry decrypts what it needs itself; should that fail (the file was
 * changed in place while it was read), the fault handler is called, which
 * must not return: the default aborts, the program sets one that says so
 * and exits. */
int vault_open_all(struct vault *v);
/* Every entry's record (times, metadata) decrypted and checked, not the
 * values: before a pass over every entry's metadata (list, status). */
int vault_open_records(struct vault *v);
void vault_on_fault(void (*handler)(const char *path, int err));

/* The entries of an unlocked vault, sorted by name. */
size_t vault_count(const struct vault *v);
const struct entry *vault_entry(const struct vault *v, size_t i);
/* Entry i without its value, decoded into tmp and name if not filled in
 * (entries_peek()): valid until the next call. */
const struct entry *vault_entry_peek(const struct vault *v, size_t i, struct entry *tmp,
    char name[FBV_NAME_MAX + 1]);
const struct entry *vault_find(const struct vault *v, const char *name);

/* Entry edits: each marks the vault changed. vault_put() stores a copy of
 * value (replacing an entry of that name only if replace) and gives the
 * entry for its metadata; vault_edit() gives an existing entry to change
 * (NULL when there is none). */
int vault_put(struct vault *v, const char *name, const unsigned char *value, size_t len,
    bool replace, int64_t now, struct entry **out);
struct entry *vault_edit(struct vault *v, const char *name);
int vault_remove(struct vault *v, const char *name);

/* Slot edits on an unlocked vault (a version 1 vault is converted first);
 * the next save seals a new data key to every slot. */
int vault_set_passphrase(struct vault *v, const char *pass, size_t len,
    uint64_t ops, uint64_t mem);
int vault_set_keyring(struct vault *v, const unsigned char kek[FBV_KEY_BYTES]);
int vault_remove_slot(struct vault *v, uint8_t type);
/* v2 only: a timed-unlock slot for pk until expires (replacing any other),
 * and recipient slots, one per public key. */
int vault_set_timed(struct vault *v, const unsigned char pk[FBV_X25519_BYTES], int64_t expires);
int vault_add_recipient(struct vault *v, const unsigned char pk[FBV_X25519_BYTES]);
int vault_remove_recipient(struct vault *v, const unsigned char pk[FBV_X25519_BYTES]);

#endif
