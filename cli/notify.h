/* A desktop notification for check --notify: notify-send, else gdbus
 * calling org.freedesktop.Notifications, on the session bus. Silent when
 * there is no bus, no such program or no notification service: a timer
 * runs check where nobody may be looking. */
#ifndef FBV_NOTIFY_H
#define FBV_NOTIFY_H

#include <stdbool.h>

/* summary and body go into argv: names and words only, never a value.
 * Waits at most NOTIFY_WAIT_MS for the program. Whether one took it. */
bool notify_desktop(const char *summary, const char *body, bool urgent);

#endif
