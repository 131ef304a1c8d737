/* One run of the strategies for a day D (issue 18, lines 1, 4 and 7;
 * docs/strategies.md, "Running strategies"): the version in force read, the
 * facts of every account streamed, each account decided (strategy_decide),
 * its messages rendered from their templates in the debtor's language and
 * planned inside the debtor's allowed hours (strategy_sched), then either
 * applied in one transaction (strategy_store) or, for a dry run, only
 * counted. The dry run is the same code with one flag, so its counts are
 * those the real run records (strategy_run.counts).
 *
 * cobroctl (segment run, strategy run, strategy dry-run) and cobrod's daily
 * job call it. Core only: no curses. */
#ifndef COBRO_STRATEGY_RUN_H
#define COBRO_STRATEGY_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "db.h"

/* Connections reading the facts at once unless told: one a core of the
 * machines it was measured on (two), where the server computing the facts
 * was what the run waited for (docs/strategies.md). */
#define STRATEGY_RUN_JOBS 2

/* What a run does. */
enum strategy_run_kind {
	STRATEGY_RUN_SEGMENT = 1, /* re-segmentation only: account_strategy and the segment events */
	STRATEGY_RUN_LADDER = 2,  /* segments, then the ladders' steps of the day */
};

struct strategy_run_opts {
	enum strategy_run_kind kind;
	int day;             /* D, days since 1970-01-01 (strategy_day_parse()) */
	bool dry;            /* count only: nothing is written, nothing recorded */
	const char *worker;  /* recorded on the run: cobrod's name, or "cobroctl" */
	int64_t now;         /* the run's moment (UTC seconds, policy_now()): nothing is planned earlier */
	/* Where the agencies' placement files go when the strategy names a
	 * relative path: this directory (NULL: the working directory). */
	const char *base_dir;
	/* Connections reading the facts at once, each a share of the accounts
	 * (strategy_store_facts_jobs()); 0: STRATEGY_RUN_JOBS. The result is
	 * the same for any number. */
	int jobs;
};

/* One line of the counts: a segment's step on a channel. */
struct strategy_tally {
	char segment[33], variant[33], ladder[33], step[33], channel[10];
	long long messages;    /* queued, to go out on day D */
	long long assignments; /* worklist steps */
	long long placements;  /* agency steps */
	long long letters;     /* letter steps */
	long long skipped;     /* stale (the catch-up rule) or replied (unless_reply_days) */
	long long refused;     /* by the contact policy, no contact point, a template that does not fit */
	long long waiting;     /* the debtor's day D is closed: tried again at the next run */
};

/* How many a rule of the contact policy (or of the run) refused or kept
 * waiting. */
struct strategy_rule_count {
	char outcome[12]; /* "refused", "waiting", "skipped" */
	char rule[48];
	long long n;
};

/* Accounts per segment and variant, and how many changed segment. */
struct strategy_segment_count {
	char segment[33], variant[33], ladder[33];
	long long accounts, changed;
	long long running, paused, stopped, done;
};

struct strategy_result {
	int day;
	int version;           /* the strategy version it ran */
	enum strategy_run_kind kind;
	bool dry;
	bool already;          /* the run of that day was recorded already: nothing done */
	bool busy;             /* another run of that day holds it now: nothing done; look again later */
	bool unloaded;         /* no strategy was ever loaded: nothing done */
	long long run_id;      /* the ladder run's id (else the segment run's); 0 for a dry run */
	long long accounts;    /* accounts decided */
	long long changed;     /* of them, changed segment */
	struct strategy_segment_count *segments;
	int nsegments;
	struct strategy_tally *tallies;
	int ntallies;
	struct strategy_rule_count *rules;
	int nrules;
	/* The hourly send profile: messages planned per UTC hour, from
	 * first_hour (UTC seconds) on. */
	int64_t first_hour;
	long long *per_hour;
	int nhours;
	char **placement_files; /* the agencies' files written (not for a dry run) */
	int nplacement_files;
	double seconds;        /* how long the run took */
	/* Of it: the facts streamed and decided, the messages rendered, their
	 * plan (with its policy facts), the apply and the files. */
	double t_decide, t_render, t_plan, t_apply;
};

/* Runs o->kind for day o->day. False with err when it could not (the
 * database, no strategy loaded, a strategy that no longer parses); a run
 * already recorded for that day is no error: out->already. */
bool strategy_run_day(struct db *db, const struct strategy_run_opts *o, struct strategy_result *out, char *err,
                      size_t errlen);
void strategy_result_free(struct strategy_result *r);

/* The counts as JSON (what strategy_run.counts records, and `strategy
 * dry-run --format json` prints): { "day", "version", "accounts",
 * "changed", "segments": [...], "steps": [...], "rules": [...], "hourly":
 * [{"hour": "2026-11-24T13:00:00Z", "messages": N}, ...] }. malloc'd. The
 * run's own facts (run id, seconds, dry) are left out, so a dry run's and
 * the real run's texts are equal when their counts are. */
char *strategy_result_json(const struct strategy_result *r);
/* The counts as tables, for a person. */
void strategy_result_print(FILE *f, const struct strategy_result *r);

/* The agency's placement file for day (its pattern's %Y, %m, %d), under
 * base_dir when relative: the rows written as CSV (RFC 4180, CRLF, a
 * header), first to a temporary file beside it, synced, then renamed over
 * the name, so that a reader never finds half a file. rows[i] holds ncols
 * fields. False with err. */
bool strategy_placement_write(const char *path, const char *const *header, const char *const *rows, int nrows,
                              int ncols, char *err, size_t errlen);
/* pattern with day's %Y %m %d (and %%) replaced; under base_dir when
 * relative and base_dir is given. */
void strategy_placement_path(const char *pattern, int day, const char *base_dir, char *out, size_t n);

#endif
