#include "bars.h"

#include <stdio.h>
#include <string.h>

#include "paint.h"
#include "text.h"

void bars_title(const struct frame *f, const char *title, const struct whoami *me)
{
	char left[256], right[512];
	int rw;

	snprintf(left, sizeof left, " cobro \xc2\xb7 %s", title);
	snprintf(right, sizeof right, "%s (%s%s%s) ", me->name, me->login, me->team[0] ? ", " : "", me->team);
	ui_color_on(stdscr, COLOR_TITLE);
	rw = text_width(right);
	ui_put(stdscr, f->title, 0, f->cols, left);
	if (rw < f->cols - text_width(left))
		ui_put(stdscr, f->title, f->cols - rw, rw, right);
	ui_color_off(stdscr, COLOR_TITLE);
}

void bars_status(const struct frame *f, const char *message, bool error)
{
	move(f->status, 0);
	clrtoeol();
	ui_color_on(stdscr, error ? COLOR_ERROR : COLOR_INFO);
	ui_put(stdscr, f->status, 0, f->cols, message);
	ui_color_off(stdscr, COLOR_INFO);
}

void bars_keys(const struct frame *f, const struct keymap *km)
{
	static const char *const fallback[] = { "help", "back", "quit", NULL };
	const char *const *bar = km && km->bar ? km->bar : fallback;
	int x = 0, y = f->keybar, gap = 2, need = 0;
	char key[16];

	/* Two blanks between the keys, one when that keeps them all in view. */
	for (const char *const *b = bar; *b; b++) {
		enum ui_action a = ui_action_named(*b);
		int k = a == ACTION_NONE ? -1 : ui_key_for(km, a);

		if (k >= 0)
			need += text_width(ui_key_name(k, key, sizeof key)) + text_width(_(ui_action_info(a)->label)) + 2;
	}
	if (need - 2 > f->cols)
		gap = 1;
	move(y, 0);
	clrtoeol();
	for (; *bar && x < f->cols; bar++) {
		enum ui_action a = ui_action_named(*bar);
		const char *label;
		int k = a == ACTION_NONE ? -1 : ui_key_for(km, a), kw, lw;

		if (k < 0)
			continue;
		ui_key_name(k, key, sizeof key);
		label = _(ui_action_info(a)->label);
		kw = text_width(key);
		lw = text_width(label);
		ui_color_on(stdscr, COLOR_BAR_KEY);
		ui_put(stdscr, y, x, kw, key);
		ui_color_off(stdscr, COLOR_BAR_KEY);
		x += kw;
		ui_color_on(stdscr, COLOR_BAR_LABEL);
		ui_put(stdscr, y, x, lw + 1 < f->cols - x ? lw + 1 : f->cols - x, label);
		ui_color_off(stdscr, COLOR_BAR_LABEL);
		x += lw + gap;
	}
}
