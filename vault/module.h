/* Optional code behind dlopen(): libcurl and libsecret/GLib are loaded only
 * by the commands that need them, so get, put, list and exec start fast.
 * A module is looked for beside the running executable (a build tree),
 * then in FBV_MODULEDIR; never in a directory named by the environment. */
#ifndef FBV_MODULE_H
#define FBV_MODULE_H

/* Loads NAME.so and returns the address of symbol, or NULL with a
 * reason in *why (static text). */
const void *module_symbol(const char *name, const char *symbol, const char **why);

#endif
