/* The review queues (`R`, supervisors, leads and administrators; issue 17,
 * line 4): what collectors cannot undo, waiting for a decision. One screen,
 * two queues shown one at a time (Tab): the team's accounts in dispute
 * (clear, or keep) and the contact points marked wrong (restore, or
 * confirm); the promises awaiting approval are counted on the sections'
 * line and opened with `A` (the approval list, approvals.c). Each decision
 * asks for a reason, then for a confirmation, and goes to the database,
 * which decides who may (functions/review.sql). The queues follow the team
 * live: a dispute raised, a number marked, another supervisor's decision
 * comes or goes, read again on the notifications as the approval list is. */
#include <stdlib.h>
#include <string.h>

#include "account_screen.h"
#include "approval.h"
#include "approvals.h"
#include "label.h"
#include "list.h"
#include "money.h"
#include "review.h"
#include "review_screen.h"
#include "text.h"
#include "ui.h"
#include "util.h"

/* Others' changes reload the queues at most this often (seconds), as the
 * approval list's. */
#define REVIEW_RELOAD_GAP 0.5

enum section { SECTION_DISPUTES, SECTION_POINTS, SECTION_COUNT };

struct review_state {
	struct review_queues q;
	int approvals;          /* promises awaiting approval, -1 unknown */
	bool loaded;
	bool due;               /* changed: reload at the wake-up asked for */
	double loaded_at;       /* on ui_clock() */
	enum section section;
	struct review_layout at;
	struct column dcols[RD_COLUMNS], pcols[RP_COLUMNS];
	struct list lists[SECTION_COUNT];
	enum money_form form;
	int cols;
	long long opened;       /* the account Enter opened (the account screen keeps a pointer) */
	char said[256];         /* the count as the status line last said it */
	/* The decision being made: its reason typed, then confirmed. The
	 * cursor does not move meanwhile; the queue may reload under it. */
	struct {
		enum review_decision d;
		long long account, point;
		char what[384];     /* "TDS-CO-000000576", "+34600000000 (TDS-...)" */
		char reason[2048];
		char title[128];
		const char *items[2];
	} deciding;
};

extern const struct screen_ops review_screen;

static int count_of(const struct review_state *st, enum section s)
{
	return s == SECTION_DISPUTES ? st->q.ndisputes : st->q.npoints;
}

static struct list *shown(struct review_state *st)
{
	return &st->lists[st->section];
}

static const struct review_dispute *dispute_at(const struct review_state *st)
{
	int i = list_selected(&st->lists[SECTION_DISPUTES]);

	return st->section == SECTION_DISPUTES && i >= 0 && i < st->q.ndisputes ? &st->q.disputes[i] : NULL;
}

static const struct review_point *point_at(const struct review_state *st)
{
	int i = list_selected(&st->lists[SECTION_POINTS]);

	return st->section == SECTION_POINTS && i >= 0 && i < st->q.npoints ? &st->q.points[i] : NULL;
}

static void say_count(struct ui *ui, struct review_state *st)
{
	int n = st->q.ndisputes + st->q.npoints;

	if (n)
		ui_status(ui, false, ngettext("%d item awaits review", "%d items await review", (unsigned long)n), n);
	else
		ui_status(ui, false, "%s", "");
	snprintf(st->said, sizeof st->said, "%s", ui->status);
}

static bool count_said(const struct ui *ui, const struct review_state *st)
{
	return !ui->status[0] || ui->status_depth < ui->depth || !strcmp(ui->status, st->said);
}

static enum money_form money_form(const struct review_state *st)
{
	struct money_mix m = { 0 };

	for (int i = 0; i < st->q.ndisputes && !m.mixed; i++)
		money_mix_add(&m, st->q.disputes[i].currency);
	return money_mix_form(&m);
}

/* Reads both queues (and the approvals' count) again, each cursor kept on
 * the same item when it is still there. */
static void load(struct ui *ui, struct review_state *st, bool say)
{
	long long keep_d = 0, keep_p = 0;
	int at_d = list_selected(&st->lists[SECTION_DISPUTES]), at_p = list_selected(&st->lists[SECTION_POINTS]);
	struct review_queues fresh;
	struct approvals ap;

	if (ui->offline)
		return;
	if (at_d >= 0 && at_d < st->q.ndisputes)
		keep_d = st->q.disputes[at_d].account_id;
	if (at_p >= 0 && at_p < st->q.npoints)
		keep_p = st->q.points[at_p].point_id;
	if (!review_read(ui->db, &fresh)) {
		ui_status(ui, true, _("Could not read the review queues: %s"), ui->db->err);
		return;
	}
	review_free(&st->q);
	st->q = fresh;
	st->approvals = -1;
	if (approval_list(ui->db, &ap)) {
		st->approvals = ap.count;
		approvals_free(&ap);
	}
	st->loaded = true;
	st->due = false;
	st->loaded_at = ui_clock();
	st->form = money_form(st);
	for (int i = 0; i < st->q.ndisputes; i++)
		if (st->q.disputes[i].account_id == keep_d)
			at_d = i;
	for (int i = 0; i < st->q.npoints; i++)
		if (st->q.points[i].point_id == keep_p)
			at_p = i;
	list_count(&st->lists[SECTION_DISPUTES], st->q.ndisputes);
	list_select(&st->lists[SECTION_DISPUTES], at_d < 0 ? 0 : at_d);
	list_count(&st->lists[SECTION_POINTS], st->q.npoints);
	list_select(&st->lists[SECTION_POINTS], at_p < 0 ? 0 : at_p);
	if (say)
		say_count(ui, st);
}

/* "12-05 14:02": the day and time of a "YYYY-MM-DD HH:MM". */
static const char *short_when(const char *at)
{
	return strlen(at) > 5 ? at + 5 : at;
}

static const char *who(const char *login)
{
	return login[0] ? login : "\xe2\x80\x94"; /* an em dash: not known */
}

static void dispute_row(const struct list *l, WINDOW *w, int y, int i, bool selected, void *ctx)
{
	const struct review_state *st = ctx;
	const struct review_dispute *d = &st->q.disputes[i];
	char money[48];

	(void)selected;
	list_cell(l, w, y, RD_REFERENCE, d->reference);
	list_cell(l, w, y, RD_DEBTOR, d->debtor);
	list_cell(l, w, y, RD_AGENT, who(d->agent));
	list_cell(l, w, y, RD_BALANCE, money_format_as(money, sizeof money, d->balance, d->currency, st->form));
	list_cell(l, w, y, RD_RAISED, short_when(d->raised_at));
	list_cell(l, w, y, RD_BY, who(d->raised_by));
}

static void point_row(const struct list *l, WINDOW *w, int y, int i, bool selected, void *ctx)
{
	const struct review_state *st = ctx;
	const struct review_point *p = &st->q.points[i];

	(void)selected;
	list_cell(l, w, y, RP_POINT, p->value);
	list_cell(l, w, y, RP_DEBTOR, p->debtor);
	list_cell(l, w, y, RP_AGENT, who(p->agent));
	list_cell(l, w, y, RP_MARKED, short_when(p->marked_at));
	list_cell(l, w, y, RP_BY, who(p->marked_by));
}

static void *review_enter(struct ui *ui, void *arg)
{
	struct review_state *st = xcalloc(1, sizeof *st);

	(void)arg;
	layout_review_columns(st->dcols, st->pcols);
	list_init(&st->lists[SECTION_DISPUTES], st->dcols, RD_COLUMNS, 0, true, dispute_row, st);
	list_init(&st->lists[SECTION_POINTS], st->pcols, RP_COLUMNS, 0, true, point_row, st);
	load(ui, st, true);
	return st;
}

static void review_leave(struct ui *ui, void *state)
{
	struct review_state *st = state;

	(void)ui;
	review_free(&st->q);
	free(st);
}

static void review_lay_out(struct ui *ui, void *state, int rows, int cols)
{
	struct review_state *st = state;

	(void)ui;
	st->cols = cols;
	layout_review(rows, &st->at);
	for (int s = 0; s < SECTION_COUNT; s++)
		list_layout(&st->lists[s], st->at.list, 0, st->at.nlist, cols);
}

/* The sections with their counts, the one shown marked. */
static void draw_tabs(const struct review_state *st, WINDOW *w, int cols)
{
	char tab[160];
	int x = 0;

	for (int s = 0; s <= SECTION_COUNT && x < cols; s++) {
		int n;

		if (s == SECTION_DISPUTES)
			snprintf(tab, sizeof tab, _("Disputes (%d)"), st->q.ndisputes);
		else if (s == SECTION_POINTS)
			snprintf(tab, sizeof tab, _("Wrong contact points (%d)"), st->q.npoints);
		else if (st->approvals >= 0)
			snprintf(tab, sizeof tab, _("Approvals (%d): A"), st->approvals);
		else
			snprintf(tab, sizeof tab, "%s", _("Approvals: A"));
		n = text_width(tab) + 2;
		if (n > cols - x)
			n = cols - x;
		if (n <= 0)
			break;
		if (s == (int)st->section)
			ui_color_on(w, COLOR_SELECTED);
		else
			ui_color_on(w, COLOR_HEADER);
		ui_put(w, st->at.tabs, x, n, tab[0] ? tab : "");
		ui_color_off(w, s == (int)st->section ? COLOR_SELECTED : COLOR_HEADER);
		x += n + 1;
	}
}

/* The item under the cursor whole: whose it is, who raised or marked it,
 * when, and why. */
static void draw_detail(const struct review_state *st, WINDOW *w, int cols)
{
	const struct review_dispute *d = dispute_at(st);
	const struct review_point *p = point_at(st);
	char line[1024], money[48];

	if (st->at.detail_title < 0 || (!d && !p))
		return;
	if (d) {
		snprintf(line, sizeof line, _("%s \xc2\xb7 %s \xc2\xb7 %s \xc2\xb7 balance %s"), d->reference, d->debtor,
		         d->agent[0] ? d->agent : _("team pool"),
		         money_format_as(money, sizeof money, d->balance, d->currency, st->form));
		ui_color_on(w, COLOR_HEADER);
		ui_put(w, st->at.detail_title, 0, cols, line);
		ui_color_off(w, COLOR_HEADER);
		snprintf(line, sizeof line, _("In dispute since %s, raised by %s"), d->raised_at, who(d->raised_by));
		ui_put(w, st->at.detail, 0, cols, line);
		snprintf(line, sizeof line, _("Why: %s"), d->reason[0] ? d->reason : _("no reason given"));
		ui_color_on(w, COLOR_PROMISE_AWAITING);
		ui_put(w, st->at.detail + 1, 0, cols, line);
		ui_color_off(w, COLOR_PROMISE_AWAITING);
		return;
	}
	snprintf(line, sizeof line, _("%s (%s) \xc2\xb7 %s \xc2\xb7 %s \xc2\xb7 %s"), p->value,
	         label(LABEL_CONTACT_POINT, p->kind), p->reference, p->debtor, p->agent[0] ? p->agent : _("team pool"));
	ui_color_on(w, COLOR_HEADER);
	ui_put(w, st->at.detail_title, 0, cols, line);
	ui_color_off(w, COLOR_HEADER);
	if (p->call_id)
		snprintf(line, sizeof line, _("Marked wrong on %s by %s, on a call"), p->marked_at, who(p->marked_by));
	else if (p->marked_by[0])
		snprintf(line, sizeof line, _("Marked wrong on %s by %s, without a call"), p->marked_at, p->marked_by);
	else
		snprintf(line, sizeof line, _("Marked wrong on %s (a bounce or a failed delivery)"), p->marked_at);
	ui_put(w, st->at.detail, 0, cols, line);
}

static void review_draw(struct ui *ui, void *state, WINDOW *w, int rows, int cols)
{
	struct review_state *st = state;

	(void)ui;
	(void)rows;
	draw_tabs(st, w, cols);
	list_draw(shown(st), w);
	if (st->loaded && count_of(st, st->section) == 0) {
		ui_put(w, st->at.list + 2, 2, cols - 4,
		       st->section == SECTION_DISPUTES ? _("No dispute awaits review. New ones show here as they are raised.")
		                                       : _("No contact point marked wrong awaits review."));
		return;
	}
	draw_detail(st, w, cols);
}

/* ------------------------------------------------------------ deciding */

static const char *decided_words(enum review_decision d)
{
	switch (d) {
	case REVIEW_CLEAR: return _("cleared");
	case REVIEW_KEEP: return _("kept");
	case REVIEW_RESTORE: return _("restored");
	default: return _("confirmed wrong");
	}
}

static void confirmed(struct ui *ui, void *state, int choice)
{
	struct review_state *st = state;
	struct review_outcome out;

	if (choice != 0) {
		ui_status(ui, false, "%s", _("Cancelled: nothing was decided"));
		return;
	}
	switch (review_decide(ui->db, st->deciding.d, st->deciding.account, st->deciding.point, st->deciding.reason,
	                      &out)) {
	case REVIEW_DONE:
		switch (st->deciding.d) {
		case REVIEW_CLEAR:
			ui_status(ui, false, _("Dispute on %s cleared: it is back on its collector's worklist"),
			          st->deciding.what);
			break;
		case REVIEW_KEEP:
			ui_status(ui, false, _("Dispute on %s kept"), st->deciding.what);
			break;
		case REVIEW_RESTORE:
			ui_status(ui, false, _("%s restored"), st->deciding.what);
			break;
		default:
			ui_status(ui, false, _("%s confirmed wrong"), st->deciding.what);
		}
		break;
	case REVIEW_DECIDED:
		ui_status(ui, true, _("%s was decided already: %s by %s"), st->deciding.what, decided_words(out.decided),
		          out.decided_by);
		break;
	default:
		ui_status(ui, true, _("Could not decide on %s: %s"), st->deciding.what, ui->db->err);
	}
	load(ui, st, false);
}

static bool reason_typed(struct ui *ui, void *state, const char *text)
{
	struct review_state *st = state;
	const char *t = text;

	while (*t == ' ' || *t == '\t')
		t++;
	if (!*t) {
		prompt_say(&ui->prompt, _("A reason is required: it goes in the account's history"));
		return false;
	}
	snprintf(st->deciding.reason, sizeof st->deciding.reason, "%s", t);
	switch (st->deciding.d) {
	case REVIEW_CLEAR:
		snprintf(st->deciding.title, sizeof st->deciding.title, _("Clear the dispute on %s?"), st->deciding.what);
		st->deciding.items[0] = N_("Yes, clear it");
		break;
	case REVIEW_KEEP:
		snprintf(st->deciding.title, sizeof st->deciding.title, _("Keep the dispute on %s?"), st->deciding.what);
		st->deciding.items[0] = N_("Yes, keep it");
		break;
	case REVIEW_RESTORE:
		snprintf(st->deciding.title, sizeof st->deciding.title, _("Restore %s?"), st->deciding.what);
		st->deciding.items[0] = N_("Yes, restore it");
		break;
	default:
		snprintf(st->deciding.title, sizeof st->deciding.title, _("Confirm %s is wrong?"), st->deciding.what);
		st->deciding.items[0] = N_("Yes, it is wrong");
	}
	st->deciding.items[1] = N_("No, go back");
	ui_menu_open(ui, st->deciding.title, st->deciding.items, 2, confirmed, st);
	return true;
}

/* Starts decision d on the item under the cursor: its reason first. */
static enum ui_reaction decide(struct ui *ui, struct review_state *st, enum review_decision d)
{
	const struct review_dispute *dp = dispute_at(st);
	const struct review_point *pt = point_at(st);
	char label[512];
	bool on_dispute = d == REVIEW_CLEAR || d == REVIEW_KEEP;

	if (on_dispute && !dp) {
		ui_status(ui, false, "%s",
		          st->section == SECTION_DISPUTES ? _("No dispute is selected")
		                                          : _("That key decides a dispute: Tab shows the disputes"));
		return UI_REDRAW;
	}
	if (!on_dispute && !pt) {
		ui_status(ui, false, "%s",
		          st->section == SECTION_POINTS ? _("No contact point is selected")
		                                        : _("That key decides a contact point: Tab shows them"));
		return UI_REDRAW;
	}
	st->deciding.d = d;
	if (on_dispute) {
		st->deciding.account = dp->account_id;
		st->deciding.point = 0;
		snprintf(st->deciding.what, sizeof st->deciding.what, "%s", dp->reference);
	} else {
		st->deciding.account = pt->account_id;
		st->deciding.point = pt->point_id;
		snprintf(st->deciding.what, sizeof st->deciding.what, "%s", pt->value);
	}
	switch (d) {
	case REVIEW_CLEAR:
		snprintf(label, sizeof label, _("Why clear the dispute on %s?"), st->deciding.what);
		break;
	case REVIEW_KEEP:
		snprintf(label, sizeof label, _("Why keep the dispute on %s?"), st->deciding.what);
		break;
	case REVIEW_RESTORE:
		snprintf(label, sizeof label, _("Why restore %s?"), st->deciding.what);
		break;
	default:
		snprintf(label, sizeof label, _("Why is %s wrong?"), st->deciding.what);
	}
	ui_prompt_open(ui, label, "", reason_typed, st);
	return UI_REDRAW;
}

static enum ui_reaction review_action(struct ui *ui, void *state, enum ui_action a)
{
	struct review_state *st = state;

	switch (a) {
	case ACTION_SECTION:
		st->section = (enum section)((st->section + 1) % SECTION_COUNT);
		return UI_REDRAW;
	case ACTION_DISPUTE_CLEAR: return decide(ui, st, REVIEW_CLEAR);
	case ACTION_DISPUTE_KEEP: return decide(ui, st, REVIEW_KEEP);
	case ACTION_POINT_RESTORE: return decide(ui, st, REVIEW_RESTORE);
	case ACTION_POINT_CONFIRM: return decide(ui, st, REVIEW_CONFIRM);
	case ACTION_APPROVALS:
		approvals_open(ui);
		return UI_REDRAW;
	case ACTION_OPEN: {
		const struct review_dispute *d = dispute_at(st);
		const struct review_point *p = point_at(st);

		if (!d && !p)
			return UI_HANDLED;
		st->opened = d ? d->account_id : p->account_id;
		ui_push(ui, &account_screen, &st->opened);
		return UI_REDRAW;
	}
	case ACTION_REFRESH:
		load(ui, st, true);
		return UI_REDRAW;
	default:
		return list_action(shown(st), a) ? UI_REDRAW : UI_UNHANDLED;
	}
}

static enum ui_reaction review_notify(struct ui *ui, void *state, const char *channel, const char *payload)
{
	struct review_state *st = state;

	(void)payload;
	if (!strcmp(channel, UI_NOTIFY_DUE)) {
		if (!st->due)
			return UI_HANDLED;
		if (ui_clock() < st->loaded_at + REVIEW_RELOAD_GAP) {
			ui_wake(ui, st->loaded_at + REVIEW_RELOAD_GAP);
			return UI_HANDLED;
		}
		load(ui, st, ui_top(ui) == &review_screen && count_said(ui, st));
		return ui_top(ui) == &review_screen ? UI_REDRAW : UI_HANDLED;
	}
	/* A dispute raised, a number marked, a decision: each writes an event
	 * on its account, which announces itself. The queues are short and
	 * read by two statements, at most twice a second. */
	if (!strcmp(channel, NOTIFY_ACCOUNT) || !strcmp(channel, UI_NOTIFY_RECONNECTED) ||
	    !strcmp(channel, UI_NOTIFY_SAVED)) {
		st->due = true;
		ui_wake(ui, st->loaded_at + REVIEW_RELOAD_GAP);
	}
	return UI_HANDLED;
}

static void review_resume(struct ui *ui, void *state)
{
	struct review_state *st = state;

	if (st->due)
		load(ui, st, false);
	if (count_said(ui, st))
		say_count(ui, st);
}

static const char *review_refused(const struct ui *ui)
{
	return approvals_for(&ui->me) ? NULL : _("The review queues are for supervisors, leads and administrators");
}

static const struct keybind review_binds[] = {
	{ '\t', ACTION_SECTION },       { 'c', ACTION_DISPUTE_CLEAR },  { 'K', ACTION_DISPUTE_KEEP },
	{ 'o', ACTION_POINT_RESTORE },  { 'w', ACTION_POINT_CONFIRM },  { 'A', ACTION_APPROVALS },
	{ '\n', ACTION_OPEN },          { KEY_ENTER, ACTION_OPEN },
};
static const char *const review_bar[] = { "help", "section", "dispute_clear", "dispute_keep", "point_restore",
	                                  "point_confirm", "approvals", "back", NULL };

static const struct keymap review_keys = {
	.binds = review_binds,
	.count = (int)ARRAY_SIZE(review_binds),
	.bar = review_bar,
};

const struct screen_ops review_screen = {
	.name = "review",
	.title = N_("Review queues"),
	.keymap = &review_keys,
	.enter = review_enter,
	.leave = review_leave,
	.layout = review_lay_out,
	.draw = review_draw,
	.action = review_action,
	.notify = review_notify,
	.resume = review_resume,
	.opened_by = ACTION_REVIEW,
	.refused = review_refused,
};

/* ------------------------------------------------ the collector's side */

/* The decisions on this person's accounts: one watch per workstation. */
static struct news_watch watch;
static bool news_due;

void review_offer(struct ui *ui)
{
	struct review_news *d;
	int n;

	/* Notes where the news starts: what was decided before is not news. */
	if (!ui->offline && review_news_read(ui->db, &watch, &d, &n))
		free(d);
}

void review_heard(struct ui *ui, const char *channel, const char *payload)
{
	(void)payload;
	/* A decision changes its account, which the collector may see: asked
	 * once the notifications waiting are read, a burst one question. */
	if (!strcmp(channel, NOTIFY_ACCOUNT) || !strcmp(channel, UI_NOTIFY_RECONNECTED)) {
		news_due = true;
		ui_wake(ui, ui_clock());
	}
}

void review_news(struct ui *ui)
{
	struct review_news *d;
	int n;

	if (!news_due || ui->offline)
		return;
	news_due = false;
	if (!review_news_read(ui->db, &watch, &d, &n))
		return; /* asked again at the next change */
	for (int i = 0; i < n; i++) {
		const char *why = d[i].reason[0] ? d[i].reason : _("no reason given");

		switch (d[i].decision) {
		case REVIEW_CLEAR:
			ui_status(ui, false, _("Dispute on %s cleared by %s: %s"), d[i].reference,
			          d[i].decided_by, why);
			break;
		case REVIEW_KEEP:
			ui_status(ui, false, _("Dispute on %s kept by %s: %s"), d[i].reference, d[i].decided_by, why);
			break;
		case REVIEW_RESTORE:
			ui_status(ui, false, _("%s (%s) restored by %s: %s"), d[i].point, d[i].reference, d[i].decided_by,
			          why);
			break;
		default:
			ui_status(ui, false, _("%s (%s) confirmed wrong by %s: %s"), d[i].point, d[i].reference,
			          d[i].decided_by, why);
		}
	}
	free(d);
}

void review_forget(void)
{
	news_watch_free(&watch);
	news_due = false;
}
