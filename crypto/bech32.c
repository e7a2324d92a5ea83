#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "bech32.h"
#include "errors.h"

static const char alphabet[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

/* The ct_ helpers take values 0..255 and neither branch nor index memory
 * on them: they handle the data part, which may be a secret key. */

/* 1 when a == b, else 0. */
static unsigned
ct_eq(unsigned a, unsigned b)
{
	return (((a ^ b) - 1U) >> 8) & 1U;
}

/* 1 when lo <= c <= hi, else 0. */
static unsigned
ct_in(unsigned c, unsigned lo, unsigned hi)
{
	return (((c - lo) | (hi - c)) >> 31) ^ 1U;
}

/* The value of lower-case character c; sets *bad when c is not in the
 * alphabet. */
static unsigned
ct_value(unsigned c, unsigned *bad)
{
	unsigned v = 0, found = 0, i, m;

	for (i = 0; i < 32; i++) {
		m = ct_eq(c, (unsigned char)alphabet[i]);
		v |= i & (0U - m);
		found |= m;
	}
	*bad |= found ^ 1U;
	return v;
}

static char
ct_char(unsigned v, unsigned upper)
{
	unsigned c = 0, i;

	for (i = 0; i < 32; i++)
		c |= (unsigned char)alphabet[i] & (0U - ct_eq(v, i));
	c -= (ct_in(c, 'a', 'z') & upper) << 5;
	return (char)c;
}

/* One step of BIP 173's checksum polynomial. */
static uint32_t
polymod(uint32_t chk, unsigned v)
{
	static const uint32_t gen[5] = {
		0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3,
	};
	uint32_t top = chk >> 25;
	unsigned i;

	chk = ((chk & 0x1ffffff) << 5) ^ v;
	for (i = 0; i < 5; i++)
		chk ^= gen[i] & (0U - ((top >> i) & 1U));
	return chk;
}

static uint32_t
hrp_polymod(const char *hrp, size_t n)
{
	uint32_t chk = 1;
	size_t i;

	for (i = 0; i < n; i++)
		chk = polymod(chk, (unsigned char)hrp[i] >> 5);
	chk = polymod(chk, 0);
	for (i = 0; i < n; i++)
		chk = polymod(chk, (unsigned char)hrp[i] & 31);
	return chk;
}

/* The separator is the last '1': the alphabet has none. */
static int
find_separator(const char *s, size_t n, size_t *sep)
{
	size_t i = n;

	while (i > 0 && s[i - 1] != '1')
		i--;
	if (i == 0 || i == 1 || n - i < BECH32_CHECKSUM)
		return FBV_ERR_KEY_FORMAT;
	*sep = i - 1;
	return FBV_OK;
}

static int
read_hrp(struct bech32 *b, const char *s, size_t n, unsigned *up, unsigned *lo)
{
	unsigned c;
	size_t i;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c < 33 || c > 126)
			return FBV_ERR_KEY_FORMAT;
		*up |= ct_in(c, 'A', 'Z');
		*lo |= ct_in(c, 'a', 'z');
		b->hrp[i] = (char)(c | (ct_in(c, 'A', 'Z') << 5));
	}
	b->hrp[n] = '\0';
	b->hrplen = n;
	return FBV_OK;
}

static int
read_data(struct bech32 *b, const char *s, size_t n, unsigned *up, unsigned *lo)
{
	uint32_t chk = hrp_polymod(b->hrp, b->hrplen);
	unsigned bad = 0, c, v, u;
	size_t i;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		u = ct_in(c, 'A', 'Z');
		*up |= u;
		*lo |= ct_in(c, 'a', 'z');
		v = ct_value(c | (u << 5), &bad);
		chk = polymod(chk, v);
		if (i < n - BECH32_CHECKSUM)
			b->data[i] = (unsigned char)v;
	}
	b->datalen = n - BECH32_CHECKSUM;
	if (bad != 0 || (*up & *lo) != 0)
		return FBV_ERR_KEY_FORMAT;
	return chk == 1 ? FBV_OK : FBV_ERR_KEY_CHECKSUM;
}

int
bech32_decode(struct bech32 *out, const char *s, size_t n)
{
	unsigned up = 0, lo = 0;
	size_t sep = 0;
	int r;

	sodium_memzero(out, sizeof(*out));
	if (n > BECH32_MAX)
		return FBV_ERR_KEY_LENGTH;
	if ((r = find_separator(s, n, &sep)) != FBV_OK ||
	    (r = read_hrp(out, s, sep, &up, &lo)) != FBV_OK ||
	    (r = read_data(out, s + sep + 1, n - sep - 1, &up, &lo)) != FBV_OK)
		goto out;
	out->upper = up != 0;
out:
	if (r != FBV_OK)
		sodium_memzero(out, sizeof(*out));
	return r;
}

static int
check_encode_args(size_t outcap, const char *hrp, size_t hl,
    const unsigned char *data, size_t n)
{
	unsigned bad = 0;
	size_t i;

	if (hl < 1 || hl > BECH32_HRP_MAX || n > BECH32_DATA_MAX ||
	    hl + 1 + n + BECH32_CHECKSUM > BECH32_MAX ||
	    hl + 1 + n + BECH32_CHECKSUM >= outcap)
		return FBV_ERR_INVALID;
	for (i = 0; i < hl; i++)
		if (hrp[i] < 33 || hrp[i] > 126 || (hrp[i] >= 'A' && hrp[i] <= 'Z'))
			return FBV_ERR_INVALID;
	for (i = 0; i < n; i++)
		bad |= data[i] >> 5;
	return bad == 0 ? FBV_OK : FBV_ERR_INVALID;
}

int
bech32_encode(char *out, size_t outcap, const char *hrp,
    const unsigned char *data, size_t n, bool upper)
{
	size_t hl = strlen(hrp), i;
	unsigned up = upper ? 1U : 0U;
	uint32_t chk;
	int r;

	if ((r = check_encode_args(outcap, hrp, hl, data, n)) != FBV_OK)
		return r;
	chk = hrp_polymod(hrp, hl);
	for (i = 0; i < hl; i++)
		out[i] = upper && hrp[i] >= 'a' && hrp[i] <= 'z' ? (char)(hrp[i] - 32) : hrp[i];
	out[hl++] = '1';
	for (i = 0; i < n; i++) {
		chk = polymod(chk, data[i]);
		out[hl++] = ct_char(data[i], up);
	}
	for (i = 0; i < BECH32_CHECKSUM; i++)
		chk = polymod(chk, 0);
	chk ^= 1;
	for (i = 0; i < BECH32_CHECKSUM; i++)
		out[hl++] = ct_char((chk >> (5 * (BECH32_CHECKSUM - 1 - i))) & 31, up);
	out[hl] = '\0';
	return FBV_OK;
}

size_t
bech32_groups(unsigned char *out, const unsigned char *in, size_t n)
{
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		acc = ((acc << 8) | in[i]) & 0xfff;
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out[k++] = (unsigned char)((acc >> bits) & 31);
		}
	}
	if (bits > 0)
		out[k++] = (unsigned char)((acc << (5 - bits)) & 31);
	return k;
}

int
bech32_bytes(unsigned char *out, size_t cap, size_t *outlen,
    const unsigned char *in, size_t n)
{
	uint32_t acc = 0;
	unsigned bits = 0, bad = 0;
	size_t i, k = 0;

	*outlen = 0;
	if (n > SIZE_MAX / 5 || n * 5 % 8 >= 5 || n * 5 / 8 > cap)
		return FBV_ERR_KEY_LENGTH;
	for (i = 0; i < n; i++) {
		bad |= in[i] >> 5;
		acc = ((acc << 5) | (in[i] & 31U)) & 0x1fff;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			out[k++] = (unsigned char)(acc >> bits);
		}
	}
	bad |= acc & ((1U << bits) - 1);
	if (bad != 0) {
		sodium_memzero(out, k);
		return FBV_ERR_KEY_FORMAT;
	}
	*outlen = k;
	return FBV_OK;
}
