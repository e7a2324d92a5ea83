/* The use log's lines (vault/uselog.h) as `fbvault log` reads them: any
 * bytes, since the file is the user's to edit. A line that parses writes
 * back as itself: TIME SP COMMAND SP ENTRY [SP PROGRAM], with ENTRY a
 * name name_check() takes.
 *
 * Input: the file's bytes, split at each LF as cmd_log.c splits them. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../crypto/errors.h"
#include "../vault/entries.h"
#include "../vault/uselog.h"
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

static void
one(const char *line, size_t len)
{
	char back[USELOG_LINE_MAX + 2];
	struct uselog_rec r;
	int n;

	if (uselog_parse_line(line, len, &r) != FBV_OK)
		return;
	FUZZ_CHECK(r.time >= 0 && name_check(r.entry) == FBV_OK && r.command[0] != '\0');
	n = snprintf(back, sizeof(back), "%" PRId64 " %s %s%s%s", r.time, r.command, r.entry,
	    r.program[0] != '\0' ? " " : "", r.program);
	FUZZ_CHECK(n > 0 && (size_t)n == len && memcmp(back, line, len) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p;
	char *copy;
	size_t left, n;

	if ((copy = malloc(size > 0 ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	for (p = copy, left = size; left > 0; p += n + 1, left -= n + 1) {
		const char *nl = memchr(p, '\n', left);

		n = nl != NULL ? (size_t)(nl - p) : left;
		one(p, n);
		if (nl == NULL)
			break;
	}
	free(copy);
	return 0;
}
