#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "notify.h"

#define NOTIFY_WAIT_MS 5000
#define NOTIFY_POLL_MS 20

extern char **environ;

/* A session bus: DBUS_SESSION_BUS_ADDRESS, or the socket systemd's user
 * manager keeps in $XDG_RUNTIME_DIR/bus (a timer's service may lack the
 * variable), which *addr then names. */
static bool
session_bus(char *addr, size_t len)
{
	const char *run = getenv("XDG_RUNTIME_DIR"), *a = getenv("DBUS_SESSION_BUS_ADDRESS");
	struct stat st;
	char path[512];

	addr[0] = '\0';
	if (a != NULL && *a != '\0')
		return true;
	if (run == NULL || *run != '/' || (size_t)snprintf(path, sizeof(path), "%s/bus", run) >=
	    sizeof(path) || stat(path, &st) != 0 || !S_ISSOCK(st.st_mode))
		return false;
	return (size_t)snprintf(addr, len, "unix:path=%s", path) < len;
}

/* Runs argv with no output, at most NOTIFY_WAIT_MS; whether it exited 0. */
static bool
run_quietly(char *const argv[])
{
	static const struct timespec tick = { 0, NOTIFY_POLL_MS * 1000000L };
	posix_spawn_file_actions_t fa;
	int status, waited, r;
	pid_t pid;

	if (posix_spawn_file_actions_init(&fa) != 0)
		return false;
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	r = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (r != 0)
		return false;
	for (waited = 0; waited < NOTIFY_WAIT_MS; waited += NOTIFY_POLL_MS) {
		if ((r = waitpid(pid, &status, WNOHANG)) == pid)
			return WIFEXITED(status) && WEXITSTATUS(status) == 0;
		if (r < 0 && errno != EINTR)
			return false;
		nanosleep(&tick, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return false;
}

/* An argv built from copies, as execve wants it (char *, not const). */
struct args {
	char buf[4096];
	char *v[24];
	size_t n, used;
};

static void
arg(struct args *a, const char *s)
{
	size_t n = strlen(s) + 1;

	if (a->n + 1 >= sizeof(a->v) / sizeof(a->v[0]) || a->used + n > sizeof(a->buf))
		return;
	memcpy(a->buf + a->used, s, n);
	a->v[a->n++] = a->buf + a->used;
	a->v[a->n] = NULL;
	a->used += n;
}

/* A GVariant string for gdbus: in double quotes, none inside. */
static void
gvariant_arg(struct args *a, const char *s)
{
	char q[1024];
	size_t i, o = 0;

	q[o++] = '"';
	for (i = 0; s[i] != '\0' && o < sizeof(q) - 2; i++)
		q[o++] = s[i] == '"' || s[i] == '\\' ? '\'' : s[i];
	q[o++] = '"';
	q[o] = '\0';
	arg(a, q);
}

/* gdbus's arguments after "--": it would take the last, expire_timeout -1,
 * for an option. */
bool
notify_desktop(const char *summary, const char *body, bool urgent)
{
	static const char *const gd[] = { "gdbus", "call", "--session", "--timeout", "4",
		"--dest", "org.freedesktop.Notifications", "--object-path",
		"/org/freedesktop/Notifications", "--method", "org.freedesktop.Notifications.Notify",
		"--", "fbvault", "0", "" };
	struct args a = { .n = 0 };
	char addr[600];
	size_t i;

	if (!session_bus(addr, sizeof(addr)))
		return false;
	if (addr[0] != '\0' && setenv("DBUS_SESSION_BUS_ADDRESS", addr, 1) != 0)
		return false;
	arg(&a, "notify-send");
	arg(&a, "--app-name=fbvault");
	arg(&a, urgent ? "--urgency=critical" : "--urgency=normal");
	arg(&a, summary);
	arg(&a, body);
	if (run_quietly(a.v))
		return true;
	memset(&a, 0, sizeof(a));
	for (i = 0; i < sizeof(gd) / sizeof(gd[0]); i++)
		arg(&a, gd[i]);
	gvariant_arg(&a, summary);
	gvariant_arg(&a, body);
	arg(&a, "[]");
	arg(&a, urgent ? "{'urgency': <byte 2>}" : "{'urgency': <byte 1>}");
	arg(&a, "-1");
	return run_quietly(a.v);
}
