#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "../crypto/errors.h"
#include "../vault/store.h"
#include "../vault/io.h"
#include "errors.h"
#include "out.h"
#include "prompt.h"

#define PASS_MAX 1024

static volatile sig_atomic_t caught;

static void
on_signal(int sig)
{
	caught = sig;
}

/* Reads one line into out, without its newline. */
static int
read_line_fd(int fd, struct sbuf *out)
{
	unsigned char ch;

	for (;;) {
		ssize_t n = read(fd, &ch, 1);

		if (n < 0 && errno == EINTR && !caught)
			continue;
		if (n < 0)
			return FBV_ERR_SYSTEM;
		if (n == 0 || ch == '\n')
			break;
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
	if (r == FBV_OK)
		r = read_line_fd(fd, out);
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
read_tty_pass(bool new_pass, bool confirm, struct sbuf *out)
{
	struct sbuf again;
	int r;

	r = read_tty_line(new_pass ? "New passphrase: " : "Passphrase: ", out);
	if (r == FBV_ERR_NO_VAULT)
		return fail(EXIT_DENIED, "no terminal to ask for the passphrase; use "
		    "--passphrase-fd N or FBVAULT_PASSPHRASE_FILE%s",
		    new_pass ? " (new passphrase: --new-passphrase-fd N or "
		    "FBVAULT_NEW_PASSPHRASE_FILE)" : "");
	if (r != FBV_OK)
		return pass_error(r, "the terminal");
	if (!confirm)
		return 0;
	sbuf_init(&again, PASS_MAX + 1);
	r = read_tty_line("Repeat passphrase: ", &again);
	if (r == FBV_OK && (again.len != out->len ||
	    (out->len > 0 && sodium_memcmp(again.data, out->data, out->len) != 0)))
		r = FBV_ERR_WRONG_PASS;
	sbuf_free(&again);
	if (r == FBV_ERR_WRONG_PASS)
		return fail(EXIT_USAGE, "the passphrases do not match");
	return r == FBV_OK ? 0 : pass_error(r, "the terminal");
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
		if ((r = read_line_fd(fd, out)) != FBV_OK)
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
		r = read_tty_line(prompt, out);
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
