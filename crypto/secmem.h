/* Memory for secrets. Everything here lives in sodium_malloc memory: guard
 * pages, mlock()ed (never swapped), excluded from core dumps, and wiped when
 * freed or reset. Small secrets share one such region, each followed by a
 * canary checked at free (secmem.c says why); larger ones have their own. */
#ifndef FBV_SECMEM_H
#define FBV_SECMEM_H

#include <stddef.h>
#include <stdint.h>

void *secret_alloc(size_t len);
void secret_free(void *p);
/* Bytes of secret memory allocated so far that the kernel would not lock
 * (RLIMIT_MEMLOCK): they may reach swap. */
size_t secret_unlocked_bytes(void);

/* A large secret of which only parts may ever be used (a big vault's
 * payload, of which a get decrypts the few segments it reads): between
 * guard pages, out of core dumps, its pages locked as they are first
 * touched (mlock2 MLOCK_ONFAULT) rather than all at once. secret_unmap()
 * wipes the pages that were touched (mincore) and unmaps it. Sanitizer and
 * fuzzing builds use secret_alloc(). */
void *secret_map(size_t len);
void secret_unmap(void *p, size_t len);

/* A growable byte buffer that wipes itself (openssh's sshbuf, in small). */
struct sbuf {
	unsigned char *data;
	size_t len;
	size_t cap;
	size_t max;     /* growing past this fails with FBV_ERR_TOO_LARGE */
};

void sbuf_init(struct sbuf *b, size_t max);
int sbuf_reserve(struct sbuf *b, size_t extra);
int sbuf_put(struct sbuf *b, const void *p, size_t n);
int sbuf_put_u8(struct sbuf *b, uint8_t v);
int sbuf_put_u16(struct sbuf *b, uint16_t v);
int sbuf_put_u32(struct sbuf *b, uint32_t v);
int sbuf_put_u64(struct sbuf *b, uint64_t v);
/* b takes p, secret_alloc()ed with room for cap bytes, as its (empty)
 * buffer; b was empty. */
void sbuf_adopt(struct sbuf *b, unsigned char *p, size_t cap);
void sbuf_reset(struct sbuf *b);
void sbuf_free(struct sbuf *b);

#endif
