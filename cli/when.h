/* Points in time as a cron job writes them for --at: unix seconds
 * (@1767258000), a delay from now (+90m, +2d), or ISO 8601 with its zone
 * (2026-12-24T09:00Z, 2026-12-24T09:00:00+01:00). */
#ifndef FBV_WHEN_H
#define FBV_WHEN_H

#include <stdint.h>

/* FBV_OK with *out in unix seconds, else FBV_ERR_INVALID. */
int when_parse(const char *s, int64_t now, int64_t *out);

#endif
