/* bench/payload: what every command pays before it looks at an entry, and
 * nothing more: read the vault, open the timed slot's stanza with the key
 * from the timed unlock, check the header MAC, decrypt the whole payload
 * into secret memory (format 3: every segment). bench/run times it beside
 * `fbvault get` at each vault size: what a format that decrypts everything
 * on every read would cost at the least, against what get pays.
 *
 *   payload VAULT
 *
 * Not installed; built by meson with -Dbench=true (bench/meson.build). */
#include <stdio.h>

#include <sodium.h>

#include "cli/errors.h"
#include "crypto/errors.h"
#include "crypto/recipient.h"
#include "vault/format2.h"
#include "vault/unlock.h"
#include "vault/vault.h"

int
main(int argc, char **argv)
{
	unsigned char *sk = NULL, *key = NULL;
	struct x25519_keypair *kp = NULL;
	char id[2 * FBV_ID_BYTES + 1];
	struct vault *v = NULL;
	size_t slot;
	int r;

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
