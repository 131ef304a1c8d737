/* The workstation's presence (issue 17, line 1; functions/presence.sql): who
 * is logged in, on which screen and account, since when. The workstation
 * beats when its screen or account changes and every period the database
 * gives; a workstation that dies stops beating and its row expires. */
#ifndef COBRO_PRESENCE_H
#define COBRO_PRESENCE_H

#include <stdbool.h>

#include "db.h"

/* What was last said, to say it again only when it changed or is due. */
struct presence {
	char screen[33];
	long long account;  /* 0: none */
	double due;         /* the next beat, on the caller's clock; 0: never beat */
	int period;         /* seconds, as presence_beat() answered */
};

/* Beats if (screen, account) differs from the last beat or now >= p->due
 * (now on any monotonic clock in seconds). True when nothing was to be said
 * or it was said; false with db->err (the next call tries again). */
bool presence_keep(struct presence *p, struct db *db, const char *screen, long long account, double now);

/* cobrod's part: the rows of workstations that died (expired) go, each
 * team hears it. *n: how many went. */
bool presence_sweep(struct db *db, int *n);

/* Offline at once (logging out, quitting). */
bool presence_leave(struct db *db);

#endif
