/* Painting by meaning: colours named for what they say, never raw pairs in
 * drawing code, and text put in a cell of so many columns, measured in
 * display cells (text.h). */
#ifndef COBRO_PAINT_H
#define COBRO_PAINT_H

#include <curses.h>
#include <stdbool.h>

#include "label.h"

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
	COLOR_PROMISE_DUE,      /* due today, partly paid, paid late */
	COLOR_PROMISE_AWAITING, /* awaiting a supervisor's approval */
	COLOR_PROMISE_REJECTED,
};

/* A state's colour by what it means (label_tone()). */
enum ui_color ui_tone_color(enum label_tone tone);

/* Starts colours when wanted (ui.color), NO_COLOR is unset and the terminal
 * has them; returns whether they are on. Without them the same meanings
 * show as reverse, bold or dim. */
bool paint_colors(bool wanted);

void ui_color_on(WINDOW *w, enum ui_color c);
void ui_color_off(WINDOW *w, enum ui_color c);

/* Writes s at (y, x) in exactly cols columns, cut or padded by display width. */
void ui_put(WINDOW *w, int y, int x, int cols, const char *s);
/* The same, aligned to the right edge of the cell (numbers, money). */
void ui_put_right(WINDOW *w, int y, int x, int cols, const char *s);

#endif
