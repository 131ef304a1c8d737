#include "lease.h"

#include <stdio.h>
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
