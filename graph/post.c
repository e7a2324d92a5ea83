/* Posting to a page: publish or schedule a post (text, a link, photos
 * streamed from disk), list the scheduled ones, delete one. Every
 * request that changes the page carries the page token and its proof in
 * its body, never in the URL; a request that may have been carried out
 * without a clear answer is FBV_ERR_UNCERTAIN and is never sent again
 * from here. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../crypto/errors.h"
#include "client.h"
#include "graph.h"
#include "http.h"
#include "parse.h"
#include "url.h"

#define FORM_MAX (GRAPH_MESSAGE_MAX * 3 + 64 * 1024)
#define TIME_MAX 24

static int
form_schedule(struct sbuf *b, int64_t at)
{
	char t[TIME_MAX];
	int r;

	if (at == 0)
		return FBV_OK;
	snprintf(t, sizeof(t), "%" PRId64, at);
	if ((r = form_param(b, "published", "false", 5)) != FBV_OK)
		return r;
	return form_param(b, "scheduled_publish_time", t, strlen(t));
}

/* attached_media[K]={"media_fbid":"ID"} for each uploaded photo. */
static int
form_media(struct sbuf *b, const struct graph_posted *out)
{
	char name[48], value[96];
	size_t k;
	int r = FBV_OK;

	for (k = 0; k < out->nphotos && r == FBV_OK; k++) {
		snprintf(name, sizeof(name), "attached_media[%zu]", k);
		snprintf(value, sizeof(value), "{\"media_fbid\":\"%s\"}", out->photo_ids[k]);
		r = form_param(b, name, value, strlen(value));
	}
	return r;
}

/* A form-encoded request to base/version/path; form is wiped. */
static int
send_form(struct graph *g, enum http_method m, const char *path, struct sbuf *form,
    struct json *j, struct graph_error *err)
{
	struct http_request req = { m, NULL, form, NULL, 0 };
	struct sbuf u;
	int r;

	sbuf_init(&u, URL_BUF_MAX);
	if ((r = graph_url(g, &u, path)) == FBV_OK && (r = url_finish(&u)) == FBV_OK) {
		req.url = (const char *)u.data;
		r = graph_send(g, &req, true, j, err);
	}
	sbuf_free(&u);
	sbuf_reset(form);
	return r;
}

/* An answer that came but does not say what was done: done, maybe. */
static int
acted(struct graph_error *err, int r)
{
	if (r != FBV_ERR_PROTOCOL)
		return r;
	graph_shape(err, r);
	return FBV_ERR_UNCERTAIN;
}

static int
publish_feed(struct graph *g, const struct sbuf *tok, const char *page_id,
    const struct graph_post *p, struct graph_posted *out, struct graph_error *err)
{
	char path[96];
	struct sbuf form;
	struct json j;
	int r;

	snprintf(path, sizeof(path), "%s/feed", page_id);
	sbuf_init(&form, FORM_MAX);
	if ((p->message == NULL ||
	    (r = form_param(&form, "message", p->message, p->message_len)) == FBV_OK) &&
	    (p->link == NULL || (r = form_param(&form, "link", p->link, strlen(p->link))) == FBV_OK) &&
	    (r = form_media(&form, out)) == FBV_OK &&
	    (r = form_schedule(&form, p->scheduled_at)) == FBV_OK &&
	    (r = graph_form_token(g, &form, tok)) == FBV_OK &&
	    (r = send_form(g, HTTP_POST, path, &form, &j, err)) == FBV_OK) {
		r = acted(err, parse_posted(&j, false, out));
		json_free(&j);
	}
	sbuf_free(&form);
	sbuf_reset(&g->resp.body);
	return r;
}

struct parts {
	struct http_part v[HTTP_MAX_PARTS];
	size_t n;
};

static void
part(struct parts *ps, const char *name, const void *value, size_t len)
{
	ps->v[ps->n++] = (struct http_part){ name, value, len, NULL, NULL };
}

/* One photo through /photos, multipart: shown as the post itself
 * (single), or uploaded unpublished for a post of several. */
static int
publish_photo(struct graph *g, const struct sbuf *tok, const char *page_id,
    const struct graph_post *p, const char *file, bool single, struct graph_posted *out,
    struct graph_error *err)
{
	struct http_request req = { HTTP_POST, NULL, NULL, NULL, 0 };
	char path[96], proof[FBV_PROOF_HEX], at[TIME_MAX];
	struct parts ps = { .n = 0 };
	struct sbuf u;
	struct json j;
	int r;

	snprintf(path, sizeof(path), "%s/photos", page_id);
	snprintf(at, sizeof(at), "%" PRId64, p->scheduled_at);
	appsecret_proof(proof, g->secret, g->secret_len, tok->data, tok->len);
	if (graph_is_url(file))
		part(&ps, "url", file, strlen(file));
	else
		ps.v[ps.n++] = (struct http_part){ "source", NULL, 0, file, NULL };
	if (single && p->message != NULL)
		part(&ps, "message", p->message, p->message_len);
	if (!single || p->scheduled_at != 0)
		part(&ps, "published", "false", 5);
	if (single && p->scheduled_at != 0)
		part(&ps, "scheduled_publish_time", at, strlen(at));
	part(&ps, "access_token", tok->data, tok->len);
	part(&ps, "appsecret_proof", proof, FBV_PROOF_HEX - 1);
	req.parts = ps.v;
	req.nparts = ps.n;
	sbuf_init(&u, URL_BUF_MAX);
	if ((r = graph_url(g, &u, path)) == FBV_OK && (r = url_finish(&u)) == FBV_OK) {
		req.url = (const char *)u.data;
		if ((r = graph_send(g, &req, single, &j, err)) == FBV_OK) {
			r = parse_posted(&j, true, out);
			r = single ? acted(err, r) : graph_shape(err, r);
			json_free(&j);
		}
	}
	sodium_memzero(proof, sizeof(proof));
	sbuf_free(&u);
	sbuf_reset(&g->resp.body);
	return r;
}

bool
graph_is_url(const char *s)
{
	return strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0;
}

static bool
post_ok(const struct graph_post *p)
{
	if (p->nphotos > GRAPH_MAX_PHOTOS || (p->nphotos > 0 && p->photos == NULL) ||
	    (p->nphotos > 0 && p->link != NULL) || p->scheduled_at < 0)
		return false;
	if (p->message != NULL && (p->message_len == 0 || p->message_len > GRAPH_MESSAGE_MAX))
		return false;
	return p->message != NULL || p->link != NULL || p->nphotos > 0;
}

int
graph_publish(struct graph *g, const struct sbuf *page_token, const char *page_id,
    const struct graph_post *p, struct graph_posted *out, struct graph_error *err)
{
	struct graph_error scratch;
	size_t k;
	int r = FBV_OK;

	err = graph_call_begin(err, &scratch, GRAPH_CALL_PUBLISH);
	memset(out, 0, sizeof(*out));
	if (page_token == NULL || !token_ok(page_token->data, page_token->len) ||
	    page_id == NULL || !graph_all_digits(page_id, 1, 30) || !post_ok(p))
		return FBV_ERR_INVALID;
	if (p->nphotos == 1)
		return publish_photo(g, page_token, page_id, p, p->photos[0], true, out, err);
	for (k = 0; k < p->nphotos && r == FBV_OK; k++) {
		err->call = GRAPH_CALL_UPLOAD;
		r = publish_photo(g, page_token, page_id, p, p->photos[k], false, out, err);
	}
	if (r != FBV_OK)
		return r;
	err->call = GRAPH_CALL_PUBLISH;
	return publish_feed(g, page_token, page_id, p, out, err);
}

struct scheduled_walk {
	struct graph_scheduled **items;
	size_t *n, cap;
};

static int
scheduled_page(const struct json *j, void *state, struct sbuf *next)
{
	struct scheduled_walk *w = state;

	return parse_scheduled(j, w->items, w->n, &w->cap, next);
}

int
graph_scheduled(struct graph *g, const struct sbuf *page_token, const char *page_id,
    struct graph_scheduled **items, size_t *n, struct graph_error *err)
{
	static const char fields[] = "id,message,scheduled_publish_time";
	struct graph_error scratch;
	char path[96];
	struct sbuf u;
	int r;

	err = graph_call_begin(err, &scratch, GRAPH_CALL_SCHEDULED);
	*items = NULL;
	*n = 0;
	if (page_token == NULL || !token_ok(page_token->data, page_token->len) ||
	    page_id == NULL || !graph_all_digits(page_id, 1, 30))
		return FBV_ERR_INVALID;
	snprintf(path, sizeof(path), "%s/scheduled_posts", page_id);
	sbuf_init(&u, URL_BUF_MAX);
	if ((r = graph_url(g, &u, path)) == FBV_OK &&
	    (r = url_param(&u, true, "fields", fields, sizeof(fields) - 1)) == FBV_OK &&
	    (r = url_param(&u, false, "limit", "100", 3)) == FBV_OK &&
	    (r = graph_put_token(g, &u, false, page_token->data, page_token->len)) == FBV_OK)
		r = graph_walk(g, page_token, &u, scheduled_page,
		    &(struct scheduled_walk){ items, n, 0 }, err);
	sbuf_free(&u);
	if (r != FBV_OK) {
		graph_scheduled_free(*items, *n);
		*items = NULL;
		*n = 0;
	}
	return r;
}

int
graph_delete(struct graph *g, const struct sbuf *page_token, const char *post_id,
    struct graph_error *err)
{
	struct graph_error scratch;
	struct sbuf form;
	struct json j;
	int r;

	err = graph_call_begin(err, &scratch, GRAPH_CALL_DELETE);
	if (page_token == NULL || !token_ok(page_token->data, page_token->len) ||
	    post_id == NULL || !graph_post_id_ok(post_id))
		return FBV_ERR_INVALID;
	sbuf_init(&form, FORM_MAX);
	if ((r = graph_form_token(g, &form, page_token)) == FBV_OK &&
	    (r = send_form(g, HTTP_DELETE, post_id, &form, &j, err)) == FBV_OK) {
		r = acted(err, parse_success(&j));
		json_free(&j);
	}
	sbuf_free(&form);
	sbuf_reset(&g->resp.body);
	return r;
}
