#include <string.h>

#include "cli.h"
#include "commands.h"

const struct command commands[] = {
	{ "init", cmd_init, "[--kdf interactive|moderate|sensitive]",
	  "create a vault (refuses to overwrite one)" },
	{ "put", cmd_put, "[-f|--force] [--binary] NAME",
	  "store a value read from stdin (a terminal: prompt, no echo)" },
	{ "get", cmd_get, "[-n] NAME", "print a value (-n: no trailing newline)" },
	{ "list", cmd_list, "[--json]", "names and metadata, never values" },
	{ "rm", cmd_rm, "NAME", "remove an entry" },
	{ "passwd", cmd_passwd, "[--kdf LEVEL]", "set a new passphrase" },
	{ "exec", cmd_exec, "[--page PAGE_ID] [-e VAR=NAME]... [--min-ttl DURATION] "
	  "[--allow-nested] [--] CMD [ARG...]",
	  "run CMD with a page token and its appsecret_proof in its environment" },
	{ "env", cmd_env, "[--page PAGE_ID] [-e VAR=NAME]... [--min-ttl DURATION] "
	  "[--format shell|dotenv|json] [--force]",
	  "print exec's variables for eval, as a dotenv file, or as JSON" },
	{ "inject", cmd_inject, "[-i TEMPLATE] [-o OUTPUT]",
	  "fill in the {{ fbvault:NAME }} references of a template" },
	{ "login", cmd_login, "[--app-id ID] [--page PAGE_ID]...",
	  "exchange a short-lived token (stdin) for long-lived user and page tokens" },
	{ "status", cmd_status, "[--json]", "every stored token, its kind and expiry (offline)" },
	{ "inspect", cmd_inspect, "NAME [--json]", "ask the Graph API's /debug_token about a token" },
	{ "keyring", cmd_keyring, "enable|disable|status [--json]",
	  "open the vault with the desktop keyring (Secret Service)" },
	{ "unlock", cmd_unlock, "[--for DURATION]",
	  "keep the key in the kernel keyring for a while (default 15m, at most 24h)" },
	{ "lock", cmd_lock, "[--all]", "forget the timed-unlock key now" },
	{ "doctor", cmd_doctor, "[--json]",
	  "check the vault, its permissions, its tokens and this installation" },
	{ NULL, NULL, NULL, NULL },
};

const struct command *
command_find(const char *name)
{
	const struct command *cmd;

	for (cmd = commands; cmd->name != NULL; cmd++)
		if (strcmp(cmd->name, name) == 0)
			return cmd;
	return NULL;
}
