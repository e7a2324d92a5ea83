/* log: the use log (vault/uselog.h), oldest first: which command used
 * which stored value, and when. Names only; the file holds no value. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../crypto/errors.h"
#include "../vault/uselog.h"
#include "commands.h"
#include "duration.h"
#include "errors.h"
#include "obuf.h"
#include "options.h"
#include "out.h"
#include "use.h"
#include "when.h"

struct log_opts {
	const struct command *cmd;
	int64_t since;
	bool json;
};

void
use_note(const char *command, const char *entry, const char *program)
{
	use_note_all(command, &entry, 1, program);
}

void
use_note_all(const char *command, const char *const *entries, size_t n, const char *program)
{
	static int said;
	char *path = NULL;
	int r;

	if (n == 0)
		return;
	r = uselog_append(now_unix(), command, entries, n, program);

	if (r == FBV_OK || said++ > 0)
		return;
	if (uselog_path(&path) == FBV_OK)
		msg("warning: cannot write the use log %s: %s", path, fbv_strerror(r));
	else
		msg("warning: no use log: neither XDG_STATE_HOME nor HOME is set");
	free(path);
}

/* --since 7d (that long ago), @UNIX or an ISO 8601 time with its zone. */
static int
log_opt(void *state, int opt, const char *arg)
{
	struct log_opts *o = state;
	int64_t ago, now = now_unix();

	if (opt == 'j') {
		o->json = true;
		return -1;
	}
	if (duration_parse(arg, &ago) == FBV_OK && ago >= 0)
		o->since = now - ago;
	else if (arg[0] == '+' || when_parse(arg, now, &o->since) != FBV_OK)
		return usage_error(o->cmd, "--since wants a duration ago (7d), @UNIX_SECONDS or an ISO "
		    "8601 time with its zone (2026-12-24T09:00Z)");
	return -1;
}

static void
print_rec(const struct uselog_rec *r, bool json, size_t k)
{
	char when[64];

	if (!json) {
		format_time(r->time, when, sizeof(when));
		printf("%s  %-9s %s%s%s\n", when, r->command, r->entry, r->program[0] ? "  " : "",
		    r->program);
		return;
	}
	printf("%s{\"time\":%lld,\"command\":", k > 0 ? "," : "", (long long)r->time);
	json_print_string(stdout, r->command, strlen(r->command));
	printf(",\"entry\":");
	json_print_string(stdout, r->entry, strlen(r->entry));
	printf(",\"program\":");
	if (r->program[0] != '\0')
		json_print_string(stdout, r->program, strlen(r->program));
	else
		fputs("null", stdout);
	putchar('}');
}

/* Every record of buf from since on; how many lines did not read. */
static size_t
print_all(const struct log_opts *o, const unsigned char *buf, size_t len)
{
	struct uselog_rec rec;
	const char *p = (const char *)buf, *nl;
	size_t left = len, bad = 0, shown = 0, n;

	while (left > 0) {
		nl = memchr(p, '\n', left);
		n = nl != NULL ? (size_t)(nl - p) : left;
		if (nl == NULL || uselog_parse_line(p, n, &rec) != FBV_OK)
			bad++;
		else if (rec.time >= o->since)
			print_rec(&rec, o->json, shown++);
		p += n + (nl != NULL);
		left -= n + (nl != NULL);
	}
	return bad;
}

int
cmd_log(struct ctx *c, const struct command *self, int argc, char **argv)
{
	struct log_opts o = { self, 0, false };
	unsigned char *buf = NULL;
	char *path = NULL;
	size_t len = 0, bad;
	int r;

	if ((r = parse_args(c, self, argc, argv, &o, log_opt)) >= 0)
		return r;
	if ((r = uselog_path(&path)) != FBV_OK)
		return fail(EXIT_NOTFOUND, "no use log: neither XDG_STATE_HOME nor HOME is set");
	r = uselog_read(&buf, &len);
	if (r != FBV_OK && r != FBV_ERR_NO_VAULT) {
		r = fail(err_exit_code(r), "cannot read %s: %s", path, fbv_strerror(r));
		goto out;
	}
	if (o.json)
		putchar('[');
	bad = print_all(&o, buf, len);
	if (o.json)
		printf("]\n");
	if (bad > 0)
		msg("warning: %zu line%s of %s do%s not read; skipped", bad, bad == 1 ? "" : "s",
		    path, bad == 1 ? "es" : "");
	r = 0;
out:
	free(buf);
	free(path);
	return r;
}
