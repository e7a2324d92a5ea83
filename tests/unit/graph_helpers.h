/* What the graph unit tests share: the exit code fbvault gives a Graph
 * failure, and the HTTPS module loaded as fbvault loads it. */
#ifndef FBV_TEST_GRAPH_HELPERS_H
#define FBV_TEST_GRAPH_HELPERS_H

#include "../../cli/errors.h"
#include "../../cli/module.h"
#include "../../graph/graph.h"

static inline int
exit_code_of(int err, const struct graph_error *ge)
{
	return err_exit_code(graph_error_class(err, ge));
}

/* Built beside the module: cli/module.c finds it in the build tree. */
static inline const struct http_ops *
test_http(void)
{
	const struct http_ops *ops = NULL;

	(void)http_module(&ops);
	return ops;
}

#endif
