#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../crypto/errors.h"
#include "../graph/graph.h"
#include "../vault/io.h"
#include "../vault/store.h"
#include "errors.h"
#include "out.h"

static void
vmsg(const char *fmt, va_list ap)
{
	fputs("fbvault: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

int
fail(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	return code;
}

/* Whoever can write to the vault's directory can replace, roll back or
 * splice the vault: refused, with the command that fixes it. */
static int
fail_dir(int err, const char *path)
{
	char *dir = path_dirname(path);
	struct stat st;
	int code;

	if (dir == NULL)
		return fail(EXIT_INTERNAL, "out of memory");
	if (err == FBV_ERR_DIR_MODE)
		code = fail(EXIT_DENIED, "%s: its directory %s is writable by group or others, who "
		    "could replace the vault; fix with: chmod go-w %s", path, dir, dir);
	else
		code = fail(EXIT_DENIED, "%s: its directory %s belongs to uid %ld, who could replace "
		    "the vault; fix with: chown %ld %s (or keep the vault in a directory of your "
		    "own: --vault PATH)", path, dir, stat(dir, &st) == 0 ? (long)st.st_uid : -1L,
		    (long)geteuid(), dir);
	free(dir);
	return code;
}

/* The init that creates it: with --vault unless it is where the vault is
 * by default (FBVAULT_PATH, XDG_DATA_HOME). */
static int
no_vault(const char *path)
{
	char *dflt = NULL;
	bool named = store_default_path(&dflt) != FBV_OK || strcmp(dflt, path) != 0;
	const char *q = strspn(path, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_-./~+,:@") == strlen(path) ? "" : "'";
	int code;

	code = fail(EXIT_NOTFOUND, "no vault at %s; create one with: fbvault %s%s%s%s%sinit",
	    path, named ? "--vault " : "", named ? q : "", named ? path : "", named ? q : "",
	    named ? " " : "");
	free(dflt);
	return code;
}

/* "fbvault: WHAT: REASON", with a fix where there is one. */
int
fail_err(int err, const char *what)
{
	switch (err) {
	case FBV_ERR_PERM:
		return fail(EXIT_DENIED, "%s: unsafe permissions: the file must be owned by "
		    "you and not open to group or others; fix with: chmod 600 %s", what, what);
	case FBV_ERR_NO_VAULT:
		return no_vault(what);
	case FBV_ERR_SYMLINK:
		return fail(EXIT_DENIED, "%s is a symbolic link; fbvault does not follow links "
		    "to the vault file (name the file itself)", what);
	case FBV_ERR_DIR_OWNER:
	case FBV_ERR_DIR_MODE:
		return fail_dir(err, what);
	case FBV_ERR_WRONG_PASS:
		return fail(EXIT_DENIED, "%s: wrong passphrase", what);
	default:
		return fail(err_exit_code(err), "%s: %s", what, fbv_strerror(err));
	}
}

const char global_usage[] = "[--vault PATH] [--passphrase-fd N] [--new-passphrase-fd N] "
    "[--identity FILE] [--identity-fd N] [--no-keyring] [--accept-rollback] [--quiet]";

void
print_usage(const struct command *cmd, FILE *f)
{
	fprintf(f, "usage: fbvault %s%s%s\n", cmd->name, *cmd->usage ? " " : "", cmd->usage);
}

static void
print_global_usage(const struct command *cmd, FILE *f)
{
	if (cmd == NULL)
		fprintf(f, "usage: fbvault %s COMMAND [ARGS]\n", global_usage);
	else
		fprintf(f, "usage: fbvault %s %s%s%s\n", global_usage, cmd->name,
		    *cmd->usage ? " " : "", cmd->usage);
}

int
usage_error(const struct command *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	if (cmd != NULL)
		print_usage(cmd, stderr);
	return EXIT_USAGE;
}

int
global_usage_error(const struct command *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	print_global_usage(cmd, stderr);
	return EXIT_USAGE;
}

/* Text from outside (page names, Graph messages) may carry escape
 * sequences: control bytes, C1 controls and invalid UTF-8 are printed as
 * \xNN (graph_escape()) so that they cannot drive the terminal. */
void
term_escape(FILE *f, const char *s, size_t len)
{
	size_t cap = len * 4 + 1;
	char *out = malloc(cap);

	if (out == NULL)
		return;
	graph_escape(out, cap, s, len);
	fputs(out, f);
	free(out);
}

int64_t
now_unix(void)
{
	return (int64_t)time(NULL);
}

void
format_time(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL || strftime(buf, len, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		snprintf(buf, len, "%lld", (long long)t);
}
