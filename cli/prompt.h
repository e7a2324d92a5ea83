/* Reading secrets: passphrases from a descriptor, a 0600 file or the
 * terminal without echo; values from stdin or the terminal. Never argv. */
#ifndef FBV_PROMPT_H
#define FBV_PROMPT_H

#include <stdbool.h>
#include <stddef.h>

#include "../crypto/secmem.h"
#include "command.h"

enum pass_kind { PASS_CURRENT, PASS_INIT, PASS_NEW };

/* Each returns 0, or an exit code after a message. */
int read_passphrase(const struct ctx *c, enum pass_kind kind, struct sbuf *out);
int read_input(const char *prompt, size_t max, bool binary, struct sbuf *out);
/* FBV_OK, or an FBV_ERR_* code (FBV_ERR_NO_VAULT: no terminal). */
int read_tty_line(const char *prompt, struct sbuf *out);
bool have_tty(void);

#endif
