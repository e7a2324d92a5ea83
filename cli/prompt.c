#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "../crypto/errors.h"
#include "../vault/store.h"
#include "../vault/io.h"
#include "errors.h"
#include "out.h"
#include "prompt.h"

#define PASS_MAX 1024
#define TTY_TRIES 3
#define RETRY_PAUSE_MS 1000

static volatile sig_atomic_t caught;

static void
on_signal(int sig)
{
	caught = sig;
}

/* Reads one line into out, without its newline; PROMPT_EOF when the
 * input ended before anything came (Ctrl-D at a terminal). */
static int
read_line_fd(int fd, struct sbuf *out)
{
	bool any = false;
	unsigned char ch;

	for (;;) {
		ssize_t n = read(fd, &ch, 1);

		if (n < 0 && errno == EINTR && !caught)
			continue;
		if (n < 0)
			return FBV_ERR_SYSTEM;
		if (n == 0 && !any)
			return PROMPT_EOF;
		if (n == 0 || ch == '\n')
			break;
		any = true;
		if (out->len >= PASS_MAX)
			return FBV_ERR_TOO_LARGE;
		if (sbuf_put_u8(out, ch) != FBV_OK)
			return FBV_ERR_NOMEM;
	}
	if (out->len > 0 && out->data[out->len - 1] == '\r')
		out->len--;
	return FBV_OK;
}

bool
have_tty(void)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* Prompts on /dev/tty with echo off (readpassphrase(3) in small): a signal
 * restores the terminal before it is delivered again. */
int
read_tty_line(const char *prompt, struct sbuf *out)
{
	static const int sigs[] = { SIGINT, SIGHUP, SIGQUIT, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU };
	struct sigaction sa, old[sizeof(sigs) / sizeof(sigs[0])];
	struct termios saved, quiet;
	size_t i;
	int fd, r;

	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
		return FBV_ERR_NO_VAULT;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	caught = 0;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, &old[i]);
	if (tcgetattr(fd, &saved) != 0) {
		r = FBV_ERR_SYSTEM;
		goto out;
	}
	quiet = saved;
	quiet.c_lflag &= (tcflag_t)~(ECHO | ECHONL);
	quiet.c_lflag |= ICANON;
	/* Echo off before the prompt shows, so nothing typed after it is
	 * echoed or flushed away. */
	tcsetattr(fd, TCSAFLUSH, &quiet);
	(void)fd_write_all(fd, prompt, strlen(prompt));
	r = read_line_fd(fd, out);
	tcsetattr(fd, TCSAFLUSH, &saved);
	(void)fd_write_all(fd, "\n", 1);
out:
	close(fd);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &old[i], NULL);
	if (caught) {
		sbuf_reset(out);
		raise(caught);
		return FBV_ERR_INVALID;
	}
	return r;
}

static int
read_pass_file(const char *path, struct sbuf *out)
{
	int fd, r, saved;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return FBV_ERR_SYSTEM;
	r = store_check_fd(fd);
	if (r == FBV_OK && (r = read_line_fd(fd, out)) == PROMPT_EOF)
		r = FBV_OK;
	saved = errno;
	close(fd);
	errno = saved;
	return r;
}

static int
pass_error(int r, const char *source)
{
	if (r == FBV_ERR_TOO_LARGE)
		return fail(EXIT_USAGE, "passphrase from %s is longer than %d bytes", source,
		    PASS_MAX);
	if (r == FBV_ERR_PERM)
		return fail(EXIT_DENIED, "%s: unsafe permissions: a passphrase file must be "
		    "yours and not open to group or others (chmod 600)", source);
	return fail(err_exit_code(r), "cannot read the passphrase from %s: %s", source,
	    fbv_strerror(r));
}

static int
no_tty(bool new_pass)
{
	return fail(EXIT_DENIED, "no terminal to ask for the passphrase; use --passphrase-fd N "
	    "or FBVAULT_PASSPHRASE_FILE%s", new_pass ? " (new passphrase: --new-passphrase-fd N "
	    "or FBVAULT_NEW_PASSPHRASE_FILE)" : "");
}

/* One line from the terminal; 0, or an exit code after a message. */
static int
tty_pass_line(const char *prompt, bool new_pass, struct sbuf *out)
{
	int r = read_tty_line(prompt, out);

	if (r == FBV_ERR_NO_VAULT)
		return no_tty(new_pass);
	if (r == PROMPT_EOF)
		return fail(EXIT_USAGE, "cancelled");
	return r == FBV_OK ? 0 : pass_error(r, "the terminal");
}

/* A new passphrase is asked twice; at most TTY_TRIES times when the two
 * differ or it is empty. */
static int
read_tty_pass(bool new_pass, bool confirm, struct sbuf *out)
{
	struct sbuf again;
	bool same;
	int r, try;

	for (try = 1;; try++) {
		sbuf_reset(out);
		if ((r = tty_pass_line(new_pass ? "New passphrase: " : "Passphrase: ", new_pass,
		    out)) != 0 || !confirm)
			return r;
		if (out->len == 0 && try < TTY_TRIES) {
			msg("the passphrase is empty; try again");
			continue;
		}
		if (out->len == 0)
			return 0;
		sbuf_init(&again, PASS_MAX + 1);
		r = tty_pass_line("Repeat passphrase: ", new_pass, &again);
		same = r == 0 && again.len == out->len &&
		    sodium_memcmp(again.data, out->data, out->len) == 0;
		sbuf_free(&again);
		if (r != 0 || same)
			return r;
		if (try == TTY_TRIES)
			return fail(EXIT_USAGE, "the passphrases do not match");
		msg("the passphrases do not match; try again");
	}
}

bool
passphrase_at_tty(const struct ctx *c)
{
	const char *file = getenv("FBVAULT_PASSPHRASE_FILE");

	return c->passphrase_fd < 0 && (file == NULL || *file == '\0');
}

int
passphrase_tries(const struct ctx *c)
{
	return passphrase_at_tty(c) ? TTY_TRIES : 1;
}

void
passphrase_retry_pause(void)
{
	struct timespec ts = { RETRY_PAUSE_MS / 1000, (RETRY_PAUSE_MS % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* The passphrase: --passphrase-fd N, else the first line of the file named
 * by FBVAULT_PASSPHRASE_FILE, else the terminal; never argv or a variable's
 * value. PASS_NEW reads passwd's new one from --new-passphrase-fd /
 * FBVAULT_NEW_PASSPHRASE_FILE; PASS_INIT and PASS_NEW ask twice on a
 * terminal and refuse an empty passphrase. */
int
read_passphrase(const struct ctx *c, enum pass_kind kind, struct sbuf *out)
{
	bool new_pass = kind == PASS_NEW, confirm = kind != PASS_CURRENT;
	int fd = new_pass ? c->new_passphrase_fd : c->passphrase_fd;
	const char *file = getenv(new_pass ? "FBVAULT_NEW_PASSPHRASE_FILE" :
	    "FBVAULT_PASSPHRASE_FILE");
	int r;

	sbuf_init(out, PASS_MAX + 1);
	if (fd >= 0) {
		if ((r = read_line_fd(fd, out)) == PROMPT_EOF)
			r = FBV_OK;
		if (r != FBV_OK)
			return pass_error(r, new_pass ? "--new-passphrase-fd" : "--passphrase-fd");
	} else if (file != NULL && *file != '\0') {
		if ((r = read_pass_file(file, out)) != FBV_OK)
			return pass_error(r, file);
	} else if ((r = read_tty_pass(new_pass, confirm, out)) != 0) {
		return r;
	}
	if (confirm && out->len == 0)
		return fail(EXIT_USAGE, "the passphrase is empty");
	return 0;
}

/* A value: one line without echo from a terminal; otherwise all of stdin,
 * less one trailing newline (\n or \r\n) unless binary. */
int
read_input(const char *prompt, size_t max, bool binary, struct sbuf *out)
{
	int r;

	sbuf_init(out, max + 2);
	if (isatty(STDIN_FILENO)) {
		if ((r = read_tty_line(prompt, out)) == PROMPT_EOF)
			return fail(EXIT_USAGE, "cancelled");
		return r == FBV_OK ? 0 : fail(err_exit_code(r), "cannot read the value: %s",
		    fbv_strerror(r));
	}
	r = fd_read_sbuf(STDIN_FILENO, out);
	if (r == FBV_OK && !binary && out->len > 0 && out->data[out->len - 1] == '\n') {
		out->len--;
		if (out->len > 0 && out->data[out->len - 1] == '\r')
			out->len--;
	}
	if (r == FBV_ERR_TOO_LARGE || out->len > max)
		return fail(EXIT_USAGE, "the value is larger than %zu bytes", max);
	if (r != FBV_OK)
		return fail(EXIT_IO, "cannot read the value from stdin: %s", fbv_strerror(r));
	return 0;
}
