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

static inline uint16_t le_get16(const unsigned char *p) { return (uint16_t)le_get(p, 2); }
static inline uint32_t le_get32(const unsigned char *p) { return (uint32_t)le_get(p, 4); }
static inline uint64_t le_get64(const unsigned char *p) { return le_get(p, 8); }
static inline void le_put16(unsigned char *p, uint16_t v) { le_put(p, v, 2); }
static inline void le_put32(unsigned char *p, uint32_t v) { le_put(p, v, 4); }
static inline void le_put64(unsigned char *p, uint64_t v) { le_put(p, v, 8); }

#endif
