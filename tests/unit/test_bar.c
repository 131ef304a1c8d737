/* The dashboard's bars and sparklines as text (screens/layout/bar.c): so
 * many display cells whatever the value, eighths of a cell on UTF-8, plain
 * characters elsewhere, the largest value full, nothing for none. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "bar.h"
#include "text.h"

static void bars_fill_their_cells(void **state)
{
	char b[256];

	(void)state;
	assert_string_equal(bar_text(b, sizeof b, 10, 10, 4, false), "####");
	assert_string_equal(bar_text(b, sizeof b, 5, 10, 4, false), "##  ");
	assert_string_equal(bar_text(b, sizeof b, 0, 10, 4, false), "    ");
	assert_string_equal(bar_text(b, sizeof b, 3, 0, 4, false), "    ");   /* nothing to measure against */
	assert_string_equal(bar_text(b, sizeof b, 1, 1000, 4, false), "#   "); /* above 0 shows */
	assert_string_equal(bar_text(b, sizeof b, 20, 10, 4, false), "####"); /* never past its cells */
	/* UTF-8: eighths. 5 of 8 in 1 cell is ▋; 12 of 16 in 2 cells: █ and ▌. */
	assert_string_equal(bar_text(b, sizeof b, 5, 8, 1, true), "\xe2\x96\x8b");
	assert_string_equal(bar_text(b, sizeof b, 12, 16, 2, true), "\xe2\x96\x88\xe2\x96\x8c");
	for (int v = 0; v <= 37; v++) {
		bar_text(b, sizeof b, v, 37, 9, true);
		assert_int_equal(text_width(b), 9);
	}
	/* A buffer too short is cut, never overrun. */
	assert_int_equal(strlen(bar_text(b, 5, 10, 10, 9, true)), 3);
}

static void sparklines_group_and_scale(void **state)
{
	char b[256];
	const int64_t day[24] = { [9] = 2, [10] = 8, [11] = 4, [15] = 1 };
	const int64_t four[4] = { 1, 2, 3, 4 };

	(void)state;
	/* Eight heights, the largest the top one: 1 of 4 is the second. */
	assert_string_equal(spark_text(b, sizeof b, four, 4, 4, false), ":=*@");
	assert_string_equal(spark_text(b, sizeof b, four, 4, 6, false), ":=*@  "); /* room left blank */
	/* 24 hours in 6 cells: 4 hours each, summed: 0, 0, 14, 1, 0, 0. */
	assert_string_equal(spark_text(b, sizeof b, day, 24, 6, false), "  @.  ");
	spark_text(b, sizeof b, day, 24, 24, true);
	assert_int_equal(text_width(b), 24);
	assert_memory_equal(b, "         \xe2\x96", 11); /* nine quiet hours, then a block */
	assert_string_equal(spark_text(b, sizeof b, four, 0, 3, true), "   ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bars_fill_their_cells),
		cmocka_unit_test(sparklines_group_and_scale),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
