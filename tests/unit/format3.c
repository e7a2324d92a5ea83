/* Vault format 3: a big vault's segments are decrypted only as they are
 * used; a segment moved, dropped or taken from another save is refused; a
 * segment changed in place after the vault was opened reaches the fault
 * handler, never the caller. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "../../crypto/errors.h"
#include "../../crypto/le.h"
#include "../../crypto/recipient.h"
#include "../../vault/format3.h"
#include "../../vault/store.h"
#include "../../vault/vault.h"

static int passed, failed;
static char dir[] = "/tmp/fbvault-format3.XXXXXX";
static char path[64];
static unsigned char key[FBV_KEY_BYTES];

#define CHECK(cond) do { \
	if (cond) passed++; \
	else { failed++; fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); } \
} while (0)

#define N 200
#define VLEN 1000
#define SEG FBV3_SEGMENT_BYTES
#define SEG_CIPHER (SEG + FBV_TAG_BYTES)

static void
value_of(size_t i, unsigned char out[VLEN])
{
	size_t j;

	for (j = 0; j < VLEN; j++)
		out[j] = (unsigned char)(i * 7 + j);
}

static bool
value_ok(const struct entry *e, size_t i)
{
	unsigned char want[VLEN];

	value_of(i, want);
	return e != NULL && e->value != NULL && e->value_len == VLEN &&
	    memcmp(e->value, want, VLEN) == 0;
}

/* N entries of VLEN bytes: about 200 KB, four segments. */
static void
make(void)
{
	unsigned char value[VLEN];
	struct vault *v;
	struct entry *e;
	char name[16];
	size_t i;

	unlink(path);
	if (vault_create(path, "pw", 2, KDF_INTERACTIVE, &v) != FBV_OK)
		abort();
	for (i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "e%03zu", i);
		value_of(i, value);
		if (vault_put(v, name, value, VLEN, false, 1, &e) != FBV_OK)
			abort();
	}
	if (vault_save(v, true) != FBV_OK)
		abort();
	memcpy(key, v->key, sizeof(key));
	vault_free(v);
}

static int
load_open(const char *file, struct vault **out)
{
	int r = vault_load(file, out);

	if (r == FBV_OK && (r = vault_unlock_key(*out, key)) != FBV_OK) {
		vault_free(*out);
		*out = NULL;
	}
	return r;
}

static size_t
nsegs(const struct vault *v)
{
	return (v->plain_len + SEG - 1) / SEG;
}

static void
test_partial(void)
{
	char peeked[FBV_NAME_MAX + 1];
	const struct entry *e;
	struct entry tmp;
	struct vault *v;
	size_t i, n;
	bool ok = true;

	CHECK(load_open(path, &v) == FBV_OK);
	if (v == NULL)
		return;
	n = nsegs(v);
	CHECK(v->version == FBV_VERSION3 && n >= 4 && v->plain_mapped);
	/* the slot records and the directory: the first segment */
	CHECK(v->nsegs_open == 1 && v->seg_open[0] && v->fd >= 0);
	CHECK(value_ok(vault_find(v, "e199"), 199));
	CHECK(v->nsegs_open == 2 && v->seg_open[n - 1]);
	for (i = 0; i < N; i++) {
		char name[16];

		snprintf(name, sizeof(name), "e%03zu", i);
		e = vault_entry_peek(v, i, &tmp, peeked);
		ok &= e != NULL && strcmp(e->name, name) == 0 && e->value_len == VLEN;
	}
	CHECK(ok && v->nsegs_open == 2);
	e = vault_entry_peek(v, 100, &tmp, peeked);
	CHECK(e == &tmp && e->value == NULL && v->entries.nfilled == 1);
	CHECK(value_ok(vault_entry(v, 100), 100) && v->nsegs_open >= 3);
	CHECK(vault_open_all(v) == FBV_OK && v->nsegs_open == n && v->fd == -1);
	for (i = 0, ok = true; i < N; i++)
		ok &= value_ok(vault_entry(v, i), i);
	CHECK(ok);
	vault_free(v);
}

static jmp_buf fault_jump;
static int fault_err;

static void
on_fault(const char *file, int err)
{
	(void)file;
	fault_err = err;
	longjmp(fault_jump, 1);
}

static void
flip_in_place(const char *file, size_t at)
{
	unsigned char b;
	int fd = open(file, O_RDWR);

	if (fd < 0 || pread(fd, &b, 1, (off_t)at) != 1)
		abort();
	b ^= 1;
	if (pwrite(fd, &b, 1, (off_t)at) != 1)
		abort();
	close(fd);
}

/* The file changed in place after the open (fbvault itself never does
 * that): the read of that segment faults, and says why. */
static void
test_fault(void)
{
	struct vault *v;
	size_t size;

	CHECK(load_open(path, &v) == FBV_OK);
	if (v == NULL)
		return;
	size = v->file_len;
	flip_in_place(path, size - 100);
	fault_err = 0;
	vault_on_fault(on_fault);
	if (setjmp(fault_jump) == 0) {
		(void)vault_find(v, "e199");
		CHECK(!"a changed segment was used");
	}
	vault_on_fault(NULL);
	CHECK(fault_err == FBV_ERR_CORRUPT);
	CHECK(vault_open_all(v) == FBV_ERR_CORRUPT);
	vault_free(v);
	flip_in_place(path, size - 100);
	CHECK(load_open(path, &v) == FBV_OK && vault_open_all(v) == FBV_OK);
	vault_free(v);
}

static void
write_file(const char *file, const unsigned char *p, size_t len)
{
	unlink(file);
	if (store_write(file, p, len, STORE_EXCLUSIVE) != FBV_OK)
		abort();
}

/* Segments swapped, one from another save, the last one dropped (with the
 * length to match), a segment repeated: none opens. */
static void
test_moved(void)
{
	char other[96];
	unsigned char *a, *b, *m;
	size_t alen, blen, seg1;
	struct vault *v, *w;

	snprintf(other, sizeof(other), "%s/other", dir);
	CHECK(store_read(path, &a, &alen) == FBV_OK);
	CHECK(vault_parse(path, a, alen, &v) == FBV_OK);
	seg1 = v->seg_off + SEG_CIPHER;
	CHECK(alen > seg1 + 2 * SEG_CIPHER);
	vault_free(v);
	if ((m = malloc(alen)) == NULL)
		abort();

	memcpy(m, a, alen);
	memcpy(m + seg1, a + seg1 + SEG_CIPHER, SEG_CIPHER);
	memcpy(m + seg1 + SEG_CIPHER, a + seg1, SEG_CIPHER);
	write_file(other, m, alen);
	CHECK(load_open(other, &v) == FBV_OK && vault_open_all(v) == FBV_ERR_CORRUPT);
	vault_free(v);

	memcpy(m, a, alen);
	memcpy(m + seg1 + SEG_CIPHER, a + seg1, SEG_CIPHER);
	write_file(other, m, alen);
	CHECK(load_open(other, &v) == FBV_OK && vault_open_all(v) == FBV_ERR_CORRUPT);
	vault_free(v);

	/* the same vault saved again: same lengths, another key */
	CHECK(load_open(path, &w) == FBV_OK);
	free(w->path);
	w->path = strdup(other);
	unlink(other);
	w->changed = true;
	CHECK(vault_open_all(w) == FBV_OK && vault_save(w, true) == FBV_OK);
	vault_free(w);
	CHECK(store_read(other, &b, &blen) == FBV_OK && blen == alen);
	memcpy(m, a, alen);
	memcpy(m + seg1, b + seg1, SEG_CIPHER);
	write_file(other, m, alen);
	CHECK(load_open(other, &v) == FBV_OK && vault_open_all(v) == FBV_ERR_CORRUPT);
	vault_free(v);
	free(b);

	/* the last segment dropped, the length made to match */
	{
		size_t last = (alen - (seg1 - SEG_CIPHER)) % SEG_CIPHER, plen;

		CHECK(vault_parse(path, a, alen, &v) == FBV_OK);
		plen = v->plain_len - (last - FBV_TAG_BYTES);
		vault_free(v);
		memcpy(m, a, alen - last);
		m[seg1 - SEG_CIPHER - 4] = (unsigned char)plen;
		m[seg1 - SEG_CIPHER - 3] = (unsigned char)(plen >> 8);
		m[seg1 - SEG_CIPHER - 2] = (unsigned char)(plen >> 16);
		m[seg1 - SEG_CIPHER - 1] = (unsigned char)(plen >> 24);
		write_file(other, m, alen - last);
		CHECK(load_open(other, &v) == FBV_ERR_CORRUPT);
	}
	unlink(other);
	free(m);
	free(a);
}

/* A vault of one segment is read whole, in the small-secrets allocator. */
static void
test_small(void)
{
	struct vault *v;
	struct entry *e;

	unlink(path);
	CHECK(vault_create(path, "pw", 2, KDF_INTERACTIVE, &v) == FBV_OK);
	CHECK(vault_put(v, "a", (const unsigned char *)"1", 1, false, 1, &e) == FBV_OK);
	CHECK(vault_save(v, true) == FBV_OK);
	memcpy(key, v->key, sizeof(key));
	vault_free(v);
	CHECK(load_open(path, &v) == FBV_OK);
	if (v == NULL)
		return;
	CHECK(!v->plain_mapped && v->nsegs_open == 1 && v->fd == -1);
	CHECK(vault_find(v, "a") != NULL && vault_find(v, "a")->value[0] == '1');
	vault_free(v);
}

/* A file sealed here, under a key of the test's, to one recipient slot:
 * plain is the payload after the slot record. */
static void
forge(const unsigned char *plain, size_t plen, const struct x25519_keypair *kp)
{
	static const unsigned char id[FBV_ID_BYTES] = "format3 forged!";
	unsigned char ctx[FBV2_STANZA_CTX_BYTES], body[FBV_STANZA_BYTES];
	unsigned char dk[FBV_KEY_BYTES];
	struct v3_sealer sealer;
	struct sbuf file, p;
	unsigned char *c = NULL;
	size_t clen = 0;

	randombytes_buf(dk, sizeof(dk));
	memcpy(ctx, FBV2_STANZA_CTX, 15);
	memcpy(ctx + 15, id, FBV_ID_BYTES);
	le_put64(ctx + 15 + FBV_ID_BYTES, 1);
	ctx[15 + FBV_ID_BYTES + 8] = 0;
	ctx[15 + FBV_ID_BYTES + 9] = FBV_SLOT_RECIPIENT;
	CHECK(stanza_wrap(body, dk, kp->pk, ctx, sizeof(ctx)) == FBV_OK);
	sbuf_init(&file, FBV_FILE_MAX);
	sbuf_init(&p, FBV_FILE_MAX);
	CHECK(sbuf_put(&file, FBV_MAGIC, FBV_MAGIC_BYTES) == FBV_OK &&
	    sbuf_put_u16(&file, FBV_VERSION3) == FBV_OK && sbuf_put_u16(&file, 0) == FBV_OK &&
	    sbuf_put(&file, id, FBV_ID_BYTES) == FBV_OK && sbuf_put_u64(&file, 1) == FBV_OK &&
	    sbuf_put_u8(&file, 1) == FBV_OK && sbuf_put_u8(&file, FBV_SLOT_RECIPIENT) == FBV_OK &&
	    sbuf_put_u16(&file, FBV_STANZA_BYTES) == FBV_OK &&
	    sbuf_put(&file, body, sizeof(body)) == FBV_OK);
	CHECK(sbuf_put_u8(&p, 1) == FBV_OK && sbuf_put_u8(&p, FBV_SLOT_RECIPIENT) == FBV_OK &&
	    sbuf_put_u16(&p, FBV_X25519_BYTES) == FBV_OK &&
	    sbuf_put(&p, kp->pk, FBV_X25519_BYTES) == FBV_OK && sbuf_put(&p, plain, plen) == FBV_OK);
	CHECK(v3_seal_begin(&sealer, &file, p.len, dk) == FBV_OK);
	v3_seal_put(&sealer, p.data, p.len);
	CHECK(v3_seal_end(&sealer, &c, &clen) == FBV_OK && sbuf_put(&file, c, clen) == FBV_OK);
	free(c);
	write_file(path, file.data, file.len);
	sbuf_free(&p);
	sbuf_free(&file);
}

/* A record's metadata is checked when the record is used: a bad one is
 * refused by an edit, by list's pass and by a read of that entry (the
 * fault), while the names and index alone open. */
static void
test_bad_record(void)
{
	/* two entries; b's metadata has a record of tag 0 */
	static const unsigned char plain[] = "\2\0\0\0" "\4\0\0\0" "\1a" "\1b"
	    "\x10\0\0\0" "\1\0\0\0" "\x24\0\0\0" "\2\0\0\0"
	    "\x24\0\0\0"
	    "\1\0\0\0\0\0\0\0" "\1\0\0\0\0\0\0\0"
	    "\2\0\0\0\0\0\0\0" "\2\0\0\0\0\0\0\0" "\0\1\0x"
	    "12";
	struct x25519_keypair *kp;
	const struct entry *e;
	struct vault *v;

	CHECK(x25519_keypair_generate(&kp) == FBV_OK);
	forge(plain, sizeof(plain) - 1, kp);
	CHECK(vault_load(path, &v) == FBV_OK && vault_unlock_secret(v, kp->sk) == FBV_OK);
	CHECK((e = vault_find(v, "a")) != NULL && e->value_len == 1 && e->value[0] == '1');
	CHECK(vault_open_records(v) == FBV_ERR_CORRUPT);
	CHECK(vault_open_all(v) == FBV_ERR_CORRUPT);
	fault_err = 0;
	vault_on_fault(on_fault);
	if (setjmp(fault_jump) == 0) {
		(void)vault_find(v, "b");
		CHECK(!"a bad record was used");
	}
	vault_on_fault(NULL);
	CHECK(fault_err == FBV_ERR_CORRUPT);
	vault_free(v);
	x25519_keypair_free(kp);
}

/* Names are checked when used, and all of them (bytes and order) by a pass
 * over every entry and by an edit: out of order, a get still finds what it
 * reads, list and edits refuse; a name that does not parse faults when it
 * is used. */
static void
test_bad_names(void)
{
	/* "b" before "a"; then a name holding a space */
	static const unsigned char unsorted[] = "\2\0\0\0" "\4\0\0\0" "\1b" "\1a"
	    "\x10\0\0\0" "\1\0\0\0" "\x20\0\0\0" "\2\0\0\0"
	    "\x20\0\0\0"
	    "\1\0\0\0\0\0\0\0" "\1\0\0\0\0\0\0\0"
	    "\2\0\0\0\0\0\0\0" "\2\0\0\0\0\0\0\0"
	    "12";
	static const unsigned char spaced[] = "\1\0\0\0" "\4\0\0\0" "\3a b"
	    "\x10\0\0\0" "\1\0\0\0" "\x10\0\0\0"
	    "\1\0\0\0\0\0\0\0" "\1\0\0\0\0\0\0\0"
	    "1";
	char name[FBV_NAME_MAX + 1];
	struct x25519_keypair *kp;
	const struct entry *e;
	struct entry tmp;
	struct vault *v;

	CHECK(x25519_keypair_generate(&kp) == FBV_OK);
	forge(unsorted, sizeof(unsorted) - 1, kp);
	CHECK(vault_load(path, &v) == FBV_OK && vault_unlock_secret(v, kp->sk) == FBV_OK);
	CHECK((e = vault_find(v, "a")) != NULL && e->value_len == 1 && e->value[0] == '2');
	CHECK(vault_open_records(v) == FBV_ERR_CORRUPT);
	CHECK(vault_open_all(v) == FBV_ERR_CORRUPT);
	vault_free(v);

	forge(spaced, sizeof(spaced) - 1, kp);
	CHECK(vault_load(path, &v) == FBV_OK && vault_unlock_secret(v, kp->sk) == FBV_OK);
	CHECK(vault_count(v) == 1 && vault_open_records(v) == FBV_ERR_CORRUPT);
	fault_err = 0;
	vault_on_fault(on_fault);
	if (setjmp(fault_jump) == 0) {
		(void)vault_entry_peek(v, 0, &tmp, name);
		CHECK(!"a bad name was used");
	}
	vault_on_fault(NULL);
	CHECK(fault_err == FBV_ERR_CORRUPT);
	vault_free(v);
	x25519_keypair_free(kp);
}

int
main(void)
{
	if (sodium_init() < 0 || mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/vault", dir);
	make();
	test_partial();
	test_fault();
	test_moved();
	test_small();
	test_bad_record();
	test_bad_names();
	unlink(path);
	rmdir(dir);
	printf("%d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
