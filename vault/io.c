#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "../crypto/errors.h"
#include "io.h"

int
fd_write_all(int fd, const void *p, size_t len)
{
	const unsigned char *b = p;

	while (len > 0) {
		ssize_t n = write(fd, b, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return FBV_ERR_SYSTEM;
		b += n;
		len -= (size_t)n;
	}
	return FBV_OK;
}

int
fd_read_full(int fd, void *buf, size_t len, size_t *got)
{
	unsigned char *b = buf;

	*got = 0;
	while (*got < len) {
		ssize_t n = read(fd, b + *got, len - *got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return FBV_ERR_SYSTEM;
		if (n == 0)
			break;
		*got += (size_t)n;
	}
	return FBV_OK;
}

int
fd_read_sbuf(int fd, struct sbuf *out)
{
	unsigned char chunk[65536];
	size_t got;
	int r;

	do {
		r = fd_read_full(fd, chunk, sizeof(chunk), &got);
		if (r == FBV_OK && got > 0)
			r = sbuf_put(out, chunk, got);
	} while (r == FBV_OK && got == sizeof(chunk));
	sodium_memzero(chunk, sizeof(chunk));
	return r;
}

char *
path_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return strdup(".");
	return strndup(path, slash == path ? 1 : (size_t)(slash - path));
}
