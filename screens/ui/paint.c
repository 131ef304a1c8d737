#include "paint.h"

#include <stdlib.h>

#include "text.h"

static bool colored;

bool paint_colors(bool wanted)
{
	colored = wanted && !getenv("NO_COLOR") && has_colors();
	if (!colored)
		return false;
	start_color();
	use_default_colors();
	init_pair(COLOR_NORMAL, -1, -1);
	init_pair(COLOR_TITLE, COLOR_BLACK, COLOR_CYAN);
	init_pair(COLOR_BAR_KEY, COLOR_WHITE, -1);
	init_pair(COLOR_BAR_LABEL, COLOR_BLACK, COLOR_CYAN);
	init_pair(COLOR_SELECTED, COLOR_BLACK, COLOR_CYAN);
	init_pair(COLOR_HEADER, COLOR_GREEN, -1);
	init_pair(COLOR_ERROR, COLOR_RED, -1);
	init_pair(COLOR_INFO, COLOR_CYAN, -1);
	init_pair(COLOR_OVERDUE, COLOR_RED, -1);
	init_pair(COLOR_PROMISE_KEPT, COLOR_GREEN, -1);
	init_pair(COLOR_PROMISE_BROKEN, COLOR_MAGENTA, -1);
	init_pair(COLOR_PROMISE_PENDING, COLOR_YELLOW, -1);
	init_pair(COLOR_DIM, COLOR_BLUE, -1);
	init_pair(COLOR_PROMISE_DUE, COLOR_YELLOW, -1);
	init_pair(COLOR_PROMISE_AWAITING, COLOR_CYAN, -1);
	init_pair(COLOR_PROMISE_REJECTED, COLOR_RED, -1);
	return true;
}

void ui_color_on(WINDOW *w, enum ui_color c)
{
	if (colored)
		wattron(w, COLOR_PAIR(c));
	/* Without colour the meaning still shows, as an attribute. */
	if (c == COLOR_SELECTED || c == COLOR_TITLE)
		wattron(w, A_REVERSE);
	else if (c == COLOR_ERROR || c == COLOR_OVERDUE || c == COLOR_PROMISE_BROKEN || c == COLOR_HEADER ||
	         c == COLOR_BAR_KEY || c == COLOR_PROMISE_DUE)
		wattron(w, A_BOLD);
	else if (c == COLOR_DIM && !colored)
		wattron(w, A_DIM);
}

enum ui_color ui_tone_color(enum label_tone tone)
{
	switch (tone) {
	case TONE_WAITING:
		return COLOR_PROMISE_PENDING;
	case TONE_DUE:
		return COLOR_PROMISE_DUE;
	case TONE_GOOD:
		return COLOR_PROMISE_KEPT;
	case TONE_BAD:
		return COLOR_PROMISE_BROKEN;
	case TONE_ASK:
		return COLOR_PROMISE_AWAITING;
	case TONE_REFUSED:
		return COLOR_PROMISE_REJECTED;
	default:
		return COLOR_NORMAL;
	}
}

void ui_color_off(WINDOW *w, enum ui_color c)
{
	(void)c;
	wattrset(w, A_NORMAL);
}

void ui_put(WINDOW *w, int y, int x, int cols, const char *s)
{
	char cell[1024];

	if (cols <= 0)
		return;
	text_fit(cell, sizeof cell, s, cols, 1);
	mvwaddstr(w, y, x, cell);
}

void ui_put_right(WINDOW *w, int y, int x, int cols, const char *s)
{
	int width = text_width(s);

	if (width >= cols) {
		ui_put(w, y, x, cols, s);
		return;
	}
	ui_put(w, y, x, cols - width, "");
	ui_put(w, y, x + cols - width, width, s);
}
