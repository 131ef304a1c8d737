/* The drill-down (issue 17, line 3): one agent's worklist and recent
 * events, read only, as their supervisor sees them (cobro.agent_worklist(),
 * cobro.agent_events(): the database decides whom she may read). Tab
 * switches between the two lists; Enter opens the account of the row under
 * the cursor on the account screen, where the database decides what the
 * supervisor may do. It follows the team live, as the dashboard does. */
#include <stdlib.h>
#include <string.h>

#include "account_lists.h"
#include "account_screen.h"
#include "contact.h"
#include "drill.h"
#include "drill_screen.h"
#include "label.h"
#include "list.h"
#include "money.h"
#include "notify.h"
#include "ui.h"
#include "util.h"

#define DRILL_ROWS 200
#define DRILL_RELOAD_GAP 0.5

enum { DA_REFERENCE, DA_DEBTOR, DA_DPD, DA_BALANCE, DA_PROMISE, DA_CONTACTED, DA_COLUMNS };
enum { DE_AT, DE_REFERENCE, DE_KIND, DE_OUTCOME, DE_AMOUNT, DE_COLUMNS };

struct drill_state {
	const struct drill_agent *agent;
	struct drill d;
	bool loaded, due;
	double loaded_at;
	char error[256];
	struct drill_layout at;
	struct column acolumns[DA_COLUMNS], ecolumns[DE_COLUMNS];
	struct list accounts, events;
	bool on_events;           /* the events' list has the keys */
	long long opened;         /* the account Enter opened (the account screen keeps a pointer) */
	enum money_form form;     /* "$" alone only while every amount shown is one currency */
};

extern const struct screen_ops drill_screen;

static const struct column account_columns[DA_COLUMNS] = {
	[DA_REFERENCE] = { N_("Account"), 17, 0, 0, false },
	[DA_DEBTOR] = { N_("Debtor"), 0, 10, 1, false },
	[DA_DPD] = { N_("DPD"), 4, 0, 1, true },
	[DA_BALANCE] = { N_("Balance"), 17, 0, 1, true },
	[DA_PROMISE] = { N_("Promise"), 9, 0, 1, false },
	[DA_CONTACTED] = { N_("Contacted"), 16, 0, 1, false },
};
static const struct column event_columns[DE_COLUMNS] = {
	[DE_AT] = { N_("When"), 16, 0, 0, false },
	[DE_REFERENCE] = { N_("Account"), 17, 0, 1, false },
	[DE_KIND] = { N_("What"), 10, 0, 1, false },
	[DE_OUTCOME] = { N_("Outcome"), 0, 8, 1, false },
	[DE_AMOUNT] = { N_("Amount"), 17, 0, 1, true },
};

static void account_row(const struct list *l, WINDOW *w, int y, int i, bool sel, void *ctx)
{
	const struct drill_state *st = ctx;
	const struct drill_account *a = &st->d.accounts[i];
	char text[64];

	(void)sel;
	list_cell(l, w, y, DA_REFERENCE, a->reference);
	list_cell(l, w, y, DA_DEBTOR, a->debtor);
	snprintf(text, sizeof text, "%d", a->dpd);
	list_cell(l, w, y, DA_DPD, text);
	list_cell(l, w, y, DA_BALANCE, money_format_as(text, sizeof text, a->balance, a->currency, st->form));
	list_cell(l, w, y, DA_PROMISE, label(LABEL_PROMISE_STATUS, a->promise));
	if (l->ncolumns > DA_CONTACTED)
		list_cell(l, w, y, DA_CONTACTED, a->last_contact);
}

/* A call's outcome in the call menu's words, any other in the words of its
 * event's kind, as the account's history says them. */
static const char *outcome_words(const char *kind, const char *code)
{
	for (int i = 0; i < OUTCOME__COUNT; i++)
		if (!strcmp(outcome_code((enum call_outcome)i), code))
			return _(outcome_labels[i]);
	return label_outcome(kind, code);
}

static void event_row(const struct list *l, WINDOW *w, int y, int i, bool sel, void *ctx)
{
	const struct drill_state *st = ctx;
	const struct drill_event *e = &st->d.events[i];
	char text[64];

	(void)sel;
	list_cell(l, w, y, DE_AT, e->at);
	list_cell(l, w, y, DE_REFERENCE, e->reference);
	list_cell(l, w, y, DE_KIND, label(LABEL_EVENT_KIND, e->kind));
	list_cell(l, w, y, DE_OUTCOME, outcome_words(e->kind, e->outcome));
	list_cell(l, w, y, DE_AMOUNT,
	          e->has_amount && e->currency[0] ? money_format_as(text, sizeof text, e->amount, e->currency, st->form) : "");
}

static void load(struct ui *ui, struct drill_state *st)
{
	struct drill fresh;

	if (ui->offline)
		return;
	st->due = false;
	st->loaded_at = ui_clock();
	if (!drill_read(ui->db, st->agent->agent_id, DRILL_ROWS, &fresh)) {
		snprintf(st->error, sizeof st->error, "%s", ui->db->err);
		return;
	}
	drill_free(&st->d);
	st->d = fresh;
	/* An agent of team norte works soles, pesos and dollars: "$" beside
	 * "$" would be anyone's (money.h). */
	struct money_mix m = { 0 };

	for (int i = 0; i < st->d.naccounts; i++)
		money_mix_add(&m, st->d.accounts[i].currency);
	for (int i = 0; i < st->d.nevents; i++)
		if (st->d.events[i].has_amount && st->d.events[i].currency[0])
			money_mix_add(&m, st->d.events[i].currency);
	st->form = money_mix_form(&m);
	st->error[0] = '\0';
	st->loaded = true;
	list_count(&st->accounts, st->d.naccounts);
	list_count(&st->events, st->d.nevents);
}

static void focus(struct drill_state *st)
{
	st->accounts.unfocused = st->on_events;
	st->events.unfocused = !st->on_events;
}

static void *drill_enter(struct ui *ui, void *arg)
{
	struct drill_state *st = xcalloc(1, sizeof *st);

	st->agent = arg;
	memcpy(st->acolumns, account_columns, sizeof account_columns);
	memcpy(st->ecolumns, event_columns, sizeof event_columns);
	/* A promise's state and an event's kind whole, in the screen's
	 * language ("incumplida"). */
	if (st->acolumns[DA_PROMISE].width < label_widest(LABEL_PROMISE_STATUS))
		st->acolumns[DA_PROMISE].width = label_widest(LABEL_PROMISE_STATUS);
	if (st->ecolumns[DE_KIND].width < label_widest(LABEL_EVENT_KIND))
		st->ecolumns[DE_KIND].width = label_widest(LABEL_EVENT_KIND);
	list_init(&st->accounts, st->acolumns, DA_COLUMNS, 0, true, account_row, st);
	list_init(&st->events, st->ecolumns, DE_COLUMNS, 0, true, event_row, st);
	focus(st);
	load(ui, st);
	return st;
}

static void drill_leave(struct ui *ui, void *state)
{
	struct drill_state *st = state;

	(void)ui;
	drill_free(&st->d);
	free(st);
}

static void drill_lay_out(struct ui *ui, void *state, int rows, int cols)
{
	struct drill_state *st = state;

	(void)ui;
	layout_drill(rows, &st->at);
	/* When they last heard from the debtor goes first when it is narrow. */
	st->accounts.ncolumns = cols >= 90 ? DA_COLUMNS : DA_COLUMNS - 1;
	list_layout(&st->accounts, st->at.accounts, 0, st->at.naccounts, cols);
	list_layout(&st->events, st->at.events, 0, st->at.nevents, cols);
}

static void drill_draw(struct ui *ui, void *state, WINDOW *w, int rows, int cols)
{
	struct drill_state *st = state;
	char line[512];

	(void)ui;
	(void)rows;
	snprintf(line, sizeof line, _("%s (%s): read only; Enter opens an account"), st->agent->name,
	         st->agent->login);
	ui_color_on(w, COLOR_HEADER);
	ui_put(w, st->at.title, 0, cols, line);
	ui_color_off(w, COLOR_HEADER);
	if (st->error[0]) {
		ui_color_on(w, COLOR_ERROR);
		ui_put(w, 2, 2, cols - 4, st->error);
		ui_color_off(w, COLOR_ERROR);
		return;
	}
	snprintf(line, sizeof line, ngettext("Worklist: %lld account", "Worklist: %lld accounts",
	                                     (unsigned long)st->d.workable),
	         st->d.workable);
	ui_put(w, st->at.accounts_title, 0, cols, line);
	list_draw(&st->accounts, w);
	snprintf(line, sizeof line, ngettext("Recent events: %d", "Recent events: %d", (unsigned long)st->d.nevents),
	         st->d.nevents);
	ui_put(w, st->at.events_title, 0, cols, line);
	list_draw(&st->events, w);
}

static enum ui_reaction drill_action(struct ui *ui, void *state, enum ui_action a)
{
	struct drill_state *st = state;
	struct list *l = st->on_events ? &st->events : &st->accounts;
	int i = list_selected(l);

	switch (a) {
	case ACTION_SWITCH_PANE:
		st->on_events = !st->on_events;
		focus(st);
		return UI_REDRAW;
	case ACTION_OPEN:
		if (i < 0)
			return UI_HANDLED;
		st->opened = st->on_events ? st->d.events[i].account_id : st->d.accounts[i].account_id;
		if (!st->opened)
			return UI_HANDLED;
		ui_push(ui, &account_screen, &st->opened);
		return UI_REDRAW;
	case ACTION_REFRESH:
		load(ui, st);
		return UI_REDRAW;
	default:
		return list_action(l, a) ? UI_REDRAW : UI_UNHANDLED;
	}
}

static enum ui_reaction drill_notify(struct ui *ui, void *state, const char *channel, const char *payload)
{
	struct drill_state *st = state;
	bool top = ui_top(ui) == &drill_screen;

	(void)payload;
	if (!strcmp(channel, UI_NOTIFY_DUE)) {
		if (!st->due || !top)
			return UI_HANDLED;
		if (ui_clock() < st->loaded_at + DRILL_RELOAD_GAP) {
			ui_wake(ui, st->loaded_at + DRILL_RELOAD_GAP);
			return UI_HANDLED;
		}
		load(ui, st);
		return UI_REDRAW;
	}
	if (!strcmp(channel, NOTIFY_ACCOUNT) || !strcmp(channel, NOTIFY_LEASE) ||
	    !strcmp(channel, UI_NOTIFY_RECONNECTED) || !strcmp(channel, UI_NOTIFY_SAVED)) {
		st->due = true;
		if (top)
			ui_wake(ui, st->loaded_at + DRILL_RELOAD_GAP);
	}
	return UI_HANDLED;
}

static void drill_resume(struct ui *ui, void *state)
{
	struct drill_state *st = state;

	if (st->due)
		load(ui, st);
}

void drill_open(struct ui *ui, const struct drill_agent *a)
{
	ui_push(ui, &drill_screen, (void *)a);
}

static const struct keybind drill_binds[] = {
	{ '\n', ACTION_OPEN }, { KEY_ENTER, ACTION_OPEN }, { '\t', ACTION_SWITCH_PANE },
};
static const char *const drill_bar[] = { "help", "open", "switch_pane", "refresh", "back", NULL };

static const struct keymap drill_keys = {
	.binds = drill_binds,
	.count = (int)ARRAY_SIZE(drill_binds),
	.bar = drill_bar,
};

const struct screen_ops drill_screen = {
	.name = "drill",
	.title = N_("Agent"),
	.keymap = &drill_keys,
	.enter = drill_enter,
	.leave = drill_leave,
	.layout = drill_lay_out,
	.draw = drill_draw,
	.action = drill_action,
	.notify = drill_notify,
	.resume = drill_resume,
};
