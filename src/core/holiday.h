/* Holiday calendars computed from their rules, for any year.
 *
 * A calendar is one jurisdiction's rules as data (libconfig, etc/holidays/
 * JUR.conf; docs/compliance.md): fixed dates, days counted from Easter, the
 * nth weekday of a month, the June solstice; each may move by weekday (to a
 * Monday, to a Friday...), be observed on another day besides its own, hold
 * only on some weekdays, or only in some years. The dates a decree picks are
 * data too, each with its source. A year the rules cannot answer (before
 * they start, or a year whose decree is not written down) is unknown, never
 * a year without holidays.
 *
 * Pure: no SQL, no clock. A calendar remembers the years it has computed
 * (one pass of its rules per year, however often it is asked), so it is not
 * safe to share between threads. */
#ifndef COBRO_HOLIDAY_H
#define COBRO_HOLIDAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct holiday_set; /* every calendar of one text */
struct holiday_cal; /* one jurisdiction's */

/* Parses calendars: the rules format, or the dated lines "JUR YYYY-MM-DD
 * name" that policy versions stored before rules existed (each year with a
 * line is known, no other). name is used in errors: "NAME:LINE: what". */
struct holiday_set *holiday_set_parse(const char *text, const char *name, char *err, size_t errlen);
void holiday_set_free(struct holiday_set *s);
/* Whether text is those dated lines (its first line not a comment says). */
bool holiday_dated(const char *text);

/* Whether id names a jurisdiction: "CC" or "CC-RR" (ISO 3166), or "*". */
bool holiday_id_ok(const char *id);

int holiday_set_count(const struct holiday_set *s);
const struct holiday_cal *holiday_set_at(const struct holiday_set *s, int i);
/* The calendar of jurisdiction id, or NULL. */
const struct holiday_cal *holiday_set_find(const struct holiday_set *s, const char *id);
const char *holiday_cal_id(const struct holiday_cal *c);

/* Whether the rules know year. */
bool holiday_known(const struct holiday_cal *c, int year);

enum holiday_answer { HOLIDAY_NO, HOLIDAY_YES, HOLIDAY_UNKNOWN };
/* Whether day (days since 1970-01-01) is a holiday. */
enum holiday_answer holiday_is(const struct holiday_cal *c, int64_t day);

/* Days of year as bits (bit i: day i of the year, 0 is 1 January); false
 * when the year is unknown. */
#define HOLIDAY_BITS_WORDS 6
bool holiday_year_bits(const struct holiday_cal *c, int year, uint64_t bits[HOLIDAY_BITS_WORDS]);

struct holiday {
	int64_t day;
	char *name;
};
/* The holidays of year with their names, sorted by day then name; -1 when
 * the year is unknown. holiday_list_free() frees them. */
int holiday_list(const struct holiday_cal *c, int year, struct holiday **out);
void holiday_list_free(struct holiday *h, int n);
/* Sorts by day then name and drops repeats (freeing their names); returns
 * how many are left. */
int holiday_sort(struct holiday *h, int n);

/* What the calendar covers, for `policy show`: "CO rules from 1984",
 * "AR rules from 2018 and decrees for 2026-2027", "CO dates for 2026-2027". */
void holiday_describe(const struct holiday_cal *c, char *out, size_t n);

#endif
