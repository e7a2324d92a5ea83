/* Batch requests: many debug_token calls in one POST, and the readers of
 * the answer (batch.h). The app token and its proof travel once, as the
 * batch's own access_token in the body; each item names only the token
 * it asks about, in its relative_url, inside that body. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../crypto/errors.h"
#include "batch.h"
#include "client.h"
#include "graph.h"
#include "parse.h"
#include "url.h"

/* Each token percent-encoded (x3) inside the batch, which the form
 * percent-encodes again (x3). */
#define BATCH_JSON_MAX (GRAPH_BATCH_MAX * (GRAPH_TOKEN_MAX * 3 + 96) + 8)
#define BATCH_FORM_MAX (BATCH_JSON_MAX * 3 + 4 * GRAPH_SECRET_MAX + 256)
#define BATCH_ROUNDS 2          /* a batch, and once more for the items left null */

static int
proto(int r)
{
	return r == FBV_OK || r == FBV_ERR_NOMEM ? r : FBV_ERR_PROTOCOL;
}

int
parse_batch(long status, const char *body, size_t len, size_t n, struct json *j,
    struct graph_error *err)
{
	int r;

	if (json_parse_array(j, body, len) == FBV_OK) {
		if (status >= 200 && status <= 299 && (size_t)json_size(j, 0) == n)
			return FBV_OK;
		json_free(j);
		graph_why(err, status >= 200 && status <= 299 ? "the batch answer has the wrong "
		    "number of items" : "an error status without a Graph error");
		return FBV_ERR_PROTOCOL;
	}
	if ((r = parse_response(status, body, len, j, err)) == FBV_OK) {
		json_free(j);
		graph_why(err, "the batch answer is not an array");
		r = FBV_ERR_PROTOCOL;
	}
	return r;
}

/* Where a usage header of this name goes, or NULL. */
static char *
usage_slot(const char *name, struct batch_item *it, size_t *cap)
{
	if (strcasecmp(name, "X-App-Usage") == 0) {
		*cap = sizeof(it->app_usage);
		return it->app_usage;
	}
	if (strcasecmp(name, "X-Page-Usage") == 0) {
		*cap = sizeof(it->page_usage);
		return it->page_usage;
	}
	if (strcasecmp(name, "X-Business-Use-Case-Usage") == 0) {
		*cap = sizeof(it->buc_usage);
		return it->buc_usage;
	}
	return NULL;
}

/* [{"name":N,"value":V},...]: the usage headers kept, the rest skipped;
 * a value too long for its slot is dropped, not cut. */
static int
read_headers(const struct json *j, int arr, struct batch_item *it)
{
	char name[64], *dst;
	size_t cap;
	int k, h, v, nm;

	if (json_type(j, arr) != JSON_ARRAY)
		return FBV_ERR_PROTOCOL;
	for (k = 0, h = arr + 1; k < json_size(j, arr); k++, h = json_next(j, h)) {
		if (json_type(j, h) != JSON_OBJECT ||
		    json_type(j, nm = json_get(j, h, "name")) != JSON_STRING ||
		    json_type(j, v = json_get(j, h, "value")) != JSON_STRING)
			return FBV_ERR_PROTOCOL;
		if (json_string(j, nm, name, sizeof(name)) != FBV_OK ||
		    (dst = usage_slot(name, it, &cap)) == NULL)
			continue;
		if (json_string(j, v, dst, cap) != FBV_OK)
			dst[0] = '\0';
	}
	return FBV_OK;
}

int
parse_batch_item(const struct json *j, int i, struct batch_item *it)
{
	int64_t code;
	int v, r;

	it->missing = false;
	it->code = 0;
	it->app_usage[0] = it->page_usage[0] = it->buc_usage[0] = '\0';
	sbuf_reset(&it->body);
	if (json_is_null(j, i)) {
		it->missing = true;
		return FBV_OK;
	}
	if (json_type(j, i) != JSON_OBJECT || json_int(j, json_get(j, i, "code"), &code) != FBV_OK ||
	    code < 100 || code > 599)
		return FBV_ERR_PROTOCOL;
	it->code = (long)code;
	if ((v = json_get(j, i, "headers")) >= 0 && !json_is_null(j, v) &&
	    (r = read_headers(j, v, it)) != FBV_OK)
		return r;
	if ((r = proto(json_sbuf(j, json_get(j, i, "body"), &it->body))) != FBV_OK)
		return r;
	return FBV_OK;
}

int
parse_batch_answer(const struct batch_item *it, struct json *j, struct graph_error *err)
{
	err->http_status = it->code;
	graph_note_usage(err, it->app_usage, it->page_usage, it->buc_usage);
	return parse_response(it->code, (const char *)it->body.data, it->body.len, j, err);
}

/* [{"method":"GET","relative_url":"debug_token?input_token=T"},...] for
 * the tokens at idx[0..n), and the app token with its proof, as a form. */
static int
debug_form(const struct graph *g, const struct sbuf *const *tokens, const size_t *idx,
    size_t n, struct sbuf *form)
{
	struct sbuf js, app;
	size_t k;
	int r;

	sbuf_init(&js, BATCH_JSON_MAX);
	sbuf_init(&app, sizeof(g->app_id) + 1 + GRAPH_SECRET_MAX);
	r = url_put(&js, "[");
	for (k = 0; k < n && r == FBV_OK; k++) {
		if ((r = url_put(&js, k > 0 ? ",{" : "{")) == FBV_OK &&
		    (r = url_put(&js, "\"method\":\"GET\",\"relative_url\":"
		    "\"debug_token?input_token=")) == FBV_OK &&
		    (r = url_put_escaped(&js, tokens[idx[k]]->data, tokens[idx[k]]->len)) == FBV_OK)
			r = url_put(&js, "\"}");
	}
	if (r == FBV_OK && (r = url_put(&js, "]")) == FBV_OK &&
	    (r = graph_app_token(g, &app)) == FBV_OK &&
	    (r = graph_form_token(g, form, &app)) == FBV_OK)
		r = form_param(form, "batch", js.data, js.len);
	sbuf_free(&app);
	sbuf_free(&js);
	return r;
}

static int
post_batch(struct graph *g, struct sbuf *form, struct graph_error *err)
{
	struct http_request req = { HTTP_POST, NULL, form, NULL, 0 };
	struct sbuf u;
	int r;

	sbuf_init(&u, URL_BUF_MAX);
	if ((r = graph_url(g, &u, "")) == FBV_OK && (r = url_finish(&u)) == FBV_OK) {
		req.url = (const char *)u.data;
		r = graph_perform(g, &req, err);
	}
	sbuf_free(&u);
	sbuf_reset(form);
	return r;
}

/* The answer of item k into infos[idx[k]]; a Graph error for it fails
 * the whole call with that error. */
static int
debug_item(struct batch_item *it, struct graph_token_info *info, struct graph_error *err)
{
	struct json j;
	int r;

	if ((r = parse_batch_answer(it, &j, err)) != FBV_OK)
		return r;
	graph_token_info_free(info);
	r = graph_shape(err, parse_debug(&j, info));
	json_free(&j);
	return r;
}

/* One batch for idx[0..*n); the indices of the items Graph left null
 * stay in idx, *n of them. */
static int
debug_round(struct graph *g, const struct sbuf *const *tokens, size_t *idx, size_t *n,
    struct graph_token_info *infos, struct graph_error *err)
{
	struct batch_item it;
	struct sbuf form;
	struct json j = { 0 };
	size_t k, left = 0;
	int r, i;

	sbuf_init(&form, BATCH_FORM_MAX);
	sbuf_init(&it.body, GRAPH_MAX_BODY);
	if ((r = debug_form(g, tokens, idx, *n, &form)) != FBV_OK ||
	    (r = post_batch(g, &form, err)) != FBV_OK ||
	    (r = parse_batch(g->resp.status, (const char *)g->resp.body.data, g->resp.body.len,
	    *n, &j, err)) != FBV_OK)
		goto out;
	for (k = 0, i = 1; k < *n && r == FBV_OK; k++, i = json_next(&j, i)) {
		if ((r = graph_shape(err, parse_batch_item(&j, i, &it))) != FBV_OK)
			break;
		if (it.missing)
			idx[left++] = idx[k];
		else
			r = debug_item(&it, &infos[idx[k]], err);
	}
	*n = left;
	json_free(&j);
out:
	sbuf_free(&it.body);
	sbuf_free(&form);
	sbuf_reset(&g->resp.body);
	return r;
}

static int
debug_chunk(struct graph *g, const struct sbuf *const *tokens, size_t from, size_t n,
    struct graph_token_info *infos, struct graph_error *err)
{
	size_t idx[GRAPH_BATCH_MAX], k, left = n;
	int round, r = FBV_OK;

	for (k = 0; k < n; k++)
		idx[k] = from + k;
	for (round = 0; round < BATCH_ROUNDS && left > 0 && r == FBV_OK; round++)
		r = debug_round(g, tokens, idx, &left, infos, err);
	if (r == FBV_OK && left > 0) {
		graph_why(err, "Graph left requests of a batch unanswered twice");
		r = FBV_ERR_TEMPFAIL;
	}
	return r;
}

int
graph_debug_tokens(struct graph *g, const struct sbuf *const *tokens, size_t n,
    struct graph_token_info *infos, struct graph_error *err)
{
	struct graph_error scratch;
	size_t k;
	int r = FBV_OK;

	err = graph_call_begin(err, &scratch, GRAPH_CALL_DEBUG);
	for (k = 0; k < n; k++)
		graph_token_info_init(&infos[k]);
	for (k = 0; k < n; k++)
		if (tokens[k] == NULL || !token_ok(tokens[k]->data, tokens[k]->len))
			return FBV_ERR_INVALID;
	for (k = 0; k < n && r == FBV_OK; k += GRAPH_BATCH_MAX)
		r = debug_chunk(g, tokens, k, n - k < GRAPH_BATCH_MAX ? n - k : GRAPH_BATCH_MAX,
		    infos, err);
	return r;
}
