/* What login, refresh and a post that heals itself share: page tokens
 * derived from a user (or system-user) token, every token checked with
 * debug_token in batch requests, what makes a page token unable to post,
 * and storing them all in one write. Each int function returns 0, or an
 * exit code after a message. */
#ifndef FBV_PAGE_TOKENS_H
#define FBV_PAGE_TOKENS_H

#include <stdbool.h>
#include <stddef.h>

#include "../graph/graph.h"
#include "../vault/vault.h"
#include "command.h"

#define SCOPE_POST "pages_manage_posts"
#define TASK_POST "CREATE_CONTENT"
#define USER_TOKEN "user-token"
#define SYSTEM_TOKEN "system-user-token"

/* One token on its way into the vault. */
struct checked {
	char name[FBV_NAME_MAX + 1];
	const char *kind;               /* user-token, system-user-token, page-token */
	const struct sbuf *token;
	const struct graph_page *page;  /* NULL for the user token */
	struct graph_token_info info;
};

/* Prints "fbvault: STEP" on stderr unless c->quiet: login's progress. */
void progress(const struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The pages of user_tok: every one (/me/accounts), or those of ids. */
int pages_fetch(const struct ctx *c, struct graph *g, const struct sbuf *user_tok,
    const char *const *ids, size_t nids, struct graph_page **pages, size_t *n);
/* cs[0] the user token (kind user_kind, entry name user_name), then one
 * per page; *out calloc()ed, checked_free() it. */
int checked_list(const char *user_name, const char *user_kind, const struct sbuf *user_tok,
    const struct graph_page *pages, size_t npages, struct checked **out);
void checked_free(struct checked *cs, size_t n);
/* debug_token for all of cs (one batch request per 50), a progress line
 * for each when show; the user token must be valid and of want_type
 * ("USER", "SYSTEM_USER"), every page token able to post and never
 * expire (page_problem()). */
int checked_verify(const struct ctx *c, struct graph *g, struct checked *cs, size_t n,
    const char *want_type, bool show);
/* Why a page token cannot post: what into buf, *fix the remedy; false
 * when it can: valid, a PAGE token with pages_manage_posts and, with
 * forever, no expiry (what login refuses); with posting also granted for
 * this page (granular_scopes) and with the CREATE_CONTENT task, when
 * tasks is known (what check reports and login only warns of: a role
 * on one page must not stop a login for all of them). */
bool page_problem(const struct graph_token_info *t, const char *tasks, const char *page_id,
    bool forever, bool posting, char *buf, size_t len, const char **fix);
/* Every token of cs into v (an open transaction's), with its metadata;
 * an entry whose value and kind are unchanged keeps its updated time. */
int checked_store(struct vault *v, const struct checked *cs, size_t n, int64_t now);
/* What login and refresh stored, one line each, on stdout. */
void checked_summary(const struct checked *cs, size_t n);
/* Stores value as kind unless the entry holds it already; only the kind
 * is set then, and updated stays. */
int put_kinded(struct vault *v, const char *name, const char *kind, const unsigned char *p,
    size_t len, int64_t now, struct entry **out);

/* The entry a page token comes from: system-user-token or user-token,
 * the one whose user id the page's records, else the system user's. */
const struct entry *source_token(const struct vault *v, const struct entry *page);

/* After Graph refused page_id's token with 190: a fresh one from the
 * stored user token (checked, stored), in token, and one line saying so.
 * 0 when renewed; -1, silently, when Graph gives the same token again
 * (it is not dead: report the refusal itself); or an exit code after a
 * message that says to run login when the user token is dead too. */
int page_heal(struct ctx *c, struct graph *g, const char *page_id, struct sbuf *token);

#endif
