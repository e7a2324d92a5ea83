/* Every command: name, function, usage, help, its own options and how
 * many arguments it takes. parse_args() reads the options from here. */
#include <stddef.h>
#include <string.h>

#include "commands.h"

#define END { NULL, 0, NULL, 0 }

static const struct option kdf_opts[] = { { "kdf", required_argument, NULL, 'k' }, END };
static const struct option passwd_opts[] = { { "kdf", required_argument, NULL, 'k' },
	{ "remove", no_argument, NULL, 'r' }, END };
static const struct option put_opts[] = { { "force", no_argument, NULL, 'f' },
	{ "binary", no_argument, NULL, 'b' }, END };
static const struct option get_opts[] = { { "no-newline", no_argument, NULL, 'n' }, END };
static const struct option list_opts[] = { { "json", no_argument, NULL, 'j' },
	{ "names-if-unlocked", no_argument, NULL, 'n' }, END };
static const struct option json_opts[] = { { "json", no_argument, NULL, 'j' }, END };
static const struct option exec_opts[] = { { "page", required_argument, NULL, 'p' },
	{ "min-ttl", required_argument, NULL, 't' },
	{ "allow-nested", no_argument, NULL, 'n' }, END };
static const struct option env_opts[] = { { "page", required_argument, NULL, 'p' },
	{ "min-ttl", required_argument, NULL, 't' },
	{ "format", required_argument, NULL, 'F' },
	{ "force", no_argument, NULL, 'f' }, END };
static const struct option inject_opts[] = { { "input", required_argument, NULL, 'i' },
	{ "output", required_argument, NULL, 'o' }, END };
static const struct option login_opts[] = { { "app-id", required_argument, NULL, 'a' },
	{ "page", required_argument, NULL, 'p' },
	{ "system-user", no_argument, NULL, 's' }, END };
static const struct option post_opts[] = { { "page", required_argument, NULL, 'p' },
	{ "message", required_argument, NULL, 'm' },
	{ "message-file", required_argument, NULL, 'M' },
	{ "link", required_argument, NULL, 'l' },
	{ "photo", required_argument, NULL, 'f' },
	{ "at", required_argument, NULL, 'a' },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "json", no_argument, NULL, 'j' }, END };
static const struct option scheduled_opts[] = { { "page", required_argument, NULL, 'p' },
	{ "json", no_argument, NULL, 'j' }, END };
static const struct option api_opts[] = { { "page", required_argument, NULL, 'p' },
	{ "token", required_argument, NULL, 't' },
	{ "paginate", no_argument, NULL, 'g' },
	{ "show-secrets", no_argument, NULL, 'S' }, END };
static const struct option delete_opts[] = { { "page", required_argument, NULL, 'p' },
	{ "yes", no_argument, NULL, 'y' }, END };
static const struct option refresh_opts[] = { { "page", required_argument, NULL, 'p' }, END };
static const struct option check_opts[] = { { "warn", required_argument, NULL, 'w' },
	{ "notify", no_argument, NULL, 'n' },
	{ "json", no_argument, NULL, 'j' }, END };
static const struct option log_opts[] = { { "since", required_argument, NULL, 's' },
	{ "json", no_argument, NULL, 'j' }, END };
static const struct option unlock_opts[] = { { "for", required_argument, NULL, 'f' }, END };
static const struct option lock_opts[] = { { "all", no_argument, NULL, 'a' }, END };
static const struct option identity_opts[] = { { "output", required_argument, NULL, 'o' }, END };
static const struct option recipients_opts[] = { { "name", required_argument, NULL, 'n' },
	{ "json", no_argument, NULL, 'j' }, END };

const struct command commands[] = {
	{ "init", cmd_init, "[--kdf interactive|moderate|sensitive]",
	  "create a vault (refuses to overwrite one)", "+h", kdf_opts, 0, 0, NULL },
	{ "put", cmd_put, "[-f|--force] [--binary] NAME",
	  "store a value read from stdin (a terminal: prompt, no echo)", "+hfb", put_opts,
	  1, 1, "put takes one NAME" },
	{ "get", cmd_get, "[-n] NAME", "print a value (-n: no trailing newline)", "+hn",
	  get_opts, 1, 1, "get takes one NAME" },
	{ "list", cmd_list, "[--json]", "names and metadata, never values", "+h", list_opts,
	  0, 0, NULL },
	{ "rm", cmd_rm, "NAME", "remove an entry", "+h", NULL, 1, 1, "rm takes one NAME" },
	{ "passwd", cmd_passwd, "[--kdf LEVEL] | --remove",
	  "set a new passphrase, or remove the passphrase slot", "+h", passwd_opts,
	  0, 0, NULL },
	{ "exec", cmd_exec, "[--page PAGE_ID] [-e VAR=NAME]... [--min-ttl DURATION] "
	  "[--allow-nested] [--] CMD [ARG...]",
	  "run CMD with a page token and its appsecret_proof in its environment", "+he:",
	  exec_opts, 1, ARGS_ANY, "exec needs a command to run" },
	{ "env", cmd_env, "[--page PAGE_ID] [-e VAR=NAME]... [--min-ttl DURATION] "
	  "[--format shell|dotenv|json] [--force]",
	  "print exec's variables for eval, as a dotenv file, or as JSON", "+he:", env_opts,
	  0, 0, NULL },
	{ "inject", cmd_inject, "[-i TEMPLATE] [-o OUTPUT]",
	  "fill in the {{ fbvault:NAME }} references of a template", "+hi:o:", inject_opts,
	  0, 0, NULL },
	{ "login", cmd_login, "[--app-id ID] [--page PAGE_ID]... [--system-user]",
	  "exchange a short-lived token (stdin) for long-lived user and page tokens", "+h",
	  login_opts, 0, 0, NULL },
	{ "status", cmd_status, "[--json]", "every stored token, its kind and expiry (offline)",
	  "+h", json_opts, 0, 0, NULL },
	{ "inspect", cmd_inspect, "NAME [--json]",
	  "ask the Graph API's /debug_token about a token", "h", json_opts, 1, 1,
	  "inspect takes one NAME" },
	{ "post", cmd_post, "[--page PAGE_ID] [-m TEXT | --message-file FILE] [--link URL] "
	  "[--photo FILE|URL]... [--at TIME] [--dry-run] [--json]",
	  "publish a post on the page now, or schedule it (--at +2h, ISO 8601 with a zone)",
	  "+hm:", post_opts, 0, 0, NULL },
	{ "scheduled", cmd_scheduled, "[--page PAGE_ID] [--json]",
	  "list the page's scheduled posts", "+h", scheduled_opts, 0, 0, NULL },
	{ "delete", cmd_delete, "[--page PAGE_ID] [--yes] POST_ID",
	  "delete a post or a scheduled post (asks first, unless --yes)", "hy", delete_opts, 1, 1,
	  "delete takes one POST_ID" },
	{ "api", cmd_api, "[--page PAGE_ID | --token NAME] [-X METHOD] PATH [-f KEY=VALUE]... "
	  "[-F KEY=@FILE]... [--paginate] [--show-secrets] [-v]",
	  "call the Graph API with a stored token; the answer's JSON on stdout, secrets redacted",
	  "hX:f:F:v", api_opts, 1, 1, "api takes one PATH" },
	{ "check", cmd_check, "[--warn DURATION] [--notify] [--json]",
	  "ask Graph about every stored token: alive, able to post, expiring (exit 1: soon)",
	  "+h", check_opts, 0, 0, NULL },
	{ "refresh", cmd_refresh, "[--page PAGE_ID]...",
	  "re-derive the page tokens from the stored user token, checked, all or nothing", "+h",
	  refresh_opts, 0, 0, NULL },
	{ "log", cmd_log, "[--since TIME] [--json]",
	  "which command used which stored value, and when (names only)", "+h", log_opts, 0, 0,
	  NULL },
	{ "keyring", cmd_keyring, "enable|disable|status [--json]",
	  "open the vault with the desktop keyring (Secret Service)", "h", json_opts, 1, 1,
	  "keyring takes one of enable, disable, status" },
	{ "unlock", cmd_unlock, "[--for DURATION]",
	  "keep the key in the kernel keyring for a while (default 15m, at most 24h)", "+h",
	  unlock_opts, 0, 0, NULL },
	{ "lock", cmd_lock, "[--all]", "forget the timed-unlock key now", "+h", lock_opts,
	  0, 0, NULL },
	{ "doctor", cmd_doctor, "[--json]",
	  "check the vault, its permissions, its tokens and this installation", "+h",
	  json_opts, 0, 0, NULL },
	{ "identity", cmd_identity, "new [-o FILE] | show [FILE]",
	  "make an X25519 identity file (0600) and print its public key, or show it", "ho:",
	  identity_opts, 1, 2, "identity takes new [-o FILE] or show [FILE]" },
	{ "recipients", cmd_recipients, "add KEY [--name LABEL] | add -R FILE | rm KEY|LABEL | "
	  "list [--json]", "the vault's members: recipient slots and the committed list",
	  "hR:", recipients_opts, 1, 2, "recipients takes add, rm or list" },
	{ "git-setup", cmd_git_setup, "",
	  "diff and merge drivers for the vault in this git repository", "+h", NULL, 0, 0, NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, NULL },
};

/* Not listed among the commands, as before. */
static const struct command help_command = {
	"help", cmd_help, "[COMMAND]", "show help for fbvault or a command", "+h", NULL,
	0, 1, NULL,
};

/* What git-setup configures git to run: not listed, documented in
 * fbvault(1) under git-setup. */
static const struct command hidden[] = {
	{ "git-merge", cmd_git_merge, "BASE OURS THEIRS [PATH]",
	  "git's merge driver: a three-way merge of vault versions into OURS", "+h", NULL, 3, 4,
	  "git-merge takes BASE OURS THEIRS [PATH] (git's %O %A %B %P)" },
	{ "git-diff", cmd_git_diff, "FILE",
	  "git's textconv: a version's entry names and metadata, never a value", "+h", NULL, 1, 1,
	  "git-diff takes one FILE" },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, NULL },
};

const struct command *
command_find(const char *name)
{
	const struct command *cmd;

	if (strcmp(name, help_command.name) == 0)
		return &help_command;
	for (cmd = hidden; cmd->name != NULL; cmd++)
		if (strcmp(cmd->name, name) == 0)
			return cmd;
	for (cmd = commands; cmd->name != NULL; cmd++)
		if (strcmp(cmd->name, name) == 0)
			return cmd;
	return NULL;
}
