/* Where the vault lives and how it reaches the disk: safe open, atomic
 * replace, the writers' lock. Errors other than FBV_ERR_* leave errno set. */
#ifndef FBV_STORE_H
#define FBV_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct stat;

/* $FBVAULT_PATH, else $XDG_DATA_HOME/fbvault/vault, else
 * ~/.local/share/fbvault/vault. Returns a malloc()ed string. */
int store_default_path(char **out);

/* Reads the whole file. Refuses a symbolic link, a file that is not
 * regular, owned by another user, or open to group or others. */
int store_read(const char *path, unsigned char **buf, size_t *len);
/* The same for a vault, which may be readable by others (a clone of a git
 * repository under umask 022): *shared says whether it is; writable by
 * group or others, or another user's, is refused as above (FBV_ERR_PERM).
 * vault_load() refuses a shared vault that has a passphrase slot. */
int store_read_shared(const char *path, unsigned char **buf, size_t *len, bool *shared);
/* The vault file open for reading, with store_read_shared()'s checks, and
 * its size; and reading len bytes at offset at (FBV_ERR_SYSTEM with EIO if
 * the file is shorter). */
int store_open_read(const char *path, int *fd, size_t *size, bool *shared);
int store_pread(int fd, void *buf, size_t len, uint64_t at);
/* The first head_len and last tail_len bytes of a vault, and its size,
 * with the checks of store_read_shared() (FBV_ERR_CORRUPT when it is
 * shorter than both). */
int store_read_ends(const char *path, unsigned char *head, size_t head_len,
    unsigned char *tail, size_t tail_len, size_t *size);
/* The vault's directory must be the user's (or root's) and not writable
 * by group or others: FBV_ERR_DIR_OWNER, FBV_ERR_DIR_MODE. Every read, lock
 * and write checks it. */
int store_check_dir(const char *path);
/* Permission check on an open descriptor (also used by doctor). */
int store_check_fd(int fd);
/* fd is a regular file of this user's (FBV_ERR_NOT_OWNER if not) with
 * none of the mode bits in forbidden (FBV_ERR_PERM); its mode in *mode
 * when mode is not NULL. */
int store_check_file(int fd, unsigned forbidden, unsigned *mode);
/* The same on what fstat() gave. */
int store_check_stat(const struct stat *st, unsigned forbidden, unsigned *mode);

/* Creates the missing parent directories of path with mode 0700. */
int store_make_dirs(const char *path);

/* Replaces path with buf: a temporary file beside it is written (0600
 * from the first byte), fsynced, renamed over path, and the directory
 * fsynced. On failure path is as it was and the temporary file is gone.
 * Flags: STORE_EXCLUSIVE refuses to replace an existing path
 * (FBV_ERR_EXISTS); STORE_RANDOM_TMP names the temporary file at random
 * rather than PATH.tmp, which only a writer holding the vault's lock may
 * use (any other file a user names: inject's output, whose directory is
 * not held to the vault's rules). */
#define STORE_EXCLUSIVE 1
#define STORE_RANDOM_TMP 2
int store_write(const char *path, const unsigned char *buf, size_t len, int flags);
/* The same with the file's bytes given in two parts, head then tail. */
int store_write_parts(const char *path, const unsigned char *head, size_t head_len,
    const unsigned char *tail, size_t tail_len, int flags);

/* Exclusive writers' lock on PATH.lock; waits at most timeout_ms. */
int store_lock(const char *path, int timeout_ms, int *fd);
void store_unlock(int fd);
/* An exclusive flock() on fd, waiting at most timeout_ms (FBV_ERR_SYSTEM,
 * errno EWOULDBLOCK, when it is still held). */
int store_flock(int fd, int timeout_ms);

#endif
