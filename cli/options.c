#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "options.h"
#include "out.h"
#include "identities.h"

#define OWN_MAX 16

int
common_option(struct ctx *c, const struct command *self, int opt, const char *arg)
{
	char *end;
	long fd;

	switch (opt) {
	case 'V':
		free(c->vault_path);
		if ((c->vault_path = strdup(arg)) == NULL)
			return fail(EXIT_INTERNAL, "out of memory");
		return OPT_HANDLED;
	case 'P': case 'N':
		fd = strtol(arg, &end, 10);
		if (*arg == '\0' || *end != '\0' || fd < 0 || fd > 1000000)
			return usage_error(self, "--%spassphrase-fd wants a file descriptor number",
			    opt == 'N' ? "new-" : "");
		*(opt == 'P' ? &c->passphrase_fd : &c->new_passphrase_fd) = (int)fd;
		return OPT_HANDLED;
	case 'K':
		c->no_keyring = true;
		return OPT_HANDLED;
	case OPT_ACCEPT_ROLLBACK:
		c->accept_rollback = true;
		return OPT_HANDLED;
	case OPT_IDENTITY: case OPT_IDENTITY_FD:
		return identity_option(c, self, opt, arg);
	case 'Q':
		c->quiet = true;
		return OPT_HANDLED;
	case 'h':
		print_help(self, stdout);
		return OPT_HELP;
	default:
		return 0;
	}
}

static int
args_check(const struct command *self, int argc, char **argv)
{
	int n = argc - optind;

	if (n >= self->min_args && (self->max_args == ARGS_ANY || n <= self->max_args))
		return -1;
	if (self->args_error != NULL)
		return usage_error(self, "%s", self->args_error);
	if (n < self->min_args)
		return usage_error(self, "%s wants more arguments", self->name);
	return usage_error(self, "unexpected argument '%s'", argv[optind + self->max_args]);
}

int
parse_args(struct ctx *c, const struct command *self, int argc, char **argv,
    void *state, option_fn on_opt)
{
	static const struct option common[] = { COMMON_LONGOPTS };
	struct option all[OWN_MAX + sizeof(common) / sizeof(common[0]) + 1];
	size_t n = 0, i;
	int opt, r;

	for (i = 0; self->options != NULL && self->options[i].name != NULL && n < OWN_MAX; i++)
		all[n++] = self->options[i];
	for (i = 0; i < sizeof(common) / sizeof(common[0]); i++)
		all[n++] = common[i];
	memset(&all[n], 0, sizeof(all[n]));
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, self->shortopts, all, NULL)) != -1) {
		if (opt == '?' || opt == ':')
			return usage_error(self, "%s '%s'", opt == ':' ? "missing value for option" :
			    "unknown option", argv[optind - 1]);
		if ((r = common_option(c, self, opt, optarg)) == OPT_HANDLED)
			continue;
		if (r == OPT_HELP)
			return 0;
		if (r != 0)
			return r;
		if (on_opt == NULL || (r = on_opt(state, opt, optarg)) >= 0)
			return on_opt == NULL ? usage_error(self, "unknown option") : r;
	}
	return args_check(self, argc, argv);
}

int
flag_opt(void *state, int opt, const char *arg)
{
	(void)opt;
	(void)arg;
	*(bool *)state = true;
	return -1;
}
