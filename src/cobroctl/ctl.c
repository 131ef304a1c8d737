/* What every cobroctl command uses: the connection and argument checks. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "cobroctl.h"
#include "util.h"

void ctl_connect(struct ctl *c)
{
	const char *conninfo = c->database ? c->database : c->conf.database;

	/* A --database given here is taken whole: the configuration's user does not
	 * override a user= inside it. */
	if (!db_connect(&c->db, conninfo, c->user ? c->user : c->database ? NULL : c->conf.user, "cobroctl"))
		die("cannot connect to the database: %s", c->db.err);
	/* Every login is on the record (issue 17, line 6), an administrator's too. */
	if (!audit_login(&c->db, "cobroctl"))
		die("cannot record the login in the audit chain: %s", c->db.err);
}

long parse_long(const char *what, const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < min || v > max)
		die("%s: \"%s\" is not a whole number from %ld to %ld", what, s, min, max);
	return v;
}

/* The command's forms from its lines of cobroctl --help, the first after
 * "usage:", the descriptions left to --help. */
static void ctl_usage_of(FILE *f, const struct ctl_command *cmd)
{
	size_t name = strlen(cmd->name);
	bool first = true;

	for (const char *p = cmd->usage; *p;) {
		size_t len = strcspn(p, "\n"), indent = strspn(p, " ");
		const char *text = p + indent, *gap;
		int shown;

		/* A form ends where its description starts, three spaces on. */
		gap = memmem(text, len - indent, "   ", 3);
		shown = (int)(gap ? (size_t)(gap - text) : len - indent);
		if (indent == 2 && !strncmp(text, cmd->name, name)) {
			fprintf(f, "%s%.*s\n", first ? "usage: cobroctl " : "       cobroctl ", shown, text);
			first = false;
		} else if (*text == '[') { /* the options of the form above, continued */
			fprintf(f, "                %.*s\n", shown, text);
		}
		p += len + (p[len] == '\n');
	}
}

int ctl_dispatch(const struct ctl_command *cmd, const struct ctl_sub *subs, size_t nsubs, struct ctl *c,
                 int argc, char **argv)
{
	for (size_t i = 0; argc >= 2 && i < nsubs; i++)
		if (!strcmp(argv[1], subs[i].name))
			return subs[i].run(c, argc, argv);
	return ctl_usage(cmd);
}

int ctl_usage(const struct ctl_command *cmd)
{
	ctl_usage_of(stderr, cmd);
	return 2;
}
