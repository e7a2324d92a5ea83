/* The Secret Service backend, built as the module fbvault-keyring.so. */
#include <stdlib.h>
#include <string.h>

#include <libsecret/secret.h>
#include <sodium.h>

#include "../crypto/errors.h"
#include "keyring.h"

static const SecretSchema schema = {
	FBV_KEYRING_SCHEMA, SECRET_SCHEMA_NONE,
	{
		{ "vault-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
		{ NULL, 0 },
	},
	0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

#define HEX_BYTES (2 * FBV_KEY_BYTES + 1)

/* Without a session bus libsecret would try to autolaunch one; say
 * "unreachable" at once instead. */
static int
bus_present(void)
{
	const char *a = getenv("DBUS_SESSION_BUS_ADDRESS");

	return a != NULL && *a != '\0';
}

static int
ks_store(const char *id, const char *label, const unsigned char key[FBV_KEY_BYTES])
{
	char *hex;
	GError *error = NULL;
	gboolean ok;

	if (!bus_present())
		return FBV_ERR_KEYRING;
	if ((hex = sodium_malloc(HEX_BYTES)) == NULL)
		return FBV_ERR_NOMEM;
	sodium_bin2hex(hex, HEX_BYTES, key, FBV_KEY_BYTES);
	ok = secret_password_store_sync(&schema, SECRET_COLLECTION_DEFAULT, label, hex,
	    NULL, &error, "vault-id", id, NULL);
	sodium_free(hex);
	if (error != NULL)
		g_error_free(error);
	return ok ? FBV_OK : FBV_ERR_KEYRING;
}

static int
ks_lookup(const char *id, unsigned char key[FBV_KEY_BYTES])
{
	GError *error = NULL;
	gchar *hex;
	size_t len = 0;
	int r;

	if (!bus_present())
		return FBV_ERR_KEYRING;
	hex = secret_password_lookup_nonpageable_sync(&schema, NULL, &error,
	    "vault-id", id, NULL);
	if (error != NULL) {
		g_error_free(error);
		return FBV_ERR_KEYRING;
	}
	if (hex == NULL)
		return FBV_ERR_KEYRING_ITEM;
	r = sodium_hex2bin(key, FBV_KEY_BYTES, hex, strlen(hex), NULL, &len, NULL) == 0 &&
	    len == FBV_KEY_BYTES ? FBV_OK : FBV_ERR_KEYRING_ITEM;
	secret_password_free(hex); /* wipes, then frees */
	return r;
}

static int
ks_clear(const char *id)
{
	GError *error = NULL;
	gboolean found;

	if (!bus_present())
		return FBV_ERR_KEYRING;
	found = secret_password_clear_sync(&schema, NULL, &error, "vault-id", id, NULL);
	if (error != NULL) {
		g_error_free(error);
		return FBV_ERR_KEYRING;
	}
	return found ? FBV_OK : FBV_ERR_KEYRING_ITEM;
}

static int
ks_ping(void)
{
	GError *error = NULL;
	SecretService *s;

	if (!bus_present())
		return FBV_ERR_KEYRING;
	s = secret_service_get_sync(SECRET_SERVICE_OPEN_SESSION, NULL, &error);
	if (error != NULL)
		g_error_free(error);
	if (s == NULL)
		return FBV_ERR_KEYRING;
	g_object_unref(s);
	return FBV_OK;
}

__attribute__((visibility("default"))) const struct keyring_ops fbvault_keyring_ops = {
	FBV_KEYRING_ABI, ks_store, ks_lookup, ks_clear, ks_ping,
};
