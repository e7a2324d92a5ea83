/* Vault format 2: round trips through every slot kind, a fresh data key on
 * every save, splices of two saves, tampered slot tables, unknown slots
 * carried, reopening a newer copy with the slot key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "../../crypto/errors.h"
#include "../../crypto/recipient.h"
#include "../../vault/format2.h"
#include "../../vault/store.h"
#include "../../vault/vault.h"

static int passed, failed;
static char dir[] = "/tmp/fbvault-format2.XXXXXX";
static char path[64];

#define CHECK(cond) do { \
	if (cond) passed++; \
	else { failed++; fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); } \
} while (0)

struct file {
	unsigned char *p;
	size_t len;
};

static struct file
snapshot(void)
{
	struct file f = { NULL, 0 };

	if (store_read(path, &f.p, &f.len) != FBV_OK)
		abort();
	return f;
}

/* Header length H of a v2 file: the MAC starts there. */
static size_t
hdr_len(const struct file *f)
{
	struct vault *v;
	size_t h;

	if (vault_parse("x", f->p, f->len, &v) != FBV_OK)
		abort();
	h = v->hdr_len;
	vault_free(v);
	return h;
}

static int
open_buf(const unsigned char *p, size_t len, const char *pass, struct vault **out)
{
	struct vault *v;
	int r;

	*out = NULL;
	if ((r = vault_parse(path, p, len, &v)) != FBV_OK)
		return r;
	if ((r = vault_unlock_passphrase(v, pass, strlen(pass))) != FBV_OK) {
		vault_free(v);
		return r;
	}
	*out = v;
	return FBV_OK;
}

static int
open_file(const char *pass, struct vault **out)
{
	struct file f = snapshot();
	int r = open_buf(f.p, f.len, pass, out);

	free(f.p);
	return r;
}

static int
open_secret(const unsigned char *p, size_t len, const unsigned char *sk)
{
	struct vault *v;
	int r;

	if ((r = vault_parse(path, p, len, &v)) != FBV_OK)
		return r;
	r = vault_unlock_secret(v, sk);
	CHECK(r == FBV_OK || (v->key == NULL && v->entries.n == 0 && v->cred == NULL));
	vault_free(v);
	return r;
}

static void
put(struct vault *v, const char *name, const char *value)
{
	struct entry *e;

	CHECK(vault_put(v, name, (const unsigned char *)value, strlen(value), true, 1, &e) == FBV_OK);
}

static void
test_round_trip(void)
{
	unsigned char key1[FBV_KEY_BYTES];
	struct vault *v, *w;
	const struct entry *e;
	struct file f1, f2;

	unlink(path);
	CHECK(vault_create(path, "pw", 2, KDF_INTERACTIVE, &v) == FBV_OK);
	put(v, "page/1", "EAAtoken");
	CHECK(vault_save(v, true) == FBV_OK);
	memcpy(key1, v->key, sizeof(key1));
	vault_free(v);
	f1 = snapshot();
	CHECK(memcmp(f1.p + 8, "\3\0", 2) == 0);
	CHECK(open_file("pW", &w) == FBV_ERR_WRONG_PASS);
	CHECK(open_file("pw", &w) == FBV_OK);
	CHECK(w->version == FBV_VERSION3 && w->generation == 1 && w->cred != NULL);
	CHECK((e = vault_find(w, "page/1")) != NULL && e->value_len == 8 &&
	    memcmp(e->value, "EAAtoken", 8) == 0);
	CHECK(sodium_memcmp(w->key, key1, sizeof(key1)) == 0);
	/* Every save: a new data key, the next generation; the old key opens
	 * nothing written after. */
	w->changed = true;
	CHECK(vault_save(w, false) == FBV_OK);
	CHECK(w->generation == 2 && sodium_memcmp(w->key, key1, sizeof(key1)) != 0);
	vault_free(w);
	f2 = snapshot();
	CHECK(vault_parse(path, f2.p, f2.len, &w) == FBV_OK);
	CHECK(vault_unlock_key(w, key1) == FBV_ERR_CORRUPT && w->key == NULL);
	vault_free(w);
	CHECK(open_file("pw", &w) == FBV_OK && w->generation == 2);
	vault_free(w);
	free(f1.p);
	free(f2.p);
}

/* Header of one save, the rest of another: at the MAC, after it, before
 * the ciphertext. Both saves have the same passphrase slot key. */
static void
test_splices(void)
{
	struct vault *v;
	struct file a, b;
	size_t cuts[3], i, h;
	unsigned char *buf;

	CHECK(open_file("pw", &v) == FBV_OK);
	put(v, "page/2", "another");
	CHECK(vault_save(v, false) == FBV_OK);
	a = snapshot();
	put(v, "page/3", "third");
	CHECK(vault_save(v, false) == FBV_OK);
	vault_free(v);
	b = snapshot();
	h = hdr_len(&a);
	CHECK(h == hdr_len(&b));
	cuts[0] = h;
	cuts[1] = h + FBV_MAC_BYTES;
	cuts[2] = h + FBV_MAC_BYTES + FBV_NONCE_BYTES + 4;
	buf = malloc(a.len + b.len);
	for (i = 0; i < 3; i++) {
		memcpy(buf, a.p, cuts[i]);
		memcpy(buf + cuts[i], b.p + cuts[i], b.len - cuts[i]);
		CHECK(open_buf(buf, b.len, "pw", &v) == FBV_ERR_CORRUPT && v == NULL);
		memcpy(buf, b.p, cuts[i]);
		memcpy(buf + cuts[i], a.p + cuts[i], a.len - cuts[i]);
		CHECK(open_buf(buf, a.len, "pw", &v) == FBV_ERR_CORRUPT && v == NULL);
	}
	CHECK(open_buf(a.p, a.len, "pw", &v) == FBV_OK);
	vault_free(v);
	free(buf);
	free(a.p);
	free(b.p);
}

static void
test_slots(void)
{
	struct x25519_keypair *r1, *r2, *ring, *timed;
	unsigned char ring_sk[FBV_X25519_BYTES];
	struct vault *v, *w, *fresh;
	struct file f;
	size_t n;

	CHECK(x25519_keypair_generate(&r1) == FBV_OK && x25519_keypair_generate(&r2) == FBV_OK &&
	    x25519_keypair_generate(&ring) == FBV_OK && x25519_keypair_generate(&timed) == FBV_OK);
	CHECK(open_file("pw", &v) == FBV_OK);
	CHECK(vault_add_recipient(v, r1->pk) == FBV_OK);
	CHECK(vault_add_recipient(v, r1->pk) == FBV_ERR_EXISTS);
	{
		/* small order: no one holds its secret; 0 and 1 are two such */
		unsigned char bad[FBV_X25519_BYTES] = { 0 };

		CHECK(vault_add_recipient(v, bad) == FBV_ERR_INVALID);
		bad[0] = 1;
		CHECK(vault_add_recipient(v, bad) == FBV_ERR_INVALID);
	}
	CHECK(vault_add_recipient(v, r2->pk) == FBV_OK);
	CHECK(vault_set_keyring(v, ring->sk) == FBV_OK);
	CHECK(vault_set_timed(v, timed->pk, (int64_t)time(NULL) + 600) == FBV_OK);
	CHECK(vault_save(v, false) == FBV_OK && v->nslots == 5);
	f = snapshot();
	CHECK(open_secret(f.p, f.len, r1->sk) == FBV_OK);
	CHECK(open_secret(f.p, f.len, r2->sk) == FBV_OK);
	CHECK(open_secret(f.p, f.len, timed->sk) == FBV_OK);
	CHECK(vault_parse(path, f.p, f.len, &w) == FBV_OK);
	CHECK(vault_unlock_keyring(w, r1->sk) == FBV_ERR_KEYRING_ITEM);
	CHECK(vault_unlock_keyring(w, ring->sk) == FBV_OK && w->cred != NULL);
	memcpy(ring_sk, w->cred->sk, sizeof(ring_sk));
	vault_free(w);
	free(f.p);

	/* Opened with r1; another writer saves (a new data key): the slot key
	 * reopens the newer copy. */
	f = snapshot();
	CHECK(vault_parse(path, f.p, f.len, &w) == FBV_OK && vault_unlock_secret(w, r1->sk) == FBV_OK);
	free(f.p);
	put(v, "page/4", "fourth");
	CHECK(vault_save(v, false) == FBV_OK);
	CHECK(vault_load(path, &fresh) == FBV_OK && vault_reopen(fresh, w) == FBV_OK);
	CHECK(vault_find(fresh, "page/4") != NULL);
	vault_free(fresh);
	vault_free(w);

	/* Removed: r2 opens nothing written after. An expired timed slot is
	 * not tried, and the next save drops it. */
	CHECK(vault_remove_recipient(v, r2->pk) == FBV_OK);
	CHECK(vault_remove_recipient(v, r2->pk) == FBV_ERR_NO_SLOT);
	CHECK(vault_set_timed(v, timed->pk, (int64_t)time(NULL) + 1) == FBV_OK);
	n = v->nslots;
	CHECK(vault_save(v, false) == FBV_OK && v->nslots == n);
	sleep(2);
	f = snapshot();
	CHECK(open_secret(f.p, f.len, r2->sk) == FBV_ERR_WRONG_PASS);
	CHECK(open_secret(f.p, f.len, timed->sk) == FBV_ERR_WRONG_PASS);
	CHECK(open_secret(f.p, f.len, r1->sk) == FBV_OK);
	free(f.p);
	CHECK(vault_save(v, false) == FBV_OK && v->nslots == n - 1 &&
	    !vault_has_slot(v, FBV_SLOT_TIMED));
	CHECK(vault_remove_slot(v, FBV_SLOT_KEYRING) == FBV_OK && vault_save(v, false) == FBV_OK);
	f = snapshot();
	/* the keyring slot's key, taken before `keyring disable` */
	CHECK(open_secret(f.p, f.len, ring_sk) == FBV_ERR_WRONG_PASS);
	free(f.p);
	vault_free(v);
	x25519_keypair_free(r1);
	x25519_keypair_free(r2);
	x25519_keypair_free(ring);
	x25519_keypair_free(timed);
}

/* Slot i's bytes in a v2 file: [*off, *off + *len). */
static void
slot_span(const struct file *f, size_t i, size_t *off, size_t *len)
{
	size_t o = 37, k;

	for (k = 0; k < i; k++)
		o += 3 + (f->p[o + 1] | (size_t)f->p[o + 2] << 8);
	*off = o;
	*len = 3 + (f->p[o + 1] | (size_t)f->p[o + 2] << 8);
}

static void
test_tampered_table(void)
{
	struct x25519_keypair *r1, *r2, *evil;
	unsigned char ctx[1] = { 0 };
	struct vault *v;
	struct file f;
	unsigned char *buf;
	size_t o1, l1, o2, l2;

	CHECK(x25519_keypair_generate(&r1) == FBV_OK && x25519_keypair_generate(&r2) == FBV_OK &&
	    x25519_keypair_generate(&evil) == FBV_OK);
	CHECK(open_file("pw", &v) == FBV_OK);
	CHECK(vault_add_recipient(v, r1->pk) == FBV_OK && vault_add_recipient(v, r2->pk) == FBV_OK);
	CHECK(vault_save(v, false) == FBV_OK && v->nslots >= 3);
	vault_free(v);
	f = snapshot();
	buf = malloc(f.len + 200);
	slot_span(&f, f.p[36] - 2U, &o1, &l1);
	slot_span(&f, f.p[36] - 1U, &o2, &l2);
	CHECK(l1 == l2 && o2 == o1 + l1);

	/* reordered */
	memcpy(buf, f.p, f.len);
	memcpy(buf + o1, f.p + o2, l2);
	memcpy(buf + o2, f.p + o1, l1);
	CHECK(open_secret(buf, f.len, r1->sk) == FBV_ERR_WRONG_PASS);
	CHECK(open_buf(buf, f.len, "pw", &v) == FBV_ERR_CORRUPT);
	/* removed */
	memcpy(buf, f.p, o2);
	memcpy(buf + o2, f.p + o2 + l2, f.len - o2 - l2);
	buf[36] = (unsigned char)(f.p[36] - 1);
	CHECK(open_buf(buf, f.len - l2, "pw", &v) == FBV_ERR_CORRUPT);
	CHECK(open_secret(buf, f.len - l2, r1->sk) == FBV_ERR_CORRUPT);
	/* added (a copy of a slot) */
	memcpy(buf, f.p, o2 + l2);
	memcpy(buf + o2 + l2, f.p + o2, l2);
	memcpy(buf + o2 + 2 * l2, f.p + o2 + l2, f.len - o2 - l2);
	buf[36] = (unsigned char)(f.p[36] + 1);
	CHECK(open_buf(buf, f.len + l2, "pw", &v) == FBV_ERR_CORRUPT);
	/* a recipient's stanza replaced by one for another key: that key opens
	 * the stanza, and the MAC refuses it */
	memcpy(buf, f.p, f.len);
	{
		unsigned char k[FBV_KEY_BYTES];

		random_bytes(k, sizeof(k));
		CHECK(stanza_wrap(buf + o2 + 3, k, evil->pk, ctx, 0) == FBV_OK);
	}
	CHECK(open_buf(buf, f.len, "pw", &v) == FBV_ERR_CORRUPT);
	CHECK(open_secret(buf, f.len, r2->sk) == FBV_ERR_WRONG_PASS);
	CHECK(open_secret(buf, f.len, r1->sk) == FBV_ERR_CORRUPT);
	CHECK(open_secret(f.p, f.len, r2->sk) == FBV_OK);
	free(buf);
	free(f.p);
	x25519_keypair_free(r1);
	x25519_keypair_free(r2);
	x25519_keypair_free(evil);
}

/* A slot of a type this fbvault does not know: kept, body and record, and
 * covered by the MAC. */
static void
test_unknown_carried(void)
{
	struct vault *v;
	struct slot *s;
	struct file f;
	size_t o, l;

	CHECK(open_file("pw", &v) == FBV_OK);
	s = &v->slots[v->nslots++];
	s->type = 9;
	s->len = 4;
	s->body = malloc(4);
	memcpy(s->body, "abcd", 4);
	s->rec_len = 3;
	s->rec = malloc(3);
	memcpy(s->rec, "xyz", 3);
	v->changed = true;
	CHECK(vault_save(v, false) == FBV_OK);
	vault_free(v);
	CHECK(open_file("pw", &v) == FBV_OK);
	CHECK((s = vault_slot(v, 9)) != NULL && s->len == 4 && memcmp(s->body, "abcd", 4) == 0 &&
	    s->rec_len == 3 && memcmp(s->rec, "xyz", 3) == 0);
	put(v, "page/5", "fifth");
	CHECK(vault_save(v, false) == FBV_OK);
	vault_free(v);
	f = snapshot();
	slot_span(&f, f.p[36] - 1, &o, &l);
	CHECK(f.p[o] == 9 && l == 7 && memcmp(f.p + o + 3, "abcd", 4) == 0);
	f.p[o + 3] ^= 1;
	CHECK(open_buf(f.p, f.len, "pw", &v) == FBV_ERR_CORRUPT);
	free(f.p);
}

/* The passphrase changes: the old passphrase with the old copy opens only
 * the old copy. */
static void
test_passwd(void)
{
	struct vault *v, *w;
	struct file old, now;
	uint64_t ops, mem;

	old = snapshot();
	CHECK(open_file("pw", &v) == FBV_OK && vault_kdf_params(v, &ops, &mem) == FBV_OK);
	CHECK(vault_set_passphrase(v, "new", 3, ops, mem) == FBV_OK && vault_save(v, false) == FBV_OK);
	vault_free(v);
	now = snapshot();
	CHECK(open_buf(now.p, now.len, "pw", &w) == FBV_ERR_WRONG_PASS);
	CHECK(open_buf(now.p, now.len, "new", &w) == FBV_OK);
	vault_free(w);
	/* The old passphrase and an old copy give the old slot key: it opens
	 * that copy and nothing written after passwd. */
	CHECK(open_buf(old.p, old.len, "pw", &w) == FBV_OK && w->cred != NULL);
	CHECK(open_secret(old.p, old.len, w->cred->sk) == FBV_OK);
	CHECK(open_secret(now.p, now.len, w->cred->sk) == FBV_ERR_WRONG_PASS);
	vault_free(w);
	free(old.p);
	free(now.p);
}

/* The version 1 vector (tests/vectors/good.vault), written to path. */
static struct file
v1_vector(const char *vector)
{
	struct file f = { malloc(1 << 16), 0 };
	FILE *in = fopen(vector, "rb");

	if (in == NULL || f.p == NULL)
		abort();
	f.len = fread(f.p, 1, 1 << 16, in);
	fclose(in);
	unlink(path);
	if (store_write(path, f.p, f.len, STORE_EXCLUSIVE) != FBV_OK)
		abort();
	return f;
}

/* A version 1 vault opens; its first save converts it. Opened by the
 * passphrase, that slot gets a fresh key pair; opened by the data key
 * alone (a version 1 timed unlock), the slots keep the version 1 key. */
static void
test_v1_converts(const char *vector)
{
	const char *pass = "vector passphrase";
	unsigned char key[FBV_KEY_BYTES];
	const struct entry *e;
	struct vault *v;
	struct file f = v1_vector(vector);

	CHECK(open_file(pass, &v) == FBV_OK && v->version == FBV_VERSION && v->cred == NULL);
	CHECK((e = vault_find(v, "entry")) != NULL && e->value_len == 12);
	memcpy(key, v->key, sizeof(key));
	CHECK(vault_save(v, false) == FBV_OK && v->version == FBV_VERSION3 && v->generation == 1);
	CHECK(!v->v1_key_kept && v->cred != NULL);
	vault_free(v);
	CHECK(open_file(pass, &v) == FBV_OK && v->version == FBV_VERSION3);
	CHECK((e = vault_find(v, "entry")) != NULL && memcmp(e->value, "vector value", 12) == 0);
	vault_free(v);
	free(f.p);
	f = snapshot();
	CHECK(open_secret(f.p, f.len, key) == FBV_ERR_WRONG_PASS);
	free(f.p);

	f = v1_vector(vector);
	CHECK(vault_parse(path, f.p, f.len, &v) == FBV_OK && vault_unlock_key(v, key) == FBV_OK);
	CHECK(vault_save(v, false) == FBV_OK && v->v1_key_kept);
	vault_free(v);
	free(f.p);
	f = snapshot();
	CHECK(open_secret(f.p, f.len, key) == FBV_OK);
	CHECK(open_buf(f.p, f.len, pass, &v) == FBV_OK);
	vault_free(v);
	free(f.p);
}

int
main(int argc, char **argv)
{
	if (argc != 2 || sodium_init() < 0 || mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/vault", dir);
	test_round_trip();
	test_splices();
	test_slots();
	test_tampered_table();
	test_unknown_carried();
	test_passwd();
	test_v1_converts(argv[1]);
	unlink(path);
	rmdir(dir);
	printf("%d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
