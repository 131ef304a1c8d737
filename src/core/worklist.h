/* The collector's worklist: their accounts in working order, narrowed by a
 * search and filters. Core only: the screen calls these and never sees SQL. */
#ifndef COBRO_WORKLIST_H
#define COBRO_WORKLIST_H

#include <stdbool.h>

#include "config.h"
#include "db.h"

struct worklist_row {
	long long account_id;
	char debtor[201];
	char reference[41];
	int dpd;                   /* days past due; 0 when current */
	long long balance;         /* minor units */
	char currency[4];
	/* The promise's state as shown: pending, due_today (pending, its next
	 * installment due on the debtor's today), kept, broken, cancelled,
	 * awaiting_approval, rejected, or "" */
	char promise[20];
	char last_contact[17];     /* "YYYY-MM-DD HH:MM" in the collector's zone, or "" */
	char segment[33];
	char jurisdiction[6];
};

struct worklist {
	struct worklist_row *rows;
	int count;
	long long total;           /* the person's workable accounts matching the query */
};

/* Days-past-due buckets for the filter, "any" first (index 0). to is -1 for
 * the open-ended last bucket. Labels are English, marked N_() for gettext:
 * the screen shows _(label). */
extern const struct worklist_bucket {
	const char *label;
	int from, to;
} worklist_buckets[];
extern const int worklist_nbuckets;

/* Promise states the filter takes, as in worklist_row.promise, and "none"
 * for accounts that never had a promise. Labels as for the buckets. */
extern const struct worklist_promise_state {
	const char *value;
	const char *label;
} worklist_promise_states[];
extern const int worklist_npromise_states;

/* What the person asked for. NULL or "" members, and dpd_bucket 0, mean no
 * filter; the members that are set must all hold.
 *
 * search matches an account when any of these does:
 *   - every word of it is in the debtor's name, accents and case ignored
 *     ("nunez" finds "Núñez", "ana pena" finds "Ana María Peña");
 *   - the account reference starts with it, case ignored;
 *   - it is the debtor's national id, ignoring case, dots, dashes and spaces;
 *   - it is one of the debtor's phone numbers in any format a person writes
 *     one (national or international, of any country cobro supports), or,
 *     given 7 digits or more, the end of one ("5550147").
 * % and _ are plain characters, not wildcards.
 *
 * promise is a worklist_promise_states value. jurisdiction is a code as in
 * worklist_row.jurisdiction; a country code ("US") also takes in its
 * subdivisions ("US-MA"). */
struct worklist_query {
	const char *search;
	int dpd_bucket;            /* index into worklist_buckets */
	const char *segment;
	const char *promise;
	const char *jurisdiction;
};

/* Fetches up to limit rows from offset of the logged-in person's own
 * accounts that match q (NULL: all of them), in priority order under the
 * weights w. On failure returns false with db->err set; out is then empty. */
bool worklist_fetch_query(struct db *db, const struct priority_weights *w, const struct worklist_query *q,
                          int offset, int limit, struct worklist *out);

void worklist_free(struct worklist *w);

/* An account of the worklist and its debtor. */
struct worklist_member {
	long long account_id, debtor_id;
};

/* Every account of the logged-in person's worklist, no search or filter, by
 * account id: what the workstation asks the contact policy about, so that
 * what it counts as "may be called now" is the whole worklist's, whatever
 * rows it has loaded. *out is malloc'd (free it); false with db->err set on
 * failure. */
bool worklist_members(struct db *db, struct worklist_member **out, int *n);

/* The debtors of the accounts ids (those the person may read), sorted, in
 * *out (malloc'd): a change announced on an account may turn the answer to
 * "may we call?" of every account of its debtor (a contact counts for the
 * debtor). False with db->err set on failure. */
bool worklist_debtors_of(struct db *db, const long long *ids, int n, long long **out, int *nout);

/* How long, in seconds from now, the person's worklist keeps its order by
 * the clock alone: until the first of their next actions (callbacks) falls
 * due, or the database's midnight (days past due, promises due today). Any
 * other change to it is announced (NOTIFY_ACCOUNT, notify.h). */
bool worklist_steady_for(struct db *db, double *seconds);

/* Why an account ranks where it does: the terms of docs/priority.md. When
 * the account is not in the person's worklist (not theirs, or not workable),
 * ranked is false. */
struct priority_terms {
	bool ranked;
	double callback, promise;  /* the bonuses that apply (0 when they do not) */
	double ppay;               /* p(pay) after the days-past-due decay */
	long long balance;         /* minor units */
	char currency[4];
	double contact_cost;
	double total;
	long long rank, of;        /* its place in the worklist, 1 is first */
};

bool worklist_explain(struct db *db, const struct priority_weights *w, long long account_id,
                      struct priority_terms *out);

#endif
