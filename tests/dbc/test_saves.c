/* src/core/saves.c against the test database, as ana: the queue of saves
 * that wait is saved oldest first; an item saved already (the answer was
 * lost, and it is sent again, or the file was saved from two windows) is
 * recorded once; what the database refuses is taken off and said; a broken
 * connection keeps every item. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "saves.h"

static struct db ana, admin;

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

static long long anas_account(int nth)
{
	char n[16];

	snprintf(n, sizeof n, "%d", nth);
	return q("SELECT a.id FROM cobro.account a JOIN cobro.agent g ON g.id = a.agent_id "
	         "WHERE g.login = 'ana' AND a.status = 'active' ORDER BY a.id DESC OFFSET $1 LIMIT 1", n);
}

static long long someone_elses_account(void)
{
	return q("SELECT a.id FROM cobro.account a JOIN cobro.agent g ON g.id = a.agent_id "
	         "WHERE g.login = 'luis' AND a.status = 'active' ORDER BY a.id DESC LIMIT 1", NULL);
}

static long long count_key(const char *key)
{
	return q("SELECT count(*) FROM cobro.event WHERE data->>'key' = $1", key);
}

static void saved_in_order_and_once(void **state)
{
	struct save_queue sq = { 0 };
	struct save_item note = { .kind = SAVE_NOTE, .account_id = anas_account(0), .text = "Primera, guardada" };
	struct save_item call = { .kind = SAVE_CALL, .account_id = anas_account(0), .outcome = OUTCOME_BUSY };
	struct save_item refused = { .kind = SAVE_NOTE, .account_id = someone_elses_account(), .text = "No es suya" };
	long long acc;

	(void)state;
	contact_new_key(note.key);
	contact_new_key(call.key);
	contact_new_key(refused.key);
	saves_add(&sq, &note);
	saves_add(&sq, &note); /* sent again: the first answer was lost */
	saves_add(&sq, &refused);
	saves_add(&sq, &call);
	assert_int_equal(saves_first(&sq, &ana, &acc), SAVE_DONE);
	assert_int_equal(acc, note.account_id);
	assert_int_equal(saves_first(&sq, &ana, &acc), SAVE_DONE);
	assert_int_equal(count_key(note.key), 1);
	assert_int_equal(saves_first(&sq, &ana, &acc), SAVE_REFUSED);
	assert_string_equal(ana.err, "no such account");
	assert_int_equal(acc, refused.account_id);
	assert_int_equal(count_key(refused.key), 0);
	/* Refused, it is still first, for the caller to keep aside. */
	assert_int_equal(sq.n, 2);
	assert_string_equal(sq.items[0].key, refused.key);
	{
		struct save_queue aside = { 0 };

		saves_take_first(&sq, &aside);
		assert_int_equal(aside.n, 1);
		assert_string_equal(aside.items[0].text, "No es suya");
		saves_free(&aside);
	}
	assert_int_equal(saves_first(&sq, &ana, &acc), SAVE_DONE);
	assert_int_equal(sq.n, 0);
	/* Oldest first: the note's event before the call's. */
	{
		const char *p[2] = { note.key, call.key };
		PGresult *r = db_exec(&admin,
		                      "SELECT (SELECT id FROM cobro.event WHERE data->>'key' = $1) < "
		                      "(SELECT id FROM cobro.event WHERE data->>'key' = $2 AND kind = 'call')",
		                      2, p);

		assert_non_null(r);
		assert_string_equal(PQgetvalue(r, 0, 0), "t");
		PQclear(r);
	}
	assert_int_equal(count_key(call.key), 1);
	saves_free(&sq);
}

/* A callback waits with its time and the zone it was typed in. */
static void callback_saved_with_its_zone(void **state)
{
	struct save_queue sq = { 0 };
	struct save_item cb = { .kind = SAVE_CALLBACK, .account_id = anas_account(2), .zone = "America/Lima" };
	char id[24], note[96];
	long long acc;

	(void)state;
	cb.due = q("SELECT extract(epoch FROM date_trunc('minute', now()) + interval '2 days')::bigint", NULL);
	contact_new_key(cb.key);
	/* Its own words: the suite runs twice on one database (and ASan). */
	snprintf(note, sizeof note, "Llamar después del almuerzo %.8s", cb.key);
	cb.text = note;
	saves_add(&sq, &cb);
	saves_add(&sq, &cb);
	assert_int_equal(saves_first(&sq, &ana, &acc), SAVE_DONE);
	assert_int_equal(saves_first(&sq, &ana, &acc), SAVE_DONE);
	snprintf(id, sizeof id, "%lld", cb.account_id);
	{
		const char *p[2] = { id, note };
		PGresult *r = db_exec(&admin,
		                      "SELECT count(*), min(extract(epoch FROM due_at)::bigint) FROM cobro.callback "
		                      "WHERE account_id = $1 AND zone = 'America/Lima' AND note = $2",
		                      2, p);

		assert_non_null(r);
		assert_string_equal(PQgetvalue(r, 0, 0), "1");
		assert_int_equal(atoll(PQgetvalue(r, 0, 1)), cb.due);
		PQclear(r);
	}
	assert_int_equal(count_key(cb.key), 1);
	saves_free(&sq);
}

static void kept_when_the_connection_breaks(void **state)
{
	struct save_queue sq = { 0 };
	struct save_item note = { .kind = SAVE_NOTE, .account_id = anas_account(1), .text = "Cuando vuelva" };
	struct db gone;
	char pid[24];
	long long acc;

	(void)state;
	assert_true(db_connect(&gone, "dbname=cobro", "ana", "test"));
	snprintf(pid, sizeof pid, "%d", PQbackendPID(gone.conn));
	q("SELECT count(*) FROM (SELECT pg_terminate_backend($1::int)) t", pid);
	contact_new_key(note.key);
	saves_add(&sq, &note);
	assert_int_equal(saves_first(&sq, &gone, &acc), SAVE_LATER);
	assert_int_equal(sq.n, 1);
	assert_int_equal(count_key(note.key), 0);
	/* Back: saved once. */
	assert_int_equal(saves_first(&sq, &ana, &acc), SAVE_DONE);
	assert_int_equal(count_key(note.key), 1);
	db_close(&gone);
	saves_free(&sq);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(saved_in_order_and_once),
		cmocka_unit_test(callback_saved_with_its_zone),
		cmocka_unit_test(kept_when_the_connection_breaks),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
