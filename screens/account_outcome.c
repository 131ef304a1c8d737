/* Wrong number, dispute, undo and "callback done" on the account screen;
 * account_outcome.h says why they are apart. */
#include "account_outcome.h"

#include <stdio.h>
#include <string.h>

#include "outcome.h"

/* The menus keep pointers to their items while open: they live here. */
static account_save_fn saver;
static char items[MENU_MAX_ITEMS][192];
static const char *item_list[MENU_MAX_ITEMS];
static long long numbers[MENU_MAX_ITEMS];
static char wrong_value[128];
static char reason[CONTACT_NOTE_MAX * 4 + 1];
static char title[128];

/* Whether a contact point is a number one dials. */
static bool dialable(const struct contact_point_row *c)
{
	return !c->bad && !c->proposal[0] &&
	       (!strcmp(c->kind, "mobile") || !strcmp(c->kind, "phone") || !strcmp(c->kind, "whatsapp"));
}

/* The number a call is recorded on when the collector does not say: the
 * first usable phone or mobile, as the contacts pane lists them. */
static const struct contact_point_row *dialled(const struct account_state *st)
{
	for (int i = 0; i < st->v.npoints; i++)
		if (dialable(&st->v.points[i]) && strcmp(st->v.points[i].kind, "whatsapp"))
			return &st->v.points[i];
	return NULL;
}

static void save_call(struct ui *ui, struct account_state *st, enum call_outcome o, long long point,
                      const char *note)
{
	struct pending *p = &st->pending;

	memset(p, 0, sizeof *p);
	p->what = PENDING_CALL;
	p->outcome = o;
	p->point_id = point;
	snprintf(p->text, sizeof p->text, "%s", note ? note : "");
	contact_new_key(p->key);
	st->undo_call[0] = '\0'; /* a new call: the last one's mark stays */
	saver(ui, st);
}

static void confirm(struct ui *ui, struct account_state *st, const char *heading, const char *yes,
                    ui_menu_done done)
{
	snprintf(title, sizeof title, "%s", heading);
	snprintf(items[0], sizeof items[0], "%s", yes);
	snprintf(items[1], sizeof items[1], "%s", _("No, cancel"));
	item_list[0] = items[0];
	item_list[1] = items[1];
	ui_menu_open(ui, title, item_list, 2, done, st);
}

static void wrong_confirmed(struct ui *ui, void *state, int choice)
{
	struct account_state *st = state;

	if (choice != 0) {
		ui_status(ui, false, "%s", _("Nothing was marked"));
		return;
	}
	save_call(ui, st, OUTCOME_WRONG_NUMBER, numbers[0], NULL);
}

/* The number is known: say what marking it does, and wait for a yes. */
static void wrong_ask_sure(struct ui *ui, struct account_state *st, const struct contact_point_row *c)
{
	char yes[192];

	numbers[0] = c->id;
	snprintf(wrong_value, sizeof wrong_value, "%s", c->value);
	snprintf(yes, sizeof yes, _("Yes: %s will be marked wrong, no SMS or calls to it"), c->value);
	confirm(ui, st, _("Wrong number"), yes, wrong_confirmed);
}

static void wrong_picked(struct ui *ui, void *state, int choice)
{
	struct account_state *st = state;

	for (int i = 0; i < st->v.npoints; i++)
		if (st->v.points[i].id == numbers[choice]) {
			wrong_ask_sure(ui, st, &st->v.points[i]);
			return;
		}
}

/* With one number, it is named; with several, the collector picks. */
static void wrong_number(struct ui *ui, struct account_state *st)
{
	int n = 0;

	for (int i = 0; i < st->v.npoints && n < MENU_MAX_ITEMS; i++) {
		const struct contact_point_row *c = &st->v.points[i];

		if (!dialable(c))
			continue;
		numbers[n] = c->id;
		snprintf(items[n], sizeof items[n], "%s  (%s)", c->value, c->kind);
		item_list[n] = items[n];
		n++;
	}
	if (n == 0) {
		ui_status(ui, true, "%s", _("No number is left to mark wrong"));
		return;
	}
	for (int i = 0; n == 1 && i < st->v.npoints; i++)
		if (st->v.points[i].id == numbers[0]) {
			wrong_ask_sure(ui, st, &st->v.points[i]);
			return;
		}
	snprintf(title, sizeof title, "%s", _("Which number was wrong?"));
	ui_menu_open(ui, title, item_list, n, wrong_picked, st);
}

static void dispute_confirmed(struct ui *ui, void *state, int choice)
{
	struct account_state *st = state;
	const struct contact_point_row *c = dialled(st);

	if (choice != 0) {
		ui_status(ui, false, "%s", _("No dispute was raised"));
		return;
	}
	save_call(ui, st, OUTCOME_DISPUTE, c ? c->id : 0, reason);
}

static bool dispute_reason(struct ui *ui, void *state, const char *text)
{
	struct account_state *st = state;

	if (contact_check_note(text, true) != NOTE_OK) {
		prompt_say(&ui->prompt, _("Say why the debtor disputes it (at most 2000 characters), or Esc"));
		return false;
	}
	snprintf(reason, sizeof reason, "%s", text);
	confirm(ui, st, _("Dispute"), _("Yes: the account leaves your worklist until a supervisor reviews it"),
	        dispute_confirmed);
	return true;
}

static void outcome_chosen(struct ui *ui, void *state, int choice)
{
	struct account_state *st = state;
	const struct contact_point_row *c = dialled(st);

	switch ((enum call_outcome)choice) {
	case OUTCOME_WRONG_NUMBER: wrong_number(ui, st); return;
	case OUTCOME_DISPUTE: ui_prompt_open(ui, _("Dispute, the debtor's reason:"), NULL, dispute_reason, st); return;
	default: save_call(ui, st, (enum call_outcome)choice, c ? c->id : 0, NULL); return;
	}
}

void account_outcome_ask(struct ui *ui, struct account_state *st, account_save_fn save)
{
	const struct contact_point_row *c = dialled(st);

	saver = save;
	/* The number the call is recorded on, said before it is. */
	if (c)
		snprintf(title, sizeof title, _("Call outcome, %s"), c->value);
	else
		snprintf(title, sizeof title, "%s", _("Call outcome"));
	ui_menu_open(ui, title, outcome_labels, OUTCOME__COUNT, outcome_chosen, st);
}

const char *account_outcome_saved(struct account_state *st, const struct pending *p)
{
	static char said[256];

	/* The debtor was on the line: what they agreed is one key away. */
	if (p->what == PENDING_CALL && p->outcome == OUTCOME_RIGHT_PARTY)
		return _("Saved: right party. p records a promise to pay");
	if (p->what != PENDING_CALL || (p->outcome != OUTCOME_WRONG_NUMBER && p->outcome != OUTCOME_DISPUTE))
		return NULL;
	snprintf(st->undo_call, sizeof st->undo_call, "%s", p->key);
	if (p->outcome == OUTCOME_WRONG_NUMBER)
		snprintf(said, sizeof said, _("%s marked wrong. u undoes it"), wrong_value);
	else
		snprintf(said, sizeof said, "%s",
		         _("Dispute raised: the account leaves your worklist. u undoes it"));
	return said;
}

static void say_refusal(struct ui *ui, struct db *db, const char *what)
{
	switch (outcome_refusal(db)) {
	case OUTCOME_REFUSED_OFFLINE:
		ui->offline = true;
		ui_status(ui, true, "%s", _("The database is away: try again once it is back"));
		return;
	case OUTCOME_REFUSED_NOT_YOURS:
		ui_status(ui, true, "%s", _("Only who logged the call may undo it; a supervisor can lift it"));
		return;
	case OUTCOME_REFUSED_TOO_LATE:
	case OUTCOME_REFUSED_NO_CALL:
		ui_status(ui, true, "%s", what);
		return;
	case OUTCOME_REFUSED_OTHER: break;
	}
	ui_status(ui, true, _("Not saved: %s"), db->err);
}

void account_outcome_undo(struct ui *ui, struct account_state *st)
{
	char key[CONTACT_KEY_SIZE];

	if (!st->undo_call[0]) {
		ui_status(ui, true, "%s", _("Nothing to undo: u undoes a wrong number or a dispute just marked"));
		return;
	}
	if (ui->offline) {
		ui_status(ui, true, "%s", _("The database is away: try again once it is back"));
		return;
	}
	contact_new_key(key);
	if (!outcome_undo_call(ui->db, key, st->id, st->undo_call)) {
		say_refusal(ui, ui->db, _("Too late to undo: a supervisor can lift it"));
		if (outcome_refusal(ui->db) == OUTCOME_REFUSED_TOO_LATE)
			st->undo_call[0] = '\0';
		return;
	}
	st->undo_call[0] = '\0';
	ui->own_changes = true;
	ui_status(ui, false, "%s", _("Undone"));
}

void account_outcome_done(struct ui *ui, struct account_state *st)
{
	char key[CONTACT_KEY_SIZE];

	if (ui->offline) {
		ui_status(ui, true, "%s", _("The database is away: try again once it is back"));
		return;
	}
	contact_new_key(key);
	if (!outcome_callback_done(ui->db, key, st->id, NULL)) {
		say_refusal(ui, ui->db, _("No callback is due on this account"));
		return;
	}
	ui->own_changes = true;
	ui_status(ui, false, "%s", _("Callback done"));
}
