/* The policy facts of a day's debtors read in bulk (sched_facts_load(),
 * src/core/strategy_sched.c) against the test database, as a daemon login
 * reads them, and the plan made from them with the rules the project ships
 * (etc/policy.conf): what counts as a contact is contact_events()'s (a
 * failed message, an inbound text and a contact older than the rules can
 * count are not read), the account's state is policy_state()'s, a US
 * number's area code adds its zone, and a day's plan counts against the
 * history read (a right-party conversation today in Colombia; Massachusetts'
 * two in seven days).
 *
 * The fixtures are inserted here as the superuser, at fixed dates (December
 * 2026), and removed after. Needs PGHOST/PGPORT/PGDATABASE and COBRO_TOP
 * (tests/run.sh exports them). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "db.h"
#include "policy.h"
#include "strategy_sched.h"
#include "tz.h"
#include "util.h"

#define TEAM "sched_test"
#define DAEMON_LOGIN "sched_test"

static struct db admin, daemon_db; /* admin: postgres, a member of every group */
static struct policy *policy;

static struct {
	long long team;
	long long co_talked, co_quiet, pe_cease, us_ma; /* debtors */
	long long a_talked, a_quiet, a_cease, a_ma;     /* their accounts */
	long long p_talked, p_quiet, p_quiet_mail, p_cease, p_ma;
} t;

static PGresult *query(struct db *db, const char *sql, int n, const char *const *params)
{
	PGresult *r = db_exec(db, sql, n, params);

	if (!r)
		fail_msg("%s: %s", sql, db->err);
	return r;
}

static long long num(const char *sql, int np, const char *const *params)
{
	PGresult *r = query(&admin, sql, np, params);
	long long v;

	if (PQntuples(r) != 1 || PQgetisnull(r, 0, 0))
		fail_msg("no value: %s", sql);
	v = atoll(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}

static void remove_rows(void)
{
	static const char *const steps[] = {
		"DELETE FROM cobro.event WHERE debtor_id = ANY ($1::bigint[])",
		"DELETE FROM cobro.message WHERE debtor_id = ANY ($1::bigint[])",
		"DELETE FROM cobro.account WHERE debtor_id = ANY ($1::bigint[])",
		"DELETE FROM cobro.debtor WHERE id = ANY ($1::bigint[])",
	};
	PGresult *r = query(&admin,
	                    "SELECT coalesce(array_agg(DISTINCT a.debtor_id), '{}') FROM cobro.account a "
	                    "JOIN cobro.team g ON g.id = a.team_id WHERE g.code = '" TEAM "'",
	                    0, NULL);
	char ids[4096];

	snprintf(ids, sizeof ids, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	for (size_t i = 0; i < ARRAY_SIZE(steps); i++)
		PQclear(query(&admin, steps[i], 1, (const char *const[]){ ids }));
	PQclear(query(&admin, "DELETE FROM cobro.team WHERE code = '" TEAM "'", 0, NULL));
}

static long long add_debtor(const char *jurisdiction, const char *zone, const char *state)
{
	return num("INSERT INTO cobro.debtor (name, first_name, jurisdiction, time_zone, state) "
	           "VALUES ('Prueba Sched', 'Prueba', $1, $2, $3) RETURNING id",
	           3, (const char *const[]){ jurisdiction, zone, state });
}

static long long add_account(long long debtor, const char *currency)
{
	char d[24], team[24], ref[64];

	snprintf(d, sizeof d, "%lld", debtor);
	snprintf(team, sizeof team, "%lld", t.team);
	snprintf(ref, sizeof ref, "SCHED-%ld-%lld", (long)getpid(), debtor);
	return num("INSERT INTO cobro.account (debtor_id, creditor_id, product, reference, currency, balance, team_id) "
	           "VALUES ($1, (SELECT min(id) FROM cobro.creditor), 'loan', $2, $3, 150000, $4) RETURNING id",
	           4, (const char *const[]){ d, ref, currency, team });
}

static long long add_point(long long debtor, const char *kind, const char *value, const char *consent,
                           const char *opted_out, bool bad)
{
	char d[24];

	snprintf(d, sizeof d, "%lld", debtor);
	return num("INSERT INTO cobro.contact_point (debtor_id, kind, value, consent, opted_out, bad_since) "
	           "VALUES ($1, $2, $3, $4::text[], $5::text[], CASE WHEN $6 THEN '2026-11-01T00:00Z'::timestamptz END) "
	           "RETURNING id",
	           6, (const char *const[]){ d, kind, value, consent, opted_out, bad ? "true" : "false" });
}

/* A contact of the history: kind sms/call, direction, outcome (NULL: none). */
static void add_event(long long account, long long debtor, const char *kind, const char *direction,
                      const char *outcome, const char *iso)
{
	char a[24], d[24];

	snprintf(a, sizeof a, "%lld", account);
	snprintf(d, sizeof d, "%lld", debtor);
	PQclear(query(&admin,
	              "INSERT INTO cobro.event (account_id, debtor_id, kind, direction, outcome, at, body) "
	              "VALUES ($1, $2, $3, $4, $5, $6::timestamptz, 'sched test')",
	              6, (const char *const[]){ a, d, kind, direction, outcome, iso }));
}

static int64_t at(const char *iso)
{
	int64_t v;

	if (!time_parse_iso(iso, &v))
		fail_msg("bad time %s", iso);
	return v;
}

static int setup(void **state)
{
	const char *top = getenv("COBRO_TOP") ? getenv("COBRO_TOP") : ".";
	char err[256], path[4096], *text, *holidays;
	PGresult *r;

	(void)state;
	if (!db_connect(&admin, "dbname=cobro", "postgres", "test_strategy_sched")) {
		fprintf(stderr, "# cannot connect as postgres: %s\n", admin.err);
		return -1;
	}
	snprintf(path, sizeof path, "%s/etc/holidays", top);
	if (!(holidays = policy_holidays_read(path, err, sizeof err))) {
		fprintf(stderr, "# %s\n", err);
		return -1;
	}
	snprintf(path, sizeof path, "%s/etc/policy.conf", top);
	if (!(text = read_file(path, NULL)) || !(policy = policy_parse(text, path, holidays, err, sizeof err))) {
		fprintf(stderr, "# %s: %s\n", path, text ? err : "cannot read");
		return -1;
	}
	free(text);
	free(holidays);
	if (!(r = db_exec(&admin, "SELECT count(*) FROM cobro.agent WHERE login = '" DAEMON_LOGIN "'", 0, NULL)))
		return -1;
	if (atoll(PQgetvalue(r, 0, 0)) == 0 &&
	    !db_cmd(&admin, "SELECT cobro.agent_add('" DAEMON_LOGIN "', 'Scheduler test', 'daemon', NULL)")) {
		fprintf(stderr, "# %s\n", admin.err);
		PQclear(r);
		return -1;
	}
	PQclear(r);
	remove_rows();

	t.team = num("INSERT INTO cobro.team (code, name) VALUES ('" TEAM "', 'Scheduler test') RETURNING id", 0, NULL);
	t.co_talked = add_debtor("CO", "America/Bogota", "active");
	t.co_quiet = add_debtor("CO", "America/Bogota", "active");
	t.pe_cease = add_debtor("PE", "America/Lima", "cease");
	t.us_ma = add_debtor("US-MA", "America/New_York", "active");
	t.a_talked = add_account(t.co_talked, "COP");
	t.a_quiet = add_account(t.co_quiet, "COP");
	t.a_cease = add_account(t.pe_cease, "PEN");
	t.a_ma = add_account(t.us_ma, "USD");
	t.p_talked = add_point(t.co_talked, "mobile", "+573009990001", "{sms,call}", "{}", false);
	add_point(t.co_talked, "mobile", "+573009990009", "{sms}", "{}", true); /* wrong: read, never chosen */
	t.p_quiet = add_point(t.co_quiet, "mobile", "+573009990002", "{sms}", "{}", false);
	t.p_quiet_mail = add_point(t.co_quiet, "email", "sched.quiet@example.com", "{email}", "{email}", false);
	t.p_cease = add_point(t.pe_cease, "mobile", "+51999990003", "{sms}", "{}", false);
	/* A Los Angeles number: its zone opens three hours after New York's. */
	t.p_ma = add_point(t.us_ma, "mobile", "+12135550104", "{sms}", "{}", false);

	/* Colombia: a right-party call this morning (08:00 Bogotá), and what
	 * does not count: a failed text, an inbound one, one from the summer. */
	add_event(t.a_talked, t.co_talked, "call", "out", "right_party", "2026-12-01T13:00:00Z");
	add_event(t.a_talked, t.co_talked, "sms", "out", "failed", "2026-11-30T15:00:00Z");
	add_event(t.a_talked, t.co_talked, "sms", "in", NULL, "2026-11-30T16:00:00Z");
	add_event(t.a_talked, t.co_talked, "sms", "out", NULL, "2026-06-01T15:00:00Z");
	/* Massachusetts: one text five days ago; two in seven days at most. */
	add_event(t.a_ma, t.us_ma, "sms", "out", NULL, "2026-11-26T18:00:00Z");

	if (!db_connect(&daemon_db, "dbname=cobro", DAEMON_LOGIN, "test_strategy_sched")) {
		fprintf(stderr, "# cannot connect as " DAEMON_LOGIN ": %s\n", daemon_db.err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	remove_rows();
	db_close(&daemon_db);
	db_close(&admin);
	policy_free(policy);
	return 0;
}

static void assert_msg(const struct sched_msg *m, enum sched_outcome o, const char *rule, const char *when)
{
	if (m->outcome != o || strcmp(m->rule ? m->rule : "", rule))
		fail_msg("account %lld: wanted %s %s, got %s %s", m->account, sched_outcome_name(o), rule,
		         sched_outcome_name(m->outcome), m->rule ? m->rule : "");
	if (when)
		assert_int_equal(m->at_ms, at(when) * 1000);
}

/* The daemon reads the four debtors' facts in one go, and plans Tuesday
 * 1 December 2026 from 10:00 in Bogotá (15:00 UTC). */
static void facts_of_a_day(void **state)
{
	long long accounts[4] = { t.a_talked, t.a_quiet, t.a_cease, t.a_ma };
	int64_t day = days_from_civil(2026, 12, 1);
	struct sched_facts *f = sched_facts_new();
	struct sched_msg m[6] = {
		{ .account = t.a_talked, .point = t.p_talked, .channel = CH_SMS, .day = day },
		{ .account = t.a_quiet, .point = t.p_quiet, .channel = CH_SMS, .day = day },
		{ .account = t.a_quiet, .point = t.p_quiet_mail, .channel = CH_EMAIL, .day = day },
		{ .account = t.a_cease, .point = t.p_cease, .channel = CH_SMS, .day = day },
		{ .account = t.a_ma, .point = t.p_ma, .channel = CH_SMS, .day = day },
		{ .account = t.a_ma, .point = t.p_ma, .channel = CH_SMS, .day = day },
	};
	const double rate[CH__COUNT] = { [CH_SMS] = 50, [CH_EMAIL] = 20 };
	struct sched_result r;
	size_t debtors, accs, points, contacts;
	char err[256];

	(void)state;
	if (!sched_facts_load(&daemon_db, policy, accounts, 4, day, f, err, sizeof err))
		fail_msg("%s", err);
	sched_facts_size(f, &debtors, &accs, &points, &contacts);
	assert_int_equal(debtors, 4);
	assert_int_equal(accs, 4);
	assert_int_equal(points, 6);
	assert_int_equal(contacts, 2); /* the conversation and Massachusetts' text */

	sched_plan(policy, f, rate, at("2026-12-01T15:00:00Z"), m, 6, &r);
	/* After a conversation today, no other contact today in Colombia. */
	assert_msg(&m[0], SCHED_WAIT, "CO-DAY", NULL);
	assert_msg(&m[1], SCHED_SEND, "", "2026-12-01T15:00:00Z");
	assert_msg(&m[2], SCHED_REFUSED, "ALL-OPTOUT", NULL);
	/* The debtor's cease, as policy_state() reads it for the account. */
	assert_msg(&m[3], SCHED_REFUSED, "ALL-STATE", NULL);
	/* 08:00 in Los Angeles, not New York's; the second text would be the
	 * third in seven days. */
	assert_msg(&m[4], SCHED_SEND, "", "2026-12-01T16:00:00Z");
	assert_msg(&m[5], SCHED_WAIT, "US-MA-2IN7", NULL);
	assert_int_equal(r.sent, 2);
	assert_int_equal(r.waiting, 2);
	assert_int_equal(r.refused, 2);
	assert_int_equal(r.first_hour, at("2026-12-01T15:00:00Z"));
	assert_int_equal(r.nhours, 2);
	assert_int_equal(r.per_hour[0] + r.per_hour[1], 2);
	sched_result_free(&r);
	sched_facts_free(f);
}

/* Every account of the test database's portfolio (up to 100,000), read as
 * the daemon reads a day's: the time it takes, in the log. */
static void facts_of_the_portfolio(void **state)
{
	PGresult *r = query(&daemon_db, "SELECT id FROM cobro.account ORDER BY id LIMIT 100000", 0, NULL);
	size_t n = (size_t)PQntuples(r), debtors, accs, points, contacts;
	long long *ids = xcalloc(n + 1, sizeof *ids);
	struct sched_facts *f = sched_facts_new();
	struct timespec t0, t1;
	char err[256];

	(void)state;
	for (size_t i = 0; i < n; i++)
		ids[i] = atoll(PQgetvalue(r, (int)i, 0));
	PQclear(r);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!sched_facts_load(&daemon_db, policy, ids, n, days_from_civil(2026, 12, 1), f, err, sizeof err))
		fail_msg("%s", err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	sched_facts_size(f, &debtors, &accs, &points, &contacts);
	printf("# read the policy facts of %zu accounts in %.3f s (%zu debtors, %zu points, %zu contacts)\n", accs,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, debtors, points, contacts);
	assert_int_equal(accs, n);
	sched_facts_free(f);
	free(ids);
}

/* A collector's login may not read what the daemon reads for a whole day. */
static void not_for_a_collector(void **state)
{
	struct db ana;
	long long accounts[1] = { t.a_talked };
	struct sched_facts *f = sched_facts_new();
	char err[256];

	(void)state;
	if (!db_connect(&ana, "dbname=cobro", "ana", "test"))
		fail_msg("%s", ana.err);
	/* ana sees none of the test team's accounts: nothing to read... */
	if (sched_facts_load(&ana, policy, accounts, 1, days_from_civil(2026, 12, 1), f, err, sizeof err)) {
		size_t debtors, accs, points, contacts;

		sched_facts_size(f, &debtors, &accs, &points, &contacts);
		assert_int_equal(accs + points + contacts, 0);
	}
	sched_facts_free(f);
	db_close(&ana);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(facts_of_a_day),
		cmocka_unit_test(not_for_a_collector),
		cmocka_unit_test(facts_of_the_portfolio),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
