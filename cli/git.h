/* What fbvault knows of git: whether a vault lives in a work tree (for
 * the rollback message). The commands are in cmd_git.c. */
#ifndef FBV_GIT_H
#define FBV_GIT_H

/* "" or, for a vault inside a git work tree, a clause that names the git
 * ways of putting an older copy back and where the newer one is. */
const char *git_rollback_hint(const char *vault_path);

#endif
