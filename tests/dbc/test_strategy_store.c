/* Issue 18, through src/core/strategy_store.c against the test database
 * (the demo people of tests/run.sh): a version loaded with its diff is the
 * one in force; the facts of every account stream one by one, each as
 * the tables say; a day's decisions staged by COPY and applied queue a
 * message once, however often the day or the step comes again; a
 * collector is refused by the database (42501). Everything runs in a
 * transaction of the test's, rolled back (the store works in a savepoint
 * of it): the demo is shared. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "db.h"
#include "strategy_store.h"
#include "util.h"

static struct db ana, admin, su;

static int setup(void **state)
{
	(void)state;
	if (!db_connect(&ana, "dbname=cobro", "ana", "test") || !db_connect(&admin, "dbname=cobro", "admin", "test") ||
	    !db_connect(&su, "dbname=cobro", "postgres", "test")) {
		fprintf(stderr, "# cannot connect: %s %s %s\n", ana.err, admin.err, su.err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(&ana);
	db_close(&admin);
	db_close(&su);
	return 0;
}

static long long number(struct db *db, const char *sql)
{
	PGresult *r = db_exec(db, sql, 0, NULL);
	long long v;

	assert_non_null(r);
	v = atoll(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}

static const char text1[] = "# test_strategy_store\nsegments = ( { name = \"standard\"; } );\n";
static const char text2[] = "# test_strategy_store\nsegments = ( { name = \"early\"; } );\n";

static void test_load_and_read(void **state)
{
	struct stored_strategy st;
	char err[512], *diff = NULL;
	int v1, v2;

	(void)state;
	assert_true(db_cmd(&admin, "BEGIN"));
	v1 = strategy_store_load(&admin, "t1.conf", text1, &diff, err, sizeof err);
	assert_true(v1 > 0);
	free(diff);
	v2 = strategy_store_load(&admin, "t2.conf", text2, &diff, err, sizeof err);
	assert_int_equal(v2, v1 + 1);
	/* The diff against the version in force before it. */
	assert_string_equal(diff, "@@ line 2\n-segments = ( { name = \"standard\"; } );\n+segments = ( { name = \"early\"; } );\n");
	free(diff);
	assert_true(strategy_store_in_force(&admin, &st, err, sizeof err));
	assert_int_equal(st.version, v2);
	assert_string_equal(st.text, text2);
	assert_string_equal(st.file, "t2.conf");
	assert_string_equal(st.loaded_by, "admin");
	stored_strategy_free(&st);
	assert_true(strategy_store_version(&admin, v1, &st, err, sizeof err));
	assert_string_equal(st.text, text1);
	stored_strategy_free(&st);
	assert_false(strategy_store_version(&admin, v2 + 1000, &st, err, sizeof err));
	assert_non_null(strstr(err, "no strategy version"));
	/* An empty file: the database refuses it too. */
	assert_int_equal(strategy_store_load(&admin, "e.conf", " \n", NULL, err, sizeof err), -1);
	assert_string_equal(admin.sqlstate, "22023");
	assert_true(db_cmd(&admin, "ROLLBACK"));
	/* A collector loads nothing (once admin's transaction let go of the
	 * loaders' lock). */
	assert_int_equal(strategy_store_load(&ana, "t.conf", text1, NULL, err, sizeof err), -1);
	assert_string_equal(ana.sqlstate, "42501");
}

struct seen {
	long long n;
	long long want_id;
	bool found;
	char reference[64], team[32], agent[64];
	long long balance, sms, email;
	int oldest_due;
	bool contact_ok;
	int stop_after;
};

static bool on_account(const struct strategy_account *a, void *arg)
{
	struct seen *s = arg;

	s->n++;
	for (int c = 0; c < STRATEGY_CHANNELS; c++)
		if (((a->f.contact >> c) & 1u) != (a->point[c] != 0))
			s->contact_ok = false;
	if (a->f.account_id == s->want_id) {
		s->found = true;
		snprintf(s->reference, sizeof s->reference, "%s", a->f.reference);
		snprintf(s->team, sizeof s->team, "%s", a->team);
		snprintf(s->agent, sizeof s->agent, "%s", a->agent ? a->agent : "");
		s->balance = a->f.balance;
		s->sms = a->point[STRATEGY_SMS];
		s->email = a->point[STRATEGY_EMAIL];
		s->oldest_due = a->f.oldest_due;
	}
	return !s->stop_after || s->n < s->stop_after;
}

#define ANA_FIRST "(SELECT min(a.id) FROM cobro.account a JOIN cobro.agent g ON g.id = a.agent_id WHERE g.login = 'ana')"

static void test_facts_stream(void **state)
{
	struct seen s = { .contact_ok = true };
	char err[512], want[64];
	long long n = 0;
	int day;
	PGresult *r;

	(void)state;
	assert_true(strategy_day_parse("2031-03-03", &day));
	s.want_id = number(&admin, "SELECT " ANA_FIRST);
	assert_true(strategy_store_facts(&admin, day, on_account, &s, &n, err, sizeof err));
	assert_int_equal(n, s.n);
	assert_int_equal(n, number(&admin, "SELECT count(*) FROM cobro.account WHERE status NOT IN ('paid', 'closed')"));
	assert_true(s.contact_ok);
	assert_true(s.found);
	r = db_exec(&admin,
	            "SELECT a.reference, a.balance, coalesce(a.oldest_due - date '1970-01-01', -1), "
	            "(SELECT min(c.id) FROM cobro.contact_point c WHERE c.debtor_id = a.debtor_id AND c.kind = 'mobile' "
	            "AND c.bad_since IS NULL AND NOT 'sms' = ANY (c.opted_out) AND c.is_primary) "
	            "FROM cobro.account a WHERE a.id = " ANA_FIRST,
	            0, NULL);
	assert_non_null(r);
	assert_string_equal(s.reference, PQgetvalue(r, 0, 0));
	assert_int_equal(s.balance, atoll(PQgetvalue(r, 0, 1)));
	if (atoi(PQgetvalue(r, 0, 2)) >= 0)
		assert_int_equal(s.oldest_due, atoi(PQgetvalue(r, 0, 2)));
	if (!PQgetisnull(r, 0, 3))
		assert_int_equal(s.sms, atoll(PQgetvalue(r, 0, 3)));
	PQclear(r);
	assert_string_equal(s.team, "norte");
	assert_string_equal(s.agent, "ana");
	snprintf(want, sizeof want, "%lld", s.n);

	/* Stopped by the callback: false, and the connection goes on. */
	memset(&s, 0, sizeof s);
	s.stop_after = 3;
	assert_false(strategy_store_facts(&admin, day, on_account, &s, &n, err, sizeof err));
	assert_int_equal(s.n, 3);
	assert_int_equal(number(&admin, "SELECT 1"), 1);

	/* A collector reads no facts. */
	memset(&s, 0, sizeof s);
	assert_false(strategy_store_facts(&ana, day, on_account, &s, &n, err, sizeof err));
	assert_string_equal(ana.sqlstate, "42501");
	assert_int_equal(s.n, 0);
}

static void test_stage_and_apply_once(void **state)
{
	struct strategy_stage st;
	char err[512], *counts = NULL, *diff = NULL, sql[512];
	long long acc, point, before;
	int day, version;
	struct strategy_segment_row seg = { 0 };
	struct strategy_action_row act = { 0 };

	(void)state;
	assert_true(strategy_day_parse("2031-03-03", &day));
	assert_true(db_cmd(&admin, "BEGIN"));
	version = strategy_store_load(&admin, "t1.conf", text1, &diff, err, sizeof err);
	free(diff);
	assert_true(version > 0);
	assert_true(db_cmd(&admin, "INSERT INTO cobro.template (code, channel, language, body) "
	                           "VALUES ('t_store_notice', 'sms', 'es', 'Hola')"));
	/* One of ana's accounts with a usable mobile. */
	acc = number(&admin, "SELECT min(account_id) FROM cobro.strategy_facts('2031-03-03') "
	                     "WHERE agent = 'ana' AND point_sms IS NOT NULL");
	snprintf(sql, sizeof sql, "SELECT point_sms FROM cobro.strategy_facts('2031-03-03') WHERE account_id = %lld",
	         acc);
	point = number(&admin, sql);
	before = number(&admin, "SELECT count(*) FROM cobro.message WHERE ladder = 't_store'");

	for (int round = 0; round < 3; round++) {
		seg = (struct strategy_segment_row){ .account_id = acc, .segment = "standard", .ladder = "t_store",
		                                     .state = "running", .last_step = "dpd1",
		                                     .next_step_on = STRATEGY_NO_DAY };
		act = (struct strategy_action_row){ .account_id = acc, .ladder = "t_store", .step = "dpd1",
		                                    .anchor = day - 1, .outcome = "send", .channel = "sms",
		                                    .template_code = "t_store_notice", .point_id = point,
		                                    .scheduled_at = (int64_t)day * 86400 + 15 * 3600,
		                                    .body = "Hola\tFixture\\ \"x\"\n", .segments = 1,
		                                    .encoding = "gsm7", .segment = "standard" };
		assert_true(strategy_stage_begin(&st, &admin, err, sizeof err));
		assert_true(strategy_stage_segment(&st, &seg, err, sizeof err));
		assert_true(strategy_stage_action(&st, &act, err, sizeof err));
		/* The same day twice (round 1), then the next day (round 2). */
		assert_true(strategy_stage_apply(&st, "ladder", round == 2 ? day + 1 : day, version, "dbc", &counts, err,
		                                 sizeof err));
		if (round == 0)
			assert_non_null(strstr(counts, "\"outcomes\": {\"queued\": 1}"));
		else if (round == 1)
			assert_non_null(strstr(counts, "\"already\": true"));
		else
			assert_non_null(strstr(counts, "\"already_done\": 1"));
		free(counts);
	}
	/* One message, as it was rendered, at its moment, once. */
	assert_int_equal(number(&admin, "SELECT count(*) FROM cobro.message WHERE ladder = 't_store'"), before + 1);
	assert_int_equal(number(&admin, "SELECT count(*) FROM cobro.message WHERE ladder = 't_store' "
	                                "AND body = E'Hola\\tFixture\\\\ \"x\"\\n' AND next_attempt_at = '2031-03-03 15:00Z' "
	                                "AND agent_id IS NULL AND step = 'dpd1' AND segment = 'standard'"),
	                 1);
	assert_int_equal(number(&admin, "SELECT count(*) FROM cobro.account_strategy WHERE ladder = 't_store' "
	                                "AND last_step = 'dpd1'"),
	                 1);

	/* Staged then abandoned: nothing of it stays, the caller's
	 * transaction goes on. */
	assert_true(strategy_stage_begin(&st, &admin, err, sizeof err));
	act.step = "dpd5";
	assert_true(strategy_stage_action(&st, &act, err, sizeof err));
	strategy_stage_abort(&st);
	assert_int_equal(number(&admin, "SELECT count(*) FROM cobro.strategy_step_done WHERE step = 'dpd5' "
	                                "AND ladder = 't_store'"),
	                 0);
	/* A collector stages nothing. */
	assert_false(strategy_stage_begin(&st, &ana, err, sizeof err));
	assert_string_equal(ana.sqlstate, "42501");
	assert_true(db_cmd(&admin, "ROLLBACK"));
}

/* The rows of debtor_heard (036) that differ from what the history says:
 * each debtor's last reply and right-party contact. */
static const char heard_mismatch[] =
	"WITH h AS (SELECT e.debtor_id, "
	"  max(e.at) FILTER (WHERE e.direction = 'in' AND e.kind IN ('sms', 'email', 'whatsapp')) AS last_reply, "
	"  max(e.at) FILTER (WHERE e.kind IN ('call', 'visit') AND e.outcome = 'right_party') AS last_rpc "
	"  FROM cobro.event e WHERE e.direction = 'in' AND e.kind IN ('sms', 'email', 'whatsapp') "
	"  OR e.kind IN ('call', 'visit') AND e.outcome = 'right_party' GROUP BY e.debtor_id) "
	"SELECT count(*) FROM ((SELECT * FROM h EXCEPT ALL SELECT * FROM cobro.debtor_heard) "
	"UNION ALL (SELECT * FROM cobro.debtor_heard EXCEPT ALL SELECT * FROM h)) x";

/* History rewritten behind the application's back (only a superuser may:
 * the tests age events so) keeps debtor_heard what the history says: an
 * update and a delete recompute the debtors they touch; a rebuild makes
 * every row again. In a transaction rolled back: the demo is shared. */
static void test_heard_follows_history(void **state)
{
	long long debtor;
	char sql[256], sql_reply[160];

	(void)state;
	assert_true(db_cmd(&su, "BEGIN"));
	assert_int_equal(number(&su, heard_mismatch), 0);
	debtor = number(&su, "SELECT min(debtor_id) FROM cobro.debtor_heard WHERE last_reply IS NOT NULL");
	assert_true(debtor > 0);
	/* Its replies a year and a half older: the last one moves back with them. */
	snprintf(sql, sizeof sql,
	         "UPDATE cobro.event SET at = at - interval '550 days' WHERE debtor_id = %lld AND direction = 'in'",
	         debtor);
	assert_true(db_cmd(&su, sql));
	assert_int_equal(number(&su, heard_mismatch), 0);
	/* The facts of today, 400 days back, no longer hear of one. */
	snprintf(sql, sizeof sql,
	         "SELECT count(*) FROM cobro.strategy_facts(current_date) f "
	         "WHERE f.debtor_id = %lld AND f.last_reply IS NOT NULL",
	         debtor);
	assert_int_equal(number(&su, sql), 0);
	/* Its replies gone: so is what was kept of them. */
	snprintf(sql, sizeof sql, "DELETE FROM cobro.event WHERE debtor_id = %lld AND direction = 'in'", debtor);
	assert_true(db_cmd(&su, sql));
	assert_int_equal(number(&su, heard_mismatch), 0);
	snprintf(sql_reply, sizeof sql_reply,
	         "SELECT count(*) FROM cobro.debtor_heard WHERE debtor_id = %lld AND last_reply IS NOT NULL", debtor);
	assert_int_equal(number(&su, sql_reply), 0);
	/* A load behind the triggers' back, then the rebuild. */
	assert_true(db_cmd(&su, "ALTER TABLE cobro.event DISABLE TRIGGER debtor_heard"));
	snprintf(sql, sizeof sql,
	         "INSERT INTO cobro.event (debtor_id, kind, direction, body) VALUES (%lld, 'email', 'in', 'loaded')",
	         debtor);
	assert_true(db_cmd(&su, sql));
	assert_true(db_cmd(&su, "ALTER TABLE cobro.event ENABLE TRIGGER debtor_heard"));
	/* Missed: the debtor's row (gone, or with a right-party contact only)
	 * says no reply. */
	assert_true(number(&su, heard_mismatch) > 0);
	assert_int_equal(number(&su, sql_reply), 0);
	assert_true(number(&su, "SELECT cobro.debtor_heard_rebuild()") > 0);
	assert_int_equal(number(&su, heard_mismatch), 0);
	assert_int_equal(number(&su, sql_reply), 1);
	assert_true(db_cmd(&su, "ROLLBACK"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_and_read),
		cmocka_unit_test(test_facts_stream),
		cmocka_unit_test(test_stage_and_apply_once),
		cmocka_unit_test(test_heard_follows_history),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
