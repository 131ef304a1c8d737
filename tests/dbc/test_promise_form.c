/* The promise form's calls (src/core/promise.c) against the test database
 * as ana (tests/run.sh: the demo people): the limits and today of one of her accounts, and saving
 * promises through promise_save(). What the form's rules (promise_plan.c)
 * say of each promise, the database says too: the same hard error, the
 * same limits broken, the same schedule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "db.h"
#include "promise.h"
#include "promise_plan.h"

static struct db ana, admin; /* admin: postgres, to read what was written */
static long long acc;        /* one of ana's accounts with no active promise */
static struct promise_money money;
/* What the account was before the test, put back after it: the suites
 * share the demo, and an end-to-end test after this one counts the
 * promises awaiting approval. */
static char first_promise[24], next_action[64];

/* The first value of a one-row query as the superuser. */
static char *q(const char *sql, const char *param)
{
	static char out[4096];
	const char *p[1] = { param };
	PGresult *r = db_exec(&admin, sql, param ? 1 : 0, p);

	assert_non_null(r);
	assert_int_equal(PQntuples(r), 1);
	snprintf(out, sizeof out, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return out;
}

static const char *id_text(long long id)
{
	static char s[4][24];
	static int i;

	i = (i + 1) % 4;
	snprintf(s[i], sizeof s[i], "%lld", id);
	return s[i];
}

static int setup(void **state)
{
	(void)state;
	if (!db_connect(&ana, "dbname=cobro", "ana", "test") || !db_connect(&admin, "dbname=cobro", "postgres", "test")) {
		fprintf(stderr, "# cannot connect: %s %s\n", ana.err, admin.err);
		return -1;
	}
	/* From the end of her list: the end-to-end tests take from the start. */
	acc = atoll(q("SELECT a.id FROM cobro.account a JOIN cobro.agent g ON g.id = a.agent_id "
	              "WHERE g.login = $1 AND a.status = 'active' AND a.past_due > 1000 AND a.balance > a.past_due "
	              "AND NOT EXISTS (SELECT 1 FROM cobro.promise p WHERE p.account_id = a.id "
	              "                AND p.status IN ('pending', 'awaiting_approval')) "
	              "ORDER BY a.id DESC LIMIT 1",
	              "ana"));
	snprintf(first_promise, sizeof first_promise, "%s",
	         q("SELECT coalesce(max(id), 0) + 1 FROM cobro.promise", NULL));
	snprintf(next_action, sizeof next_action, "%s",
	         q("SELECT coalesce(next_action_at::text, '') FROM cobro.account WHERE id = $1", id_text(acc)));
	money.balance = atoll(q("SELECT balance FROM cobro.account WHERE id = $1", id_text(acc)));
	money.past_due = atoll(q("SELECT past_due FROM cobro.account WHERE id = $1", id_text(acc)));
	return 0;
}

static int teardown(void **state)
{
	const char *p[2] = { id_text(acc), first_promise }, *back[2] = { id_text(acc), next_action };

	(void)state;
	if (!db_run(&admin, "DELETE FROM cobro.event WHERE account_id = $1 AND kind = 'promise' "
	                    "AND (data->>'promise')::bigint >= $2::bigint", 2, p) ||
	    !db_run(&admin, "DELETE FROM cobro.promise WHERE account_id = $1 AND id >= $2::bigint", 2, p) ||
	    !db_run(&admin, "UPDATE cobro.account SET next_action_at = nullif($2, '')::timestamptz WHERE id = $1", 2, back))
		fprintf(stderr, "# cannot put the account back: %s\n", admin.err);
	db_close(&ana);
	db_close(&admin);
	return 0;
}

static struct promise_account_limits limits(void)
{
	struct promise_account_limits l;

	assert_true(promise_limits_for(&ana, acc, &l));
	return l;
}

/* Saves t as ana with a new key; returns whether it was saved. */
static bool save(const struct promise_terms *t, long long replace, struct promise_saved *out, enum promise_error *e,
                 char key[CONTACT_KEY_SIZE])
{
	struct promise_request r = { .account_id = acc, .terms = *t, .note = "dbc", .replace = replace };

	contact_new_key(r.key);
	snprintf(key, CONTACT_KEY_SIZE, "%s", r.key);
	return promise_save(&ana, &r, out, e);
}

static void test_limits_and_today(void **state)
{
	struct promise_account_limits l = limits(), other;
	long long theirs;

	(void)state;
	/* The debtor's today, as the database dates it, and the version in force. */
	assert_int_equal(l.today,
	                 atoll(q("SELECT today - date '1970-01-01' FROM cobro.promise_limits_for($1)", id_text(acc))));
	assert_int_equal(l.version, atoi(q("SELECT max(version) FROM cobro.promise_limit_set", NULL)));
	assert_true(l.horizon_days > 0 && l.max_installments > 0);
	/* An account she may not see is none to her. */
	theirs = atoll(q("SELECT a.id FROM cobro.account a JOIN cobro.agent g ON g.id = a.agent_id "
	                 "WHERE g.login <> $1 AND a.team_id <> (SELECT team_id FROM cobro.agent WHERE login = 'ana') "
	                 "ORDER BY a.id LIMIT 1",
	                 "ana"));
	assert_false(promise_limits_for(&ana, theirs, &other));
}

static void test_hard_errors_as_the_form_says(void **state)
{
	struct promise_account_limits l = limits();
	struct promise_terms t = { .amount = money.past_due, .first_due = l.today - 1, .count = 1,
		                   .freq = PROMISE_ONCE, .channel = "call" };
	struct promise_verdict v;
	struct promise_saved s;
	enum promise_error e;
	char key[CONTACT_KEY_SIZE];
	const char *before = id_text(atoll(q("SELECT count(*) FROM cobro.promise WHERE account_id = $1", id_text(acc))));
	struct promise_terms cases[5];

	(void)state;
	cases[0] = t;                       /* yesterday */
	cases[1] = t, cases[1].first_due = l.today, cases[1].amount = 0;
	cases[2] = cases[1], cases[2].amount = money.balance + 1;
	cases[3] = cases[1], cases[3].amount = 5, cases[3].count = 6, cases[3].freq = PROMISE_WEEKLY;
	cases[4] = cases[1], cases[4].amount = 100, cases[4].channel = "fax";
	for (int i = 0; i < 5; i++) {
		promise_validate(&cases[i], &money, &l, false, &v);
		assert_int_not_equal(v.first, PE_NONE);
		assert_false(save(&cases[i], 0, &s, &e, key));
		assert_string_equal(ana.sqlstate, "22023");
		assert_int_equal(e, v.first); /* the same rule, named by the same code */
	}
	assert_string_equal(q("SELECT count(*) FROM cobro.promise WHERE account_id = $1", id_text(acc)), before);
}

static void test_saved_once_with_its_plan(void **state)
{
	struct promise_account_limits l = limits();
	struct promise_terms t = { .amount = money.past_due, .first_due = l.today, .count = 3,
		                   .freq = PROMISE_MONTHLY, .channel = "whatsapp" };
	struct promise_step steps[3];
	struct promise_verdict v;
	struct promise_saved s, again;
	enum promise_error e;
	char key[CONTACT_KEY_SIZE], want[512], d[11];
	struct promise_request r = { .account_id = acc, .terms = t };
	size_t n = 0;

	(void)state;
	promise_validate(&t, &money, &l, false, &v);
	assert_int_equal(v.first, PE_NONE);
	assert_true(save(&t, 0, &s, &e, key));
	assert_true(s.id > 0);
	/* The limits the database names are the ones the form judged. */
	assert_int_equal(s.limits, v.limits);
	assert_string_equal(s.status, v.limits ? "awaiting_approval" : "pending");
	/* Its installments are the form's schedule. */
	assert_int_equal(promise_schedule(&t, steps, 3), 3);
	for (int i = 0; i < 3; i++)
		n += (size_t)snprintf(want + n, sizeof want - n, "%s%d %s %lld", i ? "," : "", i + 1,
		                      promise_date_text(d, sizeof d, steps[i].due), steps[i].amount);
	assert_string_equal(q("SELECT string_agg(seq || ' ' || due_date || ' ' || amount, ',' ORDER BY seq) "
	                      "FROM cobro.promise_installment WHERE promise_id = $1",
	                      id_text(s.id)),
	                    want);
	/* The same key again: the same promise, nothing more. */
	r.note = "dbc";
	snprintf(r.key, sizeof r.key, "%s", key);
	assert_true(promise_save(&ana, &r, &again, &e));
	assert_int_equal(again.id, s.id);
	assert_int_equal(atoll(q("SELECT count(*) FROM cobro.promise WHERE idempotency_key = $1::uuid", key)), 1);

	/* Another while it is active: refused unless it names it. */
	t.count = l.max_installments + 1;
	t.freq = PROMISE_WEEKLY;
	assert_false(save(&t, 0, &again, &e, key));
	assert_int_equal(e, PE_ACTIVE);
	promise_validate(&t, &money, &l, false, &v);
	assert_true(promise_breaks(&v, PL_MAX_INSTALLMENTS));
	assert_true(save(&t, s.id, &again, &e, key));
	assert_string_equal(again.status, "awaiting_approval");
	assert_int_equal(again.limits, v.limits);
	snprintf(want, sizeof want, "cancelled %lld", again.id);
	assert_string_equal(q("SELECT status || ' ' || replaced_by FROM cobro.promise WHERE id = $1", id_text(s.id)),
	                    want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limits_and_today),
		cmocka_unit_test(test_hard_errors_as_the_form_says),
		cmocka_unit_test(test_saved_once_with_its_plan),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
