/* Bech32 (BIP 173) with its 90-character limit: strict decoding, encoding,
 * and the 8-bit/5-bit regrouping. The data part may be secret: it is
 * decoded and encoded without branches or table lookups on its characters,
 * and a struct bech32 that holds a secret belongs in secret memory. */
#ifndef FBV_BECH32_H
#define FBV_BECH32_H

#include <stdbool.h>
#include <stddef.h>

#define BECH32_MAX 90
#define BECH32_HRP_MAX 83
#define BECH32_CHECKSUM 6
#define BECH32_DATA_MAX (BECH32_MAX - 2 - BECH32_CHECKSUM)

struct bech32 {
	char hrp[BECH32_HRP_MAX + 1];           /* lower case, NUL-terminated */
	size_t hrplen;
	unsigned char data[BECH32_DATA_MAX];    /* 5-bit groups, no checksum */
	size_t datalen;
	bool upper;                             /* the string was upper case */
};

/* FBV_ERR_KEY_LENGTH: over 90 characters; FBV_ERR_KEY_FORMAT: a character
 * outside 33..126, mixed case, no separator, an empty HRP, fewer than 6
 * data characters, or one outside the alphabet; FBV_ERR_KEY_CHECKSUM. */
int bech32_decode(struct bech32 *out, const char *s, size_t n);

/* out gets hrplen + 1 + n + 6 characters and a NUL; hrp is lower case, and
 * the whole string is upper-cased when upper. FBV_ERR_INVALID for a bad
 * HRP, a group over 31, or a result that would not fit outcap or 90. */
int bech32_encode(char *out, size_t outcap, const char *hrp,
    const unsigned char *data, size_t n, bool upper);

/* Bytes to 5-bit groups, zero-padded: writes (8n + 4) / 5 groups. */
size_t bech32_groups(unsigned char *out, const unsigned char *in, size_t n);

/* 5-bit groups to bytes, strictly: FBV_ERR_KEY_LENGTH when 5 or more
 * padding bits are left or the bytes would pass cap, FBV_ERR_KEY_FORMAT
 * when a padding bit is set or a group is over 31. */
int bech32_bytes(unsigned char *out, size_t cap, size_t *outlen,
    const unsigned char *in, size_t n);

#endif
