/* bench/payload: what every command pays before it looks at an entry, and
 * nothing more: read the vault, open the timed slot's stanza with the key
 * from the timed unlock, check the header MAC, decrypt the whole payload
 * into secret memory (format 3: every segment). bench/run times it beside
 * `fbvault get` at each vault size: what a format that decrypts everything
 * on every read would cost at the least, against what get pays.
 *
 *   payload VAULT
 *   payload --rewrite VAULT OUT
 *
 * With --rewrite, then what a save of that vault costs at the least in
 * format 3: the same plaintext sealed again under a fresh key, in segments,
 * written to OUT beside it (a temporary file, fsync, rename, as a save
 * does). OUT does not open (its stanzas are the old ones): a floor, not a
 * vault. The entries are not decoded or encoded, and there is no lock,
 * rollback memory or use log; what a save adds to this is fbvault's own.
 *
 * Not installed; built by meson with -Dbench=true (bench/meson.build). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cli/errors.h"
#include "crypto/errors.h"
#include "crypto/recipient.h"
#include "vault/format2.h"
#include "vault/format3.h"
#include "vault/store.h"
#include "vault/unlock.h"
#include "vault/vault.h"

/* v's plaintext under a fresh key, with v's header, to out. */
static int
rewrite(const struct vault *v, const char *out)
{
	unsigned char *key = secret_alloc(FBV_KEY_BYTES), *c = NULL;
	struct v3_sealer s;
	struct sbuf file;
	size_t clen = 0;
	int r;

	if (key == NULL)
		return FBV_ERR_NOMEM;
	random_bytes(key, FBV_KEY_BYTES);
	sbuf_init(&file, FBV_FILE_MAX);
	if ((r = sbuf_put(&file, v->hdr, v->hdr_len)) == FBV_OK &&
	    (r = v3_seal_begin(&s, &file, v->plain_len, key)) == FBV_OK) {
		v3_seal_put(&s, v->plain.data, v->plain_len);
		if ((r = v3_seal_end(&s, &c, &clen)) == FBV_OK)
			r = store_write_parts(out, file.data, file.len, c, clen, 0);
	}
	free(c);
	sbuf_free(&file);
	secret_free(key);
	return r;
}

int
main(int argc, char **argv)
{
	const char *out = NULL;
	unsigned char *sk = NULL, *key = NULL;
	struct x25519_keypair *kp = NULL;
	char id[2 * FBV_ID_BYTES + 1];
	struct vault *v = NULL;
	size_t slot;
	int r;

	if (argc == 4 && strcmp(argv[1], "--rewrite") == 0) {
		out = argv[3];
		argv++;
		argc -= 2;
	}
	if (argc != 2 || sodium_init() < 0)
		return 64;
	if ((r = vault_load(argv[1], &v)) != FBV_OK)
		goto out;
	if (v->version < FBV_VERSION2) {
		r = FBV_ERR_VERSION;
		goto out;
	}
	vault_id_hex(v, id);
	if ((sk = secret_alloc(FBV_X25519_BYTES)) == NULL ||
	    (key = secret_alloc(FBV_KEY_BYTES)) == NULL) {
		r = FBV_ERR_NOMEM;
		goto out;
	}
	if ((r = unlock_fetch(id, sk, NULL)) != FBV_OK ||
	    (r = x25519_keypair_from_secret(&kp, sk)) != FBV_OK ||
	    (r = v2_stanza_key(v, kp, FBV_SLOT_TIMED, key, &slot)) != FBV_OK)
		goto out;
	if ((r = v2_open_payload(v, key)) == FBV_OK)
		r = vault_open_all(v);
	if (r == FBV_OK && out != NULL)
		r = v->version == FBV_VERSION3 ? rewrite(v, out) : FBV_ERR_VERSION;
out:
	x25519_keypair_free(kp);
	secret_free(key);
	secret_free(sk);
	vault_free(v);
	if (r == FBV_OK)
		return 0;
	fprintf(stderr, "payload: %s: %s\n", argv[1], fbv_strerror(r));
	return 1;
}
