/* Issue 17, lines 5 and 7, through src/core/reassign.c against the test
 * database (the demo people of tests/run.sh): what the filter counts is
 * the table's, per currency; the preview and the apply agree and move what
 * they say; undo puts every account back; the agents a lead chooses from
 * are her team's; a collector and a supervisor are refused by the database
 * (42501). Everything that writes runs in a transaction rolled back: the
 * demo is shared. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "db.h"
#include "reassign.h"
#include "util.h"

static struct db ana, sofia, marta, admin; /* admin: postgres */

static int setup(void **state)
{
	(void)state;
	if (!db_connect(&ana, "dbname=cobro", "ana", "test") || !db_connect(&sofia, "dbname=cobro", "sofia", "test") ||
	    !db_connect(&marta, "dbname=cobro", "marta", "test") ||
	    !db_connect(&admin, "dbname=cobro", "postgres", "test")) {
		fprintf(stderr, "# cannot connect: %s %s %s %s\n", ana.err, sofia.err, marta.err, admin.err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(&ana);
	db_close(&sofia);
	db_close(&marta);
	db_close(&admin);
	return 0;
}

/* One number the superuser reads. */
static long long number(struct db *db, const char *sql)
{
	PGresult *r = db_exec(db, sql, 0, NULL);
	long long v;

	assert_non_null(r);
	v = atoll(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}

#define LUIS_31_60 \
	"FROM cobro.account a JOIN cobro.agent g ON g.id = a.agent_id WHERE g.login = 'luis' " \
	"AND a.status NOT IN ('paid', 'closed') AND coalesce(greatest(0, current_date - a.oldest_due), 0) BETWEEN 31 AND 60"

static void test_count_is_the_tables(void **state)
{
	struct reassign_filter f;
	struct reassign_total t;
	long long usd = -1;

	(void)state;
	reassign_filter_init(&f);
	f.agent = "luis";
	f.dpd_bucket = 3; /* 31-60 */
	assert_true(reassign_count(&marta, &f, &t));
	assert_int_equal(t.accounts, number(&admin, "SELECT count(*) " LUIS_31_60));
	assert_true(t.accounts > 0);
	for (int i = 0; i < t.ncur; i++)
		if (!strcmp(t.cur[i].currency, "USD"))
			usd = t.cur[i].balance;
	assert_int_equal(usd, number(&admin, "SELECT coalesce(sum(balance), -1) " LUIS_31_60 " AND a.currency = 'USD'"));
	/* The same as a range of days. */
	f.dpd_bucket = 0;
	f.dpd_from = 31;
	f.dpd_to = 60;
	{
		struct reassign_total u;

		assert_true(reassign_count(&marta, &f, &u));
		assert_int_equal(u.accounts, t.accounts);
	}
}

static void test_preview_apply_undo(void **state)
{
	struct reassign_filter f;
	struct reassign_preview p, a;
	const char *to[] = { "ana", "luis" };
	struct reassign_targets t = { to, 2 };
	struct reassign_undo_result u;
	long long batch, before, moved;

	(void)state;
	reassign_filter_init(&f);
	f.agent = "luis";
	f.dpd_from = 31;
	assert_true(db_cmd(&marta, "BEGIN"));
	before = number(&marta, "SELECT count(*) FROM cobro.account a JOIN cobro.agent g ON g.id = a.agent_id "
	                        "WHERE g.login = 'ana'");
	assert_true(reassign_preview(&marta, &f, &t, REASSIGN_COUNT, &p));
	assert_int_equal(p.n, 2);
	assert_string_equal(p.shares[0].login, "ana");
	assert_string_equal(p.shares[1].login, "luis");
	assert_true(p.shares[0].get.accounts - p.shares[1].get.accounts <= 1);
	assert_true(p.shares[1].get.accounts - p.shares[0].get.accounts <= 1);
	/* luis's share stays his: unchanged. */
	assert_int_equal(p.unchanged, p.shares[1].get.accounts);
	assert_int_equal(before, number(&marta, "SELECT count(*) FROM cobro.account a JOIN cobro.agent g ON g.id = "
	                                        "a.agent_id WHERE g.login = 'ana'"));

	assert_true(reassign_apply(&marta, &f, &t, REASSIGN_COUNT, &batch, &a));
	assert_true(batch > 0);
	assert_int_equal(a.n, 2);
	assert_int_equal(a.shares[0].get.accounts, p.shares[0].get.accounts);
	assert_int_equal(a.all.accounts, p.all.accounts);
	moved = a.shares[0].get.accounts;
	assert_int_equal(before + moved, number(&marta, "SELECT count(*) FROM cobro.account a JOIN cobro.agent g ON "
	                                                "g.id = a.agent_id WHERE g.login = 'ana'"));

	assert_true(reassign_undo(&marta, 0, &u));
	assert_int_equal(u.batch, batch);
	assert_int_equal(u.restored, moved);
	assert_int_equal(u.worked, 0);
	assert_int_equal(before, number(&marta, "SELECT count(*) FROM cobro.account a JOIN cobro.agent g ON g.id = "
	                                        "a.agent_id WHERE g.login = 'ana'"));
	/* Undone once: the second is refused. */
	assert_false(reassign_undo(&marta, batch, &u));
	assert_string_equal(marta.sqlstate, "55000");
	assert_true(db_cmd(&marta, "ROLLBACK"));
	reassign_preview_free(&p);
	reassign_preview_free(&a);
}

static void test_agents_of_her_team(void **state)
{
	struct reassign_agent *g;
	int n;
	bool ana_seen = false;

	(void)state;
	assert_true(reassign_agents(&marta, NULL, &g, &n));
	for (int i = 0; i < n; i++) {
		assert_string_not_equal(g[i].login, "carla");
		if (!strcmp(g[i].login, "ana")) {
			ana_seen = true;
			assert_int_equal(g[i].accounts,
			                 number(&admin, "SELECT count(*) FROM cobro.account a JOIN cobro.agent g ON "
			                                "g.id = a.agent_id WHERE g.login = 'ana' AND a.status NOT IN "
			                                "('paid', 'closed')"));
			assert_string_equal(g[i].absent_until, "");
		}
	}
	assert_true(ana_seen);
	free(g);
}

static void test_refused(void **state)
{
	struct reassign_filter f;
	struct reassign_total t;
	struct reassign_preview p;
	const char *to[] = { "ana" };
	struct reassign_targets tg = { to, 1 };
	long long batch;

	(void)state;
	reassign_filter_init(&f);
	assert_false(reassign_count(&ana, &f, &t));
	assert_string_equal(ana.sqlstate, "42501");
	f.agent = "luis";
	assert_false(reassign_apply(&ana, &f, &tg, REASSIGN_ONE, &batch, &p));
	assert_string_equal(ana.sqlstate, "42501");
	assert_false(reassign_preview(&sofia, &f, &tg, REASSIGN_ONE, &p));
	assert_string_equal(sofia.sqlstate, "42501");
	/* Team sur's carla is not marta's to move. */
	f.agent = "carla";
	assert_false(reassign_count(&marta, &f, &t));
	assert_string_equal(marta.sqlstate, "42501");
}

static void test_mistakes_before_the_database(void **state)
{
	struct reassign_filter f;
	struct reassign_total t;
	struct reassign_preview p;
	struct reassign_targets none = { NULL, 0 };
	enum reassign_mode m;

	(void)state;
	reassign_filter_init(&f);
	f.dpd_bucket = 99;
	assert_false(reassign_count(&marta, &f, &t));
	assert_string_equal(marta.sqlstate, "22023");
	f.dpd_bucket = 0;
	assert_false(reassign_preview(&marta, &f, &none, REASSIGN_ONE, &p));
	assert_string_equal(marta.sqlstate, "22023");
	assert_true(reassign_mode_parse("balance", &m));
	assert_int_equal(m, REASSIGN_BALANCE);
	assert_string_equal(reassign_mode_name(REASSIGN_COUNT), "count");
	assert_false(reassign_mode_parse("evenly", &m));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_count_is_the_tables),
		cmocka_unit_test(test_preview_apply_undo),
		cmocka_unit_test(test_agents_of_her_team),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_mistakes_before_the_database),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
