#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../crypto/errors.h"
#include "config.h"
#include "module.h"

const struct module_desc modules[MODULE_COUNT] = {
	[MODULE_HTTP] = { "fbvault-http", FBV_HTTP_SYMBOL, FBV_HTTP_ABI, true },
	[MODULE_KEYRING] = { "fbvault-keyring", FBV_KEYRING_SYMBOL, FBV_KEYRING_ABI,
			     FBV_HAVE_LIBSECRET },
};

static void *
module_open(const char *file)
{
	char exe[PATH_MAX], path[PATH_MAX + 64];
	ssize_t n;
	char *slash;
	void *h;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			snprintf(path, sizeof(path), "%s/%s.so", exe, file);
			if (access(path, R_OK) == 0 && (h = dlopen(path, RTLD_NOW | RTLD_LOCAL)) != NULL)
				return h;
		}
	}
	snprintf(path, sizeof(path), "%s/%s.so", FBV_MODULEDIR, file);
	return dlopen(path, RTLD_NOW | RTLD_LOCAL);
}

int
module_load(enum module_id id, const void **ops, const char **why)
{
	static const void *loaded[MODULE_COUNT];
	const struct module_desc *m = &modules[id];
	const int *abi;
	void *h;

	if (loaded[id] != NULL) {
		*ops = loaded[id];
		return FBV_OK;
	}
	if (!m->built) {
		*why = "not built";
		return FBV_ERR_UNSUPPORTED;
	}
	if ((h = module_open(m->file)) == NULL) {
		*why = "module not installed";
		return FBV_ERR_UNSUPPORTED;
	}
	if ((abi = dlsym(h, m->symbol)) == NULL || *abi != m->abi) {
		*why = "module does not match this fbvault";
		return FBV_ERR_UNSUPPORTED;
	}
	*ops = loaded[id] = abi;
	return FBV_OK;
}

int
http_module(const struct http_ops **ops)
{
	const void *p;
	const char *why;
	int r = module_load(MODULE_HTTP, &p, &why);

	if (r == FBV_OK)
		*ops = p;
	return r;
}

int
keyring_module(const struct keyring_ops **ops)
{
	const void *p;
	const char *why;
	int r = module_load(MODULE_KEYRING, &p, &why);

	if (r == FBV_OK)
		*ops = p;
	return r;
}
