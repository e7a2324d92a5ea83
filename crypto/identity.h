/* Identity files: text holding one X25519 secret key string, with '#'
 * comments (layout and limits: crypto/keyformat.h). Takes and gives bytes;
 * reading the file and checking its permissions are the vault layer's. */
#ifndef FBV_IDENTITY_H
#define FBV_IDENTITY_H

#include <stddef.h>

#include "keystr.h"
#include "recipient.h"
#include "secmem.h"

/* *out gets the key pair of the file's one key. On failure *line is the
 * 1-based line at fault, or 0 when no line is (FBV_ERR_NO_KEY,
 * FBV_ERR_TOO_LARGE). Errors: a key string's (keystr.h), FBV_ERR_NO_KEY,
 * FBV_ERR_MANY_KEYS (at the second key), FBV_ERR_TOO_LARGE. */
int identity_parse(struct x25519_keypair **out, size_t *line,
    const unsigned char *buf, size_t len);

/* Appends a file that identity_parse() reads back to kp, with the public
 * key in a comment; f picks fbvault's or age's strings. out should be
 * empty; it is reset on failure. */
int identity_format(struct sbuf *out, const struct x25519_keypair *kp,
    enum key_flavor f);

#endif
