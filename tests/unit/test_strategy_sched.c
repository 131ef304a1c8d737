/* When a day's plan sends its messages (src/core/strategy_sched.c, issue 18
 * lines 4 and 7): each message at the first moment the contact policy allows
 * on the debtor's local day, spread at the channel's rate, or waiting for
 * another day, or refused, with the rule; the hourly profile. The policy is
 * written here, the facts are built here, the run's moment is given: no
 * database and no clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "policy.h"
#include "strategy_sched.h"
#include "tz.h"
#include "util.h"

static const char policy_text[] =
	"jurisdictions = (\n"
	" { id = \"*\"; rules = (\n"
	"    { id = \"ALL-STATE\"; type = \"state\"; states = [\"cease\", \"dispute\"]; },\n"
	"    { id = \"ALL-CONSENT\"; type = \"consent\"; channels = [\"call\", \"sms\", \"email\", \"whatsapp\"]; },\n"
	"    { id = \"ALL-OPTOUT\"; type = \"opt_out\"; } ); },\n"
	" { id = \"CO\"; rules = (\n"
	"    { id = \"CO-HOURS\"; type = \"hours\"; channels = [\"call\", \"sms\", \"email\", \"whatsapp\"];\n"
	"      weekdays = \"07:00-19:00\"; saturday = \"08:00-15:00\"; sunday = \"\"; holiday = \"\"; },\n"
	"    { id = \"CO-SMS-DAY\"; type = \"cap\"; max = 1; window = \"day\"; per = \"person\";\n"
	"      channels = [\"sms\"]; counts = [\"sent\"]; } ); },\n"
	" { id = \"ES\"; rules = (\n"
	"    { id = \"ES-HOURS\"; type = \"hours\"; channels = [\"call\", \"sms\", \"email\", \"whatsapp\"];\n"
	"      weekdays = \"09:00-21:00\"; saturday = \"\"; sunday = \"\"; holiday = \"\"; } ); },\n"
	" { id = \"PE\"; rules = (\n" /* no calendar below: its holidays are unknown */
	"    { id = \"PE-HOURS\"; type = \"hours\"; weekdays = \"07:00-20:00\"; } ); }\n"
	");\n";

static const char holidays_text[] =
	"CO = { from = 2000; holidays = ( { name = \"Inmaculada\"; date = \"12-08\"; },\n"
	"                                 { name = \"Navidad\"; date = \"12-25\"; } ); };\n"
	"ES = { from = 2000; holidays = ( { name = \"Navidad\"; date = \"12-25\"; } ); };\n";

static struct policy *policy;
static int64_t tuesday;          /* 2026-12-01, a working Tuesday in both */
static const double rates[CH__COUNT] = { [CH_SMS] = 10, [CH_EMAIL] = 20, [CH_WHATSAPP] = 5 };

static int64_t at(const char *iso)
{
	int64_t t;

	if (!time_parse_iso(iso, &t))
		fail_msg("bad time %s", iso);
	return t;
}

static void iso_ms(char *out, size_t n, int64_t ms)
{
	struct tz utc;
	char err[64], s[40];

	if (!tz_load(&utc, "UTC", err, sizeof err))
		fail_msg("%s", err);
	time_format_iso(s, sizeof s, &utc, ms / 1000);
	snprintf(out, n, "%s.%03lld", s, (long long)(ms % 1000));
	tz_free(&utc);
}

static void assert_at(const struct sched_msg *m, const char *want)
{
	char got[64];

	if (m->outcome != SCHED_SEND)
		fail_msg("not sent: %s %s", sched_outcome_name(m->outcome), m->rule);
	iso_ms(got, sizeof got, m->at_ms);
	assert_string_equal(got, want);
}

static void assert_outcome(const struct sched_msg *m, enum sched_outcome o, const char *rule)
{
	if (m->outcome != o || strcmp(m->rule ? m->rule : "", rule))
		fail_msg("wanted %s %s, got %s %s", sched_outcome_name(o), rule, sched_outcome_name(m->outcome),
		         m->rule ? m->rule : "");
}

/* Debtor id, its account id * 10 and its points id * 100 (+0 mobile, +1 email). */
static void add_debtor(struct sched_facts *f, long long id, const char *jur, const char *zone, const char *state,
                       const char *consent, const char *opted_out, bool bad)
{
	char err[128], ref[32];

	snprintf(ref, sizeof ref, "ACC-%lld", id);
	if (!sched_facts_debtor(f, id, jur, zone, err, sizeof err))
		fail_msg("%s", err);
	sched_facts_account(f, id * 10, id, ref, "BANCO", state);
	if (!sched_facts_point(f, id * 100, id, "mobile", "+573001234567", consent, opted_out, bad, err, sizeof err) ||
	    !sched_facts_point(f, id * 100 + 1, id, "email", "x@example.com", "{email}", "{}", false, err, sizeof err))
		fail_msg("%s", err);
}

static struct sched_msg msg(long long debtor, enum channel ch, int64_t day)
{
	return (struct sched_msg){ .account = debtor * 10, .point = debtor * 100 + (ch == CH_EMAIL), .channel = ch,
		                   .day = day };
}

/* Every message has one outcome, the counts add up to them and the hourly
 * profile to the ones sent. */
static void assert_sums(const struct sched_msg *m, size_t n, const struct sched_result *r)
{
	long long sent = 0, by_rule = 0, per_hour = 0;

	for (size_t i = 0; i < n; i++)
		sent += m[i].outcome == SCHED_SEND;
	for (size_t i = 0; i < r->ncounts; i++)
		by_rule += r->counts[i].n;
	for (int i = 0; i < r->nhours; i++)
		per_hour += r->per_hour[i];
	assert_int_equal(r->sent, sent);
	assert_int_equal(r->sent + r->waiting + r->refused, (long long)n);
	assert_int_equal(by_rule, (long long)n);
	assert_int_equal(per_hour, sent);
}

static int setup(void **state)
{
	char err[512];

	(void)state;
	if (!(policy = policy_parse(policy_text, "test.conf", holidays_text, err, sizeof err))) {
		fprintf(stderr, "# %s\n", err);
		return -1;
	}
	tuesday = days_from_civil(2026, 12, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	policy_free(policy);
	return 0;
}

/* Planned at 03:00 in Bogotá: it waits for the window's opening, 07:00. */
static void waits_for_the_opening(void **state)
{
	struct sched_facts *f = sched_facts_new();
	struct sched_msg m[1] = { msg(1, CH_SMS, tuesday) };
	struct sched_result r;

	(void)state;
	add_debtor(f, 1, "CO", "America/Bogota", "active", "{sms}", "{}", false);
	sched_plan(policy, f, rates, at("2026-12-01T08:00:00Z"), m, 1, &r);
	assert_at(&m[0], "2026-12-01T12:00+00:00.000");
	assert_sums(m, 1, &r);
	assert_int_equal(r.first_hour, at("2026-12-01T12:00:00Z"));
	assert_int_equal(r.nhours, 1);
	sched_result_free(&r);

	/* A run at 14:30 Bogotá: now, not the opening that has passed. */
	sched_plan(policy, f, rates, at("2026-12-01T19:30:00Z"), m, 1, &r);
	assert_at(&m[0], "2026-12-01T19:30+00:00.000");
	sched_result_free(&r);

	/* After 19:00 Bogotá the day is over for it. */
	sched_plan(policy, f, rates, at("2026-12-02T00:30:00Z"), m, 1, &r);
	assert_outcome(&m[0], SCHED_WAIT, "CO-HOURS");
	sched_result_free(&r);
	/* And on the next local day it is past. */
	sched_plan(policy, f, rates, at("2026-12-02T05:30:00Z"), m, 1, &r);
	assert_outcome(&m[0], SCHED_WAIT, SCHED_RULE_PAST);
	sched_result_free(&r);
	sched_facts_free(f);
}

/* 1,000 messages at 10 a second span 100 seconds from the opening, in the
 * order given; the profile counts them in their hour. */
static void spread_at_the_rate(void **state)
{
	struct sched_facts *f = sched_facts_new();
	struct sched_msg m[1000];
	struct sched_result r;

	(void)state;
	for (int i = 0; i < 1000; i++) {
		add_debtor(f, 1000 + i, "CO", "America/Bogota", "active", "{sms}", "{}", false);
		m[i] = msg(1000 + i, CH_SMS, tuesday);
	}
	sched_plan(policy, f, rates, at("2026-12-01T05:00:00Z"), m, 1000, &r);
	assert_sums(m, 1000, &r);
	assert_int_equal(r.sent, 1000);
	assert_at(&m[0], "2026-12-01T12:00+00:00.000");
	assert_at(&m[1], "2026-12-01T12:00+00:00.100");
	assert_at(&m[999], "2026-12-01T12:01+00:00.900"); /* 99.9 s: the 1,000th slot of 0.1 s ends at 100 s */
	for (int i = 1; i < 1000; i++)
		assert_int_equal(m[i].at_ms - m[i - 1].at_ms, 100);
	assert_int_equal(r.nhours, 1);
	assert_int_equal(r.per_hour[0], 1000);
	sched_result_free(&r);
	sched_facts_free(f);
}

/* Madrid opens at 09:00 (08:00 UTC), Bogotá at 07:00 (12:00 UTC): each at
 * its own, the rate's count starting again at each opening. Emails have
 * their own rate. */
static void each_zone_its_own_opening(void **state)
{
	struct sched_facts *f = sched_facts_new();
	struct sched_msg m[5];
	struct sched_result r;

	(void)state;
	add_debtor(f, 1, "CO", "America/Bogota", "active", "{sms}", "{}", false);
	add_debtor(f, 2, "ES", "Europe/Madrid", "active", "{sms}", "{}", false);
	add_debtor(f, 3, "CO", "America/Bogota", "active", "{sms}", "{}", false);
	add_debtor(f, 4, "ES", "Europe/Madrid", "active", "{sms}", "{}", false);
	m[0] = msg(1, CH_SMS, tuesday);
	m[1] = msg(2, CH_SMS, tuesday);
	m[2] = msg(3, CH_SMS, tuesday);
	m[3] = msg(4, CH_SMS, tuesday);
	m[4] = msg(4, CH_EMAIL, tuesday);
	sched_plan(policy, f, rates, at("2026-12-01T00:00:00Z"), m, 5, &r);
	assert_at(&m[1], "2026-12-01T08:00+00:00.000");
	assert_at(&m[3], "2026-12-01T08:00+00:00.100");
	assert_at(&m[4], "2026-12-01T08:00+00:00.000");
	assert_at(&m[0], "2026-12-01T12:00+00:00.000");
	assert_at(&m[2], "2026-12-01T12:00+00:00.100");
	assert_sums(m, 5, &r);
	/* The profile in UTC hours from 08:00: 3 at 08, none between, 2 at 12. */
	assert_int_equal(r.first_hour, at("2026-12-01T08:00:00Z"));
	assert_int_equal(r.nhours, 5);
	assert_int_equal(r.per_hour[0], 3);
	assert_int_equal(r.per_hour[1] + r.per_hour[2] + r.per_hour[3], 0);
	assert_int_equal(r.per_hour[4], 2);
	sched_result_free(&r);
	sched_facts_free(f);
}

/* A Sunday and a holiday are closed in Colombia: another day, by the hours
 * rule; the Saturday has its own hours. */
static void sunday_and_holiday_wait(void **state)
{
	struct sched_facts *f = sched_facts_new();
	struct sched_msg m[3];
	struct sched_result r;

	(void)state;
	add_debtor(f, 1, "CO", "America/Bogota", "active", "{sms}", "{}", false);
	m[0] = msg(1, CH_SMS, days_from_civil(2026, 12, 6)); /* Sunday */
	sched_plan(policy, f, rates, at("2026-12-06T05:00:00Z"), m, 1, &r);
	assert_outcome(&m[0], SCHED_WAIT, "CO-HOURS");
	assert_int_equal(m[0].at_ms, 0);
	assert_sums(m, 1, &r);
	assert_int_equal(r.ncounts, 1);
	assert_int_equal(r.counts[0].outcome, SCHED_WAIT);
	assert_string_equal(r.counts[0].rule, "CO-HOURS");
	assert_int_equal(r.nhours, 0);
	sched_result_free(&r);

	m[0] = msg(1, CH_SMS, days_from_civil(2026, 12, 8)); /* Inmaculada, a Tuesday */
	sched_plan(policy, f, rates, at("2026-12-08T05:00:00Z"), m, 1, &r);
	assert_outcome(&m[0], SCHED_WAIT, "CO-HOURS");
	sched_result_free(&r);

	/* A day whose holidays nobody knows waits, by cobro's own rule. */
	add_debtor(f, 2, "PE", "America/Lima", "active", "{sms}", "{}", false);
	m[0] = msg(2, CH_SMS, tuesday);
	sched_plan(policy, f, rates, at("2026-12-01T05:00:00Z"), m, 1, &r);
	assert_outcome(&m[0], SCHED_WAIT, "HOLIDAYS");
	sched_result_free(&r);

	m[0] = msg(1, CH_SMS, days_from_civil(2026, 12, 5)); /* Saturday, 08:00-15:00 */
	sched_plan(policy, f, rates, at("2026-12-05T05:00:00Z"), m, 1, &r);
	assert_at(&m[0], "2026-12-05T13:00+00:00.000");
	sched_result_free(&r);
	sched_facts_free(f);
}

/* Refused outright, with the rule: the recipient opted out, no consent, the
 * account's state stops contact, the number is marked wrong. */
static void refused_by_rule(void **state)
{
	struct sched_facts *f = sched_facts_new();
	struct sched_msg m[6];
	struct sched_result r;

	(void)state;
	add_debtor(f, 1, "CO", "America/Bogota", "active", "{sms}", "{sms}", false);
	add_debtor(f, 2, "CO", "America/Bogota", "active", "{}", "{}", false);
	add_debtor(f, 3, "CO", "America/Bogota", "cease", "{sms}", "{}", false);
	add_debtor(f, 4, "CO", "America/Bogota", "active", "{sms}", "{}", true);
	add_debtor(f, 5, "CO", "America/Bogota", "active", "{sms}", "{}", false);
	for (int i = 0; i < 5; i++)
		m[i] = msg(i + 1, CH_SMS, tuesday);
	m[5] = msg(1, CH_EMAIL, tuesday); /* the opt-out was the number's: the email goes */
	sched_plan(policy, f, rates, at("2026-12-01T05:00:00Z"), m, 6, &r);
	assert_outcome(&m[0], SCHED_REFUSED, "ALL-OPTOUT");
	assert_outcome(&m[1], SCHED_REFUSED, "ALL-CONSENT");
	assert_outcome(&m[2], SCHED_REFUSED, "ALL-STATE");
	assert_outcome(&m[3], SCHED_REFUSED, SCHED_RULE_UNREACHABLE);
	assert_at(&m[4], "2026-12-01T12:00+00:00.000");
	assert_at(&m[5], "2026-12-01T12:00+00:00.000");
	assert_sums(m, 6, &r);
	assert_int_equal(r.refused, 4);
	assert_int_equal(r.counts[0].outcome, SCHED_SEND);
	assert_int_equal(r.counts[0].n, 2);
	sched_result_free(&r);

	/* The debtor as a whole (no point named) whose every number is wrong. */
	m[0] = (struct sched_msg){ .account = 40, .channel = CH_SMS, .day = tuesday };
	sched_plan(policy, f, rates, at("2026-12-01T05:00:00Z"), m, 1, &r);
	assert_outcome(&m[0], SCHED_REFUSED, SCHED_RULE_UNREACHABLE);
	sched_result_free(&r);

	/* An account the facts do not hold. */
	m[0] = (struct sched_msg){ .account = 999, .channel = CH_SMS, .day = tuesday };
	sched_plan(policy, f, rates, at("2026-12-01T05:00:00Z"), m, 1, &r);
	assert_outcome(&m[0], SCHED_REFUSED, SCHED_RULE_UNKNOWN);
	sched_result_free(&r);
	sched_facts_free(f);
}

/* A daily cap of one SMS: of two steps the same day one goes and the other
 * waits; a message already sent that day keeps the day's one waiting too.
 * The email is not capped. Planning again gives the same answers: the run
 * leaves the facts as they were (the dry run, then the real run). */
static void daily_cap_counts_the_plan(void **state)
{
	struct sched_facts *f = sched_facts_new();
	struct sched_msg m[4], again[4];
	struct sched_result r, r2;

	(void)state;
	add_debtor(f, 1, "CO", "America/Bogota", "active", "{sms}", "{}", false);
	add_debtor(f, 2, "CO", "America/Bogota", "active", "{sms}", "{}", false);
	/* Debtor 2 had an SMS at 08:00 Bogotá that day; one the day before. */
	sched_facts_contact(f, 2, at("2026-12-01T13:00:00Z"), CH_SMS, KIND_SENT, "ACC-2", "BANCO");
	sched_facts_contact(f, 2, at("2026-11-30T13:00:00Z"), CH_SMS, KIND_SENT, "ACC-2", "BANCO");
	m[0] = msg(1, CH_SMS, tuesday);
	m[1] = msg(1, CH_SMS, tuesday);
	m[2] = msg(1, CH_EMAIL, tuesday);
	m[3] = msg(2, CH_SMS, tuesday);
	memcpy(again, m, sizeof m);
	sched_plan(policy, f, rates, at("2026-12-01T15:00:00Z"), m, 4, &r);
	assert_at(&m[0], "2026-12-01T15:00+00:00.000");
	assert_outcome(&m[1], SCHED_WAIT, "CO-SMS-DAY");
	assert_at(&m[2], "2026-12-01T15:00+00:00.000");
	assert_outcome(&m[3], SCHED_WAIT, "CO-SMS-DAY");
	assert_sums(m, 4, &r);

	sched_plan(policy, f, rates, at("2026-12-01T15:00:00Z"), again, 4, &r2);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(again[i].outcome, m[i].outcome);
		assert_int_equal(again[i].at_ms, m[i].at_ms);
	}
	assert_int_equal(r2.ncounts, r.ncounts);
	for (size_t i = 0; i < r.ncounts; i++) {
		assert_int_equal(r2.counts[i].n, r.counts[i].n);
		assert_string_equal(r2.counts[i].rule, r.counts[i].rule);
	}
	sched_result_free(&r);
	sched_result_free(&r2);

	/* Planned from midnight, the night's hours refuse first; the rule
	 * named is still the cap that closes the day. */
	memcpy(again, m, sizeof m);
	sched_plan(policy, f, rates, at("2026-12-01T05:00:00Z"), again, 2, &r);
	assert_at(&again[0], "2026-12-01T12:00+00:00.000");
	assert_outcome(&again[1], SCHED_WAIT, "CO-SMS-DAY");
	sched_result_free(&r);

	/* An SMS already queued for 15:00 Bogotá today counts against one
	 * planned for 07:00: the cap is the day's. */
	add_debtor(f, 3, "CO", "America/Bogota", "active", "{sms}", "{}", false);
	sched_facts_contact(f, 3, at("2026-12-01T20:00:00Z"), CH_SMS, KIND_SENT, "ACC-3", "BANCO");
	again[0] = msg(3, CH_SMS, tuesday);
	sched_plan(policy, f, rates, at("2026-12-01T05:00:00Z"), again, 1, &r);
	assert_outcome(&again[0], SCHED_WAIT, "CO-SMS-DAY");
	sched_result_free(&r);

	/* The next day debtor 1's second step goes: the cap is per day. */
	m[1].day = tuesday + 1;
	sched_plan(policy, f, rates, at("2026-12-02T05:00:00Z"), &m[1], 1, &r);
	assert_at(&m[1], "2026-12-02T12:00+00:00.000");
	sched_result_free(&r);
	sched_facts_free(f);
}

/* One message every six hours: 07:00 and 13:00 fit Bogotá's window, 19:00
 * does not: it waits, the window full, and frees its debtor's day. */
static void a_full_window_waits(void **state)
{
	struct sched_facts *f = sched_facts_new();
	struct sched_msg m[3];
	struct sched_result r;
	const double slow[CH__COUNT] = { [CH_SMS] = 1.0 / 21600 };

	(void)state;
	for (int i = 0; i < 3; i++) {
		add_debtor(f, i + 1, "CO", "America/Bogota", "active", "{sms}", "{}", false);
		m[i] = msg(i + 1, CH_SMS, tuesday);
	}
	sched_plan(policy, f, slow, at("2026-12-01T05:00:00Z"), m, 3, &r);
	assert_at(&m[0], "2026-12-01T12:00+00:00.000");
	assert_at(&m[1], "2026-12-01T18:00+00:00.000");
	assert_outcome(&m[2], SCHED_WAIT, SCHED_RULE_FULL);
	assert_sums(m, 3, &r);
	assert_int_equal(r.nhours, 7);
	sched_result_free(&r);
	sched_facts_free(f);
}

/* 100,000 messages (50,000 debtors in two zones, an SMS and an email each,
 * a week of history each): the time it takes, in the log. */
static void hundred_thousand(void **state)
{
	enum { DEBTORS = 50000 };
	struct sched_facts *f = sched_facts_new();
	struct sched_msg *m = xcalloc(2 * DEBTORS, sizeof *m);
	struct sched_result r;
	struct timespec t0, t1;

	(void)state;
	for (int i = 0; i < DEBTORS; i++) {
		char ref[32];

		add_debtor(f, 10000 + i, i % 2 ? "ES" : "CO", i % 2 ? "Europe/Madrid" : "America/Bogota", "active",
		           "{sms}", "{}", false);
		snprintf(ref, sizeof ref, "ACC-%d", 10000 + i);
		for (int d = 1; d <= 7; d++)
			sched_facts_contact(f, 10000 + i, at("2026-11-24T06:00:00Z") + d * 86400 - 86400 * (i % 3),
			                    d % 2 ? CH_SMS : CH_CALL, d % 2 ? KIND_SENT : KIND_PLACED, ref, "BANCO");
		m[2 * i] = msg(10000 + i, CH_SMS, tuesday);
		m[2 * i + 1] = msg(10000 + i, CH_EMAIL, tuesday);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	sched_plan(policy, f, rates, at("2026-12-01T07:00:00Z"), m, 2 * DEBTORS, &r);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("# scheduled %d messages in %.3f s (%lld to send, %lld waiting, %lld refused, %d hours)\n",
	       2 * DEBTORS, (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, r.sent,
	       r.waiting, r.refused, r.nhours);
	assert_sums(m, 2 * DEBTORS, &r);
	sched_result_free(&r);
	free(m);
	sched_facts_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(waits_for_the_opening),
		cmocka_unit_test(spread_at_the_rate),
		cmocka_unit_test(each_zone_its_own_opening),
		cmocka_unit_test(sunday_and_holiday_wait),
		cmocka_unit_test(refused_by_rule),
		cmocka_unit_test(daily_cap_counts_the_plan),
		cmocka_unit_test(a_full_window_waits),
		cmocka_unit_test(hundred_thousand),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
