/* Issue 17, line 4, against the test database (tests/run.sh: the demo people
 * ana, sofia and marta of team norte; the superuser to pick accounts and put
 * them back): the core's review calls (src/core/review.c). A collector is
 * refused the queues; a dispute and a wrong number ana raises come into
 * sofia's queues with who and why; sofia's decisions are done, and marta's on
 * the same items after are told "decided already" with who and what; two
 * supervisors deciding one item at the same moment: the second waits for the
 * first and is told so. The suite may run twice on one database (release,
 * then asan): each test picks accounts as they are now, and puts them back. */
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
#include "review.h"
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

/* One of ana's active accounts whose debtor has one account and a usable
 * number, skipping the first skip of them. */
static long long ana_account(int skip)
{
	char s[16];

	snprintf(s, sizeof s, "%d", skip);
	return q("SELECT a.id FROM cobro.account a JOIN cobro.agent g ON g.id = a.agent_id "
	         "WHERE g.login = 'ana' AND a.status = 'active' "
	         "  AND (SELECT count(*) FROM cobro.account o WHERE o.debtor_id = a.debtor_id) = 1 "
	         "  AND EXISTS (SELECT 1 FROM cobro.contact_point c WHERE c.debtor_id = a.debtor_id "
	         "              AND c.kind IN ('phone', 'mobile') AND c.bad_since IS NULL) "
	         "ORDER BY a.id DESC OFFSET $1::int LIMIT 1",
	         s);
}

static long long point_of(long long account)
{
	char s[24];

	snprintf(s, sizeof s, "%lld", account);
	return q("SELECT min(c.id) FROM cobro.contact_point c JOIN cobro.account a ON a.debtor_id = c.debtor_id "
	         "WHERE a.id = $1::bigint AND c.kind IN ('phone', 'mobile') AND c.bad_since IS NULL",
	         s);
}

static void raise_dispute(long long account, const char *why)
{
	char id[24];
	const char *p[2] = { id, why };

	snprintf(id, sizeof id, "%lld", account);
	assert_true(db_run(&ana, "SELECT cobro.account_raise_dispute(gen_random_uuid(), $1, $2)", 2, p));
}

static void mark_wrong(long long account, long long point)
{
	char id[24], pt[24];
	const char *p[2] = { id, pt };

	snprintf(id, sizeof id, "%lld", account);
	snprintf(pt, sizeof pt, "%lld", point);
	assert_true(db_run(&ana, "SELECT cobro.account_log_call(gen_random_uuid(), $1, 'wrong_number', $2, NULL)", 2, p));
}

/* As the tests found them: the accounts active, the numbers good. */
static void put_back(long long account, long long point)
{
	char id[24], pt[24];
	const char *p[1] = { id }, *pp[1] = { pt };

	snprintf(id, sizeof id, "%lld", account);
	snprintf(pt, sizeof pt, "%lld", point);
	assert_true(db_run(&admin, "UPDATE cobro.account SET status = 'active' WHERE id = $1 AND status <> 'active'", 1, p));
	assert_true(db_run(&admin, "UPDATE cobro.contact_point SET bad_since = NULL WHERE id = $1", 1, pp));
}

static const struct review_dispute *find_dispute(const struct review_queues *rq, long long account)
{
	for (int i = 0; i < rq->ndisputes; i++)
		if (rq->disputes[i].account_id == account)
			return &rq->disputes[i];
	return NULL;
}

static const struct review_point *find_point(const struct review_queues *rq, long long point)
{
	for (int i = 0; i < rq->npoints; i++)
		if (rq->points[i].point_id == point)
			return &rq->points[i];
	return NULL;
}

static void test_collector_refused(void **state)
{
	struct review_queues rq;

	(void)state;
	assert_false(review_read(&ana, &rq));
	assert_string_equal(ana.sqlstate, "42501");
}

static void test_parse_decided(void **state)
{
	struct review_outcome o;

	(void)state;
	assert_true(review_parse_decided("decided already: kept by marta (SQLSTATE 55000)", &o));
	assert_string_equal(o.decided_by, "marta");
	assert_int_equal(o.decided, REVIEW_KEEP);
	assert_true(review_parse_decided("ERROR: decided already: confirmed by sofia", &o));
	assert_int_equal(o.decided, REVIEW_CONFIRM);
	assert_false(review_parse_decided("decided already: cleared by ", &o));
	assert_false(review_parse_decided("decided already: lost by sofia", &o));
	assert_false(review_parse_decided("account 12 is active, not in dispute", &o));
	assert_false(review_parse_decided(NULL, &o));
}

/* ana's dispute: in sofia's queue with her reason; cleared by sofia; marta's
 * keep after that is told who cleared it. */
static void test_dispute_cleared_then_decided(void **state)
{
	long long acc = ana_account(0);
	struct review_queues rq;
	struct review_outcome o;
	const struct review_dispute *d;
	char id[24];

	struct news_watch watch = { 0 };
	struct review_news *news;
	int n;

	(void)state;
	assert_true(review_news_read(&ana, &watch, &news, &n)); /* where her news starts */
	free(news);
	raise_dispute(acc, "No reconoce el contrato");
	assert_true(review_read(&sofia, &rq));
	assert_non_null(d = find_dispute(&rq, acc));
	assert_string_equal(d->raised_by, "ana");
	assert_string_equal(d->agent, "ana");
	assert_string_equal(d->reason, "No reconoce el contrato");
	review_free(&rq);
	assert_int_equal(review_decide(&sofia, REVIEW_CLEAR, acc, 0, "Contrato revisado", &o), REVIEW_DONE);
	snprintf(id, sizeof id, "%lld", acc);
	assert_int_equal(q("SELECT (status = 'active')::int FROM cobro.account WHERE id = $1::bigint", id), 1);
	assert_int_equal(review_decide(&marta, REVIEW_KEEP, acc, 0, "tarde", &o), REVIEW_DECIDED);
	assert_string_equal(o.decided_by, "sofia");
	assert_int_equal(o.decided, REVIEW_CLEAR);
	/* A reason is required: the database says so, it is no decision made. */
	raise_dispute(acc, "Otra vez");
	assert_int_equal(review_decide(&sofia, REVIEW_KEEP, acc, 0, " ", &o), REVIEW_FAILED);
	assert_string_equal(sofia.sqlstate, "22023");
	assert_int_equal(review_decide(&sofia, REVIEW_KEEP, acc, 0, "Esperamos al acreedor", &o), REVIEW_DONE);
	assert_true(review_read(&marta, &rq));
	assert_null(find_dispute(&rq, acc));
	review_free(&rq);
	/* ana hears both decisions, with who and why, once. */
	assert_true(review_news_read(&ana, &watch, &news, &n));
	assert_int_equal(n, 2);
	assert_int_equal(news[0].account_id, acc);
	assert_int_equal(news[0].decision, REVIEW_CLEAR);
	assert_string_equal(news[0].decided_by, "sofia");
	assert_string_equal(news[0].reason, "Contrato revisado");
	assert_int_equal(news[1].decision, REVIEW_KEEP);
	assert_string_equal(news[1].reason, "Esperamos al acreedor");
	free(news);
	assert_true(review_news_read(&ana, &watch, &news, &n));
	assert_int_equal(n, 0);
	free(news);
	news_watch_free(&watch);
	put_back(acc, 0);
}

/* Two wrong numbers: one confirmed, one restored by sofia; marta's other
 * decision on each after is told. */
static void test_points_confirmed_and_restored(void **state)
{
	long long a1 = ana_account(1), a2 = ana_account(2);
	long long p1 = point_of(a1), p2 = point_of(a2);
	struct review_queues rq;
	struct review_outcome o;
	const struct review_point *p;

	(void)state;
	mark_wrong(a1, p1);
	mark_wrong(a2, p2);
	assert_true(review_read(&sofia, &rq));
	assert_non_null(p = find_point(&rq, p1));
	assert_string_equal(p->marked_by, "ana");
	assert_true(p->call_id > 0);
	assert_int_equal(p->account_id, a1);
	assert_non_null(find_point(&rq, p2));
	review_free(&rq);
	assert_int_equal(review_decide(&sofia, REVIEW_CONFIRM, a1, p1, "Es de otra persona", &o), REVIEW_DONE);
	assert_int_equal(review_decide(&sofia, REVIEW_RESTORE, a2, p2, "El deudor lo confirmó", &o), REVIEW_DONE);
	assert_int_equal(review_decide(&marta, REVIEW_RESTORE, a1, p1, "x", &o), REVIEW_DECIDED);
	assert_string_equal(o.decided_by, "sofia");
	assert_int_equal(o.decided, REVIEW_CONFIRM);
	assert_int_equal(review_decide(&marta, REVIEW_CONFIRM, a2, p2, "x", &o), REVIEW_DECIDED);
	assert_int_equal(o.decided, REVIEW_RESTORE);
	assert_true(review_read(&sofia, &rq));
	assert_null(find_point(&rq, p1));
	assert_null(find_point(&rq, p2));
	review_free(&rq);
	put_back(a1, p1);
	put_back(a2, p2);
}

/* sofia keeps a dispute in a transaction not committed yet; marta clears
 * the same dispute meanwhile: her statement waits for sofia's lock, and
 * once sofia commits it is refused, naming sofia's decision. */
static void test_two_supervisors_at_once(void **state)
{
	long long acc = ana_account(3);
	struct review_outcome o;
	char id[24];
	const char *p[2] = { id, "Lo levanto yo" };
	PGresult *r;
	int waited = 0;

	(void)state;
	raise_dispute(acc, "Dice que pagó");
	snprintf(id, sizeof id, "%lld", acc);
	assert_true(db_cmd(&sofia, "BEGIN"));
	assert_int_equal(review_decide(&sofia, REVIEW_KEEP, acc, 0, "Pendiente del acreedor", &o), REVIEW_DONE);
	assert_int_equal(PQsendQueryParams(marta.conn, "SELECT cobro.review_dispute_clear($1, $2)", 2, NULL, p, NULL,
	                                   NULL, 0),
	                 1);
	/* Still waiting for sofia's lock after half a second. */
	for (int i = 0; i < 10; i++) {
		usleep(50000);
		assert_int_equal(PQconsumeInput(marta.conn), 1);
		waited += PQisBusy(marta.conn);
	}
	assert_int_equal(waited, 10);
	assert_true(db_cmd(&sofia, "COMMIT"));
	r = PQgetResult(marta.conn);
	assert_non_null(r);
	assert_int_equal(PQresultStatus(r), PGRES_FATAL_ERROR);
	assert_string_equal(PQresultErrorField(r, PG_DIAG_SQLSTATE), "55000");
	assert_true(review_parse_decided(PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY), &o));
	assert_string_equal(o.decided_by, "sofia");
	assert_int_equal(o.decided, REVIEW_KEEP);
	PQclear(r);
	while ((r = PQgetResult(marta.conn)))
		PQclear(r);
	assert_int_equal(q("SELECT (status = 'dispute' AND dispute_kept_at IS NOT NULL)::int FROM cobro.account "
	                   "WHERE id = $1::bigint",
	                   id),
	                 1);
	put_back(acc, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_collector_refused),
		cmocka_unit_test(test_parse_decided),
		cmocka_unit_test(test_dispute_cleared_then_decided),
		cmocka_unit_test(test_points_confirmed_and_restored),
		cmocka_unit_test(test_two_supervisors_at_once),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
