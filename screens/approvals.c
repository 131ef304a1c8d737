/* The approval list: the promises outside their team's limits, waiting for
 * a supervisor or a lead (`A` on the worklist). One key approves the
 * promise under the cursor, another rejects it with a reason; the list
 * follows the team live (a promise saved, or decided elsewhere, comes or
 * goes). And the other side: the collector whose promise was decided hears
 * it on the status line (approvals_heard(), from the worklist, which hears
 * every notification). The database decides who may (promise_approve()). */
#include <stdlib.h>
#include <string.h>

#include "account_screen.h"
#include "approval.h"
#include "approvals.h"
#include "label.h"
#include "list.h"
#include "money.h"
#include "text.h"
#include "ui.h"
#include "util.h"

/* Others' changes reload the list at most this often (seconds), as the
 * worklist's: a busy team's changes come many a second. */
#define APPROVALS_RELOAD_GAP 0.5

struct approvals_state {
	struct approvals list;
	bool loaded;
	bool due;              /* changed: reload at the wake-up asked for */
	double loaded_at;      /* on ui_clock() */
	struct approvals_layout at;
	struct column columns[AP_COLUMNS];
	struct list table;
	enum money_form form;
	long long opened;      /* the account Enter opened (the account screen keeps a pointer) */
	int cols;              /* the body's width, last laid out */
	char said[256];        /* the count as the status line last said it */
	/* The promise being rejected while its reason is typed: the cursor may
	 * not move meanwhile, but the list may reload under it. */
	long long rejecting;
	char rejecting_ref[41];
};

extern const struct screen_ops approvals_screen;

static const struct approval_row *selected_row(const struct approvals_state *st)
{
	int i = list_selected(&st->table);

	return i >= 0 && i < st->list.count ? &st->list.rows[i] : NULL;
}

static enum money_form money_form(const struct approvals_state *st)
{
	struct money_mix m = { 0 };

	for (int i = 0; i < st->list.count && !m.mixed; i++)
		money_mix_add(&m, st->list.rows[i].currency);
	return money_mix_form(&m);
}

/* The list's count on the status line; none when the list is empty (the
 * body says so), so that the worklist's "0 accounts to work" does not
 * stay under it. */
static void say_count(struct ui *ui, struct approvals_state *st)
{
	if (st->list.count)
		ui_status(ui, false,
		          ngettext("%d promise awaits approval", "%d promises await approval",
		                   (unsigned long)st->list.count),
		          st->list.count);
	else
		ui_status(ui, false, "%s", "");
	snprintf(st->said, sizeof st->said, "%s", ui->status);
}

/* The status line says nothing of this screen's but its count: a reload
 * may say the new one. A decision's message stays. */
static bool count_said(const struct ui *ui, const struct approvals_state *st)
{
	return !ui->status[0] || ui->status_depth < ui->depth || !strcmp(ui->status, st->said);
}

/* The references whole, as wide as the widest (within reason): a
 * reference cut short names no account. */
static void widen(struct approvals_state *st)
{
	int ref = 12;

	for (int i = 0; i < st->list.count; i++) {
		int w = text_width(st->list.rows[i].reference);

		ref = w > ref ? w : ref;
	}
	st->columns[AP_REFERENCE].width = ref < 24 ? ref : 24;
	if (st->cols)
		list_layout(&st->table, st->at.list, 0, st->at.nlist, st->cols);
}

/* Reads the list again, the cursor kept on the same promise when it is
 * still there. Says nothing unless asked (quiet after a decision, whose
 * own message stays). */
static void load(struct ui *ui, struct approvals_state *st, bool say)
{
	const struct approval_row *was = selected_row(st);
	long long keep = was ? was->promise_id : 0;
	struct approvals fresh;
	int at = list_selected(&st->table);

	if (ui->offline)
		return;
	if (!approval_list(ui->db, &fresh)) {
		ui_status(ui, true, _("Could not read the promises awaiting approval: %s"), ui->db->err);
		return;
	}
	approvals_free(&st->list);
	st->list = fresh;
	st->loaded = true;
	st->due = false;
	st->loaded_at = ui_clock();
	st->form = money_form(st);
	widen(st);
	for (int i = 0; i < st->list.count; i++)
		if (st->list.rows[i].promise_id == keep)
			at = i;
	list_count(&st->table, st->list.count);
	list_select(&st->table, at < 0 ? 0 : at);
	if (say)
		say_count(ui, st);
}

/* "3 × monthly", "once": the plan in a few words. */
static void plan_words(const struct approval_row *r, char *out, size_t n)
{
	static const struct {
		const char *code, *words;
	} freq[] = {
		{ "weekly", NC_("plan", "weekly") },
		{ "biweekly", NC_("plan", "every 2 weeks") },
		{ "monthly", NC_("plan", "monthly") },
	};

	for (size_t i = 0; i < ARRAY_SIZE(freq); i++)
		if (!strcmp(r->frequency, freq[i].code) && r->installments > 1) {
			snprintf(out, n, "%d \xc3\x97 %s", r->installments, pgettext_key(freq[i].words));
			return;
		}
	snprintf(out, n, "%s", pgettext_key(NC_("plan", "once")));
}

static void promise_row(const struct list *l, WINDOW *w, int y, int i, bool selected, void *ctx)
{
	const struct approvals_state *st = ctx;
	const struct approval_row *r = &st->list.rows[i];
	char cell[64];

	(void)selected;
	list_cell(l, w, y, AP_REFERENCE, r->reference);
	list_cell(l, w, y, AP_DEBTOR, r->debtor);
	list_cell(l, w, y, AP_AGENT, r->agent);
	list_cell(l, w, y, AP_AMOUNT, money_format_as(cell, sizeof cell, r->amount, r->currency, st->form));
	plan_words(r, cell, sizeof cell);
	list_cell(l, w, y, AP_PLAN, cell);
	if (l->ncolumns > AP_LIMITS) {
		char limits[384];

		list_cell(l, w, y, AP_LIMITS, label_list(LABEL_PROMISE_REASON, r->reasons, limits, sizeof limits));
	}
}

static void *approvals_enter(struct ui *ui, void *arg)
{
	struct approvals_state *st = xcalloc(1, sizeof *st);

	(void)arg;
	layout_approvals_columns(0, st->columns);
	list_init(&st->table, st->columns, AP_COLUMNS - 1, 0, true, promise_row, st);
	load(ui, st, true);
	return st;
}

static void approvals_leave(struct ui *ui, void *state)
{
	struct approvals_state *st = state;

	(void)ui;
	approvals_free(&st->list);
	free(st);
}

static void approvals_lay_out(struct ui *ui, void *state, int rows, int cols)
{
	struct approvals_state *st = state;

	(void)ui;
	st->cols = cols;
	layout_approvals(rows, &st->at);
	/* The limits broken get a column where there is room for one. */
	st->table.ncolumns = layout_approvals_columns(cols, st->columns);
	widen(st);
	list_layout(&st->table, st->at.list, 0, st->at.nlist, cols);
}

/* The promise under the cursor whole: who made it and when, its amount,
 * plan and discount, and the limits it breaks, in words. */
static void draw_detail(const struct approvals_state *st, WINDOW *w, int cols)
{
	const struct approval_row *r = selected_row(st);
	char line[512], money[48], plan[64], limits[384];
	struct buf b = { 0 };

	if (!r || st->at.detail_title < 0)
		return;
	snprintf(line, sizeof line, _("%s \xc2\xb7 %s \xc2\xb7 made by %s on %s"), r->reference, r->debtor, r->agent,
	         r->created_at);
	ui_color_on(w, COLOR_HEADER);
	ui_put(w, st->at.detail_title, 0, cols, line);
	ui_color_off(w, COLOR_HEADER);
	plan_words(r, plan, sizeof plan);
	buf_printf(&b, _("%s, %s, first due %s"), money_format_as(money, sizeof money, r->amount, r->currency, st->form),
	           plan, r->first_due);
	if (r->discount > 0)
		buf_printf(&b, _("; settlement, discount %s"),
		           money_format_as(money, sizeof money, r->discount, r->currency, st->form));
	ui_put(w, st->at.detail, 0, cols, b.s);
	buf_free(&b);
	label_list(LABEL_PROMISE_REASON, r->reasons, limits, sizeof limits);
	snprintf(line, sizeof line, _("Outside the limits: %s"), limits[0] ? limits : _("none given"));
	ui_color_on(w, COLOR_PROMISE_AWAITING);
	ui_put(w, st->at.detail + 1, 0, cols, line);
	ui_color_off(w, COLOR_PROMISE_AWAITING);
}

static void approvals_draw(struct ui *ui, void *state, WINDOW *w, int rows, int cols)
{
	struct approvals_state *st = state;

	(void)ui;
	(void)rows;
	list_draw(&st->table, w);
	if (st->loaded && st->list.count == 0) {
		ui_put(w, 2, 2, cols - 4, _("No promise awaits approval. New ones show here as they are saved."));
		return;
	}
	draw_detail(st, w, cols);
}

static bool reason_typed(struct ui *ui, void *state, const char *text)
{
	struct approvals_state *st = state;
	const char *t = text;

	while (*t == ' ' || *t == '\t')
		t++;
	if (!*t) {
		prompt_say(&ui->prompt, _("A reason is required: the collector reads it"));
		return false;
	}
	if (!approval_reject(ui->db, st->rejecting, t)) {
		ui_status(ui, true, _("Could not reject the promise on %s: %s"), st->rejecting_ref, ui->db->err);
		load(ui, st, false);
		return true;
	}
	ui_status(ui, false, _("Promise on %s rejected"), st->rejecting_ref);
	st->rejecting = 0;
	load(ui, st, false);
	return true;
}

static enum ui_reaction approvals_action(struct ui *ui, void *state, enum ui_action a)
{
	struct approvals_state *st = state;
	const struct approval_row *r = selected_row(st);

	switch (a) {
	case ACTION_APPROVE:
		if (!r)
			return UI_HANDLED;
		/* Four eyes (promise_approve() refuses too): said here in the
		 * person's language, before a round trip. */
		if (strcmp(r->agent, ui->me.login) == 0) {
			ui_status(ui, true, _("You took the promise on %s: another supervisor approves it"), r->reference);
			return UI_REDRAW;
		}
		if (!approval_approve(ui->db, r->promise_id)) {
			ui_status(ui, true, _("Could not approve the promise on %s: %s"), r->reference, ui->db->err);
			load(ui, st, false);
			return UI_REDRAW;
		}
		ui_status(ui, false, _("Promise on %s approved"), r->reference);
		load(ui, st, false);
		return UI_REDRAW;
	case ACTION_REJECT: {
		char label[128];

		if (!r)
			return UI_HANDLED;
		st->rejecting = r->promise_id;
		snprintf(st->rejecting_ref, sizeof st->rejecting_ref, "%s", r->reference);
		snprintf(label, sizeof label, _("Why reject the promise on %s?"), r->reference);
		ui_prompt_open(ui, label, "", reason_typed, st);
		return UI_REDRAW;
	}
	case ACTION_OPEN:
		if (!r)
			return UI_HANDLED;
		st->opened = r->account_id;
		ui_push(ui, &account_screen, &st->opened);
		return UI_REDRAW;
	case ACTION_REFRESH:
		load(ui, st, true);
		return UI_REDRAW;
	default:
		return list_action(&st->table, a) ? UI_REDRAW : UI_UNHANDLED;
	}
}

static enum ui_reaction approvals_notify(struct ui *ui, void *state, const char *channel, const char *payload)
{
	struct approvals_state *st = state;

	(void)payload;
	if (!strcmp(channel, UI_NOTIFY_DUE)) {
		if (!st->due)
			return UI_HANDLED;
		if (ui_clock() < st->loaded_at + APPROVALS_RELOAD_GAP) {
			ui_wake(ui, st->loaded_at + APPROVALS_RELOAD_GAP);
			return UI_HANDLED;
		}
		/* On top, the count follows the list, unless the status line
		 * says something of this screen's own (a decision just made). */
		load(ui, st, ui_top(ui) == &approvals_screen && count_said(ui, st));
		return ui_top(ui) == &approvals_screen ? UI_REDRAW : UI_HANDLED;
	}
	/* A promise saved, approved or rejected changes its account: any
	 * change of the team's may be one. The list is short and read by one
	 * statement, at most twice a second. */
	if (!strcmp(channel, NOTIFY_ACCOUNT) || !strcmp(channel, UI_NOTIFY_RECONNECTED) ||
	    !strcmp(channel, UI_NOTIFY_SAVED)) {
		st->due = true;
		ui_wake(ui, st->loaded_at + APPROVALS_RELOAD_GAP);
	}
	return UI_HANDLED;
}

/* Seen again (the account opened from here closed): what changed shows. */
static void approvals_resume(struct ui *ui, void *state)
{
	struct approvals_state *st = state;

	if (st->due)
		load(ui, st, false);
	if (count_said(ui, st))
		say_count(ui, st);
}

static const struct keybind approvals_binds[] = {
	{ 'a', ACTION_APPROVE }, { 'x', ACTION_REJECT }, { '\n', ACTION_OPEN }, { KEY_ENTER, ACTION_OPEN },
};
static const char *const approvals_bar[] = { "help", "approve", "reject", "open", "refresh", "back", NULL };

static const struct keymap approvals_keys = {
	.binds = approvals_binds,
	.count = (int)ARRAY_SIZE(approvals_binds),
	.bar = approvals_bar,
};

const struct screen_ops approvals_screen = {
	.name = "approvals",
	.title = N_("Approvals"),
	.keymap = &approvals_keys,
	.enter = approvals_enter,
	.leave = approvals_leave,
	.layout = approvals_lay_out,
	.draw = approvals_draw,
	.action = approvals_action,
	.notify = approvals_notify,
	.resume = approvals_resume,
};

/* ------------------------------------------------ the collector's side */

/* The decisions on this person's promises: one watch per workstation. */
static struct news_watch watch;
static bool decisions_due;

bool approvals_for(const struct whoami *me)
{
	return strcmp(me->role, "collector") != 0;
}

void approvals_offer(struct ui *ui)
{
	struct promise_decision *d;
	int n;

	if (!approvals_for(&ui->me)) {
		ui_keys_withhold(ACTION_APPROVALS);
		ui_keys_withhold(ACTION_APPROVE);
		ui_keys_withhold(ACTION_REJECT);
	}
	/* Notes where the news starts: what was decided before is not news. */
	if (!ui->offline && decisions_read(ui->db, &watch, &d, &n))
		free(d);
}

void approvals_open(struct ui *ui)
{
	ui_push(ui, &approvals_screen, NULL);
}

void approvals_heard(struct ui *ui, const char *channel, const char *payload)
{
	(void)payload;
	/* A decision on one of the person's promises changes its account,
	 * which they may see: asked once the notifications waiting are read,
	 * so that a burst is one question. */
	if (!strcmp(channel, NOTIFY_ACCOUNT) || !strcmp(channel, UI_NOTIFY_RECONNECTED)) {
		decisions_due = true;
		ui_wake(ui, ui_clock());
	}
}

void approvals_news(struct ui *ui)
{
	struct promise_decision *d;
	int n;

	if (!decisions_due || ui->offline)
		return;
	decisions_due = false;
	if (!decisions_read(ui->db, &watch, &d, &n))
		return; /* asked again at the next change */
	for (int i = 0; i < n; i++) {
		if (d[i].approved)
			ui_status(ui, false, _("Promise on %s approved by %s"), d[i].reference, d[i].decided_by);
		else
			ui_status(ui, false, _("Promise on %s rejected by %s: %s"), d[i].reference, d[i].decided_by,
			          d[i].reason);
	}
	free(d);
}

void approvals_forget(void)
{
	news_watch_free(&watch);
	decisions_due = false;
}
