#include <signal.h>
#include <stdbool.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <sodium.h>

#include "process.h"

static struct rlimit core_limit, memlock_limit;
/* What harden() changed, so that restore_child_state() undoes only that
 * (a limit already as wanted costs no system call either way). */
static bool core_lowered, memlock_raised;

/* Deny core dumps and ptrace by other processes of ours: this process
 * holds the data key and plaintext secrets (ssh-agent does the same). Only
 * the soft limit is lowered, so exec can give the child the user's own. */
int
harden(void)
{
	struct rlimit none;

	if (getrlimit(RLIMIT_CORE, &core_limit) != 0)
		return -1;
	none.rlim_cur = 0;
	none.rlim_max = core_limit.rlim_max;
	if (core_limit.rlim_cur != 0) {
		if (setrlimit(RLIMIT_CORE, &none) != 0)
			return -1;
		core_lowered = true;
	}
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		return -1;
	/* Secret memory is locked (never swapped) as far as RLIMIT_MEMLOCK
	 * allows: take all that the hard limit gives. */
	if (getrlimit(RLIMIT_MEMLOCK, &memlock_limit) == 0 &&
	    memlock_limit.rlim_cur < memlock_limit.rlim_max) {
		struct rlimit most = { memlock_limit.rlim_max, memlock_limit.rlim_max };

		memlock_raised = setrlimit(RLIMIT_MEMLOCK, &most) == 0;
	}
	/* Past a file-size limit, write() must fail (and the save roll back)
	 * rather than SIGXFSZ kill us between write and cleanup. */
	signal(SIGXFSZ, SIG_IGN);
	return sodium_init() < 0 ? -1 : 0;
}

void
restore_child_state(void)
{
	if (core_lowered)
		setrlimit(RLIMIT_CORE, &core_limit);
	if (memlock_raised)
		setrlimit(RLIMIT_MEMLOCK, &memlock_limit);
	signal(SIGXFSZ, SIG_DFL);
}
