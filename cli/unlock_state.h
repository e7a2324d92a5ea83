/* What a vault's keyring slot and timed unlock look like from here, for
 * status, keyring status and doctor; needs only the header. */
#ifndef FBV_UNLOCK_STATE_H
#define FBV_UNLOCK_STATE_H

#include <stdbool.h>
#include <stdio.h>

#include "../vault/vault.h"

/* probe_keyring: also ask the Secret Service (slow: D-Bus). */
int print_unlock_state(FILE *f, const struct vault *v, bool probe_keyring, bool json);

#endif
