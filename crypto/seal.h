/* Key derivation, sealing and opening. Knows nothing about files. */
#ifndef FBV_SEAL_H
#define FBV_SEAL_H

#include <stddef.h>
#include <stdint.h>

#define FBV_KEY_BYTES 32
#define FBV_NONCE_BYTES 24
#define FBV_TAG_BYTES 16
#define FBV_SALT_BYTES 16
#define FBV_MAC_BYTES 32

enum kdf_level { KDF_INTERACTIVE, KDF_MODERATE, KDF_SENSITIVE };

/* Cost bounds enforced before any derivation runs, so a tampered header
 * cannot make us allocate gigabytes or spin for minutes. */
#define FBV_KDF_OPS_MAX 12ULL
#define FBV_KDF_MEM_MAX (2048ULL * 1024 * 1024)

int kdf_level_parse(const char *s, enum kdf_level *out);
void kdf_level_params(enum kdf_level l, uint64_t *ops, uint64_t *mem);
const char *kdf_level_name(uint64_t ops, uint64_t mem);
int kdf_check(uint64_t ops, uint64_t mem);
int kdf_derive(unsigned char key[FBV_KEY_BYTES], const char *pass, size_t passlen,
    const unsigned char salt[FBV_SALT_BYTES], uint64_t ops, uint64_t mem);

void random_bytes(void *p, size_t n);

/* XChaCha20-Poly1305: out holds mlen + FBV_TAG_BYTES. */
void aead_seal(unsigned char *out, const unsigned char *m, size_t mlen,
    const unsigned char *ad, size_t adlen,
    const unsigned char nonce[FBV_NONCE_BYTES], const unsigned char key[FBV_KEY_BYTES]);
int aead_open(unsigned char *out, const unsigned char *c, size_t clen,
    const unsigned char *ad, size_t adlen,
    const unsigned char nonce[FBV_NONCE_BYTES], const unsigned char key[FBV_KEY_BYTES]);

/* Independent subkeys of one data key, one per purpose. */
enum subkey_id {
	SUBKEY_HEADER_MAC = 1, SUBKEY_PAYLOAD = 2,          /* vault format 1 */
	SUBKEY_HEADER_MAC_V2 = 3, SUBKEY_PAYLOAD_V2 = 4,    /* vault format 2 */
	SUBKEY_HEADER_MAC_V3 = 5, SUBKEY_PAYLOAD_V3 = 6,    /* vault format 3 */
};
void subkey_derive(unsigned char out[FBV_KEY_BYTES], enum subkey_id id,
    const unsigned char key[FBV_KEY_BYTES]);

void mac_compute(unsigned char out[FBV_MAC_BYTES], const unsigned char *m, size_t mlen,
    const unsigned char key[FBV_KEY_BYTES]);
int mac_verify(const unsigned char mac[FBV_MAC_BYTES], const unsigned char *m, size_t mlen,
    const unsigned char key[FBV_KEY_BYTES]);

/* HMAC-SHA256 of m under key, as lower-case hex and its NUL. */
#define FBV_HMAC_HEX 65
void hmac_sha256_hex(char out[FBV_HMAC_HEX], const unsigned char *key, size_t keylen,
    const unsigned char *m, size_t mlen);

#endif
