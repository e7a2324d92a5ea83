/* doctor: checks the vault and this installation, one line per check with
 * the fix. Exit 0 when every check is ok, 1 when the worst is a warning,
 * else the exit code of the first failed check (see fbvault(1)). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../crypto/errors.h"
#include "../vault/io.h"
#include "../vault/keyring.h"
#include "../vault/recipients.h"
#include "../vault/seen.h"
#include "../vault/unlock.h"
#include "duration.h"
#include "errors.h"
#include "obuf.h"
#include "open.h"
#include "options.h"
#include "out.h"
#include "prompt.h"
#include "commands.h"
#include "module.h"
#include "config.h"

#define EXIT_WARNINGS 1
#define SOON (7 * 86400)
#define SYSTEM_CA_FILE "/etc/ssl/certs/ca-certificates.crt"

enum status { ST_OK, ST_WARN, ST_FAIL };
static const char *const status_names[] = { "ok", "warn", "fail" };

struct check {
	const char *name;
	char *entry;            /* token checks: the entry's name; else NULL */
	enum status status;
	int code;               /* exit code, when failed */
	char *message;
	char *fix;              /* NULL: nothing to fix */
};

struct report {
	struct check *v;
	size_t n, cap;
	bool oom;
};

static char *vformat(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

static char *
vformat(const char *fmt, va_list ap)
{
	char *s;

	return vasprintf(&s, fmt, ap) < 0 ? NULL : s;
}

/* Adds a check; the message is formatted, the fix is set by fix(). */
static struct check *
add(struct report *rep, const char *name, enum status st, int code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static struct check *
add(struct report *rep, const char *name, enum status st, int code, const char *fmt, ...)
{
	static struct check spare;
	struct check *ck, *grown;
	va_list ap;

	if (rep->n == rep->cap) {
		grown = realloc(rep->v, (rep->cap * 2 + 16) * sizeof(*grown));
		if (grown == NULL) {
			rep->oom = true;
			return memset(&spare, 0, sizeof(spare));
		}
		rep->v = grown;
		rep->cap = rep->cap * 2 + 16;
	}
	ck = &rep->v[rep->n++];
	memset(ck, 0, sizeof(*ck));
	ck->name = name;
	ck->status = st;
	ck->code = code;
	va_start(ap, fmt);
	ck->message = vformat(fmt, ap);
	va_end(ap);
	rep->oom |= ck->message == NULL;
	return ck;
}

static void fix(struct report *rep, struct check *ck, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
fix(struct report *rep, struct check *ck, const char *fmt, ...)
{
	va_list ap;

	if (ck->message == NULL)
		return;
	va_start(ap, fmt);
	ck->fix = vformat(fmt, ap);
	va_end(ap);
	rep->oom |= ck->fix == NULL;
}

static void
report_free(struct report *rep)
{
	size_t i;

	for (i = 0; i < rep->n; i++) {
		free(rep->v[i].message);
		free(rep->v[i].fix);
		free(rep->v[i].entry);
	}
	free(rep->v);
}

/* The vault file: there, a regular file, yours, 0600; then its header. */
static int
check_vault_file(struct report *rep, const char *path, struct vault **v)
{
	struct check *ck;
	struct stat st;
	int r;

	*v = NULL;
	if (lstat(path, &st) != 0) {
		if (errno != ENOENT) {
			add(rep, "vault", ST_FAIL, EXIT_IO, "cannot look at %s: %s", path,
			    strerror(errno));
			return -1;
		}
		ck = add(rep, "vault", ST_FAIL, EXIT_NOTFOUND, "no vault at %s", path);
		fix(rep, ck, "fbvault init (or name yours with --vault PATH or FBVAULT_PATH)");
		return -1;
	}
	if (S_ISLNK(st.st_mode)) {
		ck = add(rep, "vault", ST_FAIL, EXIT_DENIED, "%s is a symbolic link, which "
		    "fbvault does not follow", path);
		fix(rep, ck, "name the file itself with --vault PATH or FBVAULT_PATH");
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		add(rep, "vault", ST_FAIL, EXIT_IO, "%s is not a regular file", path);
		return -1;
	}
	if (st.st_uid != geteuid()) {
		ck = add(rep, "vault", ST_FAIL, EXIT_DENIED, "%s is owned by uid %u, not by you "
		    "(uid %u)", path, (unsigned)st.st_uid, (unsigned)geteuid());
		fix(rep, ck, "sudo chown %u %s", (unsigned)geteuid(), path);
		return -1;
	}
	/* readable by others: a git clone; refused only with a passphrase slot */
	r = (st.st_mode & 033) != 0 ? FBV_ERR_PERM : vault_load(path, v);
	if (r == FBV_ERR_PERM || r == FBV_ERR_SHARED_PASS) {
		ck = add(rep, "vault", ST_FAIL, EXIT_DENIED, "%s is mode %04o: group or others "
		    "can %s it%s", path, (unsigned)(st.st_mode & 07777),
		    (st.st_mode & 022) != 0 ? "write" : "read", r == FBV_ERR_SHARED_PASS ?
		    ", and it has a passphrase slot they could guess offline" : "");
		fix(rep, ck, "chmod 600 %s", path);
		return -1;
	}
	if (r == FBV_ERR_DIR_OWNER || r == FBV_ERR_DIR_MODE)
		return -1;      /* the directory check says why, and what fixes it */
	if (r != FBV_OK) {
		ck = add(rep, "vault", ST_FAIL, err_exit_code(r), "%s: %s", path, fbv_strerror(r));
		if (err_exit_code(r) == EXIT_CORRUPT)
			fix(rep, ck, "restore the vault from a backup");
		return -1;
	}
	add(rep, "vault", ST_OK, 0, "%s: mode %04o, yours, format version %u", path,
	    (unsigned)(st.st_mode & 07777), (unsigned)(*v)->version);
	return 0;
}

/* The directory: others who can write to it can delete or replace the
 * vault (an older copy, say); others who can read it see that it is there. */
static void
check_directory(struct report *rep, const char *path)
{
	char *dir = path_dirname(path);
	struct check *ck;
	struct stat st;

	if (dir == NULL) {
		rep->oom = true;
		return;
	}
	if (stat(dir, &st) != 0)
		add(rep, "directory", ST_OK, 0, "%s does not exist yet; fbvault init creates it "
		    "with mode 0700", dir);
	else if (st.st_uid != geteuid() && st.st_uid != 0) {
		ck = add(rep, "directory", ST_FAIL, EXIT_DENIED, "%s is owned by uid %u, who can "
		    "delete or replace the vault: fbvault refuses it", dir, (unsigned)st.st_uid);
		fix(rep, ck, "chown %u %s, or keep the vault in a directory of your own "
		    "(--vault PATH)", (unsigned)geteuid(), dir);
	} else if ((st.st_mode & 022) != 0) {
		ck = add(rep, "directory", ST_FAIL, EXIT_DENIED, "%s is mode %04o: group or others "
		    "can delete or replace the vault: fbvault refuses it", dir,
		    (unsigned)(st.st_mode & 07777));
		fix(rep, ck, "chmod go-w %s (chmod 700 hides it too)", dir);
	} else if ((st.st_mode & 055) != 0) {
		ck = add(rep, "directory", ST_WARN, 0, "%s is mode %04o: group or others can "
		    "see the vault's name and size", dir, (unsigned)(st.st_mode & 07777));
		fix(rep, ck, "chmod 700 %s", dir);
	} else {
		add(rep, "directory", ST_OK, 0, "%s: mode %04o", dir, (unsigned)(st.st_mode & 07777));
	}
	free(dir);
}

static void
check_kdf(struct report *rep, const struct vault *v)
{
	uint64_t ops, mem, mops, mmem;
	struct check *ck;
	const char *name;

	if (vault_kdf_params(v, &ops, &mem) != FBV_OK) {
		add(rep, "kdf", ST_OK, 0, "no passphrase slot (the desktop keyring opens the vault)");
		return;
	}
	name = kdf_level_name(ops, mem);
	kdf_level_params(KDF_MODERATE, &mops, &mmem);
	if (ops >= mops && mem >= mmem) {
		add(rep, "kdf", ST_OK, 0, "passphrase slot: Argon2id %s (%llu MiB, %llu passes)",
		    name, (unsigned long long)(mem >> 20), (unsigned long long)ops);
		return;
	}
	ck = add(rep, "kdf", ST_WARN, 0, "passphrase slot: Argon2id %s (%llu MiB, %llu passes), "
	    "below moderate: guessing the passphrase of a stolen vault is cheaper", name,
	    (unsigned long long)(mem >> 20), (unsigned long long)ops);
	fix(rep, ck, "fbvault passwd --kdf moderate (rewraps one key slot; you may keep the "
	    "same passphrase)");
}

/* Probes the Secret Service only for a vault that has a keyring slot. */
static void
check_keyring(struct report *rep, const struct ctx *c, const struct vault *v, const char *id)
{
	const struct keyring_ops *ks;
	unsigned char *key;
	struct check *ck;
	int r;

	if (!vault_has_slot(v, FBV_SLOT_KEYRING)) {
		add(rep, "keyring", ST_OK, 0, "no keyring slot: the passphrase (or a timed unlock) "
		    "opens the vault");
		return;
	}
	if (!keyring_wanted(c)) {
		add(rep, "keyring", ST_OK, 0, "keyring slot, not used here (--no-keyring or "
		    "FBVAULT_NO_KEYRING): the passphrase (or a timed unlock) opens the vault");
		return;
	}
	if (keyring_module(&ks) != FBV_OK) {
		ck = add(rep, "keyring", ST_WARN, 0, "the vault has a keyring slot, but this "
		    "fbvault cannot use the desktop keyring (module fbvault-keyring.so)");
		fix(rep, ck, "install an fbvault built with libsecret, or use the passphrase");
		return;
	}
	if ((key = secret_alloc(FBV_KEY_BYTES)) == NULL) {
		rep->oom = true;
		return;
	}
	r = ks->lookup(id, key);
	secret_free(key);
	if (r == FBV_OK) {
		add(rep, "keyring", ST_OK, 0, "keyring slot: the Secret Service holds this vault's key");
	} else if (r == FBV_ERR_KEYRING) {
		ck = add(rep, "keyring", ST_WARN, 0, "keyring slot, but the Secret Service cannot "
		    "be reached (no desktop session here?)");
		fix(rep, ck, "unlock with the passphrase here, or fbvault unlock for a while");
	} else {
		ck = add(rep, "keyring", ST_WARN, 0, "keyring slot, but the Secret Service has no "
		    "working key for this vault");
		fix(rep, ck, "fbvault keyring enable");
	}
}

static void
check_timed_unlock(struct report *rep, const char *id)
{
	char when[64], left[32];
	int64_t until = 0;
	int r;

	r = unlock_until(id, now_unix(), &until);
	if (r != FBV_OK) {
		add(rep, "timed-unlock", ST_OK, 0, "locked (no key in the kernel keyring)");
		return;
	}
	format_time(until, when, sizeof(when));
	duration_format(until - now_unix(), left, sizeof(left));
	add(rep, "timed-unlock", ST_OK, 0, "unlocked until %s (%s left); any process of yours "
	    "can open the vault until then; fbvault lock ends it", when, left);
}

/* The status of one expiry, in words: "expires 2025-01-01 00:00 UTC (in
 * 3d 4h)"; what is "" or "data access ". */
static enum status
expiry(int64_t at, const char *what, char *buf, size_t len)
{
	char when[64], left[32];
	int64_t now = now_unix();

	if (at == 0) {
		snprintf(buf, len, "%sexpires never", what);
		return ST_OK;
	}
	format_time(at, when, sizeof(when));
	if (at <= now) {
		snprintf(buf, len, "%sexpired at %s", what, when);
		return ST_FAIL;
	}
	duration_format(at - now, left, sizeof(left));
	snprintf(buf, len, "%sexpires %s (in %s)", what, when, left);
	return at - now < SOON ? ST_WARN : ST_OK;
}

static void
check_token(struct report *rep, const struct entry *e)
{
	char exp[128] = "", data[128] = "";
	enum status st = ST_OK, s;
	const char *page = NULL;
	size_t plen = 0;
	struct check *ck;
	int64_t t;

	if (meta_get_int(e, META_EXPIRES_AT, &t) == FBV_OK)
		st = expiry(t, "", exp, sizeof(exp));
	if (meta_get_int(e, META_DATA_ACCESS_EXPIRES_AT, &t) == FBV_OK &&
	    (s = expiry(t, "data access ", data, sizeof(data))) > st)
		st = s;
	meta_get_str(e, META_PAGE_NAME, &page, &plen);
	ck = add(rep, "token", st, st == ST_FAIL ? EXIT_DENIED : 0, "%s%s%.*s%s: %s%s%s",
	    e->name, page != NULL ? " (" : "", (int)plen, page != NULL ? page : "",
	    page != NULL ? ")" : "", exp, *exp && *data ? "; " : "", data);
	if (ck->message != NULL && (ck->entry = strdup(e->name)) == NULL)
		rep->oom = true;
	if (st != ST_OK)
		fix(rep, ck, "get a fresh short-lived token in Graph Explorer and run: fbvault login");
}

static bool
passphrase_source(const struct ctx *c)
{
	const char *file = getenv("FBVAULT_PASSPHRASE_FILE");

	return c->passphrase_fd >= 0 || (file != NULL && *file != '\0');
}

/* Rollback and the slot set, against what this machine has seen
 * (vault/seen.h); reads the memory, never changes it. */
static void
check_seen(struct report *rep, const struct vault *v)
{
	char id[2 * FBV_ID_BYTES + 1];
	const char *w = seen_slots_warning(v);
	struct check *ck;
	struct seen s;

	vault_id_hex(v, id);
	if (v->version < FBV_VERSION2) {
		ck = add(rep, "rollback", ST_WARN, 0, "vault format 1 has no generation: an older "
		    "copy put back is not noticed");
		fix(rep, ck, "any write converts it to format 3");
		return;
	}
	if (seen_read(id, &s) != FBV_OK || !s.known) {
		add(rep, "rollback", ST_WARN, 0, "this machine has no memory of this vault's "
		    "generation (first use, or it could not be read)");
		return;
	}
	if (v->generation < s.generation) {
		ck = add(rep, "rollback", ST_FAIL, 0, "generation %" PRIu64 " is older than "
		    "generation %" PRIu64 ", which this machine has opened", v->generation,
		    s.generation);
		fix(rep, ck, "if you restored it on purpose: fbvault --accept-rollback status");
	} else {
		add(rep, "rollback", ST_OK, 0, "generation %" PRIu64 ", not older than any "
		    "this machine has opened", v->generation);
	}
	if (w != NULL)
		add(rep, "slots", ST_WARN, 0, "%s", w);
	else
		add(rep, "slots", ST_OK, 0, "the key slots are as this machine last saw them");
}

/* Token expiry needs the entries: doctor opens the vault with a timed
 * unlock, the keyring, a passphrase source, or (only on a terminal) by
 * asking; otherwise it says it could not look. */
static void
check_tokens(struct report *rep, struct ctx *c, struct vault *v)
{
	bool may_ask = passphrase_source(c) || have_tty();
	struct check *ck;
	size_t i, n = 0;
	int r;

	if ((r = vault_key_sources(c, v, may_ask)) != 0) {
		ck = add(rep, "tokens", may_ask ? ST_FAIL : ST_WARN, r, "not checked: the vault "
		    "%s", may_ask ? "did not open" : "is locked and there is no terminal to ask");
		fix(rep, ck, may_ask ? "give the right passphrase" : "fbvault unlock first, or give "
		    "the passphrase with --passphrase-fd N or FBVAULT_PASSPHRASE_FILE");
		return;
	}
	for (i = 0; i < vault_count(v); i++) {
		const struct entry *e = vault_entry(v, i);

		if (meta_has(e, META_EXPIRES_AT) || meta_has(e, META_DATA_ACCESS_EXPIRES_AT)) {
			check_token(rep, e);
			n++;
		}
	}
	if (n == 0)
		add(rep, "tokens", ST_OK, 0, "no token with a known expiry in the vault "
		    "(fbvault login stores them)");
	check_seen(rep, v);
}

/* The committed recipients file against the vault's recipient slots
 * (vault/recipients.h); needs the vault open. */
static void
check_recipients(struct report *rep, const struct vault *v)
{
	struct members file, unlisted, stray;
	char *path = recipients_path(v->path), key[FBV_PUBLIC_STR_LEN + 1];
	struct check *ck;
	size_t line;
	int r;

	if (path == NULL) {
		rep->oom = true;
		return;
	}
	r = recipients_read(path, &file, &line);
	if (r == FBV_ERR_NO_VAULT && !vault_has_slot(v, FBV_SLOT_RECIPIENT)) {
		add(rep, "recipients", ST_OK, 0, "no recipient slot and no recipients file");
	} else if (r != FBV_OK && r != FBV_ERR_NO_VAULT) {
		ck = add(rep, "recipients", ST_FAIL, err_exit_code(r), "%s: line %zu: %s", path, line,
		    fbv_strerror(r));
		fix(rep, ck, "restore it from git (git checkout -- FILE); fbvault recipients add or rm "
		    "writes it again");
	} else if (v->key == NULL) {
		add(rep, "recipients", ST_WARN, 0, "not compared with %s: the vault did not open", path);
	} else if (members_compare(v, &file, &unlisted, &stray)) {
		add(rep, "recipients", ST_OK, 0, "%s lists the vault's %zu recipient slots", path, file.n);
	} else {
		const struct members *m = stray.n > 0 ? &stray : &unlisted;

		if (keystr_public_encode(key, m->v[0].pk, m->v[0].flavor) != FBV_OK)
			key[0] = '\0';
		ck = add(rep, "recipients", ST_FAIL, EXIT_CORRUPT, stray.n > 0 ? "%s lists %s, which "
		    "has no slot in the vault (it opens nothing; changed by hand?)%s" : "%s does not "
		    "list %s, which has a slot in the vault%s", path, key, stray.n + unlisted.n > 1 ?
		    "; fbvault recipients list shows every difference" : "");
		fix(rep, ck, "fbvault recipients list; restore the file from git, or have a member "
		    "run recipients add or rm, which writes it from the vault");
	}
	free(path);
}

static void
limit_text(rlim_t v, char *buf, size_t len)
{
	if (v == RLIM_INFINITY)
		snprintf(buf, len, "unlimited");
	else
		snprintf(buf, len, "%llu KiB", (unsigned long long)(v / 1024));
}

/* Secret memory as large as the vault's plaintext, locked or not: by now
 * the vault was opened too (check_tokens), and counted. */
static void
check_memory_lock(struct report *rep, size_t need)
{
	char soft[32], hard[32];
	struct rlimit rl = { 0, 0 };
	struct check *ck;
	void *probe = secret_alloc(need);

	secret_free(probe);
	getrlimit(RLIMIT_MEMLOCK, &rl);
	limit_text(rl.rlim_cur, soft, sizeof(soft));
	limit_text(rl.rlim_max, hard, sizeof(hard));
	if (probe != NULL && secret_unlocked_bytes() == 0) {
		add(rep, "memory-lock", ST_OK, 0, "secrets are locked in memory, never swapped "
		    "(RLIMIT_MEMLOCK %s)", soft);
		return;
	}
	ck = add(rep, "memory-lock", ST_WARN, 0, "the kernel would not lock %zu bytes of "
	    "secrets in memory (RLIMIT_MEMLOCK %s, hard limit %s): they may reach swap",
	    secret_unlocked_bytes() > need ? secret_unlocked_bytes() : need, soft, hard);
	fix(rep, ck, "raise the limit above %zu KiB (ulimit -l; memlock in "
	    "/etc/security/limits.conf; LimitMEMLOCK= in a systemd unit), or use encrypted swap",
	    2 * need / 1024 + 1024);
}

/* main() denies core dumps and ptrace first thing; make sure it took. */
static void
check_core_dumps(struct report *rep)
{
	struct rlimit rl;
	struct check *ck;

	if (getrlimit(RLIMIT_CORE, &rl) == 0 && rl.rlim_cur == 0 &&
	    prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0) {
		add(rep, "core-dumps", ST_OK, 0, "disabled for fbvault (core size limit 0, "
		    "not dumpable)");
		return;
	}
	ck = add(rep, "core-dumps", ST_FAIL, EXIT_INTERNAL, "fbvault could not disable core "
	    "dumps: a crash could write secrets to disk");
	fix(rep, ck, "report this as a bug, with your kernel and fbvault --version");
}

static void
check_ca_bundle(struct report *rep)
{
	const char *env = getenv("FBVAULT_CA_FILE");
	bool own = env != NULL && *env != '\0';
	const char *path = own ? env : SYSTEM_CA_FILE;
	struct check *ck;
	struct stat st;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0 && fstat(fd, &st) == 0 &&
	    S_ISREG(st.st_mode) && st.st_size > 0) {
		close(fd);
		add(rep, "ca-bundle", ST_OK, 0, "%s%s", path, own ? " (FBVAULT_CA_FILE)" : "");
		return;
	}
	if (fd >= 0)
		close(fd);
	ck = add(rep, "ca-bundle", ST_FAIL, own ? EXIT_USAGE : EXIT_UNAVAILABLE, "%s%s is "
	    "missing or empty: login and inspect cannot verify graph.facebook.com", path,
	    own ? " (FBVAULT_CA_FILE)" : "");
	if (own)
		fix(rep, ck, "point FBVAULT_CA_FILE at a PEM bundle, or unset it");
	else
		fix(rep, ck, "apt-get install ca-certificates");
}

static void
check_http_module(struct report *rep)
{
	const char *why = NULL, *file = modules[MODULE_HTTP].file;
	const void *ops;
	struct check *ck;

	if (module_load(MODULE_HTTP, &ops, &why) == FBV_OK) {
		add(rep, "http-module", ST_OK, 0, "%s.so loads", file);
		return;
	}
	ck = add(rep, "http-module", ST_FAIL, EXIT_UNAVAILABLE, "%s.so: %s: login "
	    "and inspect cannot reach the Graph API", file, why);
	fix(rep, ck, "reinstall fbvault (the module belongs in %s)", FBV_MODULEDIR);
}

static void
print_text(FILE *f, const struct report *rep)
{
	bool tty = isatty(fileno(f));
	size_t i;

	for (i = 0; i < rep->n; i++) {
		const struct check *ck = &rep->v[i];

		fprintf(f, tty ? "%-4s  %-12s  " : "%s\t%s\t", status_names[ck->status], ck->name);
		term_escape(f, ck->message, strlen(ck->message));
		if (ck->fix != NULL) {
			fputs(tty ? "; fix: " : "\t", f);
			term_escape(f, ck->fix, strlen(ck->fix));
		} else if (!tty) {
			fputc('\t', f);
		}
		fputc('\n', f);
	}
}

/* The doctor --json schema, documented in fbvault(1). */
static void
print_json(FILE *f, const struct report *rep, bool ok)
{
	size_t i;

	fprintf(f, "{\"ok\":%s,\"checks\":[", ok ? "true" : "false");
	for (i = 0; i < rep->n; i++) {
		const struct check *ck = &rep->v[i];

		fprintf(f, "%s{\"name\":\"%s\",", i > 0 ? "," : "", ck->name);
		if (ck->entry != NULL) {
			fputs("\"entry\":", f);
			json_print_string(f, ck->entry, strlen(ck->entry));
			fputc(',', f);
		}
		fprintf(f, "\"status\":\"%s\",\"message\":", status_names[ck->status]);
		json_print_string(f, ck->message, strlen(ck->message));
		fputs(",\"fix\":", f);
		json_print_string(f, ck->fix != NULL ? ck->fix : "", ck->fix != NULL ? strlen(ck->fix) : 0);
		fputc('}', f);
	}
	fputs("]}\n", f);
}

static int
report_code(const struct report *rep)
{
	bool warned = false;
	size_t i;

	for (i = 0; i < rep->n; i++) {
		if (rep->v[i].status == ST_FAIL)
			return rep->v[i].code;
		warned |= rep->v[i].status == ST_WARN;
	}
	return warned ? EXIT_WARNINGS : 0;
}

static void
run_checks(struct report *rep, struct ctx *c)
{
	char id[2 * FBV_ID_BYTES + 1];
	struct vault *v;

	if (check_vault_file(rep, c->vault_path, &v) == 0) {
		check_directory(rep, c->vault_path);
		vault_id_hex(v, id);
		check_kdf(rep, v);
		check_keyring(rep, c, v, id);
		check_timed_unlock(rep, id);
		check_tokens(rep, c, v);
		check_recipients(rep, v);
		check_memory_lock(rep, v->cipher_len);
		vault_free(v);
	} else {
		check_directory(rep, c->vault_path);
		check_memory_lock(rep, 0);
	}
	check_core_dumps(rep);
	check_ca_bundle(rep);
	check_http_module(rep);
}

int
cmd_doctor(struct ctx *c, const struct command *self, int argc, char **argv)
{
	struct report rep = { NULL, 0, 0, false };
	bool json = false;
	int r;

	if ((r = parse_args(c, self, argc, argv, &json, flag_opt)) >= 0)
		return r;
	run_checks(&rep, c);
	if (rep.oom) {
		report_free(&rep);
		return fail(EXIT_INTERNAL, "out of memory");
	}
	r = report_code(&rep);
	if (json)
		print_json(stdout, &rep, r == 0);
	else
		print_text(stdout, &rep);
	report_free(&rep);
	return r;
}
