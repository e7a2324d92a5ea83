/* exec: runs a program with the page token, its appsecret_proof and the
 * entries asked for in its environment; never in argv. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "errors.h"
#include "out.h"
#include "process.h"
#include "vars.h"

extern char **environ;

/* As shells report them. */
#define EXIT_CANNOT_EXEC 126
#define EXIT_CMD_NOT_FOUND 127

/* Never inherited by exec's child: the passphrase and identity files would
 * let it open the vault, and a stale page variable must not pass for ours. */
static const char *const dropped_vars[] = {
	"FBVAULT_PASSPHRASE_FILE", "FBVAULT_NEW_PASSPHRASE_FILE", "FBVAULT_EXEC",
	"FBVAULT_IDENTITY_FILE",
	"FB_PAGE_ID", "FB_PAGE_ACCESS_TOKEN", "FB_APP_ID", "FB_APPSECRET_PROOF",
	"FB_TOKEN_EXPIRES_AT", NULL,
};

static bool
env_dropped(const char *kv, const struct varset *vs)
{
	size_t len = strcspn(kv, "=");
	const char *const *d;

	for (d = dropped_vars; *d != NULL; d++)
		if (strlen(*d) == len && memcmp(*d, kv, len) == 0)
			return true;
	return varset_has(vs, kv, len);
}

/* Our environment without what must not pass on, then our variables. */
static char **
child_env(const struct varset *vs)
{
	size_t n = 0, i, k = 0;
	char **envp;

	while (environ != NULL && environ[n] != NULL)
		n++;
	if ((envp = calloc(n + vs->n + 1, sizeof(*envp))) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (!env_dropped(environ[i], vs))
			envp[k++] = environ[i];
	for (i = 0; i < vs->n; i++)
		envp[k++] = vs->v[i].kv;
	return envp;
}

static int
exec_error(const char *cmd, int err)
{
	if (err == ENOENT)
		return fail(EXIT_CMD_NOT_FOUND, "%s: %s", cmd,
		    strchr(cmd, '/') != NULL ? "no such file or directory" : "command not found");
	if (err == EACCES)
		return fail(EXIT_CANNOT_EXEC, "%s: permission denied", cmd);
	return fail(EXIT_CANNOT_EXEC, "%s: cannot execute: %s", cmd, strerror(err));
}

/* A passphrase descriptor would let the child read what is left in it;
 * standard streams stay, as the user set them up. */
static void
close_passphrase_fds(const struct ctx *c)
{
	if (c->passphrase_fd > STDERR_FILENO)
		close(c->passphrase_fd);
	if (c->new_passphrase_fd > STDERR_FILENO && c->new_passphrase_fd != c->passphrase_fd)
		close(c->new_passphrase_fd);
}

int
cmd_exec(struct ctx *c, const struct command *self, int argc, char **argv)
{
	struct env_opts o;
	struct varset vs = { .n = 0 };
	char **envp;
	int r;

	if ((r = env_parse(c, self, argc, argv, &o)) >= 0)
		return r;
	if (getenv("FBVAULT_EXEC") != NULL && !o.allow_nested)
		return fail(EXIT_USAGE, "already running under fbvault exec (FBVAULT_EXEC is "
		    "set); use --allow-nested to run another inside it");
	o.program = argv[optind];
	if ((r = varset_add_str(&vs, "FBVAULT_EXEC", "1")) != 0 ||
	    (r = load_vars(c, &o, &vs)) != 0) {
		varset_free(&vs);
		return r;
	}
	if ((envp = child_env(&vs)) == NULL) {
		varset_free(&vs);
		return fail(EXIT_INTERNAL, "out of memory");
	}
	close_passphrase_fds(c);
	restore_child_state();
	fflush(NULL);
	execvpe(argv[optind], argv + optind, envp);
	r = exec_error(argv[optind], errno);
	free(envp);
	varset_free(&vs);
	return r;
}
