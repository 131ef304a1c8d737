/* src/cobrod/dispatch.c's pure part: the wait before a retry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "dispatch.h"

/* Doubling from the base per attempt, capped, then jittered into the upper
 * half: r = 0 gives half the wait, r near 1 all of it. */
static void backoff_doubles_to_the_cap_with_jitter(void **state)
{
	(void)state;
	assert_float_equal(dispatch_backoff(1, 30, 3600, 0.0), 15, 1e-9);
	assert_float_equal(dispatch_backoff(1, 30, 3600, 0.999999), 30, 1e-3);
	assert_float_equal(dispatch_backoff(2, 30, 3600, 0.0), 30, 1e-9);
	assert_float_equal(dispatch_backoff(3, 30, 3600, 0.0), 60, 1e-9);
	assert_float_equal(dispatch_backoff(7, 30, 3600, 0.0), 960, 1e-9);
	/* 30 * 2^7 = 3840 is over the cap. */
	assert_float_equal(dispatch_backoff(8, 30, 3600, 0.0), 1800, 1e-9);
	assert_float_equal(dispatch_backoff(40, 30, 3600, 0.5), 2700, 1e-9);
	/* Attempt 0 or less reads as the first. */
	assert_float_equal(dispatch_backoff(0, 30, 3600, 0.0), 15, 1e-9);
}

/* Messages failed together come back spread over half the wait. */
static void jitter_spreads_over_the_upper_half(void **state)
{
	double lo = 1e9, hi = 0;

	(void)state;
	for (int i = 0; i < 1000; i++) {
		double w = dispatch_backoff(3, 10, 100, i / 1000.0);

		lo = w < lo ? w : lo;
		hi = w > hi ? w : hi;
	}
	assert_float_equal(lo, 20, 1e-9);
	assert_true(hi > 39.9 && hi < 40);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(backoff_doubles_to_the_cap_with_jitter),
		cmocka_unit_test(jitter_spreads_over_the_upper_half),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
