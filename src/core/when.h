/* A moment as a collector types it for a callback, read in one zone (the
 * debtor's, or the collector's own): "10:00" (today), "tomorrow 10:00" /
 * "mañana 10:00", "friday 10:00" / "viernes 10:00" (the next such day),
 * "2026-12-24 10:00". Pure: the clock is an argument, so the tests fix it. */
#ifndef COBRO_WHEN_H
#define COBRO_WHEN_H

#include <stdint.h>

struct tz;

enum when_problem {
	WHEN_OK,
	WHEN_UNREADABLE, /* none of the forms */
	WHEN_NO_SUCH_TIME, /* no such date, or a time the clocks skip (a DST change) */
	WHEN_PAST,       /* at or before now */
};

/* Reads text as a moment in zone z, at instant now (UTC seconds), into *due
 * (UTC seconds). Words are taken in English or Spanish whatever the
 * screen's language, in any case, accents or none ("sabado"); weekdays whole
 * or by their first three letters. A weekday is the next one after today:
 * "monday" typed on a Monday is a week ahead ("10:00" is today's). A time
 * the clocks pass twice (summer time ending) is its first. */
enum when_problem when_parse(const char *text, const struct tz *z, int64_t now, int64_t *due);

#endif
