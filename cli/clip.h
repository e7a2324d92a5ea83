/* get --clip: the value to the clipboard through wl-copy (Wayland) or
 * xclip (X11), always on the tool's stdin, never in its argv; cleared
 * after FBVAULT_CLIP_TIME seconds (default 45) by a detached child, and
 * only if the clipboard still holds it (pass -c does the same). */
#ifndef FBV_CLIP_H
#define FBV_CLIP_H

#include <stddef.h>

#include <sodium.h>

#define CLIP_SECONDS_DEFAULT 45

struct clip_tool;
struct clip {
	const struct clip_tool *tool;
	long seconds;
	unsigned char key[crypto_generichash_KEYBYTES];         /* for the digest */
	unsigned char digest[crypto_generichash_BYTES];         /* of the value */
};

/* Copies the value and keeps only a keyed hash of it in c. Each returns
 * 0, or an exit code after a message. */
int clip_copy(const unsigned char *value, size_t len, struct clip *c);
/* After the caller wiped the value (vault_free()): the clearing child. */
int clip_clear_later(struct clip *c, const char *name);

#endif
