/* A list: rows in columns measured in display cells, a cursor or none,
 * scrolling and paging by the height it is laid out in (layout/scroll.h),
 * and a callback that paints one row. Every list of the workstation is one:
 * the worklist, the account's accounts, history and money, the send
 * screen's templates and preview, the help's keys. */
#ifndef COBRO_LIST_H
#define COBRO_LIST_H

#include <curses.h>
#include <stdbool.h>

#include "keys.h"
#include "layout.h"
#include "scroll.h"

struct list;

/* Paints row i on line y of w; the columns' places are in l->laid (and
 * list_cell() puts text in one). selected: the row under the cursor, whose
 * colour the list has set: the row keeps it rather than its own. */
typedef void (*list_row_fn)(const struct list *l, WINDOW *w, int y, int i, bool selected, void *ctx);

struct list {
	struct scroll at;
	const struct column *columns;
	int ncolumns;
	int margin;          /* cells left free at the right edge */
	bool header;         /* a line of column titles above the rows */
	bool unfocused;      /* the cursor is kept but not shown (another pane has the keys) */
	list_row_fn row;
	void *ctx;
	/* Laid out (list_layout()): where, and the columns' places. */
	int y, x, rows, cols;
	struct columns laid;
};

/* A list of columns (kept, not copied), with a cursor or only scrolling;
 * a header line when the first column has a title. */
void list_init(struct list *l, const struct column *columns, int ncolumns, int margin, bool cursor,
               list_row_fn row, void *ctx);

/* Its place: rows lines from (y, x), cols wide, its header included. The
 * height it pages by is what is left for rows. */
void list_layout(struct list *l, int y, int x, int rows, int cols);
/* The list now has count rows: the cursor stays within them, in view. */
void list_count(struct list *l, int count);

/* Moves for up, down, page up and down, first and last: true when a was
 * one of those. */
bool list_action(struct list *l, enum ui_action a);
/* Where a would move the cursor (or the top), before it is held within the
 * list: false when a is no move. */
bool list_target(const struct list *l, enum ui_action a, int *to);
/* Puts the cursor (or the top) at row, within the list, in view. */
void list_select(struct list *l, int row);
/* The selected row, or -1 in an empty list or one without a cursor. */
int list_selected(const struct list *l);

/* Paints the header and the rows shown. Paints only: nothing moves. */
void list_draw(const struct list *l, WINDOW *w);
/* text in column col of line y, cut or padded to the column's cells,
 * aligned as the column says. */
void list_cell(const struct list *l, WINDOW *w, int y, int col, const char *text);

#endif
