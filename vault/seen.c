#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../crypto/errors.h"
#include "seen.h"
#include "store.h"

#define SEEN_MAX 256

int
seen_path(const char *id_hex, char **out)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	const char *base = state, *mid = "/fbvault/seen-";
	size_t n;

	if (state == NULL || state[0] != '/') {
		if (home == NULL || home[0] != '/')
			return FBV_ERR_NO_VAULT;
		base = home;
		mid = "/.local/state/fbvault/seen-";
	}
	n = strlen(base) + strlen(mid) + strlen(id_hex) + 1;
	if ((*out = malloc(n)) == NULL)
		return FBV_ERR_NOMEM;
	snprintf(*out, n, "%s%s%s", base, mid, id_hex);
	return FBV_OK;
}

static int
parse(const char *text, struct seen *s)
{
	char hex[2 * FBV_SEEN_DIGEST + 1], tail;
	size_t len;

	if (sscanf(text, "fbvault-seen 1\ngeneration %" SCNu64 "\nslots %64[0-9a-f]%c",
	    &s->generation, hex, &tail) != 3 || tail != '\n' ||
	    sodium_hex2bin(s->slots, sizeof(s->slots), hex, strlen(hex), NULL, &len, NULL) != 0 ||
	    len != sizeof(s->slots))
		return FBV_ERR_CORRUPT;
	s->known = true;
	return FBV_OK;
}

int
seen_read(const char *id_hex, struct seen *s)
{
	unsigned char *buf = NULL;
	char text[SEEN_MAX + 1];
	char *path;
	size_t len;
	int r;

	memset(s, 0, sizeof(*s));
	if ((r = seen_path(id_hex, &path)) != FBV_OK)
		return r;
	r = store_read(path, &buf, &len);
	free(path);
	if (r == FBV_ERR_NO_VAULT)
		return FBV_OK;
	if (r != FBV_OK)
		return r;
	if (len > SEEN_MAX) {
		r = FBV_ERR_CORRUPT;
	} else {
		memcpy(text, buf, len);
		text[len] = '\0';
		r = parse(text, s);
	}
	free(buf);
	return r;
}

int
seen_write(const char *id_hex, const struct seen *s)
{
	char text[SEEN_MAX], hex[2 * FBV_SEEN_DIGEST + 1];
	char *path;
	int n, r;

	if ((r = seen_path(id_hex, &path)) != FBV_OK)
		return r;
	sodium_bin2hex(hex, sizeof(hex), s->slots, sizeof(s->slots));
	n = snprintf(text, sizeof(text), "fbvault-seen 1\ngeneration %" PRIu64 "\nslots %s\n",
	    s->generation, hex);
	if ((r = store_make_dirs(path)) == FBV_OK)
		r = store_write(path, (const unsigned char *)text, (size_t)n, STORE_RANDOM_TMP);
	free(path);
	return r;
}

void
seen_slots(const struct vault *v, unsigned char out[FBV_SEEN_DIGEST])
{
	crypto_generichash_state st;
	unsigned char head[3];
	size_t i;

	crypto_generichash_init(&st, NULL, 0, FBV_SEEN_DIGEST);
	for (i = 0; i < v->nslots; i++) {
		head[0] = v->slots[i].type;
		head[1] = (unsigned char)v->slots[i].rec_len;
		head[2] = (unsigned char)(v->slots[i].rec_len >> 8);
		crypto_generichash_update(&st, head, sizeof(head));
		if (v->slots[i].rec_len > 0)
			crypto_generichash_update(&st, v->slots[i].rec, v->slots[i].rec_len);
	}
	crypto_generichash_final(&st, out, FBV_SEEN_DIGEST);
}
