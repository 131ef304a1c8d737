#include "approval.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define COPY(dst, r, i, col) snprintf((dst), sizeof(dst), "%s", PQgetvalue((r), (i), (col)))

/* The reasons come as a PostgreSQL array, "{horizon,min_share}": the
 * codes are plain words, never quoted. */
static void codes_from_array(char *dst, size_t n, const char *arr)
{
	size_t len = strlen(arr);

	if (len >= 2 && arr[0] == '{' && arr[len - 1] == '}')
		snprintf(dst, n, "%.*s", (int)(len - 2), arr + 1);
	else
		snprintf(dst, n, "%s", arr);
}

bool approval_list(struct db *db, struct approvals *out)
{
	PGresult *r;
	int n;

	memset(out, 0, sizeof *out);
	r = db_exec(db,
	            "SELECT promise_id, account_id, reference, debtor, coalesce(agent_login, ''), amount, currency, "
	            "       to_char(first_due, 'YYYY-MM-DD'), installments, frequency, coalesce(discount, 0), "
	            "       coalesce(reasons, '{}'), to_char(created_at, 'YYYY-MM-DD HH24:MI') "
	            "FROM cobro.promise_awaiting() ORDER BY created_at, promise_id",
	            0, NULL);
	if (!r)
		return false;
	n = PQntuples(r);
	out->rows = xcalloc((size_t)n + 1, sizeof *out->rows);
	for (int i = 0; i < n; i++) {
		struct approval_row *a = &out->rows[i];

		a->promise_id = atoll(PQgetvalue(r, i, 0));
		a->account_id = atoll(PQgetvalue(r, i, 1));
		COPY(a->reference, r, i, 2);
		COPY(a->debtor, r, i, 3);
		COPY(a->agent, r, i, 4);
		a->amount = atoll(PQgetvalue(r, i, 5));
		COPY(a->currency, r, i, 6);
		COPY(a->first_due, r, i, 7);
		a->installments = atoi(PQgetvalue(r, i, 8));
		COPY(a->frequency, r, i, 9);
		a->discount = atoll(PQgetvalue(r, i, 10));
		codes_from_array(a->reasons, sizeof a->reasons, PQgetvalue(r, i, 11));
		COPY(a->created_at, r, i, 12);
	}
	out->count = n;
	PQclear(r);
	return true;
}

void approvals_free(struct approvals *a)
{
	free(a->rows);
	memset(a, 0, sizeof *a);
}

bool approval_approve(struct db *db, long long promise_id)
{
	char id[24];
	const char *p[1] = { id };

	snprintf(id, sizeof id, "%lld", promise_id);
	return db_run(db, "SELECT cobro.promise_approve($1)", 1, p);
}

bool approval_reject(struct db *db, long long promise_id, const char *reason)
{
	char id[24];
	const char *p[2] = { id, reason };

	snprintf(id, sizeof id, "%lld", promise_id);
	return db_run(db, "SELECT cobro.promise_reject($1, $2)", 2, p);
}

bool decisions_read(struct db *db, struct news_watch *w, struct promise_decision **out, int *n)
{
	const char *p[1] = { w->since };
	PGresult *r;
	int rows;
	bool failed;

	*out = NULL;
	*n = 0;
	if (news_watch_begin(db, w, &failed) || failed)
		return !failed;
	r = db_exec(db,
	            "SELECT promise_id, account_id, reference, approved, decided_by, reason "
	            "FROM cobro.promise_decisions($1::timestamptz)",
	            1, p);
	if (!r)
		return false;
	rows = PQntuples(r);
	*out = xcalloc((size_t)rows + 1, sizeof **out);
	for (int i = 0; i < rows; i++) {
		struct promise_decision *d = &(*out)[*n];

		d->promise_id = atoll(PQgetvalue(r, i, 0));
		if (news_told(w, d->promise_id))
			continue;
		d->account_id = atoll(PQgetvalue(r, i, 1));
		COPY(d->reference, r, i, 2);
		d->approved = PQgetvalue(r, i, 3)[0] == 't';
		COPY(d->decided_by, r, i, 4);
		COPY(d->reason, r, i, 5);
		news_tell(w, d->promise_id);
		(*n)++;
	}
	PQclear(r);
	return true;
}
