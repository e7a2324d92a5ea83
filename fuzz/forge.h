/* Vault files built by hand from vault/format.h, with keys the fuzzer
 * knows. make_seeds gives its seeds a fixed salt and data key this way,
 * so that fuzz_vault can open them with one KDF run in all; fuzz_vault
 * seals fuzzed payloads into vaults that authenticate. Nothing here is
 * secret: the passphrase and keys are in the source. */
#ifndef FBV_FUZZ_FORGE_H
#define FBV_FUZZ_FORGE_H

#include <stddef.h>
#include <stdint.h>

#include "../crypto/secmem.h"
#include "../vault/vault.h"

#define FORGE_PASSPHRASE "fbvault fuzz seed passphrase"

extern const unsigned char forge_salt[FBV_SALT_BYTES];
extern const unsigned char forge_data_key[FBV_KEY_BYTES];
extern const unsigned char forge_keyring_kek[FBV_KEY_BYTES];
extern const unsigned char forge_id[FBV_ID_BYTES];

/* The passphrase slot's KDF inputs (algorithm, salt, opslimit,
 * memlimit): the first FBV_PASS_SLOT_AD bytes of its body. */
void forge_pass_inputs(unsigned char pre[FBV_PASS_SLOT_AD], const unsigned char salt[FBV_SALT_BYTES],
    uint64_t ops, uint64_t mem);
/* A passphrase slot body wrapping key under Argon2id(pass, pre). */
int forge_pass_slot(unsigned char body[FBV_PASS_SLOT_BYTES], const unsigned char id[FBV_ID_BYTES],
    const unsigned char pre[FBV_PASS_SLOT_AD], const char *pass,
    const unsigned char key[FBV_KEY_BYTES]);
/* A keyring slot body wrapping key under kek. */
void forge_keyring_slot(unsigned char body[FBV_KEYRING_SLOT_BYTES],
    const unsigned char id[FBV_ID_BYTES], const unsigned char kek[FBV_KEY_BYTES],
    const unsigned char key[FBV_KEY_BYTES]);
/* A whole file: prefix, slots, header MAC, nonce, length, and plain
 * sealed under key's payload subkey. */
int forge_file(struct sbuf *out, const unsigned char id[FBV_ID_BYTES], const struct slot *slots,
    size_t nslots, const unsigned char key[FBV_KEY_BYTES], const unsigned char *plain,
    size_t plen);

#endif
