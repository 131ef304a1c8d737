/* Where things go on the workstation's screens: pure functions of the
 * terminal's size (and of how many rows there are to show). They are
 * compiled where <curses.h> cannot be included and tested without a
 * terminal (tests/unit/test_layout.c); drawing code takes its lines,
 * columns and widths from here and only paints. */
#ifndef COBRO_LAYOUT_H
#define COBRO_LAYOUT_H

#include <stdbool.h>

/* ------------------------------------------------------------ the frame */

/* What every screen shares: the title on the top line, the screen's body,
 * the status line and the key bar at the bottom. A prompt takes the status
 * line, and its message the body's last line. */
struct frame {
	int title, body, rows, status, keybar, prompt_error;
	int cols;
};
void layout_frame(int lines, int cols, struct frame *f);

/* ------------------------------------------------------------- columns */

#define LAYOUT_MAX_COLUMNS 20

/* A column of a list, in terminal cells. */
struct column {
	const char *title; /* marked N_(), translated when drawn; NULL for none */
	int width;         /* cells; 0: what the other columns leave, at least min */
	int min;
	int gap;           /* blank cells before it; the first column's is its indent */
	bool right;        /* numbers and money line up on the right */
};

/* Where each column goes: x and width in cells. */
struct columns {
	int n;
	int x[LAYOUT_MAX_COLUMNS], width[LAYOUT_MAX_COLUMNS];
};

/* Lays n columns out in cols cells, keeping margin cells free at the right
 * edge. A column that would pass the edge is cut there (width 0 when it
 * starts past it). */
void layout_columns(const struct column *c, int n, int cols, int margin, struct columns *out);

/* ------------------------------------------------------------ worklist */

enum { WL_DEBTOR, WL_DPD, WL_BALANCE, WL_PROMISE, WL_CONTACTED, WL_CALL, WL_SEGMENT, WL_COLUMNS };
/* The worklist's columns at this width: the debtor's name takes what the
 * others leave; under 90 columns the last contact shows its date alone. */
void layout_worklist(int cols, struct column c[WL_COLUMNS]);

/* -------------------------------------------------------------- account */

/* The debtor's other accounts shown at most (the pane scrolls). */
#define ACCOUNT_ACCOUNTS_ROWS 4

struct account_layout {
	int header;                 /* the debtor: seven lines from here */
	int accounts, naccounts;    /* the debtor's accounts: first line, lines */
	/* The history pane: its title, then its rows. */
	int history_title, history, nhistory;
	/* The money pane: each part's title and rows; a title at -1 has no room. */
	int installments_title, installments, ninstallments;
	int payments_title, payments, npayments;
	int promises_title, promises, npromises;
};

/* The account screen in a body of rows lines: the debtor's seven lines (the
 * last but one where the account stands in its strategy), their
 * accounts, a blank line, then the history, or the money (installments,
 * payments and promises, each as many as fit and leave room for the next). */
void layout_account(int rows, int naccounts, int ninstallments, int npayments, int npromises,
                    struct account_layout *l);

/* ----------------------------------------------------------------- send */

struct send_layout {
	int to, policy, list_title, list, nlist, preview_title, subject, preview, npreview, problem, nproblem;
};

/* The send screen in a body of rows lines: the recipient, the verdict, the
 * templates (at most half of what is left), the preview (and the email's
 * subject) and the last line or two, what Enter would do or why it would
 * not (nproblem: the lines that message wants). */
void layout_send(int rows, int ntemplates, bool subject, int nproblem, struct send_layout *l);

/* ------------------------------------------------------------ approvals */

enum { AP_REFERENCE, AP_DEBTOR, AP_AGENT, AP_AMOUNT, AP_PLAN, AP_LIMITS, AP_COLUMNS };

/* The approval list's columns (titles marked N_()) in cols cells; the
 * debtor and the limits broken share what the others leave. Returns how
 * many show: below APPROVALS_LIMITS_COLS the limits are the detail's only. */
#define APPROVALS_LIMITS_COLS 100
int layout_approvals_columns(int cols, struct column c[AP_COLUMNS]);

/* The approval list in a body of rows lines: the promises (a header line
 * and a row each) above, and below them the one under the cursor in full
 * (a title and its lines: the amount, plan and discount, the limits it
 * breaks). On a body too short for both, the list keeps at least a row. */
#define APPROVALS_DETAIL_LINES 3
struct approvals_layout {
	int list, nlist;          /* first line (the header), lines with it */
	int detail_title, detail; /* -1 when there is no room for them */
	int ndetail;
};
void layout_approvals(int rows, struct approvals_layout *l);

/* --------------------------------------------------------------- review */

/* The review queues: the disputes' columns and the wrong contact points'
 * (titles marked N_()); the debtor takes what the others leave. */
enum { RD_REFERENCE, RD_DEBTOR, RD_AGENT, RD_BALANCE, RD_RAISED, RD_BY, RD_COLUMNS };
enum { RP_POINT, RP_DEBTOR, RP_AGENT, RP_MARKED, RP_BY, RP_COLUMNS };
void layout_review_columns(struct column d[RD_COLUMNS], struct column p[RP_COLUMNS]);

/* The review screen in a body of rows lines: the sections on the first
 * line (Disputes, Wrong contact points, Approvals, with their counts), a
 * blank, the queue shown (a header line and a row each), and below it the
 * item under the cursor in full (a title and its lines: who raised or
 * marked it, when, why). On a body too short for both, the list keeps at
 * least a row. */
#define REVIEW_DETAIL_LINES 3
struct review_layout {
	int tabs;
	int list, nlist;          /* first line (the header), lines with it */
	int detail_title, detail; /* -1 when there is no room for them */
	int ndetail;
};
void layout_review(int rows, struct review_layout *l);

/* ------------------------------------------------------------ dashboard */

/* The dashboard's columns, one per figure of docs/metrics.md (the hourly
 * sparkline last). */
enum { DC_AGENT, DC_NOW, DC_ACCOUNTS, DC_CALLS, DC_RPC, DC_RPC_RATE, DC_PROMISES, DC_PROMISED, DC_PROMISE_RATE,
       DC_KEPT_RATE, DC_COLLECTED, DC_SMS, DC_EMAIL, DC_WHATSAPP, DC_AVG_TIME, DC_CPH, DC_HOURS, DC_COLUMNS };

/* The columns that fit in cols cells, in the order above: the agent, where
 * they are now and the main figures first (80 columns show ten), the rest
 * as the width allows. c gets the shown columns' places (titles marked
 * N_()), ids which figure each is; returns how many. */
int layout_dashboard_columns(int cols, struct column c[DC_COLUMNS], int ids[DC_COLUMNS]);

/* The dashboard in a body of rows lines: a line saying the range and the
 * sort, the agents (a header line and a row each), the team's totals, and
 * below them the selected agent's bars and hourly contacts. On a short
 * body the list keeps at least a row and the detail goes. */
#define DASHBOARD_DETAIL_LINES 4
struct dashboard_layout {
	int summary;
	int list, nlist;          /* first line (the header), lines with it */
	int totals;
	int detail;               /* -1 when there is no room */
	int ndetail;
};
void layout_dashboard(int rows, struct dashboard_layout *l);

/* The drill-down: the agent's worklist above, their recent events below,
 * each a titled list sharing what is left. */
struct drill_layout {
	int title, accounts_title, accounts, naccounts, events_title, events, nevents;
};
void layout_drill(int rows, struct drill_layout *l);

/* -------------------------------------------------------------- promise */

/* The promise form: the account's lines, its fields one a line (label,
 * input, and the field's message beside it), the schedule as many rows as
 * fit, and on the last line what Enter would do or why not. */
struct promise_layout {
	int header, money, active;   /* the account, its money and limits, the active promise */
	int field0, nfields;         /* field i's line: field0 + i */
	int label_w, input_x, input_w, message_x, message_w;
	int schedule_title, schedule, nschedule;
	int bottom;
};
void layout_promise(int rows, int cols, int nfields, struct promise_layout *l);

/* ------------------------------------------------------------- reassign */

/* The reassign screen (a): a title line; the filters one a line (label,
 * input, and the field's message beside it); the picked accounts' count
 * and money (two lines, several currencies); the mode; the targets, a list
 * with its header, as many rows as fit; the money of the target under the
 * cursor; and on the last line what Enter does, or the batch just moved.
 * Below REASSIGN_ROWS the targets' detail goes first, then the list keeps
 * a row. */
#define REASSIGN_ROWS 21
struct reassign_layout {
	int header;
	int field0, nfields;           /* filter i's line: field0 + i */
	int label_w, input_x, input_w, message_x, message_w;
	int count, ncount;             /* the picked accounts: first line, lines */
	int mode;                      /* the mode's line, laid as a field */
	int list, nlist;               /* the targets: header line, lines with it */
	int detail;                    /* -1 when there is no room for it */
	int bottom;
};
void layout_reassign(int rows, int cols, int nfields, struct reassign_layout *l);

enum { RT_NAME, RT_HOLDS, RT_GETS, RT_BALANCE, RT_COLUMNS };
/* The targets' columns (titles marked N_()) in cols cells: the name takes
 * what the counts and the balance leave. */
void layout_reassign_columns(int cols, struct column c[RT_COLUMNS]);

/* ----------------------------------------------------------------- help */

struct help_layout {
	int title, list, nlist;
};
void layout_help(int rows, struct help_layout *l);

/* ---------------------------------------------------------------- popup */

/* A bordered popup centred on the screen, as wide as its content wants and
 * high enough for its rows, within the lines above the status line. */
struct popup {
	int y, x, h, w;
};
void layout_popup(int lines, int cols, int want_w, int want_h, struct popup *p);

/* ----------------------------------------------------------------- form */

/* A form of n fields centred on the screen (the login): a title, a line
 * under it, then each field's label and input with the line below it for
 * the field's message, then the form's message and a hint. */
struct form_layout {
	int x, w;           /* the form's left edge and width */
	int title, subtitle;
	int label_w;        /* inputs start this far right of x */
	int field0, step;   /* field i's line: field0 + i * step; its message the line below */
	int message, hint;
};
void layout_form(int lines, int cols, int nfields, struct form_layout *l);

#endif
