/* What the fuzz targets share: a check that aborts (so libFuzzer keeps the
 * input), a deterministic random source, and plain malloc behind
 * secret_alloc() so that AddressSanitizer sees every secret buffer. */
#ifndef FBV_FUZZ_H
#define FBV_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* An invariant of the code under test; a failure is a finding. */
#define FUZZ_CHECK(cond) \
	do { \
		if (!(cond)) \
			fuzz_fail(__FILE__, __LINE__, #cond); \
	} while (0)

_Noreturn void fuzz_fail(const char *file, int line, const char *what);

/* Replaces libsodium's random source by a fixed stream (before
 * sodium_init) so that every run of an input does the same; then
 * sodium_init(). fuzz_random_reset() restarts the stream. */
void fuzz_init(void);
void fuzz_random_reset(void);

/* Strict UTF-8 (no overlong forms, surrogates, or code points past
 * U+10FFFF), written here apart from graph/json.c so each checks the other. */
bool fuzz_utf8_valid(const unsigned char *s, size_t n);

/* The fuzzing build (meson -Dfuzz=true) compiles everything with
 * -Dsodium_malloc=fuzz_secret_malloc -Dsodium_free=fuzz_secret_free
 * (fuzz/secret.c): guard pages are invisible to ASan, redzones are not. */
void *fuzz_secret_malloc(size_t size);
void fuzz_secret_free(void *p);

#endif
