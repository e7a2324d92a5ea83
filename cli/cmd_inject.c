/* inject: a template's {{ fbvault:NAME }} references filled in, to stdout
 * or to a file written atomically, 0600. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../crypto/errors.h"
#include "../vault/io.h"
#include "../vault/store.h"
#include "commands.h"
#include "errors.h"
#include "open.h"
#include "options.h"
#include "use.h"
#include "out.h"
#include "template.h"

#define TEMPLATE_MAX (16U * 1024 * 1024)
#define OUTPUT_MAX FBV_PAYLOAD_MAX

struct template {
	const unsigned char *p;
	size_t len;
	const char *label;      /* the file, or "stdin" */
};

static int
fail_ref(int code, const struct template *t, size_t line, const char *what,
    const unsigned char *name, size_t len)
{
	fprintf(stderr, "fbvault: %s:%zu: %s", t->label, line, what);
	if (name != NULL) {
		fputs(" '", stderr);
		term_escape(stderr, (const char *)name, len);
		fputc('\'', stderr);
	}
	fputc('\n', stderr);
	return code;
}

static bool
entry_lookup(const void *v, const char *name, const unsigned char **value, size_t *len)
{
	const struct entry *e = vault_find(v, name);

	if (e == NULL)
		return false;
	*value = e->value;
	*len = e->value_len;
	use_note("inject", e->name, NULL);
	return true;
}

/* Copies t to out with each reference replaced by its entry's value; with
 * es NULL, only checks the template's syntax. */
static int
render(const struct template *t, const struct vault *v, const char *vault_path,
    struct sbuf *out)
{
	struct template_error e;

	switch (template_render(t->p, t->len, v != NULL ? entry_lookup : NULL, v, out, &e)) {
	case TEMPLATE_OK:
		return 0;
	case TEMPLATE_UNCLOSED:
		return fail_ref(EXIT_USAGE, t, e.line, "'{{ fbvault:' without a closing '}}' "
		    "on the same line", NULL, 0);
	case TEMPLATE_MALFORMED:
		return fail_ref(EXIT_USAGE, t, e.line, "malformed reference: want "
		    "{{ fbvault:NAME }}", NULL, 0);
	case TEMPLATE_BAD_NAME:
		return fail_ref(EXIT_USAGE, t, e.line, "invalid entry name", e.name,
		    e.name_len > FBV_NAME_MAX ? 32 : e.name_len);
	case TEMPLATE_NOT_FOUND:
		return fail(EXIT_NOTFOUND, "%s:%zu: no entry '%.*s' in %s", t->label, e.line,
		    (int)e.name_len, (const char *)e.name, vault_path);
	}
	if (e.out_err == FBV_ERR_TOO_LARGE)
		return fail(EXIT_USAGE, "the output would be larger than %u bytes", OUTPUT_MAX);
	return fail_err(e.out_err, "inject");
}

static int
read_template(const char *path, struct sbuf *out)
{
	int fd = STDIN_FILENO, r;

	sbuf_init(out, TEMPLATE_MAX);
	if (path != NULL && (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return fail(errno == ENOENT ? EXIT_NOTFOUND : EXIT_IO, "cannot open %s: %s",
		    path, strerror(errno));
	r = fd_read_sbuf(fd, out);
	if (r == FBV_ERR_SYSTEM)
		r = fail(EXIT_IO, "cannot read %s: %s", path ? path : "stdin", strerror(errno));
	else if (r == FBV_ERR_TOO_LARGE)
		r = fail(EXIT_USAGE, "%s: a template may hold at most %u bytes",
		    path ? path : "stdin", TEMPLATE_MAX);
	else if (r != FBV_OK)
		r = fail_err(r, path ? path : "stdin");
	if (path != NULL)
		close(fd);
	return r;
}

/* The output replaces the file atomically, 0600 from the first byte, under
 * a random temporary name (PATH.tmp may be somebody's file). */
static int
write_output(const char *path, const unsigned char *buf, size_t len)
{
	int r = store_write(path, buf, len, STORE_RANDOM_TMP);

	if (r == FBV_ERR_SYSTEM)
		return fail(EXIT_IO, "cannot write %s: %s", path, strerror(errno));
	return r == FBV_OK ? 0 : fail_err(r, path);
}

struct inject_opts {
	const char *in;
	const char *out;
};

static int
inject_opt(void *state, int opt, const char *arg)
{
	struct inject_opts *o = state;

	if (opt == 'i')
		o->in = arg;
	else
		o->out = arg;
	return -1;
}

/* The template is checked before the vault is opened, so a typo costs no
 * passphrase; the output is written only once every reference resolved. */
static int
inject_run(struct ctx *c, const struct template *t, const char *output)
{
	struct sbuf out;
	struct vault *v;
	int r;

	if ((r = render(t, NULL, c->vault_path, NULL)) != 0 ||
	    (r = vault_open_read(c, &v)) != 0)
		return r;
	sbuf_init(&out, OUTPUT_MAX);
	r = render(t, v, c->vault_path, &out);
	vault_free(v);
	if (r == 0 && output != NULL)
		r = write_output(output, out.data, out.len);
	else if (r == 0 && fd_write_all(STDOUT_FILENO, out.data, out.len) != 0)
		r = fail(EXIT_IO, "cannot write to stdout: %s", strerror(errno));
	sbuf_free(&out);
	return r;
}

int
cmd_inject(struct ctx *c, const struct command *self, int argc, char **argv)
{
	struct inject_opts o = { NULL, NULL };
	struct template t;
	struct sbuf in;
	int r;

	if ((r = parse_args(c, self, argc, argv, &o, inject_opt)) >= 0)
		return r;
	if ((r = read_template(o.in, &in)) == 0) {
		t.p = in.data;
		t.len = in.len;
		t.label = o.in != NULL ? o.in : "stdin";
		r = inject_run(c, &t, o.out);
	}
	sbuf_free(&in);
	return r;
}
