/* The desktop keyring key slot's other half: a random 32-byte key kept by
 * the Secret Service (libsecret), found by the vault id. The libsecret code
 * is the module fbvault-keyring.so, loaded (cli/module.c) only when a vault
 * has a keyring slot or a keyring command runs. */
#ifndef FBV_KEYRING_H
#define FBV_KEYRING_H

#include <stddef.h>

#include "../crypto/seal.h"

#define FBV_KEYRING_ABI 1
#define FBV_KEYRING_SYMBOL "fbvault_keyring_ops"
#define FBV_KEYRING_SCHEMA "org.fbvault.VaultKey"

struct keyring_ops {
	int abi;
	/* FBV_ERR_KEYRING when the Secret Service cannot be reached. */
	int (*store)(const char *vault_id_hex, const char *label,
	    const unsigned char key[FBV_KEY_BYTES]);
	/* FBV_ERR_KEYRING_ITEM when there is no item for this vault. */
	int (*lookup)(const char *vault_id_hex, unsigned char key[FBV_KEY_BYTES]);
	int (*clear)(const char *vault_id_hex);
	int (*ping)(void);
};

#endif
