/* bench/fill: adds N entries to a vault in one save, for the size
 * benchmarks of bench/run (a loop of `fbvault put` is quadratic: every put
 * re-encrypts the whole vault).
 *
 *   fill VAULT PREFIX COUNT VALUE_BYTES
 *
 * The vault must be open through the timed unlock (`fbvault unlock`). The
 * entries are PREFIX000001.., kind "secret", each a random printable value
 * of VALUE_BYTES bytes, stored with the product's own code (vault_save), so
 * the file is what as many puts would have written. Not installed; built
 * by meson with -Dbench=true (bench/meson.build), as bench/run asks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "cli/errors.h"
#include "crypto/errors.h"
#include "vault/store.h"
#include "vault/unlock.h"
#include "vault/vault.h"

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

static int
die(const char *what, int r)
{
	fprintf(stderr, "fill: %s: %s\n", what, fbv_strerror(r));
	return 1;
}

int
main(int argc, char **argv)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	struct vault *v;
	struct entry *all;
	unsigned char *key, *values;
	char id[2 * FBV_ID_BYTES + 1], name[FBV_NAME_MAX + 1];
	size_t count, vlen, i, n;
	int r, lock;

	if (argc != 5 || (count = strtoul(argv[3], NULL, 10)) == 0 ||
	    (vlen = strtoul(argv[4], NULL, 10)) == 0) {
		fprintf(stderr, "usage: fill VAULT PREFIX COUNT VALUE_BYTES\n");
		return 64;
	}
	if (sodium_init() < 0)
		return 70;
	if ((r = store_lock(argv[1], 30000, &lock)) != FBV_OK)
		return die("lock", r);
	if ((r = vault_load(argv[1], &v)) != FBV_OK)
		return die(argv[1], r);
	key = secret_alloc(FBV_X25519_BYTES);
	vault_id_hex(v, id);
	if (key == NULL || (r = unlock_fetch(id, key, NULL)) != FBV_OK ||
	    (r = vault_unlock_secret(v, key)) != FBV_OK)
		return die("timed unlock (run: fbvault unlock)", r);
	secret_free(key);

	/* One secret buffer holds every new value; the entries point into it
	 * as decoded entries point into the payload. */
	if ((values = secret_alloc(count * vlen)) == NULL)
		return die("values", FBV_ERR_NOMEM);
	randombytes_buf(values, count * vlen);
	for (i = 0; i < count * vlen; i++)
		values[i] = (unsigned char)alphabet[values[i] & 63];
	entries_fill(&v->entries);
	n = v->entries.n;
	if ((all = calloc(n + count, sizeof(*all))) == NULL)
		return die("entries", FBV_ERR_NOMEM);
	memcpy(all, v->entries.v, n * sizeof(*all));
	for (i = 0; i < count; i++) {
		struct entry *e = &all[n + i];

		snprintf(name, sizeof(name), "%s%06zu", argv[2], i + 1);
		if (name_check(name) != FBV_OK)
			return die(name, FBV_ERR_BAD_NAME);
		if ((e->name = strdup(name)) == NULL)
			return die("name", FBV_ERR_NOMEM);
		e->name_owned = true;
		e->value = values + i * vlen;
		e->value_len = vlen;
		e->created = e->updated = (int64_t)time(NULL);
		if ((r = meta_set_str(e, META_KIND, "secret")) != FBV_OK)
			return die("meta", r);
	}
	qsort(all, n + count, sizeof(*all), by_name);
	for (i = 1; i < n + count; i++)
		if (strcmp(all[i - 1].name, all[i].name) == 0)
			return die(all[i].name, FBV_ERR_EXISTS);
	free(v->entries.v);
	v->entries.v = all;
	v->entries.n = v->entries.cap = n + count;
	v->dirty = true;
	if ((r = vault_save(v, false)) != FBV_OK)
		return die("save", r);
	store_unlock(lock);
	vault_free(v);
	secret_free(values);
	return 0;
}
