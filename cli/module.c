#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../crypto/errors.h"
#include "config.h"
#include "module.h"

const struct module_desc modules[MODULE_COUNT] = {
	[MODULE_HTTP] = { "fbvault-http", FBV_HTTP_SYMBOL, FBV_HTTP_ABI, true },
	[MODULE_KEYRING] = { "fbvault-keyring", FBV_KEYRING_SYMBOL, FBV_KEYRING_ABI,
			     FBV_HAVE_LIBSECRET },
};

/* Whether the running executable lies inside the build tree it was built
 * in: only then are the modules beside it (in the build root) looked at.
 * An installed fbvault never loads code from its own directory, which may
 * be writable by others (a shared ~/bin, /opt). */
static bool
in_build_tree(void)
{
	char exe[PATH_MAX];
	size_t n = strlen(FBV_BUILD_ROOT);
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (len <= 0)
		return false;
	exe[len] = '\0';
	return strncmp(exe, FBV_BUILD_ROOT, n) == 0 && exe[n] == '/';
}

/* Opens path for dlopen() if it is a regular file owned by root or by us
 * and not writable by group or others; the check is made on the open
 * descriptor, and the same file is loaded through /proc/self/fd. */
static void *
dlopen_checked(const char *path, const char **why)
{
	char fdpath[64];
	struct stat st;
	void *h = NULL;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (st.st_uid != 0 && st.st_uid != geteuid()) || (st.st_mode & 022) != 0) {
		*why = "module refused: it must be owned by root or you and not writable "
		    "by group or others";
	} else {
		snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
		h = dlopen(fdpath, RTLD_NOW | RTLD_LOCAL);
	}
	close(fd);
	return h;
}

static void *
module_open(const char *file, const char **why)
{
	char path[PATH_MAX];
	void *h;

	*why = "module not installed";
	if (in_build_tree()) {
		snprintf(path, sizeof(path), "%s/%s.so", FBV_BUILD_ROOT, file);
		if ((h = dlopen_checked(path, why)) != NULL)
			return h;
	}
	snprintf(path, sizeof(path), "%s/%s.so", FBV_MODULEDIR, file);
	return dlopen_checked(path, why);
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
	if ((h = module_open(m->file, why)) == NULL)
		return FBV_ERR_UNSUPPORTED;
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
