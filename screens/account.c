/* Account: the debtor, their contact points and accounts, and the history of
 * the open account across every channel, newest first. Call outcomes, notes
 * and callbacks are recorded from here; what could not be saved because the
 * database was away is kept and saved once it is back. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account.h"
#include "account_screen.h"
#include "contact.h"
#include "lease.h"
#include "list.h"
#include "money.h"
#include "policy_store.h"
#include "send.h"
#include "text.h"
#include "tz.h"
#include "ui.h"
#include "util.h"
#include "worklist.h"

/* History rows loaded: a screenful many times over, for scrolling. */
#define HISTORY_ROWS 200

/* Tab goes round: the history, the debtor's accounts (to pick another), and
 * the open account's money: installments, payments and promises. */
enum pane { PANE_HISTORY, PANE_ACCOUNTS, PANE_MONEY, PANE__COUNT };

/* Something typed that waits for the database. */
struct pending {
	enum { PENDING_NONE, PENDING_CALL, PENDING_NOTE, PENDING_CALLBACK } what;
	char key[CONTACT_KEY_SIZE];
	enum call_outcome outcome;
	long long point_id;
	char text[CONTACT_NOTE_MAX * 4 + 1];
	int64_t due;
	char zone[64];       /* the zone the callback's time was typed in */
};

/* The debtor's accounts: reference and creditor as wide as the debtor's
 * widest (see widen()). */
enum { ACC_MARK, ACC_REFERENCE, ACC_CREDITOR, ACC_BALANCE, ACC_DPD, ACC_STATUS, ACC_AGENT, ACC_COLUMNS };

struct account_state {
	long long id;
	struct account_view v;
	bool loaded;
	struct lease lease;
	enum pane pane;
	/* Where things go (layout_account()), in the body last laid out. */
	struct account_layout at;
	int rows, cols;
	struct column account_columns[ACC_COLUMNS];
	struct list accounts;  /* the debtor's accounts: Enter opens another */
	struct list history;   /* the events shown[] points to, newest first */
	struct list installments, payments, promises;
	int shown[HISTORY_ROWS]; /* the history's rows that kind_filter lets through */
	struct pending pending;
	/* Zones are loaded once per process (tz_cached): loading one walks
	 * decades of its history, too slow to do on every account opened. */
	const struct tz *zone;  /* the debtor's, for callbacks; NULL when unknown */
	const struct tz *mine;  /* the collector's (this machine's) */
	bool callback_mine;  /* the callback being typed is in the collector's zone */
	char verdicts[2][512]; /* "call: allowed until 19:00 · sms: refused ...", two channels a line */
	char kind_filter[16];  /* show only history of this kind, "" for all */
	bool due;              /* changed: reload at the wake-up asked for */
	/* Painted from the account read ahead: its lease is not taken yet and
	 * the database has not been asked again (settle()). */
	bool unsettled;
	double read_at;        /* when st->v was read, on ui_clock() */
};

/* The accounts read ahead: the one under the worklist's cursor or the one
 * just left, and the one `n` would open next. Opening one paints at once
 * from here; the lease is taken and the account read again just after the
 * paint, and a second paint shows whatever changed. Any change the database
 * announces for one drops it, and so does another's taking or leaving its
 * lease: the copy says who is on the account, so that the first paint does.
 * None is used once AHEAD_MAX_AGE old (days past due move at midnight). A
 * third account takes the place of the one least recently kept or read. */
#define AHEAD_MAX_AGE 60.0
#define AHEAD_COPIES 2
static struct {
	struct ahead_copy {
		long long id;  /* 0: none */
		struct account_view v;
		struct lease lease; /* someone else's, when read; never ours */
		double read_at;
		double kept_at; /* when put here, for taking the place of the oldest */
	} copy[AHEAD_COPIES];
	bool rehearsed;        /* the whole opening has been rehearsed once */
} ahead;

/* The history can be narrowed to one kind of event. */
static const char *const history_kinds[] = { "", "call", "sms", "email", "whatsapp", "letter", "visit", "note" };
static const char *const history_kind_labels[] = { N_("All"), N_("call"), N_("SMS"), N_("email"), N_("WhatsApp"),
	                                           N_("letter"), N_("visit"), N_("note") };

static const enum channel verdict_channels[] = { CH_CALL, CH_SMS, CH_EMAIL, CH_WHATSAPP };

static const char *const outcome_labels[OUTCOME__COUNT] = {
	[OUTCOME_RIGHT_PARTY] = N_("Right party"),   [OUTCOME_THIRD_PARTY] = N_("Third party"),
	[OUTCOME_NO_ANSWER] = N_("No answer"),       [OUTCOME_BUSY] = N_("Busy"),
	[OUTCOME_WRONG_NUMBER] = N_("Wrong number"), [OUTCOME_LEFT_MESSAGE] = N_("Left message"),
	[OUTCOME_REFUSED] = N_("Refused to pay"),    [OUTCOME_DISPUTE] = N_("Dispute"),
};

/* The contact policy's verdict now on each channel (src/policy.c), from the
 * facts the account load brought: no round trip of its own. */
static void load_verdicts(struct ui *ui, struct account_state *st)
{
	struct policy_account pa;
	struct buf b = { 0 };
	char err[256];

	st->verdicts[0][0] = st->verdicts[1][0] = '\0';
	if (!ui_policy(ui)) {
		snprintf(st->verdicts[0], sizeof st->verdicts[0], "%s", _("Contact policy: none is loaded"));
		return;
	}
	if (!policy_account_from_view(ui_policy(ui), &st->v, CH_CALL, 0, ui_now(), &pa, err, sizeof err)) {
		snprintf(st->verdicts[0], sizeof st->verdicts[0], _("Contact policy: %s"), err);
		return;
	}
	buf_puts(&b, "");
	for (size_t i = 0; i < ARRAY_SIZE(verdict_channels); i++) {
		if (i == 2) {
			snprintf(st->verdicts[0], sizeof st->verdicts[0], "%s", b.s);
			b.len = 0;
			b.s[0] = '\0';
		}
		struct policy_verdict v;
		char said[160];

		pa.contact.channel = verdict_channels[i];
		policy_check(pa.policy, &pa.debtor, pa.history, pa.nhistory, &pa.contact, &v);
		ui_verdict(said, sizeof said, &v, pa.debtor.zones[0]);
		buf_printf(&b, "%s%s: %s", i % 2 ? "  \xc2\xb7  " : "", channel_name(verdict_channels[i]), said);
	}
	snprintf(st->verdicts[1], sizeof st->verdicts[1], "%s", b.s);
	buf_free(&b);
	policy_account_free(&pa);
}

static void widen(struct account_state *st);

/* The history's rows the filter lets through, in the list. */
static void filter_history(struct account_state *st)
{
	int n = 0;

	for (int i = 0; i < st->v.nevents && n < HISTORY_ROWS; i++)
		if (!st->kind_filter[0] || !strcmp(st->v.events[i].kind, st->kind_filter))
			st->shown[n++] = i;
	list_count(&st->history, n);
}

/* Where the panes go now: the debtor's accounts take as many lines as they
 * have (up to four), the history or the money the rest. */
static void relayout(struct account_state *st)
{
	const struct account_view *v = &st->v;
	struct account_layout *l = &st->at;

	layout_account(st->rows, v->naccounts, v->ninstallments, v->npayments, v->npromises, l);
	list_layout(&st->accounts, l->accounts, 0, l->naccounts, st->cols);
	list_layout(&st->history, l->history, 0, l->nhistory, st->cols);
	list_layout(&st->installments, l->installments, 0, l->ninstallments, st->cols);
	list_layout(&st->payments, l->payments, 0, l->npayments, st->cols);
	list_layout(&st->promises, l->promises, 0, l->npromises, st->cols);
}

static void account_lay_out(struct ui *ui, void *state, int rows, int cols)
{
	struct account_state *st = state;

	(void)ui;
	st->rows = rows;
	st->cols = cols;
	relayout(st);
}

static void show(struct ui *ui, struct account_state *st, struct account_view *fresh)
{
	account_view_free(&st->v);
	st->v = *fresh;
	st->loaded = true;
	st->read_at = ui_clock();
	load_verdicts(ui, st);
	st->zone = tz_cached(st->v.time_zone);
	widen(st);
	list_count(&st->accounts, st->v.naccounts);
	list_count(&st->installments, st->v.ninstallments);
	list_count(&st->payments, st->v.npayments);
	list_count(&st->promises, st->v.npromises);
	filter_history(st);
	relayout(st);
}

static void load(struct ui *ui, struct account_state *st)
{
	struct account_view fresh;

	if (ui->offline)
		return;
	if (!account_load(ui->db, st->id, HISTORY_ROWS, ui_now(), &fresh)) {
		ui_status(ui, true, _("Could not load the account: %s"), ui->db->err);
		return;
	}
	show(ui, st, &fresh);
}

/* Takes st->id's lease and loads it, in one round trip. */
static void open_account(struct ui *ui, struct account_state *st)
{
	struct account_view fresh;

	if (ui->offline)
		return;
	if (!account_open(ui->db, st->id, HISTORY_ROWS, ui_now(), &st->lease, &fresh)) {
		ui_status(ui, true, _("Could not load the account: %s"), ui->db->err);
		return;
	}
	show(ui, st, &fresh);
}

static void account_draw(struct ui *ui, void *state, WINDOW *w, int rows, int cols);
static void init_lists(struct account_state *st);

static void drop_copy(struct ahead_copy *c)
{
	account_view_free(&c->v);
	c->id = 0;
	c->lease = (struct lease){ 0 };
}

static void drop_ahead(void)
{
	for (int i = 0; i < AHEAD_COPIES; i++)
		drop_copy(&ahead.copy[i]);
}

/* Keeps v (taken over) as the copy of account id, read at read_at, in its
 * own place, an empty one, or the one kept longest ago. held is the lease
 * then, NULL or ours for none (ours goes back as the account is left). */
static void keep_ahead(long long id, struct account_view *v, double read_at, const struct lease *held)
{
	struct ahead_copy *c = &ahead.copy[0];

	for (int i = 0; i < AHEAD_COPIES; i++) {
		struct ahead_copy *o = &ahead.copy[i];

		if (o->id == id) {
			c = o;
			break;
		}
		if (!c->id)
			continue;
		if (!o->id || o->kept_at < c->kept_at)
			c = o;
	}
	drop_copy(c);
	*c = (struct ahead_copy){ .id = id, .v = *v, .read_at = read_at, .kept_at = ui_clock() };
	if (held && held->holder[0] && !held->mine)
		c->lease = *held;
	memset(v, 0, sizeof *v);
}

/* Account id's copy, if one is kept and young enough. */
static struct ahead_copy *ahead_holds(long long id)
{
	for (int i = 0; i < AHEAD_COPIES; i++)
		if (id > 0 && ahead.copy[i].id == id && ui_clock() - ahead.copy[i].read_at < AHEAD_MAX_AGE)
			return &ahead.copy[i];
	return NULL;
}

/* A notification that account id changed (or every account did). */
static bool changed(const char *channel, const char *payload, long long id)
{
	char s[24];

	snprintf(s, sizeof s, "%lld", id);
	return !strcmp(channel, NOTIFY_ACCOUNT) && (!strcmp(payload, s) || !strcmp(payload, "*"));
}

/* The first account a session opens costs some milliseconds more than the
 * rest: the session plans the statements and reads the catalogs of every
 * history partition, and this process loads the debtor's time zone and
 * looks up the screen's words for the first time. The first read ahead
 * rehearses all of it (account_rehearse(), drawn into a window that is
 * never shown); the later ones are one statement. */
void account_screen_ahead(struct ui *ui, long long id)
{
	struct account_state st = { .id = id };
	struct account_view fresh;
	struct lease held = { 0 };
	WINDOW *w;

	if (ui->offline || id <= 0 || ahead_holds(id))
		return;
	if (!(ahead.rehearsed ? account_load(ui->db, id, HISTORY_ROWS, ui_now(), &fresh)
	                      : account_rehearse(ui->db, id, HISTORY_ROWS, ui_now(), &fresh)))
		return; /* opening it will say why */
	if (!ahead.rehearsed) {
		init_lists(&st);
		account_lay_out(ui, &st, ui->frame.rows, ui->frame.cols);
		show(ui, &st, &fresh);
		if (ui->frame.rows > 0 && (w = newwin(ui->frame.rows, ui->frame.cols, ui->frame.body, 0))) {
			account_draw(ui, &st, w, ui->frame.rows, ui->frame.cols);
			delwin(w);
		}
		fresh = st.v; /* shown again, verdicts and all, when opened */
		ahead.rehearsed = true;
	}
	/* Not open here, so not ours: whoever holds it is someone else. */
	snprintf(held.holder, sizeof held.holder, "%s", fresh.lease_holder);
	snprintf(held.holder_name, sizeof held.holder_name, "%s", fresh.lease_holder_name);
	keep_ahead(id, &fresh, ui_clock(), &held);
}

void account_screen_forget(void)
{
	drop_ahead();
}

bool account_screen_heard(struct ui *ui, const char *channel, const char *payload)
{
	bool dropped = false;

	for (int i = 0; i < AHEAD_COPIES; i++) {
		struct ahead_copy *c = &ahead.copy[i];
		char id[24];

		snprintf(id, sizeof id, "%lld", c->id);
		/* Our own lease comes and goes with the account open here; the
		 * copy already says it is no one else's. */
		if (c->id && (changed(channel, payload, c->id) || !strcmp(channel, UI_NOTIFY_RECONNECTED) ||
		              (!strcmp(channel, NOTIFY_LEASE) && !strcmp(payload, id) && !ui->notify_own))) {
			drop_copy(c);
			dropped = true;
		}
	}
	return dropped;
}

/* Says who else is on the account, if anyone: true if someone is. */
static bool say_holder(struct ui *ui, const struct account_state *st)
{
	if (!st->lease.holder[0] || st->lease.mine)
		return false;
	ui_status(ui, true, _("%s is on this account"), st->lease.holder);
	return true;
}

static void take_lease(struct ui *ui, struct account_state *st)
{
	if (!ui->offline && !lease_take(ui->db, st->id, &st->lease))
		ui_status(ui, true, _("Could not take the account: %s"), ui->db->err);
}

/* Saves what is pending; on a lost connection it stays pending. */
static void save_pending(struct ui *ui, struct account_state *st)
{
	struct pending *p = &st->pending;
	bool ok = false;

	if (p->what == PENDING_NONE)
		return;
	if (ui->offline) {
		ui_status(ui, true, "%s", _("Not saved yet: it will be saved when the database is back"));
		return;
	}
	switch (p->what) {
	case PENDING_CALL: ok = contact_log_call(ui->db, p->key, st->id, p->outcome, p->point_id, p->text); break;
	case PENDING_NOTE: ok = contact_add_note(ui->db, p->key, st->id, p->text); break;
	case PENDING_CALLBACK:
		ok = contact_schedule_callback(ui->db, p->key, st->id, p->due, p->zone, p->text);
		break;
	case PENDING_NONE: break;
	}
	if (ok) {
		p->what = PENDING_NONE;
		ui->own_changes = true;
		ui_status(ui, false, "%s", _("Saved"));
		load(ui, st);
		return;
	}
	if (db_classify(ui->db->sqlstate) == DB_CONNECTION || PQstatus(ui->db->conn) == CONNECTION_BAD) {
		ui->offline = true;
		ui_status(ui, true, "%s", _("Not saved yet: it will be saved when the database is back"));
		return;
	}
	ui_status(ui, true, _("Not saved: %s"), ui->db->err);
	p->what = PENDING_NONE;
}

/* Takes the lease of an account painted from the one read ahead, and reads
 * it again. */
static void settle(struct ui *ui, struct account_state *st)
{
	bool others = st->lease.holder[0] && !st->lease.mine; /* as painted */

	if (!st->unsettled || ui->offline) /* offline: once reconnected */
		return;
	st->unsettled = false;
	st->due = false; /* read again here */
	open_account(ui, st);
	if (!say_holder(ui, st) && others && st->lease.mine) /* left it since the copy was read */
		ui_status(ui, false, "%s", _("The account is free: it is yours now"));
}

static bool may_act(struct ui *ui, struct account_state *st)
{
	settle(ui, st); /* a key typed before the account settled */
	if (say_holder(ui, st))
		return false;
	if (st->pending.what != PENDING_NONE) {
		ui_status(ui, true, "%s", _("Still waiting to save the last change"));
		return false;
	}
	return true;
}

static void *account_enter(struct ui *ui, void *arg)
{
	struct account_state *st = xcalloc(1, sizeof *st);
	struct ahead_copy *c;

	st->id = *(const long long *)arg;
	init_lists(st);
	if ((c = ahead_holds(st->id))) {
		/* Paint now; settle() just after the paint (UI_NOTIFY_DUE), or
		 * before a key that needs the lease; without the database, once
		 * it is back. */
		show(ui, st, &c->v);
		st->read_at = c->read_at;
		/* Whoever was on it is said at once, as the settled screen will. */
		st->lease = c->lease;
		say_holder(ui, st);
		memset(&c->v, 0, sizeof c->v); /* st has it now */
		c->id = 0;
		c->lease = (struct lease){ 0 };
		st->unsettled = true;
		ui_wake(ui, ui_clock() + UI_AFTER_PAINT);
		return st;
	}
	st->unsettled = true;
	settle(ui, st);
	return st;
}

static void give_back(struct ui *ui, long long id)
{
	if (!ui->offline)
		lease_release(ui->db, id);
}

static void account_leave(struct ui *ui, void *state)
{
	struct account_state *st = state;

	/* The worklist is painted before the lease goes back. */
	if (st->lease.mine)
		ui_later(ui, give_back, st->id);
	/* What is shown is kept, to open it again at once, unless a change to
	 * it is still waiting to be read. */
	if (st->loaded && !st->due)
		keep_ahead(st->id, &st->v, st->read_at, &st->lease);
	account_view_free(&st->v);
	free(st);
}

static const char *event_label(const char *kind)
{
	static const struct {
		const char *kind, *label;
	} k[] = {
		{ "call", N_("call") },       { "sms", N_("SMS") },          { "email", N_("email") },
		{ "whatsapp", N_("WhatsApp") }, { "letter", N_("letter") },  { "visit", N_("visit") },
		{ "note", N_("note") },       { "promise", N_("promise") },  { "payment", N_("payment") },
		{ "callback", N_("callback") }, { "assignment", N_("assignment") }, { "status", N_("status") },
	};

	for (size_t i = 0; i < ARRAY_SIZE(k); i++)
		if (!strcmp(k[i].kind, kind))
			return _(k[i].label);
	return kind;
}

static const char *outcome_label(const char *code)
{
	for (int i = 0; i < OUTCOME__COUNT; i++)
		if (!strcmp(outcome_code((enum call_outcome)i), code))
			return _(outcome_labels[i]);
	return code;
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
static const struct column promise_columns[PROM_COLUMNS] = {
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
	list_cell(l, w, y, ACC_BALANCE, money_format(cell, sizeof cell, a->balance, a->currency));
	snprintf(cell, sizeof cell, "%d", a->dpd);
	list_cell(l, w, y, ACC_DPD, cell);
	list_cell(l, w, y, ACC_STATUS, a->status);
	list_cell(l, w, y, ACC_AGENT, a->agent);
}

static void event_row(const struct list *l, WINDOW *w, int y, int i, bool selected, void *ctx)
{
	const struct account_state *st = ctx;
	const struct event_row *e = &st->v.events[st->shown[i]];
	bool failed = !strcmp(e->message_status, "failed") || !strcmp(e->message_status, "refused");
	char what[64];

	(void)selected;
	snprintf(what, sizeof what, "%s%s", event_label(e->kind), !strcmp(e->direction, "in") ? " \xe2\x86\x90" : "");
	if (failed)
		ui_color_on(w, COLOR_ERROR);
	list_cell(l, w, y, EV_AT, e->at);
	list_cell(l, w, y, EV_WHAT, what);
	list_cell(l, w, y, EV_DETAIL, e->message_status[0] ? e->message_status : outcome_label(e->outcome));
	list_cell(l, w, y, EV_AGENT, e->agent);
	list_cell(l, w, y, EV_BODY, e->body);
	if (failed)
		ui_color_off(w, COLOR_ERROR);
}

static void installment_row(const struct list *l, WINDOW *w, int y, int i, bool selected, void *ctx)
{
	const struct account_state *st = ctx;
	const struct installment_row *r = &st->v.installments[i];
	char cell[48];

	(void)selected;
	if (r->paid < r->amount)
		ui_color_on(w, COLOR_OVERDUE);
	snprintf(cell, sizeof cell, "%d", r->seq);
	list_cell(l, w, y, INST_SEQ, cell);
	list_cell(l, w, y, INST_DUE, r->due_date);
	list_cell(l, w, y, INST_AMOUNT, money_format(cell, sizeof cell, r->amount, st->v.account.currency));
	list_cell(l, w, y, INST_PAID, money_format(cell, sizeof cell, r->paid, st->v.account.currency));
	ui_color_off(w, COLOR_OVERDUE);
}

static void payment_row(const struct list *l, WINDOW *w, int y, int i, bool selected, void *ctx)
{
	const struct account_state *st = ctx;
	const struct payment_row *r = &st->v.payments[i];
	char cell[48];

	(void)selected;
	list_cell(l, w, y, PAY_AT, r->paid_at);
	list_cell(l, w, y, PAY_AMOUNT, money_format(cell, sizeof cell, r->amount, st->v.account.currency));
	list_cell(l, w, y, PAY_METHOD, r->method);
}

static void promise_row(const struct list *l, WINDOW *w, int y, int i, bool selected, void *ctx)
{
	const struct account_state *st = ctx;
	const struct promise_row *r = &st->v.promises[i];
	char cell[48];

	(void)selected;
	ui_color_on(w, !strcmp(r->status, "broken") ? COLOR_PROMISE_BROKEN
	               : !strcmp(r->status, "kept") ? COLOR_PROMISE_KEPT : COLOR_PROMISE_PENDING);
	list_cell(l, w, y, PROM_MADE, r->created_at);
	list_cell(l, w, y, PROM_DUE, r->due_date);
	list_cell(l, w, y, PROM_AMOUNT, money_format(cell, sizeof cell, r->amount, st->v.account.currency));
	list_cell(l, w, y, PROM_STATE, r->status);
	list_cell(l, w, y, PROM_AGENT, r->agent);
	ui_color_off(w, COLOR_NORMAL);
}

static int wider(int w, const char *text)
{
	int t = text_width(text);

	return t > w ? t : w;
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
		                             "status",  "delivery", "optout" };

	if (measured)
		return event_columns_measured;
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
		what = wider(what, event_label(kinds[i]));
	for (int i = 0; i < OUTCOME__COUNT; i++)
		detail = wider(detail, _(outcome_labels[i]));
	for (size_t i = 0; i < ARRAY_SIZE(statuses); i++)
		detail = wider(detail, statuses[i]);
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

/* The lists of a new state, empty until shown. */
static void init_lists(struct account_state *st)
{
	memcpy(st->account_columns, account_columns, sizeof account_columns);
	list_init(&st->accounts, st->account_columns, ACC_COLUMNS, 0, true, account_row, st);
	st->accounts.unfocused = true; /* until Tab gives the accounts pane the keys */
	list_init(&st->history, event_columns(), EV_COLUMNS, 0, false, event_row, st);
	list_init(&st->installments, installment_columns, INST_COLUMNS, 0, false, installment_row, st);
	list_init(&st->payments, payment_columns, PAY_COLUMNS, 0, false, payment_row, st);
	list_init(&st->promises, promise_columns, PROM_COLUMNS, 0, false, promise_row, st);
}

static void draw_header(const struct account_state *st, WINDOW *w, int cols)
{
	const struct account_view *v = &st->v;
	char line[512], money[48];
	struct buf b = { 0 };
	int y = st->at.header;

	ui_color_on(w, COLOR_HEADER);
	snprintf(line, sizeof line, "%s  \xc2\xb7  %s  \xc2\xb7  %s %s  \xc2\xb7  %s", v->name, v->national_id,
	         v->jurisdiction, v->time_zone, v->account.reference);
	ui_put(w, y, 0, cols, line);
	ui_color_off(w, COLOR_HEADER);
	money_format(money, sizeof money, v->account.balance, v->account.currency);
	snprintf(line, sizeof line, _("Balance %s  DPD %d  %s  %s  %s"), money, v->account.dpd, v->account.creditor,
	         v->account.product, v->account.status);
	ui_put(w, y + 1, 0, cols, line);
	buf_puts(&b, "");
	for (int i = 0; i < v->npoints; i++) {
		const struct contact_point_row *c = &v->points[i];

		buf_printf(&b, "%s%s %s", i ? "  \xc2\xb7  " : "", c->kind, c->value);
		if (c->bad)
			buf_printf(&b, " [%s]", _("bad"));
		if (c->opted_out[0])
			buf_printf(&b, " [%s: %s]", _("opted out"), c->opted_out);
	}
	ui_put(w, y + 2, 0, cols, b.s);
	buf_free(&b);
	ui_color_on(w, COLOR_INFO);
	ui_put(w, y + 3, 0, cols, st->verdicts[0]);
	ui_put(w, y + 4, 0, cols, st->verdicts[1]);
	ui_color_off(w, COLOR_INFO);
	if (st->lease.holder[0] && !st->lease.mine) {
		snprintf(line, sizeof line, _("%s is on this account"), st->lease.holder_name);
		ui_color_on(w, COLOR_ERROR);
		ui_put(w, y + 5, 0, cols, line);
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

static void account_draw(struct ui *ui, void *state, WINDOW *w, int rows, int cols)
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
		draw_title(w, st->at.promises_title, cols, _("Promises (made, due, amount, state)"));
		list_draw(&st->promises, w);
		return;
	}
	if (st->kind_filter[0])
		snprintf(title, sizeof title, _("History (newest first): %s only"), event_label(st->kind_filter));
	else
		snprintf(title, sizeof title, "%s", _("History (newest first)"));
	draw_title(w, st->at.history_title, cols, title);
	list_draw(&st->history, w);
}

static void outcome_chosen(struct ui *ui, void *state, int choice)
{
	struct account_state *st = state;
	struct pending *p = &st->pending;

	memset(p, 0, sizeof *p);
	p->what = PENDING_CALL;
	p->outcome = (enum call_outcome)choice;
	/* The number called: the first usable phone of the debtor. */
	for (int i = 0; i < st->v.npoints; i++)
		if (!st->v.points[i].bad &&
		    (!strcmp(st->v.points[i].kind, "mobile") || !strcmp(st->v.points[i].kind, "phone"))) {
			p->point_id = st->v.points[i].id;
			break;
		}
	contact_new_key(p->key);
	save_pending(ui, st);
}

static const char *note_problem_text(enum note_problem pr)
{
	switch (pr) {
	case NOTE_TOO_LONG: return _("Too long: at most 2000 characters");
	case NOTE_CONTROL: return _("Control characters are not allowed");
	case NOTE_BAD_UTF8: return _("Not valid text (UTF-8)");
	case NOTE_EMPTY: return _("Write something, or Esc to cancel");
	case NOTE_OK: break;
	}
	return "";
}

static bool note_typed(struct ui *ui, void *state, const char *text)
{
	struct account_state *st = state;
	enum note_problem pr = contact_check_note(text, true);

	if (pr != NOTE_OK) {
		prompt_say(&ui->prompt, note_problem_text(pr));
		return false;
	}
	memset(&st->pending, 0, sizeof st->pending);
	st->pending.what = PENDING_NOTE;
	snprintf(st->pending.text, sizeof st->pending.text, "%s", text);
	contact_new_key(st->pending.key);
	save_pending(ui, st);
	return true;
}

/* "YYYY-MM-DD HH:MM" or "HH:MM" (today), in the zone chosen: the debtor's
 * or the collector's. */
static bool callback_typed(struct ui *ui, void *state, const char *text)
{
	struct account_state *st = state;
	const struct tz *zone = st->callback_mine ? st->mine : st->zone;
	struct civil c = { 0 }, today;
	char iso[40];
	int64_t due;
	int n = 0;

	tz_local(zone, (int64_t)time(NULL), &today);
	if (sscanf(text, "%4d-%2d-%2d %2d:%2d%n", &c.year, &c.month, &c.day, &c.hour, &c.min, &n) == 5 && !text[n]) {
		;
	} else if (sscanf(text, "%2d:%2d%n", &c.hour, &c.min, &n) == 2 && !text[n]) {
		c.year = today.year, c.month = today.month, c.day = today.day;
	} else {
		prompt_say(&ui->prompt, _("Write YYYY-MM-DD HH:MM or HH:MM"));
		return false;
	}
	snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02d:%02d:00Z", c.year, c.month, c.day, c.hour, c.min);
	if (!time_parse_iso(iso, &due)) {
		prompt_say(&ui->prompt, _("That date or time does not exist"));
		return false;
	}
	due = tz_utc(zone, &c);
	if (due <= (int64_t)time(NULL)) {
		prompt_say(&ui->prompt, _("That time has passed"));
		return false;
	}
	memset(&st->pending, 0, sizeof st->pending);
	st->pending.what = PENDING_CALLBACK;
	st->pending.due = due;
	snprintf(st->pending.zone, sizeof st->pending.zone, "%s", zone->name);
	contact_new_key(st->pending.key);
	save_pending(ui, st);
	return true;
}

/* The callback's time is typed in the zone picked here, and the prompt says
 * which: the debtor's (the default) or the collector's own. */
static void callback_zone_chosen(struct ui *ui, void *state, int choice)
{
	struct account_state *st = state;
	const struct tz *zone;
	struct civil now;
	char label[192];

	st->callback_mine = choice == 1;
	zone = st->callback_mine ? st->mine : st->zone;
	tz_local(zone, (int64_t)time(NULL), &now);
	snprintf(label, sizeof label,
	         st->callback_mine ? _("Callback, your time (%s, now %02d:%02d):")
	                           : _("Callback, debtor's time (%s, now %02d:%02d):"),
	         zone->name, now.hour, now.min);
	ui_prompt_open(ui, label, NULL, callback_typed, st);
}

static void callback_ask_zone(struct ui *ui, struct account_state *st)
{
	static char items[2][160]; /* the menu keeps pointers to its items while open */
	const char *list[2] = { items[0], items[1] };
	char name[128];

	if (!st->zone) {
		ui_status(ui, true, "%s", _("The debtor's time zone is unknown"));
		return;
	}
	st->mine = tz_cached(tz_local_name(name, sizeof name));
	/* The same zone twice would be a question with one answer. */
	if (!st->mine || !strcmp(st->mine->name, st->zone->name)) {
		callback_zone_chosen(ui, st, 0);
		return;
	}
	snprintf(items[0], sizeof items[0], _("Debtor's time (%s)"), st->zone->name);
	snprintf(items[1], sizeof items[1], _("My time (%s)"), st->mine->name);
	ui_menu_open(ui, _("Callback time in"), list, 2, callback_zone_chosen, st);
}

static void kind_chosen(struct ui *ui, void *state, int choice)
{
	struct account_state *st = state;

	(void)ui;
	snprintf(st->kind_filter, sizeof st->kind_filter, "%s", history_kinds[choice]);
	filter_history(st);
	list_select(&st->history, 0);
}

/* "Rank 12 of 427: callback 0 + promise 100000000 + S/ 1,893.00 x p(pay) 0.587 - 150 = 100110956" */
static void explain(struct ui *ui, struct account_state *st)
{
	struct priority_terms t;
	char money[48];

	if (!worklist_explain(ui->db, &ui->conf->weights, st->id, &t)) {
		ui_status(ui, true, _("Could not explain the rank: %s"), ui->db->err);
		return;
	}
	if (!t.ranked) {
		ui_status(ui, false, "%s", _("This account is not in your worklist (not yours, or not workable now)"));
		return;
	}
	money_format(money, sizeof money, t.balance, t.currency);
	ui_status(ui, false, _("Rank %lld of %lld: callback %.0f + promise %.0f + %s x p(pay) %.3f - %.0f = %.0f"), t.rank,
	          t.of, t.callback, t.promise, money, t.ppay, t.contact_cost, t.total);
}

static enum ui_reaction account_action(struct ui *ui, void *state, enum ui_action a)
{
	struct account_state *st = state;
	int other;

	switch (a) {
	case ACTION_LOG_CALL:
		if (may_act(ui, st))
			ui_menu_open(ui, _("Call outcome"), outcome_labels, OUTCOME__COUNT, outcome_chosen, st);
		return UI_HANDLED;
	case ACTION_NOTE:
		if (may_act(ui, st))
			ui_prompt_open(ui, _("Note:"), NULL, note_typed, st);
		return UI_HANDLED;
	case ACTION_CALLBACK:
		if (may_act(ui, st))
			callback_ask_zone(ui, st);
		return UI_HANDLED;
	case ACTION_SEND_SMS:
	case ACTION_SEND_EMAIL:
	case ACTION_SEND_WHATSAPP:
		if (st->loaded && may_act(ui, st)) {
			struct send_args args = {
				.view = &st->v,
				.channel = a == ACTION_SEND_SMS ? CH_SMS : a == ACTION_SEND_EMAIL ? CH_EMAIL : CH_WHATSAPP,
			};

			ui_push(ui, &send_screen, &args);
		}
		return UI_REDRAW;
	case ACTION_SAVE_NEXT:
		if (st->pending.what != PENDING_NONE) {
			ui_status(ui, true, "%s", _("Still waiting to save the last change"));
			return UI_HANDLED;
		}
		ui_pop(ui);
		ui_request(ui, ACTION_NEXT_ACCOUNT);
		return UI_HANDLED;
	case ACTION_OPEN:
		/* Another account of the same debtor, picked in the accounts pane. */
		other = list_selected(&st->accounts);
		if (st->pane == PANE_ACCOUNTS && other >= 0 && other < st->v.naccounts &&
		    st->v.accounts[other].id != st->id) {
			if (st->pending.what != PENDING_NONE) {
				ui_status(ui, true, "%s", _("Still waiting to save the last change"));
				return UI_HANDLED;
			}
			settle(ui, st);
			if (!ui->offline && st->lease.mine)
				lease_release(ui->db, st->id);
			st->id = st->v.accounts[other].id;
			list_select(&st->history, 0);
			ui_status(ui, false, "%s", ""); /* what was said was of the other */
			open_account(ui, st);
			say_holder(ui, st);
		}
		return UI_REDRAW;
	case ACTION_WHY:
		explain(ui, st);
		return UI_REDRAW;
	case ACTION_HISTORY_FILTER:
		ui_menu_open(ui, _("History of"), history_kind_labels, (int)ARRAY_SIZE(history_kinds), kind_chosen, st);
		return UI_REDRAW;
	case ACTION_SWITCH_PANE:
		st->pane = (enum pane)((st->pane + 1) % PANE__COUNT);
		st->accounts.unfocused = st->pane != PANE_ACCOUNTS;
		return UI_REDRAW;
	case ACTION_REFRESH: load(ui, st); return UI_REDRAW;
	default:
		/* Up and down move in the accounts pane when it has the keys;
		 * otherwise, and paging always, the history scrolls. */
		if (st->pane == PANE_ACCOUNTS && (a == ACTION_UP || a == ACTION_DOWN))
			return list_action(&st->accounts, a) ? UI_REDRAW : UI_UNHANDLED;
		return list_action(&st->history, a) ? UI_REDRAW : UI_UNHANDLED;
	}
}

static enum ui_reaction account_notify(struct ui *ui, void *state, const char *channel, const char *payload)
{
	struct account_state *st = state;
	char id[24];

	if (!strcmp(channel, UI_NOTIFY_RECONNECTED)) {
		st->unsettled = false; /* settled here */
		take_lease(ui, st);
		save_pending(ui, st);
		load(ui, st);
		return UI_REDRAW;
	}
	if (!strcmp(channel, UI_NOTIFY_DUE) && st->unsettled) {
		settle(ui, st);
		return UI_REDRAW;
	}
	if (!strcmp(channel, UI_NOTIFY_TICK)) {
		if (st->unsettled)
			settle(ui, st);
		else
			take_lease(ui, st); /* renew */
		return UI_HANDLED;
	}
	/* What this workstation changed it reloaded at once (save_pending):
	 * its own lease and saves come back here as notifications too. */
	if (ui->notify_own)
		return UI_HANDLED;
	if (!strcmp(channel, UI_NOTIFY_DUE)) {
		if (!st->due)
			return UI_HANDLED;
		st->due = false;
		load(ui, st);
		return UI_REDRAW;
	}
	snprintf(id, sizeof id, "%lld", st->id);
	/* The holder changed: whoever was on the account left it (it is ours
	 * now, and may be worked) or someone took it over after ours ran out. */
	if (!strcmp(channel, NOTIFY_LEASE) && !strcmp(payload, id)) {
		bool was_mine = st->lease.mine;

		take_lease(ui, st);
		if (st->lease.mine && !was_mine)
			ui_status(ui, false, "%s", _("The account is free: it is yours now"));
		else
			say_holder(ui, st);
		return UI_REDRAW;
	}
	/* Reloaded once all the notifications waiting are read: a burst of
	 * them (a batch of messages sent to this debtor) is one reload. */
	if (changed(channel, payload, st->id) || !strcmp(channel, NOTIFY_POLICY)) {
		st->due = true;
		ui_wake(ui, ui_clock());
	}
	return UI_HANDLED;
}

static const struct keybind account_binds[] = {
	{ 'c', ACTION_LOG_CALL }, { 'o', ACTION_NOTE }, { 'b', ACTION_CALLBACK },
	{ 's', ACTION_SEND_SMS }, { 'e', ACTION_SEND_EMAIL }, { 'w', ACTION_SEND_WHATSAPP },
	{ 'N', ACTION_SAVE_NEXT }, { '\t', ACTION_SWITCH_PANE }, { 'y', ACTION_WHY }, { 'h', ACTION_HISTORY_FILTER },
	{ '\n', ACTION_OPEN },     { KEY_ENTER, ACTION_OPEN },
};
/* w (WhatsApp) is left to ? help: with it the Spanish bar passes 80 columns. */
static const char *const account_bar[] = { "help", "log_call", "send_sms", "send_email", "note", "callback",
	                                   "save_next", "back", NULL };

static const struct keymap account_keys = {
	.binds = account_binds,
	.count = (int)ARRAY_SIZE(account_binds),
	.bar = account_bar,
};

const struct screen_ops account_screen = {
	.name = "account",
	.title = N_("Account"),
	.keymap = &account_keys,
	.enter = account_enter,
	.leave = account_leave,
	.layout = account_lay_out,
	.draw = account_draw,
	.action = account_action,
	.notify = account_notify,
};
