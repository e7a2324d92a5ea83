/* post, scheduled, delete: publish or schedule a post on a page (text, a
 * link, photos), list the page's scheduled posts, delete a post. The
 * vault is only read; the page token and its proof go out in request
 * bodies. None of them ever sends a request twice: after a timeout or a
 * reset once a post went out, the post may exist, and a second one would
 * be a duplicate (exit 76: look before you run it again). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../crypto/errors.h"
#include "../graph/graph.h"
#include "../graph/json.h"
#include "../vault/io.h"
#include "commands.h"
#include "errors.h"
#include "graph_session.h"
#include "page_tokens.h"
#include "obuf.h"
#include "options.h"
#include "out.h"
#include "when.h"

#define SCHEDULE_MIN (10 * 60)          /* Graph's window: 10 minutes ... */
#define SCHEDULE_MAX (30 * 86400)       /* ... to 30 days ahead */
#define PHOTO_MAX (64LL * 1024 * 1024)  /* the largest file fbvault sends */
#define SHOWN_TEXT 60                   /* bytes of a message in a listing */

struct post_opts {
	const struct command *cmd;
	const char *page;
	const char *message;
	const char *message_file;
	const char *link;
	const char *at;
	const char *photos[GRAPH_MAX_PHOTOS];
	size_t nphotos;
	bool json;
	bool dry_run;
};

static int
post_opt(void *state, int opt, const char *arg)
{
	struct post_opts *o = state;

	switch (opt) {
	case 'p': o->page = arg; return -1;
	case 'm': o->message = arg; return -1;
	case 'M': o->message_file = arg; return -1;
	case 'l': o->link = arg; return -1;
	case 'a': o->at = arg; return -1;
	case 'j': o->json = true; return -1;
	case 'n': o->dry_run = true; return -1;
	case 'f':
		if (o->nphotos == GRAPH_MAX_PHOTOS)
			return usage_error(o->cmd, "at most %d --photo options", GRAPH_MAX_PHOTOS);
		o->photos[o->nphotos++] = arg;
		return -1;
	default:
		return usage_error(o->cmd, "unknown option");
	}
}

static int
text_check(const struct sbuf *b, const char *what)
{
	if (b->len == 0)
		return fail(EXIT_USAGE, "%s is empty", what);
	if (b->len > GRAPH_MESSAGE_MAX)
		return fail(EXIT_USAGE, "%s is longer than %d bytes", what, GRAPH_MESSAGE_MAX);
	if (!utf8_valid(b->data, b->len) || memchr(b->data, '\0', b->len) != NULL)
		return fail(EXIT_USAGE, "%s is not UTF-8 text", what);
	return 0;
}

/* The message: --message TEXT, --message-file FILE ("-": stdin), or
 * stdin when it is not a terminal (empty there: no message); one trailing
 * newline dropped. */
static int
read_message(const struct post_opts *o, struct sbuf *out)
{
	const char *f = o->message_file;
	int fd = -1, r;

	sbuf_init(out, GRAPH_MESSAGE_MAX + 2);
	if (o->message != NULL) {
		if (sbuf_put(out, o->message, strlen(o->message)) != FBV_OK)
			return fail(EXIT_USAGE, "the message is longer than %d bytes", GRAPH_MESSAGE_MAX);
		return text_check(out, "the message");
	}
	if (f == NULL && isatty(STDIN_FILENO))
		return 0;
	if (f == NULL)
		f = "-";
	if (strcmp(f, "-") != 0 && (fd = open(f, O_RDONLY | O_CLOEXEC)) < 0)
		return fail(errno == ENOENT ? EXIT_NOTFOUND : EXIT_IO, "cannot open %s: %s", f,
		    strerror(errno));
	r = fd_read_sbuf(fd >= 0 ? fd : STDIN_FILENO, out);
	if (fd >= 0)
		close(fd);
	if (r == FBV_ERR_TOO_LARGE)
		return fail(EXIT_USAGE, "the message is longer than %d bytes", GRAPH_MESSAGE_MAX);
	if (r != FBV_OK)
		return fail(EXIT_IO, "cannot read %s: %s", strcmp(f, "-") == 0 ? "stdin" : f,
		    fbv_strerror(r));
	if (out->len > 0 && out->data[out->len - 1] == '\n')
		out->len--;
	if (o->message_file == NULL && out->len == 0)
		return 0;
	return text_check(out, "the message");
}

static bool
link_ok(const char *s)
{
	size_t k;

	if (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0)
		return false;
	for (k = 0; s[k] != '\0'; k++)
		if ((unsigned char)s[k] <= ' ' || s[k] == 0x7f)
			return false;
	return k < 8192;
}

/* Each photo an http(s) URL or a readable regular file of 1 byte to PHOTO_MAX, checked
 * before anything goes out. */
static int
photos_check(const struct post_opts *o)
{
	struct stat st;
	size_t k;
	int fd;

	for (k = 0; k < o->nphotos; k++) {
		if (graph_is_url(o->photos[k])) {
			if (!link_ok(o->photos[k]))
				return usage_error(o->cmd, "--photo %s is not a URL fbvault sends",
				    o->photos[k]);
			continue;
		}
		if ((fd = open(o->photos[k], O_RDONLY | O_CLOEXEC)) < 0)
			return fail(errno == ENOENT ? EXIT_NOTFOUND : EXIT_IO, "cannot open %s: %s",
			    o->photos[k], strerror(errno));
		if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
			close(fd);
			return fail(EXIT_USAGE, "%s is not a regular file", o->photos[k]);
		}
		close(fd);
		if (st.st_size == 0 || st.st_size > PHOTO_MAX)
			return fail(EXIT_USAGE, "%s: a photo must be 1 byte to %lld MiB",
			    o->photos[k], PHOTO_MAX >> 20);
	}
	return 0;
}

/* --at: in Graph's window, checked here so that a bad time costs no
 * request. */
static int
schedule_of(const struct post_opts *o, int64_t *at)
{
	int64_t now = now_unix();
	char from[64], to[64];

	*at = 0;
	if (o->at == NULL)
		return 0;
	if (when_parse(o->at, now, at) != FBV_OK)
		return usage_error(o->cmd, "--at wants +DURATION (+2h), @UNIX_SECONDS or an ISO 8601 "
		    "time with its zone (2026-12-24T09:00Z)");
	if (*at - now < SCHEDULE_MIN || *at - now > SCHEDULE_MAX) {
		format_time(now + SCHEDULE_MIN, from, sizeof(from));
		format_time(now + SCHEDULE_MAX, to, sizeof(to));
		return fail(EXIT_USAGE, "--at %s is outside Graph's window for scheduled posts: "
		    "from %s to %s (10 minutes to 30 days ahead)", o->at, from, to);
	}
	return 0;
}

static int
post_check(const struct post_opts *o)
{
	if (o->message != NULL && o->message_file != NULL)
		return usage_error(o->cmd, "give --message or --message-file, not both");
	if (o->link != NULL && o->nphotos > 0)
		return usage_error(o->cmd, "a post has a link or photos, not both");
	if (o->link != NULL && !link_ok(o->link))
		return usage_error(o->cmd, "--link wants an http:// or https:// URL");
	if (o->page != NULL && !digits(o->page))
		return usage_error(o->cmd, "--page wants a numeric id");
	return photos_check(o);
}

static void
print_posted(const struct graph_posted *p, int64_t at, bool json)
{
	size_t k;

	if (!json) {
		printf("%s\n", p->id[0] != '\0' ? p->id : p->photo_ids[0]);
		return;
	}
	printf("{\"id\":");
	json_print_string(stdout, p->id, strlen(p->id));
	printf(",\"photo_ids\":[");
	for (k = 0; k < p->nphotos; k++) {
		if (k > 0)
			putchar(',');
		json_print_string(stdout, p->photo_ids[k], strlen(p->photo_ids[k]));
	}
	if (at != 0)
		printf("],\"scheduled_publish_time\":%lld}\n", (long long)at);
	else
		printf("],\"scheduled_publish_time\":null}\n");
}

/* The post may exist: never sent again, and the script is told where to
 * look. */
static int
uncertain(const struct graph_error *ge, const char *page_id)
{
	char why[sizeof(ge->message) * 4];

	graph_escape(why, sizeof(why), ge->message, strlen(ge->message));
	return fail(err_exit_code(FBV_ERR_UNCERTAIN), "no clear answer after the post went out "
	    "(%s): it may have been published: check with fbvault scheduled --page %s / fbvault "
	    "api /%s/feed?limit=1 before posting again", why[0] != '\0' ? why : "no response",
	    page_id, page_id);
}

/* graph_publish(), and once more after page_heal() when Graph refused
 * the page token (190): a refusal means nothing was posted. An FBV code,
 * or an exit code (> 0) after healing failed with a message. */
static int
publish(struct ctx *c, struct page_session *s, bool dry_run, const struct graph_post *p,
    struct graph_posted *out, struct graph_error *ge)
{
	int r, h;

	memset(out, 0, sizeof(*out));
	r = graph_publish(s->g, &s->token, s->page_id, p, out, ge);
	if (dry_run || !token_died(r, ge) || (h = page_heal(c, s->g, s->page_id, &s->token)) < 0)
		return r;
	if (h > 0)
		return h;
	memset(out, 0, sizeof(*out));
	return graph_publish(s->g, &s->token, s->page_id, p, out, ge);
}

int
cmd_post(struct ctx *c, const struct command *self, int argc, char **argv)
{
	struct post_opts o = { .cmd = self };
	struct graph_post p = { 0 };
	struct graph_posted out;
	struct graph_error ge;
	struct page_session s = { .g = NULL };
	struct sbuf message;
	int r;

	sbuf_init(&message, 1);
	sbuf_init(&s.token, 1);
	if ((r = parse_args(c, self, argc, argv, &o, post_opt)) >= 0 ||
	    (r = post_check(&o)) != 0 || (r = schedule_of(&o, &p.scheduled_at)) != 0 ||
	    (r = read_message(&o, &message)) != 0)
		goto out;
	if (message.len == 0 && o.link == NULL && o.nphotos == 0) {
		r = usage_error(self, "nothing to post: give --message, --message-file (or the text "
		    "on stdin), --link or --photo");
		goto out;
	}
	if ((r = page_session_open(c, "post", o.page, o.dry_run, &s)) != 0)
		goto out;
	p.message = message.len > 0 ? (const char *)message.data : NULL;
	p.message_len = message.len;
	p.link = o.link;
	p.photos = o.photos;
	p.nphotos = o.nphotos;
	if ((r = publish(c, &s, o.dry_run, &p, &out, &ge)) > 0)
		goto out;
	if (r != FBV_OK) {
		r = r == FBV_ERR_UNCERTAIN ? uncertain(&ge, s.page_id) : graph_fail(r, &ge);
		goto out;
	}
	fflush(stdout);
	if (o.dry_run)
		msg("dry run: nothing was sent");
	else
		print_posted(&out, p.scheduled_at, o.json);
out:
	page_session_close(&s);
	sbuf_free(&message);
	return r;
}

/* scheduled ----------------------------------------------------------- */

struct list_opts {
	const char *page;
	bool json;
	bool yes;
};

static int
list_opt(void *state, int opt, const char *arg)
{
	struct list_opts *o = state;

	if (opt == 'p')
		o->page = arg;
	else if (opt == 'y')
		o->yes = true;
	else
		o->json = true;
	return -1;
}

static void
print_scheduled(const char *page_id, const struct graph_scheduled *it, size_t n, bool json)
{
	char when[64], text[SHOWN_TEXT * 4 + 1];
	size_t k, len;

	if (json) {
		printf("{\"page_id\":");
		json_print_string(stdout, page_id, strlen(page_id));
		printf(",\"scheduled\":[");
	}
	for (k = 0; k < n; k++) {
		const char *m = it[k].message != NULL ? it[k].message : "";

		if (json) {
			printf("%s{\"id\":", k > 0 ? "," : "");
			json_print_string(stdout, it[k].id, strlen(it[k].id));
			printf(",\"scheduled_publish_time\":%lld,\"message\":", (long long)it[k].scheduled_at);
			json_print_string(stdout, m, strlen(m));
			putchar('}');
			continue;
		}
		format_time(it[k].scheduled_at, when, sizeof(when));
		len = strcspn(m, "\n");
		graph_escape(text, sizeof(text), m, len > SHOWN_TEXT ? SHOWN_TEXT : len);
		printf("%-24s %s  %s%s\n", it[k].id, it[k].scheduled_at < 0 ? "unknown time" : when,
		    text, strlen(m) > strlen(text) ? "..." : "");
	}
	if (json)
		printf("]}\n");
	else if (n == 0)
		printf("no scheduled posts on page %s\n", page_id);
}

int
cmd_scheduled(struct ctx *c, const struct command *self, int argc, char **argv)
{
	struct list_opts o = { NULL, false, false };
	struct page_session s = { .g = NULL };
	struct graph_scheduled *items = NULL;
	struct graph_error ge;
	size_t n = 0;
	int r;

	sbuf_init(&s.token, 1);
	if ((r = parse_args(c, self, argc, argv, &o, list_opt)) >= 0)
		return r;
	if (o.page != NULL && !digits(o.page))
		return usage_error(self, "--page wants a numeric id");
	if ((r = page_session_open(c, "scheduled", o.page, false, &s)) == 0) {
		if ((r = graph_scheduled(s.g, &s.token, s.page_id, &items, &n, &ge)) != FBV_OK)
			r = graph_fail(r, &ge);
		else
			print_scheduled(s.page_id, items, n, o.json);
	}
	graph_scheduled_free(items, n);
	page_session_close(&s);
	return r;
}

/* delete -------------------------------------------------------------- */

/* The page of PAGEID_POSTID, when --page does not say. */
static const char *
page_of_post(const char *post_id, char *buf, size_t len)
{
	size_t n = strcspn(post_id, "_");

	if (post_id[n] != '_' || n >= len)
		return NULL;
	memcpy(buf, post_id, n);
	buf[n] = '\0';
	return buf;
}

/* At a terminal, a question; elsewhere --yes is required. */
static int
confirm(const struct command *self, const char *id)
{
	char line[16];

	if (!isatty(STDIN_FILENO))
		return usage_error(self, "delete needs --yes when stdin is not a terminal");
	fprintf(stderr, "Delete post %s? [y/N] ", id);
	fflush(stderr);
	if (fgets(line, sizeof(line), stdin) == NULL || (line[0] != 'y' && line[0] != 'Y'))
		return fail(EXIT_USAGE, "not deleted");
	return 0;
}

int
cmd_delete(struct ctx *c, const struct command *self, int argc, char **argv)
{
	struct list_opts o = { NULL, false, false };
	struct page_session s = { .g = NULL };
	struct graph_error ge;
	const char *id, *page;
	char buf[64];
	int r;

	sbuf_init(&s.token, 1);
	if ((r = parse_args(c, self, argc, argv, &o, list_opt)) >= 0)
		return r;
	id = argv[optind];
	if (!graph_post_id_ok(id))
		return usage_error(self, "'%s' is not a post id (PAGEID_POSTID or a photo's digits)", id);
	if (o.page != NULL && !digits(o.page))
		return usage_error(self, "--page wants a numeric id");
	page = o.page != NULL ? o.page : page_of_post(id, buf, sizeof(buf));
	if (o.page != NULL && page_of_post(id, buf, sizeof(buf)) != NULL && strcmp(buf, o.page) != 0)
		return usage_error(self, "post %s is not on page %s", id, o.page);
	if (!o.yes && (r = confirm(self, id)) != 0)
		return r;
	if ((r = page_session_open(c, "delete", page, false, &s)) == 0) {
		if ((r = graph_delete(s.g, &s.token, id, &ge)) != FBV_OK)
			r = graph_fail(r, &ge);
		else
			printf("deleted %s\n", id);
	}
	page_session_close(&s);
	return r;
}
