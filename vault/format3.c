/* Vault format 3 (vault/format.h): the payload in segments, each decrypted
 * where it goes in plain when something first needs its bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <sodium.h>

#include "../crypto/errors.h"
#include "../crypto/le.h"
#include "format2.h"
#include "format3.h"
#include "store.h"

#define SEG FBV3_SEGMENT_BYTES
#define SEG_CIPHER (SEG + FBV_TAG_BYTES)
#define BATCH_SEGS 4            /* segments read by one pread: 64 KiB, from the heap */

static size_t
seg_count(uint32_t len)
{
	return ((size_t)len + SEG - 1) / SEG;
}

static size_t
seg_plain_len(const struct vault *v, size_t i)
{
	size_t start = i * SEG;

	return v->plain_len - start < SEG ? v->plain_len - start : SEG;
}

static void
seg_nonce(unsigned char nonce[FBV_NONCE_BYTES], const unsigned char *prefix, size_t i)
{
	memcpy(nonce, prefix, FBV3_PREFIX_NONCE_BYTES);
	le_put64(nonce + FBV3_PREFIX_NONCE_BYTES, (uint64_t)i);
}

int
v3_parse_payload(struct vault *v, struct reader *r)
{
	const unsigned char *p;
	uint64_t len;
	size_t clen;

	if ((p = reader_take(r, FBV_MAC_BYTES)) == NULL)
		return FBV_ERR_CORRUPT;
	memcpy(v->mac, p, FBV_MAC_BYTES);
	if ((p = reader_take(r, FBV3_PREFIX_NONCE_BYTES)) == NULL)
		return FBV_ERR_CORRUPT;
	memcpy(v->prefix, p, FBV3_PREFIX_NONCE_BYTES);
	if (reader_uint(r, 4, &len) != 0 || len == 0 || len > FBV_PAYLOAD_MAX)
		return FBV_ERR_CORRUPT;
	v->plain_len = (uint32_t)len;
	v->seg_off = r->off;
	clen = (size_t)len + seg_count(v->plain_len) * FBV_TAG_BYTES;
	if (v->file_len < v->seg_off || v->file_len - v->seg_off != clen)
		return FBV_ERR_CORRUPT;
	v->cipher_len = clen;
	if ((v->ad = malloc(v->seg_off)) == NULL ||
	    (v->seg_open = calloc(seg_count(v->plain_len), 1)) == NULL)
		return FBV_ERR_NOMEM;
	memcpy(v->ad, v->cbuf, v->seg_off);
	if (v->file_len <= v->cbuf_len)
		memcpy(v->tag, v->cbuf + v->file_len - FBV_TAG_BYTES, FBV_TAG_BYTES);
	else if (store_pread(v->fd, v->tag, FBV_TAG_BYTES, v->file_len - FBV_TAG_BYTES) != FBV_OK)
		return FBV_ERR_SYSTEM;
	v->cipher = v->cbuf;    /* not open */
	return FBV_OK;
}

static int
seg_open(struct vault *v, size_t i, const unsigned char *c)
{
	unsigned char nonce[FBV_NONCE_BYTES];
	size_t n = seg_plain_len(v, i);

	seg_nonce(nonce, v->prefix, i);
	if (aead_open(v->plain.data + i * SEG, c, n + FBV_TAG_BYTES, v->ad, v->seg_off, nonce,
	    v->paykey) != FBV_OK)
		return FBV_ERR_CORRUPT;
	v->seg_open[i] = 1;
	v->nsegs_open++;
	return FBV_OK;
}

/* Segments [a, b), none of them open yet: from cbuf where it holds them,
 * else read in batches. */
static int
segs_open(struct vault *v, size_t a, size_t b)
{
	unsigned char *buf = NULL;
	size_t i, k, at, len;
	int r = FBV_OK;

	/* Many pages at once: fault them in with one call rather than one by one
	 * as the decryption writes them (a kernel without it: one by one). */
	if (b - a > 1 && v->plain_mapped)
		(void)madvise(v->plain.data + a * SEG, (b - a - 1) * SEG + seg_plain_len(v, b - 1),
		    MADV_POPULATE_WRITE);
	for (i = a; i < b && r == FBV_OK; i += k) {
		at = v->seg_off + i * SEG_CIPHER;
		if (at + seg_plain_len(v, i) + FBV_TAG_BYTES <= v->cbuf_len) {
			k = 1;
			r = seg_open(v, i, v->cbuf + at);
			continue;
		}
		k = b - i < BATCH_SEGS ? b - i : BATCH_SEGS;
		len = (k - 1) * SEG_CIPHER + seg_plain_len(v, i + k - 1) + FBV_TAG_BYTES;
		if (v->fd < 0)
			r = FBV_ERR_CORRUPT;    /* cbuf held the whole file: cannot be */
		else if (buf == NULL && (buf = malloc(BATCH_SEGS * SEG_CIPHER)) == NULL)
			r = FBV_ERR_NOMEM;
		else
			r = store_pread(v->fd, buf, len, at);
		if (r != FBV_OK)
			break;
		for (size_t j = 0; j < k && r == FBV_OK; j++)
			r = seg_open(v, i + j, buf + j * SEG_CIPHER);
	}
	free(buf);
	if (r == FBV_OK && v->nsegs_open == seg_count(v->plain_len) && v->fd >= 0) {
		close(v->fd);   /* nothing more to read */
		v->fd = -1;
	}
	return r;
}

int
v3_ensure(struct vault *v, size_t off, size_t len)
{
	size_t i, j, last;
	int r;

	if (len == 0)
		return FBV_OK;
	if (off > v->plain_len || len > v->plain_len - off)
		return FBV_ERR_CORRUPT;
	if (v->paykey == NULL)
		return FBV_ERR_INVALID;
	last = (off + len - 1) / SEG;
	for (i = off / SEG; i <= last; i = j) {
		if (v->seg_open[i]) {
			j = i + 1;
			continue;
		}
		for (j = i; j <= last && !v->seg_open[j]; j++)
			;
		if ((r = segs_open(v, i, j)) != FBV_OK)
			return r;
	}
	return FBV_OK;
}

/* The slot records and the directory, walked as they are decrypted. */
static int
open_head(struct vault *v)
{
	const unsigned char *p = v->plain.data;
	size_t off = 1, i, n;
	int r;

	if ((r = v3_ensure(v, 0, 1)) != FBV_OK)
		return r;
	n = p[0];
	for (i = 0; i < n; i++) {
		if ((r = v3_ensure(v, off, 3)) != FBV_OK ||
		    (r = v3_ensure(v, off + 3, le_get16(p + off + 1))) != FBV_OK)
			return r;
		off += 3 + le_get16(p + off + 1);
	}
	/* count, names length; the names, the index, the records' length */
	if ((r = v3_ensure(v, off, 8)) != FBV_OK)
		return r;
	return v3_ensure(v, off + 8, (size_t)le_get32(p + off + 4) +
	    8 * (size_t)le_get32(p + off) + 4);
}

static void
plain_release(struct vault *v)
{
	if (v->plain_mapped)
		secret_unmap(v->plain.data, v->plain.cap);
	else
		secret_free(v->plain.data);
	memset(&v->plain, 0, sizeof(v->plain));
	v->plain_mapped = false;
}

void
v3_wipe(struct vault *v)
{
	plain_release(v);
	sbuf_init(&v->plain, FBV_PAYLOAD_MAX);
	if (v->seg_open != NULL)
		memset(v->seg_open, 0, seg_count(v->plain_len));
	v->nsegs_open = 0;
	secret_free(v->paykey);
	v->paykey = NULL;
	v->cipher = v->cbuf;
}

void
v3_free(struct vault *v)
{
	if (v->version == FBV_VERSION3)
		plain_release(v);
	secret_free(v->paykey);
	free(v->seg_open);
	free(v->ad);
	free(v->cbuf);
	if (v->fd >= 0)
		close(v->fd);
}

int
v3_open_payload(struct vault *v, const unsigned char key[FBV_KEY_BYTES])
{
	unsigned char sub[FBV_KEY_BYTES];
	unsigned char *p;
	int r;

	subkey_derive(sub, SUBKEY_HEADER_MAC_V3, key);
	r = mac_verify(v->mac, v->hdr, v->hdr_len, sub);
	sodium_memzero(sub, sizeof(sub));
	if (r != FBV_OK || vault_payload_is_open(v))
		return r;
	if ((v->paykey = secret_alloc(FBV_KEY_BYTES)) == NULL)
		return FBV_ERR_NOMEM;
	subkey_derive(v->paykey, SUBKEY_PAYLOAD_V3, key);
	/* a payload of more than one segment may be read only in part */
	v->plain_mapped = v->plain_len > SEG;
	p = v->plain_mapped ? secret_map(v->plain_len) : secret_alloc(v->plain_len);
	if (p == NULL) {
		v->plain_mapped = false;
		v3_wipe(v);
		return FBV_ERR_NOMEM;
	}
	sbuf_free(&v->plain);
	v->plain.data = p;
	v->plain.len = v->plain.cap = v->plain.max = v->plain_len;
	v->cipher = NULL;
	if ((r = open_head(v)) != FBV_OK)
		v3_wipe(v);
	return r;
}

static void fault_abort(const char *path, int err);
static void (*fault)(const char *path, int err) = fault_abort;

static void
fault_abort(const char *path, int err)
{
	(void)path;
	(void)err;
	abort();
}

void
vault_on_fault(void (*handler)(const char *path, int err))
{
	fault = handler != NULL ? handler : fault_abort;
}

void
v3_need(void *ctx, const unsigned char *p, size_t len)
{
	struct vault *v = ctx;
	int r = p == NULL ? FBV_ERR_CORRUPT : v3_ensure(v, (size_t)(p - v->plain.data), len);

	if (r != FBV_OK) {
		fault(v->path, r);
		abort();        /* a handler must not return */
	}
}

int
v3_seal_begin(struct v3_sealer *s, struct sbuf *file, size_t plain_len,
    const unsigned char key[FBV_KEY_BYTES])
{
	unsigned char sub[FBV_KEY_BYTES], mac[FBV_MAC_BYTES];
	int r;

	memset(s, 0, sizeof(*s));
	if (plain_len == 0 || plain_len > FBV_PAYLOAD_MAX)
		return FBV_ERR_TOO_LARGE;
	s->plain_len = plain_len;
	s->out_len = plain_len + seg_count((uint32_t)plain_len) * FBV_TAG_BYTES;
	if (file->len + s->out_len > FBV_FILE_MAX)
		return FBV_ERR_TOO_LARGE;
	subkey_derive(sub, SUBKEY_HEADER_MAC_V3, key);
	mac_compute(mac, file->data, file->len, sub);
	sodium_memzero(sub, sizeof(sub));
	random_bytes(s->prefix, sizeof(s->prefix));
	if ((r = sbuf_put(file, mac, sizeof(mac))) != FBV_OK ||
	    (r = sbuf_put(file, s->prefix, sizeof(s->prefix))) != FBV_OK ||
	    (r = sbuf_put_u32(file, (uint32_t)plain_len)) != FBV_OK)
		return r;
	/* the segment being filled and the payload subkey: secret; what is
	 * sealed: ciphertext, ordinary memory */
	if ((s->seg = secret_alloc(SEG + FBV_KEY_BYTES)) == NULL ||
	    (s->out = malloc(s->out_len)) == NULL) {
		secret_free(s->seg);
		s->seg = NULL;
		return FBV_ERR_NOMEM;
	}
	subkey_derive(s->seg + SEG, SUBKEY_PAYLOAD_V3, key);
	s->file = file;
	return FBV_OK;
}

static void
seal_segment(struct v3_sealer *s)
{
	unsigned char nonce[FBV_NONCE_BYTES];

	seg_nonce(nonce, s->prefix, s->index);
	aead_seal(s->out + s->index * SEG_CIPHER, s->seg, s->fill, s->file->data, s->file->len,
	    nonce, s->seg + SEG);
	s->index++;
	s->fill = 0;
}

void
v3_seal_put(void *ctx, const void *p, size_t n)
{
	struct v3_sealer *s = ctx;
	const unsigned char *q = p;
	size_t k;

	if (s->seg == NULL || n > s->plain_len - s->written) {
		s->err = FBV_ERR_INVALID;       /* more than was announced */
		return;
	}
	s->written += n;
	while (n > 0) {
		k = SEG - s->fill < n ? SEG - s->fill : n;
		memcpy(s->seg + s->fill, q, k);
		s->fill += k;
		q += k;
		n -= k;
		if (s->fill == SEG)
			seal_segment(s);
	}
}

int
v3_seal_end(struct v3_sealer *s, unsigned char **out, size_t *outlen)
{
	int r = s->err;

	if (r == FBV_OK && s->written != s->plain_len)
		r = FBV_ERR_INVALID;
	if (r == FBV_OK && s->fill > 0)
		seal_segment(s);
	secret_free(s->seg);            /* wiped: the last plaintext, the subkey */
	s->seg = NULL;
	if (r != FBV_OK) {
		free(s->out);
		s->out = NULL;
		return r;
	}
	*out = s->out;
	*outlen = s->out_len;
	s->out = NULL;
	return FBV_OK;
}

int
v3_adopt(struct vault *v, const struct sbuf *file, size_t hdr_len, const unsigned char *c,
    size_t clen)
{
	unsigned char *ad;

	if ((ad = malloc(file->len)) == NULL)
		return FBV_ERR_NOMEM;
	memcpy(ad, file->data, file->len);
	free(v->ad);
	v->ad = ad;
	v->seg_off = file->len;
	memcpy(v->mac, file->data + hdr_len, FBV_MAC_BYTES);
	memcpy(v->prefix, file->data + hdr_len + FBV_MAC_BYTES, FBV3_PREFIX_NONCE_BYTES);
	v->plain_len = le_get32(file->data + file->len - 4);
	memcpy(v->tag, c + clen - FBV_TAG_BYTES, FBV_TAG_BYTES);
	v->cipher_len = clen;
	v->file_len = file->len + clen;
	/* Nothing more is read: every entry was decoded for the save. */
	free(v->seg_open);
	v->seg_open = NULL;
	free(v->cbuf);
	v->cbuf = NULL;
	v->cbuf_len = 0;
	if (v->fd >= 0)
		close(v->fd);
	v->fd = -1;
	secret_free(v->paykey);
	v->paykey = NULL;
	return FBV_OK;
}
