/* The Graph API client: the calls of the token flow (exchange a
 * short-lived user token, list or fetch page tokens, inspect a token) and
 * of posting to a page (publish or schedule a post with a link or photos,
 * list scheduled posts, delete a post) over one HTTPS connection, and the
 * mapping of what Graph says to an error class and one line for a user.
 *
 * Tokens and the App Secret stay in sodium memory (struct sbuf or
 * secret_alloc) and every request URL is built in a wiping buffer. Every
 * call that carries a user or page token also sends its appsecret_proof.
 * Nothing here prints. */
#ifndef FBV_GRAPH_H
#define FBV_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../crypto/seal.h"
#include "../crypto/secmem.h"
#include "http.h"

#define GRAPH_DEFAULT_URL "https://graph.facebook.com"
#define GRAPH_DEFAULT_VERSION "v25.0"
#define GRAPH_TOKEN_MAX 4096            /* longest token accepted either way */
#define GRAPH_SECRET_MAX 256
#define GRAPH_MAX_BODY (1024 * 1024)    /* a larger response is a protocol error */
#define GRAPH_MAX_PAGING 100            /* /me/accounts result pages followed */
#define GRAPH_MAX_ACCOUNTS 10000
#define GRAPH_MAX_PHOTOS 10             /* photos in one post */
#define GRAPH_MESSAGE_MAX 63206         /* bytes of a post's text (Facebook's limit, in characters) */
#define GRAPH_MAX_SCHEDULED 10000
#define GRAPH_BATCH_MAX 50              /* requests in one batch (Graph's limit) */

struct graph_conf {
	const char *base_url;           /* https://host[:port][/path]; http:// only to loopback */
	const char *version;            /* "v25.0", or "" for unversioned calls */
	const char *ca_file;            /* trusted instead of the system CAs, or NULL */
	long connect_timeout_ms;
	long timeout_ms;                /* per request */
};

/* Defaults overridden by FBVAULT_GRAPH_URL, FBVAULT_GRAPH_VERSION,
 * FBVAULT_CA_FILE, FBVAULT_CONNECT_TIMEOUT and FBVAULT_TIMEOUT (seconds,
 * up to three decimals). The strings point into the environment.
 * FBV_ERR_INVALID when a value is wrong; graph_conf_check() says which. */
int graph_conf_from_env(struct graph_conf *c);
/* NULL when c is usable, else one lower-case line naming the problem. */
const char *graph_conf_check(const struct graph_conf *c);

enum graph_call {
	GRAPH_CALL_NONE,
	GRAPH_CALL_EXCHANGE,
	GRAPH_CALL_PAGE,
	GRAPH_CALL_ACCOUNTS,
	GRAPH_CALL_DEBUG,
	GRAPH_CALL_PUBLISH,             /* a post to the feed, or a published photo */
	GRAPH_CALL_UPLOAD,              /* an unpublished photo for a post of several */
	GRAPH_CALL_SCHEDULED,
	GRAPH_CALL_DELETE,
	GRAPH_CALL_API,                 /* fbvault api: a GET */
	GRAPH_CALL_API_WRITE,           /* fbvault api: a POST or DELETE */
};

/* What went wrong beside the error code. Every call clears it first.
 * message holds Graph's own text for FBV_ERR_REFUSED and FBV_ERR_TEMPFAIL,
 * the transport's reason for FBV_ERR_NET and what was wrong with the
 * response for FBV_ERR_PROTOCOL. Strings from Graph are decoded but not
 * escaped: print them only through graph_escape() or
 * graph_error_describe(). */
struct graph_error {
	enum graph_call call;
	long http_status;               /* 0 when no response came */
	int code;                       /* 0 for a refusal fbvault detected itself */
	int subcode;
	bool is_transient;
	bool transient_said;            /* is_transient was in the answer */
	char type[64];
	char message[256];
	char fbtrace_id[64];
	char user_msg[256];             /* error_user_msg, unescaped */
	char app_usage[256];            /* X-App-Usage header */
	char page_usage[256];           /* X-Page-Usage */
	char buc_usage[512];            /* X-Business-Use-Case-Usage */
	int regain_minutes;             /* its longest estimated_time_to_regain_access */
};

struct graph_page {
	char id[64];
	char *name;                     /* NULL when Graph gave none */
	struct sbuf token;              /* len 0 when Graph gave none; NUL after len */
	char *tasks;                    /* the user's tasks on it, comma-joined;
					 * NULL when Graph did not say */
	char ig_id[64];                 /* instagram_business_account: "" when none */
	char *ig_username;              /* NULL when none */
};

struct graph_token_info {
	bool is_valid;
	char type[16];                  /* USER, PAGE, APP, SYSTEM_USER or "" */
	char app_id[32];                /* "" when absent, likewise below */
	char profile_id[64];
	char user_id[64];
	char *application;              /* NULL when absent */
	char *scopes;                   /* comma-joined, never NULL */
	/* granular_scopes' target_ids of pages_manage_posts, comma-joined;
	 * NULL when the grant names no pages (it covers them all) */
	char *post_targets;
	int64_t expires_at;             /* unix seconds; 0 never; -1 unknown */
	int64_t data_access_expires_at; /* -1 unknown */
	int64_t issued_at;              /* -1 unknown */
	int err_code;                   /* why is_valid is false, when Graph says */
	int err_subcode;
	char err_message[256];          /* unescaped, like graph_error.message */
};

/* A post to publish: text, a link or photos (files), now or at a time. */
struct graph_post {
	const char *message;            /* UTF-8, or NULL */
	size_t message_len;
	const char *link;               /* an http(s) URL, or NULL */
	const char *const *photos;      /* image files, streamed from disk, or
					 * http(s) URLs Graph fetches */
	size_t nphotos;
	int64_t scheduled_at;           /* unix seconds; 0: publish now */
};

struct graph_posted {
	char id[64];                    /* the post, PAGEID_POSTID; "" when Graph
					 * names only the photo (a scheduled photo) */
	char photo_ids[GRAPH_MAX_PHOTOS][64];
	size_t nphotos;
};

struct graph_scheduled {
	char id[64];
	char *message;                  /* NULL when none; unescaped */
	int64_t scheduled_at;           /* -1 unknown */
};

/* One field of an api call: a value, or a file (multipart, POST only). */
struct graph_field {
	const char *name;
	const char *value;              /* NULL for a file */
	const char *file;
};

struct graph_api_req {
	enum http_method method;
	const char *path;               /* "1001/feed?limit=1": relative, no credentials */
	const struct graph_field *fields;
	size_t nfields;
	bool paginate;                  /* GET only: one JSON array of every data item */
};

struct graph;

/* Checks c, the App ID (digits) and the secret, then opens a client of
 * the HTTPS module http (FBV_ERR_UNSUPPORTED when NULL: not loaded). No
 * request is made yet. */
int graph_open(const struct graph_conf *c, const struct http_ops *http, const char *app_id,
    const unsigned char *secret, size_t secret_len, struct graph **out);
void graph_close(struct graph *g);

/* long_token: sbuf_init(b, GRAPH_TOKEN_MAX + 1) by the caller; filled
 * and NUL-terminated (the NUL not counted). *expires_in: seconds, -1
 * when Graph did not say. */
int graph_exchange(struct graph *g, const unsigned char *short_token, size_t len,
    struct sbuf *long_token, int64_t *expires_in, struct graph_error *err);
/* page_id: digits. out is initialised here; graph_page_free() it, also
 * after a failure. */
int graph_page_token(struct graph *g, const struct sbuf *user_token, const char *page_id,
    struct graph_page *out, struct graph_error *err);
/* Every page of /me/accounts. *pages is an array of *n, NULL when n is 0;
 * graph_pages_free() it. */
int graph_accounts(struct graph *g, const struct sbuf *user_token,
    struct graph_page **pages, size_t *n, struct graph_error *err);
/* The same without the tokens: id, name and tasks of each page. */
int graph_page_tasks(struct graph *g, const struct sbuf *user_token,
    struct graph_page **pages, size_t *n, struct graph_error *err);
/* Inspects token with the app token (APP_ID|APP_SECRET). An invalid
 * token is FBV_OK with out->is_valid false and out->err_* saying why.
 * graph_token_info_free() out, also after a failure. */
int graph_debug_token(struct graph *g, const struct sbuf *token,
    struct graph_token_info *out, struct graph_error *err);
/* graph_debug_token() for each of tokens[0..n) in batch requests of up
 * to GRAPH_BATCH_MAX (one request per 50 tokens); infos[k] is tokens[k]'s.
 * Items Graph leaves unanswered (null) are asked once more, then
 * FBV_ERR_TEMPFAIL; a Graph error for any item fails the call with it.
 * graph_token_info_free() every info, also after a failure. */
int graph_debug_tokens(struct graph *g, const struct sbuf *const *tokens, size_t n,
    struct graph_token_info *infos, struct graph_error *err);
/* Publishes p on page page_id (digits) with that page's token: one photo
 * through /photos, several as unpublished photos attached to one /feed
 * post, anything else through /feed. Tokens and proofs travel in the
 * body only. FBV_ERR_UNCERTAIN when the publishing request went out and
 * no clear answer came back (a timeout, a reset, a body that does not
 * parse): the post may exist; fbvault never sends it again by itself.
 * Photos uploaded for a post of several stay unpublished (invisible)
 * when a later step fails. */
int graph_publish(struct graph *g, const struct sbuf *page_token, const char *page_id,
    const struct graph_post *p, struct graph_posted *out, struct graph_error *err);
/* The page's scheduled posts, every result page of them. *items is an
 * array of *n, NULL when n is 0; graph_scheduled_free() it. */
int graph_scheduled(struct graph *g, const struct sbuf *page_token, const char *page_id,
    struct graph_scheduled **items, size_t *n, struct graph_error *err);
/* Deletes a post or photo (a scheduled post too); the token and proof in
 * the body. FBV_ERR_UNCERTAIN as for graph_publish(). */
int graph_delete(struct graph *g, const struct sbuf *page_token, const char *post_id,
    struct graph_error *err);
void graph_scheduled_free(struct graph_scheduled *items, size_t n);
/* Any call, with the token (its proof beside it) in the query of a GET
 * and in the body of a POST or DELETE. out gets the answer's JSON as
 * Graph sent it (paginate: "[item,...]"), credentials included: the
 * caller redacts. A POST or DELETE that may have been carried out is
 * FBV_ERR_UNCERTAIN. */
int graph_api(struct graph *g, const struct sbuf *token, const struct graph_api_req *req,
    struct sbuf *out, struct graph_error *err);
bool graph_api_path_ok(const char *path);
/* Whether a photo is given as an http:// or https:// URL. */
bool graph_is_url(const char *s);
/* Whether s is a post or photo id: digits, or digits_digits. */
bool graph_post_id_ok(const char *s);

/* TCP+TLS connections opened so far: 1 for a whole flow. */
long graph_connections(const struct graph *g);

void graph_page_init(struct graph_page *p);
void graph_page_free(struct graph_page *p);
void graph_token_info_init(struct graph_token_info *t);
void graph_pages_free(struct graph_page *pages, size_t n);
void graph_token_info_free(struct graph_token_info *t);
bool graph_has_scope(const struct graph_token_info *t, const char *scope);
/* Whether the pages_manage_posts grant covers page_id (granular_scopes). */
bool graph_grant_covers(const struct graph_token_info *t, const char *page_id);
/* Whether item is one of the comma-joined list's. */
bool graph_list_has(const char *list, const char *item);
/* FBV_OK for a valid token; for one debug_token found invalid,
 * FBV_ERR_REFUSED with ge filled from t's err_* fields (code 190 when Graph
 * gave none), ready for graph_error_class() and graph_error_describe(). */
int graph_token_error(const struct graph_token_info *t, struct graph_error *ge);

/* err refined by what Graph said: for FBV_ERR_REFUSED, FBV_ERR_DENIED
 * (a token, secret or grant is at fault), FBV_ERR_BAD_REQUEST (an id or
 * parameter) or FBV_ERR_REFUSED (anything else); other codes unchanged.
 * Table in describe.c. */
int graph_error_class(int err, const struct graph_error *ge);
/* One line for a user, lower-case start, no trailing newline: the cause
 * and the fix. It never contains a token, the secret or a URL; text from
 * Graph appears only escaped and cut to 160 bytes. ge may be NULL. Empty
 * for a code that is not about Graph (FBV_ERR_NOMEM): the caller has its
 * text. */
void graph_error_describe(int err, const struct graph_error *ge, char *buf, size_t len);
/* Copies in[0..inlen) to out as printable text: bytes below 0x20, 0x7f,
 * invalid UTF-8, C1 controls and Unicode bidi/line-separator controls
 * become \xNN per byte, a backslash becomes \\. Cuts only between
 * characters; out is always NUL-terminated (when len > 0). */
void graph_escape(char *out, size_t len, const char *in, size_t inlen);

/* appsecret_proof: lower-case hex HMAC-SHA256(key = App Secret, message =
 * the token), sent with every call that carries a user or page token. */
#define FBV_PROOF_HEX FBV_HMAC_HEX
void appsecret_proof(char out[FBV_PROOF_HEX], const unsigned char *secret, size_t secretlen,
    const unsigned char *token, size_t tokenlen);

#endif
