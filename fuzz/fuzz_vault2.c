/* Vault formats 2 and 3 from bytes: vault_parse(), then every way in, and for
 * every input that opens, a save and a load that give the same slots,
 * records and entries back.
 *
 * Input, by its first byte:
 *   'F' (a file): the rest is a vault file. It is opened with the fuzz
 *       recipient's secret key (FORGE2_SK) and, when its passphrase slot
 *       has the seeds' KDF inputs, the seeds' passphrase (one KDF run in
 *       all); seeds made with these keys open, so the fuzzer mutates real
 *       files.
 *   'S' (a segmented payload): as a payload below, in the format 3 layout
 *       (slot records, entry count, directory, values), sealed here into
 *       a format 3 file in 64 KiB segments.
 *   anything else (a payload): the rest is a decrypted payload (slot
 *       records, then entries), sealed here into a v2 file with one
 *       recipient slot under a fixed data key, and opened with that key:
 *       the record and entry decoders see fuzzed bytes through the real
 *       open path, which the MAC and AEAD otherwise keep the fuzzer out
 *       of. The header's slot table is taken from the records' types so
 *       that the record checks are reached.
 *
 * Build (outside meson, until fuzz/ moves into it): clang
 * -fsanitize=fuzzer,address,undefined with crypto/{secmem,seal,hkdf,
 * recipient}.c, vault/{entries,vault,format2,store,io}.c, fuzz/common.c,
 * fuzz/fuzz_vault2.c and libsodium. fuzz/fuzz_vault2.c -seeds DIR writes
 * the seeds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "../crypto/errors.h"
#include "../crypto/le.h"
#include "../crypto/recipient.h"
#include "../vault/format2.h"
#include "../vault/format3.h"
#include "../vault/store.h"
#include "../vault/vault.h"
#include "fuzz.h"

#define FORGE2_PASS "fbvault fuzz v2 passphrase"
static const unsigned char forge2_sk[FBV_X25519_BYTES] = "fbvault fuzz v2 recipient key!!";
static const unsigned char forge2_key[FBV_KEY_BYTES] = "fbvault fuzz v2 data key, fixed";
static const unsigned char forge2_id[FBV_ID_BYTES] = "fuzz v2 vault!!";
static unsigned char forge2_pk[FBV_X25519_BYTES];
static unsigned char seed_inputs[FBV_PASS_SLOT_AD];
static unsigned char seed_kek[FBV_KEY_BYTES];
static bool seed_kek_ready;
static char save_dir[64], save_path[96];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
remove_save_dir(void)
{
	unlink(save_path);
	rmdir(save_dir);
}

static bool
is_parse_error(int r)
{
	return r == FBV_ERR_CORRUPT || r == FBV_ERR_BAD_MAGIC || r == FBV_ERR_VERSION ||
	    r == FBV_ERR_KDF_LIMITS || r == FBV_ERR_NO_SLOT || r == FBV_ERR_DUP_SLOT;
}

static bool
locked(const struct vault *v)
{
	size_t i;

	for (i = 0; i < v->nslots; i++)
		if (v->slots[i].rec != NULL)
			return false;
	return v->key == NULL && v->cred == NULL && v->entries.n == 0 && v->plain.len == 0;
}

/* What vault_parse() promises about a v2 file it accepts. */
static void
check_parsed(const struct vault *v, const uint8_t *data, size_t size)
{
	static const uint16_t len_of[] = { 0, FBV2_PASS_SLOT_BYTES, FBV2_KEYRING_SLOT_BYTES,
		FBV2_TIMED_SLOT_BYTES, FBV2_RECIPIENT_SLOT_BYTES };
	bool known = false;
	size_t i, k;

	FUZZ_CHECK(v->nslots >= 1 && v->nslots <= FBV_SLOTS_MAX);
	FUZZ_CHECK(v->hdr_len >= FBV2_PREFIX_BYTES + 1 + 3 * v->nslots);
	FUZZ_CHECK(v->hdr_len + (v->version == FBV_VERSION3 ? FBV3_TRAILER_BYTES :
	    FBV_MAC_BYTES + FBV_NONCE_BYTES + 4) + v->cipher_len == size);
	FUZZ_CHECK(memcmp(v->hdr, data, v->hdr_len) == 0);
	FUZZ_CHECK(v->generation == le_get64(data + FBV_GEN_OFF));
	FUZZ_CHECK(locked(v));
	for (i = 0; i < v->nslots; i++) {
		uint8_t t = v->slots[i].type;

		FUZZ_CHECK(t != 0);
		if (t <= FBV_SLOT_RECIPIENT) {
			known = true;
			FUZZ_CHECK(v->slots[i].len == len_of[t]);
		}
		for (k = 0; k < i; k++)
			FUZZ_CHECK(t > FBV_SLOT_TIMED || v->slots[k].type != t);
	}
	FUZZ_CHECK(known);
}

/* Saved and loaded again: the same generation + 1, slots in order with
 * their records (unknown slots byte for byte), the same entries. */
static void
round_trip(struct vault *v)
{
	struct vault *w = NULL;
	size_t i, n = v->nslots, nentries = vault_count(v);
	uint64_t gen = v->generation;
	int r;

	/* format 3 checks a record when it is used: all of them here */
	if ((r = vault_open_all(v)) == FBV_ERR_CORRUPT && v->version == FBV_VERSION3)
		return;
	FUZZ_CHECK(r == FBV_OK);
	unlink(save_path);
	free(v->path);
	FUZZ_CHECK((v->path = strdup(save_path)) != NULL);
	r = vault_save(v, true);
	if (r == FBV_ERR_TOO_LARGE)
		return;
	FUZZ_CHECK(r == FBV_OK);
	/* expired timed slots go */
	FUZZ_CHECK(v->nslots <= n && v->generation == gen + 1);
	FUZZ_CHECK(vault_load(save_path, &w) == FBV_OK);
	FUZZ_CHECK(vault_unlock_key(w, v->key) == FBV_OK);
	FUZZ_CHECK(w->generation == gen + 1 && w->nslots == v->nslots);
	for (i = 0; i < w->nslots; i++) {
		const struct slot *a = &v->slots[i], *b = &w->slots[i];

		FUZZ_CHECK(a->type == b->type && a->len == b->len && a->rec_len == b->rec_len);
		FUZZ_CHECK(a->rec_len == 0 || memcmp(a->rec, b->rec, a->rec_len) == 0);
		if (a->type > FBV_SLOT_RECIPIENT)
			FUZZ_CHECK(memcmp(a->body, b->body, a->len) == 0);
	}
	FUZZ_CHECK(vault_count(w) == nentries);
	for (i = 0; i < nentries; i++) {
		const struct entry *x = vault_entry(v, i), *y = vault_entry(w, i);

		FUZZ_CHECK(strcmp(x->name, y->name) == 0 && x->value_len == y->value_len &&
		    x->meta_len == y->meta_len && x->created == y->created &&
		    x->updated == y->updated);
		FUZZ_CHECK(x->value_len == 0 || memcmp(x->value, y->value, x->value_len) == 0);
		FUZZ_CHECK(x->meta_len == 0 || memcmp(x->meta, y->meta, x->meta_len) == 0);
	}
	/* a recipient slot for the fuzz key opens the saved file with it */
	for (i = 0; i < w->nslots; i++)
		if (w->slots[i].type == FBV_SLOT_RECIPIENT &&
		    memcmp(w->slots[i].rec, forge2_pk, FBV_X25519_BYTES) == 0) {
			vault_free(w);
			FUZZ_CHECK(vault_load(save_path, &w) == FBV_OK);
			FUZZ_CHECK(vault_unlock_secret(w, forge2_sk) == FBV_OK);
			break;
		}
	vault_free(w);
}

static void
open_file(const uint8_t *data, size_t size)
{
	struct vault *v;
	struct slot *s;
	int r;

	r = vault_parse("fuzz", data, size, &v);
	if (r != FBV_OK) {
		FUZZ_CHECK(is_parse_error(r));
		return;
	}
	if (v->version < FBV_VERSION2) {
		vault_free(v);
		return;
	}
	check_parsed(v, data, size);
	r = vault_unlock_secret(v, forge2_sk);
	FUZZ_CHECK(r == FBV_OK || r == FBV_ERR_WRONG_PASS || r == FBV_ERR_CORRUPT ||
	    r == FBV_ERR_NO_SLOT);
	FUZZ_CHECK(r == FBV_OK ? v->key != NULL && v->cred != NULL : locked(v));
	if (r != FBV_OK && (s = vault_slot(v, FBV_SLOT_PASSPHRASE)) != NULL &&
	    memcmp(s->body, seed_inputs, sizeof(seed_inputs)) == 0) {
		if (!seed_kek_ready) {
			FUZZ_CHECK(vault_passphrase_kek(v, FORGE2_PASS, strlen(FORGE2_PASS),
			    seed_kek) == FBV_OK);
			seed_kek_ready = true;
		}
		r = vault_unlock_passphrase_kek(v, seed_kek);
		FUZZ_CHECK(r == FBV_OK || r == FBV_ERR_WRONG_PASS || r == FBV_ERR_CORRUPT);
		FUZZ_CHECK(r == FBV_OK || locked(v));
	}
	if (r == FBV_OK)
		round_trip(v);
	vault_free(v);
}

/* plain sealed into a v2 file under forge2_key; the slot table follows
 * the records' types where they parse, else one recipient slot. */
static int
forge_payload(struct sbuf *out, const uint8_t *plain, size_t plen, bool segmented)
{
	unsigned char sub[FBV_KEY_BYTES], mac[FBV_MAC_BYTES], nonce[FBV_NONCE_BYTES] = { 0 };
	uint8_t types[FBV_SLOTS_MAX] = { FBV_SLOT_RECIPIENT };
	size_t n = 1, off = 1, i, hdr;
	unsigned char *cipher;
	int r;

	if (plen > 0 && plain[0] >= 1 && plain[0] <= FBV_SLOTS_MAX) {
		for (n = 0; n < plain[0] && off + 3 <= plen; n++) {
			types[n] = plain[off] == 0 ? FBV_SLOT_RECIPIENT : plain[off];
			off += 3 + le_get16(plain + off + 1);
		}
		if (n == 0)
			types[n++] = FBV_SLOT_RECIPIENT;
	}
	if ((r = sbuf_put(out, FBV_MAGIC, FBV_MAGIC_BYTES)) != FBV_OK ||
	    (r = sbuf_put_u16(out, segmented ? FBV_VERSION3 : FBV_VERSION2)) != FBV_OK ||
	    (r = sbuf_put_u16(out, 0)) != FBV_OK ||
	    (r = sbuf_put(out, forge2_id, FBV_ID_BYTES)) != FBV_OK ||
	    (r = sbuf_put_u64(out, 7)) != FBV_OK || (r = sbuf_put_u8(out, (uint8_t)n)) != FBV_OK)
		return r;
	for (i = 0; i < n; i++) {
		static const uint16_t len_of[] = { 0, FBV2_PASS_SLOT_BYTES, FBV2_KEYRING_SLOT_BYTES,
			FBV2_TIMED_SLOT_BYTES, FBV2_RECIPIENT_SLOT_BYTES };
		uint16_t len = types[i] <= FBV_SLOT_RECIPIENT ? len_of[types[i]] : 4;
		unsigned char body[FBV2_PASS_SLOT_BYTES] = { 0 };

		if (types[i] == FBV_SLOT_PASSPHRASE)
			memcpy(body, seed_inputs, sizeof(seed_inputs));
		if (types[i] == FBV_SLOT_TIMED)
			le_put64(body, (uint64_t)INT64_MAX);
		if ((r = sbuf_put_u8(out, types[i])) != FBV_OK || (r = sbuf_put_u16(out, len)) != FBV_OK ||
		    (r = sbuf_put(out, body, len)) != FBV_OK)
			return r;
	}
	hdr = out->len;
	if (segmented) {
		struct v3_sealer s;
		unsigned char *segs = NULL;
		size_t slen = 0;

		if ((r = v3_seal_begin(&s, out, plen, forge2_key)) != FBV_OK)
			return r;
		v3_seal_put(&s, plain, plen);
		if ((r = v3_seal_end(&s, &segs, &slen)) == FBV_OK)
			r = sbuf_put(out, segs, slen);
		free(segs);
		return r;
	}
	subkey_derive(sub, SUBKEY_HEADER_MAC_V2, forge2_key);
	mac_compute(mac, out->data, hdr, sub);
	if ((r = sbuf_put(out, mac, sizeof(mac))) != FBV_OK ||
	    (r = sbuf_put(out, nonce, sizeof(nonce))) != FBV_OK ||
	    (r = sbuf_put_u32(out, (uint32_t)(plen + FBV_TAG_BYTES))) != FBV_OK)
		return r;
	if ((cipher = malloc(plen + FBV_TAG_BYTES)) == NULL)
		return FBV_ERR_NOMEM;
	subkey_derive(sub, SUBKEY_PAYLOAD_V2, forge2_key);
	aead_seal(cipher, plain, plen, out->data, out->len, nonce, sub);
	r = sbuf_put(out, cipher, plen + FBV_TAG_BYTES);
	free(cipher);
	return r;
}

static void
open_payload(const uint8_t *plain, size_t plen, bool segmented)
{
	struct sbuf file;
	struct vault *v;
	int r;

	sbuf_init(&file, FBV_FILE_MAX);
	r = forge_payload(&file, plain, plen, segmented);
	if (segmented && r == FBV_ERR_TOO_LARGE) {
		sbuf_free(&file);
		return;
	}
	FUZZ_CHECK(r == FBV_OK);
	r = vault_parse("fuzz", file.data, file.len, &v);
	FUZZ_CHECK(r == FBV_OK || r == FBV_ERR_DUP_SLOT || r == FBV_ERR_NO_SLOT ||
	    (r == FBV_ERR_CORRUPT && plen < 4));
	if (r == FBV_OK) {
		r = vault_unlock_key(v, forge2_key);
		FUZZ_CHECK(r == FBV_OK || r == FBV_ERR_CORRUPT || r == FBV_ERR_TOO_LARGE);
		FUZZ_CHECK(r == FBV_OK || locked(v));
		if (r == FBV_OK)
			round_trip(v);
		vault_free(v);
	}
	sbuf_free(&file);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_random_reset();
	if (size > 0 && data[0] == 'F')
		open_file(data + 1, size - 1);
	else if (size > 0)
		open_payload(data + 1, size - 1, data[0] == 'S');
	return 0;
}

/* A payload seed: mode, one recipient record for the fuzz key, then the
 * entries in that mode's layout. */
static void
payload_seed(const char *dir, const char *name, char mode, const char *entries, size_t len)
{
	char file[512];
	FILE *f;

	snprintf(file, sizeof(file), "%s/%s", dir, name);
	FUZZ_CHECK((f = fopen(file, "wb")) != NULL);
	fputc(mode, f);
	fwrite("\x01\x04\x20\x00", 1, 4, f);
	fwrite(forge2_pk, 1, sizeof(forge2_pk), f);
	fwrite(entries, 1, len, f);
	fclose(f);
}

/* Seeds: a vault with a passphrase slot (the seeds' passphrase), a keyring
 * slot, a recipient slot for the fuzz key and an unknown slot, two
 * entries; and a payload. */
static int
write_seeds(const char *dir)
{
	static const char entries[] = "\x01\x00\x00\x00" "\x01\x00" "x" "\x01\x00\x00\x00" "v"
	    "\1\0\0\0\0\0\0\0" "\2\0\0\0\0\0\0\0" "\0\0";
	/* format 3: count, names length, names, index, records length,
	 * records, values */
	static const char dir3[] = "\x01\x00\x00\x00" "\x02\x00\x00\x00" "\x01" "x"
	    "\x10\x00\x00\x00" "\x01\x00\x00\x00" "\x10\x00\x00\x00"
	    "\1\0\0\0\0\0\0\0" "\2\0\0\0\0\0\0\0" "v";
	char path[512], file[512];
	struct vault *v;
	struct entry *e;
	struct slot *s;
	unsigned char *buf;
	size_t len;
	FILE *f;

	snprintf(path, sizeof(path), "%s/vault", save_dir);
	unlink(path);
	fuzz_random_reset();
	FUZZ_CHECK(vault_create(path, FORGE2_PASS, strlen(FORGE2_PASS), KDF_INTERACTIVE, &v) == FBV_OK);
	FUZZ_CHECK(vault_add_recipient(v, forge2_pk) == FBV_OK);
	FUZZ_CHECK(vault_set_keyring(v, forge2_key) == FBV_OK);
	FUZZ_CHECK(vault_put(v, "page/1", (const unsigned char *)"EAAtoken", 8, false, 1, &e) == FBV_OK);
	FUZZ_CHECK(meta_set_str(e, META_KIND, "page-token") == FBV_OK);
	FUZZ_CHECK(vault_put(v, "app-secret", (const unsigned char *)"s", 1, false, 2, &e) == FBV_OK);
	s = &v->slots[v->nslots++];
	s->type = 9;
	s->len = 4;
	s->rec_len = 3;
	FUZZ_CHECK((s->body = malloc(4)) != NULL && (s->rec = malloc(3)) != NULL);
	memcpy(s->body, "abcd", 4);
	memcpy(s->rec, "xyz", 3);
	FUZZ_CHECK(vault_save(v, true) == FBV_OK);
	vault_free(v);
	FUZZ_CHECK(store_read(path, &buf, &len) == FBV_OK);
	snprintf(file, sizeof(file), "%s/seed-file", dir);
	FUZZ_CHECK((f = fopen(file, "wb")) != NULL);
	fputc('F', f);
	fwrite(buf, 1, len, f);
	fclose(f);
	free(buf);
	unlink(path);
	payload_seed(dir, "seed-payload", 'P', entries, sizeof(entries) - 1);
	payload_seed(dir, "seed-segmented", 'S', dir3, sizeof(dir3) - 1);
	return 0;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	int i;

	fuzz_init();
	snprintf(save_dir, sizeof(save_dir), "/dev/shm/fbvault-fuzz2.XXXXXX");
	if (mkdtemp(save_dir) == NULL) {
		snprintf(save_dir, sizeof(save_dir), "%s/fbvault-fuzz2.XXXXXX",
		    tmp != NULL && strlen(tmp) < 32 ? tmp : "/tmp");
		FUZZ_CHECK(mkdtemp(save_dir) != NULL);
	}
	snprintf(save_path, sizeof(save_path), "%s/vault", save_dir);
	atexit(remove_save_dir);
	FUZZ_CHECK(crypto_scalarmult_base(forge2_pk, forge2_sk) == 0);
	/* the seeds' KDF inputs: made by vault_create() under the fixed random
	 * stream, read back from a seed of our own */
	{
		struct vault *v;

		fuzz_random_reset();
		FUZZ_CHECK(vault_create(save_path, FORGE2_PASS, strlen(FORGE2_PASS), KDF_INTERACTIVE,
		    &v) == FBV_OK);
		memcpy(seed_inputs, vault_slot(v, FBV_SLOT_PASSPHRASE)->body, sizeof(seed_inputs));
		vault_free(v);
	}
	for (i = 1; i + 1 < *argc; i++)
		if (strcmp((*argv)[i], "-seeds") == 0)
			exit(write_seeds((*argv)[i + 1]));
	return 0;
}
