/* Pieces of cli/ with no I/O: the times --at accepts and refuses
 * (when.c), what api's redaction leaves of an answer (redact.c), and that
 * every command of the table has its rich help (commands.c). */
#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "../../cli/commands.h"
#include "../../cli/redact.h"
#include "../../cli/when.h"
#include "../../crypto/errors.h"
#include "check.h"

#define NOW 1767225600LL                /* 2026-01-01T00:00:00Z */

static int64_t
at(const char *s)
{
	int64_t t = -1;

	return when_parse(s, NOW, &t) == FBV_OK ? t : -1;
}

static const char *
redacted(const char *in, const char *secret)
{
	static char buf[2048];
	struct sbuf s, out;

	sbuf_init(&s, 256);
	sbuf_init(&out, sizeof(buf) - 1);
	sbuf_put(&s, secret, strlen(secret));
	if (redact_json((const unsigned char *)in, strlen(in), &s, secret[0] != '\0', &out) != FBV_OK)
		strcpy(buf, "(failed)");
	else
		snprintf(buf, sizeof(buf), "%.*s", (int)out.len, (const char *)out.data);
	sbuf_free(&s);
	sbuf_free(&out);
	return buf;
}

#define REDACTS(in, secret, want) \
	CHECKF(strcmp(redacted(in, secret), want) == 0, "redact %s: %s", in, redacted(in, secret))

static void
test_redact(void)
{
	REDACTS("{\"access_token\":\"EAAx\",\"id\":\"1\"}", "", "{\"access_token\":\"<redacted>\",\"id\":\"1\"}");
	REDACTS("{ \"access_token\" :\n \"EA\\\"Ax\" }", "", "{ \"access_token\" :\n \"<redacted>\" }");
	REDACTS("{\"appsecret_proof\":\"ab\"}", "", "{\"appsecret_proof\":\"<redacted>\"}");
	REDACTS("{\"access_token\":5,\"b\":\"x\"}", "", "{\"access_token\":5,\"b\":\"x\"}");
	REDACTS("{\"access_token\":{\"a\":\"x\"}}", "", "{\"access_token\":{\"a\":\"x\"}}");
	REDACTS("{\"next\":\"https://h/me?access_token=EAAx&after=1\"}", "",
	    "{\"next\":\"https://h/me?access_token=<redacted>&after=1\"}");
	REDACTS("{\"next\":\"https://h/me?limit=1&appsecret_proof=ff\"}", "",
	    "{\"next\":\"https://h/me?limit=1&appsecret_proof=<redacted>\"}");
	REDACTS("{\"message\":\"the secret is s3cr3tvalue!\"}", "s3cr3tvalue",
	    "{\"message\":\"the secret is <redacted>!\"}");
	REDACTS("[{\"access_token\":\"a\"},{\"access_token\":\"b\"}]", "",
	    "[{\"access_token\":\"<redacted>\"},{\"access_token\":\"<redacted>\"}]");
	REDACTS("{\"data\":[\"access_token\",\"x\"]}", "", "{\"data\":[\"access_token\",\"x\"]}");
	/* a match never starts inside an escape (fuzz_graph found this) */
	REDACTS("{\"k\":\"\\ue0dEAAsecret1\"}", "EAAsecret1", "{\"k\":\"\\ue0dEAAsecret1\"}");
	REDACTS("{\"k\":\"\\nEAAsecret1\"}", "EAAsecret1", "{\"k\":\"<redacted>\"}");
	/* a secret split by escapes is still found, and the whole string goes */
	REDACTS("{\"k\":\"x EAA\\u0073ecret1 y\"}", "EAAsecret1", "{\"k\":\"<redacted>\"}");
	REDACTS("[\"EAAs\\u00e9cret1\"]", "EAAs\xc3\xa9" "cret1", "[\"<redacted>\"]");
}

/* Whether a line of docs names option opt ("--page", "-e") as a word. */
static bool
documents(const struct option_doc *docs, const char *opt)
{
	const struct option_doc *d;
	const char *p;
	size_t n = strlen(opt);

	for (d = docs; d != NULL && d->option != NULL; d++)
		for (p = d->option; (p = strstr(p, opt)) != NULL; p += n)
			if ((p == d->option || p[-1] == ' ') &&
			    (p[n] == '\0' || p[n] == ' ' || p[n] == ','))
				return true;
	return false;
}

/* Every command: its options each described in one line, an example that
 * runs it, and its exit codes (the lead sees here which merged command
 * lacks them). */
static void
test_rich_help(const struct command *cmd)
{
	const struct option *o;
	const char *p;
	char shortopt[3] = "-x", longopt[64];

	CHECKF(cmd->option_docs != NULL, "%s: no option_docs", cmd->name);
	CHECKF(cmd->examples != NULL && strncmp(cmd->examples, "fbvault ", 8) == 0 &&
	    strstr(cmd->examples, cmd->name) != NULL, "%s: no example of it", cmd->name);
	CHECKF(cmd->exit_docs != NULL && cmd->exit_docs[0].code >= 0, "%s: no exit codes",
	    cmd->name);
	for (o = cmd->options; o != NULL && o->name != NULL; o++) {
		snprintf(longopt, sizeof(longopt), "--%s", o->name);
		CHECKF(documents(cmd->option_docs, longopt), "%s: %s undocumented", cmd->name,
		    longopt);
	}
	for (p = cmd->shortopts; *p != '\0'; p++) {
		if (*p == '+' || *p == ':' || *p == 'h')
			continue;
		shortopt[1] = *p;
		CHECKF(documents(cmd->option_docs, shortopt), "%s: %s undocumented", cmd->name,
		    shortopt);
	}
}

int
main(void)
{
	static const char *const bad[] = {
		"", "+", "+2x", "+-1h", "@", "@12x", "@9999999999999", "2026-12-24T09:00",
		"2026-12-24", "2026-13-01T00:00Z", "2026-02-29T00:00Z", "2026-12-24T24:00Z",
		"2026-12-24T09:60Z", "2026-12-24T09:00:60Z", "2026-12-24T09:00+24:00",
		"2026-12-24T09:00+01", "2026-12-24T09:00Zjunk", "1969-12-31T23:59Z", "tomorrow",
		"26-12-24T09:00Z", "2026-12-24T9:00Z",
	};
	size_t k;

	const struct command *cmd;

	if (sodium_init() < 0)
		return 1;
	for (cmd = commands; cmd->name != NULL; cmd++)
		test_rich_help(cmd);
	test_rich_help(command_find("help"));
	CHECK(at("+2h") == NOW + 7200);
	CHECK(at("+3d") == NOW + 3 * 86400);
	CHECK(at("+90m") == NOW + 5400);
	CHECK(at("@1790000000") == 1790000000);
	CHECK(at("2026-01-01T00:00Z") == NOW);
	CHECK(at("2026-12-24T09:00:00Z") == 1798102800);
	CHECK(at("2026-12-24t09:00z") == 1798102800);
	CHECK(at("2026-12-24 09:00Z") == 1798102800);
	CHECK(at("2026-12-24T10:00:00+01:00") == 1798102800);
	CHECK(at("2026-12-24T04:30-0430") == 1798102800);
	CHECK(at("2028-02-29T00:00Z") == 1835395200);
	CHECK(at("2000-03-01T00:00Z") == 951868800);
	for (k = 0; k < sizeof(bad) / sizeof(*bad); k++)
		CHECKF(at(bad[k]) == -1, "'%s' accepted", bad[k]);
	test_redact();
	return check_report("cli");
}
