/* The recipients file parser (vault/recipients.h) against its own rules.
 *
 * Input: the file. An accepted file has at most 16 members, no key or
 * label twice, every label in its alphabet; recipients_format() of it
 * parses back to the same members. A refused one names a line that
 * exists (or none, for what no line is at fault for), with one of the
 * documented errors. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../crypto/errors.h"
#include "../vault/recipients.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	return 0;
}

static size_t
lines(const uint8_t *d, size_t n)
{
	size_t i, k = n > 0 ? 1 : 0;

	for (i = 0; i + 1 < n; i++)
		k += d[i] == '\n';
	return k;
}

static void
accepted(const struct members *m)
{
	struct members again;
	struct sbuf out;
	size_t i, j, line;

	FUZZ_CHECK(m->n <= FBV_SLOTS_MAX);
	for (i = 0; i < m->n; i++) {
		size_t ln = strlen(m->v[i].label);

		FUZZ_CHECK(ln == 0 || label_check(m->v[i].label, ln) == FBV_OK);
		for (j = 0; j < i; j++) {
			FUZZ_CHECK(memcmp(m->v[i].pk, m->v[j].pk, FBV_X25519_BYTES) != 0);
			FUZZ_CHECK(ln == 0 || strcmp(m->v[i].label, m->v[j].label) != 0);
		}
	}
	sbuf_init(&out, FBV_RECIPIENTS_FILE_MAX);
	FUZZ_CHECK(recipients_format(&out, m) == FBV_OK);
	FUZZ_CHECK(recipients_parse(&again, &line, out.data, out.len) == FBV_OK);
	FUZZ_CHECK(again.n == m->n);
	for (i = 0; i < m->n; i++)
		FUZZ_CHECK(memcmp(&again.v[i], &m->v[i], sizeof(m->v[i])) == 0);
	sbuf_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct members m;
	size_t line;
	int r = recipients_parse(&m, &line, data, size);

	if (r == FBV_OK) {
		accepted(&m);
		return 0;
	}
	FUZZ_CHECK(r == FBV_ERR_KEY_FORMAT || r == FBV_ERR_KEY_PREFIX ||
	    r == FBV_ERR_KEY_CHECKSUM || r == FBV_ERR_KEY_LENGTH || r == FBV_ERR_BAD_LABEL ||
	    r == FBV_ERR_DUP_RECIPIENT || r == FBV_ERR_TOO_LARGE);
	FUZZ_CHECK(line <= lines(data, size));
	FUZZ_CHECK(line > 0 || (r == FBV_ERR_TOO_LARGE && size > FBV_RECIPIENTS_FILE_MAX));
	return 0;
}
