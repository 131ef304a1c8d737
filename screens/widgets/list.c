#include "list.h"

#include "intl.h"
#include "paint.h"

void list_init(struct list *l, const struct column *columns, int ncolumns, int margin, bool cursor,
               list_row_fn row, void *ctx)
{
	*l = (struct list){
		.columns = columns,
		.ncolumns = ncolumns,
		.margin = margin,
		.header = ncolumns > 0 && columns[0].title,
		.row = row,
		.ctx = ctx,
	};
	scroll_init(&l->at, cursor);
}

void list_layout(struct list *l, int y, int x, int rows, int cols)
{
	l->y = y;
	l->x = x;
	l->rows = rows > 0 ? rows : 0;
	l->cols = cols > 0 ? cols : 0;
	layout_columns(l->columns, l->ncolumns, l->cols, l->margin, &l->laid);
	scroll_resize(&l->at, l->at.count, l->rows - (l->header ? 1 : 0));
}

void list_count(struct list *l, int count)
{
	scroll_resize(&l->at, count, l->at.height);
}

static bool move_of(enum ui_action a, enum scroll_move *m)
{
	switch (a) {
	case ACTION_UP: *m = SCROLL_UP; return true;
	case ACTION_DOWN: *m = SCROLL_DOWN; return true;
	case ACTION_PAGE_UP: *m = SCROLL_PAGE_UP; return true;
	case ACTION_PAGE_DOWN: *m = SCROLL_PAGE_DOWN; return true;
	case ACTION_FIRST: *m = SCROLL_FIRST; return true;
	case ACTION_LAST: *m = SCROLL_LAST; return true;
	default: return false;
	}
}

bool list_target(const struct list *l, enum ui_action a, int *to)
{
	enum scroll_move m;

	if (!move_of(a, &m))
		return false;
	*to = scroll_target(&l->at, m);
	return true;
}

bool list_action(struct list *l, enum ui_action a)
{
	enum scroll_move m;

	if (!move_of(a, &m))
		return false;
	scroll_to(&l->at, scroll_target(&l->at, m));
	return true;
}

void list_select(struct list *l, int row)
{
	scroll_to(&l->at, row);
}

int list_selected(const struct list *l)
{
	return l->at.cursor >= 0 && l->at.count > 0 ? l->at.cursor : -1;
}

void list_cell(const struct list *l, WINDOW *w, int y, int col, const char *text)
{
	int x, width;

	if (col >= l->laid.n || (width = l->laid.width[col]) <= 0)
		return;
	x = l->x + l->laid.x[col];
	if (l->columns[col].right)
		ui_put_right(w, y, x, width, text);
	else
		ui_put(w, y, x, width, text);
}

void list_draw(const struct list *l, WINDOW *w)
{
	int y = l->y;

	if (l->header) {
		ui_color_on(w, COLOR_HEADER);
		for (int c = 0; c < l->ncolumns; c++)
			list_cell(l, w, y, c, l->columns[c].title ? _(l->columns[c].title) : "");
		ui_color_off(w, COLOR_HEADER);
		y++;
	}
	for (int i = 0; i < l->at.height && l->at.top + i < l->at.count; i++) {
		int row = l->at.top + i;
		bool selected = row == l->at.cursor && !l->unfocused;

		if (selected) {
			/* The whole line shows the cursor, the gaps between cells too. */
			ui_color_on(w, COLOR_SELECTED);
			mvwhline(w, y + i, l->x, ' ', l->cols);
		}
		l->row(l, w, y + i, row, selected, l->ctx);
		if (selected)
			ui_color_off(w, COLOR_SELECTED);
	}
}
