/* unlock and lock: the data key in the kernel keyring for a while. */
#include <stdio.h>

#include "../crypto/errors.h"
#include "../vault/unlock.h"
#include "commands.h"
#include "duration.h"
#include "errors.h"
#include "open.h"
#include "options.h"
#include "out.h"

#define UNLOCK_DEFAULT_SECONDS (15 * 60)

static int
for_opt(void *state, int opt, const char *arg)
{
	int64_t *secs = state;

	(void)opt;
	if (duration_parse(arg, secs) != FBV_OK || *secs <= 0 || *secs > FBV_UNLOCK_MAX_SECONDS)
		return fail(EXIT_USAGE, "--for wants a duration from 1s to 24h, like 15m or 8h");
	return -1;
}

int
cmd_unlock(struct ctx *c, const struct command *self, int argc, char **argv)
{
	int64_t secs = UNLOCK_DEFAULT_SECONDS, now = now_unix();
	char id[2 * FBV_ID_BYTES + 1], until[64];
	struct vault *v;
	int r;

	if ((r = parse_args(c, self, argc, argv, &secs, for_opt)) >= 0)
		return r;
	if ((r = vault_open_read(c, &v)) != 0)
		return r;
	vault_id_hex(v, id);
	r = unlock_store(id, v->key, (uint32_t)secs, now);
	vault_free(v);
	if (r != FBV_OK)
		return fail(EXIT_UNAVAILABLE, "cannot keep the key in the kernel keyring: %s",
		    fbv_strerror(r));
	format_time(now + secs, until, sizeof(until));
	fprintf(stderr, "fbvault: unlocked until %s; `fbvault lock` locks it now\n", until);
	return 0;
}

int
cmd_lock(struct ctx *c, const struct command *self, int argc, char **argv)
{
	char id[2 * FBV_ID_BYTES + 1];
	struct vault *v;
	int r;

	if ((r = parse_args(c, self, argc, argv, NULL, NULL)) >= 0)
		return r;
	if ((r = vault_load(c->vault_path, &v)) != FBV_OK)
		return fail_err(r, c->vault_path);
	vault_id_hex(v, id);
	vault_free(v);
	r = unlock_revoke(id);
	if (r == FBV_ERR_NOT_UNLOCKED) {
		fprintf(stderr, "fbvault: %s was not unlocked\n", c->vault_path);
		return 0;
	}
	if (r != FBV_OK)
		return fail(EXIT_IO, "cannot revoke the unlock key: %s", fbv_strerror(r));
	fprintf(stderr, "fbvault: locked %s\n", c->vault_path);
	return 0;
}
