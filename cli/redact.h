/* What `fbvault api` prints of an answer: Graph answers carry tokens
 * (/me/accounts gives every page token, paging links the caller's). */
#ifndef FBV_REDACT_H
#define FBV_REDACT_H

#include <stddef.h>

#include "../crypto/secmem.h"

#define REDACTED "<redacted>"

/* Copies the JSON text in[0..len) to out with the string value of every
 * access_token or appsecret_proof member, every access_token= or
 * appsecret_proof= parameter inside a string, and every occurrence of one
 * of the secrets[0..n) replaced by <redacted>. FBV_OK or
 * FBV_ERR_TOO_LARGE / FBV_ERR_NOMEM. */
int redact_json(const unsigned char *in, size_t len, const struct sbuf *secrets, size_t n,
    struct sbuf *out);

#endif
