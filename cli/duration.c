#include <stdio.h>
#include <stdlib.h>

#include "../crypto/errors.h"
#include "duration.h"
#include "errors.h"
#include "out.h"

#define DURATION_MAX (10LL * 365 * 86400)

/* "90", "90s", "15m", "12h", "7d", "2w"; a whole number, then one unit. */
int
duration_parse(const char *s, int64_t *seconds)
{
	long long n = 0, unit = 1;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return FBV_ERR_INVALID;
	for (; *p >= '0' && *p <= '9'; p++) {
		n = n * 10 + (*p - '0');
		if (n > DURATION_MAX)
			return FBV_ERR_INVALID;
	}
	switch (*p) {
	case '\0': case 's': unit = 1; break;
	case 'm': unit = 60; break;
	case 'h': unit = 3600; break;
	case 'd': unit = 86400; break;
	case 'w': unit = 7 * 86400; break;
	default: return FBV_ERR_INVALID;
	}
	if (*p != '\0' && p[1] != '\0')
		return FBV_ERR_INVALID;
	if (n > DURATION_MAX / unit)
		return FBV_ERR_INVALID;
	*seconds = n * unit;
	return FBV_OK;
}

void
duration_format(int64_t s, char *buf, size_t len)
{
	if (s < 0)
		s = 0;
	if (s >= 86400)
		snprintf(buf, len, "%lldd %lldh", (long long)(s / 86400), (long long)(s % 86400 / 3600));
	else if (s >= 3600)
		snprintf(buf, len, "%lldh %lldm", (long long)(s / 3600), (long long)(s % 3600 / 60));
	else
		snprintf(buf, len, "%lldm %llds", (long long)(s / 60), (long long)(s % 60));
}

void
duration_short(int64_t s, char *buf, size_t len)
{
	if (s < 0)
		s = -s;
	if (s >= 86400)
		snprintf(buf, len, "%lldd", (long long)(s / 86400));
	else if (s >= 3600)
		snprintf(buf, len, "%lldh", (long long)(s / 3600));
	else if (s >= 60)
		snprintf(buf, len, "%lldm", (long long)(s / 60));
	else
		snprintf(buf, len, "%llds", (long long)s);
}
