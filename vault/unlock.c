#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/keyctl.h>
#include <sodium.h>

#include "../crypto/errors.h"
#include "../crypto/le.h"
#include "../crypto/recipient.h"
#include "format.h"
#include "unlock.h"

/* Key payload (layout: unlock.h): secret key, public key, expiry; or, from
 * an fbvault before the public key was kept, secret key and expiry. */
#define PAYLOAD_BYTES (FBV_X25519_BYTES + FBV_X25519_BYTES + 8)
#define PAYLOAD_OLD_BYTES (FBV_KEY_BYTES + 8)

/* possessor: all; same user: view, read, search (no write, no link) */
#define KEY_PERM 0x3f0b0000U

static void
describe(char *out, size_t len, const char *vault_id_hex)
{
	snprintf(out, len, "fbvault:%s", vault_id_hex);
}

int
unlock_until(const char *vault_id_hex, int64_t now, int64_t *until)
{
	unsigned char key[FBV_KEY_BYTES];
	int64_t left;
	int r = unlock_fetch(vault_id_hex, key, until);

	sodium_memzero(key, sizeof(key));
	if (r != FBV_OK)
		return r;
	if (unlock_time_left(vault_id_hex, &left) == FBV_OK && now + left < *until)
		*until = now + left;
	return FBV_OK;
}

/* /proc/keys' TIMEOUT column: an upper bound, in its unit. */
static int
parse_timeout(const char *t, int64_t *seconds)
{
	char unit = '\0';
	long long v;

	if (strcmp(t, "perm") == 0)
		return FBV_ERR_INVALID;
	if (strcmp(t, "expd") == 0 || sscanf(t, "%lld%c", &v, &unit) != 2)
		return FBV_ERR_NOT_UNLOCKED;
	/* the kernel rounds down to its unit */
	switch (unit) {
	case 's': *seconds = v + 1; break;
	case 'm': *seconds = (v + 1) * 60; break;
	case 'h': *seconds = (v + 1) * 3600; break;
	case 'd': *seconds = (v + 1) * 86400; break;
	case 'w': *seconds = (v + 1) * 7 * 86400; break;
	default: return FBV_ERR_INVALID;
	}
	return FBV_OK;
}

static long
find_key(const char *desc)
{
	return syscall(SYS_keyctl, KEYCTL_SEARCH, KEY_SPEC_USER_KEYRING, "user", desc, 0);
}

int
unlock_store(const char *vault_id_hex, const unsigned char sk[FBV_X25519_BYTES],
    const unsigned char pk[FBV_X25519_BYTES], uint32_t seconds, int64_t now)
{
	unsigned char payload[PAYLOAD_BYTES];
	uint64_t until = (uint64_t)(now + seconds);
	char desc[64];
	long id;

	if (seconds == 0 || seconds > FBV_UNLOCK_MAX_SECONDS)
		return FBV_ERR_INVALID;
	describe(desc, sizeof(desc), vault_id_hex);
	memcpy(payload, sk, FBV_X25519_BYTES);
	memcpy(payload + FBV_X25519_BYTES, pk, FBV_X25519_BYTES);
	le_put64(payload + 2 * FBV_X25519_BYTES, until);
	/* Made in this process's own keyring, where no other process finds it;
	 * given its timeout and permissions; only then linked into @u. Killed
	 * before the link, nothing refers to it and the kernel drops it. */
	id = syscall(SYS_add_key, "user", desc, payload, sizeof(payload), KEY_SPEC_PROCESS_KEYRING);
	sodium_memzero(payload, sizeof(payload));
	if (id < 0)
		return FBV_ERR_SYSTEM;
	if (syscall(SYS_keyctl, KEYCTL_SET_TIMEOUT, id, seconds) != 0 ||
	    syscall(SYS_keyctl, KEYCTL_SETPERM, id, KEY_PERM) != 0 ||
	    syscall(SYS_keyctl, KEYCTL_LINK, id, KEY_SPEC_USER_KEYRING) != 0) {
		int saved = errno;

		syscall(SYS_keyctl, KEYCTL_INVALIDATE, id);
		errno = saved;
		return FBV_ERR_SYSTEM;
	}
	syscall(SYS_keyctl, KEYCTL_UNLINK, id, KEY_SPEC_PROCESS_KEYRING);
	return FBV_OK;
}

/* The payload of this vault's key: *n is PAYLOAD_BYTES or PAYLOAD_OLD_BYTES
 * (anything else: no unlock). The caller wipes payload. */
static int
read_payload(const char *vault_id_hex, unsigned char payload[PAYLOAD_BYTES + 1], long *n)
{
	char desc[64];
	long id;

	describe(desc, sizeof(desc), vault_id_hex);
	if ((id = find_key(desc)) < 0)
		return FBV_ERR_NOT_UNLOCKED;
	*n = syscall(SYS_keyctl, KEYCTL_READ, id, payload, PAYLOAD_BYTES + 1);
	if (*n != PAYLOAD_BYTES && *n != PAYLOAD_OLD_BYTES)
		return FBV_ERR_NOT_UNLOCKED;
	return FBV_OK;
}

int
unlock_fetch(const char *vault_id_hex, unsigned char key[FBV_KEY_BYTES], int64_t *until)
{
	unsigned char payload[PAYLOAD_BYTES + 1];
	long n;
	int r;

	if ((r = read_payload(vault_id_hex, payload, &n)) == FBV_OK) {
		memcpy(key, payload, FBV_KEY_BYTES);
		if (until != NULL)
			*until = (int64_t)le_get64(payload + n - 8);
	}
	sodium_memzero(payload, sizeof(payload));
	return r;
}

int
unlock_fetch_keypair(const char *vault_id_hex, struct x25519_keypair **kp, uint8_t *type)
{
	unsigned char payload[PAYLOAD_BYTES + 1];
	long n;
	int r;

	*kp = NULL;
	if ((r = read_payload(vault_id_hex, payload, &n)) == FBV_OK && n == PAYLOAD_BYTES) {
		r = x25519_keypair_from_pair(kp, payload, payload + FBV_X25519_BYTES);
		*type = FBV_SLOT_TIMED;
	} else if (r == FBV_OK) {
		r = x25519_keypair_from_secret(kp, payload);
		*type = 0;
	}
	sodium_memzero(payload, sizeof(payload));
	return r == FBV_ERR_INVALID ? FBV_ERR_NOT_UNLOCKED : r;
}

static int
end_key(long id)
{
	if (syscall(SYS_keyctl, KEYCTL_INVALIDATE, id) != 0 &&
	    syscall(SYS_keyctl, KEYCTL_REVOKE, id) != 0)
		return FBV_ERR_SYSTEM;
	return FBV_OK;
}

/* Every key of this vault until none is found: a key another keyring
 * links may be found again. FBV_OK only when none remains. */
int
unlock_revoke(const char *vault_id_hex)
{
	char desc[64];
	long id;
	int n, r = FBV_ERR_NOT_UNLOCKED;

	describe(desc, sizeof(desc), vault_id_hex);
	for (n = 0; n < 64 && (id = find_key(desc)) >= 0; n++)
		if ((r = end_key(id)) != FBV_OK)
			return r;
	if (find_key(desc) >= 0)
		return FBV_ERR_SYSTEM;
	return r;
}

/* Whether k's description (type;uid;gid;perm;description) is an fbvault
 * key: type "user", description "fbvault:" and hex. */
static bool
is_fbvault_key(long k)
{
	char d[256];
	const char *name;
	long n = syscall(SYS_keyctl, KEYCTL_DESCRIBE, k, d, sizeof(d) - 1);

	if (n <= 0 || n >= (long)sizeof(d))
		return false;
	d[n] = '\0';
	if ((name = strrchr(d, ';')) == NULL || strncmp(d, "user;", 5) != 0)
		return false;
	return strncmp(name + 1, "fbvault:", 8) == 0;
}

static int
each_fbvault_key(int *count, bool revoke)
{
	int32_t ids[1024];
	long n, i;
	int r = FBV_OK;

	*count = 0;
	n = syscall(SYS_keyctl, KEYCTL_READ, KEY_SPEC_USER_KEYRING, ids, sizeof(ids));
	if (n < 0)
		return FBV_ERR_SYSTEM;
	if ((size_t)n > sizeof(ids))
		n = sizeof(ids);
	for (i = 0; i < n / (long)sizeof(ids[0]); i++) {
		if (!is_fbvault_key(ids[i]))
			continue;
		if (!revoke)
			(*count)++;
		else if (end_key(ids[i]) != FBV_OK)
			r = FBV_ERR_SYSTEM;
		else
			(*count)++;
	}
	return r;
}

int
unlock_revoke_all(int *count)
{
	return each_fbvault_key(count, true);
}

int
unlock_count_all(int *count)
{
	return each_fbvault_key(count, false);
}

int
unlock_time_left(const char *vault_id_hex, int64_t *seconds)
{
	char desc[64], line[512], want[32], timeout[32];
	long id;
	FILE *f;
	int r = FBV_ERR_NOT_UNLOCKED;

	describe(desc, sizeof(desc), vault_id_hex);
	if ((id = find_key(desc)) < 0)
		return FBV_ERR_NOT_UNLOCKED;
	if ((f = fopen("/proc/keys", "re")) == NULL)
		return FBV_ERR_SYSTEM;
	snprintf(want, sizeof(want), "%08lx ", id);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, want, strlen(want)) != 0)
			continue;
		/* ID FLAGS USAGE TIMEOUT ...: 59s, 14m, 23h, 6d, 2w, perm, expd */
		if (sscanf(line, "%*s %*s %*s %31s", timeout) == 1)
			r = parse_timeout(timeout, seconds);
		break;
	}
	fclose(f);
	return r;
}
