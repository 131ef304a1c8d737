/* The workstation's heartbeat (presence.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "presence.h"

bool presence_keep(struct presence *p, struct db *db, const char *screen, long long account, double now)
{
	char acc[32];
	const char *params[2] = { screen, account ? acc : NULL };
	PGresult *r;

	if (p->due && now < p->due && account == p->account && !strcmp(screen, p->screen))
		return true;
	snprintf(acc, sizeof acc, "%lld", account);
	r = db_exec(db, "SELECT cobro.presence_beat($1, $2::bigint)", 2, params);
	if (!r) {
		p->due = now + 5; /* not at every key: in a few seconds */
		return false;
	}
	p->period = atoi(PQgetvalue(r, 0, 0));
	if (p->period <= 0)
		p->period = 30;
	PQclear(r);
	snprintf(p->screen, sizeof p->screen, "%s", screen);
	p->account = account;
	p->due = now + p->period * 0.9; /* a little early: the tick that wakes us may come late */
	return true;
}

bool presence_leave(struct db *db)
{
	return db_run(db, "SELECT cobro.presence_leave()", 0, NULL);
}

bool presence_sweep(struct db *db, int *n)
{
	PGresult *r = db_exec(db, "SELECT cobro.presence_sweep()", 0, NULL);

	*n = 0;
	if (!r)
		return false;
	*n = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	return true;
}
