#include "menu.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "intl.h"
#include "paint.h"
#include "text.h"

void menu_open(struct menu *m, const char *title, const char *const *items, int count, ui_menu_done done,
               void *state)
{
	memset(m, 0, sizeof *m);
	m->active = true;
	snprintf(m->title, sizeof m->title, "%s", title);
	m->count = count < MENU_MAX_ITEMS ? count : MENU_MAX_ITEMS;
	for (int i = 0; i < m->count; i++)
		m->items[i] = items[i];
	m->done = done;
	m->state = state;
}

enum menu_key menu_key(struct menu *m, bool is_key, wint_t wc, int *choice)
{
	if (!is_key && wc == 27) {
		m->active = false;
		return MENU_CANCEL;
	}
	if (!is_key && wc >= '1' && wc <= '9' && (int)(wc - '1') < m->count) {
		m->active = false;
		*choice = (int)wc - '1';
		return MENU_CHOSEN;
	}
	return MENU_WAITING;
}

/*   ┌ Title ──────────────┐
 *   │                     │
 *   │ 1  First item       │
 *   │ 2  Second item      │
 *   │                     │
 *   │ Esc cancels         │
 *   └─────────────────────┘ */
void menu_draw(const struct menu *m, int lines, int cols)
{
	const char *esc = _("Esc cancels");
	int want = text_width(m->title) + 6;
	struct popup p;

	for (int i = 0; i < m->count; i++)
		if (text_width(pgettext_key(m->items[i])) + 8 > want)
			want = text_width(pgettext_key(m->items[i])) + 8;
	if (text_width(esc) + 4 > want)
		want = text_width(esc) + 4;
	layout_popup(lines, cols, want, m->count + 5, &p);
	if (p.w < 4 || p.h < 3)
		return;
	/* What is behind goes: the popup is blank but for what it says. */
	for (int r = 0; r < p.h; r++)
		mvhline(p.y + r, p.x, ' ', p.w);
	mvaddch(p.y, p.x, ACS_ULCORNER);
	mvhline(p.y, p.x + 1, ACS_HLINE, p.w - 2);
	mvaddch(p.y, p.x + p.w - 1, ACS_URCORNER);
	mvvline(p.y + 1, p.x, ACS_VLINE, p.h - 2);
	mvvline(p.y + 1, p.x + p.w - 1, ACS_VLINE, p.h - 2);
	mvaddch(p.y + p.h - 1, p.x, ACS_LLCORNER);
	mvhline(p.y + p.h - 1, p.x + 1, ACS_HLINE, p.w - 2);
	mvaddch(p.y + p.h - 1, p.x + p.w - 1, ACS_LRCORNER);
	{
		char title[160];
		int tw;

		snprintf(title, sizeof title, " %s ", m->title);
		tw = text_width(title);
		ui_color_on(stdscr, COLOR_TITLE);
		ui_put(stdscr, p.y, p.x + 1, tw < p.w - 2 ? tw : p.w - 2, title);
		ui_color_off(stdscr, COLOR_TITLE);
	}
	for (int i = 0; i < m->count && 2 + i < p.h - 3; i++) {
		char line[160];

		snprintf(line, sizeof line, "%d  %s", i + 1, pgettext_key(m->items[i]));
		ui_put(stdscr, p.y + 2 + i, p.x + 2, p.w - 4, line);
	}
	ui_color_on(stdscr, COLOR_DIM);
	ui_put(stdscr, p.y + p.h - 2, p.x + 2, p.w - 4, esc);
	ui_color_off(stdscr, COLOR_DIM);
}
