/* The dashboard (issue 17, line 2): one row per agent of the team, with
 * the figures of docs/metrics.md as agent_metrics() computes them (through
 * src/core/metrics.c: nothing is computed here but the order and the
 * bars), the team's totals, the selected agent's bars and hourly contacts.
 * The home screen of supervisors, leads and admins (`d` from anywhere);
 * the database refuses it to a collector. It follows the team live: a
 * change of an account of the team or of who is where (NOTIFY_PRESENCE)
 * reads the figures again, never a timer (the tick only repaints "for 3
 * min"). Enter drills into the agent under the cursor (drill.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "approvals.h"
#include "bar.h"
#include "drill.h"
#include "drill_screen.h"
#include "list.h"
#include "metrics.h"
#include "money.h"
#include "notify.h"
#include "reassign_screen.h"
#include "text.h"
#include "ui.h"
#include "util.h"

/* Changes reload the figures at most this often (seconds): a busy team's
 * changes come many a second, and one reading covers them all. */
#define DASHBOARD_RELOAD_GAP 0.5

enum period { PERIOD_TODAY, PERIOD_YESTERDAY, PERIOD_WEEK, PERIOD_RANGE };

struct dashboard_state {
	struct agent_figures *figures; /* as read: agents and the teams' totals */
	int nfigures;
	int *order;                    /* the agents' indexes into figures, sorted */
	int nagents;
	struct agent_hour *hours;      /* hours with contacts, by agent then hour */
	int nhours;
	enum period period;
	struct drill_days days;
	int sort;                      /* a DC_ column */
	bool reverse;
	bool loaded, due;
	double loaded_at;              /* on ui_clock(): "now" minutes count on from it */
	char error[256];               /* why the figures could not be read */
	struct dashboard_layout at;
	struct column columns[DC_COLUMNS];
	int ids[DC_COLUMNS];           /* the figure of each column shown */
	struct list table;
	int cols;
	bool utf8;
	enum money_form form;          /* "$" alone while every amount shown is one currency */
	struct drill_agent drilled;    /* what Enter opened (the drill-down keeps a pointer) */
};

extern const struct screen_ops dashboard_screen;

static const struct agent_figures *agent_at(const struct dashboard_state *st, int i)
{
	return i >= 0 && i < st->nagents ? &st->figures[st->order[i]] : NULL;
}

static const struct agent_figures *selected(const struct dashboard_state *st)
{
	return agent_at(st, list_selected(&st->table));
}

/* The totals of the team the selected agent is in (an admin sees every
 * team), or of the first team. */
static const struct agent_figures *totals(const struct dashboard_state *st)
{
	const struct agent_figures *a = selected(st), *first = NULL;

	for (int i = 0; i < st->nfigures; i++)
		if (st->figures[i].agent_id == 0) {
			if (!first)
				first = &st->figures[i];
			if (a && !strcmp(a->team, st->figures[i].team))
				return &st->figures[i];
		}
	return first;
}

/* Money of several currencies sums nothing: the first one's amount, the
 * others' only when sorting needs a number. */
static double money_value(const struct metric_money *m)
{
	double v = 0;

	for (int i = 0; i < m->n; i++)
		v += (double)m->sum[i].amount;
	return v;
}

/* A figure as a number, for the order and the bars. */
static double value(const struct agent_figures *a, int col)
{
	switch (col) {
	case DC_NOW:
		/* On an account, then idle, then offline; longest first within. */
		return (!strcmp(a->now_state, "account") ? 2e6 : !strcmp(a->now_state, "idle") ? 1e6 : 0) +
		       (a->now_minutes > 0 ? a->now_minutes : 0);
	case DC_ACCOUNTS: return (double)a->accounts_worked;
	case DC_CALLS: return (double)a->calls;
	case DC_RPC: return (double)a->rpc;
	case DC_RPC_RATE: return a->rpc_rate;
	case DC_PROMISES: return (double)a->promises;
	case DC_PROMISED: return money_value(&a->promise_amount);
	case DC_PROMISE_RATE: return a->promise_rate;
	case DC_KEPT_RATE: return a->kept_rate;
	case DC_COLLECTED: return money_value(&a->collected);
	case DC_SMS: return (double)a->sms;
	case DC_EMAIL: return (double)a->email;
	case DC_WHATSAPP: return (double)a->whatsapp;
	case DC_AVG_TIME: return (double)a->avg_seconds_per_account;
	case DC_CPH: return a->contacts_per_hour;
	case DC_HOURS: return (double)a->contacts;
	default: return 0;
	}
}

static const struct dashboard_state *sorting;

static int by_sort(const void *x, const void *y)
{
	const struct agent_figures *a = &sorting->figures[*(const int *)x], *b = &sorting->figures[*(const int *)y];
	int c;

	if (sorting->sort == DC_AGENT)
		c = strcmp(a->login, b->login);
	else {
		double va = value(a, sorting->sort), vb = value(b, sorting->sort);

		/* Biggest first: the figure sorted by is the one looked for. */
		c = va < vb ? 1 : va > vb ? -1 : 0;
	}
	if (sorting->reverse)
		c = -c;
	return c ? c : strcmp(a->login, b->login);
}

/* Orders the agents, the cursor kept on the same agent. */
static void sort_rows(struct dashboard_state *st)
{
	const struct agent_figures *was = selected(st);
	int64_t keep = was ? was->agent_id : 0;

	free(st->order);
	st->order = xcalloc((size_t)st->nfigures + 1, sizeof *st->order);
	st->nagents = 0;
	for (int i = 0; i < st->nfigures; i++)
		if (st->figures[i].agent_id != 0)
			st->order[st->nagents++] = i;
	sorting = st;
	qsort(st->order, (size_t)st->nagents, sizeof *st->order, by_sort);
	sorting = NULL;
	list_count(&st->table, st->nagents);
	for (int i = 0; i < st->nagents; i++)
		if (agent_at(st, i)->agent_id == keep)
			list_select(&st->table, i);
}

/* The range's days as the database's clock says them, then the figures
 * and the hourly contacts over them. */
/* A team works in several currencies (norte: soles, pesos, dollars, euros):
 * a bare "$" beside another "$" would be anyone's. */
static enum money_form money_form_of(const struct agent_figures *f, int n)
{
	struct money_mix m = { 0 };

	for (int i = 0; i < n; i++) {
		for (int c = 0; c < f[i].promise_amount.n; c++)
			money_mix_add(&m, f[i].promise_amount.sum[c].currency);
		for (int c = 0; c < f[i].collected.n; c++)
			money_mix_add(&m, f[i].collected.sum[c].currency);
	}
	return money_mix_form(&m);
}

static void load(struct ui *ui, struct dashboard_state *st)
{
	struct agent_figures *f;
	struct agent_hour *h;
	int nf, nh;
	char from[40], to[40];

	if (ui->offline)
		return;
	st->due = false;
	if (st->period != PERIOD_RANGE && !drill_period_days(ui->db, (enum drill_period)st->period, &st->days)) {
		snprintf(st->error, sizeof st->error, "%s", ui->db->err);
		return;
	}
	if (!metrics_agents_days(ui->db, st->days.from, st->days.to, NULL, &f, &nf)) {
		if (!strcmp(ui->db->sqlstate, "42501"))
			snprintf(st->error, sizeof st->error, "%s",
			         _("The dashboard is for supervisors, leads and administrators"));
		else
			snprintf(st->error, sizeof st->error, "%s", ui->db->err);
		free(st->figures);
		st->figures = NULL;
		st->nfigures = 0;
		sort_rows(st);
		return;
	}
	/* The hourly series over the same days: midnight to midnight. */
	snprintf(from, sizeof from, "%s", st->days.from);
	snprintf(to, sizeof to, "%s", st->days.after);
	if (!metrics_hourly_range(ui->db, from, to, NULL, &h, &nh)) {
		h = NULL;
		nh = 0;
	}
	free(st->figures);
	free(st->hours);
	st->figures = f;
	st->nfigures = nf;
	st->hours = h;
	st->nhours = nh;
	st->error[0] = '\0';
	st->loaded = true;
	st->loaded_at = ui_clock();
	st->form = money_form_of(f, nf);
	sort_rows(st);
}

/* ------------------------------------------------------------ the words */

static const char *rate(char *out, size_t n, double r)
{
	if (r < 0)
		snprintf(out, n, "-");
	else
		snprintf(out, n, "%.0f%%", r * 100);
	return out;
}

static const char *count(char *out, size_t n, int64_t v)
{
	snprintf(out, n, "%lld", (long long)v);
	return out;
}

/* An amount per currency: one currency as money, several as the first and
 * a "+" (the detail line and cobroctl report show them all). */
static const char *money(char *out, size_t n, const struct metric_money *m, enum money_form form)
{
	char one[48];

	if (m->n == 0)
		return snprintf(out, n, "0"), out;
	money_format_as(one, sizeof one, m->sum[0].amount, m->sum[0].currency, form);
	snprintf(out, n, "%s%s", one, m->n > 1 ? "+" : "");
	return out;
}

static const char *duration(char *out, size_t n, int64_t seconds)
{
	if (seconds < 0)
		snprintf(out, n, "-");
	else
		snprintf(out, n, "%lld:%02lld", (long long)(seconds / 60), (long long)(seconds % 60));
	return out;
}

/* Where the agent is now, the minutes counted on since the figures were
 * read (the tick repaints it). */
static const char *now_words(const struct dashboard_state *st, const struct agent_figures *a, bool whole, char *out,
                             size_t n)
{
	int min = a->now_minutes + (int)((ui_clock() - st->loaded_at) / 60);

	if (!strcmp(a->now_state, "account") && whole)
		snprintf(out, n, _("on account %s for %d min"), a->now_account, min);
	else if (!strcmp(a->now_state, "account"))
		snprintf(out, n, _("%dm %s"), min, a->now_account); /* "3m MSR-CL-000000202" in a narrow column */
	else if (!strcmp(a->now_state, "idle"))
		snprintf(out, n, _("idle %d min"), min);
	else
		snprintf(out, n, "%s", _("offline"));
	return out;
}

/* The agent's contacts (0: the whole team's) per hour of the range, as many
 * hours as it has (at most max). */
static int agent_hours(const struct dashboard_state *st, int64_t agent, int64_t *v, int max)
{
	int n = (int)((st->days.end - st->days.start) / 3600);

	if (n > max)
		n = max;
	if (n < 1)
		n = 1;
	memset(v, 0, sizeof *v * (size_t)n);
	for (int i = 0; i < st->nhours; i++)
		if (agent == 0 || st->hours[i].agent_id == agent) {
			int64_t k = (st->hours[i].hour - st->days.start) / 3600;

			if (k >= 0 && k < n)
				v[k] += st->hours[i].contacts;
		}
	return n;
}

/* The text of figure col of a row. */
static const char *cell(const struct dashboard_state *st, const struct agent_figures *a, int col, int width,
                        char *out, size_t n)
{
	out[0] = '\0';
	switch (col) {
	case DC_AGENT: return snprintf(out, n, "%s", a->agent_id ? a->login : _("Team")), out;
	case DC_NOW: return a->agent_id ? now_words(st, a, false, out, n) : out;
	case DC_ACCOUNTS: return count(out, n, a->accounts_worked);
	case DC_CALLS: return count(out, n, a->calls);
	case DC_RPC: return count(out, n, a->rpc);
	case DC_RPC_RATE: return rate(out, n, a->rpc_rate);
	case DC_PROMISES: return count(out, n, a->promises);
	case DC_PROMISED: return money(out, n, &a->promise_amount, st->form);
	case DC_PROMISE_RATE: return rate(out, n, a->promise_rate);
	case DC_KEPT_RATE: return rate(out, n, a->kept_rate);
	case DC_COLLECTED: return money(out, n, &a->collected, st->form);
	case DC_SMS: return count(out, n, a->sms);
	case DC_EMAIL: return count(out, n, a->email);
	case DC_WHATSAPP: return count(out, n, a->whatsapp);
	case DC_AVG_TIME: return duration(out, n, a->avg_seconds_per_account);
	case DC_CPH:
		if (a->contacts_per_hour < 0)
			return snprintf(out, n, "-"), out;
		return snprintf(out, n, "%.1f", a->contacts_per_hour), out;
	case DC_HOURS: {
		int64_t v[24 * 31];
		int k = agent_hours(st, a->agent_id, v, (int)ARRAY_SIZE(v));

		return spark_text(out, n, v, k, width, st->utf8);
	}
	default: return out;
	}
}

static void agent_row(const struct list *l, WINDOW *w, int y, int i, bool sel, void *ctx)
{
	const struct dashboard_state *st = ctx;
	const struct agent_figures *a = agent_at(st, i);
	char text[512];

	(void)sel;
	for (int c = 0; c < l->ncolumns; c++)
		list_cell(l, w, y, c, cell(st, a, st->ids[c], l->laid.width[c], text, sizeof text));
}

/* ---------------------------------------------------------- the screen */

static void *dashboard_enter(struct ui *ui, void *arg)
{
	struct dashboard_state *st = xcalloc(1, sizeof *st);

	(void)arg;
	st->utf8 = bar_utf8();
	st->period = PERIOD_TODAY;
	st->sort = DC_AGENT;
	int n = layout_dashboard_columns(80, st->columns, st->ids);
	list_init(&st->table, st->columns, n, 0, true, agent_row, st);
	load(ui, st);
	/* The worklist's count under it is not this screen's to say. */
	ui_status(ui, false, "%s", "");
	return st;
}

static void dashboard_leave(struct ui *ui, void *state)
{
	struct dashboard_state *st = state;

	(void)ui;
	free(st->figures);
	free(st->order);
	free(st->hours);
	free(st);
}

static void dashboard_lay_out(struct ui *ui, void *state, int rows, int cols)
{
	struct dashboard_state *st = state;

	(void)ui;
	st->cols = cols;
	layout_dashboard(rows, &st->at);
	st->table.ncolumns = layout_dashboard_columns(cols, st->columns, st->ids);
	list_layout(&st->table, st->at.list, 0, st->at.nlist, cols);
}

static const char *column_title(int col)
{
	struct column c[DC_COLUMNS];
	int ids[DC_COLUMNS], n = layout_dashboard_columns(1000, c, ids);

	for (int i = 0; i < n; i++)
		if (ids[i] == col)
			return _(c[i].title);
	return "";
}

/* Whether the rows go up: names A to Z, figures smallest first. */
static bool ascending(const struct dashboard_state *st)
{
	return (st->sort == DC_AGENT) != st->reverse;
}

/* "Today 2026-12-07 · sorted by Calls ▼ · 5 agents". */
static void draw_summary(const struct dashboard_state *st, WINDOW *w, int cols)
{
	char line[512], range[64];
	static const char *const names[] = { N_("Today"), N_("Yesterday"), N_("This week"), N_("Range") };

	if (!strcmp(st->days.from, st->days.to))
		snprintf(range, sizeof range, "%s %s", _(names[st->period]), st->days.from);
	else
		snprintf(range, sizeof range, "%s %s \xe2\x80\x93 %s", _(names[st->period]), st->days.from, st->days.to);
	snprintf(line, sizeof line,
	         ngettext("%s \xc2\xb7 sorted by %s %s \xc2\xb7 %d agent", "%s \xc2\xb7 sorted by %s %s \xc2\xb7 %d agents",
	                  (unsigned long)st->nagents),
	         range, column_title(st->sort), ascending(st) ? (st->utf8 ? "\xe2\x96\xb2" : "^") : (st->utf8 ? "\xe2\x96\xbc" : "v"),
	         st->nagents);
	ui_color_on(w, COLOR_HEADER);
	ui_put(w, st->at.summary, 0, cols, line);
	ui_color_off(w, COLOR_HEADER);
}

static void draw_totals(const struct dashboard_state *st, WINDOW *w)
{
	const struct agent_figures *t = totals(st);
	char text[512];

	if (!t)
		return;
	ui_color_on(w, COLOR_HEADER);
	for (int c = 0; c < st->table.ncolumns; c++)
		list_cell(&st->table, w, st->at.totals, c,
		          cell(st, t, st->ids[c], st->table.laid.width[c], text, sizeof text));
	ui_color_off(w, COLOR_HEADER);
}

/* "Calls      12 ██████████" against the team's largest. */
static void draw_bar(const struct dashboard_state *st, WINDOW *w, int y, int x, int width, const char *title,
                     double v, double max, const char *text)
{
	char bar[256], label[64];
	int lw = 12, nw = 7, bw = width - lw - nw - 2;

	if (bw < 4)
		return;
	snprintf(label, sizeof label, "%s", title);
	ui_put(w, y, x, lw, label);
	ui_put_right(w, y, x + lw, nw, text);
	ui_color_on(w, COLOR_INFO);
	ui_put(w, y, x + lw + nw + 1, bw, bar_text(bar, sizeof bar, v, max, bw, st->utf8));
	ui_color_off(w, COLOR_INFO);
}

static void draw_detail(const struct dashboard_state *st, WINDOW *w, int cols)
{
	const struct agent_figures *a = selected(st);
	static const int figures[4] = { DC_CALLS, DC_RPC, DC_PROMISES, DC_CPH };
	char line[512], now[128], m1[64], m2[64];
	int64_t v[24 * 31];
	int half = cols / 2, k;

	if (!a || st->at.detail < 0)
		return;
	snprintf(line, sizeof line, "%s (%s): %s", a->name, a->login, now_words(st, a, true, now, sizeof now));
	ui_color_on(w, COLOR_HEADER);
	ui_put(w, st->at.detail, 0, cols, line);
	ui_color_off(w, COLOR_HEADER);
	for (int i = 0; i < 4; i++) {
		double max = 0;
		char text[64];

		for (int j = 0; j < st->nagents; j++) {
			double vj = value(agent_at(st, j), figures[i]);

			max = vj > max ? vj : max;
		}
		draw_bar(st, w, st->at.detail + 1 + i / 2, (i % 2) * half, half - 1, column_title(figures[i]),
		         value(a, figures[i]), max, cell(st, a, figures[i], 8, text, sizeof text));
	}
	/* The hourly sparkline, and what the narrow columns leave out. */
	k = agent_hours(st, a->agent_id, v, (int)ARRAY_SIZE(v));
	{
		char spark[256], label[64];
		int lw = 12, sw = k < half - lw - 1 ? k : half - lw - 1;

		snprintf(label, sizeof label, "%s", _("By hour"));
		ui_put(w, st->at.detail + 3, 0, lw, label);
		ui_color_on(w, COLOR_INFO);
		ui_put(w, st->at.detail + 3, lw, sw, spark_text(spark, sizeof spark, v, k, sw, st->utf8));
		ui_color_off(w, COLOR_INFO);
	}
	snprintf(line, sizeof line, _("Collected %s \xc2\xb7 SMS %lld, email %lld, WhatsApp %lld"),
	         money(m1, sizeof m1, &a->collected, st->form), (long long)a->sms, (long long)a->email,
	         (long long)a->whatsapp);
	ui_put(w, st->at.detail + 3, half, cols - half, line);
	(void)m2;
}

static void dashboard_draw(struct ui *ui, void *state, WINDOW *w, int rows, int cols)
{
	struct dashboard_state *st = state;

	(void)ui;
	(void)rows;
	draw_summary(st, w, cols);
	if (st->error[0]) {
		ui_color_on(w, COLOR_ERROR);
		ui_put(w, 2, 2, cols - 4, st->error);
		ui_color_off(w, COLOR_ERROR);
		return;
	}
	list_draw(&st->table, w);
	if (st->loaded && st->nagents == 0) {
		ui_put(w, 3, 2, cols - 4, _("No agent in the team."));
		return;
	}
	draw_totals(st, w);
	draw_detail(st, w, cols);
}

/* "2026-12-01 2026-12-07": a range typed. */
static bool range_typed(struct ui *ui, void *state, const char *text)
{
	struct dashboard_state *st = state;
	char copy[256], *word[3] = { NULL }, *at = NULL, *from, *to;
	struct drill_days days;
	int n = 0;

	snprintf(copy, sizeof copy, "%s", text);
	for (char *w = strtok_r(copy, " \t", &at); w && n < 3; w = strtok_r(NULL, " \t", &at))
		word[n++] = w;
	from = word[0];
	to = n == 1 ? word[0] : word[1];
	if (n != 1 && n != 2) {
		prompt_say(&ui->prompt, _("Two dates, YYYY-MM-DD YYYY-MM-DD, or one"));
		return false;
	}
	if (!drill_range_days(ui->db, from, to, &days)) {
		prompt_say(&ui->prompt, ui->db->err[0] ? _("Not a date: YYYY-MM-DD") : _("The range ends before it starts"));
		return false;
	}
	st->days = days;
	st->period = PERIOD_RANGE;
	load(ui, st);
	return true;
}

static enum ui_reaction dashboard_action(struct ui *ui, void *state, enum ui_action a)
{
	struct dashboard_state *st = state;
	const struct agent_figures *f = selected(st);

	switch (a) {
	case ACTION_RANGE_TODAY:
	case ACTION_RANGE_YESTERDAY:
	case ACTION_RANGE_WEEK:
		st->period = a == ACTION_RANGE_TODAY       ? PERIOD_TODAY
		             : a == ACTION_RANGE_YESTERDAY ? PERIOD_YESTERDAY
		                                           : PERIOD_WEEK;
		load(ui, st);
		return UI_REDRAW;
	case ACTION_RANGE: {
		char initial[32];

		snprintf(initial, sizeof initial, "%s %s", st->days.from, st->days.to);
		ui_prompt_open(ui, _("From and to (YYYY-MM-DD YYYY-MM-DD):"), initial, range_typed, st);
		return UI_REDRAW;
	}
	case ACTION_SORT:
		st->sort = (st->sort + 1) % DC_COLUMNS;
		sort_rows(st);
		return UI_REDRAW;
	case ACTION_SORT_REVERSE:
		st->reverse = !st->reverse;
		sort_rows(st);
		return UI_REDRAW;
	case ACTION_DRILL:
		if (!f)
			return UI_HANDLED;
		st->drilled.agent_id = f->agent_id;
		snprintf(st->drilled.login, sizeof st->drilled.login, "%s", f->login);
		snprintf(st->drilled.name, sizeof st->drilled.name, "%s", f->name);
		drill_open(ui, &st->drilled);
		return UI_REDRAW;
	case ACTION_DASHBOARD:
		return UI_HANDLED; /* here already */
	case ACTION_APPROVALS:
		approvals_open(ui); /* what waits for the supervisor, from her home */
		return UI_REDRAW;
	case ACTION_REASSIGN:
		reassign_open(ui); /* a lead's, from her home; or says it is not theirs */
		return UI_REDRAW;
	case ACTION_REFRESH:
		load(ui, st);
		return UI_REDRAW;
	default:
		return list_action(&st->table, a) ? UI_REDRAW : UI_UNHANDLED;
	}
}

static enum ui_reaction dashboard_notify(struct ui *ui, void *state, const char *channel, const char *payload)
{
	struct dashboard_state *st = state;
	bool top = ui_top(ui) == &dashboard_screen;

	(void)payload;
	if (!strcmp(channel, UI_NOTIFY_DUE)) {
		if (!st->due || !top)
			return UI_HANDLED;
		if (ui_clock() < st->loaded_at + DASHBOARD_RELOAD_GAP) {
			ui_wake(ui, st->loaded_at + DASHBOARD_RELOAD_GAP);
			return UI_HANDLED;
		}
		load(ui, st);
		return UI_REDRAW;
	}
	/* "for 3 min" counts on: a repaint, no query. */
	if (!strcmp(channel, UI_NOTIFY_TICK))
		return top ? UI_REDRAW : UI_HANDLED;
	/* An agent's event changes an account of the team; arriving, leaving
	 * or moving is presence. Read when on top, else when seen again. */
	if (!strcmp(channel, NOTIFY_ACCOUNT) || !strcmp(channel, NOTIFY_PRESENCE) ||
	    !strcmp(channel, UI_NOTIFY_RECONNECTED) || !strcmp(channel, UI_NOTIFY_SAVED)) {
		st->due = true;
		if (top)
			ui_wake(ui, st->loaded_at + DASHBOARD_RELOAD_GAP);
	}
	return UI_HANDLED;
}

static void dashboard_resume(struct ui *ui, void *state)
{
	struct dashboard_state *st = state;

	if (st->due)
		load(ui, st);
}

static const struct keybind dashboard_binds[] = {
	{ '\n', ACTION_DRILL },         { KEY_ENTER, ACTION_DRILL },    { 't', ACTION_RANGE_TODAY },
	{ 'y', ACTION_RANGE_YESTERDAY }, { 'w', ACTION_RANGE_WEEK },     { 'D', ACTION_RANGE },
	{ 's', ACTION_SORT },           { 'S', ACTION_SORT_REVERSE },   { 'A', ACTION_APPROVALS },
	{ 'a', ACTION_REASSIGN },
};
static const char *const dashboard_bar[] = { "help", "drill", "range_today", "range_yesterday", "range_week",
	                                     "range", "sort", "sort_reverse", "quit", NULL };

static const struct keymap dashboard_keys = {
	.binds = dashboard_binds,
	.count = (int)ARRAY_SIZE(dashboard_binds),
	.bar = dashboard_bar,
};

/* The database refuses a collector the figures (agent_metrics()); the key
 * says so in words rather than nothing. */
static const char *dashboard_refused(const struct ui *ui)
{
	return strcmp(ui->me.role, "collector") ? NULL : _("The dashboard is for supervisors, leads and administrators");
}

const struct screen_ops dashboard_screen = {
	.name = "dashboard",
	.title = N_("Dashboard"),
	.keymap = &dashboard_keys,
	.enter = dashboard_enter,
	.leave = dashboard_leave,
	.layout = dashboard_lay_out,
	.draw = dashboard_draw,
	.action = dashboard_action,
	.notify = dashboard_notify,
	.resume = dashboard_resume,
	.opened_by = ACTION_DASHBOARD,
	.refused = dashboard_refused,
	.at_start = true,
};
