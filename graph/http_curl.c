/* The HTTPS module: struct http_ops over one libcurl easy handle, reused
 * for every request so that a whole login flow runs over one connection
 * (one TLS handshake, counted by CURLINFO_NUM_CONNECTS).
 *
 * Certificate and host name verification are always on; there is no
 * setting to turn them off. A ca_file replaces the system bundle (libcurl
 * cannot add to it): the tests trust only their own CA that way.
 * Redirects are never followed, so a token in a URL goes only where the
 * caller sent it. Nothing here prints or keeps a URL. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <sodium.h>

#include "../crypto/errors.h"
#include "http.h"

struct http_client {
	CURL *curl;
	long connections;
	size_t max_body;
	char *ca_file;
	char *user_agent;
	struct http_response *resp;     /* the one being received */
	int body_err;
	char errbuf[CURL_ERROR_SIZE];
};

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct http_client *c = arg;
	size_t len = size * n;
	int r;

	if ((r = sbuf_put(&c->resp->body, p, len)) != FBV_OK) {
		c->body_err = r;
		return 0;       /* aborts the transfer */
	}
	return len;
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	static const char name[] = "x-app-usage:";
	struct http_client *c = arg;
	size_t len = size * n, keep;
	const char *v = p + sizeof(name) - 1, *e = p + len;

	if (len < sizeof(name) - 1 || strncasecmp(p, name, sizeof(name) - 1) != 0)
		return len;
	while (v < e && (*v == ' ' || *v == '\t'))
		v++;
	while (e > v && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		e--;
	keep = (size_t)(e - v);
	if (keep >= sizeof(c->resp->app_usage))
		keep = sizeof(c->resp->app_usage) - 1;
	memcpy(c->resp->app_usage, v, keep);
	c->resp->app_usage[keep] = '\0';
	return len;
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
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->max_body = o->max_body;
	if ((c->curl = curl_easy_init()) == NULL ||
	    (o->ca_file != NULL && (c->ca_file = strdup(o->ca_file)) == NULL) ||
	    (o->user_agent != NULL && (c->user_agent = strdup(o->user_agent)) == NULL) ||
	    setup(c, o) != CURLE_OK) {
		http_close(c);
		return NULL;
	}
	return c;
}

static void
reset_response(struct http_response *resp, size_t max_body)
{
	resp->status = 0;
	sbuf_reset(&resp->body);
	resp->body.max = max_body;
	resp->app_usage[0] = '\0';
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

static int
http_get(struct http_client *c, const char *url, struct http_response *resp)
{
	CURLcode rc;
	long conns = 0, status = 0;
	int r = FBV_OK;

	reset_response(resp, c->max_body);
	c->resp = resp;
	c->body_err = FBV_OK;
	c->errbuf[0] = '\0';
	if ((rc = curl_easy_setopt(c->curl, CURLOPT_URL, url)) == CURLE_OK)
		rc = curl_easy_perform(c->curl);
	if (curl_easy_getinfo(c->curl, CURLINFO_NUM_CONNECTS, &conns) == CURLE_OK)
		c->connections += conns;
	if (curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK)
		resp->status = status;
	/* Drops libcurl's copy of the URL; it frees it, unwiped, in memory
	 * we cannot reach. */
	curl_easy_setopt(c->curl, CURLOPT_URL, "");
	c->resp = NULL;
	if (c->body_err != FBV_OK)
		r = c->body_err == FBV_ERR_TOO_LARGE ? FBV_ERR_PROTOCOL : c->body_err;
	else if (rc == CURLE_FILESIZE_EXCEEDED || (rc == CURLE_PARTIAL_FILE && status > 0))
		r = FBV_ERR_PROTOCOL;   /* a response came, but not a whole one */
	else if (rc != CURLE_OK) {
		net_reason(c, rc, resp->error, sizeof(resp->error));
		resp->status = 0;
		r = FBV_ERR_NET;
	}
	if (r != FBV_OK)
		sbuf_reset(&resp->body);
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
	.get = http_get,
	.connections = http_connections,
	.close = http_close,
};
