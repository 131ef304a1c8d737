/* Call outcomes, notes and callbacks as a collector records them, against the
 * test database (tests/run.sh: PGHOST, PGPORT, PGDATABASE=cobro, the demo
 * people). Each test works on an account of its own choosing and checks the
 * rows as the superuser sees them. */
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

static struct db ana, luis, sofia, boss, admin; /* boss: the demo's administrator, admin: postgres */

static int setup(void **state)
{
	(void)state;
	if (!db_connect(&ana, "dbname=cobro", "ana", "test") || !db_connect(&luis, "dbname=cobro", "luis", "test") ||
	    !db_connect(&sofia, "dbname=cobro", "sofia", "test") || !db_connect(&boss, "dbname=cobro", "admin", "test") ||
	    !db_connect(&admin, "dbname=cobro", "postgres", "test")) {
		fprintf(stderr, "# cannot connect: %s %s %s %s %s\n", ana.err, luis.err, sofia.err, boss.err, admin.err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(&ana);
	db_close(&luis);
	db_close(&sofia);
	db_close(&boss);
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

/* One of ana's active accounts, a different one each call. */
static long long anas_account(int nth)
{
	char n[16];

	snprintf(n, sizeof n, "%d", nth);
	return q("SELECT a.id FROM cobro.account a JOIN cobro.agent g ON g.id = a.agent_id "
	         "WHERE g.login = 'ana' AND a.status = 'active' ORDER BY a.id OFFSET $1 LIMIT 1", n);
}

static long long count_key(const char *key)
{
	return q("SELECT count(*) FROM cobro.event WHERE data->>'key' = $1", key);
}

static void test_call_outcome_once(void **state)
{
	char key[CONTACT_KEY_SIZE], id[24];
	long long acc = anas_account(0);

	(void)state;
	snprintf(id, sizeof id, "%lld", acc);
	contact_new_key(key);
	assert_true(contact_log_call(&ana, key, acc, OUTCOME_RIGHT_PARTY, 0, "Promete llamar el lunes, señor Núñez"));
	assert_int_equal(count_key(key), 1);
	/* Saved again after a lost connection: still one. */
	assert_true(contact_log_call(&ana, key, acc, OUTCOME_RIGHT_PARTY, 0, "Promete llamar el lunes, señor Núñez"));
	assert_int_equal(count_key(key), 1);
	assert_int_equal(q("SELECT count(*) FROM cobro.event WHERE data->>'key' = $1 AND kind = 'call' "
	                   "AND outcome = 'right_party' AND body = 'Promete llamar el lunes, señor Núñez' "
	                   "AND agent_id = (SELECT id FROM cobro.agent WHERE login = 'ana')", key), 1);
	assert_int_equal(q("SELECT (last_contact_at > now() - interval '1 minute')::int FROM cobro.account WHERE id = $1", id), 1);
}

/* The workstation keeps what it could not save on disk and saves it again
 * when it starts next, perhaps days later; a save whose answer was lost
 * with the connection had been committed already. Once, whenever it comes
 * (saved_key, 021_saved_keys.sql): the key used to be looked for among
 * the last day's events only. */
static void test_saved_again_days_later(void **state)
{
	char key[CONTACT_KEY_SIZE];
	long long acc = anas_account(5);
	const char *p[1] = { key };

	(void)state;
	contact_new_key(key);
	assert_true(contact_add_note(&ana, key, acc, "Nota guardada, respuesta perdida"));
	assert_int_equal(count_key(key), 1);
	/* Three days pass (the history's own clock moved back instead). */
	assert_true(db_run(&admin, "UPDATE cobro.event SET at = at - interval '3 days' WHERE data->>'key' = $1", 1, p));
	assert_true(db_run(&admin, "UPDATE cobro.saved_key SET at = at - interval '3 days' WHERE key = $1::uuid", 1, p));
	/* The history rewritten behind the rollup's trigger: rolled up again
	 * (the agents' figures would otherwise count the note today). */
	assert_true(db_cmd(&admin, "SELECT cobro.metric_rebuild()"));
	assert_true(contact_add_note(&ana, key, acc, "Nota guardada, respuesta perdida"));
	assert_int_equal(count_key(key), 1);
	/* A key is one save's: used again on another account, it is refused. */
	assert_false(contact_add_note(&ana, key, anas_account(6), "Otra cuenta, la misma clave"));
	assert_string_equal(ana.sqlstate, "23505");
	assert_int_equal(count_key(key), 1);
}

static void test_wrong_number_marks_it_bad(void **state)
{
	char key[CONTACT_KEY_SIZE], id[24], pid[24];
	long long acc = anas_account(1), point;

	(void)state;
	snprintf(id, sizeof id, "%lld", acc);
	point = q("SELECT coalesce(min(c.id), 0) FROM cobro.contact_point c JOIN cobro.account a ON a.debtor_id = c.debtor_id "
	          "WHERE a.id = $1 AND c.kind IN ('phone', 'mobile')", id);
	assert_true(point > 0);
	snprintf(pid, sizeof pid, "%lld", point);
	contact_new_key(key);
	assert_true(contact_log_call(&ana, key, acc, OUTCOME_WRONG_NUMBER, point, NULL));
	assert_int_equal(q("SELECT (bad_since IS NOT NULL)::int FROM cobro.contact_point WHERE id = $1", pid), 1);
}

static void test_dispute_stops_work(void **state)
{
	char key[CONTACT_KEY_SIZE], id[24];
	long long acc = anas_account(2);

	(void)state;
	snprintf(id, sizeof id, "%lld", acc);
	contact_new_key(key);
	assert_true(contact_log_call(&ana, key, acc, OUTCOME_DISPUTE, 0, "Dice que ya pagó"));
	assert_int_equal(q("SELECT (status = 'dispute')::int FROM cobro.account WHERE id = $1", id), 1);
}

static void test_not_on_anothers_account(void **state)
{
	char key[CONTACT_KEY_SIZE];
	long long acc = anas_account(3);

	(void)state;
	contact_new_key(key);
	assert_false(contact_log_call(&luis, key, acc, OUTCOME_NO_ANSWER, 0, NULL));
	assert_string_equal(luis.err, "no such account");
	assert_int_equal(count_key(key), 0);
	assert_false(contact_add_note(&luis, key, acc, "hola"));
	assert_int_equal(count_key(key), 0);
}

static void test_note(void **state)
{
	char key[CONTACT_KEY_SIZE];
	long long acc = anas_account(4);

	(void)state;
	contact_new_key(key);
	assert_true(contact_add_note(&ana, key, acc, "Cliente pide hablar con Ibáñez\nmañana"));
	assert_int_equal(q("SELECT count(*) FROM cobro.event WHERE data->>'key' = $1 AND kind = 'note' "
	                   "AND body = E'Cliente pide hablar con Ibáñez\\nmañana'", key), 1);
}

static void test_note_checks(void **state)
{
	char *long_note = malloc(CONTACT_NOTE_MAX + 2);

	(void)state;
	assert_int_equal(contact_check_note("Núñez pagará el lunes", true), NOTE_OK);
	assert_int_equal(contact_check_note("   ", true), NOTE_EMPTY);
	assert_int_equal(contact_check_note("", false), NOTE_OK);
	assert_int_equal(contact_check_note("bell\a", false), NOTE_CONTROL);
	assert_int_equal(contact_check_note("esc\x1b[31m", false), NOTE_CONTROL);
	assert_int_equal(contact_check_note("c1 \xc2\x85", false), NOTE_CONTROL);
	assert_int_equal(contact_check_note("bad \xff utf8", false), NOTE_BAD_UTF8);
	memset(long_note, 'a', CONTACT_NOTE_MAX);
	long_note[CONTACT_NOTE_MAX] = '\0';
	assert_int_equal(contact_check_note(long_note, false), NOTE_OK);
	long_note[CONTACT_NOTE_MAX] = 'a';
	long_note[CONTACT_NOTE_MAX + 1] = '\0';
	assert_int_equal(contact_check_note(long_note, false), NOTE_TOO_LONG);
	free(long_note);
	/* Characters, not bytes: 2000 ñ are 4000 bytes and fine. */
	{
		char *n = malloc(2 * CONTACT_NOTE_MAX + 1);

		for (int i = 0; i < CONTACT_NOTE_MAX; i++)
			memcpy(n + 2 * i, "\xc3\xb1", 2);
		n[2 * CONTACT_NOTE_MAX] = '\0';
		assert_int_equal(contact_check_note(n, true), NOTE_OK);
		free(n);
	}
}

static void test_callback(void **state)
{
	char key[CONTACT_KEY_SIZE], id[24];
	long long acc = anas_account(5);
	/* The database judges "in the future" by its own clock: read that one. */
	int64_t now = q("SELECT extract(epoch FROM now())::bigint", NULL), due = now + 3600;

	(void)state;
	snprintf(id, sizeof id, "%lld", acc);
	contact_new_key(key);
	assert_true(contact_schedule_callback(&ana, key, acc, due, "America/Lima", "Llamar a las 10"));
	assert_int_equal(q("SELECT count(*) FROM cobro.callback WHERE account_id = $1 AND zone = 'America/Lima' "
	                   "AND done_at IS NULL AND due_at > now()", id), 1);
	assert_int_equal(q("SELECT (abs(extract(epoch FROM next_action_at - now()) - 3600) < 60)::int "
	                   "FROM cobro.account WHERE id = $1", id), 1);
	/* A time in the past is refused by the database, and nothing is kept. */
	contact_new_key(key);
	assert_false(contact_schedule_callback(&ana, key, acc, now - 3600, "America/Lima", NULL));
	assert_int_equal(count_key(key), 0);
}

/* One statement as a person; true when it ran. */
static bool as(struct db *who, const char *sql, const char *p1, const char *p2)
{
	const char *p[2] = { p1, p2 };

	return db_run(who, sql, p2 ? 2 : p1 ? 1 : 0, p);
}

/* Issue 14, line 2: every save leaves an audit row in the person's name
 * beside its event. */
static void test_saves_are_audited(void **state)
{
	char key[CONTACT_KEY_SIZE], id[24];
	long long acc = anas_account(8);

	(void)state;
	snprintf(id, sizeof id, "%lld", acc);
	contact_new_key(key);
	assert_true(contact_log_call(&ana, key, acc, OUTCOME_NO_ANSWER, 0, NULL));
	assert_int_equal(q("SELECT count(*) FROM cobro.audit a JOIN cobro.event e ON e.id = (a.new->>'event')::bigint "
	                   "WHERE a.action = 'CALL' AND a.actor = 'ana' AND e.data->>'key' = $1", key), 1);
	contact_new_key(key);
	assert_true(contact_add_note(&ana, key, acc, "Nota auditada"));
	assert_int_equal(q("SELECT count(*) FROM cobro.audit a JOIN cobro.event e ON e.id = (a.new->>'event')::bigint "
	                   "WHERE a.action = 'NOTE' AND a.actor = 'ana' AND e.data->>'key' = $1", key), 1);
	/* ana's own psql: none of what the issue found goes through. */
	assert_false(as(&ana, "UPDATE cobro.account SET last_contact_at = '1999-01-01' WHERE id = $1", id, NULL));
	assert_string_equal(ana.sqlstate, "42501");
	assert_false(as(&ana, "UPDATE cobro.account SET status = 'paid' WHERE id = $1", id, NULL));
	assert_false(as(&ana, "INSERT INTO cobro.event (account_id, debtor_id, agent_id, kind, amount) "
	                      "SELECT id, debtor_id, cobro.my_agent_id(), 'payment', 99999900 FROM cobro.account WHERE id = $1",
	                id, NULL));
	assert_string_equal(ana.sqlstate, "42501");
}

/* A dispute ana raises is sofia's (her supervisor) to lift, with a reason,
 * and both are in the audit trail. */
static void test_supervisor_lifts_dispute(void **state)
{
	char key[CONTACT_KEY_SIZE], id[24];
	long long acc = anas_account(9);

	long long raised, lifted, events;
	static const char raised_sql[] = "SELECT count(*) FROM cobro.audit WHERE action = 'DISPUTE' AND actor = 'ana' "
	                                 "AND tbl = 'account' AND row_id = $1::bigint";
	static const char lifted_sql[] = "SELECT count(*) FROM cobro.audit WHERE action = 'DISPUTE LIFTED' AND actor = 'sofia' "
	                                 "AND row_id = $1::bigint AND new->>'reason' LIKE 'Justificante%'";
	static const char events_sql[] = "SELECT count(*) FROM cobro.event WHERE account_id = $1 AND kind = 'status' "
	                                 "AND outcome = 'active' AND agent_id = (SELECT id FROM cobro.agent WHERE login = 'sofia')";

	(void)state;
	snprintf(id, sizeof id, "%lld", acc);
	/* The suite may run twice on one database (release, then asan): count what this run adds. */
	raised = q(raised_sql, id), lifted = q(lifted_sql, id), events = q(events_sql, id);
	contact_new_key(key);
	assert_true(contact_log_call(&ana, key, acc, OUTCOME_DISPUTE, 0, "No reconoce la deuda"));
	assert_false(as(&ana, "UPDATE cobro.account SET status = 'active' WHERE id = $1", id, NULL));
	assert_string_equal(ana.sqlstate, "42501");
	assert_false(as(&ana, "SELECT cobro.account_lift_dispute($1, 'yo misma')", id, NULL));
	assert_string_equal(ana.sqlstate, "42501");
	assert_int_equal(q("SELECT (status = 'dispute')::int FROM cobro.account WHERE id = $1", id), 1);
	assert_true(as(&sofia, "SELECT cobro.account_lift_dispute($1, $2)", id, "Justificante revisado: la deuda es correcta"));
	assert_int_equal(q("SELECT (status = 'active')::int FROM cobro.account WHERE id = $1", id), 1);
	assert_int_equal(q(raised_sql, id), raised + 1);
	assert_int_equal(q(lifted_sql, id), lifted + 1);
	assert_int_equal(q(events_sql, id), events + 1);
}

/* An opt-out (cobrod's, after a STOP) is lifted by the administrator alone,
 * through the function, and the contact point's audit trigger records it. */
static void test_admin_lifts_optout(void **state)
{
	char id[24], pid[24];
	/* One of ana's accounts whose debtor has a mobile, whatever the tests before did to the others. */
	long long acc = q("SELECT max(a.id) FROM cobro.account a JOIN cobro.agent g ON g.id = a.agent_id "
	                  "JOIN cobro.contact_point c ON c.debtor_id = a.debtor_id AND c.kind = 'mobile' "
	                  "WHERE g.login = 'ana'", NULL),
	          point, audited, lifted;
	static const char audited_sql[] = "SELECT count(*) FROM cobro.audit WHERE tbl = 'contact_point' AND action = 'UPDATE' "
	                                  "AND actor = 'admin' AND row_id = $1::bigint";
	static const char lifted_sql[] = "SELECT count(*) FROM cobro.event WHERE account_id = $1 AND kind = 'optout' "
	                                 "AND outcome = 'lifted'";

	(void)state;
	snprintf(id, sizeof id, "%lld", acc);
	point = q("SELECT coalesce(min(c.id), 0) FROM cobro.contact_point c JOIN cobro.account a ON a.debtor_id = c.debtor_id "
	          "WHERE a.id = $1 AND c.kind = 'mobile'", id);
	assert_true(point > 0);
	snprintf(pid, sizeof pid, "%lld", point);
	audited = q(audited_sql, pid), lifted = q(lifted_sql, id);
	assert_true(as(&admin, "UPDATE cobro.contact_point SET opted_out = '{sms}', opted_out_at = now() WHERE id = $1", pid,
	               NULL));
	assert_false(as(&ana, "UPDATE cobro.contact_point SET opted_out = '{}' WHERE id = $1", pid, NULL));
	assert_string_equal(ana.sqlstate, "42501");
	assert_false(as(&boss, "UPDATE cobro.contact_point SET opted_out = '{}' WHERE id = $1", pid, NULL));
	assert_string_equal(boss.sqlstate, "42501");
	{
		const char *p[3] = { id, pid, "El deudor pidió por escrito volver a recibir SMS" };

		assert_false(db_run(&sofia, "SELECT cobro.contact_point_lift_optout($1, $2, 'sms', $3)", 3, p));
		assert_string_equal(sofia.sqlstate, "42501");
		assert_true(db_run(&boss, "SELECT cobro.contact_point_lift_optout($1, $2, 'sms', $3)", 3, p));
	}
	assert_int_equal(q("SELECT cardinality(opted_out) FROM cobro.contact_point WHERE id = $1", pid), 0);
	assert_int_equal(q(audited_sql, pid), audited + 1);
	assert_int_equal(q(lifted_sql, id), lifted + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_call_outcome_once),   cmocka_unit_test(test_wrong_number_marks_it_bad),
		cmocka_unit_test(test_dispute_stops_work),  cmocka_unit_test(test_not_on_anothers_account),
		cmocka_unit_test(test_note),                cmocka_unit_test(test_note_checks),
		cmocka_unit_test(test_callback),            cmocka_unit_test(test_saves_are_audited),
		cmocka_unit_test(test_supervisor_lifts_dispute), cmocka_unit_test(test_admin_lifts_optout),
		cmocka_unit_test(test_saved_again_days_later),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
