#include <stdio.h>

#include "../crypto/errors.h"
#include "../vault/keyring.h"
#include "../vault/unlock.h"
#include "module.h"
#include "out.h"
#include "unlock_state.h"

/* What status reports about the keyring and the timed unlock; needs only
 * the header, never the passphrase. */
struct unlock_state {
	bool slot;
	const char *service;    /* "reachable", "unreachable", "not built" */
	const char *item;       /* "present", "missing", "unknown" */
	int64_t unlocked_until; /* 0: not unlocked */
};

static void
unlock_state_read(const struct vault *v, bool probe_keyring, struct unlock_state *st)
{
	const struct keyring_ops *ks;
	unsigned char *key = secret_alloc(FBV_KEY_BYTES);
	char id[2 * FBV_ID_BYTES + 1];
	int r;

	vault_id_hex(v, id);
	st->slot = vault_has_slot(v, FBV_SLOT_KEYRING);
	st->service = probe_keyring ? "not built" : "not checked";
	st->item = "unknown";
	st->unlocked_until = 0;
	if (unlock_until(id, now_unix(), &st->unlocked_until) != FBV_OK)
		st->unlocked_until = 0;
	if (probe_keyring && key != NULL && keyring_module(&ks) == FBV_OK) {
		r = ks->lookup(id, key);
		st->service = r == FBV_ERR_KEYRING ? "unreachable" : "reachable";
		if (r != FBV_ERR_KEYRING)
			st->item = r == FBV_OK ? "present" : "missing";
	}
	secret_free(key);
}

int
print_unlock_state(FILE *f, const struct vault *v, bool probe_keyring, bool json)
{
	struct unlock_state st;
	char until[64];

	unlock_state_read(v, probe_keyring, &st);
	if (json) {
		fprintf(f, "{\"keyring_slot\":%s,\"secret_service\":\"%s\",\"keyring_item\":\"%s\","
		    "\"unlocked_until\":", st.slot ? "true" : "false", st.service, st.item);
		if (st.unlocked_until > 0)
			fprintf(f, "%lld}", (long long)st.unlocked_until);
		else
			fputs("null}", f);
		return 0;
	}
	fprintf(f, "keyring slot: %s\n", st.slot ? "yes" : "no");
	if (probe_keyring)
		fprintf(f, "secret service: %s; item for this vault: %s\n", st.service, st.item);
	if (st.unlocked_until > 0) {
		format_time(st.unlocked_until, until, sizeof(until));
		fprintf(f, "timed unlock: unlocked until %s\n", until);
	} else {
		fprintf(f, "timed unlock: locked\n");
	}
	return 0;
}
