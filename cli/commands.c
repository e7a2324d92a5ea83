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
static const struct option get_opts[] = { { "no-newline", no_argument, NULL, 'n' },
	{ "clip", no_argument, NULL, 'c' }, END };
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

/* Rich help: each command's options in one line each, examples, and the
 * exit codes it can return (NULL text: the general meaning). */
#define O(opt, text) { opt, text }
#define X(code) { code, NULL }
static const struct option_doc kdf_doc[] = {
	O("--kdf LEVEL", "Argon2id cost: interactive, moderate (default) or sensitive"),
	OPTION_DOC_END };
static const struct option_doc put_doc[] = {
	O("-f, --force", "replace the entry if it exists"),
	O("-b, --binary", "keep every byte of stdin (no trailing newline dropped)"),
	OPTION_DOC_END };
static const struct option_doc get_doc[] = {
	O("-n, --no-newline", "no newline after the value"),
	O("--clip", "copy it to the clipboard (wl-copy, xclip), cleared after 45 s"),
	OPTION_DOC_END };
static const struct option_doc list_doc[] = {
	O("--json", "a JSON array, one object per entry (schema in fbvault(1))"),
	O("--names-if-unlocked", "for completions: names only, and only if no passphrase is needed"),
	OPTION_DOC_END };
static const struct option_doc none_doc[] = { OPTION_DOC_END };
static const struct option_doc json_doc[] = { O("--json", "the same as JSON, for scripts"),
	OPTION_DOC_END };
static const struct option_doc exec_doc[] = {
	O("--page PAGE_ID", "the page whose token to pass (needless with a single page)"),
	O("-e VAR=NAME", "entry NAME in variable VAR (repeatable)"),
	O("--min-ttl DURATION", "refuse if the token expires within DURATION (7d, 12h)"),
	O("--allow-nested", "run even inside another fbvault exec"),
	OPTION_DOC_END };
static const struct option_doc env_doc[] = {
	O("--page PAGE_ID", "the page whose token to print (needless with a single page)"),
	O("-e VAR=NAME", "entry NAME in variable VAR (repeatable)"),
	O("--min-ttl DURATION", "refuse if the token expires within DURATION (7d, 12h)"),
	O("--format FORMAT", "shell (export VAR='...', the default), dotenv or json"),
	O("--force", "print even to a terminal"),
	OPTION_DOC_END };
static const struct option_doc inject_doc[] = {
	O("-i, --input TEMPLATE", "read the template from TEMPLATE (default: stdin)"),
	O("-o, --output OUTPUT", "write OUTPUT atomically, mode 0600 (default: stdout)"),
	OPTION_DOC_END };
static const struct option_doc login_doc[] = {
	O("--app-id ID", "the App ID (default: the entry app-id)"),
	O("--page PAGE_ID", "only this page (repeatable; default: every page you manage)"),
	O("--system-user", "read a Business Manager system-user token instead; no exchange"),
	OPTION_DOC_END };
static const struct option_doc check_doc[] = {
	O("--warn DURATION", "exit 1 when a token expires within DURATION (default 14d)"),
	O("--notify", "also send a desktop notification on a warning or an error"),
	O("--json", "the same as JSON, for scripts"),
	OPTION_DOC_END };
static const struct option_doc refresh_doc[] = {
	O("--page PAGE_ID", "only this page (repeatable; default: every stored page)"),
	OPTION_DOC_END };
static const struct option_doc log_doc[] = {
	O("--since TIME", "only from TIME on: a duration ago (7d), @UNIX_SECONDS or ISO 8601"),
	O("--json", "one JSON object a line, for scripts"),
	OPTION_DOC_END };
static const struct option_doc post_doc[] = {
	O("--page PAGE_ID", "the page to post on (needless with a single page)"),
	O("-m, --message TEXT", "the text (or --message-file, or stdin)"),
	O("--message-file FILE", "the text, from FILE"),
	O("--link URL", "a link to attach"),
	O("--photo FILE|URL", "a photo, from disk or a URL (repeatable: one post, many photos)"),
	O("--at TIME", "schedule it: +2h, +3d, or ISO 8601 with a zone (10 min to 30 days ahead)"),
	O("--dry-run", "check everything and print the requests; send nothing"),
	O("--json", "print Graph's answer as JSON"),
	OPTION_DOC_END };
static const struct option_doc scheduled_doc[] = {
	O("--page PAGE_ID", "the page (needless with a single page)"),
	O("--json", "the posts as JSON"),
	OPTION_DOC_END };
static const struct option_doc delete_doc[] = {
	O("--page PAGE_ID", "the page whose token deletes it (default: from POST_ID)"),
	O("-y, --yes", "do not ask first (needed when not at a terminal)"),
	OPTION_DOC_END };
static const struct option_doc api_doc[] = {
	O("--page PAGE_ID", "use that page's token"),
	O("--token NAME", "use the token stored as NAME"),
	O("-X METHOD", "GET (default; POST with fields), POST or DELETE"),
	O("-f KEY=VALUE", "a field (repeatable)"),
	O("-F KEY=@FILE", "a file field, sent as multipart (repeatable)"),
	O("--paginate", "follow paging.next; one JSON array of every data item"),
	O("--show-secrets", "do not redact tokens and stored secrets in the answer"),
	O("-v", "say which token is used"),
	OPTION_DOC_END };
static const struct option_doc passwd_doc[] = {
	O("--kdf LEVEL", "Argon2id cost: interactive, moderate or sensitive (default: kept)"),
	O("--remove", "remove the passphrase slot (members' identities open the vault)"),
	OPTION_DOC_END };
static const struct option_doc identity_doc[] = {
	O("-o, --output FILE", "new: write the identity to FILE (default: the default identity file)"),
	OPTION_DOC_END };
static const struct option_doc recipients_doc[] = {
	O("--name LABEL", "add: the member's label in the recipients file"),
	O("-R FILE", "add: every key of FILE, in the recipients file's format"),
	O("--json", "list: the members as JSON"),
	OPTION_DOC_END };
static const struct option_doc unlock_doc[] = {
	O("--for DURATION", "how long (default 15m, at most 24h)"), OPTION_DOC_END };
static const struct option_doc lock_doc[] = {
	O("--all", "every fbvault key of yours, not only this vault's"), OPTION_DOC_END };
static const struct exit_doc init_exits[] = { X(0), X(64),
	{ 73, "a vault already exists at that path" }, X(74),
	{ 77, "no terminal to ask for the passphrase, and none given" }, EXIT_DOC_END };
static const struct exit_doc put_exits[] = { X(0),
	{ 64, "invalid name, or a value its kind does not allow (app-id: digits)" },
	X(66), { 73, "the entry exists (--force replaces it)" }, X(74), X(77), X(79),
	EXIT_DOC_END };
static const struct exit_doc get_exits[] = { X(0), X(64), { 66, "no vault, or no such entry" },
	{ 69, "--clip: no clipboard tool (wl-copy, xclip) or no display" }, X(74), X(77),
	X(79), EXIT_DOC_END };
static const struct exit_doc open_exits[] = { X(0), X(64), X(66), X(74), X(77), X(79),
	EXIT_DOC_END };
static const struct exit_doc exec_exits[] = {
	{ 0, "or any other: the exit status of CMD, once it runs" }, X(64), X(66),
	{ 77, "wrong passphrase, or --min-ttl not met" }, X(126), X(127), EXIT_DOC_END };
static const struct exit_doc env_exits[] = { X(0),
	{ 64, "a terminal without --force, or a value dotenv cannot carry" }, X(66),
	{ 77, "wrong passphrase, or --min-ttl not met" }, EXIT_DOC_END };
static const struct exit_doc inject_exits[] = { X(0), { 64, "a malformed reference" },
	{ 66, "no vault, or a reference to an unknown entry" }, X(74), X(77), EXIT_DOC_END };
static const struct exit_doc graph_exits[] = { X(0), X(64),
	{ 65, "the Graph API refused a parameter (code 100)" }, X(66), X(69), X(75), X(76),
	{ 77, "wrong passphrase, or Graph refused a token, the App Secret or a permission" },
	EXIT_DOC_END };
static const struct exit_doc post_exits[] = { X(0), X(64),
	{ 65, "the Graph API refused a parameter (code 100) or a photo (324)" }, X(66), X(69),
	{ 73, "Graph refused a duplicate post (506)" }, X(75), X(76),
	{ 77, "wrong passphrase, or Graph refused the token or a permission" }, EXIT_DOC_END };
static const struct exit_doc check_exits[] = { { 0, "every token is healthy" },
	{ 1, "a token expires, or its data access ends, within --warn" }, X(64), X(66),
	{ 69, "the Graph API cannot be reached" }, { 75, "rate limited: try later" },
	{ 77, "a token is dead or cannot post (or a wrong passphrase)" }, EXIT_DOC_END };
static const struct exit_doc log_exits[] = { X(0), { 64, "a --since that does not read" },
	{ 66, "no use log: neither XDG_STATE_HOME nor HOME is set" }, X(74), EXIT_DOC_END };
static const struct exit_doc status_exits[] = { X(0),
	{ 1, "a token has expired or expires within 7 days" }, X(66), X(77), X(79),
	EXIT_DOC_END };
static const struct exit_doc keyring_exits[] = { X(0), X(64), X(66),
	{ 69, "the Secret Service cannot be reached (the vault is unchanged)" }, X(77),
	EXIT_DOC_END };
static const struct exit_doc lock_exits[] = { X(0), X(66), X(74), EXIT_DOC_END };
static const struct exit_doc doctor_exits[] = { { 0, "every check is ok" },
	{ 1, "warnings only, nothing failed" },
	{ 64, "the code of the first failed check: 64, 65, 66, 69, 70, 74 or 77" },
	EXIT_DOC_END };
static const struct exit_doc identity_exits[] = { X(0), { 64, "a bad key or identity file" },
	{ 66, "show: no identity file" }, { 73, "new: the file exists" }, X(74),
	{ 77, "unsafe permissions on the identity file" }, EXIT_DOC_END };
static const struct exit_doc recipients_exits[] = { X(0), { 64, "a bad key or label" },
	{ 65, "list: the recipients file and the vault's slots disagree" }, X(66),
	{ 73, "add: already a member" },
	{ 77, "no fresh proof (an identity or the passphrase), or rm of the last slot" },
	X(79), EXIT_DOC_END };
static const struct exit_doc git_setup_exits[] = { X(0),
	{ 64, "the vault is not inside a git work tree" }, X(66), X(74), EXIT_DOC_END };
static const struct exit_doc git_merge_exits[] = { { 0, "merged into OURS" },
	{ 1, "the two sides conflict (OURS left as it was)" }, X(65),
	{ 77, "a version that neither an identity, the keyring nor a timed unlock opens" },
	EXIT_DOC_END };
static const struct exit_doc help_exits[] = { X(0), { 64, "no such command" }, EXIT_DOC_END };

const struct command commands[] = {
	{ "init", cmd_init, "[--kdf interactive|moderate|sensitive]",
	  "create a vault (refuses to overwrite one)", "+h", kdf_opts, 0, 0, NULL,
	  kdf_doc,
	  "fbvault init\n"
	  "fbvault --vault ~/work.vault init --kdf sensitive",
	  init_exits },
	{ "put", cmd_put, "[-f|--force] [--binary] NAME",
	  "store a value read from stdin (a terminal: prompt, no echo)", "+hfb", put_opts,
	  1, 1, "put takes one NAME",
	  put_doc,
	  "fbvault put app-secret\n"
	  "printf '%s\\n' \"$TOKEN\" | fbvault put --force page/1234\n"
	  "fbvault put --binary blob < file",
	  put_exits },
	{ "get", cmd_get, "[-n] [--clip] NAME", "print a value, or copy it to the clipboard", "+hn",
	  get_opts, 1, 1, "get takes one NAME",
	  get_doc, "fbvault get -n app-id\nfbvault get --clip app-secret", get_exits },
	{ "list", cmd_list, "[--json]", "names and metadata, never values", "+h", list_opts,
	  0, 0, NULL,
	  list_doc, "fbvault list\nfbvault list --json | jq -r '.[].name'", open_exits },
	{ "rm", cmd_rm, "NAME", "remove an entry", "+h", NULL, 1, 1, "rm takes one NAME",
	  none_doc, "fbvault rm my/token", open_exits },
	{ "passwd", cmd_passwd, "[--kdf LEVEL] | --remove",
	  "set a new passphrase, or remove the passphrase slot", "+h", passwd_opts,
	  0, 0, NULL,
	  passwd_doc, "fbvault passwd\nfbvault passwd --kdf sensitive\nfbvault passwd --remove",
	  open_exits },
	{ "exec", cmd_exec, "[--page PAGE_ID] [-e VAR=NAME]... [--min-ttl DURATION] "
	  "[--allow-nested] [--] CMD [ARG...]",
	  "run CMD with a page token and its appsecret_proof in its environment", "+he:",
	  exec_opts, 1, ARGS_ANY, "exec needs a command to run",
	  exec_doc,
	  "fbvault exec --page 1234 -- ./post.sh\n"
	  "fbvault exec -e TOKEN=user-token -- ./report.sh\n"
	  "fbvault exec --min-ttl 7d -- ./post.sh",
	  exec_exits },
	{ "env", cmd_env, "[--page PAGE_ID] [-e VAR=NAME]... [--min-ttl DURATION] "
	  "[--format shell|dotenv|json] [--force]",
	  "print exec's variables for eval, as a dotenv file, or as JSON", "+he:", env_opts,
	  0, 0, NULL,
	  env_doc,
	  "fbvault env --format dotenv > .env\n"
	  "eval \"$(fbvault env --page 1234)\"",
	  env_exits },
	{ "inject", cmd_inject, "[-i TEMPLATE] [-o OUTPUT]",
	  "fill in the {{ fbvault:NAME }} references of a template", "+hi:o:", inject_opts,
	  0, 0, NULL,
	  inject_doc, "fbvault inject -i config.tmpl -o config.ini", inject_exits },
	{ "login", cmd_login, "[--app-id ID] [--page PAGE_ID]... [--system-user]",
	  "exchange a short-lived token (stdin) for long-lived user and page tokens", "+h",
	  login_opts, 0, 0, NULL,
	  login_doc,
	  "fbvault login\n"
	  "fbvault login --app-id 1122334455 --page 1234",
	  graph_exits },
	{ "status", cmd_status, "[--json]", "every stored token, its kind and expiry (offline)",
	  "+h", json_opts, 0, 0, NULL,
	  json_doc,
	  "fbvault status\n"
	  "fbvault status || echo \"renew soon: fbvault login\"",
	  status_exits },
	{ "inspect", cmd_inspect, "NAME [--json]",
	  "ask the Graph API's /debug_token about a token", "h", json_opts, 1, 1,
	  "inspect takes one NAME",
	  json_doc,
	  "fbvault inspect page/1234\n"
	  "fbvault inspect user-token --json",
	  graph_exits },
	{ "post", cmd_post, "[--page PAGE_ID] [-m TEXT | --message-file FILE] [--link URL] "
	  "[--photo FILE|URL]... [--at TIME] [--dry-run] [--json]",
	  "publish a post on the page now, or schedule it (--at +2h, ISO 8601 with a zone)",
	  "+hm:", post_opts, 0, 0, NULL,
	  post_doc,
	  "fbvault post --page 1234 -m \"Fresh bread at 7\"\n"
	  "fbvault post -m \"Tomorrow\" --photo loaf.jpg --at +20h\n"
	  "fbvault post -m \"Check\" --photo big.jpg --dry-run",
	  post_exits },
	{ "scheduled", cmd_scheduled, "[--page PAGE_ID] [--json]",
	  "list the page's scheduled posts", "+h", scheduled_opts, 0, 0, NULL,
	  scheduled_doc, "fbvault scheduled --page 1234", graph_exits },
	{ "delete", cmd_delete, "[--page PAGE_ID] [--yes] POST_ID",
	  "delete a post or a scheduled post (asks first, unless --yes)", "hy", delete_opts, 1, 1,
	  "delete takes one POST_ID",
	  delete_doc, "fbvault delete --yes 1234_5678", graph_exits },
	{ "api", cmd_api, "[--page PAGE_ID | --token NAME] [-X METHOD] PATH [-f KEY=VALUE]... "
	  "[-F KEY=@FILE]... [--paginate] [--show-secrets] [-v]",
	  "call the Graph API with a stored token; the answer's JSON on stdout, secrets redacted",
	  "hX:f:F:v", api_opts, 1, 1, "api takes one PATH",
	  api_doc,
	  "fbvault api me/accounts --paginate\n"
	  "fbvault api 1234/feed -f message=Hello",
	  post_exits },
	{ "check", cmd_check, "[--warn DURATION] [--notify] [--json]",
	  "ask Graph about every stored token: alive, able to post, expiring (exit 1: soon)",
	  "+h", check_opts, 0, 0, NULL,
	  check_doc,
	  "fbvault check\n"
	  "fbvault check --warn 30d --notify",
	  check_exits },
	{ "refresh", cmd_refresh, "[--page PAGE_ID]...",
	  "re-derive the page tokens from the stored user token, checked, all or nothing", "+h",
	  refresh_opts, 0, 0, NULL,
	  refresh_doc,
	  "fbvault refresh\n"
	  "fbvault refresh --page 1234",
	  graph_exits },
	{ "log", cmd_log, "[--since TIME] [--json]",
	  "which command used which stored value, and when (names only)", "+h", log_opts, 0, 0,
	  NULL,
	  log_doc,
	  "fbvault log --since 7d\n"
	  "fbvault log --json",
	  log_exits },
	{ "keyring", cmd_keyring, "enable|disable|status [--json]",
	  "open the vault with the desktop keyring (Secret Service)", "h", json_opts, 1, 1,
	  "keyring takes one of enable, disable, status",
	  json_doc, "fbvault keyring enable\nfbvault keyring status --json", keyring_exits },
	{ "unlock", cmd_unlock, "[--for DURATION]",
	  "keep the key in the kernel keyring for a while (default 15m, at most 24h)", "+h",
	  unlock_opts, 0, 0, NULL,
	  unlock_doc, "fbvault unlock --for 2h", open_exits },
	{ "lock", cmd_lock, "[--all]", "forget the timed-unlock key now", "+h", lock_opts,
	  0, 0, NULL,
	  lock_doc, "fbvault lock\nfbvault lock --all", lock_exits },
	{ "doctor", cmd_doctor, "[--json]",
	  "check the vault, its permissions, its tokens and this installation", "+h",
	  json_opts, 0, 0, NULL,
	  json_doc,
	  "fbvault doctor\n"
	  "fbvault --no-keyring doctor --json || mail -s fbvault me",
	  doctor_exits },
	{ "identity", cmd_identity, "new [-o FILE] | show [FILE]",
	  "make an X25519 identity file (0600) and print its public key, or show it", "ho:",
	  identity_opts, 1, 2, "identity takes new [-o FILE] or show [FILE]",
	  identity_doc,
	  "fbvault identity new\n"
	  "fbvault identity new -o ci.identity\n"
	  "fbvault identity show ci.identity",
	  identity_exits },
	{ "recipients", cmd_recipients, "add KEY [--name LABEL] | add -R FILE | rm KEY|LABEL | "
	  "list [--json]", "the vault's members: recipient slots and the committed list",
	  "hR:", recipients_opts, 1, 2, "recipients takes add, rm or list",
	  recipients_doc,
	  "fbvault recipients add fbv1... --name alice\n"
	  "fbvault recipients rm alice\n"
	  "fbvault recipients list --json",
	  recipients_exits },
	{ "git-setup", cmd_git_setup, "",
	  "diff and merge drivers for the vault in this git repository", "+h", NULL, 0, 0, NULL,
	  none_doc, "fbvault --vault secrets/vault git-setup", git_setup_exits },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL },
};

/* Not listed among the commands, as before. */
static const struct command help_command = {
	"help", cmd_help, "[COMMAND]", "show help for fbvault or a command", "+h", NULL,
	0, 1, NULL, none_doc, "fbvault help\nfbvault help put", help_exits,
};

/* What git-setup configures git to run: not listed, documented in
 * fbvault(1) under git-setup. */
static const struct command hidden[] = {
	{ "git-merge", cmd_git_merge, "BASE OURS THEIRS [PATH]",
	  "git's merge driver: a three-way merge of vault versions into OURS", "+h", NULL, 3, 4,
	  "git-merge takes BASE OURS THEIRS [PATH] (git's %O %A %B %P)",
	  none_doc, "fbvault git-merge %O %A %B %P", git_merge_exits },
	{ "git-diff", cmd_git_diff, "FILE",
	  "git's textconv: a version's entry names and metadata, never a value", "+h", NULL, 1, 1,
	  "git-diff takes one FILE", none_doc, "fbvault git-diff secrets/vault", open_exits },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL },
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
