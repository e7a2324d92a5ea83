/* The use log: which command used which stored value, and when; never a
 * value. One file per user, appended by every fbvault that hands out or
 * sends a stored secret:
 *
 *   $XDG_STATE_HOME/fbvault/use.log, else ~/.local/state/fbvault/use.log
 *   mode 0600 (checked on the descriptor), directories 0700; appends and
 *   trims under an flock() on the log itself (a trim replaces the file, so
 *   a writer that got the lock on the old one opens the new one; see
 *   uselog.c). Text, one line per use:
 *
 *     TIME SP COMMAND SP ENTRY [SP PROGRAM] LF
 *
 *   TIME     unix seconds: 1 to 19 digits, no leading zero (but "0")
 *   COMMAND  1 to 16 of [a-z-]: get, exec, env, inject, post, scheduled,
 *            delete, api, refresh (post and api renewing a page token)
 *   ENTRY    an entry name (name_check(): 1 to 128 of [A-Za-z0-9._-/:])
 *   PROGRAM  exec only: the base name of the program run, 1 to 64 of
 *            [A-Za-z0-9._+-] (any other byte written as '_')
 *
 * Bounded: an append that would take the file past USELOG_MAX instead
 * rewrites it (store_write(), atomically) with its newest lines that fit
 * in USELOG_KEEP and then the new ones; the oldest are dropped. A line longer than
 * USELOG_LINE_MAX, or one that does not read as above, is not a record
 * (the reader skips it and counts it). */
#ifndef FBV_USELOG_H
#define FBV_USELOG_H

#include <stddef.h>
#include <stdint.h>

#include "format.h"

#define USELOG_MAX (256 * 1024)
#define USELOG_KEEP (USELOG_MAX / 2)
#define USELOG_COMMAND_MAX 16
#define USELOG_PROGRAM_MAX 64
#define USELOG_LINE_MAX (19 + 1 + USELOG_COMMAND_MAX + 1 + FBV_NAME_MAX + 1 + USELOG_PROGRAM_MAX)

struct uselog_rec {
	int64_t time;
	char command[USELOG_COMMAND_MAX + 1];
	char entry[FBV_NAME_MAX + 1];
	char program[USELOG_PROGRAM_MAX + 1];   /* "" when none */
};

/* A malloc()ed path; FBV_ERR_NO_VAULT when neither variable is set. */
int uselog_path(char **out);
/* Appends one line per entry, in one write under the lock (program NULL
 * or "" for none; sanitised as above). FBV_ERR_INVALID, and nothing
 * written, for a command or an entry that would not read back. */
int uselog_append(int64_t now, const char *command, const char *const *entries, size_t n,
    const char *program);
/* One line without its LF: FBV_OK, or FBV_ERR_CORRUPT. */
int uselog_parse_line(const char *line, size_t len, struct uselog_rec *out);
/* The whole file (malloc()ed, *len bytes); FBV_ERR_NO_VAULT when there
 * is none yet. */
int uselog_read(unsigned char **buf, size_t *len);

#endif
