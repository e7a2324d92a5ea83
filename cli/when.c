#include <stdbool.h>
#include <string.h>

#include "../crypto/errors.h"
#include "duration.h"
#include "when.h"

#define WHEN_MAX 253402300799LL         /* 9999-12-31T23:59:59Z */

/* n digits at *s into *v; moves *s past them. */
static bool
digits_n(const char **s, int n, int *v)
{
	int k;

	for (*v = 0, k = 0; k < n; k++, (*s)++) {
		if (**s < '0' || **s > '9')
			return false;
		*v = *v * 10 + (**s - '0');
	}
	return true;
}

static bool
sep(const char **s, char c)
{
	if (**s != c)
		return false;
	(*s)++;
	return true;
}

/* Days from 1970-01-01 to y-m-d (Howard Hinnant's days_from_civil). */
static int64_t
days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
month_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

/* "Z", or +HH:MM / -HH:MM (also without the colon): seconds east of UTC. */
static bool
zone(const char *s, int *offset)
{
	int h, m, sign;

	if (strcmp(s, "Z") == 0 || strcmp(s, "z") == 0) {
		*offset = 0;
		return true;
	}
	if (*s != '+' && *s != '-')
		return false;
	sign = *s++ == '-' ? -1 : 1;
	if (!digits_n(&s, 2, &h) || (*s == ':' && !sep(&s, ':')) || !digits_n(&s, 2, &m) ||
	    *s != '\0' || h > 23 || m > 59)
		return false;
	*offset = sign * (h * 3600 + m * 60);
	return true;
}

static int
iso8601(const char *s, int64_t *out)
{
	int y, mo, d, h, mi, sec = 0, offset;

	if (!digits_n(&s, 4, &y) || !sep(&s, '-') || !digits_n(&s, 2, &mo) || !sep(&s, '-') ||
	    !digits_n(&s, 2, &d) || (!sep(&s, 'T') && !sep(&s, 't') && !sep(&s, ' ')) ||
	    !digits_n(&s, 2, &h) || !sep(&s, ':') || !digits_n(&s, 2, &mi))
		return FBV_ERR_INVALID;
	if (*s == ':' && (!sep(&s, ':') || !digits_n(&s, 2, &sec)))
		return FBV_ERR_INVALID;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo) || h > 23 ||
	    mi > 59 || sec > 59 || !zone(s, &offset))
		return FBV_ERR_INVALID;
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset;
	return FBV_OK;
}

int
when_parse(const char *s, int64_t now, int64_t *out)
{
	int64_t v = 0;
	size_t n;

	if (s[0] == '+') {
		if (duration_parse(s + 1, &v) != FBV_OK)
			return FBV_ERR_INVALID;
		*out = now + v;
		return FBV_OK;
	}
	if (s[0] == '@') {
		n = strspn(s + 1, "0123456789");
		if (n == 0 || n > 12 || s[1 + n] != '\0')
			return FBV_ERR_INVALID;
		for (s++; *s != '\0'; s++)
			v = v * 10 + (*s - '0');
		*out = v;
		return v <= WHEN_MAX ? FBV_OK : FBV_ERR_INVALID;
	}
	return iso8601(s, out);
}
