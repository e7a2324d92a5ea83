/* HTTPS for the Graph client: GET, form-encoded POST and DELETE, and
 * multipart POST with a file streamed from disk. The implementation
 * (http_curl.c) is a module of its own that links libcurl, loaded by the
 * caller (cli/module.c) and handed to graph_open(). The module exports
 * one symbol, FBV_HTTP_SYMBOL, a struct http_ops. */
#ifndef FBV_HTTP_H
#define FBV_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "../crypto/secmem.h"

/* 3: perform() with a method and a body replaced get(); the usage
 * headers and "sent" joined the response. 4: the body is written with the
 * caller's body_put/body_reset. */
#define FBV_HTTP_ABI 4
#define FBV_HTTP_SYMBOL "fbvault_http_ops"
#define HTTP_MAX_PARTS 16

struct http_opts {
	const char *ca_file;            /* CA bundle trusted instead of the
					 * system's, or NULL for the system's */
	long connect_timeout_ms;
	long timeout_ms;                /* whole request */
	size_t max_body;                /* a larger body fails the call */
	const char *user_agent;
	/* Secret memory belongs to the caller: the module writes the response
	 * body only with these (the caller's sbuf_put and sbuf_reset) and has
	 * no allocator of its own, so one allocator owns every secret buffer
	 * (crypto/secmem.c shares one region among small secrets). */
	int (*body_put)(struct sbuf *b, const void *p, size_t n);
	void (*body_reset)(struct sbuf *b);
};

enum http_method { HTTP_GET, HTTP_POST, HTTP_DELETE };

/* One field of a multipart/form-data body: a value in the caller's
 * memory, which the module reads in place and never copies whole (it may
 * be a token), or a file, read from disk in pieces as it is sent. */
struct http_part {
	const char *name;
	const void *value;
	size_t len;
	const char *path;               /* a file to send; NULL for a value */
	const char *type;               /* the file's Content-Type; NULL: by its name */
};

struct http_request {
	enum http_method method;
	const char *url;
	/* An application/x-www-form-urlencoded body (POST or DELETE), or
	 * NULL; read in place. */
	const struct sbuf *form;
	/* A multipart/form-data body (POST) when nparts > 0; form is then
	 * ignored. */
	const struct http_part *parts;
	size_t nparts;
};

struct http_response {
	long status;
	struct sbuf body;               /* wiped: it may hold tokens */
	/* false only when the request certainly never left: no connection,
	 * TLS failure, a file that cannot be read before anything was sent.
	 * A timeout or a reset after that may have come after the server
	 * acted on it. */
	bool sent;
	char app_usage[512];            /* X-App-Usage header, or "" */
	char page_usage[512];           /* X-Page-Usage */
	char buc_usage[1024];           /* X-Business-Use-Case-Usage */
	char error[128];                /* why, on FBV_ERR_NET; never a URL */
};

struct http_client;

struct http_ops {
	int abi;
	/* NULL on allocation failure. */
	struct http_client *(*open)(const struct http_opts *opts);
	/* FBV_OK with any HTTP status; FBV_ERR_NET when no response came
	 * (no connection, TLS failure, timeout, reset: resp->sent tells
	 * which); FBV_ERR_PROTOCOL when the body exceeded max_body or came
	 * incomplete. Never follows redirects. resp->body is the caller's
	 * (sbuf_init() before the first call, sbuf_free() after the last);
	 * each call resets every field of resp and caps the body at
	 * max_body. */
	int (*perform)(struct http_client *c, const struct http_request *req,
	    struct http_response *resp);
	/* Connections opened so far (one per TLS handshake). */
	long (*connections)(struct http_client *c);
	void (*close)(struct http_client *c);
};

#endif
