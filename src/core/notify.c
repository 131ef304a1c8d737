#include "notify.h"

#include "audit.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const notify_channels[] = { NOTIFY_ACCOUNT, NOTIFY_LEASE, NOTIFY_POLICY, NOTIFY_OUTBOX,
	                                        NOTIFY_PRESENCE, NULL };

bool notify_listen(struct notify *n)
{
	for (const char *const *c = n->channels; *c; c++) {
		/* LISTEN takes an identifier, not a parameter: quoted as one. */
		char *id = PQescapeIdentifier(n->db->conn, *c, strlen(*c));
		char sql[160];
		bool ok;

		if (!id) {
			snprintf(n->db->err, sizeof n->db->err, "%s", PQerrorMessage(n->db->conn));
			return false;
		}
		snprintf(sql, sizeof sql, "LISTEN %s", id);
		PQfreemem(id);
		ok = db_cmd(n->db, sql);
		if (!ok)
			return false;
	}
	/* From now on: what committed before was read by whoever shows it. */
	notify_free(n);
	return !n->changes || notify_changes(n, NULL, NULL);
}

void notify_free(struct notify *n)
{
	free(n->snapshot);
	n->snapshot = NULL;
}

bool notify_changes(struct notify *n, notify_fn fn, void *arg)
{
	const char *p[1] = { n->snapshot };
	PGresult *r = db_exec(n->db, "SELECT kind, account_id, own, snapshot FROM cobro.changes_since($1)", 1, p);
	int rows;

	if (!r)
		return false;
	rows = PQntuples(r);
	for (int i = 0; fn && i < rows; i++) {
		const char *kind = PQgetvalue(r, i, 0), *id = PQgetisnull(r, i, 1) ? "*" : PQgetvalue(r, i, 1);
		struct notification note = { .payload = id, .own = !strcmp(PQgetvalue(r, i, 2), "t") };

		if (PQgetisnull(r, i, 0))
			continue;
		if (!strcmp(kind, "account"))
			note.channel = NOTIFY_ACCOUNT;
		else if (!strcmp(kind, "lease"))
			note.channel = NOTIFY_LEASE;
		else if (!strcmp(kind, "policy")) {
			note.channel = NOTIFY_POLICY;
			note.payload = "";
		} else if (!strcmp(kind, "presence")) {
			/* Only a team's supervisors, leads and admins read these rows;
			 * the dashboard reads the figures again, the other screens
			 * know no such channel and ignore it. */
			note.channel = NOTIFY_PRESENCE;
			note.payload = "";
		} else
			continue;
		fn(&note, arg);
	}
	/* The last row: the snapshot these were read in. */
	if (rows > 0 && !PQgetisnull(r, rows - 1, 3)) {
		free(n->snapshot);
		n->snapshot = xstrdup(PQgetvalue(r, rows - 1, 3));
	}
	PQclear(r);
	return true;
}

bool notify_reconnect(struct notify *n)
{
	PQreset(n->db->conn);
	/* A new session is a login like the first (issue 17, line 6): on the
	 * record under the program's name, which db_connect() set. */
	return PQstatus(n->db->conn) == CONNECTION_OK &&
	       audit_login(n->db, PQparameterStatus(n->db->conn, "application_name")) && notify_listen(n);
}

void notify_deliver(struct notify *n, notify_fn fn, void *arg)
{
	int self = PQbackendPID(n->db->conn);
	PGnotify *p;

	while ((p = PQnotifies(n->db->conn))) {
		struct notification note = { .channel = p->relname, .payload = p->extra, .own = p->be_pid == self };

		fn(&note, arg);
		PQfreemem(p);
	}
}

bool notify_read(struct notify *n, notify_fn fn, void *arg)
{
	if (!PQconsumeInput(n->db->conn))
		return false;
	notify_deliver(n, fn, arg);
	return true;
}
