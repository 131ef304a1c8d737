/* Worklist: the collector's accounts in working order (home screen). */
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "text.h"
#include "ui.h"
#include "util.h"
#include "worklist.h"

struct worklist_state {
	struct worklist list;
	int selected;
	int top;
	bool loaded;
};

/* Column layout: a pure function of the width, so 80 columns and 200 both read. */
enum { COL_DEBTOR, COL_DPD, COL_BALANCE, COL_PROMISE, COL_LAST, COL_SEGMENT, COL_COUNT };

struct column {
	const char *title;
	int width;
	bool right;
};

static void layout(int cols, struct column c[COL_COUNT])
{
	static const struct column base[COL_COUNT] = {
		[COL_DEBTOR] = { N_("Debtor"), 0, false },     [COL_DPD] = { N_("DPD"), 4, true },
		[COL_BALANCE] = { N_("Balance"), 15, true },   [COL_PROMISE] = { N_("Promise"), 9, false },
		[COL_LAST] = { N_("Contacted"), 16, false }, [COL_SEGMENT] = { N_("Segment"), 9, false },
	};
	int fixed = 0;

	memcpy(c, base, sizeof base);
	if (cols < 90)
		c[COL_LAST].width = 10; /* date only */
	for (int i = 0; i < COL_COUNT; i++)
		fixed += c[i].width + (i ? 1 : 0);
	c[COL_DEBTOR].width = cols - fixed - 1 > 12 ? cols - fixed - 1 : 12;
}

static void load(struct ui *ui, struct worklist_state *st)
{
	struct worklist fresh;

	if (!worklist_fetch(ui->db, &ui->conf->weights, 0, 500, &fresh)) {
		ui_status(ui, true, _("Could not load the worklist: %s"), ui->db->err);
		return;
	}
	worklist_free(&st->list);
	st->list = fresh;
	st->loaded = true;
	if (st->selected >= st->list.count)
		st->selected = st->list.count ? st->list.count - 1 : 0;
	ui_status(ui, false, _("%lld accounts to work"), st->list.total);
}

static void *worklist_enter(struct ui *ui, void *arg)
{
	struct worklist_state *st = xcalloc(1, sizeof *st);

	(void)arg;
	load(ui, st);
	return st;
}

static void worklist_leave(struct ui *ui, void *state)
{
	struct worklist_state *st = state;

	(void)ui;
	worklist_free(&st->list);
	free(st);
}

static enum ui_color promise_color(const char *p)
{
	if (!strcmp(p, "kept"))
		return COLOR_PROMISE_KEPT;
	if (!strcmp(p, "broken"))
		return COLOR_PROMISE_BROKEN;
	if (!strcmp(p, "pending"))
		return COLOR_PROMISE_PENDING;
	return COLOR_NORMAL;
}

static const char *promise_label(const char *p)
{
	if (!strcmp(p, "kept"))
		return _("kept");
	if (!strcmp(p, "broken"))
		return _("broken");
	if (!strcmp(p, "pending"))
		return _("pending");
	if (!strcmp(p, "cancelled"))
		return _("cancelled");
	return "";
}

static void draw_row(struct ui *ui, WINDOW *w, int y, const struct column *c, const struct worklist_row *r,
                     bool selected)
{
	char cell[64];
	int x = 0;

	if (selected)
		ui_color_on(ui, w, COLOR_SELECTED);
	ui_put(w, y, x, c[COL_DEBTOR].width, r->debtor);
	x += c[COL_DEBTOR].width + 1;

	snprintf(cell, sizeof cell, "%d", r->dpd);
	if (!selected && r->dpd > 90)
		ui_color_on(ui, w, COLOR_OVERDUE);
	ui_put_right(w, y, x, c[COL_DPD].width, cell);
	if (!selected)
		ui_color_off(ui, w, COLOR_OVERDUE);
	x += c[COL_DPD].width + 1;

	ui_put_right(w, y, x, c[COL_BALANCE].width, money_format(cell, sizeof cell, r->balance, r->currency));
	x += c[COL_BALANCE].width + 1;

	if (!selected)
		ui_color_on(ui, w, promise_color(r->promise));
	ui_put(w, y, x, c[COL_PROMISE].width, promise_label(r->promise));
	if (!selected)
		ui_color_off(ui, w, COLOR_NORMAL);
	x += c[COL_PROMISE].width + 1;

	/* Narrow terminals get the date alone rather than a cut-off time. */
	snprintf(cell, sizeof cell, "%.*s", c[COL_LAST].width < 16 ? 10 : 16, r->last_contact);
	ui_put(w, y, x, c[COL_LAST].width, cell);
	x += c[COL_LAST].width + 1;
	ui_put(w, y, x, c[COL_SEGMENT].width, r->segment);
	if (selected)
		ui_color_off(ui, w, COLOR_SELECTED);
}

static void worklist_draw(struct ui *ui, void *state, WINDOW *w, int rows, int cols)
{
	struct worklist_state *st = state;
	struct column c[COL_COUNT];
	int x = 0, visible = rows - 1;

	layout(cols, c);
	ui_color_on(ui, w, COLOR_HEADER);
	for (int i = 0; i < COL_COUNT; i++) {
		if (c[i].right)
			ui_put_right(w, 0, x, c[i].width, _(c[i].title));
		else
			ui_put(w, 0, x, c[i].width, _(c[i].title));
		x += c[i].width + 1;
	}
	ui_color_off(ui, w, COLOR_HEADER);

	if (st->loaded && st->list.count == 0) {
		ui_put(w, 2, 2, cols - 4, _("No accounts to work. Press r to reload."));
		return;
	}
	if (st->selected < st->top)
		st->top = st->selected;
	if (visible > 0 && st->selected >= st->top + visible)
		st->top = st->selected - visible + 1;
	for (int i = 0; i < visible && st->top + i < st->list.count; i++)
		draw_row(ui, w, 1 + i, c, &st->list.rows[st->top + i], st->top + i == st->selected);
}

static enum ui_reaction worklist_action(struct ui *ui, void *state, enum ui_action a)
{
	struct worklist_state *st = state;
	int page = LINES - 4 > 1 ? LINES - 4 : 1;

	switch (a) {
	case ACTION_UP: st->selected--; break;
	case ACTION_DOWN: st->selected++; break;
	case ACTION_PAGE_UP: st->selected -= page; break;
	case ACTION_PAGE_DOWN: st->selected += page; break;
	case ACTION_FIRST: st->selected = 0; break;
	case ACTION_LAST: st->selected = st->list.count - 1; break;
	case ACTION_REFRESH: load(ui, st); return UI_REDRAW;
	default: return UI_UNHANDLED;
	}
	if (st->selected >= st->list.count)
		st->selected = st->list.count - 1;
	if (st->selected < 0)
		st->selected = 0;
	return UI_REDRAW;
}

static enum ui_reaction worklist_notify(struct ui *ui, void *state, const char *channel, const char *payload)
{
	(void)channel;
	(void)payload;
	load(ui, state);
	return UI_REDRAW;
}

static const char *const worklist_bar[] = { "help", "refresh", "quit", NULL };

static const struct keymap worklist_keys = {
	.binds = NULL,
	.count = 0,
	.bar = worklist_bar,
};

const struct screen_ops worklist_screen = {
	.name = "worklist",
	.title = N_("Worklist"),
	.keymap = &worklist_keys,
	.enter = worklist_enter,
	.leave = worklist_leave,
	.draw = worklist_draw,
	.action = worklist_action,
	.notify = worklist_notify,
};
