/* api: any Graph call, like `gh api`, with a token from the vault that
 * never leaves fbvault: the page token of --page, the entry --token
 * names, or by the path (a stored page id first: that page's token; else
 * the user token). The answer's JSON goes to stdout with every token and
 * stored secret in it replaced by <redacted>, unless --show-secrets. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../crypto/errors.h"
#include "../graph/graph.h"
#include "commands.h"
#include "entry_text.h"
#include "errors.h"
#include "graph_session.h"
#include "page_tokens.h"
#include "use.h"
#include "open.h"
#include "options.h"
#include "out.h"
#include "redact.h"

#define API_FIELDS_MAX (HTTP_MAX_PARTS - 2)
#define SECRETS_MAX 1024
#define SECRET_MIN 8            /* shorter values would redact ordinary text */
#define API_OUT_MAX (64 * 1024 * 1024)

struct api_opts {
	const struct command *cmd;
	const char *page;
	const char *token;
	const char *method;
	struct graph_field fields[API_FIELDS_MAX];
	size_t nfields;
	bool files;
	bool paginate;
	bool show_secrets;
	bool verbose;
};

/* KEY=VALUE, or for -F KEY=@FILE a file. arg is optarg, in argv: the
 * NAME ends where the = was. */
static int
field_add(struct api_opts *o, char *arg, bool typed)
{
	char *eq = strchr(arg, '=');
	struct graph_field *f = &o->fields[o->nfields];
	struct stat st;

	if (eq == NULL || eq == arg)
		return usage_error(o->cmd, "-%c wants KEY=VALUE, not '%s'", typed ? 'F' : 'f', arg);
	if (o->nfields == API_FIELDS_MAX)
		return usage_error(o->cmd, "at most %d fields", API_FIELDS_MAX);
	*eq = '\0';
	f->name = arg;
	f->value = eq + 1;
	f->file = NULL;
	if (typed && eq[1] == '@') {
		if (stat(eq + 2, &st) != 0)
			return fail(errno == ENOENT ? EXIT_NOTFOUND : EXIT_IO, "cannot open %s: %s",
			    eq + 2, strerror(errno));
		if (!S_ISREG(st.st_mode) || access(eq + 2, R_OK) != 0)
			return fail(EXIT_USAGE, "%s is not a readable regular file", eq + 2);
		f->value = NULL;
		f->file = eq + 2;
		o->files = true;
	}
	o->nfields++;
	return -1;
}

static int
api_opt(void *state, int opt, const char *arg)
{
	struct api_opts *o = state;

	switch (opt) {
	case 'p': o->page = arg; return -1;
	case 't': o->token = arg; return -1;
	case 'X': o->method = arg; return -1;
	case 'f': return field_add(o, (char *)(uintptr_t)arg, false);
	case 'F': return field_add(o, (char *)(uintptr_t)arg, true);
	case 'g': o->paginate = true; return -1;
	case 'S': o->show_secrets = true; return -1;
	case 'v': o->verbose = true; return -1;
	default: return usage_error(o->cmd, "unknown option");
	}
}

static int
method_of(const struct api_opts *o, enum http_method *m)
{
	*m = o->nfields > 0 ? HTTP_POST : HTTP_GET;
	if (o->method == NULL)
		return 0;
	if (strcasecmp(o->method, "GET") == 0)
		*m = HTTP_GET;
	else if (strcasecmp(o->method, "POST") == 0)
		*m = HTTP_POST;
	else if (strcasecmp(o->method, "DELETE") == 0)
		*m = HTTP_DELETE;
	else
		return usage_error(o->cmd, "-X wants GET, POST or DELETE");
	if (o->files && *m != HTTP_POST)
		return usage_error(o->cmd, "-F KEY=@FILE sends a file: the method is POST");
	if (o->paginate && *m != HTTP_GET)
		return usage_error(o->cmd, "--paginate follows the pages of a GET");
	return 0;
}

/* The entry whose token the call carries. */
static int
token_entry(const struct ctx *c, const struct api_opts *o, const char *path,
    const struct vault *v, const struct entry **e)
{
	char name[FBV_NAME_MAX + 1];
	size_t n = strspn(path, "0123456789");

	if (o->page != NULL)
		snprintf(name, sizeof(name), "page/%s", o->page);
	else if (o->token != NULL)
		snprintf(name, sizeof(name), "%s", o->token);
	else if (n > 0 && n < 64 && strchr("/?_", path[n]) != NULL &&
	    (snprintf(name, sizeof(name), "page/%.*s", (int)n, path), vault_find(v, name) != NULL))
		;
	else
		snprintf(name, sizeof(name), "user-token");
	if ((*e = vault_find(v, name)) != NULL && !entry_holds_token(*e))
		return fail(EXIT_USAGE, "'%s' is not a token; api sends only tokens to Graph", name);
	if (*e != NULL)
		return 0;
	if (o->page == NULL && o->token == NULL)
		return fail(EXIT_NOTFOUND, "no user-token in %s, and the path names no stored page; "
		    "give --page PAGE_ID or --token NAME", c->vault_path);
	return fail(EXIT_NOTFOUND, "no entry '%s' in %s", name, c->vault_path);
}

struct api_creds {
	char entry[FBV_NAME_MAX + 1];   /* whose token the call carries */
	char app_id[64];
	struct sbuf secret;
	struct sbuf token;
	struct sbuf *values;            /* what redaction hides */
	size_t nvalues;
};

static void
creds_free(struct api_creds *k)
{
	size_t i;

	for (i = 0; i < k->nvalues; i++)
		sbuf_free(&k->values[i]);
	free(k->values);
	sbuf_free(&k->secret);
	sbuf_free(&k->token);
}

/* Every stored value long enough to be a secret, the App ID aside. */
static int
stored_values(const struct vault *v, struct api_creds *k)
{
	const struct entry *e;
	size_t i, n = vault_count(v);

	if (n > SECRETS_MAX)
		n = SECRETS_MAX;
	if ((k->values = calloc(n + 1, sizeof(*k->values))) == NULL)
		return fail(EXIT_INTERNAL, "out of memory");
	for (i = 0; i < n; i++) {
		e = vault_entry(v, i);
		if (e->value_len < SECRET_MIN || strcmp(e->name, "app-id") == 0)
			continue;
		sbuf_init(&k->values[k->nvalues], e->value_len);
		if (sbuf_put(&k->values[k->nvalues++], e->value, e->value_len) != FBV_OK)
			return fail(EXIT_INTERNAL, "out of memory");
	}
	return 0;
}

static int
load(struct ctx *c, const struct api_opts *o, const char *path, struct api_creds *k)
{
	const struct entry *e;
	struct vault *v;
	int r;

	if ((r = vault_open_read(c, &v)) != 0)
		return r;
	if ((r = token_entry(c, o, path, v, &e)) == 0 &&
	    (r = call_credentials(v, e, k->app_id, &k->secret, &k->token)) == 0 &&
	    (r = stored_values(v, k)) == 0 && o->verbose)
		msg("using the token %s", e->name);
	if (r == 0) {
		snprintf(k->entry, sizeof(k->entry), "%s", e->name);
		use_note("api", e->name, NULL);
	}
	vault_free(v);
	return r;
}

static int
print_answer(const struct api_opts *o, const struct api_creds *k, const struct sbuf *body)
{
	struct sbuf shown;
	int r;

	if (o->show_secrets) {
		fwrite(body->data, 1, body->len, stdout);
		putchar('\n');
		return 0;
	}
	sbuf_init(&shown, API_OUT_MAX);
	if ((r = redact_json(body->data, body->len, k->values, k->nvalues, &shown)) != FBV_OK) {
		sbuf_free(&shown);
		return fail(err_exit_code(r), "cannot print the answer: %s", fbv_strerror(r));
	}
	fwrite(shown.data, 1, shown.len, stdout);
	putchar('\n');
	sbuf_free(&shown);
	return 0;
}

/* A page token Graph refused: renewed once (page_heal()), and the fresh
 * one redacted from the answer too. */
static int
heal(struct ctx *c, struct graph *g, struct api_creds *k)
{
	int r = page_heal(c, g, k->entry + strlen("page/"), &k->token);

	if (r != 0)
		return r;       /* -1: the same token again; the caller reports */
	sbuf_init(&k->values[k->nvalues], k->token.len);
	if (sbuf_put(&k->values[k->nvalues++], k->token.data, k->token.len) != FBV_OK)
		return fail(EXIT_INTERNAL, "out of memory");
	return 0;
}

int
cmd_api(struct ctx *c, const struct command *self, int argc, char **argv)
{
	struct api_opts o = { .cmd = self };
	struct graph_api_req req = { 0 };
	struct api_creds k = { .values = NULL };
	struct graph_conf conf;
	struct graph_error ge;
	struct graph *g = NULL;
	struct sbuf body;
	int r;

	sbuf_init(&k.secret, 1);
	sbuf_init(&k.token, GRAPH_TOKEN_MAX + 1);
	sbuf_init(&body, API_OUT_MAX);
	if ((r = parse_args(c, self, argc, argv, &o, api_opt)) >= 0 ||
	    (r = method_of(&o, &req.method)) != 0)
		goto out;
	req.path = argv[optind] + (argv[optind][0] == '/');
	req.fields = o.fields;
	req.nfields = o.nfields;
	req.paginate = o.paginate;
	if (o.page != NULL && (o.token != NULL || !digits(o.page))) {
		r = usage_error(self, o.token != NULL ? "give --page or --token, not both" :
		    "--page wants a numeric id");
		goto out;
	}
	if (!graph_api_path_ok(req.path)) {
		r = usage_error(self, "PATH is a Graph path such as me/accounts or PAGE_ID/feed?limit=1 "
		    "(no scheme, no host, no access_token)");
		goto out;
	}
	if (graph_conf_from_env(&conf) != FBV_OK) {
		r = fail(EXIT_USAGE, "%s", graph_conf_check(&conf));
		goto out;
	}
	unsetenv("SSLKEYLOGFILE");
	if ((r = load(c, &o, req.path, &k)) != 0)
		goto out;
	if ((r = graph_connect(&conf, k.app_id, &k.secret, &g)) != FBV_OK ||
	    (r = graph_api(g, &k.token, &req, &body, &ge)) != FBV_OK) {
		if (!token_died(r, &ge) || strncmp(k.entry, "page/", 5) != 0) {
			r = graph_fail(r, &ge);
			goto out;
		}
		if ((r = heal(c, g, &k)) != 0) {
			if (r < 0)
				r = graph_fail(FBV_ERR_REFUSED, &ge);
			goto out;
		}
		if ((r = graph_api(g, &k.token, &req, &body, &ge)) != FBV_OK) {
			r = graph_fail(r, &ge);
			goto out;
		}
	}
	r = print_answer(&o, &k, &body);
out:
	graph_close(g);
	sbuf_free(&body);
	creds_free(&k);
	return r;
}
