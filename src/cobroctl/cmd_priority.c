/* cobroctl priority: the worklist's ranking, shown or done again. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cobroctl.h"
#include "priority.h"
#include "util.h"

static int priority_run(struct ctl *c, int argc, char **argv)
{
	long long n;

	if (argc == 2 && !strcmp(argv[1], "show")) {
		double decay;
		char updated[128];

		ctl_connect(c);
		if (!priority_show(&c->db, &decay, &n, updated, sizeof updated))
			die("priority show: %s", c->db.err);
		printf("dpd_decay %g (set %s)\n", decay, updated);
		printf("accounts not ranked as of today: %lld\n", n);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "refresh")) {
		ctl_connect(c);
		if (!priority_refresh_all(&c->db, &n))
			die("priority refresh: %s", c->db.err);
		printf("every account is ranked as of today\n");
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "decay")) {
		char *end;
		double v;

		errno = 0;
		v = strtod(argv[2], &end);
		if (errno || end == argv[2] || *end || !(v >= 0 && v <= 1))
			die("priority decay: \"%s\" is not a number from 0 to 1", argv[2]);
		ctl_connect(c);
		if (!priority_set_decay(&c->db, v, &n))
			die("priority decay: %s", c->db.err);
		printf("dpd_decay %g; %lld accounts ranked anew\n", v, n);
		return 0;
	}
	die("usage: cobroctl priority show | refresh | decay VALUE");
}

const struct ctl_command ctl_priority_cmd = {
	.name = "priority",
	.usage = "  priority show                the worklist's decay setting; accounts not ranked today\n"
	         "  priority refresh             rank every account as of today (cobrod does it daily)\n"
	         "  priority decay VALUE         set p(pay)'s fall per 30 days past due (0 to 1), rank anew\n",
	.run = priority_run,
};
