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
/* FBV_OK, PROMPT_EOF (Ctrl-D before anything was typed), or an FBV_ERR_*
 * code (FBV_ERR_NO_VAULT: no terminal). */
#define PROMPT_EOF 1
int read_tty_line(const char *prompt, struct sbuf *out);
bool have_tty(void);
/* Whether the current passphrase comes from the terminal (no
 * --passphrase-fd, no FBVAULT_PASSPHRASE_FILE). */
bool passphrase_at_tty(const struct ctx *c);
/* How many times a wrong passphrase may be typed: 3 at a terminal, else 1;
 * and the pause after each wrong one. */
int passphrase_tries(const struct ctx *c);
void passphrase_retry_pause(void);

#endif
