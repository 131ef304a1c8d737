/* cobroctl undo: how long after a call the person who logged it may undo
 * its wrong number or dispute (docs/security.md, "State changes"). */
#include <stdio.h>

#include "cobroctl.h"
#include "outcome.h"
#include "util.h"

static int undo_window_cmd(struct ctl *c, int argc, char **argv)
{
	int secs;

	if (argc == 2) {
		ctl_connect(c);
		if (!outcome_undo_window_get(&c->db, &secs))
			die("undo window: %s", c->db.err);
		printf("a call's wrong number or dispute may be undone for %d s\n", secs);
		return 0;
	}
	if (argc != 3)
		return ctl_usage(&ctl_undo_cmd);
	secs = (int)parse_long("undo window", argv[2], OUTCOME_UNDO_MIN, OUTCOME_UNDO_MAX);
	ctl_connect(c);
	if (!outcome_undo_window_set(&c->db, secs))
		die("undo window: %s", c->db.err);
	printf("a call's wrong number or dispute may be undone for %d s\n", secs);
	return 0;
}

static int undo_run(struct ctl *c, int argc, char **argv)
{
	static const struct ctl_sub subs[] = { { "window", undo_window_cmd } };

	return ctl_dispatch(&ctl_undo_cmd, subs, ARRAY_SIZE(subs), c, argc, argv);
}

const struct ctl_command ctl_undo_cmd = {
	.name = "undo",
	.usage = "  undo window [SECONDS]        how long a collector may undo a wrong number or dispute (0 to 3600; admins set it)\n",
	.run = undo_run,
};
