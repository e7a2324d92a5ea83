#include <string.h>

#include <sodium.h>

#include "errors.h"
#include "identity.h"

#define HEADER "# fbvault identity: keep this file secret\n"
#define PUBLIC_COMMENT "# public key: "

/* The line at *pos, as [*start, *end) without its LF or CRLF. */
static void
next_line(const unsigned char *buf, size_t len, size_t *pos, size_t *start, size_t *end)
{
	const unsigned char *nl = memchr(buf + *pos, '\n', len - *pos);

	*start = *pos;
	*end = nl != NULL ? (size_t)(nl - buf) : len;
	*pos = nl != NULL ? *end + 1 : len;
	if (nl != NULL && *end > *start && buf[*end - 1] == '\r')
		(*end)--;
}

static int
key_line(unsigned char sk[FBV_X25519_BYTES], size_t *keys,
    const unsigned char *s, size_t n)
{
	int r;

	if ((r = keystr_secret_decode(sk, NULL, (const char *)s, n)) != FBV_OK)
		return r;
	return ++*keys > 1 ? FBV_ERR_MANY_KEYS : FBV_OK;
}

static int
scan(unsigned char sk[FBV_X25519_BYTES], size_t *line,
    const unsigned char *buf, size_t len)
{
	size_t pos = 0, start, end, no = 0, keys = 0;
	int r;

	while (pos < len) {
		next_line(buf, len, &pos, &start, &end);
		no++;
		if (end == start || buf[start] == '#')
			continue;
		if ((r = key_line(sk, &keys, buf + start, end - start)) != FBV_OK) {
			*line = no;
			return r;
		}
	}
	return keys == 1 ? FBV_OK : FBV_ERR_NO_KEY;
}

int
identity_parse(struct x25519_keypair **out, size_t *line,
    const unsigned char *buf, size_t len)
{
	unsigned char *sk;
	int r;

	*out = NULL;
	*line = 0;
	if (buf == NULL && len > 0)
		return FBV_ERR_INVALID;
	if (len > FBV_IDENTITY_FILE_MAX)
		return FBV_ERR_TOO_LARGE;
	if ((sk = secret_alloc(FBV_X25519_BYTES)) == NULL)
		return FBV_ERR_NOMEM;
	if ((r = scan(sk, line, buf, len)) == FBV_OK)
		r = x25519_keypair_from_secret(out, sk);
	secret_free(sk);
	return r;
}

int
identity_format(struct sbuf *out, const struct x25519_keypair *kp,
    enum key_flavor f)
{
	char pub[FBV_PUBLIC_STR_LEN + 1];
	char *sec;
	int r;

	if ((sec = secret_alloc(FBV_SECRET_STR_LEN + 1)) == NULL)
		return FBV_ERR_NOMEM;
	if ((r = keystr_public_encode(pub, kp->pk, f)) != FBV_OK ||
	    (r = keystr_secret_encode(sec, kp->sk, f)) != FBV_OK ||
	    (r = sbuf_put(out, HEADER, strlen(HEADER))) != FBV_OK ||
	    (r = sbuf_put(out, PUBLIC_COMMENT, strlen(PUBLIC_COMMENT))) != FBV_OK ||
	    (r = sbuf_put(out, pub, FBV_PUBLIC_STR_LEN)) != FBV_OK ||
	    (r = sbuf_put_u8(out, '\n')) != FBV_OK ||
	    (r = sbuf_put(out, sec, FBV_SECRET_STR_LEN)) != FBV_OK ||
	    (r = sbuf_put_u8(out, '\n')) != FBV_OK)
		sbuf_reset(out);
	secret_free(sec);
	return r;
}
