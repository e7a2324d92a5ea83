/* Opening the vault: find the data key through the timed unlock, the
 * desktop keyring slot, or the passphrase slot, in that order. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../crypto/errors.h"
#include "../vault/keyring.h"
#include "../vault/store.h"
#include "../vault/unlock.h"
#include "cli.h"
#include "module.h"

#define LOCK_TIMEOUT_MS 30000

static bool
keyring_wanted(const struct ctx *c)
{
	const char *e = getenv("FBVAULT_NO_KEYRING");

	return !c->no_keyring && !(e != NULL && *e != '\0' && strcmp(e, "0") != 0);
}

static int
try_timed_unlock(struct vault *v)
{
	unsigned char *key = secret_alloc(FBV_KEY_BYTES);
	char id[2 * FBV_ID_BYTES + 1];
	int r;

	if (key == NULL)
		return FBV_ERR_NOMEM;
	vault_id_hex(v, id);
	r = unlock_fetch(id, key, NULL);
	if (r == FBV_OK)
		r = vault_unlock_key(v, key);
	secret_free(key);
	return r;
}

/* FBV_OK when the keyring slot opened the vault; otherwise a notice has
 * said why and the caller falls back to the passphrase. */
static int
try_keyring(struct vault *v)
{
	const struct keyring_ops *ks;
	unsigned char *kek;
	char id[2 * FBV_ID_BYTES + 1];
	int r;

	if ((r = keyring_module(&ks)) != FBV_OK) {
		msg("notice: this fbvault cannot use the desktop keyring (%s); "
		    "asking for the passphrase", fbv_strerror(r));
		return r;
	}
	if ((kek = secret_alloc(FBV_KEY_BYTES)) == NULL)
		return FBV_ERR_NOMEM;
	vault_id_hex(v, id);
	r = ks->lookup(id, kek);
	if (r == FBV_OK)
		r = vault_unlock_keyring(v, kek);
	secret_free(kek);
	if (r == FBV_ERR_KEYRING)
		msg("notice: the desktop keyring cannot be reached; asking for the passphrase");
	else if (r == FBV_ERR_KEYRING_ITEM)
		msg("notice: the desktop keyring has no working key for this vault "
		    "(run: fbvault keyring enable); asking for the passphrase");
	return r;
}

/* Unlocks v or prints why not; returns an exit code. */
int
vault_key_sources(struct ctx *c, struct vault *v, bool allow_prompt)
{
	struct sbuf pass;
	int r;

	r = try_timed_unlock(v);
	if (r == FBV_OK)
		return 0;
	if (vault_has_slot(v, FBV_SLOT_KEYRING) && keyring_wanted(c)) {
		r = try_keyring(v);
		if (r == FBV_OK)
			return 0;
		if (r == FBV_ERR_CORRUPT)
			return fail_err(r, v->path);
	}
	if (!vault_has_slot(v, FBV_SLOT_PASSPHRASE))
		return fail(EXIT_DENIED, "%s: no passphrase slot and the keyring did not open "
		    "the vault", v->path);
	if (!allow_prompt)
		return fail(EXIT_DENIED, "%s is locked", v->path);
	if ((r = read_passphrase(c, PASS_CURRENT, &pass)) != 0)
		return r;
	r = vault_unlock_passphrase(v, (const char *)pass.data, pass.len);
	sbuf_free(&pass);
	return r == FBV_OK ? 0 : fail_err(r, v->path);
}

int
vault_open_read(struct ctx *c, struct vault **out)
{
	struct vault *v;
	int r;

	if ((r = vault_load(c->vault_path, &v)) != FBV_OK)
		return fail_err(r, c->vault_path);
	if ((r = vault_key_sources(c, v, true)) != 0) {
		vault_free(v);
		return r;
	}
	*out = v;
	return 0;
}

/* Whether b, read under the lock, is byte for byte the file a was read
 * from (a unchanged since): then a's decrypted entries are b's. */
static bool
same_file(const struct vault *a, const struct vault *b)
{
	return !a->dirty && a->hdr_len == b->hdr_len && a->cipher_len == b->cipher_len &&
	    memcmp(a->hdr, b->hdr, a->hdr_len) == 0 &&
	    memcmp(a->mac, b->mac, sizeof(a->mac)) == 0 &&
	    memcmp(a->nonce, b->nonce, sizeof(a->nonce)) == 0 &&
	    memcmp(a->cipher, b->cipher, a->cipher_len) == 0;
}

/* The key is found before the writers' lock is taken, so a slow KDF (or a
 * prompt) does not hold up other writers; under the lock the vault is read
 * again and opened with that key (unless no one wrote it in between: then
 * *v, as vault_open_read() left it, is kept, and a big vault is not
 * decrypted twice), and vault_commit() writes it. On failure *v is freed. */
int
vault_lock_reload(struct ctx *c, struct vault **v, int *lock_fd)
{
	struct vault *first = *v, *fresh = NULL;
	int r;

	*v = NULL;
	if ((r = store_lock(c->vault_path, LOCK_TIMEOUT_MS, lock_fd)) != FBV_OK) {
		vault_free(first);
		if (errno == EWOULDBLOCK)
			return fail(EXIT_TEMPFAIL, "%s is being written by another fbvault; try again",
			    c->vault_path);
		return fail_err(r, c->vault_path);
	}
	if ((r = vault_load(c->vault_path, &fresh)) == FBV_OK && same_file(first, fresh)) {
		vault_free(fresh);
		*v = first;
		return 0;
	}
	if (r == FBV_OK)
		r = vault_unlock_key(fresh, first->key);
	vault_free(first);
	if (r != FBV_OK) {
		vault_free(fresh);
		store_unlock(*lock_fd);
		return fail_err(r, c->vault_path);
	}
	*v = fresh;
	return 0;
}

int
vault_open_write(struct ctx *c, struct vault **out, int *lock_fd)
{
	int r;

	if ((r = vault_open_read(c, out)) != 0)
		return r;
	return vault_lock_reload(c, out, lock_fd);
}

int
vault_commit(struct ctx *c, struct vault *v, int lock_fd)
{
	int r = vault_save(v, false);
	int code = r == FBV_OK ? 0 : fail(err_exit_code(r), "cannot write %s: %s (the vault "
	    "is unchanged)", c->vault_path, fbv_strerror(r));

	store_unlock(lock_fd);
	return code;
}
