/* --dry-run: an HTTPS transport that sends nothing. Each request is
 * printed instead (method, URL without its query, every field, the token
 * as <page token> and its proof as <appsecret_proof>) and answered as a
 * successful Graph would answer it, so the dry run walks the very code
 * that posts. */
#ifndef FBV_DRYRUN_H
#define FBV_DRYRUN_H

#include "../graph/http.h"

extern const struct http_ops dryrun_http_ops;

#endif
