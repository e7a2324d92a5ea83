/* Graph response bodies to results: what graph.c does with each answer,
 * kept apart from the transport so tests can feed it strings. */
#ifndef FBV_GRAPH_PARSE_H
#define FBV_GRAPH_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "graph.h"
#include "json.h"

/* FBV_OK with *j parsed when status is 2xx and the body is a JSON object
 * without "error". A {"error":{...}} body (any status) is FBV_ERR_REFUSED
 * or FBV_ERR_TEMPFAIL with err filled; anything else FBV_ERR_PROTOCOL.
 * err->http_status and err->app_usage are the caller's to set. */
int parse_response(long status, const char *body, size_t len, struct json *j,
    struct graph_error *err);
/* FBV_ERR_TEMPFAIL or FBV_ERR_REFUSED for a filled-in Graph error. */
int parse_error_class(const struct graph_error *err);
/* Code 1 "Error validating client secret": the App Secret is wrong. */
bool parse_bad_secret(const struct graph_error *err);

int parse_exchange(const struct json *j, struct sbuf *token, int64_t *expires_in);
/* out->token must be sbuf_init()ed. A page without access_token is
 * FBV_ERR_REFUSED with err->code 0. */
int parse_page(const struct json *j, const char *page_id, struct graph_page *out,
    struct graph_error *err);
/* Appends the entries of one /me/accounts result page to *pages (*n in
 * use, *cap allocated) and leaves paging.next in next (len 0 if none). */
int parse_accounts(const struct json *j, struct graph_page **pages, size_t *n, size_t *cap,
    struct sbuf *next);
int parse_debug(const struct json *j, struct graph_token_info *out);
/* The largest estimated_time_to_regain_access (minutes) in an
 * X-Business-Use-Case-Usage value; 0 when none. */
int parse_buc_minutes(const char *s, size_t len);
/* {"id":"PAGE_POST"} from /feed; photo: {"id":PHOTO[,"post_id":..]},
 * appended to out->photo_ids. */
int parse_posted(const struct json *j, bool photo, struct graph_posted *out);
/* One result page of /{page}/scheduled_posts, appended to *items (*n in
 * use, *cap allocated); paging.next left in next (len 0 if none). */
int parse_scheduled(const struct json *j, struct graph_scheduled **items, size_t *n,
    size_t *cap, struct sbuf *next);
/* {"success":true} */
int parse_success(const struct json *j);

/* Tokens as fbvault accepts them: 1..GRAPH_TOKEN_MAX printable ASCII
 * bytes, no space. */
bool token_ok(const unsigned char *t, size_t len);

#endif
