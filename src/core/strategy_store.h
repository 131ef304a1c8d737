/* Strategies in the database (issue 18; the SQL is functions/strategy.sql):
 * versions loaded and read, the facts of every account for a day streamed
 * into struct strategy_facts, and a day's decisions COPYed in and applied
 * in one transaction. The SQL lives here; strategy.c and strategy_decide.c
 * stay pure.
 *
 * Each function that writes runs in a transaction of its own, or, when the
 * caller has one open, in a savepoint of it: a dry run (or a test) may do
 * all a run does, the apply's counts included, and roll it back. */
#ifndef COBRO_STRATEGY_STORE_H
#define COBRO_STRATEGY_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "strategy.h"
#include "strategy_decide.h"
#include "util.h"

/* One version of etc/strategy.conf as stored. */
struct stored_strategy {
	int version; /* 0: none was ever loaded */
	char *file;
	char *text;
	char *digest; /* SHA-256 of text, hex */
	char *diff;   /* against the version in force before it; "" for the first */
	char loaded_at[32];
	char loaded_by[64];
};
void stored_strategy_free(struct stored_strategy *s);

/* The version in force (the newest); version 0 when none was loaded. */
bool strategy_store_in_force(struct db *db, struct stored_strategy *out, char *err, size_t errlen);
/* Version n; false with "no strategy version N" when there is none. */
bool strategy_store_version(struct db *db, int version, struct stored_strategy *out, char *err, size_t errlen);

/* Stores text, read from file and checked by the caller (strategy_parse),
 * as the new version in force, with the line diff (diff.c) against the
 * version in force before it; *diff (when diff is not NULL) gets it,
 * malloc'd. Audited by the database; administrators only. Returns the new
 * version, or -1 with err (nothing stored; the version in force stays). */
int strategy_store_load(struct db *db, const char *file, const char *text, char **diff, char *err, size_t errlen);

/* The templates the database has (code and channel), for strategy_parse. */
bool strategy_store_templates(struct db *db, struct strategy_templates *out, char *err, size_t errlen);

/* Whether removing the templates of code (channel, language: NULL for
 * any) would leave a step of the strategy in force (or its cleaning flow)
 * with no template of that code for its channel: *line gets the line of
 * the first such step, 0 when none; *file the name the version was loaded
 * from (malloc'd, or NULL); channel_out the channel. A version in force
 * that does not parse names none. */
bool strategy_store_template_in_use(struct db *db, const char *code, const char *channel, const char *language,
                                    int *line, char **file, char *channel_out, size_t channel_len, char *err,
                                    size_t errlen);

/* One account as strategy_facts() gives it: the facts strategy_decide()
 * reads, and what the runner needs besides to write its decisions. Every
 * pointer is valid only during the callback. */
struct strategy_account {
	struct strategy_facts f;
	/* The contact point each channel may use now (not bad, not opted out
	 * of the channel), indexed by enum strategy_channel: sms, email,
	 * whatsapp and letter (an address); 0 when none. */
	int64_t point[STRATEGY_CHANNELS];
	const char *team;  /* the team's code */
	const char *agent; /* the agent's login; NULL: the team's pool */
	/* account_strategy as it stands (f.segment, f.ladder, f.variant too). */
	int cur_version; /* 0: no row yet */
	const char *cur_state, *cur_reason, *cur_last_step, *cur_next_step;
	int cur_next_step_on; /* STRATEGY_NO_DAY: none */
};

/* Called for each account; returning false stops the stream (the rest is
 * read and dropped) and makes strategy_store_facts() return false. */
typedef bool (*strategy_account_fn)(const struct strategy_account *a, void *arg);

/* Streams the facts of every account the strategy looks at on day (a day
 * number) through COPY TO STDOUT, one callback per account: one row in
 * memory at a time. *n (when not NULL) gets how many. It is one statement
 * (one snapshot); its COPY
 * holds the connection until the last row, so a runner that stages its
 * decisions as it reads uses a second connection for the stage. */
bool strategy_store_facts(struct db *db, int day, strategy_account_fn fn, void *arg, long long *n, char *err,
                          size_t errlen);
/* The same over jobs connections at once (db's and jobs - 1 more opened
 * like it, at most STRATEGY_FACTS_JOBS_MAX), each streaming a share of the
 * accounts (strategy_facts(day, from, to): jobs ranges of ids), all in the
 * snapshot of db's transaction (pg_export_snapshot()): the same accounts
 * and facts as one connection reads, in another order. fn is called in
 * this thread, one account at a time. Inside a transaction of the caller's, one connection
 * (the others would not see what it wrote). */
#define STRATEGY_FACTS_JOBS_MAX 16
bool strategy_store_facts_jobs(struct db *db, int day, int jobs, strategy_account_fn fn, void *arg, long long *n,
                               char *err, size_t errlen);

/* A day's decisions on their way in: strategy_stage_begin() opens a
 * transaction and a COPY into the staging table (strategy_stage()),
 * each row is added, strategy_stage_apply() applies them all in that one
 * transaction and commits; strategy_stage_abort() rolls back. */
struct strategy_stage {
	struct db *db;
	struct buf b;
	long long rows;
	bool open;
	bool nested; /* in a savepoint of the caller's transaction */
};

/* Where an account stands after the run. */
struct strategy_segment_row {
	int64_t account_id;
	const char *segment;
	const char *ladder;  /* NULL: the segment runs no ladder */
	const char *variant; /* NULL: the segment does not split */
	const char *state;   /* "running", "paused", "stopped", "done" */
	const char *state_reason;
	const char *last_step, *next_step;
	int next_step_on; /* STRATEGY_NO_DAY: none */
};

/* One step decided for an account. outcome: "send" (a message on sms,
 * email or whatsapp, or a letter), "assign" (worklist), "place" (agency),
 * "skip" or "refuse" (with reason). */
struct strategy_action_row {
	int64_t account_id;
	const char *ladder, *step;
	int anchor;
	const char *outcome;
	const char *reason;
	const char *channel;       /* strategy_channel_name() */
	const char *template_code; /* message and letter steps */
	int64_t point_id;          /* the contact point: 0 none */
	int64_t scheduled_at;      /* when it goes out (seconds since 1970); 0: at once */
	const char *subject;       /* email */
	const char *body;          /* as rendered */
	const char *params;        /* WhatsApp: the placeholders' values, a JSON array; NULL none */
	int segments;              /* SMS: 0 unknown */
	const char *encoding;      /* SMS: "gsm7" or "ucs2" */
	const char *assign;        /* "pool", "agent:LOGIN", "least_loaded" */
	const char *agency, *agency_file;
	const char *segment, *variant; /* the message's strategy names */
};

bool strategy_stage_begin(struct strategy_stage *s, struct db *db, char *err, size_t errlen);
bool strategy_stage_segment(struct strategy_stage *s, const struct strategy_segment_row *r, char *err,
                            size_t errlen);
bool strategy_stage_action(struct strategy_stage *s, const struct strategy_action_row *r, char *err,
                           size_t errlen);
/* Applies what was staged as run kind ("segment" or "ladder") of day with
 * version, by worker, and commits. *counts (malloc'd JSON, when counts is
 * not NULL): what the run did; {"already": true, ...} when that run of the
 * day was done already (by another cobrod, or before a restart): nothing
 * was changed then. On failure everything is rolled back. */
bool strategy_stage_apply(struct strategy_stage *s, const char *kind, int day, int version, const char *worker,
                          char **counts, char *err, size_t errlen);
void strategy_stage_abort(struct strategy_stage *s);

#endif
