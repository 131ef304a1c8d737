/* The tests' dates, as tests/run.sh (tests/lib/clock.sh) hands them to every
 * suite: no test here reads the calendar on its own.
 *   COBRO_TEST_ANCHOR  the day the shared demo's history ends: its events lie
 *                      before 00:00 UTC of that day
 *   COBRO_TEST_NOW     the moment the contact policy is asked about: 15:00
 *                      UTC of a working Tuesday after the anchor
 * What the server dates itself (now(), current_date) is the run's clock, read
 * in SQL where a test needs it. */
#ifndef COBRO_TEST_CLOCK_H
#define COBRO_TEST_CLOCK_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tz.h"

/* The variable's instant; exits (the suite fails) when the harness did not
 * set it, or set something that is not a date. */
static inline int64_t test_clock_read(const char *name)
{
	const char *v = getenv(name);
	char iso[40];
	int64_t t;

	if (v && *v && snprintf(iso, sizeof iso, strlen(v) > 10 ? "%s" : "%sT00:00:00Z", v) < (int)sizeof iso &&
	    time_parse_iso(iso, &t))
		return t;
	fprintf(stderr, "%s is %s: run this under tests/run.sh, or source tests/lib/clock.sh and call clock_init\n",
	        name, v ? v : "not set");
	exit(2);
}

/* 00:00 UTC of the demo's anchor day. */
static inline int64_t test_anchor(void)
{
	return test_clock_read("COBRO_TEST_ANCHOR");
}

/* A Tuesday, 15:00 UTC: office hours from Bogotá to Madrid. */
static inline int64_t test_now(void)
{
	return test_clock_read("COBRO_TEST_NOW");
}

#endif
