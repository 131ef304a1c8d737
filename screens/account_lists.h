/* The account screen's state, shared by account.c (what the screen does:
 * opening, leases, saving, keys) and account_lists.c (how it shows it: its
 * lists, their columns and places, and the painting). */
#ifndef COBRO_ACCOUNT_LISTS_H
#define COBRO_ACCOUNT_LISTS_H

#include <stdbool.h>
#include <stdint.h>

#include "account.h"
#include "contact.h"
#include "lease.h"
#include "list.h"
#include "money.h"
#include "ui.h"

/* History rows loaded: a screenful many times over, for scrolling. */
#define HISTORY_ROWS 200

/* Tab goes round: the history (Enter opens an item whole), the debtor's
 * accounts (to pick another), the open account's money: installments,
 * payments and promises, and every contact point of the debtor. */
enum pane { PANE_HISTORY, PANE_ACCOUNTS, PANE_MONEY, PANE_CONTACTS, PANE__COUNT };

/* What was typed or chosen, until it is handed to the screen manager's
 * queue of saves (ui_save(), save_pending()). */
struct pending {
	enum { PENDING_NONE, PENDING_CALL, PENDING_NOTE, PENDING_CALLBACK } what;
	char key[CONTACT_KEY_SIZE];
	enum call_outcome outcome;
	long long point_id;
	char text[CONTACT_NOTE_MAX * 4 + 1];
	int64_t due;
	char zone[64];       /* the zone the callback's time was typed in */
};

/* The debtor's accounts: reference and creditor as wide as the debtor's
 * widest (see widen()). */
enum { ACC_MARK, ACC_REFERENCE, ACC_CREDITOR, ACC_BALANCE, ACC_DPD, ACC_STATUS, ACC_AGENT, ACC_COLUMNS };

/* The promises pane's lines: each promise, then its plan's installments
 * when it has more than one (plan -1 on the promise's own line). More
 * than a screen holds is never shown: the pane does not scroll. */
#define PROMISE_LINES 64
struct promise_line {
	int promise, plan;
};

struct account_state {
	long long id;
	struct account_view v;
	bool loaded;
	struct lease lease;
	enum pane pane;
	/* Where things go (layout_account()), in the body last laid out. */
	struct account_layout at;
	int rows, cols;
	struct column account_columns[ACC_COLUMNS];
	struct list accounts;  /* the debtor's accounts: Enter opens another */
	struct list history;   /* the events shown[] points to, newest first */
	struct list installments, payments, promises;
	struct promise_line promise_lines[PROMISE_LINES]; /* what the promises list shows */
	struct list contacts;  /* every contact point, whole, wrapped (contact_line()) */
	enum money_form form;  /* US$ and MX$ when the debtor's accounts mix currencies */
	int shown[HISTORY_ROWS]; /* the history's rows that kind_filter lets through */
	struct pending pending;
	char undo_call[CONTACT_KEY_SIZE]; /* the call whose wrong number or dispute `u` undoes, this visit */
	/* Zones are loaded once per process (tz_cached): loading one walks
	 * decades of its history, too slow to do on every account opened. */
	const struct tz *zone;  /* the debtor's, for callbacks; NULL when unknown */
	const struct tz *mine;  /* the collector's (this machine's) */
	bool callback_mine;  /* the callback being typed is in the collector's zone */
	char verdicts[2][512]; /* "call: allowed until 19:00 · sms: refused ...", two channels a line */
	char kind_filter[16];  /* show only history of this kind, "" for all */
	char time_zone[64];    /* the session's zone the history's times are in */
	bool due;              /* changed: reload at the wake-up asked for */
	/* Painted from the account read ahead: its lease is not taken yet and
	 * the database has not been asked again (settle()). */
	bool unsettled;
	double read_at;        /* when st->v was read, on ui_clock() */
};

/* The call outcomes in words, in the order of enum call_outcome (N_()). */
extern const char *const outcome_labels[OUTCOME__COUNT];

/* A new state's lists, empty until shown. */
void account_lists_init(struct account_state *st);
/* The view in st->v was replaced: the lists take its rows, the columns its
 * widths, and the panes their places again. */
void account_lists_show(struct account_state *st);
/* kind_filter changed: the history shows the rows it lets through. */
void account_lists_filter(struct account_state *st);
/* screen_ops.layout and .draw of the account screen. */
void account_lay_out(struct ui *ui, void *state, int rows, int cols);
void account_draw(struct ui *ui, void *state, WINDOW *w, int rows, int cols);
/* An event's kind in words ("SMS", "asignación"). */
const char *account_event_label(const char *kind);
/* Row i of the history as its row says it: the kind ("SMS ←") and the
 * outcome or status in words. */
void account_event_words(const struct account_state *st, int i, char *what, size_t nwhat, const char **detail);
/* The contacts pane's line is of which of st->v.points (-1: none). */
int account_contact_point(const struct account_state *st, int line);
/* The history's row i is which event of st->v.events (-1: none). */
int account_history_event(const struct account_state *st, int i);

#endif
