/* tests/slotkey FILE: what an attacker holding FILE (a copy of a vault) and
 * its passphrase (first line of stdin) takes away: the passphrase slot's
 * X25519 secret key, written to stdout as a timed-unlock key payload (the
 * key, then 8 bytes of expiry) for `keyctl padd`, so that the tests can
 * plant it where fbvault looks and see what it opens. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "../../crypto/errors.h"
#include "../../crypto/recipient.h"
#include "../../vault/vault.h"

int
main(int argc, char **argv)
{
	unsigned char until[8] = { 0xff, 0xff, 0xff, 0x7f };
	char pass[1024];
	struct vault *v;
	size_t len;

	if (argc != 2 || sodium_init() < 0 || fgets(pass, sizeof(pass), stdin) == NULL)
		return 2;
	len = strcspn(pass, "\n");
	if (vault_load(argv[1], &v) != FBV_OK ||
	    vault_unlock_passphrase(v, pass, len) != FBV_OK || v->cred == NULL) {
		fprintf(stderr, "slotkey: %s does not open with that passphrase\n", argv[1]);
		return 1;
	}
	fwrite(v->cred->sk, 1, FBV_X25519_BYTES, stdout);
	fwrite(until, 1, sizeof(until), stdout);
	sodium_memzero(pass, sizeof(pass));
	vault_free(v);
	return 0;
}
