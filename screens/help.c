/* Help: the keys of the screen below, generated from its keymap and the
 * global one, so help can never disagree with what the keys do. */
#include <stdlib.h>

#include "list.h"
#include "ui.h"
#include "util.h"

struct help_state {
	const struct screen_ops *of;
	struct help_layout at;
	/* The actions bound on that screen, in the action table's order. */
	enum ui_action bound[ACTION_COUNT - ACTION_NONE];
	struct list keys;
};

enum { HELP_KEY, HELP_NAME, HELP_TEXT, HELP_COLUMNS };
static const struct column help_columns[HELP_COLUMNS] = {
	[HELP_KEY] = { NULL, 8, 0, 2, false },
	[HELP_NAME] = { NULL, 14, 0, 1, false },
	[HELP_TEXT] = { NULL, 0, 1, 1, false },
};

static void key_row(const struct list *l, WINDOW *w, int y, int i, bool selected, void *ctx)
{
	const struct help_state *st = ctx;
	const struct ui_action_info *info = ui_action_info(st->bound[i]);
	char key[16];

	(void)selected;
	ui_color_on(w, COLOR_BAR_KEY);
	list_cell(l, w, y, HELP_KEY, ui_key_name(ui_key_for(st->of->keymap, st->bound[i]), key, sizeof key));
	ui_color_off(w, COLOR_BAR_KEY);
	list_cell(l, w, y, HELP_NAME, info->name);
	list_cell(l, w, y, HELP_TEXT, _(info->help));
}

/* Said on the status line, so the list keeps every row it has. When every
 * key shows, the screen below's message stays. */
static void say_more(struct ui *ui, const struct help_state *st)
{
	if (scroll_more_below(&st->keys.at))
		ui_status(ui, false, "%s", _("More keys below: Down or PgDn"));
	else if (scroll_more_above(&st->keys.at))
		ui_status(ui, false, "%s", _("More keys above: Up or PgUp"));
}

static void *help_enter(struct ui *ui, void *arg)
{
	struct help_state *st = xcalloc(1, sizeof *st);
	int n = 0;

	(void)ui;
	st->of = arg;
	for (int a = ACTION_NONE + 1; a < ACTION_COUNT; a++)
		if (ui_key_for(st->of->keymap, (enum ui_action)a) >= 0)
			st->bound[n++] = (enum ui_action)a;
	list_init(&st->keys, help_columns, HELP_COLUMNS, 1, false, key_row, st);
	list_count(&st->keys, n);
	return st;
}

static void help_leave(struct ui *ui, void *state)
{
	(void)ui; /* its hint goes with it (ui_pop()) */
	free(state);
}

static void help_layout(struct ui *ui, void *state, int rows, int cols)
{
	struct help_state *st = state;

	layout_help(rows, &st->at);
	list_layout(&st->keys, st->at.list, 0, st->at.nlist, cols);
	say_more(ui, st);
}

static void help_draw(struct ui *ui, void *state, WINDOW *w, int rows, int cols)
{
	struct help_state *st = state;
	char title[256];

	(void)ui;
	(void)rows;
	snprintf(title, sizeof title, _("Keys of the %s screen"), _(st->of->title));
	ui_color_on(w, COLOR_HEADER);
	ui_put(w, st->at.title, 1, cols - 2, title);
	ui_color_off(w, COLOR_HEADER);
	list_draw(&st->keys, w);
}

static enum ui_reaction help_action(struct ui *ui, void *state, enum ui_action a)
{
	struct help_state *st = state;

	if (!list_action(&st->keys, a))
		return UI_UNHANDLED;
	say_more(ui, st);
	return UI_REDRAW;
}

static const char *const help_bar[] = { "back", "quit", NULL };
static const struct keymap help_keys = { .bar = help_bar };

const struct screen_ops help_screen = {
	.name = "help",
	.title = N_("Help"),
	.keymap = &help_keys,
	.enter = help_enter,
	.leave = help_leave,
	.layout = help_layout,
	.draw = help_draw,
	.action = help_action,
};
