#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <sodium.h>

#include "errors.h"
#include "le.h"
#include "secmem.h"

static size_t unlocked;

/* sodium_malloc() gives every buffer its own guard pages, canary and mlock:
 * about eight system calls and three mappings each, and an exec makes about
 * twenty small secrets (keys, a token, its proof). Small secrets therefore
 * share one region that sodium_malloc() made (guard pages at both ends,
 * locked, out of core dumps), carved in order; each chunk is followed by a
 * random canary, checked when the chunk is freed (a mismatch aborts, as
 * libsodium's own canary does), and wiped. The region's space comes back
 * when every chunk in it is freed. A larger secret, or one that does not
 * fit, gets sodium_malloc() of its own. Sanitizer and fuzzing builds give
 * every secret its own allocation, so that an overflow is caught by ASan at
 * the first byte rather than by the canary at free. */
#if defined(sodium_malloc) || defined(__SANITIZE_ADDRESS__)
#define ARENA 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA 0
#endif
#endif
#ifndef ARENA
#define ARENA 1
#endif

#define ARENA_BYTES (16 * 1024)
#define CHUNK_MAX 1024          /* larger secrets get their own allocation */
#define ALIGN 16
#define CANARY_BYTES 16

/* Before each chunk: its rounded size. */
struct chunk {
	size_t size;
	size_t pad;
};

static struct {
	unsigned char *base;    /* NULL: not made yet (or could not be) */
	size_t used;
	size_t live;            /* chunks not yet freed */
	unsigned char canary[CANARY_BYTES];
} arena;

static size_t
round_up(size_t n)
{
	return (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

/* sodium_malloc() locks the pages but does not say whether the kernel let
 * it: ask to lock them again and count what could not be locked. With
 * MLOCK_ONFAULT the kernel makes the same limit check (pages already locked
 * in the range are not counted twice) but does not walk the pages to fault
 * them in, which mlock() does even when they are locked and present (about
 * 0.12 ms for 2.4 MB here, against 5 us). A kernel or a valgrind without
 * mlock2() gets mlock(). A fuzzing build maps sodium_malloc to plain
 * malloc, whose pages are never unlocked: it counts nothing. */
#ifndef sodium_malloc
static bool
lock_again(void *p, size_t len)
{
	if (mlock2(p, len, MLOCK_ONFAULT) == 0)
		return true;
	return (errno == ENOSYS || errno == EINVAL) && mlock(p, len) == 0;
}
#endif

static void *
guarded_alloc(size_t len)
{
	void *p = sodium_malloc(len);

#ifndef sodium_malloc
	if (p != NULL && !lock_again(p, len))
		unlocked += len;
#endif
	return p;
}

static void *
arena_alloc(size_t len)
{
	size_t size = round_up(len), need = sizeof(struct chunk) + size + CANARY_BYTES;
	struct chunk *c;
	unsigned char *p;

	if (!ARENA || len > CHUNK_MAX)
		return NULL;
	if (arena.base == NULL) {
		if ((arena.base = guarded_alloc(ARENA_BYTES)) == NULL)
			return NULL;
		randombytes_buf(arena.canary, sizeof(arena.canary));
	}
	if (need > ARENA_BYTES - arena.used)
		return NULL;
	c = (struct chunk *)(void *)(arena.base + arena.used);
	c->size = size;
	p = (unsigned char *)(c + 1);
	memcpy(p + size, arena.canary, CANARY_BYTES);
	arena.used += need;
	arena.live++;
	return p;
}

static bool
in_arena(const unsigned char *p)
{
	return arena.base != NULL && p >= arena.base && p < arena.base + ARENA_BYTES;
}

static void
arena_free(unsigned char *p)
{
	struct chunk *c = (struct chunk *)(void *)p - 1;

	if (c->size > CHUNK_MAX || sodium_memcmp(p + c->size, arena.canary, CANARY_BYTES) != 0)
		abort(); /* written past its end */
	sodium_memzero(c, sizeof(*c) + c->size + CANARY_BYTES);
	if (--arena.live == 0)
		arena.used = 0;
}

void *
secret_alloc(size_t len)
{
	void *p;

	if (len == 0)
		len = 1;
	if ((p = arena_alloc(len)) != NULL)
		return p;
	return guarded_alloc(len);
}

size_t
secret_unlocked_bytes(void)
{
	return unlocked;
}

void
secret_free(void *p)
{
	if (p == NULL)
		return;
	if (in_arena(p))
		arena_free(p);
	else
		sodium_free(p); /* zeroes before unmapping */
}

/* A mapping could not be locked: its pages may be in swap, where mincore()
 * does not see them. */
static bool map_unlocked;

static size_t
page_round(size_t n, size_t page)
{
	return (n + page - 1) & ~(page - 1);
}

void *
secret_map(size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), size;
	unsigned char *base;

	if (len == 0 || len > SIZE_MAX - 3 * page)
		return NULL;
	if (!ARENA)
		return secret_alloc(len);
	size = page_round(len, page);
	base = mmap(NULL, size + 2 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
	    -1, 0);
	if (base == MAP_FAILED)
		return NULL;
	if (mprotect(base + page, size, PROT_READ | PROT_WRITE) != 0) {
		munmap(base, size + 2 * page);
		return NULL;
	}
	(void)madvise(base + page, size, MADV_DONTDUMP);
	/* A kernel without MLOCK_ONFAULT (before 4.4) locks it all now. */
	if (mlock2(base + page, size, MLOCK_ONFAULT) != 0 &&
	    ((errno != ENOSYS && errno != EINVAL) || mlock(base + page, size) != 0)) {
		unlocked += len;
		map_unlocked = true;
	}
	return base + page;
}

void
secret_unmap(void *p, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), size, i, n;
	unsigned char *q = p, *vec = NULL;

	if (p == NULL)
		return;
	if (!ARENA) {
		secret_free(p);
		return;
	}
	size = page_round(len, page);
	n = size / page;
	/* Only touched pages hold anything; when the kernel cannot say which
	 * (or locking failed and some may be in swap), every page is wiped. */
	if (!map_unlocked && (vec = malloc(n)) != NULL && mincore(q, size, vec) == 0) {
		for (i = 0; i < n; i++)
			if (vec[i] & 1)
				sodium_memzero(q + i * page, page);
	} else {
		sodium_memzero(q, size);
	}
	free(vec);
	munmap(q - page, size + 2 * page);
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
