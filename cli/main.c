/* fbvault: harden the process, read the options before the command, and
 * dispatch through the command table. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../crypto/errors.h"
#include "../vault/store.h"
#include "../vault/vault.h"
#include "commands.h"
#include "config.h"
#include "errors.h"
#include "identities.h"
#include "options.h"
#include "out.h"
#include "process.h"

/* Options before the command: the common ones, -h and --version. Returns
 * -1 to go on, or an exit code. */
static int
global_options(struct ctx *c, int argc, char **argv)
{
	static const struct option opts[] = { COMMON_LONGOPTS,
		{ "version", no_argument, NULL, 'v' }, { NULL, 0, NULL, 0 } };
	int opt, r;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:hv", opts, NULL)) != -1) {
		if (opt == 'v') {
			printf("fbvault %s\n", FBV_PACKAGE_VERSION);
#if FBV_TEST_KDF
			printf("test build (-Dtest_kdf=interactive): every KDF level costs about "
			    "interactive; not for real vaults\n");
#endif
			return 0;
		}
		if (opt == 'h') {
			help_all(stdout);
			return 0;
		}
		if (opt == '?' || opt == ':')
			return option_error(NULL, opt, argv);
		if ((r = common_option(c, NULL, opt, optarg)) != OPT_HANDLED)
			return r;
	}
	if (optind >= argc) {
		help_all(stderr);
		return EXIT_USAGE;
	}
	return -1;
}

/* A segment of the vault read after it was opened does not verify: the
 * file was changed in place meanwhile (fbvault itself replaces it whole).
 * Nothing has been written; the command stops. */
static void
vault_fault(const char *path, int err)
{
	fflush(stdout);
	if (err == FBV_ERR_CORRUPT)
		_exit(fail(EXIT_CORRUPT, "%s: vault is corrupted or was tampered with: a part of it "
		    "read after it was opened does not verify or parse (was the file changed in "
		    "place?); nothing was written", path));
	_exit(fail_err(err, path));
}

int
main(int argc, char **argv)
{
	struct ctx c = { .vault_path = NULL, .passphrase_fd = -1, .new_passphrase_fd = -1,
	    .identity_fd = -1 };
	const struct command *cmd;
	int r;

	if (harden() != 0)
		return fail(EXIT_INTERNAL, "cannot secure the process (core dumps, libsodium)");
	vault_on_fault(vault_fault);
	if ((r = global_options(&c, argc, argv)) >= 0)
		return r;
	if ((cmd = command_find(argv[optind])) == NULL)
		return unknown_command(argv[optind]);
	if (cmd->run != cmd_help && c.vault_path == NULL &&
	    store_default_path(&c.vault_path) != FBV_OK)
		return fail(EXIT_USAGE, "cannot tell where the vault is: set HOME, XDG_DATA_HOME "
		    "or FBVAULT_PATH, or use --vault PATH");
	r = cmd->run(&c, cmd, argc - optind, argv + optind);
	free(c.vault_path);
	identities_free(&c);
	if (fflush(stdout) != 0 && r == 0)
		return fail(EXIT_IO, "cannot write the output");
	return r;
}
