/* Every single-bit flip of every byte of a small real vault (format 1, or
 * format 2 given "2"), and every
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

#define PASS "flip battery passphrase"
#define SLOT_KDF_INPUTS 33      /* slot body bytes the KDF reads: alg, salt, ops, mem */
/* file offset of the passphrase slot body: after the prefix (v2: and the
 * generation), the slot count, the slot's type and length */
static size_t slot_body = FBV_PREFIX_BYTES + 1 + 3;
static uint16_t version = FBV_VERSION;

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
		r = vault_passphrase_kek(v, PASS, strlen(PASS), kek);
	}
	if (r == FBV_OK)
		r = vault_unlock_passphrase_kek(v, kek);
	r = classify(r, v);
	vault_free(v);
	return r;
}

static int
make_vault(unsigned char **buf, size_t *len)
{
	char dir[] = "/tmp/fbvault-flips.XXXXXX", path[64];
	struct vault *v;
	struct entry *e;
	int r;

	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/vault", dir);
	r = vault_create_version(path, PASS, strlen(PASS), KDF_INTERACTIVE, version, &v);
	if (r == FBV_OK)
		r = entries_put(&v->entries, "page/1", (const unsigned char *)"EAAtoken", 8, false, 1, &e);
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

int
main(int argc, char **argv)
{
	size_t len, i, hdr_end, tried = 0, counts[4] = { 0 }, failed = 0;
	unsigned char *good, *buf;
	struct vault *v;
	int bit, o;

	if (argc > 1 && strcmp(argv[1], "2") == 0) {
		version = FBV_VERSION2;
		slot_body = FBV2_PREFIX_BYTES + 1 + 3;
	}
	if (sodium_init() < 0 || make_vault(&good, &len) != FBV_OK ||
	    vault_parse("flips", good, len, &v) != FBV_OK) {
		fprintf(stderr, "cannot make the test vault\n");
		return 1;
	}
	hdr_end = v->hdr_len;
	memcpy(good_inputs, good + slot_body, SLOT_KDF_INPUTS);
	if (vault_passphrase_kek(v, PASS, strlen(PASS), good_kek) != FBV_OK ||
	    vault_unlock_passphrase_kek(v, good_kek) != FBV_OK) {
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
			if (o >= ACCEPTED || (i >= hdr_end && o != REFUSED_CORRUPT)) {
				failed++;
				fprintf(stderr, "FAIL: bit %d of byte %zu: outcome %d\n", bit, i, o);
			}
		}
	}
	for (i = 0; i < len; i++) {
		o = try_open(good, i);
		if (o != REFUSED_CORRUPT) {
			failed++;
			fprintf(stderr, "FAIL: truncated to %zu bytes: outcome %d\n", i, o);
		}
	}
	printf("version %u vault of %zu bytes: %zu bit flips tried (%zu needed a new KDF run): "
	    "%zu refused as corrupted, %zu as a slot that does not open, %zu accepted, "
	    "%zu left plaintext; %zu truncations tried\n", (unsigned)version, len, tried, kdf_runs,
	    counts[REFUSED_CORRUPT], counts[REFUSED_SLOT], counts[ACCEPTED], counts[LEAKED], len);
	printf("%zu passed, %zu failed\n", tried + len - failed, failed);
	free(buf);
	free(good);
	return failed == 0 ? 0 : 1;
}
