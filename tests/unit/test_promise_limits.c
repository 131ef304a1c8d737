/* src/core/promise_limits.c: a promise limits file parsed, every mistake
 * named by its line ("FILE:LINE: what is wrong"), the shipped
 * etc/promise.conf good, and the row that applies picked as the database's
 * promise_limit_pick() does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "promise_limits.h"
#include "util.h"

#define ROW(j, s, h) "  { jurisdiction = \"" j "\"; segment = \"" s "\"; horizon_days = " #h "; " \
                     "min_share_permille = 250; max_installments = 4; max_discount_permille = 0; grace_days = 2; }"

/* The error of parsing text, or "" when it parsed. */
static const char *mistake(const char *text)
{
	static char err[512];
	struct promise_limits l;

	err[0] = '\0';
	if (promise_limits_parse(text, "t.conf", &l, err, sizeof err))
		promise_limits_free(&l);
	return err;
}

static void a_good_file(void **state)
{
	struct promise_limits l;
	char err[512];

	(void)state;
	assert_true(promise_limits_parse("# limits\nlimits = (\n" ROW("*", "*", 45) ",\n" ROW("PE", "recovery", 180)
	                                 "\n);\n",
	                                 "t.conf", &l, err, sizeof err));
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[1].jurisdiction, "PE");
	assert_string_equal(l.v[1].segment, "recovery");
	assert_int_equal(l.v[1].horizon_days, 180);
	assert_int_equal(l.v[1].min_share_permille, 250);
	assert_int_equal(l.v[1].max_installments, 4);
	assert_int_equal(l.v[1].grace_days, 2);
	assert_int_equal(l.v[1].line, 4);
	promise_limits_free(&l);
}

static void each_mistake_names_its_line(void **state)
{
	(void)state;
	assert_string_equal(mistake("limits = (\n" ROW("*", "*", 45) ",\n" ROW("PE", "*", 4000) "\n);\n"),
	                    "t.conf:3: horizon_days: 4000 is out of range (0 to 3660)");
	assert_string_equal(mistake("limits = (\n" ROW("PE", "*", 45) "\n);\n"),
	                    "t.conf:1: no limits for jurisdiction \"*\" and segment \"*\": every account needs limits");
	assert_string_equal(mistake("limits = (\n" ROW("*", "*", 45) ",\n\n" ROW("*", "*", 50) "\n);\n"),
	                    "t.conf:4: jurisdiction * and segment * were given already, on line 2");
	assert_string_equal(mistake("limits = (\n" ROW("Peru", "*", 45) "\n);\n"),
	                    "t.conf:2: jurisdiction = \"CC\" or \"CC-RR\" (ISO 3166) or \"*\" for any is required");
	assert_string_equal(mistake("limits = (\n" ROW("*", "Early Ones", 45) "\n);\n"),
	                    "t.conf:2: segment = \"early\" (lower case letters, digits, _ and -; at most 32) or \"*\" "
	                    "for any is required");
	assert_string_equal(mistake("limits = (\n  { jurisdiction = \"*\"; segment = \"*\"; horizon_days = 45;\n"
	                            "    min_share_permille = 250; max_installments = 4; grace_days = 2; }\n);\n"),
	                    "t.conf:2: * *: max_discount_permille is required");
	assert_string_equal(mistake("limits = (\n  { jurisdiction = \"*\"; segment = \"*\"; horizon_days = \"45\";\n"
	                            "    min_share_permille = 250; max_installments = 4; max_discount_permille = 0;\n"
	                            "    grace_days = 2; }\n);\n"),
	                    "t.conf:2: horizon_days: a whole number is expected");
	assert_string_equal(mistake("limits = (\n  { jurisdiction = \"*\"; segment = \"*\"; horizon_days = 45;\n"
	                            "    min_share_permille = 250; max_installments = 0; max_discount_permille = 0;\n"
	                            "    grace_days = 2; }\n);\n"),
	                    "t.conf:3: max_installments: 0 is out of range (1 to 360)");
	assert_string_equal(mistake("limits = (\n" ROW("*", "*", 45) "\n);\n  grace = 3;\n"),
	                    "t.conf:4: grace: unknown setting (limits)");
	assert_string_equal(mistake("limits = (\n  { jurisdiction = \"*\"; segment = \"*\"; horizon = 45; }\n);\n"),
	                    "t.conf:2: horizon: unknown setting (jurisdiction, segment, horizon_days, min_share_permille, "
	                    "max_installments, max_discount_permille, grace_days)");
	assert_string_equal(mistake("limits = (\n" ROW("*", "*", 45) "\n;\n"), "t.conf:3: syntax error");
	assert_string_equal(mistake("limits = (\n" ROW("*", "*", 99999999999) "\n);\n"),
	                    "t.conf:2: limits.horizon_days: 99999999999 is too large a number (at most 2147483647)");
	assert_string_equal(mistake("# nothing\n"),
	                    "t.conf:1: limits = ( { jurisdiction = \"*\"; segment = \"*\"; ... }, ... ); is required");
}

static void the_shipped_file_is_good(void **state)
{
	struct promise_limits l;
	char err[512], *text, *path = xasprintf("%s/etc/promise.conf", getenv("COBRO_TOP") ? getenv("COBRO_TOP") : ".");
	size_t len;
	static const char *const juris[] = { "PE", "MX", "CO", "CL", "AR", "ES", "US" };

	(void)state;
	text = read_text_file(path, &len, err, sizeof err);
	if (!text)
		fail_msg("%s", err);
	if (!promise_limits_parse(text, path, &l, err, sizeof err))
		fail_msg("%s", err);
	/* Every jurisdiction of the product has its own row. */
	for (size_t i = 0; i < sizeof juris / sizeof *juris; i++)
		assert_string_equal(promise_limits_pick(&l, juris[i], "early")->jurisdiction, juris[i]);
	promise_limits_free(&l);
	free(text);
	free(path);
}

static void the_most_specific_row_applies(void **state)
{
	struct promise_limits l;
	char err[512];

	(void)state;
	assert_true(promise_limits_parse("limits = (\n" ROW("*", "*", 10) ",\n" ROW("ES", "*", 20) ",\n"
	                                 ROW("*", "early", 30) ",\n" ROW("ES", "early", 40) ",\n" ROW("US", "*", 50)
	                                 ",\n" ROW("US-MA", "late", 60) "\n);\n",
	                                 "t.conf", &l, err, sizeof err));
	assert_int_equal(promise_limits_pick(&l, "ES", "early")->horizon_days, 40);
	assert_int_equal(promise_limits_pick(&l, "ES", "late")->horizon_days, 20);
	assert_int_equal(promise_limits_pick(&l, "PE", "early")->horizon_days, 30);
	assert_int_equal(promise_limits_pick(&l, "PE", "late")->horizon_days, 10);
	assert_int_equal(promise_limits_pick(&l, "US-MA", "late")->horizon_days, 60);
	assert_int_equal(promise_limits_pick(&l, "US-MA", "early")->horizon_days, 50);
	assert_int_equal(promise_limits_pick(&l, "US-NY", "early")->horizon_days, 50);
	promise_limits_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_good_file),
		cmocka_unit_test(each_mistake_names_its_line),
		cmocka_unit_test(the_shipped_file_is_good),
		cmocka_unit_test(the_most_specific_row_applies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
