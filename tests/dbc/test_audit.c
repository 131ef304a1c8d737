/* The audit chain's writers (functions/audit.sql), against the test
 * database as the superuser, two connections: a transaction that writes many
 * rows keeps the chain a line and takes time in proportion to them (the
 * promise keeper's decisions, issue 16, line 11: audit_head was updated per
 * row, and each write walked every version of it the transaction had made);
 * a second writer waits for the first and chains to its last row; a
 * REPEATABLE READ writer whose snapshot is older than the head gets a
 * serialization failure, never a fork. Every transaction here is rolled
 * back but the ones that must commit to be seen, which write test rows
 * only (action TEST-AUDIT). */
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

static struct db a, b;

static int setup(void **state)
{
	(void)state;
	if (!db_connect(&a, "dbname=cobro", "postgres", "test") || !db_connect(&b, "dbname=cobro", "postgres", "test")) {
		fprintf(stderr, "# cannot connect: %s %s\n", a.err, b.err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(&a);
	db_close(&b);
	return 0;
}

static double secs(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long long one(struct db *db, const char *sql)
{
	PGresult *r = db_exec(db, sql, 0, NULL);
	long long v;

	if (!r)
		fail_msg("%s", db->err);
	v = atoll(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}

static const char write_n[] =
	"DO $$ BEGIN FOR i IN 1..%d LOOP PERFORM cobro.audit_write('TEST-AUDIT', 'test', i, NULL, NULL); END LOOP; END $$";

/* 4,000 rows, then 16,000 in one transaction: four times the rows take about
 * four times as long (at most eight), where they took sixteen times and more;
 * and the chain stays a line. */
static void many_rows_in_one_transaction(void **state)
{
	char sql[256];
	double t0, small, large;

	(void)state;
	assert_true(db_cmd(&a, "BEGIN"));
	snprintf(sql, sizeof sql, write_n, 4000);
	t0 = secs();
	assert_true(db_cmd(&a, sql));
	small = secs() - t0;
	snprintf(sql, sizeof sql, write_n, 16000);
	t0 = secs();
	assert_true(db_cmd(&a, sql));
	large = secs() - t0;
	fprintf(stderr, "# 4000 rows %.2f s, 16000 more %.2f s\n", small, large);
	assert_true(large < 8 * small + 0.5);
	assert_int_equal(one(&a, "SELECT count(*) FROM (SELECT prev_hash, lag(hash) OVER (ORDER BY id) AS before "
	                         "FROM cobro.audit WHERE id > (SELECT max(id) - 20001 FROM cobro.audit)) c "
	                         "WHERE prev_hash IS DISTINCT FROM before AND before IS NOT NULL"),
	                 0);
	assert_true(db_cmd(&a, "ROLLBACK"));
}

/* b writes while a holds the head: b waits, then chains to a's last row. */
static void a_second_writer_chains_to_the_first(void **state)
{
	char sql[256];
	PGresult *r;

	(void)state;
	assert_true(db_cmd(&a, "BEGIN"));
	snprintf(sql, sizeof sql, write_n, 3);
	assert_true(db_cmd(&a, sql));
	assert_true(db_cmd(&b, "BEGIN"));
	assert_int_equal(PQsendQuery(b.conn, "SELECT cobro.audit_write('TEST-AUDIT', 'test', 99, NULL, NULL)"), 1);
	usleep(200000);
	assert_int_equal(PQconsumeInput(b.conn), 1);
	assert_true(PQisBusy(b.conn)); /* waiting for a */
	assert_true(db_cmd(&a, "COMMIT"));
	while ((r = PQgetResult(b.conn))) {
		assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
		PQclear(r);
	}
	assert_int_equal(one(&b, "SELECT count(*) FROM cobro.audit x WHERE x.id = (SELECT max(id) FROM cobro.audit) "
	                         "AND x.row_id = 99 AND x.prev_hash = (SELECT y.hash FROM cobro.audit y "
	                         "WHERE y.id < x.id ORDER BY y.id DESC LIMIT 1) "
	                         "AND (SELECT y.row_id FROM cobro.audit y WHERE y.id < x.id ORDER BY y.id DESC LIMIT 1) = 3"),
	                 1);
	assert_true(db_cmd(&b, "COMMIT"));
}

/* a's snapshot is older than the head b moves: a may not chain to a stale link. */
static void a_stale_repeatable_read_writer_fails(void **state)
{
	(void)state;
	assert_true(db_cmd(&a, "BEGIN ISOLATION LEVEL REPEATABLE READ"));
	assert_true(one(&a, "SELECT count(*) FROM cobro.audit") > 0); /* the snapshot is taken */
	assert_true(db_cmd(&b, "SELECT cobro.audit_write('TEST-AUDIT', 'test', 100, NULL, NULL)"));
	assert_false(db_cmd(&a, "SELECT cobro.audit_write('TEST-AUDIT', 'test', 101, NULL, NULL)"));
	assert_string_equal(a.sqlstate, "40001");
	assert_true(db_cmd(&a, "ROLLBACK"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(many_rows_in_one_transaction),
		cmocka_unit_test(a_second_writer_chains_to_the_first),
		cmocka_unit_test(a_stale_repeatable_read_writer_fails),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
