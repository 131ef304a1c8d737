/* Who is working an account right now: a lease of a couple of minutes, taken
 * on opening, renewed while open, released on leaving; a dead workstation's
 * lease simply expires. */
#ifndef COBRO_LEASE_H
#define COBRO_LEASE_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "db.h"

#define LEASE_SECONDS 120

struct lease {
	bool mine;            /* the caller holds it */
	char holder[64];      /* login of whoever holds it */
	char holder_name[201];
};

/* This workstation's id in leases: made once per process. */
const char *lease_session(void);

/* Takes or renews the lease; when someone else holds it, says who. */
bool lease_take(struct db *db, long long account_id, struct lease *out);
/* Reads lease_take()'s holder, holder_name and mine from row 0 of r, from
 * column col on (account_open() takes the lease in the screen's statement);
 * a NULL holder reads as no lease. */
void lease_from_result(const PGresult *r, int col, struct lease *out);
bool lease_release(struct db *db, long long account_id);

/* The longest a lease lasts, cobro.lease_setting.max_seconds: lease_take()
 * grants no more, whatever is asked (docs/security.md, "Leases"). Admins set
 * it, from LEASE_MAX_MIN to LEASE_MAX_MAX; leases taken already are cut to
 * it at once. */
#define LEASE_MAX_MIN 60
#define LEASE_MAX_MAX 3600
bool lease_max_get(struct db *db, int *seconds);
bool lease_max_set(struct db *db, int seconds);

#endif
