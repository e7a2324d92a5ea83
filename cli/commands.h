/* The commands, one function each; the table is in commands.c. */
#ifndef FBV_COMMANDS_H
#define FBV_COMMANDS_H

#include <getopt.h>
#include <stdio.h>

#include "cli.h"

int parse_options(struct ctx *c, const struct command *cmd, int argc, char **argv,
    const char *shortopts, const struct option *own, void *state,
    int (*on_opt)(void *state, int opt, const char *arg));
void entry_json(FILE *f, const struct entry *e);
void expiry_text(const struct entry *e, char *buf, size_t len);

int flag_opt(void *state, int opt, const char *arg);
int print_unlock_state(FILE *f, const struct vault *v, bool probe_keyring, bool json);

int cmd_init(struct ctx *c, int argc, char **argv);
int cmd_put(struct ctx *c, int argc, char **argv);
int cmd_get(struct ctx *c, int argc, char **argv);
int cmd_list(struct ctx *c, int argc, char **argv);
int cmd_rm(struct ctx *c, int argc, char **argv);
int cmd_passwd(struct ctx *c, int argc, char **argv);
int cmd_exec(struct ctx *c, int argc, char **argv);
int cmd_env(struct ctx *c, int argc, char **argv);
int cmd_inject(struct ctx *c, int argc, char **argv);

int cmd_keyring(struct ctx *c, int argc, char **argv);
int cmd_unlock(struct ctx *c, int argc, char **argv);
int cmd_lock(struct ctx *c, int argc, char **argv);
int cmd_doctor(struct ctx *c, int argc, char **argv);

int cmd_login(struct ctx *c, int argc, char **argv);
int cmd_status(struct ctx *c, int argc, char **argv);
int cmd_inspect(struct ctx *c, int argc, char **argv);

#endif
