#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../crypto/errors.h"
#include "../vault/identity_file.h"
#include "errors.h"
#include "identities.h"
#include "options.h"
#include "out.h"

#define IDENTITIES_MAX 16

static struct {
	bool loaded;
	struct x25519_keypair *kp[IDENTITIES_MAX + 2];
	int n;
} cache;

int
identity_option(struct ctx *c, const struct command *self, int opt, const char *arg)
{
	char **grown, *end;
	long fd;

	if (opt == OPT_IDENTITY_FD) {
		fd = strtol(arg, &end, 10);
		if (*arg == '\0' || *end != '\0' || fd < 0 || fd > 1000000)
			return usage_error(self, "--identity-fd wants a file descriptor number");
		c->identity_fd = (int)fd;
		return OPT_HANDLED;
	}
	if (c->nidentities == IDENTITIES_MAX)
		return usage_error(self, "at most %d --identity options", IDENTITIES_MAX);
	if ((grown = realloc(c->identities, (size_t)(c->nidentities + 1) * sizeof(*grown))) == NULL)
		return fail(EXIT_INTERNAL, "out of memory");
	c->identities = grown;
	if ((grown[c->nidentities] = strdup(arg)) == NULL)
		return fail(EXIT_INTERNAL, "out of memory");
	c->nidentities++;
	return OPT_HANDLED;
}

static void
forget(void)
{
	int i;

	for (i = 0; i < cache.n; i++)
		x25519_keypair_free(cache.kp[i]);
	cache.n = 0;
}

void
identities_free(struct ctx *c)
{
	int i;

	for (i = 0; i < c->nidentities; i++)
		free(c->identities[i]);
	free(c->identities);
	c->identities = NULL;
	c->nidentities = 0;
	forget();
}

static const char *
env_identity(void)
{
	const char *e = getenv("FBVAULT_IDENTITY_FILE");

	return e != NULL && *e != '\0' ? e : NULL;
}

bool
identities_named(const struct ctx *c)
{
	return c->nidentities > 0 || c->identity_fd >= 0 || env_identity() != NULL;
}

/* One line: what, and where in it. */
static int
fail_identity(int r, const char *what, size_t line)
{
	if (r == FBV_ERR_NO_VAULT)
		return fail(EXIT_NOTFOUND, "%s: no such identity file", what);
	if (r == FBV_ERR_SYMLINK)
		return fail(EXIT_DENIED, "%s: is a symbolic link; name the identity file itself",
		    what);
	if (r == FBV_ERR_OPEN_MODE)
		return fail(EXIT_DENIED, "%s: group or others can read or write this identity "
		    "file; fix with: chmod 600 %s", what, what);
	if (line > 0)
		return fail(err_exit_code(r), "%s: line %zu: %s", what, line, fbv_strerror(r));
	return fail(err_exit_code(r), "%s: %s", what, fbv_strerror(r));
}

int
identity_load(const char *path, struct x25519_keypair **out)
{
	size_t line;
	int r = identity_read_file(path, out, &line);

	return r == FBV_OK ? 0 : fail_identity(r, path, line);
}

static int
load_fd(int fd, struct x25519_keypair **out)
{
	char what[64];
	size_t line;
	int r = identity_read_fd(fd, out, &line);

	/* read once, and gone: exec's child must not find it open */
	if (fd > STDERR_FILENO)
		close(fd);
	snprintf(what, sizeof(what), "--identity-fd %d", fd);
	return r == FBV_OK ? 0 : fail_identity(r, what, line);
}

/* The default file, if there is one; a bad one is said and skipped. */
static void
load_default(void)
{
	struct x25519_keypair *kp;
	char *path;
	size_t line;
	int r;

	if (identity_default_path(&path) != FBV_OK)
		return;
	r = identity_read_file(path, &kp, &line);
	if (r == FBV_OK)
		cache.kp[cache.n++] = kp;
	else if (r != FBV_ERR_NO_VAULT)
		msg("notice: %s: %s%s; not using it", path, r == FBV_ERR_OPEN_MODE ?
		    "group or others can read or write it (chmod 600 it)" : fbv_strerror(r),
		    line > 0 ? " (on one of its lines)" : "");
	free(path);
}

/* r is what loading *kp gave: keeps it when it loaded. */
static int
keep(int r, struct x25519_keypair **kp)
{
	if (r == 0)
		cache.kp[cache.n++] = *kp;
	return r;
}

static int
load_all(struct ctx *c)
{
	struct x25519_keypair *kp;
	int i, r;

	if (cache.loaded)
		return 0;
	cache.loaded = true;
	atexit(forget);
	for (i = 0; i < c->nidentities; i++)
		if ((r = keep(identity_load(c->identities[i], &kp), &kp)) != 0)
			return r;
	if (c->identity_fd >= 0 && (r = keep(load_fd(c->identity_fd, &kp), &kp)) != 0)
		return r;
	if (env_identity() != NULL && (r = keep(identity_load(env_identity(), &kp), &kp)) != 0)
		return r;
	if (!identities_named(c))
		load_default();
	return 0;
}

int
identities_open(struct ctx *c, struct vault *v)
{
	int i, r;

	if ((r = load_all(c)) != 0)
		return r;
	if (!vault_has_slot(v, FBV_SLOT_RECIPIENT))
		return -1;
	for (i = 0; i < cache.n; i++) {
		r = vault_unlock_secret(v, cache.kp[i]->sk);
		if (r == FBV_OK)
			return 0;
		if (r != FBV_ERR_WRONG_PASS)
			return fail_err(r, v->path);
	}
	return -1;
}
