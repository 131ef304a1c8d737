/* What a collector records on an account: call outcomes, notes, callbacks.
 * Each is one call of a function of src/sql/functions/account_actions.sql
 * (people hold no write grant on those tables): one transaction that checks
 * the request, takes the times from the database's clock and records the
 * event and an audit row. Each carries a key made on the workstation, so
 * that saving it again after a lost connection never records it twice.
 * Core only: no curses. */
#ifndef COBRO_CONTACT_H
#define COBRO_CONTACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"

enum call_outcome {
	OUTCOME_RIGHT_PARTY,
	OUTCOME_THIRD_PARTY,
	OUTCOME_NO_ANSWER,
	OUTCOME_BUSY,
	OUTCOME_WRONG_NUMBER,  /* the number is marked bad */
	OUTCOME_LEFT_MESSAGE,
	OUTCOME_REFUSED,       /* refused to pay */
	OUTCOME_DISPUTE,       /* the account stops being worked until a supervisor clears it */
	OUTCOME__COUNT
};

/* The code stored in event.outcome ("right_party", ...). */
const char *outcome_code(enum call_outcome o);

#define CONTACT_NOTE_MAX 2000   /* characters */
#define CONTACT_KEY_SIZE 37     /* a UUID and its NUL */

/* A new key for one thing to save; keep it until the save succeeds. */
void contact_new_key(char key[CONTACT_KEY_SIZE]);

/* Checks a note: at most CONTACT_NOTE_MAX characters of valid UTF-8 with no
 * control characters but newline and tab. On error fills why (English; the
 * screen translates the code) and returns false. */
enum note_problem { NOTE_OK, NOTE_TOO_LONG, NOTE_CONTROL, NOTE_BAD_UTF8, NOTE_EMPTY };
enum note_problem contact_check_note(const char *text, bool required);

/* Logs a call with its outcome on account_id (note may be NULL; point_id, the
 * number called, 0 when unknown). Sets last_contact_at; a wrong number marks
 * the point bad; a dispute takes the account out of the worklist. */
bool contact_log_call(struct db *db, const char *key, long long account_id, enum call_outcome o,
                      long long point_id, const char *note);
bool contact_add_note(struct db *db, const char *key, long long account_id, const char *note);
/* Schedules a callback at due (UTC seconds); zone is the zone the time was
 * typed in, kept to show it back. It must be in the future. */
bool contact_schedule_callback(struct db *db, const char *key, long long account_id, int64_t due,
                               const char *zone, const char *note);

#endif
