/* src/core/channel_report.c: what the reports take from the strategy in
 * force (the attribution window, each message channel's cost in the cost
 * currency, exact), and the cost per amount recovered, per currency, never
 * added across currencies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "channel_report.h"

static void costs_and_window_are_read_exactly(void **state)
{
	struct report_settings s;
	char err[256];

	(void)state;
	assert_true(report_settings_parse("settings = { attribution_days = 3; cost_currency = \"USD\"; };\n"
	                                  "channels = { sms = { cost = \"0.05\"; rate = 50.0; };\n"
	                                  "  email = { cost = \"0.005\"; }; whatsapp = { cost = \"12\"; }; };",
	                                  &s, err, sizeof err));
	assert_true(s.strategy);
	assert_int_equal(s.attribution_days, 3);
	assert_string_equal(s.currency, "USD");
	assert_true(s.cost_known[0] && s.cost_known[1] && s.cost_known[2]);
	assert_int_equal(s.cost_micro[0], 50000);
	assert_int_equal(s.cost_micro[1], 5000);   /* half a cent: minor units could not say it */
	assert_int_equal(s.cost_micro[2], 12000000);
}

static void what_is_not_said_is_the_default_or_unknown(void **state)
{
	struct report_settings s;
	char err[256];

	(void)state;
	assert_true(report_settings_parse("settings = { cost_currency = \"PEN\"; };\n"
	                                  "channels = { sms = { cost = \"0.10\"; }; };",
	                                  &s, err, sizeof err));
	assert_int_equal(s.attribution_days, 7);
	assert_true(s.cost_known[0]);
	assert_false(s.cost_known[1]);
	assert_false(s.cost_known[2]);
	/* A cost without the currency it is written in is no cost. */
	assert_true(report_settings_parse("channels = { sms = { cost = \"0.10\"; }; };", &s, err, sizeof err));
	assert_false(s.cost_known[0]);
}

static void a_cost_that_is_not_a_decimal_is_refused(void **state)
{
	static const char *const bad[] = { "-1", "0.0000001", "1e3", "", "1.2.3", "0,05" };
	struct report_settings s;
	char text[256], err[256];

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(text, sizeof text, "settings = { cost_currency = \"USD\"; }; channels = { sms = { cost = \"%s\"; }; };",
		         bad[i]);
		err[0] = '\0';
		assert_false(report_settings_parse(text, &s, err, sizeof err));
		assert_non_null(strstr(err, "channels.sms.cost"));
	}
	assert_false(report_settings_parse("settings = {", &s, err, sizeof err));
	assert_non_null(strstr(err, "line"));
}

static void cost_per_recovered_is_per_currency(void **state)
{
	struct channel_row r;

	(void)state;
	memset(&r, 0, sizeof r);
	r.cost_known = true;
	r.cost_by_currency.n = 2;
	strcpy(r.cost_by_currency.v[0].currency, "CLP");
	r.cost_by_currency.v[0].amount = 0.10;
	strcpy(r.cost_by_currency.v[1].currency, "USD");
	r.cost_by_currency.v[1].amount = 0.15;
	r.recovered.n = 2;
	strcpy(r.recovered.sum[0].currency, "CLP");
	r.recovered.sum[0].amount = 20000;   /* CLP has no decimals: 20000 pesos */
	strcpy(r.recovered.sum[1].currency, "USD");
	r.recovered.sum[1].amount = 3000;    /* USD 30.00 */
	assert_float_equal(channel_cost_per_recovered(&r, "CLP"), 0.10 / 20000, 1e-12);
	assert_float_equal(channel_cost_per_recovered(&r, "USD"), 0.15 / 30, 1e-12);
	/* Nothing recovered in it, or an unknown cost: no value. */
	assert_true(channel_cost_per_recovered(&r, "PEN") < 0);
	r.cost_known = false;
	assert_true(channel_cost_per_recovered(&r, "USD") < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(costs_and_window_are_read_exactly),
		cmocka_unit_test(what_is_not_said_is_the_default_or_unknown),
		cmocka_unit_test(a_cost_that_is_not_a_decimal_is_refused),
		cmocka_unit_test(cost_per_recovered_is_per_currency),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
