#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../crypto/errors.h"
#include "parse.h"

/* Anything that does not read as expected is a protocol error; only
 * running out of memory stays what it is. */
static int
proto(int r)
{
	return r == FBV_OK || r == FBV_ERR_NOMEM ? r : FBV_ERR_PROTOCOL;
}

/* The value of key in obj, or -1 when it is absent or null. */
static int
opt(const struct json *j, int obj, const char *key)
{
	int v = json_get(j, obj, key);

	return v >= 0 && !json_is_null(j, v) ? v : -1;
}

/* Copies src into dst[cap], cut between UTF-8 characters. */
static void
copy_cut(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);

	if (n >= cap) {
		n = cap - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int
read_cut(const struct json *j, int i, char *dst, size_t cap)
{
	char *s;
	int r;

	if ((r = json_strdup(j, i, &s)) != FBV_OK)
		return proto(r);
	copy_cut(dst, cap, s);
	free(s);
	return FBV_OK;
}

static int
read_int(const struct json *j, int i, int *out)
{
	int64_t v;

	if (json_int(j, i, &v) != FBV_OK || v < 0 || v > INT_MAX)
		return FBV_ERR_PROTOCOL;
	*out = (int)v;
	return FBV_OK;
}

static int
read_time(const struct json *j, int obj, const char *key, int64_t *out)
{
	int v = opt(j, obj, key);

	*out = -1;
	if (v < 0)
		return FBV_OK;
	return json_int(j, v, out) == FBV_OK && *out >= 0 ? FBV_OK : FBV_ERR_PROTOCOL;
}

/* Ids come as "1234" or 1234. */
static int
read_id(const struct json *j, int i, char *buf, size_t cap)
{
	int64_t v;
	int n;

	if (json_int(j, i, &v) != FBV_OK || v <= 0)
		return FBV_ERR_PROTOCOL;
	n = snprintf(buf, cap, "%lld", (long long)v);
	return n > 0 && (size_t)n < cap ? FBV_OK : FBV_ERR_PROTOCOL;
}

static int
read_token(const struct json *j, int i, struct sbuf *token)
{
	int r;

	if ((r = json_sbuf(j, i, token)) != FBV_OK)
		return proto(r);
	if (!token_ok(token->data, token->len)) {
		sbuf_reset(token);
		return FBV_ERR_PROTOCOL;
	}
	return FBV_OK;
}

bool
token_ok(const unsigned char *t, size_t len)
{
	size_t k;

	if (len == 0 || len > GRAPH_TOKEN_MAX)
		return false;
	for (k = 0; k < len; k++)
		if (t[k] <= ' ' || t[k] > '~')
			return false;
	return true;
}

static void
protocol_error(struct graph_error *err, const char *what)
{
	copy_cut(err->message, sizeof(err->message), what);
}

static int
fill_graph_error(const struct json *j, int e, struct graph_error *err)
{
	int v;

	/* Real answers carry a code and nothing else ({"error":{"code":2}}):
	 * the code alone classifies them. */
	if (json_type(j, e) != JSON_OBJECT ||
	    read_int(j, json_get(j, e, "code"), &err->code) != FBV_OK)
		return FBV_ERR_PROTOCOL;
	if ((v = opt(j, e, "message")) >= 0 &&
	    read_cut(j, v, err->message, sizeof(err->message)) != FBV_OK)
		return FBV_ERR_PROTOCOL;
	if ((v = opt(j, e, "error_subcode")) >= 0 && read_int(j, v, &err->subcode) != FBV_OK)
		return FBV_ERR_PROTOCOL;
	if ((v = opt(j, e, "type")) >= 0 && read_cut(j, v, err->type, sizeof(err->type)) != FBV_OK)
		return FBV_ERR_PROTOCOL;
	if ((v = opt(j, e, "fbtrace_id")) >= 0 &&
	    read_cut(j, v, err->fbtrace_id, sizeof(err->fbtrace_id)) != FBV_OK)
		return FBV_ERR_PROTOCOL;
	if ((v = opt(j, e, "is_transient")) >= 0) {
		if (json_bool(j, v, &err->is_transient) != FBV_OK)
			return FBV_ERR_PROTOCOL;
		err->transient_said = true;
	}
	if ((v = opt(j, e, "error_user_msg")) >= 0 &&
	    read_cut(j, v, err->user_msg, sizeof(err->user_msg)) != FBV_OK)
		return FBV_ERR_PROTOCOL;
	return FBV_OK;
}

static void
clear_graph_fields(struct graph_error *err)
{
	err->code = 0;
	err->subcode = 0;
	err->is_transient = err->transient_said = false;
	err->type[0] = err->message[0] = err->fbtrace_id[0] = err->user_msg[0] = '\0';
}

/* Codes 1 and 2 are Graph's "unknown error" and "service error", retried
 * unless Graph says is_transient false; the exchange also answers code 1
 * when the App Secret is wrong, which no retry fixes. */
bool
parse_bad_secret(const struct graph_error *err)
{
	static const char bad_secret[] = "Error validating client secret";

	return err->code == 1 && strncmp(err->message, bad_secret, sizeof(bad_secret) - 1) == 0;
}

int
parse_error_class(const struct graph_error *err)
{
	if (parse_bad_secret(err))
		return FBV_ERR_REFUSED;
	if ((err->code == 1 || err->code == 2) && err->transient_said && !err->is_transient)
		return FBV_ERR_REFUSED;
	switch (err->code) {
	case 1: case 2: case 4: case 17: case 32: case 341: case 613:
		return FBV_ERR_TEMPFAIL;
	}
	if (err->code >= 80000 && err->code <= 80014)    /* Business Use Case limits */
		return FBV_ERR_TEMPFAIL;
	return err->is_transient ? FBV_ERR_TEMPFAIL : FBV_ERR_REFUSED;
}

int
parse_response(long status, const char *body, size_t len, struct json *j,
    struct graph_error *err)
{
	int r, e;

	if ((r = json_parse(j, body, len)) != FBV_OK) {
		protocol_error(err, "the response is not a JSON object");
		return proto(r);
	}
	if ((e = json_get(j, 0, "error")) >= 0) {
		r = fill_graph_error(j, e, err);
		json_free(j);
		if (r != FBV_OK) {
			clear_graph_fields(err);
			protocol_error(err, "the error response is malformed");
			return r;
		}
		return parse_error_class(err);
	}
	if (status < 200 || status > 299) {
		json_free(j);
		protocol_error(err, "an error status without a Graph error");
		return FBV_ERR_PROTOCOL;
	}
	return FBV_OK;
}

int
parse_exchange(const struct json *j, struct sbuf *token, int64_t *expires_in)
{
	int r, v;

	*expires_in = -1;
	if ((r = read_token(j, json_get(j, 0, "access_token"), token)) != FBV_OK)
		return r;
	if ((v = opt(j, 0, "expires_in")) < 0)
		v = opt(j, 0, "expires");
	if (v >= 0 && (json_int(j, v, expires_in) != FBV_OK || *expires_in < 0)) {
		sbuf_reset(token);
		*expires_in = -1;
		return FBV_ERR_PROTOCOL;
	}
	return FBV_OK;
}

/* A task's name as Graph spells them: [A-Z_]+. */
static bool
task_name_ok(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_'))
			return false;
	return i > 0 && i < 64;
}

static int read_names(const struct json *j, int arr, bool (*ok)(const char *), char **out);

/* instagram_business_account{id,username}: id digits, username text. */
static int
read_ig(const struct json *j, int obj, struct graph_page *p)
{
	int r, v;

	if (json_type(j, obj) != JSON_OBJECT ||
	    read_id(j, json_get(j, obj, "id"), p->ig_id, sizeof(p->ig_id)) != FBV_OK)
		return FBV_ERR_PROTOCOL;
	if ((v = opt(j, obj, "username")) >= 0 && (r = json_strdup(j, v, &p->ig_username)) != FBV_OK)
		return proto(r);
	return FBV_OK;
}

/* id, name, access_token, tasks and instagram_business_account of one
 * page object; all but id may be absent. */
static int
read_page(const struct json *j, int obj, struct graph_page *p)
{
	int r, v;

	if (json_type(j, obj) != JSON_OBJECT ||
	    read_id(j, json_get(j, obj, "id"), p->id, sizeof(p->id)) != FBV_OK)
		return FBV_ERR_PROTOCOL;
	if ((v = opt(j, obj, "name")) >= 0 && (r = json_strdup(j, v, &p->name)) != FBV_OK)
		return proto(r);
	if ((v = opt(j, obj, "tasks")) >= 0) {
		if ((p->tasks = calloc(1, 1)) == NULL)
			return FBV_ERR_NOMEM;
		if ((r = read_names(j, v, task_name_ok, &p->tasks)) != FBV_OK)
			return r;
	}
	if ((v = opt(j, obj, "instagram_business_account")) >= 0 && (r = read_ig(j, v, p)) != FBV_OK)
		return r;
	if ((v = opt(j, obj, "access_token")) >= 0)
		return read_token(j, v, &p->token);
	return FBV_OK;
}

int
parse_page(const struct json *j, const char *page_id, struct graph_page *out,
    struct graph_error *err)
{
	int r;

	if ((r = read_page(j, 0, out)) != FBV_OK)
		return r;
	if (strcmp(out->id, page_id) != 0) {
		protocol_error(err, "the answer is about another page");
		return FBV_ERR_PROTOCOL;
	}
	if (out->token.len == 0) {
		err->code = 0;
		protocol_error(err, "the page has no access_token for this user");
		return FBV_ERR_REFUSED;
	}
	return FBV_OK;
}

/* Room for need elements of size elem in *arr (*cap of them now). */
static int
grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	size_t c = *cap < 16 ? 16 : *cap;
	void *p;

	if (need <= *cap)
		return FBV_OK;
	while (c < need)
		c *= 2;
	if ((p = realloc(*arr, c * elem)) == NULL)
		return FBV_ERR_NOMEM;
	*arr = p;
	*cap = c;
	return FBV_OK;
}

static int
read_next(const struct json *j, struct sbuf *next)
{
	int paging = opt(j, 0, "paging"), v;

	sbuf_reset(next);
	if (paging < 0)
		return FBV_OK;
	if (json_type(j, paging) != JSON_OBJECT)
		return FBV_ERR_PROTOCOL;
	if ((v = opt(j, paging, "next")) < 0)
		return FBV_OK;
	return proto(json_sbuf(j, v, next));
}

int
parse_accounts(const struct json *j, struct graph_page **pages, size_t *n, size_t *cap,
    struct sbuf *next)
{
	int d = json_get(j, 0, "data"), count, k, i, r;

	if (json_type(j, d) != JSON_ARRAY)
		return FBV_ERR_PROTOCOL;
	count = json_size(j, d);
	if ((size_t)count > GRAPH_MAX_ACCOUNTS - *n)
		return FBV_ERR_PROTOCOL;
	if ((r = grow((void **)pages, cap, *n + (size_t)count, sizeof(**pages))) != FBV_OK)
		return r;
	for (k = 0, i = d + 1; k < count; k++, i = json_next(j, i)) {
		graph_page_init(&(*pages)[*n]);
		(*n)++;
		if ((r = read_page(j, i, &(*pages)[*n - 1])) != FBV_OK)
			return r;
	}
	return read_next(j, next);
}

/* A permission's name as Graph spells them: [a-z_]+. Anything else is not
 * an answer of Graph's, and would reach the terminal and the vault. */
static bool
scope_name_ok(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_'))
			return false;
	return i > 0 && i < 128;
}

static int
append_name(char **out, size_t *used, const char *s, bool (*ok)(const char *))
{
	size_t n = strlen(s);
	char *p;

	if (!ok(s))
		return FBV_ERR_PROTOCOL;
	if ((p = realloc(*out, *used + n + 2)) == NULL)
		return FBV_ERR_NOMEM;
	if (*used > 0)
		p[(*used)++] = ',';
	memcpy(p + *used, s, n + 1);
	*used += n;
	*out = p;
	return FBV_OK;
}

/* ["a","b"] -> "a,b"; each a name ok() accepts (no comma), so the join
 * reads back. *out is "" or NULL to begin with. */
static int
read_names(const struct json *j, int arr, bool (*ok)(const char *), char **out)
{
	size_t used = *out != NULL ? strlen(*out) : 0;
	char *s;
	int k, i, r = FBV_OK;

	if (json_type(j, arr) != JSON_ARRAY)
		return FBV_ERR_PROTOCOL;
	for (k = 0, i = arr + 1; k < json_size(j, arr) && r == FBV_OK; k++, i = json_next(j, i)) {
		if ((r = proto(json_strdup(j, i, &s))) != FBV_OK)
			break;
		r = append_name(out, &used, s, ok);
		free(s);
	}
	return r;
}

static bool
id_name_ok(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return s[n] == '\0' && n > 0 && n < 64;
}

/* granular_scopes: [{"scope":S,"target_ids":[ID,..]},..]; the target_ids
 * of pages_manage_posts, when it lists any. */
static int
read_granular(const struct json *j, int arr, struct graph_token_info *out)
{
	int k, i, t, r = FBV_OK;

	if (json_type(j, arr) != JSON_ARRAY)
		return FBV_ERR_PROTOCOL;
	for (k = 0, i = arr + 1; k < json_size(j, arr) && r == FBV_OK; k++, i = json_next(j, i)) {
		if (json_type(j, i) != JSON_OBJECT || json_type(j, json_get(j, i, "scope")) != JSON_STRING)
			return FBV_ERR_PROTOCOL;
		if (!json_string_is(j, json_get(j, i, "scope"), "pages_manage_posts") ||
		    (t = opt(j, i, "target_ids")) < 0)
			continue;
		if (out->post_targets == NULL && (out->post_targets = calloc(1, 1)) == NULL)
			return FBV_ERR_NOMEM;
		r = read_names(j, t, id_name_ok, &out->post_targets);
	}
	return r;
}

static int
read_token_error(const struct json *j, int e, struct graph_token_info *out)
{
	int v;

	if (json_type(j, e) != JSON_OBJECT)
		return FBV_ERR_PROTOCOL;
	if ((v = opt(j, e, "code")) >= 0 && read_int(j, v, &out->err_code) != FBV_OK)
		return FBV_ERR_PROTOCOL;
	if ((v = opt(j, e, "subcode")) >= 0 && read_int(j, v, &out->err_subcode) != FBV_OK)
		return FBV_ERR_PROTOCOL;
	if ((v = opt(j, e, "message")) >= 0)
		return read_cut(j, v, out->err_message, sizeof(out->err_message));
	return FBV_OK;
}

/* The token types debug_token reports. */
static bool
token_type_ok(const char *t)
{
	static const char *const known[] = { "USER", "PAGE", "APP", "SYSTEM_USER" };
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(t, known[i]) == 0)
			return true;
	return false;
}

static int
read_ids(const struct json *j, int d, struct graph_token_info *out)
{
	int v;

	if ((v = opt(j, d, "app_id")) >= 0 && read_id(j, v, out->app_id, sizeof(out->app_id)) != FBV_OK)
		return FBV_ERR_PROTOCOL;
	if ((v = opt(j, d, "profile_id")) >= 0 &&
	    read_id(j, v, out->profile_id, sizeof(out->profile_id)) != FBV_OK)
		return FBV_ERR_PROTOCOL;
	if ((v = opt(j, d, "user_id")) >= 0 &&
	    read_id(j, v, out->user_id, sizeof(out->user_id)) != FBV_OK)
		return FBV_ERR_PROTOCOL;
	if ((v = opt(j, d, "type")) >= 0 &&
	    (read_cut(j, v, out->type, sizeof(out->type)) != FBV_OK || !token_type_ok(out->type)))
		return FBV_ERR_PROTOCOL;
	return FBV_OK;
}

int
parse_debug(const struct json *j, struct graph_token_info *out)
{
	int d = json_get(j, 0, "data"), v, r;

	if (json_type(j, d) != JSON_OBJECT || json_bool(j, json_get(j, d, "is_valid"), &out->is_valid) != FBV_OK)
		return FBV_ERR_PROTOCOL;
	if ((r = read_ids(j, d, out)) != FBV_OK ||
	    (r = read_time(j, d, "expires_at", &out->expires_at)) != FBV_OK ||
	    (r = read_time(j, d, "data_access_expires_at", &out->data_access_expires_at)) != FBV_OK ||
	    (r = read_time(j, d, "issued_at", &out->issued_at)) != FBV_OK)
		return r;
	if ((v = opt(j, d, "application")) >= 0 && (r = json_strdup(j, v, &out->application)) != FBV_OK)
		return proto(r);
	if ((out->scopes = calloc(1, 1)) == NULL)
		return FBV_ERR_NOMEM;
	if ((v = opt(j, d, "scopes")) >= 0 &&
	    (r = read_names(j, v, scope_name_ok, &out->scopes)) != FBV_OK)
		return r;
	if ((v = opt(j, d, "granular_scopes")) >= 0 && (r = read_granular(j, v, out)) != FBV_OK)
		return r;
	if ((v = opt(j, d, "error")) >= 0)
		return read_token_error(j, v, out);
	return FBV_OK;
}

void
graph_page_init(struct graph_page *p)
{
	memset(p->id, 0, sizeof(p->id));
	memset(p->ig_id, 0, sizeof(p->ig_id));
	p->name = p->tasks = p->ig_username = NULL;
	sbuf_init(&p->token, GRAPH_TOKEN_MAX + 1);
}

void
graph_page_free(struct graph_page *p)
{
	if (p == NULL)
		return;
	free(p->name);
	free(p->tasks);
	free(p->ig_username);
	p->name = p->tasks = p->ig_username = NULL;
	sbuf_free(&p->token);
	memset(p->id, 0, sizeof(p->id));
}

void
graph_pages_free(struct graph_page *pages, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		graph_page_free(&pages[k]);
	free(pages);
}

void
graph_token_info_init(struct graph_token_info *t)
{
	memset(t, 0, sizeof(*t));
	t->application = NULL;
	t->scopes = NULL;
	t->post_targets = NULL;
	t->expires_at = t->data_access_expires_at = t->issued_at = -1;
}

void
graph_token_info_free(struct graph_token_info *t)
{
	if (t == NULL)
		return;
	free(t->application);
	free(t->scopes);
	free(t->post_targets);
	graph_token_info_init(t);
}

int
graph_token_error(const struct graph_token_info *t, struct graph_error *ge)
{
	memset(ge, 0, sizeof(*ge));
	if (t->is_valid)
		return FBV_OK;
	ge->code = t->err_code != 0 ? t->err_code : 190;
	ge->subcode = t->err_subcode;
	copy_cut(ge->message, sizeof(ge->message), t->err_message);
	return FBV_ERR_REFUSED;
}

bool
graph_has_scope(const struct graph_token_info *t, const char *scope)
{
	return graph_list_has(t->scopes, scope);
}

bool
graph_grant_covers(const struct graph_token_info *t, const char *page_id)
{
	return t->post_targets == NULL || graph_list_has(t->post_targets, page_id);
}

bool
graph_list_has(const char *list, const char *item)
{
	const char *s = list;
	size_t n = strlen(item), len;

	if (s == NULL || n == 0)
		return false;
	for (; *s != '\0'; s += len + (s[len] == ',')) {
		len = strcspn(s, ",");
		if (len == n && memcmp(s, item, n) == 0)
			return true;
	}
	return false;
}

/* X-Business-Use-Case-Usage: {"ID":[{"type":..,
 * "estimated_time_to_regain_access":N},..],..}; the largest N, 0 when
 * none or the header does not read. */
int
parse_buc_minutes(const char *s, size_t len)
{
	struct json j;
	int best = 0, k, n, m, i, e, v, count, obj;
	int64_t minutes;

	if (len == 0 || json_parse(&j, s, len) != FBV_OK)
		return 0;
	count = json_size(&j, 0);
	/* members: key at i, value at i + 1 */
	for (k = 0, i = 1; k < count; k++, i = json_next(&j, i + 1)) {
		obj = i + 1;
		if (json_type(&j, obj) != JSON_ARRAY)
			continue;
		n = json_size(&j, obj);
		for (m = 0, e = obj + 1; m < n; m++, e = json_next(&j, e)) {
			v = json_type(&j, e) == JSON_OBJECT ?
			    opt(&j, e, "estimated_time_to_regain_access") : -1;
			if (v >= 0 && json_int(&j, v, &minutes) == FBV_OK && minutes > best &&
			    minutes < 100000)
				best = (int)minutes;
		}
	}
	json_free(&j);
	return best;
}

int
parse_posted(const struct json *j, bool photo, struct graph_posted *out)
{
	char *id = NULL;
	int v, r;

	if (photo) {
		if (read_id(j, json_get(j, 0, "id"), out->photo_ids[out->nphotos],
		    sizeof(out->photo_ids[0])) != FBV_OK)
			return FBV_ERR_PROTOCOL;
		out->nphotos++;
		if ((v = opt(j, 0, "post_id")) < 0)
			return FBV_OK;
	} else {
		v = json_get(j, 0, "id");
	}
	if ((r = proto(json_strdup(j, v, &id))) != FBV_OK)
		return r;
	if (!graph_post_id_ok(id) || strlen(id) >= sizeof(out->id))
		r = FBV_ERR_PROTOCOL;
	else
		memcpy(out->id, id, strlen(id) + 1);
	free(id);
	return r;
}

static int
read_scheduled(const struct json *j, int obj, struct graph_scheduled *it)
{
	char *id = NULL;
	int v, r;

	if (json_type(j, obj) != JSON_OBJECT ||
	    (r = proto(json_strdup(j, json_get(j, obj, "id"), &id))) != FBV_OK) {
		free(id);
		return FBV_ERR_PROTOCOL;
	}
	r = graph_post_id_ok(id) && strlen(id) < sizeof(it->id) ? FBV_OK : FBV_ERR_PROTOCOL;
	if (r == FBV_OK)
		memcpy(it->id, id, strlen(id) + 1);
	free(id);
	if (r != FBV_OK || (r = read_time(j, obj, "scheduled_publish_time", &it->scheduled_at)) != FBV_OK)
		return r;
	if ((v = opt(j, obj, "message")) >= 0)
		return proto(json_strdup(j, v, &it->message));
	return FBV_OK;
}

int
parse_scheduled(const struct json *j, struct graph_scheduled **items, size_t *n, size_t *cap,
    struct sbuf *next)
{
	int d = json_get(j, 0, "data"), count, k, i, r;

	if (json_type(j, d) != JSON_ARRAY)
		return FBV_ERR_PROTOCOL;
	count = json_size(j, d);
	if ((size_t)count > GRAPH_MAX_SCHEDULED - *n)
		return FBV_ERR_PROTOCOL;
	if ((r = grow((void **)items, cap, *n + (size_t)count, sizeof(**items))) != FBV_OK)
		return r;
	for (k = 0, i = d + 1; k < count; k++, i = json_next(j, i)) {
		memset(&(*items)[*n], 0, sizeof(**items));
		(*n)++;
		if ((r = read_scheduled(j, i, &(*items)[*n - 1])) != FBV_OK)
			return r;
	}
	return read_next(j, next);
}

int
parse_success(const struct json *j)
{
	bool ok;

	if (json_bool(j, json_get(j, 0, "success"), &ok) != FBV_OK)
		return FBV_ERR_PROTOCOL;
	return ok ? FBV_OK : FBV_ERR_PROTOCOL;
}

bool
graph_post_id_ok(const char *s)
{
	size_t a = strspn(s, "0123456789"), b;

	if (a == 0 || a > 30)
		return false;
	if (s[a] == '\0')
		return true;
	b = strspn(s + a + 1, "0123456789");
	return s[a] == '_' && b > 0 && b <= 30 && s[a + 1 + b] == '\0';
}

void
graph_scheduled_free(struct graph_scheduled *items, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		free(items[k].message);
	free(items);
}
