#include "screen.h"

const struct screen_ops *screen_find(const struct screen_registry *r, enum screen_role role)
{
	for (int i = 0; i < r->count; i++)
		if (r->screens[i].role == role)
			return r->screens[i].ops;
	return NULL;
}

const struct screen_ops *screen_keyed(const struct screen_registry *r, enum ui_action a)
{
	for (int i = 0; i < r->count; i++)
		if (r->screens[i].role == SCREEN_KEYED && r->screens[i].ops->opened_by == a)
			return r->screens[i].ops;
	return NULL;
}

void screen_print_keys(const struct screen_registry *r, FILE *out)
{
	char key[16];

	for (int i = 0; i < r->count; i++) {
		const struct screen_ops *s = r->screens[i].ops;

		for (int a = ACTION_NONE + 1; a < ACTION_COUNT; a++) {
			int k = ui_key_for(s->keymap, (enum ui_action)a);

			if (k >= 0)
				fprintf(out, "%s\t%s\t%s\t%s\n", s->name, ui_key_name(k, key, sizeof key),
				        ui_action_info((enum ui_action)a)->name, ui_action_info((enum ui_action)a)->help);
		}
	}
}
