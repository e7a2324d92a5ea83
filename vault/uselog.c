#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../crypto/errors.h"
#include "entries.h"
#include "store.h"
#include "uselog.h"

#define USELOG_LOCK_MS 2000
#define USELOG_OPEN_TRIES 8

int
uselog_path(char **out)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	const char *base = state, *tail = "/fbvault/use.log";
	size_t n;

	if (state == NULL || state[0] != '/') {
		if (home == NULL || home[0] != '/')
			return FBV_ERR_NO_VAULT;
		base = home;
		tail = "/.local/state/fbvault/use.log";
	}
	n = strlen(base) + strlen(tail) + 1;
	if ((*out = malloc(n)) == NULL)
		return FBV_ERR_NOMEM;
	snprintf(*out, n, "%s%s", base, tail);
	return FBV_OK;
}

static bool
command_ok(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '-'))
			return false;
	return n > 0 && n <= USELOG_COMMAND_MAX;
}

static bool
program_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '.' || c == '_' || c == '+' || c == '-';
}

/* The base name of program, each byte outside the set as '_', cut. */
static void
program_clean(const char *program, char out[USELOG_PROGRAM_MAX + 1])
{
	const char *base = program != NULL ? strrchr(program, '/') : NULL;
	size_t i;

	base = base != NULL ? base + 1 : program != NULL ? program : "";
	for (i = 0; base[i] != '\0' && i < USELOG_PROGRAM_MAX; i++)
		out[i] = program_char(base[i]) ? base[i] : '_';
	out[i] = '\0';
}

/* The newest whole lines of buf[0..len) that fit in USELOG_KEEP. */
static size_t
keep_from(const unsigned char *buf, size_t len)
{
	size_t from = len > USELOG_KEEP ? len - USELOG_KEEP : 0;

	while (from > 0 && from < len && buf[from - 1] != '\n')
		from++;
	return from;
}

/* Replaces the log with its newest lines that fit in USELOG_KEEP, then
 * line: one atomic write, under the old file's lock. */
static int
trim_append(const char *path, const char *line, size_t n)
{
	unsigned char *buf = NULL;
	size_t len, from;
	int r;

	if ((r = store_read(path, &buf, &len)) != FBV_OK)
		return r;
	from = keep_from(buf, len);
	r = store_write_parts(path, buf + from, len - from, (const unsigned char *)line, n,
	    STORE_RANDOM_TMP);
	free(buf);
	return r;
}

/* The log opened for appending (made if missing) and flock()ed on its own
 * descriptor; *st is its fstat(). A trim renames a new file over the path
 * while it holds the old one's lock, so a writer that waited on the old
 * one then finds the path naming another file, and opens again. */
static int
open_locked(const char *path, int *out, struct stat *st)
{
	struct stat now;
	int fd, r, tries, saved;

	for (tries = 0; tries < USELOG_OPEN_TRIES; tries++) {
		fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0)
			return errno == ELOOP ? FBV_ERR_SYMLINK : errno == ENOENT ?
			    FBV_ERR_NO_VAULT : FBV_ERR_SYSTEM;
		if ((r = store_flock(fd, USELOG_LOCK_MS)) == FBV_OK && fstat(fd, st) != 0)
			r = FBV_ERR_SYSTEM;
		if (r == FBV_OK && lstat(path, &now) == 0 && now.st_dev == st->st_dev &&
		    now.st_ino == st->st_ino) {
			*out = fd;
			return FBV_OK;
		}
		saved = errno;
		close(fd);
		errno = saved;
		if (r != FBV_OK)
			return r;
	}
	return FBV_ERR_BUSY;
}

static int
append_line(const char *path, const char *line, size_t n)
{
	struct stat st;
	ssize_t w;
	int fd, r;

	if ((r = open_locked(path, &fd, &st)) != FBV_OK)
		return r;
	if ((r = store_check_stat(&st, 077, NULL)) == FBV_ERR_NOT_OWNER)
		r = FBV_ERR_PERM;
	if (r == FBV_OK && (size_t)st.st_size + n > USELOG_MAX)
		r = trim_append(path, line, n);
	else if (r == FBV_OK && ((w = write(fd, line, n)) < 0 || (size_t)w != n))
		r = FBV_ERR_SYSTEM;
	if (close(fd) != 0 && r == FBV_OK)     /* releases the lock */
		r = FBV_ERR_SYSTEM;
	return r;
}

int
uselog_append(int64_t now, const char *command, const char *const *entries, size_t n,
    const char *program)
{
	char prog[USELOG_PROGRAM_MAX + 1], *lines, *path;
	size_t i, used = 0, cap;
	int w, r;

	if (now < 0 || !command_ok(command, strlen(command)) || n == 0 ||
	    n > USELOG_MAX / (USELOG_LINE_MAX + 1))
		return FBV_ERR_INVALID;
	program_clean(program, prog);
	cap = n * (USELOG_LINE_MAX + 2);
	if ((lines = malloc(cap)) == NULL)
		return FBV_ERR_NOMEM;
	for (i = 0; i < n; i++) {
		if (name_check(entries[i]) != FBV_OK ||
		    (w = snprintf(lines + used, cap - used, "%" PRId64 " %s %s%s%s\n", now, command,
		    entries[i], prog[0] != '\0' ? " " : "", prog)) < 0 ||
		    (size_t)w > USELOG_LINE_MAX + 1) {
			free(lines);
			return FBV_ERR_INVALID;
		}
		used += (size_t)w;
	}
	if ((r = uselog_path(&path)) == FBV_OK) {
		/* The directories are made once, not walked on every use. */
		r = store_check_dir(path);
		if (r == FBV_ERR_NO_VAULT && (r = store_make_dirs(path)) == FBV_OK)
			r = store_check_dir(path);
		if (r == FBV_OK)
			r = append_line(path, lines, used);
		free(path);
	}
	free(lines);
	return r;
}

/* The next space-separated field of line[*at..len); its length. */
static size_t
field(const char *line, size_t len, size_t *at, const char **f)
{
	size_t n;

	*f = line + *at;
	for (n = 0; *at + n < len && line[*at + n] != ' '; n++)
		;
	*at += n + (*at + n < len);
	return n;
}

static int
parse_time(const char *s, size_t n, int64_t *out)
{
	size_t i;

	if (n == 0 || n > 19 || (n > 1 && s[0] == '0'))
		return FBV_ERR_CORRUPT;
	for (*out = 0, i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' || *out > (INT64_MAX - (s[i] - '0')) / 10)
			return FBV_ERR_CORRUPT;
		*out = *out * 10 + (s[i] - '0');
	}
	return FBV_OK;
}

int
uselog_parse_line(const char *line, size_t len, struct uselog_rec *out)
{
	const char *f;
	size_t at = 0, n, i;

	memset(out, 0, sizeof(*out));
	if (len == 0 || len > USELOG_LINE_MAX || line[len - 1] == ' ' ||
	    memchr(line, '\0', len) != NULL)
		return FBV_ERR_CORRUPT;
	if (parse_time(line, field(line, len, &at, &f), &out->time) != FBV_OK)
		return FBV_ERR_CORRUPT;
	n = field(line, len, &at, &f);
	if (!command_ok(f, n))
		return FBV_ERR_CORRUPT;
	memcpy(out->command, f, n);
	if ((n = field(line, len, &at, &f)) == 0 || n > FBV_NAME_MAX)
		return FBV_ERR_CORRUPT;
	memcpy(out->entry, f, n);
	if (name_check(out->entry) != FBV_OK)
		return FBV_ERR_CORRUPT;
	if (at == len)          /* no trailing space: refused above */
		return FBV_OK;
	if ((n = field(line, len, &at, &f)) == 0 || n > USELOG_PROGRAM_MAX || at != len)
		return FBV_ERR_CORRUPT;
	for (i = 0; i < n; i++)
		if (!program_char(f[i]))
			return FBV_ERR_CORRUPT;
	memcpy(out->program, f, n);
	return FBV_OK;
}

int
uselog_read(unsigned char **buf, size_t *len)
{
	char *path;
	int r;

	if ((r = uselog_path(&path)) != FBV_OK)
		return r;
	r = store_read(path, buf, len);
	free(path);
	return r;
}
