#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/keyctl.h>
#include <sodium.h>

#include "../crypto/errors.h"
#include "../crypto/le.h"
#include "unlock.h"

/* Key payload: the data key, then the expiry as 8 little-endian bytes so
 * that status can say until when. */
#define PAYLOAD_BYTES (FBV_KEY_BYTES + 8)

/* possessor: all; same user: view, read, search (no write, no link) */
#define KEY_PERM 0x3f0b0000U

static void
describe(char *out, size_t len, const char *vault_id_hex)
{
	snprintf(out, len, "fbvault:%s", vault_id_hex);
}

static long
find_key(const char *desc)
{
	return syscall(SYS_keyctl, KEYCTL_SEARCH, KEY_SPEC_USER_KEYRING, "user", desc, 0);
}

int
unlock_store(const char *vault_id_hex, const unsigned char key[FBV_KEY_BYTES],
    uint32_t seconds, int64_t now)
{
	unsigned char payload[PAYLOAD_BYTES];
	uint64_t until = (uint64_t)(now + seconds);
	char desc[64];
	long id;

	if (seconds == 0 || seconds > FBV_UNLOCK_MAX_SECONDS)
		return FBV_ERR_INVALID;
	describe(desc, sizeof(desc), vault_id_hex);
	memcpy(payload, key, FBV_KEY_BYTES);
	le_put64(payload + FBV_KEY_BYTES, until);
	id = syscall(SYS_add_key, "user", desc, payload, sizeof(payload), KEY_SPEC_USER_KEYRING);
	sodium_memzero(payload, sizeof(payload));
	if (id < 0)
		return FBV_ERR_SYSTEM;
	if (syscall(SYS_keyctl, KEYCTL_SET_TIMEOUT, id, seconds) != 0 ||
	    syscall(SYS_keyctl, KEYCTL_SETPERM, id, KEY_PERM) != 0) {
		int saved = errno;

		syscall(SYS_keyctl, KEYCTL_INVALIDATE, id);
		errno = saved;
		return FBV_ERR_SYSTEM;
	}
	return FBV_OK;
}

int
unlock_fetch(const char *vault_id_hex, unsigned char key[FBV_KEY_BYTES], int64_t *until)
{
	unsigned char payload[PAYLOAD_BYTES + 1];
	uint64_t t;
	char desc[64];
	long id, n;

	describe(desc, sizeof(desc), vault_id_hex);
	if ((id = find_key(desc)) < 0)
		return FBV_ERR_NOT_UNLOCKED;
	n = syscall(SYS_keyctl, KEYCTL_READ, id, payload, sizeof(payload));
	if (n != PAYLOAD_BYTES) {
		sodium_memzero(payload, sizeof(payload));
		return FBV_ERR_NOT_UNLOCKED;
	}
	memcpy(key, payload, FBV_KEY_BYTES);
	t = le_get64(payload + FBV_KEY_BYTES);
	sodium_memzero(payload, sizeof(payload));
	if (until != NULL)
		*until = (int64_t)t;
	return FBV_OK;
}

int
unlock_revoke(const char *vault_id_hex)
{
	char desc[64];
	long id;

	describe(desc, sizeof(desc), vault_id_hex);
	if ((id = find_key(desc)) < 0)
		return FBV_ERR_NOT_UNLOCKED;
	if (syscall(SYS_keyctl, KEYCTL_INVALIDATE, id) != 0 &&
	    syscall(SYS_keyctl, KEYCTL_REVOKE, id) != 0)
		return FBV_ERR_SYSTEM;
	return FBV_OK;
}
