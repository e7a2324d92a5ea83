#include <stdio.h>
#include <string.h>

#include "../crypto/errors.h"
#include "errors.h"
#include "graph_session.h"
#include "module.h"
#include "out.h"
#include "prompt.h"

bool
digits(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return i > 0 && i < 64;
}

int
graph_fail(int err, const struct graph_error *ge)
{
	char line[512];

	graph_error_describe(err, ge, line, sizeof(line));
	return fail(err_exit_code(graph_error_class(err, ge)), "%s",
	    line[0] != '\0' ? line : fbv_strerror(err));
}

/* A client of the HTTPS module, which graph_open() refuses when it is
 * missing. */
int
graph_connect(const struct graph_conf *conf, const char *app_id, const struct sbuf *secret,
    struct graph **g)
{
	const struct http_ops *http = NULL;

	(void)http_module(&http);
	return graph_open(conf, http, app_id, secret->data, secret->len, g);
}

static const unsigned char *
entry_value(const struct vault *v, const char *name, size_t *len)
{
	const struct entry *e = vault_find(v, name);

	if (e == NULL)
		return NULL;
	*len = e->value_len;
	return e->value;
}

/* The App ID: --app-id, else the entry app-id. */
int
app_id_of(const struct vault *v, const char *given, char out[64])
{
	const unsigned char *p;
	size_t len;

	if (given != NULL) {
		snprintf(out, 64, "%s", given);
		return 0;
	}
	if ((p = entry_value(v, "app-id", &len)) == NULL)
		return fail(EXIT_NOTFOUND, "no App ID: give --app-id ID or store it with: "
		    "fbvault put app-id");
	if (len == 0 || len >= 64)
		return fail(EXIT_USAGE, "the entry app-id is not a numeric App ID");
	memcpy(out, p, len);
	out[len] = '\0';
	if (!digits(out))
		return fail(EXIT_USAGE, "the entry app-id is not a numeric App ID");
	return 0;
}

/* The App Secret: the entry app-secret, else asked for without echo
 * (and stored at the end, if the whole flow succeeds). */
int
app_secret_of(const struct vault *v, struct sbuf *out, bool *asked)
{
	const unsigned char *p;
	size_t len;
	int r;

	sbuf_init(out, GRAPH_SECRET_MAX + 1);
	*asked = false;
	if ((p = entry_value(v, "app-secret", &len)) != NULL)
		return sbuf_put(out, p, len) == FBV_OK ? 0 : fail(EXIT_USAGE,
		    "the entry app-secret is longer than %d bytes", GRAPH_SECRET_MAX);
	if (!have_tty())
		return fail(EXIT_NOTFOUND, "no App Secret: store it first with: "
		    "fbvault put app-secret");
	if ((r = read_tty_line("App Secret (not shown): ", out)) != FBV_OK || out->len == 0)
		return fail(EXIT_USAGE, "no App Secret given");
	*asked = true;
	return 0;
}
