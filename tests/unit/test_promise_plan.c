/* src/core/promise_plan.c: the promise's schedule (weekly across a year end,
 * every two weeks, monthly through month ends and a leap day, the remainder
 * on the last installment) and each rule of issue 16's contract, the hard
 * errors and each limit, at a today the test sets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "promise_plan.h"
#include "tz.h"

static int64_t day(const char *iso)
{
	int64_t d = 0;

	assert_true(promise_parse_date(iso, &d));
	return d;
}

static const char *text(int64_t d)
{
	static char s[4][11];
	static int i;

	i = (i + 1) % 4;
	return promise_date_text(s[i], sizeof s[i], d);
}

/* The schedule of terms as "DATE AMOUNT" lines joined by "; ". */
static const char *plan(const char *first, int count, enum promise_freq f, long long amount)
{
	static char out[4096];
	struct promise_step steps[64];
	struct promise_terms t = { .amount = amount, .first_due = day(first), .count = count, .freq = f };
	int n = promise_schedule(&t, steps, 64);
	size_t len = 0;

	out[0] = '\0';
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(out + len, sizeof out - len, "%s%s %lld", i ? "; " : "", text(steps[i].due),
		                        steps[i].amount);
	return out;
}

static void test_monthly_month_ends(void **state)
{
	(void)state;
	/* Each step from the first date, clamped: Jan 31, Feb 28, Mar 31. */
	assert_string_equal(plan("2027-01-31", 3, PROMISE_MONTHLY, 300),
	                    "2027-01-31 100; 2027-02-28 100; 2027-03-31 100");
	assert_string_equal(plan("2027-01-30", 4, PROMISE_MONTHLY, 400),
	                    "2027-01-30 100; 2027-02-28 100; 2027-03-30 100; 2027-04-30 100");
	assert_string_equal(plan("2027-08-31", 5, PROMISE_MONTHLY, 500),
	                    "2027-08-31 100; 2027-09-30 100; 2027-10-31 100; 2027-11-30 100; 2027-12-31 100");
	/* Across a year end, month by month. */
	assert_string_equal(plan("2026-11-15", 3, PROMISE_MONTHLY, 300),
	                    "2026-11-15 100; 2026-12-15 100; 2027-01-15 100");
}

static void test_monthly_leap_day(void **state)
{
	(void)state;
	assert_string_equal(plan("2028-01-31", 3, PROMISE_MONTHLY, 300),
	                    "2028-01-31 100; 2028-02-29 100; 2028-03-31 100");
	/* Feb 29 itself: the 29th each month, and Feb 28 in a common year. */
	assert_string_equal(plan("2028-02-29", 13, PROMISE_MONTHLY, 1300),
	                    "2028-02-29 100; 2028-03-29 100; 2028-04-29 100; 2028-05-29 100; 2028-06-29 100; "
	                    "2028-07-29 100; 2028-08-29 100; 2028-09-29 100; 2028-10-29 100; 2028-11-29 100; "
	                    "2028-12-29 100; 2029-01-29 100; 2029-02-28 100");
	/* 2100 is not a leap year, 2000 was. */
	assert_int_equal(promise_due(day("2100-01-31"), PROMISE_MONTHLY, 1), day("2100-02-28"));
	assert_int_equal(promise_due(day("2000-01-31"), PROMISE_MONTHLY, 1), day("2000-02-29"));
}

static void test_weekly_year_end(void **state)
{
	(void)state;
	assert_string_equal(plan("2026-12-17", 4, PROMISE_WEEKLY, 400),
	                    "2026-12-17 100; 2026-12-24 100; 2026-12-31 100; 2027-01-07 100");
	assert_string_equal(plan("2026-12-24", 3, PROMISE_BIWEEKLY, 300),
	                    "2026-12-24 100; 2027-01-07 100; 2027-01-21 100");
	/* Through Feb 29 of a leap year. */
	assert_string_equal(plan("2028-02-22", 2, PROMISE_WEEKLY, 200), "2028-02-22 100; 2028-02-29 100");
	assert_string_equal(plan("2027-06-01", 1, PROMISE_ONCE, 12345), "2027-06-01 12345");
}

static void test_remainder_on_last(void **state)
{
	(void)state;
	assert_string_equal(plan("2027-01-10", 3, PROMISE_MONTHLY, 100000),
	                    "2027-01-10 33333; 2027-02-10 33333; 2027-03-10 33334");
	assert_string_equal(plan("2027-01-10", 4, PROMISE_WEEKLY, 7), "2027-01-10 1; 2027-01-17 1; "
	                                                               "2027-01-24 1; 2027-01-31 4");
	/* The amounts always add up to the total. */
	for (int n = 1; n <= 60; n++) {
		struct promise_step s[64];
		struct promise_terms t = { .amount = 987654321, .first_due = day("2027-01-31"), .count = n,
			                   .freq = PROMISE_MONTHLY };
		long long sum = 0;

		assert_int_equal(promise_schedule(&t, s, 64), n);
		for (int i = 0; i < n; i++)
			sum += s[i].amount;
		assert_int_equal(sum, 987654321);
	}
	/* No room, no plan. */
	{
		struct promise_step s[2];
		struct promise_terms t = { .amount = 300, .first_due = day("2027-01-01"), .count = 3,
			                   .freq = PROMISE_MONTHLY };

		assert_int_equal(promise_schedule(&t, s, 2), 0);
		t.count = 0;
		assert_int_equal(promise_schedule(&t, s, 2), 0);
	}
}

/* A team's limits at 2027-01-10: 90 days, half the past-due, 6
 * installments, 30 % off at most. */
static struct promise_account_limits limits(void)
{
	return (struct promise_account_limits){ .version = 3, .horizon_days = 90, .min_share_permille = 500,
		                        .max_installments = 6, .max_discount_permille = 300, .grace_days = 3,
		                        .today = day("2027-01-10") };
}

static const struct promise_money money = { .balance = 100000, .past_due = 40000 };

static struct promise_terms good(void)
{
	return (struct promise_terms){ .amount = 40000, .first_due = day("2027-01-15"), .count = 3,
		                       .freq = PROMISE_MONTHLY, .channel = "call" };
}

static struct promise_verdict judge(const struct promise_terms *t, bool active)
{
	struct promise_account_limits l = limits();
	struct promise_verdict v;

	promise_validate(t, &money, &l, active, &v);
	return v;
}

static void test_valid(void **state)
{
	struct promise_terms t = good();
	struct promise_verdict v = judge(&t, false);

	(void)state;
	assert_int_equal(v.first, PE_NONE);
	assert_int_equal(v.limits, 0);
	for (int f = 0; f < PF__COUNT; f++)
		assert_int_equal(v.error[f], PE_NONE);
	assert_int_equal(v.last_due, day("2027-03-15"));
	/* Today itself may be the date; the whole balance may be promised. */
	t.first_due = day("2027-01-10");
	t.amount = money.balance;
	v = judge(&t, false);
	assert_int_equal(v.first, PE_NONE);
	assert_int_equal(v.limits, 0);
}

static void test_amount(void **state)
{
	struct promise_terms t = good();
	struct promise_verdict v;

	(void)state;
	t.amount = 0;
	v = judge(&t, false);
	assert_int_equal(v.first, PE_AMOUNT);
	assert_int_equal(v.error[PF_AMOUNT], PE_AMOUNT);
	t.amount = -5;
	assert_int_equal(judge(&t, false).error[PF_AMOUNT], PE_AMOUNT);
	t.amount = money.balance + 1;
	v = judge(&t, false);
	assert_int_equal(v.error[PF_AMOUNT], PE_AMOUNT_ABOVE_BALANCE);
	assert_int_equal(promise_error_field(v.first), PF_AMOUNT);
	/* A settlement: not above the balance less the discount. */
	t.discount = 20000;
	t.amount = 80000;
	assert_int_equal(judge(&t, false).first, PE_NONE);
	t.amount = 80001;
	assert_int_equal(judge(&t, false).error[PF_AMOUNT], PE_AMOUNT_ABOVE_BALANCE);
}

static void test_date_past(void **state)
{
	struct promise_terms t = good();
	struct promise_verdict v;

	(void)state;
	t.first_due = day("2027-01-09");
	v = judge(&t, false);
	assert_int_equal(v.first, PE_DATE_PAST);
	assert_int_equal(v.error[PF_DATE], PE_DATE_PAST);
	/* A past date is an error, not also a horizon question. */
	assert_false(promise_breaks(&v, PL_HORIZON));
}

/* As promise_save()'s date_range: no plan ends after 9999-12-31, whatever
 * an approval would allow (the 1st of 9999-06 monthly for 7 months ends on
 * 9999-12-01; for 8, on 10000-01-01). */
static void test_date_range(void **state)
{
	struct promise_terms t = good();
	struct promise_verdict v;

	(void)state;
	t.first_due = day("9999-06-01");
	t.freq = PROMISE_MONTHLY;
	t.count = 7;
	v = judge(&t, false);
	assert_int_equal(v.error[PF_DATE], PE_NONE);
	assert_true(promise_breaks(&v, PL_HORIZON));
	t.count = 8;
	v = judge(&t, false);
	assert_int_equal(v.first, PE_DATE_RANGE);
	assert_int_equal(v.error[PF_DATE], PE_DATE_RANGE);
	assert_false(promise_breaks(&v, PL_HORIZON));
	t.freq = PROMISE_ONCE;
	t.count = 1;
	t.first_due = day("9999-12-31");
	assert_int_equal(judge(&t, false).error[PF_DATE], PE_NONE);
	t.first_due = day("9999-12-31") + 1;
	assert_int_equal(judge(&t, false).first, PE_DATE_RANGE);
	assert_int_equal(promise_error_from_message("date_range: the plan's dates"), PE_DATE_RANGE);
	assert_int_equal(promise_error_from_message("account_status: the account is dispute"), PE_ACCOUNT_STATUS);
}

static void test_count_and_frequency(void **state)
{
	struct promise_terms t = good();

	(void)state;
	t.count = 0;
	assert_int_equal(judge(&t, false).error[PF_COUNT], PE_COUNT);
	t.count = -1;
	assert_int_equal(judge(&t, false).error[PF_COUNT], PE_COUNT);
	t.count = PROMISE_COUNT_MAX + 1;
	assert_int_equal(judge(&t, false).error[PF_COUNT], PE_COUNT);
	/* More installments than minor units would leave some at zero. */
	t.amount = 2;
	t.count = 3;
	assert_int_equal(judge(&t, false).error[PF_COUNT], PE_COUNT);
	t = good();
	t.freq = PROMISE_ONCE;
	assert_int_equal(judge(&t, false).error[PF_COUNT], PE_COUNT);
	t.count = 1;
	assert_int_equal(judge(&t, false).first, PE_NONE);
	t.freq = PROMISE_FREQ__COUNT;
	assert_int_equal(judge(&t, false).error[PF_FREQUENCY], PE_FREQUENCY);
	t.freq = (enum promise_freq)-1;
	assert_int_equal(judge(&t, false).error[PF_FREQUENCY], PE_FREQUENCY);
}

static void test_discount(void **state)
{
	struct promise_terms t = good();

	(void)state;
	t.discount = -1;
	assert_int_equal(judge(&t, false).error[PF_DISCOUNT], PE_DISCOUNT);
	t.discount = money.balance;
	t.amount = 1;
	assert_int_equal(judge(&t, false).error[PF_DISCOUNT], PE_DISCOUNT);
	t.discount = money.balance - 1;
	assert_int_equal(judge(&t, false).error[PF_DISCOUNT], PE_NONE);
}

static void test_active_and_channel(void **state)
{
	struct promise_terms t = good();
	struct promise_verdict v = judge(&t, true);

	(void)state;
	assert_int_equal(v.first, PE_ACTIVE);
	assert_int_equal(promise_error_field(PE_ACTIVE), PF__COUNT); /* the form's, no field's */
	t.channel = "fax";
	v = judge(&t, false);
	assert_int_equal(v.error[PF_CHANNEL], PE_CHANNEL);
	t.channel = NULL;
	assert_int_equal(judge(&t, false).error[PF_CHANNEL], PE_CHANNEL);
	for (int i = 0; i < PROMISE_CHANNELS; i++)
		assert_true(promise_channel_known(promise_channels[i]));
}

static void test_first_error_is_the_databases(void **state)
{
	struct promise_terms t = good();
	struct promise_verdict v;

	(void)state;
	/* promise_save() checks frequency, count, amount, discount, the
	 * balance, the date, the channel, then the active promise. */
	t.freq = PROMISE_FREQ__COUNT;
	t.amount = 0;
	t.first_due = day("2026-01-01");
	v = judge(&t, true);
	assert_int_equal(v.first, PE_FREQUENCY);
	assert_int_equal(v.error[PF_AMOUNT], PE_AMOUNT);
	assert_int_equal(v.error[PF_DATE], PE_DATE_PAST);
	t = good();
	t.count = 0;
	t.amount = 0;
	assert_int_equal(judge(&t, false).first, PE_COUNT);
	/* A discount that cannot be is said, not a balance it would make. */
	t = good();
	t.discount = money.balance;
	v = judge(&t, false);
	assert_int_equal(v.first, PE_DISCOUNT);
	assert_int_equal(v.error[PF_AMOUNT], PE_NONE);
	t = good();
	t.amount = money.balance + 1;
	t.channel = "fax";
	assert_int_equal(judge(&t, true).first, PE_AMOUNT_ABOVE_BALANCE);
	t = good();
	t.channel = "fax";
	assert_int_equal(judge(&t, true).first, PE_CHANNEL);
	assert_true(promise_channel_known("web"));
	assert_true(promise_channel_known("letter"));
}

static void test_limit_horizon(void **state)
{
	struct promise_terms t = good();
	struct promise_verdict v;

	(void)state;
	/* 2027-01-10 + 90 days is 2027-04-10: on it, within; after it, not. */
	t.count = 1;
	t.freq = PROMISE_ONCE;
	t.first_due = day("2027-04-10");
	assert_false(promise_breaks(&(struct promise_verdict){ .limits = judge(&t, false).limits }, PL_HORIZON));
	t.first_due = day("2027-04-11");
	v = judge(&t, false);
	assert_int_equal(v.first, PE_NONE);
	assert_true(promise_breaks(&v, PL_HORIZON));
	assert_int_equal(promise_limit_field(PL_HORIZON), PF_DATE);
	/* The last installment counts, not the first. */
	t = good();
	t.first_due = day("2027-02-11");
	v = judge(&t, false); /* Feb 11, Mar 11, Apr 11 */
	assert_int_equal(v.last_due, day("2027-04-11"));
	assert_true(promise_breaks(&v, PL_HORIZON));
}

static void test_limit_min_share(void **state)
{
	struct promise_terms t = good();
	struct promise_verdict v;

	(void)state;
	t.amount = 20000; /* exactly half of 40000: not below */
	assert_int_equal(judge(&t, false).limits, 0);
	t.amount = 19999;
	v = judge(&t, false);
	assert_int_equal(v.limits, 1u << PL_MIN_SHARE);
	assert_int_equal(promise_limit_field(PL_MIN_SHARE), PF_AMOUNT);
	/* Not judged for a settlement. */
	t.discount = 100;
	assert_false(promise_breaks(&(struct promise_verdict){ .limits = judge(&t, false).limits }, PL_MIN_SHARE));
}

static void test_limit_max_installments(void **state)
{
	struct promise_terms t = good();
	struct promise_verdict v;

	(void)state;
	t.count = 6;
	t.freq = PROMISE_WEEKLY;
	assert_int_equal(judge(&t, false).limits, 0);
	t.count = 7;
	v = judge(&t, false);
	assert_int_equal(v.first, PE_NONE);
	assert_int_equal(v.limits, 1u << PL_MAX_INSTALLMENTS);
}

static void test_limit_max_discount(void **state)
{
	struct promise_terms t = good();
	struct promise_verdict v;

	(void)state;
	t.discount = 30000; /* 300 permille of 100000: at the limit */
	t.amount = 70000;
	assert_int_equal(judge(&t, false).limits, 0);
	t.discount = 30001;
	t.amount = 69999;
	v = judge(&t, false);
	assert_int_equal(v.first, PE_NONE);
	assert_int_equal(v.limits, 1u << PL_MAX_DISCOUNT);
	/* Several at once. */
	t.count = 8;
	t.freq = PROMISE_MONTHLY;
	v = judge(&t, false);
	assert_true(promise_breaks(&v, PL_MAX_DISCOUNT));
	assert_true(promise_breaks(&v, PL_MAX_INSTALLMENTS));
	assert_true(promise_breaks(&v, PL_HORIZON));
	assert_false(promise_breaks(&v, PL_MIN_SHARE));
}

static void test_codes(void **state)
{
	(void)state;
	assert_string_equal(promise_error_code(PE_AMOUNT_ABOVE_BALANCE), "amount_above_balance");
	assert_string_equal(promise_error_code(PE_ACTIVE), "active_promise");
	assert_int_equal(promise_error_from_message("amount_above_balance: amount 5 is above 4"),
	                 PE_AMOUNT_ABOVE_BALANCE);
	assert_int_equal(promise_error_from_message("amount: must be above zero"), PE_AMOUNT);
	assert_int_equal(promise_error_from_message("date_past: 2027-01-01"), PE_DATE_PAST);
	assert_int_equal(promise_error_from_message("active_promise: 12"), PE_ACTIVE);
	assert_int_equal(promise_error_from_message("amounts: x"), PE_NONE);
	assert_int_equal(promise_error_from_message(NULL), PE_NONE);
	for (int e = PE_AMOUNT; e < PE__COUNT; e++) {
		char msg[64];

		snprintf(msg, sizeof msg, "%s: why", promise_error_code((enum promise_error)e));
		assert_int_equal(promise_error_from_message(msg), e);
		assert_true(promise_error_text((enum promise_error)e)[0]);
	}
	assert_string_equal(promise_limit_code(PL_HORIZON), "horizon");
	assert_string_equal(promise_limit_code(PL_MIN_SHARE), "min_share");
	assert_string_equal(promise_limit_code(PL_MAX_INSTALLMENTS), "max_installments");
	assert_string_equal(promise_limit_code(PL_MAX_DISCOUNT), "max_discount");
	for (int f = 0; f < PROMISE_FREQ__COUNT; f++) {
		enum promise_freq back;

		assert_true(promise_freq_parse(promise_freq_name((enum promise_freq)f), &back));
		assert_int_equal(back, f);
	}
	assert_false(promise_freq_parse("daily", &(enum promise_freq){ 0 }));
}

static void test_typed(void **state)
{
	long long a = 0;
	int64_t d = 0;

	(void)state;
	assert_true(promise_parse_amount("1234", 2, &a));
	assert_int_equal(a, 123400);
	assert_true(promise_parse_amount("1234.5", 2, &a));
	assert_int_equal(a, 123450);
	assert_true(promise_parse_amount("1234,05", 2, &a));
	assert_int_equal(a, 123405);
	assert_true(promise_parse_amount(" 0.5 ", 2, &a));
	assert_int_equal(a, 50);
	assert_true(promise_parse_amount("1500", 0, &a)); /* CLP: no decimals */
	assert_int_equal(a, 1500);
	assert_false(promise_parse_amount("1500.5", 0, &a));
	assert_false(promise_parse_amount("12.345", 2, &a));
	assert_false(promise_parse_amount("-5", 2, &a));
	assert_false(promise_parse_amount("abc", 2, &a));
	assert_false(promise_parse_amount("", 2, &a));
	assert_false(promise_parse_amount(".", 2, &a));
	assert_false(promise_parse_amount("1 000", 2, &a));
	assert_false(promise_parse_amount("99999999999999999999", 2, &a));
	assert_true(promise_parse_date("2028-02-29", &d));
	assert_string_equal(text(d), "2028-02-29");
	assert_false(promise_parse_date("2027-02-29", &d));
	assert_false(promise_parse_date("2026-02-30", &d));
	assert_false(promise_parse_date("2027-13-01", &d));
	assert_false(promise_parse_date("2027-1-01", &d));
	assert_false(promise_parse_date("2027-01-01x", &d));
	assert_false(promise_parse_date("tomorrow", &d));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_monthly_month_ends),
		cmocka_unit_test(test_monthly_leap_day),
		cmocka_unit_test(test_weekly_year_end),
		cmocka_unit_test(test_remainder_on_last),
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_amount),
		cmocka_unit_test(test_date_past),
		cmocka_unit_test(test_date_range),
		cmocka_unit_test(test_count_and_frequency),
		cmocka_unit_test(test_discount),
		cmocka_unit_test(test_active_and_channel),
		cmocka_unit_test(test_first_error_is_the_databases),
		cmocka_unit_test(test_limit_horizon),
		cmocka_unit_test(test_limit_min_share),
		cmocka_unit_test(test_limit_max_installments),
		cmocka_unit_test(test_limit_max_discount),
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_typed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
