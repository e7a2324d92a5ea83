#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../crypto/errors.h"
#include "../graph/graph.h"
#include "dryrun.h"
#include "out.h"

#define SHOWN_MAX 4096

struct http_client {
	long requests;
};

static struct http_client *
dry_open(const struct http_opts *o)
{
	(void)o;
	return calloc(1, sizeof(struct http_client));
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* "  name: value", the value decoded from the form when form is true;
 * credentials never shown. */
static void
field(const char *name, size_t nlen, const char *v, size_t len, bool form)
{
	char raw[SHOWN_MAX];
	size_t k, n = 0;
	int hi, lo;

	printf("  %.*s: ", (int)nlen, name);
	if (nlen == 12 && memcmp(name, "access_token", 12) == 0) {
		printf("<page token>\n");
		return;
	}
	if (nlen == 15 && memcmp(name, "appsecret_proof", 15) == 0) {
		printf("<appsecret_proof>\n");
		return;
	}
	for (k = 0; k < len && n < sizeof(raw); k++) {
		if (form && v[k] == '%' && k + 2 < len && (hi = hexval(v[k + 1])) >= 0 &&
		    (lo = hexval(v[k + 2])) >= 0) {
			raw[n++] = (char)(hi << 4 | lo);
			k += 2;
		} else {
			raw[n++] = form && v[k] == '+' ? ' ' : v[k];
		}
	}
	term_escape(stdout, raw, n);
	printf("%s\n", k < len ? "..." : "");
}

static void
show_form(const struct sbuf *form)
{
	const char *p = form != NULL ? (const char *)form->data : NULL;
	const char *e = p != NULL ? p + form->len : NULL;
	const char *amp, *eq;

	while (p != NULL && p < e) {
		if ((amp = memchr(p, '&', (size_t)(e - p))) == NULL)
			amp = e;
		if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
			eq = amp;
		field(p, (size_t)(eq - p), eq < amp ? eq + 1 : eq, eq < amp ? (size_t)(amp - eq - 1) : 0,
		    true);
		p = amp + 1;
	}
}

static void
show_parts(const struct http_request *req)
{
	const struct http_part *hp;
	struct stat st;
	size_t k;

	for (k = 0; k < req->nparts; k++) {
		hp = &req->parts[k];
		if (hp->path == NULL) {
			field(hp->name, strlen(hp->name), hp->value, hp->len, false);
			continue;
		}
		printf("  %s: @", hp->name);
		term_escape(stdout, hp->path, strlen(hp->path));
		if (stat(hp->path, &st) == 0)
			printf(" (%lld bytes)", (long long)st.st_size);
		putchar('\n');
	}
}

/* What Graph answers a successful post: {"id":"PAGE_0"} for /feed,
 * {"id":"1"} for /photos, {"success":true} for anything else. */
static int
answer(const char *url, struct http_response *resp, long n)
{
	const char *end = url + strcspn(url, "?"), *s = end, *page;
	char body[160];

	while (s > url && s[-1] != '/')
		s--;
	page = s - 1;
	while (page > url && page[-1] != '/')
		page--;
	if ((size_t)(end - s) == 4 && memcmp(s, "feed", 4) == 0 && s - page - 1 < 64)
		snprintf(body, sizeof(body), "{\"id\":\"%.*s_%ld\"}", (int)(s - page - 1), page, n);
	else if ((size_t)(end - s) == 6 && memcmp(s, "photos", 6) == 0)
		snprintf(body, sizeof(body), "{\"id\":\"%ld\"}", n);
	else
		snprintf(body, sizeof(body), "{\"success\":true}");
	resp->status = 200;
	return sbuf_put(&resp->body, body, strlen(body));
}

static int
dry_perform(struct http_client *c, const struct http_request *req, struct http_response *resp)
{
	static const char *const method[] = { "GET", "POST", "DELETE" };

	sbuf_reset(&resp->body);
	resp->sent = false;
	resp->app_usage[0] = resp->page_usage[0] = resp->buc_usage[0] = resp->error[0] = '\0';
	c->requests++;
	printf("%s %.*s%s\n", method[req->method], (int)strcspn(req->url, "?"), req->url,
	    req->nparts > 0 ? " (multipart/form-data)" : "");
	if (req->nparts > 0)
		show_parts(req);
	else
		show_form(req->form);
	return answer(req->url, resp, c->requests);
}

static long
dry_connections(struct http_client *c)
{
	(void)c;
	return 0;
}

static void
dry_close(struct http_client *c)
{
	free(c);
}

const struct http_ops dryrun_http_ops = {
	.abi = FBV_HTTP_ABI,
	.open = dry_open,
	.perform = dry_perform,
	.connections = dry_connections,
	.close = dry_close,
};
