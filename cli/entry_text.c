#include <string.h>

#include "../crypto/errors.h"
#include "entry_text.h"
#include "obuf.h"
#include "out.h"

const char *
entry_kind(const struct entry *e, size_t *len)
{
	const char *kind;

	if (meta_get_str(e, META_KIND, &kind, len) == FBV_OK)
		return kind;
	*len = strlen("secret");
	return "secret";
}

bool
entry_is_token(const struct entry *e)
{
	size_t len;
	const char *k = entry_kind(e, &len);

	return (len == 10 && (memcmp(k, "user-token", 10) == 0 || memcmp(k, "page-token", 10) == 0)) ||
	    (len == 17 && memcmp(k, "system-user-token", 17) == 0);
}

static void
json_meta_str(FILE *f, const struct entry *e, enum meta_tag tag, const char *key)
{
	const char *s;
	size_t len;

	if (meta_get_str(e, tag, &s, &len) != FBV_OK)
		return;
	fprintf(f, ",\"%s\":", key);
	json_print_string(f, s, len);
}

static void
json_meta_int(FILE *f, const struct entry *e, enum meta_tag tag, const char *key, bool always)
{
	int64_t t;

	if (meta_get_int(e, tag, &t) == FBV_OK)
		fprintf(f, ",\"%s\":%lld", key, (long long)t);
	else if (always)
		fprintf(f, ",\"%s\":null", key);
}

/* One object of the list --json schema (documented in README). */
bool
entry_holds_token(const struct entry *e)
{
	size_t len;
	const char *k = entry_kind(e, &len);

	if (entry_is_token(e))
		return true;
	return len == 6 && memcmp(k, "secret", 6) == 0 &&
	    (strncmp(e->name, "page/", 5) == 0 || strcmp(e->name, "user-token") == 0);
}

void
entry_json(FILE *f, const struct entry *e)
{
	size_t klen;
	const char *kind = entry_kind(e, &klen);

	fputs("{\"name\":", f);
	json_print_string(f, e->name, strlen(e->name));
	fputs(",\"kind\":", f);
	json_print_string(f, kind, klen);
	fprintf(f, ",\"created\":%lld,\"updated\":%lld", (long long)e->created,
	    (long long)e->updated);
	json_meta_int(f, e, META_EXPIRES_AT, "expires_at", true);
	json_meta_int(f, e, META_DATA_ACCESS_EXPIRES_AT, "data_access_expires_at", false);
	json_meta_int(f, e, META_CHECKED_AT, "checked_at", false);
	json_meta_str(f, e, META_TOKEN_TYPE, "token_type");
	json_meta_str(f, e, META_APP_ID, "app_id");
	json_meta_str(f, e, META_USER_ID, "user_id");
	json_meta_str(f, e, META_PAGE_ID, "page_id");
	json_meta_str(f, e, META_PAGE_NAME, "page_name");
	json_meta_str(f, e, META_SCOPES, "scopes");
	json_meta_str(f, e, META_TASKS, "tasks");
	json_meta_str(f, e, META_IG_ID, "instagram_id");
	json_meta_str(f, e, META_IG_USERNAME, "instagram_username");
	fputc('}', f);
}

static void
text_copy(char *buf, size_t len, const char *s)
{
	size_t n = strlen(s);

	if (len == 0)
		return;
	if (n >= len)
		n = len - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
}

void
expiry_text(const struct entry *e, char *buf, size_t len)
{
	int64_t t;

	/* no snprintf for the two words: list calls this for every entry */
	if (meta_get_int(e, META_EXPIRES_AT, &t) != FBV_OK)
		text_copy(buf, len, "-");
	else if (t == 0)
		text_copy(buf, len, "never");
	else
		format_time(t, buf, len);
}
