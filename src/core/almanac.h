/* The days holiday calendars hang from: Easter Sunday (the Gregorian
 * computus), the June solstice, the nth weekday of a month. Pure arithmetic
 * on day numbers (days since 1970-01-01, as tz.h counts them). */
#ifndef COBRO_ALMANAC_H
#define COBRO_ALMANAC_H

#include <stdint.h>

/* The Gregorian calendar, and so the computus, starts in 1582. */
#define ALMANAC_FIRST_YEAR 1583
#define ALMANAC_LAST_YEAR 9999

/* Easter Sunday of year (Gregorian; Western churches). */
int64_t almanac_easter(int year);

/* The nth weekday (0 Monday ... 6 Sunday) of month: nth 1 to 5, or -1 for
 * the last. INT64_MIN when the month has no such day (a fifth one). */
int64_t almanac_nth_weekday(int year, int month, int weekday, int nth);

/* The instant of the June solstice, UTC seconds: Meeus, Astronomical
 * Algorithms ch. 27, good to about a minute between 1000 and 3000. */
int64_t almanac_june_solstice(int year);

/* Days in month (1..12) of year. */
int almanac_month_days(int year, int month);

#endif
