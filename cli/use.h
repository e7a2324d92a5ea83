/* Notes in the use log (vault/uselog.h) that a command used a stored
 * value: its entry's name, never the value. A log that cannot be written
 * is said once, on stderr, and the command goes on. */
#ifndef FBV_USE_H
#define FBV_USE_H

/* program: exec's program (its base name is kept), else NULL. */
void use_note(const char *command, const char *entry, const char *program);
/* The same for n entries at once: one write to the log. */
void use_note_all(const char *command, const char *const *entries, size_t n,
    const char *program);

#endif
