/* The command line: the only part of fbvault that prints or exits. */
#ifndef FBV_CLI_H
#define FBV_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../crypto/secmem.h"
#include "../vault/vault.h"
#include "errors.h"
#include "obuf.h"

struct ctx {
	char *vault_path;
	int passphrase_fd;      /* -1: none */
	int new_passphrase_fd;
	bool no_keyring;
	bool quiet;
	bool accept_rollback;   /* "I restored this on purpose" */
};

struct command {
	const char *name;
	int (*run)(struct ctx *c, int argc, char **argv);
	const char *usage;
	const char *help;
};

extern const struct command commands[];
const struct command *command_find(const char *name);

/* main.c: the core-dump limit and SIGXFSZ as the user had them, for exec */
void restore_child_state(void);

/* out.c */
void msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int fail_err(int err, const char *what);
int usage_error(const struct command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void print_usage(const struct command *cmd, FILE *f);
void term_escape(FILE *f, const char *s, size_t len);
int64_t now_unix(void);
void format_time(int64_t t, char *buf, size_t len);

/* Common options: --vault, --passphrase-fd, --new-passphrase-fd,
 * --no-keyring, --accept-rollback, -h. Returns 1 if consumed, 0 if not a common option. */
#define COMMON_LONGOPTS \
	{ "vault", required_argument, NULL, 'V' }, \
	{ "passphrase-fd", required_argument, NULL, 'P' }, \
	{ "new-passphrase-fd", required_argument, NULL, 'N' }, \
	{ "no-keyring", no_argument, NULL, 'K' }, \
	{ "accept-rollback", no_argument, NULL, 'R' }, \
	{ "help", no_argument, NULL, 'h' }
int common_option(struct ctx *c, const struct command *cmd, int opt, const char *arg);
#define OPT_HANDLED 1
#define OPT_HELP 2

/* prompt.c */
enum pass_kind { PASS_CURRENT, PASS_INIT, PASS_NEW };
int read_passphrase(const struct ctx *c, enum pass_kind kind, struct sbuf *out);
int read_tty_line(const char *prompt, struct sbuf *out);
int read_input(const char *prompt, size_t max, bool binary, struct sbuf *out);
bool have_tty(void);

/* open.c */
int vault_open_read(struct ctx *c, struct vault **out);
int vault_open_proof(struct ctx *c, struct vault **out);
struct vault_txn;
int edit_begin(struct ctx *c, struct vault *opened, struct vault_txn *t);
int edit_open(struct ctx *c, struct vault_txn *t);
int edit_commit(struct ctx *c, struct vault_txn *t);
int edit_abort(struct vault_txn *t, int code);
#define LOCK_TIMEOUT_MS 30000
int vault_key_sources(struct ctx *c, struct vault *v, bool allow_prompt);
/* Rollback memory (vault/seen.h) for an open vault: refuses an older
 * generation than this machine opened (EXIT_ROLLBACK) unless
 * --accept-rollback, and remembers a newer one. */
int seen_check(struct ctx *c, const struct vault *v);
/* After a save made here: its generation and slots are this machine's. */
void seen_note_save(const struct vault *v);
/* status and doctor: a warning line, or NULL, about the slot set. */
const char *seen_slots_warning(const struct vault *v);

/* duration.c */
int duration_parse(const char *s, int64_t *seconds);
void duration_format(int64_t seconds, char *buf, size_t len);

#endif
