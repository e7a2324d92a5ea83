#include <errno.h>
#include <string.h>

#include "../crypto/errors.h"
#include "store.h"
#include "txn.h"

/* Whether b, read under the lock, is the file a was read from (a unchanged
 * since): then a's decrypted entries are b's. The payload is compared by
 * its length and tag (a has decrypted its bytes where they were): every
 * save draws a fresh nonce and key, so an honest writer never leaves the
 * same header, nonce and tag over another payload; a payload changed in
 * place behind them is overwritten with a's authenticated entries. */
static bool
same_file(const struct vault *a, const struct vault *b)
{
	return !a->changed && a->hdr_len == b->hdr_len && a->cipher_len == b->cipher_len &&
	    memcmp(a->hdr, b->hdr, a->hdr_len) == 0 &&
	    memcmp(a->mac, b->mac, sizeof(a->mac)) == 0 &&
	    memcmp(a->nonce, b->nonce, sizeof(a->nonce)) == 0 &&
	    memcmp(a->tag, b->tag, sizeof(a->tag)) == 0;
}

static int
lock(const char *path, int timeout_ms, int *fd)
{
	int r = store_lock(path, timeout_ms, fd);

	return r == FBV_ERR_SYSTEM && errno == EWOULDBLOCK ? FBV_ERR_BUSY : r;
}

/* The file as it is now, opened with first's key; first is freed. */
static int
reload(struct vault *first, struct vault **out)
{
	struct vault *fresh = NULL;
	int r = vault_load(first->path, &fresh);

	if (r == FBV_OK && same_file(first, fresh)) {
		vault_free(fresh);
		*out = first;
		return FBV_OK;
	}
	if (r == FBV_OK)
		r = vault_reopen(fresh, first);
	vault_free(first);
	if (r != FBV_OK) {
		vault_free(fresh);
		return r;
	}
	*out = fresh;
	return FBV_OK;
}

static int
begin(struct vault *v, int timeout_ms, bool create, struct vault_txn *t)
{
	int r;

	t->v = NULL;
	t->create = create;
	if ((r = lock(v->path, timeout_ms, &t->lock_fd)) != FBV_OK) {
		vault_free(v);
		return r;
	}
	if (create) {
		t->v = v;
		return FBV_OK;
	}
	if ((r = reload(v, &t->v)) != FBV_OK)
		store_unlock(t->lock_fd);
	return r;
}

int
txn_begin(struct vault *opened, int timeout_ms, struct vault_txn *t)
{
	return begin(opened, timeout_ms, false, t);
}

int
txn_begin_create(struct vault *fresh, int timeout_ms, struct vault_txn *t)
{
	return begin(fresh, timeout_ms, true, t);
}

int
txn_save(struct vault_txn *t, bool *saved)
{
	int r = FBV_OK;

	*saved = t->v->changed;
	if (t->v->changed)
		r = vault_save(t->v, t->create);
	if (r != FBV_OK)
		*saved = false;
	return r;
}

int
txn_commit(struct vault_txn *t)
{
	bool saved;
	int r = txn_save(t, &saved);

	txn_abort(t);
	return r;
}

void
txn_abort(struct vault_txn *t)
{
	int saved = errno;

	vault_free(t->v);
	t->v = NULL;
	store_unlock(t->lock_fd);
	t->lock_fd = -1;
	errno = saved;
}
