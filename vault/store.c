#include <errno.h>
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

#include "../crypto/errors.h"
#include "format.h"
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

static int
errno_to_err(void)
{
	if (errno == ENOENT)
		return FBV_ERR_NO_VAULT;
	if (errno == ELOOP)
		return FBV_ERR_SYMLINK;
	return FBV_ERR_SYSTEM;
}

int
store_check_fd(int fd)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return FBV_ERR_SYSTEM;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		return FBV_ERR_SYSTEM;
	}
	if (st.st_uid != geteuid() || (st.st_mode & 077) != 0)
		return FBV_ERR_PERM;
	return FBV_OK;
}

static int
read_all(int fd, unsigned char **buf, size_t *len)
{
	struct stat st;
	unsigned char *p;
	size_t off = 0;

	if (fstat(fd, &st) != 0)
		return FBV_ERR_SYSTEM;
	if ((uint64_t)st.st_size > FBV_FILE_MAX)
		return FBV_ERR_TOO_LARGE;
	if ((p = malloc((size_t)st.st_size + 1)) == NULL)
		return FBV_ERR_NOMEM;
	while (off < (size_t)st.st_size) {
		ssize_t n = read(fd, p + off, (size_t)st.st_size - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(p);
			if (n == 0)
				errno = EIO;
			return FBV_ERR_SYSTEM;
		}
		off += (size_t)n;
	}
	*buf = p;
	*len = off;
	return FBV_OK;
}

int
store_read(const char *path, unsigned char **buf, size_t *len)
{
	int fd, r, saved;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)) < 0)
		return errno_to_err();
	if ((r = store_check_fd(fd)) == FBV_OK)
		r = read_all(fd, buf, len);
	saved = errno;
	close(fd);
	errno = saved;
	return r;
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
write_all(int fd, const unsigned char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return FBV_ERR_SYSTEM;
		buf += n;
		len -= (size_t)n;
	}
	return FBV_OK;
}

static int
fsync_dir(const char *path)
{
	char *dir = strdup(path), *slash;
	int fd, r = FBV_OK;

	if (dir == NULL)
		return FBV_ERR_NOMEM;
	slash = strrchr(dir, '/');
	if (slash == NULL)
		strcpy(dir, ".");
	else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0)
		r = FBV_ERR_SYSTEM;
	if (fd >= 0)
		close(fd);
	free(dir);
	return r;
}

int
store_write(const char *path, const unsigned char *buf, size_t len, int exclusive)
{
	return store_write_parts(path, buf, len, NULL, 0, exclusive);
}

int
store_write_parts(const char *path, const unsigned char *head, size_t head_len,
    const unsigned char *tail, size_t tail_len, int exclusive)
{
	char *tmp = path_join(path, ".tmp");
	int fd = -1, r, saved;

	if (tmp == NULL)
		return FBV_ERR_NOMEM;
	/* Left by a writer killed mid-save; we hold the lock, so it is stale. */
	if (unlink(tmp) != 0 && errno != ENOENT) {
		r = FBV_ERR_SYSTEM;
		goto out;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		r = FBV_ERR_SYSTEM;
		goto out;
	}
	if ((r = write_all(fd, head, head_len)) != FBV_OK ||
	    (r = write_all(fd, tail, tail_len)) != FBV_OK)
		goto out;
	if (fsync(fd) != 0 || close(fd) != 0) {
		fd = -1;
		r = FBV_ERR_SYSTEM;
		goto out;
	}
	fd = -1;
	if (exclusive && link(tmp, path) != 0) {
		r = errno == EEXIST ? FBV_ERR_EXISTS : FBV_ERR_SYSTEM;
		goto out;
	}
	if (!exclusive && rename(tmp, path) != 0) {
		r = FBV_ERR_SYSTEM;
		goto out;
	}
	if (exclusive)
		unlink(tmp);
	r = fsync_dir(path);
out:
	saved = errno;
	if (fd >= 0)
		close(fd);
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
	struct timespec nap = { 0, 10 * 1000 * 1000 };
	int fd, waited, saved;

	if (lock == NULL)
		return FBV_ERR_NOMEM;
	fd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	saved = errno;
	free(lock);
	if (fd < 0) {
		errno = saved;
		return errno_to_err();
	}
	for (waited = 0; flock(fd, LOCK_EX | LOCK_NB) != 0; waited += 10) {
		if ((errno != EWOULDBLOCK && errno != EINTR) || waited >= timeout_ms) {
			saved = errno;
			close(fd);
			errno = saved;
			return FBV_ERR_SYSTEM;
		}
		nanosleep(&nap, NULL);
	}
	*out = fd;
	return FBV_OK;
}

void
store_unlock(int fd)
{
	if (fd >= 0)
		close(fd); /* releases the flock */
}
