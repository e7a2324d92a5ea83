/* Every single-bit flip of every byte of a small real vault (made now, in
 * format 3; with "segments", one of two format 3 segments; or the one named
 * with its passphrase: the format 1 and format 2 vectors), and every
 * truncation: each must be refused with the right class of error (65:
 * corrupted, 77: a slot that does not open), and leave no plaintext behind.
 * The KDF runs again only when a flip changes its inputs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "../../crypto/errors.h"
#include "../../vault/store.h"
#include "../../vault/vault.h"
#include "check.h"

static const char *pass = "flip battery passphrase";
#define SLOT_KDF_INPUTS 33      /* slot body bytes the KDF reads: alg, salt, ops, mem */
/* file offset of the passphrase slot body: after the prefix (v2: and the
 * generation), the slot count, the slot's type and length */
static size_t slot_body;

enum outcome { REFUSED_CORRUPT, REFUSED_SLOT, ACCEPTED, LEAKED };

static unsigned char good_kek[FBV_KEY_BYTES];
static unsigned char good_inputs[SLOT_KDF_INPUTS];
static size_t kdf_runs;

static bool
is_corrupt_class(int r)
{
	return r == FBV_ERR_CORRUPT || r == FBV_ERR_BAD_MAGIC || r == FBV_ERR_VERSION ||
	    r == FBV_ERR_KDF_LIMITS || r == FBV_ERR_DUP_SLOT || r == FBV_ERR_NO_SLOT;
}

static int
classify(int r, const struct vault *v)
{
	if (v != NULL && (v->key != NULL || v->cred != NULL || v->entries.n != 0 || v->plain.len != 0))
		return LEAKED;
	if (r == FBV_OK)
		return ACCEPTED;
	if (r == FBV_ERR_WRONG_PASS)
		return REFUSED_SLOT;
	return is_corrupt_class(r) ? REFUSED_CORRUPT : ACCEPTED;
}

static int
try_open(const unsigned char *buf, size_t len)
{
	unsigned char kek[FBV_KEY_BYTES];
	struct vault *v;
	int r;

	if ((r = vault_parse("flips", buf, len, &v)) != FBV_OK)
		return classify(r, NULL);
	if (len > slot_body + SLOT_KDF_INPUTS &&
	    memcmp(buf + slot_body, good_inputs, SLOT_KDF_INPUTS) == 0) {
		memcpy(kek, good_kek, sizeof(kek));
		r = FBV_OK;
	} else {
		kdf_runs++;
		r = vault_passphrase_kek(v, pass, strlen(pass), kek);
	}
	if (r == FBV_OK)
		r = vault_unlock_passphrase_kek(v, kek);
	/* Format 3 opens a segment when it is used: every one, here. A segment
	 * refused then is refused; the vault was open, so no leak check. */
	if (r == FBV_OK && (r = vault_open_all(v)) != FBV_OK) {
		vault_free(v);
		return is_corrupt_class(r) ? REFUSED_CORRUPT : ACCEPTED;
	}
	r = classify(r, v);
	vault_free(v);
	return r;
}

static int
make_vault(unsigned char **buf, size_t *len, bool segments)
{
	static unsigned char big[8400];
	char dir[] = "/tmp/fbvault-flips.XXXXXX", path[64];
	struct vault *v;
	struct entry *e;
	int r;

	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/vault", dir);
	r = vault_create(path, pass, strlen(pass), KDF_INTERACTIVE, &v);
	if (r == FBV_OK)
		r = entries_put(&v->entries, "page/1", (const unsigned char *)"EAAtoken", 8, false, 1, &e);
	/* two values of 8,400 bytes: the payload takes two 16 KiB segments */
	memset(big, 'x', sizeof(big));
	if (r == FBV_OK && segments)
		r = entries_put(&v->entries, "big/1", big, sizeof(big), false, 1, &e);
	if (r == FBV_OK && segments)
		r = entries_put(&v->entries, "big/2", big, sizeof(big), false, 1, &e);
	if (r == FBV_OK) {
		v->dirty = true;
		r = vault_save(v, true);
		vault_free(v);
	}
	if (r == FBV_OK)
		r = store_read(path, buf, len);
	unlink(path);
	rmdir(dir);
	return r;
}

/* The committed vector may be 0644: not through store_read(). */
static unsigned char *
read_file(const char *name, size_t *len)
{
	FILE *f = fopen(name, "rb");
	unsigned char *buf = malloc(1 << 16);

	*len = 0;
	if (f == NULL || buf == NULL) {
		free(buf);
		buf = NULL;
	} else {
		*len = fread(buf, 1, 1 << 16, f);
	}
	if (f != NULL)
		fclose(f);
	return buf;
}

int
main(int argc, char **argv)
{
	size_t len, i, hdr_end, tried = 0, counts[4] = { 0 };
	unsigned char *good, *buf;
	struct vault *v;
	int bit, o;

	if (sodium_init() < 0)
		return 1;
	if (argc == 3) {
		pass = argv[2];
		good = read_file(argv[1], &len);
	} else if (make_vault(&good, &len, argc == 2 && strcmp(argv[1], "segments") == 0) != FBV_OK) {
		good = NULL;
	}
	if (good == NULL || len < 10 || vault_parse("flips", good, len, &v) != FBV_OK) {
		fprintf(stderr, "cannot make the test vault\n");
		return 1;
	}
	hdr_end = v->hdr_len;
	slot_body = (v->version == FBV_VERSION ? FBV_PREFIX_BYTES : FBV2_PREFIX_BYTES) + 1 + 3;
	memcpy(good_inputs, good + slot_body, SLOT_KDF_INPUTS);
	if (vault_passphrase_kek(v, pass, strlen(pass), good_kek) != FBV_OK ||
	    vault_unlock_passphrase_kek(v, good_kek) != FBV_OK || vault_open_all(v) != FBV_OK ||
	    (argc == 2 && (v->version != FBV_VERSION3 || v->plain_len <= FBV3_SEGMENT_BYTES))) {
		fprintf(stderr, "the good vault does not open\n");
		return 1;
	}
	vault_free(v);
	buf = malloc(len);
	for (i = 0; i < len; i++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(buf, good, len);
			buf[i] ^= (unsigned char)(1 << bit);
			o = try_open(buf, len);
			counts[o]++;
			tried++;
			/* After the slots, only the MAC and payload: always "corrupted". */
			CHECKF(o < ACCEPTED && (i < hdr_end || o == REFUSED_CORRUPT),
			    "bit %d of byte %zu: outcome %d", bit, i, o);
		}
	}
	for (i = 0; i < len; i++) {
		o = try_open(good, i);
		CHECKF(o == REFUSED_CORRUPT, "truncated to %zu bytes: outcome %d", i, o);
	}
	printf("version %u vault of %zu bytes: %zu bit flips tried (%zu needed a new KDF run): "
	    "%zu refused as corrupted, %zu as a slot that does not open, %zu accepted, "
	    "%zu left plaintext; %zu truncations tried\n", (unsigned)good[8], len, tried, kdf_runs,
	    counts[REFUSED_CORRUPT], counts[REFUSED_SLOT], counts[ACCEPTED], counts[LEAKED], len);
	free(buf);
	free(good);
	return check_report(NULL);
}
