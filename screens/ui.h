/* The screen manager: one event loop over the keyboard and the database
 * socket, a stack of screens, the title, status line and key bar they share. */
#ifndef COBRO_UI_H
#define COBRO_UI_H

#include <curses.h>
#include <libintl.h>
#include <stdbool.h>

#include "agent.h"
#include "config.h"
#include "db.h"

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
	X(REDRAW, "redraw", N_("Redraw"), N_("Repaint the terminal"))

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
};

#define UI_MAX_DEPTH 8

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
	bool quit;
	bool color;
};

/* Runs until the person quits. Returns the exit status. */
int ui_run(struct db *db, const struct cobro_conf *conf, const struct whoami *me);

void ui_push(struct ui *ui, const struct screen_ops *ops, void *arg);
void ui_pop(struct ui *ui);
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
extern const struct screen_ops help_screen;

#endif
