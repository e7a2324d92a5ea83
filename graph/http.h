/* HTTPS GET for the Graph client. The implementation (http_curl.c) is a
 * module of its own that links libcurl, loaded by the caller (cli/module.c)
 * and handed to graph_open(). The module exports one symbol,
 * FBV_HTTP_SYMBOL, a struct http_ops. */
#ifndef FBV_HTTP_H
#define FBV_HTTP_H

#include <stddef.h>

#include "../crypto/secmem.h"

#define FBV_HTTP_ABI 2
#define FBV_HTTP_SYMBOL "fbvault_http_ops"

struct http_opts {
	const char *ca_file;            /* CA bundle trusted instead of the
					 * system's, or NULL for the system's */
	long connect_timeout_ms;
	long timeout_ms;                /* whole request */
	size_t max_body;                /* a larger body fails the call */
	const char *user_agent;
};

struct http_response {
	long status;
	struct sbuf body;               /* wiped: it may hold tokens */
	char app_usage[512];            /* X-App-Usage header, or "" */
	char error[128];                /* why, on FBV_ERR_NET; never a URL */
};

struct http_client;

struct http_ops {
	int abi;
	/* NULL on allocation failure. */
	struct http_client *(*open)(const struct http_opts *opts);
	/* FBV_OK with any HTTP status; FBV_ERR_NET when no response came
	 * (no connection, TLS failure, timeout, reset); FBV_ERR_PROTOCOL
	 * when the body exceeded max_body. Never follows redirects.
	 * resp->body is the caller's (sbuf_init() before the first call,
	 * sbuf_free() after the last); each call resets every field of
	 * resp and caps the body at max_body. */
	int (*get)(struct http_client *c, const char *url, struct http_response *resp);
	/* Connections opened so far (one per TLS handshake). */
	long (*connections)(struct http_client *c);
	void (*close)(struct http_client *c);
};

#endif
