/* Reassignment (issue 17, line 5; functions/reassign.sql): a lead or an
 * administrator picks a team's accounts by a filter, sees how many and how
 * much, chooses target agents and a mode, previews what each target gets and
 * applies it as one batch, which may be undone while none of its accounts
 * has been worked since. An agent marked absent has their accounts moved to
 * the team's pool (account.agent_id NULL) until they return.
 *
 * Core only: the `a` screen and `cobroctl reassign` call these and never see
 * SQL. The database decides who may: supervisors and collectors are refused
 * there (SQLSTATE 42501 in db->sqlstate), a lead only reaches their own team,
 * and an account leased by another person is moved only when that lease
 * ends (its move is "pending" until then). */
#ifndef COBRO_REASSIGN_H
#define COBRO_REASSIGN_H

#include <stdbool.h>

#include "db.h"

#define REASSIGN_MAX_CURRENCIES 8
#define REASSIGN_MAX_TARGETS 64

/* Which of a team's accounts. NULL or "" strings, dpd_bucket 0 and negative
 * numbers mean "no filter"; the members that are set must all hold.
 *
 * agent is a login, or "-" for the team's pool (accounts of nobody).
 * dpd_bucket is an index into worklist_buckets (worklist.h). promise is a
 * worklist_promise_states value ("pending", ..., "none"). status is an
 * account.status ("active", "dispute", ...). jurisdiction is a code as
 * worklist_query takes it ("US" takes in "US-MA"). no_contact_days N picks
 * the accounts whose last contact is older than N days, or that were never
 * contacted. team is a team's code; NULL or "": the caller's own team (an
 * administrator, who has none, must name one, or name an agent whose team
 * is then taken). Only accounts that are not paid or closed are ever
 * picked. */
struct reassign_filter {
	const char *team;
	const char *agent;
	const char *segment;
	int dpd_bucket;
	long long balance_min, balance_max;   /* minor units, inclusive; -1: none */
	const char *status;
	const char *promise;
	int no_contact_days;                  /* 0 or less: none */
	const char *jurisdiction;
	/* Days past due as a range (both inclusive; -1: open), for what the
	 * buckets do not say ("over 30": dpd_from 31). Taken when dpd_bucket
	 * is 0. */
	int dpd_from, dpd_to;
};

/* Sets every member of f to "no filter". */
void reassign_filter_init(struct reassign_filter *f);

/* Accounts and their balance in one currency. */
struct reassign_money {
	char currency[4];
	long long accounts;
	long long balance;                    /* minor units */
};

/* What a filter picks: how many accounts, and their balances per currency
 * (never added across currencies). */
struct reassign_total {
	long long accounts;
	int ncur;
	struct reassign_money cur[REASSIGN_MAX_CURRENCIES];
};

/* Counts what f picks now. False with db->err (and db->sqlstate). */
bool reassign_count(struct db *db, const struct reassign_filter *f, struct reassign_total *out);

/* How the picked accounts are shared among the targets:
 *   REASSIGN_ONE      all to one target (exactly one must be given);
 *   REASSIGN_COUNT    even by count: the counts differ by one at most;
 *   REASSIGN_BALANCE  even by balance: in each currency, largest balance
 *                     first, each account to the target with the least
 *                     balance so far (so the totals are as close as the
 *                     accounts allow). */
enum reassign_mode { REASSIGN_ONE, REASSIGN_COUNT, REASSIGN_BALANCE };

/* "one", "count", "balance" and back. parse: false on anything else. */
bool reassign_mode_parse(const char *s, enum reassign_mode *out);
const char *reassign_mode_name(enum reassign_mode m);

/* The targets: logins of active agents of the filter's team (at most
 * REASSIGN_MAX_TARGETS), or "-" for the team's pool. */
struct reassign_targets {
	const char *const *logins;
	int n;
};

/* What one target gets. pending: how many of its accounts are leased by
 * another person now and will move when that lease ends. */
struct reassign_share {
	char login[64];                       /* "-": the pool */
	char name[208];
	struct reassign_total get;
	long long pending;
};

struct reassign_preview {
	struct reassign_share *shares;        /* one per target, in the order given */
	int n;
	struct reassign_total all;            /* what the filter picked */
	long long pending;                    /* of all, leased now */
	long long unchanged;                  /* of all, already with their target */
};

/* What applying f to targets in mode m would do now, changing nothing.
 * False with db->err. */
bool reassign_preview(struct db *db, const struct reassign_filter *f, const struct reassign_targets *t,
                      enum reassign_mode m, struct reassign_preview *out);

/* Applies it, in one transaction: each account moved gets an event ("from
 * luis to ana by marta") and an audit row; the affected workstations hear
 * it. *batch: the batch's id (0 when nothing was to move); out (may be
 * NULL) what was done, as the preview says it. False with db->err. */
bool reassign_apply(struct db *db, const struct reassign_filter *f, const struct reassign_targets *t,
                    enum reassign_mode m, long long *batch, struct reassign_preview *out);

void reassign_preview_free(struct reassign_preview *p);

/* Why an undo did not happen, beside db->err. */
struct reassign_undo_result {
	long long batch;                      /* the batch undone (or refused) */
	long long restored;                   /* accounts moved back */
	long long worked;                     /* when refused: accounts worked since */
};

/* Undoes batch (0: the caller's last batch not undone yet): every account
 * goes back to whom it came from, each with an event and an audit row;
 * pending moves of the batch are dropped. Refused (false, db->err naming
 * how many, SQLSTATE 55000) when a collector has worked any of its accounts
 * since the batch (any event by a collector on it; out->worked says how
 * many), when an account changed hands again since, when one is open on a
 * workstation now, or when the batch was undone already. */
bool reassign_undo(struct db *db, long long batch, struct reassign_undo_result *out);

/* A batch, for listing. */
struct reassign_batch {
	long long id;
	char at[17];                          /* "YYYY-MM-DD HH:MM", the session's zone */
	char by[64];                          /* who applied it */
	char team[33];
	char kind[12];                        /* "reassign", "absent", "return" */
	long long moved, pending;
	bool undone;
};

/* The team's batches (team as in the filter), newest first, at most limit.
 * *out malloc'd. False with db->err. */
bool reassign_batches(struct db *db, const char *team, int limit, struct reassign_batch **out, int *n);

/* An agent a lead may choose as a target. */
struct reassign_agent {
	char login[64];
	char name[208];
	char role[16];                        /* collector, supervisor, lead */
	long long accounts;                   /* assigned to them now (open) */
	char absent_until[11];                /* "YYYY-MM-DD" when marked absent, else "" */
};

/* The active agents of team (as in the filter) by login. *out malloc'd.
 * False with db->err (42501 for a collector or a supervisor). */
bool reassign_agents(struct db *db, const char *team, struct reassign_agent **out, int *n);

/* Marks login absent until the date ("YYYY-MM-DD", the team's return day):
 * their open accounts go to the team's pool as one batch (kind "absent"),
 * each with an event and an audit row; leased ones when the lease ends.
 * *moved: how many. */
bool reassign_absent(struct db *db, const char *login, const char *until, long long *batch, long long *moved);

/* The agent is back (cobroctl agent present, or cobrod once the date has
 * passed): the accounts of their absence still in the pool and untouched
 * since (no collector's event on them) go back to them. *returned and *kept
 * (left in the pool, or moved by a lead meanwhile). */
bool reassign_present(struct db *db, const char *login, long long *returned, long long *kept);

/* cobrod's part: ends the absences whose date has passed (as
 * reassign_present()) and applies the pending moves whose lease has ended
 * (expired, not released). *n: how many accounts moved. */
bool reassign_sweep(struct db *db, int *n);

#endif
