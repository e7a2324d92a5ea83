/* Unit tests for crypto/secmem.c: secrets of every size are usable and
 * distinct; a write past a secret's end and a double free kill the process
 * (the arena's canary, or the guard page of a secret of its own); a freed
 * secret is wiped or gone; and allocating and freeing forever maps nothing
 * more. These hold in the plain build (small secrets share one guarded
 * region) and in the sanitizer builds (every secret its own sodium_malloc). */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "../../crypto/secmem.h"
#include "check.h"

#define LEN(a) (sizeof(a) / sizeof(*(a)))

static const size_t sizes[] = { 0, 1, 15, 16, 17, 32, 100, 255, 1000, 1024, 1025, 5000, 70000 };

static void
sizes_usable_and_distinct(void)
{
	unsigned char *p[LEN(sizes)];
	size_t i, j, k;

	for (i = 0; i < LEN(sizes); i++) {
		size_t n = sizes[i] == 0 ? 1 : sizes[i];

		p[i] = secret_alloc(sizes[i]);
		CHECKF(p[i] != NULL, "secret_alloc(%zu)", sizes[i]);
		if (p[i] != NULL)
			memset(p[i], (int)(i + 1), n);
	}
	/* Each still holds its own pattern: none overlaps another. */
	for (i = 0; i < LEN(sizes); i++) {
		size_t n = sizes[i] == 0 ? 1 : sizes[i];
		bool same = p[i] != NULL;

		for (k = 0; same && k < n; k++)
			same = p[i][k] == (unsigned char)(i + 1);
		CHECKF(same, "secret of %zu bytes kept its bytes", sizes[i]);
	}
	for (i = 0; i < LEN(sizes); i++)
		for (j = i + 1; j < LEN(sizes); j++)
			CHECK(p[i] != p[j]);
	/* Freed in an order that is not the order of allocation. */
	for (i = 0; i < LEN(sizes); i += 2)
		secret_free(p[i]);
	for (i = 1; i < LEN(sizes); i += 2)
		secret_free(p[i]);
	secret_free(NULL);
}

/* More small secrets than one shared region holds: all usable. */
static void
many_small(void)
{
	enum { N = 200 };
	unsigned char *p[N];
	size_t i;
	bool ok = true;

	for (i = 0; i < N; i++) {
		if ((p[i] = secret_alloc(300)) == NULL) {
			ok = false;
			break;
		}
		memset(p[i], (int)(i & 0xff), 300);
	}
	CHECK(ok);
	for (i = 0; ok && i < N; i++)
		ok = p[i][0] == (unsigned char)(i & 0xff) && p[i][299] == (unsigned char)(i & 0xff);
	CHECKF(ok, "200 secrets of 300 bytes each kept their bytes");
	while (i-- > 0)
		secret_free(p[i]);
}

static int
mappings(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	int c, n = 0;

	if (f == NULL)
		return -1;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

static void
no_mapping_grows(void)
{
	int before, after, i;

	/* One round first, so that what is made once exists already. */
	secret_free(secret_alloc(64));
	before = mappings();
	for (i = 0; i < 10000; i++) {
		void *a = secret_alloc(64), *b = secret_alloc(2000);

		secret_free(a);
		secret_free(b);
	}
	after = mappings();
	CHECKF(before > 0 && after == before, "mappings before %d, after 10,000 rounds %d",
	    before, after);
}

/* Runs fn in a child; returns how it ended: a signal number, or -status. */
static int
in_child(void (*fn)(void))
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		struct rlimit none = { 0, 0 };

		/* An abort must not leave a core file behind. */
		setrlimit(RLIMIT_CORE, &none);
		fn();
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return 0;
	return WIFSIGNALED(st) ? WTERMSIG(st) : -WEXITSTATUS(st);
}

static void
overflow_one_byte(void)
{
	unsigned char *p = secret_alloc(32), *q = secret_alloc(32);
	volatile unsigned char *v = p;

	v[32] = 0x41;
	secret_free(p);
	secret_free(q);
}

static void
double_free(void)
{
	void *p = secret_alloc(48), *q = secret_alloc(48);

	secret_free(p);
	secret_free(p);
	secret_free(q);
}

/* Exit 0: every byte read back as zero; 3: a byte survived the free. A
 * secret of its own is unmapped by the free: reading it kills the child
 * (SIGSEGV), which is as good. */
static void
read_after_free(void)
{
	unsigned char *keep = secret_alloc(16), *p = secret_alloc(64);
	volatile unsigned char *v = p;
	size_t i;

	memset(p, 0xa5, 64);
	secret_free(p);
	for (i = 0; i < 64; i++)
		if (v[i] != 0)
			_exit(3);
	secret_free(keep);
}

static void
misuse_kills(void)
{
	int how;

	how = in_child(overflow_one_byte);
	/* ASan reports with exit 1 unless abort_on_error is set. */
	CHECKF(how == SIGABRT || how == SIGSEGV || how == SIGBUS || how == -1,
	    "a write past the end ended the process with %d (signal) / %d (exit)", how, -how);
	how = in_child(double_free);
	CHECKF(how == SIGABRT || how == SIGSEGV || how == SIGBUS || how == -1,
	    "a double free ended the process with %d (signal) / %d (exit)", how, -how);
	how = in_child(read_after_free);
	CHECKF(how == 0 || how == SIGSEGV || how == SIGABRT || how == -1, "a freed secret was read back: ended with %d", how);
}

/* secret_map(): usable over its whole length, only the pages touched are
 * in memory until then (plain build: it is mapped, not allocated), a write
 * past its end kills, and an unmapped one is gone. */
static void
map_write_past_end(void)
{
	unsigned char *p = secret_map(3 * 4096);
	volatile unsigned char *v = p;

	v[3 * 4096 + 100] = 1;  /* the guard page (plain build), ASan (others) */
	secret_unmap(p, 3 * 4096);
}

static void
map_usable(void)
{
	size_t len = 3 * 1024 * 1024 + 123, i;
	unsigned char *p = secret_map(len);
	bool ok = p != NULL;
	int how;

	CHECK(secret_map(0) == NULL);
	CHECKF(ok, "secret_map of %zu bytes", len);
	if (!ok)
		return;
	for (i = 0; i < len; i += 4096)
		p[i] = (unsigned char)i;
	p[len - 1] = 0x5a;
	for (i = 0; i < len && ok; i += 4096)
		ok = p[i] == (unsigned char)i;
	CHECK(ok && p[len - 1] == 0x5a);
	secret_unmap(p, len);
	how = in_child(map_write_past_end);
	CHECKF(how == SIGSEGV || how == SIGBUS || how == SIGABRT || how == -1,
	    "a write past a mapped secret ended the process with %d", how);
}

int
main(void)
{
	if (sodium_init() < 0)
		return 2;
	map_usable();
	sizes_usable_and_distinct();
	many_small();
	no_mapping_grows();
	misuse_kills();
	return check_report("secmem");
}
