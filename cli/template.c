#include <string.h>

#include "../crypto/errors.h"
#include "../vault/entries.h"
#include "template.h"

static const char tag[] = "fbvault:";

static bool
blank(unsigned char ch)
{
	return ch == ' ' || ch == '\t';
}

/* At i, "{{", blanks, "fbvault:"; *j is set past the colon. */
static bool
ref_at(const unsigned char *p, size_t len, size_t i, size_t *j)
{
	if (len - i < 2 || p[i] != '{' || p[i + 1] != '{')
		return false;
	for (i += 2; i < len && blank(p[i]); i++)
		;
	if (len - i < sizeof(tag) - 1 || memcmp(p + i, tag, sizeof(tag) - 1) != 0)
		return false;
	*j = i + sizeof(tag) - 1;
	return true;
}

/* The NAME and closing braces of a reference whose name starts at j; on
 * success name holds it and *end is past the "}}". */
static int
ref_parse(const unsigned char *p, size_t len, size_t j, char name[FBV_NAME_MAX + 1],
    size_t *end, struct template_error *err)
{
	size_t start, n;

	for (; j < len && blank(p[j]); j++)
		;
	for (start = j; j < len && !blank(p[j]) && p[j] != '}' && p[j] != '\n'; j++)
		;
	n = j - start;
	for (; j < len && blank(p[j]); j++)
		;
	if (j == len || p[j] == '\n')
		return TEMPLATE_UNCLOSED;
	if (len - j < 2 || p[j] != '}' || p[j + 1] != '}')
		return TEMPLATE_MALFORMED;
	err->name = p + start;
	err->name_len = n;
	if (n > FBV_NAME_MAX)
		return TEMPLATE_BAD_NAME;
	memcpy(name, p + start, n);
	name[n] = '\0';
	/* A NUL would cut the name short: "app-id\0x" is not "app-id". */
	if (strlen(name) != n || name_check(name) != FBV_OK)
		return TEMPLATE_BAD_NAME;
	*end = j + 2;
	return TEMPLATE_OK;
}

/* The first failure sticks, so the caller checks once at the end. */
static void
put(struct sbuf *out, int *out_err, const void *p, size_t n)
{
	if (*out_err == FBV_OK)
		*out_err = sbuf_put(out, p, n);
}

int
template_render(const unsigned char *tpl, size_t len, template_lookup lookup,
    const void *ctx, struct sbuf *out, struct template_error *err)
{
	char name[FBV_NAME_MAX + 1];
	const unsigned char *value;
	size_t i = 0, copied = 0, j = 0, end = 0, vlen;
	int r, out_err = FBV_OK;

	memset(err, 0, sizeof(*err));
	err->line = 1;
	while (i < len) {
		if (tpl[i] == '\n')
			err->line++;
		if (!ref_at(tpl, len, i, &j)) {
			i++;
			continue;
		}
		if ((r = ref_parse(tpl, len, j, name, &end, err)) != TEMPLATE_OK)
			return r;
		if (lookup != NULL) {
			if (!lookup(ctx, name, &value, &vlen))
				return TEMPLATE_NOT_FOUND;
			put(out, &out_err, tpl + copied, i - copied);
			put(out, &out_err, value, vlen);
			copied = end;
		}
		i = end;
	}
	if (lookup != NULL)
		put(out, &out_err, tpl + copied, len - copied);
	err->out_err = out_err;
	return out_err == FBV_OK ? TEMPLATE_OK : TEMPLATE_OUTPUT;
}
