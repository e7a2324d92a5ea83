#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../crypto/errors.h"
#include "format2.h"
#include "merge.h"

static bool
same_entry(const struct entry *a, const struct entry *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return a->value_len == b->value_len && a->meta_len == b->meta_len &&
	    sodium_memcmp(a->value, b->value, a->value_len) == 0 &&
	    (a->meta_len == 0 || memcmp(a->meta, b->meta, a->meta_len) == 0);
}

static int
note_conflict(struct merge_result *res, const char *what)
{
	char **grown = realloc(res->conflicts, (res->nconflicts + 1) * sizeof(*grown));

	if (grown == NULL)
		return FBV_ERR_NOMEM;
	res->conflicts = grown;
	if ((grown[res->nconflicts] = strdup(what)) == NULL)
		return FBV_ERR_NOMEM;
	res->nconflicts++;
	return FBV_OK;
}

/* Ours' entry name becomes theirs' t (NULL: removed). */
static int
take_entry(struct vault *ours, const char *name, const struct entry *t)
{
	struct entry *e;
	int r;

	if (t == NULL)
		return vault_remove(ours, name);
	if ((r = vault_put(ours, name, t->value, t->value_len, true, t->updated, &e)) != FBV_OK ||
	    (r = meta_copy(e, t)) != FBV_OK)
		return r;
	e->created = t->created;
	e->updated = t->updated;
	return FBV_OK;
}

static int
merge_entry(struct vault *ours, const struct vault *base, const struct vault *theirs,
    const char *name, struct merge_result *res)
{
	const struct entry *b = vault_find(base, name), *o = vault_find(ours, name);
	const struct entry *t = vault_find(theirs, name);

	if (same_entry(o, t) || same_entry(b, t))
		return FBV_OK;
	if (same_entry(b, o))
		return take_entry(ours, name, t);
	return note_conflict(res, name);
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every name of the three versions, sorted, each once; taken before ours
 * changes under the walk. */
static int
all_names(const struct vault *const vs[3], char ***out, size_t *count)
{
	size_t n = vault_count(vs[0]) + vault_count(vs[1]) + vault_count(vs[2]), i, k, m = 0;
	char **names;

	if ((names = calloc(n + 1, sizeof(*names))) == NULL)
		return FBV_ERR_NOMEM;
	for (k = 0; k < 3; k++)
		for (i = 0; i < vault_count(vs[k]); i++)
			if ((names[m++] = strdup(vault_entry(vs[k], i)->name)) == NULL)
				goto oom;
	qsort(names, m, sizeof(*names), by_name);
	for (i = k = 0; i < m; i++) {
		if (k > 0 && strcmp(names[k - 1], names[i]) == 0)
			free(names[i]);
		else
			names[k++] = names[i];
	}
	*out = names;
	*count = k;
	return FBV_OK;
oom:
	for (i = 0; i < m; i++)
		free(names[i]);
	free(names);
	return FBV_ERR_NOMEM;
}

static int
merge_entries(struct vault *ours, const struct vault *base, const struct vault *theirs,
    struct merge_result *res)
{
	const struct vault *vs[3] = { base, ours, theirs };
	char **names;
	size_t n, i;
	int r;

	if ((r = all_names(vs, &names, &n)) != FBV_OK)
		return r;
	for (i = 0; i < n && r == FBV_OK; i++)
		r = merge_entry(ours, base, theirs, names[i], res);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return r;
}

static bool
has_recipient(const struct vault *v, const unsigned char *pk)
{
	size_t i;

	for (i = 0; i < v->nslots; i++)
		if (v->slots[i].type == FBV_SLOT_RECIPIENT && v->slots[i].rec != NULL &&
		    sodium_memcmp(v->slots[i].rec, pk, FBV_X25519_BYTES) == 0)
			return true;
	return false;
}

/* The recipients theirs added or removed since base, unless ours already
 * did the same. */
static int
merge_recipients(struct vault *ours, const struct vault *base, const struct vault *theirs,
    struct merge_result *res)
{
	size_t i;
	int r;

	for (i = 0; i < theirs->nslots; i++) {
		const struct slot *s = &theirs->slots[i];

		if (s->type != FBV_SLOT_RECIPIENT || has_recipient(base, s->rec) ||
		    has_recipient(ours, s->rec))
			continue;
		if ((r = vault_add_recipient(ours, s->rec)) != FBV_OK)
			return r;
		memcpy(res->added[res->nadded++], s->rec, FBV_X25519_BYTES);
	}
	for (i = 0; i < base->nslots; i++) {
		const struct slot *s = &base->slots[i];

		if (s->type != FBV_SLOT_RECIPIENT || has_recipient(theirs, s->rec) ||
		    !has_recipient(ours, s->rec))
			continue;
		if ((r = vault_remove_recipient(ours, s->rec)) != FBV_OK)
			return r;
		memcpy(res->removed[res->nremoved++], s->rec, FBV_X25519_BYTES);
	}
	return FBV_OK;
}

/* A slot of a kind there is at most one of: the same key and the same
 * sealed bytes (everything before its stanza, which every save draws
 * afresh). */
static bool
same_slot(const struct slot *a, const struct slot *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return a->len == b->len && a->rec != NULL && b->rec != NULL &&
	    memcmp(a->rec, b->rec, FBV_X25519_BYTES) == 0 &&
	    memcmp(a->body, b->body, a->len - FBV_STANZA_BYTES) == 0;
}

static int
merge_unique(struct vault *ours, const struct vault *base, const struct vault *theirs,
    uint8_t type, const char *what, struct merge_result *res)
{
	const struct slot *b = vault_slot(base, type), *o = vault_slot(ours, type);
	const struct slot *t = vault_slot(theirs, type);

	if (same_slot(o, t) || same_slot(b, t))
		return FBV_OK;
	if (!same_slot(b, o))
		return type == FBV_SLOT_TIMED ? FBV_OK : note_conflict(res, what);
	if (t == NULL)
		return vault_remove_slot(ours, type);
	return v2_put_slot(ours, type, t->body, t->len - FBV_STANZA_BYTES, t->rec, true);
}

static bool
has_known_slot(const struct vault *v)
{
	size_t i;

	for (i = 0; i < v->nslots; i++)
		if (v->slots[i].type >= FBV_SLOT_PASSPHRASE && v->slots[i].type <= FBV_SLOT_RECIPIENT)
			return true;
	return false;
}

int
vault_merge(struct vault *ours, const struct vault *base, const struct vault *theirs,
    struct merge_result *res)
{
	int r;

	memset(res, 0, sizeof(*res));
	if (ours->version < FBV_VERSION2 || base->version < FBV_VERSION2 ||
	    theirs->version < FBV_VERSION2)
		return FBV_ERR_VERSION;
	if (memcmp(ours->id, base->id, FBV_ID_BYTES) != 0 ||
	    memcmp(ours->id, theirs->id, FBV_ID_BYTES) != 0)
		return FBV_ERR_OTHER_VAULT;
	if (ours->key == NULL || base->key == NULL || theirs->key == NULL)
		return FBV_ERR_INVALID;
	if ((r = merge_entries(ours, base, theirs, res)) != FBV_OK ||
	    (r = merge_unique(ours, base, theirs, FBV_SLOT_PASSPHRASE, "passphrase slot",
	    res)) != FBV_OK ||
	    (r = merge_unique(ours, base, theirs, FBV_SLOT_KEYRING, "keyring slot", res)) != FBV_OK ||
	    (r = merge_unique(ours, base, theirs, FBV_SLOT_TIMED, "timed-unlock slot", res)) != FBV_OK)
		return r;
	if (res->nconflicts > 0)
		return FBV_ERR_CONFLICT;
	if ((r = merge_recipients(ours, base, theirs, res)) != FBV_OK)
		return r;
	if (!has_known_slot(ours))
		return FBV_ERR_NO_SLOT;
	if (theirs->generation > ours->generation)
		ours->generation = theirs->generation;
	ours->changed = true;
	return FBV_OK;
}

void
merge_result_free(struct merge_result *res)
{
	size_t i;

	for (i = 0; i < res->nconflicts; i++)
		free(res->conflicts[i]);
	free(res->conflicts);
	memset(res, 0, sizeof(*res));
}
