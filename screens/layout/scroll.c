#include "scroll.h"

void scroll_init(struct scroll *s, bool cursor)
{
	*s = (struct scroll){ .cursor = cursor ? 0 : -1 };
}

/* Rows one page moves: the height shown, at least one. */
static int scroll_page(const struct scroll *s)
{
	return s->height > 1 ? s->height : 1;
}

int scroll_target(const struct scroll *s, enum scroll_move m)
{
	int at = s->cursor >= 0 ? s->cursor : s->top;

	switch (m) {
	case SCROLL_UP: return at - 1;
	case SCROLL_DOWN: return at + 1;
	case SCROLL_PAGE_UP: return at - scroll_page(s);
	case SCROLL_PAGE_DOWN: return at + scroll_page(s);
	case SCROLL_FIRST: return 0;
	case SCROLL_LAST: return s->cursor >= 0 ? s->count - 1 : s->count - s->height;
	}
	return at;
}

/* The last top that still fills the list's height. */
static int last_top(const struct scroll *s)
{
	return s->count > s->height ? s->count - s->height : 0;
}

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

void scroll_to(struct scroll *s, int row)
{
	if (s->cursor < 0) {
		s->top = clamp(row, 0, last_top(s));
		return;
	}
	s->cursor = clamp(row, 0, s->count > 0 ? s->count - 1 : 0);
	/* The top moves only as far as the cursor needs. */
	if (s->cursor < s->top)
		s->top = s->cursor;
	if (s->height > 0 && s->cursor >= s->top + s->height)
		s->top = s->cursor - s->height + 1;
	if (s->top < 0)
		s->top = 0;
}

void scroll_resize(struct scroll *s, int count, int height)
{
	s->count = count > 0 ? count : 0;
	s->height = height > 0 ? height : 0;
	/* Fewer rows, or a taller list: the last page stays full. */
	if (s->top > last_top(s))
		s->top = last_top(s);
	scroll_to(s, s->cursor >= 0 ? s->cursor : s->top);
}

bool scroll_more_below(const struct scroll *s)
{
	return s->top + s->height < s->count;
}

bool scroll_more_above(const struct scroll *s)
{
	return s->top > 0;
}
