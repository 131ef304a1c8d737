/* The account screen's lists (account_lists.h): the debtor's accounts, the
 * history and the money, their columns in display cells, their places on
 * the screen (layout_account()), and the painting. */
#include <stdio.h>
#include <string.h>

#include "account_lists.h"
#include "label.h"
#include "format.h"
#include "money.h"
#include "text.h"
#include "tz.h"
#include "util.h"

const char *const outcome_labels[OUTCOME__COUNT] = {
	[OUTCOME_RIGHT_PARTY] = N_("Right party"),   [OUTCOME_THIRD_PARTY] = N_("Third party"),
	[OUTCOME_NO_ANSWER] = N_("No answer"),       [OUTCOME_BUSY] = N_("Busy"),
	[OUTCOME_WRONG_NUMBER] = N_("Wrong number"), [OUTCOME_LEFT_MESSAGE] = N_("Left message"),
	[OUTCOME_REFUSED] = N_("Refused to pay"),    [OUTCOME_DISPUTE] = N_("Dispute"),
};

const char *account_event_label(const char *kind)
{
	return label(LABEL_EVENT_KIND, kind);
}

/* A call's (or a visit's) outcome in the menu's words, any other in the
 * words of its event's kind (label_outcome()). */
static const char *outcome_label(const char *kind, const char *code)
{
	for (int i = 0; i < OUTCOME__COUNT; i++)
		if (!strcmp(outcome_code((enum call_outcome)i), code))
			return _(outcome_labels[i]);
	return label_outcome(kind, code);
}

/* The lists' columns, in display cells: "SMS ←" and "Dejó mensaje" take
 * the cells they show in, whatever their bytes. */
static const struct column account_columns[ACC_COLUMNS] = {
	[ACC_MARK] = { NULL, 1, 0, 0, false },       [ACC_REFERENCE] = { NULL, 14, 0, 1, false },
	[ACC_CREDITOR] = { NULL, 18, 0, 1, false },  [ACC_BALANCE] = { NULL, 16, 0, 1, true },
	[ACC_DPD] = { NULL, 4, 0, 2, true },         [ACC_STATUS] = { NULL, 10, 0, 2, false },
	[ACC_AGENT] = { NULL, 0, 0, 1, false },
};

enum { EV_AT, EV_WHAT, EV_DETAIL, EV_AGENT, EV_BODY, EV_COLUMNS };
/* The kind and the outcome are as wide as their widest word in the
 * screen's language ("Número equivocado"), measured once (event_columns()). */
static struct column event_columns_measured[EV_COLUMNS] = {
	[EV_AT] = { NULL, 16, 0, 0, false },     [EV_WHAT] = { NULL, 11, 0, 2, false },
	[EV_DETAIL] = { NULL, 13, 0, 1, false }, [EV_AGENT] = { NULL, 8, 0, 1, false },
	[EV_BODY] = { NULL, 0, 0, 1, false },
};

/* The contact points are lines of text (contact_line()), one column. */
static const struct column contact_columns[1] = { { NULL, 0, 1, 0, false } };

enum { INST_SEQ, INST_DUE, INST_AMOUNT, INST_PAID, INST_COLUMNS };
static const struct column installment_columns[INST_COLUMNS] = {
	[INST_SEQ] = { NULL, 3, 0, 0, true },     [INST_DUE] = { NULL, 10, 0, 2, false },
	[INST_AMOUNT] = { NULL, 16, 0, 2, true }, [INST_PAID] = { NULL, 16, 0, 2, true },
};

enum { PAY_AT, PAY_AMOUNT, PAY_METHOD, PAY_COLUMNS };
static const struct column payment_columns[PAY_COLUMNS] = {
	[PAY_AT] = { NULL, 16, 0, 0, false },
	[PAY_AMOUNT] = { NULL, 16, 0, 2, true },
	[PAY_METHOD] = { NULL, 0, 0, 2, false },
};

enum { PROM_MADE, PROM_DUE, PROM_AMOUNT, PROM_STATE, PROM_AGENT, PROM_COLUMNS };
/* The state as wide as the widest state of a promise or an installment in
 * the screen's language, measured once (promise_columns()). */
static struct column promise_columns_measured[PROM_COLUMNS] = {
	[PROM_MADE] = { NULL, 16, 0, 0, false },   [PROM_DUE] = { NULL, 10, 0, 2, false },
	[PROM_AMOUNT] = { NULL, 16, 0, 2, true },  [PROM_STATE] = { NULL, 10, 0, 2, false },
	[PROM_AGENT] = { NULL, 0, 0, 1, false },
};

static void account_row(const struct list *l, WINDOW *w, int y, int i, bool selected, void *ctx)
{
	const struct account_state *st = ctx;
	const struct account_row *a = &st->v.accounts[i];
	char cell[48];

	(void)selected;
	list_cell(l, w, y, ACC_MARK, a->id == st->id ? "\xe2\x96\xb6" : "");
	list_cell(l, w, y, ACC_REFERENCE, a->reference);
	list_cell(l, w, y, ACC_CREDITOR, a->creditor);
	list_cell(l, w, y, ACC_BALANCE, money_format_as(cell, sizeof cell, a->balance, a->currency, st->form));
	snprintf(cell, sizeof cell, "%d", a->dpd);
	list_cell(l, w, y, ACC_DPD, cell);
	list_cell(l, w, y, ACC_STATUS, label(LABEL_ACCOUNT_STATUS, a->status));
	list_cell(l, w, y, ACC_AGENT, a->agent);
}

void account_event_words(const struct account_state *st, int i, char *what, size_t nwhat, const char **detail)
{
	const struct event_row *e = &st->v.events[i];

	snprintf(what, nwhat, "%s%s", account_event_label(e->kind), !strcmp(e->direction, "in") ? " \xe2\x86\x90" : "");
	/* late: still queued after cobrod's outbox.late_after (it logged it). */
	*detail = !strcmp(e->message_status, "late") ? _("late")
	          : e->message_status[0]             ? label(LABEL_MESSAGE_STATUS, e->message_status)
	                                             : outcome_label(e->kind, e->outcome);
}

int account_history_event(const struct account_state *st, int i)
{
	return i >= 0 && i < st->history.at.count ? st->shown[i] : -1;
}

/* What the row says after who: the text, and first what the text alone
 * would not say: a payment's or a promise's amount, a callback's moment on
 * the clock it was typed in (its zone named). */
static void event_body(const struct account_state *st, const struct event_row *e, char *out, size_t n)
{
	char money[48];
	size_t len = 0;

	out[0] = '\0';
	if (e->amount && (!strcmp(e->kind, "payment") || !strcmp(e->kind, "promise")))
		len = (size_t)snprintf(out, n, "%s", money_format_as(money, sizeof money, e->amount,
		                                                      st->v.account.currency, st->form));
	if (e->due && e->zone[0] && tz_cached(e->zone)) {
		/* The zone by its city, as tz names a clock ("Lima", "New York"):
		 * the row is short, and Enter shows the whole name. */
		const char *city = strrchr(e->zone, '/') ? strrchr(e->zone, '/') + 1 : e->zone;
		char place[64];
		struct civil c;

		snprintf(place, sizeof place, "%s", city);
		for (char *p = place; *p; p++)
			if (*p == '_')
				*p = ' ';
		tz_local(tz_cached(e->zone), e->due, &c);
		len += (size_t)snprintf(out + len, len < n ? n - len : 0, "%s%04d-%02d-%02d %02d:%02d %s",
		                        len ? "  " : "", c.year, c.month, c.day, c.hour, c.min, place);
	}
	if (len < n && e->body[0])
		snprintf(out + len, n - len, "%s%s", len ? "  \xc2\xb7  " : "", e->body);
}

static void event_row(const struct list *l, WINDOW *w, int y, int i, bool selected, void *ctx)
{
	const struct account_state *st = ctx;
	const struct event_row *e = &st->v.events[st->shown[i]];
	/* The cursor's colour stays on its row: the cells' own give way. */
	bool failed = !selected && (!strcmp(e->message_status, "failed") || !strcmp(e->message_status, "refused"));
	char what[64], body[640];
	const char *detail;

	account_event_words(st, st->shown[i], what, sizeof what, &detail);
	event_body(st, e, body, sizeof body);
	if (failed)
		ui_color_on(w, COLOR_ERROR);
	list_cell(l, w, y, EV_AT, e->at);
	list_cell(l, w, y, EV_WHAT, what);
	list_cell(l, w, y, EV_DETAIL, detail);
	list_cell(l, w, y, EV_AGENT, e->agent);
	list_cell(l, w, y, EV_BODY, body);
	if (failed)
		ui_color_off(w, COLOR_ERROR);
}

static int wider(int w, const char *text)
{
	int t = text_width(text);

	return t > w ? t : w;
}

/* A contact point's value and what the header line's cut may hide:
 * principal, consent, bad, opted out. */
static void contact_text(const struct contact_point_row *c, struct buf *b)
{
	char channels[128];

	buf_puts(b, c->value);
	if (c->primary)
		buf_printf(b, "  %s", _("primary"));
	if (c->consent[0])
		buf_printf(b, "  %s: %s", _("consent"), label_list(LABEL_CHANNEL, c->consent, channels, sizeof channels));
	if (c->bad)
		buf_printf(b, "  [%s]", _("bad"));
	/* A number a reply brought: v confirms or rejects it (account.c). */
	if (!strcmp(c->proposal, "proposed"))
		buf_printf(b, "  [%s]", _("proposed: v to confirm or reject"));
	else if (c->proposal[0])
		buf_printf(b, "  [%s]", _("rejected"));
	if (c->opted_out[0])
		buf_printf(b, "  [%s: %s]", _("opted out"),
		           label_list(LABEL_CHANNEL, c->opted_out, channels, sizeof channels));
}

/* The contact points as lines of at most cols cells, each whole however
 * long (an email of 300 characters): its kind, then its value and notes
 * wrapped under one another beside it. Line want into out (size n) and
 * the point it is of; the number of lines. */
static int contact_line(const struct account_state *st, int cols, int want, char *out, size_t n, int *point)
{
	int kindw = 0, line = 0, room;

	for (int i = 0; i < st->v.npoints; i++)
		kindw = wider(kindw, label(LABEL_CONTACT_POINT, st->v.points[i].kind));
	room = cols - kindw - 2 > 8 ? cols - kindw - 2 : 8;
	for (int p = 0; p < st->v.npoints; p++) {
		struct buf b = { 0 };
		const char *s, *next;
		bool first = true;

		contact_text(&st->v.points[p], &b);
		s = b.s;
		do {
			size_t len = text_wrap(s, room, &next);

			if (line == want) {
				char kind[64], piece[1024];

				len = len < sizeof piece - 1 ? len : sizeof piece - 1;
				memcpy(piece, s, len);
				piece[len] = '\0';
				text_pad(kind, sizeof kind, first ? label(LABEL_CONTACT_POINT, st->v.points[p].kind) : "", kindw,
				 false);
				snprintf(out, n, "%s  %s", kind, piece);
				*point = p;
			}
			line++;
			first = false;
			s = next;
		} while (*s);
		buf_free(&b);
	}
	return line;
}

int account_contact_point(const struct account_state *st, int line)
{
	char text[1200];
	int p = -1;

	if (line >= 0)
		contact_line(st, st->contacts.laid.width[0], line, text, sizeof text, &p);
	return p;
}

static void contact_row(const struct list *l, WINDOW *w, int y, int i, bool selected, void *ctx)
{
	const struct account_state *st = ctx;
	char text[1200] = "";
	int p = -1;

	contact_line(st, l->laid.width[0], i, text, sizeof text, &p);
	if (p >= 0 && st->v.points[p].bad && !selected)
		ui_color_on(w, COLOR_ERROR);
	list_cell(l, w, y, 0, text);
	if (p >= 0 && st->v.points[p].bad && !selected)
		ui_color_off(w, COLOR_ERROR);
}

static void installment_row(const struct list *l, WINDOW *w, int y, int i, bool selected, void *ctx)
{
	const struct account_state *st = ctx;
	const struct installment_row *r = &st->v.installments[i];
	char cell[48];

	if (!selected && r->paid < r->amount)
		ui_color_on(w, COLOR_OVERDUE);
	snprintf(cell, sizeof cell, "%d", r->seq);
	list_cell(l, w, y, INST_SEQ, cell);
	list_cell(l, w, y, INST_DUE, r->due_date);
	list_cell(l, w, y, INST_AMOUNT, money_format_as(cell, sizeof cell, r->amount, st->v.account.currency, st->form));
	list_cell(l, w, y, INST_PAID, money_format_as(cell, sizeof cell, r->paid, st->v.account.currency, st->form));
	if (!selected)
		ui_color_off(w, COLOR_OVERDUE);
}

static void payment_row(const struct list *l, WINDOW *w, int y, int i, bool selected, void *ctx)
{
	const struct account_state *st = ctx;
	const struct payment_row *r = &st->v.payments[i];
	char cell[48];

	(void)selected;
	list_cell(l, w, y, PAY_AT, r->paid_at);
	list_cell(l, w, y, PAY_AMOUNT, money_format_as(cell, sizeof cell, r->amount, st->v.account.currency, st->form));
	list_cell(l, w, y, PAY_METHOD, label(LABEL_PAYMENT_METHOD, r->method));
}

/* A promise's line: made, due, amount, state, who made it (and who
 * approved it), or who rejected it and why. An installment's line under it:
 * its place in the plan, due, amount, state, what was paid of it. */
static void promise_row(const struct list *l, WINDOW *w, int y, int i, bool selected, void *ctx)
{
	const struct account_state *st = ctx;
	const struct promise_line *line = &st->promise_lines[i];
	const struct promise_row *r = &st->v.promises[line->promise];
	const char *shown = r->due_today ? "due_today" : r->status; /* as the worklist says it */
	char cell[48], who[384], paid[48];

	if (line->plan >= 0) {
		const struct plan_row *p = &st->v.plan[line->plan];
		/* A plan not in force (awaiting approval, rejected, cancelled)
		 * has dates but nothing is due on them: no state to show. */
		bool in_force = !strcmp(r->status, "pending") || !strcmp(r->status, "kept") || !strcmp(r->status, "broken");

		if (!selected && in_force)
			ui_color_on(w, ui_tone_color(label_tone(LABEL_INSTALLMENT_STATUS, p->status)));
		snprintf(cell, sizeof cell, "  %d/%d", line->plan - r->plan + 1, r->nplan);
		list_cell(l, w, y, PROM_MADE, cell);
		list_cell(l, w, y, PROM_DUE, p->due_date);
		list_cell(l, w, y, PROM_AMOUNT, money_format_as(cell, sizeof cell, p->amount, st->v.account.currency, st->form));
		list_cell(l, w, y, PROM_STATE, in_force ? label(LABEL_INSTALLMENT_STATUS, p->status) : "");
		who[0] = '\0';
		if (p->paid > 0)
			snprintf(who, sizeof who, _("paid %s"),
			         money_format_as(paid, sizeof paid, p->paid, st->v.account.currency, st->form));
		list_cell(l, w, y, PROM_AGENT, who);
		if (!selected && in_force)
			ui_color_off(w, COLOR_NORMAL);
		return;
	}
	if (!selected)
		ui_color_on(w, ui_tone_color(label_tone(LABEL_PROMISE_STATUS, shown)));
	list_cell(l, w, y, PROM_MADE, r->created_at);
	list_cell(l, w, y, PROM_DUE, r->due_date);
	list_cell(l, w, y, PROM_AMOUNT, money_format_as(cell, sizeof cell, r->amount, st->v.account.currency, st->form));
	list_cell(l, w, y, PROM_STATE, label(LABEL_PROMISE_STATUS, shown));
	if (!strcmp(r->status, "rejected") && r->decided_by[0])
		/* Who made it gives way to who refused it and why: the reason is
		 * what the collector needs, in the few cells left at 80 columns. */
		snprintf(who, sizeof who, _("by %s: %s"), r->decided_by, r->decision_reason);
	else if (r->decided_by[0])
		snprintf(who, sizeof who, _("%s; approved by %s"), r->agent, r->decided_by);
	else
		snprintf(who, sizeof who, "%s", r->agent);
	list_cell(l, w, y, PROM_AGENT, who);
	if (!selected)
		ui_color_off(w, COLOR_NORMAL);
}

static const struct column *promise_columns(void)
{
	static bool measured;
	int state = promise_columns_measured[PROM_STATE].width;

	if (measured)
		return promise_columns_measured;
	if (label_widest(LABEL_PROMISE_STATUS) > state)
		state = label_widest(LABEL_PROMISE_STATUS);
	if (label_widest(LABEL_INSTALLMENT_STATUS) > state)
		state = label_widest(LABEL_INSTALLMENT_STATUS);
	promise_columns_measured[PROM_STATE].width = state;
	measured = true;
	return promise_columns_measured;
}

/* The promises pane's lines: each promise, then its installments when its
 * plan has more than one (one alone says what the promise's line says). */
static int promise_lines(struct account_state *st)
{
	int n = 0;

	for (int i = 0; i < st->v.npromises && n < PROMISE_LINES; i++) {
		const struct promise_row *r = &st->v.promises[i];

		st->promise_lines[n++] = (struct promise_line){ i, -1 };
		for (int k = 0; r->nplan > 1 && k < r->nplan && n < PROMISE_LINES; k++)
			st->promise_lines[n++] = (struct promise_line){ i, r->plan + k };
	}
	return n;
}

/* The history's columns, the kind's and outcome's as wide as their widest
 * word in the screen's language, measured the first time. */
static const struct column *event_columns(void)
{
	static bool measured;
	int what = event_columns_measured[EV_WHAT].width, detail = event_columns_measured[EV_DETAIL].width;
	static const char *const statuses[] = { "queued", "sending", "sent", "delivered", "failed", "refused" };
	/* Every kind the history shows (delivery and optout by their name). */
	static const char *const kinds[] = { "call",    "sms",     "email",    "whatsapp",   "letter", "visit",
		                             "note",    "promise", "payment",  "callback",   "assignment",
		                             "status",  "delivery", "optout",   "contact_point" };

	if (measured)
		return event_columns_measured;
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
		what = wider(what, account_event_label(kinds[i]));
	for (int i = 0; i < OUTCOME__COUNT; i++)
		detail = wider(detail, _(outcome_labels[i]));
	for (size_t i = 0; i < ARRAY_SIZE(statuses); i++)
		detail = wider(detail, label(LABEL_MESSAGE_STATUS, statuses[i]));
	/* Room for " ←", an inbound message's arrow. */
	event_columns_measured[EV_WHAT].width = what + 2 > 11 ? what + 2 : 11;
	event_columns_measured[EV_DETAIL].width = detail;
	measured = true;
	return event_columns_measured;
}

/* The accounts pane's reference and creditor columns take the debtor's
 * widest (up to a limit), so that references are read whole. */
static void widen(struct account_state *st)
{
	int ref = account_columns[ACC_REFERENCE].width, cred = account_columns[ACC_CREDITOR].width;

	for (int i = 0; i < st->v.naccounts; i++) {
		ref = wider(ref, st->v.accounts[i].reference);
		cred = wider(cred, st->v.accounts[i].creditor);
	}
	st->account_columns[ACC_REFERENCE].width = ref < 40 ? ref : 40;
	st->account_columns[ACC_CREDITOR].width = cred < 30 ? cred : 30;
}

/* "$" alone is the dollar's and three pesos': a debtor whose accounts are
 * in several currencies sees each amount with its own symbol. */
static void money_form(struct account_state *st)
{
	struct money_mix m = { 0 };

	for (int i = 0; i < st->v.naccounts; i++)
		money_mix_add(&m, st->v.accounts[i].currency);
	money_mix_add(&m, st->v.account.currency);
	st->form = money_mix_form(&m);
}

/* The lists of a new state, empty until shown. */
void account_lists_init(struct account_state *st)
{
	memcpy(st->account_columns, account_columns, sizeof account_columns);
	list_init(&st->accounts, st->account_columns, ACC_COLUMNS, 0, true, account_row, st);
	st->accounts.unfocused = true; /* until Tab gives the accounts pane the keys */
	/* The history has a cursor: Enter opens the item under it whole. */
	list_init(&st->history, event_columns(), EV_COLUMNS, 0, true, event_row, st);
	list_init(&st->contacts, contact_columns, 1, 0, true, contact_row, st);
	st->contacts.unfocused = true;
	list_init(&st->installments, installment_columns, INST_COLUMNS, 0, false, installment_row, st);
	list_init(&st->payments, payment_columns, PAY_COLUMNS, 0, false, payment_row, st);
	list_init(&st->promises, promise_columns(), PROM_COLUMNS, 0, false, promise_row, st);
}

/* A strategy's day as the line has room for: "2026-11-25", else "Nov 25"
 * ("25 nov"). */
static void strategy_day(char *out, size_t n, const char *ymd, bool brief)
{
	static const char *const months[] = { N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"),
		                              N_("Jul"), N_("Aug"), N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec") };
	int y, m, d;

	if (!brief || sscanf(ymd, "%d-%d-%d", &y, &m, &d) != 3 || m < 1 || m > 12) {
		snprintf(out, n, "%s", ymd);
		return;
	}
	/* TRANSLATORS: a day in the account screen's strategy line: the month's
	 * abbreviation (%1$s) and the day (%2$d), "Nov 25"; Spanish "25 nov". */
	snprintf(out, n, _("%1$s %2$d"), _(months[m - 1]), d);
}

/* Where the account stands in its strategy, in one line of cols cells:
 *   "Strategy early/A → retail · paused (promise) · last dpd1 2026-11-20 · next dpd5 2026-11-25"
 * with the days shorter, then without the word Strategy, when it does not
 * fit; "Strategy —" for an account no run has placed. */
static void strategy_line(const struct account_view *v, char *out, size_t n, int cols)
{
	const struct account_strategy_row *s = &v->strategy;
	char state[128], last[160], next[160], day[32];

	if (!s->placed) {
		snprintf(out, n, "%s", _("Strategy \xe2\x80\x94"));
		return;
	}
	for (int form = 0; form < 3; form++) {
		bool brief = form > 0;
		struct buf b = { 0 };

		if (s->state_reason[0])
			snprintf(state, sizeof state, _("%s (%s)"), label(LABEL_STRATEGY_STATE, s->state),
			         label(LABEL_STRATEGY_REASON, s->state_reason));
		else
			snprintf(state, sizeof state, "%s", label(LABEL_STRATEGY_STATE, s->state));
		strategy_day(day, sizeof day, s->last_step_at, brief);
		if (s->last_step[0])
			snprintf(last, sizeof last, _("last %s %s"), s->last_step, day);
		else
			snprintf(last, sizeof last, "%s", _("no step yet"));
		strategy_day(day, sizeof day, s->next_step_on, brief);
		if (s->next_step[0])
			snprintf(next, sizeof next, _("next %s %s"), s->next_step, day);
		else
			snprintf(next, sizeof next, "%s", _("no next step"));
		if (form < 2)
			buf_printf(&b, "%s ", _("Strategy"));
		buf_puts(&b, label(LABEL_SEGMENT, s->segment));
		if (s->variant[0])
			buf_printf(&b, "/%s", s->variant);
		buf_printf(&b, " \xe2\x86\x92 %s \xc2\xb7 %s \xc2\xb7 %s \xc2\xb7 %s",
		           s->ladder[0] ? s->ladder : _("no ladder"), state, last, next);
		snprintf(out, n, "%s", b.s);
		buf_free(&b);
		if (text_width(out) <= cols)
			return;
	}
}

static void draw_header(const struct account_state *st, WINDOW *w, int cols)
{
	const struct account_view *v = &st->v;
	char line[512], money[48], channels[128];
	struct buf b = { 0 };
	int y = st->at.header;

	ui_color_on(w, COLOR_HEADER);
	/* A part the debtor lacks (no national id) takes its separator with it. */
	buf_puts(&b, v->name);
	if (v->national_id[0])
		buf_printf(&b, "  \xc2\xb7  %s", v->national_id);
	buf_printf(&b, "  \xc2\xb7  %s %s  \xc2\xb7  %s", v->jurisdiction, v->time_zone, v->account.reference);
	ui_put(w, y, 0, cols, b.s);
	b.len = 0;
	b.s[0] = '\0';
	ui_color_off(w, COLOR_HEADER);
	money_format_as(money, sizeof money, v->account.balance, v->account.currency, st->form);
	snprintf(line, sizeof line, _("Balance %s  DPD %d  %s  %s  %s"), money, v->account.dpd,
		 v->account.creditor, label(LABEL_PRODUCT, v->account.product),
		 label(LABEL_ACCOUNT_STATUS, v->account.status));
	ui_put(w, y + 1, 0, cols, line);
	for (int i = 0; i < v->npoints; i++) {
		const struct contact_point_row *c = &v->points[i];

		buf_printf(&b, "%s%s %s", i ? "  \xc2\xb7  " : "", label(LABEL_CONTACT_POINT, c->kind),
			   c->value);
		if (c->bad)
			buf_printf(&b, " [%s]", _("bad"));
		if (!strcmp(c->proposal, "proposed"))
			buf_printf(&b, " [%s]", _("proposed"));
		else if (c->proposal[0])
			buf_printf(&b, " [%s]", _("rejected"));
		if (c->opted_out[0])
			buf_printf(&b, " [%s: %s]", _("opted out"),
			           label_list(LABEL_CHANNEL, c->opted_out, channels, sizeof channels));
	}
	ui_put(w, y + 2, 0, cols, b.s);
	buf_free(&b);
	ui_color_on(w, COLOR_INFO);
	ui_put(w, y + 3, 0, cols, st->verdicts[0]);
	ui_put(w, y + 4, 0, cols, st->verdicts[1]);
	ui_color_off(w, COLOR_INFO);
	strategy_line(v, line, sizeof line, cols);
	ui_put(w, y + 5, 0, cols, line);
	if (st->lease.holder[0] && !st->lease.mine) {
		snprintf(line, sizeof line, _("%s is on this account"), st->lease.holder_name);
		ui_color_on(w, COLOR_ERROR);
		ui_put(w, y + 6, 0, cols, line);
		ui_color_off(w, COLOR_ERROR);
	}
}

static void draw_title(WINDOW *w, int y, int cols, const char *title)
{
	if (y < 0)
		return;
	ui_color_on(w, COLOR_HEADER);
	ui_put(w, y, 0, cols, title);
	ui_color_off(w, COLOR_HEADER);
}

void account_draw(struct ui *ui, void *state, WINDOW *w, int rows, int cols)
{
	struct account_state *st = state;
	char title[128];

	(void)ui;
	(void)rows;
	if (!st->loaded) {
		ui_put(w, 1, 1, cols - 2, _("Loading..."));
		return;
	}
	draw_header(st, w, cols);
	list_draw(&st->accounts, w);
	if (st->pane == PANE_MONEY) {
		draw_title(w, st->at.installments_title, cols, _("Installments (due, amount, paid)"));
		list_draw(&st->installments, w);
		draw_title(w, st->at.payments_title, cols, _("Payments"));
		list_draw(&st->payments, w);
		draw_title(w, st->at.promises_title, cols, _("Promises and their installments (made, due, amount, state)"));
		list_draw(&st->promises, w);
		return;
	}
	if (st->pane == PANE_CONTACTS) {
		snprintf(title, sizeof title, _("Contact points (%d)"), st->v.npoints);
		draw_title(w, st->at.history_title, cols, title);
		list_draw(&st->contacts, w);
		return;
	}
	if (st->kind_filter[0])
		snprintf(title, sizeof title, _("History (newest first): %s only"), account_event_label(st->kind_filter));
	else
		snprintf(title, sizeof title, "%s", _("History (newest first)"));
	/* Whose clock the times are on: the session's zone, which formats them. */
	if (st->time_zone[0]) {
		size_t n = strlen(title);

		snprintf(title + n, sizeof title - n, "  \xc2\xb7  ");
		n = strlen(title);
		snprintf(title + n, sizeof title - n, _("times in %s"), st->time_zone);
	}
	draw_title(w, st->at.history_title, cols, title);
	list_draw(&st->history, w);
}

/* The history's rows the filter lets through, in the list. */
void account_lists_filter(struct account_state *st)
{
	int n = 0;

	for (int i = 0; i < st->v.nevents && n < HISTORY_ROWS; i++) {
		const struct event_row *e = &st->v.events[i];

		/* A delivery report, or cobrod's word that a message failed, is a
		 * step of its message: the message's own row says where it got
		 * ("SMS delivered"), and Enter on it shows every step with its
		 * time. As rows of their own they said it twice ("delivery
		 * delivered" under "SMS delivered"). */
		if (e->message_status[0] && (!strcmp(e->kind, "delivery") || !strcmp(e->kind, "status")))
			continue;
		if (!st->kind_filter[0] || !strcmp(e->kind, st->kind_filter))
			st->shown[n++] = i;
	}
	list_count(&st->history, n);
}

/* Where the panes go now: the debtor's accounts take as many lines as they
 * have (up to four), the history or the money the rest. */
static void relayout(struct account_state *st)
{
	const struct account_view *v = &st->v;
	struct account_layout *l = &st->at;

	layout_account(st->rows, v->naccounts, v->ninstallments, v->npayments, st->promises.at.count, l);
	list_layout(&st->accounts, l->accounts, 0, l->naccounts, st->cols);
	list_layout(&st->history, l->history, 0, l->nhistory, st->cols);
	list_layout(&st->contacts, l->history, 0, l->nhistory, st->cols);
	list_count(&st->contacts, contact_line(st, st->contacts.laid.width[0], -1, NULL, 0, NULL));
	list_layout(&st->installments, l->installments, 0, l->ninstallments, st->cols);
	list_layout(&st->payments, l->payments, 0, l->npayments, st->cols);
	list_layout(&st->promises, l->promises, 0, l->npromises, st->cols);
}

void account_lay_out(struct ui *ui, void *state, int rows, int cols)
{
	struct account_state *st = state;

	(void)ui;
	st->rows = rows;
	st->cols = cols;
	relayout(st);
}

void account_lists_show(struct account_state *st)
{
	widen(st);
	money_form(st);
	list_count(&st->accounts, st->v.naccounts);
	list_count(&st->installments, st->v.ninstallments);
	list_count(&st->payments, st->v.npayments);
	list_count(&st->promises, promise_lines(st));
	account_lists_filter(st);
	relayout(st);
}
