/* One error space for crypto/, vault/ and graph/: library code returns these,
 * only cli/ turns them into messages and exit codes. */
#ifndef FBV_ERRORS_H
#define FBV_ERRORS_H

enum fbv_err {
	FBV_OK = 0,
	FBV_ERR_NOMEM = -1,
	FBV_ERR_SYSTEM = -2,        /* errno says what */
	FBV_ERR_CORRUPT = -3,       /* does not authenticate or does not parse */
	FBV_ERR_BAD_MAGIC = -4,
	FBV_ERR_VERSION = -5,
	FBV_ERR_KDF_LIMITS = -6,    /* KDF cost outside [interactive, ceiling] */
	FBV_ERR_WRONG_PASS = -7,    /* no key slot opens with what we have */
	FBV_ERR_PERM = -8,          /* file mode or owner unsafe */
	FBV_ERR_NO_VAULT = -9,
	FBV_ERR_NO_ENTRY = -10,
	FBV_ERR_EXISTS = -11,
	FBV_ERR_BAD_NAME = -12,
	FBV_ERR_TOO_LARGE = -13,
	FBV_ERR_INVALID = -14,      /* bad argument */
	FBV_ERR_SYMLINK = -15,
	FBV_ERR_NO_SLOT = -16,      /* the vault has no slot of that kind */
	FBV_ERR_KEYRING = -17,      /* Secret Service unreachable or failed */
	FBV_ERR_KEYRING_ITEM = -18, /* keyring slot present, item missing/wrong */
	FBV_ERR_UNSUPPORTED = -19,  /* built without the feature */
	FBV_ERR_NET = -20,          /* no connection, timeout, TLS failure */
	FBV_ERR_TEMPFAIL = -21,     /* rate limited or transient service error */
	FBV_ERR_PROTOCOL = -22,     /* unexpected response */
	FBV_ERR_GRAPH = -23,        /* the Graph API refused; details beside */
	FBV_ERR_NOT_UNLOCKED = -24, /* no timed unlock key in the kernel */
	FBV_ERR_DUP_SLOT = -25,
	FBV_ERR_KEY_FORMAT = -26,   /* not a key string: character, case, separator, padding */
	FBV_ERR_KEY_PREFIX = -27,   /* a key string of another kind (its Bech32 HRP) */
	FBV_ERR_KEY_CHECKSUM = -28, /* key string mistyped: Bech32 checksum fails */
	FBV_ERR_KEY_LENGTH = -29,   /* key string too long, or not a 32-byte key */
	FBV_ERR_NO_KEY = -30,       /* identity file holds no key */
	FBV_ERR_MANY_KEYS = -31,    /* identity file holds more than one key */
};

const char *fbv_strerror(int err);

#endif
