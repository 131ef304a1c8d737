#include "holiday.h"

#include <ctype.h>
#include <libconfig.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "almanac.h"
#include "confnum.h"
#include "tz.h"
#include "util.h"

static const char *const weekdays[7] = { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" };

/* A move by weekday: a holiday that falls on weekday w is kept on its day
 * plus shift[w] (0: it stays). suffix is added to the name of the day it
 * moved to, with the original date in it ("%d de %B"). */
struct move {
	char name[32];
	signed char shift[7];
	char *suffix;
};

enum rule_kind { KIND_DATE, KIND_EASTER, KIND_NTH, KIND_SOLSTICE };

struct rule {
	char *name;
	enum rule_kind kind;
	int month, day;        /* date; month of nth */
	int offset;            /* easter */
	int weekday, nth;      /* nth */
	const struct tz *zone; /* solstice: the day is the local day there */
	unsigned on;           /* a holiday only on these weekdays (bit per weekday); 0: any */
	int from, until, every;
	const struct move *move;
	bool observed;         /* the move adds a day and keeps the holiday's own */
};

struct dated {
	int64_t day;
	char *name;
};

/* The dates one decree (or resolution, or law for one year) picks. */
struct decree {
	int year;
	char *source;
	struct dated *dates;
	int n;
};

/* One computed year: the days that are holidays, as bits from 1 January. */
struct year {
	int year;
	bool known;
	int64_t first;
	int len;
	uint64_t bits[HOLIDAY_BITS_WORDS];
};

struct cache {
	struct year *y;
	int n, last;
};

struct holiday_cal {
	char id[8];
	int from, until;    /* years the rules describe; until 0: no end */
	bool yearly_decree; /* a year is known only with a decree for it */
	bool dates_only;    /* read from dated lines: no rules at all */
	char *months[12];
	struct move *moves;
	int nmoves;
	struct rule *rules;
	int nrules;
	struct decree *decrees;
	int ndecrees;
	struct cache *cache; /* mutable behind a const calendar: computed years */
};

struct holiday_set {
	struct holiday_cal *c;
	int n;
};

/* ------------------------------------------------------------- computing */

static const struct decree *find_decree(const struct holiday_cal *c, int year)
{
	for (int i = 0; i < c->ndecrees; i++)
		if (c->decrees[i].year == year)
			return &c->decrees[i];
	return NULL;
}

bool holiday_known(const struct holiday_cal *c, int year)
{
	return year >= ALMANAC_FIRST_YEAR && year <= ALMANAC_LAST_YEAR && year >= c->from &&
	       (!c->until || year <= c->until) && (!c->yearly_decree || find_decree(c, year));
}

static bool applies(const struct rule *r, int year)
{
	return year >= ALMANAC_FIRST_YEAR && year <= ALMANAC_LAST_YEAR && (!r->from || year >= r->from) &&
	       (!r->until || year <= r->until) && (!r->every || (year - r->from) % r->every == 0);
}

/* The rule's own day in year, before any move; INT64_MIN when it has none
 * (29 February of a common year, a fifth Monday). */
static int64_t rule_day(const struct rule *r, int year)
{
	switch (r->kind) {
	case KIND_DATE:
		return r->day <= almanac_month_days(year, r->month) ? days_from_civil(year, r->month, r->day) : INT64_MIN;
	case KIND_EASTER: return almanac_easter(year) + r->offset;
	case KIND_NTH: return almanac_nth_weekday(year, r->month, r->weekday, r->nth);
	case KIND_SOLSTICE: {
		int64_t t = almanac_june_solstice(year), local = t + tz_offset(r->zone, t);

		return local / 86400 - (local % 86400 < 0);
	}
	}
	return INT64_MIN;
}

/* name and the move's suffix, with %d and %B (the calendar's month names)
 * of the day it moved from. */
static char *moved_name(const struct holiday_cal *c, const struct rule *r, int64_t from)
{
	struct buf b = { 0 };
	int y, m, d;

	civil_from_days(from, &y, &m, &d);
	buf_puts(&b, r->name);
	for (const char *p = r->move->suffix ? r->move->suffix : ""; *p; p++) {
		if (*p != '%' || !p[1]) {
			buf_add(&b, p, 1);
			continue;
		}
		p++;
		if (*p == 'd')
			buf_printf(&b, "%d", d);
		else if (*p == 'B')
			buf_puts(&b, c->months[m - 1]);
		else
			buf_add(&b, p, 1);
	}
	return b.s;
}

struct list {
	struct holiday *h;
	int n, cap;
};

static void list_add(struct list *l, int64_t day, char *name)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 32;
		l->h = xrealloc(l->h, (size_t)l->cap * sizeof *l->h);
	}
	l->h[l->n++] = (struct holiday){ day, name };
}

static int cmp_holiday(const void *a, const void *b)
{
	const struct holiday *x = a, *y = b;

	return x->day != y->day ? (x->day > y->day) - (x->day < y->day) : strcmp(x->name, y->name);
}

int holiday_list(const struct holiday_cal *c, int year, struct holiday **out)
{
	int64_t first = days_from_civil(year, 1, 1), end = days_from_civil(year + 1, 1, 1);
	const struct decree *dc = find_decree(c, year);
	struct list l = { 0 };

	*out = NULL;
	if (!holiday_known(c, year))
		return -1;
	/* A move or an observed day can cross the new year (1 January on a
	 * Saturday is observed on 31 December): the neighbours' rules too. */
	for (int ry = year - 1; ry <= year + 1; ry++)
		for (int i = 0; i < c->nrules; i++) {
			const struct rule *r = &c->rules[i];
			int64_t day;
			int shift;

			if (!applies(r, ry) || (day = rule_day(r, ry)) == INT64_MIN)
				continue;
			if (r->on && !(r->on & 1u << weekday_of_days(day)))
				continue;
			shift = r->move ? r->move->shift[weekday_of_days(day)] : 0;
			if ((!shift || r->observed) && day >= first && day < end)
				list_add(&l, day, xstrdup(r->name));
			if (shift && day + shift >= first && day + shift < end)
				list_add(&l, day + shift, moved_name(c, r, day));
		}
	for (int i = 0; dc && i < dc->n; i++)
		list_add(&l, dc->dates[i].day, xstrdup(dc->dates[i].name));
	*out = l.h;
	return holiday_sort(l.h, l.n);
}

int holiday_sort(struct holiday *h, int n)
{
	int kept = 0;

	if (n)
		qsort(h, (size_t)n, sizeof *h, cmp_holiday);
	/* The same holiday twice (two calendars' rules, a decree repeating a
	 * law) is listed once. */
	for (int i = 0; i < n; i++) {
		if (kept && h[kept - 1].day == h[i].day && !strcmp(h[kept - 1].name, h[i].name)) {
			free(h[i].name);
			continue;
		}
		h[kept++] = h[i];
	}
	return kept;
}

void holiday_list_free(struct holiday *h, int n)
{
	for (int i = 0; i < n; i++)
		free(h[i].name);
	free(h);
}

/* Year y of c, computed the first time it is asked for. */
static const struct year *year_get(const struct holiday_cal *c, int y)
{
	struct cache *k = c->cache;
	struct holiday *h;
	struct year *e;
	int n;

	for (int i = 0; i < k->n; i++)
		if (k->y[i].year == y) {
			k->last = i;
			return &k->y[i];
		}
	k->y = xrealloc(k->y, (size_t)(k->n + 1) * sizeof *k->y);
	e = &k->y[k->n];
	memset(e, 0, sizeof *e);
	e->year = y;
	e->first = days_from_civil(y, 1, 1);
	e->len = (int)(days_from_civil(y + 1, 1, 1) - e->first);
	n = holiday_list(c, y, &h);
	e->known = n >= 0;
	for (int i = 0; i < n; i++) {
		int64_t d = h[i].day - e->first;

		e->bits[d / 64] |= 1ull << (d % 64);
	}
	holiday_list_free(h, n);
	k->last = k->n++;
	return e;
}

enum holiday_answer holiday_is(const struct holiday_cal *c, int64_t day)
{
	const struct year *e = c->cache->n ? &c->cache->y[c->cache->last] : NULL;
	int64_t d;

	if (!e || day < e->first || day >= e->first + e->len) {
		int y, m, dd;

		civil_from_days(day, &y, &m, &dd);
		e = year_get(c, y);
	}
	if (!e->known)
		return HOLIDAY_UNKNOWN;
	d = day - e->first;
	return e->bits[d / 64] >> (d % 64) & 1 ? HOLIDAY_YES : HOLIDAY_NO;
}

bool holiday_year_bits(const struct holiday_cal *c, int year, uint64_t bits[HOLIDAY_BITS_WORDS])
{
	const struct year *e;

	if (!holiday_known(c, year))
		return false;
	e = year_get(c, year);
	memcpy(bits, e->bits, sizeof e->bits);
	return true;
}

const char *holiday_cal_id(const struct holiday_cal *c) { return c->id; }

/* "2026-2027" or "2026, 2028-2029": the years of its decrees. */
static void decree_years(const struct holiday_cal *c, char *out, size_t n)
{
	size_t len = 0;

	out[0] = '\0';
	for (int i = 0; i < c->ndecrees && len < n; i++) {
		int y = c->decrees[i].year, last = y;

		if (i && c->decrees[i - 1].year == y - 1)
			continue;
		while (find_decree(c, last + 1))
			last++;
		len += (size_t)snprintf(out + len, n - len, "%s%d", len ? ", " : "", y);
		if (last > y)
			len += (size_t)snprintf(out + len, n - len, "-%d", last);
	}
}

void holiday_describe(const struct holiday_cal *c, char *out, size_t n)
{
	char years[128], until[16] = "";

	decree_years(c, years, sizeof years);
	if (c->dates_only) {
		snprintf(out, n, "%s dates for %s", c->id, years);
		return;
	}
	if (c->until)
		snprintf(until, sizeof until, " to %d", c->until);
	snprintf(out, n, "%s rules from %d%s%s%s", c->id, c->from, until,
	         c->ndecrees ? (c->yearly_decree ? " and yearly decrees for " : " and decrees for ") : "",
	         c->ndecrees ? years : (c->yearly_decree ? " and yearly decrees for no year yet" : ""));
}

/* ---------------------------------------------------------------- parsing */

struct parse {
	const char *file;
	const char *cal;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 3, 4))) static bool fail(struct parse *ps, const config_setting_t *s, const char *fmt,
                                                        ...)
{
	char msg[320];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(ps->err, ps->errlen, "%s:%d: %s%s%s", ps->file, s ? (int)config_setting_source_line(s) : 0,
	         ps->cal ? ps->cal : "", ps->cal ? ": " : "", msg);
	return false;
}

static bool known_keys(struct parse *ps, const config_setting_t *g, const char *what, const char *const *keys)
{
	for (int i = 0; i < config_setting_length(g); i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		const char *const *k;

		for (k = keys; *k && strcmp(*k, config_setting_name(s)) != 0; k++)
			;
		if (!*k)
			return fail(ps, s, "%s: unknown setting for %s", config_setting_name(s), what);
	}
	return true;
}

/* An optional whole number in [min, max]; *out is left alone when absent. */
static bool get_int(struct parse *ps, const config_setting_t *g, const char *key, int min, int max, int *out)
{
	const config_setting_t *s = config_setting_get_member(g, key);

	if (!s)
		return true;
	/* 64-bit too (5000000000L): compared whole, never cut to an int. */
	if (config_setting_type(s) != CONFIG_TYPE_INT && config_setting_type(s) != CONFIG_TYPE_INT64)
		return fail(ps, s, "%s: must be a whole number", key);
	long long v = config_setting_get_int64(s);
	if (v < min || v > max)
		return fail(ps, s, "%s: %lld is out of range (%d to %d)", key, v, min, max);
	*out = (int)v;
	return true;
}

/* An optional string; *out is left alone when absent. */
static bool get_string(struct parse *ps, const config_setting_t *g, const char *key, const char **out)
{
	const config_setting_t *s = config_setting_get_member(g, key);

	if (!s)
		return true;
	if (config_setting_type(s) != CONFIG_TYPE_STRING || !*config_setting_get_string(s))
		return fail(ps, s, "%s: must be a text in quotes", key);
	*out = config_setting_get_string(s);
	return true;
}

static int weekday_parse(const char *s)
{
	for (int i = 0; i < 7; i++)
		if (!strcmp(s, weekdays[i]))
			return i;
	return -1;
}

/* "next monday", "previous friday": the shift from weekday from. */
static bool shift_parse(const char *s, int from, signed char *out)
{
	int to;

	if (!strncmp(s, "next ", 5) && (to = weekday_parse(s + 5)) >= 0) {
		*out = (signed char)((to - from + 6) % 7 + 1);
		return true;
	}
	if (!strncmp(s, "previous ", 9) && (to = weekday_parse(s + 9)) >= 0) {
		*out = (signed char)-((from - to + 6) % 7 + 1);
		return true;
	}
	return false;
}

static bool parse_moves(struct parse *ps, const config_setting_t *g, struct holiday_cal *c)
{
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return fail(ps, g, "moves: must be a group { NAME = { saturday = \"previous friday\"; ... }; }");
	c->nmoves = config_setting_length(g);
	c->moves = xcalloc((size_t)c->nmoves + 1, sizeof *c->moves);
	for (int i = 0; i < c->nmoves; i++) {
		static const char *const keys[] = { "suffix", "monday", "tuesday", "wednesday", "thursday", "friday",
			                            "saturday", "sunday", NULL };
		const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
		struct move *mv = &c->moves[i];
		const char *suffix = NULL;

		if (config_setting_type(m) != CONFIG_TYPE_GROUP || strlen(config_setting_name(m)) >= sizeof mv->name)
			return fail(ps, m, "moves.%s: must be a group of weekdays, with a name of at most %zu characters",
			            config_setting_name(m), sizeof mv->name - 1);
		snprintf(mv->name, sizeof mv->name, "%s", config_setting_name(m));
		if (!known_keys(ps, m, "a move", keys) || !get_string(ps, m, "suffix", &suffix))
			return false;
		if (suffix) {
			mv->suffix = xstrdup(suffix);
			if (strstr(suffix, "%B") && !c->months[0])
				return fail(ps, m, "moves.%s: suffix uses %%B: the calendar needs months = [ ... 12 names ... ]",
				            mv->name);
		}
		for (int w = 0; w < 7; w++) {
			const char *to = NULL;

			if (!get_string(ps, m, weekdays[w], &to))
				return false;
			if (to && !shift_parse(to, w, &mv->shift[w]))
				return fail(ps, config_setting_get_member(m, weekdays[w]),
				            "moves.%s.%s: \"%s\" is not \"next WEEKDAY\" or \"previous WEEKDAY\"", mv->name,
				            weekdays[w], to);
		}
	}
	return true;
}

static const struct move *find_move(const struct holiday_cal *c, const char *name)
{
	for (int i = 0; i < c->nmoves; i++)
		if (!strcmp(c->moves[i].name, name))
			return &c->moves[i];
	return NULL;
}

/* "MM-DD" (every year), or "YYYY-MM-DD" when year is not NULL. */
static bool date_parse(const char *s, int *year, int *m, int *d)
{
	int y = 2000, pos = 0;

	if (year ? sscanf(s, "%4d-%2d-%2d%n", &y, m, d, &pos) != 3 || pos != 10
	         : sscanf(s, "%2d-%2d%n", m, d, &pos) != 2 || pos != 5)
		return false;
	if (year)
		*year = y;
	/* Every year: 29 February is a day of leap years. */
	return y >= ALMANAC_FIRST_YEAR && y <= ALMANAC_LAST_YEAR && *m >= 1 && *m <= 12 && *d >= 1 &&
	       *d <= almanac_month_days(year ? y : 2000, *m);
}

static bool parse_rule(struct parse *ps, const config_setting_t *g, struct holiday_cal *c, struct rule *r)
{
	static const char *const keys[] = { "name", "source", "date", "easter", "nth", "weekday", "month", "solstice",
		                            "zone", "on", "from", "until", "every", "move", "observed", NULL };
	const char *name = NULL, *src = NULL, *date = NULL, *wd = NULL, *sol = NULL, *zone = NULL, *mv = NULL, *obs = NULL;
	const config_setting_t *on;
	int kinds;

	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return fail(ps, g, "a holiday must be a group { name = ...; date = \"MM-DD\"; }");
	if (!known_keys(ps, g, "a holiday", keys) || !get_string(ps, g, "name", &name) ||
	    !get_string(ps, g, "source", &src) || !get_string(ps, g, "date", &date) ||
	    !get_string(ps, g, "weekday", &wd) || !get_string(ps, g, "solstice", &sol) ||
	    !get_string(ps, g, "zone", &zone) || !get_string(ps, g, "move", &mv) || !get_string(ps, g, "observed", &obs))
		return false;
	if (!name)
		return fail(ps, g, "a holiday needs a name");
	r->name = xstrdup(name);
	kinds = !!date + !!config_setting_get_member(g, "easter") + !!config_setting_get_member(g, "nth") + !!sol;
	if (kinds != 1)
		return fail(ps, g, "%s: give exactly one of date = \"MM-DD\", easter = DAYS, nth = N (with weekday and "
		                   "month), solstice = \"june\" (with zone)", name);
	if (date) {
		r->kind = KIND_DATE;
		if (!date_parse(date, NULL, &r->month, &r->day))
			return fail(ps, config_setting_get_member(g, "date"), "%s: date \"%s\" is not MM-DD (a dated decree "
			            "goes in decrees)", name, date);
	} else if (config_setting_get_member(g, "easter")) {
		r->kind = KIND_EASTER;
		if (!get_int(ps, g, "easter", -120, 120, &r->offset))
			return false;
	} else if (config_setting_get_member(g, "nth")) {
		r->kind = KIND_NTH;
		if (!get_int(ps, g, "nth", -1, 5, &r->nth) || !get_int(ps, g, "month", 1, 12, &r->month))
			return false;
		if (r->nth == 0 || !wd || (r->weekday = weekday_parse(wd)) < 0 || !r->month)
			return fail(ps, g, "%s: nth (1 to 5, or -1 for the last) needs weekday = \"monday\" ... and month = "
			                   "1 ... 12", name);
	} else {
		r->kind = KIND_SOLSTICE;
		if (strcmp(sol, "june") != 0)
			return fail(ps, config_setting_get_member(g, "solstice"), "%s: solstice: only \"june\" is known", name);
		if (!zone)
			return fail(ps, g, "%s: a solstice needs the zone whose day it is: zone = \"America/Santiago\"", name);
		if (!(r->zone = tz_cached(zone)))
			return fail(ps, g, "%s: a solstice needs the zone whose day it is: unknown time zone \"%s\"", name,
			            zone);
	}
	if ((wd && r->kind != KIND_NTH) || (zone && r->kind != KIND_SOLSTICE) ||
	    (config_setting_get_member(g, "month") && r->kind != KIND_NTH))
		return fail(ps, g, "%s: weekday and month go with nth, zone with solstice", name);
	if ((on = config_setting_get_member(g, "on"))) {
		if (config_setting_type(on) != CONFIG_TYPE_ARRAY || config_setting_length(on) == 0)
			return fail(ps, on, "%s: on: must be a list of weekdays [\"monday\", \"friday\"]", name);
		for (int i = 0; i < config_setting_length(on); i++) {
			const char *v = config_setting_get_string_elem(on, (unsigned)i);
			int w = v ? weekday_parse(v) : -1;

			if (w < 0)
				return fail(ps, on, "%s: on: \"%s\" is not a weekday", name, v ? v : "?");
			r->on |= 1u << w;
		}
	}
	if (!get_int(ps, g, "from", ALMANAC_FIRST_YEAR, ALMANAC_LAST_YEAR, &r->from) ||
	    !get_int(ps, g, "until", ALMANAC_FIRST_YEAR, ALMANAC_LAST_YEAR, &r->until) ||
	    !get_int(ps, g, "every", 1, 100, &r->every))
		return false;
	if (r->every && !r->from)
		return fail(ps, g, "%s: every = N counts from a year: give from = YEAR", name);
	if (r->until && r->from > r->until)
		return fail(ps, g, "%s: until %d is before from %d", name, r->until, r->from);
	if (mv && obs)
		return fail(ps, g, "%s: a holiday either moves (move) or is also observed (observed), not both", name);
	if ((mv || obs) && !(r->move = find_move(c, mv ? mv : obs)))
		return fail(ps, g, "%s: no move \"%s\" in this calendar's moves", name, mv ? mv : obs);
	r->observed = obs != NULL;
	return true;
}

static bool parse_decree(struct parse *ps, const config_setting_t *g, struct holiday_cal *c, struct decree *dc)
{
	static const char *const keys[] = { "year", "source", "holidays", NULL };
	static const char *const date_keys[] = { "name", "date", NULL };
	const config_setting_t *list;
	const char *src = NULL;

	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return fail(ps, g, "a decree must be a group { year = YYYY; source = ...; holidays = ( ... ); }");
	if (!known_keys(ps, g, "a decree", keys) || !get_int(ps, g, "year", ALMANAC_FIRST_YEAR, ALMANAC_LAST_YEAR, &dc->year) ||
	    !get_string(ps, g, "source", &src))
		return false;
	if (!dc->year || !src)
		return fail(ps, g, "a decree needs year = YYYY and source = \"the decree or resolution\"");
	if (find_decree(c, dc->year))
		return fail(ps, g, "two decrees for %d: put their dates in one", dc->year);
	if (dc->year < c->from || (c->until && dc->year > c->until))
		return fail(ps, g, "a decree for %d is outside the calendar's years", dc->year);
	dc->source = xstrdup(src);
	if (!(list = config_setting_get_member(g, "holidays")) || config_setting_type(list) != CONFIG_TYPE_LIST)
		return fail(ps, g, "decree %d needs holidays = ( { name = ...; date = \"YYYY-MM-DD\"; } ), or ( ) when "
		                   "it picks none", dc->year);
	dc->dates = xcalloc((size_t)config_setting_length(list) + 1, sizeof *dc->dates);
	for (int i = 0; i < config_setting_length(list); i++) {
		const config_setting_t *h = config_setting_get_elem(list, (unsigned)i);
		const char *name = NULL, *date = NULL;
		int y, m, d;

		if (config_setting_type(h) != CONFIG_TYPE_GROUP)
			return fail(ps, h, "decree %d: a date must be a group { name = ...; date = ...; }", dc->year);
		if (!known_keys(ps, h, "a decreed date", date_keys) || !get_string(ps, h, "name", &name) ||
		    !get_string(ps, h, "date", &date))
			return false;
		if (!name || !date || !date_parse(date, &y, &m, &d) || y != dc->year)
			return fail(ps, h, "decree %d: each date needs a name and date = \"%d-MM-DD\", a real date of that "
			                   "year", dc->year, dc->year);
		dc->dates[dc->n++] = (struct dated){ days_from_civil(y, m, d), xstrdup(name) };
	}
	return true;
}

static int cmp_decree(const void *a, const void *b)
{
	return ((const struct decree *)a)->year - ((const struct decree *)b)->year;
}

static bool parse_cal(struct parse *ps, const config_setting_t *g, struct holiday_cal *c)
{
	static const char *const keys[] = { "name", "source", "from", "until", "yearly_decree", "months", "moves",
		                            "holidays", "decrees", NULL };
	const config_setting_t *s;
	const char *ignored = NULL;
	int yearly = 0;

	snprintf(c->id, sizeof c->id, "%s", config_setting_name(g));
	if (!holiday_id_ok(config_setting_name(g)))
		return fail(ps, g, "%s: a calendar is named by its jurisdiction: \"CC\" or \"CC-RR\" (ISO 3166)",
		            config_setting_name(g));
	ps->cal = c->id;
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return fail(ps, g, "must be a group: %s = { from = YEAR; holidays = ( ... ); };", c->id);
	if (!known_keys(ps, g, "a calendar", keys) || !get_string(ps, g, "name", &ignored) ||
	    !get_string(ps, g, "source", &ignored))
		return false;
	if (!config_setting_get_member(g, "from"))
		return fail(ps, g, "needs from = YEAR: the first year its rules describe");
	if (!get_int(ps, g, "from", ALMANAC_FIRST_YEAR, ALMANAC_LAST_YEAR, &c->from) ||
	    !get_int(ps, g, "until", c->from, ALMANAC_LAST_YEAR, &c->until))
		return false;
	if ((s = config_setting_get_member(g, "yearly_decree"))) {
		if (config_setting_type(s) != CONFIG_TYPE_BOOL)
			return fail(ps, s, "yearly_decree: must be true or false");
		yearly = config_setting_get_bool(s);
	}
	c->yearly_decree = yearly != 0;
	if ((s = config_setting_get_member(g, "months"))) {
		if (config_setting_type(s) != CONFIG_TYPE_ARRAY || config_setting_length(s) != 12)
			return fail(ps, s, "months: must be a list of the twelve month names");
		for (int i = 0; i < 12; i++)
			c->months[i] = xstrdup(config_setting_get_string_elem(s, (unsigned)i) ?
			                       config_setting_get_string_elem(s, (unsigned)i) : "?");
	}
	if ((s = config_setting_get_member(g, "moves")) && !parse_moves(ps, s, c))
		return false;
	if (!(s = config_setting_get_member(g, "holidays")) || config_setting_type(s) != CONFIG_TYPE_LIST)
		return fail(ps, g, "needs holidays = ( { name = ...; date = \"MM-DD\"; }, ... );");
	c->nrules = config_setting_length(s);
	c->rules = xcalloc((size_t)c->nrules + 1, sizeof *c->rules);
	for (int i = 0; i < c->nrules; i++)
		if (!parse_rule(ps, config_setting_get_elem(s, (unsigned)i), c, &c->rules[i]))
			return false;
	if ((s = config_setting_get_member(g, "decrees"))) {
		if (config_setting_type(s) != CONFIG_TYPE_LIST)
			return fail(ps, s, "decrees: must be a list ( { year = ...; source = ...; holidays = ( ... ); } )");
		c->decrees = xcalloc((size_t)config_setting_length(s) + 1, sizeof *c->decrees);
		for (int i = 0; i < config_setting_length(s); i++) {
			bool ok = parse_decree(ps, config_setting_get_elem(s, (unsigned)i), c, &c->decrees[c->ndecrees]);

			c->ndecrees++; /* counted even half read, so that it is freed */
			if (!ok)
				return false;
		}
		qsort(c->decrees, (size_t)c->ndecrees, sizeof *c->decrees, cmp_decree);
	}
	ps->cal = NULL;
	return true;
}

bool holiday_id_ok(const char *id)
{
	size_t n = strlen(id);

	if (!strcmp(id, "*"))
		return true;
	if ((n != 2 && n != 5) || !isupper((unsigned char)id[0]) || !isupper((unsigned char)id[1]))
		return false;
	return n == 2 || (id[2] == '-' && isupper((unsigned char)id[3]) && isupper((unsigned char)id[4]));
}

static struct holiday_cal *cal_add(struct holiday_set *s)
{
	struct holiday_cal *c;

	s->c = xrealloc(s->c, (size_t)(s->n + 1) * sizeof *s->c);
	c = &s->c[s->n++];
	memset(c, 0, sizeof *c);
	c->cache = xcalloc(1, sizeof *c->cache);
	return c;
}

bool holiday_dated(const char *text)
{
	const char *p = text;
	char jid[8];
	int y, m, d;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p), i = 0;

		while (i < len && isspace((unsigned char)p[i]))
			i++;
		if (i < len && p[i] != '#')
			return sscanf(p + i, "%7s %4d-%2d-%2d", jid, &y, &m, &d) == 4;
		if (!nl)
			break;
		p = nl + 1;
	}
	return false;
}

static struct decree *decree_of(struct holiday_cal *c, int year)
{
	struct decree *dc = (struct decree *)find_decree(c, year);

	if (dc)
		return dc;
	c->decrees = xrealloc(c->decrees, (size_t)(c->ndecrees + 1) * sizeof *c->decrees);
	dc = &c->decrees[c->ndecrees++];
	*dc = (struct decree){ .year = year, .source = xstrdup("stored dates") };
	if (!c->from || year < c->from)
		c->from = year;
	return dc;
}

/* Dated lines: each jurisdiction knows the years it has a line for. */
static bool parse_dated(struct holiday_set *s, const char *text, const char *file, char *err, size_t errlen)
{
	const char *line = text;
	int lineno = 0;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char buf[512], jid[8];
		int y, m, d, pos = 0;
		struct holiday_cal *c;
		struct decree *dc;

		lineno++;
		snprintf(buf, sizeof buf, "%.*s", (int)(len < sizeof buf - 1 ? len : sizeof buf - 1), line);
		line = nl ? nl + 1 : NULL;
		if (!buf[0] || buf[0] == '#')
			continue;
		if (sscanf(buf, "%7s %4d-%2d-%2d%n", jid, &y, &m, &d, &pos) != 4 || y < ALMANAC_FIRST_YEAR ||
		    y > ALMANAC_LAST_YEAR || m < 1 || m > 12 || d < 1 || d > almanac_month_days(y, m) || !holiday_id_ok(jid)) {
			snprintf(err, errlen, "%s:%d: not \"JURISDICTION YYYY-MM-DD name\"", file, lineno);
			return false;
		}
		if (!(c = (struct holiday_cal *)holiday_set_find(s, jid))) {
			c = cal_add(s);
			snprintf(c->id, sizeof c->id, "%s", jid);
			c->yearly_decree = c->dates_only = true;
		}
		dc = decree_of(c, y);
		dc->dates = xrealloc(dc->dates, (size_t)(dc->n + 1) * sizeof *dc->dates);
		while (buf[pos] == ' ' || buf[pos] == '\t')
			pos++;
		dc->dates[dc->n++] = (struct dated){ days_from_civil(y, m, d), xstrdup(buf + pos) };
	}
	for (int i = 0; i < s->n; i++)
		qsort(s->c[i].decrees, (size_t)s->c[i].ndecrees, sizeof *s->c[i].decrees, cmp_decree);
	return true;
}

struct holiday_set *holiday_set_parse(const char *text, const char *name, char *err, size_t errlen)
{
	struct holiday_set *s = xcalloc(1, sizeof *s);
	struct parse ps = { name, NULL, err, errlen };
	config_t cf;
	bool ok = false;

	if (holiday_dated(text)) {
		if (parse_dated(s, text, name, err, errlen))
			return s;
		holiday_set_free(s);
		return NULL;
	}
	config_init(&cf);
	if (!conf_numbers_check(text, name, err, errlen))
		goto out;
	if (!config_read_string(&cf, text)) {
		snprintf(err, errlen, "%s:%d: %s", name, config_error_line(&cf), config_error_text(&cf));
		goto out;
	}
	for (int i = 0; i < config_setting_length(config_root_setting(&cf)); i++) {
		const config_setting_t *g = config_setting_get_elem(config_root_setting(&cf), (unsigned)i);

		if (!parse_cal(&ps, g, cal_add(s)))
			goto out;
	}
	ok = true;
out:
	config_destroy(&cf);
	if (!ok) {
		holiday_set_free(s);
		return NULL;
	}
	return s;
}

void holiday_set_free(struct holiday_set *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->n; i++) {
		struct holiday_cal *c = &s->c[i];

		for (int k = 0; k < 12; k++)
			free(c->months[k]);
		for (int k = 0; k < c->nmoves; k++)
			free(c->moves[k].suffix);
		for (int k = 0; k < c->nrules; k++)
			free(c->rules[k].name);
		for (int k = 0; k < c->ndecrees; k++) {
			for (int d = 0; d < c->decrees[k].n; d++)
				free(c->decrees[k].dates[d].name);
			free(c->decrees[k].dates);
			free(c->decrees[k].source);
		}
		free(c->moves);
		free(c->rules);
		free(c->decrees);
		free(c->cache->y);
		free(c->cache);
	}
	free(s->c);
	free(s);
}

int holiday_set_count(const struct holiday_set *s) { return s ? s->n : 0; }
const struct holiday_cal *holiday_set_at(const struct holiday_set *s, int i) { return &s->c[i]; }

const struct holiday_cal *holiday_set_find(const struct holiday_set *s, const char *id)
{
	for (int i = 0; s && i < s->n; i++)
		if (!strcmp(s->c[i].id, id))
			return &s->c[i];
	return NULL;
}
