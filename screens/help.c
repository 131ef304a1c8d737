/* Help: the keys of the screen below, generated from its keymap and the
 * global one, so help can never disagree with what the keys do. */
#include <stdlib.h>
#include <string.h>

#include "ui.h"
#include "util.h"

struct help_state {
	const struct screen_ops *of;
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
	(void)ui;
	free(state);
}

static void help_draw(struct ui *ui, void *state, WINDOW *w, int rows, int cols)
{
	struct help_state *st = state;
	char key[16], title[256];
	int y = 2;

	snprintf(title, sizeof title, _("Keys of the %s screen"), _(st->of->title));
	ui_color_on(ui, w, COLOR_HEADER);
	ui_put(w, 0, 1, cols - 2, title);
	ui_color_off(ui, w, COLOR_HEADER);
	for (int a = ACTION_NONE + 1; a < ACTION_COUNT && y < rows; a++) {
		const struct ui_action_info *info = ui_action_info((enum ui_action)a);
		int k;

		k = ui_key_for(st->of, (enum ui_action)a);
		if (k < 0)
			continue;
		ui_color_on(ui, w, COLOR_BAR_KEY);
		ui_put(w, y, 2, 8, ui_key_name(k, key, sizeof key));
		ui_color_off(ui, w, COLOR_BAR_KEY);
		ui_put(w, y, 11, 14, info->name);
		ui_put(w, y, 26, cols - 27, _(info->help));
		y++;
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
};
