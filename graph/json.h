/* Reading Graph API responses: a strict JSON parser over jsmn.
 *
 * json_parse() accepts exactly one RFC 8259 object and nothing else: it
 * refuses trailing bytes, NUL bytes, bad literals, lone or invalid
 * surrogates, raw control characters, invalid UTF-8, "\u0000", objects
 * whose members are not key:value pairs, misplaced commas, more than
 * JSON_MAX_TOKENS tokens and nesting deeper than JSON_MAX_DEPTH.
 * After it succeeds every string in the document decodes.
 *
 * Values are named by token index; 0 is the top-level object. Accessors
 * check the index and the type and return FBV_ERR_PROTOCOL on a mismatch,
 * so a caller can chain them without checking types first. A key that
 * occurs twice in an object resolves to its first occurrence. */
#ifndef FBV_JSON_H
#define FBV_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../crypto/secmem.h"

#define JSON_MAX_TOKENS 100000
#define JSON_MAX_DEPTH 64

enum json_type { JSON_NONE, JSON_OBJECT, JSON_ARRAY, JSON_STRING, JSON_PRIMITIVE };

struct json_tokens;

struct json {
	const char *js;         /* the caller's body; not copied */
	size_t len;
	struct json_tokens *t;
	int ntok;
};

int json_parse(struct json *j, const char *js, size_t len);
/* The same rules for a document that is one array (a batch answer);
 * token 0 is then the array. */
int json_parse_array(struct json *j, const char *js, size_t len);
void json_free(struct json *j);

enum json_type json_type(const struct json *j, int i);
/* The index of the value of key in object obj, or -1. */
int json_get(const struct json *j, int obj, const char *key);
/* Arrays: json_size() elements, the first at i + 1 (when there is one),
 * each next one at json_next() of the previous. */
int json_size(const struct json *j, int i);
int json_next(const struct json *j, int i);

/* Strings, decoded. json_string() fails with FBV_ERR_TOO_LARGE when the
 * value and its NUL do not fit; json_strdup()'s result is free()d;
 * json_sbuf() resets out and leaves the value there followed by a NUL
 * that len does not count. */
int json_string(const struct json *j, int i, char *buf, size_t len);
int json_strdup(const struct json *j, int i, char **out);
int json_sbuf(const struct json *j, int i, struct sbuf *out);
bool json_string_is(const struct json *j, int i, const char *s);

/* An integer given as a JSON number without fraction or exponent, or as
 * a string of the same form ("1234"): Graph sends ids both ways. */
int json_int(const struct json *j, int i, int64_t *out);
int json_bool(const struct json *j, int i, bool *out);
bool json_is_null(const struct json *j, int i);
/* The bytes of value i as they stand in the document (a string with its
 * quotes, an object with its braces). */
int json_raw(const struct json *j, int i, const char **p, size_t *len);

/* The length of the valid UTF-8 sequence at s (at most n bytes long), or
 * 0 when s does not start one: overlong forms, surrogates and code points
 * past U+10FFFF are invalid. */
size_t utf8_seq_len(const unsigned char *s, size_t n);
/* Whether all of s is valid UTF-8 in that sense. */
bool utf8_valid(const unsigned char *s, size_t n);

#endif
