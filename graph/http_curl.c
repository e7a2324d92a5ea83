/* The HTTPS module: struct http_ops over one libcurl easy handle, reused
 * for every request so that a whole login flow runs over one connection
 * (one TLS handshake, counted by CURLINFO_NUM_CONNECTS).
 *
 * Bodies are read where the caller keeps them, which wipes them: a form
 * through CURLOPT_POSTFIELDS (not copied), multipart values through read
 * callbacks (curl_mime_data() would copy them into memory nobody wipes),
 * files through curl_mime_filedata(), which reads them as they go out.
 *
 * Certificate and host name verification are always on; there is no
 * setting to turn them off. A ca_file replaces the system bundle (libcurl
 * cannot add to it): the tests trust only their own CA that way.
 * Redirects are never followed, so a token in a URL goes only where the
 * caller sent it. Nothing here prints or keeps a URL. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <sodium.h>

#include "../crypto/errors.h"
#include "http.h"

/* A multipart value, read in place. */
struct part_reader {
	const unsigned char *p;
	size_t len, off;
};

struct http_client {
	CURL *curl;
	long connections;
	size_t max_body;
	char *ca_file;
	char *user_agent;
	struct curl_slist *headers;     /* sent with every request */
	struct http_response *resp;     /* the one being received */
	int (*body_put)(struct sbuf *b, const void *p, size_t n);
	void (*body_reset)(struct sbuf *b);
	int body_err;
	struct part_reader readers[HTTP_MAX_PARTS];
	char errbuf[CURL_ERROR_SIZE];
};

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct http_client *c = arg;
	size_t len = size * n;
	int r;

	if ((r = c->body_put(&c->resp->body, p, len)) != FBV_OK) {
		c->body_err = r;
		return 0;       /* aborts the transfer */
	}
	return len;
}

/* The value of header name (lower case, with its colon) in the line
 * p[0..len), trimmed, into out[cap]; false when the line is another. */
static bool
header_value(const char *p, size_t len, const char *name, char *out, size_t cap)
{
	size_t n = strlen(name), keep;
	const char *v = p + n, *e = p + len;

	if (len < n || strncasecmp(p, name, n) != 0)
		return false;
	while (v < e && (*v == ' ' || *v == '\t'))
		v++;
	while (e > v && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		e--;
	keep = (size_t)(e - v);
	if (keep >= cap)
		keep = cap - 1;
	memcpy(out, v, keep);
	out[keep] = '\0';
	return true;
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct http_client *c = arg;
	struct http_response *r = c->resp;
	size_t len = size * n;

	if (!header_value(p, len, "x-app-usage:", r->app_usage, sizeof(r->app_usage)) &&
	    !header_value(p, len, "x-page-usage:", r->page_usage, sizeof(r->page_usage)))
		header_value(p, len, "x-business-use-case-usage:", r->buc_usage,
		    sizeof(r->buc_usage));
	return len;
}

static size_t
on_part_read(char *buf, size_t size, size_t n, void *arg)
{
	struct part_reader *pr = arg;
	size_t len = size * n, left = pr->len - pr->off;

	if (len > left)
		len = left;
	if (len > 0)
		memcpy(buf, pr->p + pr->off, len);
	pr->off += len;
	return len;
}

/* curl rewinds a body when it sends it again (a reused connection that
 * turned out closed). */
static int
on_part_seek(void *arg, curl_off_t offset, int origin)
{
	struct part_reader *pr = arg;

	if (origin != SEEK_SET || offset < 0 || (size_t)offset > pr->len)
		return CURL_SEEKFUNC_FAIL;
	pr->off = (size_t)offset;
	return CURL_SEEKFUNC_OK;
}

#define SET(opt, val) \
	do { if (r == CURLE_OK) r = curl_easy_setopt(c->curl, opt, val); } while (0)

static CURLcode
setup(struct http_client *c, const struct http_opts *o)
{
	CURLcode r = CURLE_OK;

	SET(CURLOPT_PROTOCOLS_STR, "https,http");
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
	SET(CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	if (c->ca_file != NULL) {
		SET(CURLOPT_CAINFO, c->ca_file);
		SET(CURLOPT_CAPATH, (char *)NULL);
	}
	SET(CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
	SET(CURLOPT_TIMEOUT_MS, o->timeout_ms);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_body);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, c);
	SET(CURLOPT_HEADERFUNCTION, on_header);
	SET(CURLOPT_HEADERDATA, c);
	SET(CURLOPT_ERRORBUFFER, c->errbuf);
	if (c->user_agent != NULL)
		SET(CURLOPT_USERAGENT, c->user_agent);
	/* No "Expect: 100-continue": it costs a round trip (or a second's
	 * wait) before every upload. */
	SET(CURLOPT_HTTPHEADER, c->headers);
	return r;
}

#undef SET

static void http_close(struct http_client *c);

static struct http_client *
http_open(const struct http_opts *o)
{
	static bool curl_ready;
	struct http_client *c;

	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			return NULL;
		curl_ready = true;
	}
	if (o->body_put == NULL || o->body_reset == NULL ||
	    (c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->max_body = o->max_body;
	c->body_put = o->body_put;
	c->body_reset = o->body_reset;
	if ((c->curl = curl_easy_init()) == NULL ||
	    (o->ca_file != NULL && (c->ca_file = strdup(o->ca_file)) == NULL) ||
	    (o->user_agent != NULL && (c->user_agent = strdup(o->user_agent)) == NULL) ||
	    (c->headers = curl_slist_append(NULL, "Expect:")) == NULL ||
	    setup(c, o) != CURLE_OK) {
		http_close(c);
		return NULL;
	}
	return c;
}

static void
reset_response(struct http_client *c, struct http_response *resp)
{
	resp->status = 0;
	c->body_reset(&resp->body);
	resp->body.max = c->max_body;
	resp->sent = false;
	resp->app_usage[0] = resp->page_usage[0] = resp->buc_usage[0] = '\0';
	resp->error[0] = '\0';
}

/* libcurl's error buffer says more than curl_easy_strerror() ("SSL
 * certificate problem: unable to get local issuer certificate"), but is
 * used only when it cannot be carrying a URL or a query. */
static void
net_reason(const struct http_client *c, CURLcode rc, char *out, size_t len)
{
	const char *why = c->errbuf;
	size_t n = strlen(why);

	if (n == 0 || strpbrk(why, "?&=%") != NULL || strstr(why, "://") != NULL)
		why = curl_easy_strerror(rc);
	n = strlen(why);
	while (n > 0 && (why[n - 1] == '\n' || why[n - 1] == '\r'))
		n--;
	if (n >= len)
		n = len - 1;
	memcpy(out, why, n);
	out[n] = '\0';
}

static curl_mime *
build_mime(struct http_client *c, const struct http_request *req)
{
	curl_mime *m = curl_mime_init(c->curl);
	curl_mimepart *part;
	const struct http_part *hp;
	CURLcode rc = CURLE_OK;
	size_t k;

	if (m == NULL || req->nparts > HTTP_MAX_PARTS)
		goto fail;
	for (k = 0; k < req->nparts && rc == CURLE_OK; k++) {
		hp = &req->parts[k];
		if ((part = curl_mime_addpart(m)) == NULL ||
		    (rc = curl_mime_name(part, hp->name)) != CURLE_OK)
			goto fail;
		if (hp->path != NULL) {
			rc = curl_mime_filedata(part, hp->path);
			if (rc == CURLE_OK && hp->type != NULL)
				rc = curl_mime_type(part, hp->type);
			continue;
		}
		c->readers[k] = (struct part_reader){ hp->value, hp->len, 0 };
		rc = curl_mime_data_cb(part, (curl_off_t)hp->len, on_part_read, on_part_seek,
		    NULL, &c->readers[k]);
	}
	if (rc == CURLE_OK)
		return m;
fail:
	curl_mime_free(m);
	return NULL;
}

/* The method and body of req on the handle; *mime is the caller's to
 * free after the transfer. */
static CURLcode
set_request(struct http_client *c, const struct http_request *req, curl_mime **mime)
{
	CURLcode rc = curl_easy_setopt(c->curl, CURLOPT_URL, req->url);

	/* Plain http is only ever to loopback (graph_conf_check()) and never
	 * through a proxy, which would see the secret in clear. https honours
	 * the usual proxy variables: a CONNECT tunnel keeps TLS end to end. */
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(c->curl, CURLOPT_PROXY,
		    strncmp(req->url, "http://", 7) == 0 ? "" : (const char *)NULL);
	*mime = NULL;
	if (rc != CURLE_OK || req->method == HTTP_GET)
		return rc;
	if (req->method == HTTP_POST && req->nparts > 0) {
		if ((*mime = build_mime(c, req)) == NULL)
			return CURLE_OUT_OF_MEMORY;
		return curl_easy_setopt(c->curl, CURLOPT_MIMEPOST, *mime);
	}
	rc = curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE_LARGE,
	    (curl_off_t)(req->form != NULL ? req->form->len : 0));
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS,
		    req->form != NULL && req->form->len > 0 ? (const char *)req->form->data : "");
	if (rc == CURLE_OK && req->method == HTTP_DELETE)
		rc = curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, "DELETE");
	return rc;
}

/* Back to a plain GET with no body, and libcurl's copy of the URL
 * dropped: it frees it, unwiped, in memory we cannot reach. */
static void
clear_request(struct http_client *c, curl_mime *mime)
{
	curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, (char *)NULL);
	curl_easy_setopt(c->curl, CURLOPT_MIMEPOST, (curl_mime *)NULL);
	curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, (char *)NULL);
	curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(c->curl, CURLOPT_URL, "");
	curl_mime_free(mime);
	sodium_memzero(c->readers, sizeof(c->readers));
}

/* Whether the request may have reached the server: once the connection
 * and TLS were up, libcurl began to send it. */
static bool
was_sent(struct http_client *c, long status)
{
	curl_off_t pretransfer = 0;

	if (status > 0)
		return true;
	return curl_easy_getinfo(c->curl, CURLINFO_PRETRANSFER_TIME_T, &pretransfer) == CURLE_OK &&
	    pretransfer > 0;
}

static int
http_perform(struct http_client *c, const struct http_request *req, struct http_response *resp)
{
	curl_mime *mime = NULL;
	CURLcode rc;
	long conns = 0, status = 0;
	int r = FBV_OK;

	reset_response(c, resp);
	c->resp = resp;
	c->body_err = FBV_OK;
	c->errbuf[0] = '\0';
	if ((rc = set_request(c, req, &mime)) == CURLE_OK)
		rc = curl_easy_perform(c->curl);
	if (curl_easy_getinfo(c->curl, CURLINFO_NUM_CONNECTS, &conns) == CURLE_OK)
		c->connections += conns;
	if (curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK)
		resp->status = status;
	resp->sent = rc != CURLE_OUT_OF_MEMORY && was_sent(c, status);
	clear_request(c, mime);
	c->resp = NULL;
	if (c->body_err != FBV_OK)
		r = c->body_err == FBV_ERR_TOO_LARGE ? FBV_ERR_PROTOCOL : c->body_err;
	else if (rc == CURLE_OUT_OF_MEMORY)
		r = FBV_ERR_NOMEM;
	else if (rc == CURLE_FILESIZE_EXCEEDED || (rc == CURLE_PARTIAL_FILE && status > 0))
		r = FBV_ERR_PROTOCOL;   /* a response came, but not a whole one */
	else if (rc != CURLE_OK) {
		net_reason(c, rc, resp->error, sizeof(resp->error));
		resp->status = 0;
		r = FBV_ERR_NET;
	}
	if (r != FBV_OK)
		c->body_reset(&resp->body);
	return r;
}

static long
http_connections(struct http_client *c)
{
	return c->connections;
}

static void
http_close(struct http_client *c)
{
	if (c == NULL)
		return;
	if (c->curl != NULL)
		curl_easy_cleanup(c->curl);
	curl_slist_free_all(c->headers);
	free(c->ca_file);
	free(c->user_agent);
	sodium_memzero(c, sizeof(*c));
	free(c);
}

extern const struct http_ops fbvault_http_ops;

__attribute__((visibility("default")))
const struct http_ops fbvault_http_ops = {
	.abi = FBV_HTTP_ABI,
	.open = http_open,
	.perform = http_perform,
	.connections = http_connections,
	.close = http_close,
};
