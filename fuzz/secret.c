/* sodium_malloc and sodium_free for the fuzzing build (-Dfuzz=true), which
 * compiles everything with -Dsodium_malloc=fuzz_secret_malloc
 * -Dsodium_free=fuzz_secret_free: guard pages are invisible to
 * AddressSanitizer, redzones are not. meson.build links this file into the
 * crypto library of that build only. */
#include <stdlib.h>

#include "fuzz.h"

void *
fuzz_secret_malloc(size_t size)
{
	return malloc(size);
}

void
fuzz_secret_free(void *p)
{
	free(p);
}
