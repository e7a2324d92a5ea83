#include <errno.h>
#include <string.h>

#include "errors.h"

const char *
fbv_strerror(int err)
{
	switch (err) {
	case FBV_OK: return "success";
	case FBV_ERR_NOMEM: return "out of memory";
	case FBV_ERR_SYSTEM: return strerror(errno);
	case FBV_ERR_CORRUPT: return "vault is corrupted or was tampered with";
	case FBV_ERR_BAD_MAGIC: return "not an fbvault vault";
	case FBV_ERR_VERSION: return "unsupported vault format version";
	case FBV_ERR_KDF_LIMITS: return "key derivation cost out of range (vault corrupted or tampered with)";
	case FBV_ERR_WRONG_PASS: return "wrong passphrase";
	case FBV_ERR_PERM: return "unsafe permissions";
	case FBV_ERR_NO_VAULT: return "no vault";
	case FBV_ERR_NO_ENTRY: return "no such entry";
	case FBV_ERR_EXISTS: return "already exists";
	case FBV_ERR_BAD_NAME: return "invalid entry name";
	case FBV_ERR_TOO_LARGE: return "too large";
	case FBV_ERR_INVALID: return "invalid argument";
	case FBV_ERR_SYMLINK: return "is a symbolic link";
	case FBV_ERR_NO_SLOT: return "no key slot this fbvault can open";
	case FBV_ERR_KEYRING: return "the Secret Service cannot be reached";
	case FBV_ERR_KEYRING_ITEM: return "the keyring item is missing or does not open the vault";
	case FBV_ERR_UNSUPPORTED: return "not supported by this build";
	case FBV_ERR_NET: return "cannot reach the Graph API";
	case FBV_ERR_TEMPFAIL: return "the Graph API is temporarily unavailable";
	case FBV_ERR_PROTOCOL: return "unexpected response from the Graph API";
	case FBV_ERR_GRAPH: return "the Graph API refused the request";
	case FBV_ERR_NOT_UNLOCKED: return "vault is not unlocked";
	case FBV_ERR_DUP_SLOT: return "duplicated key slot";
	case FBV_ERR_KEY_FORMAT: return "not a key string";
	case FBV_ERR_KEY_PREFIX: return "not a key of the expected kind";
	case FBV_ERR_KEY_CHECKSUM: return "key string is mistyped (checksum does not match)";
	case FBV_ERR_KEY_LENGTH: return "key string has the wrong length";
	case FBV_ERR_NO_KEY: return "no key in identity file";
	case FBV_ERR_MANY_KEYS: return "more than one key in identity file";
	}
	return "unknown error";
}
