/* Keys and actions: every action a key can do (one X-macro gives its enum,
 * its name in configuration, its key-bar label and its help), the keys every
 * screen shares, the person's own bindings from cobro.conf, and key names. */
#ifndef COBRO_KEYS_H
#define COBRO_KEYS_H

#include <curses.h>
#include <stddef.h>
#include <stdbool.h>

#include "config.h"
#include "intl.h"

/* Every action a key can trigger: enum name, configuration name, key-bar label,
 * help text.
 * Numbered above KEY_MAX so they never collide with curses keys. ? help and
 * the man page are generated from this one list. */
#define UI_ACTIONS(X)                                                                   \
	X(QUIT, "quit", N_("Quit"), N_("Quit cobro"))                                   \
	X(BACK, "back", N_("Back"), N_("Go back to the previous screen"))               \
	X(HELP, "help", N_("Help"), N_("Show the keys of this screen"))                 \
	X(UP, "up", N_("Up"), N_("Move up"))                                            \
	X(DOWN, "down", N_("Down"), N_("Move down"))                                    \
	X(PAGE_UP, "page_up", N_("PgUp"), N_("Move up one page"))                       \
	X(PAGE_DOWN, "page_down", N_("PgDn"), N_("Move down one page"))                 \
	X(FIRST, "first", N_("First"), N_("Go to the first row"))                       \
	X(LAST, "last", N_("Last"), N_("Go to the last row"))                           \
	X(REFRESH, "refresh", N_("Reload"), N_("Reload from the database"))             \
	X(REDRAW, "redraw", N_("Redraw"), N_("Repaint the terminal"))                   \
	X(OPEN, "open", N_("Open"), N_("Open the selected account or history item"))    \
	X(NEXT_ACCOUNT, "next_account", N_("Next"), N_("Open the best next account"))   \
	X(LOG_CALL, "log_call", N_("Call"), N_("Log the outcome of a call"))            \
	X(NOTE, "note", N_("Note"), N_("Add a note to the account"))                    \
	X(CALLBACK, "callback", N_("Callback"), N_("Schedule a callback"))              \
	X(CALLBACK_DONE, "callback_done", N_("Done"),                                   \
	  N_("Mark the due callback done: worked without a call"))                      \
	X(UNDO, "undo", N_("Undo"), N_("Undo the wrong number or dispute just marked")) \
	X(PROMISE, "promise", N_("Promise"), N_("Record the debtor's promise to pay"))          \
	X(PROMISE_NEXT, "promise_next", N_("Next/Save"),                                 \
	  N_("Next field; on the last one, save the promise"))                \
	X(NEXT_FIELD, "next_field", N_("Field"), N_("Go to the next field (Up goes back)")) \
	X(NEXT_CHOICE, "next_choice", N_("Choice"), N_("Show the next choice of the field")) \
	X(PREV_CHOICE, "prev_choice", N_("Choice"), N_("Show the previous choice of the field")) \
	X(CONFIRM_PROMISE, "confirm", N_("Confirm"),                             \
	  N_("Send the debtor the saved promise's confirmation"))             \
	X(SAVE_NEXT, "save_next", N_("Save+next"), N_("Save and open the next account")) \
	X(SWITCH_PANE, "switch_pane", N_("Pane"), N_("Switch between the panes"))       \
	X(SEARCH, "search", N_("Search"), N_("Search by name, reference, phone or national id")) \
	X(FILTER, "filter", N_("Filter"), N_("Filter by days past due, segment, promise or jurisdiction")) \
	X(WHY, "why", N_("Why"), N_("Show why this account ranks where it does"))        \
	X(APPROVALS, "approvals", N_("Approvals"),                                           \
	  N_("List the promises awaiting approval (supervisors and leads)"))                \
	X(APPROVE, "approve", N_("Approve"), N_("Approve the promise under the cursor"))     \
	X(REJECT, "reject", N_("Reject"), N_("Reject the promise under the cursor, with a reason")) \
	X(REVIEW, "review", N_("Review"),                                               \
	  N_("Open the review queues (disputes, wrong contacts)"))                      \
	X(SECTION, "section", N_("Section"), N_("Show the next queue"))                 \
	X(DISPUTE_CLEAR, "dispute_clear", N_("Clear"),                                  \
	  N_("Clear the dispute: back to the worklist"))                                \
	X(DISPUTE_KEEP, "dispute_keep", N_("Keep"),                                     \
	  N_("Keep the dispute: it stays off the worklist"))                            \
	X(POINT_RESTORE, "point_restore", N_("Restore"),                                \
	  N_("Restore the contact point: usable again"))                                \
	X(POINT_CONFIRM, "point_confirm", N_("Wrong"),                                  \
	  N_("Confirm the contact point is wrong"))                                     \
	X(HISTORY_FILTER, "history_filter", N_("Channel"), N_("Show the history of one channel only")) \
	X(NUMBER_DECIDE, "number_decide", N_("Number"),                                           \
	  N_("Confirm or reject the number a debtor's reply proposed"))                           \
	X(REASSIGN, "reassign", N_("Reassign"),                                                   \
	  N_("Reassign the team's accounts (team leads and admins)"))         \
	X(PICK, "pick", N_("Pick"), N_("Pick or drop the agent under the cursor as a target")) \
	X(MOVE, "move", N_("Move"), N_("Move the accounts as previewed (asks first)")) \
	X(UNDO_BATCH, "undo_batch", N_("Undo"),                                                   \
	  N_("Undo the last batch if none of its accounts was worked"))      \
	X(SEND_SMS, "send_sms", N_("SMS"), N_("Send the debtor an SMS from a template"))          \
	X(SEND_EMAIL, "send_email", N_("Email"), N_("Send the debtor an email from a template"))  \
	X(SEND_WHATSAPP, "send_whatsapp", N_("WhatsApp"),                                          \
	  N_("Send the debtor a WhatsApp message from a template"))                               \
	X(QUEUE, "queue", N_("Queue"), N_("Queue the message shown; cobrod sends it"))            \
	X(RECIPIENT, "recipient", N_("To"), N_("Send to the debtor's next usable contact point")) \
	X(DASHBOARD, "dashboard", N_("Dashboard"),                                                \
	  N_("Show the team's dashboard (supervisors, leads and administrators)"))                \
	X(DRILL, "drill", N_("Agent"), N_("Show the agent's worklist and recent events, read only")) \
	X(RANGE_TODAY, "range_today", N_("Today"), N_("Show today's figures"))                    \
	X(RANGE_YESTERDAY, "range_yesterday", N_("Yesterday"), N_("Show yesterday's figures"))    \
	X(RANGE_WEEK, "range_week", N_("Week"), N_("Show this week's figures, Monday to now"))    \
	X(RANGE, "range", N_("Range"), N_("Show the figures of a range of days you type"))        \
	X(SORT, "sort", N_("Sort"), N_("Sort by the next column"))                                \
	X(SORT_REVERSE, "sort_reverse", N_("Reverse"), N_("Reverse the order"))

enum ui_action {
	ACTION_NONE = KEY_MAX + 1,
#define X(id, name, label, help) ACTION_##id,
	UI_ACTIONS(X)
#undef X
	ACTION_COUNT
};

struct ui_action_info {
	const char *name;  /* in configuration: keys = { refresh = "R"; } */
	const char *label; /* short, for the key bar */
	const char *help;  /* a sentence, for ? help and the man page */
};
const struct ui_action_info *ui_action_info(enum ui_action a);
/* The action of that configuration name, or ACTION_NONE. */
enum ui_action ui_action_named(const char *name);

struct keybind {
	int key;
	enum ui_action action;
};

/* A screen's own keys, and the action names its key bar shows. */
struct keymap {
	const struct keybind *binds;
	int count;
	const char *const *bar; /* in order, NULL-terminated; NULL for the default */
};

/* The action a key does on a screen with keymap km: the person's own
 * bindings first, then the screen's, then the ones every screen shares;
 * ACTION_NONE for none. */
enum ui_action ui_key_action(const struct keymap *km, int key);
/* The first key bound to an action on a screen with keymap km, looked up
 * in the same order, or -1. */
int ui_key_for(const struct keymap *km, enum ui_action a);

/* Takes action a away from this person: its keys do nothing, and neither
 * the key bar nor ? help offers it (what their role may not do, such as a
 * collector's approvals; the database refuses it anyway). */
void ui_keys_withhold(enum ui_action a);
/* Keeps action a's keys working but offers it nowhere (no key bar, no ?
 * help): a key the person's role may not use, which says so when pressed
 * (a collector's R: the review queues refuse them clearly). */
void ui_keys_hide(enum ui_action a);

/* Reads the keys = { ... } of cobro.conf into the bindings that come before
 * every screen's own. Returns false with err set ("FILE:LINE: keys.x: ..."). */
bool ui_keys_configure(const struct cobro_conf *conf, char *err, size_t errlen);
/* Key name for the help and the key bar ("q", "Enter", "F1", "^L"). */
const char *ui_key_name(int key, char *buf, size_t n);

#endif
