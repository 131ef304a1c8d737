/* src/core/money.c: amounts in each market's style, and beside other
 * currencies an unambiguous symbol (CLDR's for a reader abroad): "$" alone
 * is four currencies on one worklist. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "money.h"

#define M(minor, cur, form) money_format_as(m_, sizeof m_, (minor), (cur), (form))

static void local_form_is_the_markets_own(void **state)
{
	char m_[48];

	(void)state;
	assert_string_equal(M(123450, "PEN", MONEY_LOCAL), "S/ 1,234.50");
	assert_string_equal(M(123450, "USD", MONEY_LOCAL), "$1,234.50");
	assert_string_equal(M(123450, "MXN", MONEY_LOCAL), "$1,234.50");
	assert_string_equal(M(123450, "CLP", MONEY_LOCAL), "$123.450");
	assert_string_equal(M(123450, "COP", MONEY_LOCAL), "$1.234,50");
	assert_string_equal(M(123450, "EUR", MONEY_LOCAL), "1.234,50 \xe2\x82\xac");
	/* money_format() is the local form. */
	assert_string_equal(money_format(m_, sizeof m_, 97000000, "COP"), "$970.000,00");
}

static void unambiguous_form_names_each_dollar_and_peso(void **state)
{
	char m_[48];

	(void)state;
	assert_string_equal(M(123450, "USD", MONEY_UNAMBIGUOUS), "US$1,234.50");
	assert_string_equal(M(123450, "MXN", MONEY_UNAMBIGUOUS), "MX$1,234.50");
	assert_string_equal(M(123450, "CLP", MONEY_UNAMBIGUOUS), "CLP$123.450");
	assert_string_equal(M(123450, "COP", MONEY_UNAMBIGUOUS), "COL$1.234,50");
	assert_string_equal(M(123450, "ARS", MONEY_UNAMBIGUOUS), "AR$1.234,50");
	/* S/ and € are no one else's: the same in both forms. */
	assert_string_equal(M(123450, "PEN", MONEY_UNAMBIGUOUS), "S/ 1,234.50");
	assert_string_equal(M(123450, "EUR", MONEY_UNAMBIGUOUS), "1.234,50 \xe2\x82\xac");
	/* A code the table does not know is written with its code either way. */
	assert_string_equal(M(123450, "BRL", MONEY_UNAMBIGUOUS), "1,234.50 BRL");
	assert_string_equal(M(-500, "USD", MONEY_UNAMBIGUOUS), "-US$5.00");
	assert_string_equal(M(0, "CLP", MONEY_UNAMBIGUOUS), "CLP$0");
}

static void no_two_currencies_share_an_unambiguous_symbol(void **state)
{
	static const char *const codes[] = { "PEN", "MXN", "USD", "COP", "CLP", "ARS", "EUR" };
	char a[48], b[48];

	(void)state;
	for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
		for (size_t j = i + 1; j < sizeof codes / sizeof *codes; j++) {
			/* The same digits: only the symbol can tell them apart. */
			money_format_as(a, sizeof a, 100, codes[i], MONEY_UNAMBIGUOUS);
			money_format_as(b, sizeof b, 100, codes[j], MONEY_UNAMBIGUOUS);
			/* CLP has no decimals, so compare the symbol: what precedes the first digit. */
			a[strcspn(a, "0123456789")] = '\0';
			b[strcspn(b, "0123456789")] = '\0';
			if (!a[0] && !b[0])
				continue; /* both suffixed (EUR alone is) */
			assert_string_not_equal(a, b);
		}
}

static void mix_is_local_for_one_currency_only(void **state)
{
	struct money_mix m = { 0 };

	(void)state;
	assert_int_equal(money_mix_form(&m), MONEY_LOCAL); /* nothing shown */
	money_mix_add(&m, "PEN");
	money_mix_add(&m, "PEN");
	assert_int_equal(money_mix_form(&m), MONEY_LOCAL);
	money_mix_add(&m, "USD");
	assert_int_equal(money_mix_form(&m), MONEY_UNAMBIGUOUS);
	money_mix_add(&m, "PEN");
	assert_int_equal(money_mix_form(&m), MONEY_UNAMBIGUOUS); /* once mixed, mixed */
}

static void money_is_cut_to_the_buffer(void **state)
{
	char small[6];

	(void)state;
	money_format_as(small, sizeof small, 123450, "USD", MONEY_UNAMBIGUOUS);
	assert_string_equal(small, "US$1,");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(local_form_is_the_markets_own),
		cmocka_unit_test(unambiguous_form_names_each_dollar_and_peso),
		cmocka_unit_test(no_two_currencies_share_an_unambiguous_symbol),
		cmocka_unit_test(mix_is_local_for_one_currency_only),
		cmocka_unit_test(money_is_cut_to_the_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
