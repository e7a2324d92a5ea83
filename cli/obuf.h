/* Output assembled in secret memory before it is written: an sbuf whose
 * first error sticks, so a formatter checks once at the end. */
#ifndef FBV_OBUF_H
#define FBV_OBUF_H

#include <stddef.h>
#include <stdio.h>

#include "../crypto/secmem.h"

struct obuf {
	struct sbuf b;
	int err;
};

void obuf_init(struct obuf *o, size_t max);
void oput(struct obuf *o, const void *p, size_t n);
void oputs(struct obuf *o, const char *s);
/* s as a JSON string: quotes, \" \\ and \u00XX for control bytes. */
void oput_json_string(struct obuf *o, const char *s, size_t len);
void obuf_free(struct obuf *o);

/* The same JSON string, straight to f (metadata, never secrets). */
void json_print_string(FILE *f, const char *s, size_t len);

#endif
