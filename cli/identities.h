/* The identities a command opens vaults with: --identity FILE (each),
 * --identity-fd N, $FBVAULT_IDENTITY_FILE, and otherwise the default file
 * ($XDG_CONFIG_HOME/fbvault/identity) when it exists. Each is read once per
 * process (a descriptor can be read only once) and wiped at exit. */
#ifndef FBV_IDENTITIES_H
#define FBV_IDENTITIES_H

#include <stdbool.h>

#include "../crypto/recipient.h"
#include "../vault/vault.h"
#include "command.h"

/* --identity and --identity-fd, for common_option(). */
int identity_option(struct ctx *c, const struct command *self, int opt, const char *arg);
void identities_free(struct ctx *c);

/* Whether any identity was named (options or the variable). */
bool identities_named(const struct ctx *c);
/* Opens v with the first identity whose recipient slot it has: 0; -1 when
 * none does (or there is none); an exit code after a message when a named
 * identity cannot be read. A default file that cannot be read is a notice. */
int identities_open(struct ctx *c, struct vault *v);
/* Reads one identity file: 0, or an exit code after a one-line message. */
int identity_load(const char *path, struct x25519_keypair **out);

#endif
