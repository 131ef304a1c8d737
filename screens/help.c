/* Help: the keys of the screen below, generated from its keymap and the
 * global one, so help can never disagree with what the keys do. */
#include <stdlib.h>
#include <string.h>

#include "ui.h"
#include "util.h"

struct help_state {
	const struct screen_ops *of;
	int top;   /* first key shown: a screen may have more keys than rows */
	int shown; /* how many fit, as last drawn */
};

static void *help_enter(struct ui *ui, void *arg)
{
	struct help_state *st = xcalloc(1, sizeof *st);

	(void)ui;
	st->of = arg;
	return st;
}

static void help_leave(struct ui *ui, void *state)
{
	(void)ui; /* its hint goes with it (ui_pop()) */
	free(state);
}

static void help_draw(struct ui *ui, void *state, WINDOW *w, int rows, int cols)
{
	struct help_state *st = state;
	char key[16], title[256];
	int y = 2, n = 0;

	snprintf(title, sizeof title, _("Keys of the %s screen"), _(st->of->title));
	ui_color_on(ui, w, COLOR_HEADER);
	ui_put(w, 0, 1, cols - 2, title);
	ui_color_off(ui, w, COLOR_HEADER);
	st->shown = rows - y > 1 ? rows - y : 1;
	for (int a = ACTION_NONE + 1; a < ACTION_COUNT; a++)
		n += ui_key_for(st->of, (enum ui_action)a) >= 0;
	if (st->top > n - st->shown)
		st->top = n - st->shown > 0 ? n - st->shown : 0;
	n = 0;
	for (int a = ACTION_NONE + 1; a < ACTION_COUNT; a++) {
		const struct ui_action_info *info = ui_action_info((enum ui_action)a);
		int k;

		k = ui_key_for(st->of, (enum ui_action)a);
		if (k < 0)
			continue;
		if (n++ < st->top || y >= rows)
			continue;
		ui_color_on(ui, w, COLOR_BAR_KEY);
		ui_put(w, y, 2, 8, ui_key_name(k, key, sizeof key));
		ui_color_off(ui, w, COLOR_BAR_KEY);
		ui_put(w, y, 11, 14, info->name);
		ui_put(w, y, 26, cols - 27, _(info->help));
		y++;
	}
	/* Said on the status line, so the list keeps every row it has. */
	if (st->top + st->shown < n)
		ui_status(ui, false, "%s", _("More keys below: Down or PgDn"));
	else if (st->top > 0)
		ui_status(ui, false, "%s", _("More keys above: Up or PgUp"));
}

static enum ui_reaction help_action(struct ui *ui, void *state, enum ui_action a)
{
	struct help_state *st = state;

	(void)ui;
	switch (a) {
	case ACTION_UP: st->top -= st->top > 0; return UI_REDRAW;
	case ACTION_DOWN: st->top++; return UI_REDRAW; /* drawing stops at the end */
	case ACTION_PAGE_UP: st->top = st->top > st->shown ? st->top - st->shown : 0; return UI_REDRAW;
	case ACTION_PAGE_DOWN: st->top += st->shown; return UI_REDRAW;
	case ACTION_FIRST: st->top = 0; return UI_REDRAW;
	case ACTION_LAST: st->top = ACTION_COUNT; return UI_REDRAW;
	default: return UI_UNHANDLED;
	}
}

static const char *const help_bar[] = { "back", "quit", NULL };
static const struct keymap help_keys = { .bar = help_bar };

const struct screen_ops help_screen = {
	.name = "help",
	.title = N_("Help"),
	.keymap = &help_keys,
	.enter = help_enter,
	.leave = help_leave,
	.draw = help_draw,
	.action = help_action,
};
