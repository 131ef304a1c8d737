/* A history item, whole: the account screen's row cuts a note or a message
 * at the edge of the screen, and says nothing of how far a message got.
 * Read from the database when opened (item_load(), which decides who may
 * see it), wrapped in display cells to the width of the screen, scrolled
 * with the usual keys. */
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "item.h"
#include "item_screen.h"
#include "label.h"
#include "list.h"
#include "text.h"
#include "tz.h"
#include "ui.h"
#include "util.h"

/* The lines before wrapping, each with its colour. */
struct para {
	char *text;
	enum ui_color color;
};

/* One line on the screen: a piece of a paragraph. */
struct line {
	const char *s;
	size_t len;
	enum ui_color color;
};

struct item_state {
	struct item it;
	bool loaded;
	struct para *paras;
	int nparas;
	struct line *lines;
	int nlines;
	struct list list;
};

static const struct column item_columns[1] = { { NULL, 0, 1, 1, false } };

/* A delivery step's word, as the history says a message's status. */
static const char *step_label(const char *step)
{
	return label(LABEL_MESSAGE_STATUS, step);
}

/* Adds a paragraph (text is taken over). */
static void add(struct item_state *st, enum ui_color color, char *text)
{
	st->paras = xrealloc(st->paras, (size_t)(st->nparas + 1) * sizeof *st->paras);
	st->paras[st->nparas++] = (struct para){ text, color };
}

#define say(st, color, ...) add((st), (color), xasprintf(__VA_ARGS__))

/* What the item says, paragraph by paragraph. */
static void compose(struct item_state *st, const struct item_args *a, const char *zone)
{
	const struct item *it = &st->it;
	char money[48], when[64];

	/* The times are the session's (the zone that formats them): said. */
	say(st, COLOR_HEADER, "%s%s%s  \xc2\xb7  %s %s%s%s", a->what, a->detail[0] ? "  " : "", a->detail, it->at,
	    zone, it->agent[0] ? "  \xc2\xb7  " : "", it->agent);
	if (it->has_amount && it->currency[0])
		say(st, COLOR_NORMAL, _("Amount: %s"),
		    money_format_as(money, sizeof money, it->amount, it->currency, a->form));
	if (it->due) {
		const struct tz *z = it->zone[0] ? tz_cached(it->zone) : NULL;
		struct civil c;

		if (z) {
			tz_local(z, it->due, &c);
			snprintf(when, sizeof when, "%04d-%02d-%02d %02d:%02d", c.year, c.month, c.day, c.hour, c.min);
			say(st, COLOR_NORMAL, _("Call back at %s, %s time"), when, it->zone);
		}
	}
	if (it->has_message) {
		say(st, COLOR_NORMAL, _("To: %s"), it->recipient);
		say(st, COLOR_NORMAL, _("Delivery (times in %s):"), zone);
		for (int i = 0; i < it->nsteps; i++) {
			bool bad = !strcmp(it->steps[i].step, "failed") || !strcmp(it->steps[i].step, "refused");

			say(st, bad ? COLOR_ERROR : COLOR_NORMAL, "  %s  %s",
			    text_pad(when, sizeof when, it->steps[i].at, 19, false), step_label(it->steps[i].step));
		}
		if (!strcmp(it->status, "sending"))
			say(st, COLOR_NORMAL, "  %s  %s", text_pad(when, sizeof when, "", 19, false), step_label("sending"));
		if (it->rule[0])
			say(st, COLOR_ERROR, _("Refused by the contact policy: %s"), it->rule);
		if (it->error[0])
			say(st, COLOR_ERROR, _("Error: %s"), it->error);
	}
	if (it->body[0]) {
		say(st, COLOR_NORMAL, "%s", "");
		say(st, COLOR_NORMAL, "%s", it->body);
	}
}

/* The paragraphs wrapped to cols cells. */
static void wrap(struct item_state *st, int cols)
{
	int cap = 0;

	st->nlines = 0;
	for (int p = 0; p < st->nparas; p++) {
		const char *s = st->paras[p].text, *next;

		do {
			size_t len = text_wrap(s, cols, &next);

			if (st->nlines == cap) {
				cap = cap ? cap * 2 : 32;
				st->lines = xrealloc(st->lines, (size_t)cap * sizeof *st->lines);
			}
			st->lines[st->nlines++] = (struct line){ s, len, st->paras[p].color };
			s = next;
		} while (*s);
	}
	list_count(&st->list, st->nlines);
}

static void line_row(const struct list *l, WINDOW *w, int y, int i, bool selected, void *ctx)
{
	const struct item_state *st = ctx;
	const struct line *ln = &st->lines[i];
	char text[4096];
	size_t len = ln->len < sizeof text - 1 ? ln->len : sizeof text - 1;

	(void)selected;
	/* The line's bytes, whole: wrapping cut it between clusters already. */
	memcpy(text, ln->s, len);
	text[len] = '\0';
	ui_color_on(w, ln->color);
	list_cell(l, w, y, 0, text);
	ui_color_off(w, ln->color);
}

static void *item_enter(struct ui *ui, void *arg)
{
	const struct item_args *a = arg;
	struct item_state *st = xcalloc(1, sizeof *st);

	list_init(&st->list, item_columns, 1, 1, false, line_row, st);
	if (ui->offline) {
		ui_status(ui, true, "%s", _("The database is away: the item cannot be read now"));
		return st;
	}
	if (!item_load(ui->db, a->event_id, &st->it)) {
		ui_status(ui, true, _("Could not read the item: %s"), ui->db->err);
		return st;
	}
	st->loaded = true;
	compose(st, a, db_time_zone(ui->db));
	return st;
}

static void item_leave(struct ui *ui, void *state)
{
	struct item_state *st = state;

	(void)ui;
	for (int i = 0; i < st->nparas; i++)
		free(st->paras[i].text);
	free(st->paras);
	free(st->lines);
	item_free(&st->it);
	free(st);
}

static void item_layout(struct ui *ui, void *state, int rows, int cols)
{
	struct item_state *st = state;

	(void)ui;
	list_layout(&st->list, 1, 0, rows - 1, cols);
	/* One cell of margin each side, as the list's column leaves. */
	wrap(st, st->list.laid.width[0] > 0 ? st->list.laid.width[0] : 1);
}

static void item_draw(struct ui *ui, void *state, WINDOW *w, int rows, int cols)
{
	struct item_state *st = state;

	(void)ui;
	(void)rows;
	(void)cols;
	list_draw(&st->list, w);
}

static enum ui_reaction item_action(struct ui *ui, void *state, enum ui_action a)
{
	struct item_state *st = state;

	(void)ui;
	return list_action(&st->list, a) ? UI_REDRAW : UI_UNHANDLED;
}

static enum ui_reaction item_notify(struct ui *ui, void *state, const char *channel, const char *payload)
{
	(void)ui;
	(void)state;
	(void)channel;
	(void)payload;
	return UI_HANDLED;
}

static const char *const item_bar[] = { "help", "back", "quit", NULL };
static const struct keymap item_keys = { .bar = item_bar };

const struct screen_ops item_screen = {
	.name = "item",
	.title = N_("History item"),
	.keymap = &item_keys,
	.enter = item_enter,
	.leave = item_leave,
	.layout = item_layout,
	.draw = item_draw,
	.action = item_action,
	.notify = item_notify,
};
