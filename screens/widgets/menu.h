/* A choice among a few items, each picked by its digit, drawn as a bordered
 * popup over the screen that hides what is behind it. */
#ifndef COBRO_MENU_H
#define COBRO_MENU_H

#include <stdbool.h>
#include <wchar.h>

#include "layout.h"

struct ui;

#define MENU_MAX_ITEMS 9 /* one digit each */

typedef void (*ui_menu_done)(struct ui *ui, void *state, int choice);

struct menu {
	bool active;
	char title[128];
	const char *items[MENU_MAX_ITEMS]; /* kept as pointers: they must live while it is open */
	int count;
	ui_menu_done done;
	void *state;
};

/* items are translated when drawn (marked N_()), or already in words. */
void menu_open(struct menu *m, const char *title, const char *const *items, int count, ui_menu_done done,
               void *state);

enum menu_key { MENU_WAITING, MENU_CHOSEN, MENU_CANCEL };
/* A key while the menu is open: a digit picks (*choice, from 0), Esc cancels. */
enum menu_key menu_key(struct menu *m, bool is_key, wint_t wc, int *choice);

/* Paints the popup in the middle of the frame's lines. */
void menu_draw(const struct menu *m, int lines, int cols);

#endif
