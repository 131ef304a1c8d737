#include "priority.h"

#include <stdio.h>
#include <stdlib.h>

bool priority_refresh_step(struct db *db, int batch, long long *cursor, bool *done)
{
	char after[24], limit[16];
	const char *p[2] = { after, limit };
	PGresult *r;

	snprintf(after, sizeof after, "%lld", *cursor);
	snprintf(limit, sizeof limit, "%d", batch);
	if (!(r = db_exec(db, "SELECT cobro.priority_refresh($1::bigint, $2::integer)", 2, p)))
		return false;
	*done = PQgetisnull(r, 0, 0);
	if (!*done)
		*cursor = atoll(PQgetvalue(r, 0, 0));
	PQclear(r);
	return true;
}

bool priority_stale_any(struct db *db, bool *any)
{
	PGresult *r = db_exec(db,
	                      "SELECT EXISTS (SELECT 1 FROM cobro.account WHERE rank_day IS DISTINCT FROM current_date)",
	                      0, NULL);

	if (!r)
		return false;
	*any = PQgetvalue(r, 0, 0)[0] == 't';
	PQclear(r);
	return true;
}

bool priority_refresh_all(struct db *db, long long *last_id)
{
	bool done = false;

	*last_id = 0;
	while (!done)
		if (!priority_refresh_step(db, PRIORITY_REFRESH_BATCH, last_id, &done))
			return false;
	return true;
}

bool priority_show(struct db *db, double *decay, long long *stale, char *updated, size_t n)
{
	PGresult *r = db_exec(db,
	                      "SELECT s.dpd_decay, to_char(s.updated_at, 'YYYY-MM-DD HH24:MI') || ' ' || s.updated_by, "
	                      "       (SELECT count(*) FROM cobro.account WHERE rank_day IS DISTINCT FROM current_date) "
	                      "FROM cobro.priority_setting s",
	                      0, NULL);

	if (!r)
		return false;
	*decay = atof(PQgetvalue(r, 0, 0));
	snprintf(updated, n, "%s", PQgetvalue(r, 0, 1));
	*stale = atoll(PQgetvalue(r, 0, 2));
	PQclear(r);
	return true;
}

bool priority_set_decay(struct db *db, double decay, long long *accounts)
{
	char v[32];
	const char *p[1] = { v };
	PGresult *r;

	snprintf(v, sizeof v, "%.17g", decay);
	if (!(r = db_exec(db, "SELECT cobro.priority_set_decay($1::float8)", 1, p)))
		return false;
	*accounts = atoll(PQgetvalue(r, 0, 0));
	PQclear(r);
	return true;
}
