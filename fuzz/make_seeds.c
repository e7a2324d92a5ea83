/* Writes fuzz_vault's seed vaults into DIR: real vault files, made with
 * vault_create(), entries_put() and vault_save(), whose passphrase slot
 * then gets forge_salt and whose data key is forge_data_key, so the
 * fuzzer reaches the MAC and the payload with one KDF run. The random
 * source is a fixed stream: the same build writes the same bytes.
 *
 *   fuzz/run --unpack /tmp/c
 *   ninja -C build-fuzz fuzz/make_seeds && build-fuzz/fuzz/make_seeds /tmp/c/fuzz_vault
 *   fuzz/run --pack /tmp/c */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../cli/errors.h"
#include "../crypto/errors.h"
#include "../vault/store.h"
#include "../vault/vault.h"
#include "forge.h"
#include "fuzz.h"

struct put {
	const char *name;
	const char *value;
	size_t len;             /* 0: strlen(value) */
};

static const struct put core_entries[] = {
	{ "app-id", "138483919580948", 0 },
	{ "app-secret", "0123456789abcdef0123456789abcdef", 0 },
	{ "page/1234", "EAAGm0PX4ZCpsBAPageTokenForFerretBakery", 0 },
	{ "user-token", "EAAGm0PX4ZCpsBAUserTokenLongLived", 0 },
	{ "bin", "\0\n{{ fbvault:x }}\0\xff\xfe", 20 },
	{ "empty", "", 0 },
	{ "a:b/c.d_e-f", "every character a name may hold", 0 },
	{ NULL, NULL, 0 },
};

static int
put_all(struct vault *v, const struct put *p)
{
	struct entry *e;
	int r;

	for (; p->name != NULL; p++) {
		size_t len = p->len != 0 ? p->len : strlen(p->value);

		if ((r = entries_put(&v->entries, p->name, (const unsigned char *)p->value, len,
		    false, 1760000000, &e)) != FBV_OK)
			return r;
		if (strncmp(p->name, "page/", 5) == 0 &&
		    ((r = meta_set_str(e, META_KIND, "page-token")) != FBV_OK ||
		    (r = meta_set_int(e, META_EXPIRES_AT, 0)) != FBV_OK ||
		    (r = meta_set_str(e, META_PAGE_ID, p->name + 5)) != FBV_OK ||
		    (r = meta_set_str(e, META_PAGE_NAME, "Ferret Bakery \xc3\xa9")) != FBV_OK ||
		    (r = meta_set_str(e, META_SCOPES, "pages_show_list,pages_manage_posts")) != FBV_OK ||
		    (r = meta_set_str(e, META_TOKEN_TYPE, "PAGE")) != FBV_OK))
			return r;
		if (strcmp(p->name, "user-token") == 0 &&
		    ((r = meta_set_str(e, META_KIND, "user-token")) != FBV_OK ||
		    (r = meta_set_int(e, META_EXPIRES_AT, 1765183944)) != FBV_OK ||
		    (r = meta_set_int(e, META_DATA_ACCESS_EXPIRES_AT, 1790000000)) != FBV_OK ||
		    (r = meta_set_int(e, META_CHECKED_AT, 1760000000)) != FBV_OK ||
		    (r = meta_set_str(e, META_USER_ID, "9876")) != FBV_OK))
			return r;
	}
	v->dirty = true;
	return FBV_OK;
}

/* Swaps the data key for forge_data_key and the passphrase slot for one
 * with forge_salt; the vault must be unlocked. */
static int
use_fixed_keys(struct vault *v)
{
	unsigned char pre[FBV_PASS_SLOT_AD];
	uint64_t ops, mem;
	size_t i;
	int r;

	memcpy(v->key, forge_data_key, FBV_KEY_BYTES);
	kdf_level_params(KDF_INTERACTIVE, &ops, &mem);
	forge_pass_inputs(pre, forge_salt, ops, mem);
	for (i = 0; i < v->nslots; i++)
		if (v->slots[i].type == FBV_SLOT_PASSPHRASE &&
		    (r = forge_pass_slot(v->slots[i].body, v->id, pre, FORGE_PASSPHRASE,
		    forge_data_key)) != FBV_OK)
			return r;
	v->dirty = true;
	return FBV_OK;
}

static int
add_unknown_slot(struct vault *v)
{
	struct slot *s = &v->slots[v->nslots];

	if ((s->body = malloc(10)) == NULL)
		return FBV_ERR_NOMEM;
	memcpy(s->body, "recipient!", 10);
	s->type = 3;
	s->len = 10;
	v->nslots++;
	return FBV_OK;
}

enum { WITH_ENTRIES = 1, WITH_KEYRING = 2, NO_PASSPHRASE = 4, WITH_UNKNOWN = 8 };

/* Opens what was written the way fbvault does, through every slot. */
static int
verify(const char *path, int flags)
{
	struct vault *v;
	int r;

	if ((r = vault_load(path, &v)) != FBV_OK)
		return r;
	if (!(flags & NO_PASSPHRASE))
		r = vault_unlock_passphrase(v, FORGE_PASSPHRASE, strlen(FORGE_PASSPHRASE));
	if (r == FBV_OK && (flags & WITH_KEYRING))
		r = vault_unlock_keyring(v, forge_keyring_kek);
	if (r == FBV_OK)
		r = vault_unlock_key(v, forge_data_key);
	vault_free(v);
	return r;
}

static int
make(const char *dir, const char *name, int flags)
{
	char path[4096];
	struct vault *v;
	int r;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((r = vault_create(path, FORGE_PASSPHRASE, strlen(FORGE_PASSPHRASE), KDF_INTERACTIVE,
	    &v)) != FBV_OK)
		return r;
	memcpy(v->id, forge_id, FBV_ID_BYTES);
	if ((r = use_fixed_keys(v)) == FBV_OK && (flags & WITH_ENTRIES))
		r = put_all(v, core_entries);
	if (r == FBV_OK && (flags & WITH_KEYRING))
		r = vault_set_keyring(v, forge_keyring_kek);
	if (r == FBV_OK && (flags & WITH_UNKNOWN))
		r = add_unknown_slot(v);
	if (r == FBV_OK && (flags & NO_PASSPHRASE))
		r = vault_remove_slot(v, FBV_SLOT_PASSPHRASE);
	if (r == FBV_OK)
		r = vault_save(v, false);
	vault_free(v);
	if (r == FBV_OK)
		r = verify(path, flags);
	if (r != FBV_OK)
		fprintf(stderr, "make_seeds: %s: %s\n", path, fbv_strerror(r));
	return r;
}

/* fuzz_vault reads an input without the magic as a decrypted payload. */
static int
make_payload(const char *dir, const char *name, const struct put *p)
{
	struct vault *v;
	struct sbuf plain;
	char path[4096];
	FILE *f;
	int r;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((r = vault_create(path, "x", 1, KDF_INTERACTIVE, &v)) != FBV_OK)
		return r;
	sbuf_init(&plain, FBV_PAYLOAD_MAX);
	if ((r = put_all(v, p)) == FBV_OK)
		r = entries_encode(&v->entries, &plain);
	if (r == FBV_OK && ((f = fopen(path, "wb")) == NULL ||
	    fwrite(plain.data, 1, plain.len, f) != plain.len || fclose(f) != 0))
		r = FBV_ERR_SYSTEM;
	sbuf_free(&plain);
	vault_free(v);
	return r;
}

int
main(int argc, char **argv)
{
	static const struct put none[] = { { NULL, NULL, 0 } };

	if (argc != 2) {
		fputs("usage: make_seeds DIR\n", stderr);
		return 64;
	}
	fuzz_init();
	if (make(argv[1], "vault-passphrase-empty", 0) != FBV_OK ||
	    make(argv[1], "vault-passphrase-entries", WITH_ENTRIES) != FBV_OK ||
	    make(argv[1], "vault-passphrase-keyring", WITH_ENTRIES | WITH_KEYRING) != FBV_OK ||
	    make(argv[1], "vault-keyring-only", WITH_ENTRIES | WITH_KEYRING | NO_PASSPHRASE) != FBV_OK ||
	    make(argv[1], "vault-unknown-slot", WITH_ENTRIES | WITH_KEYRING | WITH_UNKNOWN) != FBV_OK ||
	    make_payload(argv[1], "payload-entries", core_entries) != FBV_OK ||
	    make_payload(argv[1], "payload-empty", none) != FBV_OK)
		return 1;
	return 0;
}
