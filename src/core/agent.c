#include "agent.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

bool agent_add(struct db *db, const char *login, const char *name, const char *role,
               const char *team, const char *password)
{
	const char *p[5] = { login, name, role, team, password };

	return db_run(db, "SELECT cobro.agent_add($1, $2, $3, $4, $5)", 5, p);
}

bool team_add(struct db *db, const char *code, const char *name)
{
	const char *p[2] = { code, name };

	return db_run(db, "INSERT INTO cobro.team (code, name) VALUES ($1, $2)", 2, p);
}

bool agent_list(struct db *db, FILE *out)
{
	PGresult *r = db_exec(db,
		"SELECT a.login, a.name, a.role, coalesce(t.code, '-'), a.active "
		"FROM cobro.agent a LEFT JOIN cobro.team t ON t.id = a.team_id "
		"ORDER BY t.code NULLS FIRST, a.role, a.login", 0, NULL);

	if (!r)
		return false;
	for (int i = 0; i < PQntuples(r); i++) {
		char login[256], role[64], team[128], off[8];

		/* Padded by display cells, never bytes: login, role, team, active. */
		fprintf(out, "%s %s %s %s %s\n", text_pad(login, sizeof login, PQgetvalue(r, i, 0), 16, false),
		        text_pad(role, sizeof role, PQgetvalue(r, i, 2), 10, false),
		        text_pad(team, sizeof team, PQgetvalue(r, i, 3), 8, false),
		        text_pad(off, sizeof off, PQgetvalue(r, i, 4)[0] == 't' ? "" : "off", 3, false),
		        PQgetvalue(r, i, 1));
	}
	PQclear(r);
	return true;
}

bool agent_whoami(struct db *db, struct whoami *w)
{
	PGresult *r = db_exec(db,
		"SELECT a.id, a.login, a.name, a.role, coalesce(t.code, '') "
		"FROM cobro.agent a LEFT JOIN cobro.team t ON t.id = a.team_id "
		"WHERE a.login = session_user", 0, NULL);

	memset(w, 0, sizeof *w);
	if (!r)
		return false;
	if (PQntuples(r) != 1) {
		snprintf(db->err, sizeof db->err, "%s is not a cobro agent (cobroctl agent add)",
		         PQuser(db->conn));
		PQclear(r);
		return false;
	}
	w->id = atoll(PQgetvalue(r, 0, 0));
	snprintf(w->login, sizeof w->login, "%s", PQgetvalue(r, 0, 1));
	snprintf(w->name, sizeof w->name, "%s", PQgetvalue(r, 0, 2));
	snprintf(w->role, sizeof w->role, "%s", PQgetvalue(r, 0, 3));
	snprintf(w->team, sizeof w->team, "%s", PQgetvalue(r, 0, 4));
	PQclear(r);
	return true;
}
