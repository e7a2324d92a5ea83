/* Inside the Graph client: the client itself and the steps every call is
 * made of, shared by graph.c (the token flow) and post.c (posting). Not
 * for use outside graph/. */
#ifndef FBV_GRAPH_CLIENT_H
#define FBV_GRAPH_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include "../crypto/secmem.h"
#include "graph.h"
#include "http.h"
#include "json.h"
#include "url.h"

#define URL_BUF_MAX (64 * 1024)

struct graph {
	const struct http_ops *ops;
	struct http_client *http;
	struct url_origin origin;       /* of base: paging links must match it */
	char *base;                     /* without a trailing slash */
	char version[16];
	char app_id[32];
	unsigned char *secret;          /* secret_alloc() */
	size_t secret_len;
	struct http_response resp;
};

void graph_copy_str(char *dst, size_t cap, const char *src);
bool graph_all_digits(const char *s, size_t min, size_t max);
/* err, or scratch when err is NULL, cleared and marked with call. */
struct graph_error *graph_call_begin(struct graph_error *err, struct graph_error *scratch,
    enum graph_call call);
/* u = base[/version]/path */
int graph_url(const struct graph *g, struct sbuf *u, const char *path);
/* access_token and, always beside it, its appsecret_proof, as URL
 * parameters. */
int graph_put_token(const struct graph *g, struct sbuf *u, bool first, const unsigned char *tok,
    size_t len);
/* The same as form fields of a body. */
int graph_form_token(const struct graph *g, struct sbuf *b, const struct sbuf *tok);
void graph_why(struct graph_error *err, const char *what);
/* Sends req (again, once, when it certainly never left); on FBV_OK
 * g->resp holds the answer as it came, for any status. */
int graph_perform(struct graph *g, const struct http_request *req, struct graph_error *err);
/* The usage headers (X-App-Usage, X-Page-Usage,
 * X-Business-Use-Case-Usage) into err, with the minutes to wait. */
void graph_note_usage(struct graph_error *err, const char *app, const char *page,
    const char *buc);
/* The app token APP_ID|APP_SECRET into t (sbuf_init()ed with room for
 * both), where it gets wiped. */
int graph_app_token(const struct graph *g, struct sbuf *t);
/* Sends req and sorts out the answer; on FBV_OK *j reads g->resp.body,
 * which the caller wipes when done. acts: the request changes something
 * visible, so an answer that never came or does not read is
 * FBV_ERR_UNCERTAIN, not a failure to retry. */
int graph_send(struct graph *g, const struct http_request *req, bool acts, struct json *j,
    struct graph_error *err);
/* GETs the URL in u (wiped afterwards). */
int graph_fetch(struct graph *g, struct sbuf *u, struct json *j, struct graph_error *err);
/* A protocol error with no reason yet gets "lacks the expected fields". */
int graph_shape(struct graph_error *err, int r);
/* The request for a paging link: our origin only, our token and proof in
 * place of any the link holds. */
int graph_follow(const struct graph *g, const struct sbuf *next, const struct sbuf *token,
    struct sbuf *u, struct graph_error *err);

/* One answer of a paged edge: its items taken, paging.next left in next
 * (len 0: the last). */
typedef int (*graph_page_fn)(const struct json *j, void *state, struct sbuf *next);
/* GETs u and every page after it (graph_follow()), at most
 * GRAPH_MAX_PAGING, handing each answer to fn. */
int graph_walk(struct graph *g, const struct sbuf *token, struct sbuf *u, graph_page_fn fn,
    void *state, struct graph_error *err);

#endif
