/* cobroctl promises: the promise keeper run by hand (cobrod runs it every
 * promises.evaluate_every seconds). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cobroctl.h"
#include "promise_keep.h"
#include "tz.h"
#include "util.h"

/* promises evaluate [--at TIME]: decides the installments due by TIME (an
 * ISO 8601 moment; now by default) and prints what it decided. */
static int promises_evaluate_cmd(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = { { "at", required_argument, NULL, 't' }, { 0 } };
	struct promise_counts n;
	int64_t at = 0;
	int ch;

	optind = 0; /* getopt afresh on the words after "promises" */
	while ((ch = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		if (ch != 't')
			return 2;
		if (!time_parse_iso(optarg, &at)) {
			warnx("--at: \"%s\" is not a time like 2026-11-24T10:00:00-05:00", optarg);
			return 2;
		}
	}
	if (optind + 1 != argc) {
		warnx("usage: cobroctl promises evaluate [--at TIME]");
		return 2;
	}
	ctl_connect(c);
	if (!promise_evaluate_at(&c->db, at, &n)) {
		warnx("promises evaluate: %s", c->db.err);
		return 1;
	}
	printf("kept %ld\npartial %ld\nbroken %ld\nlate %ld\n", n.kept, n.partial, n.broken, n.late);
	return 0;
}

static int promises_run(struct ctl *c, int argc, char **argv)
{
	static const struct ctl_sub subs[] = {
		{ "evaluate", promises_evaluate_cmd },
	};

	return ctl_dispatch(&ctl_promises_cmd, subs, ARRAY_SIZE(subs), c, argc, argv);
}

const struct ctl_command ctl_promises_cmd = {
	.name = "promises",
	.usage = "  promises evaluate [--at TIME]\n"
	         "                               decide the promises' installments due by TIME (default now):\n"
	         "                               kept, partial, broken, late; print the counts\n",
	.run = promises_run,
};
