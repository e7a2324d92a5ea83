/* What a Graph failure means for a user and for a script: one line naming
 * cause and fix, and the class of a refusal, which cli/ turns into an exit
 * code:
 *
 *   Graph code                                               class
 *   190 (all subcodes), 102, 10, 200-299,
 *   1 "Error validating client secret", 101 bad App ID,
 *   0 no page token (0/458: app not installed),
 *   100 from debug_token (the app token)                     FBV_ERR_DENIED
 *   100 bad parameter / unknown page (33), 803 unknown alias,
 *   324 bad photo                                            FBV_ERR_BAD_REQUEST
 *   506 duplicate post                                       FBV_ERR_DUPLICATE
 *   368 blocked for a policy violation                       FBV_ERR_DENIED
 *   any other code                                           FBV_ERR_REFUSED
 *
 * Transient answers (1, 2 unless is_transient is false; is_transient;
 * 4, 17, 32, 341, 613, 80000-80014) are FBV_ERR_TEMPFAIL already, from
 * parse_error_class(); 1 and 2 said not to be transient stay
 * FBV_ERR_REFUSED.
 * FBV_ERR_UNCERTAIN (a post or delete went out, no clear answer came)
 * stays what it is: a script must look before it tries again.
 */
#include <stdio.h>
#include <string.h>

#include "../crypto/errors.h"
#include "graph.h"
#include "json.h"
#include "parse.h"

#define GRAPH_TEXT_MAX 160      /* of Graph's own text, before escaping */

static bool
is_permission(int code)
{
	return code == 10 || (code >= 200 && code <= 299);
}

int
graph_error_class(int err, const struct graph_error *ge)
{
	int code;

	if (err != FBV_ERR_REFUSED || ge == NULL)
		return err;
	code = ge->code;
	if (code == 190 || code == 102 || code == 101 || parse_bad_secret(ge) || code == 0 ||
	    code == 368 || is_permission(code) || (code == 100 && ge->call == GRAPH_CALL_DEBUG))
		return FBV_ERR_DENIED;
	if (code == 100 || code == 803 || code == 324)
		return FBV_ERR_BAD_REQUEST;
	if (code == 506)
		return FBV_ERR_DUPLICATE;
	return FBV_ERR_REFUSED;
}

/* Characters a terminal would act on or that reorder what is shown:
 * C1 controls (U+0080..U+009F), LRM/RLM, the line and paragraph
 * separators, bidi embeddings and isolates. */
static bool
unsafe_char(const unsigned char *s, size_t n)
{
	if (n == 2)
		return s[0] == 0xc2 && s[1] < 0xa0;
	if (n != 3 || s[0] != 0xe2)
		return false;
	if (s[1] == 0x80)
		return s[2] == 0x8e || s[2] == 0x8f || (s[2] >= 0xa8 && s[2] <= 0xae);
	return s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9;
}

void
graph_escape(char *out, size_t len, const char *in, size_t inlen)
{
	const unsigned char *s = (const unsigned char *)in, *e = s + inlen;
	size_t o = 0, n, k, need;
	char esc[16 * 4 + 1];

	if (len == 0)
		return;
	for (; s < e; s += n) {
		n = utf8_seq_len(s, (size_t)(e - s));
		if (n == 1 && *s >= 0x20 && *s < 0x7f && *s != '\\') {
			esc[0] = (char)*s;
			need = 1;
		} else if (n == 1 && *s == '\\') {
			memcpy(esc, "\\\\", 2);
			need = 2;
		} else if (n > 1 && !unsafe_char(s, n)) {
			memcpy(esc, s, n);
			need = n;
		} else {
			if (n == 0)
				n = 1;
			for (k = 0, need = 0; k < n; k++, need += 4)
				snprintf(esc + need, sizeof(esc) - need, "\\x%02x", s[k]);
		}
		if (need >= len - o)
			break;
		memcpy(out + o, esc, need);
		o += need;
	}
	out[o] = '\0';
}

/* Graph's text, cut between characters and escaped. */
static void
graph_text(char *out, size_t len, const char *text)
{
	size_t n = strnlen(text, GRAPH_TEXT_MAX);

	while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
		n--;
	graph_escape(out, len, text, n);
}

struct cause {
	int subcode;
	const char *what;
	const char *fix;
};

static const struct cause token_causes[] = {
	{ 458, "the app is not installed for this user",
	  "add it again in Graph Explorer and run login again" },
	{ 459, "the Facebook account is checkpointed",
	  "log in at facebook.com, clear the checkpoint and run login again" },
	{ 460, "the token died with a password change",
	  "get a fresh one from Graph Explorer and run login again" },
	{ 463, "the user token has expired",
	  "get a fresh one from Graph Explorer and run login again" },
	{ 464, "the Facebook account is not confirmed",
	  "confirm it at facebook.com and run login again" },
	{ 467, "the token is invalid",
	  "get a fresh one from Graph Explorer and run login again" },
	{ 492, "the user has no role on the page",
	  "ask a page admin for a role and run login again" },
	{ 493, "data access has expired after 90 days without use",
	  "renew it by logging in with Graph Explorer and run login again" },
};

/* 190 and its subcodes; also code 0 with subcode 458, as some answers
 * say "app not installed". */
static void
describe_token(const struct graph_error *ge, char *buf, size_t len)
{
	const char *what = "the access token was rejected";
	const char *fix = "get a fresh one from Graph Explorer and run login again";
	size_t k;

	for (k = 0; k < sizeof(token_causes) / sizeof(token_causes[0]); k++)
		if (token_causes[k].subcode == ge->subcode) {
			what = token_causes[k].what;
			fix = token_causes[k].fix;
		}
	if (ge->subcode == 463 && ge->call == GRAPH_CALL_EXCHANGE)
		what = "the short-lived token has expired";
	/* debug_token itself refused: the app token is what it checked */
	if (ge->subcode == 0 && ge->call == GRAPH_CALL_DEBUG && ge->http_status > 0) {
		what = "the app token was rejected";
		fix = "check app-id and app-secret";
	}
	if (ge->subcode != 0)
		snprintf(buf, len, "%s (code %d/%d): %s", what, ge->code, ge->subcode, fix);
	else
		snprintf(buf, len, "%s (code %d): %s", what, ge->code, fix);
}

static void
code_str(char *out, size_t len, const struct graph_error *ge)
{
	if (ge->subcode != 0)
		snprintf(out, len, "%d/%d", ge->code, ge->subcode);
	else
		snprintf(out, len, "%d", ge->code);
}

static bool
posting(const struct graph_error *ge)
{
	return ge->call == GRAPH_CALL_PUBLISH || ge->call == GRAPH_CALL_UPLOAD ||
	    ge->call == GRAPH_CALL_SCHEDULED || ge->call == GRAPH_CALL_DELETE;
}

/* The refusals of posting calls; false for those said as for any call. */
static bool
describe_posting(const struct graph_error *ge, const char *code, const char *text,
    char *buf, size_t len)
{
	char user[sizeof(ge->user_msg) * 4];

	graph_text(user, sizeof(user), ge->user_msg);
	if (is_permission(ge->code))
		snprintf(buf, len, "missing permission (code %s): the page token needs "
		    "pages_manage_posts and pages_read_engagement and a CREATE_CONTENT, MODERATE or "
		    "MANAGE task on the page; grant them in Graph Explorer and run login again; "
		    "graph says: %s", code, text);
	else if (ge->code == 506)
		snprintf(buf, len, "duplicate post (code %s): the same message was just posted on "
		    "this page; nothing was posted (change the text or wait)", code);
	else if (ge->code == 368)
		snprintf(buf, len, "the page may not post for now (code %s): Facebook blocked it "
		    "for a policy violation; graph says: %s", code, user[0] != '\0' ? user : text);
	else if (ge->code == 100 && strstr(ge->message, "scheduled publish time") != NULL)
		snprintf(buf, len, "the scheduled time was refused (code %s): it must be from 10 "
		    "minutes to 30 days ahead; graph says: %s", code, text);
	else if (ge->code == 100 && ge->subcode == 33 && ge->call == GRAPH_CALL_DELETE)
		snprintf(buf, len, "no such post (code %s): check the id; it may be deleted "
		    "already", code);
	else if (ge->code == 100 || ge->code == 324)
		snprintf(buf, len, "Graph refused the post (code %s): %s", code, text);
	else
		return false;
	return true;
}

static void
describe_graph(const struct graph_error *ge, char *buf, size_t len)
{
	char code[32], text[GRAPH_TEXT_MAX * 4 + 1];

	code_str(code, sizeof(code), ge);
	graph_text(text, sizeof(text), ge->message);
	if (posting(ge) && describe_posting(ge, code, text, buf, len))
		return;
	if (ge->code == 190 || (ge->code == 0 && ge->subcode == 458))
		describe_token(ge, buf, len);
	else if (parse_bad_secret(ge))
		snprintf(buf, len, "the App Secret was rejected (code %s): check app-secret", code);
	else if (ge->code == 1 || ge->code == 2)
		snprintf(buf, len, "the Graph API failed the request (code %s) and says it is not "
		    "temporary: retrying will not help%s%s", code, text[0] != '\0' ? "; graph says: " :
		    "", text);
	else if (ge->code == 100 && ge->call == GRAPH_CALL_DEBUG)
		snprintf(buf, len, "debug_token refused the app token (code %s): check app-id and "
		    "app-secret%s%s", code, text[0] != '\0' ? "; graph says: " : "", text);
	else if (ge->code == 101)
		snprintf(buf, len, "invalid App ID (code %s): check app-id", code);
	else if (ge->code == 102)
		snprintf(buf, len, "the session is no longer valid (code %s): "
		    "get a fresh token from Graph Explorer and run login again", code);
	else if (is_permission(ge->code))
		snprintf(buf, len, "missing permission (code %s): grant pages_show_list and "
		    "pages_manage_posts in Graph Explorer and run login again", code);
	else if (ge->code == 100 || ge->code == 803)
		snprintf(buf, len, "unknown page or bad parameter (code %s): check the page id%s%s",
		    code, text[0] != '\0' ? "; graph says: " : "", text);
	else if (ge->code == 0)
		snprintf(buf, len, "no page token for this page: the user has no role on it "
		    "or did not grant pages_show_list and pages_manage_posts");
	else
		snprintf(buf, len, "the Graph API refused the request (code %s)%s%s", code,
		    text[0] != '\0' ? ": " : "", text);
}

static bool
rate_limit(int code)
{
	return code == 4 || code == 17 || code == 32 || code == 341 || code == 613 ||
	    (code >= 80000 && code <= 80014);
}

/* "; NAME VALUE" for a usage header Graph sent. */
static void
append_usage(char *buf, size_t len, const char *name, const char *value)
{
	char esc[512 * 4];
	size_t used = strlen(buf);

	if (value[0] == '\0' || used + 1 >= len)
		return;
	graph_escape(esc, sizeof(esc), value, strlen(value));
	snprintf(buf + used, len - used, "; %s %s", name, esc);
}

static void
describe_tempfail(const struct graph_error *ge, char *buf, size_t len)
{
	char code[32], wait[48] = "";

	code_str(code, sizeof(code), ge);
	if (ge->regain_minutes > 0)
		snprintf(wait, sizeof(wait), " %d minute%s", ge->regain_minutes,
		    ge->regain_minutes == 1 ? "" : "s");
	if (!rate_limit(ge->code)) {
		snprintf(buf, len, "the Graph API had a temporary error (code %s): retry later", code);
		return;
	}
	snprintf(buf, len, "rate limited (code %s): wait%s and retry", code, wait);
	if (ge->code >= 80000 || ge->code == 32)
		append_usage(buf, len, "X-Business-Use-Case-Usage", ge->buc_usage);
	if (ge->code == 32)
		append_usage(buf, len, "X-Page-Usage", ge->page_usage);
	if (ge->code < 80000)
		append_usage(buf, len, "X-App-Usage", ge->app_usage);
}

static void
describe_other(int err, const struct graph_error *ge, char *buf, size_t len)
{
	char text[sizeof(ge->message) * 4];

	graph_escape(text, sizeof(text), ge->message, strlen(ge->message));
	if (err == FBV_ERR_NET)
		snprintf(buf, len, "cannot reach the Graph API: %s",
		    text[0] != '\0' ? text : "no response");
	else if (err == FBV_ERR_UNCERTAIN && ge->call == GRAPH_CALL_DELETE)
		snprintf(buf, len, "no clear answer after the delete went out (%s): the post may "
		    "be deleted already; check before trying again",
		    text[0] != '\0' ? text : "no response");
	else if (err == FBV_ERR_UNCERTAIN)
		snprintf(buf, len, "no clear answer after the post went out (%s): it may have been "
		    "published; check before posting again", text[0] != '\0' ? text : "no response");
	else if (err == FBV_ERR_PROTOCOL && ge->http_status > 0)
		snprintf(buf, len, "unexpected response from the Graph API (HTTP %ld%s%s)",
		    ge->http_status, text[0] != '\0' ? ": " : "", text);
	else if (err == FBV_ERR_PROTOCOL)
		snprintf(buf, len, "unexpected response from the Graph API%s%s",
		    text[0] != '\0' ? ": " : "", text);
	else if (err == FBV_ERR_UNSUPPORTED)
		snprintf(buf, len, "the HTTPS module (fbvault-http.so) is not installed");
	else
		buf[0] = '\0';
}

static void
append_trace(const struct graph_error *ge, char *buf, size_t len)
{
	char id[sizeof(ge->fbtrace_id) * 4];
	size_t used = strlen(buf);

	if (ge->fbtrace_id[0] == '\0' || used + 1 >= len)
		return;
	graph_escape(id, sizeof(id), ge->fbtrace_id, strlen(ge->fbtrace_id));
	snprintf(buf + used, len - used, " [fbtrace_id %s]", id);
}

void
graph_error_describe(int err, const struct graph_error *ge, char *buf, size_t len)
{
	static const struct graph_error none;

	if (len == 0)
		return;
	if (ge == NULL)
		ge = &none;
	if (err == FBV_ERR_REFUSED || err == FBV_ERR_DUPLICATE)
		describe_graph(ge, buf, len);
	else if (err == FBV_ERR_TEMPFAIL)
		describe_tempfail(ge, buf, len);
	else
		describe_other(err, ge, buf, len);
	if (err == FBV_ERR_REFUSED || err == FBV_ERR_TEMPFAIL || err == FBV_ERR_DUPLICATE)
		append_trace(ge, buf, len);
}
