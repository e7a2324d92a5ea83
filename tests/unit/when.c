/* cli/when.c: the times --at accepts, and those it refuses. */
#include <stdint.h>
#include <string.h>

#include "../../cli/when.h"
#include "../../crypto/errors.h"
#include "check.h"

#define NOW 1767225600LL                /* 2026-01-01T00:00:00Z */

static int64_t
at(const char *s)
{
	int64_t t = -1;

	return when_parse(s, NOW, &t) == FBV_OK ? t : -1;
}

int
main(void)
{
	static const char *const bad[] = {
		"", "+", "+2x", "+-1h", "@", "@12x", "@9999999999999", "2026-12-24T09:00",
		"2026-12-24", "2026-13-01T00:00Z", "2026-02-29T00:00Z", "2026-12-24T24:00Z",
		"2026-12-24T09:60Z", "2026-12-24T09:00:60Z", "2026-12-24T09:00+24:00",
		"2026-12-24T09:00+01", "2026-12-24T09:00Zjunk", "1969-12-31T23:59Z", "tomorrow",
		"26-12-24T09:00Z", "2026-12-24T9:00Z",
	};
	size_t k;

	CHECK(at("+2h") == NOW + 7200);
	CHECK(at("+3d") == NOW + 3 * 86400);
	CHECK(at("+90m") == NOW + 5400);
	CHECK(at("@1790000000") == 1790000000);
	CHECK(at("2026-01-01T00:00Z") == NOW);
	CHECK(at("2026-12-24T09:00:00Z") == 1798102800);
	CHECK(at("2026-12-24t09:00z") == 1798102800);
	CHECK(at("2026-12-24 09:00Z") == 1798102800);
	CHECK(at("2026-12-24T10:00:00+01:00") == 1798102800);
	CHECK(at("2026-12-24T04:30-0430") == 1798102800);
	CHECK(at("2028-02-29T00:00Z") == 1835395200);
	CHECK(at("2000-03-01T00:00Z") == 951868800);
	for (k = 0; k < sizeof(bad) / sizeof(*bad); k++)
		CHECKF(at(bad[k]) == -1, "'%s' accepted", bad[k]);
	return check_report("when");
}
