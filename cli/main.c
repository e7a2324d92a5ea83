#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <sodium.h>

#include "../crypto/errors.h"
#include "../vault/store.h"
#include "cli.h"
#include "config.h"

static const char exit_codes[] =
    "exit codes:\n"
    "  0   success\n"
    "  64  usage error or invalid input (bad option, name, value)\n"
    "  65  vault corrupted or tampered with, or an unsupported format\n"
    "  66  vault or entry not found\n"
    "  69  service unavailable: Graph API or Secret Service unreachable\n"
    "  70  internal error\n"
    "  73  entry or vault already exists\n"
    "  74  I/O error\n"
    "  75  temporary failure: rate limited or transient Graph error\n"
    "  76  unexpected response from the Graph API\n"
    "  77  wrong passphrase, unsafe permissions, or access refused\n"
    "  79  rollback: an older copy of the vault than this machine has opened\n"
    "  126, 127  exec: command not executable, not found\n";

static void
help_all(FILE *f)
{
	const struct command *cmd;

	fprintf(f, "usage: fbvault [--vault PATH] [--passphrase-fd N] [--no-keyring] "
	    "[--accept-rollback] COMMAND [ARGS]\n\ncommands:\n");
	for (cmd = commands; cmd->name != NULL; cmd++)
		fprintf(f, "  %-8s %s\n", cmd->name, cmd->help);
	fprintf(f, "\nfbvault help COMMAND shows a command's options.\n\n%s", exit_codes);
}

static int
cmd_help(struct ctx *c, int argc, char **argv)
{
	const struct command *cmd;

	(void)c;
	if (argc < 2) {
		help_all(stdout);
		return 0;
	}
	if ((cmd = command_find(argv[1])) == NULL)
		return fail(EXIT_USAGE, "unknown command '%s'; see: fbvault help", argv[1]);
	print_usage(cmd, stdout);
	printf("\n%s\n", cmd->help);
	return 0;
}

int
common_option(struct ctx *c, const struct command *cmd, int opt, const char *arg)
{
	char *end;
	long fd;

	switch (opt) {
	case 'V':
		free(c->vault_path);
		if ((c->vault_path = strdup(arg)) == NULL)
			return fail(EXIT_INTERNAL, "out of memory");
		return OPT_HANDLED;
	case 'P': case 'N':
		fd = strtol(arg, &end, 10);
		if (*arg == '\0' || *end != '\0' || fd < 0 || fd > 1000000)
			return usage_error(cmd, "--%spassphrase-fd wants a file descriptor number",
			    opt == 'N' ? "new-" : "");
		*(opt == 'P' ? &c->passphrase_fd : &c->new_passphrase_fd) = (int)fd;
		return OPT_HANDLED;
	case 'K':
		c->no_keyring = true;
		return OPT_HANDLED;
	case 'R':
		c->accept_rollback = true;
		return OPT_HANDLED;
	case 'h':
		print_usage(cmd, stdout);
		printf("\n%s\n", cmd->help);
		return OPT_HELP;
	default:
		return 0;
	}
}

static struct rlimit core_limit;

/* Deny core dumps and ptrace by other processes of ours: this process
 * holds the data key and plaintext secrets (ssh-agent does the same). Only
 * the soft limit is lowered, so exec can give the child the user's own. */
static int
harden(void)
{
	struct rlimit none;

	if (getrlimit(RLIMIT_CORE, &core_limit) != 0)
		return -1;
	none.rlim_cur = 0;
	none.rlim_max = core_limit.rlim_max;
	if (setrlimit(RLIMIT_CORE, &none) != 0 || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		return -1;
	/* Past a file-size limit, write() must fail (and the save roll back)
	 * rather than SIGXFSZ kill us between write and cleanup. */
	signal(SIGXFSZ, SIG_IGN);
	return sodium_init() < 0 ? -1 : 0;
}

void
restore_child_state(void)
{
	setrlimit(RLIMIT_CORE, &core_limit);
	signal(SIGXFSZ, SIG_DFL);
}

static const struct command help_command = {
	"help", cmd_help, "[COMMAND]", "show help for fbvault or a command",
};

int
main(int argc, char **argv)
{
	static const struct option opts[] = { COMMON_LONGOPTS, { "version", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 } };
	struct ctx c = { NULL, -1, -1, false, false, false };
	const struct command *cmd;
	int opt, r;

	if (harden() != 0)
		return fail(EXIT_INTERNAL, "cannot secure the process (core dumps, libsodium)");
	while ((opt = getopt_long(argc, argv, "+hv", opts, NULL)) != -1) {
		if (opt == 'v') {
			printf("fbvault %s\n", FBV_PACKAGE_VERSION);
			return 0;
		}
		if (opt == 'h') {
			help_all(stdout);
			return 0;
		}
		if ((r = common_option(&c, &help_command, opt, optarg)) != OPT_HANDLED)
			return r == 0 ? usage_error(NULL, "see: fbvault help") : r;
	}
	if (optind >= argc) {
		help_all(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[optind], "help") == 0)
		return cmd_help(&c, argc - optind, argv + optind);
	if ((cmd = command_find(argv[optind])) == NULL)
		return fail(EXIT_USAGE, "unknown command '%s'; see: fbvault help", argv[optind]);
	if (c.vault_path == NULL && (r = store_default_path(&c.vault_path)) != FBV_OK)
		return fail(EXIT_USAGE, "cannot tell where the vault is: set HOME, XDG_DATA_HOME "
		    "or FBVAULT_PATH, or use --vault PATH");
	optind++;
	r = cmd->run(&c, argc - optind + 1, argv + optind - 1);
	free(c.vault_path);
	if (fflush(stdout) != 0 && r == 0)
		return fail(EXIT_IO, "cannot write the output");
	return r;
}
