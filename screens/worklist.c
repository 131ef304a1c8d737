/* Worklist: the collector's accounts in working order (home screen). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account_screen.h"
#include "approvals.h"
#include "review_screen.h"
#include "reassign_screen.h"
#include "label.h"
#include "list.h"
#include "holiday.h"
#include "money.h"
#include "policy.h"
#include "policy_store.h"
#include "ui.h"
#include "text.h"
#include "util.h"
#include "worklist.h"

/* Rows are loaded a page at a time (each page one index read, docs/priority.md);
 * moving past the last loaded row loads the next page. */
#define WORKLIST_PAGE 50
/* Other people's changes reload the list at most this often (seconds): on a
 * busy day they come many times a second, and live means within a second. */
#define WORKLIST_RELOAD_GAP 0.5
/* The account under the cursor is read ahead once the cursor has rested
 * this long (seconds): a person reading the row takes longer, a held arrow
 * key passes rows quicker, and rows passed are not read. */
#define WORKLIST_AHEAD_REST 0.1
/* Under another screen (an account open) the list reloads what others
 * changed no more often than this, and only once the person has paused
 * typing this long, so that `n` finds the next account ready. */
#define WORKLIST_HIDDEN_GAP 2.0
#define WORKLIST_HIDDEN_REST 0.3

struct worklist_state {
	struct worklist list;
	int want;           /* rows to load: a whole number of pages */
	bool stale;         /* changed while another screen was on top: reload when seen */
	bool due;           /* changed while on top: reload at the wake-up asked for */
	double loaded_at;   /* when it last loaded, on ui_clock() */
	struct column columns[WL_COLUMNS]; /* as wide as the terminal allows (layout_worklist()) */
	struct list table;  /* the rows on screen, the cursor on one */
	bool loaded;
	long long opened;   /* the account last opened from here */
	/* Every account opened from here since cobro started, sorted: `n`
	 * goes on to one not opened yet, so that working the list with n
	 * moves down it (the order itself changes only with the daily rank,
	 * a callback or a promise, so the best account stays first after it
	 * was worked). */
	long long *visited;
	int nvisited;
	long long aimed;    /* the account under the cursor when last looked */
	long long aimed_next; /* and the one `n` would open then */
	double aimed_at;    /* since when, on ui_clock() */
	bool ahead_due;     /* read it ahead once the cursor has rested */
	/* What the person searched and filtered for; empty means everything. */
	char search[256];
	int bucket;
	char segment[33];
	char promise[20];
	char jurisdiction[6];
	/* May we call now? One answer per row, in the rows' order (src/policy.c).
	 * The answers do not move rows: the order is the database's alone
	 * (docs/priority.md), so that it, the counts and `y` on the account
	 * screen are the same whatever rows are loaded. */
	struct policy_reach *reach;
	/* How many of the whole worklist may be called now; -1 not known. */
	int callable;
	/* The answers kept by account, sorted by id, for every account of the
	 * worklist (worklist_members()), so that a reload asks only about
	 * accounts not judged yet: the page is read again on every reload
	 * (callbacks fall due by the clock), an answer only once something
	 * changed its debtor (forget_changed()) or the clock turns it. A
	 * collector has thousands of accounts: asking about them all on every
	 * change of the team's would cost more than the page. */
	struct kept_reach *kept;
	int nkept;
	int64_t kept_until;  /* ui_now() at which a kept answer may turn; 0: none will */
	/* Accounts announced as changed since the answers were last looked at. */
	long long *changed;
	int nchanged;
	/* Until when (ui_clock()) the clock alone leaves the order as loaded
	 * (worklist_steady_for()); 0 when not asked since the last load. */
	double steady_until;
};

struct kept_reach {
	long long id, debtor;
	struct policy_reach reach;
};

/* Forgets every answer: on a new contact policy, a reconnection (changes may
 * have been missed), a change announced without its account, or `r`. */
static void forget_reach(struct worklist_state *st)
{
	free(st->kept);
	st->kept = NULL;
	st->nkept = 0;
	st->kept_until = 0;
	free(st->changed);
	st->changed = NULL;
	st->nchanged = 0;
}

static int kept_cmp(const void *a, const void *b)
{
	long long x = ((const struct kept_reach *)a)->id, y = ((const struct kept_reach *)b)->id;

	return (x > y) - (x < y);
}

static int ll_cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

static const struct kept_reach *kept_find(const struct worklist_state *st, long long id)
{
	struct kept_reach key = { .id = id };

	return st->nkept ? bsearch(&key, st->kept, (size_t)st->nkept, sizeof key, kept_cmp) : NULL;
}

/* When the clock may turn this answer: the end of the hours it is allowed
 * in, or the next time it is; 0 when it never will by itself. */
static int64_t turns_at(const struct policy_reach *r)
{
	return !r->known ? 0 : r->allowed ? r->until : r->next;
}

/* Keeps the answers gone() does not drop, and the first time one left may
 * turn. */
static void drop_kept(struct worklist_state *st, bool (*gone)(const struct kept_reach *, const void *),
                      const void *arg)
{
	int n = 0;

	st->kept_until = 0;
	for (int i = 0; i < st->nkept; i++) {
		int64_t t = turns_at(&st->kept[i].reach);

		if (gone(&st->kept[i], arg))
			continue;
		st->kept[n++] = st->kept[i];
		if (t && (!st->kept_until || t < st->kept_until))
			st->kept_until = t;
	}
	st->nkept = n;
}

static bool turned(const struct kept_reach *k, const void *now)
{
	int64_t t = turns_at(&k->reach);

	return t && *(const int64_t *)now >= t;
}

struct changed_set {
	const long long *ids, *debtors; /* both sorted */
	int nids, ndebtors;
};

static bool touched(const struct kept_reach *k, const void *arg)
{
	const struct changed_set *c = arg;

	return bsearch(&k->id, c->ids, (size_t)c->nids, sizeof *c->ids, ll_cmp) ||
	       bsearch(&k->debtor, c->debtors, (size_t)c->ndebtors, sizeof *c->debtors, ll_cmp);
}

/* A change announced on an account may turn the answers of every account of
 * its debtor (a contact logged on one counts on the others): those are
 * forgotten, the others kept. When the debtors cannot be read, all are. */
static void forget_changed(struct ui *ui, struct worklist_state *st)
{
	struct changed_set c = { .ids = st->changed, .nids = st->nchanged };
	long long *debtors;

	if (!st->nchanged)
		return;
	qsort(st->changed, (size_t)st->nchanged, sizeof *st->changed, ll_cmp);
	if (!worklist_debtors_of(ui->db, st->changed, st->nchanged, &debtors, &c.ndebtors)) {
		forget_reach(st);
		return;
	}
	c.debtors = debtors;
	drop_kept(st, touched, &c);
	free(debtors);
	free(st->changed);
	st->changed = NULL;
	st->nchanged = 0;
}

/* Notes an account announced as changed, or forgets every answer when the
 * announcement names none. */
static void note_changed(struct worklist_state *st, const char *payload)
{
	char *end;
	long long id = strtoll(payload, &end, 10);

	if (!payload[0] || *end || id <= 0) {
		forget_reach(st);
		return;
	}
	/* A burst of changes to many accounts: at some point all is cheaper. */
	if (st->nchanged >= 10000) {
		forget_reach(st);
		return;
	}
	st->changed = xrealloc(st->changed, (size_t)(st->nchanged + 1) * sizeof *st->changed);
	st->changed[st->nchanged++] = id;
}

static void keep_reach(struct worklist_state *st, const struct worklist_member *m, const struct policy_reach *reach,
                       int n)
{
	st->kept = xrealloc(st->kept, (size_t)(st->nkept + n + 1) * sizeof *st->kept);
	for (int i = 0; i < n; i++) {
		int64_t t = turns_at(&reach[i]);

		if (!reach[i].known)
			continue; /* asked again next time */
		st->kept[st->nkept++] =
			(struct kept_reach){ .id = m[i].account_id, .debtor = m[i].debtor_id, .reach = reach[i] };
		if (t && (!st->kept_until || t < st->kept_until))
			st->kept_until = t;
	}
	qsort(st->kept, (size_t)st->nkept, sizeof *st->kept, kept_cmp);
}

/* Answers "may we call now?" for every account of the worklist, asking the
 * database only about those whose answer is not kept, counts those that may,
 * and gives each loaded row its answer. */
static void judge(struct ui *ui, struct worklist_state *st)
{
	int n = st->list.count, nall = 0, nask = 0;
	struct worklist_member *all = NULL, *asked;
	long long *ask;
	struct policy_reach *fresh;
	int64_t now = ui_now();
	char err[256];

	free(st->reach);
	st->reach = xcalloc((size_t)n + 1, sizeof *st->reach);
	st->callable = -1;
	if (!ui_policy(ui))
		return;
	if (st->kept_until && now >= st->kept_until)
		drop_kept(st, turned, &now);
	forget_changed(ui, st);
	if (!worklist_members(ui->db, &all, &nall))
		return;
	ask = xcalloc((size_t)nall + 1, sizeof *ask);
	asked = xcalloc((size_t)nall + 1, sizeof *asked);
	for (int i = 0; i < nall; i++)
		if (!kept_find(st, all[i].account_id)) {
			asked[nask] = all[i];
			ask[nask++] = all[i].account_id;
		}
	fresh = xcalloc((size_t)nask + 1, sizeof *fresh);
	if (nask == 0 || policy_reach_calls(ui->db, ui_policy(ui), ask, nask, now, fresh, err, sizeof err)) {
		const struct kept_reach *k;

		keep_reach(st, asked, fresh, nask);
		st->callable = 0;
		for (int i = 0; i < nall; i++)
			st->callable += (k = kept_find(st, all[i].account_id)) && k->reach.allowed;
		for (int i = 0; i < n; i++)
			if ((k = kept_find(st, st->list.rows[i].account_id)))
				st->reach[i] = k->reach;
	}
	free(fresh);
	free(asked);
	free(ask);
	free(all);
}

extern const struct screen_ops worklist_screen;

/* On top, as it is from its enter() on. */
static bool on_top(const struct ui *ui)
{
	return ui_top(ui) == &worklist_screen;
}

static int cmp_id(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

static bool visited(const struct worklist_state *st, long long id)
{
	return st->nvisited && bsearch(&id, st->visited, (size_t)st->nvisited, sizeof id, cmp_id);
}

static void visit(struct worklist_state *st, long long id)
{
	if (visited(st, id))
		return;
	st->visited = xrealloc(st->visited, (size_t)(st->nvisited + 1) * sizeof *st->visited);
	st->visited[st->nvisited++] = id;
	qsort(st->visited, (size_t)st->nvisited, sizeof *st->visited, cmp_id);
}

/* The row `n` opens: the first in working order not opened since cobro
 * started, that may be called now (or whose answer is not known); when
 * none of the rows loaded may, the first of them not opened. -1 when every
 * row loaded has been opened. */
static int next_row(const struct worklist_state *st)
{
	int first = -1;

	for (int i = 0; i < st->list.count; i++) {
		if (visited(st, st->list.rows[i].account_id))
			continue;
		if (!st->reach[i].known || st->reach[i].allowed)
			return i;
		if (first < 0)
			first = i;
	}
	return first;
}

/* A new account under the cursor, or a new one next for `n`: read them
 * ahead once the person rests. */
static void aim(struct ui *ui, struct worklist_state *st)
{
	int at = list_selected(&st->table);
	long long id = at >= 0 && at < st->list.count ? st->list.rows[at].account_id : 0;
	int next = next_row(st);
	long long next_id = next >= 0 ? st->list.rows[next].account_id : 0;

	if (id == st->aimed && next_id == st->aimed_next)
		return;
	if (id != st->aimed)
		st->aimed_at = ui_clock();
	st->aimed = id;
	st->aimed_next = next_id;
	st->ahead_due = id > 0 || next_id > 0;
	if (st->ahead_due)
		ui_wake(ui, ui_clock() + WORKLIST_AHEAD_REST);
}

/* Reads ahead the account under the cursor (when the worklist is seen) and
 * the one `n` would open, once the person has paused. */
static void read_ahead(struct ui *ui, struct worklist_state *st)
{
	int next = next_row(st);

	/* Woken early (by another's wake-up) or keys waiting: not resting yet. */
	if (ui_clock() - st->aimed_at < WORKLIST_AHEAD_REST || !ui_resting(ui, WORKLIST_AHEAD_REST)) {
		ui_wake(ui, ui_clock() + WORKLIST_AHEAD_REST);
		return;
	}
	st->ahead_due = false;
	if (on_top(ui))
		account_screen_ahead(ui, st->aimed);
	if (next >= 0)
		account_screen_ahead(ui, st->list.rows[next].account_id);
}

/* Whether a search or a filter narrows the list. */
static bool filtered(const struct worklist_state *st)
{
	return st->search[0] || st->bucket || st->segment[0] || st->promise[0] || st->jurisdiction[0];
}

/* The worklist's own status: how many accounts, how many callable now, both
 * of the whole worklist (or of the whole search), never of the rows loaded. */
static void say_count(struct ui *ui, const struct worklist_state *st)
{
	unsigned long n = (unsigned long)st->list.total;
	char work[96];

	snprintf(work, sizeof work, ngettext("%lld account to work", "%lld accounts to work", n),
		 st->list.total);
	if (filtered(st))
		ui_status(
		    ui, false,
		    ngettext(
			"%lld account matches (f to change the filter, / with nothing to clear the search)",
			"%lld accounts match (f to change the filter, / with nothing to clear the search)",
			n),
		    st->list.total);
	else if (st->callable >= 0)
		ui_status(ui, false,
			  ngettext("%s, %d may be called now", "%s, %d may be called now",
				   (unsigned long)st->callable),
			  work, st->callable);
	else
		ui_status(ui, false, "%s", work);
}

static void load(struct ui *ui, struct worklist_state *st)
{
	struct worklist fresh;
	struct worklist_query q = {
		.search = st->search, .dpd_bucket = st->bucket, .segment = st->segment,
		.promise = st->promise, .jurisdiction = st->jurisdiction,
	};

	if (ui->offline)
		return;
	if (st->want < WORKLIST_PAGE)
		st->want = WORKLIST_PAGE;
	if (!worklist_fetch_query(ui->db, &ui->conf->weights, &q, 0, st->want, &fresh)) {
		ui_status(ui, true, _("Could not load the worklist: %s"), ui->db->err);
		return;
	}
	worklist_free(&st->list);
	st->list = fresh;
	st->loaded = true;
	st->loaded_at = ui_clock();
	st->due = false;
	ui->own_changes = false; /* read with the list */
	st->steady_until = 0;    /* asked once the person rests */
	ui_wake(ui, ui_clock() + WORKLIST_AHEAD_REST);
	judge(ui, st);
	list_count(&st->table, st->list.count);
	aim(ui, st);
	/* Underneath another screen, reload quietly: the status line is theirs. */
	if (on_top(ui))
		say_count(ui, st);
}

/* When a reload asked for may come: reloads come no closer than the gap,
 * so that a busy team's changes never keep the database and the collector
 * busy, and a burst of notifications is one reload. */
static double reload_at(const struct worklist_state *st, bool top)
{
	return st->loaded_at + (top ? WORKLIST_RELOAD_GAP : WORKLIST_HIDDEN_GAP);
}

/* Whether `n` may pick from the rows as loaded, without reading them again:
 * nothing was announced since, the clock has not reached a next action
 * falling due or midnight, and no answer to "may we call?" has turned. */
static bool steady(const struct ui *ui, const struct worklist_state *st)
{
	return st->loaded && !st->due && !st->stale && !ui->own_changes && st->steady_until > 0 &&
	       ui_clock() < st->steady_until && (!st->kept_until || ui_now() < st->kept_until);
}

/* Asks how long the order holds by the clock, once the person rests; when
 * that time comes, the list is read again like any change. */
static void watch_clock(struct ui *ui, struct worklist_state *st, bool top)
{
	double secs;

	if (st->steady_until > 0 && ui_clock() >= st->steady_until) {
		st->steady_until = 0;
		st->due = true;
		st->stale |= !top;
		ui_wake(ui, reload_at(st, top));
		return;
	}
	if (!st->loaded || st->steady_until > 0 || st->due || ui->offline)
		return;
	if (!ui_resting(ui, WORKLIST_AHEAD_REST)) {
		ui_wake(ui, ui_clock() + WORKLIST_AHEAD_REST);
		return;
	}
	if (worklist_steady_for(ui->db, &secs) && secs > 0) {
		st->steady_until = ui_clock() + secs;
		ui_wake(ui, st->steady_until + 0.01);
	}
}

static bool search_typed(struct ui *ui, void *state, const char *text)
{
	struct worklist_state *st = state;

	if (strlen(text) >= sizeof st->search) {
		prompt_say(&ui->prompt, _("Too long"));
		return false;
	}
	snprintf(st->search, sizeof st->search, "%s", text);
	list_select(&st->table, 0);
	load(ui, st);
	return true;
}

static void bucket_chosen(struct ui *ui, void *state, int choice)
{
	struct worklist_state *st = state;

	st->bucket = choice;
	list_select(&st->table, 0);
	load(ui, st);
}

static void promise_chosen(struct ui *ui, void *state, int choice)
{
	struct worklist_state *st = state;

	snprintf(st->promise, sizeof st->promise, "%s", choice == 0 ? "" : worklist_promise_states[choice - 1].value);
	list_select(&st->table, 0);
	load(ui, st);
}

static bool segment_typed(struct ui *ui, void *state, const char *text)
{
	struct worklist_state *st = state;
	const char *code = label_code(LABEL_SEGMENT, text);

	/* Typed as shown ("media") or as stored ("mid"). */
	snprintf(st->segment, sizeof st->segment, "%s", code ? code : text);
	list_select(&st->table, 0);
	load(ui, st);
	return true;
}

/* A jurisdiction the filter takes: shaped like one ("CO", "US-MA") and, when
 * the contact policy is loaded, one it has rules for, or a subdivision of
 * one. A code no account can have would only show an empty list. */
static bool jurisdiction_known(struct ui *ui, const char *code)
{
	const struct policy *p = ui_policy(ui);
	char country[3];

	if (!holiday_id_ok(code) || !strcmp(code, "*"))
		return false;
	if (!p)
		return true;
	snprintf(country, sizeof country, "%s", code);
	return policy_has_jurisdiction(p, code) || policy_has_jurisdiction(p, country);
}

static bool jurisdiction_typed(struct ui *ui, void *state, const char *text)
{
	struct worklist_state *st = state;

	char code[sizeof st->jurisdiction], msg[160];

	if (strlen(text) >= sizeof code) {
		prompt_say(&ui->prompt, _("A jurisdiction is a code like CO or US-MA"));
		return false;
	}
	snprintf(code, sizeof code, "%s", text);
	for (char *c = code; *c; c++)
		if (*c >= 'a' && *c <= 'z')
			*c = (char)(*c - 'a' + 'A');
	if (code[0] && !jurisdiction_known(ui, code)) {
		snprintf(msg, sizeof msg, _("Unknown jurisdiction %s: a code like CO or US-MA"), code);
		prompt_say(&ui->prompt, msg);
		return false;
	}
	memcpy(st->jurisdiction, code, sizeof code);
	list_select(&st->table, 0);
	load(ui, st);
	return true;
}

static void filter_chosen(struct ui *ui, void *state, int choice)
{
	struct worklist_state *st = state;
	const char *items[MENU_MAX_ITEMS];
	int n = 0;

	switch (choice) {
	case 0:
		for (int i = 0; i < worklist_nbuckets && n < MENU_MAX_ITEMS; i++)
			items[n++] = worklist_buckets[i].label;
		ui_menu_open(ui, _("Days past due"), items, n, bucket_chosen, st);
		break;
	case 1:
		ui_prompt_open(ui, _("Segment (empty for any):"), label(LABEL_SEGMENT, st->segment),
			       segment_typed, st);
		break;
	case 2:
		items[n++] = N_("Any");
		for (int i = 0; i < worklist_npromise_states && n < MENU_MAX_ITEMS; i++)
			items[n++] = worklist_promise_states[i].label;
		ui_menu_open(ui, _("Promise"), items, n, promise_chosen, st);
		break;
	case 3:
		ui_prompt_open(ui, _("Jurisdiction (CO, PE, US-MA...; empty for any):"), st->jurisdiction,
		               jurisdiction_typed, st);
		break;
	default:
		st->bucket = 0;
		st->segment[0] = st->promise[0] = st->jurisdiction[0] = st->search[0] = '\0';
		load(ui, st);
	}
}

static void account_row(const struct list *l, WINDOW *w, int y, int i, bool selected, void *ctx);

static void *worklist_enter(struct ui *ui, void *arg)
{
	struct worklist_state *st = xcalloc(1, sizeof *st);

	(void)arg;
	approvals_offer(ui);
	review_offer(ui);
	reassign_offer(ui);
	layout_worklist(0, st->columns); /* the titles; the widths once laid out */
	list_init(&st->table, st->columns, WL_COLUMNS, 1, true, account_row, st);
	load(ui, st);
	return st;
}

static void worklist_lay_out(struct ui *ui, void *state, int rows, int cols)
{
	struct worklist_state *st = state;

	(void)ui;
	layout_worklist(cols, st->columns);
	/* The promise's and the segment's words whole, in either language. */
	if (st->columns[WL_PROMISE].width < label_widest(LABEL_PROMISE_STATUS))
		st->columns[WL_PROMISE].width = label_widest(LABEL_PROMISE_STATUS);
	if (st->columns[WL_SEGMENT].width < label_widest(LABEL_SEGMENT))
		st->columns[WL_SEGMENT].width = label_widest(LABEL_SEGMENT);
	/* "Their time", "Hora deudor": the title is read whole, in any language. */
	if (text_width(_(st->columns[WL_CALL].title)) > st->columns[WL_CALL].width)
		st->columns[WL_CALL].width = text_width(_(st->columns[WL_CALL].title));
	list_layout(&st->table, 0, 0, rows, cols);
}

/* Seen again, the screen above it gone: what this workstation changed shows
 * at once; what others changed while it was covered follows the first paint.
 * The message went with the screen above; the worklist says its own. */
static void worklist_resume(struct ui *ui, void *state)
{
	struct worklist_state *st = state;

	if (ui->own_changes) {
		st->stale = ui->own_changes = false;
		load(ui, st);
	} else if (st->stale) {
		st->stale = false;
		st->due = true;
		ui_wake(ui, ui_clock());
	}
	if (!ui->status[0] && st->loaded)
		say_count(ui, st);
}

static void worklist_leave(struct ui *ui, void *state)
{
	struct worklist_state *st = state;

	(void)ui;
	account_screen_forget(); /* leaving the worklist is leaving cobro */
	approvals_forget();
	review_forget();
	worklist_free(&st->list);
	free(st->reach);
	forget_reach(st);
	free(st->visited);
	free(st);
}

/* "$" alone is the dollar's and three pesos': rows in several currencies
 * write each amount with its own symbol (US$, MX$, CLP$, COL$), rows in one
 * the market's own. Scanned until two differ, so a mixed list costs a
 * few comparisons a row. */
static enum money_form money_form(const struct worklist_state *st)
{
	struct money_mix m = { 0 };

	for (int i = 0; i < st->list.count && !m.mixed; i++)
		money_mix_add(&m, st->list.rows[i].currency);
	return money_mix_form(&m);
}

static void account_row(const struct list *l, WINDOW *w, int y, int i, bool selected, void *ctx)
{
	const struct worklist_state *st = ctx;
	const struct worklist_row *r = &st->list.rows[i];
	const struct policy_reach *reach = &st->reach[i];
	bool dim = !selected && reach->known && !reach->allowed;
	char cell[64];

	/* The cursor's colour stays on its row: the cells' own give way. */
	list_cell(l, w, y, WL_DEBTOR, r->debtor);
	snprintf(cell, sizeof cell, "%d", r->dpd);
	if (!selected && r->dpd > 90)
		ui_color_on(w, COLOR_OVERDUE);
	list_cell(l, w, y, WL_DPD, cell);
	if (!selected)
		ui_color_off(w, COLOR_OVERDUE);
	list_cell(l, w, y, WL_BALANCE, money_format_as(cell, sizeof cell, r->balance, r->currency, money_form(st)));
	if (!selected)
		ui_color_on(w, ui_tone_color(label_tone(LABEL_PROMISE_STATUS, r->promise)));
	list_cell(l, w, y, WL_PROMISE, label(LABEL_PROMISE_STATUS, r->promise));
	if (!selected)
		ui_color_off(w, COLOR_NORMAL);
	/* Narrow terminals get the date alone ("YYYY-MM-DD", the first ten of
	 * the database's ASCII "YYYY-MM-DD HH:MM") rather than a cut-off time. */
	snprintf(cell, sizeof cell, "%s", r->last_contact);
	if (l->laid.width[WL_CONTACTED] < 16 && strlen(cell) > 10)
		cell[10] = '\0';
	list_cell(l, w, y, WL_CONTACTED, cell);
	cell[0] = '\0';
	if (reach->known && reach->allowed)
		snprintf(cell, sizeof cell, "%s", _("now"));
	else if (reach->known && reach->next)
		ui_when(cell, sizeof cell, reach->zone, reach->next);
	else if (reach->known)
		snprintf(cell, sizeof cell, "%s", _("never"));
	if (dim)
		ui_color_on(w, COLOR_DIM);
	list_cell(l, w, y, WL_CALL, cell);
	if (dim)
		ui_color_off(w, COLOR_DIM);
	list_cell(l, w, y, WL_SEGMENT, label(LABEL_SEGMENT, r->segment));
}

static void worklist_draw(struct ui *ui, void *state, WINDOW *w, int rows, int cols)
{
	struct worklist_state *st = state;

	(void)rows;
	list_draw(&st->table, w);
	if (st->loaded && st->list.count == 0)
		ui_put(w, 2, 2, cols - 4,
		       filtered(st) ? _("No account matches the search and filters (f to change them, / with nothing to "
		                        "clear the search).")
		       /* A supervisor's or lead's work is often their team's promises. */
		       : approvals_for(&ui->me) ? _("No accounts to work. Press r to reload, or A to approve promises.")
		                                : _("No accounts to work. Press r to reload."));
}

static void open_row(struct ui *ui, struct worklist_state *st, int row)
{
	list_select(&st->table, row);
	st->opened = st->list.rows[row].account_id;
	visit(st, st->opened);
	ui_push(ui, &account_screen, &st->opened);
	aim(ui, st); /* the next one, while this one is worked */
}

static enum ui_reaction worklist_action(struct ui *ui, void *state, enum ui_action a)
{
	struct worklist_state *st = state;
	int to;

	switch (a) {
	case ACTION_LAST:
		if (st->list.count < st->list.total) {
			st->want = (int)(st->list.total < 100000 ? st->list.total : 100000);
			load(ui, st);
		}
		list_select(&st->table, st->list.count - 1);
		break;
	case ACTION_REFRESH:
		forget_reach(st); /* asked for: everything again */
		load(ui, st);
		return UI_REDRAW;
	case ACTION_SEARCH:
		ui_prompt_open(ui, _("Search (name, reference, phone, national id):"), st->search, search_typed, st);
		return UI_REDRAW;
	case ACTION_FILTER: {
		static const char *const by[] = { N_("Days past due"), N_("Segment"), N_("Promise"),
			                           N_("Jurisdiction"), N_("Clear search and filters") };

		ui_menu_open(ui, _("Filter by"), by, (int)ARRAY_SIZE(by), filter_chosen, st);
		return UI_REDRAW;
	}
	case ACTION_OPEN:
		if (st->list.count == 0)
			return UI_HANDLED;
		open_row(ui, st, list_selected(&st->table));
		return UI_REDRAW;
	case ACTION_APPROVALS:
		approvals_open(ui);
		return UI_REDRAW;
	case ACTION_REASSIGN:
		reassign_open(ui); /* or says it is not theirs */
		return UI_REDRAW;
	case ACTION_NEXT_ACCOUNT: {
		/* The best account now not opened yet: the rows as
		 * loaded when nothing changed them since (steady()), else read
		 * again, the answers to "may we call?" only where something
		 * changed (judge()). */
		int next;

		if (!steady(ui, st))
			load(ui, st);
		/* Past the rows loaded when every one of them was opened. */
		while ((next = next_row(st)) < 0 && st->list.count < st->list.total && !ui->offline) {
			int had = st->list.count;

			st->want = (st->list.count / WORKLIST_PAGE + 1) * WORKLIST_PAGE;
			load(ui, st);
			if (st->list.count <= had)
				break;
		}
		if (next < 0) {
			ui_status(ui, false, "%s",
				  _("Every account loaded has been opened: move down the list, or press Enter on one"));
			return UI_HANDLED;
		}
		open_row(ui, st, next);
		return UI_REDRAW;
	}
	default:
		if (!list_target(&st->table, a, &to))
			return UI_UNHANDLED;
		/* Rows are read a page at a time: past the last one read, the
		 * next pages. */
		if (to >= st->list.count && st->list.count < st->list.total) {
			st->want = (to / WORKLIST_PAGE + 1) * WORKLIST_PAGE;
			load(ui, st);
		}
		list_select(&st->table, to);
	}
	aim(ui, st);
	return UI_REDRAW;
}

static enum ui_reaction worklist_notify(struct ui *ui, void *state, const char *channel, const char *payload)
{
	struct worklist_state *st = state;
	bool top = on_top(ui);

	/* The worklist is under every screen, so it hears every notification:
	 * an account read ahead that changed, or whose lease changed hands, is
	 * dropped, and read again once the person rests. */
	approvals_heard(ui, channel, payload); /* a decision on one of the person's promises */
	review_heard(ui, channel, payload);    /* a supervisor's decision on one of their accounts */
	if (account_screen_heard(ui, channel, payload) && st->list.count > 0) {
		st->aimed = st->aimed_next = 0;
		aim(ui, st);
	}
	if (!strcmp(channel, NOTIFY_ACCOUNT))
		note_changed(st, payload ? payload : "");
	else if (!strcmp(channel, NOTIFY_POLICY) || !strcmp(channel, UI_NOTIFY_RECONNECTED))
		forget_reach(st);
	if (!strcmp(channel, UI_NOTIFY_DUE)) {
		enum ui_reaction r = UI_HANDLED;

		if (st->due) {
			double at = reload_at(st, top), now = ui_clock();

			/* Under another screen, quietly and once the person paused. */
			if (now >= at && (top || ui_resting(ui, WORKLIST_HIDDEN_REST))) {
				load(ui, st);
				st->stale = false;
				r = top ? UI_REDRAW : UI_HANDLED;
			} else {
				if (!top && ui->key_at + WORKLIST_HIDDEN_REST > at)
					at = ui->key_at + WORKLIST_HIDDEN_REST;
				ui_wake(ui, at > now ? at : now + WORKLIST_HIDDEN_REST);
			}
		}
		watch_clock(ui, st, top);
		if (st->ahead_due)
			read_ahead(ui, st);
		/* After the reload's count, which would hide it; under
		 * another screen the worklist says nothing. */
		if (!top || !st->due) {
			approvals_news(ui);
			review_news(ui);
		}
		return r;
	}
	/* Any account change may move rows; so may the clock, which
	 * watch_clock() and the kept answers' turning times follow, and the
	 * tick reloads the list on top besides. Leases move none and are not
	 * heard. On top, this workstation's own changes were read with them
	 * (ui->own_changes); under the account they were made on, they are read
	 * like anyone's, so that `n` finds the list ready. */
	if (!strcmp(channel, NOTIFY_LEASE) || (top && ui->notify_own) || (!top && !strcmp(channel, UI_NOTIFY_TICK)))
		return UI_HANDLED;
	st->due = true;
	st->stale |= !top;
	ui_wake(ui, reload_at(st, top));
	return UI_HANDLED;
}

static const struct keybind worklist_binds[] = {
	{ '\n', ACTION_OPEN }, { KEY_ENTER, ACTION_OPEN }, { 'n', ACTION_NEXT_ACCOUNT },
	{ '/', ACTION_SEARCH }, { 'f', ACTION_FILTER }, { 'A', ACTION_APPROVALS },
	{ 'a', ACTION_REASSIGN },
};
/* A collector is offered no approvals (approvals_offer()) nor review queues
 * (their R is hidden): the bar leaves them out. */
static const char *const worklist_bar[] = { "help", "open", "next_account", "search", "filter", "approvals",
	                                    "review", "refresh", "quit", NULL };

static const struct keymap worklist_keys = {
	.binds = worklist_binds,
	.count = (int)ARRAY_SIZE(worklist_binds),
	.bar = worklist_bar,
};

/* The account the collector will most likely open first is the one under
 * the cursor: read it ahead now, so that opening it is quick. */
static void worklist_idle(struct ui *ui, void *state)
{
	struct worklist_state *st = state;

	aim(ui, st);
	st->aimed_at -= WORKLIST_AHEAD_REST; /* the first screen: no need to rest */
	read_ahead(ui, st);
}

const struct screen_ops worklist_screen = {
	.name = "worklist",
	.title = N_("Worklist"),
	.keymap = &worklist_keys,
	.enter = worklist_enter,
	.leave = worklist_leave,
	.layout = worklist_lay_out,
	.draw = worklist_draw,
	.action = worklist_action,
	.notify = worklist_notify,
	.resume = worklist_resume,
	.idle = worklist_idle,
};
