/* The command table's types: every command described in one row of
 * commands.c (name, function, usage, help, options, argument count), the
 * way git's builtin table does it; main() dispatches through it. */
#ifndef FBV_COMMAND_H
#define FBV_COMMAND_H

#include <getopt.h>
#include <stdbool.h>

/* What every command may be given besides its own options. */
struct ctx {
	char *vault_path;
	int passphrase_fd;      /* -1: none */
	int new_passphrase_fd;
	bool no_keyring;
	bool quiet;
	bool accept_rollback;   /* "I restored this on purpose" */
	char **identities;      /* --identity FILE, each, in order */
	int nidentities;
	int identity_fd;        /* --identity-fd; -1: none */
};

#define ARGS_ANY (-1)

struct command {
	const char *name;
	/* argv[0] is the command's name; self is this row. */
	int (*run)(struct ctx *c, const struct command *self, int argc, char **argv);
	const char *usage;
	const char *help;
	const char *shortopts;          /* getopt's; a leading '+' stops at the first argument */
	const struct option *options;   /* its long options, or NULL */
	int min_args, max_args;         /* positional arguments; max ARGS_ANY: no limit */
	const char *args_error;         /* said when their count is wrong; NULL:
					 * "unexpected argument 'X'" */
};

extern const struct command commands[];
const struct command *command_find(const char *name);

#endif
