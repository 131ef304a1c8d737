/* The screen manager: one event loop over the keyboard and the database
 * socket, a stack of screens, and what the screens share: the status line,
 * the prompt and menu, the contact policy in force, wake-ups and work put
 * off until after a paint. It knows no screen by name: the registry it is
 * given (registry.c) says which is home and which is help. */
#ifndef COBRO_UI_H
#define COBRO_UI_H

#include <curses.h>
#include <stdbool.h>
#include <stdint.h>

#include "agent.h"
#include "config.h"
#include "db.h"
#include "format.h"
#include "intl.h"
#include "keys.h"
#include "layout.h"
#include "menu.h"
#include "notify.h"
#include "paint.h"
#include "policy_store.h"
#include "presence.h"
#include "prompt.h"
#include "saves.h"
#include "screen.h"

#define UI_MAX_DEPTH 8
#define UI_LATER_MAX 8

struct ui {
	struct db *db;
	struct whoami me;
	const struct cobro_conf *conf;
	const struct screen_registry *screens;
	struct notify notify;
	struct frame frame; /* where the title, body, status and key bar are now */
	struct {
		const struct screen_ops *ops;
		void *state;
		int rows, cols; /* the body it was last laid out in */
	} stack[UI_MAX_DEPTH];
	int depth;
	/* The screen on top came back into view (the one above it left): it
	 * resumes before the next paint, if it is still on top then. */
	bool resumed;
	char status[256];
	bool status_error;
	/* The depth of the screen on top when the status was said: a message
	 * goes with its screen ("diego is on this account" is not the
	 * worklist's), and the screen seen again says its own. */
	int status_depth;
	bool quit;
	bool offline;
	/* The contact policy in force, parsed once and shared by the screens
	 * (ui_policy()); dropped when NOTIFY_POLICY announces a new version. */
	struct stored_policy policy;  /* .policy NULL when none is loaded */
	bool policy_asked;     /* the database was asked for it (it may have none) */
	/* While a notification is delivered: it came from this workstation's
	 * own connection (a change it made and has shown already). */
	bool notify_own;
	/* Notifications came that were not this workstation's own: what changed
	 * is read (read_changes(), ui.c) at most once every UI_CHANGES_GAP s. */
	bool changes_pending;
	double changes_read_at; /* the last reading, on ui_clock() */
	double changes_at;      /* the next one, when one waits; else 0 */
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
	struct prompt prompt;
	struct menu menu;
	/* What the person typed or chose that is not saved yet (ui_save()),
	 * oldest first: kept whichever screen they go to, saved once the
	 * database answers, and in saves_path on disk while it waits. */
	struct save_queue saves;
	char saves_path[4096]; /* "" when there is nowhere to keep them */
	/* What this run read from that file or wrote there: what else is in it
	 * is another window's of the same login, and stays. */
	struct save_queue saves_known;
	bool quit_when_saved;  /* q, then "wait": quit once none waits */
	/* Who is where, as this workstation last told the database (beat()). */
	struct presence presence;
};

/* A line typed on the status line; done gets it on Enter (prompt.h). */
void ui_prompt_open(struct ui *ui, const char *label, const char *initial, ui_prompt_done done, void *state);
/* A choice among a few items in a popup; done gets the one picked (menu.h). */
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

/* Notifications carry nothing, and anyone may send them: what changed is
 * read at most once in this many seconds (docs/security.md). */
#define UI_CHANGES_GAP 1.0

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
/* No key for the last `pause` seconds, and none waiting. */
bool ui_resting(const struct ui *ui, double pause);

/* Keeps it (copied) to be saved: at once when the database answers, else
 * once it is back, after what waits already. Each screen on the stack hears
 * UI_NOTIFY_SAVED with the account's id when it is saved. */
void ui_save(struct ui *ui, const struct save_item *it);
#define UI_NOTIFY_SAVED "cobro:saved"

/* Runs an action on the screen now on top, as if its key had been pressed. */
void ui_request(struct ui *ui, enum ui_action a);

/* Runs the workstation with the screens of the registry, from its home
 * screen, until the person quits. Returns the exit status. */
int ui_run(struct db *db, const struct cobro_conf *conf, const struct whoami *me,
           const struct screen_registry *screens);

void ui_push(struct ui *ui, const struct screen_ops *ops, void *arg);
void ui_pop(struct ui *ui);
/* The screen on top and its state. */
static inline const struct screen_ops *ui_top(const struct ui *ui) { return ui->stack[ui->depth - 1].ops; }
/* The contact policy in force, loaded on first use; NULL when none is
 * loaded in the database (or it cannot be read). */
const struct policy *ui_policy(struct ui *ui);

/* The status line's message, until another replaces it or the screen on
 * top now leaves. */
void ui_status(struct ui *ui, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
