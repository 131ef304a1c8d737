/* Where a list stands: how many rows it has, which one is selected, which is
 * shown first and how many are shown. Every list of the workstation moves
 * through here (widgets/list.c), so paging is the same everywhere and comes
 * from the height the list is drawn in. Pure: no curses (tests/unit/test_layout.c). */
#ifndef COBRO_SCROLL_H
#define COBRO_SCROLL_H

#include <stdbool.h>

struct scroll {
	int count;  /* rows in the list */
	int cursor; /* the selected row; -1 in a list that only scrolls (a history, the help) */
	int top;    /* the first row shown */
	int height; /* rows shown, as laid out; 0 until then */
};

enum scroll_move { SCROLL_UP, SCROLL_DOWN, SCROLL_PAGE_UP, SCROLL_PAGE_DOWN, SCROLL_FIRST, SCROLL_LAST };

/* An empty list, with a cursor or only scrolling. */
void scroll_init(struct scroll *s, bool cursor);

/* Where a move would take the cursor (or, in a list without one, the top),
 * before it is held within the list: a list that loads its rows a page at
 * a time (the worklist) loads more when this passes the rows it has. */
int scroll_target(const struct scroll *s, enum scroll_move m);

/* Moves the cursor (or the top) to row, held within the list, and scrolls
 * so that the cursor is in view. */
void scroll_to(struct scroll *s, int row);

/* The list now has count rows and shows height of them: the cursor and the
 * top are held within it, and the cursor kept in view. */
void scroll_resize(struct scroll *s, int count, int height);

/* Whether rows are hidden below the last shown, or above the first. */
bool scroll_more_below(const struct scroll *s);
bool scroll_more_above(const struct scroll *s);

#endif
