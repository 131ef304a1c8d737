#include "layout.h"

#include <string.h>

/* Marks a column title for translation (xgettext -kN_); drawing translates it. */
#define N_(s) (s)

static int at_least(int v, int lo)
{
	return v < lo ? lo : v;
}

void layout_frame(int lines, int cols, struct frame *f)
{
	f->title = 0;
	f->body = 1;
	f->rows = at_least(lines - 3, 0);
	f->prompt_error = lines - 3;
	f->status = lines - 2;
	f->keybar = lines - 1;
	f->cols = at_least(cols, 0);
}

void layout_columns(const struct column *c, int n, int cols, int margin, struct columns *out)
{
	int fixed = 0, flex = 0, x = 0;

	if (n > LAYOUT_MAX_COLUMNS)
		n = LAYOUT_MAX_COLUMNS;
	out->n = n;
	for (int i = 0; i < n; i++) {
		fixed += c[i].gap + c[i].width;
		flex += c[i].width == 0;
	}
	for (int i = 0; i < n; i++) {
		int w = c[i].width;

		/* What is left goes to the flexible columns, shared evenly. */
		if (w == 0)
			w = at_least((cols - margin - fixed) / (flex ? flex : 1), c[i].min);
		x += c[i].gap;
		out->x[i] = x;
		/* Cut at the screen's edge, not past it. */
		out->width[i] = x >= cols ? 0 : x + w > cols ? cols - x : w;
		x += w;
	}
}

void layout_worklist(int cols, struct column c[WL_COLUMNS])
{
	static const struct column base[WL_COLUMNS] = {
		[WL_DEBTOR] = { N_("Debtor"), 0, 12, 0, false },
		[WL_DPD] = { N_("DPD"), 4, 0, 1, true },
		/* "COL$3.012.000,00": a peso's amount in millions, with the
		 * symbol that tells it from the dollar's. */
		[WL_BALANCE] = { N_("Balance"), 16, 0, 1, true },
		[WL_PROMISE] = { N_("Promise"), 9, 0, 1, false },
		[WL_CONTACTED] = { N_("Contacted"), 16, 0, 1, false },
		/* When the contact policy next lets a call through, on the
		 * debtor's clock (Chile's 08:00 is Peru's 07:00): the title says
		 * whose, and the screen widens the column to its translation. */
		[WL_CALL] = { N_("Their time"), 9, 0, 1, false },
		[WL_SEGMENT] = { N_("Segment"), 9, 0, 1, false },
	};

	memcpy(c, base, sizeof base);
	if (cols < 90)
		c[WL_CONTACTED].width = 10; /* the date alone rather than a cut time */
}

void layout_account(int rows, int naccounts, int ninstallments, int npayments, int npromises,
                    struct account_layout *l)
{
	int y, end = rows;

	memset(l, 0, sizeof *l);
	l->header = 0;
	l->accounts = 7;
	l->naccounts = naccounts < ACCOUNT_ACCOUNTS_ROWS ? naccounts : ACCOUNT_ACCOUNTS_ROWS;
	y = l->accounts + l->naccounts + 1;

	l->history_title = y;
	l->history = y + 1;
	l->nhistory = at_least(end - l->history, 0);

	/* The money: its three titles, and the rows left shared out a row at
	 * a time to each part that has more, so that none crowds out the
	 * others (a plan of installments under the promises, a long schedule
	 * of the account's own). */
	{
		int want[3] = { ninstallments, npayments, npromises }, give[3] = { 0, 0, 0 };
		int left = end - y - 3;

		for (bool more = true; more && left > 0;) {
			more = false;
			for (int p = 0; p < 3 && left > 0; p++)
				if (give[p] < want[p]) {
					give[p]++;
					left--;
					more = true;
				}
		}
		l->installments_title = y++;
		l->installments = y;
		l->ninstallments = give[0];
		y += give[0];
		l->payments_title = y++;
		l->payments = y;
		l->npayments = give[1];
		y += give[1];
		l->promises_title = y++;
		l->promises = y;
		l->npromises = give[2];
	}
	if (l->installments_title >= end)
		l->installments_title = -1;
	if (l->payments_title >= end)
		l->payments_title = -1;
	if (l->promises_title >= end)
		l->promises_title = -1;
}

void layout_send(int rows, int ntemplates, bool subject, int nproblem, struct send_layout *l)
{
	int room = (rows - 11) / 2;

	l->to = 1;
	l->policy = 2;
	l->list_title = 3;
	l->list = 4;
	l->nlist = ntemplates < 1 ? 1 : ntemplates;
	if (l->nlist > room)
		l->nlist = room < 1 ? 1 : room;
	l->preview_title = l->list + l->nlist;
	l->subject = subject ? l->preview_title + 1 : -1;
	l->preview = l->preview_title + 1 + (subject ? 1 : 0);
	l->nproblem = nproblem > 1 && rows - l->preview > 4 ? 2 : 1;
	l->problem = rows - l->nproblem;
	l->npreview = at_least(l->problem - l->preview, 0);
}

int layout_approvals_columns(int cols, struct column c[AP_COLUMNS])
{
	static const struct column base[AP_COLUMNS] = {
		[AP_REFERENCE] = { N_("Account"), 12, 0, 0, false },
		[AP_DEBTOR] = { N_("Debtor"), 0, 10, 1, false },
		[AP_AGENT] = { N_("Agent"), 8, 0, 1, false },
		[AP_AMOUNT] = { N_("Amount"), 16, 0, 1, true },
		[AP_PLAN] = { N_("Plan"), 14, 0, 1, false },
		[AP_LIMITS] = { N_("Outside the limits"), 0, 10, 1, false },
	};

	memcpy(c, base, sizeof base);
	return cols >= APPROVALS_LIMITS_COLS ? AP_COLUMNS : AP_COLUMNS - 1;
}

void layout_approvals(int rows, struct approvals_layout *l)
{
	int detail = 1 + APPROVALS_DETAIL_LINES;

	memset(l, 0, sizeof *l);
	l->list = 0;
	/* The header and a row at least, then a blank line before the detail. */
	if (rows >= 2 + 1 + detail) {
		l->nlist = rows - 1 - detail;
		l->detail_title = l->nlist + 1;
		l->detail = l->detail_title + 1;
		l->ndetail = APPROVALS_DETAIL_LINES;
	} else {
		l->nlist = at_least(rows, 0);
		l->detail_title = l->detail = -1;
	}
}

void layout_review_columns(struct column d[RD_COLUMNS], struct column p[RP_COLUMNS])
{
	static const struct column disputes[RD_COLUMNS] = {
		[RD_REFERENCE] = { N_("Account"), 16, 0, 0, false },
		[RD_DEBTOR] = { N_("Debtor"), 0, 10, 1, false },
		[RD_AGENT] = { N_("Agent"), 8, 0, 1, false },
		[RD_BALANCE] = { N_("Balance"), 16, 0, 1, true },
		[RD_RAISED] = { N_("Raised"), 11, 0, 1, false },
		[RD_BY] = { N_("By"), 8, 0, 1, false },
	};
	static const struct column points[RP_COLUMNS] = {
		[RP_POINT] = { N_("Contact point"), 16, 0, 0, false },
		[RP_DEBTOR] = { N_("Debtor"), 0, 10, 1, false },
		[RP_AGENT] = { N_("Agent"), 8, 0, 1, false },
		[RP_MARKED] = { N_("Marked"), 11, 0, 1, false },
		[RP_BY] = { N_("By"), 8, 0, 1, false },
	};

	memcpy(d, disputes, sizeof disputes);
	memcpy(p, points, sizeof points);
}

void layout_review(int rows, struct review_layout *l)
{
	int detail = 1 + REVIEW_DETAIL_LINES;

	memset(l, 0, sizeof *l);
	l->tabs = 0;
	l->list = 2;
	/* The sections, a blank, the header and a row at least, then a
	 * blank line before the detail. */
	if (rows >= l->list + 2 + 1 + detail) {
		l->nlist = rows - l->list - 1 - detail;
		l->detail_title = l->list + l->nlist + 1;
		l->detail = l->detail_title + 1;
		l->ndetail = REVIEW_DETAIL_LINES;
	} else {
		l->nlist = at_least(rows - l->list, 0);
		l->detail_title = l->detail = -1;
	}
}

void layout_promise(int rows, int cols, int nfields, struct promise_layout *l)
{
	l->header = 0;
	l->money = 1;
	l->active = 2;
	l->field0 = 3;
	l->nfields = nfields;
	l->label_w = 14;
	l->input_x = l->label_w;
	l->input_w = 16;
	/* The message beside its field: what is left of the line. */
	l->message_x = l->input_x + l->input_w + 2;
	l->message_w = at_least(cols - l->message_x, 0);
	l->schedule_title = l->field0 + nfields + 1;
	l->schedule = l->schedule_title + 1;
	l->bottom = at_least(rows - 1, 0);
	l->nschedule = at_least(l->bottom - l->schedule, 0);
}

void layout_reassign(int rows, int cols, int nfields, struct reassign_layout *l)
{
	memset(l, 0, sizeof *l);
	l->header = 0;
	l->field0 = 1;
	l->nfields = nfields;
	l->label_w = 18;
	l->input_x = l->label_w;
	l->input_w = 20;
	l->message_x = l->input_x + l->input_w + 2;
	l->message_w = at_least(cols - l->message_x, 0);
	l->count = l->field0 + nfields;
	l->ncount = 2;
	l->mode = l->count + l->ncount;
	l->list = l->mode + 1;
	l->bottom = at_least(rows - 1, 0);
	l->detail = l->bottom - 1;
	/* The list's header and two targets before the detail has a line. */
	if (l->detail - l->list < 3) {
		l->detail = -1;
		l->nlist = at_least(l->bottom - l->list, 0);
	} else {
		l->nlist = l->detail - l->list;
	}
}

void layout_reassign_columns(int cols, struct column c[RT_COLUMNS])
{
	/* The name carries its mark: "[x] Ana Quispe Muñoz (ana)". */
	c[RT_NAME] = (struct column){ N_("Targets"), 0, 12, 1, false };
	c[RT_HOLDS] = (struct column){ N_("Has now"), 8, 0, 1, true };
	c[RT_GETS] = (struct column){ N_("Gets"), 6, 0, 1, true };
	/* The balance each gets: one currency whole at 80 columns, more wider. */
	c[RT_BALANCE] = (struct column){ N_("Balance it gets"), cols >= 100 ? cols / 2 - 10 : 24, 0, 2, true };
}

void layout_help(int rows, struct help_layout *l)
{
	l->title = 0;
	l->list = 2;
	l->nlist = at_least(rows - l->list, 0);
}

void layout_popup(int lines, int cols, int want_w, int want_h, struct popup *p)
{
	p->w = want_w < cols ? want_w : cols;
	p->h = want_h < lines - 2 ? want_h : lines - 2;
	p->w = at_least(p->w, 0);
	p->h = at_least(p->h, 0);
	p->y = (lines - p->h) / 2;
	p->x = (cols - p->w) / 2;
}

void layout_form(int lines, int cols, int nfields, struct form_layout *l)
{
	l->w = at_least(cols < 60 ? cols - 2 : 58, 0);
	l->x = (cols - l->w) / 2;
	l->title = at_least(lines / 2 - 5, 0);
	l->subtitle = l->title + 1;
	l->label_w = 12;
	l->field0 = l->title + 3;
	l->step = 2;
	l->message = l->field0 + nfields * l->step + 1;
	l->hint = l->message + 2;
}

int layout_dashboard_columns(int cols, struct column c[DC_COLUMNS], int ids[DC_COLUMNS])
{
	static const struct column base[DC_COLUMNS] = {
		[DC_AGENT] = { N_("Agent"), 8, 0, 0, false },
		[DC_NOW] = { N_("Now"), 15, 0, 1, false },
		[DC_ACCOUNTS] = { N_("Accts"), 5, 0, 1, true },
		[DC_CALLS] = { N_("Calls"), 5, 0, 1, true },
		[DC_RPC] = { N_("RPC"), 4, 0, 1, true },
		[DC_RPC_RATE] = { N_("RPC%"), 5, 0, 1, true },
		[DC_PROMISES] = { N_("Prom"), 4, 0, 1, true },
		[DC_PROMISED] = { N_("Promised"), 15, 0, 1, true },
		[DC_PROMISE_RATE] = { N_("P/RPC"), 5, 0, 1, true },
		[DC_KEPT_RATE] = { N_("Kept%"), 5, 0, 1, true },
		[DC_COLLECTED] = { N_("Collected"), 15, 0, 1, true },
		[DC_SMS] = { N_("SMS"), 4, 0, 1, true },
		[DC_EMAIL] = { N_("Email"), 6, 0, 1, true },
		[DC_WHATSAPP] = { N_("WA"), 4, 0, 1, true },
		[DC_AVG_TIME] = { N_("Avg"), 6, 0, 1, true },
		[DC_CPH] = { N_("C/h"), 5, 0, 1, true },
		[DC_HOURS] = { N_("Contacts by hour"), 16, 0, 2, false },
	};
	/* Which come first when the width is short: who, where, and the
	 * figures a supervisor watches through the day. */
	static const int priority[DC_COLUMNS] = {
		DC_AGENT, DC_NOW, DC_CALLS, DC_RPC, DC_RPC_RATE, DC_PROMISES, DC_PROMISED, DC_KEPT_RATE, DC_CPH,
		DC_ACCOUNTS, DC_PROMISE_RATE, DC_COLLECTED, DC_AVG_TIME, DC_SMS, DC_EMAIL, DC_WHATSAPP, DC_HOURS,
	};
	bool shown[DC_COLUMNS] = { false };
	int used = 0, n = 0;

	for (int i = 0; i < DC_COLUMNS; i++) {
		const struct column *k = &base[priority[i]];

		if (used + k->gap + k->width > cols)
			break; /* in order: a later column never jumps ahead of one left out */
		used += k->gap + k->width;
		shown[priority[i]] = true;
	}
	for (int i = 0; i < DC_COLUMNS; i++)
		if (shown[i]) {
			c[n] = base[i];
			ids[n++] = i;
		}
	if (n > 0)
		c[0].gap = 0;
	return n;
}

void layout_dashboard(int rows, struct dashboard_layout *l)
{
	int detail = 1 + DASHBOARD_DETAIL_LINES;

	memset(l, 0, sizeof *l);
	l->summary = 0;
	l->list = 1;
	/* The summary, the header and a row, the totals, then the detail. */
	if (rows >= 1 + 2 + 1 + detail) {
		l->nlist = rows - 1 - 1 - detail;
		l->totals = l->list + l->nlist;
		l->detail = l->totals + 2;
		l->ndetail = DASHBOARD_DETAIL_LINES;
	} else {
		l->nlist = at_least(rows - 2, 1);
		l->totals = l->list + l->nlist;
		l->detail = -1;
	}
}

void layout_drill(int rows, struct drill_layout *l)
{
	int left = at_least(rows - 3, 2);

	l->title = 0;
	l->accounts_title = 1;
	l->accounts = 2;
	l->naccounts = left / 2;
	l->events_title = l->accounts + l->naccounts;
	l->events = l->events_title + 1;
	l->nevents = at_least(left - l->naccounts, 1);
}
