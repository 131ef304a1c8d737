/* Holiday calendars computed from their rules: Easter across centuries, the
 * solstice, each rule kind and move, the shipped calendars (etc/holidays/)
 * against published calendars of many years, unknown years, and errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "almanac.h"
#include "holiday.h"
#include "tz.h"
#include "util.h"

static int64_t day_of(const char *ymd)
{
	int y, m, d;

	assert_int_equal(sscanf(ymd, "%4d-%2d-%2d", &y, &m, &d), 3);
	return days_from_civil(y, m, d);
}

static char *date_of(int64_t day, char out[16])
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	snprintf(out, 16, "%04d-%02d-%02d", y, m, d);
	return out;
}

/* Easter by a second, independent method: the Gregorian epact of Lilius and
 * Clavius, as Knuth writes it (TAOCP 1.3.2, exercise 14). */
static int64_t easter_epact(int y)
{
	int golden = y % 19 + 1, century = y / 100 + 1;
	int skipped = 3 * century / 4 - 12, moon = (8 * century + 5) / 25 - 5;
	int sunday = 5 * y / 4 - skipped - 10;
	int epact = (11 * golden + 20 + moon - skipped) % 30, full;

	if ((epact == 25 && golden > 11) || epact == 24)
		epact++;
	full = 44 - epact;
	if (full < 21)
		full += 30;
	full = full + 7 - (sunday + full) % 7;
	return days_from_civil(y, 3, 1) + full - 1;
}

static void test_easter(void **state)
{
	/* Published dates, the earliest and latest possible included. */
	static const char *const known[] = {
		"1583-04-10", "1598-03-22", "1700-04-11", "1761-03-22", "1818-03-22", "1886-04-25", "1900-04-15",
		"1943-04-25", "1954-04-18", "1961-04-02", "2000-04-23", "2008-03-23", "2011-04-24", "2019-04-21",
		"2024-03-31", "2025-04-20", "2026-04-05", "2027-03-28", "2028-04-16", "2029-04-01", "2030-04-21",
		"2038-04-25", "2100-03-28", "2285-03-22", "2400-04-16",
	};
	char got[16];

	(void)state;
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
		int y = atoi(known[i]);

		assert_string_equal(date_of(almanac_easter(y), got), known[i]);
	}
	for (int y = ALMANAC_FIRST_YEAR; y <= ALMANAC_LAST_YEAR; y++) {
		int64_t e = almanac_easter(y);
		int yy, m, d;

		if (e != easter_epact(y))
			fail_msg("Easter %d: %s by one method, not the other", y, date_of(e, got));
		civil_from_days(e, &yy, &m, &d);
		/* Always a Sunday, from 22 March to 25 April. */
		assert_int_equal(weekday_of_days(e), 6);
		assert_true((m == 3 && d >= 22) || (m == 4 && d <= 25));
	}
}

static void test_nth_weekday(void **state)
{
	char got[16];

	(void)state;
	assert_string_equal(date_of(almanac_nth_weekday(2026, 5, 0, -1), got), "2026-05-25"); /* Memorial Day */
	assert_string_equal(date_of(almanac_nth_weekday(2027, 5, 0, -1), got), "2027-05-31");
	assert_string_equal(date_of(almanac_nth_weekday(2026, 2, 0, 1), got), "2026-02-02");
	assert_string_equal(date_of(almanac_nth_weekday(2026, 11, 3, 4), got), "2026-11-26"); /* Thanksgiving */
	assert_string_equal(date_of(almanac_nth_weekday(2030, 11, 3, 4), got), "2030-11-28");
	assert_string_equal(date_of(almanac_nth_weekday(2028, 2, 1, 5), got), "2028-02-29"); /* a fifth Tuesday */
	assert_true(almanac_nth_weekday(2027, 2, 0, 5) == INT64_MIN);
	assert_string_equal(date_of(almanac_nth_weekday(2026, 12, 3, -1), got), "2026-12-31");
}

static void test_june_solstice(void **state)
{
	/* Published instants (UTC, to the minute). */
	static const struct {
		int year;
		const char *at;
	} known[] = {
		{ 2000, "2000-06-21T01:48:00Z" }, { 2021, "2021-06-21T03:32:00Z" }, { 2022, "2022-06-21T09:14:00Z" },
		{ 2024, "2024-06-20T20:51:00Z" }, { 2025, "2025-06-21T02:42:00Z" }, { 2026, "2026-06-21T08:24:00Z" },
		{ 2027, "2027-06-21T14:11:00Z" }, { 2028, "2028-06-20T20:02:00Z" }, { 2029, "2029-06-21T01:48:00Z" },
		{ 2030, "2030-06-21T07:31:00Z" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
		int64_t want, got = almanac_june_solstice(known[i].year);

		assert_true(time_parse_iso(known[i].at, &want));
		if (llabs(got - want) > 120)
			fail_msg("solstice %d: %lld s from %s", known[i].year, (long long)(got - want), known[i].at);
	}
}

/* ------------------------------------------------------------ calendars */

static struct holiday_set *parse(const char *text)
{
	char err[512];
	struct holiday_set *s = holiday_set_parse(text, "t.conf", err, sizeof err);

	if (!s)
		fail_msg("%s", err);
	return s;
}

/* The shipped calendar of jur, with edit applied (from -> to) when given:
 * the file as an operator reads it, not a copy. */
static struct holiday_set *shipped(const char *jur, const char *from, const char *to)
{
	char path[64], *text, *edited, *at;
	struct holiday_set *s;

	snprintf(path, sizeof path, "etc/holidays/%s.conf", jur);
	if (!(text = read_file(path, NULL)))
		fail_msg("%s: cannot read (tests run from the top of the tree)", path);
	if (from && (at = strstr(text, from))) {
		edited = xasprintf("%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
		free(text);
		text = edited;
	} else if (from) {
		fail_msg("%s: no \"%s\" to change", path, from);
	}
	s = parse(text);
	free(text);
	return s;
}

/* Whether date is a holiday of c named name (NULL: not a holiday at all). */
static void expect(const struct holiday_cal *c, const char *date, const char *name)
{
	int64_t day = day_of(date);
	int y = atoi(date), n, found = -1;
	struct holiday *h;
	char got[16];

	n = holiday_list(c, y, &h);
	if (n < 0)
		fail_msg("%s %d: unknown year", holiday_cal_id(c), y);
	for (int i = 0; i < n; i++)
		if (h[i].day == day && (!name || !strcmp(h[i].name, name)))
			found = i;
	if (name && found < 0) {
		for (int i = 0; i < n; i++)
			fprintf(stderr, "# %s %s\n", date_of(h[i].day, got), h[i].name);
		fail_msg("%s: no \"%s\" on %s", holiday_cal_id(c), name, date);
	}
	if (!name && found >= 0)
		fail_msg("%s: %s is \"%s\", not a working day", holiday_cal_id(c), date, h[found].name);
	assert_int_equal(holiday_is(c, day), name ? HOLIDAY_YES : HOLIDAY_NO);
	holiday_list_free(h, n);
}

static int count(const struct holiday_cal *c, int year)
{
	struct holiday *h;
	int n = holiday_list(c, year, &h);

	holiday_list_free(h, n > 0 ? n : 0);
	return n;
}

static void test_colombia(void **state)
{
	struct holiday_set *s = shipped("CO", NULL, NULL);
	const struct holiday_cal *co = holiday_set_find(s, "CO");

	(void)state;
	/* Ley 51 de 1983: to the next Monday from every other day, Sunday too. */
	expect(co, "2030-01-07", "Día de los Reyes Magos (traslado del 6 de enero)"); /* from a Sunday */
	expect(co, "2030-01-06", NULL);
	expect(co, "2029-01-08", "Día de los Reyes Magos (traslado del 6 de enero)"); /* from a Saturday */
	expect(co, "2029-11-12", "Independencia de Cartagena (traslado del 11 de noviembre)"); /* Sunday */
	expect(co, "2029-03-19", "Día de San José"); /* a Monday stays, no "traslado" */
	expect(co, "2025-01-06", "Día de los Reyes Magos");
	expect(co, "2028-08-21", "La Asunción de la Virgen (traslado del 15 de agosto)"); /* Tuesday */
	expect(co, "2027-10-18", "Día de la Raza (traslado del 12 de octubre)");
	/* Easter-based, to Easter +43, +64, +71, whatever the year. */
	for (int y = 1984; y <= 2100; y++) {
		int64_t e = almanac_easter(y);

		assert_int_equal(holiday_is(co, e + 43), HOLIDAY_YES);
		assert_int_equal(holiday_is(co, e + 64), HOLIDAY_YES);
		assert_int_equal(holiday_is(co, e + 71), HOLIDAY_YES);
		assert_int_equal(holiday_is(co, e - 3), HOLIDAY_YES);
		assert_int_equal(holiday_is(co, e), HOLIDAY_NO); /* Easter Sunday is not a festivo */
		assert_int_equal(count(co, y), y >= 2026 ? 19 : 18);
	}
	expect(co, "2026-05-18", "Ascensión del Señor (traslado del 14 de mayo)");
	expect(co, "2027-05-10", "Ascensión del Señor (traslado del 6 de mayo)");
	/* Two feasts on one Monday are two holidays on one day. */
	expect(co, "2030-07-01", "Sagrado Corazón de Jesús (traslado del 28 de junio)");
	expect(co, "2030-07-01", "San Pedro y San Pablo (traslado del 29 de junio)");
	assert_int_equal(count(co, 2030), 19);
	/* Ley 2578 de 2026: Chiquinquirá from 2026, a Monday in 2029. */
	expect(co, "2025-07-14", NULL);
	expect(co, "2029-07-09", "Día de Nuestra Señora del Rosario de Chiquinquirá");
	expect(co, "2028-12-25", "Navidad");
	/* Years the rules describe, and not before. */
	assert_true(holiday_known(co, 1984));
	assert_false(holiday_known(co, 1983));
	assert_int_equal(holiday_is(co, day_of("1983-12-25")), HOLIDAY_UNKNOWN);
	assert_true(holiday_known(co, 2999));
	holiday_set_free(s);
}

static void test_argentina(void **state)
{
	/* The rules alone, every year (the shipped file also wants a decree). */
	struct holiday_set *rules = shipped("AR", "yearly_decree = true;", "yearly_decree = false;");
	struct holiday_set *s = shipped("AR", NULL, NULL);
	const struct holiday_cal *ar = holiday_set_find(rules, "AR"), *decreed = holiday_set_find(s, "AR");

	(void)state;
	/* Ley 27.399 art. 6, San Martín (17 August) on each weekday. */
	expect(ar, "2026-08-17", "Paso a la Inmortalidad del General José de San Martín");                 /* Mon */
	expect(ar, "2027-08-16", "Paso a la Inmortalidad del General José de San Martín (trasladado del 17 de agosto)"); /* Tue */
	expect(ar, "2027-08-17", NULL);
	expect(ar, "2022-08-15", "Paso a la Inmortalidad del General José de San Martín (trasladado del 17 de agosto)"); /* Wed */
	expect(ar, "2023-08-21", "Paso a la Inmortalidad del General José de San Martín (trasladado del 17 de agosto)"); /* Thu */
	expect(ar, "2029-08-20", "Paso a la Inmortalidad del General José de San Martín (trasladado del 17 de agosto)"); /* Fri */
	expect(ar, "2024-08-17", "Paso a la Inmortalidad del General José de San Martín");                 /* Sat */
	expect(ar, "2025-08-17", "Paso a la Inmortalidad del General José de San Martín");                 /* Sun */
	expect(ar, "2025-11-24", "Día de la Soberanía Nacional (trasladado del 20 de noviembre)");
	expect(ar, "2023-10-16", "Día del Respeto a la Diversidad Cultural (trasladado del 12 de octubre)");
	/* Güemes: a Friday stays (Monday 20 June is Belgrano's). */
	expect(ar, "2022-06-17", "Paso a la Inmortalidad del General Martín Miguel de Güemes");
	expect(ar, "2021-06-21", "Paso a la Inmortalidad del General Martín Miguel de Güemes (trasladado del 17 de junio)");
	expect(ar, "2026-06-15", "Paso a la Inmortalidad del General Martín Miguel de Güemes (trasladado del 17 de junio)");
	expect(ar, "2028-06-17", "Paso a la Inmortalidad del General Martín Miguel de Güemes");
	/* Inamovibles stay on a weekend; Carnaval on a leap day. */
	expect(ar, "2028-02-29", "Carnaval");
	expect(ar, "2028-02-28", "Carnaval");
	expect(ar, "2029-12-08", "Inmaculada Concepción de María");
	expect(ar, "2026-04-02", "Día del Veterano y de los Caídos en la Guerra de Malvinas");
	expect(ar, "2026-04-02", "Jueves Santo (no laborable)");
	/* Shipped: known only with the year's decree. */
	expect(decreed, "2026-03-23", "Puente turístico (no laborable)");
	expect(decreed, "2026-12-07", "Puente turístico (no laborable)");
	assert_int_equal(count(decreed, 2026), 20);
	assert_int_equal(count(decreed, 2027), 17);
	assert_false(holiday_known(decreed, 2028));
	assert_false(holiday_known(decreed, 2029));
	assert_int_equal(count(decreed, 2029), -1);
	assert_int_equal(holiday_is(decreed, day_of("2029-12-25")), HOLIDAY_UNKNOWN);
	assert_int_equal(holiday_is(decreed, day_of("2027-12-25")), HOLIDAY_YES);
	holiday_set_free(rules);
	holiday_set_free(s);
}

static void test_chile(void **state)
{
	struct holiday_set *s = shipped("CL", NULL, NULL);
	const struct holiday_cal *cl = holiday_set_find(s, "CL");

	(void)state;
	/* Ley 19.668: Tue/Wed/Thu to that week's Monday, Friday to the next. */
	expect(cl, "2027-06-28", "San Pedro y San Pablo (traslado del 29 de junio)"); /* Tue */
	expect(cl, "2022-06-27", "San Pedro y San Pablo (traslado del 29 de junio)"); /* Wed */
	expect(cl, "2023-06-26", "San Pedro y San Pablo (traslado del 29 de junio)"); /* Thu */
	expect(cl, "2029-07-02", "San Pedro y San Pablo (traslado del 29 de junio)"); /* Fri */
	expect(cl, "2024-06-29", "San Pedro y San Pablo");                            /* Sat */
	expect(cl, "2023-10-09", "Encuentro de Dos Mundos (traslado del 12 de octubre)");
	/* Ley 20.299: Tuesday to the Friday before, Wednesday to that Friday. */
	expect(cl, "2028-10-27", "Día Nacional de las Iglesias Evangélicas y Protestantes (traslado del 31 de octubre)");
	expect(cl, "2028-10-31", NULL);
	expect(cl, "2029-11-02", "Día Nacional de las Iglesias Evangélicas y Protestantes (traslado del 31 de octubre)");
	expect(cl, "2023-10-27", "Día Nacional de las Iglesias Evangélicas y Protestantes (traslado del 31 de octubre)");
	expect(cl, "2030-10-31", "Día Nacional de las Iglesias Evangélicas y Protestantes"); /* Thu stays */
	/* Fiestas Patrias: Monday 17, Friday 20, Friday 17 before a weekend. */
	expect(cl, "2029-09-17", "Fiestas Patrias (Ley 20.215)");
	expect(cl, "2024-09-20", "Fiestas Patrias (Ley 20.215)");
	expect(cl, "2030-09-20", "Fiestas Patrias (Ley 20.215)");
	expect(cl, "2027-09-17", "Fiestas Patrias (Ley 20.983)");
	expect(cl, "2026-09-17", NULL);
	expect(cl, "2028-09-17", NULL); /* a Sunday */
	/* 2 January after a Sunday New Year (Ley 20.983). */
	expect(cl, "2023-01-02", "Año Nuevo (Ley 20.983)");
	expect(cl, "2028-01-02", NULL);
	/* The winter solstice, the day in continental Chile. */
	expect(cl, "2022-06-21", "Día Nacional de los Pueblos Indígenas");
	expect(cl, "2023-06-21", "Día Nacional de los Pueblos Indígenas");
	expect(cl, "2024-06-20", "Día Nacional de los Pueblos Indígenas");
	expect(cl, "2025-06-20", "Día Nacional de los Pueblos Indígenas");
	expect(cl, "2029-06-20", "Día Nacional de los Pueblos Indígenas"); /* 01:48 UTC is still the 20th */
	expect(cl, "2030-06-21", "Día Nacional de los Pueblos Indígenas");
	/* Holy Saturday is a feriado; Easter Sunday is not listed. */
	expect(cl, "2028-04-15", "Sábado Santo");
	expect(cl, "2028-04-16", NULL);
	assert_false(holiday_known(cl, 2021));
	holiday_set_free(s);
}

static void test_united_states(void **state)
{
	struct holiday_set *s = shipped("US", NULL, NULL), *ma = shipped("US-MA", NULL, NULL);
	const struct holiday_cal *us = holiday_set_find(s, "US"), *mass = holiday_set_find(ma, "US-MA");

	(void)state;
	/* 5 U.S.C. 6103(b): Saturday to the Friday before, Sunday to the Monday
	 * after; the day itself stays listed. */
	expect(us, "2026-07-03", "Independence Day (observed)");
	expect(us, "2026-07-04", "Independence Day");
	expect(us, "2027-07-05", "Independence Day (observed)");
	expect(us, "2027-06-18", "Juneteenth National Independence Day (observed)");
	expect(us, "2028-11-10", "Veterans Day (observed)");
	expect(us, "2029-11-12", "Veterans Day (observed)");
	expect(us, "2022-12-26", "Christmas Day (observed)");
	/* Across the year's end: 1 January 2028 (Saturday) observed in 2027;
	 * 1 January 2022 the same in 2021. */
	expect(us, "2027-12-31", "New Year's Day (observed)");
	expect(us, "2021-12-31", "New Year's Day (observed)");
	expect(us, "2028-01-01", "New Year's Day");
	expect(us, "2028-12-29", NULL);
	assert_int_equal(count(us, 2027), 15);
	assert_int_equal(count(us, 2028), 12);
	/* nth weekdays. */
	expect(us, "2025-01-20", "Birthday of Martin Luther King, Jr.");
	expect(us, "2025-05-26", "Memorial Day");
	expect(us, "2027-05-31", "Memorial Day");
	expect(us, "2025-09-01", "Labor Day");
	expect(us, "2025-10-13", "Columbus Day");
	expect(us, "2025-11-27", "Thanksgiving Day");
	expect(us, "2025-11-28", NULL);
	/* Massachusetts adds Patriots' Day, the third Monday of April. */
	expect(mass, "2025-04-21", "Patriots' Day");
	expect(mass, "2024-04-15", "Patriots' Day");
	expect(mass, "2028-04-17", "Patriots' Day");
	assert_int_equal(count(mass, 2030), 1);
	holiday_set_free(s);
	holiday_set_free(ma);
}

static void test_mexico_peru_spain(void **state)
{
	struct holiday_set *m = shipped("MX", NULL, NULL), *p = shipped("PE", NULL, NULL), *e = shipped("ES", NULL, NULL);
	const struct holiday_cal *mx = holiday_set_find(m, "MX"), *pe = holiday_set_find(p, "PE"),
	                         *es = holiday_set_find(e, "ES");

	(void)state;
	/* LFT art. 74: Mondays, the handover every six years (1 October since
	 * 2024), the federal election every three. */
	expect(mx, "2028-02-07", "Día de la Constitución (conmemoración del 5 de febrero)");
	expect(mx, "2029-03-19", "Natalicio de Benito Juárez (conmemoración del 21 de marzo)");
	expect(mx, "2030-11-18", "Día de la Revolución (conmemoración del 20 de noviembre)");
	expect(mx, "2030-10-01", "Transmisión del Poder Ejecutivo Federal");
	expect(mx, "2024-10-01", "Transmisión del Poder Ejecutivo Federal");
	expect(mx, "2030-12-01", NULL);
	expect(mx, "2026-10-01", NULL);
	expect(mx, "2027-06-06", "Jornada electoral federal (elecciones ordinarias)");
	expect(mx, "2030-06-02", "Jornada electoral federal (elecciones ordinarias)");
	expect(mx, "2028-06-04", NULL);
	assert_int_equal(count(mx, 2026), 7);
	assert_int_equal(count(mx, 2030), 9);
	/* Peru keeps every feriado on its day. */
	expect(pe, "2028-04-13", "Jueves Santo");
	expect(pe, "2028-04-14", "Viernes Santo");
	expect(pe, "2029-07-29", "Fiestas Patrias");
	expect(pe, "2029-12-09", "Batalla de Ayacucho");
	expect(pe, "2030-06-29", "San Pedro y San Pablo");
	for (int y = 2024; y <= 2040; y++)
		assert_int_equal(count(pe, y), 16);
	assert_false(holiday_known(pe, 2023));
	/* Spain: national days only. */
	expect(es, "2030-04-19", "Viernes Santo");
	expect(es, "2030-01-06", "Epifanía del Señor");
	expect(es, "2030-01-07", NULL);
	for (int y = 1984; y <= 2100; y++)
		assert_int_equal(count(es, y), 10);
	holiday_set_free(m);
	holiday_set_free(p);
	holiday_set_free(e);
}

/* holiday_is() (cached years, bits) and holiday_list() agree on every day. */
static void test_cache_agrees(void **state)
{
	static const char *const jurs[] = { "AR", "CL", "CO", "ES", "MX", "PE", "US", "US-MA" };

	(void)state;
	for (size_t j = 0; j < sizeof jurs / sizeof jurs[0]; j++) {
		struct holiday_set *s = shipped(jurs[j], NULL, NULL);
		const struct holiday_cal *c = holiday_set_find(s, jurs[j]);

		/* Forwards then backwards, so that lookups leave the year they hit
		 * last on either side. */
		for (int pass = 0; pass < 40; pass++) {
			int y = pass < 20 ? 2016 + pass : 2035 - (pass - 20), step = pass < 20 ? 1 : -1;
			struct holiday *h;
			int n = holiday_list(c, y, &h), k = 0;
			int64_t first = days_from_civil(y, 1, 1), last = days_from_civil(y + 1, 1, 1) - 1;

			for (int64_t d = step > 0 ? first : last; d >= first && d <= last; d += step) {
				enum holiday_answer want = n < 0 ? HOLIDAY_UNKNOWN : HOLIDAY_NO;

				for (int i = 0; i < n; i++)
					if (h[i].day == d)
						want = HOLIDAY_YES, k++;
				assert_int_equal(holiday_is(c, d), want);
			}
			assert_true(n < 0 || k >= n);
			holiday_list_free(h, n > 0 ? n : 0);
		}
		holiday_set_free(s);
	}
}

static void test_rule_kinds(void **state)
{
	struct holiday_set *s = parse(
		"XX = { from = 2000; until = 2040;\n"
		"  moves = { fri = { suffix = \" (moved)\"; saturday = \"previous friday\"; sunday = \"previous friday\"; }; };\n"
		"  holidays = (\n"
		"    { name = \"Leap\"; date = \"02-29\"; },\n"
		"    { name = \"Fifth\"; nth = 5; weekday = \"monday\"; month = 5; },\n"
		"    { name = \"Only Monday\"; date = \"03-02\"; on = [\"monday\"]; },\n"
		"    { name = \"Cycle\"; date = \"04-01\"; from = 2024; every = 6; },\n"
		"    { name = \"Ended\"; date = \"05-05\"; until = 2025; },\n"
		"    { name = \"Moved\"; date = \"06-06\"; move = \"fri\"; },\n"
		"    { name = \"Eve\"; easter = -1; }\n"
		"  ); };\n"
		"YY = { from = 2020; yearly_decree = true; holidays = ( );\n"
		"  decrees = ( { year = 2022; source = \"Decreto 9\"; holidays = ( { name = \"One-off\"; date = \"2022-07-08\"; } ); },\n"
		"              { year = 2020; source = \"Decreto 1\"; holidays = ( ); } ); };\n");
	const struct holiday_cal *x = holiday_set_find(s, "XX"), *y = holiday_set_find(s, "YY");
	char d[160];

	(void)state;
	expect(x, "2028-02-29", "Leap");
	assert_int_equal(count(x, 2026), 3); /* no 29 February, no fifth Monday of May */
	expect(x, "2028-05-29", "Fifth");
	expect(x, "2026-03-02", "Only Monday");
	expect(x, "2027-03-02", NULL);
	expect(x, "2030-04-01", "Cycle");
	expect(x, "2024-04-01", "Cycle");
	expect(x, "2027-04-01", NULL);
	expect(x, "2025-05-05", "Ended");
	expect(x, "2026-05-05", NULL);
	expect(x, "2026-06-05", "Moved (moved)"); /* from a Saturday */
	expect(x, "2027-06-04", "Moved (moved)"); /* from a Sunday */
	expect(x, "2029-06-06", "Moved");
	expect(x, "2029-03-31", "Eve");
	assert_false(holiday_known(x, 2041));
	assert_false(holiday_known(x, 1999));
	holiday_describe(x, d, sizeof d);
	assert_string_equal(d, "XX rules from 2000 to 2040");
	expect(y, "2022-07-08", "One-off");
	assert_int_equal(count(y, 2020), 0);
	assert_false(holiday_known(y, 2021));
	holiday_describe(y, d, sizeof d);
	assert_string_equal(d, "YY rules from 2020 and yearly decrees for 2020, 2022");
	holiday_set_free(s);
}

/* The dated lines policy versions stored before calendars had rules. */
static void test_dated_lines(void **state)
{
	struct holiday_set *s = parse("# stored\nCO 2026-12-08 La Inmaculada Concepción\nCO 2027-01-11\n"
	                              "US-MA 2026-04-20\tPatriots' Day\n");
	const struct holiday_cal *co = holiday_set_find(s, "CO");
	char d[160];

	(void)state;
	assert_true(holiday_dated("# x\n\nCO 2026-12-08 y\n"));
	assert_false(holiday_dated("CO = { from = 2000; holidays = ( ); };"));
	assert_false(holiday_dated(""));
	expect(co, "2026-12-08", "La Inmaculada Concepción");
	expect(co, "2027-01-11", "");
	expect(holiday_set_find(s, "US-MA"), "2026-04-20", "Patriots' Day");
	assert_false(holiday_known(co, 2025));
	assert_false(holiday_known(co, 2028));
	assert_false(holiday_known(holiday_set_find(s, "US-MA"), 2027));
	holiday_describe(co, d, sizeof d);
	assert_string_equal(d, "CO dates for 2026-2027");
	holiday_set_free(s);
}

static void test_errors(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "CO = { holidays = ( ); };", "t.conf:1: CO: needs from = YEAR: the first year its rules describe" },
		{ "Colombia = { from = 2000; holidays = ( ); };",
		  "t.conf:1: Colombia: a calendar is named by its jurisdiction: \"CC\" or \"CC-RR\" (ISO 3166)" },
		{ "CO = { from = 2000; holidays = (\n { name = \"X\"; date = \"02-30\"; } ); };",
		  "t.conf:2: CO: X: date \"02-30\" is not MM-DD (a dated decree goes in decrees)" },
		{ "CO = { from = 2000; holidays = (\n { name = \"X\"; date = \"2026-03-02\"; } ); };",
		  "t.conf:2: CO: X: date \"2026-03-02\" is not MM-DD (a dated decree goes in decrees)" },
		{ "CO = { from = 2000; holidays = (\n { name = \"X\"; date = \"01-01\"; easter = 2; } ); };",
		  "t.conf:2: CO: X: give exactly one of date = \"MM-DD\", easter = DAYS, nth = N (with weekday and month), "
		  "solstice = \"june\" (with zone)" },
		{ "CO = { from = 2000; holidays = (\n { name = \"X\"; date = \"01-01\"; move = \"lunes\"; } ); };",
		  "t.conf:2: CO: X: no move \"lunes\" in this calendar's moves" },
		{ "CO = { from = 2000; moves = { m = {\n monday = \"next sunday\"; saturday = \"later\"; }; }; holidays = ( ); };",
		  "t.conf:2: CO: moves.m.saturday: \"later\" is not \"next WEEKDAY\" or \"previous WEEKDAY\"" },
		{ "CO = { from = 2000; moves = { m = { suffix = \" (%d de %B)\"; }; }; holidays = ( ); };",
		  "t.conf:1: CO: moves.m: suffix uses %B: the calendar needs months = [ ... 12 names ... ]" },
		{ "CL = { from = 2000; holidays = (\n { name = \"S\"; solstice = \"june\"; zone = \"America/Santiag\"; } ); };",
		  "t.conf:2: CL: S: a solstice needs the zone whose day it is: unknown time zone \"America/Santiag\"" },
		{ "CO = { from = 2000; holidays = (\n { name = \"X\"; nth = 0; weekday = \"monday\"; month = 1; } ); };",
		  "t.conf:2: CO: X: nth (1 to 5, or -1 for the last) needs weekday = \"monday\" ... and month = 1 ... 12" },
		{ "CO = { from = 2000; holidays = (\n { name = \"X\"; date = \"01-01\"; every = 4; } ); };",
		  "t.conf:2: CO: X: every = N counts from a year: give from = YEAR" },
		{ "CO = { from = 2000; holidays = (\n { name = \"X\"; date = \"01-01\"; colour = 1; } ); };",
		  "t.conf:2: CO: colour: unknown setting for a holiday" },
		{ "AR = { from = 2018; holidays = ( ); decrees = (\n { year = 2026; holidays = ( ); } ); };",
		  "t.conf:2: AR: a decree needs year = YYYY and source = \"the decree or resolution\"" },
		{ "AR = { from = 2018; holidays = ( ); decrees = (\n { year = 2026; source = \"R\";\n"
		  " holidays = ( { name = \"P\"; date = \"2027-01-02\"; } ); } ); };",
		  "t.conf:3: AR: decree 2026: each date needs a name and date = \"2026-MM-DD\", a real date of that year" },
		{ "AR = { from = 2018; holidays = ( ); decrees = (\n { year = 2026; source = \"R\"; holidays = ( ); },\n"
		  " { year = 2026; source = \"S\"; holidays = ( ); } ); };",
		  "t.conf:3: AR: two decrees for 2026: put their dates in one" },
		{ "CO = { from = 2000; holidays = ( ); };\nCO = { from = 2000; holidays = ( ); };",
		  "t.conf:2: duplicate setting name" },
		{ "CO 2026-13-08 x\n", "t.conf:1: not \"JURISDICTION YYYY-MM-DD name\"" },
		{ "CO 2026-12-08 x\nCO 2027-02-29 y\n", "t.conf:2: not \"JURISDICTION YYYY-MM-DD name\"" },
		/* Issue 14, line 9: numbers libconfig would wrap (to 2026, here:
		 * 4294969322 is 2^32 + 2026) are refused as written. */
		{ "AR = { from = 2018; holidays = ( ); decrees = (\n { year = 4294969322; source = \"R\"; holidays = ( ); } ); };",
		  "t.conf:2: AR.decrees.year: 4294969322 is too large a number (at most 2147483647)" },
		{ "CO = { from = 2000; holidays = (\n { name = \"X\"; easter = 5000000000L; } ); };",
		  "t.conf:2: CO: easter: 5000000000 is out of range (-120 to 120)" },
	};
	char err[512];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct holiday_set *s = holiday_set_parse(cases[i].text, "t.conf", err, sizeof err);

		if (s)
			fail_msg("case %zu parsed: %s", i, cases[i].text);
		assert_string_equal(err, cases[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_easter),        cmocka_unit_test(test_nth_weekday),
		cmocka_unit_test(test_june_solstice), cmocka_unit_test(test_colombia),
		cmocka_unit_test(test_argentina),     cmocka_unit_test(test_chile),
		cmocka_unit_test(test_united_states), cmocka_unit_test(test_mexico_peru_spain),
		cmocka_unit_test(test_cache_agrees),  cmocka_unit_test(test_rule_kinds),
		cmocka_unit_test(test_dated_lines),   cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
