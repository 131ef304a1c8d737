#include "notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const notify_channels[] = { NOTIFY_ACCOUNT, NOTIFY_LEASE, NOTIFY_POLICY, NOTIFY_OUTBOX, NULL };

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
	return true;
}

bool notify_reconnect(struct notify *n)
{
	PQreset(n->db->conn);
	return PQstatus(n->db->conn) == CONNECTION_OK && notify_listen(n);
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
