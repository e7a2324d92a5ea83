/* The entries of an open vault: a sorted array, its payload encoding, and
 * typed metadata. Values live in secret memory. */
#ifndef FBV_ENTRIES_H
#define FBV_ENTRIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../crypto/secmem.h"
#include "format.h"

/* A decoded entry points into the decrypted payload (value, metadata) and
 * into its list's name block; what an edit gives it is its own (the
 * *_owned flags), freed with it. */
struct entry {
	char *name;
	unsigned char *value;   /* points into the payload, or owned */
	size_t value_len;
	bool value_owned;       /* secret_alloc()ed by this entry */
	bool name_owned;        /* malloc()ed by this entry, else in names */
	bool meta_owned;        /* malloc()ed by this entry, else in the payload */
	int64_t created;
	int64_t updated;
	unsigned char *meta;    /* TLV records, not secret */
	size_t meta_len;
};

/* Decoded entries are filled in on first use (entries_at(), entries_find()):
 * until then v[i] is zero. An edit (entries_put(), entries_remove(), or
 * changing an entry's metadata, which only an entry from vault_edit() or
 * vault_put() may do) fills in every one first. */
struct entries {
	struct entry *v;        /* sorted by name */
	size_t n;
	size_t cap;
	char *names;            /* decoded names, each with its NUL: one block */
	size_t names_used;
	const unsigned char *raw; /* the payload they were decoded from */
	uint32_t *off;          /* where each starts in raw; NULL once all filled */
	/* Version 3 (format.h): raw is the names block (name i starts at
	 * off[i], its length the byte before), idx the index; the records and
	 * values lie apart, used through need(), which makes [p, p + len)
	 * decrypted, or with p NULL says the payload is corrupt, and does not
	 * return if it cannot. */
	bool v3;
	bool records_ok;        /* every name and record checked (entries_records3) */
	size_t nfilled;         /* entries filled in so far */
	const unsigned char *idx;
	unsigned char *records;
	size_t records_len;
	unsigned char *values;
	size_t values_len;
	void (*need)(void *ctx, const unsigned char *p, size_t len);
	void *need_ctx;
};

int name_check(const char *name);

void entries_free(struct entries *es);
/* Entry i (NULL past the end), and the entry named name (NULL if none): a
 * binary search over the sorted names, where they lie while not filled. */
struct entry *entries_at(const struct entries *es, size_t i);
/* Entry i's name, times and metadata, filling in nothing: an entry not
 * filled in yet is decoded into tmp (value NULL: not read), its name into
 * name, until the next call; for a pass over every entry (list, status)
 * that reads no value and touches none of the array. */
const struct entry *entries_peek(const struct entries *es, size_t i, struct entry *tmp,
    char name[FBV_NAME_MAX + 1]);
struct entry *entries_find(const struct entries *es, const char *name);
/* Fills in every entry (the array is then complete, as an edit needs). */
void entries_fill(struct entries *es);
/* Stores a copy of value; replaces an existing entry only if replace. */
int entries_put(struct entries *es, const char *name, const unsigned char *value,
    size_t len, bool replace, int64_t now, struct entry **out);
int entries_remove(struct entries *es, const char *name);

/* Decoding checks every entry and keeps pointers into plain, which must
 * outlive es; it makes three allocations whatever the count (offsets, the
 * array, the name block), and fills in entries as they are used. */
int entries_decode(struct entries *es, const unsigned char *plain, size_t len);
/* The same for version 3 (format.h): plain is the entry count, the names,
 * the index, the records and the values, of which the structure of the
 * names and the index (decrypted) is checked now; a name's bytes and a
 * record when they are used, and every name (bytes and order) and record
 * by entries_check3(). */
int entries_decode3(struct entries *es, unsigned char *plain, size_t len,
    void (*need)(void *ctx, const unsigned char *p, size_t len), void *ctx);
int entries_check3(const struct entries *es);
/* Version 3: every record decrypted (need()), and every name and record
 * checked, for a pass over all entries (list, status); FBV_ERR_CORRUPT if
 * one does not parse or the names are out of order. */
int entries_records3(const struct entries *es);
/* The exact length entries_encode() and entries_write3() give. */
size_t entries_encoded_len(const struct entries *es);
size_t entries_encoded_len3(const struct entries *es);
int entries_encode(const struct entries *es, struct sbuf *out);
/* Version 3's encoding, in pieces, in order (format3.h's sealer takes
 * them): exactly entries_encoded_len3() bytes. */
void entries_write3(const struct entries *es, void (*put)(void *ctx, const void *p, size_t n),
    void *ctx);

int meta_get_str(const struct entry *e, enum meta_tag tag, const char **s, size_t *len);
bool meta_has(const struct entry *e, enum meta_tag tag);
int meta_get_int(const struct entry *e, enum meta_tag tag, int64_t *v);
int meta_set_str(struct entry *e, enum meta_tag tag, const char *s);
int meta_set_int(struct entry *e, enum meta_tag tag, int64_t v);
void meta_clear(struct entry *e, enum meta_tag tag);
/* e's metadata becomes a copy of from's (every record, as it is). */
int meta_copy(struct entry *e, const struct entry *from);

#endif
