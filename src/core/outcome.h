/* What a collector takes back, or says, about the account just worked
 * (issue 15, lines 3 and 6): the wrong number or the dispute a call just
 * marked, undone by whoever logged it within undo_setting's window; a due
 * callback said done without a call. Each is one call of a function of
 * src/sql/functions/account_actions.sql, with a key made on the workstation
 * (contact_new_key()) so that a repeat records it once. Core only: no curses. */
#ifndef COBRO_OUTCOME_H
#define COBRO_OUTCOME_H

#include <stdbool.h>

#include "db.h"

/* Why the database refused an undo or a "done", from its SQLSTATE. */
enum outcome_refusal {
	OUTCOME_REFUSED_OTHER,     /* see db->err */
	OUTCOME_REFUSED_NOT_YOURS, /* someone else's call, or not an account you work */
	OUTCOME_REFUSED_TOO_LATE,  /* past the window, undone already, nothing left marked; nothing due */
	OUTCOME_REFUSED_NO_CALL,   /* no such call on the account */
	OUTCOME_REFUSED_OFFLINE,   /* the connection is lost */
};

/* Undoes what the call saved with call_key marked on account_id: the number
 * it marked wrong is good again, the dispute it raised lifted. */
bool outcome_undo_call(struct db *db, const char *key, long long account_id, const char *call_key);
/* The callbacks due on account_id are done: the collector worked it without
 * a call (note may be NULL). False when none is due. */
bool outcome_callback_done(struct db *db, const char *key, long long account_id, const char *note);
/* After one of the two returned false. */
enum outcome_refusal outcome_refusal(const struct db *db);

/* How long after a call its wrong number or dispute may be undone
 * (undo_setting, 022_undo_window.sql): read by anyone who works accounts,
 * set by an administrator. */
#define OUTCOME_UNDO_MIN 0
#define OUTCOME_UNDO_MAX 3600
bool outcome_undo_window_get(struct db *db, int *seconds);
bool outcome_undo_window_set(struct db *db, int seconds);

#endif
