/* Issue 16, lines 3 and 7, against the test database (tests/run.sh: the demo
 * collector ana; the superuser as the payment import's administrator and to
 * set the scene): the keeper running while a collector replaces a promise.
 * ana's save holds the account; the keeper (promise_apply_payments(), the
 * import's call, which decides as of now) waits for it and then sees the
 * replacement: the replaced promise stays cancelled, never broken over it.
 * Two connections, committed rows: what the test makes it removes after. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "db.h"
#include "util.h"

static struct db ana, admin; /* admin: postgres, a member of every group */

static int setup(void **state)
{
	(void)state;
	if (!db_connect(&ana, "dbname=cobro", "ana", "test") || !db_connect(&admin, "dbname=cobro", "postgres", "test")) {
		fprintf(stderr, "# cannot connect: %s %s\n", ana.err, admin.err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(&ana);
	db_close(&admin);
	return 0;
}

/* The first value of a one-row query as the superuser. */
static void text1(char *out, size_t len, const char *sql, const char *param)
{
	const char *p[1] = { param };
	PGresult *r = db_exec(&admin, sql, param ? 1 : 0, p);

	if (!r)
		fail_msg("%s", admin.err);
	assert_int_equal(PQntuples(r), 1);
	snprintf(out, len, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
}

static void replace_while_the_keeper_runs(void **state)
{
	char acc[24], old[24], fresh[24], st[64], next[64], keeper[64], saved[32];
	const char *p[2] = { acc, old };
	PGresult *r;
	bool waited = false;

	(void)state;
	/* One of ana's accounts with no active promise, and its next action to
	 * put back after. */
	text1(acc, sizeof acc,
	      "SELECT a.id FROM cobro.account a JOIN cobro.agent g ON g.id = a.agent_id "
	      "WHERE g.login = 'ana' AND a.status = 'active' AND a.balance > 100 AND NOT EXISTS "
	      "(SELECT 1 FROM cobro.promise p WHERE p.account_id = a.id AND p.status IN ('pending', 'awaiting_approval', "
	      "                                                                        'broken')) "
	      "ORDER BY a.id DESC LIMIT 1", NULL);
	text1(next, sizeof next, "SELECT coalesce(next_action_at::text, '') FROM cobro.account WHERE id = $1", acc);
	/* A promise of hers due ten days ago, unpaid: the keeper's to break. */
	text1(old, sizeof old,
	      "WITH p AS (INSERT INTO cobro.promise (account_id, agent_id, amount, currency, due_date, created_at) "
	      "           SELECT a.id, a.agent_id, 100, a.currency, current_date - 10, now() - interval '20 days' "
	      "           FROM cobro.account a WHERE a.id = $1 RETURNING id, due_date) "
	      "INSERT INTO cobro.promise_installment (promise_id, seq, due_date, amount) "
	      "SELECT id, 1, due_date, 100 FROM p RETURNING promise_id", acc);

	/* ana replaces it, and has not committed yet. */
	assert_true(db_cmd(&ana, "BEGIN"));
	r = db_exec(&ana,
	            "SELECT promise_id, status FROM cobro.promise_save($1, 100, current_date + 3, 1, 'once', 0, 'call', "
	            "NULL, $2, gen_random_uuid())",
	            2, p);
	if (!r)
		fail_msg("promise_save: %s", ana.err);
	snprintf(fresh, sizeof fresh, "%s", PQgetvalue(r, 0, 0));
	snprintf(saved, sizeof saved, "%s", PQgetvalue(r, 0, 1)); /* pending, or awaiting approval (min_share) */
	PQclear(r);

	/* The import's keeper on the account, meanwhile: it waits for her. */
	{
		char arr[40];
		const char *kp[1] = { arr };

		snprintf(arr, sizeof arr, "{%s}", acc);
		assert_int_equal(PQsendQueryParams(admin.conn,
		                                   "SELECT kept || ' ' || partial || ' ' || broken || ' ' || late "
		                                   "FROM cobro.promise_apply_payments($1::bigint[])",
		                                   1, NULL, kp, NULL, NULL, 0),
		                 1);
	}
	usleep(300000);
	assert_int_equal(PQconsumeInput(admin.conn), 1);
	waited = PQisBusy(admin.conn);
	assert_true(db_cmd(&ana, "COMMIT"));
	r = PQgetResult(admin.conn);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	snprintf(keeper, sizeof keeper, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	while ((r = PQgetResult(admin.conn)))
		PQclear(r);

	assert_true(waited);                        /* the keeper waited for the save */
	assert_string_equal(keeper, "0 0 0 0");     /* and then had nothing to break */
	text1(st, sizeof st, "SELECT status || ' ' || coalesce(replaced_by::text, '') FROM cobro.promise WHERE id = $1",
	      old);
	{
		char want[64];

		snprintf(want, sizeof want, "cancelled %s", fresh);
		assert_string_equal(st, want);      /* replaced, not broken over it */
	}
	text1(st, sizeof st, "SELECT status FROM cobro.promise WHERE id = $1", fresh);
	assert_string_equal(st, saved);
	text1(st, sizeof st, "SELECT promise_status FROM cobro.account WHERE id = $1", acc);
	assert_string_equal(st, saved);

	/* Put back as it was: the two promises, their events, the next action. */
	{
		const char *cp[3] = { acc, old, fresh };
		const char *np[2] = { acc, next };

		assert_true(db_run(&admin,
		                   "DELETE FROM cobro.event WHERE account_id = $1 AND kind = 'promise' "
		                   "AND (data->>'promise')::bigint IN ($2, $3)",
		                   3, cp));
		assert_true(db_run(&admin, "DELETE FROM cobro.promise WHERE account_id = $1 AND id IN ($2, $3)", 3, cp));
		assert_true(db_run(&admin, "UPDATE cobro.account SET next_action_at = nullif($2, '')::timestamptz WHERE id = $1",
		                   2, np));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(replace_while_the_keeper_runs),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
