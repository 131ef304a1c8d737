/* The collector's worklist: their accounts in working order. Core only: the
 * screen calls these and never sees SQL. */
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
	char promise[12];          /* pending, kept, broken, cancelled or "" */
	char last_contact[17];     /* "YYYY-MM-DD HH:MM" in the collector's zone, or "" */
	char segment[33];
	char jurisdiction[6];
};

struct worklist {
	struct worklist_row *rows;
	int count;
	long long total;           /* all the person's workable accounts */
};

/* Fetches up to limit rows from offset for the logged-in person, in priority
 * order under the weights w: row-level security decides whose accounts these are. */
bool worklist_fetch(struct db *db, const struct priority_weights *w, int offset, int limit,
                    struct worklist *out);
void worklist_free(struct worklist *w);

#endif
