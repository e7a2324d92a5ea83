#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "../crypto/errors.h"
#include "../crypto/secmem.h"
#include "format.h"
#include "io.h"
#include "store.h"

static char *
path_join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 1;
	char *p = malloc(n);

	if (p != NULL)
		snprintf(p, n, "%s%s", a, b);
	return p;
}

int
store_default_path(char **out)
{
	const char *v;

	if ((v = getenv("FBVAULT_PATH")) != NULL && *v != '\0')
		*out = strdup(v);
	else if ((v = getenv("XDG_DATA_HOME")) != NULL && v[0] == '/')
		*out = path_join(v, "/fbvault/vault");
	else if ((v = getenv("HOME")) != NULL && v[0] == '/')
		*out = path_join(v, "/.local/share/fbvault/vault");
	else
		return FBV_ERR_NO_VAULT;
	return *out == NULL ? FBV_ERR_NOMEM : FBV_OK;
}

/* Asked once: fbvault never changes its uid, and a vault open checks
 * several files and directories against it. */
static uid_t
euid(void)
{
	static uid_t uid;
	static bool known;

	if (!known) {
		uid = geteuid();
		known = true;
	}
	return uid;
}

static int
errno_to_err(void)
{
	if (errno == ENOENT)
		return FBV_ERR_NO_VAULT;
	if (errno == ELOOP)
		return FBV_ERR_SYMLINK;
	return FBV_ERR_SYSTEM;
}

/* The directory the vault lives in: who can write to it can rename, roll
 * back or splice the vault and hold its lock. It must be the user's (or
 * root's) and not writable by group or others. A directory that does not
 * exist yet is init's business. One stat(): opening the directory to
 * fstat() it and closing it again told nothing more. */
static int
dir_check(const char *path)
{
	char *dir = path_dirname(path);
	struct stat st;
	int r, saved;

	if (dir == NULL)
		return FBV_ERR_NOMEM;
	r = stat(dir, &st);
	saved = errno;
	free(dir);
	if (r != 0) {
		errno = saved;
		return errno == ENOENT ? FBV_ERR_NO_VAULT : FBV_ERR_SYSTEM;
	}
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return FBV_ERR_SYSTEM;
	}
	if (st.st_uid != euid() && st.st_uid != 0)
		return FBV_ERR_DIR_OWNER;
	return (st.st_mode & 022) != 0 ? FBV_ERR_DIR_MODE : FBV_OK;
}

int
store_check_dir(const char *path)
{
	return dir_check(path);
}

int
store_check_stat(const struct stat *st, unsigned forbidden, unsigned *mode)
{
	if (!S_ISREG(st->st_mode)) {
		errno = EINVAL;
		return FBV_ERR_SYSTEM;
	}
	if (mode != NULL)
		*mode = st->st_mode & 07777;
	if (st->st_uid != euid())
		return FBV_ERR_NOT_OWNER;
	return (st->st_mode & forbidden) != 0 ? FBV_ERR_PERM : FBV_OK;
}

int
store_check_file(int fd, unsigned forbidden, unsigned *mode)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return FBV_ERR_SYSTEM;
	return store_check_stat(&st, forbidden, mode);
}

int
store_check_fd(int fd)
{
	int r = store_check_file(fd, 077, NULL);

	return r == FBV_ERR_NOT_OWNER ? FBV_ERR_PERM : r;
}

/* The st_size bytes of fd (st: its fstat()). */
/* Like store_check_fd(), with fd's fstat() left in *st for the reader;
 * with shared, read bits for group and others are allowed and reported. */
static int
check_fd(int fd, bool *shared, struct stat *st)
{
	unsigned mode;
	int r;

	if (fstat(fd, st) != 0)
		return FBV_ERR_SYSTEM;
	if ((r = store_check_stat(st, shared == NULL ? 077 : 033, &mode)) != FBV_OK)
		return r == FBV_ERR_NOT_OWNER ? FBV_ERR_PERM : r;
	if (shared != NULL)
		*shared = (mode & 044) != 0;
	return FBV_OK;
}

/* The file store_open_read() opened, whole, into ordinary memory. */
static int
read_checked(const char *path, unsigned char **buf, size_t *len, bool *shared)
{
	unsigned char *p = NULL;
	size_t size;
	int fd, r, saved;

	if ((r = store_open_read(path, &fd, &size, shared)) != FBV_OK)
		return r;
	if ((p = malloc(size + 1)) == NULL)
		r = FBV_ERR_NOMEM;
	else
		r = store_pread(fd, p, size, 0);
	saved = errno;
	close(fd);
	errno = saved;
	if (r != FBV_OK) {
		free(p);
		return r;
	}
	*buf = p;
	*len = size;
	return FBV_OK;
}

int
store_read(const char *path, unsigned char **buf, size_t *len)
{
	return read_checked(path, buf, len, NULL);
}

static int
pread_full(int fd, void *buf, size_t len, off_t at)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = pread(fd, (unsigned char *)buf + got, len - got, at + (off_t)got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return FBV_ERR_SYSTEM;
		if (n == 0) {
			errno = EIO;    /* the file shrank under us */
			return FBV_ERR_SYSTEM;
		}
		got += (size_t)n;
	}
	return FBV_OK;
}

int
store_pread(int fd, void *buf, size_t len, uint64_t at)
{
	return pread_full(fd, buf, len, (off_t)at);
}

int
store_open_read(const char *path, int *fd, size_t *size, bool *shared)
{
	struct stat st;
	int r, saved;

	if ((r = dir_check(path)) != FBV_OK)
		return r;
	if ((*fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)) < 0)
		return errno_to_err();
	r = check_fd(*fd, shared, &st);
	if (r == FBV_OK && (uint64_t)st.st_size > FBV_FILE_MAX)
		r = FBV_ERR_TOO_LARGE;
	if (r == FBV_OK) {
		*size = (size_t)st.st_size;
		return FBV_OK;
	}
	saved = errno;
	close(*fd);
	*fd = -1;
	errno = saved;
	return r;
}

int
store_read_ends(const char *path, unsigned char *head, size_t head_len,
    unsigned char *tail, size_t tail_len, size_t *size)
{
	bool shared;
	int fd, r, saved;

	if ((r = store_open_read(path, &fd, size, &shared)) != FBV_OK)
		return r;
	if (*size < head_len + tail_len)
		r = FBV_ERR_CORRUPT;
	else if ((r = pread_full(fd, head, head_len, 0)) == FBV_OK)
		r = pread_full(fd, tail, tail_len, (off_t)(*size - tail_len));
	saved = errno;
	close(fd);
	errno = saved;
	return r;
}

int
store_read_shared(const char *path, unsigned char **buf, size_t *len, bool *shared)
{
	return read_checked(path, buf, len, shared);
}

int
store_make_dirs(const char *path)
{
	char *dir, *p;
	int r = FBV_OK;

	if ((dir = strdup(path)) == NULL)
		return FBV_ERR_NOMEM;
	for (p = dir + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			r = FBV_ERR_SYSTEM;
			break;
		}
		*p = '/';
	}
	free(dir);
	return r;
}

static int
fsync_dir(const char *path)
{
	char *dir = path_dirname(path);
	int fd, r = FBV_OK;

	if (dir == NULL)
		return FBV_ERR_NOMEM;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0)
		r = FBV_ERR_SYSTEM;
	if (fd >= 0)
		close(fd);
	free(dir);
	return r;
}

int
store_write(const char *path, const unsigned char *buf, size_t len, int flags)
{
	return store_write_parts(path, buf, len, NULL, 0, flags);
}

#define TMP_TRIES 16

/* The temporary file beside path, 0600 from the first byte. PATH.tmp is
 * ours only under the vault's lock: then one left by a writer killed
 * mid-save is stale and goes. Elsewhere PATH.tmp may be somebody's file,
 * so a random name is taken instead. */
static int
open_tmp(const char *path, int flags, char **tmp)
{
	size_t n = strlen(path) + 16;
	int fd = -1, tries;

	if ((*tmp = malloc(n)) == NULL)
		return -1;
	if (!(flags & STORE_RANDOM_TMP)) {
		snprintf(*tmp, n, "%s.tmp", path);
		if (unlink(*tmp) != 0 && errno != ENOENT)
			return -1;
		return open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	}
	for (tries = 0; fd < 0 && tries < TMP_TRIES; tries++) {
		snprintf(*tmp, n, "%s.%08x", path, randombytes_random());
		fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	return fd;
}

/* Writes and syncs the two parts, then closes fd (also on failure). */
static int
write_sync_close(int fd, const unsigned char *head, size_t head_len,
    const unsigned char *tail, size_t tail_len)
{
	int r, saved;

	if ((r = fd_write_all(fd, head, head_len)) == FBV_OK &&
	    (r = fd_write_all(fd, tail, tail_len)) == FBV_OK && fsync(fd) != 0)
		r = FBV_ERR_SYSTEM;
	saved = errno;
	if (close(fd) != 0 && r == FBV_OK)
		return FBV_ERR_SYSTEM;
	errno = saved;
	return r;
}

/* Puts the written temporary file at path: a link that fails when path
 * exists, or a rename over it. */
static int
place(const char *tmp, const char *path, bool exclusive)
{
	if (exclusive && link(tmp, path) != 0)
		return errno == EEXIST ? FBV_ERR_EXISTS : FBV_ERR_SYSTEM;
	if (exclusive)
		unlink(tmp);
	else if (rename(tmp, path) != 0)
		return FBV_ERR_SYSTEM;
	return FBV_OK;
}

int
store_write_parts(const char *path, const unsigned char *head, size_t head_len,
    const unsigned char *tail, size_t tail_len, int flags)
{
	char *tmp = NULL;
	int fd, r, saved;

	if (!(flags & STORE_RANDOM_TMP) && (r = dir_check(path)) != FBV_OK)
		return r;
	if ((fd = open_tmp(path, flags, &tmp)) < 0) {
		saved = errno;
		free(tmp);
		errno = saved;
		return tmp == NULL ? FBV_ERR_NOMEM : FBV_ERR_SYSTEM;
	}
	if ((r = write_sync_close(fd, head, head_len, tail, tail_len)) == FBV_OK &&
	    (r = place(tmp, path, (flags & STORE_EXCLUSIVE) != 0)) == FBV_OK)
		r = fsync_dir(path);
	saved = errno;
	if (r != FBV_OK)
		unlink(tmp);
	free(tmp);
	errno = saved;
	return r;
}

int
store_lock(const char *path, int timeout_ms, int *out)
{
	char *lock = path_join(path, ".lock");
	int fd, saved, r;

	if (lock == NULL)
		return FBV_ERR_NOMEM;
	if ((r = dir_check(path)) != FBV_OK) {
		free(lock);
		return r;
	}
	fd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	saved = errno;
	free(lock);
	if (fd < 0) {
		errno = saved;
		return errno_to_err();
	}
	if ((r = store_flock(fd, timeout_ms)) != FBV_OK) {
		saved = errno;
		close(fd);
		errno = saved;
		return r;
	}
	*out = fd;
	return FBV_OK;
}

int
store_flock(int fd, int timeout_ms)
{
	struct timespec nap = { 0, 10 * 1000 * 1000 };
	int waited;

	for (waited = 0; flock(fd, LOCK_EX | LOCK_NB) != 0; waited += 10) {
		if ((errno != EWOULDBLOCK && errno != EINTR) || waited >= timeout_ms)
			return FBV_ERR_SYSTEM;
		nanosleep(&nap, NULL);
	}
	return FBV_OK;
}

void
store_unlock(int fd)
{
	if (fd >= 0)
		close(fd); /* releases the flock */
}
