/* The audit chain read and recorded: see audit.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "text.h"

bool audit_login(struct db *db, const char *program)
{
	/* The function is looked up first: cobroctl init and migrate connect
	 * to databases that have no chain yet. */
	PGresult *r = db_exec(db, "SELECT to_regprocedure('cobro.audit_login(text)') IS NOT NULL", 0, NULL);
	bool there;
	const char *p[1] = { program };

	if (!r)
		return false;
	there = PQgetvalue(r, 0, 0)[0] == 't';
	PQclear(r);
	return !there || db_run(db, "SELECT cobro.audit_login($1)", 1, p);
}

bool audit_verify(struct db *db, struct audit_check *c)
{
	PGresult *r = db_exec(db,
		"SELECT n_rows, coalesce(broken_id, 0), coalesce(problem, ''), coalesce(detail, ''), "
		"coalesce(encode(head, 'hex'), '') FROM cobro.audit_verify()", 0, NULL);

	memset(c, 0, sizeof *c);
	if (!r)
		return false;
	c->rows = atoll(PQgetvalue(r, 0, 0));
	c->broken_id = atoll(PQgetvalue(r, 0, 1));
	snprintf(c->problem, sizeof c->problem, "%s", PQgetvalue(r, 0, 2));
	snprintf(c->detail, sizeof c->detail, "%s", PQgetvalue(r, 0, 3));
	snprintf(c->head, sizeof c->head, "%s", PQgetvalue(r, 0, 4));
	PQclear(r);
	return true;
}

/* "What" is the keys an update changed (old -> new), else the row written
 * or removed; updated_at alone says nothing. */
static const char show_sql[] =
	"WITH acc AS (SELECT id FROM cobro.account WHERE reference = $1), "
	"who AS (SELECT id FROM cobro.agent WHERE login = $2) "
	"SELECT a.id, to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), a.actor, a.action, "
	"       a.tbl || coalesce(' ' || a.row_id, ''), "
	"       CASE WHEN jsonb_typeof(a.old) = 'object' AND jsonb_typeof(a.new) = 'object' THEN "
	"            coalesce((SELECT string_agg(k || ': ' || coalesce(a.old->>k, '-') || ' → ' || coalesce(a.new->>k, '-'), "
	"                                        ', ' ORDER BY k) "
	"                      FROM (SELECT jsonb_object_keys(a.new) UNION SELECT jsonb_object_keys(a.old)) s(k) "
	"                      WHERE a.old->k IS DISTINCT FROM a.new->k AND k <> 'updated_at'), '') "
	"            ELSE coalesce(a.new, a.old)::text END "
	"FROM cobro.audit a "
	"WHERE ($1::text IS NULL OR (a.tbl = 'account' AND a.row_id = (SELECT id FROM acc)) "
	"       OR (a.tbl IN ('promise', 'payment') "
	"           AND coalesce(a.new->>'account_id', a.old->>'account_id')::bigint = (SELECT id FROM acc))) "
	"  AND ($2::text IS NULL OR a.actor = $2 OR (a.tbl = 'agent' AND a.row_id = (SELECT id FROM who))) "
	"  AND ($3::text IS NULL OR a.at >= $3::date::timestamp AT TIME ZONE 'UTC') "
	"ORDER BY a.id";

/* The table's columns, in display cells (the last, what changed, is cut). */
enum { W_ID = 8, W_AT = 19, W_WHO = 12, W_ACTION = 16, W_ROW = 22, W_WHAT = 72 };

static void show_row(FILE *out, const char *id, const char *at, const char *who, const char *action,
                     const char *row, const char *what)
{
	char b[6][1024];

	text_pad(b[0], sizeof b[0], id, W_ID, true);
	text_fit(b[1], sizeof b[1], at, W_AT, 1);
	text_fit(b[2], sizeof b[2], who, W_WHO, 1);
	text_fit(b[3], sizeof b[3], action, W_ACTION, 1);
	text_fit(b[4], sizeof b[4], row, W_ROW, 1);
	text_fit(b[5], sizeof b[5], what, W_WHAT, 0);
	fprintf(out, "%s  %s  %s  %s  %s  %s\n", b[0], b[1], b[2], b[3], b[4], b[5]);
}

bool audit_show(struct db *db, FILE *out, const char *account, const char *agent, const char *since,
                long long *shown)
{
	const char *p[3] = { account, agent, since };
	PGresult *r;
	int n;

	*shown = 0;
	if (account) {
		PGresult *a = db_exec(db, "SELECT 1 FROM cobro.account WHERE reference = $1", 1, p);

		if (!a)
			return false;
		n = PQntuples(a);
		PQclear(a);
		if (n == 0) {
			snprintf(db->err, sizeof db->err, "no account %s", account);
			return false;
		}
	}
	if (!(r = db_exec(db, show_sql, 3, p)))
		return false;
	n = PQntuples(r);
	show_row(out, "id", "at (UTC)", "who", "action", "row", "what");
	for (int i = 0; i < n; i++)
		show_row(out, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), PQgetvalue(r, i, 2), PQgetvalue(r, i, 3),
		         PQgetvalue(r, i, 4), PQgetvalue(r, i, 5));
	PQclear(r);
	*shown = n;
	return true;
}
