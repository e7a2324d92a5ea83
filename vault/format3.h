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
/* Sealing a payload of plain_len bytes given in pieces: begin appends the
 * MAC, prefix and length to file (the header so far, the associated data
 * of every segment); each segment is sealed as soon as it is full, from a
 * 16 KiB secret buffer into ordinary memory (ciphertext), so a big payload
 * never needs a second secret copy of itself; end gives the segments
 * (malloc()ed, *outlen bytes) or the first error. end must follow a
 * successful begin. */
struct v3_sealer {
	const struct sbuf *file;
	unsigned char *seg;             /* secret: the segment, then the subkey */
	size_t fill;
	size_t index;
	unsigned char prefix[FBV3_PREFIX_NONCE_BYTES];
	unsigned char *out;
	size_t out_len;
	size_t plain_len;
	size_t written;
	int err;
};
int v3_seal_begin(struct v3_sealer *s, struct sbuf *file, size_t plain_len,
    const unsigned char key[FBV_KEY_BYTES]);
void v3_seal_put(void *ctx, const void *p, size_t n);
int v3_seal_end(struct v3_sealer *s, unsigned char **out, size_t *outlen);
/* What was written becomes v's (file: header, MAC, prefix, length). */
int v3_adopt(struct vault *v, const struct sbuf *file, size_t hdr_len, const unsigned char *c,
    size_t clen);
void v3_wipe(struct vault *v);
void v3_free(struct vault *v);

#endif
