/* Option parsing for every command: the common options (--vault,
 * --passphrase-fd, --new-passphrase-fd, --no-keyring, --accept-rollback,
 * --identity, --identity-fd,
 * -h) and the
 * command's own from its table row, then its argument count. */
#ifndef FBV_OPTIONS_H
#define FBV_OPTIONS_H

#include <getopt.h>

#include "command.h"

/* Past every short option's character, so no command's can clash. */
#define OPT_IDENTITY 0x100
#define OPT_IDENTITY_FD 0x101
#define OPT_ACCEPT_ROLLBACK 0x102 /* was 'R', which recipients add -R needs */

#define COMMON_LONGOPTS \
	{ "vault", required_argument, NULL, 'V' }, \
	{ "passphrase-fd", required_argument, NULL, 'P' }, \
	{ "new-passphrase-fd", required_argument, NULL, 'N' }, \
	{ "no-keyring", no_argument, NULL, 'K' }, \
	{ "accept-rollback", no_argument, NULL, OPT_ACCEPT_ROLLBACK }, \
	{ "identity", required_argument, NULL, OPT_IDENTITY }, \
	{ "identity-fd", required_argument, NULL, OPT_IDENTITY_FD }, \
	{ "quiet", no_argument, NULL, 'Q' }, \
	{ "help", no_argument, NULL, 'h' }

/* A command's own option: -1 to go on, or an exit code. */
typedef int (*option_fn)(void *state, int opt, const char *arg);

/* Parses self's options into c (common ones) and state (through on_opt),
 * then checks the count of what is left, from argv[optind]. Returns -1 to
 * go on, 0 after --help, or an exit code after a message. */
int parse_args(struct ctx *c, const struct command *self, int argc, char **argv,
    void *state, option_fn on_opt);
/* One common option, also before the command's name; OPT_HANDLED,
 * OPT_HELP, 0 when opt is not one, or an exit code. */
#define OPT_HANDLED 1
#define OPT_HELP 2
int common_option(struct ctx *c, const struct command *self, int opt, const char *arg);
/* For a command whose options are all flags of one bool. */
int flag_opt(void *state, int opt, const char *arg);

#endif
