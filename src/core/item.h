/* One item of an account's history, whole: what the account screen's row
 * cuts (a long note, a message's text), and for a message the steps of its
 * delivery. One call of cobro.event_detail(), which decides who may see it.
 * Core only: the screen never sees SQL. */
#ifndef COBRO_ITEM_H
#define COBRO_ITEM_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"

#define ITEM_STEPS 8

struct item_step {
	char step[12];           /* queued, sent, delivered, failed, refused */
	char at[20];             /* "YYYY-MM-DD HH:MM:SS", the session's zone */
};

struct item {
	long long id;
	char at[20];             /* "YYYY-MM-DD HH:MM:SS", the session's zone */
	char kind[16];
	char direction[4];
	char outcome[24];
	char agent[64];
	char *body;              /* whole (allocated), "" if none */
	bool has_amount;
	long long amount;        /* minor units of currency */
	char currency[4];
	int64_t due;             /* a callback's moment, UTC seconds; 0 if none */
	char zone[64];           /* the zone its time was typed in */
	/* A message's: has_message, then where it went and how far it got. */
	bool has_message;
	char channel[12];
	char recipient[321];
	char status[12];
	int attempts;
	char error[256];
	char rule[32];           /* the policy's rule that refused it */
	struct item_step steps[ITEM_STEPS];
	int nsteps;
};

/* Loads history event id as the logged-in person may see it. Returns false
 * with db->err set; an item they may not see is "no such item" (42501),
 * as one that is not there. */
bool item_load(struct db *db, long long id, struct item *it);
void item_free(struct item *it);

#endif
