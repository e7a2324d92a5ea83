/* Any Graph call, for `fbvault api`: a method, a path, fields and files,
 * with the token and its proof where they belong (the query of a GET, the
 * body of anything else, never a URL that changes something), and
 * --paginate's walk over paging.next, same origin only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../crypto/errors.h"
#include "client.h"
#include "graph.h"
#include "http.h"
#include "json.h"
#include "parse.h"
#include "url.h"

#define FORM_MAX (4 * 1024 * 1024)

/* Printable ASCII, no space, not a URL of its own, no fragment, no
 * credentials: fbvault adds its own. */
bool
graph_api_path_ok(const char *path)
{
	const char *q = strchr(path, '?');
	size_t k, n = strlen(path);

	if (n == 0 || n > URL_MAX / 2 || strstr(path, "://") != NULL || strchr(path, '#') != NULL ||
	    strstr(path, "..") != NULL || path[0] == '/')
		return false;
	for (k = 0; k < n; k++)
		if (path[k] <= ' ' || path[k] > '~' || path[k] == '\\')
			return false;
	return q == NULL || (strstr(q, "access_token") == NULL && strstr(q, "appsecret_proof") == NULL);
}

static int
fields_to(struct sbuf *b, const struct graph_api_req *req, bool query, bool first)
{
	size_t k;
	int r = FBV_OK;

	for (k = 0; k < req->nfields && r == FBV_OK; k++) {
		if (req->fields[k].file != NULL)
			continue;
		if (query)
			r = url_param(b, first && k == 0, req->fields[k].name, req->fields[k].value,
			    strlen(req->fields[k].value));
		else
			r = form_param(b, req->fields[k].name, req->fields[k].value,
			    strlen(req->fields[k].value));
	}
	return r;
}

static bool
has_files(const struct graph_api_req *req)
{
	size_t k;

	for (k = 0; k < req->nfields; k++)
		if (req->fields[k].file != NULL)
			return true;
	return false;
}

struct items_walk {
	struct sbuf *out;
	size_t count;
};

/* Appends the data items of one answer to out ("[" already there). */
static int
add_items(const struct json *j, void *state, struct sbuf *next)
{
	struct items_walk *w = state;
	struct sbuf *out = w->out;
	size_t *count = &w->count;
	int d = json_get(j, 0, "data"), n, k, i, r, paging, v;
	const char *p;
	size_t len;

	if (json_type(j, d) != JSON_ARRAY)
		return FBV_ERR_PROTOCOL;
	n = json_size(j, d);
	for (k = 0, i = d + 1; k < n; k++, i = json_next(j, i)) {
		if ((r = json_raw(j, i, &p, &len)) != FBV_OK ||
		    ((*count)++ > 0 && (r = sbuf_put_u8(out, ',')) != FBV_OK) ||
		    (r = sbuf_put(out, p, len)) != FBV_OK)
			return r;
	}
	sbuf_reset(next);
	if ((paging = json_get(j, 0, "paging")) < 0 || json_type(j, paging) != JSON_OBJECT ||
	    (v = json_get(j, paging, "next")) < 0 || json_is_null(j, v))
		return FBV_OK;
	return json_sbuf(j, v, next) == FBV_OK ? FBV_OK : FBV_ERR_PROTOCOL;
}

static int
paginate(struct graph *g, const struct sbuf *token, struct sbuf *u, struct sbuf *out,
    struct graph_error *err)
{
	int r;

	if ((r = sbuf_put_u8(out, '[')) != FBV_OK ||
	    (r = graph_walk(g, token, u, add_items, &(struct items_walk){ out, 0 }, err)) != FBV_OK)
		return r;
	return sbuf_put_u8(out, ']');
}

static int
get(struct graph *g, const struct sbuf *token, const struct graph_api_req *req, struct sbuf *u,
    struct sbuf *out, struct graph_error *err)
{
	bool first = strchr(req->path, '?') == NULL;
	struct json j;
	int r;

	if ((r = fields_to(u, req, true, first)) != FBV_OK ||
	    (r = graph_put_token(g, u, first && req->nfields == 0, token->data, token->len)) != FBV_OK)
		return r;
	if (req->paginate)
		return paginate(g, token, u, out, err);
	if ((r = graph_fetch(g, u, &j, err)) != FBV_OK)
		return r;
	json_free(&j);
	return sbuf_put(out, g->resp.body.data, g->resp.body.len);
}

/* POST or DELETE: fields, files, token and proof in the body. */
static int
send_body(struct graph *g, const struct sbuf *token, const struct graph_api_req *req,
    struct sbuf *u, struct sbuf *out, struct graph_error *err)
{
	struct http_request hr = { req->method, NULL, NULL, NULL, 0 };
	struct http_part parts[HTTP_MAX_PARTS];
	char proof[FBV_PROOF_HEX];
	struct sbuf form;
	struct json j;
	size_t k, n = 0;
	int r;

	sbuf_init(&form, FORM_MAX);
	appsecret_proof(proof, g->secret, g->secret_len, token->data, token->len);
	if (has_files(req)) {
		if (req->nfields + 2 > HTTP_MAX_PARTS || req->method != HTTP_POST) {
			r = FBV_ERR_INVALID;
			goto out;
		}
		for (k = 0; k < req->nfields; k++)
			parts[n++] = (struct http_part){ req->fields[k].name, req->fields[k].value,
			    req->fields[k].value != NULL ? strlen(req->fields[k].value) : 0,
			    req->fields[k].file, NULL };
		parts[n++] = (struct http_part){ "access_token", token->data, token->len, NULL, NULL };
		parts[n++] = (struct http_part){ "appsecret_proof", proof, FBV_PROOF_HEX - 1, NULL, NULL };
		hr.parts = parts;
		hr.nparts = n;
	} else if ((r = fields_to(&form, req, false, false)) != FBV_OK ||
	    (r = form_param(&form, "access_token", token->data, token->len)) != FBV_OK ||
	    (r = form_param(&form, "appsecret_proof", proof, FBV_PROOF_HEX - 1)) != FBV_OK) {
		goto out;
	}
	hr.form = &form;
	if ((r = url_finish(u)) != FBV_OK)
		goto out;
	hr.url = (const char *)u->data;
	if ((r = graph_send(g, &hr, true, &j, err)) == FBV_OK) {
		json_free(&j);
		r = sbuf_put(out, g->resp.body.data, g->resp.body.len);
	}
out:
	sodium_memzero(proof, sizeof(proof));
	sbuf_free(&form);
	return r;
}

int
graph_api(struct graph *g, const struct sbuf *token, const struct graph_api_req *req,
    struct sbuf *out, struct graph_error *err)
{
	struct graph_error scratch;
	struct sbuf u;
	int r;

	err = graph_call_begin(err, &scratch, req->method == HTTP_GET ? GRAPH_CALL_API :
	    GRAPH_CALL_API_WRITE);
	sbuf_reset(out);
	if (token == NULL || !token_ok(token->data, token->len) || !graph_api_path_ok(req->path) ||
	    (req->paginate && req->method != HTTP_GET))
		return FBV_ERR_INVALID;
	sbuf_init(&u, URL_BUF_MAX);
	if ((r = graph_url(g, &u, req->path)) == FBV_OK)
		r = req->method == HTTP_GET ? get(g, token, req, &u, out, err) :
		    send_body(g, token, req, &u, out, err);
	sbuf_free(&u);
	sbuf_reset(&g->resp.body);
	if (r != FBV_OK)
		sbuf_reset(out);
	return r;
}
