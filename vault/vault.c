#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "../crypto/errors.h"
#include "../crypto/le.h"
#include "../crypto/recipient.h"
#include "format2.h"
#include "format3.h"
#include "store.h"
#include "vault.h"
#include "wire.h"

void
vault_id_hex(const struct vault *v, char out[2 * FBV_ID_BYTES + 1])
{
	sodium_bin2hex(out, 2 * FBV_ID_BYTES + 1, v->id, FBV_ID_BYTES);
}

void
vault_free(struct vault *v)
{
	size_t i;

	if (v == NULL)
		return;
	entries_free(&v->entries);
	v3_free(v);
	sbuf_free(&v->plain);
	secret_free(v->key);
	x25519_keypair_free(v->cred);
	secret_free(v->v1kek);
	for (i = 0; i < v->nslots; i++) {
		free(v->slots[i].body);
		free(v->slots[i].rec);
	}
	free(v->hdr);
	free(v->path);
	free(v);
}

static struct vault *
vault_new(const char *path)
{
	struct vault *v = calloc(1, sizeof(*v));

	if (v == NULL)
		return NULL;
	sbuf_init(&v->plain, FBV_PAYLOAD_MAX);
	v->fd = -1;
	if ((v->path = strdup(path)) == NULL) {
		free(v);
		return NULL;
	}
	return v;
}

struct slot *
vault_slot(const struct vault *v, uint8_t type)
{
	size_t i;

	for (i = 0; i < v->nslots; i++)
		if (v->slots[i].type == type)
			return (struct slot *)(uintptr_t)&v->slots[i];
	return NULL;
}

#define slot_find vault_slot

bool
vault_has_slot(const struct vault *v, uint8_t type)
{
	return slot_find(v, type) != NULL;
}

int
vault_kdf_params(const struct vault *v, uint64_t *ops, uint64_t *mem)
{
	const struct slot *s = slot_find(v, FBV_SLOT_PASSPHRASE);

	if (s == NULL)
		return FBV_ERR_NO_SLOT;
	*ops = le_get64(s->body + FBV_PASS_OPS_OFF);
	*mem = le_get64(s->body + FBV_PASS_MEM_OFF);
	return FBV_OK;
}

/* Structure of a known slot type; limits checked before any KDF runs. */
static int
slot_check(const struct vault *v, const struct slot *s)
{
	if (v->version >= FBV_VERSION2)
		return v2_slot_check(s);
	switch (s->type) {
	case FBV_SLOT_PASSPHRASE:
		if (s->len != FBV_PASS_SLOT_BYTES || s->body[FBV_PASS_KDF_OFF] != FBV_KDF_ARGON2ID13)
			return FBV_ERR_CORRUPT;
		return kdf_check(le_get64(s->body + FBV_PASS_OPS_OFF), le_get64(s->body + FBV_PASS_MEM_OFF));
	case FBV_SLOT_KEYRING:
		return s->len == FBV_KEYRING_SLOT_BYTES ? FBV_OK : FBV_ERR_CORRUPT;
	case 0:
		return FBV_ERR_CORRUPT;
	default:
		return FBV_OK;
	}
}

static int
parse_slots(struct vault *v, struct reader *r)
{
	uint64_t n, type, len;
	const unsigned char *p;
	/* at most one slot of each of these types */
	uint8_t unique_max = v->version >= FBV_VERSION2 ? FBV_SLOT_TIMED : FBV_SLOT_KEYRING;
	size_t i;
	int ret;

	if (reader_uint(r, 1, &n) != 0 || n == 0 || n > FBV_SLOTS_MAX)
		return FBV_ERR_CORRUPT;
	for (i = 0; i < n; i++) {
		struct slot *s = &v->slots[i];

		if (reader_uint(r, 1, &type) != 0 || reader_uint(r, 2, &len) != 0 ||
		    (p = reader_take(r, len)) == NULL)
			return FBV_ERR_CORRUPT;
		s->type = (uint8_t)type;
		s->len = (uint16_t)len;
		if ((s->body = malloc(len == 0 ? 1 : len)) == NULL)
			return FBV_ERR_NOMEM;
		memcpy(s->body, p, len);
		v->nslots++;
		if ((ret = slot_check(v, s)) != FBV_OK)
			return ret;
		if (s->type <= unique_max && slot_find(v, s->type) != s)
			return FBV_ERR_DUP_SLOT;
	}
	if (slot_find(v, FBV_SLOT_PASSPHRASE) == NULL && slot_find(v, FBV_SLOT_KEYRING) == NULL &&
	    (v->version == FBV_VERSION || (slot_find(v, FBV_SLOT_TIMED) == NULL &&
	    slot_find(v, FBV_SLOT_RECIPIENT) == NULL)))
		return FBV_ERR_NO_SLOT;
	return FBV_OK;
}

static int
parse_prefix(struct vault *v, struct reader *r)
{
	const unsigned char *p;
	uint64_t version, flags;

	if ((p = reader_take(r, FBV_MAGIC_BYTES)) == NULL ||
	    memcmp(p, FBV_MAGIC, FBV_MAGIC_BYTES) != 0)
		return FBV_ERR_BAD_MAGIC;
	if (reader_uint(r, 2, &version) != 0)
		return FBV_ERR_CORRUPT;
	if (version != FBV_VERSION && version != FBV_VERSION2 && version != FBV_VERSION3)
		return FBV_ERR_VERSION;
	v->version = (uint16_t)version;
	if (reader_uint(r, 2, &flags) != 0 || flags != 0 ||
	    (p = reader_take(r, FBV_ID_BYTES)) == NULL)
		return FBV_ERR_CORRUPT;
	memcpy(v->id, p, FBV_ID_BYTES);
	if (version >= FBV_VERSION2 && reader_uint(r, 8, &v->generation) != 0)
		return FBV_ERR_CORRUPT;
	return FBV_OK;
}

/* The ciphertext goes to secret memory, where the unlock decrypts it in
 * place: copied, or, when the caller hands over the secret buffer it parsed
 * (own, with room for own_cap bytes), moved to its start. A big vault's
 * payload then takes one buffer, touched once by read() and once by the
 * decryption. */
static int
parse_payload(struct vault *v, struct reader *r, unsigned char *own, size_t own_cap)
{
	const unsigned char *p;
	uint64_t clen;

	if ((p = reader_take(r, FBV_MAC_BYTES)) == NULL)
		return FBV_ERR_CORRUPT;
	memcpy(v->mac, p, FBV_MAC_BYTES);
	if ((p = reader_take(r, FBV_NONCE_BYTES)) == NULL)
		return FBV_ERR_CORRUPT;
	memcpy(v->nonce, p, FBV_NONCE_BYTES);
	if (reader_uint(r, 4, &clen) != 0 || clen < FBV_TAG_BYTES + 4 ||
	    clen > FBV_PAYLOAD_MAX + FBV_TAG_BYTES || clen != reader_left(r))
		return FBV_ERR_CORRUPT;
	p = reader_take(r, clen);
	memcpy(v->tag, p + clen - FBV_TAG_BYTES, FBV_TAG_BYTES);
	if (own != NULL) {
		memmove(own, p, clen);
		sbuf_adopt(&v->plain, own, own_cap);
	} else {
		if ((own = secret_alloc(clen)) == NULL)
			return FBV_ERR_NOMEM;
		memcpy(own, p, clen);
		sbuf_adopt(&v->plain, own, clen);
	}
	v->cipher = v->plain.data;
	v->cipher_len = clen;
	return FBV_OK;
}

/* Where a version 3 file's bytes come from: buf holds its first len bytes
 * (all of them, or the rest is read from fd); the vault takes buf, if cbuf,
 * and fd. */
struct source {
	size_t file_len;
	int fd;
	unsigned char *cbuf;
};

/* On success the vault owns own (if not NULL), which must be buf, in secret
 * memory with room for own_cap bytes; and what src gives. */
static int
parse_buf(const char *path, const unsigned char *buf, size_t len, unsigned char *own,
    size_t own_cap, struct source *src, struct vault **out)
{
	struct reader r = { buf, len, 0 };
	struct vault *v;
	int ret;

	if ((v = vault_new(path)) == NULL)
		return FBV_ERR_NOMEM;
	if ((ret = parse_prefix(v, &r)) != FBV_OK || (ret = parse_slots(v, &r)) != FBV_OK)
		goto fail;
	if (v->version == FBV_VERSION3) {
		v->file_len = src != NULL ? src->file_len : len;
		v->cbuf_len = len;
		if (src != NULL && src->cbuf != NULL) {
			v->cbuf = src->cbuf;
			src->cbuf = NULL;
		} else if ((v->cbuf = malloc(len)) == NULL) {
			ret = FBV_ERR_NOMEM;
			goto fail;
		} else {
			memcpy(v->cbuf, buf, len);
		}
		if (src != NULL) {
			v->fd = src->fd;
			src->fd = -1;
		}
	}
	v->hdr_len = r.off;
	if ((v->hdr = malloc(v->hdr_len)) == NULL) {
		ret = FBV_ERR_NOMEM;
		goto fail;
	}
	memcpy(v->hdr, buf, v->hdr_len);
	if (v->version == FBV_VERSION3)
		ret = v3_parse_payload(v, &r);
	else
		ret = parse_payload(v, &r, own, own_cap);
	if (ret != FBV_OK)
		goto fail;
	*out = v;
	return FBV_OK;
fail:
	vault_free(v);
	return ret;
}

int
vault_parse(const char *path, const unsigned char *buf, size_t len, struct vault **out)
{
	return parse_buf(path, buf, len, NULL, 0, NULL, out);
}

/* Read first: a small vault whole, a version 3 vault's header and first
 * segment (format.h: the header is at most 16 slots of 188 bytes). */
#define HEAD_READ (FBV3_SEGMENT_BYTES + 8192)

/* Versions 1 and 2 are decrypted whole, where they were read: in secret
 * memory. */
static int
load_whole(const char *path, int fd, const unsigned char *head, size_t head_len,
    size_t size, struct vault **out)
{
	unsigned char *buf;
	int r;

	if ((buf = secret_alloc(size + 1)) == NULL)
		return FBV_ERR_NOMEM;
	memcpy(buf, head, head_len);
	if ((r = store_pread(fd, buf + head_len, size - head_len, head_len)) != FBV_OK ||
	    (r = parse_buf(path, buf, size, buf, size, NULL, out)) != FBV_OK)
		secret_free(buf);
	return r;
}

int
vault_load(const char *path, struct vault **out)
{
	struct source src = { 0, -1, NULL };
	size_t size, head;
	bool shared;
	int fd, r;

	if ((r = store_open_read(path, &fd, &size, &shared)) != FBV_OK)
		return r;
	head = size < HEAD_READ ? size : HEAD_READ;
	if ((src.cbuf = malloc(head + 1)) == NULL)
		r = FBV_ERR_NOMEM;
	else
		r = store_pread(fd, src.cbuf, head, 0);
	if (r == FBV_OK && head >= FBV_MAGIC_BYTES + 2 &&
	    le_get16(src.cbuf + FBV_MAGIC_BYTES) == FBV_VERSION3) {
		src.file_len = size;
		src.fd = head < size ? fd : -1;
		if (src.fd >= 0)
			fd = -1;        /* the vault reads the rest when needed */
		r = parse_buf(path, src.cbuf, head, NULL, 0, &src, out);
	} else if (r == FBV_OK) {
		r = load_whole(path, fd, src.cbuf, head, size, out);
	}
	if (src.fd >= 0)
		close(src.fd);
	if (fd >= 0)
		close(fd);
	free(src.cbuf);
	if (r != FBV_OK)
		return r;
	/* Readable by others (a git clone under umask 022) is accepted only
	 * when no slot can be attacked offline: recipient, keyring and timed
	 * slots need a 32-byte key; a passphrase slot needs only guessing. */
	if (shared && vault_has_slot(*out, FBV_SLOT_PASSPHRASE)) {
		vault_free(*out);
		*out = NULL;
		return FBV_ERR_SHARED_PASS;
	}
	return FBV_OK;
}

bool
vault_payload_is_open(const struct vault *v)
{
	return v->cipher == NULL;
}

int
vault_payload_open(struct vault *v, const unsigned char *ad, size_t adlen,
    const unsigned char sub[FBV_KEY_BYTES])
{
	int r;

	if (vault_payload_is_open(v))
		return FBV_ERR_INVALID;
	/* On failure libsodium zeroes the buffer: no later try opens it, and
	 * none could (the header MAC has shown that key to be the right one). */
	r = aead_open(v->plain.data, v->cipher, v->cipher_len, ad, adlen, v->nonce, sub);
	if (r != FBV_OK)
		return r;
	v->plain.len = v->cipher_len - FBV_TAG_BYTES;
	v->cipher = NULL;
	return FBV_OK;
}

void
vault_payload_wipe(struct vault *v)
{
	entries_free(&v->entries);
	if (v->version == FBV_VERSION3) {
		v3_wipe(v);
		return;
	}
	sbuf_reset(&v->plain);
	v->cipher = v->plain.data;
}

int
vault_file_same(const struct vault *v, bool *same)
{
	size_t n = v->hdr_len + (v->version == FBV_VERSION3 ? FBV3_TRAILER_BYTES :
	    FBV_MAC_BYTES + FBV_NONCE_BYTES + 4), size;
	unsigned char tag[FBV_TAG_BYTES];
	unsigned char *head;
	int r;

	*same = false;
	if (v->hdr == NULL)
		return FBV_OK;
	if ((head = malloc(n)) == NULL)
		return FBV_ERR_NOMEM;
	r = store_read_ends(v->path, head, n, tag, sizeof(tag), &size);
	if (r == FBV_ERR_CORRUPT)
		r = FBV_OK;     /* too short to be v: not the same */
	else if (r == FBV_OK && v->version == FBV_VERSION3)     /* v->ad: those n bytes */
		*same = size == n + v->cipher_len && memcmp(head, v->ad, n) == 0 &&
		    memcmp(tag, v->tag, sizeof(tag)) == 0;
	else if (r == FBV_OK)
		*same = size == n + v->cipher_len && memcmp(head, v->hdr, v->hdr_len) == 0 &&
		    memcmp(head + v->hdr_len, v->mac, FBV_MAC_BYTES) == 0 &&
		    memcmp(head + v->hdr_len + FBV_MAC_BYTES, v->nonce, FBV_NONCE_BYTES) == 0 &&
		    le_get32(head + n - 4) == v->cipher_len &&
		    memcmp(tag, v->tag, sizeof(tag)) == 0;
	free(head);
	return r;
}

int
vault_unlock_key(struct vault *v, const unsigned char key[FBV_KEY_BYTES])
{
	unsigned char sub[FBV_KEY_BYTES];
	bool was_open = vault_payload_is_open(v);
	int r;

	if (v->version >= FBV_VERSION2)
		return v2_unlock_key(v, key, 0, NULL);
	subkey_derive(sub, SUBKEY_HEADER_MAC, key);
	r = mac_verify(v->mac, v->hdr, v->hdr_len, sub);
	if (r != FBV_OK || was_open)
		goto out;
	subkey_derive(sub, SUBKEY_PAYLOAD, key);
	if ((r = vault_payload_open(v, v->hdr, FBV_PREFIX_BYTES, sub)) != FBV_OK ||
	    (r = entries_decode(&v->entries, v->plain.data, v->plain.len)) != FBV_OK)
		goto out;
out:
	if (r == FBV_OK && v->key == NULL && (v->key = secret_alloc(FBV_KEY_BYTES)) == NULL)
		r = FBV_ERR_NOMEM;
	if (r == FBV_OK)
		memcpy(v->key, key, FBV_KEY_BYTES);
	sodium_memzero(sub, sizeof(sub));
	if (r != FBV_OK && !was_open)
		vault_payload_wipe(v);
	return r;
}

/* Associated data of a wrap: type, the body before the nonce, vault id. */
size_t
vault_wrap_ad(unsigned char *ad, const struct vault *v, uint8_t type,
    const unsigned char *pre, size_t prelen)
{
	ad[0] = type;
	if (prelen > 0)
		memcpy(ad + 1, pre, prelen);
	memcpy(ad + 1 + prelen, v->id, FBV_ID_BYTES);
	return 1 + prelen + FBV_ID_BYTES;
}

/* Opens the data key wrapped at body[prelen..] under kek. */
static int
slot_unwrap(struct vault *v, const struct slot *s, size_t prelen,
    const unsigned char kek[FBV_KEY_BYTES])
{
	unsigned char ad[1 + FBV_PASS_SLOT_AD + FBV_ID_BYTES];
	unsigned char *key;
	size_t adlen = vault_wrap_ad(ad, v, s->type, s->body, prelen);
	int r;

	if ((key = secret_alloc(FBV_KEY_BYTES)) == NULL)
		return FBV_ERR_NOMEM;
	r = aead_open(key, s->body + prelen + FBV_NONCE_BYTES, FBV_WRAPPED_BYTES, ad, adlen,
	    s->body + prelen, kek);
	if (r == FBV_OK)
		r = vault_unlock_key(v, key);
	else
		r = FBV_ERR_WRONG_PASS;
	secret_free(key);
	/* kept for the conversion to version 2 (format.h) */
	if (r == FBV_OK && v->v1kek == NULL && (v->v1kek = secret_alloc(FBV_KEY_BYTES)) == NULL)
		r = FBV_ERR_NOMEM;
	if (r == FBV_OK) {
		memcpy(v->v1kek, kek, FBV_KEY_BYTES);
		v->v1kek_type = s->type;
	}
	return r;
}

int
vault_passphrase_kek(const struct vault *v, const char *pass, size_t len,
    unsigned char kek[FBV_KEY_BYTES])
{
	const struct slot *s = slot_find(v, FBV_SLOT_PASSPHRASE);

	if (s == NULL)
		return FBV_ERR_NO_SLOT;
	return kdf_derive(kek, pass, len, s->body + FBV_PASS_SALT_OFF, le_get64(s->body + FBV_PASS_OPS_OFF), le_get64(s->body + FBV_PASS_MEM_OFF));
}

int
vault_unlock_passphrase_kek(struct vault *v, const unsigned char kek[FBV_KEY_BYTES])
{
	const struct slot *s = slot_find(v, FBV_SLOT_PASSPHRASE);

	if (s == NULL)
		return FBV_ERR_NO_SLOT;
	if (v->version >= FBV_VERSION2)
		return v2_unlock_sealed(v, FBV_SLOT_PASSPHRASE, kek);
	return slot_unwrap(v, s, FBV_PASS_SLOT_AD, kek);
}

int
vault_unlock_passphrase(struct vault *v, const char *pass, size_t len)
{
	unsigned char *kek;
	int r;

	if ((kek = secret_alloc(FBV_KEY_BYTES)) == NULL)
		return FBV_ERR_NOMEM;
	r = vault_passphrase_kek(v, pass, len, kek);
	if (r == FBV_OK)
		r = vault_unlock_passphrase_kek(v, kek);
	secret_free(kek);
	return r;
}

int
vault_unlock_keyring(struct vault *v, const unsigned char kek[FBV_KEY_BYTES])
{
	const struct slot *s = slot_find(v, FBV_SLOT_KEYRING);
	int r;

	if (s == NULL)
		return FBV_ERR_NO_SLOT;
	if (v->version >= FBV_VERSION2)
		r = v2_unlock_sealed(v, FBV_SLOT_KEYRING, kek);
	else
		r = slot_unwrap(v, s, 0, kek);
	return r == FBV_ERR_WRONG_PASS ? FBV_ERR_KEYRING_ITEM : r;
}

int
vault_unlock_secret(struct vault *v, const unsigned char sk[FBV_X25519_BYTES])
{
	if (v->version < FBV_VERSION2)
		return FBV_ERR_NO_SLOT;
	return v2_unlock_secret(v, sk, 0);
}

int
vault_unlock_keypair(struct vault *v, const struct x25519_keypair *kp, uint8_t type)
{
	if (v->version < FBV_VERSION2)
		return FBV_ERR_NO_SLOT;
	return v2_unlock_keypair(v, kp, type);
}

int
vault_reopen(struct vault *fresh, const struct vault *opened)
{
	if (fresh->version >= FBV_VERSION2 && opened->cred != NULL)
		return vault_unlock_keypair(fresh, opened->cred, 0);
	if (opened->key == NULL)
		return FBV_ERR_INVALID;
	return vault_unlock_key(fresh, opened->key);
}

/* A slot edit or a save of a version 1 vault converts it first. */
static int
to_v2(struct vault *v)
{
	return v->version == FBV_VERSION ? v2_convert(v) : FBV_OK;
}

int
vault_convert(struct vault *v)
{
	return to_v2(v);
}

int
vault_set_passphrase(struct vault *v, const char *pass, size_t len, uint64_t ops, uint64_t mem)
{
	unsigned char pre[FBV_PASS_SLOT_AD];
	unsigned char *kek;
	int r;

	if ((r = to_v2(v)) != FBV_OK)
		return r;
	pre[FBV_PASS_KDF_OFF] = FBV_KDF_ARGON2ID13;
	random_bytes(pre + FBV_PASS_SALT_OFF, FBV_SALT_BYTES);
	le_put64(pre + FBV_PASS_OPS_OFF, ops);
	le_put64(pre + FBV_PASS_MEM_OFF, mem);
	if ((kek = secret_alloc(FBV_KEY_BYTES)) == NULL)
		return FBV_ERR_NOMEM;
	r = kdf_derive(kek, pass, len, pre + FBV_PASS_SALT_OFF, ops, mem);
	if (r == FBV_OK)
		r = v2_set_sealed(v, FBV_SLOT_PASSPHRASE, pre, kek);
	secret_free(kek);
	return r;
}

int
vault_set_keyring(struct vault *v, const unsigned char kek[FBV_KEY_BYTES])
{
	int r = to_v2(v);

	return r != FBV_OK ? r : v2_set_sealed(v, FBV_SLOT_KEYRING, NULL, kek);
}

int
vault_set_timed(struct vault *v, const unsigned char pk[FBV_X25519_BYTES], int64_t expires)
{
	unsigned char pre[FBV2_TIMED_STANZA_OFF];

	if (v->version < FBV_VERSION2)
		return FBV_ERR_INVALID;
	le_put64(pre, (uint64_t)expires);
	return v2_put_slot(v, FBV_SLOT_TIMED, pre, sizeof(pre), pk, true);
}

static struct slot *
recipient_find(const struct vault *v, const unsigned char pk[FBV_X25519_BYTES])
{
	size_t i;

	for (i = 0; i < v->nslots; i++)
		if (v->slots[i].type == FBV_SLOT_RECIPIENT && v->slots[i].rec != NULL &&
		    sodium_memcmp(v->slots[i].rec, pk, FBV_X25519_BYTES) == 0)
			return (struct slot *)(uintptr_t)&v->slots[i];
	return NULL;
}

int
vault_add_recipient(struct vault *v, const unsigned char pk[FBV_X25519_BYTES])
{
	if (v->version < FBV_VERSION2 || v->key == NULL)
		return FBV_ERR_INVALID;
	if (recipient_find(v, pk) != NULL)
		return FBV_ERR_EXISTS;
	return v2_put_slot(v, FBV_SLOT_RECIPIENT, NULL, 0, pk, false);
}

static void
slot_delete(struct vault *v, struct slot *s)
{
	size_t i = (size_t)(s - v->slots);

	free(s->body);
	free(s->rec);
	memmove(&v->slots[i], &v->slots[i + 1], (v->nslots - i - 1) * sizeof(*s));
	v->nslots--;
	v->changed = true;
}

int
vault_remove_recipient(struct vault *v, const unsigned char pk[FBV_X25519_BYTES])
{
	struct slot *s = recipient_find(v, pk);

	if (s == NULL)
		return FBV_ERR_NO_SLOT;
	slot_delete(v, s);
	return FBV_OK;
}

int
vault_remove_slot(struct vault *v, uint8_t type)
{
	struct slot *s = slot_find(v, type);
	int r;

	if (s == NULL)
		return FBV_ERR_NO_SLOT;
	if ((r = to_v2(v)) != FBV_OK)
		return r;
	slot_delete(v, slot_find(v, type));
	return FBV_OK;
}

int
vault_create(const char *path, const char *pass, size_t len, enum kdf_level level,
    struct vault **out)
{
	struct vault *v;
	uint64_t ops, mem;
	int r;

	if ((v = vault_new(path)) == NULL || (v->key = secret_alloc(FBV_KEY_BYTES)) == NULL) {
		vault_free(v);
		return FBV_ERR_NOMEM;
	}
	v->version = FBV_VERSION3;
	random_bytes(v->id, FBV_ID_BYTES);
	random_bytes(v->key, FBV_KEY_BYTES);
	kdf_level_params(level, &ops, &mem);
	if ((r = vault_set_passphrase(v, pass, len, ops, mem)) != FBV_OK) {
		vault_free(v);
		return r;
	}
	v->dirty = v->changed = true;
	*out = v;
	return FBV_OK;
}

int
vault_save(struct vault *v, bool exclusive)
{
	int r;

	if (v->key == NULL)
		return FBV_ERR_INVALID;
	if ((r = to_v2(v)) != FBV_OK)
		return r;
	return v2_save(v, exclusive);
}

int
vault_open_all(struct vault *v)
{
	int r;

	if (v->version != FBV_VERSION3)
		return FBV_OK;
	if (!vault_payload_is_open(v))
		return FBV_ERR_INVALID;
	if (v->seg_open != NULL && (r = v3_ensure(v, 0, v->plain_len)) != FBV_OK)
		return r;
	return entries_check3(&v->entries);
}

int
vault_open_records(struct vault *v)
{
	int r;

	if (v->version != FBV_VERSION3 || v->seg_open == NULL)
		return FBV_OK;
	if (!vault_payload_is_open(v))
		return FBV_ERR_INVALID;
	if (v->entries.n > 0 && (r = v3_ensure(v, (size_t)(v->entries.records - v->plain.data),
	    v->entries.records_len)) != FBV_OK)
		return r;
	return entries_records3(&v->entries);
}

size_t
vault_count(const struct vault *v)
{
	return v->entries.n;
}

const struct entry *
vault_entry(const struct vault *v, size_t i)
{
	return entries_at(&v->entries, i);
}

const struct entry *
vault_entry_peek(const struct vault *v, size_t i, struct entry *tmp, char name[FBV_NAME_MAX + 1])
{
	return entries_peek(&v->entries, i, tmp, name);
}

const struct entry *
vault_find(const struct vault *v, const char *name)
{
	return entries_find(&v->entries, name);
}

int
vault_put(struct vault *v, const char *name, const unsigned char *value, size_t len,
    bool replace, int64_t now, struct entry **out)
{
	int r = vault_open_all(v);

	if (r == FBV_OK)
		r = entries_put(&v->entries, name, value, len, replace, now, out);
	if (r == FBV_OK)
		v->dirty = v->changed = true;
	return r;
}

struct entry *
vault_edit(struct vault *v, const char *name)
{
	struct entry *e;
	int r;

	/* an edit has the whole array (and a failure to read it is a fault) */
	if ((r = vault_open_all(v)) != FBV_OK)
		v3_need(v, v->plain.data, v->plain.len);
	entries_fill(&v->entries);
	e = entries_find(&v->entries, name);

	if (e != NULL)
		v->dirty = v->changed = true;
	return e;
}

int
vault_remove(struct vault *v, const char *name)
{
	int r = vault_open_all(v);

	if (r == FBV_OK)
		r = entries_remove(&v->entries, name);
	if (r == FBV_OK)
		v->dirty = v->changed = true;
	return r;
}
