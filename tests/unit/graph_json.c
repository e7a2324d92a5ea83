/* Unit tests for graph/json.c: what the strict parser accepts and
 * refuses, escape decoding, integers, booleans, iteration. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../../crypto/errors.h"
#include "../../graph/json.h"
#include "check.h"

static int
parse_str(struct json *j, const char *s)
{
	return json_parse(j, s, strlen(s));
}

static bool
accepts(const char *s)
{
	struct json j;
	int r = parse_str(&j, s);

	json_free(&j);
	return r == FBV_OK;
}

static bool
refuses(const char *s)
{
	struct json j;
	int r = parse_str(&j, s);

	json_free(&j);
	return r == FBV_ERR_PROTOCOL;
}

/* The decoded string value of key in a one-level object, or NULL. */
static char *
value_of(const char *body, const char *key)
{
	struct json j;
	char *s = NULL;

	if (parse_str(&j, body) == FBV_OK)
		json_strdup(&j, json_get(&j, 0, key), &s);
	json_free(&j);
	return s;
}

static bool
decodes_to(const char *body, const char *want, size_t wantlen)
{
	char *s = value_of(body, "s");
	bool ok = s != NULL && strlen(s) == wantlen && memcmp(s, want, wantlen) == 0;

	free(s);
	return ok;
}

static void
test_structure(void)
{
	static const char *good[] = {
		"{}", " {} ", "\n{\"a\":1}\r\n", "{\"a\" : 1 , \"b\" : [ ] }",
		"{\"a\":{}}", "{\"a\":[1,2,[3],{\"b\":null}]}", "{\"a\":1.5e3}",
		"{\"a\":-0.25E-2}", "{\"a\":0}", "{\"a\":true,\"b\":false,\"c\":null}",
		"{\"a\":\"\"}", "{\"\":1}",
	};
	static const char *bad[] = {
		"", " ", "[]", "\"s\"", "1", "{", "}", "{\"a\":1}x", "{\"a\":1}{\"b\":2}",
		"{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{,\"a\":1}", "{\"a\":1 \"b\":2}",
		"{\"a\":1,,\"b\":2}", "{\"a\"::1}", "{\"a\":[1,,2]}", "{\"a\":[1 2]}",
		"{\"a\":[,1]}", "{\"a\":[1,]}", "{\"a\":tru}", "{\"a\":nulll}", "{\"a\":01}",
		"{\"a\":-}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":1e}", "{\"a\":+1}",
		"{\"a\":'x'}", "{a:1}", "{\"a\":1]", "{\"a\":[1}", "{1:2}",
		"{\"a\":\"x\":1}", "{\"a\":[\"x\":1]}", "{\"a\":{\"b\"}}", "{\"a\":1}\"",
	};
	struct json j;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(*good); i++) {
		CHECK(accepts(good[i]));
		if (!accepts(good[i]))
			fprintf(stderr, "  refused: %s\n", good[i]);
	}
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		CHECK(refuses(bad[i]));
		if (!refuses(bad[i]))
			fprintf(stderr, "  accepted: %s\n", bad[i]);
	}
	/* A NUL byte inside the body: jsmn would stop there. */
	CHECK(json_parse(&j, "{\"a\":1}\0{", 9) == FBV_ERR_PROTOCOL);
	CHECK(json_parse(&j, "{\"a\":\"x\0y\"}", 11) == FBV_ERR_PROTOCOL);
	CHECK(json_parse(&j, NULL, 0) == FBV_ERR_PROTOCOL);
}

static char *
nested(int depth)
{
	char *s = malloc((size_t)depth * 2 + 16);
	size_t n = 0;
	int k;

	strcpy(s, "{\"a\":");
	n = strlen(s);
	for (k = 0; k < depth; k++)
		s[n++] = '[';
	for (k = 0; k < depth; k++)
		s[n++] = ']';
	s[n++] = '}';
	s[n] = '\0';
	return s;
}

static char *
many_tokens(int elements)
{
	char *s = malloc((size_t)elements * 2 + 16);
	size_t n;
	int k;

	strcpy(s, "{\"a\":[");
	n = strlen(s);
	for (k = 0; k < elements; k++) {
		s[n++] = '0';
		s[n++] = ',';
	}
	s[n - 1] = ']';
	s[n++] = '}';
	s[n] = '\0';
	return s;
}

static void
test_limits(void)
{
	char *s;

	/* The top-level object is depth 0, the array value depth 1. */
	s = nested(JSON_MAX_DEPTH);
	CHECK(accepts(s));
	free(s);
	s = nested(JSON_MAX_DEPTH + 1);
	CHECK(refuses(s));
	free(s);
	s = nested(500000);
	CHECK(refuses(s));
	free(s);
	/* object + key + array = 3 tokens besides the elements */
	s = many_tokens(JSON_MAX_TOKENS - 3);
	CHECK(accepts(s));
	free(s);
	s = many_tokens(JSON_MAX_TOKENS - 2);
	CHECK(refuses(s));
	free(s);
}

static void
test_escapes(void)
{
	CHECK(decodes_to("{\"s\":\"caf\\u00e9\"}", "caf\xc3\xa9", 5));
	CHECK(decodes_to("{\"s\":\"caf\\u00E9\"}", "caf\xc3\xa9", 5));
	CHECK(decodes_to("{\"s\":\"\\ud83e\\udd50\"}", "\xf0\x9f\xa5\x90", 4));
	CHECK(decodes_to("{\"s\":\"https:\\/\\/x\"}", "https://x", 9));
	CHECK(decodes_to("{\"s\":\"\\\"\\\\\\b\\f\\n\\r\\t\"}", "\"\\\b\f\n\r\t", 7));
	CHECK(decodes_to("{\"s\":\"\\u20ac\\u0041\"}", "\xe2\x82\xac" "A", 4));
	CHECK(decodes_to("{\"s\":\"\\u001b[2J\"}", "\x1b[2J", 4));
	CHECK(decodes_to("{\"s\":\"\\udbff\\udfff\"}", "\xf4\x8f\xbf\xbf", 4));
	CHECK(decodes_to("{\"s\":\"raw \xc3\xa9 \xf0\x9f\xa5\x90\"}", "raw \xc3\xa9 \xf0\x9f\xa5\x90", 11));
	/* Refused anywhere in the body, even where nobody reads. */
	CHECK(refuses("{\"s\":\"\\ud83e\"}"));                /* lone high */
	CHECK(refuses("{\"s\":\"\\udd50\"}"));                /* lone low */
	CHECK(refuses("{\"s\":\"\\ud83e\\u0041\"}"));         /* high + not low */
	CHECK(refuses("{\"s\":\"\\ud83e\\ud83e\"}"));         /* high + high */
	CHECK(refuses("{\"s\":\"\\ud83ex\"}"));
	CHECK(refuses("{\"s\":\"\\u0000\"}"));
	CHECK(refuses("{\"s\":\"\\u00g1\"}"));
	CHECK(refuses("{\"s\":\"\\u00e\"}"));
	CHECK(refuses("{\"s\":\"\\x41\"}"));
	CHECK(refuses("{\"s\":\"\\'\"}"));
	CHECK(refuses("{\"s\":\"a\x01" "b\"}"));              /* raw control */
	CHECK(refuses("{\"s\":\"a\tb\"}"));
	CHECK(refuses("{\"s\":\"a\nb\"}"));
	CHECK(refuses("{\"s\":\"\x1f\"}"));
	CHECK(refuses("{\"s\":\"\xff\"}"));                   /* invalid UTF-8 */
	CHECK(refuses("{\"s\":\"\xc0\xaf\"}"));               /* overlong '/' */
	CHECK(refuses("{\"s\":\"\xe0\x80\xaf\"}"));
	CHECK(refuses("{\"s\":\"\xed\xa0\x80\"}"));           /* UTF-8 surrogate */
	CHECK(refuses("{\"s\":\"\xf4\x90\x80\x80\"}"));       /* past U+10FFFF */
	CHECK(refuses("{\"s\":\"\xc3\"}"));                   /* cut short */
	CHECK(refuses("{\"\\ud800\":1}"));                    /* keys too */
	CHECK(accepts("{\"s\":\"\x7f\"}"));                   /* DEL is not a JSON control */
}

static void
test_utf8(void)
{
	CHECK(utf8_seq_len((const unsigned char *)"A", 1) == 1);
	CHECK(utf8_seq_len((const unsigned char *)"\xc3\xa9", 2) == 2);
	CHECK(utf8_seq_len((const unsigned char *)"\xc3\xa9", 1) == 0);
	CHECK(utf8_seq_len((const unsigned char *)"\xe2\x82\xac", 3) == 3);
	CHECK(utf8_seq_len((const unsigned char *)"\xf0\x9f\xa5\x90", 4) == 4);
	CHECK(utf8_seq_len((const unsigned char *)"\x80", 1) == 0);
	CHECK(utf8_seq_len((const unsigned char *)"\xc1\xbf", 2) == 0);
	CHECK(utf8_seq_len((const unsigned char *)"\xed\xbf\xbf", 3) == 0);
	CHECK(utf8_seq_len((const unsigned char *)"\xf5\x80\x80\x80", 4) == 0);
	CHECK(utf8_seq_len((const unsigned char *)"", 0) == 0);
}

static void
test_lookup(void)
{
	struct json j;
	char buf[8];
	int v;

	CHECK(parse_str(&j, "{\"a\":{\"c\":[1,{\"c\":2}],\"b\":3},\"c\":\"top\","
	    "\"c\":\"second\",\"\\u0061ccess\":\"esc\",\"cc\":1}") == FBV_OK);
	CHECK(json_type(&j, 0) == JSON_OBJECT);
	/* the nested "c" keys are skipped; the first "c" wins */
	v = json_get(&j, 0, "c");
	CHECK(json_string(&j, v, buf, sizeof(buf)) == FBV_OK && strcmp(buf, "top") == 0);
	/* keys compare decoded and by length */
	v = json_get(&j, 0, "access");
	CHECK(json_string(&j, v, buf, sizeof(buf)) == FBV_OK && strcmp(buf, "esc") == 0);
	CHECK(json_get(&j, 0, "acc") == -1);
	CHECK(json_get(&j, 0, "accessx") == -1);
	CHECK(json_get(&j, 0, "b") == -1);
	CHECK(json_type(&j, json_get(&j, json_get(&j, 0, "a"), "b")) == JSON_PRIMITIVE);
	/* bad indexes and wrong types never read */
	CHECK(json_get(&j, -1, "a") == -1);
	CHECK(json_get(&j, 9999, "a") == -1);
	CHECK(json_get(&j, json_get(&j, 0, "c"), "a") == -1);
	CHECK(json_type(&j, 9999) == JSON_NONE);
	CHECK(json_string(&j, -1, buf, sizeof(buf)) == FBV_ERR_PROTOCOL);
	CHECK(json_string(&j, json_get(&j, 0, "a"), buf, sizeof(buf)) == FBV_ERR_PROTOCOL);
	CHECK(json_next(&j, 9999) == -1);
	json_free(&j);
	CHECK(json_get(&j, 0, "a") == -1);   /* after free */
}

static void
test_strings(void)
{
	struct json j;
	struct sbuf b;
	char buf[4], *s;
	int v;

	CHECK(parse_str(&j, "{\"s\":\"abc\",\"t\":\"abcd\",\"tok\":\"EA\\u0041x\",\"n\":5}") == FBV_OK);
	CHECK(json_string(&j, json_get(&j, 0, "s"), buf, sizeof(buf)) == FBV_OK && strcmp(buf, "abc") == 0);
	CHECK(json_string(&j, json_get(&j, 0, "t"), buf, sizeof(buf)) == FBV_ERR_TOO_LARGE);
	CHECK(json_string(&j, json_get(&j, 0, "s"), buf, 0) == FBV_ERR_TOO_LARGE);
	CHECK(json_strdup(&j, json_get(&j, 0, "n"), &s) == FBV_ERR_PROTOCOL && s == NULL);
	CHECK(json_string_is(&j, json_get(&j, 0, "tok"), "EAAx"));
	CHECK(!json_string_is(&j, json_get(&j, 0, "tok"), "EAA"));
	sbuf_init(&b, 64);
	v = json_get(&j, 0, "tok");
	CHECK(json_sbuf(&j, v, &b) == FBV_OK && b.len == 4 && memcmp(b.data, "EAAx", 5) == 0);
	CHECK(json_sbuf(&j, json_get(&j, 0, "n"), &b) == FBV_ERR_PROTOCOL && b.len == 0);
	sbuf_free(&b);
	sbuf_init(&b, 4);       /* room for the token but not its NUL */
	CHECK(json_sbuf(&j, v, &b) == FBV_ERR_TOO_LARGE);
	sbuf_free(&b);
	json_free(&j);
}

static bool
int_is(const char *body, int64_t want)
{
	struct json j;
	int64_t v = 0;
	int r = FBV_ERR_PROTOCOL;

	if (parse_str(&j, body) == FBV_OK)
		r = json_int(&j, json_get(&j, 0, "v"), &v);
	json_free(&j);
	return r == FBV_OK && v == want;
}

static bool
int_refused(const char *body)
{
	struct json j;
	int64_t v = 42;
	int r = FBV_OK;

	if (parse_str(&j, body) == FBV_OK)
		r = json_int(&j, json_get(&j, 0, "v"), &v);
	json_free(&j);
	return r == FBV_ERR_PROTOCOL && v == 42;
}

static void
test_ints(void)
{
	CHECK(int_is("{\"v\":123}", 123));
	CHECK(int_is("{\"v\":\"123\"}", 123));
	CHECK(int_is("{\"v\":\"138483919580948\"}", 138483919580948LL));
	CHECK(int_is("{\"v\":138483919580948}", 138483919580948LL));
	CHECK(int_is("{\"v\":0}", 0));
	CHECK(int_is("{\"v\":-5}", -5));
	CHECK(int_is("{\"v\":\"007\"}", 7));
	CHECK(int_is("{\"v\":9223372036854775807}", INT64_MAX));
	CHECK(int_is("{\"v\":-9223372036854775808}", INT64_MIN));
	CHECK(int_refused("{\"v\":9223372036854775808}"));
	CHECK(int_refused("{\"v\":\"-9223372036854775809\"}"));
	CHECK(int_refused("{\"v\":99999999999999999999999}"));
	CHECK(int_refused("{\"v\":1.5}"));
	CHECK(int_refused("{\"v\":1e3}"));
	CHECK(int_refused("{\"v\":\"12a\"}"));
	CHECK(int_refused("{\"v\":\"\"}"));
	CHECK(int_refused("{\"v\":\"-\"}"));
	CHECK(int_refused("{\"v\":\"+1\"}"));
	CHECK(int_refused("{\"v\":\" 1\"}"));
	CHECK(int_refused("{\"v\":\"\\u0031\"}"));      /* escapes are not digits */
	CHECK(int_refused("{\"v\":true}"));
	CHECK(int_refused("{\"v\":null}"));
	CHECK(int_refused("{\"v\":[1]}"));
	CHECK(int_refused("{\"w\":1}"));
}

static void
test_bools_arrays(void)
{
	struct json j;
	bool b = false;
	int64_t v, sum = 0;
	int a, i, k;

	CHECK(parse_str(&j, "{\"t\":true,\"f\":false,\"s\":\"true\",\"n\":null,\"one\":1,"
	    "\"arr\":[1,[2,3],{\"x\":[4]},5],\"empty\":[]}") == FBV_OK);
	CHECK(json_bool(&j, json_get(&j, 0, "t"), &b) == FBV_OK && b);
	CHECK(json_bool(&j, json_get(&j, 0, "f"), &b) == FBV_OK && !b);
	CHECK(json_bool(&j, json_get(&j, 0, "s"), &b) == FBV_ERR_PROTOCOL);
	CHECK(json_bool(&j, json_get(&j, 0, "n"), &b) == FBV_ERR_PROTOCOL);
	CHECK(json_bool(&j, json_get(&j, 0, "one"), &b) == FBV_ERR_PROTOCOL);
	CHECK(json_is_null(&j, json_get(&j, 0, "n")));
	CHECK(!json_is_null(&j, json_get(&j, 0, "f")));
	a = json_get(&j, 0, "arr");
	CHECK(json_type(&j, a) == JSON_ARRAY && json_size(&j, a) == 4);
	/* only the scalars at the top of the array: 1 and 5 */
	for (k = 0, i = a + 1; k < json_size(&j, a); k++, i = json_next(&j, i))
		if (json_int(&j, i, &v) == FBV_OK)
			sum += v;
	CHECK(sum == 6);
	CHECK(json_size(&j, json_get(&j, 0, "empty")) == 0);
	CHECK(json_size(&j, json_get(&j, 0, "one")) == 0);
	json_free(&j);
}

int
main(void)
{
	if (sodium_init() < 0)
		return 1;
	test_structure();
	test_limits();
	test_escapes();
	test_utf8();
	test_lookup();
	test_strings();
	test_ints();
	test_bools_arrays();
	return check_report(NULL);
}
