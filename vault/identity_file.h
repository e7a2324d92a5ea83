/* Identity files on disk (their text: crypto/keyformat.h): read from a
 * path or a descriptor into a key pair, written once, 0600. An identity
 * file read by path must be a regular file, the user's own, and readable
 * by no one else, as ssh insists for its private keys. */
#ifndef FBV_IDENTITY_FILE_H
#define FBV_IDENTITY_FILE_H

#include <stddef.h>

#include "../crypto/identity.h"

/* FBV_ERR_NO_VAULT: no such file; FBV_ERR_SYMLINK; FBV_ERR_NOT_OWNER;
 * FBV_ERR_OPEN_MODE (any bit for group or others); then identity_parse()'s
 * errors, *line the line at fault (0: none). */
int identity_read_file(const char *path, struct x25519_keypair **out, size_t *line);
/* From a descriptor a caller handed over (a pipe from a CI secret): its
 * mode is the caller's business; read to its end. */
int identity_read_fd(int fd, struct x25519_keypair **out, size_t *line);
/* Writes kp as a new file (FBV_ERR_EXISTS if path exists), 0600 from the
 * first byte; f: fbvault's or age's strings. */
int identity_write_file(const char *path, const struct x25519_keypair *kp, enum key_flavor f);
/* $XDG_CONFIG_HOME/fbvault/identity, else ~/.config/fbvault/identity
 * (malloc()ed); FBV_ERR_NO_VAULT when neither is set. */
int identity_default_path(char **out);

#endif
