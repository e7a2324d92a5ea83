#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "../crypto/errors.h"
#include "../crypto/le.h"
#include "../crypto/recipient.h"
#include "format2.h"
#include "format3.h"
#include "store.h"
#include "wire.h"

_Static_assert(FBV2_PASS_SEALED_OFF == FBV_PASS_SLOT_AD + FBV_NONCE_BYTES &&
    FBV2_PASS_STANZA_OFF == FBV2_PASS_SEALED_OFF + FBV_X25519_BYTES + FBV_TAG_BYTES &&
    FBV2_PASS_SLOT_BYTES == FBV2_PASS_STANZA_OFF + FBV_STANZA_BYTES &&
    FBV2_TIMED_SLOT_BYTES == FBV2_TIMED_STANZA_OFF + FBV_STANZA_BYTES &&
    FBV2_KEYRING_STANZA_OFF == FBV_KEYRING_SLOT_BYTES &&
    FBV2_KEYRING_SLOT_BYTES == FBV2_KEYRING_STANZA_OFF + FBV_STANZA_BYTES &&
    FBV2_RECIPIENT_SLOT_BYTES == FBV_STANZA_BYTES, "slot layouts (format.h)");

#define CTX_LABEL_BYTES (sizeof(FBV2_STANZA_CTX) - 1)

static bool
known(uint8_t type)
{
	return type >= FBV_SLOT_PASSPHRASE && type <= FBV_SLOT_RECIPIENT;
}

static uint16_t
body_len(uint8_t type)
{
	switch (type) {
	case FBV_SLOT_PASSPHRASE: return FBV2_PASS_SLOT_BYTES;
	case FBV_SLOT_KEYRING: return FBV2_KEYRING_SLOT_BYTES;
	case FBV_SLOT_TIMED: return FBV2_TIMED_SLOT_BYTES;
	default: return FBV2_RECIPIENT_SLOT_BYTES;
	}
}

static size_t
stanza_off(uint8_t type)
{
	switch (type) {
	case FBV_SLOT_PASSPHRASE: return FBV2_PASS_STANZA_OFF;
	case FBV_SLOT_KEYRING: return FBV2_KEYRING_STANZA_OFF;
	case FBV_SLOT_TIMED: return FBV2_TIMED_STANZA_OFF;
	default: return 0;
	}
}

/* Passphrase and keyring slots seal their secret key at body[pre, ...). */
static size_t
sealed_pre(uint8_t type)
{
	return type == FBV_SLOT_PASSPHRASE ? FBV_PASS_SLOT_AD : 0;
}

int
v2_slot_check(const struct slot *s)
{
	if (s->type == 0)
		return FBV_ERR_CORRUPT;
	if (!known(s->type))
		return FBV_OK;
	if (s->len != body_len(s->type))
		return FBV_ERR_CORRUPT;
	if (s->type != FBV_SLOT_PASSPHRASE)
		return FBV_OK;
	if (s->body[FBV_PASS_KDF_OFF] != FBV_KDF_ARGON2ID13)
		return FBV_ERR_CORRUPT;
	return kdf_check(le_get64(s->body + FBV_PASS_OPS_OFF), le_get64(s->body + FBV_PASS_MEM_OFF));
}

static bool
expired(const struct slot *s, int64_t now)
{
	return s->type == FBV_SLOT_TIMED && (int64_t)le_get64(s->body) <= now;
}

static void
stanza_ctx(unsigned char ctx[FBV2_STANZA_CTX_BYTES], const struct vault *v, uint64_t gen,
    size_t i, uint8_t type)
{
	memcpy(ctx, FBV2_STANZA_CTX, CTX_LABEL_BYTES);
	memcpy(ctx + CTX_LABEL_BYTES, v->id, FBV_ID_BYTES);
	le_put64(ctx + CTX_LABEL_BYTES + FBV_ID_BYTES, gen);
	ctx[CTX_LABEL_BYTES + FBV_ID_BYTES + 8] = (unsigned char)i;
	ctx[CTX_LABEL_BYTES + FBV_ID_BYTES + 9] = type;
}

static void
drop_records(struct vault *v)
{
	size_t i;

	for (i = 0; i < v->nslots; i++) {
		free(v->slots[i].rec);
		v->slots[i].rec = NULL;
		v->slots[i].rec_len = 0;
	}
}

/* The slot records that start the payload; *used: their length. */
static int
parse_records(struct vault *v, const unsigned char *p, size_t len, size_t *used)
{
	struct reader r = { p, len, 0 };
	const unsigned char *d;
	uint64_t n, type, rlen;
	size_t i;

	if (reader_uint(&r, 1, &n) != 0 || n != v->nslots)
		return FBV_ERR_CORRUPT;
	for (i = 0; i < n; i++) {
		struct slot *s = &v->slots[i];

		if (reader_uint(&r, 1, &type) != 0 || type != s->type ||
		    reader_uint(&r, 2, &rlen) != 0 ||
		    (known(s->type) && rlen != FBV_X25519_BYTES) ||
		    (d = reader_take(&r, rlen)) == NULL)
			return FBV_ERR_CORRUPT;
		free(s->rec);
		if ((s->rec = malloc(rlen == 0 ? 1 : rlen)) == NULL)
			return FBV_ERR_NOMEM;
		memcpy(s->rec, d, rlen);
		s->rec_len = (uint16_t)rlen;
	}
	*used = r.off;
	return FBV_OK;
}

/* Whether no one can hold pk's secret key: a point of small order, which
 * every stanza to it would refuse (all-zero shared secret). */
static bool
low_order(const unsigned char pk[FBV_X25519_BYTES])
{
	return x25519_small_order(pk);
}

/* Every known slot's public key can be written to; the one that opened the
 * vault (slot) was just checked against its secret key. */
static int
check_records(const struct vault *v, size_t slot, bool opened)
{
	size_t i;

	for (i = 0; i < v->nslots; i++)
		if (known(v->slots[i].type) && !(opened && i == slot) && low_order(v->slots[i].rec))
			return FBV_ERR_CORRUPT;
	return FBV_OK;
}

static int
keep_key(struct vault *v, const unsigned char key[FBV_KEY_BYTES],
    const struct x25519_keypair *kp)
{
	struct x25519_keypair *cred;
	int r;

	if (v->key == NULL && (v->key = secret_alloc(FBV_KEY_BYTES)) == NULL)
		return FBV_ERR_NOMEM;
	memcpy(v->key, key, FBV_KEY_BYTES);
	if (kp == NULL)
		return FBV_OK;
	/* kp opened a stanza, and its public key is the slot's record */
	if ((r = x25519_keypair_from_pair(&cred, kp->sk, kp->pk)) != FBV_OK)
		return r;
	x25519_keypair_free(v->cred);
	v->cred = cred;
	return FBV_OK;
}

/* Bytes [0, H+60) as they are or will be in the file: header, MAC, nonce,
 * ciphertext length. */
static int
payload_ad(const struct vault *v, unsigned char **out, size_t *outlen)
{
	size_t n = v->hdr_len + FBV_MAC_BYTES + FBV_NONCE_BYTES + 4;
	unsigned char *ad;

	if ((ad = malloc(n)) == NULL)
		return FBV_ERR_NOMEM;
	memcpy(ad, v->hdr, v->hdr_len);
	memcpy(ad + v->hdr_len, v->mac, FBV_MAC_BYTES);
	memcpy(ad + v->hdr_len + FBV_MAC_BYTES, v->nonce, FBV_NONCE_BYTES);
	le_put32(ad + n - 4, (uint32_t)v->cipher_len);
	*out = ad;
	*outlen = n;
	return FBV_OK;
}

int
v2_open_payload(struct vault *v, const unsigned char key[FBV_KEY_BYTES])
{
	unsigned char sub[FBV_KEY_BYTES];
	unsigned char *ad = NULL;
	size_t adlen;
	int r;

	if (v->version == FBV_VERSION3)
		return v3_open_payload(v, key);
	subkey_derive(sub, SUBKEY_HEADER_MAC_V2, key);
	if ((r = mac_verify(v->mac, v->hdr, v->hdr_len, sub)) != FBV_OK ||
	    vault_payload_is_open(v) || (r = payload_ad(v, &ad, &adlen)) != FBV_OK)
		goto out;
	subkey_derive(sub, SUBKEY_PAYLOAD_V2, key);
	r = vault_payload_open(v, ad, adlen, sub);
out:
	sodium_memzero(sub, sizeof(sub));
	free(ad);
	return r;
}

int
v2_unlock_key(struct vault *v, const unsigned char key[FBV_KEY_BYTES], size_t slot,
    const struct x25519_keypair *kp)
{
	bool was_open = vault_payload_is_open(v);
	size_t used;
	int r;

	/* An open vault (unlocked before, or saved since) is only checked: its
	 * header MAC, and the key's slot. */
	if ((r = v2_open_payload(v, key)) != FBV_OK)
		goto out;
	if (!was_open && (r = parse_records(v, v->plain.data, v->plain.len, &used)) != FBV_OK)
		goto out;
	if (kp != NULL && (v->slots[slot].rec == NULL ||
	    sodium_memcmp(v->slots[slot].rec, kp->pk, FBV_X25519_BYTES) != 0)) {
		r = FBV_ERR_CORRUPT;
		goto out;
	}
	if (!was_open && (r = check_records(v, slot, kp != NULL)) != FBV_OK)
		goto out;
	if (!was_open && v->version == FBV_VERSION3)
		r = entries_decode3(&v->entries, v->plain.data + used, v->plain.len - used,
		    v3_need, v);
	else if (!was_open)
		r = entries_decode(&v->entries, v->plain.data + used, v->plain.len - used);
	if (r != FBV_OK)
		goto out;
	r = keep_key(v, key, kp);
out:
	if (r != FBV_OK && !was_open) {
		vault_payload_wipe(v);
		drop_records(v);
	}
	return r;
}

int
v2_stanza_key(const struct vault *v, const struct x25519_keypair *kp, uint8_t type,
    unsigned char key[FBV_KEY_BYTES], size_t *slot)
{
	unsigned char ctx[FBV2_STANZA_CTX_BYTES];
	int64_t now = (int64_t)time(NULL);
	size_t i;
	int u;

	for (i = 0; i < v->nslots; i++) {
		const struct slot *s = &v->slots[i];

		if (!known(s->type) || (type != 0 && s->type != type) || expired(s, now))
			continue;
		stanza_ctx(ctx, v, v->generation, i, s->type);
		u = stanza_unwrap(key, s->body + stanza_off(s->type), FBV_STANZA_BYTES, kp,
		    ctx, sizeof(ctx));
		if (u == FBV_ERR_WRONG_PASS)
			continue;
		*slot = i;
		return u;
	}
	return FBV_ERR_WRONG_PASS;
}

int
v2_unlock_keypair(struct vault *v, const struct x25519_keypair *kp, uint8_t type)
{
	unsigned char *key;
	size_t slot = 0;
	int r;

	if ((key = secret_alloc(FBV_KEY_BYTES)) == NULL)
		return FBV_ERR_NOMEM;
	if ((r = v2_stanza_key(v, kp, type, key, &slot)) == FBV_OK)
		r = v2_unlock_key(v, key, slot, kp);
	secret_free(key);
	return r;
}

int
v2_unlock_secret(struct vault *v, const unsigned char sk[FBV_X25519_BYTES], uint8_t type)
{
	struct x25519_keypair *kp = NULL;
	int r;

	if (x25519_keypair_from_secret(&kp, sk) != FBV_OK)
		return FBV_ERR_WRONG_PASS;
	r = v2_unlock_keypair(v, kp, type);
	x25519_keypair_free(kp);
	return r;
}

int
v2_unlock_sealed(struct vault *v, uint8_t type, const unsigned char kek[FBV_KEY_BYTES])
{
	unsigned char ad[1 + FBV_PASS_SLOT_AD + FBV_ID_BYTES];
	const struct slot *s = vault_slot(v, type);
	size_t pre = sealed_pre(type), adlen;
	unsigned char *sk;
	int r;

	if (s == NULL)
		return FBV_ERR_NO_SLOT;
	adlen = vault_wrap_ad(ad, v, s->type, s->body, pre);
	if ((sk = secret_alloc(FBV_X25519_BYTES)) == NULL)
		return FBV_ERR_NOMEM;
	if (aead_open(sk, s->body + pre + FBV_NONCE_BYTES, FBV_X25519_BYTES + FBV_TAG_BYTES,
	    ad, adlen, s->body + pre, kek) != FBV_OK) {
		r = FBV_ERR_WRONG_PASS;
	} else {
		/* The key was right: a stanza that does not open was changed. */
		r = v2_unlock_secret(v, sk, type);
		if (r == FBV_ERR_WRONG_PASS)
			r = FBV_ERR_CORRUPT;
	}
	secret_free(sk);
	return r;
}

int
v2_put_slot(struct vault *v, uint8_t type, const unsigned char *pre, size_t prelen,
    const unsigned char pk[FBV_X25519_BYTES], bool replace)
{
	struct slot *s = replace ? vault_slot(v, type) : NULL;
	unsigned char *body, *rec;

	if (!known(type) || prelen != stanza_off(type) || low_order(pk))
		return FBV_ERR_INVALID;
	if (s == NULL && v->nslots == FBV_SLOTS_MAX)
		return FBV_ERR_TOO_LARGE;
	if ((body = calloc(1, body_len(type))) == NULL)
		return FBV_ERR_NOMEM;
	if ((rec = malloc(FBV_X25519_BYTES)) == NULL) {
		free(body);
		return FBV_ERR_NOMEM;
	}
	if (prelen > 0)
		memcpy(body, pre, prelen);
	memcpy(rec, pk, FBV_X25519_BYTES);
	if (s == NULL) {
		s = &v->slots[v->nslots++];
	} else {
		free(s->body);
		free(s->rec);
	}
	s->type = type;
	s->len = body_len(type);
	s->body = body;
	s->rec = rec;
	s->rec_len = FBV_X25519_BYTES;
	v->changed = true;
	return FBV_OK;
}

/* body[pre, stanza) = nonce || kp's secret key sealed under kek. */
static void
seal_secret(const struct vault *v, uint8_t type, unsigned char *body,
    const struct x25519_keypair *kp, const unsigned char kek[FBV_KEY_BYTES])
{
	unsigned char ad[1 + FBV_PASS_SLOT_AD + FBV_ID_BYTES];
	size_t pre = sealed_pre(type);
	size_t adlen = vault_wrap_ad(ad, v, type, body, pre);

	random_bytes(body + pre, FBV_NONCE_BYTES);
	aead_seal(body + pre + FBV_NONCE_BYTES, kp->sk, FBV_X25519_BYTES, ad, adlen,
	    body + pre, kek);
}

/* A new key pair for a passphrase or keyring slot, its secret sealed under
 * kek after pre (the KDF inputs). If the old slot of that type opened v,
 * the new one is what reopens it. */
int
v2_set_sealed(struct vault *v, uint8_t type, const unsigned char *pre,
    const unsigned char kek[FBV_KEY_BYTES])
{
	unsigned char body[FBV2_PASS_STANZA_OFF];
	const struct slot *old = vault_slot(v, type);
	struct x25519_keypair *kp;
	size_t prelen = sealed_pre(type);
	bool was_cred = old != NULL && old->rec != NULL && v->cred != NULL &&
	    sodium_memcmp(old->rec, v->cred->pk, FBV_X25519_BYTES) == 0;
	int r;

	if ((r = x25519_keypair_generate(&kp)) != FBV_OK)
		return r;
	if (prelen > 0)
		memcpy(body, pre, prelen);
	seal_secret(v, type, body, kp, kek);
	r = v2_put_slot(v, type, body, stanza_off(type), kp->pk, true);
	if (r == FBV_OK && was_cred) {
		x25519_keypair_free(v->cred);
		v->cred = kp;
		kp = NULL;
	}
	x25519_keypair_free(kp);
	return r;
}

/* A version 1 slot as a version 2 one (format.h, "Conversion"). */
static int
convert_slot(struct vault *v, struct slot *s)
{
	struct x25519_keypair *kp = NULL;
	unsigned char *body;
	bool fresh = v->v1kek != NULL && v->v1kek_type == s->type;
	int r;

	if ((body = calloc(1, body_len(s->type))) == NULL)
		return FBV_ERR_NOMEM;
	memcpy(body, s->body, s->len);
	if (fresh && (r = x25519_keypair_generate(&kp)) == FBV_OK)
		seal_secret(v, s->type, body, kp, v->v1kek);
	else if (!fresh)
		r = x25519_keypair_from_secret(&kp, v->key);
	if (r == FBV_OK && (s->rec = malloc(FBV_X25519_BYTES)) == NULL)
		r = FBV_ERR_NOMEM;
	if (r != FBV_OK) {
		free(body);
		x25519_keypair_free(kp);
		return r;
	}
	memcpy(s->rec, kp->pk, FBV_X25519_BYTES);
	s->rec_len = FBV_X25519_BYTES;
	free(s->body);
	s->body = body;
	s->len = body_len(s->type);
	v->v1_key_kept |= !fresh;
	if (fresh || v->cred == NULL) {
		x25519_keypair_free(v->cred);
		v->cred = kp;
	} else {
		x25519_keypair_free(kp);
	}
	return FBV_OK;
}

int
v2_convert(struct vault *v)
{
	size_t i = 0;
	int r;

	if (v->version != FBV_VERSION || v->key == NULL)
		return FBV_ERR_INVALID;
	while (i < v->nslots) {
		struct slot *s = &v->slots[i];

		if (s->type == FBV_SLOT_TIMED || s->type == FBV_SLOT_RECIPIENT) {
			free(s->body);
			memmove(s, s + 1, (v->nslots - i - 1) * sizeof(*s));
			v->nslots--;
			continue;
		}
		if (known(s->type) && (r = convert_slot(v, s)) != FBV_OK)
			return r;
		i++;
	}
	v->version = FBV_VERSION2;
	v->generation = 0;
	v->changed = true;
	return FBV_OK;
}

static void
drop_expired(struct vault *v, int64_t now)
{
	size_t i = 0;

	while (i < v->nslots) {
		struct slot *s = &v->slots[i];

		if (!expired(s, now)) {
			i++;
			continue;
		}
		free(s->body);
		free(s->rec);
		memmove(s, s + 1, (v->nslots - i - 1) * sizeof(*s));
		v->nslots--;
	}
}

/* Seals key to every known slot; unknown slots are carried as they are. */
static int
wrap_all(struct vault *v, const unsigned char key[FBV_KEY_BYTES], uint64_t gen)
{
	unsigned char ctx[FBV2_STANZA_CTX_BYTES];
	size_t i;
	int r;

	for (i = 0; i < v->nslots; i++) {
		struct slot *s = &v->slots[i];

		if (!known(s->type))
			continue;
		if (s->rec == NULL || s->rec_len != FBV_X25519_BYTES)
			return FBV_ERR_INVALID;
		stanza_ctx(ctx, v, gen, i, s->type);
		if ((r = stanza_wrap(s->body + stanza_off(s->type), key, s->rec, ctx,
		    sizeof(ctx))) != FBV_OK)
			return r;
	}
	return FBV_OK;
}

static int
put_header(const struct vault *v, uint64_t gen, struct sbuf *out)
{
	size_t i;
	int r;

	if ((r = sbuf_put(out, FBV_MAGIC, FBV_MAGIC_BYTES)) != FBV_OK ||
	    (r = sbuf_put_u16(out, FBV_VERSION3)) != FBV_OK ||
	    (r = sbuf_put_u16(out, 0)) != FBV_OK ||
	    (r = sbuf_put(out, v->id, FBV_ID_BYTES)) != FBV_OK ||
	    (r = sbuf_put_u64(out, gen)) != FBV_OK ||
	    (r = sbuf_put_u8(out, (uint8_t)v->nslots)) != FBV_OK)
		return r;
	for (i = 0; i < v->nslots; i++)
		if ((r = sbuf_put_u8(out, v->slots[i].type)) != FBV_OK ||
		    (r = sbuf_put_u16(out, v->slots[i].len)) != FBV_OK ||
		    (r = sbuf_put(out, v->slots[i].body, v->slots[i].len)) != FBV_OK)
			return r;
	return FBV_OK;
}

/* The payload's length: slot records and entries. */
static size_t
plain_len(const struct vault *v)
{
	size_t i, total = 1 + entries_encoded_len3(&v->entries);

	for (i = 0; i < v->nslots; i++)
		total += 3 + v->slots[i].rec_len;
	return total;
}

/* The payload, to the sealer as it is made. */
static void
write_plain(const struct vault *v, struct v3_sealer *s)
{
	unsigned char b[3];
	size_t i;

	b[0] = (unsigned char)v->nslots;
	v3_seal_put(s, b, 1);
	for (i = 0; i < v->nslots; i++) {
		b[0] = v->slots[i].type;
		le_put16(b + 1, v->slots[i].rec_len);
		v3_seal_put(s, b, 3);
		if (v->slots[i].rec_len > 0)
			v3_seal_put(s, v->slots[i].rec, v->slots[i].rec_len);
	}
	entries_write3(&v->entries, v3_seal_put, s);
}

/* What the file now is becomes v's: header, MAC, prefix, length, the last
 * tag (not the payload's bytes: the entries are what it holds), key. */
static int
adopt(struct vault *v, const struct sbuf *file, size_t hdr_len, const unsigned char *c,
    size_t clen, const unsigned char key[FBV_KEY_BYTES], uint64_t gen)
{
	unsigned char *hdr;
	int r;

	if ((hdr = malloc(hdr_len)) == NULL)
		return FBV_ERR_NOMEM;
	if ((r = v3_adopt(v, file, hdr_len, c, clen)) != FBV_OK) {
		free(hdr);
		return r;
	}
	memcpy(hdr, file->data, hdr_len);
	free(v->hdr);
	v->hdr = hdr;
	v->hdr_len = hdr_len;
	memcpy(v->key, key, FBV_KEY_BYTES);
	v->generation = gen;
	v->version = FBV_VERSION3;
	v->dirty = v->changed = false;
	return FBV_OK;
}

int
v2_save(struct vault *v, bool exclusive)
{
	struct v3_sealer sealer;
	struct sbuf file;
	unsigned char *key = NULL, *c = NULL;
	uint64_t gen = v->generation + 1;
	size_t hdr_len = 0, clen = 0;
	int r;

	sbuf_init(&file, FBV_FILE_MAX);
	if (v->key == NULL) {
		r = FBV_ERR_INVALID;
		goto out;
	}
	/* every entry, while the key that opened them is at hand */
	if ((r = vault_open_all(v)) != FBV_OK)
		goto out;
	drop_expired(v, (int64_t)time(NULL));
	if ((key = secret_alloc(FBV_KEY_BYTES)) == NULL) {
		r = FBV_ERR_NOMEM;
		goto out;
	}
	random_bytes(key, FBV_KEY_BYTES);
	if ((r = wrap_all(v, key, gen)) != FBV_OK || (r = put_header(v, gen, &file)) != FBV_OK)
		goto out;
	hdr_len = file.len;
	if ((r = v3_seal_begin(&sealer, &file, plain_len(v), key)) != FBV_OK)
		goto out;
	write_plain(v, &sealer);
	if ((r = v3_seal_end(&sealer, &c, &clen)) != FBV_OK ||
	    (r = store_write_parts(v->path, file.data, file.len, c, clen,
	    exclusive ? STORE_EXCLUSIVE : 0)) != FBV_OK ||
	    (r = adopt(v, &file, hdr_len, c, clen, key, gen)) != FBV_OK)
		goto out;
out:
	free(c);
	secret_free(key);
	sbuf_free(&file);
	return r;
}
