#include "migrate.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Returns 1 when the migration is recorded with the same text, 0 when it is not
 * recorded, -1 when it is recorded with other text or on error. */
static int recorded(struct db *db, const struct migration *m, int have_ledger)
{
	char v[16];
	const char *p[2] = { v, m->sql };
	PGresult *r;
	int state;

	if (!have_ledger)
		return 0;
	snprintf(v, sizeof v, "%d", m->version);
	r = db_exec(db, "SELECT checksum = md5($2) FROM cobro.schema_migration WHERE version = $1", 2, p);
	if (!r)
		return -1;
	if (PQntuples(r) == 0)
		state = 0;
	else if (PQgetvalue(r, 0, 0)[0] == 't')
		state = 1;
	else {
		snprintf(db->err, sizeof db->err,
		         "migration %s was changed after it was applied; write a new migration instead",
		         m->name);
		state = -1;
	}
	PQclear(r);
	return state;
}

static int ledger_exists(struct db *db)
{
	PGresult *r = db_exec(db, "SELECT to_regclass('cobro.schema_migration') IS NOT NULL", 0, NULL);
	int yes;

	if (!r)
		return -1;
	yes = PQgetvalue(r, 0, 0)[0] == 't';
	PQclear(r);
	return yes;
}

static bool apply_one(struct db *db, const struct migration *m)
{
	char v[16];
	const char *p[3] = { v, m->name, m->sql };
	PGresult *r;

	snprintf(v, sizeof v, "%d", m->version);
	if (!db_cmd(db, "BEGIN"))
		return false;
	/* The file is our own static text, possibly many statements: the simple
	 * query protocol runs it as one batch inside this transaction. */
	r = PQexec(db->conn, m->sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
		snprintf(db->err, sizeof db->err, "%s: %s", m->name,
		         PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY)
		                 ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY)
		                 : PQerrorMessage(db->conn));
		PQclear(r);
		PQclear(PQexec(db->conn, "ROLLBACK"));
		return false;
	}
	PQclear(r);
	if (!db_run(db, "INSERT INTO cobro.schema_migration (version, name, checksum) VALUES ($1, $2, md5($3))",
	            3, p) ||
	    !db_cmd(db, "COMMIT")) {
		char err[sizeof db->err];

		snprintf(err, sizeof err, "%s: %s", m->name, db->err);
		PQclear(PQexec(db->conn, "ROLLBACK"));
		snprintf(db->err, sizeof db->err, "%s", err);
		return false;
	}
	return true;
}

int migrate_apply(struct db *db, FILE *out)
{
	int applied = 0, ledger;

	/* Two cobroctl migrate at once would both see a migration as missing. */
	if (!db_cmd(db, "SELECT pg_advisory_lock(hashtext('cobro.migrate'))"))
		return -1;
	for (int i = 0; i < migrations_count; i++) {
		const struct migration *m = &migrations[i];
		int state;

		if ((ledger = ledger_exists(db)) < 0)
			goto fail;
		if ((state = recorded(db, m, ledger)) < 0)
			goto fail;
		if (state == 1)
			continue;
		if (!apply_one(db, m))
			goto fail;
		if (out)
			fprintf(out, "applied %s\n", m->name);
		applied++;
	}
	db_cmd(db, "SELECT pg_advisory_unlock(hashtext('cobro.migrate'))");
	return applied;
fail:
	{
		char err[sizeof db->err];

		snprintf(err, sizeof err, "%s", db->err);
		db_cmd(db, "SELECT pg_advisory_unlock(hashtext('cobro.migrate'))");
		snprintf(db->err, sizeof db->err, "%s", err);
	}
	return -1;
}

int migrate_current(struct db *db)
{
	PGresult *r;
	int v, ledger = ledger_exists(db);

	if (ledger <= 0)
		return ledger;
	r = db_exec(db, "SELECT coalesce(max(version), 0) FROM cobro.schema_migration", 0, NULL);
	if (!r)
		return -1;
	v = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}
