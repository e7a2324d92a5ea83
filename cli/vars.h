/* The variables exec and env hand out: -e VAR=NAME specs, the page
 * token with FB_APPSECRET_PROOF and the other FB_* variables, --min-ttl;
 * kept in secret memory as "NAME=value" strings, ready for execve. */
#ifndef FBV_VARS_H
#define FBV_VARS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../vault/vault.h"
#include "command.h"

#define SPECS_MAX 64
#define VARS_MAX (SPECS_MAX + 8)

enum env_format { FMT_SHELL, FMT_DOTENV, FMT_JSON };

/* -e VAR=NAME; both point into argv. */
struct spec {
	const char *var;
	size_t var_len;
	const char *name;
};

struct env_opts {
	const struct command *cmd;
	const char *page;
	struct spec specs[SPECS_MAX];
	size_t nspecs;
	const char *min_ttl_arg;
	int64_t min_ttl;        /* -1: not asked for */
	bool allow_nested;
	bool force;
	enum env_format format;
	const char *program;    /* exec's program, for the use log; NULL for env */
};

/* One variable as "NAME=value\0" in secret memory, ready for execve. */
struct var {
	char *kv;
	size_t name_len;
	size_t len;             /* without the NUL */
};

struct varset {
	struct var v[VARS_MAX];
	size_t n;
};

/* Parses exec's or env's options (self's row); -1 to go on. */
int env_parse(struct ctx *c, const struct command *self, int argc, char **argv,
    struct env_opts *o);
/* Opens the vault, copies what o asks for into vs, wipes the vault from
 * memory again. 0, or an exit code after a message. */
int load_vars(struct ctx *c, const struct env_opts *o, struct varset *vs);
/* The entry page/PAGE_ID, or with page NULL the vault's only page token;
 * 0, or an exit code after a message that lists the vault's pages. */
int page_pick(const struct ctx *c, const char *page, const struct vault *v,
    const struct entry **out);
bool varset_has(const struct varset *vs, const char *name, size_t len);
int varset_add_str(struct varset *vs, const char *name, const char *value);
void varset_free(struct varset *vs);

#endif
