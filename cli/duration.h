/* Durations as people write them: 90s, 15m, 12h, 7d, 2w. */
#ifndef FBV_DURATION_H
#define FBV_DURATION_H

#include <stddef.h>
#include <stdint.h>

int duration_parse(const char *s, int64_t *seconds);
void duration_format(int64_t seconds, char *buf, size_t len);
/* Its largest unit only, for times past: "3d", "5h", "12m", "40s". */
void duration_short(int64_t seconds, char *buf, size_t len);

#endif
