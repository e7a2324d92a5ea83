#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "fuzz.h"

void
fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "fuzz: invariant failed at %s:%d: %s\n", file, line, what);
	abort();
}

static uint64_t random_counter;

static const char *
fixed_name(void)
{
	return "fbvault-fuzz";
}

static void
fixed_buf(void *const buf, const size_t size)
{
	unsigned char seed[randombytes_SEEDBYTES] = "fbvault fuzz: not random at all";

	memcpy(seed, &random_counter, sizeof(random_counter));
	random_counter++;
	randombytes_buf_deterministic(buf, size, seed);
}

static uint32_t
fixed_random(void)
{
	uint32_t v;

	fixed_buf(&v, sizeof(v));
	return v;
}

static void
fixed_stir(void)
{
}

static randombytes_implementation fixed_random_impl = {
	.implementation_name = fixed_name,
	.random = fixed_random,
	.stir = fixed_stir,
	.uniform = NULL,
	.buf = fixed_buf,
	.close = NULL,
};

void
fuzz_random_reset(void)
{
	random_counter = 0;
}

void
fuzz_init(void)
{
	if (randombytes_set_implementation(&fixed_random_impl) != 0 || sodium_init() < 0) {
		fputs("fuzz: cannot initialise libsodium\n", stderr);
		abort();
	}
}

bool
fuzz_utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0, k, need;
	uint32_t cp;

	while (i < n) {
		unsigned char c = s[i];

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1;
			cp = c & 0x1fU;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			cp = c & 0x0fU;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			cp = c & 0x07U;
		} else {
			return false;
		}
		if (n - i <= need)
			return false;
		for (k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3fU);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += need + 1;
	}
	return true;
}
