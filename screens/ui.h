/* The screen manager: one event loop over the keyboard and the database
 * socket, a stack of screens, the title, status line and key bar they share. */
#ifndef COBRO_UI_H
#define COBRO_UI_H

#include <curses.h>
#include <libintl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "agent.h"
#include "config.h"
#include "db.h"
#include "policy_store.h"

#define _(s) gettext(s)
#define N_(s) (s)

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
	X(OPEN, "open", N_("Open"), N_("Open the selected account"))                    \
	X(NEXT_ACCOUNT, "next_account", N_("Next"), N_("Open the best next account"))   \
	X(LOG_CALL, "log_call", N_("Call"), N_("Log the outcome of a call"))            \
	X(NOTE, "note", N_("Note"), N_("Add a note to the account"))                    \
	X(CALLBACK, "callback", N_("Callback"), N_("Schedule a callback"))              \
	X(SAVE_NEXT, "save_next", N_("Save+next"), N_("Save and open the next account")) \
	X(SWITCH_PANE, "switch_pane", N_("Pane"), N_("Switch between the panes"))       \
	X(SEARCH, "search", N_("Search"), N_("Search by name, reference, phone or national id")) \
	X(FILTER, "filter", N_("Filter"), N_("Filter by days past due, segment, promise or jurisdiction")) \
	X(WHY, "why", N_("Why"), N_("Show why this account ranks where it does"))        \
	X(HISTORY_FILTER, "history_filter", N_("Channel"), N_("Show the history of one channel only")) \
	X(SEND_SMS, "send_sms", N_("SMS"), N_("Send the debtor an SMS from a template"))          \
	X(SEND_EMAIL, "send_email", N_("Email"), N_("Send the debtor an email from a template"))  \
	X(SEND_WHATSAPP, "send_whatsapp", N_("WhatsApp"),                                          \
	  N_("Send the debtor a WhatsApp message from a template"))                               \
	X(QUEUE, "queue", N_("Queue"), N_("Queue the message shown; cobrod sends it"))            \
	X(RECIPIENT, "recipient", N_("To"), N_("Send to the debtor's next usable contact point"))

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

struct keybind {
	int key;
	enum ui_action action;
};

struct keymap {
	const struct keybind *binds;
	int count;
	const char *const *bar; /* action names shown in the key bar, in order */
};

/* Colours by meaning; drawing code never names a colour pair. */
enum ui_color {
	COLOR_NORMAL = 1,
	COLOR_TITLE,
	COLOR_BAR_KEY,
	COLOR_BAR_LABEL,
	COLOR_SELECTED,
	COLOR_HEADER,
	COLOR_ERROR,
	COLOR_INFO,
	COLOR_OVERDUE,
	COLOR_PROMISE_KEPT,
	COLOR_PROMISE_BROKEN,
	COLOR_PROMISE_PENDING,
	COLOR_DIM,
};

struct ui;

enum ui_reaction { UI_UNHANDLED, UI_HANDLED, UI_REDRAW };

struct screen_ops {
	const char *name;
	const char *title;
	const struct keymap *keymap;
	void *(*enter)(struct ui *ui, void *arg);       /* returns the screen's state */
	void (*leave)(struct ui *ui, void *state);
	void (*draw)(struct ui *ui, void *state, WINDOW *w, int rows, int cols);
	enum ui_reaction (*action)(struct ui *ui, void *state, enum ui_action a);
	enum ui_reaction (*notify)(struct ui *ui, void *state, const char *channel, const char *payload);
	/* Optional: once, after the first screen is painted, while the person
	 * reads it. Work that makes their next key quicker, never anything they
	 * would see; a failure here shows when the work is done for real. */
	void (*idle)(struct ui *ui, void *state);
};

#define UI_MAX_DEPTH 8
#define UI_LATER_MAX 8

/* A line of text typed on the status line: a search, a note, a time. The
 * screen that opened it gets the text on Enter; when it returns false the
 * prompt stays open with what was typed and the screen's message beside it. */
typedef bool (*ui_prompt_done)(struct ui *ui, void *state, const char *text);

struct ui_prompt {
	bool active;
	char label[128];
	char text[8192];
	size_t len;
	char error[256];
	ui_prompt_done done;
	void *state;
};

/* A choice among a few items, each picked by its digit or letter. */
typedef void (*ui_menu_done)(struct ui *ui, void *state, int choice);

struct ui_menu {
	bool active;
	char title[128];
	const char *items[16];
	int count;
	ui_menu_done done;
	void *state;
};

struct ui {
	struct db *db;
	struct whoami me;
	const struct cobro_conf *conf;
	struct {
		const struct screen_ops *ops;
		void *state;
	} stack[UI_MAX_DEPTH];
	int depth;
	char status[256];
	bool status_error;
	/* The depth of the screen on top when the status was said: a message
	 * goes with its screen ("diego is on this account" is not the
	 * worklist's), and the screen seen again says its own. */
	int status_depth;
	bool quit;
	bool color;
	bool offline;
	/* The contact policy in force, parsed once and shared by the screens
	 * (ui_policy()); dropped when cobro_policy announces a new version. */
	struct stored_policy policy;  /* .policy NULL when none is loaded */
	bool policy_asked;     /* the database was asked for it (it may have none) */
	/* While a notification is delivered: it came from this workstation's
	 * own connection (a change it made and has shown already). */
	bool notify_own;
	/* This workstation saved something that may move the account in the
	 * worklist (an outcome, a note, a callback, a message): the worklist
	 * reloads when it is seen again. Its own leases, taken and released as
	 * accounts are opened and left, do not count: going back costs nothing. */
	bool own_changes;
	int retries;           /* reconnection attempts so far */
	/* When a screen asked to hear UI_NOTIFY_DUE (ui_wake()), on ui_clock();
	 * 0 when none did. */
	double wake_at;
	/* Work put off until the screen is painted (ui_later()), oldest first. */
	struct ui_later {
		void (*fn)(struct ui *ui, long long arg);
		long long arg;
	} later[UI_LATER_MAX];
	int nlater;
	double later_at;       /* when it runs, on ui_clock(); 0 when none waits */
	/* When the last key came, on ui_clock(): work that may wait for the
	 * person to pause (ui_resting()) waits for it. */
	double key_at;
	struct ui_prompt prompt;
	struct ui_menu menu;
};

void ui_prompt_open(struct ui *ui, const char *label, const char *initial, ui_prompt_done done, void *state);
void ui_menu_open(struct ui *ui, const char *title, const char *const *items, int count, ui_menu_done done,
                  void *state);

/* Sent to every screen on the stack after the connection came back, so they
 * reload and save what waited. */
#define UI_NOTIFY_RECONNECTED "cobro:reconnected"
/* Sent every UI_TICK_SECONDS: screens renew leases and refresh clocks. */
#define UI_NOTIFY_TICK "cobro:tick"
#define UI_TICK_SECONDS 30
/* Sent once the moment a screen asked for with ui_wake() has come: what the
 * screen put off (a reload that notifications asked for) is done then. */
#define UI_NOTIFY_DUE "cobro:due"

/* Seconds on a clock that never jumps. */
double ui_clock(void);
/* Asks for UI_NOTIFY_DUE at ui_clock() time at, or earlier when another
 * screen asked for earlier; at once when at has passed. */
void ui_wake(struct ui *ui, double at);

/* Work put off until after a paint waits this long (seconds) more: started
 * at once, it competes with the terminal for the machine while the paint is
 * still on its way (on the 2-core bench machine, Enter's slow spells went
 * from about 6.7 to 4 ms, docs/architecture.md). */
#define UI_AFTER_PAINT 0.005

/* Work that need not keep the person waiting, like giving back the lease of
 * the account just left: fn(ui, arg) runs UI_AFTER_PAINT after the screen is
 * painted if no key came, and in any case before the next key is handled and
 * before cobro exits, in the order asked. Nothing is lost when the queue is
 * full: the oldest run at once to make room. */
void ui_later(struct ui *ui, void (*fn)(struct ui *ui, long long arg), long long arg);
/* Whether keys are waiting to be read: work that can wait should. */
bool ui_keys_waiting(void);
/* No key for the last `pause` seconds, and none waiting. */
bool ui_resting(const struct ui *ui, double pause);

/* Runs an action on the screen now on top, as if its key had been pressed. */
void ui_request(struct ui *ui, enum ui_action a);

/* Prints every screen's keys, "SCREEN KEY ACTION help", one per line: the
 * source of truth that cobro(1) is checked against (cobro --keys). */
void ui_print_keys(FILE *out);

/* Runs until the person quits. Returns the exit status. */
int ui_run(struct db *db, const struct cobro_conf *conf, const struct whoami *me);

void ui_push(struct ui *ui, const struct screen_ops *ops, void *arg);
void ui_pop(struct ui *ui);
/* The contact policy in force, loaded on first use; NULL when none is
 * loaded in the database (or it cannot be read). */
const struct policy *ui_policy(struct ui *ui);

/* The moment the contact policy is asked about: now, or $COBRO_NOW
 * ("2026-11-24T15:00:00Z") to see the worklist as it would be then (training,
 * and tests that must not depend on the hour they run at). */
int64_t ui_now(void);

struct tz;
/* A moment as a person reads it, in zone z: "19:00" today, "Mon 07:00" within
 * a week, else the date and time. */
void ui_when(char *out, size_t n, const struct tz *z, int64_t t);
/* A verdict in a few words, its times in zone z: "allowed until 19:00",
 * "allowed", "refused CO-DAY, next Mon 07:00", "refused CO-DAY". */
void ui_verdict(char *out, size_t n, const struct policy_verdict *v, const struct tz *z);

/* The status line's message, until another replaces it or the screen on
 * top now leaves. */
void ui_status(struct ui *ui, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Reads the keys = { ... } of cobro.conf into the bindings that come before
 * every screen's own. Returns false with err set ("FILE:LINE: keys.x: ..."). */
bool ui_keys_configure(const struct cobro_conf *conf, char *err, size_t errlen);
/* The key a name stands for ("q", "^R", "Enter", "F5", "PgDn"), or -1. */
int ui_key_parse(const char *name);

/* Key name for the help and the key bar ("q", "Enter", "F1", "^L"). */
const char *ui_key_name(int key, char *buf, size_t n);
/* First key bound to an action on a screen (its keymap, then the global one), or -1. */
int ui_key_for(const struct screen_ops *ops, enum ui_action a);

/* Writes s at (y, x) in exactly cols columns, cut or padded by display width. */
void ui_put(WINDOW *w, int y, int x, int cols, const char *s);
/* The same, aligned to the right edge of the cell (numbers, money). */
void ui_put_right(WINDOW *w, int y, int x, int cols, const char *s);
void ui_color_on(struct ui *ui, WINDOW *w, enum ui_color c);
void ui_color_off(struct ui *ui, WINDOW *w, enum ui_color c);

extern const struct screen_ops worklist_screen;
extern const struct screen_ops account_screen;
/* Reads account id ahead, as the account screen would show it, taking no
 * lease and painting nothing: opening it then paints at once (and reads it
 * again just after). The first time, it rehearses the whole opening, so that
 * the first account opened is as quick as the rest. */
void account_screen_ahead(struct ui *ui, long long id);
/* A notification, for the account read ahead: a change to it, or someone
 * else taking or leaving its lease, drops it (and true is returned, so that
 * it may be read again). */
bool account_screen_heard(struct ui *ui, const char *channel, const char *payload);
/* Frees what was read ahead. */
void account_screen_forget(void);
extern const struct screen_ops help_screen;
extern const struct screen_ops send_screen; /* arg: struct send_args (send.h) */

#endif
