/* src/core/account.c against the demo portfolio (cobroctl demo --accounts 2000
 * --seed 7): what account_load() returns as a person must agree with what an
 * independent query as postgres says, and row-level security must decide what
 * the person sees. Rows the tests make are rolled back or released. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "account.h"
#include "db.h"
#include "notify.h"
#include "policy.h"
#include "policy_store.h"
#include "test_clock.h"
#include "util.h"

#define EVENT_LIMIT 20

static struct db admin, ana, luis, sofia;

static void connect_as(struct db *db, const char *login)
{
	if (!db_connect(db, "dbname=cobro", login, "test_account"))
		fail_msg("connect as %s: %s", login, db->err);
}

static int setup(void **state)
{
	(void)state;
	connect_as(&admin, "postgres");
	connect_as(&ana, "ana");
	connect_as(&luis, "luis");
	connect_as(&sofia, "sofia");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(&admin);
	db_close(&ana);
	db_close(&luis);
	db_close(&sofia);
	return 0;
}

/* Runs sql on db; the result must be there. */
static PGresult *query(struct db *db, const char *sql, int n, const char *const *params)
{
	PGresult *r = db_exec(db, sql, n, params);

	if (!r)
		fail_msg("%s: %s", sql, db->err);
	return r;
}

/* The first column of the first row as text, copied into out ("" if no row). */
static char *text1(struct db *db, char *out, size_t n, const char *sql, const char *param)
{
	const char *p[1] = { param };
	PGresult *r = query(db, sql, param ? 1 : 0, p);

	snprintf(out, n, "%s", PQntuples(r) ? PQgetvalue(r, 0, 0) : "");
	PQclear(r);
	return out;
}

static long long int1(struct db *db, const char *sql, const char *param)
{
	char s[64];

	text1(db, s, sizeof s, sql, param);
	if (!*s)
		fail_msg("no row: %s (%s)", sql, param ? param : "");
	return atoll(s);
}

/* A failed test must not leave a connection inside its transaction (nor as
 * somebody else: SET LOCAL ends with it). */
static int rollback(void **state)
{
	(void)state;
	if (PQtransactionStatus(admin.conn) != PQTRANS_IDLE)
		db_cmd(&admin, "ROLLBACK");
	if (PQtransactionStatus(ana.conn) != PQTRANS_IDLE)
		db_cmd(&ana, "ROLLBACK");
	return 0;
}

static void load_ok(struct db *db, long long id, int limit, struct account_view *v)
{
	if (!account_load(db, id, limit, 0, v))
		fail_msg("account_load(%lld): %s", id, db->err);
}

static const struct contact_point_row *point_by_id(const struct account_view *v, long long id)
{
	for (int i = 0; i < v->npoints; i++)
		if (v->points[i].id == id)
			return &v->points[i];
	return NULL;
}

/* Every field of the view against postgres, who sees through row security. */
static void check_against_postgres(long long id, const struct account_view *v)
{
	static const char account_sql[] =
		"SELECT d.id, d.name, a.reference, a.balance, a.past_due, a.currency, c.name, "
		"       coalesce(greatest(0, current_date - a.oldest_due), 0), a.status, a.segment, "
		"       coalesce(g.login, ''), d.time_zone, d.jurisdiction "
		"FROM cobro.account a JOIN cobro.debtor d ON d.id = a.debtor_id "
		"JOIN cobro.creditor c ON c.id = a.creditor_id LEFT JOIN cobro.agent g ON g.id = a.agent_id "
		"WHERE a.id = $1";
	/* The account's history and the debtor's events filed under no account. */
	static const char events_sql[] =
		"SELECT id, to_char(at, 'YYYY-MM-DD HH24:MI'), kind FROM cobro.event "
		"WHERE account_id = $1 OR (account_id IS NULL "
		"      AND debtor_id = (SELECT debtor_id FROM cobro.account WHERE id = $1)) "
		"ORDER BY at DESC, id DESC LIMIT $2";
	char ids[24], lim[16];
	const char *p[2] = { ids, lim };
	PGresult *r;

	snprintf(ids, sizeof ids, "%lld", id);
	snprintf(lim, sizeof lim, "%d", EVENT_LIMIT);
	r = query(&admin, account_sql, 1, p);
	assert_int_equal(PQntuples(r), 1);
	assert_int_equal(v->debtor_id, atoll(PQgetvalue(r, 0, 0)));
	assert_string_equal(v->name, PQgetvalue(r, 0, 1));
	assert_int_equal(v->account.id, id);
	assert_string_equal(v->account.reference, PQgetvalue(r, 0, 2));
	assert_int_equal(v->account.balance, atoll(PQgetvalue(r, 0, 3)));
	assert_int_equal(v->account.past_due, atoll(PQgetvalue(r, 0, 4)));
	assert_string_equal(v->account.currency, PQgetvalue(r, 0, 5));
	assert_string_equal(v->account.creditor, PQgetvalue(r, 0, 6));
	assert_int_equal(v->account.dpd, atoi(PQgetvalue(r, 0, 7)));
	assert_string_equal(v->account.status, PQgetvalue(r, 0, 8));
	assert_string_equal(v->account.segment, PQgetvalue(r, 0, 9));
	assert_string_equal(v->account.agent, PQgetvalue(r, 0, 10));
	assert_string_equal(v->time_zone, PQgetvalue(r, 0, 11));
	assert_string_equal(v->jurisdiction, PQgetvalue(r, 0, 12));
	PQclear(r);

	assert_int_equal(v->ninstallments,
	                 int1(&admin, "SELECT count(*) FROM cobro.installment WHERE account_id = $1", ids));
	assert_int_equal(v->npayments, int1(&admin, "SELECT count(*) FROM cobro.payment WHERE account_id = $1", ids));
	assert_int_equal(v->npromises, int1(&admin, "SELECT count(*) FROM cobro.promise WHERE account_id = $1", ids));
	assert_int_equal(v->npoints,
	                 int1(&admin, "SELECT count(*) FROM cobro.contact_point c JOIN cobro.account a "
	                              "ON a.debtor_id = c.debtor_id WHERE a.id = $1", ids));
	for (int i = 1; i < v->ninstallments; i++)
		assert_true(v->installments[i - 1].seq < v->installments[i].seq);
	for (int i = 1; i < v->npayments; i++)
		assert_true(strcmp(v->payments[i - 1].paid_at, v->payments[i].paid_at) >= 0);
	for (int i = 1; i < v->npromises; i++)
		assert_true(strcmp(v->promises[i - 1].created_at, v->promises[i].created_at) >= 0);

	/* The history: the same rows in the same order, newest first, cut at the limit. */
	r = query(&admin, events_sql, 2, p);
	assert_true(v->nevents <= EVENT_LIMIT);
	assert_int_equal(v->nevents, PQntuples(r));
	for (int i = 0; i < v->nevents; i++) {
		assert_int_equal(v->events[i].id, atoll(PQgetvalue(r, i, 0)));
		assert_string_equal(v->events[i].at, PQgetvalue(r, i, 1));
		assert_string_equal(v->events[i].kind, PQgetvalue(r, i, 2));
	}
	PQclear(r);
}

static void collector_loads_own_account(void **state)
{
	struct account_view v;
	long long ids[2];

	(void)state;
	/* The brief's pick, and one with payments, promises and more history than the limit. */
	ids[0] = int1(&ana, "SELECT id FROM cobro.account ORDER BY id LIMIT 1", NULL);
	ids[1] = int1(&ana, "SELECT a.id FROM cobro.account a "
	                    "WHERE EXISTS (SELECT 1 FROM cobro.promise p WHERE p.account_id = a.id) "
	                    "  AND EXISTS (SELECT 1 FROM cobro.payment p WHERE p.account_id = a.id) "
	                    "  AND (SELECT count(*) FROM cobro.event e WHERE e.account_id = a.id) > 20 "
	                    "ORDER BY a.id LIMIT 1", NULL);
	for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
		load_ok(&ana, ids[i], EVENT_LIMIT, &v);
		check_against_postgres(ids[i], &v);
		assert_string_equal(v.account.agent, "ana");
		if (i == 1) {
			assert_int_equal(v.nevents, EVENT_LIMIT);
			assert_true(v.npayments > 0 && v.npromises > 0);
		}
		account_view_free(&v);
		assert_null(v.events);
	}
}

static void collector_cannot_load_anothers_account(void **state)
{
	struct account_view v;
	long long id = int1(&admin, "SELECT a.id FROM cobro.account a JOIN cobro.agent g ON g.id = a.agent_id "
	                            "WHERE g.login = 'luis' ORDER BY a.id LIMIT 1", NULL);

	(void)state;
	assert_false(account_load(&ana, id, EVENT_LIMIT, 0, &v));
	assert_string_equal(ana.err, "no such account");
	assert_int_equal(v.debtor_id, 0);
	assert_string_equal(v.name, "");
	assert_null(v.events);
	/* An id that does not exist reads the same: nobody learns which ids are real. */
	assert_false(account_load(&ana, -1, EVENT_LIMIT, 0, &v));
	assert_string_equal(ana.err, "no such account");
	/* The connection is still good. */
	load_ok(&luis, id, EVENT_LIMIT, &v);
	assert_string_equal(v.account.agent, "luis");
	account_view_free(&v);
}

static void debtor_with_two_accounts_shows_both(void **state)
{
	char debtor[24];
	struct account_view v;
	long long id;
	PGresult *r;
	const char *p[1] = { debtor };

	(void)state;
	text1(&admin, debtor, sizeof debtor,
	      "SELECT a.debtor_id FROM cobro.account a JOIN cobro.agent g ON g.id = a.agent_id "
	      "GROUP BY a.debtor_id HAVING count(*) >= 2 AND bool_and(g.login = 'ana') "
	      "ORDER BY a.debtor_id LIMIT 1", NULL);
	assert_true(*debtor);
	r = query(&admin, "SELECT id FROM cobro.account WHERE debtor_id = $1 ORDER BY id", 1, p);
	assert_true(PQntuples(r) >= 2);
	/* Opened from the last one: the list is the debtor's, not the open account's. */
	id = atoll(PQgetvalue(r, PQntuples(r) - 1, 0));
	load_ok(&ana, id, EVENT_LIMIT, &v);
	assert_int_equal(v.naccounts, PQntuples(r));
	for (int i = 0; i < v.naccounts; i++) {
		assert_int_equal(v.accounts[i].id, atoll(PQgetvalue(r, i, 0)));
		assert_string_equal(v.accounts[i].agent, "ana");
	}
	assert_int_equal(v.account.id, id);
	PQclear(r);
	account_view_free(&v);
}

static void accented_names_arrive_intact(void **state)
{
	char ids[24], name[256];
	struct account_view v;
	long long id;

	(void)state;
	id = int1(&admin, "SELECT a.id FROM cobro.account a JOIN cobro.agent g ON g.id = a.agent_id "
	                  "JOIN cobro.debtor d ON d.id = a.debtor_id "
	                  "WHERE g.login = 'ana' AND d.name ~ '[ñÑáéíóúÁÉÍÓÚü]' ORDER BY a.id LIMIT 1", NULL);
	snprintf(ids, sizeof ids, "%lld", id);
	text1(&admin, name, sizeof name,
	      "SELECT d.name FROM cobro.account a JOIN cobro.debtor d ON d.id = a.debtor_id WHERE a.id = $1", ids);
	load_ok(&ana, id, EVENT_LIMIT, &v);
	assert_int_equal(strlen(v.name), strlen(name));
	assert_memory_equal(v.name, name, strlen(name) + 1);
	account_view_free(&v);
}

/* A point with bad_since set, and one opted out of a channel, as the demo makes them. */
static void bad_and_opted_out_points_are_flagged(void **state)
{
	static const char find_sql[] =
		"SELECT a.id, c.id, array_to_string(c.opted_out, ',') "
		"FROM cobro.contact_point c JOIN cobro.account a ON a.debtor_id = c.debtor_id "
		"JOIN cobro.agent g ON g.id = a.agent_id "
		"WHERE g.login = 'ana' AND %s ORDER BY c.id LIMIT 1";
	const char *which[2] = { "c.bad_since IS NOT NULL", "cardinality(c.opted_out) > 0" };

	(void)state;
	for (int k = 0; k < 2; k++) {
		char *sql = xasprintf(find_sql, which[k]);
		PGresult *r = query(&admin, sql, 0, NULL);
		const struct contact_point_row *cp;
		struct account_view v;
		int good = 0;

		free(sql);
		assert_int_equal(PQntuples(r), 1);
		load_ok(&ana, atoll(PQgetvalue(r, 0, 0)), EVENT_LIMIT, &v);
		cp = point_by_id(&v, atoll(PQgetvalue(r, 0, 1)));
		assert_non_null(cp);
		if (k == 0)
			assert_true(cp->bad);
		assert_string_equal(cp->opted_out, PQgetvalue(r, 0, 2));
		PQclear(r);
		for (int i = 0; i < v.npoints; i++)
			good += !v.points[i].bad;
		/* Flags are per point, not per debtor. */
		if (k == 1)
			assert_true(good > 0);
		account_view_free(&v);
	}
	/* And a point with neither reads clean, with its consent listed. */
	{
		struct account_view v;
		const struct contact_point_row *cp;
		long long id = int1(&ana, "SELECT c.id FROM cobro.contact_point c WHERE c.bad_since IS NULL "
		                          "AND cardinality(c.opted_out) = 0 AND cardinality(c.consent) >= 2 "
		                          "ORDER BY c.id LIMIT 1", NULL);
		char ids[24], consent[64];

		snprintf(ids, sizeof ids, "%lld", id);
		load_ok(&ana, int1(&ana, "SELECT a.id FROM cobro.account a JOIN cobro.contact_point c "
		                         "ON c.debtor_id = a.debtor_id WHERE c.id = $1 ORDER BY a.id LIMIT 1", ids),
		        EVENT_LIMIT, &v);
		cp = point_by_id(&v, id);
		assert_non_null(cp);
		assert_false(cp->bad);
		assert_string_equal(cp->opted_out, "");
		assert_string_equal(cp->consent, text1(&admin, consent, sizeof consent,
		                    "SELECT array_to_string(consent, ',') FROM cobro.contact_point WHERE id = $1", ids));
		assert_non_null(strchr(cp->consent, ','));
		account_view_free(&v);
	}
}

static char leased[24];

/* The lease is taken in a session of the test's own, as a workstation would. */
static int release_lease(void **state)
{
	const char *p[2] = { leased, "test_account" };

	(void)state;
	if (*leased && !db_run(&luis, "SELECT cobro.lease_release($1, $2)", 2, p))
		fprintf(stderr, "# lease_release: %s\n", luis.err);
	*leased = '\0';
	return 0;
}

/* Who sofia (a supervisor) sees on account id: login, and the name that
 * goes with it, alike whether the account is read or rehearsed. A rehearsal
 * takes the lease and rolls it back: it reports only someone else's, and
 * leaves none. */
static void sofia_sees_holder(long long id, const char *login)
{
	struct account_view v[2];
	char name[256] = "", lease_id[24];

	snprintf(lease_id, sizeof lease_id, "%lld", id);
	if (*login)
		text1(&admin, name, sizeof name, "SELECT name FROM cobro.agent WHERE login = $1", login);
	load_ok(&sofia, id, EVENT_LIMIT, &v[0]);
	if (!account_rehearse(&sofia, id, EVENT_LIMIT, 0, &v[1]))
		fail_msg("account_rehearse: %s", sofia.err);
	for (int i = 0; i < 2; i++) {
		assert_string_equal(v[i].lease_holder, login);
		assert_string_equal(v[i].lease_holder_name, name);
		account_view_free(&v[i]);
	}
	if (!*login)
		assert_int_equal(int1(&admin, "SELECT count(*) FROM cobro.lease WHERE account_id = $1 "
		                              "AND expires_at > now()", lease_id), 0);
}

static void supervisor_sees_who_holds_the_lease(void **state)
{
	const char *p[2] = { leased, "test_account" };
	struct account_view v;
	long long id;
	PGresult *r;

	(void)state;
	id = int1(&luis, "SELECT id FROM cobro.account ORDER BY id LIMIT 1", NULL);
	load_ok(&sofia, id, EVENT_LIMIT, &v);
	assert_string_equal(v.account.agent, "luis");
	account_view_free(&v);
	sofia_sees_holder(id, "");

	snprintf(leased, sizeof leased, "%lld", id);
	r = query(&luis, "SELECT * FROM cobro.lease_take($1, $2)", 2, p);
	assert_int_equal(PQntuples(r), 1);
	PQclear(r);
	sofia_sees_holder(id, "luis");

	/* An expired lease is nobody's. */
	assert_true(db_run(&admin, "UPDATE cobro.lease SET expires_at = now() - interval '1 second' "
	                           "WHERE account_id = $1", 1, p));
	sofia_sees_holder(id, "");
}

struct heard_text {
	char *out;
	size_t n;
};

static void add_heard(const struct notification *m, void *arg)
{
	struct heard_text *h = arg;
	size_t len = strlen(h->out);

	snprintf(h->out + len, h->n - len, "%s%s:%s", len ? " " : "", m->channel, m->payload);
}

/* The notifications waiting on the connection, "channel:payload" joined by
 * spaces, in the order they came, read as the workstation reads them. */
static void heard(struct notify *listening, char *out, size_t n)
{
	struct heard_text h = { out, n };

	out[0] = '\0';
	assert_true(notify_read(listening, add_heard, &h));
}

/* Leases speak on NOTIFY_LEASE, only when the holder changes: a worklist,
 * which listens to NOTIFY_ACCOUNT, never hears them, and a renewal (every
 * 30 s per open account) is heard by nobody (013). */
static void leases_are_heard_on_their_own_channel(void **state)
{
	const char *p[2] = { leased, "test_account" }, *other[2] = { leased, "test_account_2" };
	static const char *const channels[] = { NOTIFY_ACCOUNT, NOTIFY_LEASE, NULL };
	struct notify listening = { .db = &sofia, .channels = channels, .changes = true };
	struct heard_text h;
	char got[512], want[128];
	long long id;
	PGresult *r;

	(void)state;
	id = int1(&luis, "SELECT id FROM cobro.account ORDER BY id LIMIT 1", NULL);
	snprintf(leased, sizeof leased, "%lld", id);
	assert_true(notify_listen(&listening));
	heard(&listening, got, sizeof got);

	r = query(&luis, "SELECT * FROM cobro.lease_take($1, $2)", 2, p);
	PQclear(r);
	r = query(&luis, "SELECT * FROM cobro.lease_take($1, $2)", 2, p); /* the renewal */
	PQclear(r);
	r = query(&luis, "SELECT * FROM cobro.lease_take($1, $2)", 2, other); /* refused: luis's other window */
	PQclear(r);
	assert_true(db_run(&luis, "SELECT cobro.lease_release($1, $2)", 2, p));
	r = query(&luis, "SELECT * FROM cobro.lease_take($1, $2)", 2, other); /* the other window takes it */
	PQclear(r);
	assert_true(db_run(&luis, "SELECT cobro.lease_release($1, $2)", 2, other));
	usleep(200 * 1000); /* sent at each commit; give them time to arrive */
	heard(&listening, got, sizeof got);
	/* Four holders, four notifications, none of which says which account
	 * (anyone may LISTEN): what changed is read under row security. */
	assert_string_equal(got, NOTIFY_LEASE ": " NOTIFY_LEASE ": " NOTIFY_LEASE ": " NOTIFY_LEASE ":");
	h = (struct heard_text){ got, sizeof got };
	got[0] = '\0';
	assert_true(notify_changes(&listening, add_heard, &h));
	snprintf(want, sizeof want, NOTIFY_LEASE ":%lld", id);
	assert_string_equal(got, want);
	/* Read once: asked again, nothing is new. */
	got[0] = '\0';
	assert_true(notify_changes(&listening, add_heard, &h));
	assert_string_equal(got, "");
	assert_true(db_cmd(&sofia, "UNLISTEN *"));
	notify_free(&listening);
}

/* A message sent from the account with a body longer than the row keeps, a
 * reply filed under no account, and a note on another of the debtor's
 * accounts, in ana's name. People write history only through functions
 * (016_state_through_functions.sql), and none makes these rows as they are
 * needed here: the superuser writes them, ana reads them, and they are
 * deleted again. */
static void message_status_and_long_bodies(void **state)
{
	/* Queued as the send screen does: the message and its `sms out` event. */
	static const char message_sql[] =
		"INSERT INTO cobro.message (account_id, debtor_id, channel, recipient, body, agent_id) "
		"SELECT a.id, a.debtor_id, 'sms', '+573001234567', 'hola', (SELECT id FROM cobro.agent WHERE login = 'ana') "
		"FROM cobro.account a WHERE a.id = $1 RETURNING id";
	static const char event_sql[] =
		"INSERT INTO cobro.event (account_id, debtor_id, agent_id, kind, direction, message_id, body) "
		"SELECT a.id, a.debtor_id, (SELECT id FROM cobro.agent WHERE login = 'ana'), 'sms', 'out', $2, repeat('ñ', 600) "
		"FROM cobro.account a WHERE a.id = $1 RETURNING id";
	/* A reply that matched no account, and a note on the debtor's other account. */
	static const char unfiled_sql[] =
		"INSERT INTO cobro.event (account_id, debtor_id, agent_id, kind, direction, body) "
		"SELECT NULL, a.debtor_id, (SELECT id FROM cobro.agent WHERE login = 'ana'), 'sms', 'in', 'unfiled reply' "
		"FROM cobro.account a WHERE a.id = $1 RETURNING id";
	static const char other_sql[] =
		"INSERT INTO cobro.event (account_id, debtor_id, agent_id, kind, body) "
		"SELECT o.id, o.debtor_id, (SELECT id FROM cobro.agent WHERE login = 'ana'), 'note', 'other account' "
		"FROM cobro.account a JOIN cobro.account o ON o.debtor_id = a.debtor_id AND o.id <> a.id "
		"WHERE a.id = $1 LIMIT 1 RETURNING id";
	char ids[24], msg[24];
	const char *p[2] = { ids, msg };
	struct account_view v;
	struct event_row found = { 0 }, unfiled = { 0 };
	int nevents = -1, others = 0;
	long long id, ev, unfiled_id, other_id;
	PGresult *r;
	bool ok;

	(void)state;
	/* An account whose debtor has another one. */
	id = int1(&ana, "SELECT id FROM cobro.account a WHERE (SELECT count(*) FROM cobro.account o "
	                "WHERE o.debtor_id = a.debtor_id) > 1 AND EXISTS (SELECT 1 FROM cobro.contact_point p "
	                "WHERE p.debtor_id = a.debtor_id AND p.kind = 'mobile' AND p.bad_since IS NULL "
	                "AND NOT 'sms' = ANY (p.opted_out)) ORDER BY id LIMIT 1", NULL);
	snprintf(ids, sizeof ids, "%lld", id);
	assert_true(db_cmd(&admin, "BEGIN"));
	text1(&admin, msg, sizeof msg, message_sql, ids);
	r = query(&admin, event_sql, 2, p);
	ev = atoll(PQgetvalue(r, 0, 0));
	PQclear(r);
	unfiled_id = int1(&admin, unfiled_sql, ids);
	other_id = int1(&admin, other_sql, ids);
	assert_true(db_cmd(&admin, "COMMIT"));

	ok = account_load(&ana, id, 3, 0, &v);
	if (ok) {
		for (int i = 0; i < v.nevents; i++) {
			if (v.events[i].id == ev)
				found = v.events[i];
			if (v.events[i].id == unfiled_id)
				unfiled = v.events[i];
			others += v.events[i].id == other_id;
		}
		nevents = v.nevents;
		account_view_free(&v);
	}
	{
		char evs[80];
		const char *dp[2] = { evs, msg };

		snprintf(evs, sizeof evs, "{%lld,%lld,%lld}", ev, unfiled_id, other_id);
		assert_true(db_run(&admin,
		                   "WITH e AS (DELETE FROM cobro.event WHERE id = ANY ($1::bigint[])) "
		                   "DELETE FROM cobro.message WHERE id = $2::bigint",
		                   2, dp));
	}
	assert_true(ok);
	assert_int_equal(nevents, 3);
	assert_int_equal(found.id, ev);
	assert_string_equal(found.message_status, "queued");
	assert_string_equal(found.agent, "ana");
	assert_string_equal(found.direction, "out");
	/* 600 two-byte characters cut to whole characters within 511 bytes. */
	assert_int_equal(strlen(found.body), 510);
	for (size_t i = 0; i < 510; i += 2)
		assert_memory_equal(found.body + i, "ñ", 2);
	assert_int_equal(unfiled.id, unfiled_id);
	assert_string_equal(unfiled.direction, "in");
	assert_string_equal(unfiled.body, "unfiled reply");
	assert_string_equal(unfiled.message_status, "");
	assert_int_equal(others, 0);

	/* No history asked for, none sent; a negative limit reads as none, not as an SQL error. */
	load_ok(&ana, id, 0, &v);
	assert_int_equal(v.nevents, 0);
	assert_true(v.ninstallments > 0);
	account_view_free(&v);
	load_ok(&ana, id, -5, &v);
	assert_int_equal(v.nevents, 0);
	account_view_free(&v);
}

/* The screen's function plans once, generically, per connection: the
 * answers must not change from one load to the next, and the function must
 * carry the setting that keeps a load near a millisecond. */
static void repeated_loads_use_one_plan(void **state)
{
	struct account_view first, v;
	long long id;
	char mode[64];

	(void)state;
	id = int1(&ana, "SELECT id FROM cobro.account ORDER BY id DESC LIMIT 1", NULL);
	load_ok(&ana, id, EVENT_LIMIT, &first);
	for (int i = 0; i < 8; i++) {
		load_ok(&ana, id, EVENT_LIMIT, &v);
		assert_string_equal(v.name, first.name);
		assert_int_equal(v.account.balance, first.account.balance);
		assert_int_equal(v.naccounts, first.naccounts);
		assert_int_equal(v.npoints, first.npoints);
		assert_int_equal(v.nevents, first.nevents);
		assert_int_equal(v.ncontacts, first.ncontacts);
		for (int k = 0; k < v.nevents; k++)
			assert_int_equal(v.events[k].id, first.events[k].id);
		account_view_free(&v);
	}
	check_against_postgres(id, &first);
	account_view_free(&first);
	text1(&ana, mode, sizeof mode,
	      "SELECT array_to_string(proconfig, ' ') LIKE '%plan_cache_mode=force_generic_plan%' "
	      "FROM pg_proc WHERE proname = 'account_screen'", NULL);
	assert_string_equal(mode, "t");
}

/* Nothing is prepared on the connection: DEALLOCATE ALL, DISCARD ALL, a new
 * connection or a transaction in progress change nothing. */
static void loads_survive_discard_all(void **state)
{
	struct account_view v;
	long long id = int1(&ana, "SELECT id FROM cobro.account ORDER BY id LIMIT 1", NULL);

	(void)state;
	load_ok(&ana, id, EVENT_LIMIT, &v);
	account_view_free(&v);
	assert_true(db_cmd(&ana, "DEALLOCATE ALL"));
	load_ok(&ana, id, EVENT_LIMIT, &v);
	account_view_free(&v);
	assert_true(db_cmd(&ana, "DISCARD ALL"));
	load_ok(&ana, id, EVENT_LIMIT, &v);
	account_view_free(&v);
	db_close(&ana);
	connect_as(&ana, "ana");
	assert_true(db_cmd(&ana, "BEGIN"));
	load_ok(&ana, id, EVENT_LIMIT, &v);
	assert_int_equal(v.account.id, id);
	account_view_free(&v);
	assert_true(db_cmd(&ana, "ROLLBACK"));
}

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	struct buf b = { 0 };
	char chunk[4096];
	size_t n;

	if (!f)
		fail_msg("%s: cannot open", path);
	buf_puts(&b, "");
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return b.s;
}

/* The verdicts the account screen gives from its one load must be the ones
 * the policy's own loader (three queries, cobroctl policy check) gives, for
 * every channel, on accounts with a contact history, at hours inside and
 * outside the calling windows and on a day already full of contacts. */
static void verdicts_from_the_load_match_the_loader(void **state)
{
	char err[512], *text = read_text("etc/policy.conf"), *holidays = policy_holidays_read("etc/holidays", err, sizeof err);
	struct policy *p;
	PGresult *r;
	int compared = 0, refused = 0, allowed = 0, with_history = 0;
	/* 03:00Z after the history ends (still its last day in the Americas, a
	 * day already full of contacts), a working Tuesday at 15:00Z, and that
	 * week's Friday at 23:00Z (Saturday in Madrid). */
	const int64_t instants[] = { test_anchor() + 3 * 3600, test_now(), test_now() + 3 * 86400 + 8 * 3600 };

	(void)state;
	assert_non_null(holidays);
	p = policy_parse(text, "etc/policy.conf", holidays, err, sizeof err);
	if (!p)
		fail_msg("%s", err);
	r = query(&ana,
		"SELECT a.id, a.reference FROM cobro.account a "
		"ORDER BY (SELECT count(*) FROM cobro.event e WHERE e.debtor_id = a.debtor_id) DESC, a.id LIMIT 40",
		0, NULL);
	for (int i = 0; i < PQntuples(r); i++) {
		for (size_t t = 0; t < ARRAY_SIZE(instants); t++) {
			struct account_view v;
			struct policy_account from_view, loaded;

			if (!account_load(&ana, atoll(PQgetvalue(r, i, 0)), EVENT_LIMIT, instants[t], &v))
				fail_msg("account_load: %s", ana.err);
			if (!policy_account_from_view(p, &v, CH_CALL, 0, instants[t], &from_view, err, sizeof err))
				fail_msg("from view: %s", err);
			if (!policy_account_load_with(&ana, p, PQgetvalue(r, i, 1), CH_CALL, instants[t], &loaded, err,
			                              sizeof err))
				fail_msg("load: %s", err);
			assert_int_equal(from_view.nhistory, loaded.nhistory);
			with_history += from_view.nhistory > 0;
			assert_int_equal(from_view.debtor.consent, loaded.debtor.consent);
			assert_int_equal(from_view.debtor.opted_out, loaded.debtor.opted_out);
			assert_int_equal(from_view.debtor.nzones, loaded.debtor.nzones);
			assert_string_equal(from_view.state, loaded.state);
			assert_string_equal(from_view.creditor, loaded.creditor);
			for (int ch = 0; ch < CH__COUNT; ch++) {
				struct policy_verdict a, b;

				from_view.contact.channel = loaded.contact.channel = (enum channel)ch;
				policy_check(p, &from_view.debtor, from_view.history, from_view.nhistory, &from_view.contact, &a);
				policy_check(p, &loaded.debtor, loaded.history, loaded.nhistory, &loaded.contact, &b);
				assert_int_equal(a.allowed, b.allowed);
				assert_ptr_equal(a.rule, b.rule);
				assert_int_equal(a.next, b.next);
				assert_int_equal(a.until, b.until);
				compared++;
				allowed += a.allowed;
				refused += !a.allowed;
			}
			policy_account_free(&from_view);
			policy_account_free(&loaded);
			account_view_free(&v);
		}
	}
	PQclear(r);
	/* The comparison saw both answers and real histories, or it proved nothing. */
	assert_true(compared >= 40 * 3 * CH__COUNT);
	assert_true(allowed > 0);
	assert_true(refused > 0);
	assert_true(with_history > 0);
	policy_free(p);
	free(text);
	free(holidays);
}

/* One debtor with an account in each team: each side sees its own account
 * and its own history only. Made as postgres in a transaction that is rolled
 * back, and read on that connection under SET SESSION AUTHORIZATION (the
 * policies key on session_user), which also makes the prepared statement
 * plan again for each person. */
/* Issue 15, line 5: the account screen said WhatsApp was allowed (it judged
 * the debtor's points together) while the send screen proposed a number the
 * policy refused. policy_channel_point() is the one judgement of a message
 * channel both use: when it says allowed, the point it names is allowed on
 * its own consent, as cobrod will judge the message; when it says refused,
 * no usable point of the debtor is allowed. */
static void channel_verdict_names_an_allowed_point(void **state)
{
	static const enum channel msg[] = { CH_SMS, CH_EMAIL, CH_WHATSAPP };
	char err[512], *text = read_text("etc/policy.conf"), *holidays = policy_holidays_read("etc/holidays", err, sizeof err);
	struct policy *p;
	PGresult *r;
	int allowed = 0, refused = 0, later_point = 0;

	(void)state;
	assert_non_null(holidays);
	p = policy_parse(text, "etc/policy.conf", holidays, err, sizeof err);
	if (!p)
		fail_msg("%s", err);
	r = query(&ana, "SELECT a.id FROM cobro.account a ORDER BY a.id LIMIT 120", 0, NULL);
	for (int i = 0; i < PQntuples(r); i++) {
		struct account_view v;

		if (!account_load(&ana, atoll(PQgetvalue(r, i, 0)), EVENT_LIMIT, test_now(), &v))
			fail_msg("account_load: %s", ana.err);
		for (size_t c = 0; c < ARRAY_SIZE(msg); c++) {
			struct policy_verdict verdict;
			const struct tz *zone = NULL;
			int point, first = -1;

			if (!policy_channel_point(p, &v, msg[c], test_now(), &point, &verdict, &zone, err, sizeof err))
				fail_msg("policy_channel_point: %s", err);
			for (int k = 0; k < v.npoints; k++) {
				struct policy_account pa;
				struct policy_verdict own;

				if (!policy_point_usable(&v.points[k], msg[c]))
					continue;
				if (first < 0)
					first = k;
				assert_true(policy_account_from_view(p, &v, msg[c], v.points[k].id, test_now(), &pa, err,
				                                     sizeof err));
				policy_check(p, &pa.debtor, pa.history, pa.nhistory, &pa.contact, &own);
				policy_account_free(&pa);
				if (k == point)
					assert_int_equal(own.allowed, verdict.allowed);
				if (!verdict.allowed && own.allowed)
					fail_msg("%s: %s refused while point %lld is allowed", v.account.reference,
					         channel_name(msg[c]), v.points[k].id);
			}
			assert_int_equal(point >= 0, first >= 0);
			allowed += verdict.allowed;
			refused += !verdict.allowed;
			later_point += verdict.allowed && point != first;
		}
		account_view_free(&v);
	}
	PQclear(r);
	/* The data has both, and debtors whose first point is not the one allowed. */
	assert_true(allowed > 0);
	assert_true(refused > 0);
	assert_true(later_point > 0);
	policy_free(p);
	free(holidays);
	free(text);
}

static void debtor_seen_from_two_teams(void **state)
{
	static const char account_sql[] =
		"INSERT INTO cobro.account (debtor_id, creditor_id, product, reference, currency, balance, "
		"                           team_id, agent_id) "
		"SELECT a.debtor_id, a.creditor_id, 'card', 'TEST-ACCOUNT-SUR', a.currency, 1000, g.team_id, g.id "
		"FROM cobro.account a, cobro.agent g WHERE a.id = $1 AND g.login = 'carla' RETURNING id";
	static const char event_sql[] =
		"INSERT INTO cobro.event (account_id, debtor_id, kind, body) "
		"SELECT id, debtor_id, 'note', 'team sur only' FROM cobro.account WHERE id = $1";
	char ana_id[24], sur_id[24];
	struct account_view v;
	long long before;
	bool ok[3];
	int naccounts[3] = { -1, -1, -1 }, sur_events = -1, leaked = 0;

	(void)state;
	before = int1(&ana, "SELECT count(*) FROM cobro.account WHERE debtor_id = "
	                    "(SELECT debtor_id FROM cobro.account ORDER BY id LIMIT 1)", NULL);
	text1(&ana, ana_id, sizeof ana_id, "SELECT id FROM cobro.account ORDER BY id LIMIT 1", NULL);
	assert_true(db_cmd(&admin, "BEGIN"));
	text1(&admin, sur_id, sizeof sur_id, account_sql, ana_id);
	assert_true(db_run(&admin, event_sql, 1, (const char *const[]){ sur_id }));
	assert_true(db_cmd(&admin, "SET LOCAL SESSION AUTHORIZATION ana"));
	if ((ok[0] = account_load(&admin, atoll(ana_id), EVENT_LIMIT, 0, &v))) {
		naccounts[0] = v.naccounts;
		for (int i = 0; i < v.nevents; i++)
			leaked += !strcmp(v.events[i].body, "team sur only");
		account_view_free(&v);
	}
	ok[1] = !account_load(&admin, atoll(sur_id), EVENT_LIMIT, 0, &v);
	assert_true(db_cmd(&admin, "SET LOCAL SESSION AUTHORIZATION carla"));
	if ((ok[2] = account_load(&admin, atoll(sur_id), EVENT_LIMIT, 0, &v))) {
		naccounts[2] = v.naccounts;
		sur_events = v.nevents;
		account_view_free(&v);
	}
	assert_true(db_cmd(&admin, "ROLLBACK"));
	assert_true(ok[0] && ok[1] && ok[2]);
	assert_int_equal(naccounts[0], before);
	assert_int_equal(leaked, 0);
	assert_int_equal(naccounts[2], 1);
	assert_int_equal(sur_events, 1);
}

/* The reference that the shipped account_screen() must match: the same
 * function (read from src/sql/functions/account_screen.sql) made again as a
 * temporary function of db's session that runs as the person, with
 * row-level security deciding every row, and its own rules switched off
 * (all_rows true). The shipped one runs as the owner and applies those rules
 * itself, once; where its rules and the policies disagree, the two documents
 * differ. This is what 008's version was under row-level security, before
 * 010 made it the owner's. */
static char *replace_once(const char *text, const char *what, const char *with, const char *path)
{
	const char *at = strstr(text, what);
	struct buf b = { 0 };

	if (!at || strstr(at + 1, what))
		fail_msg("%s: expected \"%s\" once", path, what);
	buf_printf(&b, "%.*s%s%s", (int)(at - text), text, with, at + strlen(what));
	return b.s;
}

static void make_reference(struct db *db)
{
	static const char header[] = "CREATE OR REPLACE FUNCTION account_screen(";
	const char *top = getenv("COBRO_TOP");
	char path[4096], *text, *start, *end, *invoker, *rls, *sql;
	struct buf b = { 0 };

	snprintf(path, sizeof path, "%s/src/sql/functions/account_screen.sql", top ? top : ".");
	if (!(text = read_file(path, NULL)))
		fail_msg("cannot read %s", path);
	start = strstr(text, header);
	end = start ? strstr(start, "\n$$;") : NULL;
	if (!start || !end)
		fail_msg("%s: no %s ... $$;", path, header);
	end[4] = '\0';
	invoker = replace_once(start, "LANGUAGE plpgsql STABLE SECURITY DEFINER\n", "LANGUAGE plpgsql STABLE\n", path);
	rls = replace_once(invoker, "all_rows boolean := i_am('cobro_admin') OR i_am('cobro_daemon');",
	                   "all_rows boolean := true;", path);
	buf_printf(&b, "CREATE FUNCTION pg_temp.account_screen_rls(%s", rls + strlen(header));
	sql = b.s;
	if (!db_cmd(db, sql))
		fail_msg("the reference: %s", db->err);
	buf_free(&b);
	free(rls);
	free(invoker);
	free(text);
}

/* Person by person, account by account: the owner's account_screen() and
 * the same under row-level security return the same document, or both NULL.
 * The data include what only one team may see, inside a transaction rolled
 * back: a debtor with an account in each team, a note and a message of the
 * other team's, a message filed under no account but sent from the other
 * team's account, a promise taken by the other team's collector, and a lease
 * held by the administrator, whom collectors do not see. */
static void screen_matches_row_security(void **state)
{
	static const char *const people[] = { "ana", "luis", "sofia", "carla", "sup-sur", "marta", "admin" };
	static const char scenario[] =
		"WITH src AS (SELECT a.* FROM cobro.account a WHERE a.id = $1), "
		"sur AS (INSERT INTO cobro.account (debtor_id, creditor_id, product, reference, currency, balance, "
		"                                   team_id, agent_id) "
		"        SELECT s.debtor_id, s.creditor_id, 'card', 'TEST-SCREEN-SUR', s.currency, 1000, g.team_id, g.id "
		"        FROM src s, cobro.agent g WHERE g.login = 'carla' RETURNING id, debtor_id), "
		"msg AS (INSERT INTO cobro.message (account_id, debtor_id, channel, recipient, body, agent_id, status) "
		"        SELECT sur.id, sur.debtor_id, 'sms', '+51987000000', 'de Sur', g.id, 'delivered' "
		"        FROM sur, cobro.agent g WHERE g.login = 'carla' RETURNING id, debtor_id), "
		"ev AS (INSERT INTO cobro.event (account_id, debtor_id, kind, body, agent_id, message_id) "
		"       SELECT NULL, msg.debtor_id, 'sms', 'sent from Sur, filed under the debtor', g.id, msg.id "
		"       FROM msg, cobro.agent g WHERE g.login = 'carla' "
		"       UNION ALL SELECT sur.id, sur.debtor_id, 'note', 'team sur only', g.id, NULL "
		"       FROM sur, cobro.agent g WHERE g.login = 'carla' RETURNING id), "
		"pr AS (INSERT INTO cobro.promise (account_id, agent_id, due_date, amount, currency, channel) "
		"       SELECT $1, g.id, current_date + 3, 500, s.currency, 'call' FROM src s, cobro.agent g "
		"       WHERE g.login = 'carla' "
		"       RETURNING id), "
		"ls AS (INSERT INTO cobro.lease (account_id, agent_id, session, expires_at) "
		"       SELECT $1, g.id, 'test_account', now() + interval '1 minute' FROM cobro.agent g "
		"       WHERE g.login = 'admin' RETURNING account_id) "
		"SELECT sur.id FROM sur, (SELECT count(*) FROM ev) e, pr, ls";
	static const char compare[] =
		"SELECT x.id, cobro.account_screen(x.id, 50, now() - interval '400 days')::text, "
		"       pg_temp.account_screen_rls(x.id, 50, now() - interval '400 days')::text "
		"FROM unnest($1::bigint[]) AS x(id)";
	char first[24], sur[24], ids[4096];
	const char *p[1];
	int seen = 0, hidden = 0, shown_all = 0;

	(void)state;
	text1(&admin, first, sizeof first,
	      "SELECT a.id FROM cobro.account a JOIN cobro.agent g ON g.id = a.agent_id "
	      "WHERE g.login = 'ana' AND (SELECT count(*) FROM cobro.account b WHERE b.debtor_id = a.debtor_id) > 1 "
	      "ORDER BY a.id LIMIT 1", NULL);
	assert_true(db_cmd(&admin, "BEGIN"));
	make_reference(&admin);
	p[0] = first;
	text1(&admin, sur, sizeof sur, scenario, first);
	assert_true(*sur != '\0');
	/* The scenario's accounts, every team's, and debtors with several. */
	text1(&admin, ids, sizeof ids,
	      "SELECT '{' || string_agg(id::text, ',') || '}' FROM ("
	      "  SELECT $1::bigint AS id"
	      "  UNION SELECT id FROM cobro.account WHERE reference = 'TEST-SCREEN-SUR'"
	      "  UNION (SELECT a.id FROM cobro.account a WHERE (SELECT count(*) FROM cobro.account b"
	      "         WHERE b.debtor_id = a.debtor_id) > 1 ORDER BY a.id LIMIT 30)"
	      "  UNION (SELECT id FROM cobro.account ORDER BY id DESC LIMIT 20)"
	      "  UNION (SELECT DISTINCT ON (team_id, agent_id) id FROM cobro.account ORDER BY team_id, agent_id, id)"
	      "  UNION SELECT -1) x", first);
	for (size_t k = 0; k < ARRAY_SIZE(people); k++) {
		char who[96];
		PGresult *r;

		snprintf(who, sizeof who, "SET LOCAL SESSION AUTHORIZATION \"%s\"", people[k]);
		assert_true(db_cmd(&admin, who));
		p[0] = ids;
		r = query(&admin, compare, 1, p);
		for (int i = 0; i < PQntuples(r); i++) {
			bool a_null = PQgetisnull(r, i, 1), b_null = PQgetisnull(r, i, 2);

			if (a_null != b_null || (!a_null && strcmp(PQgetvalue(r, i, 1), PQgetvalue(r, i, 2)) != 0)) {
				print_error("%s, account %s:\n  owner's: %.2000s\n  row security's: %.2000s\n", people[k],
				            PQgetvalue(r, i, 0), a_null ? "NULL" : PQgetvalue(r, i, 1),
				            b_null ? "NULL" : PQgetvalue(r, i, 2));
				PQclear(r);
				db_cmd(&admin, "ROLLBACK");
				fail();
			}
			if (a_null)
				hidden++;
			else
				seen++;
			if (!strcmp(people[k], "admin") && !a_null)
				shown_all++;
		}
		PQclear(r);
		assert_true(db_cmd(&admin, "RESET SESSION AUTHORIZATION"));
	}
	assert_true(db_cmd(&admin, "ROLLBACK"));
	/* Both answers occurred, and the administrator saw every real account. */
	assert_true(seen > 50 && hidden > 50);
	assert_true(shown_all > 40);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(collector_loads_own_account),
		cmocka_unit_test(collector_cannot_load_anothers_account),
		cmocka_unit_test(debtor_with_two_accounts_shows_both),
		cmocka_unit_test(accented_names_arrive_intact),
		cmocka_unit_test(bad_and_opted_out_points_are_flagged),
		cmocka_unit_test_teardown(supervisor_sees_who_holds_the_lease, release_lease),
		cmocka_unit_test_teardown(leases_are_heard_on_their_own_channel, release_lease),
		cmocka_unit_test_teardown(message_status_and_long_bodies, rollback),
		cmocka_unit_test_teardown(debtor_seen_from_two_teams, rollback),
		cmocka_unit_test(repeated_loads_use_one_plan),
		cmocka_unit_test(loads_survive_discard_all),
		cmocka_unit_test(verdicts_from_the_load_match_the_loader),
		cmocka_unit_test(channel_verdict_names_an_allowed_point),
		cmocka_unit_test_teardown(screen_matches_row_security, rollback),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
