/* inject's template parser (cli/template.c) against a second, plainer
 * reading of the same grammar written here:
 *
 *   reference := "{{" BLANK* "fbvault:" BLANK* NAME BLANK* "}}"
 *   BLANK     := " " | "\t"
 *   NAME      := the longest run of bytes other than BLANK, "}" and "\n",
 *                valid by README's rule (1..128 of A-Z a-z 0-9 . _ - / :,
 *                not starting with / or -, without "..")
 *
 * Input: the template. A few names resolve (one to a value that looks
 * like a reference, which must come out as it is), the others are
 * missing. Both readings must agree on the status, the line and the
 * output byte for byte; the output may not grow past twice the input,
 * so TEMPLATE_OUTPUT is reached too. */
#include <stdlib.h>
#include <string.h>

#include "../cli/template.h"
#include "../crypto/errors.h"
#include "../vault/format.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct value {
	const char *name;
	const char *value;
	size_t len;
};

static const struct value values[] = {
	{ "app-id", "138483919580948", 15 },
	{ "page/1234", "EAAGm0PX4ZCpsBAPageToken", 24 },
	{ "a", "", 0 },
	{ "x", "{{ fbvault:a }}", 15 },
	{ "bin", "\0\n}}{{\xff", 7 },
	{ "a:b/c.d_e-f", "all of the name alphabet", 24 },
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	return 0;
}

static const struct value *
find(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		if (strlen(values[i].name) == len && memcmp(values[i].name, name, len) == 0)
			return &values[i];
	return NULL;
}

static size_t lookups;

static bool
lookup(const void *ctx, const char *name, const unsigned char **value, size_t *len)
{
	const struct value *v = find(name, strlen(name));

	FUZZ_CHECK(ctx == values);
	lookups++;
	if (v == NULL)
		return false;
	*value = (const unsigned char *)v->value;
	*len = v->len;
	return true;
}

/* The oracle */

struct result {
	int status;
	size_t line;
	size_t name_at, name_len;       /* offsets into the template */
	unsigned char *out;
	size_t out_len;
};

static bool
name_ok(const unsigned char *s, size_t n)
{
	size_t i;

	if (n < 1 || n > FBV_NAME_MAX || s[0] == '/' || s[0] == '-')
		return false;
	for (i = 0; i < n; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '_' || s[i] == '-' ||
		    s[i] == '/' || s[i] == ':'))
			return false;
		if (i > 0 && s[i] == '.' && s[i - 1] == '.')
			return false;
	}
	return true;
}

static size_t
skip_blanks(const unsigned char *p, size_t len, size_t k)
{
	while (k < len && (p[k] == ' ' || p[k] == '\t'))
		k++;
	return k;
}

static void
emit(struct result *res, const void *p, size_t n)
{
	memcpy(res->out + res->out_len, p, n);
	res->out_len += n;
}

/* A reference at i: the status and, when well formed, where it ends. */
static int
oracle_ref(const unsigned char *p, size_t len, size_t i, struct result *res, size_t *end)
{
	size_t k = skip_blanks(p, len, i + 2) + 8;

	res->name_at = k = skip_blanks(p, len, k);
	while (k < len && p[k] != ' ' && p[k] != '\t' && p[k] != '}' && p[k] != '\n')
		k++;
	res->name_len = k - res->name_at;
	k = skip_blanks(p, len, k);
	if (k >= len || p[k] == '\n')
		return TEMPLATE_UNCLOSED;
	if (k + 1 >= len || p[k] != '}' || p[k + 1] != '}')
		return TEMPLATE_MALFORMED;
	if (!name_ok(p + res->name_at, res->name_len))
		return TEMPLATE_BAD_NAME;
	*end = k + 2;
	return TEMPLATE_OK;
}

static bool
ref_starts(const unsigned char *p, size_t len, size_t i)
{
	size_t k;

	if (i + 1 >= len || p[i] != '{' || p[i + 1] != '{')
		return false;
	k = skip_blanks(p, len, i + 2);
	return len - k >= 8 && memcmp(p + k, "fbvault:", 8) == 0;
}

/* With resolve false, syntax only: every name counts as found and
 * nothing is written. An output longer than max is TEMPLATE_OUTPUT, but
 * only once the whole template has been read without another error. */
static void
oracle(const unsigned char *p, size_t len, bool resolve, size_t max, struct result *res)
{
	const struct value *v;
	size_t i = 0, end;
	int st;

	memset(res, 0, sizeof(*res));
	/* a reference takes at least 12 bytes, a value at most 24 */
	res->out = malloc(3 * len + 1);
	FUZZ_CHECK(res->out != NULL);
	res->line = 1;
	while (i < len) {
		if (!ref_starts(p, len, i)) {
			emit(res, p + i, 1);
			res->line += p[i] == '\n';
			i++;
			continue;
		}
		if ((st = oracle_ref(p, len, i, res, &end)) != TEMPLATE_OK) {
			res->status = st;
			return;
		}
		if (resolve) {
			if ((v = find((const char *)p + res->name_at, res->name_len)) == NULL) {
				res->status = TEMPLATE_NOT_FOUND;
				return;
			}
			emit(res, v->value, v->len);
		}
		i = end;
	}
	if (resolve && res->out_len > max)
		res->status = TEMPLATE_OUTPUT;
}

static void
check(const uint8_t *data, size_t size, bool resolve)
{
	struct template_error err;
	struct result want;
	struct sbuf out;
	size_t max = 2 * size;
	int r;

	sbuf_init(&out, max);
	lookups = 0;
	r = template_render(data, size, resolve ? lookup : NULL, values, resolve ? &out : NULL, &err);
	oracle(data, size, resolve, max, &want);
	FUZZ_CHECK(r == want.status);
	if (!resolve)
		FUZZ_CHECK(lookups == 0 && out.len == 0);
	if (r == TEMPLATE_OK)
		FUZZ_CHECK(resolve ? out.len == want.out_len && (out.len == 0 ||
		    memcmp(out.data, want.out, out.len) == 0) : out.len == 0);
	if (r != TEMPLATE_OK && r != TEMPLATE_OUTPUT)
		FUZZ_CHECK(err.line == want.line);
	if (r == TEMPLATE_OUTPUT)
		FUZZ_CHECK(err.out_err == FBV_ERR_TOO_LARGE);
	if (r == TEMPLATE_BAD_NAME || r == TEMPLATE_NOT_FOUND)
		FUZZ_CHECK(err.name == data + want.name_at && err.name_len == want.name_len);
	/* Without "fbvault:" there is nothing to replace. */
	if (resolve && (size < 8 || memmem(data, size, "fbvault:", 8) == NULL))
		FUZZ_CHECK(r == TEMPLATE_OK && out.len == size &&
		    (size == 0 || memcmp(out.data, data, size) == 0));
	free(want.out);
	sbuf_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check(data, size, false);
	check(data, size, true);
	return 0;
}
