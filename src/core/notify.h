/* The database's notifications (LISTEN/NOTIFY): the channels, listening,
 * listening again after a reconnection, and reading what arrived. The
 * workstation and cobrod both wait on the connection's socket in their own
 * loops and hand the socket's readiness here.
 *
 * The channel names are spelt out once more in the SQL that NOTIFYs them
 * (a trigger cannot include a C header): tests/unit/test_notify.c checks
 * that every channel the SQL notifies is one of these and each of these is
 * notified. */
#ifndef COBRO_NOTIFY_H
#define COBRO_NOTIFY_H

#include <stdbool.h>

#include "db.h"

/* The channels carry no payload: PostgreSQL lets any role that can connect
 * LISTEN to them, and NOTIFY on them. What changed is read with
 * notify_changes(), under row security, and handed on as a notification
 * whose payload is the account's id (docs/security.md, "Notifications and
 * logs"). */

/* An account changed (the history, contact points, promises, messages):
 * read, its id, or "*" for every account (cobroctl demo). */
#define NOTIFY_ACCOUNT "cobro_account"
/* An account's lease changed hands: read, the account's id. */
#define NOTIFY_LEASE "cobro_lease"
/* A contact policy version was loaded: read, payload "". */
#define NOTIFY_POLICY "cobro_policy"
/* A message was queued for cobrod to send: no payload. */
#define NOTIFY_OUTBOX "cobro_outbox"
/* Who is where changed in a team (functions/presence.sql): change_log's row
 * (kind "presence") is readable by the team's supervisors and leads and by
 * admins only, with no account. notify_changes() hands it on with payload "";
 * the dashboard reads its figures again, the other screens ignore it. */
#define NOTIFY_PRESENCE "cobro_presence"

/* Every channel above, NULL-terminated. */
extern const char *const notify_channels[];

struct notification {
	const char *channel;
	const char *payload;
	/* Sent by this connection's own session: a change this program made
	 * and has shown already. */
	bool own;
};

typedef void (*notify_fn)(const struct notification *n, void *arg);

/* What one program listens to on one connection. */
struct notify {
	struct db *db;
	const char *const *channels; /* NULL-terminated, kept: listened to again after a reconnection */
	/* Reads what changed (notify_changes()): notify_listen() takes the
	 * snapshot to read from. */
	bool changes;
	/* The snapshot of the last notify_changes() (pg_snapshot as text): what
	 * committed after it is new. NULL until the first reading. */
	char *snapshot;
};

/* LISTENs to every channel of n->channels on n->db, then, with n->changes,
 * takes the snapshot notify_changes() reads from. False with db->err set. */
bool notify_listen(struct notify *n);

/* After the connection broke: one attempt to connect again (libpq's
 * PQreset, with the same parameters and password) and to LISTEN again.
 * True once the connection is back and listening; the caller decides how
 * often to try. */
bool notify_reconnect(struct notify *n);

/* Reads what the socket holds, then hands each notification to fn, in the
 * order they came. False when the connection is broken. */
bool notify_read(struct notify *n, notify_fn fn, void *arg);

/* Hands fn the notifications libpq holds already, without reading the
 * socket: a statement's results bring the notifications that came with them,
 * and poll() would never wake for those. */
void notify_deliver(struct notify *n, notify_fn fn, void *arg);

/* Reads what changed since the last reading (cobro.changes_since(), under
 * row security: only what the caller may see) and hands fn one
 * notification per change: channel NOTIFY_ACCOUNT or NOTIFY_LEASE with the
 * account's id ("*" for every account), or NOTIFY_POLICY or NOTIFY_PRESENCE
 * with payload ""; own when only this
 * connection wrote it. The first call only takes the snapshot to read from
 * (notify_listen() and notify_reconnect() make it). False with db->err set
 * when the database cannot be asked. */
bool notify_changes(struct notify *n, notify_fn fn, void *arg);

/* Frees the remembered snapshot. */
void notify_free(struct notify *n);

#endif
