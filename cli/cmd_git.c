/* A vault that lives in git: git-setup writes the attributes and the
 * repository's configuration; git-merge and git-diff are the merge driver
 * and the textconv it names (hidden commands: git runs them).
 *
 * Neither driver has a terminal, so neither asks for a passphrase: they
 * open each version with the timed unlock, an identity (FBVAULT_IDENTITY_FILE,
 * or the default identity file) or the keyring (vault_unlock_unattended()),
 * and never look at or change this machine's rollback memory (they read
 * history, where older generations are the rule). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../crypto/errors.h"
#include "../vault/io.h"
#include "../vault/merge.h"
#include "../vault/recipients.h"
#include "../vault/store.h"
#include "commands.h"
#include "entry_text.h"
#include "errors.h"
#include "git.h"
#include "open.h"
#include "options.h"
#include "out.h"

#define GIT_OUT_MAX 4096
#define WALK_MAX 64

const char *
git_rollback_hint(const char *vault_path)
{
	char dir[PATH_MAX], probe[PATH_MAX + 8], *slash;
	struct stat st;
	int up;

	if (realpath(vault_path, dir) == NULL || (slash = strrchr(dir, '/')) == NULL)
		return "";
	for (up = 0; up < WALK_MAX && slash != NULL; up++) {
		*slash = '\0';
		snprintf(probe, sizeof(probe), "%s/.git", dir);
		if (lstat(probe, &st) == 0)
			return " (in git: a revert, a reset or a checkout of an older commit; "
			    "git log -- FILE shows the newer one)";
		slash = strrchr(dir, '/');
	}
	return "";
}

/* Runs git with argv (no shell) in dir; its stdout, first line, in out. */
static int
run_git(const char *dir, const char *const *args, char *out, size_t outcap)
{
	const char *argv[16] = { "git", "-C", dir };
	int fds[2], status;
	size_t n = 3, got = 0;
	ssize_t k;
	pid_t pid;

	while (*args != NULL && n < 15)
		argv[n++] = *args++;
	argv[n] = NULL;
	if (pipe(fds) != 0)
		return -1;
	if ((pid = fork()) < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execvp("git", (char *const *)(uintptr_t)argv);
		_exit(127);
	}
	close(fds[1]);
	while (got + 1 < outcap && (k = read(fds[0], out + got, outcap - 1 - got)) != 0) {
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			break;
		got += (size_t)k;
	}
	close(fds[0]);
	out[got] = '\0';
	out[strcspn(out, "\n")] = '\0';
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Appends line to file unless a line equal to it is there. */
static int
ensure_line(const char *file, const char *line)
{
	char buf[1024];
	FILE *f = fopen(file, "r");
	int fd;

	while (f != NULL && fgets(buf, sizeof(buf), f) != NULL) {
		buf[strcspn(buf, "\n")] = '\0';
		if (strcmp(buf, line) == 0) {
			fclose(f);
			return 0;
		}
	}
	if (f != NULL)
		fclose(f);
	if ((fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644)) < 0)
		return -1;
	if (fd_write_all(fd, line, strlen(line)) != FBV_OK || fd_write_all(fd, "\n", 1) != FBV_OK) {
		close(fd);
		return -1;
	}
	return close(fd);
}

static int
git_config(const char *top, const char *key, const char *value)
{
	const char *args[] = { "config", "--local", key, value, NULL };
	char out[GIT_OUT_MAX];

	return run_git(top, args, out, sizeof(out));
}

/* A path git's attribute and exclude patterns take literally. */
static bool
plain_path(const char *s)
{
	return s[0] != '\0' && strpbrk(s, " \t\n\\\"'*?[]!#") == NULL;
}

struct setup {
	char top[PATH_MAX];     /* the work tree */
	char rel[PATH_MAX];     /* the vault, from there */
	char self[PATH_MAX];    /* this fbvault */
};

static int
locate(struct ctx *c, struct setup *s)
{
	static const char *const toplevel[] = { "rev-parse", "--show-toplevel", NULL };
	char real[PATH_MAX], *dir;
	size_t n;
	ssize_t k;

	if (realpath(c->vault_path, real) == NULL)
		return fail(EXIT_NOTFOUND, "no vault at %s; create it first (fbvault init), then "
		    "run git-setup", c->vault_path);
	if ((dir = path_dirname(real)) == NULL)
		return fail(EXIT_INTERNAL, "out of memory");
	k = run_git(dir, toplevel, s->top, sizeof(s->top));
	free(dir);
	if (k != 0)
		return fail(EXIT_USAGE, "%s is not in a git work tree (git init, or clone, first)",
		    c->vault_path);
	n = strlen(s->top);
	if (strncmp(real, s->top, n) != 0 || real[n] != '/')
		return fail(EXIT_USAGE, "%s is not inside %s", real, s->top);
	snprintf(s->rel, sizeof(s->rel), "%s", real + n + 1);
	if (!plain_path(s->rel))
		return fail(EXIT_USAGE, "%s: git-setup wants a path without spaces, quotes or "
		    "wildcards", s->rel);
	if ((k = readlink("/proc/self/exe", s->self, sizeof(s->self) - 1)) <= 0)
		return fail(EXIT_IO, "cannot tell where this fbvault is: %s", strerror(errno));
	s->self[k] = '\0';
	if (strchr(s->self, '\'') != NULL)
		return fail(EXIT_USAGE, "%s: a quote in fbvault's own path", s->self);
	return 0;
}

static int
write_setup(const struct setup *s)
{
	static const char *const exclude[] = { "rev-parse", "--git-path", "info/exclude", NULL };
	char attrs[PATH_MAX + 32], line[2 * PATH_MAX], cmd[PATH_MAX + 64], ex[5 * PATH_MAX], *exdir;
	int r = 0;

	snprintf(attrs, sizeof(attrs), "%s/.gitattributes", s->top);
	snprintf(line, sizeof(line), "/%s merge=fbvault diff=fbvault -text", s->rel);
	r |= ensure_line(attrs, line);
	snprintf(line, sizeof(line), "/%s%s merge=fbvault", s->rel, FBV_RECIPIENTS_SUFFIX);
	r |= ensure_line(attrs, line);
	snprintf(cmd, sizeof(cmd), "'%s' git-merge %%O %%A %%B %%P", s->self);
	r |= git_config(s->top, "merge.fbvault.name", "fbvault vault, entry by entry");
	r |= git_config(s->top, "merge.fbvault.driver", cmd);
	snprintf(cmd, sizeof(cmd), "'%s' git-diff", s->self);
	r |= git_config(s->top, "diff.fbvault.textconv", cmd);
	r |= git_config(s->top, "diff.fbvault.cachetextconv", "false");
	if (r != 0 || run_git(s->top, exclude, line, sizeof(line)) != 0)
		return fail(EXIT_IO, "cannot write the git configuration of %s", s->top);
	snprintf(ex, sizeof(ex), "%s%s%s", line[0] == '/' ? "" : s->top, line[0] == '/' ? "" : "/",
	    line);
	if ((exdir = path_dirname(ex)) != NULL) {
		(void)mkdir(exdir, 0755);
		free(exdir);
	}
	snprintf(line, sizeof(line), "/%s.lock", s->rel);
	r |= ensure_line(ex, line);
	snprintf(line, sizeof(line), "/%s.tmp", s->rel);
	r |= ensure_line(ex, line);
	return r != 0 ? fail(EXIT_IO, "cannot write %s", ex) : 0;
}

int
cmd_git_setup(struct ctx *c, const struct command *self, int argc, char **argv)
{
	struct setup s;
	int r;

	if ((r = parse_args(c, self, argc, argv, NULL, NULL)) >= 0)
		return r;
	if ((r = locate(c, &s)) != 0 || (r = write_setup(&s)) != 0)
		return r;
	printf(".gitattributes: /%s merge=fbvault diff=fbvault -text\n", s.rel);
	printf(".gitattributes: /%s%s merge=fbvault\n", s.rel, FBV_RECIPIENTS_SUFFIX);
	printf("git config: merge.fbvault.driver, diff.fbvault.textconv (cachetextconv false)\n");
	printf("info/exclude: /%s.lock /%s.tmp\n", s.rel, s.rel);
	msg("commit .gitattributes, %s and %s%s; every clone runs fbvault git-setup once (git "
	    "does not copy its configuration)", s.rel, s.rel, FBV_RECIPIENTS_SUFFIX);
	return 0;
}

/* A version git hands over (a temporary file, history): read as it is,
 * whatever its directory, since nothing here is saved to it but %A. */
static int
read_version(const char *path, struct vault **out)
{
	struct sbuf buf;
	int fd, r;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)) < 0)
		return errno == ENOENT ? FBV_ERR_NO_VAULT : FBV_ERR_SYSTEM;
	sbuf_init(&buf, FBV_FILE_MAX);
	r = fd_read_sbuf(fd, &buf);
	close(fd);
	if (r == FBV_OK)
		r = vault_parse(path, buf.data, buf.len, out);
	sbuf_free(&buf);
	return r;
}

static bool
is_vault_file(const char *path)
{
	unsigned char magic[FBV_MAGIC_BYTES];
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return false;
	(void)fd_read_full(fd, magic, sizeof(magic), &got);
	close(fd);
	return got == sizeof(magic) && memcmp(magic, FBV_MAGIC, FBV_MAGIC_BYTES) == 0;
}

static const char *const side_names[] = { "common ancestor's", "your", "their" };

/* Opens one of the three versions without a terminal; 0 or an exit code. */
static int
open_side(struct ctx *c, const char *file, const char *name, int side, struct vault **out)
{
	int r;

	if ((r = read_version(file, out)) != FBV_OK)
		return fail(err_exit_code(r), "%s: the %s version: %s", name, side_names[side],
		    fbv_strerror(r));
	if ((r = vault_unlock_unattended(c, *out)) == 0)
		return 0;
	vault_free(*out);
	*out = NULL;
	if (r > 0)
		return r;
	return fail(EXIT_DENIED, "%s: cannot open the %s version without a terminal: give your "
	    "identity (FBVAULT_IDENTITY_FILE), or run fbvault unlock first; your version is "
	    "kept", name, side_names[side]);
}

static void
say_conflicts(const char *name, const struct merge_result *res)
{
	size_t i;

	fprintf(stderr, "fbvault: %s: changed differently on both sides:", name);
	for (i = 0; i < res->nconflicts; i++)
		fprintf(stderr, "%s %s", i > 0 ? "," : "", res->conflicts[i]);
	fprintf(stderr, "; your version is kept, theirs is not merged (see fbvault(1), "
	    "git-merge)\n");
}

static void
say_members(const struct merge_result *res)
{
	char key[FBV_PUBLIC_STR_LEN + 1];
	size_t i;

	for (i = 0; i < res->nadded; i++)
		if (keystr_public_encode(key, res->added[i], KEY_FBV) == FBV_OK)
			msg("merge: %s was added on their side; the merge is sealed to it", key);
	for (i = 0; i < res->nremoved; i++)
		if (keystr_public_encode(key, res->removed[i], KEY_FBV) == FBV_OK)
			msg("merge: %s was removed on their side: the versions it could open stay "
			    "readable to it (git history keeps them); renew the tokens (fbvault "
			    "login) and, if it had the App Secret, reset it in the Meta app", key);
}

static int
merge_vaults(struct ctx *c, char **argv, const char *name)
{
	struct vault *v[3] = { NULL, NULL, NULL };
	struct merge_result res;
	int side, r = 0;

	/* argv: %O %A %B; v: base, ours, theirs */
	for (side = 0; side < 3 && r == 0; side++)
		r = open_side(c, argv[side], name, side, &v[side]);
	if (r == 0) {
		r = vault_merge(v[1], v[0], v[2], &res);
		if (r == FBV_ERR_CONFLICT)
			say_conflicts(name, &res);
		else if (r != FBV_OK)
			fail_err(r, name);
		else if ((r = vault_save(v[1], false)) != FBV_OK)
			fail(err_exit_code(r), "%s: cannot write the merge: %s", name, fbv_strerror(r));
		else
			say_members(&res);
		r = err_exit_code(r);
		merge_result_free(&res);
	}
	for (side = 0; side < 3; side++)
		vault_free(v[side]);
	return r;
}

/* The recipients file: the same three-way rule on its set of keys; a
 * label comes from ours, else from theirs. */
static int
merge_recipient_files(char **argv, const char *name)
{
	struct members m[3], out;
	size_t line, i;
	int side, r;

	for (side = 0; side < 3; side++)
		if ((r = recipients_read(argv[side], &m[side], &line)) != FBV_OK &&
		    r != FBV_ERR_NO_VAULT)
			return fail(err_exit_code(r), "%s: the %s version: line %zu: %s", name,
			    side_names[side], line, fbv_strerror(r));
	out = m[1];
	for (i = 0; i < m[2].n; i++)
		if (members_find(&m[0], m[2].v[i].pk) == NULL && members_find(&out, m[2].v[i].pk) == NULL &&
		    (r = members_add(&out, m[2].v[i].pk, m[2].v[i].flavor, m[2].v[i].label)) != FBV_OK)
			return fail(EXIT_CONFLICT, "%s: %s (a label given to two keys?); your version "
			    "is kept", name, fbv_strerror(r));
	for (i = 0; i < m[0].n; i++)
		if (members_find(&m[2], m[0].v[i].pk) == NULL)
			members_remove(&out, m[0].v[i].pk);
	if ((r = recipients_write(argv[1], &out)) != FBV_OK)
		return fail(err_exit_code(r), "%s: cannot write the merge: %s", name, fbv_strerror(r));
	return 0;
}

int
cmd_git_merge(struct ctx *c, const struct command *self, int argc, char **argv)
{
	const char *name;
	int r;

	if ((r = parse_args(c, self, argc, argv, NULL, NULL)) >= 0)
		return r;
	argv += optind;
	name = argc - optind == 4 ? argv[3] : argv[1];
	if (is_vault_file(argv[1]) || is_vault_file(argv[2]))
		return merge_vaults(c, argv, name);
	return merge_recipient_files(argv, name);
}

static void
print_slots(const struct vault *v)
{
	static const char *const kinds[] = { NULL, "passphrase", "keyring", "timed-unlock" };
	size_t i, recipients = 0, other = 0;

	printf("slots:");
	for (i = 0; i < v->nslots; i++) {
		uint8_t t = v->slots[i].type;

		if (t >= FBV_SLOT_PASSPHRASE && t <= FBV_SLOT_TIMED)
			printf(" %s", kinds[t]);
		recipients += t == FBV_SLOT_RECIPIENT;
		other += t > FBV_SLOT_RECIPIENT;
	}
	if (recipients > 0)
		printf(" recipients:%zu", recipients);
	if (other > 0)
		printf(" other:%zu", other);
	putchar('\n');
}

/* To the second: a change shows in the diff even within the minute. */
static void
utc_seconds(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL || strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "%lld", (long long)t);
}

static void
print_open(const struct vault *v)
{
	char key[FBV_PUBLIC_STR_LEN + 1], created[64], updated[64], expires[64];
	size_t i, klen;
	const char *kind;

	for (i = 0; i < v->nslots; i++)
		if (v->slots[i].type == FBV_SLOT_RECIPIENT && v->slots[i].rec != NULL &&
		    keystr_public_encode(key, v->slots[i].rec, KEY_FBV) == FBV_OK)
			printf("member %s\n", key);
	for (i = 0; i < vault_count(v); i++) {
		const struct entry *e = vault_entry(v, i);

		kind = entry_kind(e, &klen);
		utc_seconds(e->created, created, sizeof(created));
		utc_seconds(e->updated, updated, sizeof(updated));
		expiry_text(e, expires, sizeof(expires));
		printf("entry %s kind=", e->name);
		term_escape(stdout, kind, klen);
		printf(" created=%s updated=%s expires=%s\n", created, updated, expires);
	}
}

/* textconv: names and metadata of one version, never a value; "locked"
 * when nothing this user holds opens it without a terminal. */
int
cmd_git_diff(struct ctx *c, const struct command *self, int argc, char **argv)
{
	struct vault *v;
	int r;

	if ((r = parse_args(c, self, argc, argv, NULL, NULL)) >= 0)
		return r;
	if ((r = read_version(argv[optind], &v)) != FBV_OK) {
		printf("fbvault: not a vault this fbvault reads: %s\n", fbv_strerror(r));
		return 0;
	}
	printf("fbvault vault, format %u, generation %" PRIu64 "\n", v->version, v->generation);
	print_slots(v);
	if ((r = vault_unlock_unattended(c, v)) == 0)
		print_open(v);
	else if (r < 0)
		printf("locked: no identity, keyring or timed unlock of yours opens this version\n");
	vault_free(v);
	return r > 0 ? r : 0;
}
