/* The process itself: hardened at the start of main() (no core dumps, not
 * dumpable, SIGXFSZ ignored, the memory-lock limit raised to its hard
 * limit), and the user's own settings given back to the program exec runs. */
#ifndef FBV_PROCESS_H
#define FBV_PROCESS_H

int harden(void);
void restore_child_state(void);

#endif
