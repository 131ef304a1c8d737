/* The dashboard's drill-down (issue 17, line 3): one agent's worklist and
 * recent events as their supervisor reads them (cobro.agent_worklist(),
 * cobro.agent_events()); and the days a dashboard's range names, as the
 * database's clock and time zone say them. Core only: the screens never see
 * SQL; the database decides who may read whom (docs/security.md). */
#ifndef COBRO_DRILL_H
#define COBRO_DRILL_H

#include <stdbool.h>

#include "db.h"

struct drill_account {
	long long account_id;
	char debtor[201];
	char reference[41];
	int dpd;
	long long balance;        /* minor units */
	char currency[4];
	char promise[20];         /* as worklist_row.promise */
	char last_contact[17];    /* "YYYY-MM-DD HH:MM", or "" */
};

struct drill_event {
	long long account_id;     /* 0: none */
	char at[17];              /* "YYYY-MM-DD HH:MM" in the session's zone */
	char reference[41];
	char kind[16];
	char direction[4];
	char outcome[32];
	long long amount;         /* minor units; 0 when none */
	bool has_amount;
	char currency[4];
};

struct drill {
	struct drill_account *accounts;
	int naccounts;
	long long workable;       /* all the agent's workable accounts, beyond the limit too */
	struct drill_event *events;
	int nevents;
};

/* Up to limit of agent's workable accounts (rank order) and up to limit of
 * their newest events. False with db->err (42501 when the caller may not
 * read that agent); *out is then empty. */
bool drill_read(struct db *db, long long agent, int limit, struct drill *out);
void drill_free(struct drill *d);

/* The days of a dashboard's range, "YYYY-MM-DD", in the session's zone:
 * from and to (both included), and after, the day after to (the hourly
 * series reads [from, after)). */
struct drill_days {
	char from[11], to[11], after[11];
	long long start, end;     /* from's midnight and after's, seconds since the epoch */
};

enum drill_period { DRILL_TODAY, DRILL_YESTERDAY, DRILL_WEEK };

/* The days of a period by the database's clock ("this week": Monday to
 * today). False with db->err. */
bool drill_period_days(struct db *db, enum drill_period p, struct drill_days *out);
/* The days from .. to as typed ("YYYY-MM-DD"), checked by the database:
 * false with db->err when either is not a date, or with db->err empty when
 * to is before from. */
bool drill_range_days(struct db *db, const char *from, const char *to, struct drill_days *out);

#endif
