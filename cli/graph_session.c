#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../crypto/errors.h"
#include "dryrun.h"
#include "errors.h"
#include "graph_session.h"
#include "module.h"
#include "open.h"
#include "out.h"
#include "prompt.h"
#include "use.h"
#include "vars.h"

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

bool
token_died(int err, const struct graph_error *ge)
{
	return err == FBV_ERR_REFUSED && ge->code == 190;
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
	if ((p = entry_value(v, "app-secret", &len)) != NULL && len == 0)
		return fail(EXIT_USAGE, "the entry app-secret is empty: store the App Secret (App "
		    "settings > Basic) with: fbvault put -f app-secret");
	if (p != NULL)
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

/* What the vault knows of the token's grants: login stored them. */
static int
scopes_check(const struct entry *e)
{
	static const char want[] = "pages_manage_posts";
	const char *s;
	size_t len, k, n;

	if (meta_get_str(e, META_SCOPES, &s, &len) != FBV_OK)
		return fail(EXIT_DENIED, "%s: no scopes recorded; run: fbvault login", e->name);
	for (k = 0; k < len; k += n + 1) {
		for (n = 0; k + n < len && s[k + n] != ','; n++)
			;
		if (n == sizeof(want) - 1 && memcmp(s + k, want, n) == 0)
			return 0;
	}
	return fail(EXIT_DENIED, "%s: its stored scopes lack %s; grant it in Graph Explorer and "
	    "run login again", e->name, want);
}

int
call_credentials(const struct vault *v, const struct entry *e, char app_id[64],
    struct sbuf *secret, struct sbuf *token)
{
	bool asked;
	int r;

	if ((r = app_id_of(v, NULL, app_id)) != 0 || (r = app_secret_of(v, secret, &asked)) != 0)
		return r;
	if (sbuf_put(token, e->value, e->value_len) != FBV_OK)
		return fail(EXIT_USAGE, "'%s' is too long to be a token", e->name);
	return 0;
}

/* The page token and the app's credentials, out of the vault. */
static int
page_credentials(struct ctx *c, const char *cmd, const char *page, bool dry_run,
    struct page_session *s, char app_id[64], struct sbuf *secret)
{
	const struct entry *e;
	struct vault *v;
	int r;

	if ((r = vault_open_read(c, &v)) != 0)
		return r;
	if ((r = page_pick(c, page, v, &e)) == 0 &&
	    (!dry_run || (r = scopes_check(e)) == 0)) {
		snprintf(s->page_id, sizeof(s->page_id), "%s", e->name + strlen("page/"));
		if (!digits(s->page_id))
			r = fail(EXIT_USAGE, "invalid page id '%s'", s->page_id);
		else
			r = call_credentials(v, e, app_id, secret, &s->token);
		if (r == 0 && !dry_run)
			use_note(cmd, e->name, NULL);
	}
	vault_free(v);
	return r;
}

int
page_session_open(struct ctx *c, const char *cmd, const char *page, bool dry_run,
    struct page_session *s)
{
	struct graph_conf conf;
	struct sbuf secret;
	char app_id[64];
	int r;

	memset(s, 0, sizeof(*s));
	sbuf_init(&s->token, GRAPH_TOKEN_MAX + 1);
	sbuf_init(&secret, 1);
	if (graph_conf_from_env(&conf) != FBV_OK)
		return fail(EXIT_USAGE, "%s", graph_conf_check(&conf));
	unsetenv("SSLKEYLOGFILE"); /* TLS session keys must not be written out */
	if ((r = page_credentials(c, cmd, page, dry_run, s, app_id, &secret)) != 0)
		goto out;
	if (dry_run)
		r = graph_open(&conf, &dryrun_http_ops, app_id, secret.data, secret.len, &s->g);
	else
		r = graph_connect(&conf, app_id, &secret, &s->g);
	if (r != FBV_OK)
		r = graph_fail(r, NULL);
out:
	sbuf_free(&secret);
	return r;
}

void
page_session_close(struct page_session *s)
{
	graph_close(s->g);
	s->g = NULL;
	sbuf_free(&s->token);
}
