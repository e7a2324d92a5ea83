/* Opening a vault file from bytes, as every command does after reading
 * the file: vault_parse(), then each way in: the data key itself, the
 * passphrase slot (with a KEK, since a KDF per input would crawl) and
 * the keyring slot.
 *
 * Input: a vault file. The seeds (fuzz/make_seeds.c) use forge_salt and
 * forge_data_key: for a passphrase slot with the seeds' KDF inputs the
 * KEK is derived once and cached, for any other a fixed wrong one is
 * used. An input that does not start with the magic is a decrypted
 * payload instead: it is sealed into a vault under forge_data_key, so
 * the entries decoder sees fuzzed bytes through the real unlock path,
 * which AEAD otherwise keeps the fuzzer out of.
 *
 * Every vault that opens is edited, saved with vault_save() into a
 * private temporary directory (converted to format 2), loaded and opened
 * again: the same slots and entries must come back. Version 2 files are
 * fuzz/fuzz_vault2.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "../crypto/errors.h"
#include "../vault/vault.h"
#include "forge.h"
#include "fuzz.h"

static unsigned char seed_inputs[FBV_PASS_SLOT_AD];
static unsigned char seed_kek[FBV_KEY_BYTES];
static bool seed_kek_ready;
static const unsigned char wrong_kek[FBV_KEY_BYTES] = "not the key of any slot, ever!!";
static char save_dir[64], save_path[96];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
remove_save_dir(void)
{
	unlink(save_path);
	rmdir(save_dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	uint64_t ops, mem;

	(void)argc;
	(void)argv;
	fuzz_init();
	/* In memory if possible: vault_save() fsyncs. */
	snprintf(save_dir, sizeof(save_dir), "/dev/shm/fbvault-fuzz-save.XXXXXX");
	if (mkdtemp(save_dir) == NULL) {
		snprintf(save_dir, sizeof(save_dir), "%s/fbvault-fuzz-save.XXXXXX",
		    tmp != NULL && strlen(tmp) < 32 ? tmp : "/tmp");
		FUZZ_CHECK(mkdtemp(save_dir) != NULL);
	}
	snprintf(save_path, sizeof(save_path), "%s/vault", save_dir);
	atexit(remove_save_dir);
	kdf_level_params(KDF_INTERACTIVE, &ops, &mem);
	forge_pass_inputs(seed_inputs, forge_salt, ops, mem);
	return 0;
}

static const struct slot *
find_slot(const struct vault *v, uint8_t type)
{
	size_t i;

	for (i = 0; i < v->nslots; i++)
		if (v->slots[i].type == type)
			return &v->slots[i];
	return NULL;
}

static const unsigned char *
kek_for(const struct vault *v)
{
	const struct slot *s = find_slot(v, FBV_SLOT_PASSPHRASE);

	if (s == NULL || memcmp(s->body, seed_inputs, sizeof(seed_inputs)) != 0)
		return wrong_kek;
	if (!seed_kek_ready) {
		FUZZ_CHECK(vault_passphrase_kek(v, FORGE_PASSPHRASE, strlen(FORGE_PASSPHRASE),
		    seed_kek) == FBV_OK);
		seed_kek_ready = true;
	}
	return seed_kek;
}

static bool
is_parse_error(int r)
{
	return r == FBV_ERR_CORRUPT || r == FBV_ERR_BAD_MAGIC || r == FBV_ERR_VERSION ||
	    r == FBV_ERR_KDF_LIMITS || r == FBV_ERR_NO_SLOT || r == FBV_ERR_DUP_SLOT;
}

/* What vault_parse() promises about a file it accepts. */
static void
check_parsed(const struct vault *v, const uint8_t *data, size_t size)
{
	uint64_t ops, mem;
	size_t i, k;

	FUZZ_CHECK(v->nslots >= 1 && v->nslots <= FBV_SLOTS_MAX);
	FUZZ_CHECK(v->hdr_len >= FBV_PREFIX_BYTES + 1 + 3 * v->nslots);
	FUZZ_CHECK(v->hdr_len + FBV_MAC_BYTES + FBV_NONCE_BYTES + 4 + v->cipher_len == size);
	FUZZ_CHECK(memcmp(v->hdr, data, v->hdr_len) == 0);
	FUZZ_CHECK(memcmp(v->cipher, data + size - v->cipher_len, v->cipher_len) == 0);
	FUZZ_CHECK(v->cipher_len >= FBV_TAG_BYTES + 4);
	FUZZ_CHECK(memcmp(v->id, data + 12, FBV_ID_BYTES) == 0);
	FUZZ_CHECK(v->key == NULL && v->entries.n == 0 && v->plain.len == 0);
	FUZZ_CHECK(vault_has_slot(v, FBV_SLOT_PASSPHRASE) || vault_has_slot(v, FBV_SLOT_KEYRING));
	for (i = 0; i < v->nslots; i++) {
		FUZZ_CHECK(v->slots[i].type != 0);
		if (v->slots[i].type == FBV_SLOT_PASSPHRASE)
			FUZZ_CHECK(v->slots[i].len == FBV_PASS_SLOT_BYTES);
		if (v->slots[i].type == FBV_SLOT_KEYRING)
			FUZZ_CHECK(v->slots[i].len == FBV_KEYRING_SLOT_BYTES);
		for (k = 0; k < i; k++)
			FUZZ_CHECK(v->slots[i].type > FBV_SLOT_KEYRING ||
			    v->slots[k].type != v->slots[i].type);
	}
	if (vault_kdf_params(v, &ops, &mem) == FBV_OK)
		FUZZ_CHECK(kdf_check(ops, mem) == FBV_OK && ops <= FBV_KDF_OPS_MAX &&
		    mem <= FBV_KDF_MEM_MAX);
	else
		FUZZ_CHECK(!vault_has_slot(v, FBV_SLOT_PASSPHRASE));
}

/* The payload format has one encoding per entry list: what decodes
 * encodes back to the same bytes. */
static void
check_reencode(const struct entries *es, const unsigned char *plain, size_t len)
{
	struct sbuf enc;

	sbuf_init(&enc, FBV_PAYLOAD_MAX);
	FUZZ_CHECK(entries_encode(es, &enc) == FBV_OK);
	FUZZ_CHECK(enc.len == len && (len == 0 || memcmp(enc.data, plain, len) == 0));
	sbuf_free(&enc);
}

static void
check_meta(const struct entry *e)
{
	const char *s;
	size_t len;
	int64_t t;
	int tag, r;

	for (tag = META_KIND; tag <= META_USER_ID; tag++) {
		r = meta_get_int(e, (enum meta_tag)tag, &t);
		FUZZ_CHECK(r == FBV_OK || r == FBV_ERR_NO_ENTRY || r == FBV_ERR_CORRUPT);
		r = meta_get_str(e, (enum meta_tag)tag, &s, &len);
		FUZZ_CHECK(r == FBV_OK || r == FBV_ERR_NO_ENTRY);
		FUZZ_CHECK((r == FBV_OK) == meta_has(e, (enum meta_tag)tag));
		if (r == FBV_OK)
			FUZZ_CHECK((const unsigned char *)s >= e->meta &&
			    (const unsigned char *)s + len <= e->meta + e->meta_len);
	}
}

static void
check_entries(const struct entries *es, const unsigned char *plain, size_t len)
{
	size_t i;

	FUZZ_CHECK(es->n <= es->cap || es->n == 0);
	for (i = 0; i < es->n; i++) {
		const struct entry *e = entries_at(es, i);

		FUZZ_CHECK(e != NULL && name_check(e->name) == FBV_OK);
		FUZZ_CHECK(i == 0 || strcmp(entries_at(es, i - 1)->name, e->name) < 0);
		FUZZ_CHECK(e->value_len <= FBV_VALUE_MAX && !e->value_owned);
		FUZZ_CHECK(e->value >= plain && e->value + e->value_len <= plain + len);
		FUZZ_CHECK(entries_find(es, e->name) == e);
		check_meta(e);
	}
	check_reencode(es, plain, len);
}

/* Edits as put, rm and login make them, on a decoded list. */
static void
check_edits(struct entries *es)
{
	static const unsigned char value[] = "fuzz value";
	struct entry *e;
	size_t n = es->n;
	int64_t t;
	int r;

	r = entries_put(es, "zz/fuzz", value, sizeof(value) - 1, false, 7, &e);
	FUZZ_CHECK(r == FBV_OK || r == FBV_ERR_EXISTS);
	if (r == FBV_OK) {
		FUZZ_CHECK(es->n == n + 1 && entries_find(es, "zz/fuzz") == e);
		FUZZ_CHECK(meta_set_int(e, META_EXPIRES_AT, -5) == FBV_OK);
		FUZZ_CHECK(meta_set_str(e, META_KIND, "page-token") == FBV_OK);
		FUZZ_CHECK(meta_set_int(e, META_EXPIRES_AT, 42) == FBV_OK);
		FUZZ_CHECK(meta_get_int(e, META_EXPIRES_AT, &t) == FBV_OK && t == 42);
		meta_clear(e, META_KIND);
		FUZZ_CHECK(!meta_has(e, META_KIND));
		FUZZ_CHECK(entries_remove(es, "zz/fuzz") == FBV_OK && es->n == n);
	}
	if (es->n > 0) {
		e = entries_at(es, 0);
		r = meta_set_str(e, META_PAGE_NAME, "renamed");
		FUZZ_CHECK(r == FBV_OK || r == FBV_ERR_TOO_LARGE);
		if (r == FBV_OK)
			FUZZ_CHECK(meta_has(e, META_PAGE_NAME));
		FUZZ_CHECK(entries_put(es, e->name, value, 3, true, 9, &e) == FBV_OK);
		FUZZ_CHECK(e->value_len == 3 && e->value_owned && e->updated == 9);
	}
	FUZZ_CHECK(entries_put(es, "../x", value, 1, true, 0, &e) == FBV_ERR_BAD_NAME);
}

static void
encode(const struct entries *es, struct sbuf *out)
{
	sbuf_init(out, FBV_PAYLOAD_MAX);
	FUZZ_CHECK(entries_encode(es, out) == FBV_OK);
}

/* What vault_save() writes, vault_load() reads back the same. */
static void
check_save(struct vault *v)
{
	struct sbuf before, after;
	struct vault *w;
	size_t i;

	free(v->path);
	FUZZ_CHECK((v->path = strdup(save_path)) != NULL);
	v->dirty = true;
	FUZZ_CHECK(vault_save(v, false) == FBV_OK);
	FUZZ_CHECK(vault_load(save_path, &w) == FBV_OK);
	FUZZ_CHECK(memcmp(w->id, v->id, FBV_ID_BYTES) == 0 && w->nslots == v->nslots);
	for (i = 0; i < v->nslots; i++)
		FUZZ_CHECK(w->slots[i].type == v->slots[i].type && w->slots[i].len == v->slots[i].len &&
		    memcmp(w->slots[i].body, v->slots[i].body, v->slots[i].len) == 0);
	FUZZ_CHECK(vault_unlock_key(w, v->key) == FBV_OK);
	encode(&v->entries, &before);
	encode(&w->entries, &after);
	FUZZ_CHECK(before.len == after.len && memcmp(before.data, after.data, before.len) == 0);
	sbuf_free(&before);
	sbuf_free(&after);
	vault_free(w);
	FUZZ_CHECK(unlink(save_path) == 0);
}

/* A failed unlock leaves nothing behind; a good one a consistent list
 * that survives edits and a save. */
static void
check_unlock(struct vault *v, int r)
{
	if (r != FBV_OK) {
		FUZZ_CHECK(v->key == NULL && v->entries.n == 0 && v->plain.len == 0);
		return;
	}
	FUZZ_CHECK(v->key != NULL && v->plain.len == v->cipher_len - FBV_TAG_BYTES);
	check_entries(&v->entries, v->plain.data, v->plain.len);
	check_edits(&v->entries);
	check_save(v);
}

static struct vault *
parse(const uint8_t *data, size_t size)
{
	struct vault *v = NULL;
	int r = vault_parse("fuzz", data, size, &v);

	if (r != FBV_OK) {
		FUZZ_CHECK(is_parse_error(r));
		return NULL;
	}
	/* version 2 files are fuzz_vault2's; this target is version 1's, and
	 * its saves (version 2) are loaded again in check_save() */
	if (v->version != FBV_VERSION) {
		vault_free(v);
		return NULL;
	}
	check_parsed(v, data, size);
	return v;
}

static void
open_file(const uint8_t *data, size_t size)
{
	unsigned char by_key[FBV_KEY_BYTES];
	struct sbuf plain;
	struct vault *v;
	int r, r_key;

	if ((v = parse(data, size)) == NULL)
		return;
	r_key = vault_unlock_key(v, forge_data_key);
	FUZZ_CHECK(r_key == FBV_OK || r_key == FBV_ERR_CORRUPT);
	sbuf_init(&plain, FBV_PAYLOAD_MAX);
	if (r_key == FBV_OK)
		FUZZ_CHECK(sbuf_put(&plain, v->plain.data, v->plain.len) == FBV_OK);
	check_unlock(v, r_key);
	vault_free(v);

	v = parse(data, size);
	r = vault_unlock_passphrase_kek(v, kek_for(v));
	FUZZ_CHECK(r == FBV_OK || r == FBV_ERR_WRONG_PASS || r == FBV_ERR_NO_SLOT ||
	    r == FBV_ERR_CORRUPT);
	if (r == FBV_OK) {
		memcpy(by_key, v->key, sizeof(by_key));
		/* Both ways in open the same payload. */
		if (sodium_memcmp(by_key, forge_data_key, sizeof(by_key)) == 0)
			FUZZ_CHECK(r_key == FBV_OK && plain.len == v->plain.len &&
			    memcmp(plain.data, v->plain.data, plain.len) == 0);
	}
	check_unlock(v, r);
	vault_free(v);

	v = parse(data, size);
	r = vault_unlock_keyring(v, forge_keyring_kek);
	FUZZ_CHECK(r == FBV_OK || r == FBV_ERR_KEYRING_ITEM || r == FBV_ERR_NO_SLOT ||
	    r == FBV_ERR_CORRUPT);
	if (r == FBV_OK && sodium_memcmp(v->key, forge_data_key, FBV_KEY_BYTES) == 0)
		FUZZ_CHECK(r_key == FBV_OK);
	check_unlock(v, r);
	vault_free(v);
	sbuf_free(&plain);
}

/* data is a payload: seal it into a vault with one keyring slot. */
static void
open_payload(const uint8_t *data, size_t size)
{
	struct entries direct;
	struct slot slot;
	unsigned char body[FBV_KEYRING_SLOT_BYTES];
	struct sbuf file;
	struct vault *v;
	int r, r_direct;

	forge_keyring_slot(body, forge_id, forge_keyring_kek, forge_data_key);
	slot.type = FBV_SLOT_KEYRING;
	slot.len = sizeof(body);
	slot.body = body;
	sbuf_init(&file, FBV_FILE_MAX);
	FUZZ_CHECK(forge_file(&file, forge_id, &slot, 1, forge_data_key, data, size) == FBV_OK);
	v = parse(file.data, file.len);
	if (size < 4) {
		FUZZ_CHECK(v == NULL);
		sbuf_free(&file);
		return;
	}
	FUZZ_CHECK(v != NULL);
	r_direct = entries_decode(&direct, data, size);
	FUZZ_CHECK(r_direct == FBV_OK || r_direct == FBV_ERR_CORRUPT);
	if (r_direct == FBV_OK)
		entries_free(&direct);
	FUZZ_CHECK(direct.n == 0 && direct.v == NULL);
	r = vault_unlock_keyring(v, forge_keyring_kek);
	FUZZ_CHECK(r == r_direct);
	check_unlock(v, r);
	vault_free(v);
	sbuf_free(&file);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_random_reset();
	if (size >= FBV_MAGIC_BYTES && memcmp(data, FBV_MAGIC, FBV_MAGIC_BYTES) == 0)
		open_file(data, size);
	else
		open_payload(data, size);
	return 0;
}
