/* Everything fbvault says: one line on stderr starting "fbvault: ", the
 * usage of a command, text from outside escaped, times. */
#ifndef FBV_OUT_H
#define FBV_OUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "command.h"

void msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* msg(), then returns code. */
int fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "fbvault: WHAT: REASON" for a library error code, with a fix where
 * there is one; returns its exit code. */
int fail_err(int err, const char *what);
/* The message, then the command's usage; returns EXIT_USAGE. */
int usage_error(const struct command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The message, then the usage with the global options (cmd NULL:
 * fbvault's own); for a global option or an unknown one. */
int global_usage_error(const struct command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The options every command takes, before or after its name. */
extern const char global_usage[];
void print_usage(const struct command *cmd, FILE *f);
/* Text from outside (page names, Graph's messages): control bytes, C1
 * controls and invalid UTF-8 printed as \xNN (graph_escape()). */
void term_escape(FILE *f, const char *s, size_t len);

int64_t now_unix(void);
void format_time(int64_t t, char *buf, size_t len);

#endif
