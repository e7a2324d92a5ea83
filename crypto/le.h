/* Little-endian integers in byte strings: the one place byte order lives
 * (openssh's PEEK_U and POKE_U macros, in small). Every fixed-width field
 * of every fbvault format goes through these. */
#ifndef FBV_LE_H
#define FBV_LE_H

#include <stddef.h>
#include <stdint.h>

static inline uint64_t
le_get(const unsigned char *p, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static inline void
le_put(unsigned char *p, uint64_t v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* On a little-endian machine the fixed widths are one unaligned load or
 * store (memcpy, which the compiler makes one instruction): a 10,000-entry
 * directory reads 40,000 of them. Elsewhere, the loops above. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#include <string.h>
#define FBV_LE_FIXED(bits) \
	static inline uint##bits##_t le_get##bits(const unsigned char *p) \
	{ uint##bits##_t v; memcpy(&v, p, sizeof(v)); return v; } \
	static inline void le_put##bits(unsigned char *p, uint##bits##_t v) \
	{ memcpy(p, &v, sizeof(v)); }
#else
#define FBV_LE_FIXED(bits) \
	static inline uint##bits##_t le_get##bits(const unsigned char *p) \
	{ return (uint##bits##_t)le_get(p, bits / 8); } \
	static inline void le_put##bits(unsigned char *p, uint##bits##_t v) \
	{ le_put(p, v, bits / 8); }
#endif
FBV_LE_FIXED(16)
FBV_LE_FIXED(32)
FBV_LE_FIXED(64)

#endif
