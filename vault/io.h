/* Whole reads and writes on descriptors, and path pieces: the loops every
 * other file uses instead of its own. Errors other than FBV_ERR_* leave
 * errno set. */
#ifndef FBV_IO_H
#define FBV_IO_H

#include <stddef.h>

#include "../crypto/secmem.h"

/* Writes all of p, retrying short writes and EINTR. */
int fd_write_all(int fd, const void *p, size_t len);
/* Reads until len bytes or end of file; *got says how many came. */
int fd_read_full(int fd, void *buf, size_t len, size_t *got);
/* Appends everything up to end of file to out (FBV_ERR_TOO_LARGE past
 * out->max); the bytes pass through no unwiped buffer. */
int fd_read_sbuf(int fd, struct sbuf *out);

/* The directory part of path ("." for a bare name, "/" for "/x"), as a
 * malloc()ed string; NULL when out of memory. */
char *path_dirname(const char *path);

#endif
