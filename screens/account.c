/* Account: the debtor, their contact points and accounts, and the history of
 * the open account across every channel, newest first. Call outcomes, notes
 * and callbacks are recorded from here, through the screen manager's queue
 * of saves (ui_save()): what could not be saved because the database was
 * away is kept there, whichever screen the person goes to, and saved once
 * it is back. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account_lists.h"
#include "account_outcome.h"
#include "account_screen.h"
#include "cleaning.h"
#include "label.h"
#include "item_screen.h"
#include "money.h"
#include "policy_store.h"
#include "promise_plan.h"
#include "promise_screen.h"
#include "send.h"
#include "text.h"
#include "tz.h"
#include "util.h"
#include "when.h"
#include "worklist.h"

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

		const struct tz *zone = pa.debtor.zones[0];
		int point;

		pa.contact.channel = verdict_channels[i];
		/* A message goes to one point: judged as the send screen proposes it
		 * and cobrod sends it, not by the debtor's points taken together. */
		if (verdict_channels[i] == CH_CALL ||
		    !policy_channel_point(ui_policy(ui), &st->v, verdict_channels[i], ui_now(), &point, &v, &zone,
		                          err, sizeof err))
			policy_check(pa.policy, &pa.debtor, pa.history, pa.nhistory, &pa.contact, &v);
		ui_verdict(said, sizeof said, &v, zone);
		buf_printf(&b, "%s%s: %s", i % 2 ? "  \xc2\xb7  " : "",
			   label(LABEL_CHANNEL, channel_name(verdict_channels[i])), said);
	}
	snprintf(st->verdicts[1], sizeof st->verdicts[1], "%s", b.s);
	buf_free(&b);
	policy_account_free(&pa);
}

static void show(struct ui *ui, struct account_state *st, struct account_view *fresh)
{
	account_view_free(&st->v);
	st->v = *fresh;
	st->loaded = true;
	st->read_at = ui_clock();
	load_verdicts(ui, st);
	st->zone = tz_cached(st->v.time_zone);
	snprintf(st->time_zone, sizeof st->time_zone, "%s", db_time_zone(ui->db));
	account_lists_show(st);
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

/* A notification that account id changed (or every account did), or that
 * something kept for it was saved (ui_save()). */
static bool changed(const char *channel, const char *payload, long long id)
{
	char s[24];

	snprintf(s, sizeof s, "%lld", id);
	if (!strcmp(channel, UI_NOTIFY_SAVED))
		return !strcmp(payload, s);
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
		account_lists_init(&st);
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

/* Hands what was typed or chosen to the screen manager's queue of saves,
 * which keeps it until it is saved, whatever screen the person goes to
 * (ui_save()); the screen reads the account again when it is saved
 * (UI_NOTIFY_SAVED). */
static void save_pending(struct ui *ui, struct account_state *st)
{
	static const enum save_kind kinds[] = { [PENDING_CALL] = SAVE_CALL, [PENDING_NOTE] = SAVE_NOTE,
		                                [PENDING_CALLBACK] = SAVE_CALLBACK };
	struct pending *p = &st->pending;
	struct save_item it = { .account_id = st->id, .outcome = p->outcome, .point_id = p->point_id,
		                .due = p->due, .text = p->text[0] ? p->text : NULL };
	const char *marked;

	if (p->what == PENDING_NONE)
		return;
	it.kind = kinds[p->what];
	snprintf(it.key, sizeof it.key, "%s", p->key);
	snprintf(it.zone, sizeof it.zone, "%s", p->zone);
	marked = account_outcome_saved(st, p); /* what `u` may undo */
	p->what = PENDING_NONE;
	ui_save(ui, &it);
	if (marked && !ui->saves.n && !ui->status_error) /* saved at once */
		ui_status(ui, false, "%s", marked);
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
	return true;
}

static void *account_enter(struct ui *ui, void *arg)
{
	struct account_state *st = xcalloc(1, sizeof *st);
	struct ahead_copy *c;

	st->id = *(const long long *)arg;
	account_lists_init(st);
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

static long long account_shown(void *state)
{
	const struct account_state *st = state;

	return st ? st->id : 0;
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

/* "10:00", "tomorrow 10:00", "viernes 10:00" or "2026-12-24 10:00"
 * (when_parse()), in the zone chosen: the debtor's or the collector's. */
static bool callback_typed(struct ui *ui, void *state, const char *text)
{
	struct account_state *st = state;
	const struct tz *zone = st->callback_mine ? st->mine : st->zone;
	int64_t due = 0;

	switch (when_parse(text, zone, (int64_t)time(NULL), &due)) {
	case WHEN_OK: break;
	case WHEN_UNREADABLE:
		prompt_say(&ui->prompt, _("Write 10:00, tomorrow 10:00, friday 10:00 or 2026-12-24 10:00"));
		return false;
	case WHEN_NO_SUCH_TIME: prompt_say(&ui->prompt, _("That date or time does not exist")); return false;
	case WHEN_PAST: prompt_say(&ui->prompt, _("That time has passed")); return false;
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
	account_lists_filter(st);
	list_select(&st->history, 0);
}

/* The history's row under the cursor, whole (screens/item.c). */
static void open_item(struct ui *ui, struct account_state *st)
{
	int e = account_history_event(st, list_selected(&st->history));
	struct item_args args = { .form = st->form };
	char what[64];

	if (!st->loaded || e < 0)
		return;
	account_event_words(st, e, what, sizeof what, &args.detail);
	args.event_id = st->v.events[e].id;
	args.what = what;
	ui_push(ui, &item_screen, &args);
}

/* Why the account ranks where it does, in words and money rather than the
 * bonuses' raw weights, as long as the status line allows:
 *   "Rank 12 of 427: promise due or broken; then S/ 1,893.00 x p(pay) 0.587 - contact cost S/ 1.50 = S/ 1,109.60"
 * and shorter forms on narrower terminals, the rank always first. The rank
 * is the account's place in the worklist's one order (worklist_explain()). */
static void explain(struct ui *ui, struct account_state *st)
{
	struct priority_terms t;
	char money[48], cost[48], value[48], line[sizeof ui->status];
	const char *tier;
	int width = ui->frame.cols > 0 ? ui->frame.cols : 80;

	if (!worklist_explain(ui->db, &ui->conf->weights, st->id, &t)) {
		ui_status(ui, true, _("Could not explain the rank: %s"), ui->db->err);
		return;
	}
	if (!t.ranked) {
		ui_status(ui, false, "%s", _("This account is not in your worklist (not yours, or not workable now)"));
		return;
	}
	if (t.callback > 0 && t.promise > 0)
		tier = _("callback due, promise due or broken");
	else if (t.callback > 0)
		tier = _("callback due");
	else if (t.promise > 0)
		tier = _("promise due or broken");
	else
		tier = _("no callback or promise due");
	money_format_as(money, sizeof money, t.balance, t.currency, st->form);
	money_format_as(cost, sizeof cost, llround(t.contact_cost), t.currency, st->form);
	money_format_as(value, sizeof value, llround((double)t.balance * t.ppay - t.contact_cost), t.currency, st->form);
	snprintf(line, sizeof line, _("Rank %lld of %lld: %s; then %s x p(pay) %.3f - contact cost %s = %s"), t.rank,
	         t.of, tier, money, t.ppay, cost, value);
	if (text_width(line) > width)
		snprintf(line, sizeof line, _("Rank %lld of %lld: %s; %s x p(pay) %.2f - %s"), t.rank, t.of, tier, money,
		         t.ppay, cost);
	if (text_width(line) > width)
		snprintf(line, sizeof line, _("Rank %lld of %lld: %s; p(pay) %.2f"), t.rank, t.of, tier, t.ppay);
	if (text_width(line) > width)
		snprintf(line, sizeof line, _("Rank %lld of %lld"), t.rank, t.of);
	ui_status(ui, false, "%s", line);
}

/* The proposed number v decides on: the one under the cursor in the
 * contacts pane, else the debtor's first; -1 when none waits. */
static int proposed_point(struct account_state *st)
{
	int p = st->pane == PANE_CONTACTS ? account_contact_point(st, list_selected(&st->contacts)) : -1;

	if (p >= 0 && !strcmp(st->v.points[p].proposal, "proposed"))
		return p;
	for (int i = 0; i < st->v.npoints; i++)
		if (!strcmp(st->v.points[i].proposal, "proposed"))
			return i;
	return -1;
}

static void number_decided(struct ui *ui, void *state, int choice)
{
	struct account_state *st = state;
	int p = proposed_point(st);

	if (p < 0 || choice < 0 || choice > 1)
		return;
	if (!cleaning_decide(ui->db, st->id, st->v.points[p].id, choice == 0)) {
		ui_status(ui, true, _("Could not decide on the number: %s"), ui->db->err);
		return;
	}
	ui_status(ui, false, choice == 0 ? _("%s confirmed: it may be used now") : _("%s rejected"),
		  st->v.points[p].value);
	load(ui, st);
}

/* v: confirm or reject the number a reply proposed (functions/cleaning.sql
 * says who may: the account's collector, a supervisor of its team). */
static void number_decide(struct ui *ui, struct account_state *st)
{
	static char items[2][160], title[160]; /* the menu keeps pointers while open */
	const char *list[2] = { items[0], items[1] };
	int p = proposed_point(st);

	if (p < 0) {
		ui_status(ui, false, "%s", _("No number proposed by the debtor waits for a decision"));
		return;
	}
	snprintf(title, sizeof title, _("Number %s, proposed by the debtor"), st->v.points[p].value);
	snprintf(items[0], sizeof items[0], "%s", _("Confirm: the debtor's number, usable"));
	snprintf(items[1], sizeof items[1], "%s", _("Reject: not the debtor's number"));
	ui_menu_open(ui, title, list, 2, number_decided, st);
}

static enum ui_reaction account_action(struct ui *ui, void *state, enum ui_action a)
{
	struct account_state *st = state;
	int other;

	switch (a) {
	case ACTION_LOG_CALL:
		if (may_act(ui, st))
			account_outcome_ask(ui, st, save_pending);
		return UI_HANDLED;
	case ACTION_UNDO:
	case ACTION_CALLBACK_DONE:
		if (may_act(ui, st)) {
			if (a == ACTION_UNDO)
				account_outcome_undo(ui, st);
			else
				account_outcome_done(ui, st);
			load(ui, st);
		}
		return UI_REDRAW;
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
	case ACTION_PROMISE:
		if (ui->offline) {
			ui_status(ui, true, "%s", _("The database is away: try again once it is back"));
			return UI_REDRAW;
		}
		/* Said before anything is typed: the database would refuse the
		 * save of a promise on an account in dispute, on hold, closed or
		 * paid, or of a debtor under cease or deceased. */
		if (st->loaded && strcmp(st->v.policy_state, "active") != 0) {
			ui_status(ui, true, "%s", _(promise_error_text(PE_ACCOUNT_STATUS)));
			return UI_REDRAW;
		}
		if (st->loaded && may_act(ui, st)) {
			struct promise_args args = { .view = &st->v };

			ui_push(ui, &promise_screen, &args);
		}
		return UI_REDRAW;
	case ACTION_SAVE_NEXT:
		ui_pop(ui);
		ui_request(ui, ACTION_NEXT_ACCOUNT);
		return UI_HANDLED;
	case ACTION_OPEN:
		if (st->pane == PANE_HISTORY) {
			open_item(ui, st);
			return UI_REDRAW;
		}
		/* Another account of the same debtor, picked in the accounts pane. */
		other = list_selected(&st->accounts);
		if (st->pane == PANE_ACCOUNTS && other >= 0 && other < st->v.naccounts &&
		    st->v.accounts[other].id != st->id) {
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
	case ACTION_NUMBER_DECIDE:
		if (st->loaded && !ui->offline && may_act(ui, st))
			number_decide(ui, st);
		return UI_REDRAW;
	case ACTION_HISTORY_FILTER:
		ui_menu_open(ui, _("History of"), history_kind_labels, (int)ARRAY_SIZE(history_kinds), kind_chosen, st);
		return UI_REDRAW;
	case ACTION_SWITCH_PANE:
		st->pane = (enum pane)((st->pane + 1) % PANE__COUNT);
		st->accounts.unfocused = st->pane != PANE_ACCOUNTS;
		st->history.unfocused = st->pane != PANE_HISTORY;
		st->contacts.unfocused = st->pane != PANE_CONTACTS;
		return UI_REDRAW;
	case ACTION_REFRESH: load(ui, st); return UI_REDRAW;
	default:
		/* Up and down move in the accounts pane when it has the keys;
		 * otherwise, and paging always, the history scrolls. */
		if (st->pane == PANE_ACCOUNTS && (a == ACTION_UP || a == ACTION_DOWN))
			return list_action(&st->accounts, a) ? UI_REDRAW : UI_UNHANDLED;
		if (st->pane == PANE_CONTACTS)
			return list_action(&st->contacts, a) ? UI_REDRAW : UI_UNHANDLED;
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
		load(ui, st);
		return UI_REDRAW;
	}
	if (changed(channel, payload, st->id) && !strcmp(channel, UI_NOTIFY_SAVED)) {
		load(ui, st); /* shows what was saved */
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
	{ 'd', ACTION_CALLBACK_DONE }, { 'u', ACTION_UNDO },
	{ 's', ACTION_SEND_SMS }, { 'e', ACTION_SEND_EMAIL }, { 'w', ACTION_SEND_WHATSAPP }, { 'p', ACTION_PROMISE },
	{ 'N', ACTION_SAVE_NEXT }, { '\t', ACTION_SWITCH_PANE }, { 'y', ACTION_WHY }, { 'h', ACTION_HISTORY_FILTER },
	{ 'v', ACTION_NUMBER_DECIDE },
	{ '\n', ACTION_OPEN },     { KEY_ENTER, ACTION_OPEN },
};
/* w (WhatsApp) is left to ? help: with it the Spanish bar passes 80 columns. */
static const char *const account_bar[] = { "help", "log_call", "send_sms", "send_email", "note", "callback",
	                                   "save_next", "switch_pane", "back", NULL };

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
	.account = account_shown,
};
