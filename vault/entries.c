#include <stdlib.h>
#include <string.h>

#include "../crypto/errors.h"
#include "entries.h"
#include "wire.h"

#define META_MAX 65535U

/* Bytes a name may hold: letters, digits and "._-/:" (1), of which '.' is
 * also marked 2, since ".." is refused. */
#define NAME_OK 1
#define NAME_DOT 2
static const unsigned char name_class[256] = {
	['.'] = NAME_OK | NAME_DOT, ['_'] = NAME_OK, ['-'] = NAME_OK, ['/'] = NAME_OK,
	[':'] = NAME_OK,
	['0'] = NAME_OK, ['1'] = NAME_OK, ['2'] = NAME_OK, ['3'] = NAME_OK, ['4'] = NAME_OK,
	['5'] = NAME_OK, ['6'] = NAME_OK, ['7'] = NAME_OK, ['8'] = NAME_OK, ['9'] = NAME_OK,
	['A'] = NAME_OK, ['B'] = NAME_OK, ['C'] = NAME_OK, ['D'] = NAME_OK, ['E'] = NAME_OK,
	['F'] = NAME_OK, ['G'] = NAME_OK, ['H'] = NAME_OK, ['I'] = NAME_OK, ['J'] = NAME_OK,
	['K'] = NAME_OK, ['L'] = NAME_OK, ['M'] = NAME_OK, ['N'] = NAME_OK, ['O'] = NAME_OK,
	['P'] = NAME_OK, ['Q'] = NAME_OK, ['R'] = NAME_OK, ['S'] = NAME_OK, ['T'] = NAME_OK,
	['U'] = NAME_OK, ['V'] = NAME_OK, ['W'] = NAME_OK, ['X'] = NAME_OK, ['Y'] = NAME_OK,
	['Z'] = NAME_OK,
	['a'] = NAME_OK, ['b'] = NAME_OK, ['c'] = NAME_OK, ['d'] = NAME_OK, ['e'] = NAME_OK,
	['f'] = NAME_OK, ['g'] = NAME_OK, ['h'] = NAME_OK, ['i'] = NAME_OK, ['j'] = NAME_OK,
	['k'] = NAME_OK, ['l'] = NAME_OK, ['m'] = NAME_OK, ['n'] = NAME_OK, ['o'] = NAME_OK,
	['p'] = NAME_OK, ['q'] = NAME_OK, ['r'] = NAME_OK, ['s'] = NAME_OK, ['t'] = NAME_OK,
	['u'] = NAME_OK, ['v'] = NAME_OK, ['w'] = NAME_OK, ['x'] = NAME_OK, ['y'] = NAME_OK,
	['z'] = NAME_OK,
};

/* One pass over the n bytes of a name (decoding checks every name of a
 * vault, where it lies in the payload): a table lookup a byte, and the
 * previous byte's class kept for "..". */
static int
name_check_bytes(const char *name, size_t n)
{
	unsigned prev = 0, c;
	size_t i;

	if (n == 0 || n > FBV_NAME_MAX || name[0] == '/' || name[0] == '-')
		return FBV_ERR_BAD_NAME;
	for (i = 0; i < n; i++) {
		c = name_class[(unsigned char)name[i]];
		if (c == 0 || (c & prev & NAME_DOT) != 0)
			return FBV_ERR_BAD_NAME;
		prev = c;
	}
	return FBV_OK;
}

int
name_check(const char *name)
{
	return name_check_bytes(name, strnlen(name, FBV_NAME_MAX + 1));
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

	/* While entries are filled in on use (off), none owns anything (an edit
	 * fills in all first): the array's untouched pages stay untouched. */
	for (i = 0; es->off == NULL && i < es->n; i++)
		entry_clear(&es->v[i]);
	free(es->v);
	free(es->names);
	free(es->off);
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

/* The order of entry i's name (where it lies in the payload) against the
 * len bytes of name: strcmp's order, names holding no NUL. */
static int
raw_cmp(const struct entries *es, size_t i, const char *name, size_t len)
{
	const unsigned char *p = es->raw + es->off[i];
	size_t n;
	int c;

	if (es->v3) {
		n = p[-1];
	} else {
		n = le_get16(p);
		p += 2;
	}
	c = memcmp(p, name, n < len ? n : len);

	return c != 0 ? c : (n > len) - (n < len);
}

/* A binary search over the names where they lie: only the entry found is
 * filled in. */
static struct entry *
raw_find(const struct entries *es, const char *name)
{
	size_t lo = 0, hi = es->n, len = strlen(name);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = raw_cmp(es, mid, name, len);

		if (c == 0)
			return entries_at(es, mid);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

struct entry *
entries_find(const struct entries *es, const char *name)
{
	bool found;
	size_t i;

	if (es->off != NULL)
		return raw_find(es, name);
	i = entries_search(es, name, &found);
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
	entries_fill(es);
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
	size_t i;

	entries_fill(es);
	i = entries_search(es, name, &found);

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

/* Checks one entry where it lies; *name and *nlen: its name, *vlen: its
 * value's length. In a version 3 directory (apart) the value's bytes are
 * not there. */
static int
entry_check(struct reader *r, bool apart, const unsigned char **name, size_t *nlen,
    size_t *vlen)
{
	const unsigned char *p;
	uint64_t n;

	if (reader_uint(r, 2, &n) != 0 || (p = reader_take(r, n)) == NULL ||
	    name_check_bytes((const char *)p, n) != FBV_OK)
		return FBV_ERR_CORRUPT;
	*name = p;
	*nlen = n;
	if (reader_uint(r, 4, &n) != 0 || n > FBV_VALUE_MAX ||
	    (!apart && reader_take(r, n) == NULL))
		return FBV_ERR_CORRUPT;
	*vlen = n;
	if (reader_take(r, 16) == NULL ||
	    reader_uint(r, 2, &n) != 0 || (p = reader_take(r, n)) == NULL ||
	    meta_check(p, n) != FBV_OK)
		return FBV_ERR_CORRUPT;
	return FBV_OK;
}

/* Entry i, checked by entries_decode(), as a struct entry: its name copied
 * to the name block (with its NUL), value and metadata pointing into the
 * payload. */
/* Version 3: entry i's record and value, [*rs, *re) and [*vs, *ve). */
static void
spans3(const struct entries *es, size_t i, uint32_t *rs, uint32_t *re, uint32_t *vs,
    uint32_t *ve)
{
	const unsigned char *p = es->idx + 8 * i;

	*rs = i > 0 ? le_get32(p - 8) : 0;
	*vs = i > 0 ? le_get32(p - 4) : 0;
	*re = le_get32(p);
	*ve = le_get32(p + 4);
}

/* Version 3: the record (checked now: it was not when decoded), and the
 * value unless only the head is asked for (value stays NULL). */
static void
entry_fill3(struct entries *es, struct entry *e, size_t i, bool value)
{
	uint32_t rs, re, vs, ve;
	unsigned char *rec;

	spans3(es, i, &rs, &re, &vs, &ve);
	rec = es->records + rs;
	if (!es->records_ok) {
		es->need(es->need_ctx, rec, re - rs);
		if (meta_check(rec + 16, re - rs - 16) != FBV_OK)
			es->need(es->need_ctx, NULL, 0);        /* does not return */
	}
	e->created = (int64_t)le_get64(rec);
	e->updated = (int64_t)le_get64(rec + 8);
	e->meta_len = re - rs - 16;
	e->meta = e->meta_len > 0 ? rec + 16 : NULL;
	e->value_len = ve - vs;
	if (value) {
		e->value = es->values + vs;
		if (e->value_len > 0)
			es->need(es->need_ctx, e->value, e->value_len);
	}
}

/* Entry i, checked by entries_decode(), as e: its name copied to name
 * (with its NUL; *used: the bytes taken), value and metadata pointing into
 * the payload. */
static void
entry_decode(const struct entries *es, size_t i, struct entry *e, char *name, size_t *used,
    bool value)
{
	const unsigned char *p = es->raw + es->off[i];
	size_t n;

	if (es->v3) {
		n = p[-1];
		/* not checked when decoded (entries_decode3): checked when used */
		if (!es->records_ok && name_check_bytes((const char *)p, n) != FBV_OK)
			es->need(es->need_ctx, NULL, 0);        /* does not return */
		e->name = name;
		memcpy(e->name, p, n);
		e->name[n] = '\0';
		*used = n + 1;
		entry_fill3((struct entries *)(uintptr_t)es, e, i, value);
		return;
	}
	n = le_get16(p);
	e->name = name;
	memcpy(e->name, p + 2, n);
	e->name[n] = '\0';
	*used = n + 1;
	p += 2 + n;
	e->value_len = le_get32(p);
	e->value = (unsigned char *)(uintptr_t)(p + 4);
	p += 4 + e->value_len;
	e->created = (int64_t)le_get64(p);
	e->updated = (int64_t)le_get64(p + 8);
	e->meta_len = le_get16(p + 16);
	e->meta = e->meta_len > 0 ? (unsigned char *)(uintptr_t)(p + 18) : NULL;
}

/* Entry i into the array, its name into the name block. */
static void
entry_fill(struct entries *es, size_t i)
{
	size_t used;

	entry_decode(es, i, &es->v[i], es->names + es->names_used, &used, true);
	es->names_used += used;
	es->nfilled++;
}

const struct entry *
entries_peek(const struct entries *es, size_t i, struct entry *tmp, char name[FBV_NAME_MAX + 1])
{
	size_t used;

	if (i >= es->n)
		return NULL;
	/* the array's untouched pages stay untouched while none is filled in */
	if (es->off == NULL || (es->nfilled > 0 && es->v[i].name != NULL))
		return &es->v[i];
	memset(tmp, 0, sizeof(*tmp));
	entry_decode(es, i, tmp, name, &used, false);
	return tmp;
}

struct entry *
entries_at(const struct entries *es, size_t i)
{
	/* filling in is not a change: the entries are what was decoded */
	struct entries *w = (struct entries *)(uintptr_t)es;

	if (i >= es->n)
		return NULL;
	if (es->off != NULL && es->v[i].name == NULL)
		entry_fill(w, i);
	return &w->v[i];
}

void
entries_fill(struct entries *es)
{
	size_t i;

	if (es->off == NULL)
		return;
	if (es->v3) {   /* at once */
		es->need(es->need_ctx, es->records, es->records_len);
		es->need(es->need_ctx, es->values, es->values_len);
	}
	for (i = 0; i < es->n; i++)
		entries_at(es, i);
	free(es->off);
	es->off = NULL;
}

/* Whether name (len bytes) sorts strictly after prev (none: NULL), in
 * strcmp's order of names holding no NUL. */
static bool
after(const unsigned char *prev, size_t prev_len, const unsigned char *name, size_t len)
{
	int c;

	if (prev == NULL)
		return true;
	c = memcmp(prev, name, prev_len < len ? prev_len : len);
	return c < 0 || (c == 0 && prev_len < len);
}

/* Checks every entry where it lies (names, lengths, order, metadata) and
 * notes where each starts; the array is allocated but not written (its
 * pages are touched only for the entries used), and the name block is
 * sized by the payload (names and their NULs take less: each entry has 22
 * more bytes) and filled only as entries are. */
int
entries_decode(struct entries *es, const unsigned char *plain, size_t len)
{
	struct reader r = { plain, len, 0 };
	const unsigned char *name, *prev = NULL;
	size_t nlen, vlen, prev_len = 0;
	uint64_t count, i;

	memset(es, 0, sizeof(*es));
	if (reader_uint(&r, 4, &count) != 0 || count > len / 23)
		return FBV_ERR_CORRUPT;
	if (count == 0)
		return reader_left(&r) == 0 ? FBV_OK : FBV_ERR_CORRUPT;
	if ((es->off = malloc(count * sizeof(*es->off))) == NULL)
		return FBV_ERR_NOMEM;
	for (i = 0; i < count; i++) {
		es->off[i] = (uint32_t)r.off;
		if (entry_check(&r, false, &name, &nlen, &vlen) != FBV_OK ||
		    !after(prev, prev_len, name, nlen))
			goto corrupt;
		prev = name;
		prev_len = nlen;
	}
	if (reader_left(&r) != 0)
		goto corrupt;
	if ((es->v = calloc(count, sizeof(*es->v))) == NULL ||
	    (es->names = malloc(len)) == NULL) {
		entries_free(es);
		return FBV_ERR_NOMEM;
	}
	es->n = es->cap = count;
	es->raw = plain;
	return FBV_OK;
corrupt:
	entries_free(es);
	return FBV_ERR_CORRUPT;
}

/* The structure is checked now, in one pass each: the names' lengths, the
 * index's ends (each record at least its 16 bytes of times, each value at
 * most FBV_VALUE_MAX) and that they end where the records and values do.
 * A name's bytes and the names' order are checked when the name is used
 * (entry_decode()) and all of them by entries_check3(): a get at 10,000
 * entries reads one name, not 10,000. Every name takes two bytes at least,
 * so count <= names length / 2. */
int
entries_decode3(struct entries *es, unsigned char *plain, size_t len,
    void (*need)(void *ctx, const unsigned char *p, size_t len), void *ctx)
{
	struct reader r = { plain, len, 0 };
	const unsigned char *names, *idx, *p, *end;
	unsigned char *records;
	uint64_t count, nlen, rlen, i;
	uint32_t re, ve, pr = 0, pv = 0;
	size_t l;

	memset(es, 0, sizeof(*es));
	if (reader_uint(&r, 4, &count) != 0 || reader_uint(&r, 4, &nlen) != 0 ||
	    count > nlen / 2 || (names = reader_take(&r, nlen)) == NULL ||
	    (idx = reader_take(&r, 8 * count)) == NULL || reader_uint(&r, 4, &rlen) != 0 ||
	    (records = (unsigned char *)(uintptr_t)reader_take(&r, rlen)) == NULL)
		return FBV_ERR_CORRUPT;
	if (count > 0 && (es->off = malloc(count * sizeof(*es->off))) == NULL)
		return FBV_ERR_NOMEM;
	for (i = 0, p = names, end = names + nlen; i < count; i++) {
		if (p == end)
			goto corrupt;
		l = *p++;
		if (l == 0 || l > FBV_NAME_MAX || l > (size_t)(end - p))
			goto corrupt;
		es->off[i] = (uint32_t)(p - names);
		p += l;
	}
	if (p != end)
		goto corrupt;
	for (i = 0; i < count; i++) {
		re = le_get32(idx + 8 * i);
		ve = le_get32(idx + 8 * i + 4);
		if (re < pr || re - pr < 16 || re - pr - 16 > META_MAX || ve < pv ||
		    ve - pv > FBV_VALUE_MAX)
			goto corrupt;
		pr = re;
		pv = ve;
	}
	if (pr != rlen || pv != reader_left(&r))
		goto corrupt;
	if (count > 0 && ((es->v = calloc(count, sizeof(*es->v))) == NULL ||
	    (es->names = malloc(nlen)) == NULL)) {
		entries_free(es);
		return FBV_ERR_NOMEM;
	}
	es->n = es->cap = count;
	es->raw = names;
	es->v3 = true;
	es->idx = idx;
	es->records = records;
	es->records_len = rlen;
	es->values = plain + r.off;
	es->values_len = reader_left(&r);
	es->need = need;
	es->need_ctx = ctx;
	return FBV_OK;
corrupt:
	entries_free(es);
	return FBV_ERR_CORRUPT;
}

int
entries_records3(const struct entries *es)
{
	int r;

	if (!es->v3 || es->off == NULL || es->records_ok)
		return FBV_OK;
	es->need(es->need_ctx, es->records, es->records_len);
	if ((r = entries_check3(es)) == FBV_OK)
		((struct entries *)(uintptr_t)es)->records_ok = true;     /* not a change */
	return r;
}

int
entries_check3(const struct entries *es)
{
	const unsigned char *p, *prev = NULL;
	uint32_t rs, re, vs, ve;
	size_t i, l, prev_len = 0;

	if (!es->v3 || es->off == NULL)
		return FBV_OK;
	for (i = 0; i < es->n; i++) {
		p = es->raw + es->off[i];
		l = p[-1];
		if (name_check_bytes((const char *)p, l) != FBV_OK || !after(prev, prev_len, p, l))
			return FBV_ERR_CORRUPT;
		prev = p;
		prev_len = l;
		spans3(es, i, &rs, &re, &vs, &ve);
		if (meta_check(es->records + rs + 16, re - rs - 16) != FBV_OK)
			return FBV_ERR_CORRUPT;
	}
	return FBV_OK;
}

size_t
entries_encoded_len(const struct entries *es)
{
	size_t i, total = 4;

	entries_fill((struct entries *)(uintptr_t)es);  /* not a change */
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

/* Version 3's lengths: names (A), records (R), values (V). */
static void
lengths3(const struct entries *es, size_t *a, size_t *r, size_t *v)
{
	size_t i;

	entries_fill((struct entries *)(uintptr_t)es);  /* not a change */
	*a = *r = *v = 0;
	for (i = 0; i < es->n; i++) {
		*a += 1 + strlen(es->v[i].name);
		*r += 16 + es->v[i].meta_len;
		*v += es->v[i].value_len;
	}
}

size_t
entries_encoded_len3(const struct entries *es)
{
	size_t a, r, v;

	lengths3(es, &a, &r, &v);
	return 8 + a + 8 * es->n + 4 + r + v;
}

/* Version 3, in order, to put(): count, names length, names, index,
 * records length, records, values; small fields gathered in buf first. */
void
entries_write3(const struct entries *es, void (*put)(void *ctx, const void *p, size_t n),
    void *ctx)
{
	unsigned char buf[1 + FBV_NAME_MAX];
	size_t i, a, rl, vl, nlen;
	uint32_t re = 0, ve = 0;

	lengths3(es, &a, &rl, &vl);
	le_put32(buf, (uint32_t)es->n);
	le_put32(buf + 4, (uint32_t)a);
	put(ctx, buf, 8);
	for (i = 0; i < es->n; i++) {
		nlen = strlen(es->v[i].name);
		buf[0] = (unsigned char)nlen;
		memcpy(buf + 1, es->v[i].name, nlen);
		put(ctx, buf, 1 + nlen);
	}
	for (i = 0; i < es->n; i++) {
		re += (uint32_t)(16 + es->v[i].meta_len);
		ve += (uint32_t)es->v[i].value_len;
		le_put32(buf, re);
		le_put32(buf + 4, ve);
		put(ctx, buf, 8);
	}
	le_put32(buf, (uint32_t)rl);
	put(ctx, buf, 4);
	for (i = 0; i < es->n; i++) {
		le_put64(buf, (uint64_t)es->v[i].created);
		le_put64(buf + 8, (uint64_t)es->v[i].updated);
		put(ctx, buf, 16);
		if (es->v[i].meta_len > 0)
			put(ctx, es->v[i].meta, es->v[i].meta_len);
	}
	for (i = 0; i < es->n; i++)
		if (es->v[i].value_len > 0)
			put(ctx, es->v[i].value, es->v[i].value_len);
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
meta_copy(struct entry *e, const struct entry *from)
{
	unsigned char *m = NULL;

	if (from->meta_len > 0 && (m = malloc(from->meta_len)) == NULL)
		return FBV_ERR_NOMEM;
	if (m != NULL)
		memcpy(m, from->meta, from->meta_len);
	if (e->meta_owned)
		free(e->meta);
	e->meta = m;
	e->meta_len = from->meta_len;
	e->meta_owned = m != NULL;
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
