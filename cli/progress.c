#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../vault/io.h"
#include "progress.h"

static void
deadline_ms(struct timespec *ts, long ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* Waits ms for progress_stop(); true when it came. Called locked. */
static bool
wait_done(struct progress *p, long ms)
{
	struct timespec ts;

	deadline_ms(&ts, ms);
	while (!p->done)
		if (pthread_cond_timedwait(&p->done_cond, &p->lock, &ts) == ETIMEDOUT)
			break;
	return p->done;
}

static long
elapsed_ms(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(now.tv_sec - since->tv_sec) * 1000 +
	    (now.tv_nsec - since->tv_nsec) / 1000000L;
}

/* The thread: the line, every 100 ms until progress_stop() (the work
 * ends, so this loop does too). */
static void *
count(void *arg)
{
	struct progress *p = arg;
	char line[160];
	long ms;
	int n;

	pthread_mutex_lock(&p->lock);
	for (ms = PROGRESS_DELAY_MS; !wait_done(p, ms); ms = 100) {
		n = snprintf(line, sizeof(line), "\rfbvault: %s... %.1fs", p->what,
		    (double)elapsed_ms(&p->start) / 1000.0);
		if (n > 0 && (size_t)n < sizeof(line))
			(void)fd_write_all(STDERR_FILENO, line, (size_t)n);
		p->shown = true;
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

void
progress_start(struct progress *p, const char *what)
{
	memset(p, 0, sizeof(*p));
	p->what = what;
	clock_gettime(CLOCK_MONOTONIC, &p->start);
	if (!isatty(STDERR_FILENO))
		return;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->done_cond, NULL);
	p->running = pthread_create(&p->thread, NULL, count, p) == 0;
	if (!p->running) {
		pthread_cond_destroy(&p->done_cond);
		pthread_mutex_destroy(&p->lock);
	}
}

void
progress_stop(struct progress *p)
{
	static const char erase[] = "\r\033[K";

	if (!p->running)
		return;
	pthread_mutex_lock(&p->lock);
	p->done = true;
	pthread_cond_signal(&p->done_cond);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	if (p->shown)
		(void)fd_write_all(STDERR_FILENO, erase, sizeof(erase) - 1);
	pthread_cond_destroy(&p->done_cond);
	pthread_mutex_destroy(&p->lock);
	p->running = false;
}
