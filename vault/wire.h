/* Bounds-checked reading of little-endian fields from a byte string. */
#ifndef FBV_WIRE_H
#define FBV_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "../crypto/le.h"

struct reader {
	const unsigned char *p;
	size_t len;
	size_t off;
};

static inline size_t
reader_left(const struct reader *r)
{
	return r->len - r->off;
}

static inline const unsigned char *
reader_take(struct reader *r, size_t n)
{
	const unsigned char *p;

	if (n > reader_left(r))
		return NULL;
	p = r->p + r->off;
	r->off += n;
	return p;
}

static inline int
reader_uint(struct reader *r, size_t n, uint64_t *v)
{
	const unsigned char *p = reader_take(r, n);

	if (p == NULL)
		return -1;
	*v = le_get(p, n);
	return 0;
}

#endif
