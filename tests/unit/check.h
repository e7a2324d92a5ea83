/* What the unit tests in tests/unit share: CHECK counts an assertion and
 * names a failed one by file and line; check_report() prints the
 * "N passed, M failed" line the test logs end with and gives the exit
 * status. Each test program is one file that includes this once, so the
 * counters are its own. */
#ifndef FBV_TESTS_CHECK_H
#define FBV_TESTS_CHECK_H

#include <stdio.h>

static int check_passed, check_failed;

#define CHECK(cond) do { \
	if (cond) check_passed++; \
	else { check_failed++; fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); } \
} while (0)

/* CHECKF(cond, format, ...): CHECK whose failure is told by a format. */
#define CHECKF(cond, ...) do { \
	if (cond) check_passed++; \
	else { \
		check_failed++; \
		fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
	} \
} while (0)

/* Prints "[NAME: ]N passed, M failed"; returns 0 if nothing failed, else 1. */
static inline int
check_report(const char *name)
{
	if (name != NULL)
		printf("%s: ", name);
	printf("%d passed, %d failed\n", check_passed, check_failed);
	return check_failed == 0 ? 0 : 1;
}

#endif
