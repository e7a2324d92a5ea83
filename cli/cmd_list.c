/* list: names and metadata, never values. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../crypto/errors.h"
#include "commands.h"
#include "entry_text.h"
#include "open.h"
#include "options.h"
#include "out.h"

/* One line of the format for scripts (name, kind, updated, expiry, by
 * tabs), put together in a buffer and written with one call, the stream
 * locked once for the whole list: at 10,000 entries fprintf's parsing of
 * its format, a lock per call, then a call per byte, were most of list's
 * own time. kind and expires are short (entry_text.h); a longer kind is
 * cut, as no kind fbvault writes is. */
#define LINE_MAX_BYTES (FBV_NAME_MAX + 64 + 24 + 64 + 4)

static char *
put(char *p, const char *s, size_t n, size_t room)
{
	n = n < room ? n : room;
	memcpy(p, s, n);
	return p + n;
}

static void
list_line(FILE *f, const struct entry *e, const char *kind, size_t klen,
    const char *expires)
{
	char line[LINE_MAX_BYTES], num[24], *p = num + sizeof(num), *q = line;
	uint64_t u = e->updated < 0 ? -(uint64_t)e->updated : (uint64_t)e->updated;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (e->updated < 0)
		*--p = '-';
	q = put(q, e->name, strlen(e->name), FBV_NAME_MAX);
	*q++ = '\t';
	q = put(q, kind, klen, 64);
	*q++ = '\t';
	q = put(q, p, (size_t)(num + sizeof(num) - p), 24);
	*q++ = '\t';
	q = put(q, expires, strlen(expires), 63);
	*q++ = '\n';
	(void)fwrite_unlocked(line, 1, (size_t)(q - line), f); /* errors show at fflush */
}

static void
list_table(FILE *f, const struct vault *v)
{
	bool tty = isatty(fileno(f));
	size_t i, w = 4, n;
	char updated[64], expires[64], name[FBV_NAME_MAX + 1];
	struct entry tmp;

	if (tty) {
		for (i = 0; i < vault_count(v); i++)
			if ((n = strlen(vault_entry_peek(v, i, &tmp, name)->name)) > w)
				w = n;
		fprintf(f, "%-*s  %-10s  %-20s  %s\n", (int)w, "NAME", "KIND", "UPDATED", "EXPIRES");
	}
	flockfile(f);
	for (i = 0; i < vault_count(v); i++) {
		const struct entry *e = vault_entry_peek(v, i, &tmp, name);
		size_t klen;
		const char *kind = entry_kind(e, &klen);

		expiry_text(e, expires, sizeof(expires));
		if (tty) {
			format_time(e->updated, updated, sizeof(updated));
			fprintf(f, "%-*s  %-10.*s  %-20s  %s\n", (int)w, e->name, (int)klen, kind,
			    updated, expires);
		} else {
			list_line(f, e, kind, klen, expires);
		}
	}
	funlockfile(f);
}

/* --names-if-unlocked, for shell completion: the names, one a line, only
 * when the vault opens without asking (timed unlock or keyring); else
 * nothing and exit 77. */
static int
list_names_if_unlocked(struct ctx *c)
{
	char name[FBV_NAME_MAX + 1];
	struct entry tmp;
	struct vault *v;
	size_t i;
	int r;

	if ((r = vault_load(c->vault_path, &v)) != FBV_OK)
		return fail_err(r, c->vault_path);
	if ((r = vault_key_sources(c, v, false)) == 0)
		for (i = 0; i < vault_count(v); i++)
			printf("%s\n", vault_entry_peek(v, i, &tmp, name)->name);
	vault_free(v);
	return r;
}

struct list_opts { bool json, names; };

static int
list_opt(void *state, int opt, const char *arg)
{
	struct list_opts *o = state;

	(void)arg;
	*(opt == 'n' ? &o->names : &o->json) = true;
	return -1;
}

int
cmd_list(struct ctx *c, const struct command *self, int argc, char **argv)
{
	struct list_opts o = { false, false };
	char name[FBV_NAME_MAX + 1];
	static char buf[65536];
	struct entry tmp;
	struct vault *v;
	size_t i;
	int r;

	if ((r = parse_args(c, self, argc, argv, &o, list_opt)) >= 0)
		return r;
	if (o.names)
		return list_names_if_unlocked(c);
	if ((r = vault_open_read(c, &v)) != 0)
		return r;
	if ((r = vault_open_records(v)) != FBV_OK) {
		vault_free(v);
		return fail_err(r, c->vault_path);
	}
	/* a long list in a few writes, not one per 4 KiB */
	(void)setvbuf(stdout, buf, _IOFBF, sizeof(buf));
	if (o.json) {
		fputc('[', stdout);
		for (i = 0; i < vault_count(v); i++) {
			if (i > 0)
				fputc(',', stdout);
			entry_json(stdout, vault_entry_peek(v, i, &tmp, name));
		}
		fputs("]\n", stdout);
	} else {
		list_table(stdout, v);
	}
	vault_free(v);
	return 0;
}
