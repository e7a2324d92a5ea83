/*
 * Recipient keys for vault format 2: the X25519 key pairs behind its key
 * slots, the stanza that holds a data key for one of them, the strings that
 * print the keys, and the identity file that holds a secret key. Every
 * layout is here, byte by byte, with the reason for each choice. The vault
 * layer decides where stanzas sit in the file (vault/format.h).
 *
 * == X25519 key pairs ==========================================================
 *
 *   secret key  32 random bytes, stored as drawn (X25519 clamps them itself,
 *               RFC 7748 section 5; age stores its identities the same way)
 *   public key  32 bytes, X25519(secret, 9)
 *
 * Every slot kind has one: passphrase slots keep the secret encrypted under
 * Argon2id(passphrase), keyring slots in the Secret Service, timed-unlock
 * slots in the kernel keyring, recipient slots in a person's or CI runner's
 * identity file. The writer of a vault only needs the public keys.
 *
 * == Stanza body: FBV_STANZA_BYTES = 80 ========================================
 *
 * One per slot, drawn afresh on every save: the data key sealed to the
 * slot's public key R.
 *
 *  offset  size  field
 *  ------  ----  -------------------------------------------------------------
 *       0    32  E, ephemeral public key: E = X25519(e, 9), e = 32 fresh random
 *                bytes for this stanza of this save, wiped after use
 *      32    32  the data key, encrypted
 *      64    16  Poly1305 tag
 *      80        end; any other length is refused before any computation
 *
 *   shared   = X25519(e, R) = X25519(r, E); all-zero is refused
 *   wrap key = HKDF-SHA-256(ikm = shared, salt = E || R,
 *                           info = "fbvault v2 x25519")       (17 bytes, no NUL)
 *   [32, 80) = ChaCha20-Poly1305-IETF(key = wrap key, nonce = 12 zero bytes,
 *                                     ad = context, plaintext = data key)
 *
 * context is bytes the vault layer gives: whatever a stanza must not be moved
 * across. Suggested: "fbvault v2 slot" || vault id (16) || slot index (1) ||
 * slot type (1); both sides must build it identically.
 *
 * Why:
 *  - age's X25519 stanza (age-encryption.org/v1), with its reviewed choices,
 *    changed only where fbvault differs: the info label, a 32-byte data key,
 *    and associated data.
 *  - Nothing names the recipient: no key id, hash or tag, only E, which is
 *    fresh and independent of R. A reader tries its key on every stanza (as
 *    age does); the file does not show which public key a slot is for, and
 *    two saves share no stanza bytes.
 *  - HKDF-SHA-256, not keyed BLAKE2b: the X25519 output is a group element,
 *    not a uniform key, and HKDF's extract step is the standard way to make it
 *    one; it is also age's, so the age vectors check our HKDF (tests). It is
 *    built on crypto_auth_hmacsha256 (crypto/hkdf.c) because libsodium 1.0.18,
 *    our floor, has no crypto_kdf_hkdf_sha256 (1.0.19 does).
 *  - E in the salt: X25519 ignores E's top bit and accepts non-canonical
 *    encodings, so several E give one shared secret; hashing E's bytes gives
 *    each its own key, and a flipped bit anywhere fails the tag.
 *    R in the salt: the key is bound to the recipient it was made for.
 *  - Label "fbvault v2 x25519", not age's "age-encryption.org/v1/X25519":
 *    fbvault accepts age keys, so one key pair may serve both tools; a stanza
 *    of one must never open as the other's. The lengths differ too (age's
 *    file key is 16 bytes).
 *  - Zero nonce: the wrap key is used once (E is fresh per stanza per save,
 *    so salt and shared secret never repeat), as in age. IETF ChaCha20-
 *    Poly1305 rather than XChaCha: no random nonce to carry.
 *  - All-zero shared secret refused: it arises exactly when E (reading) or R
 *    (writing) is a low-order point, whatever the other key, and it would
 *    make the wrap key public. Writing to such an R fails with FBV_ERR_INVALID.
 *  - Errors a reader sees: wrong length or low-order E: FBV_ERR_CORRUPT (the
 *    stanza is malformed for every reader, so saying so reveals nothing
 *    about keys); tag fails: FBV_ERR_WRONG_PASS ("not for me"; a tampered
 *    stanza and someone else's look the same by design, and the vault's
 *    header MAC, once any slot opens, catches tampering).
 *
 * == Key strings ===============================================================
 *
 * Bech32 (BIP 173, the original checksum constant 1, not Bech32m), of the
 * 32 key bytes as 52 five-bit groups (4 zero padding bits) and 6 checksum
 * characters:
 *
 *   public  "fbv1" + 58 characters = 62, printed lower case     HRP "fbv"
 *   secret  "FBV-SECRET-KEY-1" + 58 = 74, printed upper case  HRP "fbv-secret-key-"
 *
 * Also read, since they carry the same 32 bytes for the same key pair:
 *   age recipient  "age1" + 58 = 62                          HRP "age"
 *   age identity   "AGE-SECRET-KEY-1" + 58 = 74               HRP "age-secret-key-"
 * (age1pq..., age1tag..., age1yubikey..., AGE-PLUGIN-... are other key kinds:
 * refused as FBV_ERR_KEY_PREFIX.)
 *
 * Decoding is strict, and its checks run in this order:
 *   1. the HRP, everything before the last '1', compared without regard to
 *      case; no '1' at all: FBV_ERR_KEY_FORMAT; another HRP: FBV_ERR_KEY_PREFIX
 *   2. at most 90 characters (BIP 173's limit, kept: every string above is
 *      at most 74; age lifts the limit only for its post-quantum and plugin
 *      recipients, which are not X25519 keys): FBV_ERR_KEY_LENGTH
 *   3. characters 33..126, data characters from the Bech32 alphabet, one case
 *      throughout (all upper or all lower, as BIP 173 requires a decoder to
 *      accept), at least 6 data characters: FBV_ERR_KEY_FORMAT
 *   4. the checksum, over the lower-case form: FBV_ERR_KEY_CHECKSUM
 *   5. exactly 52 data groups: FBV_ERR_KEY_LENGTH
 *   6. the 4 padding bits zero, so every key has one string per case:
 *      FBV_ERR_KEY_FORMAT
 * No whitespace is trimmed. A low-order public key decodes (it is a valid
 * string); writing a stanza to it fails.
 * Why Bech32: age's choice, so age keys are read as they are; the checksum
 * catches typing errors (any 4 wrong characters), the alphabet has no
 * look-alike characters, and a double-click selects the whole string.
 * Key characters are decoded and encoded without branches or table lookups
 * on them: how long decoding a valid secret string takes does not depend on
 * the key (only invalid strings leave early).
 *
 * == Identity file ===============================================================
 *
 * Text, at most FBV_IDENTITY_FILE_MAX = 64 KiB, lines ending in LF or CRLF
 * (the last line may lack it):
 *   - a line starting with '#' is a comment, ignored whatever it holds
 *   - an empty line is ignored
 *   - every other line is one secret key string (above), nothing around it
 * and exactly one key line. age-keygen's output is such a file.
 *   zero key lines: FBV_ERR_NO_KEY; a second valid key: FBV_ERR_MANY_KEYS;
 *   a line that is not a secret key string: that string's error (above), with
 *   its line number; over 64 KiB: FBV_ERR_TOO_LARGE.
 * One key, not several as age takes: a recipient slot is one key pair, so
 * the identity that opens it, and the public key printed from a file, are
 * never ambiguous; a file with two keys is most often two files pasted
 * together. Split such a file to use it. Permissions are the vault layer's.
 * fbvault writes:
 *   # fbvault identity: keep this file secret
 *   # public key: fbv1...
 *   FBV-SECRET-KEY-1...
 */
#ifndef FBV_KEYFORMAT_H
#define FBV_KEYFORMAT_H

#define FBV_X25519_BYTES 32
#define FBV_STANZA_BYTES 80
#define FBV_STANZA_EPK 0             /* offsets in a stanza body */
#define FBV_STANZA_SEALED 32
#define FBV_STANZA_LABEL "fbvault v2 x25519"

#define FBV_HRP_PUBLIC "fbv"
#define FBV_HRP_SECRET "fbv-secret-key-"
#define FBV_HRP_AGE_PUBLIC "age"
#define FBV_HRP_AGE_SECRET "age-secret-key-"
#define FBV_PUBLIC_STR_LEN 62        /* characters, without the NUL */
#define FBV_SECRET_STR_LEN 74
#define FBV_KEY_GROUPS 52            /* five-bit groups of a 32-byte key */

#define FBV_IDENTITY_FILE_MAX (64U * 1024)

#endif
