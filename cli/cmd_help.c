/* help: the commands, the exit codes, a command's usage, options,
 * examples and exit codes; the nearest command to a typo. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "errors.h"
#include "options.h"
#include "out.h"

static const struct exit_doc general_exits[] = {
	{ 0, "success" },
	{ 1, "doctor: warnings only; check: a token expires within --warn; status: a token\n"
	     "      has expired or expires within 7 days; git-merge: the two sides conflict" },
	{ 64, "usage error or invalid input (bad option, name, value)" },
	{ 65, "vault corrupted or tampered with, or an unsupported format" },
	{ 66, "vault or entry not found" },
	{ 69, "service unavailable: Graph API or Secret Service unreachable" },
	{ 70, "internal error" },
	{ 73, "entry or vault already exists; post: a duplicate post" },
	{ 74, "I/O error" },
	{ 75, "temporary failure: rate limited or transient Graph error; post, delete,\n"
	      "      api: the write went out, no clear answer came (check before retrying)" },
	{ 76, "unexpected response from the Graph API" },
	{ 77, "wrong passphrase, unsafe permissions, or access refused" },
	{ 79, "rollback: an older copy of the vault than this machine has opened" },
	{ 126, "exec: command not executable" },
	{ 127, "exec: command not found" },
	EXIT_DOC_END,
};

static const char *
general_meaning(int code)
{
	const struct exit_doc *e;

	for (e = general_exits; e->code >= 0; e++)
		if (e->code == code)
			return e->text;
	return "";
}

static void
print_exits(FILE *f, const struct exit_doc *exits)
{
	const struct exit_doc *e;

	fprintf(f, "exit codes:\n");
	for (e = exits; e->code >= 0; e++)
		fprintf(f, "  %-3d %s\n", e->code, e->text != NULL ? e->text :
		    general_meaning(e->code));
}

void
help_all(FILE *f)
{
	const struct command *cmd;

	fprintf(f, "usage: fbvault %s COMMAND [ARGS]\n\ncommands:\n", global_usage);
	for (cmd = commands; cmd->name != NULL; cmd++)
		fprintf(f, "  %-8s %s\n", cmd->name, cmd->help);
	fprintf(f, "\nfbvault help COMMAND shows a command's options, examples and exit "
	    "codes.\n\n");
	print_exits(f, general_exits);
}

void
print_help(const struct command *cmd, FILE *f)
{
	const struct option_doc *o;
	const char *ex, *nl;
	int width = 0;

	print_usage(cmd, f);
	fprintf(f, "\n%s\n", cmd->help);
	for (o = cmd->option_docs; o != NULL && o->option != NULL; o++)
		if ((int)strlen(o->option) > width)
			width = (int)strlen(o->option);
	if (cmd->option_docs != NULL && cmd->option_docs->option != NULL)
		fprintf(f, "\noptions:\n");
	for (o = cmd->option_docs; o != NULL && o->option != NULL; o++)
		fprintf(f, "  %-*s  %s\n", width, o->option, o->text);
	if (cmd->examples != NULL) {
		fprintf(f, "\nexamples:\n");
		for (ex = cmd->examples; *ex != '\0'; ex = *nl ? nl + 1 : nl) {
			nl = ex + strcspn(ex, "\n");
			fprintf(f, "  %.*s\n", (int)(nl - ex), ex);
		}
	}
	if (cmd->exit_docs != NULL) {
		fputc('\n', f);
		print_exits(f, cmd->exit_docs);
	}
	fprintf(f, "\nglobal options (before or after the command): %s\n",
	    global_usage);
}

/* Optimal string alignment distance (a swap of two letters counts one),
 * for names of at most 31 bytes. */
static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, d[32][32], best;

	if (la > 31 || lb > 31)
		return 99;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

static void
closer(const char *name, const char *cand, size_t *best, const char **found, bool *tie)
{
	size_t d = distance(name, cand);

	if (d < *best) {
		*best = d;
		*found = cand;
		*tie = false;
	} else if (d == *best) {
		*tie = true;
	}
}

/* The one command within two edits of name (one for short names), or NULL. */
static const char *
nearest_command(const char *name)
{
	size_t best = (strlen(name) <= 3 ? 1 : 2) + 1;
	const struct command *cmd;
	const char *found = NULL;
	bool tie = false;

	for (cmd = commands; cmd->name != NULL; cmd++)
		closer(name, cmd->name, &best, &found, &tie);
	closer(name, "help", &best, &found, &tie);
	return tie ? NULL : found;
}

int
unknown_command(const char *name)
{
	const char *near = nearest_command(name);

	if (near != NULL)
		return global_usage_error(NULL, "unknown command '%s'; did you mean '%s'?", name,
		    near);
	return global_usage_error(NULL, "unknown command '%s' (fbvault help lists them)", name);
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
		return unknown_command(argv[optind]);
	print_help(cmd, stdout);
	return 0;
}
