/* One error space for every library folder: library code returns these
 * codes and nothing else; cli/errors.c, at the edge, gives each its text and
 * its exit code. */
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
	FBV_ERR_PERM = -8,          /* mode or owner unsafe */
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
	FBV_ERR_NET = -20,          /* a remote service: no connection, timeout, TLS */
	FBV_ERR_TEMPFAIL = -21,     /* rate limited or transient service error */
	FBV_ERR_PROTOCOL = -22,     /* unexpected response */
	FBV_ERR_REFUSED = -23,      /* a remote service refused; details beside */
	FBV_ERR_NOT_UNLOCKED = -24, /* no timed unlock key in the kernel */
	FBV_ERR_DUP_SLOT = -25,
	FBV_ERR_DENIED = -26,       /* a refusal that a new credential or grant fixes */
	FBV_ERR_BAD_REQUEST = -27,  /* a refusal of what was asked: bad id or parameter */
	FBV_ERR_BUSY = -28,         /* another writer holds the lock */
	FBV_ERR_KEY_FORMAT = -29,   /* not a key string: character, case, separator, padding */
	FBV_ERR_KEY_PREFIX = -30,   /* a key string of another kind (its Bech32 HRP) */
	FBV_ERR_KEY_CHECKSUM = -31, /* key string mistyped: Bech32 checksum fails */
	FBV_ERR_KEY_LENGTH = -32,   /* key string too long, or not a 32-byte key */
	FBV_ERR_NO_KEY = -33,       /* identity file holds no key */
	FBV_ERR_MANY_KEYS = -34,    /* identity file holds more than one key */
	FBV_ERR_DIR_OWNER = -35,    /* the vault's directory belongs to someone else */
	FBV_ERR_DIR_MODE = -36,     /* the vault's directory is writable by group or others */
	FBV_ERR_UNCERTAIN = -37,    /* a request that acts went out, no clear answer came:
				     * it may have been carried out */
	FBV_ERR_DUPLICATE = -38,    /* refused as a repeat of what was just done */
	FBV_ERR_NOT_OWNER = -39,    /* a file of another user (an identity file) */
	FBV_ERR_OPEN_MODE = -40,    /* a private file that group or others can read or write */
	FBV_ERR_SHARED_PASS = -41,  /* a vault others can read that has a passphrase slot */
	FBV_ERR_BAD_LABEL = -42,    /* a recipient label outside its alphabet or length */
	FBV_ERR_DUP_RECIPIENT = -43,/* a recipients file names a key or a label twice */
	FBV_ERR_CONFLICT = -44,     /* a merge: changed differently on both sides */
	FBV_ERR_OTHER_VAULT = -45,  /* a merge: the versions are of different vaults */
};

#endif
