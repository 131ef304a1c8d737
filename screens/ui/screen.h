/* What a screen is to the screen manager (tig's view_ops, htop's Panel): a
 * table of functions, and the registry of every screen the workstation has. */
#ifndef COBRO_SCREEN_H
#define COBRO_SCREEN_H

#include <curses.h>
#include <stdbool.h>
#include <stdio.h>
#include <wchar.h>

#include "keys.h"

struct ui;

enum ui_reaction { UI_UNHANDLED, UI_HANDLED, UI_REDRAW };

struct screen_ops {
	const char *name;  /* in cobro --keys, and its man page section (capitalised) */
	const char *title; /* in the title line, translated */
	const struct keymap *keymap;
	void *(*enter)(struct ui *ui, void *arg); /* returns the screen's state */
	void (*leave)(struct ui *ui, void *state);
	/* Optional: where things go in a body of rows x cols (pure functions
	 * of layout.h), before the first paint and whenever the terminal's
	 * size changed. No query, nothing said. */
	void (*layout)(struct ui *ui, void *state, int rows, int cols);
	/* Paints the body between the title and the status line, from the
	 * state as it is: no query, no message, nothing moved. */
	void (*draw)(struct ui *ui, void *state, WINDOW *w, int rows, int cols);
	enum ui_reaction (*action)(struct ui *ui, void *state, enum ui_action a);
	/* Optional: a screen that is typed into (a form) takes each key first,
	 * before it becomes an action: true when it was typing (a letter, q
	 * or ñ among them), false to leave it to the keymap. */
	bool (*typed)(struct ui *ui, void *state, bool is_key, wint_t wc);
	enum ui_reaction (*notify)(struct ui *ui, void *state, const char *channel, const char *payload);
	/* Optional: the account the screen shows (0: none), for the presence
	 * the workstation reports (ui.c, beat()); the screens above it are on
	 * that account too. */
	long long (*account)(void *state);
	/* Optional: seen again, just before the paint, once the screen above it
	 * left: what changed meanwhile is read, and what it says is said. */
	void (*resume)(struct ui *ui, void *state);
	/* A SCREEN_KEYED screen: the action that opens it from any screen
	 * (the screen manager's, when the screen on top leaves it). */
	enum ui_action opened_by;
	/* Optional: NULL when this person may open the screen, else why not,
	 * in words (said when they press its key; ? help and the key bar then
	 * do not offer it). */
	const char *(*refused)(const struct ui *ui);
	/* A SCREEN_KEYED screen that opens over the home screen at start, for
	 * whoever it does not refuse (the dashboard, a supervisor's home). */
	bool at_start;
	/* Optional: once, after the first screen is painted, while the person
	 * reads it. Work that makes their next key quicker, never anything they
	 * would see; a failure here shows when the work is done for real. */
	void (*idle)(struct ui *ui, void *state);
};

/* What a screen is to the manager beyond its table. */
enum screen_role {
	SCREEN_OPENED,  /* opened by another screen */
	SCREEN_HOME,    /* the first, under every other: leaving it is leaving cobro */
	SCREEN_HELP,    /* what ? opens, about the screen under it */
	SCREEN_KEYED,   /* opened from any screen by its action (opened_by) */
};

struct screen_entry {
	const struct screen_ops *ops;
	enum screen_role role;
};

/* Every screen, in the order cobro --keys, cobro(1) and the help list them. */
struct screen_registry {
	const struct screen_entry *screens;
	int count;
};

/* The screen of that role (the first, if several), or NULL. */
const struct screen_ops *screen_find(const struct screen_registry *r, enum screen_role role);

/* The SCREEN_KEYED screen that action a opens, or NULL. */
const struct screen_ops *screen_keyed(const struct screen_registry *r, enum ui_action a);

/* Prints every screen's keys, "SCREEN KEY ACTION help", one per line: the
 * source of truth that cobro(1) is checked against (cobro --keys). */
void screen_print_keys(const struct screen_registry *r, FILE *out);

#endif
