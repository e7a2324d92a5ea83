#include <stdio.h>
#include <string.h>

#include "../crypto/errors.h"
#include "obuf.h"

#define JSON_STRING_MAX (64U * 1024 * 1024)

void
obuf_init(struct obuf *o, size_t max)
{
	sbuf_init(&o->b, max);
	o->err = FBV_OK;
}

void
oput(struct obuf *o, const void *p, size_t n)
{
	if (o->err == FBV_OK)
		o->err = sbuf_put(&o->b, p, n);
}

void
oputs(struct obuf *o, const char *s)
{
	oput(o, s, strlen(s));
}

void
oput_json_string(struct obuf *o, const char *s, size_t len)
{
	char esc[8];
	size_t i;

	oputs(o, "\"");
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '"' || ch == '\\') {
			oputs(o, "\\");
			oput(o, &s[i], 1);
		} else if (ch < 0x20 || ch == 0x7f) {
			snprintf(esc, sizeof(esc), "\\u%04x", ch);
			oputs(o, esc);
		} else {
			oput(o, &s[i], 1);
		}
	}
	oputs(o, "\"");
}

void
obuf_free(struct obuf *o)
{
	sbuf_free(&o->b);
}

void
json_print_string(FILE *f, const char *s, size_t len)
{
	struct obuf o;

	obuf_init(&o, JSON_STRING_MAX);
	oput_json_string(&o, s, len);
	if (o.err == FBV_OK)
		fwrite(o.b.data, 1, o.b.len, f);
	else
		fputs("null", f);
	obuf_free(&o);
}
