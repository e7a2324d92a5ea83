#include <errno.h>
#include <string.h>

#include "../crypto/errors.h"
#include "store.h"
#include "txn.h"

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
	bool same = false;
	int r;

	/* Unchanged (by its two ends) since first was read: first's entries
	 * are the file's, and nothing is read or decrypted again. Every save
	 * draws a fresh nonce and key, so an honest writer never leaves the
	 * same header, nonce and tag over another payload; a payload changed
	 * in place behind them is overwritten with first's authenticated
	 * entries, never read. */
	if (!first->changed && vault_file_same(first, &same) == FBV_OK && same) {
		*out = first;
		return FBV_OK;
	}
	if ((r = vault_load(first->path, &fresh)) == FBV_OK)
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
