#include "outcome.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool run(struct db *db, const char *sql, int n, const char *const *p)
{
	PGresult *r = db_exec(db, sql, n, p);

	PQclear(r);
	return r != NULL;
}

bool outcome_undo_call(struct db *db, const char *key, long long account_id, const char *call_key)
{
	char id[24];
	const char *p[3] = { key, id, call_key };

	snprintf(id, sizeof id, "%lld", account_id);
	return run(db, "SELECT cobro.account_undo_call($1::uuid, $2::bigint, $3::uuid)", 3, p);
}

bool outcome_callback_done(struct db *db, const char *key, long long account_id, const char *note)
{
	char id[24];
	const char *p[3] = { key, id, note && *note ? note : NULL };

	snprintf(id, sizeof id, "%lld", account_id);
	return run(db, "SELECT cobro.account_complete_callback($1::uuid, $2::bigint, $3)", 3, p);
}

enum outcome_refusal outcome_refusal(const struct db *db)
{
	if (db_classify(db->sqlstate) == DB_CONNECTION || PQstatus(db->conn) == CONNECTION_BAD)
		return OUTCOME_REFUSED_OFFLINE;
	if (!strcmp(db->sqlstate, "42501"))
		return OUTCOME_REFUSED_NOT_YOURS;
	if (!strcmp(db->sqlstate, "55000"))
		return OUTCOME_REFUSED_TOO_LATE;
	if (!strcmp(db->sqlstate, "P0002"))
		return OUTCOME_REFUSED_NO_CALL;
	return OUTCOME_REFUSED_OTHER;
}

bool outcome_undo_window_get(struct db *db, int *seconds)
{
	PGresult *r = db_exec(db, "SELECT window_seconds FROM cobro.undo_setting", 0, NULL);

	if (!r)
		return false;
	if (PQntuples(r) != 1) {
		snprintf(db->err, sizeof db->err, "no undo setting to read (after cobroctl migrate)");
		PQclear(r);
		return false;
	}
	*seconds = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	return true;
}

bool outcome_undo_window_set(struct db *db, int seconds)
{
	char s[16];
	const char *p[1] = { s };
	PGresult *r;
	bool one;

	snprintf(s, sizeof s, "%d", seconds);
	if (!(r = db_exec(db, "UPDATE cobro.undo_setting SET window_seconds = $1 RETURNING 1", 1, p)))
		return false;
	one = PQntuples(r) == 1;
	PQclear(r);
	/* Row security hides the row from whoever may not change it. */
	if (!one)
		snprintf(db->err, sizeof db->err, "no undo setting to change (an admin's, after cobroctl migrate)");
	return one;
}
