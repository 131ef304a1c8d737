/* Issue 17, lines 1, 2 and 7, through src/core/metrics.c and presence.c
 * against the test database (the demo people of tests/run.sh): the figures
 * a supervisor reads are her team's, with the team's totals the sums of the
 * agents' rows; the hourly series adds up to each agent's contacts; the same
 * range read by days and by moments gives the same numbers; a collector is
 * refused (42501); a workstation's beat is said once per change and period. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "db.h"
#include "metrics.h"
#include "presence.h"
#include "util.h"

static struct db ana, sofia, admin; /* admin: postgres */
static char from[16], to[16], from_ts[40], to_ts[40];

static int setup(void **state)
{
	PGresult *r;

	(void)state;
	if (!db_connect(&ana, "dbname=cobro", "ana", "test") || !db_connect(&sofia, "dbname=cobro", "sofia", "test") ||
	    !db_connect(&admin, "dbname=cobro", "postgres", "test")) {
		fprintf(stderr, "# cannot connect: %s %s %s\n", ana.err, sofia.err, admin.err);
		return -1;
	}
	/* The demo's last week of history, as days and as the moments they
	 * stand for in the session's zone. */
	r = db_exec(&admin,
	            "SELECT (max(at)::date - 6)::text, max(at)::date::text, (max(at)::date - 6)::timestamptz::text, "
	            "(max(at)::date + 1)::timestamptz::text FROM cobro.event",
	            0, NULL);
	if (!r)
		return -1;
	snprintf(from, sizeof from, "%s", PQgetvalue(r, 0, 0));
	snprintf(to, sizeof to, "%s", PQgetvalue(r, 0, 1));
	snprintf(from_ts, sizeof from_ts, "%s", PQgetvalue(r, 0, 2));
	snprintf(to_ts, sizeof to_ts, "%s", PQgetvalue(r, 0, 3));
	PQclear(r);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(&ana);
	db_close(&sofia);
	db_close(&admin);
	return 0;
}

static void test_team_figures_and_totals(void **state)
{
	struct agent_figures *f, *g;
	int n, m;
	int64_t calls = 0, rpc = 0, sms = 0, contacts = 0;

	(void)state;
	assert_true(metrics_agents_days(&sofia, from, to, NULL, &f, &n));
	assert_true(n >= 3);
	for (int i = 0; i < n; i++) {
		assert_string_equal(f[i].team, "norte");
		if (f[i].agent_id) {
			calls += f[i].calls;
			rpc += f[i].rpc;
			sms += f[i].sms;
			contacts += f[i].contacts;
			assert_int_equal(f[i].contacts, f[i].calls + f[i].sms + f[i].email + f[i].whatsapp);
		}
	}
	/* The totals are the last row, the sums of the agents'. */
	assert_int_equal(f[n - 1].agent_id, 0);
	assert_int_equal(f[n - 1].calls, calls);
	assert_int_equal(f[n - 1].rpc, rpc);
	assert_int_equal(f[n - 1].sms, sms);
	assert_true(calls > 0);
	/* The same days as moments: the same numbers. */
	assert_true(metrics_agents_range(&sofia, from_ts, to_ts, NULL, &g, &m));
	assert_int_equal(m, n);
	for (int i = 0; i < n; i++) {
		assert_string_equal(f[i].login, g[i].login);
		assert_int_equal(f[i].calls, g[i].calls);
		assert_int_equal(f[i].accounts_worked, g[i].accounts_worked);
		assert_int_equal(f[i].promises, g[i].promises);
	}
	assert_true(contacts >= calls);
	free(f);
	free(g);
}

static void test_hourly_adds_up(void **state)
{
	struct agent_figures *f;
	struct agent_hour *h;
	int n, m;

	(void)state;
	assert_true(metrics_agents_range(&sofia, from_ts, to_ts, NULL, &f, &n));
	assert_true(metrics_hourly_range(&sofia, from_ts, to_ts, NULL, &h, &m));
	assert_true(m > 0);
	for (int i = 0; i < n; i++) {
		int64_t sum = 0;

		if (!f[i].agent_id)
			continue;
		for (int k = 0; k < m; k++) {
			if (h[k].agent_id == f[i].agent_id)
				sum += h[k].contacts;
			assert_int_equal(h[k].hour % 3600, 0);
		}
		assert_int_equal(sum, f[i].contacts);
	}
	free(f);
	free(h);
}

static void test_collector_refused(void **state)
{
	struct agent_figures *f;
	struct agent_hour *h;
	int n;

	(void)state;
	assert_false(metrics_agents_days(&ana, from, to, NULL, &f, &n));
	assert_string_equal(ana.sqlstate, "42501");
	assert_null(f);
	assert_false(metrics_hourly_range(&ana, from_ts, to_ts, NULL, &h, &n));
	assert_string_equal(ana.sqlstate, "42501");
	assert_false(metrics_agents_days(&sofia, from, to, "sur", &f, &n));
	assert_string_equal(sofia.sqlstate, "42501");
}

static int64_t presence_changes(void)
{
	PGresult *r = db_exec(&admin,
	                      "SELECT count(*) FROM cobro.change_log c WHERE c.kind = 'presence' "
	                      "AND c.was_team = (SELECT team_id FROM cobro.agent WHERE login = 'ana')",
	                      0, NULL);
	int64_t v = r ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : -1;

	PQclear(r);
	return v;
}

static void test_beat_once_per_change(void **state)
{
	struct presence p = { 0 };
	int64_t before;

	(void)state;
	/* Whatever another suite's workstation of ana's left: gone first. */
	assert_true(presence_leave(&ana));
	before = presence_changes();
	assert_true(presence_keep(&p, &ana, "worklist", 0, 100.0));
	assert_int_equal(p.period, 30);
	assert_int_equal(presence_changes(), before + 1);
	/* The same screen again within the period: nothing said. */
	assert_true(presence_keep(&p, &ana, "worklist", 0, 110.0));
	assert_int_equal(presence_changes(), before + 1);
	/* Due: said again, but it is no news. */
	assert_true(presence_keep(&p, &ana, "worklist", 0, 100.0 + 30));
	assert_int_equal(presence_changes(), before + 1);
	/* Another screen: news. */
	assert_true(presence_keep(&p, &ana, "search", 0, 131.0));
	assert_int_equal(presence_changes(), before + 2);
	assert_true(presence_leave(&ana));
	assert_int_equal(presence_changes(), before + 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_team_figures_and_totals),
		cmocka_unit_test(test_hourly_adds_up),
		cmocka_unit_test(test_collector_refused),
		cmocka_unit_test(test_beat_once_per_change),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
