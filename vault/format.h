/*
 * The fbvault file format. Every integer is little-endian. fbvault writes
 * version 3 and reads versions 1, 2 and 3; the first save of an older vault
 * converts it.
 *
 * == Version 1 ==================================================================
 *
 *
 *  offset  size  field
 *  ------  ----  ---------------------------------------------------------
 *       0     8  magic "FBVAULT\0"
 *       8     2  format version, 1; any other value is refused
 *      10     2  flags, 0; any other value is refused
 *      12    16  vault id: random, names this vault's keyring item and its
 *                timed-unlock key (not secret)
 *      28     1  number of key slots n, 1..16
 *      29     .  n key slots, each:
 *                  +0  1  slot type (below)
 *                  +1  2  body length L
 *                  +3  L  body
 *       H    32  header MAC: keyed BLAKE2b-256 of bytes [0, H) under the
 *                header subkey of the data key; covers every slot byte
 *    H+32    24  payload nonce, fresh on every save
 *    H+56     4  payload ciphertext length C, 16..(256 MiB + 16)
 *    H+60     C  payload: XChaCha20-Poly1305 under the payload subkey of
 *                the data key, associated data = bytes [0, 28)
 *  H+60+C        end of file; trailing bytes are refused
 *
 * The data key is 32 random bytes made at init; it never changes. Subkeys
 * come from crypto_kdf (BLAKE2b) with context "fbvault1": 1 header MAC,
 * 2 payload. Slots wrap the data key with XChaCha20-Poly1305 (48 bytes:
 * key + tag); the associated data of a wrap is the slot type byte, the slot
 * body before the nonce, and the vault id.
 *
 * Slot type 1, passphrase (L = 105; at most one):
 *    +0  1  KDF algorithm, 1 = Argon2id v1.3
 *    +1 16  salt
 *   +17  8  opslimit, interactive..FBV_KDF_OPS_MAX
 *   +25  8  memlimit in bytes, interactive..FBV_KDF_MEM_MAX
 *   +33 24  nonce
 *   +57 48  data key wrapped under Argon2id(passphrase, salt, ops, mem)
 *
 * Slot type 2, desktop keyring (L = 72; at most one):
 *    +0 24  nonce
 *   +24 48  data key wrapped under a random 32-byte key that the Secret
 *           Service keeps in the item whose attribute is the vault id
 *
 * Slot types 3..255 are reserved (3: per-person recipients). A reader skips
 * a slot type it does not know and writes it back unchanged; the header MAC
 * still covers it.
 *
 * Entries (the version 1 payload plaintext; in version 2, after the slot
 * records):
 *    +0  4  entry count, sorted by name, names unique
 *  each entry:
 *    +0  2  name length, 1..128
 *    +2  .  name
 *     .  4  value length, 0..FBV_VALUE_MAX
 *     .  .  value, any bytes
 *     .  8  created, unix seconds (signed)
 *     .  8  updated, unix seconds (signed)
 *     .  2  metadata length M
 *     .  M  metadata records: 1-byte tag, 2-byte length, value. Integers
 *           are 8-byte signed; strings are UTF-8 without NUL. A tag a
 *           reader does not know is kept as it is.
 *
 * == Version 2 ==================================================================
 *
 * Every save draws a fresh data key and seals it to every slot; a slot is an
 * X25519 key pair (crypto/keyformat.h) whose public key the writer knows
 * from the payload. A stolen data key opens only the versions saved with it.
 *
 *  offset  size  field
 *  ------  ----  ---------------------------------------------------------
 *       0     8  magic "FBVAULT\0"
 *       8     2  format version, 2
 *      10     2  flags, 0; any other value is refused
 *      12    16  vault id, as in version 1
 *      28     8  generation: 1 at init (or at conversion: 1), +1 on every
 *                save; the rollback memory compares it
 *      36     1  number of key slots n, 1..16
 *      37     .  n key slots, each:
 *                  +0  1  slot type (below)
 *                  +1  2  body length L, exactly as the type says
 *                  +3  L  body
 *       H    32  header MAC: keyed BLAKE2b-256 of bytes [0, H) under subkey 3
 *                of this save's data key
 *    H+32    24  payload nonce, fresh on every save
 *    H+56     4  payload ciphertext length C, 16..(256 MiB + 16)
 *    H+60     C  payload: XChaCha20-Poly1305 under subkey 4 of this save's
 *                data key, associated data = bytes [0, H+60): the whole
 *                header with its MAC, the nonce and the length. A header and
 *                a payload of two saves never verify together.
 *  H+60+C        end of file; trailing bytes are refused
 *
 * Subkeys: crypto_kdf with context "fbvault1", ids 3 (header MAC) and 4
 * (payload); version 1 uses ids 1 and 2.
 *
 * Stanza (80 bytes, crypto/keyformat.h): this save's data key sealed to the
 * slot's public key, fresh ephemeral key per slot per save, context =
 * "fbvault v2 slot" (15 bytes) || vault id || generation (8) || slot index
 * (1) || slot type (1). It names no key; a reader tries its key on each.
 *
 * Slot type 1, passphrase (L = 185; at most one):
 *     +0  33  KDF algorithm, salt, opslimit, memlimit: as in version 1, and
 *             checked against the same bounds before any KDF runs
 *    +33  24  nonce
 *    +57  48  the slot's X25519 secret key (32) and its tag, sealed with
 *             XChaCha20-Poly1305 under Argon2id(passphrase, salt, ops, mem),
 *             associated data = type || body [0, 33) || vault id; kept as is
 *             by every save until the passphrase changes
 *   +105  80  stanza
 * Slot type 2, desktop keyring (L = 152; at most one):
 *     +0  24  nonce
 *    +24  48  the slot's X25519 secret key and its tag, sealed with
 *             XChaCha20-Poly1305 under the random 32-byte key in the Secret
 *             Service item named by the vault id, associated data = type ||
 *             vault id; kept by every save until `keyring enable` again
 *    +72  80  stanza
 * Slot type 3, timed unlock (L = 88; at most one):
 *     +0   8  expiry, unix seconds: a reader skips the slot after it, the
 *             next save drops it
 *     +8  80  stanza. The secret key is in the kernel keyring, with its
 *             public key and the expiry, and the kernel's timeout (the
 *             payload's layout: vault/unlock.h)
 * Slot type 4, recipient (L = 80; any number, one per public key): stanza.
 *             The secret key is a person's or a CI runner's identity file.
 * Conversion from version 1 keeps the first 105 (passphrase) or 72
 * (keyring) bytes of a version 1 slot as they are: what they seal is then
 * the version 1 data key, used from then on as that slot's X25519 secret
 * key. The slot that opened the vault for the conversion gets a fresh key
 * pair instead (its key encryption key is at hand); the others keep the
 * version 1 key until `passwd` or `keyring enable` replaces them, and the
 * conversion says so. Version 1 slot types 3 and 4 (reserved, never
 * written) are dropped; 5..255 are carried.
 * Slot types 5..255: a reader skips them and a save carries body and payload
 *             record unchanged; the MAC and the payload cover them. Type 0 and
 *             a known type of another length are refused, and so is a slot
 *             table with no slot of a known type.
 * The kinds are visible in the header (as in version 1), so a reader asks
 * only the key sources the vault has; whose keys they are is not: public
 * keys are only in the payload.
 *
 * Payload plaintext:
 *    +0  1  slot record count, = n
 *  each, in slot order:
 *    +0  1  slot type, = the header slot's type
 *    +1  2  length R: 32 for types 1..4 (the slot's X25519 public key);
 *           any for an unknown type (carried)
 *    +3  R  data
 *  then the entries, as in version 1. The public key of the slot that opened
 *  the vault must equal the key that opened its stanza; a public key of
 *  small order (no one holds its secret, no stanza can be sealed to it) is
 *  refused, in a record and when a slot is added.
 *
 * == Version 3 ==================================================================
 *
 * Version 2 with the payload sealed in segments, so that a reader decrypts
 * only the part it needs (a get at 10,000 entries: the names, the index, one
 * record and one value; a list: no value at all) while the whole payload stays one encrypted
 * stream under one key fresh on every save: the file still shows only the
 * payload's total length, not how many entries it holds or how long each is.
 * Slots, stanzas, keys and their rules are those of version 2.
 *
 *  offset  size  field
 *  ------  ----  ---------------------------------------------------------
 *       0    37  magic, version 3, flags 0, vault id, generation, n: as in
 *                version 2
 *      37     .  n key slots, as in version 2
 *       H    32  header MAC: keyed BLAKE2b-256 of bytes [0, H) under subkey 5
 *                of this save's data key
 *    H+32    16  segment nonce prefix, fresh on every save
 *    H+48     4  payload plaintext length L, 1..256 MiB
 *    H+52     .  the payload in S = ceil(L / 16384) segments; segment i holds
 *                plaintext bytes [16384 i, min(L, 16384 (i + 1))), sealed
 *                with XChaCha20-Poly1305 under subkey 6 of this save's data
 *                key, nonce = prefix || i (8 bytes), associated data = bytes
 *                [0, H+52): the header with its MAC, the prefix and L. Each
 *                is its plaintext and a 16-byte tag. A segment moved,
 *                dropped, repeated or taken from another save, and a header
 *                or length changed, never verify.
 *  H+52+L+16S    end of file; trailing bytes are refused
 *
 * Payload plaintext: the slot records, as in version 2; then
 *    +0  4  entry count N
 *    +4  4  names length A
 *    +8  A  the names, sorted, unique: each a 1-byte length (1..128) and
 *           the name
 *     .  8N the index, per entry: where its record ends, where its value
 *           ends (4 bytes each, from the start of the records and of the
 *           values); entry i's record and value start where entry i-1's end
 *     .  4  records length R
 *     .  R  the records, per entry: created (8), updated (8), and the rest
 *           of the record its metadata (version 1's records, at most 65535
 *           bytes)
 *     .  .  the values, nothing between them, at most FBV_VALUE_MAX each;
 *           the last value ends where the payload does
 * A reader decrypts the segments holding the slot records, the names and
 * the index, and checks their structure (lengths, ends); then the segments
 * of an entry's record and value when that entry is used, and checks its
 * name and record then. A pass over every entry (list, status) decrypts
 * every record and checks every name, the names' order and every record
 * first; an edit or a save decrypts and checks every segment first. So a
 * get at 10,000 entries checks the one name it reads; a name or record
 * that does not parse is refused (65) wherever it is used, and a directory
 * out of order by every command that reads it all.
 */
#ifndef FBV_FORMAT_H
#define FBV_FORMAT_H

#define FBV_MAGIC "FBVAULT"          /* 7 characters and the NUL: 8 bytes */
#define FBV_MAGIC_BYTES 8
#define FBV_VERSION 1
#define FBV_VERSION2 2
#define FBV_VERSION3 3
#define FBV3_SEGMENT_BYTES 16384
#define FBV3_PREFIX_NONCE_BYTES 16
#define FBV3_TRAILER_BYTES (32 + FBV3_PREFIX_NONCE_BYTES + 4)  /* MAC, prefix, L */
#define FBV_GEN_OFF 28
#define FBV2_PREFIX_BYTES 36         /* magic, version, flags, id, generation */
#define FBV_ID_BYTES 16
#define FBV_PREFIX_BYTES 28          /* magic, version, flags, id */
#define FBV_SLOTS_MAX 16

#define FBV_SLOT_PASSPHRASE 1
#define FBV_SLOT_KEYRING 2
#define FBV_KDF_ARGON2ID13 1
#define FBV_WRAPPED_BYTES 48
#define FBV_PASS_SLOT_BYTES 105
#define FBV_PASS_KDF_OFF 0           /* passphrase slot body offsets */
#define FBV_PASS_SALT_OFF 1
#define FBV_PASS_OPS_OFF 17
#define FBV_PASS_MEM_OFF 25
#define FBV_PASS_SLOT_AD 33          /* body bytes before the nonce */
#define FBV_KEYRING_SLOT_BYTES 72

#define FBV_SLOT_TIMED 3             /* version 2 */
#define FBV_SLOT_RECIPIENT 4
#define FBV2_PASS_SEALED_OFF 57      /* v2 passphrase slot: sealed secret key */
#define FBV2_PASS_STANZA_OFF 105
#define FBV2_PASS_SLOT_BYTES 185
#define FBV2_KEYRING_STANZA_OFF 72
#define FBV2_KEYRING_SLOT_BYTES 152
#define FBV2_TIMED_STANZA_OFF 8
#define FBV2_TIMED_SLOT_BYTES 88
#define FBV2_RECIPIENT_SLOT_BYTES 80
#define FBV2_STANZA_CTX "fbvault v2 slot"
#define FBV2_STANZA_CTX_BYTES (15 + FBV_ID_BYTES + 8 + 1 + 1)

#define FBV_NAME_MAX 128
#define FBV_VALUE_MAX (16U * 1024 * 1024)
#define FBV_PAYLOAD_MAX (256U * 1024 * 1024)
#define FBV_FILE_MAX (FBV_PAYLOAD_MAX + 64 * 1024)

enum meta_tag {
	META_KIND = 1,                  /* string: secret, app-id, app-secret, user-token,
					 * system-user-token, page-token */
	META_EXPIRES_AT = 2,            /* int: 0 never; absent unknown */
	META_DATA_ACCESS_EXPIRES_AT = 3,/* int */
	META_CHECKED_AT = 4,            /* int: when /debug_token last answered */
	META_APP_ID = 5,                /* string */
	META_PAGE_ID = 6,               /* string */
	META_PAGE_NAME = 7,             /* string, as Graph sent it */
	META_SCOPES = 8,                /* string, comma-separated */
	META_TOKEN_TYPE = 9,            /* string: USER, PAGE, APP */
	META_USER_ID = 10,              /* string */
	META_IG_ID = 11,                /* string: the page's instagram_business_account id */
	META_IG_USERNAME = 12,          /* string, as Graph sent it */
	META_TASKS = 13,                /* string: the user's tasks on the page, comma-separated */
};

#endif
