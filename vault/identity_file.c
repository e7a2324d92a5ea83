#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../crypto/errors.h"
#include "identity_file.h"
#include "io.h"
#include "store.h"

static int
parse_fd(int fd, struct x25519_keypair **out, size_t *line)
{
	struct sbuf buf;
	int r;

	sbuf_init(&buf, FBV_IDENTITY_FILE_MAX);
	if ((r = fd_read_sbuf(fd, &buf)) == FBV_OK)
		r = identity_parse(out, line, buf.data, buf.len);
	sbuf_free(&buf);
	return r;
}

static int
check_private(int fd)
{
	int r = store_check_file(fd, 077, NULL);

	return r == FBV_ERR_PERM ? FBV_ERR_OPEN_MODE : r;
}

int
identity_read_file(const char *path, struct x25519_keypair **out, size_t *line)
{
	int fd, r, saved;

	*out = NULL;
	*line = 0;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)) < 0)
		return errno == ENOENT ? FBV_ERR_NO_VAULT : errno == ELOOP ? FBV_ERR_SYMLINK :
		    FBV_ERR_SYSTEM;
	if ((r = check_private(fd)) == FBV_OK)
		r = parse_fd(fd, out, line);
	saved = errno;
	close(fd);
	errno = saved;
	return r;
}

int
identity_read_fd(int fd, struct x25519_keypair **out, size_t *line)
{
	*out = NULL;
	*line = 0;
	return parse_fd(fd, out, line);
}

int
identity_write_file(const char *path, const struct x25519_keypair *kp, enum key_flavor f)
{
	struct sbuf text;
	int r;

	sbuf_init(&text, FBV_IDENTITY_FILE_MAX);
	if ((r = identity_format(&text, kp, f)) == FBV_OK)
		r = store_write(path, text.data, text.len, STORE_EXCLUSIVE | STORE_RANDOM_TMP);
	sbuf_free(&text);
	return r;
}

int
identity_default_path(char **out)
{
	const char *v, *tail;
	size_t n;

	if ((v = getenv("XDG_CONFIG_HOME")) != NULL && v[0] == '/')
		tail = "/fbvault/identity";
	else if ((v = getenv("HOME")) != NULL && v[0] == '/')
		tail = "/.config/fbvault/identity";
	else
		return FBV_ERR_NO_VAULT;
	n = strlen(v) + strlen(tail) + 1;
	if ((*out = malloc(n)) == NULL)
		return FBV_ERR_NOMEM;
	snprintf(*out, n, "%s%s", v, tail);
	return FBV_OK;
}
