/* tests/slotkey [--keyring] FILE: what an attacker holding FILE (a copy of
 * a vault) and its passphrase (first line of stdin; with --keyring, the
 * Secret Service item's hex key) takes away: that slot's X25519 secret key,
 * written to stdout as a 40-byte timed-unlock key payload (the key, then 8
 * bytes of expiry: the layout without the public key, which fbvault tries
 * on every slot, vault/unlock.h) for `keyctl padd`, so that the tests can
 * plant it where fbvault looks and see what it opens. */
#include <stdbool.h>
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
	unsigned char kek[FBV_KEY_BYTES];
	bool keyring = argc == 3 && strcmp(argv[1], "--keyring") == 0;
	const char *file = argv[argc - 1];
	char pass[1024];
	struct vault *v;
	size_t len, n;
	int r;

	if ((argc != 2 && !keyring) || sodium_init() < 0 || fgets(pass, sizeof(pass), stdin) == NULL)
		return 2;
	len = strcspn(pass, "\n");
	if (vault_load(file, &v) != FBV_OK)
		return 1;
	if (keyring)
		r = sodium_hex2bin(kek, sizeof(kek), pass, len, NULL, &n, NULL) != 0 ||
		    n != sizeof(kek) ? FBV_ERR_INVALID : vault_unlock_keyring(v, kek);
	else
		r = vault_unlock_passphrase(v, pass, len);
	if (r != FBV_OK || v->cred == NULL) {
		fprintf(stderr, "slotkey: %s does not open with that key\n", file);
		return 1;
	}
	fwrite(v->cred->sk, 1, FBV_X25519_BYTES, stdout);
	fwrite(until, 1, sizeof(until), stdout);
	sodium_memzero(pass, sizeof(pass));
	vault_free(v);
	return 0;
}
