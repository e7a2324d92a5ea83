/* The commands, one function each, in the table of commands.c. */
#ifndef FBV_COMMANDS_H
#define FBV_COMMANDS_H

#include <stdio.h>

#include "command.h"

#define COMMAND_FN(name) \
	int name(struct ctx *c, const struct command *self, int argc, char **argv)

COMMAND_FN(cmd_init);
COMMAND_FN(cmd_put);
COMMAND_FN(cmd_get);
COMMAND_FN(cmd_list);
COMMAND_FN(cmd_rm);
COMMAND_FN(cmd_passwd);
COMMAND_FN(cmd_exec);
COMMAND_FN(cmd_env);
COMMAND_FN(cmd_inject);
COMMAND_FN(cmd_login);
COMMAND_FN(cmd_status);
COMMAND_FN(cmd_inspect);
COMMAND_FN(cmd_post);
COMMAND_FN(cmd_scheduled);
COMMAND_FN(cmd_delete);
COMMAND_FN(cmd_api);
COMMAND_FN(cmd_keyring);
COMMAND_FN(cmd_unlock);
COMMAND_FN(cmd_lock);
COMMAND_FN(cmd_doctor);
COMMAND_FN(cmd_help);
COMMAND_FN(cmd_identity);
COMMAND_FN(cmd_recipients);
COMMAND_FN(cmd_git_setup);
COMMAND_FN(cmd_git_merge);
COMMAND_FN(cmd_git_diff);
COMMAND_FN(cmd_check);
COMMAND_FN(cmd_refresh);
COMMAND_FN(cmd_log);

/* The commands and exit codes, for help and a bare fbvault. */
void help_all(FILE *f);

#endif
