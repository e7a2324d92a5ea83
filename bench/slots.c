/* bench/slots: what a format 2 save costs per slot. Saves a vault of 20
 * entries with 1 slot (the passphrase) and with 5 (and 4 recipients), N
 * times each, interleaved, into DIR (a tmpfs such as /dev/shm, so that the
 * disk's fsync does not drown the difference), and prints the medians.
 *
 *   cc -O2 -D_GNU_SOURCE -I. -Ibuild -o slots bench/slots.c \
 *      crypto/{secmem,seal,hkdf,recipient}.c \
 *      vault/{entries,vault,format2,format3,store,io}.c -lsodium
 *   mkdir -m 700 /dev/shm/slots && ./slots /dev/shm/slots 400
 * (a directory of its own: a save refuses a directory others can write) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "../crypto/errors.h"
#include "../crypto/recipient.h"
#include "../vault/vault.h"

static double
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static struct vault *
make(const char *path, int recipients)
{
	struct x25519_keypair *kp;
	struct vault *v;
	struct entry *e;
	char name[32];
	int i;

	unlink(path);
	if (vault_create(path, "bench", 5, KDF_INTERACTIVE, &v) != FBV_OK)
		exit(1);
	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "page/%d", i);
		if (vault_put(v, name, (const unsigned char *)"EAAB0123456789abcdef0123456789",
		    30, false, 1, &e) != FBV_OK)
			exit(1);
	}
	for (i = 0; i < recipients; i++) {
		if (x25519_keypair_generate(&kp) != FBV_OK || vault_add_recipient(v, kp->pk) != FBV_OK)
			exit(1);
		x25519_keypair_free(kp);
	}
	return v;
}

int
main(int argc, char **argv)
{
	char p1[256], p5[256];
	struct vault *v1, *v5;
	double *t1, *t5, t;
	int n, i;

	if (argc != 3 || sodium_init() < 0 || (n = atoi(argv[2])) < 1)
		return 2;
	snprintf(p1, sizeof(p1), "%s/bench-slots-1", argv[1]);
	snprintf(p5, sizeof(p5), "%s/bench-slots-5", argv[1]);
	v1 = make(p1, 0);
	v5 = make(p5, 4);
	t1 = calloc((size_t)n, sizeof(*t1));
	t5 = calloc((size_t)n, sizeof(*t5));
	for (i = 0; i < n; i++) {
		v1->changed = v5->changed = true;
		t = now_ms();
		if (vault_save(v1, false) != FBV_OK)
			return 1;
		t1[i] = now_ms() - t;
		t = now_ms();
		if (vault_save(v5, false) != FBV_OK)
			return 1;
		t5[i] = now_ms() - t;
	}
	qsort(t1, (size_t)n, sizeof(*t1), cmp);
	qsort(t5, (size_t)n, sizeof(*t5), cmp);
	printf("save, median of %d: 1 slot %.3f ms, 5 slots %.3f ms, difference %.3f ms "
	    "(%.3f ms a slot)\n", n, t1[n / 2], t5[n / 2], t5[n / 2] - t1[n / 2],
	    (t5[n / 2] - t1[n / 2]) / 4);
	unlink(p1);
	unlink(p5);
	vault_free(v1);
	vault_free(v5);
	free(t1);
	free(t5);
	return 0;
}
