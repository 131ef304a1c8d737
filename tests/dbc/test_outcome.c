/* Issue 15, line 6, against the test database (tests/run.sh: the demo people
 * ana, luis and sofia; the superuser to read the audit and to age a row): a
 * call's wrong number or dispute is undone only by whoever logged it, only
 * for undo_setting's window after it; later, lifting is a supervisor's as
 * before. A verdict on a debtor whose every number is marked wrong names the
 * number, not the consent rule. The suite may run twice on one database
 * (release, then asan): each test picks accounts as they are now. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "contact.h"
#include "db.h"
#include "outcome.h"
#include "phone.h"
#include "policy_store.h"
#include "util.h"

static struct db ana, luis, sofia, admin; /* admin: postgres */
static struct policy *policy;

static int setup(void **state)
{
	const char *top = getenv("COBRO_TOP") ? getenv("COBRO_TOP") : ".";
	char err[256], path[4096], *text, *holidays;

	(void)state;
	if (!db_connect(&ana, "dbname=cobro", "ana", "test") || !db_connect(&luis, "dbname=cobro", "luis", "test") ||
	    !db_connect(&sofia, "dbname=cobro", "sofia", "test") ||
	    !db_connect(&admin, "dbname=cobro", "postgres", "test")) {
		fprintf(stderr, "# cannot connect: %s %s %s %s\n", ana.err, luis.err, sofia.err, admin.err);
		return -1;
	}
	/* The rules the project ships, parsed here (as test_reach.c does):
	 * loading a version into the shared database is test_policy_db's. */
	snprintf(path, sizeof path, "%s/etc/holidays", top);
	if (!(holidays = policy_holidays_read(path, err, sizeof err))) {
		fprintf(stderr, "# %s\n", err);
		return -1;
	}
	snprintf(path, sizeof path, "%s/etc/policy.conf", top);
	text = read_file(path, NULL);
	if (!text || !(policy = policy_parse(text, path, holidays, err, sizeof err))) {
		fprintf(stderr, "# %s: %s\n", path, text ? err : "cannot read");
		free(text);
		free(holidays);
		return -1;
	}
	free(text);
	free(holidays);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(&ana);
	db_close(&luis);
	db_close(&sofia);
	db_close(&admin);
	policy_free(policy);
	return 0;
}

/* The first value of a one-row query as the superuser, as a number. */
static long long q(const char *sql, const char *param)
{
	const char *p[1] = { param };
	PGresult *r = db_exec(&admin, sql, param ? 1 : 0, p);
	long long v;

	assert_non_null(r);
	assert_int_equal(PQntuples(r), 1);
	v = atoll(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}

/* One of ana's active accounts whose debtor has exactly one number, usable:
 * the nth, counted from the end (test_contact.c takes them from the start). */
static long long one_number_account(int nth, long long *point)
{
	char n[16], id[24];
	long long acc;

	snprintf(n, sizeof n, "%d", nth);
	acc = q("SELECT a.id FROM cobro.account a JOIN cobro.agent g ON g.id = a.agent_id "
	        "WHERE g.login = 'ana' AND a.status = 'active' AND a.workable "
	        "  AND (SELECT count(*) FROM cobro.contact_point c WHERE c.debtor_id = a.debtor_id "
	        "       AND c.kind IN ('phone', 'mobile', 'whatsapp')) = 1 "
	        "  AND EXISTS (SELECT 1 FROM cobro.contact_point c WHERE c.debtor_id = a.debtor_id "
	        "              AND c.kind = 'mobile' AND c.bad_since IS NULL) "
	        "ORDER BY a.id DESC OFFSET $1 LIMIT 1", n);
	snprintf(id, sizeof id, "%lld", acc);
	*point = q("SELECT c.id FROM cobro.contact_point c JOIN cobro.account a ON a.debtor_id = c.debtor_id "
	           "WHERE a.id = $1 AND c.kind = 'mobile'", id);
	return acc;
}

static bool bad(long long point)
{
	char pid[24];

	snprintf(pid, sizeof pid, "%lld", point);
	return q("SELECT (bad_since IS NOT NULL)::int FROM cobro.contact_point WHERE id = $1", pid) == 1;
}

/* Lifted the supervisor's way, so the next run finds the number good. */
static void lift(long long acc, long long point)
{
	char id[24], pid[24];
	const char *p[3] = { id, pid, "El deudor confirmó el número" };

	snprintf(id, sizeof id, "%lld", acc);
	snprintf(pid, sizeof pid, "%lld", point);
	assert_true(db_run(&sofia, "SELECT cobro.contact_point_lift_bad($1, $2, $3)", 3, p));
}

/* ana undoes her own wrong number right after, once; the undo is audited in
 * her name. */
static void test_undo_own_right_after(void **state)
{
	char call[CONTACT_KEY_SIZE], undo[CONTACT_KEY_SIZE];
	long long point, acc = one_number_account(0, &point);

	(void)state;
	contact_new_key(call);
	assert_true(contact_log_call(&ana, call, acc, OUTCOME_WRONG_NUMBER, point, NULL));
	assert_true(bad(point));
	contact_new_key(undo);
	assert_true(outcome_undo_call(&ana, undo, acc, call));
	assert_false(bad(point));
	assert_int_equal(q("SELECT count(*) FROM cobro.audit WHERE action = 'UNDO' AND actor = 'ana' "
	                   "AND new->>'undoes' = $1", call), 1);
	/* The same undo saved again is the same undo; a second one is refused. */
	assert_true(outcome_undo_call(&ana, undo, acc, call));
	contact_new_key(undo);
	assert_false(outcome_undo_call(&ana, undo, acc, call));
	assert_int_equal(outcome_refusal(&ana), OUTCOME_REFUSED_TOO_LATE);
}

/* Past the window (the call's rows aged by the superuser, the clock this
 * test sets), ana's undo is refused and the number stays marked: sofia lifts
 * it, with a reason. */
static void test_undo_too_late(void **state)
{
	char call[CONTACT_KEY_SIZE], undo[CONTACT_KEY_SIZE];
	long long point, acc = one_number_account(1, &point);
	const char *p[1] = { call };

	(void)state;
	contact_new_key(call);
	assert_true(contact_log_call(&ana, call, acc, OUTCOME_WRONG_NUMBER, point, NULL));
	assert_true(db_run(&admin,
	                   "WITH s AS (SELECT make_interval(secs => window_seconds + 60) AS w FROM cobro.undo_setting), "
	                   "e AS (UPDATE cobro.event SET at = at - (SELECT w FROM s) WHERE data->>'key' = $1 "
	                   "      RETURNING kind, (data->>'contact_point')::bigint AS cp, at) "
	                   "UPDATE cobro.contact_point c SET bad_since = e.at FROM e "
	                   "WHERE e.kind = 'contact_point' AND c.id = e.cp", 1, p));
	/* History rewritten behind the rollup's trigger: rolled up again, or
	 * the agents' figures (cobroctl report agents) would count the call in
	 * the hour it was made and the history in the hour it now reads; run
	 * within eleven minutes after midnight, those are two days. */
	assert_true(db_cmd(&admin, "SELECT cobro.metric_rebuild()"));
	contact_new_key(undo);
	assert_false(outcome_undo_call(&ana, undo, acc, call));
	assert_int_equal(outcome_refusal(&ana), OUTCOME_REFUSED_TOO_LATE);
	assert_string_equal(ana.sqlstate, "55000");
	assert_true(bad(point));
	lift(acc, point);
	assert_false(bad(point));
}

/* Not someone else's: sofia's wrong number on ana's account is not ana's to
 * undo, nor luis's (not his account); sofia undoes her own. */
static void test_undo_not_anothers(void **state)
{
	char call[CONTACT_KEY_SIZE], undo[CONTACT_KEY_SIZE];
	long long point, acc = one_number_account(2, &point);

	(void)state;
	contact_new_key(call);
	assert_true(contact_log_call(&sofia, call, acc, OUTCOME_WRONG_NUMBER, point, NULL));
	contact_new_key(undo);
	assert_false(outcome_undo_call(&ana, undo, acc, call));
	assert_int_equal(outcome_refusal(&ana), OUTCOME_REFUSED_NOT_YOURS);
	assert_false(outcome_undo_call(&luis, undo, acc, call));
	assert_int_equal(outcome_refusal(&luis), OUTCOME_REFUSED_NOT_YOURS);
	assert_true(bad(point));
	assert_true(outcome_undo_call(&sofia, undo, acc, call));
	assert_false(bad(point));
}

/* The verdict names the real cause: with the only mobile marked wrong, SMS
 * and calls are refused as "no usable number: +52*****1234 marked wrong"
 * (masked as logs show numbers), not by the consent rule; undone, the rules
 * judge again. */
static void test_verdict_names_the_wrong_number(void **state)
{
	char call[CONTACT_KEY_SIZE], undo[CONTACT_KEY_SIZE], id[24], ref[64], want[96], masked[PHONE_E164_SIZE + 8],
	    err[256];
	long long point, acc = one_number_account(3, &point);
	struct policy_account pa;
	struct policy_verdict v;
	PGresult *r;
	const char *p[1] = { id };

	(void)state;
	snprintf(id, sizeof id, "%lld", acc);
	r = db_exec(&admin,
	            "SELECT a.reference, c.value FROM cobro.account a JOIN cobro.contact_point c ON c.debtor_id = a.debtor_id "
	            "WHERE a.id = $1 AND c.kind = 'mobile'", 1, p);
	assert_non_null(r);
	snprintf(ref, sizeof ref, "%s", PQgetvalue(r, 0, 0));
	phone_mask(PQgetvalue(r, 0, 1), masked, sizeof masked);
	PQclear(r);
	snprintf(want, sizeof want, "no usable number: %s marked wrong", masked);

	contact_new_key(call);
	assert_true(contact_log_call(&ana, call, acc, OUTCOME_WRONG_NUMBER, point, NULL));
	for (enum channel ch = CH_CALL; ch <= CH_SMS; ch++) {
		if (!policy_account_load_with(&ana, policy, ref, ch, 0, &pa, err, sizeof err))
			fail_msg("policy_account_load: %s", err);
		policy_check(pa.policy, &pa.debtor, pa.history, pa.nhistory, &pa.contact, &v);
		assert_false(v.allowed);
		assert_null(v.rule);
		assert_string_equal(v.reason[LANG_EN], want);
		policy_account_free(&pa);
	}
	contact_new_key(undo);
	assert_true(outcome_undo_call(&ana, undo, acc, call));
	if (!policy_account_load_with(&ana, policy, ref, CH_SMS, 0, &pa, err, sizeof err))
		fail_msg("policy_account_load: %s", err);
	policy_check(pa.policy, &pa.debtor, pa.history, pa.nhistory, &pa.contact, &v);
	assert_string_not_equal(v.reason[LANG_EN], want);
	assert_true(v.allowed || v.rule != NULL);
	policy_account_free(&pa);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_undo_own_right_after),
		cmocka_unit_test(test_undo_too_late),
		cmocka_unit_test(test_undo_not_anothers),
		cmocka_unit_test(test_verdict_names_the_wrong_number),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
