/* env: exec's variables printed for eval, as a dotenv file, or as JSON. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../crypto/errors.h"
#include "../vault/format.h"
#include "../vault/io.h"
#include "commands.h"
#include "errors.h"
#include "obuf.h"
#include "out.h"
#include "vars.h"

#define OUTPUT_MAX FBV_PAYLOAD_MAX

/* s in '...', each ' as '\'': any bytes survive eval. */
static void
put_quoted(struct obuf *out, const char *s, size_t len)
{
	const char *end = s + len, *q;

	oputs(out, "'");
	for (; (q = memchr(s, '\'', (size_t)(end - s))) != NULL; s = q + 1) {
		oput(out, s, (size_t)(q - s));
		oputs(out, "'\\''");
	}
	oput(out, s, (size_t)(end - s));
	oputs(out, "'");
}

static void
put_shell(struct obuf *out, const struct var *v)
{
	oputs(out, "export ");
	oput(out, v->kv, v->name_len);
	oputs(out, "=");
	put_quoted(out, v->kv + v->name_len + 1, v->len - v->name_len - 1);
	oputs(out, "\n");
}

static void
put_dotenv(struct obuf *out, const struct var *v)
{
	oput(out, v->kv, v->name_len);
	oputs(out, "=\"");
	oput(out, v->kv + v->name_len + 1, v->len - v->name_len - 1);
	oputs(out, "\"\n");
}

static void
format_vars(struct obuf *out, const struct varset *vs, enum env_format format)
{
	size_t i;

	for (i = 0; i < vs->n; i++) {
		const struct var *v = &vs->v[i];

		if (format == FMT_SHELL)
			put_shell(out, v);
		else if (format == FMT_DOTENV)
			put_dotenv(out, v);
		else {
			oputs(out, i == 0 ? "{" : ",");
			oput_json_string(out, v->kv, v->name_len);
			oputs(out, ":");
			oput_json_string(out, v->kv + v->name_len + 1, v->len - v->name_len - 1);
		}
	}
	if (format == FMT_JSON)
		oputs(out, vs->n == 0 ? "{}\n" : "}\n");
}

/* A word as the shell reads it back: bare when safe, else in '...'. */
static void
shell_word(struct obuf *out, const char *w)
{
	if (*w != '\0' && strspn(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_-./:=@%+,") == strlen(w))
		oputs(out, w);
	else
		put_quoted(out, w, strlen(w));
}

/* The eval line to use instead: the command as typed (its options, not
 * the global ones before it). */
static int
refuse_terminal(int argc, char **argv)
{
	struct obuf line;
	int i, r;

	obuf_init(&line, 4096);
	for (i = 0; i < argc; i++) {
		oputs(&line, " ");
		shell_word(&line, argv[i]);
	}
	r = fail(EXIT_USAGE, "refusing to print tokens to a terminal, where they stay in the "
	    "scrollback; use eval \"$(fbvault%.*s)\", redirect it, or --force",
	    line.err == FBV_OK ? (int)line.b.len : 4, line.err == FBV_OK ?
	    (const char *)line.b.data : " env");
	obuf_free(&line);
	return r;
}

int
cmd_env(struct ctx *c, const struct command *self, int argc, char **argv)
{
	struct env_opts o;
	struct varset vs = { .n = 0 };
	struct obuf out;
	int r;

	if ((r = env_parse(c, self, argc, argv, &o)) >= 0)
		return r;
	if (isatty(STDOUT_FILENO) && !o.force)
		return refuse_terminal(argc, argv);
	if ((r = load_vars(c, &o, &vs)) != 0) {
		varset_free(&vs);
		return r;
	}
	obuf_init(&out, OUTPUT_MAX);
	format_vars(&out, &vs, o.format);
	varset_free(&vs);
	if (out.err != FBV_OK)
		r = fail_err(out.err, "env");
	else if (fd_write_all(STDOUT_FILENO, out.b.data, out.b.len) != 0)
		r = fail(EXIT_IO, "cannot write to stdout: %s", strerror(errno));
	obuf_free(&out);
	return r;
}
