/* The demo portfolio's generator: a pure function of (seed, anchor, people)
 * that writes COPY text, one table at a time.
 *
 * Each debtor is drawn from its own random stream (seed, debtor number), so a
 * table can be written in a pass of its own and still agree with the others:
 * the accounts pass and the events pass draw the same debtor. That lets one
 * connection COPY table after table without holding the portfolio in memory. */
#ifndef COBRO_DEMO_GEN_H
#define COBRO_DEMO_GEN_H

#include <stdbool.h>
#include <stdint.h>

#include "util.h"

enum demo_table {
	DEMO_DEBTOR,
	DEMO_CONTACT_POINT,
	DEMO_ACCOUNT,
	DEMO_INSTALLMENT,
	DEMO_PAYMENT,
	DEMO_PROMISE,
	DEMO_PROMISE_INSTALLMENT,
	DEMO_EVENT,
	DEMO_NTABLES
};

/* Table names (without schema) and their COPY column lists, in load order:
 * every table comes after the ones it references. */
extern const char *const demo_table_name[DEMO_NTABLES];
extern const char *const demo_table_columns[DEMO_NTABLES];

/* Everything the generator needs from the database: the people's ids. */
struct demo_plan {
	uint64_t seed;
	long accounts;
	int64_t anchor;             /* 00:00 UTC of the anchor day, seconds since 1970 */
	int nteams;
	int64_t *team_id;
	int ncollectors;
	int64_t *collector_id;      /* agent ids; the first ones are ana, luis, carla, diego */
	int *collector_team;        /* index into team_id */
	int64_t *creditor_id;       /* in demo_creditors order */
};

/* How many collectors and teams a portfolio of n accounts gets: one collector
 * per 2,000 accounts, at least four; about 25 collectors a team. */
int demo_plan_collectors(long accounts);
int demo_plan_teams(int collectors);
/* The team (index) of collector k. */
int demo_plan_collector_team(int k, int nteams);

struct demo_gen;

struct demo_gen *demo_gen_new(const struct demo_plan *plan);
void demo_gen_free(struct demo_gen *g);

/* Starts again from the first debtor. Event ids keep counting, so passes over
 * different time ranges of the event table never reuse an id. */
void demo_gen_rewind(struct demo_gen *g);

/* Appends the next debtor's rows of table t to out; for DEMO_EVENT only the
 * events with from <= at < to. Adds the debtor's row counts of every table to
 * counts when it is not NULL. Returns the rows written, or -1 when every
 * account has been written. */
long demo_gen_next(struct demo_gen *g, enum demo_table t, int64_t from, int64_t to,
                   struct buf *out, long counts[DEMO_NTABLES]);

/* The last ids handed out, for the identity sequences. */
void demo_gen_last_ids(const struct demo_gen *g, int64_t last[DEMO_NTABLES]);

/* Days since 1970-01-01 of a civil date, and back (proleptic Gregorian). */
int64_t demo_days_from_civil(int y, int m, int d);
void demo_civil_from_days(int64_t days, int *y, int *m, int *d);

#endif
