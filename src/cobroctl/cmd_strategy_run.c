/* cobroctl segment run, strategy run, strategy dry-run: a day of the
 * strategies by hand (cobrod runs each day itself). The work is
 * src/core/strategy_run.c's; the dry run is the same code, writing nothing. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cobroctl.h"
#include "policy_store.h"
#include "strategy_decide.h"
#include "strategy_run.h"
#include "strategy_store.h"
#include "util.h"

struct run_args {
	int day;
	bool dry;
	bool json;
	int jobs;
};

/* [--date DAY] [--dry-run] [--format table|json] [--jobs N], as each
 * command allows.
 * The day defaults to today's UTC date by COBRO_NOW, else the clock. */
static int run_args(int argc, char **argv, bool allow_dry, bool allow_format, const char *usage,
                    struct run_args *a)
{
	static const struct option opts[] = {
		{ "date", required_argument, NULL, 'd' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "format", required_argument, NULL, 'f' },
		{ "jobs", required_argument, NULL, 'j' },
		{ 0 },
	};
	int ch;

	a->day = (int)(policy_now() / 86400);
	optind = 0;
	while ((ch = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			if (!strategy_day_parse(optarg, &a->day)) {
				warnx("--date: \"%s\" is not a day like 2026-11-24", optarg);
				return 2;
			}
			break;
		case 'n':
			if (!allow_dry)
				goto bad;
			a->dry = true;
			break;
		case 'f':
			if (!allow_format)
				goto bad;
			if (!strcmp(optarg, "json"))
				a->json = true;
			else if (strcmp(optarg, "table") != 0) {
				warnx("--format: table or json, not \"%s\"", optarg);
				return 2;
			}
			break;
		case 'j': {
			char *end;
			long v = strtol(optarg, &end, 10);

			if (end == optarg || *end || v < 1 || v > STRATEGY_FACTS_JOBS_MAX) {
				warnx("--jobs: a number of connections from 1 to %d, not \"%s\"",
				      STRATEGY_FACTS_JOBS_MAX, optarg);
				return 2;
			}
			a->jobs = (int)v;
			break;
		}
		default: goto bad;
		}
	}
	if (optind + 1 != argc)
		goto bad;
	return 0;
bad:
	warnx("usage: %s", usage);
	return 2;
}

static int run_day(struct ctl *c, enum strategy_run_kind kind, const struct run_args *a)
{
	struct strategy_run_opts o = { .kind = kind, .day = a->day, .dry = a->dry, .worker = "cobroctl",
		                       .now = policy_now(), .jobs = a->jobs };
	struct strategy_result res;
	char err[1024], day[16];

	ctl_connect(c);
	strategy_day_format(a->day, day, sizeof day);
	if (!strategy_run_day(&c->db, &o, &res, err, sizeof err)) {
		warnx("%s run %s: %s", kind == STRATEGY_RUN_SEGMENT ? "segment" : "strategy", day, err);
		strategy_result_free(&res);
		return 1;
	}
	if (res.unloaded) {
		warnx("no strategy is loaded: cobroctl strategy load FILE");
		strategy_result_free(&res);
		return 1;
	}
	if (res.busy) {
		warnx("%s run %s: another run of that day is in progress", kind == STRATEGY_RUN_SEGMENT ? "segment" : "strategy",
		      day);
		strategy_result_free(&res);
		return 1;
	}
	if (res.already) {
		printf("%s run of %s: done already\n", kind == STRATEGY_RUN_SEGMENT ? "segment" : "strategy", day);
	} else if (a->json) {
		char *js = strategy_result_json(&res);

		puts(js);
		free(js);
	} else {
		strategy_result_print(stdout, &res);
		for (int i = 0; i < res.nplacement_files; i++)
			printf("placement file %s\n", res.placement_files[i]);
	}
	strategy_result_free(&res);
	return 0;
}

/* segment run [--dry-run] [--date DAY] [--format table|json] [--jobs N] */
static int segment_run_cmd(struct ctl *c, int argc, char **argv)
{
	struct run_args a = { .jobs = STRATEGY_RUN_JOBS };
	int rc = run_args(argc, argv, true, true,
	                  "cobroctl segment run [--dry-run] [--date DAY] [--format table|json] [--jobs N]", &a);

	return rc ? rc : run_day(c, STRATEGY_RUN_SEGMENT, &a);
}

/* strategy run [--date DAY] [--format table|json] [--jobs N] */
int ctl_strategy_run(struct ctl *c, int argc, char **argv)
{
	struct run_args a = { .jobs = STRATEGY_RUN_JOBS };
	int rc = run_args(argc, argv, false, true,
	                  "cobroctl strategy run [--date DAY] [--format table|json] [--jobs N]", &a);

	return rc ? rc : run_day(c, STRATEGY_RUN_LADDER, &a);
}

/* strategy dry-run [--date DAY] [--format table|json] [--jobs N] */
int ctl_strategy_dry_run(struct ctl *c, int argc, char **argv)
{
	struct run_args a = { .dry = true, .jobs = STRATEGY_RUN_JOBS };
	int rc = run_args(argc, argv, false, true,
	                  "cobroctl strategy dry-run [--date DAY] [--format table|json] [--jobs N]", &a);

	a.dry = true;
	return rc ? rc : run_day(c, STRATEGY_RUN_LADDER, &a);
}

static int segment_run(struct ctl *c, int argc, char **argv)
{
	static const struct ctl_sub subs[] = {
		{ "run", segment_run_cmd },
	};

	return ctl_dispatch(&ctl_segment_cmd, subs, ARRAY_SIZE(subs), c, argc, argv);
}

const struct ctl_command ctl_segment_cmd = {
	.name = "segment",
	.usage = "  segment run [--dry-run] [--date DAY] [--format table|json] [--jobs N]\n"
	         "                               segment every account for DAY (default today, UTC) by the\n"
	         "                               strategy in force; --dry-run: count only, write nothing\n",
	.run = segment_run,
};
