/* Vault format 3 (vault/format.h): the segmented payload. vault.c and
 * format2.c call these for version 3; nothing else does. */
#ifndef FBV_FORMAT3_H
#define FBV_FORMAT3_H

#include <stddef.h>

#include "vault.h"
#include "wire.h"

/* After the header (r at its MAC): the MAC, prefix and length, checked
 * against the file's length; v->cbuf holds the file's first bytes. */
int v3_parse_payload(struct vault *v, struct reader *r);
/* The header MAC under key, then the slot records and the directory
 * decrypted (the values are, as they are used). */
int v3_open_payload(struct vault *v, const unsigned char key[FBV_KEY_BYTES]);
/* Plaintext bytes [off, off + len) decrypted. */
int v3_ensure(struct vault *v, size_t off, size_t len);
/* entries.h's need(): v3_ensure(), or the fault handler. */
void v3_need(void *ctx, const unsigned char *p, size_t len);
/* Appends the MAC, prefix and length to file (the header so far) and
 * seals plain where it is, in segments: plain must have room for
 * v3_sealed_len() bytes, and holds them after. */
size_t v3_sealed_len(size_t plain_len);
int v3_seal(struct sbuf *file, struct sbuf *plain, const unsigned char key[FBV_KEY_BYTES]);
/* What was written becomes v's (file: header, MAC, prefix, length). */
int v3_adopt(struct vault *v, const struct sbuf *file, size_t hdr_len, const unsigned char *c,
    size_t clen);
void v3_wipe(struct vault *v);
void v3_free(struct vault *v);

#endif
