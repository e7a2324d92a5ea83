/* What the commands that call Graph share: the App ID and App Secret from
 * the vault (or the terminal), a client of the HTTPS module, and one line
 * with the exit code for a Graph failure. */
#ifndef FBV_GRAPH_SESSION_H
#define FBV_GRAPH_SESSION_H

#include <stdbool.h>

#include "../crypto/secmem.h"
#include "../graph/graph.h"
#include "../vault/vault.h"
#include "command.h"

/* Whether s is 1 to 63 ASCII digits. */
bool digits(const char *s);
/* The App ID: given (--app-id), else the entry app-id. 0 or an exit code. */
int app_id_of(const struct vault *v, const char *given, char out[64]);
/* The App Secret: the entry app-secret, else asked for without echo
 * (*asked then says so: login stores it at the end). 0 or an exit code. */
int app_secret_of(const struct vault *v, struct sbuf *out, bool *asked);
/* What a call with a stored token needs from the vault: the App ID, the
 * App Secret (asked for when not stored, not kept) and a copy of e's
 * token. 0 or an exit code. */
int call_credentials(const struct vault *v, const struct entry *e, char app_id[64],
    struct sbuf *secret, struct sbuf *token);
/* graph_open() with the HTTPS module, which may be missing. */
int graph_connect(const struct graph_conf *conf, const char *app_id, const struct sbuf *secret,
    struct graph **g);
/* Whether Graph refused the call's token as invalid (190): a page token
 * that page_heal() may renew. */
bool token_died(int err, const struct graph_error *ge);
/* One line for a Graph failure; returns its exit code. */
int graph_fail(int err, const struct graph_error *ge);

/* What the posting commands work with: one page's token, read from the
 * vault (which is closed again before anything goes out), and a client. */
struct page_session {
	char page_id[64];
	struct sbuf token;
	struct graph *g;
};

/* Reads the vault (read-only): the page token (page, or the only page
 * when NULL), the App ID and App Secret; then opens the client, which
 * with dry_run sends nothing (cli/dryrun.h) and the page's stored scopes
 * are checked first; cmd names the command in the use log. 0, or an exit
 * code after a message;
 * page_session_close() either way. */
int page_session_open(struct ctx *c, const char *cmd, const char *page, bool dry_run,
    struct page_session *s);
void page_session_close(struct page_session *s);

#endif
