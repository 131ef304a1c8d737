/* One agent's worklist and recent events for their supervisor, and the days
 * of a dashboard's range (drill.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drill.h"
#include "util.h"

static void copy(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s);
}

bool drill_read(struct db *db, long long agent, int limit, struct drill *out)
{
	char id[24], lim[16];
	const char *p[2] = { id, lim };
	PGresult *r;

	memset(out, 0, sizeof *out);
	snprintf(id, sizeof id, "%lld", agent);
	snprintf(lim, sizeof lim, "%d", limit);
	r = db_exec(db,
	            "SELECT id, debtor, reference, dpd, balance, currency, coalesce(promise, ''), last_contact, total "
	            "FROM cobro.agent_worklist($1, $2)",
	            2, p);
	if (!r)
		return false;
	out->accounts = xcalloc(PQntuples(r) + 1, sizeof *out->accounts);
	for (int i = 0; i < PQntuples(r); i++) {
		struct drill_account *a = &out->accounts[i];

		a->account_id = strtoll(PQgetvalue(r, i, 0), NULL, 10);
		copy(a->debtor, sizeof a->debtor, PQgetvalue(r, i, 1));
		copy(a->reference, sizeof a->reference, PQgetvalue(r, i, 2));
		a->dpd = atoi(PQgetvalue(r, i, 3));
		a->balance = strtoll(PQgetvalue(r, i, 4), NULL, 10);
		copy(a->currency, sizeof a->currency, PQgetvalue(r, i, 5));
		copy(a->promise, sizeof a->promise, PQgetvalue(r, i, 6));
		copy(a->last_contact, sizeof a->last_contact, PQgetvalue(r, i, 7));
	}
	out->naccounts = PQntuples(r);
	out->workable = out->naccounts > 0 ? strtoll(PQgetvalue(r, 0, 8), NULL, 10) : 0;
	PQclear(r);
	r = db_exec(db,
	            "SELECT at, coalesce(account_id, 0), reference, kind, direction, outcome, amount, currency "
	            "FROM cobro.agent_events($1, $2)",
	            2, p);
	if (!r) {
		drill_free(out);
		return false;
	}
	out->events = xcalloc(PQntuples(r) + 1, sizeof *out->events);
	for (int i = 0; i < PQntuples(r); i++) {
		struct drill_event *e = &out->events[i];

		copy(e->at, sizeof e->at, PQgetvalue(r, i, 0));
		e->account_id = strtoll(PQgetvalue(r, i, 1), NULL, 10);
		copy(e->reference, sizeof e->reference, PQgetvalue(r, i, 2));
		copy(e->kind, sizeof e->kind, PQgetvalue(r, i, 3));
		copy(e->direction, sizeof e->direction, PQgetvalue(r, i, 4));
		copy(e->outcome, sizeof e->outcome, PQgetvalue(r, i, 5));
		e->has_amount = !PQgetisnull(r, i, 6);
		e->amount = e->has_amount ? strtoll(PQgetvalue(r, i, 6), NULL, 10) : 0;
		copy(e->currency, sizeof e->currency, PQgetvalue(r, i, 7));
	}
	out->nevents = PQntuples(r);
	PQclear(r);
	return true;
}

void drill_free(struct drill *d)
{
	free(d->accounts);
	free(d->events);
	memset(d, 0, sizeof *d);
}

static bool days(struct db *db, const char *sql, int n, const char *const *p, struct drill_days *out)
{
	PGresult *r = db_exec(db, sql, n, p);

	memset(out, 0, sizeof *out);
	if (!r)
		return false;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return true;
	}
	copy(out->from, sizeof out->from, PQgetvalue(r, 0, 0));
	copy(out->to, sizeof out->to, PQgetvalue(r, 0, 1));
	copy(out->after, sizeof out->after, PQgetvalue(r, 0, 2));
	out->start = strtoll(PQgetvalue(r, 0, 3), NULL, 10);
	out->end = strtoll(PQgetvalue(r, 0, 4), NULL, 10);
	PQclear(r);
	return true;
}

bool drill_period_days(struct db *db, enum drill_period p, struct drill_days *out)
{
	/* Days as the session's zone counts them, by the server's clock: the
	 * same days `cobroctl report agents --from --to` reads. */
	static const char *const from[] = {
		[DRILL_TODAY] = "current_date",
		[DRILL_YESTERDAY] = "current_date - 1",
		[DRILL_WEEK] = "date_trunc('week', current_date)::date",
	};
	static const char *const to[] = {
		[DRILL_TODAY] = "current_date",
		[DRILL_YESTERDAY] = "current_date - 1",
		[DRILL_WEEK] = "current_date",
	};
	char sql[512];

	snprintf(sql, sizeof sql,
	         "SELECT f::text, t::text, (t + 1)::text, extract(epoch FROM f::timestamptz)::bigint, "
	         "extract(epoch FROM (t + 1)::timestamptz)::bigint FROM (SELECT %s AS f, %s AS t) d",
	         from[p], to[p]);
	return days(db, sql, 0, NULL, out);
}

bool drill_range_days(struct db *db, const char *from, const char *to, struct drill_days *out)
{
	const char *p[2] = { from, to };

	if (!days(db,
	          "SELECT $1::date::text, $2::date::text, ($2::date + 1)::text, "
	          "extract(epoch FROM $1::date::timestamptz)::bigint, "
	          "extract(epoch FROM ($2::date + 1)::timestamptz)::bigint WHERE $2::date >= $1::date",
	          2, p,
	          out))
		return false;
	if (!out->from[0]) {
		db->err[0] = '\0'; /* no error of the database's: the screen says why */
		return false;
	}
	return true;
}
