/* help: the commands, the exit codes, a command's usage. */
#include <stdio.h>

#include "commands.h"
#include "errors.h"
#include "options.h"
#include "out.h"

static const char exit_codes[] =
    "exit codes:\n"
    "  0   success\n"
    "  1   doctor: warnings only; check: a token expires soon; git-merge: the two sides\n"
    "      conflict\n"
    "  64  usage error or invalid input (bad option, name, value)\n"
    "  65  vault corrupted or tampered with, or an unsupported format\n"
    "  66  vault or entry not found\n"
    "  69  service unavailable: Graph API or Secret Service unreachable\n"
    "  70  internal error\n"
    "  73  entry or vault already exists; post: a duplicate post\n"
    "  74  I/O error\n"
    "  75  temporary failure: rate limited or transient Graph error; post, delete,\n"
    "      api: the write went out, no clear answer came (check before retrying)\n"
    "  76  unexpected response from the Graph API\n"
    "  77  wrong passphrase, unsafe permissions, or access refused\n"
    "  79  rollback: an older copy of the vault than this machine has opened\n"
    "  126, 127  exec: command not executable, not found\n";

void
help_all(FILE *f)
{
	const struct command *cmd;

	fprintf(f, "usage: fbvault [--vault PATH] [--passphrase-fd N] [--identity FILE] "
	    "[--identity-fd N] [--no-keyring] [--accept-rollback] COMMAND [ARGS]\n\ncommands:\n");
	for (cmd = commands; cmd->name != NULL; cmd++)
		fprintf(f, "  %-8s %s\n", cmd->name, cmd->help);
	fprintf(f, "\nfbvault help COMMAND shows a command's options.\n\n%s", exit_codes);
}

int
cmd_help(struct ctx *c, const struct command *self, int argc, char **argv)
{
	const struct command *cmd;
	int r;

	if ((r = parse_args(c, self, argc, argv, NULL, NULL)) >= 0)
		return r;
	if (optind == argc) {
		help_all(stdout);
		return 0;
	}
	if ((cmd = command_find(argv[optind])) == NULL)
		return fail(EXIT_USAGE, "unknown command '%s'; see: fbvault help", argv[optind]);
	print_help(cmd, stdout);
	return 0;
}
