/* Unit tests for crypto/ and vault/: vectors, encodings, slots. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "../../crypto/errors.h"
#include "../../crypto/seal.h"
#include "../../vault/entries.h"
#include "../../vault/store.h"
#include "../../vault/vault.h"
#include "check.h"
#include "config.h"

static void
test_proof(void)
{
	char hex[FBV_HMAC_HEX];

	hmac_sha256_hex(hex, (const unsigned char *)"xyz789", 6, (const unsigned char *)"abc123", 6);
	CHECK(strcmp(hex, "4dad02ff1693df832f9c183fe400fc4f601360be06514acb4a73edb783eec345") == 0);
}

static void
test_names(void)
{
	static const char *good[] = { "a", "page/1234", "app-secret", "a.b_c-d/e:f", "A9" };
	static const char *bad[] = { "", "/a", "-a", "a..b", "..", "a b", "a\nb", "é", "a;b" };
	char longname[FBV_NAME_MAX + 2];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(*good); i++)
		CHECK(name_check(good[i]) == FBV_OK);
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		CHECK(name_check(bad[i]) == FBV_ERR_BAD_NAME);
	memset(longname, 'x', sizeof(longname) - 1);
	longname[FBV_NAME_MAX] = '\0';
	CHECK(name_check(longname) == FBV_OK);
	longname[FBV_NAME_MAX] = 'x';
	longname[FBV_NAME_MAX + 1] = '\0';
	CHECK(name_check(longname) == FBV_ERR_BAD_NAME);
}

static void
test_entries(void)
{
	struct entries es = { 0 }, back;
	struct entry *e;
	struct sbuf buf;
	const char *s;
	size_t len;
	int64_t t;

	sbuf_init(&buf, 1 << 20);
	CHECK(entries_put(&es, "b", (const unsigned char *)"2", 1, false, 10, &e) == FBV_OK);
	CHECK(meta_set_str(e, META_PAGE_NAME, "Ferret Bakery") == FBV_OK);
	CHECK(meta_set_int(e, META_EXPIRES_AT, 0) == FBV_OK);
	CHECK(meta_set_int(e, META_EXPIRES_AT, -5) == FBV_OK);
	CHECK(entries_put(&es, "a", (const unsigned char *)"\0x", 2, false, 11, &e) == FBV_OK);
	CHECK(entries_put(&es, "a", (const unsigned char *)"y", 1, false, 12, &e) == FBV_ERR_EXISTS);
	CHECK(entries_put(&es, "c", (const unsigned char *)"", 0, false, 13, &e) == FBV_OK);
	CHECK(es.n == 3 && strcmp(es.v[0].name, "a") == 0 && strcmp(es.v[2].name, "c") == 0);
	CHECK(entries_encode(&es, &buf) == FBV_OK);
	CHECK(entries_decode(&back, buf.data, buf.len) == FBV_OK);
	CHECK(back.n == 3);
	e = entries_find(&back, "b");
	CHECK(e != NULL && e->value_len == 1 && e->value[0] == '2' && e->created == 10);
	CHECK(e != NULL && meta_get_str(e, META_PAGE_NAME, &s, &len) == FBV_OK &&
	    len == 13 && memcmp(s, "Ferret Bakery", 13) == 0);
	CHECK(e != NULL && meta_get_int(e, META_EXPIRES_AT, &t) == FBV_OK && t == -5);
	if (e != NULL)
		meta_clear(e, META_PAGE_NAME);
	CHECK(e != NULL && !meta_has(e, META_PAGE_NAME) && meta_has(e, META_EXPIRES_AT));
	e = entries_find(&back, "a");
	CHECK(e != NULL && e->value_len == 2 && e->value[0] == 0);
	CHECK(entries_remove(&back, "a") == FBV_OK && entries_find(&back, "a") == NULL);
	CHECK(entries_remove(&back, "a") == FBV_ERR_NO_ENTRY);
	entries_free(&back);
	/* Truncated or unsorted payloads are refused. */
	CHECK(entries_decode(&back, buf.data, buf.len - 1) == FBV_ERR_CORRUPT);
	buf.data[6] = 'z'; /* first name "a" -> "z": no longer sorted */
	CHECK(entries_decode(&back, buf.data, buf.len) == FBV_ERR_CORRUPT);
	entries_free(&es);
	sbuf_free(&buf);
}

static void
test_kdf_limits(void)
{
	uint64_t ops, mem;

	kdf_level_params(KDF_INTERACTIVE, &ops, &mem);
	CHECK(kdf_check(ops, mem) == FBV_OK);
	CHECK(kdf_check(ops - 1, mem) == FBV_ERR_KDF_LIMITS);
	CHECK(kdf_check(ops, mem - 1) == FBV_ERR_KDF_LIMITS);
	CHECK(kdf_check(FBV_KDF_OPS_MAX + 1, mem) == FBV_ERR_KDF_LIMITS);
	CHECK(kdf_check(ops, FBV_KDF_MEM_MAX + 1) == FBV_ERR_KDF_LIMITS);
	kdf_level_params(KDF_SENSITIVE, &ops, &mem);
	CHECK(kdf_check(ops, mem) == FBV_OK);
	CHECK(strcmp(kdf_level_name(ops, mem), "sensitive") == 0);
#if !FBV_TEST_KDF
	/* A build users get: the levels are libsodium's own. */
	kdf_level_params(KDF_MODERATE, &ops, &mem);
	CHECK(ops == crypto_pwhash_argon2id_OPSLIMIT_MODERATE);
	CHECK(mem == crypto_pwhash_argon2id_MEMLIMIT_MODERATE);
	kdf_level_params(KDF_SENSITIVE, &ops, &mem);
	CHECK(ops == crypto_pwhash_argon2id_OPSLIMIT_SENSITIVE);
	CHECK(mem == crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE);
#endif
}

static void
test_vault_roundtrip(void)
{
	char path[] = "/tmp/fbvault-unit.XXXXXX", file[64];
	unsigned char kek[FBV_KEY_BYTES], other[FBV_KEY_BYTES];
	struct vault *v, *w;
	struct entry *e;
	size_t before;

	CHECK(mkdtemp(path) != NULL);
	snprintf(file, sizeof(file), "%s/vault", path);
	CHECK(vault_create(file, "pw", 2, KDF_INTERACTIVE, &v) == FBV_OK);
	CHECK(entries_put(&v->entries, "x", (const unsigned char *)"secret", 6, false, 1, &e) == FBV_OK);
	v->dirty = true;
	CHECK(vault_save(v, true) == FBV_OK);
	CHECK(vault_save(v, true) == FBV_ERR_EXISTS);
	/* A keyring slot opens with its key only; the payload gains its public
	 * key (format 2). */
	randombytes_buf(kek, sizeof(kek));
	randombytes_buf(other, sizeof(other));
	before = v->cipher_len;
	CHECK(vault_set_keyring(v, kek) == FBV_OK);
	CHECK(vault_save(v, false) == FBV_OK);
	CHECK(v->cipher_len == before + 3 + FBV_X25519_BYTES);
	vault_free(v);

	CHECK(vault_load(file, &w) == FBV_OK);
	CHECK(vault_has_slot(w, FBV_SLOT_KEYRING) && vault_has_slot(w, FBV_SLOT_PASSPHRASE));
	CHECK(vault_unlock_keyring(w, other) == FBV_ERR_KEYRING_ITEM);
	CHECK(vault_unlock_passphrase(w, "pW", 2) == FBV_ERR_WRONG_PASS);
	CHECK(vault_unlock_keyring(w, kek) == FBV_OK);
	e = entries_find(&w->entries, "x");
	CHECK(e != NULL && e->value_len == 6 && memcmp(e->value, "secret", 6) == 0);
	CHECK(vault_remove_slot(w, FBV_SLOT_KEYRING) == FBV_OK);
	CHECK(vault_remove_slot(w, FBV_SLOT_KEYRING) == FBV_ERR_NO_SLOT);
	CHECK(vault_save(w, false) == FBV_OK);
	vault_free(w);

	CHECK(vault_load(file, &w) == FBV_OK);
	CHECK(!vault_has_slot(w, FBV_SLOT_KEYRING));
	CHECK(vault_unlock_passphrase(w, "pw", 2) == FBV_OK);
	vault_free(w);
	unlink(file);
	rmdir(path);
}

/* The payload is decrypted where it was read, once: decoded entries point
 * into it; an edit copies what it changes; a second unlock only checks the
 * key; a failed one leaves nothing that opens. */
static void
test_in_place(void)
{
	char path[] = "/tmp/fbv-unit-XXXXXX", file[64], longname[FBV_NAME_MAX + 1];
	struct vault *v, *w;
	struct entry *e;
	const struct entry *c;
	const char *s;
	size_t len, i;
	bool same;

	CHECK(mkdtemp(path) != NULL);
	snprintf(file, sizeof(file), "%s/vault", path);
	CHECK(vault_create(file, "pw", 2, KDF_INTERACTIVE, &v) == FBV_OK);
	memset(longname, 'n', FBV_NAME_MAX);
	longname[FBV_NAME_MAX] = '\0';
	CHECK(vault_put(v, "a", (const unsigned char *)"1", 1, false, 1, &e) == FBV_OK);
	CHECK(meta_set_str(e, META_PAGE_NAME, "Ferret Bakery") == FBV_OK);
	CHECK(vault_put(v, "b", (const unsigned char *)"22", 2, false, 2, &e) == FBV_OK);
	CHECK(meta_set_str(e, META_KIND, "secret") == FBV_OK);
	CHECK(vault_put(v, longname, (const unsigned char *)"", 0, false, 3, &e) == FBV_OK);
	CHECK(vault_save(v, true) == FBV_OK);
	vault_free(v);

	CHECK(vault_load(file, &w) == FBV_OK);
	CHECK(w->version == FBV_VERSION3 && w->cipher != NULL && w->plain.len == 0);
	CHECK(vault_unlock_passphrase(w, "pW", 2) == FBV_ERR_WRONG_PASS);
	CHECK(vault_unlock_passphrase(w, "pw", 2) == FBV_OK);
	CHECK(w->cipher == NULL && w->plain.len == w->plain_len &&
	    w->cipher_len == w->plain_len + FBV_TAG_BYTES);
	/* Filled in on use: a lookup fills in only what it found. */
	CHECK(w->entries.off != NULL && w->entries.v[0].name == NULL);
	c = vault_find(w, "b");
	CHECK(c == &w->entries.v[1] && w->entries.v[0].name == NULL && w->entries.v[2].name == NULL);
	CHECK(vault_find(w, "aa") == NULL && vault_find(w, "") == NULL && vault_find(w, "zz") == NULL);
	CHECK(vault_count(w) == 3);
	for (i = 0; i < vault_count(w); i++) {
		c = vault_entry(w, i);
		CHECK(!c->name_owned && !c->value_owned && !c->meta_owned);
		CHECK(c->value >= w->plain.data && c->value + c->value_len <= w->plain.data + w->plain.len);
		CHECK(c->meta_len == 0 || (c->meta >= w->plain.data &&
		    c->meta + c->meta_len <= w->plain.data + w->plain.len));
	}
	c = vault_find(w, longname);
	CHECK(c != NULL && strlen(c->name) == FBV_NAME_MAX && c->value_len == 0);
	/* Unlocking again keeps the entries; a wrong key is still refused. */
	CHECK(vault_unlock_passphrase(w, "pw", 2) == FBV_OK && vault_count(w) == 3);
	CHECK(vault_unlock_passphrase(w, "pW", 2) == FBV_ERR_WRONG_PASS && vault_count(w) == 3);
	/* Growing metadata in the payload copies it; clearing works in place;
	 * an edit has every entry filled in. */
	e = vault_edit(w, "a");
	CHECK(w->entries.off == NULL);
	CHECK(e != NULL && meta_set_int(e, META_EXPIRES_AT, 7) == FBV_OK && e->meta_owned);
	CHECK(meta_get_str(e, META_PAGE_NAME, &s, &len) == FBV_OK && len == 13 &&
	    memcmp(s, "Ferret Bakery", 13) == 0);
	e = vault_edit(w, "b");
	CHECK(e != NULL);
	meta_clear(e, META_KIND);
	CHECK(!meta_has(e, META_KIND) && !e->meta_owned);
	c = vault_find(w, "a");
	CHECK(c != NULL && c->value_len == 1 && c->value[0] == '1');
	CHECK(vault_file_same(w, &same) == FBV_OK && same);
	CHECK(vault_save(w, false) == FBV_OK);
	CHECK(vault_file_same(w, &same) == FBV_OK && same);
	vault_free(w);

	CHECK(vault_load(file, &w) == FBV_OK && vault_unlock_passphrase(w, "pw", 2) == FBV_OK);
	c = vault_find(w, "a");
	CHECK(c != NULL && meta_get_str(c, META_PAGE_NAME, &s, &len) == FBV_OK && len == 13);
	CHECK(c != NULL && meta_has(c, META_EXPIRES_AT));
	c = vault_find(w, "b");
	CHECK(c != NULL && c->meta_len == 0 && c->value_len == 2 && memcmp(c->value, "22", 2) == 0);
	/* Another save behind w's back: no longer the same file. */
	CHECK(vault_load(file, &v) == FBV_OK && vault_unlock_passphrase(v, "pw", 2) == FBV_OK);
	CHECK(vault_remove(v, "b") == FBV_OK && vault_save(v, false) == FBV_OK);
	vault_free(v);
	CHECK(vault_file_same(w, &same) == FBV_OK && !same);
	vault_free(w);

	/* A payload that does not open leaves nothing decrypted, and nothing
	 * that a second try opens. */
	CHECK(vault_load(file, &w) == FBV_OK);
	w->cbuf[w->seg_off + w->cipher_len / 2] ^= 1;
	CHECK(vault_unlock_passphrase(w, "pw", 2) == FBV_ERR_CORRUPT);
	CHECK(w->plain.len == 0 && vault_count(w) == 0 && w->key == NULL);
	CHECK(vault_unlock_passphrase(w, "pw", 2) == FBV_ERR_CORRUPT && vault_count(w) == 0);
	vault_free(w);
	unlink(file);
	rmdir(path);
}

int
main(void)
{
	if (sodium_init() < 0)
		return 1;
	test_proof();
	test_names();
	test_entries();
	test_kdf_limits();
	test_vault_roundtrip();
	test_in_place();
	return check_report(NULL);
}
