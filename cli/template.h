/* inject's templates: text in which each {{ fbvault:NAME }} stands for the
 * value of entry NAME. Blanks (space, tab) may surround "fbvault:NAME"; a
 * reference never spans lines. Parsing and rendering only, no I/O: inject
 * prints the errors, and the fuzzer calls the same code. */
#ifndef FBV_TEMPLATE_H
#define FBV_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#include "../crypto/secmem.h"

enum template_status {
	TEMPLATE_OK = 0,
	TEMPLATE_UNCLOSED,      /* no "}}" on the reference's line */
	TEMPLATE_MALFORMED,     /* something other than "}}" after the name */
	TEMPLATE_BAD_NAME,      /* NAME is not an entry name (name_check) */
	TEMPLATE_NOT_FOUND,     /* the lookup knows no entry NAME */
	TEMPLATE_OUTPUT,        /* out could not grow; out_err says why */
};

/* Where a render stopped: line counts from 1; name (not NUL-terminated)
 * points into the template for TEMPLATE_BAD_NAME and TEMPLATE_NOT_FOUND. */
struct template_error {
	size_t line;
	const unsigned char *name;
	size_t name_len;
	int out_err;            /* FBV_ERR_TOO_LARGE or FBV_ERR_NOMEM */
};

/* Sets *value and *len to the value of entry name, or returns false. */
typedef bool (*template_lookup)(const void *ctx, const char *name,
    const unsigned char **value, size_t *len);

/* Appends tpl[0..len) to out with each reference replaced by its value.
 * With lookup NULL it only checks the syntax and leaves out alone (out
 * may then be NULL). The whole template is read before a full out is
 * reported, so a syntax error or a missing entry wins over
 * TEMPLATE_OUTPUT. Returns an enum template_status. */
int template_render(const unsigned char *tpl, size_t len, template_lookup lookup,
    const void *ctx, struct sbuf *out, struct template_error *err);

#endif
