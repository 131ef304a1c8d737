/* The workstation's saves that wait for the database: what the person typed
 * or chose (a call and its outcome, a note, a callback, a message to queue,
 * a promise)
 * is kept here, in
 * the order it was done, until it is saved, whichever screen the person
 * goes to; when cobro must exit with some still waiting, they are kept in a
 * file of the person's own and saved when cobro next starts. Each carries
 * its key (contact_new_key()), so that a save repeated after a lost answer,
 * or from the file, is recorded once (saved_key, 021_saved_keys.sql).
 * The screen manager owns the queue (screens/ui/ui.c). Core only: no curses. */
#ifndef COBRO_SAVES_H
#define COBRO_SAVES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "contact.h"
#include "db.h"
#include "policy.h"
#include "promise_plan.h"

enum save_kind { SAVE_CALL, SAVE_NOTE, SAVE_CALLBACK, SAVE_MESSAGE, SAVE_PROMISE, SAVE__COUNT };

/* A message's own parts (SAVE_MESSAGE): what outbox_queue() takes besides
 * the key, the account, the point (point_id) and the body (text). */
struct save_message {
	enum channel channel;
	long long template_id;
	char *subject; /* email; NULL for none */
	char **params; /* WhatsApp's placeholders' values */
	int nparams;
	int segments;
	bool ucs2;
};

/* A promise's own parts (SAVE_PROMISE): what promise_save() takes besides
 * the key, the account and the note (text). */
struct save_promise {
	long long amount, discount;
	int64_t first_due; /* days since 1970 */
	int count;
	enum promise_freq freq;
	char channel[12];
	long long replace; /* the active promise it replaces, 0 for none */
};

struct save_item {
	enum save_kind kind;
	char key[CONTACT_KEY_SIZE];
	long long account_id;
	enum call_outcome outcome; /* SAVE_CALL */
	long long point_id;        /* SAVE_CALL: the number called, 0 when unknown */
	int64_t due;               /* SAVE_CALLBACK: UTC seconds */
	char zone[64];             /* SAVE_CALLBACK: the zone the time was typed in */
	char *text;                /* the note, or a message's body; NULL for none. The queue's own copy */
	struct save_message msg;   /* SAVE_MESSAGE; the queue's own copies */
	struct save_promise promise; /* SAVE_PROMISE */
};

struct save_queue {
	struct save_item *items; /* oldest first */
	int n, cap;
};

/* Appends a copy of it (its text copied too). */
void saves_add(struct save_queue *q, const struct save_item *it);
void saves_free(struct save_queue *q);

enum save_result {
	SAVE_DONE,    /* saved (or saved before, with the same key): taken off */
	SAVE_REFUSED, /* the database refused it (db->err says why): still first */
	SAVE_LATER,   /* the connection is gone, or the save must be tried again: kept */
};
/* Saves the oldest item. *account is its account (for DONE and REFUSED). */
enum save_result saves_first(struct save_queue *q, struct db *db, long long *account);
/* Takes the oldest item off, onto the end of to (NULL: dropped). */
void saves_take_first(struct save_queue *q, struct save_queue *to);

/* Where login's saves are kept when cobro exits with some waiting:
 * $XDG_STATE_HOME/cobro/pending/LOGIN, or ~/.local/state/cobro/pending/LOGIN.
 * False when there is no such directory to name (no HOME) or the login
 * cannot be a file's name. */
bool saves_path(char *path, size_t len, const char *login);
/* Writes the queue to path, for login: created 0600 in a 0700 directory,
 * written to a temporary file, synced and renamed over path, so the file is
 * whole or not there. An empty queue removes the file. */
bool saves_write(const struct save_queue *q, const char *path, const char *login, char *err, size_t errlen);
/* Keeps ours at path for login, with what another window of the same login
 * kept there since (the file's items that are neither ours nor among those
 * this run read from it at its start, loaded): two windows that end with
 * saves waiting both keep theirs. Nothing left: the file goes. */
bool saves_keep(const struct save_queue *ours, const struct save_queue *loaded, const char *path,
                const char *login, char *err, size_t errlen);
/* Appends the saves kept at path for login (nothing when there is no file).
 * A file that is not one, or another login's, is refused whole. */
bool saves_read(struct save_queue *q, const char *path, const char *login, char *err, size_t errlen);

#endif
