/* The edge of the error space: each library error code's text and exit
 * code, in one table (errors.c). Exit codes are sysexits.h values,
 * documented in README, `fbvault help` and fbvault(1). */
#ifndef FBV_CLI_ERRORS_H
#define FBV_CLI_ERRORS_H

enum {
	EXIT_CONFLICT = 1,      /* git-merge: the two sides conflict (diff3's and git's 1) */
	EXIT_USAGE = 64,        /* bad command line or bad input */
	EXIT_CORRUPT = 65,      /* vault corrupted or tampered with; bad data */
	EXIT_NOTFOUND = 66,     /* vault or entry not found */
	EXIT_UNAVAILABLE = 69,  /* Graph API or Secret Service unreachable */
	EXIT_INTERNAL = 70,     /* out of memory, a bug */
	EXIT_EXISTS = 73,       /* entry or vault already exists */
	EXIT_IO = 74,           /* I/O error */
	EXIT_TEMPFAIL = 75,     /* rate limited or transient service error */
	EXIT_PROTOCOL = 76,     /* unexpected response from a service */
	EXIT_DENIED = 77,       /* wrong passphrase, unsafe permissions, refused */
	/* Not a sysexits.h value: none means "authentic but older than seen",
	 * and a script must tell it from 65 (forged) and 77 (refused). */
	EXIT_ROLLBACK = 79,     /* an older generation than this machine opened */
};

/* What went wrong, lower-case, no trailing period; FBV_ERR_SYSTEM reads errno. */
const char *fbv_strerror(int err);
/* The exit code a command returns for err (0 for FBV_OK). */
int err_exit_code(int err);

#endif
