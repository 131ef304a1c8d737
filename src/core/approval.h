/* Promises outside the team's limits wait for a supervisor or a lead: the
 * list of those awaiting (cobro.promise_awaiting()), approving and
 * rejecting them (cobro.promise_approve(), promise_reject()), and the
 * decisions on the logged-in person's own promises, so that the collector
 * hears them (cobro.promise_decisions()). Core only: the screens never see
 * SQL; the database decides who may (docs/security.md). */
#ifndef COBRO_APPROVAL_H
#define COBRO_APPROVAL_H

#include <stdbool.h>
#include <stddef.h>

#include "db.h"
#include "news.h"

struct approval_row {
	long long promise_id, account_id;
	char reference[41];
	char debtor[201];
	char agent[64];           /* the login of who made the promise */
	long long amount, discount; /* minor units of currency */
	char currency[4];
	char first_due[11];       /* "YYYY-MM-DD" */
	int installments;
	char frequency[12];       /* once, weekly, biweekly, monthly */
	char reasons[128];        /* the limits it breaks, codes: "horizon,min_share" */
	char created_at[17];      /* "YYYY-MM-DD HH:MM" in the session's zone */
};

struct approvals {
	struct approval_row *rows;
	int count;
};

/* The promises awaiting approval that the person may decide, oldest first.
 * A collector gets none. False with db->err set. */
bool approval_list(struct db *db, struct approvals *out);
void approvals_free(struct approvals *a);

/* Approves the promise, or rejects it with a reason (required). False with
 * db->err set: not awaiting any more (someone decided first), or not the
 * person's to decide. */
bool approval_approve(struct db *db, long long promise_id);
bool approval_reject(struct db *db, long long promise_id, const char *reason);

/* A decision on one of the person's own promises. */
struct promise_decision {
	long long promise_id, account_id;
	char reference[41];
	bool approved;            /* else rejected */
	char decided_by[64];      /* login */
	char reason[256];         /* a rejection's */
};

/* Hands out in *out (malloc'd, *n of them) the decisions on the person's
 * own promises not told yet since the watch began (news.h; the watch's ids
 * are promise ids). False with db->err set. */
bool decisions_read(struct db *db, struct news_watch *w, struct promise_decision **out, int *n);

#endif
