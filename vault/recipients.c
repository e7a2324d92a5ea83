#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "../crypto/errors.h"
#include "io.h"
#include "recipients.h"
#include "store.h"
#include "vault.h"

#define HEADER "# fbvault recipients: one member a line, the public key and a label.\n" \
	"# The vault's own slot list is what counts: `fbvault recipients list` compares.\n"

int
label_check(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > FBV_LABEL_MAX)
		return FBV_ERR_BAD_LABEL;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || (c != '\0' && strchr("._-@+", c) != NULL)))
			return FBV_ERR_BAD_LABEL;
	}
	return FBV_OK;
}

struct member *
members_find(const struct members *m, const unsigned char pk[FBV_X25519_BYTES])
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (sodium_memcmp(m->v[i].pk, pk, FBV_X25519_BYTES) == 0)
			return (struct member *)(uintptr_t)&m->v[i];
	return NULL;
}

static bool
label_taken(const struct members *m, const char *label)
{
	size_t i;

	for (i = 0; i < m->n && label[0] != '\0'; i++)
		if (strcmp(m->v[i].label, label) == 0)
			return true;
	return false;
}

int
members_add(struct members *m, const unsigned char pk[FBV_X25519_BYTES], enum key_flavor f,
    const char *label)
{
	struct member *e;

	if (label[0] != '\0' && label_check(label, strlen(label)) != FBV_OK)
		return FBV_ERR_BAD_LABEL;
	if (members_find(m, pk) != NULL || label_taken(m, label))
		return FBV_ERR_DUP_RECIPIENT;
	if (m->n == FBV_SLOTS_MAX)
		return FBV_ERR_TOO_LARGE;
	e = &m->v[m->n++];
	memcpy(e->pk, pk, FBV_X25519_BYTES);
	e->flavor = f;
	snprintf(e->label, sizeof(e->label), "%s", label);
	return FBV_OK;
}

void
members_remove(struct members *m, const unsigned char pk[FBV_X25519_BYTES])
{
	struct member *e = members_find(m, pk);
	size_t i;

	if (e == NULL)
		return;
	i = (size_t)(e - m->v);
	memmove(&m->v[i], &m->v[i + 1], (m->n - i - 1) * sizeof(*e));
	m->n--;
}

static int
member_line(struct members *m, const char *s, size_t n)
{
	unsigned char pk[FBV_X25519_BYTES];
	char label[FBV_LABEL_MAX + 1] = "";
	const char *sp = memchr(s, ' ', n);
	size_t klen = sp != NULL ? (size_t)(sp - s) : n;
	enum key_flavor f;
	int r;

	if ((r = keystr_public_decode(pk, &f, s, klen)) != FBV_OK)
		return r;
	if (sp != NULL) {
		if (label_check(sp + 1, n - klen - 1) != FBV_OK)
			return FBV_ERR_BAD_LABEL;
		memcpy(label, sp + 1, n - klen - 1);
		label[n - klen - 1] = '\0';
	}
	return members_add(m, pk, f, label);
}

int
recipients_parse(struct members *out, size_t *line, const unsigned char *buf, size_t len)
{
	size_t pos = 0, no = 0, start, end;
	const unsigned char *nl;
	int r;

	memset(out, 0, sizeof(*out));
	*line = 0;
	if (len > FBV_RECIPIENTS_FILE_MAX)
		return FBV_ERR_TOO_LARGE;
	while (pos < len) {
		nl = memchr(buf + pos, '\n', len - pos);
		start = pos;
		end = nl != NULL ? (size_t)(nl - buf) : len;
		pos = nl != NULL ? end + 1 : len;
		if (nl != NULL && end > start && buf[end - 1] == '\r')
			end--;
		no++;
		if (end == start || buf[start] == '#')
			continue;
		if ((r = member_line(out, (const char *)buf + start, end - start)) != FBV_OK) {
			*line = no;
			return r;
		}
	}
	return FBV_OK;
}

int
recipients_format(struct sbuf *out, const struct members *m)
{
	char key[FBV_PUBLIC_STR_LEN + 1];
	size_t i;
	int r;

	if ((r = sbuf_put(out, HEADER, strlen(HEADER))) != FBV_OK)
		return r;
	for (i = 0; i < m->n; i++) {
		const struct member *e = &m->v[i];

		if ((r = keystr_public_encode(key, e->pk, e->flavor)) != FBV_OK ||
		    (r = sbuf_put(out, key, FBV_PUBLIC_STR_LEN)) != FBV_OK ||
		    (e->label[0] != '\0' && ((r = sbuf_put_u8(out, ' ')) != FBV_OK ||
		    (r = sbuf_put(out, e->label, strlen(e->label))) != FBV_OK)) ||
		    (r = sbuf_put_u8(out, '\n')) != FBV_OK)
			return r;
	}
	return FBV_OK;
}

char *
recipients_path(const char *vault_path)
{
	size_t n = strlen(vault_path) + sizeof(FBV_RECIPIENTS_SUFFIX);
	char *p = malloc(n);

	if (p != NULL)
		snprintf(p, n, "%s%s", vault_path, FBV_RECIPIENTS_SUFFIX);
	return p;
}


int
recipients_read(const char *path, struct members *out, size_t *line)
{
	struct sbuf buf;
	int fd, r, saved;

	memset(out, 0, sizeof(*out));
	*line = 0;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)) < 0)
		return errno == ENOENT ? FBV_ERR_NO_VAULT : errno == ELOOP ? FBV_ERR_SYMLINK :
		    FBV_ERR_SYSTEM;
	sbuf_init(&buf, FBV_RECIPIENTS_FILE_MAX);
	if ((r = store_check_file(fd, 022, NULL)) == FBV_OK && (r = fd_read_sbuf(fd, &buf)) == FBV_OK)
		r = recipients_parse(out, line, buf.data, buf.len);
	saved = errno;
	close(fd);
	sbuf_free(&buf);
	errno = saved;
	return r;
}

int
recipients_write(const char *path, const struct members *m)
{
	struct sbuf text;
	int r;

	sbuf_init(&text, FBV_RECIPIENTS_FILE_MAX);
	if ((r = recipients_format(&text, m)) == FBV_OK)
		r = store_write(path, text.data, text.len, 0);
	sbuf_free(&text);
	return r;
}

void
members_of_vault(const struct vault *v, const struct members *file, struct members *out)
{
	const struct member *m;
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < v->nslots; i++) {
		if (v->slots[i].type != FBV_SLOT_RECIPIENT || v->slots[i].rec == NULL)
			continue;
		m = members_find(file, v->slots[i].rec);
		/* a label the file gives twice cannot be: the parser refuses it */
		(void)members_add(out, v->slots[i].rec, m != NULL ? m->flavor : KEY_FBV,
		    m != NULL ? m->label : "");
	}
}

bool
members_compare(const struct vault *v, const struct members *file, struct members *unlisted,
    struct members *stray)
{
	struct members now;
	size_t i;

	members_of_vault(v, file, &now);
	memset(unlisted, 0, sizeof(*unlisted));
	memset(stray, 0, sizeof(*stray));
	for (i = 0; i < now.n; i++)
		if (members_find(file, now.v[i].pk) == NULL)
			unlisted->v[unlisted->n++] = now.v[i];
	for (i = 0; i < file->n; i++)
		if (members_find(&now, file->v[i].pk) == NULL)
			stray->v[stray->n++] = file->v[i];
	return unlisted->n == 0 && stray->n == 0;
}
