#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "module.h"

static void *
module_open(const char *name)
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
			snprintf(path, sizeof(path), "%s/%s.so", exe, name);
			if (access(path, R_OK) == 0 && (h = dlopen(path, RTLD_NOW | RTLD_LOCAL)) != NULL)
				return h;
		}
	}
	snprintf(path, sizeof(path), "%s/%s.so", FBV_MODULEDIR, name);
	return dlopen(path, RTLD_NOW | RTLD_LOCAL);
}

const void *
module_symbol(const char *name, const char *symbol, const char **why)
{
	void *h = module_open(name);
	void *sym;

	if (h == NULL) {
		*why = "module not installed";
		return NULL;
	}
	if ((sym = dlsym(h, symbol)) == NULL) {
		*why = "module does not match this fbvault";
		return NULL;
	}
	return sym;
}
