/* What every cobroctl command uses: the connection and argument checks. */
#include <errno.h>
#include <stdlib.h>

#include "cobroctl.h"
#include "util.h"

void ctl_connect(struct ctl *c)
{
	const char *conninfo = c->database ? c->database : c->conf.database;

	/* A --database given here is taken whole: the configuration's user does not
	 * override a user= inside it. */
	if (!db_connect(&c->db, conninfo, c->user ? c->user : c->database ? NULL : c->conf.user, "cobroctl"))
		die("cannot connect to the database: %s", c->db.err);
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

static void ctl_usage_of(FILE *f, const struct ctl_command *cmd)
{
	fputs("usage: cobroctl ", f);
	/* The lines are written for the command list, two spaces in. */
	fputs(cmd->usage + 2, f);
}

int ctl_usage(const struct ctl_command *cmd)
{
	ctl_usage_of(stderr, cmd);
	return 2;
}
