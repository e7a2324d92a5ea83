#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "../crypto/errors.h"
#include "../crypto/secmem.h"
#include "../vault/format.h"
#include "../vault/io.h"
#include "clip.h"
#include "errors.h"
#include "out.h"

extern char **environ;

#define CLIP_SECONDS_MAX 3600

struct clip_tool {
	const char *display;            /* the variable that says it can run */
	const char *const *copy, *const *paste, *const *clear;
};

static const char *const wl_copy[] = { "wl-copy", NULL };
static const char *const wl_paste[] = { "wl-paste", "--no-newline", NULL };
static const char *const wl_clear[] = { "wl-copy", "--clear", NULL };
static const char *const xclip_copy[] = { "xclip", "-selection", "clipboard", "-in", NULL };
static const char *const xclip_paste[] = { "xclip", "-selection", "clipboard", "-out", NULL };
static const struct clip_tool tools[] = {
	{ "WAYLAND_DISPLAY", wl_copy, wl_paste, wl_clear },
	{ "DISPLAY", xclip_copy, xclip_paste, xclip_copy },
};

/* Whether prog is an executable file in a directory of $PATH. */
static bool
on_path(const char *prog)
{
	const char *path = getenv("PATH"), *p, *end;
	char file[4096];

	for (p = path != NULL ? path : ""; *p != '\0'; p = *end ? end + 1 : end) {
		end = p + strcspn(p, ":");
		if (end > p && snprintf(file, sizeof(file), "%.*s/%s", (int)(end - p), p,
		    prog) < (int)sizeof(file) && access(file, X_OK) == 0)
			return true;
	}
	return false;
}

static bool
has_display(const struct clip_tool *t)
{
	const char *d = getenv(t->display);

	return d != NULL && *d != '\0';
}

/* The tool, or NULL after a message. */
static const struct clip_tool *
find_tool(void)
{
	size_t i;
	bool installed = false;

	for (i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
		if (!on_path(tools[i].copy[0]))
			continue;
		installed = true;
		if (has_display(&tools[i]))
			return &tools[i];
	}
	if (installed)
		fail(EXIT_UNAVAILABLE, "no display to copy to: neither WAYLAND_DISPLAY (wl-copy) "
		    "nor DISPLAY (xclip) is set; leave out --clip");
	else
		fail(EXIT_UNAVAILABLE, "no clipboard tool: install wl-clipboard (Wayland) or xclip "
		    "(X11), or leave out --clip");
	return NULL;
}

/* Runs argv with in_fd on its stdin (-1: /dev/null) and out_fd on its
 * stdout (-1: /dev/null); stderr to /dev/null, so that a copy tool that
 * stays to serve the selection holds none of our descriptors. */
static int
spawn(const char *const *argv, int in_fd, int out_fd, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	int r;

	posix_spawn_file_actions_init(&fa);
	if (in_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, in_fd, STDIN_FILENO);
	else
		posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	if (out_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, out_fd, STDOUT_FILENO);
	else
		posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	/* posix_spawnp() does not write to argv; its type is older than const. */
	r = posix_spawnp(pid, argv[0], &fa, NULL, (char *const *)(uintptr_t)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	return r;
}

static int
wait_status(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* argv fed len bytes of p on stdin; its exit status, or -1. */
static int
run_fed(const char *const *argv, const void *p, size_t len)
{
	int fds[2], st;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) != 0)
		return -1;
	if (spawn(argv, fds[0], -1, &pid) != 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	close(fds[0]);
	st = fd_write_all(fds[1], p, len) == 0 ? 0 : -1;
	close(fds[1]);
	return wait_status(pid) == 0 && st == 0 ? 0 : -1;
}

/* Whether the clipboard holds what hashes to digest under key. */
static bool
still_ours(const struct clip_tool *t, const unsigned char *key, const unsigned char *digest)
{
	unsigned char now[crypto_generichash_BYTES];
	struct sbuf got;
	int fds[2];
	pid_t pid;
	bool same = false;

	if (pipe2(fds, O_CLOEXEC) != 0)
		return false;
	sbuf_init(&got, FBV_VALUE_MAX);
	if (spawn(t->paste, -1, fds[1], &pid) == 0) {
		close(fds[1]);
		fds[1] = -1;
		if (fd_read_sbuf(fds[0], &got) == FBV_OK && wait_status(pid) == 0) {
			crypto_generichash(now, sizeof(now), got.data, got.len, key,
			    crypto_generichash_KEYBYTES);
			same = sodium_memcmp(now, digest, sizeof(now)) == 0;
		} else {
			kill(pid, SIGKILL);
			wait_status(pid);
		}
	}
	if (fds[1] >= 0)
		close(fds[1]);
	close(fds[0]);
	sbuf_free(&got);
	return same;
}

static long
clip_seconds(void)
{
	const char *e = getenv("FBVAULT_CLIP_TIME");
	char *end;
	long s;

	if (e == NULL || *e == '\0')
		return CLIP_SECONDS_DEFAULT;
	s = strtol(e, &end, 10);
	return *end == '\0' && s >= 1 && s <= CLIP_SECONDS_MAX ? s : -1;
}

/* The detached child: after seconds, clears the clipboard if it still
 * holds the value, known here only by a keyed hash. One check, then exit. */
static void
clear_later(const struct clip_tool *t, long seconds, const unsigned char *key,
    const unsigned char *digest)
{
	struct timespec ts = { seconds, 0 };
	int fd;

	if (setsid() < 0 && errno != EPERM)
		_exit(1);
	if ((fd = open("/dev/null", O_RDWR | O_CLOEXEC)) >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
	}
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
	if (still_ours(t, key, digest))
		(void)run_fed(t->clear, "", 0);
	_exit(0);
}

int
clip_copy(const unsigned char *value, size_t len, struct clip *out)
{
	const struct clip_tool *t;

	if ((out->seconds = clip_seconds()) < 0)
		return fail(EXIT_USAGE, "FBVAULT_CLIP_TIME wants seconds, 1 to %d",
		    CLIP_SECONDS_MAX);
	if ((t = find_tool()) == NULL)
		return EXIT_UNAVAILABLE;
	if (run_fed(t->copy, value, len) != 0)
		return fail(EXIT_UNAVAILABLE, "%s could not take the value (is the display %s "
		    "reachable?)", t->copy[0], getenv(t->display));
	out->tool = t;
	randombytes_buf(out->key, sizeof(out->key));
	crypto_generichash(out->digest, sizeof(out->digest), value, len, out->key,
	    sizeof(out->key));
	return 0;
}

int
clip_clear_later(struct clip *c, const char *name)
{
	const struct clip_tool *t = c->tool;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) < 0) {
		sodium_memzero(c->key, sizeof(c->key));
		(void)run_fed(t->clear, "", 0);
		return fail(EXIT_INTERNAL, "cannot start the process that clears the clipboard; "
		    "cleared it now");
	}
	if (pid == 0)
		clear_later(t, c->seconds, c->key, c->digest);
	sodium_memzero(c->key, sizeof(c->key));
	msg("copied %s to the clipboard; it is cleared in %ld s", name, c->seconds);
	return 0;
}
