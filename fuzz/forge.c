#include <string.h>

#include <sodium.h>

#include "../crypto/errors.h"
#include "../crypto/le.h"
#include "forge.h"

const unsigned char forge_salt[FBV_SALT_BYTES] = "fuzz seed salt!";
const unsigned char forge_data_key[FBV_KEY_BYTES] = "fuzz data key, public on purpose";
const unsigned char forge_keyring_kek[FBV_KEY_BYTES] = "fuzz keyring kek, public as well";
const unsigned char forge_id[FBV_ID_BYTES] = "fuzz vault id 01";

void
forge_pass_inputs(unsigned char pre[FBV_PASS_SLOT_AD], const unsigned char salt[FBV_SALT_BYTES],
    uint64_t ops, uint64_t mem)
{
	pre[FBV_PASS_KDF_OFF] = FBV_KDF_ARGON2ID13;
	memcpy(pre + FBV_PASS_SALT_OFF, salt, FBV_SALT_BYTES);
	le_put64(pre + FBV_PASS_OPS_OFF, ops);
	le_put64(pre + FBV_PASS_MEM_OFF, mem);
}

/* format.h: the wrap's associated data is the slot type, the body
 * before the nonce, and the vault id. */
static void
wrap(unsigned char *body, uint8_t type, size_t prelen, const unsigned char id[FBV_ID_BYTES],
    const unsigned char kek[FBV_KEY_BYTES], const unsigned char key[FBV_KEY_BYTES])
{
	unsigned char ad[1 + FBV_PASS_SLOT_AD + FBV_ID_BYTES];

	ad[0] = type;
	memcpy(ad + 1, body, prelen);
	memcpy(ad + 1 + prelen, id, FBV_ID_BYTES);
	random_bytes(body + prelen, FBV_NONCE_BYTES);
	aead_seal(body + prelen + FBV_NONCE_BYTES, key, FBV_KEY_BYTES, ad, 1 + prelen + FBV_ID_BYTES,
	    body + prelen, kek);
}

int
forge_pass_slot(unsigned char body[FBV_PASS_SLOT_BYTES], const unsigned char id[FBV_ID_BYTES],
    const unsigned char pre[FBV_PASS_SLOT_AD], const char *pass,
    const unsigned char key[FBV_KEY_BYTES])
{
	unsigned char kek[FBV_KEY_BYTES];
	uint64_t ops = 0, mem = 0;
	int i, r;

	for (i = 7; i >= 0; i--) {
		ops = ops << 8 | pre[1 + FBV_SALT_BYTES + i];
		mem = mem << 8 | pre[1 + FBV_SALT_BYTES + 8 + i];
	}
	if ((r = kdf_derive(kek, pass, strlen(pass), pre + FBV_PASS_SALT_OFF, ops, mem)) != FBV_OK)
		return r;
	memcpy(body, pre, FBV_PASS_SLOT_AD);
	wrap(body, FBV_SLOT_PASSPHRASE, FBV_PASS_SLOT_AD, id, kek, key);
	sodium_memzero(kek, sizeof(kek));
	return FBV_OK;
}

void
forge_keyring_slot(unsigned char body[FBV_KEYRING_SLOT_BYTES],
    const unsigned char id[FBV_ID_BYTES], const unsigned char kek[FBV_KEY_BYTES],
    const unsigned char key[FBV_KEY_BYTES])
{
	wrap(body, FBV_SLOT_KEYRING, 0, id, kek, key);
}

static int
put_payload(struct sbuf *out, const unsigned char key[FBV_KEY_BYTES],
    const unsigned char *plain, size_t plen)
{
	unsigned char sub[FBV_KEY_BYTES], nonce[FBV_NONCE_BYTES];
	size_t at;
	int r;

	random_bytes(nonce, sizeof(nonce));
	if ((r = sbuf_put(out, nonce, sizeof(nonce))) != FBV_OK ||
	    (r = sbuf_put_u32(out, (uint32_t)(plen + FBV_TAG_BYTES))) != FBV_OK)
		return r;
	at = out->len;
	if ((r = sbuf_reserve(out, plen + FBV_TAG_BYTES)) != FBV_OK)
		return r;
	subkey_derive(sub, SUBKEY_PAYLOAD, key);
	aead_seal(out->data + at, plain, plen, out->data, FBV_PREFIX_BYTES, nonce, sub);
	out->len += plen + FBV_TAG_BYTES;
	return FBV_OK;
}

int
forge_file(struct sbuf *out, const unsigned char id[FBV_ID_BYTES], const struct slot *slots,
    size_t nslots, const unsigned char key[FBV_KEY_BYTES], const unsigned char *plain,
    size_t plen)
{
	unsigned char sub[FBV_KEY_BYTES], mac[FBV_MAC_BYTES];
	size_t i;
	int r;

	if ((r = sbuf_put(out, FBV_MAGIC, FBV_MAGIC_BYTES)) != FBV_OK ||
	    (r = sbuf_put_u16(out, FBV_VERSION)) != FBV_OK ||
	    (r = sbuf_put_u16(out, 0)) != FBV_OK ||
	    (r = sbuf_put(out, id, FBV_ID_BYTES)) != FBV_OK ||
	    (r = sbuf_put_u8(out, (uint8_t)nslots)) != FBV_OK)
		return r;
	for (i = 0; i < nslots; i++)
		if ((r = sbuf_put_u8(out, slots[i].type)) != FBV_OK ||
		    (r = sbuf_put_u16(out, slots[i].len)) != FBV_OK ||
		    (r = sbuf_put(out, slots[i].body, slots[i].len)) != FBV_OK)
			return r;
	subkey_derive(sub, SUBKEY_HEADER_MAC, key);
	mac_compute(mac, out->data, out->len, sub);
	if ((r = sbuf_put(out, mac, sizeof(mac))) != FBV_OK)
		return r;
	return put_payload(out, key, plain, plen);
}
