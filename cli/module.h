/* Optional code behind dlopen(): libcurl (the HTTPS module) and
 * libsecret/GLib (the keyring module) are loaded only by the commands that
 * need them, so get, put, list and exec start fast. The edge loads them and
 * hands their operations to graph/ and to the keyring slot code. */
#ifndef FBV_CLI_MODULE_H
#define FBV_CLI_MODULE_H

#include <stdbool.h>

#include "../graph/http.h"
#include "../vault/keyring.h"

enum module_id { MODULE_HTTP, MODULE_KEYRING, MODULE_COUNT };

struct module_desc {
	const char *file;       /* without ".so" */
	const char *symbol;     /* a struct whose first member is its int abi */
	int abi;
	bool built;             /* false: configured out of this build */
};

extern const struct module_desc modules[MODULE_COUNT];

/* The module's operations. A module is looked for in the build root when
 * the running executable is inside that build tree, then in FBV_MODULEDIR;
 * never beside an installed executable or in a directory named by the
 * environment, and only a file owned by root or the user and not writable
 * by group or others. FBV_ERR_UNSUPPORTED with a reason in *why
 * (static text) when it is not built, not installed or does not match. */
int module_load(enum module_id id, const void **ops, const char **why);
int http_module(const struct http_ops **ops);
int keyring_module(const struct keyring_ops **ops);

#endif
