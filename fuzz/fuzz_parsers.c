/* The small parsers of user input, each against a reading of its
 * documentation written here.
 *
 * Input: one selector byte, then the text (a C string: the parsers get
 * argv strings, so the text ends at its first NUL). Selector mod 4:
 *   0: duration_parse() ("90", "90s", "15m", "12h", "7d", "2w": a whole
 *      number and at most one unit, at most ten years)
 *   1: name_check() (README: 1 to 128 of A-Z a-z 0-9 . _ - / :, not
 *      starting with / or -, without "..")
 *   2: duration_format() of the next 8 bytes as a signed number of
 *      seconds: status and exec format what a vault or Graph says
 *   3: when_parse() (post --at: +DURATION, @UNIX, or ISO 8601 with its
 *      zone): a relative time is now plus duration_parse()'s seconds; a
 *      UTC time written YYYY-MM-DDTHH:MM:SSZ formats back to itself */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include "../cli/duration.h"
#include "../cli/when.h"
#include "../crypto/errors.h"
#include "../vault/entries.h"
#include "fuzz.h"

#define TEN_YEARS (10LL * 365 * 86400)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	return 0;
}

/* -1 when s is not digits and an optional unit; else the seconds, or
 * -2 when they pass ten years. */
static long long
duration_oracle(const char *s)
{
	static const char units[] = "smhdw";
	static const long long mult[] = { 1, 60, 3600, 86400, 7 * 86400 };
	size_t n = strspn(s, "0123456789"), k;
	const char *u;
	long long v = 0, m = 1;

	if (n == 0)
		return -1;
	if (s[n] != '\0') {
		if (s[n + 1] != '\0' || (u = strchr(units, s[n])) == NULL)
			return -1;
		m = mult[u - units];
	}
	for (k = 0; k < n; k++) {
		if (v > TEN_YEARS)
			return -2;
		v = v * 10 + (s[k] - '0');
	}
	return v > TEN_YEARS / m ? -2 : v * m;
}

static void
check_format(int64_t seconds)
{
	char buf[32];
	long long a = -1, b = -1;
	char u1 = 0, u2 = 0;

	memset(buf, 'X', sizeof(buf));
	duration_format(seconds, buf, sizeof(buf));
	FUZZ_CHECK(memchr(buf, '\0', sizeof(buf)) != NULL && strlen(buf) < sizeof(buf) - 1);
	FUZZ_CHECK(sscanf(buf, "%lld%c %lld%c", &a, &u1, &b, &u2) == 4 && a >= 0 && b >= 0);
	FUZZ_CHECK((u1 == 'd' && u2 == 'h' && b < 24) || (u1 == 'h' && u2 == 'm' && b < 60) ||
	    (u1 == 'm' && u2 == 's' && b < 60));
}

static void
check_duration(const char *s)
{
	long long want = duration_oracle(s);
	int64_t got = -12345;
	int r = duration_parse(s, &got);

	if (want < 0) {
		FUZZ_CHECK(r == FBV_ERR_INVALID);
		return;
	}
	FUZZ_CHECK(r == FBV_OK && got == want && got >= 0 && got <= TEN_YEARS);
	check_format(got);
}

static bool
name_oracle(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > 128 || s[0] == '/' || s[0] == '-')
		return false;
	for (i = 0; i < n; i++) {
		if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-/:",
		    s[i]) == NULL)
			return false;
		if (s[i] == '.' && s[i + 1] == '.')
			return false;
	}
	return true;
}

#define NOW 1767225600LL

static void
check_when(const char *s)
{
	int64_t got = -1, d;
	char back[32];
	struct tm tm;
	time_t t;
	int r = when_parse(s, NOW, &got);

	FUZZ_CHECK(r == FBV_OK || r == FBV_ERR_INVALID);
	if (s[0] == '+') {
		FUZZ_CHECK((r == FBV_OK) == (duration_parse(s + 1, &d) == FBV_OK));
		if (r == FBV_OK)
			FUZZ_CHECK(got == NOW + d);
		return;
	}
	if (r != FBV_OK)
		return;
	FUZZ_CHECK(got >= 0 && got <= 253402300799LL + 86400);
	if (strlen(s) == 20 && s[10] == 'T' && s[19] == 'Z') {
		t = (time_t)got;
		FUZZ_CHECK(gmtime_r(&t, &tm) != NULL &&
		    strftime(back, sizeof(back), "%Y-%m-%dT%H:%M:%SZ", &tm) == 20);
		FUZZ_CHECK(strcmp(back, s) == 0);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t v;
	char *s;
	int r;

	if (size == 0 || (s = malloc(size)) == NULL)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	if (data[0] % 4 == 3) {
		check_when(s);
	} else if (data[0] % 4 == 0) {
		check_duration(s);
	} else if (data[0] % 4 == 1) {
		r = name_check(s);
		FUZZ_CHECK(r == FBV_OK || r == FBV_ERR_BAD_NAME);
		FUZZ_CHECK((r == FBV_OK) == name_oracle(s));
	} else if (size > sizeof(v)) {
		memcpy(&v, data + 1, sizeof(v));
		check_format(v);
	}
	free(s);
	return 0;
}
