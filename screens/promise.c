/* Promise: what the debtor agreed to pay, captured in a few keys (`p` on
 * the account screen). The amount (the past-due amount to start with), the
 * first date, how many installments and how often, a settlement's
 * discount, the channel it was given on and a note; every field checked as
 * it is typed by the rules the database applies again (promise_plan.h),
 * each message beside its field, and the schedule shown before it is
 * saved. A promise outside the team's limits is saved only as awaiting
 * approval, after the person is told so; an active promise is shown, and
 * saving asks to replace it. Once saved, one key opens the send screen
 * with the confirmation chosen. */
#include <stdlib.h>
#include <string.h>

#include "field.h"
#include "label.h"
#include "list.h"
#include "money.h"
#include "promise.h"
#include "promise_plan.h"
#include "promise_screen.h"
#include "send.h"
#include "text.h"
#include "ui.h"
#include "util.h"

/* The frequencies a plan of several installments may have, as chosen. */
static const enum promise_freq freqs[] = { PROMISE_MONTHLY, PROMISE_BIWEEKLY, PROMISE_WEEKLY };
static const char *const freq_words[] = { N_("monthly"), N_("every two weeks"), N_("weekly") };

static const char *const field_labels[PF__COUNT] = {
	[PF_AMOUNT] = N_("Amount"),     [PF_DATE] = N_("First date"), [PF_COUNT] = N_("Installments"),
	[PF_FREQUENCY] = N_("How often"),   [PF_DISCOUNT] = N_("Discount"), [PF_CHANNEL] = N_("Given on"),
	[PF_NOTE] = N_("Note"),
};

struct promise_state {
	/* The account, as the account screen had it. */
	long long account_id;
	char name[201], reference[41], currency[4];
	long long balance, past_due;
	int decimals;
	/* Its active promise (pending or awaiting approval), 0 when none. */
	long long active_id;
	char active_line[256];

	struct promise_account_limits limits;
	bool have_limits;
	char limits_err[256];

	/* The fields as typed; the two choices by index. */
	char text[PF__COUNT][CONTACT_NOTE_MAX * 4 + 1];
	int freq, channel;
	int at;                         /* the field being typed in */
	char message[PF__COUNT][256];   /* beside each field */
	bool warn[PF__COUNT];           /* the message is a limit's: it needs approval, not a fix */

	/* What the fields say now (check()). */
	struct promise_terms terms;
	bool readable;                  /* every field could be read */
	struct promise_verdict verdict;
	struct promise_step *steps;     /* PROMISE_COUNT_MAX of them */
	int nsteps;
	struct list schedule;

	/* One key for the promise, whatever number of times saving is tried:
	 * an answer lost on the way is not a second promise. */
	char key[CONTACT_KEY_SIZE];
	struct promise_saved saved;
	bool done;                      /* saved: the form is only read now */

	struct promise_layout at_l;
	int rows, cols;
};

static bool choice_field(int f)
{
	return f == PF_FREQUENCY || f == PF_CHANNEL;
}

static const char *status_words(const char *status)
{
	if (!strcmp(status, "awaiting_approval"))
		return _("awaiting approval");
	if (!strcmp(status, "rejected"))
		return _("rejected");
	return label(LABEL_PROMISE_STATUS, status);
}

/* Minor units as the person would type them: 40000 -> "400.00". */
static void amount_text(char *out, size_t n, long long minor, int decimals)
{
	long long unit = 1;

	for (int i = 0; i < decimals; i++)
		unit *= 10;
	if (decimals > 0)
		snprintf(out, n, "%lld.%0*lld", minor / unit, decimals, minor % unit);
	else
		snprintf(out, n, "%lld", minor);
}

static const char *money(char *out, size_t n, const struct promise_state *st, long long minor)
{
	return money_format(out, n, minor, st->currency);
}

/* ---------------------------------------------------------- the checks */

static bool read_count(const char *text, int *out)
{
	char *end;
	long v;

	if (!text[0])
		return false;
	v = strtol(text, &end, 10);
	if (*end || v < -100000 || v > 100000)
		return false;
	*out = (int)v;
	return true;
}

static const char *note_problem_words(enum note_problem pr)
{
	switch (pr) {
	case NOTE_TOO_LONG: return _("Too long: at most 2000 characters");
	case NOTE_CONTROL: return _("Control characters are not allowed");
	case NOTE_BAD_UTF8: return _("Not valid text (UTF-8)");
	case NOTE_EMPTY:
	case NOTE_OK: break;
	}
	return NULL;
}

/* A hard error in words, with what the person needs to fix it. */
static void error_words(const struct promise_state *st, enum promise_error e, char *out, size_t n)
{
	char m[48], d[11];

	switch (e) {
	case PE_AMOUNT_ABOVE_BALANCE:
		if (st->terms.discount > 0)
			snprintf(out, n, _("Above the discounted balance, %s"),
			         money(m, sizeof m, st, st->balance - st->terms.discount));
		else
			snprintf(out, n, _("Above the balance, %s"), money(m, sizeof m, st, st->balance));
		return;
	case PE_DATE_PAST:
		snprintf(out, n, _("That date has passed: today is %s"),
		         promise_date_text(d, sizeof d, st->limits.today));
		return;
	default: snprintf(out, n, "%s", _(promise_error_text(e))); return;
	}
}

/* A limit breached, in words: what the team allows without approval. */
static void limit_words(const struct promise_state *st, enum promise_limit l, char *out, size_t n)
{
	const struct promise_account_limits *lim = &st->limits;
	char m[48];

	switch (l) {
	case PL_HORIZON:
		snprintf(out, n,
		         ngettext("Needs approval: over %d day away", "Needs approval: over %d days away",
		                  (unsigned long)lim->horizon_days),
		         lim->horizon_days);
		return;
	case PL_MIN_SHARE:
		snprintf(out, n, _("Needs approval: the minimum is %s"),
		         money(m, sizeof m, st, (long long)(((__int128)st->past_due * lim->min_share_permille + 999) / 1000)));
		return;
	case PL_MAX_INSTALLMENTS:
		snprintf(out, n,
		         ngettext("Needs approval: more than %d installment", "Needs approval: more than %d installments",
		                  (unsigned long)lim->max_installments),
		         lim->max_installments);
		return;
	case PL_MAX_DISCOUNT:
		snprintf(out, n, _("Needs approval: at most %s off"),
		         money(m, sizeof m, st, (long long)((__int128)st->balance * lim->max_discount_permille / 1000)));
		return;
	case PL__COUNT: break;
	}
	snprintf(out, n, "%s", _(promise_limit_text(l)));
}

/* Reads every field and applies every rule: each field's message is why it
 * cannot be read, else its first hard error, else the limit it breaks. A
 * field that cannot be read is taken at a harmless value so that the others
 * are still judged. */
static void check(struct promise_state *st)
{
	struct promise_terms *t = &st->terms;
	struct promise_money m = { .balance = st->balance, .past_due = st->past_due };
	bool read[PF__COUNT];
	enum note_problem pr;

	memset(st->message, 0, sizeof st->message);
	memset(st->warn, 0, sizeof st->warn);
	for (int f = 0; f < PF__COUNT; f++)
		read[f] = true;
	*t = (struct promise_terms){ .channel = promise_channels[st->channel] };

	if (!promise_parse_amount(st->text[PF_AMOUNT], st->decimals, &t->amount)) {
		read[PF_AMOUNT] = false;
		t->amount = st->past_due > 0 ? st->past_due : 1;
		snprintf(st->message[PF_AMOUNT], sizeof st->message[PF_AMOUNT], "%s",
		         st->decimals ? _("Write an amount such as 1234.50") : _("Write an amount such as 1234"));
	}
	if (!promise_parse_date(st->text[PF_DATE], &t->first_due)) {
		read[PF_DATE] = false;
		t->first_due = st->limits.today;
		snprintf(st->message[PF_DATE], sizeof st->message[PF_DATE], "%s", _("Write the date as YYYY-MM-DD"));
	}
	if (!read_count(st->text[PF_COUNT], &t->count)) {
		read[PF_COUNT] = false;
		t->count = 1;
		snprintf(st->message[PF_COUNT], sizeof st->message[PF_COUNT], "%s", _("Write how many payments"));
	}
	t->freq = t->count == 1 ? PROMISE_ONCE : freqs[st->freq];
	if (!st->text[PF_DISCOUNT][0])
		t->discount = 0;
	else if (!promise_parse_amount(st->text[PF_DISCOUNT], st->decimals, &t->discount)) {
		read[PF_DISCOUNT] = false;
		t->discount = 0;
		snprintf(st->message[PF_DISCOUNT], sizeof st->message[PF_DISCOUNT], "%s",
		         _("Write the discount, or 0 for none"));
	}
	pr = contact_check_note(st->text[PF_NOTE], false);
	if (note_problem_words(pr)) {
		read[PF_NOTE] = false;
		snprintf(st->message[PF_NOTE], sizeof st->message[PF_NOTE], "%s", note_problem_words(pr));
	}
	st->readable = true;
	for (int f = 0; f < PF__COUNT; f++)
		st->readable = st->readable && read[f];

	/* The active promise is asked about when saving, not marked here. */
	promise_validate(t, &m, &st->limits, false, &st->verdict);
	for (int f = 0; f < PF__COUNT; f++)
		if (read[f] && st->verdict.error[f] != PE_NONE)
			error_words(st, st->verdict.error[f], st->message[f], sizeof st->message[f]);
	for (int l = 0; l < PL__COUNT; l++) {
		enum promise_field f = promise_limit_field((enum promise_limit)l);

		if (promise_breaks(&st->verdict, (enum promise_limit)l) && read[f] && !st->message[f][0]) {
			limit_words(st, (enum promise_limit)l, st->message[f], sizeof st->message[f]);
			st->warn[f] = true;
		}
	}
	st->nsteps = read[PF_COUNT] && read[PF_DATE] && st->verdict.error[PF_COUNT] == PE_NONE
	                 ? promise_schedule(t, st->steps, PROMISE_COUNT_MAX)
	                 : 0;
	list_count(&st->schedule, st->nsteps);
}

/* Whether the fields may be saved as they are: read, and no hard error. */
static bool savable(const struct promise_state *st)
{
	return st->have_limits && st->readable && st->verdict.first == PE_NONE;
}

/* ------------------------------------------------------------- saving */

static void say_saved(struct ui *ui, struct promise_state *st)
{
	ui_status(ui, false, _("Promise saved, %s"), status_words(st->saved.status));
}

/* The database went away: the promise joins what waits to be saved, with
 * its key, kept on disk at once and saved once it is back, whatever screen
 * the person is on then (ui_save()). */
static void hand_over(struct ui *ui, struct promise_state *st, bool replace)
{
	struct save_item it = {
		.kind = SAVE_PROMISE,
		.account_id = st->account_id,
		.text = st->text[PF_NOTE][0] ? st->text[PF_NOTE] : NULL,
		.promise = { .amount = st->terms.amount, .discount = st->terms.discount,
		             .first_due = st->terms.first_due, .count = st->terms.count, .freq = st->terms.freq,
		             .replace = replace ? st->active_id : 0 },
	};

	snprintf(it.key, sizeof it.key, "%s", st->key);
	snprintf(it.promise.channel, sizeof it.promise.channel, "%s", st->terms.channel);
	ui_pop(ui); /* st is gone */
	ui_save(ui, &it);
	ui_status(ui, true, "%s", _("Not saved yet: it will be saved when the database is back"));
}

static void save(struct ui *ui, struct promise_state *st, bool replace)
{
	struct promise_request r = {
		.account_id = st->account_id,
		.terms = st->terms,
		.note = st->text[PF_NOTE],
		.replace = replace ? st->active_id : 0,
	};
	enum promise_error refused;

	if (ui->offline) {
		hand_over(ui, st, replace);
		return;
	}
	snprintf(r.key, sizeof r.key, "%s", st->key);
	if (promise_save(ui->db, &r, &st->saved, &refused)) {
		st->done = true;
		ui->own_changes = true;
		say_saved(ui, st);
		return;
	}
	if (db_classify(ui->db->sqlstate) == DB_CONNECTION || PQstatus(ui->db->conn) == CONNECTION_BAD) {
		ui->offline = true;
		hand_over(ui, st, replace);
		return;
	}
	if (refused != PE_NONE) {
		/* The database's rule (someone may have made a promise meanwhile):
		 * beside the field it is about. */
		enum promise_field f = promise_error_field(refused);

		if (f < PF__COUNT) {
			error_words(st, refused, st->message[f], sizeof st->message[f]);
			st->warn[f] = false;
			st->at = f;
		}
		ui_status(ui, true, _("Not saved: %s"), _(promise_error_text(refused)));
		return;
	}
	ui_status(ui, true, _("Not saved: %s"), ui->db->err);
}

static void confirmed(struct ui *ui, void *state, int choice)
{
	struct promise_state *st = state;

	if (choice != 0) {
		ui_status(ui, false, "%s", _("Not saved: change it, or Esc"));
		return;
	}
	save(ui, st, st->active_id != 0);
}

/* Enter on the last field: saved at once when nothing needs saying; a
 * promise that needs approval, or replaces the active one, is saved only
 * once the person has seen so and said yes. */
static void ask_save(struct ui *ui, struct promise_state *st)
{
	static char title[128], yes[192];
	static const char *items[2];
	bool approval;

	check(st);
	if (!st->have_limits) {
		ui_status(ui, true, _("Cannot save: %s"), st->limits_err);
		return;
	}
	if (!savable(st)) {
		for (int f = 0; f < PF__COUNT; f++)
			if (st->message[f][0] && !st->warn[f]) {
				st->at = f;
				break;
			}
		ui_status(ui, true, "%s", _("Not saved: fix the fields marked"));
		return;
	}
	approval = st->verdict.limits != 0;
	if (!approval && !st->active_id) {
		save(ui, st, false);
		return;
	}
	if (approval && st->active_id) {
		snprintf(title, sizeof title, "%s", _("Needs approval, and replaces the active promise"));
		snprintf(yes, sizeof yes, "%s", _("Yes: save it awaiting approval; the active one is cancelled"));
	} else if (approval) {
		snprintf(title, sizeof title, "%s", _("Needs approval"));
		snprintf(yes, sizeof yes, "%s", _("Yes: save it awaiting a supervisor's approval"));
	} else {
		snprintf(title, sizeof title, "%s", _("Replace the active promise?"));
		snprintf(yes, sizeof yes, "%s", _("Yes: the active one is cancelled, this one saved"));
	}
	items[0] = yes;
	items[1] = _("No, back to the form");
	ui_menu_open(ui, title, items, 2, confirmed, st);
}

/* `c` once saved: the send screen over the account, the confirmation
 * chosen, on the channel the promise was given on when it is a message's. */
static void confirm(struct ui *ui, struct promise_state *st)
{
	struct account_view v;
	struct send_args args = { .view = &v, .template_code = "promise_confirmation", .channel = CH_SMS };
	const char *given = promise_channels[st->channel];
	long long id = st->account_id;

	if (!strcmp(given, "email"))
		args.channel = CH_EMAIL;
	else if (!strcmp(given, "whatsapp"))
		args.channel = CH_WHATSAPP;
	if (ui->offline || !account_load(ui->db, id, 0, ui_now(), &v)) {
		ui_status(ui, true, _("Could not load the account: %s"), ui->offline ? _("the database is away") : ui->db->err);
		return;
	}
	ui_pop(ui); /* st is gone */
	ui_request(ui, ACTION_REFRESH); /* the account shows its promise */
	ui_push(ui, &send_screen, &args);
	account_view_free(&v);
}

/* -------------------------------------------------------------- typing */

static bool promise_typed(struct ui *ui, void *state, bool is_key, wint_t wc)
{
	struct promise_state *st = state;
	char *text;

	(void)ui;
	if (st->done || choice_field(st->at))
		return false;
	/* Letters (q and ñ too), Backspace and ^U are typing; Enter, Tab,
	 * Esc and the arrows are the keymap's. */
	if (is_key ? wc != KEY_BACKSPACE : wc < ' ' && wc != 8 && wc != 21)
		return false;
	/* No amount, date or number has a ?: there it is help, as on every
	 * screen (F1 is, in the note). */
	if (!is_key && wc == '?' && st->at != PF_NOTE)
		return false;
	text = st->text[st->at];
	/* A character that does not fit is still taken, not made an action. */
	field_key(text, st->at == PF_NOTE ? sizeof st->text[0] : 128, is_key, wc, false);
	check(st);
	return true;
}

/* ---------------------------------------------------------- the screen */

static void relayout(struct promise_state *st)
{
	if (!st->cols)
		return;
	layout_promise(st->rows, st->cols, PF__COUNT, &st->at_l);
	list_layout(&st->schedule, st->at_l.schedule, 2, st->at_l.nschedule, st->cols - 2);
}

static void promise_lay_out(struct ui *ui, void *state, int rows, int cols)
{
	struct promise_state *st = state;

	(void)ui;
	st->rows = rows;
	st->cols = cols;
	relayout(st);
}

enum { SCH_SEQ, SCH_DATE, SCH_AMOUNT, SCH_COLUMNS };
static const struct column schedule_columns[SCH_COLUMNS] = {
	[SCH_SEQ] = { NULL, 4, 0, 0, true },
	[SCH_DATE] = { NULL, 10, 0, 2, false },
	[SCH_AMOUNT] = { NULL, 18, 0, 2, true },
};

static void step_row(const struct list *l, WINDOW *w, int y, int i, bool selected, void *ctx)
{
	const struct promise_state *st = ctx;
	char s[48];

	(void)selected;
	snprintf(s, sizeof s, "%d.", i + 1);
	list_cell(l, w, y, SCH_SEQ, s);
	list_cell(l, w, y, SCH_DATE, promise_date_text(s, sizeof s, st->steps[i].due));
	list_cell(l, w, y, SCH_AMOUNT, money(s, sizeof s, st, st->steps[i].amount));
}

static void *promise_enter(struct ui *ui, void *arg)
{
	const struct promise_args *a = arg;
	const struct account_view *v = a->view;
	struct promise_state *st = xcalloc(1, sizeof *st);
	char m[48];

	ui_status(ui, false, "%s", "");
	st->steps = xcalloc(PROMISE_COUNT_MAX, sizeof *st->steps);
	list_init(&st->schedule, schedule_columns, SCH_COLUMNS, 0, false, step_row, st);
	st->account_id = v->account.id;
	snprintf(st->name, sizeof st->name, "%s", v->name);
	snprintf(st->reference, sizeof st->reference, "%s", v->account.reference);
	snprintf(st->currency, sizeof st->currency, "%s", v->account.currency);
	st->balance = v->account.balance;
	st->past_due = v->account.past_due;
	st->decimals = currency_decimals(st->currency);
	for (int i = 0; i < v->npromises; i++) {
		const struct promise_row *p = &v->promises[i];

		if (!strcmp(p->status, "pending") || !strcmp(p->status, "awaiting_approval")) {
			st->active_id = p->id;
			snprintf(st->active_line, sizeof st->active_line, _("Active promise: %s by %s, %s"),
			         money(m, sizeof m, st, p->amount), p->due_date, status_words(p->status));
			break;
		}
	}
	if (ui->offline)
		snprintf(st->limits_err, sizeof st->limits_err, "%s", _("the database is away"));
	else if (!(st->have_limits = promise_limits_for(ui->db, st->account_id, &st->limits)))
		snprintf(st->limits_err, sizeof st->limits_err, _("the limits could not be read: %s"), ui->db->err);
	if (!st->have_limits) /* the form still shows what it can */
		st->limits.today = 0;
	amount_text(st->text[PF_AMOUNT], sizeof st->text[PF_AMOUNT], st->past_due > 0 ? st->past_due : st->balance,
	            st->decimals);
	if (st->have_limits)
		promise_date_text(st->text[PF_DATE], sizeof st->text[PF_DATE], st->limits.today);
	snprintf(st->text[PF_COUNT], sizeof st->text[PF_COUNT], "1");
	snprintf(st->text[PF_DISCOUNT], sizeof st->text[PF_DISCOUNT], "0");
	contact_new_key(st->key);
	check(st);
	return st;
}

static void promise_leave(struct ui *ui, void *state)
{
	struct promise_state *st = state;

	(void)ui;
	free(st->steps);
	free(st);
}

static void draw_field(const struct promise_state *st, WINDOW *w, int f)
{
	const struct promise_layout *l = &st->at_l;
	int y = l->field0 + f;
	char shown[sizeof st->text[0]];
	const char *value = st->text[f];
	/* The note takes the whole line while it has nothing to say. */
	int input_w = f == PF_NOTE && !st->message[f][0] ? st->cols - l->input_x : l->input_w;

	ui_put(w, y, 0, l->label_w, _(field_labels[f]));
	if (f == PF_FREQUENCY && st->terms.count == 1) {
		value = _("(once)"); /* nothing to choose for one payment */
	} else if (f == PF_FREQUENCY) {
		snprintf(shown, sizeof shown, "\xe2\x97\x82 %s \xe2\x96\xb8", _(freq_words[st->freq])); /* ◂ monthly ▸ */
		value = shown;
	} else if (f == PF_CHANNEL) {
		snprintf(shown, sizeof shown, "\xe2\x97\x82 %s \xe2\x96\xb8",
		         label(LABEL_CHANNEL, promise_channels[st->channel]));
		value = shown;
	} else {
		field_shown(shown, sizeof shown, st->text[f], input_w, false);
		value = shown;
	}
	if (f == st->at && !st->done)
		wattron(w, A_REVERSE);
	ui_put(w, y, l->input_x, input_w, value);
	if (f == st->at && !st->done)
		wattroff(w, A_REVERSE);
	if (st->message[f][0]) {
		enum ui_color c = st->warn[f] ? COLOR_INFO : COLOR_ERROR;

		ui_color_on(w, c);
		ui_put(w, y, l->message_x, l->message_w, st->message[f]);
		ui_color_off(w, c);
	}
}

/* The last line: what Enter does now, or why it would not save. */
static void bottom_line(const struct promise_state *st, char *out, size_t n, enum ui_color *c)
{
	*c = COLOR_INFO;
	if (st->done && !strcmp(st->saved.status, "awaiting_approval")) {
		/* Nothing to confirm to the debtor until a supervisor approves. */
		*c = COLOR_PROMISE_PENDING;
		snprintf(out, n, "%s", _("Saved, awaiting approval: a supervisor decides; Esc goes back"));
	} else if (st->done) {
		*c = COLOR_PROMISE_KEPT;
		snprintf(out, n, _("Saved, %s. c sends the debtor the confirmation; Esc goes back"),
		         status_words(st->saved.status));
	} else if (!st->have_limits) {
		*c = COLOR_ERROR;
		snprintf(out, n, _("Cannot save: %s"), st->limits_err);
	} else if (!savable(st)) {
		*c = COLOR_ERROR;
		snprintf(out, n, "%s", _("Fix the fields marked to save"));
	} else if (st->verdict.limits) {
		snprintf(out, n, "%s", _("Needs approval: Enter on the last field saves it as awaiting approval"));
	} else if (st->active_id) {
		snprintf(out, n, "%s", _("Enter on the last field saves it, replacing the active promise"));
	} else {
		*c = COLOR_PROMISE_KEPT;
		snprintf(out, n, "%s", _("Enter on the last field saves it"));
	}
}

static void promise_draw(struct ui *ui, void *state, WINDOW *w, int rows, int cols)
{
	struct promise_state *st = state;
	const struct promise_layout *l = &st->at_l;
	char line[512], b[48], p[48], d[11];
	enum ui_color c;

	(void)ui;
	(void)rows;
	ui_color_on(w, COLOR_HEADER);
	snprintf(line, sizeof line, _("Promise to pay \xc2\xb7 %s \xc2\xb7 %s"), st->name, st->reference);
	ui_put(w, l->header, 0, cols, line);
	ui_color_off(w, COLOR_HEADER);
	if (st->have_limits)
		snprintf(line, sizeof line, _("Balance %s \xc2\xb7 past due %s \xc2\xb7 today %s"),
		         money(b, sizeof b, st, st->balance), money(p, sizeof p, st, st->past_due),
		         promise_date_text(d, sizeof d, st->limits.today));
	else
		snprintf(line, sizeof line, _("Balance %s \xc2\xb7 past due %s"), money(b, sizeof b, st, st->balance),
		         money(p, sizeof p, st, st->past_due));
	ui_put(w, l->money, 0, cols, line);
	if (st->active_id) {
		ui_color_on(w, COLOR_PROMISE_PENDING);
		ui_put(w, l->active, 0, cols, st->active_line);
		ui_color_off(w, COLOR_PROMISE_PENDING);
	}
	for (int f = 0; f < PF__COUNT; f++)
		draw_field(st, w, f);

	ui_color_on(w, COLOR_HEADER);
	if (st->nsteps > 0) {
		char total[48];

		money(total, sizeof total, st, st->terms.amount);
		snprintf(line, sizeof line,
		         ngettext("Schedule: %d payment, %s", "Schedule: %d payments, %s in all", (unsigned long)st->nsteps),
		         st->nsteps, total);
		if (st->terms.discount > 0) {
			size_t n = strlen(line);

			snprintf(line + n, sizeof line - n, _(" \xc2\xb7 settlement, %s off"),
			         money(b, sizeof b, st, st->terms.discount));
		}
	} else {
		snprintf(line, sizeof line, "%s", _("Schedule: none until the date and installments are right"));
	}
	ui_put(w, l->schedule_title, 0, cols, line);
	ui_color_off(w, COLOR_HEADER);
	list_draw(&st->schedule, w);

	bottom_line(st, line, sizeof line, &c);
	ui_color_on(w, c);
	ui_put(w, l->bottom, 0, cols, line);
	ui_color_off(w, c);
}

static void move_to(struct promise_state *st, int f)
{
	st->at = (f + PF__COUNT) % PF__COUNT;
}

static enum ui_reaction promise_action(struct ui *ui, void *state, enum ui_action a)
{
	struct promise_state *st = state;

	switch (a) {
	case ACTION_BACK: {
		/* After a save, what was said of it stays on the status line. */
		bool saved = st->done;

		ui_pop(ui); /* st is gone */
		ui_request(ui, ACTION_REFRESH);
		if (!saved)
			ui_status(ui, false, "%s", _("Cancelled"));
		return UI_HANDLED;
	}
	case ACTION_CONFIRM_PROMISE:
		if (!st->done)
			return UI_UNHANDLED;
		confirm(ui, st); /* st is gone */
		return UI_HANDLED;
	case ACTION_PAGE_UP:
	case ACTION_PAGE_DOWN:
		list_action(&st->schedule, a);
		return UI_REDRAW;
	default: break;
	}
	if (st->done)
		return a == ACTION_PROMISE_NEXT || a == ACTION_UP || a == ACTION_DOWN || a == ACTION_NEXT_FIELD ||
		               a == ACTION_NEXT_CHOICE || a == ACTION_PREV_CHOICE
		           ? UI_HANDLED
		           : UI_UNHANDLED;
	switch (a) {
	case ACTION_PROMISE_NEXT:
		if (st->at < PF__COUNT - 1)
			move_to(st, st->at + 1);
		else
			ask_save(ui, st);
		return UI_REDRAW;
	case ACTION_NEXT_FIELD:
	case ACTION_DOWN: move_to(st, st->at + 1); return UI_REDRAW;
	case ACTION_UP: move_to(st, st->at - 1); return UI_REDRAW;
	case ACTION_NEXT_CHOICE:
	case ACTION_PREV_CHOICE: {
		int step = a == ACTION_NEXT_CHOICE ? 1 : -1;

		if (st->at == PF_FREQUENCY)
			st->freq = (st->freq + step + (int)ARRAY_SIZE(freqs)) % (int)ARRAY_SIZE(freqs);
		else if (st->at == PF_CHANNEL)
			st->channel = (st->channel + step + PROMISE_CHANNELS) % PROMISE_CHANNELS;
		else
			return UI_HANDLED;
		check(st);
		return UI_REDRAW;
	}
	default: return UI_UNHANDLED;
	}
}

static enum ui_reaction promise_notify(struct ui *ui, void *state, const char *channel, const char *payload)
{
	struct promise_state *st = state;

	(void)payload;
	/* Back from an outage: the limits may be read now. */
	if (!strcmp(channel, UI_NOTIFY_RECONNECTED) && !st->have_limits &&
	    (st->have_limits = promise_limits_for(ui->db, st->account_id, &st->limits))) {
		if (!st->text[PF_DATE][0])
			promise_date_text(st->text[PF_DATE], sizeof st->text[PF_DATE], st->limits.today);
		check(st);
		return UI_REDRAW;
	}
	return UI_HANDLED;
}

static const struct keybind promise_binds[] = {
	{ '\n', ACTION_PROMISE_NEXT },   { KEY_ENTER, ACTION_PROMISE_NEXT },
	{ '\t', ACTION_NEXT_FIELD },      { KEY_RIGHT, ACTION_NEXT_CHOICE }, { ' ', ACTION_NEXT_CHOICE },
	{ KEY_LEFT, ACTION_PREV_CHOICE }, { 'c', ACTION_CONFIRM_PROMISE }, { 27, ACTION_BACK },
};
static const char *const promise_bar[] = { "help", "promise_next", "next_field", "next_choice", "confirm",
	                                   "back", NULL };

static const struct keymap promise_keys = {
	.binds = promise_binds,
	.count = (int)ARRAY_SIZE(promise_binds),
	.bar = promise_bar,
};

const struct screen_ops promise_screen = {
	.name = "promise",
	.title = N_("Promise"),
	.keymap = &promise_keys,
	.enter = promise_enter,
	.leave = promise_leave,
	.layout = promise_lay_out,
	.draw = promise_draw,
	.action = promise_action,
	.typed = promise_typed,
	.notify = promise_notify,
};
