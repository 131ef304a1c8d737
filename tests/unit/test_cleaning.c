/* src/core/cleaning.c, its pure parts: the numbers a debtor's reply holds,
 * read as a person of their country writes them, and the `cleaning` group
 * of etc/strategy.conf (strategy_parse()) as the run takes it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleaning.h"
#include "util.h"

static int numbers(const char *text, const char *country, struct cleaning_number *out)
{
	return cleaning_numbers(text, country, out, 8);
}

static void peruvian_mobile_as_written(void **state)
{
	struct cleaning_number n[8];

	(void)state;
	assert_int_equal(numbers("mi número nuevo es 987 654 321", "PE", n), 1);
	assert_string_equal(n[0].e164, "+51987654321");
	assert_true(n[0].mobile);
	assert_int_equal(numbers("Mi nuevo número: 987-654-321.", "PE", n), 1);
	assert_string_equal(n[0].e164, "+51987654321");
	assert_int_equal(numbers("+51 987 654 321 gracias", "PE", n), 1);
	assert_string_equal(n[0].e164, "+51987654321");
	assert_int_equal(numbers("(01) 234-5678 es mi casa", "PE", n), 1);
	assert_string_equal(n[0].e164, "+5112345678");
	assert_false(n[0].mobile);
}

static void several_and_repeated(void **state)
{
	struct cleaning_number n[8];

	(void)state;
	assert_int_equal(numbers("987654321 o 912345678, y otra vez 987 654 321", "PE", n), 2);
	assert_string_equal(n[0].e164, "+51987654321");
	assert_string_equal(n[1].e164, "+51912345678");
	/* Side by side with one space: each word. */
	assert_int_equal(numbers("987654321 912345678", "PE", n), 2);
	assert_string_equal(n[1].e164, "+51912345678");
}

static void not_numbers(void **state)
{
	struct cleaning_number n[8];

	(void)state;
	assert_int_equal(numbers("ya pagué la cuota de 12.500 el 03-12", "PE", n), 0);
	assert_int_equal(numbers("no tengo otro número", "PE", n), 0);
	assert_int_equal(numbers("", "PE", n), 0);
	assert_int_equal(numbers("12345", "PE", n), 0);
	assert_int_equal(cleaning_numbers(NULL, "PE", n, 8), 0);
	/* Valid digits for one country, not for another: a Peruvian mobile
	 * is too short for Mexico. */
	assert_int_equal(numbers("987 654 321", "MX", n), 0);
}

static void other_countries(void **state)
{
	struct cleaning_number n[8];

	(void)state;
	/* The same digits are a landline in León for a Spaniard. */
	assert_int_equal(numbers("987 654 321", "ES", n), 1);
	assert_string_equal(n[0].e164, "+34987654321");
	assert_false(n[0].mobile);
	assert_int_equal(numbers("my new number is (617) 253-1000", "US", n), 1);
	assert_string_equal(n[0].e164, "+16172531000");
	assert_int_equal(numbers("mi móvil es 612 345 678", "ES", n), 1);
	assert_string_equal(n[0].e164, "+34612345678");
}

static void at_most_max(void **state)
{
	struct cleaning_number n[1];

	(void)state;
	assert_int_equal(cleaning_numbers("987654321 o 912345678", "PE", n, 1), 1);
}

static void json_for_every_country(void **state)
{
	char *j = cleaning_numbers_json("mi número nuevo es 987 654 321");
	json_t *o;

	(void)state;
	assert_non_null(j);
	o = json_loads(j, 0, NULL);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(json_object_get(o, "PE"), "+51987654321")), "mobile");
	/* Each country's reading; the database keeps the debtor's. */
	assert_string_equal(json_string_value(json_object_get(json_object_get(o, "ES"), "+34987654321")), "phone");
	assert_null(json_object_get(o, "MX"));
	json_decref(o);
	free(j);
	assert_null(cleaning_numbers_json("gracias, ya pagué"));
}

/* etc/strategy.conf as shipped, with its cleaning group replaced by
 * cleaning (NULL: as shipped; "": none). malloc'd. */
static char *strategy_with(const char *cleaning)
{
	const char *top = getenv("COBRO_TOP");
	char path[1024], *text, *at, *end, *out;

	snprintf(path, sizeof path, "%s/etc/strategy.conf", top && *top ? top : ".");
	text = read_file(path, NULL);
	assert_non_null(text);
	if (!cleaning)
		return text;
	at = strstr(text, "\ncleaning = {");
	assert_non_null(at);
	end = strstr(at, "};");
	assert_non_null(end);
	out = xmalloc(strlen(text) + strlen(cleaning) + 2);
	sprintf(out, "%.*s\n%s%s", (int)(at - text), text, cleaning, end + 2);
	free(text);
	return out;
}

static void conf_as_shipped(void **state)
{
	struct cleaning_conf c;
	char err[512] = "", *text = strategy_with(NULL);

	(void)state;
	assert_true(cleaning_conf_parse("strategy.conf", text, &c, err, sizeof err));
	free(text);
	assert_true(c.given);
	assert_int_equal(c.after_failures, 3);
	assert_int_equal(c.every_days, 7);
	assert_int_equal(c.nchannels, 2);
	assert_string_equal(c.channels[0], "email");
	assert_string_equal(c.channels[1], "whatsapp");
	assert_string_equal(c.template_code, "number_update");
	assert_int_equal(c.nsegments, 0);
}

static void conf_values(void **state)
{
	struct cleaning_conf c;
	char err[512] = "", *text;

	(void)state;
	text = strategy_with("cleaning = { after_failures = 2; channels = [\"whatsapp\"]; template = \"number_update\";\n"
	                     "  incentive = \"10% de descuento\"; every_days = 14; segments = [\"late\"]; };");
	assert_true(cleaning_conf_parse("strategy.conf", text, &c, err, sizeof err));
	free(text);
	assert_int_equal(c.after_failures, 2);
	assert_int_equal(c.every_days, 14);
	assert_int_equal(c.nchannels, 1);
	assert_string_equal(c.channels[0], "whatsapp");
	assert_string_equal(c.incentive, "10% de descuento");
	assert_int_equal(c.nsegments, 1);
	assert_string_equal(c.segments[0], "late");
	/* No cleaning group: the run has nothing to do. */
	text = strategy_with("");
	assert_true(cleaning_conf_parse("strategy.conf", text, &c, err, sizeof err));
	free(text);
	assert_false(c.given);
}

static void conf_errors_by_line(void **state)
{
	struct cleaning_conf c;
	char err[512] = "", *text;

	(void)state;
	text = strategy_with("cleaning = { after_failures = 3; channels = [\"email\"]; template = \"number_update\";\n"
	                     "  incentive = \"\"; every_days = 0; };");
	assert_false(cleaning_conf_parse("strategy.conf", text, &c, err, sizeof err));
	free(text);
	assert_non_null(strstr(err, "strategy.conf:"));
	assert_non_null(strstr(err, "every_days"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(peruvian_mobile_as_written),
	    cmocka_unit_test(several_and_repeated),
	    cmocka_unit_test(not_numbers),
	    cmocka_unit_test(other_countries),
	    cmocka_unit_test(at_most_max),
	    cmocka_unit_test(json_for_every_country),
	    cmocka_unit_test(conf_as_shipped),
	    cmocka_unit_test(conf_values),
	    cmocka_unit_test(conf_errors_by_line),
	};

	return cmocka_run_group_tests_name("cleaning", tests, NULL, NULL);
}
