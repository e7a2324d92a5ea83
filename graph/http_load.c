/* Finds the HTTPS module: beside the executable in a build tree, else in
 * the install's module directory (vault/module.c decides where). */
#include <stddef.h>

#include "../crypto/errors.h"
#include "../vault/module.h"
#include "http.h"

int
http_load(const struct http_ops **ops)
{
	static const struct http_ops *loaded;
	const struct http_ops *o;
	const char *why;

	if (loaded == NULL) {
		o = module_symbol("fbvault-http", FBV_HTTP_SYMBOL, &why);
		if (o == NULL || o->abi != FBV_HTTP_ABI)
			return FBV_ERR_UNSUPPORTED;
		loaded = o;
	}
	*ops = loaded;
	return FBV_OK;
}
