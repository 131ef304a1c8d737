/* Reassign (`a`, team leads and administrators): the team's accounts picked
 * by a filter (agent, segment, days past due, balance, status, promise, no
 * contact for N days, jurisdiction), their count and balance per currency
 * following every change; target agents picked from the team's, a mode
 * (all to one, even by count, even by balance) and what each target would
 * get, previewed; one key moves them after a question that says what will
 * happen, as one batch; u undoes the last batch while none of its accounts
 * has been worked since. The database decides who may and does the work
 * (src/core/reassign.h): this screen only asks and shows. */
#include <stdlib.h>
#include <string.h>

#include "field.h"
#include "list.h"
#include "money.h"
#include "promise_plan.h"
#include "reassign.h"
#include "reassign_screen.h"
#include "text.h"
#include "ui.h"
#include "util.h"
#include "worklist.h"

/* Others' changes count again at most this often (seconds). */
#define REASSIGN_RELOAD_GAP 0.5

enum rfield {
	RF_AGENT,
	RF_SEGMENT,
	RF_DPD,
	RF_BALANCE_MIN,
	RF_BALANCE_MAX,
	RF_STATUS,
	RF_PROMISE,
	RF_NO_CONTACT,
	RF_JURISDICTION,
	RF__FILTERS,
	RF_MODE = RF__FILTERS, /* laid out apart, under the count */
	RF_TARGETS,            /* the focus is on the targets' list */
};

static const char *const field_labels[RF_TARGETS] = {
	[RF_AGENT] = N_("Agent"),          [RF_SEGMENT] = N_("Segment"),
	[RF_DPD] = N_("Days past due"),    [RF_BALANCE_MIN] = N_("Balance from"),
	[RF_BALANCE_MAX] = N_("Balance to"), [RF_STATUS] = N_("Status"),
	[RF_PROMISE] = N_("Promise"),      [RF_NO_CONTACT] = N_("No contact for"),
	[RF_JURISDICTION] = N_("Jurisdiction"), [RF_MODE] = N_("Share"),
};

/* The segments and statuses a filter may take, as stored (label() says
 * them); paid and closed accounts are never moved. */
static const char *const segments[] = { "preventive", "early", "mid", "late", "recovery", "standard" };
static const char *const statuses[] = { "active", "dispute", "legal_hold", "cease", "agency" };
/* Days past due: the worklist's buckets, then what leads ask for most,
 * every account past a month, two, three. */
static const struct {
	const char *label;
	int from, to; /* inclusive; -1: open */
} past_due[] = {
	{ N_("over 30"), 31, -1 },
	{ N_("over 60"), 61, -1 },
	{ N_("over 90"), 91, -1 },
};
static const char *const mode_words[] = {
	[REASSIGN_ONE] = N_("all to one"),
	[REASSIGN_COUNT] = N_("even by count"),
	[REASSIGN_BALANCE] = N_("even by balance"),
};

struct reassign_state {
	const char *team; /* NULL: the person's own */
	char team_code[33];
	struct reassign_agent *agents;
	int nagents;
	bool have_agents;
	char agents_err[256];

	/* Each field: a choice (its index, 0 "any") or text typed. */
	int choice[RF_TARGETS];
	char text[RF_TARGETS][24];
	char message[RF_TARGETS][160];
	int at;          /* a field, or RF_TARGETS */
	bool *picked;    /* a target each: the agents, then the team's pool */

	struct reassign_total total;
	bool counted;
	char count_err[256];
	struct reassign_preview preview;
	bool previewed;
	char preview_err[256];
	enum money_form form;

	/* The last batch moved here, or undone, in words. */
	char result[320];
	bool result_error;

	bool due;
	double loaded_at;

	struct reassign_layout l;
	struct column columns[RT_COLUMNS];
	struct list targets;
	int rows, cols;
};

extern const struct screen_ops reassign_screen;

bool reassign_for(const struct whoami *me)
{
	return !strcmp(me->role, "lead") || !strcmp(me->role, "admin");
}

void reassign_offer(struct ui *ui)
{
	/* Hidden, not withheld: the key still answers, to say why not. */
	if (!reassign_for(&ui->me))
		ui_keys_hide(ACTION_REASSIGN);
}

void reassign_open(struct ui *ui)
{
	if (!reassign_for(&ui->me)) {
		ui_status(ui, true, "%s", _("Reassignment is for team leads and administrators: ask your lead"));
		return;
	}
	ui_push(ui, &reassign_screen, NULL);
}

static int ntargets(const struct reassign_state *st)
{
	return st->nagents + 1;
}

/* A target's login: an agent's, or "-" for the team's pool. */
static const char *target_login(const struct reassign_state *st, int i)
{
	return i < st->nagents ? st->agents[i].login : "-";
}

static int nchoices(const struct reassign_state *st, int f)
{
	switch (f) {
	case RF_AGENT: return 1 + st->nagents + 1;
	case RF_SEGMENT: return 1 + (int)ARRAY_SIZE(segments);
	case RF_DPD: return worklist_nbuckets + (int)ARRAY_SIZE(past_due);
	case RF_STATUS: return 1 + (int)ARRAY_SIZE(statuses);
	case RF_PROMISE: return 1 + worklist_npromise_states;
	case RF_MODE: return (int)ARRAY_SIZE(mode_words);
	default: return 0;
	}
}

static bool choice_field(const struct reassign_state *st, int f)
{
	return f < RF_TARGETS && nchoices(st, f) > 0;
}

/* A choice in words. */
static const char *choice_words(const struct reassign_state *st, int f, int c)
{
	if (c == 0 && f != RF_DPD && f != RF_MODE)
		return _("any");
	switch (f) {
	case RF_AGENT: return c <= st->nagents ? st->agents[c - 1].login : _("the team's pool");
	case RF_SEGMENT: return label(LABEL_SEGMENT, segments[c - 1]);
	case RF_DPD:
		return c == 0                    ? _("any")
		       : c < worklist_nbuckets ? _(worklist_buckets[c].label)
		                               : _(past_due[c - worklist_nbuckets].label);
	case RF_STATUS: return label(LABEL_ACCOUNT_STATUS, statuses[c - 1]);
	case RF_PROMISE: return _(worklist_promise_states[c - 1].label);
	case RF_MODE: return _(mode_words[c]);
	default: return "";
	}
}

/* ------------------------------------------------------------ the filter */

static bool read_days(const char *text, int *out)
{
	char *end;
	long v;

	if (!text[0])
		return false;
	v = strtol(text, &end, 10);
	if (*end || v < 1 || v > 36500)
		return false;
	*out = (int)v;
	return true;
}

/* A jurisdiction as typed: "CO", "us-ma". Upper case into out (6 bytes
 * at least). */
static bool read_jurisdiction(const char *text, char *out)
{
	size_t len = strlen(text);

	if (len != 2 && len != 5)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = text[i];

		if (i == 2 ? c != '-' : !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
			return false;
		out[i] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
	}
	out[len] = '\0';
	return true;
}

/* The filter the fields say, into f (its strings point into st and jur);
 * false when a typed field cannot be read: its message says why. */
static bool filter_of(struct reassign_state *st, struct reassign_filter *f, char jur[8])
{
	bool ok = true;

	reassign_filter_init(f);
	f->team = st->team;
	for (int i = 0; i < RF__FILTERS; i++)
		if (!choice_field(st, i))
			st->message[i][0] = '\0';
	if (st->choice[RF_AGENT] > 0)
		f->agent = target_login(st, st->choice[RF_AGENT] - 1);
	if (st->choice[RF_SEGMENT] > 0)
		f->segment = segments[st->choice[RF_SEGMENT] - 1];
	if (st->choice[RF_DPD] < worklist_nbuckets) {
		f->dpd_bucket = st->choice[RF_DPD];
	} else {
		f->dpd_from = past_due[st->choice[RF_DPD] - worklist_nbuckets].from;
		f->dpd_to = past_due[st->choice[RF_DPD] - worklist_nbuckets].to;
	}
	if (st->choice[RF_STATUS] > 0)
		f->status = statuses[st->choice[RF_STATUS] - 1];
	if (st->choice[RF_PROMISE] > 0)
		f->promise = worklist_promise_states[st->choice[RF_PROMISE] - 1].value;
	/* Amounts in whole units and cents, as balances are written. */
	if (st->text[RF_BALANCE_MIN][0] && !promise_parse_amount(st->text[RF_BALANCE_MIN], 2, &f->balance_min)) {
		snprintf(st->message[RF_BALANCE_MIN], sizeof st->message[0], "%s", _("Write an amount such as 1000"));
		ok = false;
	}
	if (st->text[RF_BALANCE_MAX][0] && !promise_parse_amount(st->text[RF_BALANCE_MAX], 2, &f->balance_max)) {
		snprintf(st->message[RF_BALANCE_MAX], sizeof st->message[0], "%s", _("Write an amount such as 5000"));
		ok = false;
	} else if (f->balance_max >= 0 && f->balance_min > f->balance_max) {
		snprintf(st->message[RF_BALANCE_MAX], sizeof st->message[0], "%s", _("Below the balance from"));
		ok = false;
	}
	if (st->text[RF_NO_CONTACT][0]) {
		if (read_days(st->text[RF_NO_CONTACT], &f->no_contact_days))
			snprintf(st->message[RF_NO_CONTACT], sizeof st->message[0], "%s", _("days, or never contacted"));
		else {
			snprintf(st->message[RF_NO_CONTACT], sizeof st->message[0], "%s", _("Write a number of days"));
			ok = false;
		}
	}
	if (st->text[RF_JURISDICTION][0]) {
		if (read_jurisdiction(st->text[RF_JURISDICTION], jur))
			f->jurisdiction = jur;
		else {
			snprintf(st->message[RF_JURISDICTION], sizeof st->message[0], "%s",
			         _("A code such as CO, PE or US-MA"));
			ok = false;
		}
	}
	return ok;
}

/* The logins picked as targets, in the list's order, into logins; how many. */
static int picked_logins(const struct reassign_state *st, const char **logins)
{
	int n = 0;

	for (int i = 0; i < ntargets(st) && n < REASSIGN_MAX_TARGETS; i++)
		if (st->picked[i])
			logins[n++] = target_login(st, i);
	return n;
}

static enum reassign_mode mode_of(const struct reassign_state *st)
{
	return (enum reassign_mode)st->choice[RF_MODE];
}

/* "all to one" wants exactly one target: said beside the mode. */
static bool mode_fits(struct reassign_state *st, int n)
{
	st->message[RF_MODE][0] = '\0';
	if (mode_of(st) == REASSIGN_ONE && n > 1) {
		snprintf(st->message[RF_MODE], sizeof st->message[0], "%s", _("Pick one target only, or share"));
		return false;
	}
	return true;
}

static void money_form_of(struct reassign_state *st)
{
	struct money_mix m = { 0 };

	for (int i = 0; i < st->total.ncur; i++)
		money_mix_add(&m, st->total.cur[i].currency);
	st->form = money_mix_form(&m);
}

/* A total's money in words: "COP 1.234.000,00 · US$ 63,134.00". */
static void money_words(const struct reassign_state *st, const struct reassign_total *t, char *out, size_t n)
{
	struct buf b = { 0 };
	char m[48];

	for (int i = 0; i < t->ncur; i++)
		buf_printf(&b, "%s%s", i ? " \xc2\xb7 " : "",
		           money_format_as(m, sizeof m, t->cur[i].balance, t->cur[i].currency, st->form));
	snprintf(out, n, "%s", b.s ? b.s : "");
	buf_free(&b);
}

/* Counts what the filter picks and what each target would get, now. */
static void recount(struct ui *ui, struct reassign_state *st)
{
	struct reassign_filter f;
	const char *logins[REASSIGN_MAX_TARGETS];
	struct reassign_targets t = { logins, 0 };
	char jur[8];

	st->counted = st->previewed = false;
	st->count_err[0] = st->preview_err[0] = '\0';
	reassign_preview_free(&st->preview);
	st->due = false;
	st->loaded_at = ui_clock();
	if (!st->have_agents) {
		snprintf(st->count_err, sizeof st->count_err, "%s", st->agents_err);
		return;
	}
	if (!filter_of(st, &f, jur)) {
		snprintf(st->count_err, sizeof st->count_err, "%s", _("Fix the fields marked to count the accounts"));
		return;
	}
	if (ui->offline) {
		snprintf(st->count_err, sizeof st->count_err, "%s", _("the database is away"));
		return;
	}
	if (!reassign_count(ui->db, &f, &st->total)) {
		snprintf(st->count_err, sizeof st->count_err, "%s", ui->db->err);
		return;
	}
	st->counted = true;
	money_form_of(st);
	t.n = picked_logins(st, logins);
	if (!mode_fits(st, t.n) || t.n == 0 || st->total.accounts == 0)
		return;
	if (!reassign_preview(ui->db, &f, &t, mode_of(st), &st->preview)) {
		snprintf(st->preview_err, sizeof st->preview_err, "%s", ui->db->err);
		return;
	}
	st->previewed = true;
}

/* The team's agents again (the accounts each has now). */
static void load_agents(struct ui *ui, struct reassign_state *st)
{
	struct reassign_agent *a;
	int n;
	char keep_agent[64] = "";
	bool *picked;

	if (ui->offline)
		return;
	if (!reassign_agents(ui->db, st->team, &a, &n)) {
		snprintf(st->agents_err, sizeof st->agents_err, _("Could not read the team's agents: %s"), ui->db->err);
		return;
	}
	/* The picks and the agent filter stay on the same people. */
	picked = xcalloc((size_t)n + 1, sizeof *picked);
	if (st->choice[RF_AGENT] > 0)
		snprintf(keep_agent, sizeof keep_agent, "%s", target_login(st, st->choice[RF_AGENT] - 1));
	for (int i = 0; i < n + 1; i++)
		for (int j = 0; st->picked && j < ntargets(st); j++)
			if (!strcmp(i < n ? a[i].login : "-", target_login(st, j)))
				picked[i] = st->picked[j];
	st->choice[RF_AGENT] = 0;
	for (int i = 0; keep_agent[0] && i < n + 1; i++)
		if (!strcmp(i < n ? a[i].login : "-", keep_agent))
			st->choice[RF_AGENT] = i + 1;
	free(st->agents);
	free(st->picked);
	st->agents = a;
	st->nagents = n;
	st->picked = picked;
	st->have_agents = true;
	list_count(&st->targets, ntargets(st));
}

static void reload(struct ui *ui, struct reassign_state *st)
{
	load_agents(ui, st);
	recount(ui, st);
}

/* ------------------------------------------------------------ the screen */

static void relayout(struct reassign_state *st)
{
	if (!st->cols)
		return;
	layout_reassign(st->rows, st->cols, RF__FILTERS, &st->l);
	layout_reassign_columns(st->cols, st->columns);
	/* "Has now", "Tiene hoy": the figures' titles whole, in any language. */
	for (int c = RT_HOLDS; c <= RT_GETS; c++)
		if (text_width(_(st->columns[c].title)) > st->columns[c].width)
			st->columns[c].width = text_width(_(st->columns[c].title));
	list_layout(&st->targets, st->l.list, 0, st->l.nlist, st->cols);
	st->targets.unfocused = st->at != RF_TARGETS;
}

static void reassign_lay_out(struct ui *ui, void *state, int rows, int cols)
{
	struct reassign_state *st = state;

	(void)ui;
	st->rows = rows;
	st->cols = cols;
	relayout(st);
}

static const struct reassign_share *share_of(const struct reassign_state *st, const char *login)
{
	for (int i = 0; st->previewed && i < st->preview.n; i++)
		if (!strcmp(st->preview.shares[i].login, login))
			return &st->preview.shares[i];
	return NULL;
}

static void target_row(const struct list *l, WINDOW *w, int y, int i, bool selected, void *ctx)
{
	const struct reassign_state *st = ctx;
	const struct reassign_share *s = share_of(st, target_login(st, i));
	char cell[320];

	(void)selected;
	if (i < st->nagents)
		snprintf(cell, sizeof cell, "%s %s (%s)", st->picked[i] ? "[x]" : "[ ]", st->agents[i].name,
		         st->agents[i].login);
	else
		snprintf(cell, sizeof cell, "%s %s", st->picked[i] ? "[x]" : "[ ]", _("the team's pool (nobody's)"));
	list_cell(l, w, y, RT_NAME, cell);
	if (i < st->nagents) {
		snprintf(cell, sizeof cell, "%lld", st->agents[i].accounts);
		list_cell(l, w, y, RT_HOLDS, cell);
	}
	if (s) {
		snprintf(cell, sizeof cell, "%lld", s->get.accounts);
		list_cell(l, w, y, RT_GETS, cell);
		money_words(st, &s->get, cell, sizeof cell);
		list_cell(l, w, y, RT_BALANCE, cell);
	}
}

/* An administrator belongs to no team: the team is asked for first. */
static bool team_typed(struct ui *ui, void *state, const char *text)
{
	struct reassign_state *st = state;

	if (!text[0]) {
		prompt_say(&ui->prompt, _("A team's code is required, such as norte"));
		return false;
	}
	snprintf(st->team_code, sizeof st->team_code, "%s", text);
	st->team = st->team_code;
	st->have_agents = false;
	reload(ui, st);
	if (!st->have_agents) {
		prompt_say(&ui->prompt, st->agents_err);
		st->team = NULL;
		return false;
	}
	return true;
}

static void ask_team(struct ui *ui, struct reassign_state *st)
{
	ui_prompt_open(ui, _("Which team's accounts? (its code):"), st->team_code, team_typed, st);
}

static void *reassign_enter(struct ui *ui, void *arg)
{
	struct reassign_state *st = xcalloc(1, sizeof *st);

	(void)arg;
	ui_status(ui, false, "%s", "");
	st->choice[RF_MODE] = REASSIGN_COUNT;
	st->picked = xcalloc(1, sizeof *st->picked);
	layout_reassign_columns(80, st->columns);
	list_init(&st->targets, st->columns, RT_COLUMNS, 0, true, target_row, st);
	st->targets.unfocused = true;
	if (ui->me.team[0])
		reload(ui, st);
	else {
		snprintf(st->agents_err, sizeof st->agents_err, "%s", _("No team chosen: r asks which"));
		ask_team(ui, st);
	}
	return st;
}

static void reassign_leave(struct ui *ui, void *state)
{
	struct reassign_state *st = state;

	(void)ui;
	reassign_preview_free(&st->preview);
	free(st->agents);
	free(st->picked);
	free(st);
}

static void draw_field(const struct reassign_state *st, WINDOW *w, int f, int y)
{
	const struct reassign_layout *l = &st->l;
	char shown[128];

	ui_put(w, y, 0, l->label_w, _(field_labels[f]));
	if (choice_field(st, f))
		snprintf(shown, sizeof shown, "\xe2\x97\x82 %s \xe2\x96\xb8", choice_words(st, f, st->choice[f]));
	else if (!st->text[f][0] && f != st->at)
		snprintf(shown, sizeof shown, "%s", _("any"));
	else
		field_shown(shown, sizeof shown, st->text[f], l->input_w, false);
	if (f == st->at)
		wattron(w, A_REVERSE);
	ui_put(w, y, l->input_x, l->input_w, shown);
	if (f == st->at)
		wattroff(w, A_REVERSE);
	if (st->message[f][0]) {
		/* A field's unit ("days") is plain; why it will not do is an error. */
		enum ui_color c = f == RF_NO_CONTACT && st->counted ? COLOR_DIM : COLOR_ERROR;

		ui_color_on(w, c);
		ui_put(w, y, l->message_x, l->message_w, st->message[f]);
		ui_color_off(w, c);
	}
}

/* The picked accounts: "122 accounts picked: COP … · US$ …", wrapped. */
static void draw_count(const struct reassign_state *st, WINDOW *w, int cols)
{
	char line[1024], money[768];
	const char *s = line, *next;

	if (!st->counted) {
		ui_color_on(w, COLOR_ERROR);
		ui_put(w, st->l.count, 0, cols, st->count_err[0] ? st->count_err : _("Counting..."));
		ui_color_off(w, COLOR_ERROR);
		return;
	}
	money_words(st, &st->total, money, sizeof money);
	snprintf(line, sizeof line,
	         ngettext("%lld account picked%s%s", "%lld accounts picked%s%s", (unsigned long)st->total.accounts),
	         st->total.accounts, money[0] ? ": " : "", money);
	ui_color_on(w, COLOR_HEADER);
	for (int i = 0; i < st->l.ncount && *s; i++) {
		size_t len = text_wrap(s, cols, &next);
		char part[1024];

		/* The line's bytes, as text_wrap() measured them in cells. */
		len = len < sizeof part ? len : sizeof part - 1;
		memcpy(part, s, len);
		part[len] = '\0';
		ui_put(w, st->l.count + i, 0, cols, part);
		s = next;
	}
	ui_color_off(w, COLOR_HEADER);
}

/* The target under the cursor: what it would get, every currency. */
static void draw_detail(const struct reassign_state *st, WINDOW *w, int cols)
{
	int i = list_selected(&st->targets);
	const struct reassign_share *s;
	char line[1024], money[768];

	if (st->l.detail < 0 || i < 0 || st->at != RF_TARGETS || !(s = share_of(st, target_login(st, i))))
		return;
	money_words(st, &s->get, money, sizeof money);
	if (s->pending)
		snprintf(line, sizeof line, _("%s gets %lld (%lld when their lease ends): %s"), s->login, s->get.accounts,
		         s->pending, money);
	else
		snprintf(line, sizeof line, _("%s gets %lld: %s"), s->login, s->get.accounts, money);
	ui_put(w, st->l.detail, 0, cols, line);
}

/* The last line: the batch just moved or undone, else what Enter does. */
static void bottom_line(const struct reassign_state *st, char *out, size_t n, enum ui_color *c)
{
	const char *logins[REASSIGN_MAX_TARGETS];
	int picked = picked_logins(st, logins);

	*c = COLOR_INFO;
	if (st->result[0]) {
		*c = st->result_error ? COLOR_ERROR : COLOR_PROMISE_KEPT;
		snprintf(out, n, "%s", st->result);
	} else if (!st->counted) {
		*c = COLOR_ERROR;
		snprintf(out, n, "%s", _("Nothing to move until the accounts are counted"));
	} else if (st->total.accounts == 0) {
		snprintf(out, n, "%s", _("No account matches: change the filters"));
	} else if (picked == 0) {
		snprintf(out, n, "%s", _("Pick the targets with Space, below; Enter goes there"));
	} else if (st->message[RF_MODE][0]) {
		*c = COLOR_ERROR;
		snprintf(out, n, "%s", st->message[RF_MODE]);
	} else if (!st->previewed) {
		*c = COLOR_ERROR;
		snprintf(out, n, _("No preview: %s"), st->preview_err[0] ? st->preview_err : "?");
	} else if (st->preview.pending) {
		snprintf(out, n,
		         ngettext("Enter moves them (asks first); %lld is leased now and moves when its lease ends",
		                  "Enter moves them (asks first); %lld are leased now and move when their lease ends",
		                  (unsigned long)st->preview.pending),
		         st->preview.pending);
	} else {
		snprintf(out, n, "%s", _("Enter moves them, as previewed (asks first)"));
	}
}

static void reassign_draw(struct ui *ui, void *state, WINDOW *w, int rows, int cols)
{
	struct reassign_state *st = state;
	char line[512];
	enum ui_color c;

	(void)rows;
	ui_color_on(w, COLOR_HEADER);
	if (st->team || ui->me.team[0])
		snprintf(line, sizeof line, _("Move the accounts of team %s"), st->team ? st->team : ui->me.team);
	else
		snprintf(line, sizeof line, "%s", _("No team chosen: r asks which"));
	ui_put(w, st->l.header, 0, cols, line);
	ui_color_off(w, COLOR_HEADER);
	for (int f = 0; f < RF__FILTERS; f++)
		draw_field(st, w, f, st->l.field0 + f);
	draw_count(st, w, cols);
	draw_field(st, w, RF_MODE, st->l.mode);
	list_draw(&st->targets, w);
	draw_detail(st, w, cols);
	bottom_line(st, line, sizeof line, &c);
	ui_color_on(w, c);
	ui_put(w, st->l.bottom, 0, cols, line);
	ui_color_off(w, c);
	/* Typing goes at the end of the text field being typed in. */
	if (st->at < RF_TARGETS && !choice_field(st, st->at)) {
		char shown[128];
		int y = st->at == RF_MODE ? st->l.mode : st->l.field0 + st->at;

		wmove(w, y, st->l.input_x + field_shown(shown, sizeof shown, st->text[st->at], st->l.input_w, false));
	}
}

/* ------------------------------------------------------------ the keys */

/* What each typed field takes: a key it does not take is an action (u, q,
 * ?), so that the keys of the screen work from any field but the one
 * that takes letters. */
static bool takes(int f, wint_t wc)
{
	switch (f) {
	case RF_BALANCE_MIN:
	case RF_BALANCE_MAX: return (wc >= '0' && wc <= '9') || wc == '.' || wc == ',';
	case RF_NO_CONTACT: return wc >= '0' && wc <= '9';
	case RF_JURISDICTION: return (wc >= 'a' && wc <= 'z') || (wc >= 'A' && wc <= 'Z') || wc == '-';
	default: return false;
	}
}

static bool reassign_typed(struct ui *ui, void *state, bool is_key, wint_t wc)
{
	struct reassign_state *st = state;

	if (st->at >= RF_TARGETS || choice_field(st, st->at))
		return false;
	if (is_key ? wc != KEY_BACKSPACE : !(wc == 8 || wc == 127 || wc == 21 || takes(st->at, wc)))
		return false;
	field_key(st->text[st->at], sizeof st->text[0], is_key, wc, false);
	st->result[0] = '\0';
	recount(ui, st);
	return true;
}

static void move_to(struct reassign_state *st, int f)
{
	st->at = (f + RF_TARGETS + 1) % (RF_TARGETS + 1);
	st->targets.unfocused = st->at != RF_TARGETS;
}

static void said_result(struct ui *ui, struct reassign_state *st, bool error, const char *text)
{
	snprintf(st->result, sizeof st->result, "%s", text);
	st->result_error = error;
	/* Said on the last line, where the preview was: not twice. */
	ui_status(ui, false, "%s", "");
}

static void apply(struct ui *ui, struct reassign_state *st)
{
	struct reassign_filter f;
	const char *logins[REASSIGN_MAX_TARGETS];
	struct reassign_targets t = { logins, 0 };
	struct reassign_preview done = { 0 };
	long long batch = 0;
	char jur[8], line[320];

	t.n = picked_logins(st, logins);
	if (!filter_of(st, &f, jur))
		return;
	if (!reassign_apply(ui->db, &f, &t, mode_of(st), &batch, &done)) {
		snprintf(line, sizeof line, _("Nothing moved: %s"), ui->db->err);
		said_result(ui, st, true, line);
		reload(ui, st);
		return;
	}
	ui->own_changes = true;
	if (batch == 0)
		snprintf(line, sizeof line, "%s", _("Nothing to move: every account is with its target already"));
	else if (done.pending)
		snprintf(line, sizeof line,
		         ngettext("Batch %lld: %lld account moved, %lld when its lease ends. u undoes it",
		                  "Batch %lld: %lld accounts moved, %lld when their lease ends. u undoes it",
		                  (unsigned long)(done.all.accounts - done.unchanged)),
		         batch, done.all.accounts - done.unchanged - done.pending, done.pending);
	else
		snprintf(line, sizeof line,
		         ngettext("Batch %lld: %lld account moved. u undoes it, until it is worked",
		                  "Batch %lld: %lld accounts moved. u undoes it, until one is worked",
		                  (unsigned long)(done.all.accounts - done.unchanged)),
		         batch, done.all.accounts - done.unchanged);
	reassign_preview_free(&done);
	/* Moved: the targets are dropped, so that a second Enter moves
	 * nothing by mistake (the filter stays, for the next move). */
	memset(st->picked, 0, (size_t)ntargets(st) * sizeof *st->picked);
	reload(ui, st);
	said_result(ui, st, false, line);
}

static void confirmed(struct ui *ui, void *state, int choice)
{
	struct reassign_state *st = state;

	if (choice != 0) {
		ui_status(ui, false, "%s", _("Nothing moved"));
		return;
	}
	apply(ui, st);
}

/* Enter: with targets picked and a preview, the question, which says what
 * will happen; without targets, the list where they are picked. */
static void ask_move(struct ui *ui, struct reassign_state *st)
{
	static char title[160], yes[320];
	static const char *items[2];
	const char *logins[REASSIGN_MAX_TARGETS];
	int n = picked_logins(st, logins);
	long long moving;
	struct buf b = { 0 };

	recount(ui, st);
	if (st->counted && st->total.accounts > 0 && n == 0) {
		move_to(st, RF_TARGETS);
		ui_status(ui, false, "%s", _("Pick the targets with Space"));
		return;
	}
	if (!st->previewed) {
		ui_status(ui, true, "%s", _("Nothing to move: see the last line"));
		return;
	}
	moving = st->preview.all.accounts - st->preview.unchanged;
	snprintf(title, sizeof title,
	         ngettext("Move %lld account, %s?", "Move %lld accounts, %s?", (unsigned long)moving), moving,
	         _(mode_words[mode_of(st)]));
	/* Who gets how many, as the preview says: "ana 61, luis 61". */
	for (int i = 0; i < st->preview.n; i++)
		buf_printf(&b, "%s%s %lld", i ? ", " : "", st->preview.shares[i].login,
		           st->preview.shares[i].get.accounts);
	if (st->preview.unchanged)
		buf_printf(&b, _(" (%lld stay where they are)"), st->preview.unchanged);
	snprintf(yes, sizeof yes, _("Yes: %s"), b.s ? b.s : "");
	buf_free(&b);
	items[0] = yes;
	items[1] = _("No, back to the filters");
	ui_menu_open(ui, title, items, 2, confirmed, st);
}

static void undo(struct ui *ui, struct reassign_state *st)
{
	struct reassign_undo_result r = { 0 };
	char line[320];

	if (ui->offline) {
		said_result(ui, st, true, _("Not undone: the database is away"));
		return;
	}
	if (!reassign_undo(ui->db, 0, &r)) {
		if (r.worked > 0)
			snprintf(line, sizeof line,
			         ngettext("Batch %lld cannot be undone: %lld of its accounts has been worked since",
			                  "Batch %lld cannot be undone: %lld of its accounts have been worked since",
			                  (unsigned long)r.worked),
			         r.batch, r.worked);
		else
			snprintf(line, sizeof line, _("Not undone: %s"), ui->db->err);
		said_result(ui, st, true, line);
		return;
	}
	ui->own_changes = true;
	snprintf(line, sizeof line,
	         ngettext("Batch %lld undone: %lld account is back with whom it came from",
	                  "Batch %lld undone: %lld accounts are back with whom they came from", (unsigned long)r.restored),
	         r.batch, r.restored);
	reload(ui, st);
	said_result(ui, st, false, line);
}

static enum ui_reaction reassign_action(struct ui *ui, void *state, enum ui_action a)
{
	struct reassign_state *st = state;

	switch (a) {
	case ACTION_UP:
		if (st->at == RF_TARGETS && list_selected(&st->targets) > 0)
			list_action(&st->targets, a);
		else
			move_to(st, st->at - 1);
		return UI_REDRAW;
	case ACTION_DOWN:
		if (st->at == RF_TARGETS)
			list_action(&st->targets, a);
		else
			move_to(st, st->at + 1);
		return UI_REDRAW;
	case ACTION_NEXT_FIELD: move_to(st, st->at + 1); return UI_REDRAW;
	case ACTION_NEXT_CHOICE:
	case ACTION_PREV_CHOICE: {
		int n = choice_field(st, st->at) ? nchoices(st, st->at) : 0;

		if (!n)
			return UI_HANDLED;
		st->choice[st->at] = (st->choice[st->at] + (a == ACTION_NEXT_CHOICE ? 1 : -1) + n) % n;
		st->result[0] = '\0';
		recount(ui, st);
		return UI_REDRAW;
	}
	case ACTION_PICK: {
		int i = list_selected(&st->targets);

		if (st->at != RF_TARGETS) {
			/* Space on a choice shows the next one, as on the promise form. */
			return reassign_action(ui, st, ACTION_NEXT_CHOICE);
		}
		if (i < 0)
			return UI_HANDLED;
		/* All to one: picking one drops the other. */
		if (mode_of(st) == REASSIGN_ONE && !st->picked[i])
			memset(st->picked, 0, (size_t)ntargets(st) * sizeof *st->picked);
		st->picked[i] = !st->picked[i];
		st->result[0] = '\0';
		recount(ui, st);
		return UI_REDRAW;
	}
	case ACTION_MOVE: ask_move(ui, st); return UI_REDRAW;
	case ACTION_UNDO_BATCH: undo(ui, st); return UI_REDRAW;
	case ACTION_REFRESH:
		st->result[0] = '\0';
		if (!ui->me.team[0] && !st->team) {
			ask_team(ui, st);
			return UI_REDRAW;
		}
		reload(ui, st);
		return UI_REDRAW;
	case ACTION_PAGE_UP:
	case ACTION_PAGE_DOWN:
	case ACTION_FIRST:
	case ACTION_LAST:
		if (st->at != RF_TARGETS)
			return UI_HANDLED;
		list_action(&st->targets, a);
		return UI_REDRAW;
	default: return UI_UNHANDLED;
	}
}

static enum ui_reaction reassign_notify(struct ui *ui, void *state, const char *channel, const char *payload)
{
	struct reassign_state *st = state;

	(void)payload;
	if (!strcmp(channel, UI_NOTIFY_DUE)) {
		if (!st->due)
			return UI_HANDLED;
		if (ui_clock() < st->loaded_at + REASSIGN_RELOAD_GAP) {
			ui_wake(ui, st->loaded_at + REASSIGN_RELOAD_GAP);
			return UI_HANDLED;
		}
		reload(ui, st);
		return ui_top(ui) == &reassign_screen ? UI_REDRAW : UI_HANDLED;
	}
	/* Accounts worked, paid or moved elsewhere change what the filter
	 * picks and what each target has: counted again, at most twice a
	 * second. This workstation's own moves are counted already. */
	if ((!strcmp(channel, NOTIFY_ACCOUNT) && !ui->notify_own) || !strcmp(channel, UI_NOTIFY_RECONNECTED)) {
		st->due = true;
		ui_wake(ui, st->loaded_at + REASSIGN_RELOAD_GAP);
	}
	return UI_HANDLED;
}

static const struct keybind reassign_binds[] = {
	{ ' ', ACTION_PICK },        { '\n', ACTION_MOVE },           { KEY_ENTER, ACTION_MOVE },
	{ '\t', ACTION_NEXT_FIELD }, { KEY_RIGHT, ACTION_NEXT_CHOICE }, { KEY_LEFT, ACTION_PREV_CHOICE },
	{ 'u', ACTION_UNDO_BATCH },  { 27, ACTION_BACK },
};
static const char *const reassign_bar[] = { "help", "pick", "next_field", "next_choice", "move", "undo_batch",
	                                    "back", NULL };

static const struct keymap reassign_keys = {
	.binds = reassign_binds,
	.count = (int)ARRAY_SIZE(reassign_binds),
	.bar = reassign_bar,
};

const struct screen_ops reassign_screen = {
	.name = "reassign",
	.title = N_("Reassign"),
	.keymap = &reassign_keys,
	.enter = reassign_enter,
	.leave = reassign_leave,
	.layout = reassign_lay_out,
	.draw = reassign_draw,
	.action = reassign_action,
	.typed = reassign_typed,
	.notify = reassign_notify,
};
