/* The contact policy engine's pieces that case files cannot reach: time zone
 * arithmetic around daylight-saving changes, ISO times, locked-rule checks
 * between versions (inheritance and holidays included) and the line diff. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diff.h"
#include "policy.h"
#include "tz.h"
#include "util.h"

static void iso(const struct tz *z, int64_t t, const char *want)
{
	char got[40];

	time_format_iso(got, sizeof got, z, t);
	assert_string_equal(got, want);
}

static void test_tz_new_york_dst(void **state)
{
	struct tz z;
	char err[128];
	struct civil gap = { 2026, 3, 8, 2, 30, 0, 0 }, twice = { 2026, 11, 1, 1, 30, 0, 0 };
	struct civil noon = { 2026, 7, 1, 12, 0, 0, 0 };

	(void)state;
	assert_true(tz_load(&z, "America/New_York", err, sizeof err));
	/* 02:30 on 8 March does not exist: the instant the clocks jump. */
	iso(&z, tz_utc(&z, &gap), "2026-03-08T03:00-04:00");
	/* 01:30 on 1 November happens twice: the first one. */
	iso(&z, tz_utc(&z, &twice), "2026-11-01T01:30-04:00");
	iso(&z, tz_utc(&z, &noon), "2026-07-01T12:00-04:00");
	assert_int_equal(tz_offset(&z, tz_utc(&z, &noon)), -4 * 3600);
	tz_free(&z);
}

static void test_tz_santiago_and_madrid(void **state)
{
	struct tz s, m;
	char err[128];
	struct civil midnight = { 2026, 9, 6, 0, 0, 0, 0 }, back = { 2026, 10, 25, 2, 30, 0, 0 };
	struct civil local;
	int64_t t;

	(void)state;
	assert_true(tz_load(&s, "America/Santiago", err, sizeof err));
	assert_true(tz_load(&m, "Europe/Madrid", err, sizeof err));
	/* Chile springs forward at midnight: 00:00 on 6 September is 01:00. */
	iso(&s, tz_utc(&s, &midnight), "2026-09-06T01:00-03:00");
	iso(&m, tz_utc(&m, &back), "2026-10-25T02:30+02:00");
	assert_true(time_parse_iso("2026-04-05T02:30:00Z", &t));
	tz_local(&s, t, &local);
	assert_int_equal(local.day, 4);
	assert_int_equal(local.hour, 23);
	assert_int_equal(local.wday, 5); /* Saturday */
	tz_free(&s);
	tz_free(&m);
}

static void test_tz_unknown_zone(void **state)
{
	struct tz z;
	char err[128];

	(void)state;
	assert_false(tz_load(&z, "America/Bogot", err, sizeof err));
	assert_string_equal(err, "unknown time zone \"America/Bogot\"");
	assert_false(tz_load(&z, "../../etc/passwd", err, sizeof err));
	assert_false(tz_load(&z, "", err, sizeof err));
}

static void test_time_parse_iso(void **state)
{
	int64_t t;

	(void)state;
	assert_true(time_parse_iso("1970-01-01T00:00:00Z", &t));
	assert_int_equal(t, 0);
	assert_true(time_parse_iso("2026-11-24T10:00-05:00", &t));
	assert_int_equal(t, 1795532400);
	assert_true(time_parse_iso("2028-02-29T12:00:00+01:00", &t));
	assert_false(time_parse_iso("2026-02-29T12:00:00Z", &t));
	assert_false(time_parse_iso("2026-11-24T24:00:00Z", &t));
	assert_false(time_parse_iso("2026-11-24T10:00:00", &t)); /* no offset: ambiguous */
	assert_false(time_parse_iso("2026-11-24 10:00:00-0500", &t));
	assert_false(time_parse_iso("yesterday", &t));
	assert_false(time_parse_iso("2026-11-24T10:00:00-05:00 ", &t));
}

static const char base[] =
	"jurisdictions = (\n"
	" { id = \"*\"; rules = ( { id = \"ALL-STATE\"; type = \"state\"; locked = true; states = [\"dispute\"]; } ); },\n"
	" { id = \"CO\"; rules = ( { id = \"CO-HOURS\"; type = \"hours\"; locked = true;\n"
	"     weekdays = \"07:00-19:00\"; saturday = \"08:00-15:00\"; } ); },\n"
	" { id = \"US\"; rules = ( { id = \"US-7IN7\"; type = \"cap\"; locked = true; max = 7; window = \"rolling\";\n"
	"     days = 7; per = \"debt\"; channels = [\"call\"]; counts = [\"placed\"]; } ); },\n"
	" { id = \"US-MA\"; parent = \"US\"; rules = ( ); }\n"
	");\n";

static struct policy *parse(const char *text, const char *holidays)
{
	char err[512];
	struct policy *p = policy_parse(text, "test.conf", holidays, err, sizeof err);

	if (!p)
		fail_msg("%s", err);
	return p;
}

/* Replaces the first occurrence of from with to in base. */
static struct policy *variant(const char *from, const char *to, const char *holidays)
{
	static char text[4096];
	const char *at = strstr(base, from);

	assert_non_null(at);
	snprintf(text, sizeof text, "%.*s%s%s", (int)(at - base), base, to, at + strlen(from));
	return parse(text, holidays);
}

static void lock_refused(const char *from, const char *to, const char *holidays, const char *want)
{
	struct policy *prev = parse(base, "CO 2026-12-08 Inmaculada\n"), *next = variant(from, to, holidays);
	char err[512];

	assert_false(policy_check_locks(prev, next, err, sizeof err));
	assert_string_equal(err, want);
	policy_free(prev);
	policy_free(next);
}

static void lock_allowed(const char *from, const char *to, const char *holidays)
{
	struct policy *prev = parse(base, "CO 2026-12-08 Inmaculada\n"), *next = variant(from, to, holidays);
	char err[512];

	if (!policy_check_locks(prev, next, err, sizeof err))
		fail_msg("refused: %s", err);
	policy_free(prev);
	policy_free(next);
}

static void test_locks(void **state)
{
	const char *h = "CO 2026-12-08 Inmaculada\n";

	(void)state;
	lock_allowed("saturday = \"08:00-15:00\"", "saturday = \"09:00-14:00\"", h);
	lock_allowed("max = 7", "max = 5", h);
	lock_allowed("days = 7; per", "days = 10; per", h);
	lock_allowed("states = [\"dispute\"]", "states = [\"dispute\", \"cease\"]", h);
	lock_allowed("\"08:00-15:00\"; }", "\"08:00-15:00\"; sunday = \"\"; }", "CO 2026-12-08 x\nCO 2026-12-25 y\n");
	lock_refused("saturday = \"08:00-15:00\"", "saturday = \"08:00-16:00\"", h,
	             "rule CO-HOURS is locked and may only be tightened: it allows more hours on saturday");
	lock_refused("max = 7", "max = 8", h, "rule US-7IN7 is locked and may only be tightened: max 8 is more than 7");
	lock_refused("days = 7; per", "days = 6; per", h,
	             "rule US-7IN7 is locked and may only be tightened: its window is shorter or different");
}

static void test_locks_scope(void **state)
{
	struct policy *prev, *next;
	char err[512];

	(void)state;
	/* Counting per creditor counts more than per debt: that tightens. */
	prev = parse(base, NULL);
	next = variant("per = \"debt\"", "per = \"creditor\"", NULL);
	assert_true(policy_check_locks(prev, next, err, sizeof err));
	policy_free(next);
	next = variant("counts = [\"placed\"]", "counts = [\"conversation\"]", NULL);
	assert_false(policy_check_locks(prev, next, err, sizeof err));
	assert_string_equal(err, "rule US-7IN7 is locked and may only be tightened: it counts fewer kinds of contact");
	policy_free(next);
	policy_free(prev);
}

static void test_locks_inheritance_and_holidays(void **state)
{
	const char *h = "CO 2026-12-08 Inmaculada\n";

	(void)state;
	lock_refused("{ id = \"CO\"; rules", "{ id = \"CO\"; parent = \"\"; rules", h,
	             "rule ALL-STATE is locked: jurisdiction CO no longer inherits it from *");
	lock_refused("{ id = \"US-MA\"; parent = \"US\";", "{ id = \"US-MA\";", h,
	             "rule US-7IN7 is locked: jurisdiction US-MA no longer inherits it from US");
	lock_refused("locked = true;\n     weekdays", "locked = false;\n     weekdays", h,
	             "rule CO-HOURS is locked: it cannot be unlocked");
	lock_refused("{ id = \"ALL-STATE\"; type = \"state\"; locked = true; states = [\"dispute\"]; }", "", h,
	             "rule ALL-STATE (*) is locked: it cannot be removed");
	/* Dropping a dated holiday opens a day the locked hours closed. */
	lock_refused("saturday = \"08:00-15:00\"", "saturday = \"08:00-15:00\"", "CO 2026-12-25 Navidad\n",
	             "the holiday 2026-12-08 of CO is removed, which loosens its locked hours");
	/* Dropping the whole calendar makes every CO day unknown, so refused:
	 * that tightens. */
	lock_allowed("saturday = \"08:00-15:00\"", "saturday = \"08:00-15:00\"", "");
}

/* A calendar of rules for base's CO: Emiliani's Monday for 6 January, 8 and
 * 25 December on their day; %s is where a test changes it. */
static const char co_rules[] =
	"CO = { from = 2000; months = [\"enero\", \"febrero\", \"marzo\", \"abril\", \"mayo\", \"junio\", \"julio\",\n"
	"  \"agosto\", \"septiembre\", \"octubre\", \"noviembre\", \"diciembre\"];\n"
	"  moves = { emiliani = { suffix = \" (traslado del %%d de %%B)\"; tuesday = \"next monday\";\n"
	"    wednesday = \"next monday\"; thursday = \"next monday\"; friday = \"next monday\";\n"
	"    saturday = \"next monday\"; sunday = \"next monday\"; }; };\n"
	"  holidays = ( { name = \"Reyes\"; date = \"01-06\"; move = \"emiliani\"; },\n"
	"    { name = \"Inmaculada\"; date = \"12-08\"; %s },\n"
	"    { name = \"Navidad\"; date = \"12-25\"; } ); %s };\n";

static char *co_calendar(const char *inmaculada, const char *decrees)
{
	return xasprintf(co_rules, inmaculada, decrees);
}

/* Computed calendars keep holidays the same way, over every year both
 * versions know. */
static void test_locks_computed_holidays(void **state)
{
	char *rules = co_calendar("", ""), *later = co_calendar("until = 2031;", ""),
	     *from = co_calendar("from = 2040;", ""), *yearly = co_calendar("", "yearly_decree = true; decrees = ( );");
	char *decree = xasprintf(co_rules, "", "yearly_decree = true; decrees = ( { year = 2027; source = \"D 1\";\n"
	                         "  holidays = ( { name = \"Puente\"; date = \"2027-03-22\"; } ); } );");
	char *undecreed = xasprintf(co_rules, "", "yearly_decree = true; decrees = ( { year = 2027; source = \"D 1\";\n"
	                            "  holidays = ( ); } );");
	struct policy *prev = parse(base, rules), *next;
	char err[512];

	(void)state;
	/* The same rules: nothing removed. */
	next = parse(base, rules);
	assert_true(policy_check_locks(prev, next, err, sizeof err));
	policy_free(next);
	/* A rule that ends: its first year gone is the first reported. */
	next = parse(base, later);
	assert_false(policy_check_locks(prev, next, err, sizeof err));
	assert_string_equal(err, "the holiday 2032-12-08 of CO is removed, which loosens its locked hours");
	policy_free(next);
	/* One that starts later: gone from 2000 on. */
	next = parse(base, from);
	assert_false(policy_check_locks(prev, next, err, sizeof err));
	assert_string_equal(err, "the holiday 2000-12-08 of CO is removed, which loosens its locked hours");
	policy_free(next);
	/* From the dated lines older versions stored to rules that give the
	 * same day: kept; to rules that lack it: removed. */
	policy_free(prev);
	prev = parse(base, "CO 2026-12-08 Inmaculada\nCO 2027-01-11 Reyes (traslado)\n");
	next = parse(base, rules);
	assert_true(policy_check_locks(prev, next, err, sizeof err));
	policy_free(next);
	next = parse(base, from);
	assert_false(policy_check_locks(prev, next, err, sizeof err));
	assert_string_equal(err, "the holiday 2026-12-08 of CO is removed, which loosens its locked hours");
	policy_free(next);
	/* A decree's year becomes known: its days only add. A known year's
	 * decreed day removed: refused. */
	policy_free(prev);
	prev = parse(base, yearly);
	next = parse(base, decree);
	assert_true(policy_check_locks(prev, next, err, sizeof err));
	policy_free(prev);
	prev = next;
	next = parse(base, undecreed);
	assert_false(policy_check_locks(prev, next, err, sizeof err));
	assert_string_equal(err, "the holiday 2027-03-22 of CO is removed, which loosens its locked hours");
	policy_free(next);
	policy_free(prev);
	free(rules);
	free(later);
	free(from);
	free(yearly);
	free(decree);
	free(undecreed);
}

static void test_parse_errors(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "jurisdictions = ( { id = \"CO\"; rules = (\n { id = \"X\"; type = \"hours\"; weekdays = \"19:00-07:00\"; } ); } );",
		  "t.conf:2: weekdays: 19:00-07:00 ends before it starts" },
		{ "jurisdictions = ( { id = \"CO\"; rules = (\n { id = \"X\"; type = \"cap\"; max = 0; window = \"day\"; } ); } );",
		  "t.conf:2: max: a max of zero is impossible (use at least 1)" },
		{ "jurisdictions = ( { id = \"CO\"; rules = (\n { id = \"X\"; type = \"gap\"; days = 0; } ); } );",
		  "t.conf:2: days: a days of zero is impossible (use at least 1)" },
		{ "jurisdictions = ( { id = \"CO\"; rules = (\n { id = \"X\"; type = \"hours\"; weekdays = \"7-19\"; } ); } );",
		  "t.conf:2: weekdays: \"7-19\" is not HH:MM-HH:MM[,HH:MM-HH:MM]" },
		{ "jurisdictions = ( { id = \"Colombia\"; rules = ( ); } );",
		  "t.conf:1: jurisdiction needs id = \"CC\" or \"CC-RR\" (ISO 3166), or \"*\" for every one" },
		{ "jurisdictions = ( { id = \"CO\"; rules = (\n { id = \"X\"; type = \"cap\"; max = 1; window = \"month\"; } ); } );",
		  "t.conf:2: window: \"month\" is not day, week or rolling" },
		{ "jurisdictions = ( { id = \"CO\"; rules = (\n { id = \"X\"; type = \"cap\"; max = 1; window = \"day\"; colour = 1; } ); } );",
		  "t.conf:2: colour: unknown setting for a cap rule" },
		{ "colour = 1;\njurisdictions = ( );", "t.conf:1: colour: unknown setting (jurisdictions, holidays, version)" },
		/* Issue 14, line 9: libconfig keeps this as -1, and the range
		 * check said "max: -1 is out of range". */
		{ "jurisdictions = ( { id = \"CO\"; rules = (\n { id = \"X\"; type = \"cap\"; max = 99999999999999999999; window = \"day\"; } ); } );",
		  "t.conf:2: jurisdictions.rules.max: 99999999999999999999 is too large a number (at most 2147483647)" },
		/* And this as 705032705, within no range but not what was written. */
		{ "jurisdictions = ( { id = \"CO\"; rules = (\n { id = \"X\"; type = \"gap\"; days = 5000000001; } ); } );",
		  "t.conf:2: jurisdictions.rules.days: 5000000001 is too large a number (at most 2147483647)" },
		/* With the L suffix libconfig holds it: compared whole, not as
		 * the int it would be cut to (705032705). */
		{ "jurisdictions = ( { id = \"CO\"; rules = (\n { id = \"X\"; type = \"gap\"; days = 5000000001L; } ); } );",
		  "t.conf:2: days: 5000000001 is out of range (1 to 366)" },
	};
	char err[512];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_null(policy_parse(cases[i].text, "t.conf", NULL, err, sizeof err));
		assert_string_equal(err, cases[i].want);
	}
}

/* Every kind of rule that looks back, each with its own length. */
static const char windows[] =
	"jurisdictions = (\n"
	" { id = \"*\"; rules = ( ); },\n"
	" { id = \"CO\"; rules = (\n"
	"   { id = \"CO-HOURS\"; type = \"hours\"; weekdays = \"07:00-19:00\"; saturday = \"08:00-15:00\"; },\n"
	"   { id = \"CO-DAY\"; type = \"cap\"; max = 1; window = \"day\"; per = \"person\"; counts = [\"conversation\"]; },\n"
	"   { id = \"CO-WEEK\"; type = \"channels\"; max = 2; window = \"week\"; week_starts = \"monday\";\n"
	"     per = \"person\"; counts = [\"attempt\"]; },\n"
	"   { id = \"CO-7\"; type = \"cap\"; max = 3; window = \"rolling\"; days = 7; per = \"person\";\n"
	"     channels = [\"call\"]; counts = [\"placed\"]; },\n"
	"   { id = \"CO-GAP\"; type = \"gap\"; days = 2; per = \"person\"; channels = [\"sms\"]; counts = [\"sent\"]; },\n"
	"   { id = \"CO-COOL\"; type = \"cooloff\"; days = 12; after = [\"conversation\"]; after_channels = [\"call\"];\n"
	"     per = \"person\"; channels = [\"email\"]; } ); }\n"
	");\n";

static bool same_verdict(const struct policy_verdict *a, const struct policy_verdict *b)
{
	return a->allowed == b->allowed && a->rule == b->rule && a->next == b->next && a->until == b->until &&
	       !strcmp(a->reason[LANG_EN], b->reason[LANG_EN]);
}

/* The history a rule can still count reaches back policy_lookback(): the
 * longest window named plus two days for local days. Reading no further
 * changes no verdict, including the next allowed time, for any contact on
 * any channel at any hour: random histories of 40 days, each judged whole
 * and cut at the lookback. */
static void test_lookback(void **state)
{
	struct policy *p = parse(windows, "CO = { from = 2000; holidays = ( { name = \"Navidad\"; date = \"12-25\"; } ); };\n"),
	              *q = parse(base, NULL);
	struct tz bogota;
	char err[128];
	struct policy_event full[64], cut[64];
	uint32_t seed = 12345;
	int64_t start;
	int differ = 0, refused = 0, unknown = 0;

	(void)state;
	assert_int_equal(policy_lookback(p), (12 + 2) * 86400);
	assert_int_equal(policy_lookback(q), (7 + 2) * 86400);
	policy_free(q);
	q = parse("jurisdictions = ( { id = \"*\"; rules = ( { id = \"ALL-STATE\"; type = \"state\"; "
	          "states = [\"dispute\"]; } ); } );\n", NULL);
	assert_int_equal(policy_lookback(q), 3 * 86400);
	policy_free(q);

	assert_true(tz_load(&bogota, "America/Bogota", err, sizeof err));
	assert_true(time_parse_iso("2026-11-24T15:00:00Z", &start));
	for (int round = 0; round < 400; round++) {
		struct policy_debtor d = { .jurisdiction = "CO", .zones = { &bogota }, .nzones = 1,
		                           .consent = CH_ALL, .state = "active" };
		struct policy_contact c;
		size_t n = 0, m = 0;
		int64_t at;

		seed = seed * 1103515245u + 12345u;
		at = start + (int64_t)(seed >> 8) % (14 * 86400);
		for (int i = 0; i < 48; i++) {
			seed = seed * 1103515245u + 12345u;
			full[n] = (struct policy_event){
				.at = at - (int64_t)(seed >> 4) % (40 * 86400),
				.channel = (enum channel)((seed >> 2) % 4),
				.kind = (enum contact_kind)((seed >> 13) % KIND__COUNT),
			};
			if (full[n].at >= at - policy_lookback(p))
				cut[m++] = full[n];
			n++;
		}
		seed = seed * 1103515245u + 12345u;
		c = (struct policy_contact){ .at = at, .channel = (enum channel)((seed >> 5) % 4) };
		{
			struct policy_verdict whole, part;

			policy_check(p, &d, full, n, &c, &whole);
			policy_check(p, &d, cut, m, &c, &part);
			differ += !same_verdict(&whole, &part);
			refused += !whole.allowed && whole.rule && strcmp(policy_rule_id(whole.rule), "CO-HOURS") &&
			           strcmp(policy_rule_id(whole.rule), "HOLIDAYS");
			unknown += !whole.allowed && !strcmp(policy_rule_id(whole.rule), "HOLIDAYS");
		}
	}
	assert_int_equal(differ, 0);
	/* The histories were busy enough for the windows to refuse, and the
	 * calendar knew every day. */
	assert_true(refused > 50);
	assert_int_equal(unknown, 0);
	tz_free(&bogota);
	policy_free(p);
}

/* Hours closed on holidays, and calendars that know only some years. */
static const char unknown_rules[] =
	"jurisdictions = (\n"
	" { id = \"*\"; rules = ( ); },\n"
	" { id = \"AR\"; rules = ( { id = \"AR-HOURS\"; type = \"hours\"; channels = [\"call\", \"sms\"];\n"
	"     weekdays = \"08:00-20:00\"; holiday = \"\"; } ); },\n"
	" { id = \"US\"; rules = ( { id = \"US-HOURS\"; type = \"hours\"; weekdays = \"08:00-21:00\"; saturday = \"08:00-21:00\";\n"
	"     sunday = \"08:00-21:00\"; holiday = \"\"; } ); },\n"
	" { id = \"US-MA\"; parent = \"US\"; rules = ( ); },\n"
	" { id = \"BR\"; rules = ( { id = \"BR-HOURS\"; type = \"hours\"; weekdays = \"08:00-20:00\"; } ); }\n"
	");\n";
static const char unknown_calendars[] =
	"AR = { from = 2018; yearly_decree = true; holidays = ( { name = \"Año Nuevo\"; date = \"01-01\"; } );\n"
	"  decrees = ( { year = 2027; source = \"R 1\"; holidays = ( { name = \"Puente\"; date = \"2027-12-31\"; } ); },\n"
	"              { year = 2028; source = \"none\"; holidays = ( ); } ); };\n"
	"US = { from = 2021; holidays = ( { name = \"Leap\"; date = \"02-29\"; } ); };\n"
	"US-MA = { from = 2000; holidays = ( { name = \"Patriots' Day\"; nth = 3; weekday = \"monday\"; month = 4; } ); };\n";

static void judge(const struct policy *p, const char *jur, const char *zone, const char *at, enum channel ch,
                  struct policy_verdict *v)
{
	struct policy_debtor d = { .jurisdiction = jur, .zones = { tz_cached(zone) }, .nzones = 1, .consent = CH_ALL,
	                           .state = "active" };
	struct policy_contact c = { .channel = ch };

	assert_non_null(d.zones[0]);
	assert_true(time_parse_iso(at, &c.at));
	policy_check(p, &d, NULL, 0, &c, v);
}

static void next_is(const struct policy_verdict *v, const char *zone, const char *want)
{
	assert_false(v->allowed);
	if (!want)
		assert_int_equal(v->next, 0);
	else
		iso(tz_cached(zone), v->next, want);
}

/* A day whose holidays cannot be known is refused by cobro's own rule, and
 * the search for the next allowed time never walks into such a day. */
static void test_unknown_calendar(void **state)
{
	const char *ba = "America/Argentina/Buenos_Aires", *ny = "America/New_York";
	struct policy *p = parse(unknown_rules, unknown_calendars), *none = parse(unknown_rules, NULL);
	struct policy_verdict v;
	char err[512];

	(void)state;
	judge(p, "AR", ba, "2029-03-06T10:00:00-03:00", CH_CALL, &v);
	assert_string_equal(policy_rule_id(v.rule), "HOLIDAYS");
	assert_string_equal(v.reason[LANG_EN], "no holiday calendar for AR 2029");
	assert_string_equal(v.reason[LANG_ES], "sin calendario de feriados para AR 2029");
	next_is(&v, ba, NULL);
	/* The year of the debtor's local day counts: 23:30 in Buenos Aires on 31
	 * December 2028 is already 2029 in UTC. */
	judge(p, "AR", ba, "2029-01-01T02:30:00Z", CH_CALL, &v);
	assert_string_equal(policy_rule_id(v.rule), "AR-HOURS");
	/* A decree that picks no day still makes its year known. */
	judge(p, "AR", ba, "2028-03-06T10:00:00-03:00", CH_CALL, &v);
	assert_true(v.allowed);
	/* The decreed Friday and the new year are closed; the next opening is
	 * in 2029, unknown: no next time rather than a guess. */
	judge(p, "AR", ba, "2027-12-30T21:00:00-03:00", CH_CALL, &v);
	assert_string_equal(policy_rule_id(v.rule), "AR-HOURS");
	next_is(&v, ba, "2028-01-03T08:00-03:00");
	judge(p, "AR", ba, "2028-12-29T21:00:00-03:00", CH_SMS, &v);
	assert_string_equal(policy_rule_id(v.rule), "AR-HOURS");
	next_is(&v, ba, NULL);
	/* A channel no hours rule covers never asks the calendar. */
	judge(p, "AR", ba, "2029-03-06T10:00:00-03:00", CH_LETTER, &v);
	assert_true(v.allowed);
	/* A parent's calendar that does not know the year: named. */
	judge(p, "US-MA", ny, "2019-04-15T10:00:00-04:00", CH_CALL, &v);
	assert_string_equal(v.reason[LANG_EN], "no holiday calendar for US 2019");
	judge(p, "US-MA", ny, "2024-04-15T10:00:00-04:00", CH_CALL, &v);
	assert_false(v.allowed); /* Patriots' Day, from the child's own calendar */
	judge(p, "US", ny, "2028-02-29T10:00:00-05:00", CH_CALL, &v);
	assert_false(v.allowed); /* a 29 February rule holds in leap years */
	next_is(&v, ny, "2028-03-01T08:00-05:00");
	judge(p, "US", ny, "2027-03-01T10:00:00-05:00", CH_CALL, &v);
	assert_true(v.allowed);
	/* No calendar at all: every contact its hours rules judge is refused. */
	judge(p, "BR", "America/Sao_Paulo", "2026-11-24T10:00:00-03:00", CH_CALL, &v);
	assert_string_equal(v.reason[LANG_EN], "no holiday calendar for BR 2026");
	judge(none, "AR", ba, "2027-03-02T10:00:00-03:00", CH_CALL, &v);
	assert_string_equal(v.reason[LANG_EN], "no holiday calendar for AR 2027");
	/* The rule's id is cobro's: a file may not take it. */
	assert_null(policy_parse("jurisdictions = ( { id = \"CO\"; rules = (\n { id = \"HOLIDAYS\"; type = \"consent\"; } ); } );",
	                         "t.conf", NULL, err, sizeof err));
	assert_string_equal(err, "t.conf:2: rule id HOLIDAYS is cobro's own (a day whose holidays are unknown): choose another");
	policy_free(p);
	policy_free(none);
}

/* Issue 15, line 6: the debtor's only mobile marked wrong left SMS and calls
 * without consent (the store reads consent from usable points only), and the
 * verdict blamed the consent rule. A channel whose every point is marked wrong
 * is refused for that, naming the number, before any rule. */
static void test_every_number_wrong(void **state)
{
	static const char rules[] =
		"jurisdictions = ( { id = \"*\"; rules = ( ); }, { id = \"MX\"; rules = (\n"
		" { id = \"ALL-CONSENT\"; type = \"consent\"; } ); } );\n";
	struct policy *p = parse(rules, NULL);
	struct policy_debtor d = { .jurisdiction = "MX", .zones = { tz_cached("America/Mexico_City") }, .nzones = 1,
		                   .consent = 1u << CH_EMAIL, .state = "active",
		                   .unreachable = 1u << CH_CALL | 1u << CH_SMS | 1u << CH_WHATSAPP,
		                   .wrong = { [CH_CALL] = "+52*****5678", [CH_SMS] = "+52*****5678",
		                              [CH_WHATSAPP] = "+52*****5678" } };
	struct policy_contact c = { .channel = CH_SMS };
	struct policy_verdict v;

	(void)state;
	assert_non_null(p);
	assert_true(time_parse_iso("2026-11-24T11:00:00-06:00", &c.at));
	policy_check(p, &d, NULL, 0, &c, &v);
	assert_false(v.allowed);
	assert_null(v.rule);
	assert_int_equal(v.next, 0);
	assert_string_equal(v.reason[LANG_EN], "no usable number: +52*****5678 marked wrong");
	assert_string_equal(v.reason[LANG_ES], "ningún número utilizable: +52*****5678 marcado como equivocado");
	c.channel = CH_CALL;
	policy_check(p, &d, NULL, 0, &c, &v);
	assert_string_equal(v.reason[LANG_EN], "no usable number: +52*****5678 marked wrong");
	/* Email has a usable address: the rules judge it, as before. */
	c.channel = CH_EMAIL;
	policy_check(p, &d, NULL, 0, &c, &v);
	assert_true(v.allowed);
	/* A channel never given a number is still the consent rule's. */
	d.unreachable = 0;
	c.channel = CH_SMS;
	policy_check(p, &d, NULL, 0, &c, &v);
	assert_string_equal(policy_rule_id(v.rule), "ALL-CONSENT");
	/* Every address wrong: said as an address. */
	d.unreachable = 1u << CH_EMAIL;
	d.wrong[CH_EMAIL] = "ana@example.test";
	c.channel = CH_EMAIL;
	policy_check(p, &d, NULL, 0, &c, &v);
	assert_string_equal(v.reason[LANG_EN], "no usable address: ana@example.test marked wrong");
	assert_string_equal(v.reason[LANG_ES], "ninguna dirección utilizable: ana@example.test marcada como errónea");
	policy_free(p);
}

/* policy_holidays(): what `cobroctl policy holidays` prints. */
static void test_policy_holidays(void **state)
{
	struct policy *p = parse(unknown_rules, unknown_calendars);
	struct holiday *h;
	char err[128];
	int n;

	(void)state;
	n = policy_holidays(p, "US-MA", 2028, &h, err, sizeof err);
	assert_int_equal(n, 2); /* its own and its parent's */
	assert_string_equal(h[0].name, "Leap");
	assert_int_equal(h[0].day, days_from_civil(2028, 2, 29));
	assert_string_equal(h[1].name, "Patriots' Day");
	assert_int_equal(h[1].day, days_from_civil(2028, 4, 17));
	holiday_list_free(h, n);
	assert_int_equal(policy_holidays(p, "AR", 2029, &h, err, sizeof err), -1);
	assert_string_equal(err, "no holiday calendar for AR 2029");
	assert_int_equal(policy_holidays(p, "US-MA", 2020, &h, err, sizeof err), -1);
	assert_string_equal(err, "no holiday calendar for US 2020");
	assert_int_equal(policy_holidays(p, "XX", 2028, &h, err, sizeof err), -2);
	assert_string_equal(err, "no rules for jurisdiction \"XX\"");
	assert_int_equal(policy_holidays(p, "*", 2028, &h, err, sizeof err), -2);
	policy_free(p);
}

static void test_diff(void **state)
{
	char *d;

	(void)state;
	d = diff_lines("a\nb\nc\n", "a\nB\nc\nd\n");
	assert_string_equal(d, "@@ line 2\n-b\n+B\n@@ line 4\n+d\n");
	free(d);
	d = diff_lines("same\n", "same\n");
	assert_string_equal(d, "");
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tz_new_york_dst),
		cmocka_unit_test(test_tz_santiago_and_madrid),
		cmocka_unit_test(test_tz_unknown_zone),
		cmocka_unit_test(test_time_parse_iso),
		cmocka_unit_test(test_locks),
		cmocka_unit_test(test_locks_scope),
		cmocka_unit_test(test_locks_inheritance_and_holidays),
		cmocka_unit_test(test_locks_computed_holidays),
		cmocka_unit_test(test_unknown_calendar),
		cmocka_unit_test(test_policy_holidays),
		cmocka_unit_test(test_every_number_wrong),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_lookback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
