/* The recipients file parser (vault/recipients.h) against its vectors in
 * tests/vectors/recipients: expected.txt gives, per file, the error (or
 * OK), the line at fault and the number of members. Then properties:
 * what recipients_format() writes parses back to the same members, and
 * members_add() refuses what the parser refuses.
 *
 *   unit_recipients DIR */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../../crypto/errors.h"
#include "../../vault/recipients.h"
#include "check.h"

static const struct { const char *name; int code; } codes[] = {
	{ "OK", FBV_OK }, { "KEY_FORMAT", FBV_ERR_KEY_FORMAT }, { "KEY_PREFIX", FBV_ERR_KEY_PREFIX },
	{ "KEY_CHECKSUM", FBV_ERR_KEY_CHECKSUM }, { "KEY_LENGTH", FBV_ERR_KEY_LENGTH },
	{ "BAD_LABEL", FBV_ERR_BAD_LABEL }, { "DUP_RECIPIENT", FBV_ERR_DUP_RECIPIENT },
	{ "TOO_LARGE", FBV_ERR_TOO_LARGE },
};

static int
code_of(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(codes[i].name, name) == 0)
			return codes[i].code;
	return 1;
}

static int
slurp(const char *path, unsigned char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || (*buf = malloc((size_t)n + 1)) == NULL) {
		if (f != NULL)
			fclose(f);
		return -1;
	}
	*len = fread(*buf, 1, (size_t)n, f);
	fclose(f);
	return *len == (size_t)n ? 0 : -1;
}

/* A parsed file, formatted and parsed again, gives the same members. */
static void
round_trip(const struct members *m, const char *name)
{
	struct members again;
	struct sbuf out;
	size_t line, i;

	sbuf_init(&out, FBV_RECIPIENTS_FILE_MAX);
	CHECKF(recipients_format(&out, m) == FBV_OK, "%s: format", name);
	CHECKF(recipients_parse(&again, &line, out.data, out.len) == FBV_OK, "%s: reparse", name);
	CHECKF(again.n == m->n, "%s: %zu members, then %zu", name, m->n, again.n);
	for (i = 0; i < m->n && i < again.n; i++)
		CHECKF(memcmp(again.v[i].pk, m->v[i].pk, 32) == 0 && again.v[i].flavor == m->v[i].flavor &&
		    strcmp(again.v[i].label, m->v[i].label) == 0, "%s: member %zu differs", name, i);
	sbuf_free(&out);
}

static void
vectors(const char *dir)
{
	char path[4096], name[256], want[64];
	unsigned char *buf;
	size_t len, line, wline, wn;
	struct members m;
	FILE *f;
	int r, count = 0;

	snprintf(path, sizeof(path), "%s/expected.txt", dir);
	if ((f = fopen(path, "r")) == NULL) {
		CHECKF(0, "cannot read %s", path);
		return;
	}
	while (fscanf(f, "%255s", name) == 1) {
		if (name[0] == '#') {
			while (fgetc(f) != '\n' && !feof(f))
				;
			continue;
		}
		if (fscanf(f, "%63s %zu %zu", want, &wline, &wn) != 3) {
			CHECKF(0, "expected.txt: bad line for %s", name);
			break;
		}
		count++;
		snprintf(path, sizeof(path), "%s/%s.txt", dir, name);
		if (slurp(path, &buf, &len) != 0) {
			CHECKF(0, "cannot read %s", path);
			continue;
		}
		r = recipients_parse(&m, &line, buf, len);
		CHECKF(r == code_of(want), "%s: code %d, wanted %s", name, r, want);
		CHECKF(line == wline, "%s: line %zu, wanted %zu", name, line, wline);
		CHECKF(r != FBV_OK || m.n == wn, "%s: %zu members, wanted %zu", name, m.n, wn);
		if (r == FBV_OK)
			round_trip(&m, name);
		free(buf);
	}
	fclose(f);
	CHECKF(count >= 20, "only %d vectors", count);
}

static void
properties(void)
{
	unsigned char pk[32] = { 9 };
	struct members m;
	char label[80];

	memset(&m, 0, sizeof(m));
	CHECK(members_add(&m, pk, KEY_FBV, "alice") == FBV_OK);
	CHECK(members_add(&m, pk, KEY_FBV, "bob") == FBV_ERR_DUP_RECIPIENT);
	pk[0] = 10;
	CHECK(members_add(&m, pk, KEY_FBV, "alice") == FBV_ERR_DUP_RECIPIENT);
	CHECK(members_add(&m, pk, KEY_FBV, "a b") == FBV_ERR_BAD_LABEL);
	memset(label, 'x', 65);
	label[65] = '\0';
	CHECK(members_add(&m, pk, KEY_FBV, label) == FBV_ERR_BAD_LABEL);
	label[64] = '\0';
	CHECK(members_add(&m, pk, KEY_AGE, label) == FBV_OK);
	CHECK(members_find(&m, pk) == &m.v[1]);
	members_remove(&m, pk);
	CHECK(m.n == 1 && members_find(&m, pk) == NULL);
	round_trip(&m, "built");
	CHECK(label_check("ci.runner-1@example+x", 21) == FBV_OK);
	CHECK(label_check("", 0) == FBV_ERR_BAD_LABEL);
	CHECK(label_check("a\0b", 3) == FBV_ERR_BAD_LABEL);
}

int
main(int argc, char **argv)
{
	if (sodium_init() < 0 || argc != 2) {
		fprintf(stderr, "usage: unit_recipients DIR\n");
		return 2;
	}
	vectors(argv[1]);
	properties();
	return check_report("unit_recipients");
}
