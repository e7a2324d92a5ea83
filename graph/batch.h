/* Graph batch requests: POST /{ver}/ with batch=[{"method","relative_url"},
 * ...], up to GRAPH_BATCH_MAX requests, answered by one JSON array in
 * request order whose items are
 *
 *   {"code":200,"headers":[{"name":"X-App-Usage","value":"{...}"},...],
 *    "body":"{...the answer's JSON, as a string...}"}
 *
 * or null for a request Graph did not complete (to be sent again). The
 * readers of that answer, apart from the transport so that tests and the
 * fuzzer can feed them bytes. Not for use outside graph/ but by those. */
#ifndef FBV_GRAPH_BATCH_H
#define FBV_GRAPH_BATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "../crypto/secmem.h"
#include "graph.h"
#include "json.h"

/* One item of the answer. body is the caller's (sbuf_init()ed, wiped:
 * it may hold tokens); the usage headers are "" when absent. */
struct batch_item {
	bool missing;                   /* null: not completed */
	long code;                      /* its HTTP status, 100..599 */
	struct sbuf body;
	char app_usage[256];
	char page_usage[256];
	char buc_usage[512];
};

/* The whole answer to a batch of n requests: FBV_OK with *j the array of
 * exactly n items when status is 2xx; a Graph error object (any status)
 * is FBV_ERR_REFUSED or FBV_ERR_TEMPFAIL with err filled, as
 * parse_response() says; anything else FBV_ERR_PROTOCOL. */
int parse_batch(long status, const char *body, size_t len, size_t n, struct json *j,
    struct graph_error *err);
/* Item at token index i of the array: an object with a numeric code and
 * a string body (headers optional, each {"name","value"} strings), or
 * null. FBV_ERR_PROTOCOL for anything else. */
int parse_batch_item(const struct json *j, int i, struct batch_item *it);
/* An item's body as an answer of its own: parse_response() with the
 * item's code, its usage headers noted in err. */
int parse_batch_answer(const struct batch_item *it, struct json *j, struct graph_error *err);

#endif
