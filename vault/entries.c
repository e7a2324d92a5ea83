#include <stdlib.h>
#include <string.h>

#include "../crypto/errors.h"
#include "entries.h"
#include "wire.h"

#define META_MAX 65535U

/* Bytes a name may hold: letters, digits and "._-/:". */
static bool
name_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '.' || c == '_' || c == '-' || c == '/' || c == ':';
}

/* One pass over the name (decoding checks every name of a vault). */
int
name_check(const char *name)
{
	size_t i;

	if (name[0] == '\0' || name[0] == '/' || name[0] == '-')
		return FBV_ERR_BAD_NAME;
	for (i = 0; name[i] != '\0'; i++)
		if (i == FBV_NAME_MAX || !name_char((unsigned char)name[i]) ||
		    (name[i] == '.' && name[i + 1] == '.'))
			return FBV_ERR_BAD_NAME;
	return FBV_OK;
}

static void
entry_clear(struct entry *e)
{
	if (e->name_owned)
		free(e->name);
	if (e->value_owned)
		secret_free(e->value);
	if (e->meta_owned)
		free(e->meta);
	memset(e, 0, sizeof(*e));
}

void
entries_free(struct entries *es)
{
	size_t i;

	for (i = 0; i < es->n; i++)
		entry_clear(&es->v[i]);
	free(es->v);
	free(es->names);
	memset(es, 0, sizeof(*es));
}

/* Index of name, or of where it would be inserted. */
static size_t
entries_search(const struct entries *es, const char *name, bool *found)
{
	size_t lo = 0, hi = es->n;

	*found = false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(es->v[mid].name, name);

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct entry *
entries_find(const struct entries *es, const char *name)
{
	bool found;
	size_t i = entries_search(es, name, &found);

	return found ? &es->v[i] : NULL;
}

static int
entries_grow(struct entries *es)
{
	size_t cap;
	struct entry *v;

	if (es->n < es->cap)
		return FBV_OK;
	cap = es->cap == 0 ? 16 : es->cap * 2;
	if ((v = reallocarray(es->v, cap, sizeof(*v))) == NULL)
		return FBV_ERR_NOMEM;
	es->v = v;
	es->cap = cap;
	return FBV_OK;
}

static int
value_copy(struct entry *e, const unsigned char *value, size_t len)
{
	unsigned char *p;

	if (len > FBV_VALUE_MAX)
		return FBV_ERR_TOO_LARGE;
	if ((p = secret_alloc(len)) == NULL)
		return FBV_ERR_NOMEM;
	if (len > 0)
		memcpy(p, value, len);
	if (e->value_owned)
		secret_free(e->value);
	e->value = p;
	e->value_len = len;
	e->value_owned = true;
	return FBV_OK;
}

int
entries_put(struct entries *es, const char *name, const unsigned char *value,
    size_t len, bool replace, int64_t now, struct entry **out)
{
	struct entry fresh = { 0 };
	bool found;
	size_t i;
	int r;

	if ((r = name_check(name)) != FBV_OK)
		return r;
	i = entries_search(es, name, &found);
	if (found) {
		if (!replace)
			return FBV_ERR_EXISTS;
		if ((r = value_copy(&es->v[i], value, len)) != FBV_OK)
			return r;
		es->v[i].updated = now;
		*out = &es->v[i];
		return FBV_OK;
	}
	if ((r = entries_grow(es)) != FBV_OK)
		return r;
	if ((fresh.name = strdup(name)) == NULL)
		return FBV_ERR_NOMEM;
	fresh.name_owned = true;
	if ((r = value_copy(&fresh, value, len)) != FBV_OK) {
		entry_clear(&fresh);
		return r;
	}
	fresh.created = fresh.updated = now;
	memmove(&es->v[i + 1], &es->v[i], (es->n - i) * sizeof(*es->v));
	es->v[i] = fresh;
	es->n++;
	*out = &es->v[i];
	return FBV_OK;
}

int
entries_remove(struct entries *es, const char *name)
{
	bool found;
	size_t i = entries_search(es, name, &found);

	if (!found)
		return FBV_ERR_NO_ENTRY;
	entry_clear(&es->v[i]);
	memmove(&es->v[i], &es->v[i + 1], (es->n - i - 1) * sizeof(*es->v));
	es->n--;
	return FBV_OK;
}

static int
meta_check(const unsigned char *m, size_t len)
{
	struct reader r = { m, len, 0 };
	uint64_t tag, n;

	while (reader_left(&r) > 0) {
		if (reader_uint(&r, 1, &tag) != 0 || tag == 0 ||
		    reader_uint(&r, 2, &n) != 0 || reader_take(&r, n) == NULL)
			return FBV_ERR_CORRUPT;
	}
	return FBV_OK;
}

/* One entry: its name copied to *names (and its NUL), the rest pointing
 * into the payload. */
static int
entry_decode(struct reader *r, struct entry *e, char **names)
{
	const unsigned char *p;
	uint64_t n, t;

	if (reader_uint(r, 2, &n) != 0 || n == 0 || n > FBV_NAME_MAX ||
	    (p = reader_take(r, n)) == NULL || memchr(p, 0, n) != NULL)
		return FBV_ERR_CORRUPT;
	e->name = *names;
	memcpy(e->name, p, n);
	e->name[n] = '\0';
	*names += n + 1;
	if (name_check(e->name) != FBV_OK)
		return FBV_ERR_CORRUPT;
	if (reader_uint(r, 4, &n) != 0 || n > FBV_VALUE_MAX ||
	    (p = reader_take(r, n)) == NULL)
		return FBV_ERR_CORRUPT;
	e->value = (unsigned char *)(uintptr_t)p;
	e->value_len = n;
	if (reader_uint(r, 8, &t) != 0)
		return FBV_ERR_CORRUPT;
	e->created = (int64_t)t;
	if (reader_uint(r, 8, &t) != 0)
		return FBV_ERR_CORRUPT;
	e->updated = (int64_t)t;
	if (reader_uint(r, 2, &n) != 0 || (p = reader_take(r, n)) == NULL ||
	    meta_check(p, n) != FBV_OK)
		return FBV_ERR_CORRUPT;
	if (n > 0) {
		e->meta = (unsigned char *)(uintptr_t)p;
		e->meta_len = n;
	}
	return FBV_OK;
}

/* Two allocations, not two per entry: the array, and one block for every
 * name. The block is sized by the payload (names and their NULs take less:
 * each entry has 22 more bytes), and only the part used is ever touched. */
int
entries_decode(struct entries *es, const unsigned char *plain, size_t len)
{
	struct reader r = { plain, len, 0 };
	uint64_t count, i;
	char *next;
	int ret;

	memset(es, 0, sizeof(*es));
	if (reader_uint(&r, 4, &count) != 0 || count > len / 23)
		return FBV_ERR_CORRUPT;
	if (count == 0)
		return reader_left(&r) == 0 ? FBV_OK : FBV_ERR_CORRUPT;
	if ((es->v = calloc(count, sizeof(*es->v))) == NULL ||
	    (es->names = malloc(len)) == NULL) {
		entries_free(es);
		return FBV_ERR_NOMEM;
	}
	es->cap = count;
	next = es->names;
	for (i = 0; i < count; i++) {
		ret = entry_decode(&r, &es->v[i], &next);
		es->n++;
		if (ret == FBV_OK && i > 0 && strcmp(es->v[i - 1].name, es->v[i].name) >= 0)
			ret = FBV_ERR_CORRUPT;
		if (ret != FBV_OK)
			goto fail;
	}
	if (reader_left(&r) != 0) {
		ret = FBV_ERR_CORRUPT;
		goto fail;
	}
	return FBV_OK;
fail:
	entries_free(es);
	return ret;
}

size_t
entries_encoded_len(const struct entries *es)
{
	size_t i, total = 4;

	for (i = 0; i < es->n; i++)
		total += 2 + strlen(es->v[i].name) + 4 + es->v[i].value_len + 8 + 8 + 2 +
		    es->v[i].meta_len;
	return total;
}

/* Appends at p what entry e encodes to; returns the end. */
static unsigned char *
entry_encode(unsigned char *p, const struct entry *e)
{
	size_t nlen = strlen(e->name);

	le_put16(p, (uint16_t)nlen);
	memcpy(p + 2, e->name, nlen);
	p += 2 + nlen;
	le_put32(p, (uint32_t)e->value_len);
	if (e->value_len > 0)
		memcpy(p + 4, e->value, e->value_len);
	p += 4 + e->value_len;
	le_put64(p, (uint64_t)e->created);
	le_put64(p + 8, (uint64_t)e->updated);
	le_put16(p + 16, (uint16_t)e->meta_len);
	if (e->meta_len > 0)
		memcpy(p + 18, e->meta, e->meta_len);
	return p + 18 + e->meta_len;
}

int
entries_encode(const struct entries *es, struct sbuf *out)
{
	size_t i, total = entries_encoded_len(es);
	unsigned char *p;
	int r;

	/* The exact size first: one secret buffer, no doubling and copying;
	 * then the fields written where they go. */
	if ((r = sbuf_reserve(out, total)) != FBV_OK)
		return r;
	p = out->data + out->len;
	le_put32(p, (uint32_t)es->n);
	p += 4;
	for (i = 0; i < es->n; i++)
		p = entry_encode(p, &es->v[i]);
	out->len += total;
	return FBV_OK;
}

/* Finds tag's record; *at is its offset in e->meta. */
static const unsigned char *
meta_find(const struct entry *e, enum meta_tag tag, size_t *len, size_t *at)
{
	struct reader r = { e->meta, e->meta_len, 0 };
	uint64_t t, n;

	while (reader_left(&r) > 0) {
		size_t start = r.off;
		const unsigned char *p;

		if (reader_uint(&r, 1, &t) != 0 || reader_uint(&r, 2, &n) != 0 ||
		    (p = reader_take(&r, n)) == NULL)
			return NULL;
		if (t == (uint64_t)tag) {
			*len = n;
			if (at != NULL)
				*at = start;
			return p;
		}
	}
	return NULL;
}

bool
meta_has(const struct entry *e, enum meta_tag tag)
{
	size_t len;

	return meta_find(e, tag, &len, NULL) != NULL;
}

int
meta_get_str(const struct entry *e, enum meta_tag tag, const char **s, size_t *len)
{
	const unsigned char *p = meta_find(e, tag, len, NULL);

	if (p == NULL)
		return FBV_ERR_NO_ENTRY;
	*s = (const char *)p;
	return FBV_OK;
}

int
meta_get_int(const struct entry *e, enum meta_tag tag, int64_t *v)
{
	size_t len;
	const unsigned char *p = meta_find(e, tag, &len, NULL);

	if (p == NULL)
		return FBV_ERR_NO_ENTRY;
	if (len != 8)
		return FBV_ERR_CORRUPT;
	*v = (int64_t)le_get64(p);
	return FBV_OK;
}

void
meta_clear(struct entry *e, enum meta_tag tag)
{
	size_t len, at;

	/* in place, even in the payload: these bytes are this entry's alone */
	if (meta_find(e, tag, &len, &at) == NULL)
		return;
	memmove(e->meta + at, e->meta + at + 3 + len, e->meta_len - at - 3 - len);
	e->meta_len -= 3 + len;
}

static int
meta_set(struct entry *e, enum meta_tag tag, const void *v, size_t len)
{
	unsigned char *m;

	meta_clear(e, tag);
	if (len > 0xffff || e->meta_len + 3 + len > META_MAX)
		return FBV_ERR_TOO_LARGE;
	/* metadata still in the payload is copied out at its first growth */
	if (e->meta_owned)
		m = realloc(e->meta, e->meta_len + 3 + len);
	else if ((m = malloc(e->meta_len + 3 + len)) != NULL && e->meta_len > 0)
		memcpy(m, e->meta, e->meta_len);
	if (m == NULL)
		return FBV_ERR_NOMEM;
	e->meta_owned = true;
	m[e->meta_len] = (unsigned char)tag;
	le_put16(m + e->meta_len + 1, (uint16_t)len);
	if (len > 0)
		memcpy(m + e->meta_len + 3, v, len);
	e->meta = m;
	e->meta_len += 3 + len;
	return FBV_OK;
}

int
meta_set_str(struct entry *e, enum meta_tag tag, const char *s)
{
	return meta_set(e, tag, s, strlen(s));
}

int
meta_set_int(struct entry *e, enum meta_tag tag, int64_t v)
{
	unsigned char le[8];

	le_put64(le, (uint64_t)v);
	return meta_set(e, tag, le, sizeof(le));
}
