/* Time zones as data: each zone's UTC offsets and the instants they change,
 * read once from the system's tz database (through glibc), then looked up
 * without touching TZ or the clock. The policy engine converts every instant
 * to the debtor's local time with these; never the collector's clock. */
#ifndef COBRO_TZ_H
#define COBRO_TZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tz {
	char name[64];
	int n;           /* offset changes between TZ_FIRST_YEAR and TZ_LAST_YEAR */
	int64_t *at;     /* UTC instants where the offset changes, ascending */
	int32_t *off;    /* seconds east of UTC from at[i] on */
	int32_t off0;    /* before at[0] */
};

#define TZ_FIRST_YEAR 2000
#define TZ_LAST_YEAR 2045

/* A local date and time; wday 0 is Monday. */
struct civil {
	int year, month, day, hour, min, sec, wday;
};

/* Loads a zone by its tz database name ("America/Bogota"). An unknown name is
 * an error, never a silent UTC. */
bool tz_load(struct tz *tz, const char *name, char *err, size_t errlen);
void tz_free(struct tz *tz);

/* The name of this machine's own zone: $TZ (without a leading ':') when it
 * names a zone, else where /etc/localtime links to, else "UTC". */
const char *tz_local_name(char *out, size_t n);

/* A zone loaded once per process and kept: for code that meets the same few
 * zones again and again (the worklist's debtors). NULL for an unknown name. */
const struct tz *tz_cached(const char *name);

int32_t tz_offset(const struct tz *tz, int64_t utc);
void tz_local(const struct tz *tz, int64_t utc, struct civil *out);
/* The first instant whose local time is at or after c: a time that does not
 * exist (skipped by a DST change) gives the instant the clock jumps. */
int64_t tz_utc(const struct tz *tz, const struct civil *c);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t days_from_civil(int y, int m, int d);
void civil_from_days(int64_t days, int *y, int *m, int *d);
/* Monday = 0 ... Sunday = 6. */
int weekday_of_days(int64_t days);

/* Parses "YYYY-MM-DDTHH:MM[:SS](Z|±HH:MM)" into a UTC instant. */
bool time_parse_iso(const char *s, int64_t *out);
/* Formats utc as local time in tz with its offset: "2026-11-30T07:00-05:00". */
void time_format_iso(char *out, size_t n, const struct tz *tz, int64_t utc);

#endif
