/*
 * The recipients file: the committed, readable list of a vault's members,
 * beside the vault as VAULT.recipients. It is a view for people (a pull
 * request shows who was added or removed), not a key source: membership is
 * the vault's recipient slots, inside the encrypted payload. Every command
 * that reads both compares them; a line without a slot opens nothing.
 *
 * Text, at most FBV_RECIPIENTS_FILE_MAX = 64 KiB, lines ending in LF or
 * CRLF (the last may lack it):
 *   - a line starting with '#' is a comment; an empty line is ignored
 *   - every other line is one member:   KEY [SP LABEL]
 *       KEY    a public key string, "fbv1..." or "age1..." (crypto/keyformat.h:
 *              Bech32, checksum, 62 characters), nothing around it
 *       LABEL  after exactly one space: 1..64 of A-Z a-z 0-9 . _ - @ +
 *              (a name, a login or an address; no spaces, nothing a
 *              terminal or a shell would read as more than text)
 *   - at most FBV_SLOTS_MAX (16) members, the most slots a vault has
 *   - a key twice, or a label twice: FBV_ERR_DUP_RECIPIENT
 * Errors carry the line: a key string's (FBV_ERR_KEY_*), FBV_ERR_BAD_LABEL,
 * FBV_ERR_DUP_RECIPIENT, FBV_ERR_TOO_LARGE (the 17th member, or the size).
 * fbvault writes a two-line comment, then one line per member in the order
 * given, each key in the flavor it was given in (fbv1 or age1).
 * Why labels are here and not in the vault: the vault file stays anonymous
 * (format.h: no key, label or key id outside the payload), and a label is
 * for people. It is not authenticated: `recipients rm LABEL` resolves it
 * only to a key that has a slot, and prints the key it removes.
 */
#ifndef FBV_RECIPIENTS_H
#define FBV_RECIPIENTS_H

#include <stdbool.h>
#include <stddef.h>

#include "../crypto/keystr.h"
#include "../crypto/secmem.h"
#include "format.h"

#define FBV_RECIPIENTS_FILE_MAX (64U * 1024)
#define FBV_LABEL_MAX 64
#define FBV_RECIPIENTS_SUFFIX ".recipients"

struct member {
	unsigned char pk[FBV_X25519_BYTES];
	enum key_flavor flavor;
	char label[FBV_LABEL_MAX + 1];  /* "" when none */
};

struct members {
	struct member v[FBV_SLOTS_MAX];
	size_t n;
};

int label_check(const char *s, size_t n);
/* The member whose key is pk, or NULL. */
struct member *members_find(const struct members *m, const unsigned char pk[FBV_X25519_BYTES]);
/* Adds (FBV_ERR_DUP_RECIPIENT when its key or label is there already,
 * FBV_ERR_TOO_LARGE past 16) or removes one. */
int members_add(struct members *m, const unsigned char pk[FBV_X25519_BYTES],
    enum key_flavor f, const char *label);
void members_remove(struct members *m, const unsigned char pk[FBV_X25519_BYTES]);

/* *line: the 1-based line at fault, 0 when none is. */
int recipients_parse(struct members *out, size_t *line, const unsigned char *buf, size_t len);
int recipients_format(struct sbuf *out, const struct members *m);

struct vault;

/* The vault's recipient slots (an open vault), in slot order, with the
 * flavor and label file gives each; and how the two differ: slots with no
 * line (unlisted), lines with no slot (stray). Returns whether they agree. */
void members_of_vault(const struct vault *v, const struct members *file, struct members *out);
bool members_compare(const struct vault *v, const struct members *file,
    struct members *unlisted, struct members *stray);

/* VAULT.recipients, malloc()ed. */
char *recipients_path(const char *vault_path);
/* FBV_ERR_NO_VAULT when there is no file; refuses a symbolic link, and a
 * file that is another user's or that group or others can write. */
int recipients_read(const char *path, struct members *out, size_t *line);
int recipients_write(const char *path, const struct members *m);

#endif
