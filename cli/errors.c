#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "../crypto/errors.h"
#include "errors.h"

static const struct {
	int err;
	int exit;
	const char *text;       /* NULL: strerror(errno) */
} table[] = {
	{ FBV_OK, 0, "success" },
	{ FBV_ERR_NOMEM, EXIT_INTERNAL, "out of memory" },
	{ FBV_ERR_SYSTEM, EXIT_IO, NULL },
	{ FBV_ERR_CORRUPT, EXIT_CORRUPT, "vault is corrupted or was tampered with" },
	{ FBV_ERR_BAD_MAGIC, EXIT_CORRUPT, "not an fbvault vault" },
	{ FBV_ERR_VERSION, EXIT_CORRUPT, "unsupported vault format version" },
	{ FBV_ERR_KDF_LIMITS, EXIT_CORRUPT,
	  "key derivation cost out of range (vault corrupted or tampered with)" },
	{ FBV_ERR_WRONG_PASS, EXIT_DENIED, "wrong passphrase" },
	{ FBV_ERR_PERM, EXIT_DENIED, "unsafe permissions" },
	{ FBV_ERR_NO_VAULT, EXIT_NOTFOUND, "no vault" },
	{ FBV_ERR_NO_ENTRY, EXIT_NOTFOUND, "no such entry" },
	{ FBV_ERR_EXISTS, EXIT_EXISTS, "already exists" },
	{ FBV_ERR_BAD_NAME, EXIT_USAGE, "invalid entry name" },
	{ FBV_ERR_TOO_LARGE, EXIT_USAGE, "too large" },
	{ FBV_ERR_INVALID, EXIT_USAGE, "invalid argument" },
	{ FBV_ERR_SYMLINK, EXIT_DENIED, "is a symbolic link" },
	{ FBV_ERR_NO_SLOT, EXIT_CORRUPT, "no key slot this fbvault can open" },
	{ FBV_ERR_KEYRING, EXIT_UNAVAILABLE, "the Secret Service cannot be reached" },
	{ FBV_ERR_KEYRING_ITEM, EXIT_DENIED,
	  "the keyring item is missing or does not open the vault" },
	{ FBV_ERR_UNSUPPORTED, EXIT_UNAVAILABLE, "not supported by this build" },
	{ FBV_ERR_NET, EXIT_UNAVAILABLE, "cannot reach the Graph API" },
	{ FBV_ERR_TEMPFAIL, EXIT_TEMPFAIL, "the Graph API is temporarily unavailable" },
	{ FBV_ERR_PROTOCOL, EXIT_PROTOCOL, "unexpected response from the Graph API" },
	{ FBV_ERR_REFUSED, EXIT_UNAVAILABLE, "the Graph API refused the request" },
	{ FBV_ERR_NOT_UNLOCKED, EXIT_DENIED, "vault is not unlocked" },
	{ FBV_ERR_DUP_SLOT, EXIT_CORRUPT, "duplicated key slot" },
	{ FBV_ERR_DENIED, EXIT_DENIED, "the Graph API refused access" },
	{ FBV_ERR_BAD_REQUEST, EXIT_CORRUPT, "the Graph API refused a parameter" },
	{ FBV_ERR_BUSY, EXIT_TEMPFAIL, "being written by another fbvault; try again" },
	{ FBV_ERR_KEY_FORMAT, EXIT_USAGE, "not a key string" },
	{ FBV_ERR_KEY_PREFIX, EXIT_USAGE, "not a key of the expected kind" },
	{ FBV_ERR_KEY_CHECKSUM, EXIT_USAGE, "key string is mistyped (checksum does not match)" },
	{ FBV_ERR_KEY_LENGTH, EXIT_USAGE, "key string has the wrong length" },
	{ FBV_ERR_NO_KEY, EXIT_USAGE, "no key in identity file" },
	{ FBV_ERR_MANY_KEYS, EXIT_USAGE, "more than one key in identity file" },
	{ FBV_ERR_DIR_OWNER, EXIT_DENIED, "its directory belongs to another user" },
	{ FBV_ERR_DIR_MODE, EXIT_DENIED, "its directory is writable by group or others" },
	{ FBV_ERR_UNCERTAIN, EXIT_TEMPFAIL,
	  "the Graph API may have carried out the request; check before retrying" },
	{ FBV_ERR_DUPLICATE, EXIT_EXISTS, "the Graph API refused a duplicate" },
	{ FBV_ERR_NOT_OWNER, EXIT_DENIED, "belongs to another user" },
	{ FBV_ERR_OPEN_MODE, EXIT_DENIED, "group or others can read or write it (chmod 600 it)" },
	{ FBV_ERR_SHARED_PASS, EXIT_DENIED,
	  "others can read it and it has a passphrase slot, which they could guess offline "
	  "(chmod 600 it, or remove the slot: fbvault passwd --remove)" },
	{ FBV_ERR_BAD_LABEL, EXIT_USAGE,
	  "invalid label (1 to 64 of A-Z a-z 0-9 . _ - @ +)" },
	{ FBV_ERR_DUP_RECIPIENT, EXIT_USAGE, "a key or a label is listed twice" },
	{ FBV_ERR_CONFLICT, EXIT_CONFLICT, "changed differently on both sides" },
	{ FBV_ERR_OTHER_VAULT, EXIT_CORRUPT, "not versions of one vault (their vault ids differ)" },
};

static size_t
find(int err)
{
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].err == err)
			return i;
	return (size_t)-1;
}

const char *
fbv_strerror(int err)
{
	size_t i = find(err);

	if (i == (size_t)-1)
		return "unknown error";
	return table[i].text != NULL ? table[i].text : strerror(errno);
}

int
err_exit_code(int err)
{
	size_t i = find(err);

	return i == (size_t)-1 ? EXIT_INTERNAL : table[i].exit;
}
