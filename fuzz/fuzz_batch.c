/* The answer to a batch request, bytes straight from the network, as
 * graph/batch.c reads it: parse_batch() for a batch of n requests, then
 * each item (parse_batch_item()), its body as an answer of its own
 * (parse_batch_answer()) and as a debug_token answer (parse_debug()),
 * and the line a user would be shown for its error.
 *
 * Input: one selector byte, then the HTTP body (not NUL-terminated, so a
 * read past its end is caught). The selector's low 6 bits mod 51 are n,
 * the number of requests the batch carried (0 to 50); the top 2 bits
 * pick the HTTP status (200, 200, 400, 500). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../crypto/errors.h"
#include "../graph/batch.h"
#include "../graph/graph.h"
#include "../graph/parse.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const long statuses[] = { 200, 200, 400, 500 };

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	return 0;
}

static void
shown(int r, const struct graph_error *ge)
{
	char line[512];

	graph_error_describe(r, ge, line, sizeof(line));
	FUZZ_CHECK(strlen(line) < sizeof(line) && strchr(line, '\n') == NULL);
}

static void
item(const struct json *j, int i, struct batch_item *it)
{
	struct graph_token_info info;
	struct graph_error ge;
	struct json body;
	int r;

	if (parse_batch_item(j, i, it) != FBV_OK)
		return;
	FUZZ_CHECK(it->missing || (it->code >= 100 && it->code <= 599));
	FUZZ_CHECK(strlen(it->app_usage) < sizeof(it->app_usage) &&
	    strlen(it->buc_usage) < sizeof(it->buc_usage));
	if (it->missing)
		return;
	memset(&ge, 0, sizeof(ge));
	ge.call = GRAPH_CALL_DEBUG;
	if ((r = parse_batch_answer(it, &body, &ge)) != FBV_OK) {
		FUZZ_CHECK(r == FBV_ERR_REFUSED || r == FBV_ERR_TEMPFAIL || r == FBV_ERR_PROTOCOL ||
		    r == FBV_ERR_NOMEM);
		shown(r, &ge);
		return;
	}
	graph_token_info_init(&info);
	if (parse_debug(&body, &info) == FBV_OK)
		FUZZ_CHECK(info.scopes != NULL);
	graph_token_info_free(&info);
	json_free(&body);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct batch_item it;
	struct graph_error ge;
	struct json j;
	char *body;
	size_t n, k;
	int r, i;

	if (size < 1)
		return 0;
	n = (size_t)(data[0] & 0x3f) % (GRAPH_BATCH_MAX + 1);
	if ((body = malloc(size - 1 > 0 ? size - 1 : 1)) == NULL)
		return 0;
	memcpy(body, data + 1, size - 1);
	memset(&ge, 0, sizeof(ge));
	r = parse_batch(statuses[data[0] >> 6], body, size - 1, n, &j, &ge);
	if (r != FBV_OK) {
		FUZZ_CHECK(r == FBV_ERR_REFUSED || r == FBV_ERR_TEMPFAIL || r == FBV_ERR_PROTOCOL ||
		    r == FBV_ERR_NOMEM);
		shown(r, &ge);
		free(body);
		return 0;
	}
	FUZZ_CHECK((size_t)json_size(&j, 0) == n);
	sbuf_init(&it.body, GRAPH_MAX_BODY);
	for (k = 0, i = 1; k < n; k++, i = json_next(&j, i))
		item(&j, i, &it);
	sbuf_free(&it.body);
	json_free(&j);
	free(body);
	return 0;
}
