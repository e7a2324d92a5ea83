/* identity new|show: an X25519 identity file for a member or a CI runner,
 * and the public key to give to the vault's other members. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../crypto/errors.h"
#include "../vault/identity_file.h"
#include "../vault/store.h"
#include "commands.h"
#include "errors.h"
#include "identities.h"
#include "options.h"
#include "out.h"

static int
out_opt(void *state, int opt, const char *arg)
{
	(void)opt;
	*(const char **)state = arg;
	return -1;
}

static int
print_public(const struct x25519_keypair *kp, enum key_flavor f)
{
	char pub[FBV_PUBLIC_STR_LEN + 1];

	if (keystr_public_encode(pub, kp->pk, f) != FBV_OK)
		return fail(EXIT_INTERNAL, "cannot encode the public key");
	printf("%s\n", pub);
	return 0;
}

static int
identity_new(const char *path)
{
	struct x25519_keypair *kp;
	int r;

	if (store_make_dirs(path) != FBV_OK)
		return fail(EXIT_IO, "cannot create the directory for %s: %s", path,
		    fbv_strerror(FBV_ERR_SYSTEM));
	if ((r = x25519_keypair_generate(&kp)) != FBV_OK)
		return fail_err(r, path);
	r = identity_write_file(path, kp, KEY_FBV);
	if (r == FBV_ERR_EXISTS)
		r = fail(EXIT_EXISTS, "%s already exists; fbvault never overwrites an identity",
		    path);
	else if (r != FBV_OK)
		r = fail(err_exit_code(r), "cannot write %s: %s", path, fbv_strerror(r));
	else if ((r = print_public(kp, KEY_FBV)) == 0)
		fprintf(stderr, "fbvault: wrote %s (mode 0600); give the public key above to a "
		    "member: fbvault recipients add KEY --name LABEL\n", path);
	x25519_keypair_free(kp);
	return r;
}

/* The public key of an identity file, as fbv1...; an age identity's is
 * the same key as its age1... recipient. */
static int
identity_show(const char *path)
{
	struct x25519_keypair *kp;
	int r;

	if ((r = identity_load(path, &kp)) != 0)
		return r;
	r = print_public(kp, KEY_FBV);
	x25519_keypair_free(kp);
	return r;
}

int
cmd_identity(struct ctx *c, const struct command *self, int argc, char **argv)
{
	const char *out = NULL, *sub;
	char *dflt = NULL;
	int r;

	if ((r = parse_args(c, self, argc, argv, &out, out_opt)) >= 0)
		return r;
	sub = argv[optind];
	if (strcmp(sub, "new") != 0 && strcmp(sub, "show") != 0)
		return usage_error(self, "unknown identity command '%s'", sub);
	if (strcmp(sub, "new") == 0 && optind + 1 < argc)
		return usage_error(self, "identity new takes its file as -o FILE");
	if (strcmp(sub, "show") == 0 && out != NULL)
		return usage_error(self, "identity show takes its file as an argument");
	if (optind + 1 < argc)
		out = argv[optind + 1];
	else if (out == NULL && strcmp(sub, "show") == 0 && getenv("FBVAULT_IDENTITY_FILE") != NULL &&
	    *getenv("FBVAULT_IDENTITY_FILE") != '\0')
		out = getenv("FBVAULT_IDENTITY_FILE");
	if (out == NULL && identity_default_path(&dflt) != FBV_OK)
		return fail(EXIT_USAGE, "cannot tell where identities live: set HOME or "
		    "XDG_CONFIG_HOME, or name the file");
	r = strcmp(sub, "new") == 0 ? identity_new(out != NULL ? out : dflt) :
	    identity_show(out != NULL ? out : dflt);
	free(dflt);
	return r;
}
