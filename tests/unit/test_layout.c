/* screens/layout: where things go on the workstation's screens, and how a
 * list's cursor, scrolling and paging move, computed without a terminal
 * (the files are compiled where <curses.h> is an #error). At the sizes
 * the goldens use (80x24, 120x35), at tiny ones, and with data that does
 * not fit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "layout.h"
#include "scroll.h"

/* ------------------------------------------------------------- the frame */

static void frame_at_the_usual_sizes(void **state)
{
	struct frame f;

	(void)state;
	layout_frame(24, 80, &f);
	assert_int_equal(f.title, 0);
	assert_int_equal(f.body, 1);
	assert_int_equal(f.rows, 21);
	assert_int_equal(f.prompt_error, 21);
	assert_int_equal(f.status, 22);
	assert_int_equal(f.keybar, 23);
	assert_int_equal(f.cols, 80);
	layout_frame(35, 120, &f);
	assert_int_equal(f.rows, 32);
	assert_int_equal(f.keybar, 34);
	/* A terminal too small for a body has none, never a negative one. */
	layout_frame(2, 10, &f);
	assert_int_equal(f.rows, 0);
}

/* --------------------------------------------------------------- columns */

static void columns_share_what_is_left(void **state)
{
	static const struct column c[] = {
		{ "a", 0, 5, 0, false }, { "b", 4, 0, 1, true }, { "c", 0, 5, 2, false },
	};
	struct columns out;

	(void)state;
	layout_columns(c, 3, 40, 1, &out);
	assert_int_equal(out.n, 3);
	/* 40 - 1 margin - 4 fixed - 3 gaps = 32, shared by the two flexible. */
	assert_int_equal(out.x[0], 0);
	assert_int_equal(out.width[0], 16);
	assert_int_equal(out.x[1], 17);
	assert_int_equal(out.width[1], 4);
	assert_int_equal(out.x[2], 23);
	assert_int_equal(out.width[2], 16);
	assert_true(out.x[2] + out.width[2] <= 40 - 1);
}

static void columns_are_cut_at_the_edge(void **state)
{
	static const struct column c[] = {
		{ "a", 0, 12, 0, false }, { "b", 10, 0, 1, false }, { "c", 10, 0, 1, false },
	};
	struct columns out;

	(void)state;
	/* The flexible column keeps its minimum; what passes the edge is cut. */
	layout_columns(c, 3, 20, 0, &out);
	assert_int_equal(out.width[0], 12);
	assert_int_equal(out.x[1], 13);
	assert_int_equal(out.width[1], 7);
	assert_int_equal(out.x[2], 24);
	assert_int_equal(out.width[2], 0);
}

static void worklist_columns_fill_the_width(void **state)
{
	struct column c[WL_COLUMNS];
	struct columns out;

	(void)state;
	layout_worklist(80, c);
	layout_columns(c, WL_COLUMNS, 80, 1, &out);
	assert_string_equal(c[WL_DEBTOR].title, "Debtor");
	/* Under 90 columns the last contact is a date alone. */
	assert_int_equal(out.width[WL_CONTACTED], 10);
	assert_int_equal(out.x[WL_SEGMENT] + out.width[WL_SEGMENT], 79);
	assert_int_equal(out.width[WL_DEBTOR], 80 - 1 - (4 + 16 + 9 + 10 + 9 + 9) - 6);
	layout_worklist(120, c);
	layout_columns(c, WL_COLUMNS, 120, 1, &out);
	assert_int_equal(out.width[WL_CONTACTED], 16);
	assert_int_equal(out.x[WL_SEGMENT] + out.width[WL_SEGMENT], 119);
	assert_true(c[WL_BALANCE].right && c[WL_DPD].right && !c[WL_DEBTOR].right);
	/* Narrower than the columns: the name keeps twelve cells. */
	layout_worklist(40, c);
	layout_columns(c, WL_COLUMNS, 40, 1, &out);
	assert_int_equal(out.width[WL_DEBTOR], 12);
}

/* --------------------------------------------------------------- account */

static void account_history_takes_the_rest(void **state)
{
	struct account_layout l;

	(void)state;
	layout_account(21, 1, 0, 0, 0, &l);
	assert_int_equal(l.header, 0);
	assert_int_equal(l.accounts, 7);
	assert_int_equal(l.naccounts, 1);
	assert_int_equal(l.history_title, 9);
	assert_int_equal(l.history, 10);
	assert_int_equal(l.nhistory, 11);
	/* Four of the debtor's accounts at most; the pane scrolls. */
	layout_account(32, 9, 0, 0, 0, &l);
	assert_int_equal(l.naccounts, ACCOUNT_ACCOUNTS_ROWS);
	assert_int_equal(l.history_title, 7 + ACCOUNT_ACCOUNTS_ROWS + 1);
	assert_int_equal(l.history + l.nhistory, 32);
	/* Too small: no rows, never a negative count. */
	layout_account(5, 2, 3, 3, 3, &l);
	assert_int_equal(l.nhistory, 0);
	assert_int_equal(l.ninstallments + l.npayments + l.npromises, 0);
	assert_int_equal(l.installments_title, -1);
}

static void account_money_leaves_room_for_each_part(void **state)
{
	struct account_layout l;

	(void)state;
	/* Everything fits. */
	layout_account(21, 1, 5, 2, 1, &l);
	assert_int_equal(l.installments_title, 9);
	assert_int_equal(l.ninstallments, 5);
	assert_int_equal(l.payments_title, 15);
	assert_int_equal(l.npayments, 2);
	assert_int_equal(l.promises_title, 18);
	assert_int_equal(l.npromises, 1);
	/* Many of each: the 9 rows under the three titles are shared out,
	 * a row at a time. */
	layout_account(21, 1, 40, 40, 40, &l);
	assert_int_equal(l.ninstallments, 3);
	assert_int_equal(l.payments_title, 13);
	assert_int_equal(l.npayments, 3);
	assert_int_equal(l.promises_title, 17);
	assert_int_equal(l.npromises, 3);
	assert_int_equal(l.promises + l.npromises, 21);
	/* A long schedule of the account's own leaves a promise's plan (a
	 * promise and three installments) its rows: 80x24, two accounts. */
	layout_account(21, 2, 6, 0, 4, &l);
	assert_int_equal(l.npromises, 4);
	assert_int_equal(l.ninstallments, 4);
	assert_int_equal(l.promises + l.npromises, 21);
	/* No room at all: no title past the end, nothing negative. */
	layout_account(9, 2, 6, 6, 6, &l);
	assert_int_equal(l.ninstallments + l.npayments + l.npromises, 0);
	assert_int_equal(l.payments_title, -1);
	assert_int_equal(l.promises_title, -1);
}

/* ------------------------------------------------------------------ send */

static void send_splits_list_and_preview(void **state)
{
	struct send_layout l;

	(void)state;
	layout_send(21, 3, false, 1, &l);
	assert_int_equal(l.list, 4);
	assert_int_equal(l.nlist, 3);
	assert_int_equal(l.preview_title, 7);
	assert_int_equal(l.subject, -1);
	assert_int_equal(l.preview, 8);
	assert_int_equal(l.problem, 20);
	assert_int_equal(l.npreview, 12);
	/* Many templates take at most half of what is left; an email's
	 * subject a line; a long refusal two lines at the bottom. */
	layout_send(21, 40, true, 2, &l);
	assert_int_equal(l.nlist, (21 - 11) / 2);
	assert_int_equal(l.subject, l.preview_title + 1);
	assert_int_equal(l.preview, l.preview_title + 2);
	assert_int_equal(l.nproblem, 2);
	assert_int_equal(l.problem, 19);
	assert_int_equal(l.preview + l.npreview, l.problem);
	/* No template still takes a line (for "None: ..."); tiny bodies
	 * never give a negative preview. */
	layout_send(6, 0, true, 2, &l);
	assert_int_equal(l.nlist, 1);
	assert_int_equal(l.nproblem, 1);
	assert_true(l.npreview >= 0);
}

/* --------------------------------------------------------------- review */

static void review_queue_between_sections_and_detail(void **state)
{
	struct review_layout l;
	struct column d[RD_COLUMNS], p[RP_COLUMNS];
	struct columns at;

	(void)state;
	/* 80x24: a body of 21 lines: the sections, a blank, 14 for the queue
	 * (its header and 13 items), a blank, the detail's title and 3 lines. */
	layout_review(21, &l);
	assert_int_equal(l.tabs, 0);
	assert_int_equal(l.list, 2);
	assert_int_equal(l.nlist, 14);
	assert_int_equal(l.detail_title, 17);
	assert_int_equal(l.detail + l.ndetail, 21);
	/* Too short for the detail: the queue keeps what is left. */
	layout_review(6, &l);
	assert_int_equal(l.nlist, 4);
	assert_int_equal(l.detail_title, -1);
	assert_int_equal(l.ndetail, 0);
	layout_review(1, &l);
	assert_int_equal(l.nlist, 0);
	/* At 80 columns every column fits and the debtor keeps its least. */
	layout_review_columns(d, p);
	layout_columns(d, RD_COLUMNS, 80, 0, &at);
	assert_true(at.x[RD_BY] + at.width[RD_BY] <= 80);
	assert_true(at.width[RD_DEBTOR] >= 10);
	layout_columns(p, RP_COLUMNS, 80, 0, &at);
	assert_true(at.x[RP_BY] + at.width[RP_BY] <= 80);
	assert_true(at.width[RP_DEBTOR] >= 10);
}

/* ------------------------------------------------------------ approvals */

static void approvals_list_above_its_detail(void **state)
{
	struct approvals_layout l;
	struct column c[AP_COLUMNS];
	struct columns at;

	(void)state;
	/* 80x24: a body of 21 lines, 16 for the list (its header and 15
	 * promises), a blank, the detail's title and its 3 lines. */
	layout_approvals(21, &l);
	assert_int_equal(l.list, 0);
	assert_int_equal(l.nlist, 16);
	assert_int_equal(l.detail_title, 17);
	assert_int_equal(l.detail, 18);
	assert_int_equal(l.detail + l.ndetail, 21);
	/* Too short for the detail: the list keeps the body. */
	layout_approvals(5, &l);
	assert_int_equal(l.nlist, 5);
	assert_int_equal(l.detail_title, -1);
	assert_int_equal(l.ndetail, 0);
	layout_approvals(0, &l);
	assert_int_equal(l.nlist, 0);
	/* At 80 columns the debtor takes what the others leave; the limits
	 * are the detail's. */
	assert_int_equal(layout_approvals_columns(80, c), AP_COLUMNS - 1);
	layout_columns(c, AP_COLUMNS - 1, 80, 0, &at);
	assert_int_equal(at.x[AP_PLAN] + at.width[AP_PLAN], 80);
	assert_true(at.width[AP_DEBTOR] >= 10);
	/* At 120 the debtor and the limits share it. */
	assert_int_equal(layout_approvals_columns(120, c), AP_COLUMNS);
	layout_columns(c, AP_COLUMNS, 120, 0, &at);
	/* (shared evenly: an odd cell left over stays blank at the edge) */
	assert_in_range(at.x[AP_LIMITS] + at.width[AP_LIMITS], 119, 120);
	assert_int_equal(at.width[AP_DEBTOR], at.width[AP_LIMITS]);
}

/* ------------------------------------------------------------- reassign */

static void reassign_fits_80x24(void **state)
{
	struct reassign_layout l;
	struct column c[RT_COLUMNS];
	struct columns at;

	(void)state;
	/* 80x24: a body of 21 lines. The title, nine filters, the count's two
	 * lines, the mode, the targets (their header and five: a team of four
	 * and its pool), the detail, the last line. */
	layout_reassign(REASSIGN_ROWS, 80, 9, &l);
	assert_int_equal(l.header, 0);
	assert_int_equal(l.field0, 1);
	assert_int_equal(l.count, 10);
	assert_int_equal(l.ncount, 2);
	assert_int_equal(l.mode, 12);
	assert_int_equal(l.list, 13);
	assert_int_equal(l.nlist, 6);
	assert_int_equal(l.detail, 19);
	assert_int_equal(l.bottom, 20);
	/* The message beside a field is on the line, within 80 columns. */
	assert_int_equal(l.message_x + l.message_w, 80);
	assert_true(l.message_w >= 30);
	/* Taller: the list takes the lines. */
	layout_reassign(33, 120, 9, &l);
	assert_int_equal(l.nlist, 18);
	assert_int_equal(l.bottom, 32);
	/* Too short for the detail: the list keeps what there is. */
	layout_reassign(16, 80, 9, &l);
	assert_int_equal(l.detail, -1);
	assert_int_equal(l.nlist, 2);
	assert_int_equal(l.bottom, 15);
	layout_reassign(0, 80, 9, &l);
	assert_int_equal(l.nlist, 0);
	/* The targets' columns: the name takes what the figures leave; one
	 * currency's balance whole at 80 columns. */
	layout_reassign_columns(80, c);
	layout_columns(c, RT_COLUMNS, 80, 0, &at);
	assert_int_equal(at.x[RT_BALANCE] + at.width[RT_BALANCE], 80);
	assert_true(at.width[RT_NAME] >= 30);
	assert_true(at.width[RT_BALANCE] >= 20);
}

/* ------------------------------------------------------------ dashboard */

/* The dashboard at 80 columns shows who, where, and the main figures, in
 * the figures' order, and fits; wider, every figure and the sparkline. */
static void dashboard_fits_80_and_grows(void **state)
{
	struct column c[DC_COLUMNS];
	int ids[DC_COLUMNS], n;
	struct columns at;
	struct dashboard_layout l;
	static const int at80[] = { DC_AGENT, DC_NOW, DC_ACCOUNTS, DC_CALLS, DC_RPC, DC_RPC_RATE, DC_PROMISES,
	                            DC_PROMISED, DC_KEPT_RATE, DC_CPH };

	(void)state;
	n = layout_dashboard_columns(80, c, ids);
	assert_int_equal(n, (int)(sizeof at80 / sizeof at80[0]));
	for (int i = 0; i < n; i++)
		assert_int_equal(ids[i], at80[i]);
	layout_columns(c, n, 80, 0, &at);
	assert_true(at.x[n - 1] + at.width[n - 1] <= 80);
	for (int i = 0; i < n; i++)
		assert_int_equal(at.width[i], c[i].width); /* none cut */
	assert_int_equal(c[0].gap, 0);
	/* Every column on a wide terminal, the sparkline last. */
	n = layout_dashboard_columns(200, c, ids);
	assert_int_equal(n, DC_COLUMNS);
	assert_int_equal(ids[n - 1], DC_HOURS);
	/* Narrower than the agent and where they are: the agent alone. */
	assert_int_equal(layout_dashboard_columns(20, c, ids), 1);
	/* 80x24: the summary, the list (header and 13 agents), the totals, a
	 * blank and the selected agent's 4 lines. */
	layout_dashboard(21, &l);
	assert_int_equal(l.summary, 0);
	assert_int_equal(l.list, 1);
	assert_int_equal(l.nlist, 14);
	assert_int_equal(l.totals, 15);
	assert_int_equal(l.detail, 17);
	assert_int_equal(l.detail + l.ndetail, 21);
	/* Short: no detail, a row at least. */
	layout_dashboard(4, &l);
	assert_int_equal(l.detail, -1);
	assert_true(l.nlist >= 1);
}

/* ------------------------------------------------------ help, popup, form */

static void help_popup_and_form(void **state)
{
	struct help_layout h;
	struct popup p;
	struct form_layout f;

	(void)state;
	layout_help(21, &h);
	assert_int_equal(h.list, 2);
	assert_int_equal(h.nlist, 19);
	layout_help(1, &h);
	assert_int_equal(h.nlist, 0);

	layout_popup(24, 80, 30, 13, &p);
	assert_int_equal(p.w, 30);
	assert_int_equal(p.h, 13);
	assert_int_equal(p.x, 25);
	assert_int_equal(p.y, 5);
	/* Never wider than the screen, nor over the status line and key bar. */
	layout_popup(10, 20, 30, 13, &p);
	assert_int_equal(p.w, 20);
	assert_int_equal(p.h, 8);
	assert_int_equal(p.x, 0);
	assert_int_equal(p.y + p.h, 9);

	layout_form(24, 80, 2, &f);
	assert_int_equal(f.w, 58);
	assert_int_equal(f.x, 11);
	assert_int_equal(f.title, 7);
	assert_int_equal(f.field0, 10);
	assert_int_equal(f.field0 + f.step, 12);
	assert_int_equal(f.message, 15);
	assert_int_equal(f.hint, 17);
	layout_form(6, 30, 2, &f);
	assert_int_equal(f.title, 0);
	assert_int_equal(f.w, 28);
}

/* --------------------------------------------------------------- promise */

static void promise_form_fits_80x24(void **state)
{
	struct promise_layout l;

	(void)state;
	/* 80x24: a body of 21 lines; seven fields, then the schedule. */
	layout_promise(21, 80, 7, &l);
	assert_int_equal(l.field0, 3);
	assert_int_equal(l.field0 + l.nfields - 1, 9);
	assert_int_equal(l.schedule_title, 11);
	assert_int_equal(l.schedule, 12);
	assert_int_equal(l.bottom, 20);
	assert_int_equal(l.nschedule, 8);
	/* The message beside its field, in what the line leaves. */
	assert_int_equal(l.message_x, 32);
	assert_int_equal(l.message_w, 48);
	assert_true(l.input_x + l.input_w <= l.message_x);
	/* Too small for a schedule: none, never a negative count. */
	layout_promise(10, 20, 7, &l);
	assert_int_equal(l.nschedule, 0);
	assert_int_equal(l.message_w, 0);
}

/* ---------------------------------------------------------------- scroll */

static void cursor_pages_by_the_height(void **state)
{
	struct scroll s;

	(void)state;
	scroll_init(&s, true);
	scroll_resize(&s, 100, 20);
	assert_int_equal(s.cursor, 0);
	assert_int_equal(scroll_target(&s, SCROLL_PAGE_DOWN), 20);
	scroll_to(&s, scroll_target(&s, SCROLL_PAGE_DOWN));
	assert_int_equal(s.cursor, 20);
	assert_int_equal(s.top, 1); /* the cursor on the last line shown */
	scroll_to(&s, scroll_target(&s, SCROLL_DOWN));
	assert_int_equal(s.cursor, 21);
	assert_int_equal(s.top, 2);
	scroll_to(&s, scroll_target(&s, SCROLL_PAGE_UP));
	assert_int_equal(s.cursor, 1);
	assert_int_equal(s.top, 1);
	scroll_to(&s, scroll_target(&s, SCROLL_UP));
	scroll_to(&s, scroll_target(&s, SCROLL_UP));
	assert_int_equal(s.cursor, 0);
	assert_int_equal(s.top, 0);
	scroll_to(&s, scroll_target(&s, SCROLL_LAST));
	assert_int_equal(s.cursor, 99);
	assert_int_equal(s.top, 80);
	assert_false(scroll_more_below(&s));
	assert_true(scroll_more_above(&s));
	scroll_to(&s, scroll_target(&s, SCROLL_PAGE_DOWN));
	assert_int_equal(s.cursor, 99);
	scroll_to(&s, scroll_target(&s, SCROLL_FIRST));
	assert_int_equal(s.cursor, 0);
	assert_int_equal(s.top, 0);
}

static void target_passes_the_rows_loaded(void **state)
{
	struct scroll s;

	(void)state;
	/* The worklist loads 50 rows a page: a page down from row 45 asks for
	 * row 65, and it loads the next page before moving there. */
	scroll_init(&s, true);
	scroll_resize(&s, 50, 20);
	scroll_to(&s, 45);
	assert_int_equal(scroll_target(&s, SCROLL_PAGE_DOWN), 65);
	assert_int_equal(scroll_target(&s, SCROLL_UP), 44);
	scroll_resize(&s, 100, 20);
	scroll_to(&s, 65);
	assert_int_equal(s.cursor, 65);
	assert_int_equal(s.top, 46);
}

static void fewer_rows_keep_the_cursor_within(void **state)
{
	struct scroll s;

	(void)state;
	scroll_init(&s, true);
	scroll_resize(&s, 100, 10);
	scroll_to(&s, 95);
	scroll_resize(&s, 30, 10);
	assert_int_equal(s.cursor, 29);
	assert_int_equal(s.top, 20);
	scroll_resize(&s, 0, 10);
	assert_int_equal(s.cursor, 0);
	assert_int_equal(s.top, 0);
	/* A taller screen keeps the cursor where it was. */
	scroll_resize(&s, 100, 10);
	scroll_to(&s, 50);
	scroll_resize(&s, 100, 30);
	assert_int_equal(s.cursor, 50);
	assert_true(s.top <= 50 && 50 < s.top + 30);
	/* A shorter one brings it into view. */
	scroll_resize(&s, 100, 3);
	assert_true(s.top <= 50 && 50 < s.top + 3);
}

static void a_list_without_cursor_scrolls(void **state)
{
	struct scroll s;

	(void)state;
	scroll_init(&s, false);
	scroll_resize(&s, 30, 10);
	assert_int_equal(s.cursor, -1);
	scroll_to(&s, scroll_target(&s, SCROLL_DOWN));
	assert_int_equal(s.top, 1);
	scroll_to(&s, scroll_target(&s, SCROLL_PAGE_DOWN));
	assert_int_equal(s.top, 11);
	scroll_to(&s, scroll_target(&s, SCROLL_PAGE_DOWN));
	assert_int_equal(s.top, 20); /* the last page stays full */
	assert_false(scroll_more_below(&s));
	scroll_to(&s, scroll_target(&s, SCROLL_LAST));
	assert_int_equal(s.top, 20);
	scroll_to(&s, scroll_target(&s, SCROLL_FIRST));
	assert_int_equal(s.top, 0);
	assert_true(scroll_more_below(&s));
	/* Everything fits: nothing to scroll. */
	scroll_resize(&s, 5, 10);
	scroll_to(&s, scroll_target(&s, SCROLL_DOWN));
	assert_int_equal(s.top, 0);
	assert_false(scroll_more_below(&s));
	assert_false(scroll_more_above(&s));
	/* A list read again with fewer rows scrolls back to fill its height. */
	scroll_resize(&s, 30, 10);
	scroll_to(&s, 20);
	scroll_resize(&s, 25, 10);
	assert_int_equal(s.top, 15);
	/* Not laid out yet: a page is one row, not none. */
	scroll_init(&s, true);
	scroll_resize(&s, 30, 0);
	assert_int_equal(scroll_target(&s, SCROLL_PAGE_DOWN), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(frame_at_the_usual_sizes),
		cmocka_unit_test(columns_share_what_is_left),
		cmocka_unit_test(columns_are_cut_at_the_edge),
		cmocka_unit_test(worklist_columns_fill_the_width),
		cmocka_unit_test(account_history_takes_the_rest),
		cmocka_unit_test(account_money_leaves_room_for_each_part),
		cmocka_unit_test(send_splits_list_and_preview),
		cmocka_unit_test(approvals_list_above_its_detail),
		cmocka_unit_test(review_queue_between_sections_and_detail),
		cmocka_unit_test(dashboard_fits_80_and_grows),
		cmocka_unit_test(help_popup_and_form),
		cmocka_unit_test(cursor_pages_by_the_height),
		cmocka_unit_test(target_passes_the_rows_loaded),
		cmocka_unit_test(fewer_rows_keep_the_cursor_within),
		cmocka_unit_test(a_list_without_cursor_scrolls),
		cmocka_unit_test(promise_form_fits_80x24),
		cmocka_unit_test(reassign_fits_80x24),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
