#include "worklist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Accounts that are not worked (dispute, legal hold, cease, closed; debtors in
 * a do-not-contact state) are left out. Order: DESIGN.md section 6 and
 * docs/priority.md: a callback due now, then a promise broken or due today,
 * then expected value, balance x p(pay) - contact cost, where p(pay) is the
 * score decayed by days past due. Weights come from cobro.conf ($3..$6). */
static const char worklist_sql[] =
	"SELECT a.id, d.name, a.reference, greatest(0, current_date - a.oldest_due), "
	"       a.balance, a.currency, coalesce(p.status, ''), "
	"       coalesce(to_char(a.last_contact_at, 'YYYY-MM-DD HH24:MI'), ''), a.segment, "
	"       d.jurisdiction, count(*) OVER () "
	"FROM cobro.account a "
	"JOIN cobro.debtor d ON d.id = a.debtor_id "
	"LEFT JOIN LATERAL (SELECT status, due_date FROM cobro.promise "
	"                   WHERE account_id = a.id ORDER BY created_at DESC LIMIT 1) p ON true "
	"WHERE a.agent_id = cobro.my_agent_id() AND a.status = 'active' AND d.state = 'active' "
	"ORDER BY CASE WHEN a.next_action_at <= now() THEN $3::float8 ELSE 0 END "
	"       + CASE WHEN p.status = 'broken' OR (p.status = 'pending' AND p.due_date <= current_date) "
	"              THEN $4::float8 ELSE 0 END "
	"       + a.balance * (a.score / 1000.0) "
	"         * greatest(0.0, 1.0 - $6::float8 * greatest(0, current_date - a.oldest_due) / 30.0) "
	"       - $5::float8 DESC, a.id "
	"OFFSET $1 LIMIT $2";

#define COPY_FIELD(dst, r, i, col) snprintf((dst), sizeof(dst), "%s", PQgetvalue((r), (i), (col)))

bool worklist_fetch(struct db *db, const struct priority_weights *w, int offset, int limit,
                    struct worklist *out)
{
	char off[16], lim[16], cb[32], pb[32], cost[32], decay[32];
	const char *p[6] = { off, lim, cb, pb, cost, decay };
	PGresult *r;

	memset(out, 0, sizeof *out);
	snprintf(off, sizeof off, "%d", offset);
	snprintf(lim, sizeof lim, "%d", limit);
	snprintf(cb, sizeof cb, "%.17g", w->callback_due);
	snprintf(pb, sizeof pb, "%.17g", w->promise_broken);
	snprintf(cost, sizeof cost, "%.17g", w->contact_cost);
	snprintf(decay, sizeof decay, "%.17g", w->dpd_decay);
	if (!(r = db_exec(db, worklist_sql, 6, p)))
		return false;
	out->count = PQntuples(r);
	out->rows = xcalloc((size_t)out->count, sizeof *out->rows);
	for (int i = 0; i < out->count; i++) {
		struct worklist_row *row = &out->rows[i];

		row->account_id = atoll(PQgetvalue(r, i, 0));
		COPY_FIELD(row->debtor, r, i, 1);
		COPY_FIELD(row->reference, r, i, 2);
		row->dpd = atoi(PQgetvalue(r, i, 3));
		row->balance = atoll(PQgetvalue(r, i, 4));
		COPY_FIELD(row->currency, r, i, 5);
		COPY_FIELD(row->promise, r, i, 6);
		COPY_FIELD(row->last_contact, r, i, 7);
		COPY_FIELD(row->segment, r, i, 8);
		COPY_FIELD(row->jurisdiction, r, i, 9);
		out->total = atoll(PQgetvalue(r, i, 10));
	}
	PQclear(r);
	return true;
}

void worklist_free(struct worklist *w)
{
	free(w->rows);
	memset(w, 0, sizeof *w);
}
