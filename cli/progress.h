/* A line on stderr that counts the seconds of slow work (the sensitive
 * key derivation), only when stderr is a terminal; nothing otherwise. */
#ifndef FBV_PROGRESS_H
#define FBV_PROGRESS_H

#include <pthread.h>
#include <stdbool.h>
#include <time.h>

struct progress {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t done_cond;
	const char *what;
	struct timespec start;
	bool running, done, shown;
};

/* Starts counting: after PROGRESS_DELAY_MS, "fbvault: WHAT... 2.4s",
 * rewritten in place. */
#define PROGRESS_DELAY_MS 1000
#define KDF_PROGRESS "deriving the key from the passphrase (Argon2id)"
void progress_start(struct progress *p, const char *what);
/* Stops it and erases the line, if it was shown. */
void progress_stop(struct progress *p);

#endif
