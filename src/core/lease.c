#include "lease.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contact.h"

const char *lease_session(void)
{
	static char session[CONTACT_KEY_SIZE];

	if (!session[0])
		contact_new_key(session);
	return session;
}

bool lease_take(struct db *db, long long account_id, struct lease *out)
{
	char id[24], secs[16];
	const char *p[3] = { id, lease_session(), secs };
	PGresult *r;

	memset(out, 0, sizeof *out);
	snprintf(id, sizeof id, "%lld", account_id);
	snprintf(secs, sizeof secs, "%d", LEASE_SECONDS);
	if (!(r = db_exec(db, "SELECT holder, holder_name, mine FROM cobro.lease_take($1, $2, $3)", 3, p)))
		return false;
	lease_from_result(r, 0, out);
	PQclear(r);
	return true;
}

void lease_from_result(const PGresult *r, int col, struct lease *out)
{
	memset(out, 0, sizeof *out);
	if (PQntuples(r) != 1 || PQnfields(r) < col + 3 || PQgetisnull(r, 0, col))
		return;
	snprintf(out->holder, sizeof out->holder, "%s", PQgetvalue(r, 0, col));
	snprintf(out->holder_name, sizeof out->holder_name, "%s", PQgetvalue(r, 0, col + 1));
	out->mine = PQgetvalue(r, 0, col + 2)[0] == 't';
}

bool lease_release(struct db *db, long long account_id)
{
	char id[24];
	const char *p[2] = { id, lease_session() };

	snprintf(id, sizeof id, "%lld", account_id);
	return db_run(db, "SELECT cobro.lease_release($1, $2)", 2, p);
}

bool lease_max_get(struct db *db, int *seconds)
{
	PGresult *r = db_exec(db, "SELECT max_seconds FROM cobro.lease_setting", 0, NULL);

	if (!r)
		return false;
	if (PQntuples(r) != 1) {
		snprintf(db->err, sizeof db->err, "no lease setting to read (an admin's, after cobroctl migrate)");
		PQclear(r);
		return false;
	}
	*seconds = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	return true;
}

bool lease_max_set(struct db *db, int seconds)
{
	char s[16];
	const char *p[1] = { s };
	PGresult *r;
	bool one;

	snprintf(s, sizeof s, "%d", seconds);
	if (!(r = db_exec(db, "UPDATE cobro.lease_setting SET max_seconds = $1 RETURNING 1", 1, p)))
		return false;
	one = PQntuples(r) == 1;
	PQclear(r);
	if (!one)
		snprintf(db->err, sizeof db->err, "no lease setting to change (an admin's, after cobroctl migrate)");
	return one;
}
