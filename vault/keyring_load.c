#include "config.h"
#include "../crypto/errors.h"
#include "keyring.h"
#include "module.h"

int
keyring_load(const struct keyring_ops **ops)
{
	static const struct keyring_ops *cached;
	const char *why;

	if (!FBV_HAVE_LIBSECRET)
		return FBV_ERR_UNSUPPORTED;
	if (cached == NULL) {
		cached = module_symbol("fbvault-keyring", FBV_KEYRING_SYMBOL, &why);
		if (cached == NULL || cached->abi != FBV_KEYRING_ABI) {
			cached = NULL;
			return FBV_ERR_UNSUPPORTED;
		}
	}
	*ops = cached;
	return FBV_OK;
}
