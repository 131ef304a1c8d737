/* cobroctl strategy clean: the data-cleaning run by hand, or at a moment
 * given (tests); cobrod's daily run calls the same cleaning_run(). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleaning.h"
#include "cobroctl.h"
#include "policy_store.h"
#include "tz.h"
#include "util.h"

static void print_line(void *ctx, const char *line)
{
	(void)ctx;
	printf("%s\n", line);
}

/* strategy clean [--dry-run] [--at TIME] [--file FILE] [--team CODE]: asks
 * every debtor whose numbers are all gone for a current one, by the
 * settings of the strategy in force (or of FILE), at TIME (default
 * COBRO_NOW, else now); with --team, only the debtors of that team's
 * accounts. */
int ctl_strategy_clean(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = { { "at", required_argument, NULL, 't' },
		                              { "dry-run", no_argument, NULL, 'n' },
		                              { "file", required_argument, NULL, 'f' },
		                              { "team", required_argument, NULL, 'T' },
		                              { 0 } };
	struct cleaning_conf conf;
	struct cleaning_counts n;
	const char *file = NULL, *team = NULL;
	int64_t at = 0;
	bool dry = false;
	char err[512];
	int ch;

	optind = 0; /* getopt afresh on the words after "clean" */
	while ((ch = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (ch) {
		case 't':
			if (!time_parse_iso(optarg, &at)) {
				warnx("--at: \"%s\" is not a time like 2026-11-24T10:00:00-05:00", optarg);
				return 2;
			}
			break;
		case 'n': dry = true; break;
		case 'f': file = optarg; break;
		case 'T': team = optarg; break;
		default: return 2;
		}
	}
	if (optind + 1 != argc) {
		warnx("usage: cobroctl strategy clean [--dry-run] [--at TIME] [--file FILE] [--team CODE]");
		return 2;
	}
	if (!at)
		at = policy_now();
	ctl_connect(c);
	if (file) {
		char *text = read_file(file, NULL);

		if (!text) {
			warnx("%s: cannot be read", file);
			return 1;
		}
		if (!cleaning_conf_parse(file, text, &conf, err, sizeof err)) {
			free(text);
			warnx("%s", err);
			return 1;
		}
		free(text);
	} else if (!cleaning_conf_in_force(&c->db, &conf, err, sizeof err)) {
		warnx("strategy clean: %s", err);
		return 1;
	}
	if (!cleaning_run(&c->db, &conf, at, team, dry, print_line, NULL, &n)) {
		warnx("strategy clean: %s", c->db.err);
		return 1;
	}
	printf("%s %d\nqueued %d\nskipped %d\nfailed %d\n", dry ? "would ask" : "due", n.due, n.queued, n.skipped,
	       n.failed);
	return n.failed ? 1 : 0;
}
