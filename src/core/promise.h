/* A promise to pay in the database (issue 16): the limits in force for an
 * account, and saving one (promise_save(), functions of 024_promises.sql),
 * which applies again every rule of promise_plan.h, writes the promise,
 * its installments and its event in one transaction, and takes each key
 * once. Core only: the screens see C structs. */
#ifndef COBRO_PROMISE_H
#define COBRO_PROMISE_H

#include <stdbool.h>
#include <stddef.h>

#include "contact.h"
#include "db.h"
#include "promise_plan.h"

/* The limits for account_id and its today, as the person may see it.
 * False with db->err set. */
bool promise_limits_for(struct db *db, long long account_id, struct promise_account_limits *out);

/* What promise_save() takes: replace is the active promise the new one
 * replaces (0: none), key the save's own (contact_new_key()). */
struct promise_request {
	long long account_id;
	struct promise_terms terms;
	const char *note;  /* NULL or "" for none */
	long long replace;
	char key[CONTACT_KEY_SIZE];
};

struct promise_saved {
	long long id;
	char status[20];   /* "pending" or "awaiting_approval" */
	unsigned limits;   /* 1 << enum promise_limit, for each reason given */
};

/* Saves it. False with db->err set; *refused is the hard error the
 * database named (PE_NONE for another failure: the connection, a denial). */
bool promise_save(struct db *db, const struct promise_request *r, struct promise_saved *out,
                  enum promise_error *refused);

#endif
