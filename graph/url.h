/* URLs for the Graph client: checking the configured base, building
 * request URLs in wiping buffers, and vetting the paging links Graph
 * sends back before a token goes anywhere near them. */
#ifndef FBV_GRAPH_URL_H
#define FBV_GRAPH_URL_H

#include <stdbool.h>
#include <stddef.h>

#include "../crypto/secmem.h"

#define URL_MAX 8192
#define URL_HOST_MAX 256

struct url_origin {
	bool https;
	char host[URL_HOST_MAX];        /* lower case; IPv6 in brackets */
	unsigned port;                  /* explicit or the scheme's default */
};

/* Splits scheme://host[:port][/path][?query] (no user info, no
 * fragment, printable ASCII only). path_off is where the path starts
 * (len when there is none). */
int url_parse(const char *url, struct url_origin *o, size_t *path_off);
bool url_same_origin(const struct url_origin *a, const struct url_origin *b);
/* localhost, [::1] or a dotted quad in 127.0.0.0/8. */
bool url_host_is_loopback(const char *host);

/* Appends to b; url_finish() NUL-terminates (the NUL is not counted). */
int url_put(struct sbuf *b, const char *s);
int url_put_escaped(struct sbuf *b, const void *s, size_t len);
/* "&name=value" (or "?name=value" when first), value percent-encoded. */
int url_param(struct sbuf *b, bool first, const char *name, const void *value, size_t len);
int url_finish(struct sbuf *b);
/* "name=value" for an application/x-www-form-urlencoded body, after a
 * '&' when b holds a field already. */
int form_param(struct sbuf *b, const char *name, const void *value, size_t len);

/* The request for a paging link. FBV_ERR_INVALID when next does not
 * parse, FBV_ERR_PROTOCOL when its scheme, host or port differ from
 * base's: a token must never go to another server. Otherwise out holds
 * next without any access_token or appsecret_proof parameter, for the
 * caller to append its own; *has_query says whether a parameter is left. */
int url_next(const struct url_origin *base, const char *next, struct sbuf *out,
    bool *has_query);

#endif
