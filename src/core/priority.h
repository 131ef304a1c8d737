/* The stored part of the worklist's priority (006_priority.sql,
 * docs/priority.md): the decay setting, and the daily re-ranking as days past
 * due grow. The ranking itself is the database's; this is how cobroctl and
 * cobrod drive it. */
#ifndef COBRO_PRIORITY_H
#define COBRO_PRIORITY_H

#include <stdbool.h>

#include "db.h"

/* Accounts re-ranked per transaction: short enough that no collector waits
 * on a row lock for long. */
#define PRIORITY_REFRESH_BATCH 5000

/* One step of the walk over all accounts: re-ranks up to batch accounts after
 * *cursor (start at 0) whose rank is not today's, moves *cursor on, and sets
 * *done once past the last account. False on a database error (db->err). */
bool priority_refresh_step(struct db *db, int batch, long long *cursor, bool *done);

/* Whether any account's rank is not today's: one scan, where the walk is a
 * transaction per batch even when it finds nothing to do (a restart on a day
 * already ranked). */
bool priority_stale_any(struct db *db, bool *any);

/* The whole walk; *accounts is how far it went (the last account id). */
bool priority_refresh_all(struct db *db, long long *last_id);

/* The decay in force, and whether every account is ranked as of today. */
bool priority_show(struct db *db, double *decay, long long *stale, char *updated, size_t n);

/* Sets the decay (0 to 1) and ranks every account anew; *accounts ranked. */
bool priority_set_decay(struct db *db, double decay, long long *accounts);

#endif
