#include <string.h>
#include <sys/mman.h>

#include <sodium.h>

#include "errors.h"
#include "le.h"
#include "secmem.h"

static size_t unlocked;

/* sodium_malloc() locks the pages but does not say whether the kernel let
 * it: lock them again (no extra cost: they are the same pages) and count
 * what could not be locked. A fuzzing build maps sodium_malloc to plain
 * malloc, whose pages are never unlocked: it counts nothing. */
void *
secret_alloc(size_t len)
{
	void *p = sodium_malloc(len == 0 ? 1 : len);

#ifndef sodium_malloc
	if (p != NULL && mlock(p, len == 0 ? 1 : len) != 0)
		unlocked += len;
#endif
	return p;
}

size_t
secret_unlocked_bytes(void)
{
	return unlocked;
}

void
secret_free(void *p)
{
	if (p != NULL)
		sodium_free(p); /* zeroes before unmapping */
}

void
sbuf_init(struct sbuf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

int
sbuf_reserve(struct sbuf *b, size_t extra)
{
	size_t need, cap;
	unsigned char *p;

	if (extra > b->max || b->len > b->max - extra)
		return FBV_ERR_TOO_LARGE;
	need = b->len + extra;
	if (need <= b->cap)
		return FBV_OK;
	/* An empty buffer gets what it asks for: a caller that knows the size
	 * (a payload to decrypt, a file to write) then touches no spare pages,
	 * and there is no copy. Past that, doubling. */
	cap = b->cap < 256 ? 256 : b->cap;
	if (b->cap == 0 && need > cap)
		cap = need;
	while (cap < need)
		cap = cap > b->max / 2 ? b->max : cap * 2;
	if ((p = secret_alloc(cap)) == NULL)
		return FBV_ERR_NOMEM;
	if (b->len > 0)
		memcpy(p, b->data, b->len);
	secret_free(b->data);
	b->data = p;
	b->cap = cap;
	return FBV_OK;
}

int
sbuf_put(struct sbuf *b, const void *p, size_t n)
{
	int r;

	if ((r = sbuf_reserve(b, n)) != FBV_OK)
		return r;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	return FBV_OK;
}

int
sbuf_put_u8(struct sbuf *b, uint8_t v)
{
	return sbuf_put(b, &v, 1);
}

/* Appends v as n little-endian bytes. */
static int
sbuf_put_le(struct sbuf *b, uint64_t v, size_t n)
{
	unsigned char le[8];

	le_put(le, v, n);
	return sbuf_put(b, le, n);
}

int
sbuf_put_u16(struct sbuf *b, uint16_t v)
{
	return sbuf_put_le(b, v, 2);
}

int
sbuf_put_u32(struct sbuf *b, uint32_t v)
{
	return sbuf_put_le(b, v, 4);
}

int
sbuf_put_u64(struct sbuf *b, uint64_t v)
{
	return sbuf_put_le(b, v, 8);
}

void
sbuf_adopt(struct sbuf *b, unsigned char *p, size_t cap)
{
	secret_free(b->data);
	b->data = p;
	b->len = 0;
	b->cap = cap;
}

void
sbuf_reset(struct sbuf *b)
{
	if (b->data != NULL)
		sodium_memzero(b->data, b->len);
	b->len = 0;
}

void
sbuf_free(struct sbuf *b)
{
	secret_free(b->data);
	sbuf_init(b, b->max);
}
