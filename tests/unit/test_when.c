/* src/core/when.c: a callback's moment as a collector types it, read in the
 * debtor's zone at a fixed clock: today, tomorrow / mañana, the weekdays in
 * both languages, a date; days the clocks change on; what does not exist or
 * has passed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tz.h"
#include "when.h"

static int64_t at(const char *iso)
{
	int64_t t = 0;

	assert_true(time_parse_iso(iso, &t));
	return t;
}

static struct tz lima, santiago, new_york;

static int setup(void **state)
{
	char err[128];

	(void)state;
	assert_true(tz_load(&lima, "America/Lima", err, sizeof err));
	assert_true(tz_load(&santiago, "America/Santiago", err, sizeof err));
	assert_true(tz_load(&new_york, "America/New_York", err, sizeof err));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tz_free(&lima);
	tz_free(&santiago);
	tz_free(&new_york);
	return 0;
}

/* The moment text names in zone z at now, which must be read. */
static int64_t due(const char *text, const struct tz *z, const char *now)
{
	int64_t t = 0;

	assert_int_equal(when_parse(text, z, at(now), &t), WHEN_OK);
	return t;
}

static enum when_problem problem(const char *text, const struct tz *z, const char *now)
{
	int64_t t = 0;

	return when_parse(text, z, at(now), &t);
}

/* Monday 2026-12-07, 10:00 in Lima (UTC-5). */
#define MONDAY "2026-12-07T15:00:00Z"

static void a_time_alone_is_today_or_refused_if_past(void **state)
{
	(void)state;
	assert_int_equal(due("10:01", &lima, MONDAY), at("2026-12-07T15:01:00Z"));
	assert_int_equal(due("9:30 ", &lima, "2026-12-07T13:00:00Z"), at("2026-12-07T14:30:00Z"));
	assert_int_equal(due("23:59", &lima, MONDAY), at("2026-12-08T04:59:00Z"));
	assert_int_equal(problem("10:00", &lima, MONDAY), WHEN_PAST); /* now is not ahead */
	assert_int_equal(problem("09:59", &lima, MONDAY), WHEN_PAST);
}

static void tomorrow_in_both_languages(void **state)
{
	(void)state;
	assert_int_equal(due("tomorrow 10:00", &lima, MONDAY), at("2026-12-08T15:00:00Z"));
	assert_int_equal(due("ma\xc3\xb1""ana 10:00", &lima, MONDAY), at("2026-12-08T15:00:00Z"));
	assert_int_equal(due("MA\xc3\x91""ANA 10:00", &lima, MONDAY), at("2026-12-08T15:00:00Z"));
	assert_int_equal(due("manana 8:15", &lima, MONDAY), at("2026-12-08T13:15:00Z"));
	assert_int_equal(due("Tomorrow  07:00", &lima, MONDAY), at("2026-12-08T12:00:00Z"));
	/* Late in the evening in Lima it is already Tuesday in UTC: tomorrow is
	 * the debtor's, Wednesday. */
	assert_int_equal(due("tomorrow 10:00", &lima, "2026-12-08T04:30:00Z"), at("2026-12-08T15:00:00Z"));
	assert_int_equal(due("today 11:00", &lima, MONDAY), at("2026-12-07T16:00:00Z"));
	assert_int_equal(due("hoy 11:00", &lima, MONDAY), at("2026-12-07T16:00:00Z"));
	/* Across the year's end. */
	assert_int_equal(due("tomorrow 09:00", &lima, "2026-12-31T15:00:00Z"), at("2027-01-01T14:00:00Z"));
}

static void weekdays_are_the_next_such_day(void **state)
{
	(void)state;
	assert_int_equal(due("friday 10:00", &lima, MONDAY), at("2026-12-11T15:00:00Z"));
	assert_int_equal(due("viernes 10:00", &lima, MONDAY), at("2026-12-11T15:00:00Z"));
	assert_int_equal(due("Fri 10:00", &lima, MONDAY), at("2026-12-11T15:00:00Z"));
	assert_int_equal(due("vie 10:00", &lima, MONDAY), at("2026-12-11T15:00:00Z"));
	assert_int_equal(due("tuesday 10:00", &lima, MONDAY), at("2026-12-08T15:00:00Z"));
	assert_int_equal(due("martes 10:00", &lima, MONDAY), at("2026-12-08T15:00:00Z"));
	assert_int_equal(due("mi\xc3\xa9rcoles 10:00", &lima, MONDAY), at("2026-12-09T15:00:00Z"));
	assert_int_equal(due("MI\xc3\x89RCOLES 10:00", &lima, MONDAY), at("2026-12-09T15:00:00Z"));
	assert_int_equal(due("miercoles 10:00", &lima, MONDAY), at("2026-12-09T15:00:00Z"));
	assert_int_equal(due("jueves 10:00", &lima, MONDAY), at("2026-12-10T15:00:00Z"));
	assert_int_equal(due("s\xc3\xa1""bado 10:00", &lima, MONDAY), at("2026-12-12T15:00:00Z"));
	assert_int_equal(due("sabado 10:00", &lima, MONDAY), at("2026-12-12T15:00:00Z"));
	assert_int_equal(due("sunday 10:00", &lima, MONDAY), at("2026-12-13T15:00:00Z"));
	assert_int_equal(due("domingo 10:00", &lima, MONDAY), at("2026-12-13T15:00:00Z"));
	/* Today's own name is a week ahead; "10:00" alone is today's. */
	assert_int_equal(due("monday 10:00", &lima, MONDAY), at("2026-12-14T15:00:00Z"));
	assert_int_equal(due("lunes 09:00", &lima, MONDAY), at("2026-12-14T14:00:00Z"));
}

static void a_date_and_time(void **state)
{
	(void)state;
	assert_int_equal(due("2026-12-24 10:00", &lima, MONDAY), at("2026-12-24T15:00:00Z"));
	assert_int_equal(problem("2026-12-06 10:00", &lima, MONDAY), WHEN_PAST);
	assert_int_equal(problem("2027-02-29 10:00", &lima, MONDAY), WHEN_NO_SUCH_TIME);
	assert_int_equal(due("2028-02-29 10:00", &lima, MONDAY), at("2028-02-29T15:00:00Z"));
	assert_int_equal(problem("2026-13-01 10:00", &lima, MONDAY), WHEN_NO_SUCH_TIME);
	assert_int_equal(problem("2026-12-24 24:00", &lima, MONDAY), WHEN_NO_SUCH_TIME);
	assert_int_equal(problem("2026-12-24 10:60", &lima, MONDAY), WHEN_NO_SUCH_TIME);
}

static void what_is_not_a_moment_is_refused(void **state)
{
	(void)state;
	assert_int_equal(problem("", &lima, MONDAY), WHEN_UNREADABLE);
	assert_int_equal(problem("tomorrow", &lima, MONDAY), WHEN_UNREADABLE);
	assert_int_equal(problem("next week", &lima, MONDAY), WHEN_UNREADABLE);
	assert_int_equal(problem("friday at 10:00", &lima, MONDAY), WHEN_UNREADABLE);
	assert_int_equal(problem("10h", &lima, MONDAY), WHEN_UNREADABLE);
	assert_int_equal(problem("10:0", &lima, MONDAY), WHEN_UNREADABLE);
	assert_int_equal(problem("10:00x", &lima, MONDAY), WHEN_UNREADABLE);
	assert_int_equal(problem("-1:00", &lima, MONDAY), WHEN_UNREADABLE);
	assert_int_equal(problem("funday 10:00", &lima, MONDAY), WHEN_UNREADABLE);
	assert_int_equal(problem("12/24 10:00", &lima, MONDAY), WHEN_UNREADABLE);
}

/* Days the clocks change: the instant is the one the debtor's wall clock
 * shows then, not the same offset as today's. */
static void days_the_clocks_change(void **state)
{
	(void)state;
	/* New York moves to summer time on Sunday 2027-03-14 at 02:00. */
	assert_int_equal(due("tomorrow 10:00", &new_york, "2027-03-13T15:00:00Z"), at("2027-03-14T14:00:00Z"));
	assert_int_equal(due("sunday 01:59", &new_york, "2027-03-13T15:00:00Z"), at("2027-03-14T06:59:00Z"));
	assert_int_equal(problem("tomorrow 02:30", &new_york, "2027-03-13T15:00:00Z"), WHEN_NO_SUCH_TIME);
	assert_int_equal(due("tomorrow 03:00", &new_york, "2027-03-13T15:00:00Z"), at("2027-03-14T07:00:00Z"));
	/* Chile skips from Saturday 24:00 to Sunday 01:00 on 2026-09-06. */
	assert_int_equal(problem("domingo 00:30", &santiago, "2026-09-05T15:00:00Z"), WHEN_NO_SUCH_TIME);
	assert_int_equal(due("domingo 10:00", &santiago, "2026-09-05T15:00:00Z"), at("2026-09-06T13:00:00Z"));
	assert_int_equal(due("s\xc3\xa1""bado 10:00", &santiago, "2026-09-05T15:00:00Z"),
	                 at("2026-09-12T13:00:00Z"));
	/* Chile's winter time comes back at Saturday 2027-04-03 24:00: 23:30
	 * is passed twice, and the first is taken. */
	assert_int_equal(due("23:30", &santiago, "2027-04-03T15:00:00Z"), at("2027-04-04T02:30:00Z"));
	assert_int_equal(due("ma\xc3\xb1""ana 10:00", &santiago, "2027-04-03T15:00:00Z"), at("2027-04-04T14:00:00Z"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_time_alone_is_today_or_refused_if_past),
		cmocka_unit_test(tomorrow_in_both_languages),
		cmocka_unit_test(weekdays_are_the_next_such_day),
		cmocka_unit_test(a_date_and_time),
		cmocka_unit_test(what_is_not_a_moment_is_refused),
		cmocka_unit_test(days_the_clocks_change),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
