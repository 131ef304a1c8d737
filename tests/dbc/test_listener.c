/* src/cobrod/listener.c against the test database (tests/run.sh: PGHOST, PGPORT,
 * PGDATABASE=cobro with the demo portfolio): the listener runs in this
 * process on 127.0.0.1, connected as a daemon login, and libcurl's multi
 * interface talks to it from the same loop, as Kannel would. The rows it
 * changes are this test's own (a team, debtors, accounts, numbers and
 * messages made here), removed at the end and before the start, so a run
 * that died leaves nothing that breaks the next. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <curl/curl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "listener.h"
#include "log.h"
#include "util.h"

#define DAEMON_LOGIN "listener_test"
#define TEAM         "listener_test"
/* Every gateway id a run sends starts so (removed with the rows). */
#define MO_ID_PREFIX "test_listener-"
/* 2026-01-01 00:00:00 UTC: Kannel's %T for every report and text here. */
#define TS "1767225600"
/* The Kannel transport's callback_secret: every /kannel request carries it
 * as key=, unless a test says otherwise (key). */
#define SECRET "test-listener-gateway-0123456789"

static struct db admin, daemon_db;
static struct listener *lis;
static const char *key = SECRET;
static struct transport gateway = {.name = "kannel", .kind = TRANSPORT_KANNEL, .callback_secret = SECRET};
static struct cobrod_conf gateways = {.transports = &gateway, .ntransports = 1,
				      .channels = {[CH_SMS] = {.transport = &gateway}}};

/* This run's rows. A: a debtor with two accounts and a mobile, who replies;
 * B: one account, who writes BAJA; stranger: a number nobody has. */
static struct {
	long long team, debtor_a, debtor_b, account_a1, account_a2, account_b, point_a, point_b, wa_b;
	long long msg_delivered, msg_failed, msg_untouched;
	char phone_a[20], phone_b[20], stranger[20];
	char ids[64]; /* {debtor_a,debtor_b} for queries */
} t;

/* ------------------------------------------------------------- the database */

static PGresult *query(struct db *db, const char *sql, int n, const char *const *params)
{
	PGresult *r = db_exec(db, sql, n, params);

	if (!r)
		fail_msg("%s: %s", sql, db->err);
	return r;
}

/* The first column of the first row as text in out ("" when no row). */
static char *text1(char *out, size_t n, const char *sql, int np, const char *const *params)
{
	PGresult *r = query(&admin, sql, np, params);

	snprintf(out, n, "%s", PQntuples(r) && !PQgetisnull(r, 0, 0) ? PQgetvalue(r, 0, 0) : "");
	PQclear(r);
	return out;
}

static long long num(const char *sql, int np, const char *const *params)
{
	char s[64];

	if (!*text1(s, sizeof s, sql, np, params))
		fail_msg("no value: %s", sql);
	return atoll(s);
}

/* A query with one bigint parameter. */
static long long num_id(const char *sql, long long id)
{
	char s[24];

	snprintf(s, sizeof s, "%lld", id);
	return num(sql, 1, (const char *const[]){s});
}

static char *text_id(char *out, size_t n, const char *sql, long long id)
{
	char s[24];

	snprintf(s, sizeof s, "%lld", id);
	return text1(out, n, sql, 1, (const char *const[]){s});
}

/* Every row of a run of this test, its own or one left by a run that died. */
static void remove_rows(void)
{
	static const char *const steps[] = {
	    "DELETE FROM cobro.event WHERE debtor_id = ANY ($1::bigint[])",
	    "DELETE FROM cobro.message WHERE debtor_id = ANY ($1::bigint[])",
	    "DELETE FROM cobro.account WHERE debtor_id = ANY ($1::bigint[])",
	    "DELETE FROM cobro.debtor WHERE id = ANY ($1::bigint[])",
	};
	char ids[4096];

	text1(ids, sizeof ids,
	      "SELECT coalesce(array_agg(DISTINCT a.debtor_id), '{}') FROM cobro.account a "
	      "JOIN cobro.team g ON g.id = a.team_id WHERE g.code = '" TEAM "'",
	      0, NULL);
	for (size_t i = 0; i < ARRAY_SIZE(steps); i++)
		PQclear(query(&admin, steps[i], 1, (const char *const[]){ids}));
	PQclear(query(&admin, "DELETE FROM cobro.team WHERE code = '" TEAM "'", 0, NULL));
	PQclear(query(&admin, "DELETE FROM cobro.inbound_seen WHERE provider_id LIKE '" MO_ID_PREFIX "%'", 0, NULL));
}

/* A PE mobile number nobody in the database has. */
static void free_number(char *out, size_t n)
{
	text1(out, n,
	      "SELECT v FROM (SELECT '+519' || lpad((floor(random() * 1e8))::bigint::text, 8, '0') AS v "
	      "               FROM generate_series(1, 100)) x "
	      "WHERE NOT EXISTS (SELECT 1 FROM cobro.contact_point c WHERE c.value = x.v) LIMIT 1",
	      0, NULL);
	if (!*out)
		fail_msg("no free phone number");
}

static long long add_debtor(const char *name)
{
	return num("INSERT INTO cobro.debtor (name, first_name, jurisdiction, time_zone) "
		   "VALUES ($1, 'Prueba', 'PE', 'America/Lima') RETURNING id",
		   1, (const char *const[]){name});
}

static long long add_account(long long debtor, int nth)
{
	char d[24], team[24], ref[64];

	snprintf(d, sizeof d, "%lld", debtor);
	snprintf(team, sizeof team, "%lld", t.team);
	snprintf(ref, sizeof ref, "LISTENER-%ld-%d", (long)getpid(), nth);
	return num(
	    "INSERT INTO cobro.account (debtor_id, creditor_id, product, reference, currency, balance, "
	    "team_id) "
	    "VALUES ($1, (SELECT min(id) FROM cobro.creditor), 'loan', $2, 'PEN', 150000, $3) RETURNING id",
	    3, (const char *const[]){d, ref, team});
}

static long long add_mobile(long long debtor, const char *phone)
{
	char d[24];

	snprintf(d, sizeof d, "%lld", debtor);
	return num("INSERT INTO cobro.contact_point (debtor_id, kind, value, consent) "
		   "VALUES ($1, 'mobile', $2, '{sms}') RETURNING id",
		   2, (const char *const[]){d, phone});
}

/* The same number as the debtor's WhatsApp. */
static long long add_whatsapp(long long debtor, const char *phone)
{
	char d[24];

	snprintf(d, sizeof d, "%lld", debtor);
	return num("INSERT INTO cobro.contact_point (debtor_id, kind, value, consent) "
		   "VALUES ($1, 'whatsapp', $2, '{whatsapp}') RETURNING id",
		   2, (const char *const[]){d, phone});
}

/* A message the gateway took: what a delivery report finds. */
static long long add_sent(long long account, long long debtor, long long point, const char *phone)
{
	char a[24], d[24], p[24];

	snprintf(a, sizeof a, "%lld", account);
	snprintf(d, sizeof d, "%lld", debtor);
	snprintf(p, sizeof p, "%lld", point);
	return num(
	    "INSERT INTO cobro.message (account_id, debtor_id, contact_point_id, channel, recipient, body, "
	    "                           status, attempts, sent_at, provider_id) "
	    "VALUES ($1, $2, $3, 'sms', $4, 'Su cuota vence hoy', 'sent', 1, now(), 'kannel') RETURNING id",
	    4, (const char *const[]){a, d, p, phone});
}

/* ------------------------------------------------------------------ HTTP */

struct answer {
	long status;
	char body[256];
	size_t len;
};

/* Runs the listener and the transfers of multi together, as cobrod's loop
 * does, until the transfers are done or the deadline passes. */
static void pump(CURLM *multi, int running, time_t deadline)
{
	while (running && time(NULL) < deadline) {
		struct curl_waitfd w[2] = {{.fd = listener_fd(lis), .events = CURL_WAIT_POLLIN},
					   {.fd = listener_db_fd(lis), .events = CURL_WAIT_POLLIN}};
		int wait = listener_timeout_ms(lis);

		curl_multi_perform(multi, &running);
		if (!running)
			break;
		if (wait < 0 || wait > 50)
			wait = 50;
		curl_multi_poll(multi, w, w[1].fd >= 0 ? 2 : 1, wait, NULL);
		listener_run(lis);
	}
}

static size_t keep_body(char *data, size_t size, size_t n, void *cls)
{
	struct answer *a = cls;
	size_t take = size * n;

	if (take > sizeof a->body - 1 - a->len)
		take = sizeof a->body - 1 - a->len;
	memcpy(a->body + a->len, data, take);
	a->len += take;
	a->body[a->len] = '\0';
	return size * n;
}

/* method on path (with its query) while the listener runs in this loop,
 * as it will in cobrod's: poll on both, then listener_run. */
static struct answer http(const char *method, const char *path)
{
	struct answer a = {.status = 0};
	CURLM *multi = curl_multi_init();
	CURL *e = curl_easy_init();
	char url[4096];
	int running = 1;
	time_t deadline = time(NULL) + 15;

	if (key && strncmp(path, "/kannel/", 8) == 0) {
		const char *q = strchr(path, '?');

		/* key= first, as scripts/services.sh and the dlr-url put it. */
		if (q)
			snprintf(url, sizeof url, "http://127.0.0.1:%d%.*s?key=%s&%s", listener_port(lis),
				 (int)(q - path), path, key, q + 1);
		else
			snprintf(url, sizeof url, "http://127.0.0.1:%d%s?key=%s", listener_port(lis), path, key);
	} else {
		snprintf(url, sizeof url, "http://127.0.0.1:%d%s", listener_port(lis), path);
	}
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, keep_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, &a);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, 10L);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	else if (strcmp(method, "POST") == 0)
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, "id=1&status=1");
	else if (strcmp(method, "GET") != 0)
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
	curl_multi_add_handle(multi, e);
	pump(multi, running, deadline);
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &a.status);
	curl_multi_remove_handle(multi, e);
	curl_easy_cleanup(e);
	curl_multi_cleanup(multi);
	return a;
}

/* Ends get()'s pairs: a bare NULL may be an int in a variadic call. */
#define END ((const char *)NULL)

/* A GET built from name, value pairs (END ends them; a NULL value leaves
 * the name out), each value percent-encoded as Kannel does. */
__attribute__((sentinel)) static struct answer get(const char *path, ...)
{
	struct buf b = {0};
	const char *name;
	va_list ap;
	struct answer a;
	char sep = '?';

	buf_puts(&b, path);
	va_start(ap, path);
	while ((name = va_arg(ap, const char *))) {
		const char *value = va_arg(ap, const char *);
		char *enc;

		if (!value)
			continue;
		enc = curl_easy_escape(NULL, value, (int)strlen(value));
		buf_printf(&b, "%c%s=%s", sep, name, enc);
		curl_free(enc);
		sep = '&';
	}
	va_end(ap);
	a = http("GET", b.s);
	buf_free(&b);
	return a;
}

static struct answer dlr(long long id, const char *status, const char *answer)
{
	char s[24];

	snprintf(s, sizeof s, "%lld", id);
	return get("/kannel/dlr", "id", s, "status", status, "answer", answer, "to", t.phone_a, "ts", TS,
		   END);
}

/* Kannel's id of a text: a new one per text, as Kannel gives. */
static const char *next_id(void)
{
	static char id[64];
	static int n;

	snprintf(id, sizeof id, MO_ID_PREFIX "%d-%d", (int)getpid(), ++n);
	return id;
}

static struct answer mo(const char *kind, const char *from, const char *text)
{
	return get("/kannel/mo", "kind", kind, "from", from, "to", "12345", "text", text, "coding", "0", "ts",
		   TS, "id", next_id(), "smsc", "fake1", END);
}

/* ------------------------------------------------------------------ setup */

static int setup(void **state)
{
	char err[256];

	(void)state;
	log_open("test_listener", getenv("TEST_LOG_LEVEL") ? getenv("TEST_LOG_LEVEL") : "error", false);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return -1;
	if (!db_connect(&admin, "dbname=cobro", "postgres", "test_listener")) {
		fprintf(stderr, "# cannot connect as postgres: %s\n", admin.err);
		return -1;
	}
	if (num("SELECT count(*) FROM cobro.agent WHERE login = '" DAEMON_LOGIN "'", 0, NULL) == 0)
		PQclear(query(&admin,
			      "SELECT cobro.agent_add('" DAEMON_LOGIN "', 'Listener test', 'daemon', NULL)",
			      0, NULL));
	remove_rows();

	t.team = num("INSERT INTO cobro.team (code, name) VALUES ('" TEAM "', 'Listener test') RETURNING id",
		     0, NULL);
	free_number(t.phone_a, sizeof t.phone_a);
	do
		free_number(t.phone_b, sizeof t.phone_b);
	while (strcmp(t.phone_a, t.phone_b) == 0);
	do
		free_number(t.stranger, sizeof t.stranger);
	while (strcmp(t.stranger, t.phone_a) == 0 || strcmp(t.stranger, t.phone_b) == 0);
	t.debtor_a = add_debtor("Prueba Listener Alfa");
	t.debtor_b = add_debtor("Prueba Listener Beta");
	snprintf(t.ids, sizeof t.ids, "{%lld,%lld}", t.debtor_a, t.debtor_b);
	t.account_a1 = add_account(t.debtor_a, 1);
	t.account_a2 = add_account(t.debtor_a, 2);
	t.account_b = add_account(t.debtor_b, 3);
	t.point_a = add_mobile(t.debtor_a, t.phone_a);
	t.point_b = add_mobile(t.debtor_b, t.phone_b);
	t.wa_b = add_whatsapp(t.debtor_b, t.phone_b);
	t.msg_delivered = add_sent(t.account_a1, t.debtor_a, t.point_a, t.phone_a);
	t.msg_failed = add_sent(t.account_a2, t.debtor_a, t.point_a, t.phone_a);
	t.msg_untouched = add_sent(t.account_b, t.debtor_b, t.point_b, t.phone_b);

	if (!db_connect(&daemon_db, "dbname=cobro", DAEMON_LOGIN, "test_listener")) {
		fprintf(stderr, "# cannot connect as " DAEMON_LOGIN ": %s\n", daemon_db.err);
		return -1;
	}
	if (!(lis = listener_start("127.0.0.1", 0, &daemon_db, err, sizeof err))) {
		fprintf(stderr, "# %s\n", err);
		return -1;
	}
	listener_gateways(lis, &gateways);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	listener_stop(lis);
	db_close(&daemon_db);
	remove_rows();
	db_close(&admin);
	curl_global_cleanup();
	log_close();
	return 0;
}

/* ------------------------------------------------------------------ tests */

static void health_and_routes(void **state)
{
	struct answer a;

	(void)state;
	a = http("GET", "/health");
	assert_int_equal(a.status, 200);
	assert_string_equal(a.body, "ok\n");
	assert_int_equal(http("HEAD", "/health").status, 200);
	assert_int_equal(http("POST", "/health").status, 405);
	assert_int_equal(http("POST", "/kannel/dlr").status, 405);
	assert_int_equal(http("PUT", "/kannel/mo").status, 405);
	assert_int_equal(http("HEAD", "/kannel/mo").status, 405);
	assert_int_equal(http("GET", "/").status, 404);
	assert_int_equal(http("GET", "/kannel/dlr/").status, 404);
	assert_int_equal(http("GET", "/kannel/sendsms?to=1").status, 404);
	/* Still answering after all that, on fresh connections. */
	assert_int_equal(http("GET", "/health").status, 200);
}

static void report_delivered(void **state)
{
	char s[64];
	struct answer a;

	(void)state;
	a = dlr(t.msg_delivered, "1", "ACK/");
	assert_int_equal(a.status, 200);
	assert_string_equal(a.body, "delivered\n");
	assert_string_equal(
	    text_id(s, sizeof s, "SELECT status FROM cobro.message WHERE id = $1", t.msg_delivered),
	    "delivered");
	assert_int_equal(
	    num_id("SELECT extract(epoch FROM delivered_at)::bigint FROM cobro.message WHERE id = $1",
		   t.msg_delivered),
	    atoll(TS));
	assert_int_equal(num_id("SELECT dlr_status FROM cobro.message WHERE id = $1", t.msg_delivered), 1);
	assert_int_equal(
	    num_id("SELECT count(*) FROM cobro.event WHERE message_id = $1 AND kind = 'delivery' "
		   "AND outcome = 'delivered'",
		   t.msg_delivered),
	    1);
}

static void late_submitted_keeps_delivered(void **state)
{
	char s[64];
	struct answer a;

	(void)state;
	a = dlr(t.msg_delivered, "8", "");
	assert_int_equal(a.status, 200);
	assert_string_equal(a.body, "ignored\n");
	/* And "delivered" once more, as Kannel may repeat itself. */
	assert_int_equal(dlr(t.msg_delivered, "1", "ACK/").status, 200);
	assert_string_equal(
	    text_id(s, sizeof s, "SELECT status FROM cobro.message WHERE id = $1", t.msg_delivered),
	    "delivered");
	assert_int_equal(num_id("SELECT dlr_status FROM cobro.message WHERE id = $1", t.msg_delivered), 1);
	assert_int_equal(
	    num_id("SELECT count(*) FROM cobro.event WHERE message_id = $1 AND kind = 'delivery'",
		   t.msg_delivered),
	    1);
}

static void report_failed(void **state)
{
	char s[512];
	struct answer a;

	(void)state;
	a = dlr(t.msg_failed, "2", "NACK/0x0000000b/Invalid Destination Address");
	assert_int_equal(a.status, 200);
	assert_string_equal(a.body, "failed\n");
	assert_string_equal(
	    text_id(s, sizeof s, "SELECT status FROM cobro.message WHERE id = $1", t.msg_failed), "failed");
	/* The operator's free text is the gateway's word, not ours: only the
	 * status code is kept, in the message and in the history. */
	assert_string_equal(text_id(s, sizeof s, "SELECT error FROM cobro.message WHERE id = $1", t.msg_failed),
			    "the operator reported status 2");
	assert_int_equal(num_id("SELECT count(*) FROM cobro.event WHERE message_id = $1 AND "
				"(body IS NOT NULL OR data::text LIKE '%NACK%')",
				t.msg_failed),
			 0);
	assert_int_equal(
	    num_id("SELECT extract(epoch FROM failed_at)::bigint FROM cobro.message WHERE id = $1",
		   t.msg_failed),
	    atoll(TS));
	assert_int_equal(
	    num_id("SELECT count(*) FROM cobro.event WHERE message_id = $1 AND kind = 'delivery' "
		   "AND outcome = 'failed'",
		   t.msg_failed),
	    1);
	/* An operator's answer that is not UTF-8 is mended, not refused. */
	assert_int_equal(dlr(t.msg_failed, "16", "rejected \xff\xfe").status, 200);
}

static void report_for_no_message(void **state)
{
	long long before = num("SELECT count(*) FROM cobro.event WHERE kind = 'delivery'", 0, NULL);
	long long missing = num("SELECT coalesce(max(id), 0) + 1000000 FROM cobro.message", 0, NULL);
	unsigned long unknown = listener_stats(lis)->unknown;

	(void)state;
	assert_int_equal(dlr(missing, "1", "ACK/").status, 404);
	assert_int_equal(num("SELECT count(*) FROM cobro.event WHERE kind = 'delivery'", 0, NULL), before);
	assert_int_equal(num_id("SELECT count(*) FROM cobro.message WHERE id = $1", missing), 0);
	assert_int_equal(listener_stats(lis)->unknown, unknown + 1);
}

static void garbage_reports(void **state)
{
	char id[24], s[64];

	(void)state;
	snprintf(id, sizeof id, "%lld", t.msg_untouched);
	assert_int_equal(dlr(t.msg_untouched, "abc", "x").status, 400);
	assert_int_equal(dlr(t.msg_untouched, "", "x").status, 400);
	assert_int_equal(dlr(t.msg_untouched, "-1", "x").status, 400);
	assert_int_equal(dlr(t.msg_untouched, "1.0", "x").status, 400);
	assert_int_equal(dlr(t.msg_untouched, "99999", "x").status, 400);
	assert_int_equal(dlr(0, "1", "x").status, 400);
	assert_int_equal(dlr(-5, "1", "x").status, 400);
	assert_int_equal(get("/kannel/dlr", "status", "1", END).status, 400);
	assert_int_equal(get("/kannel/dlr", "id", "12abc", "status", "1", END).status, 400);
	assert_int_equal(get("/kannel/dlr", "id", " 1", "status", "1", END).status, 400);
	assert_int_equal(get("/kannel/dlr", "id", "99999999999999999999", "status", "1", END).status, 400);
	assert_int_equal(get("/kannel/dlr", "id", id, "status", "1", "ts", "yesterday", END).status, 400);
	assert_int_equal(get("/kannel/dlr", "id", id, "status", "1", "ts", "-3", END).status, 400);
	assert_int_equal(http("GET", "/kannel/dlr?id&status").status, 400);
	/* None of it touched the message. */
	assert_string_equal(
	    text_id(s, sizeof s, "SELECT status FROM cobro.message WHERE id = $1", t.msg_untouched), "sent");
	assert_string_equal(text_id(s, sizeof s,
				    "SELECT coalesce(dlr_status::text, 'none') FROM cobro.message "
				    "WHERE id = $1",
				    t.msg_untouched),
			    "none");
	assert_int_equal(num_id("SELECT count(*) FROM cobro.event WHERE message_id = $1", t.msg_untouched),
			 0);
	/* Without ts the report counts from now: an intermediate one is kept. */
	assert_int_equal(get("/kannel/dlr", "id", id, "status", "4", END).status, 200);
	assert_int_equal(num_id("SELECT dlr_status FROM cobro.message WHERE id = $1", t.msg_untouched), 4);
}

static void reply_from_the_debtor(void **state)
{
	static const char text[] = "Pago el lunes, se\xc3\xb1orita. Gracias \xf0\x9f\x99\x8f";
	struct answer a;
	char s[256];

	(void)state;
	/* As an SMSC may write it: no "+". */
	a = mo("reply", t.phone_a + 1, text);
	assert_int_equal(a.status, 200);
	assert_string_equal(a.body, "");
	/* One event for the debtor, though they have two accounts (issue 15,
	 * line 7): on the debtor, which both accounts' histories show. */
	assert_int_equal(num("SELECT count(*) FROM cobro.event WHERE debtor_id = ANY ($1::bigint[]) "
			     "AND kind = 'sms' AND direction = 'in'",
			     1, (const char *const[]){t.ids}),
			 1);
	assert_int_equal(num_id("SELECT count(*) FROM cobro.event WHERE debtor_id = $1 AND account_id IS NULL "
				"AND kind = 'sms' AND direction = 'in'",
				t.debtor_a),
			 1);
	assert_string_equal(text_id(s, sizeof s,
				    "SELECT body FROM cobro.event WHERE debtor_id = $1 AND kind = 'sms' "
				    "AND direction = 'in'",
				    t.debtor_a),
			    text);
	assert_string_equal(text_id(s, sizeof s,
				    "SELECT data->>'from' FROM cobro.event WHERE debtor_id = $1 "
				    "AND kind = 'sms' AND direction = 'in'",
				    t.debtor_a),
			    t.phone_a);
	assert_int_equal(
	    num_id("SELECT count(*) FROM cobro.account WHERE debtor_id = $1 AND replied_at IS NOT NULL",
		   t.debtor_a),
	    2);
	/* A reply is no opt-out. */
	assert_int_equal(
	    num_id("SELECT count(*) FROM cobro.event WHERE debtor_id = $1 AND kind = 'optout'", t.debtor_a),
	    0);
	assert_string_equal(
	    text_id(s, sizeof s, "SELECT opted_out::text FROM cobro.contact_point WHERE id = $1", t.point_a),
	    "{}");
	/* Nor is a sentence with "stop" in it that Kannel sent as a reply. */
	assert_int_equal(mo("reply", t.phone_a, "please stop calling me at work, I will pay friday").status,
			 200);
	assert_string_equal(
	    text_id(s, sizeof s, "SELECT opted_out::text FROM cobro.contact_point WHERE id = $1", t.point_a),
	    "{}");
	assert_int_equal(listener_stats(lis)->optouts, 0);
}

static void baja_opts_out(void **state)
{
	char s[256];
	/* Counted as after, by action: the point's own INSERT is audited too. */
	long long audits =
	    num_id("SELECT count(*) FROM cobro.audit WHERE tbl = 'contact_point' AND row_id = $1 "
		   "AND action = 'UPDATE' AND new->'opted_out' ? 'sms'",
		   t.point_b);

	(void)state;
	/* kind=reply: the listener reads the keyword itself. */
	assert_int_equal(mo("reply", t.phone_b, "Baja.").status, 200);
	assert_string_equal(
	    text_id(s, sizeof s, "SELECT opted_out::text FROM cobro.contact_point WHERE id = $1", t.point_b),
	    "{sms}");
	assert_int_equal(
	    num_id("SELECT count(*) FROM cobro.contact_point WHERE id = $1 AND opted_out_at IS NOT NULL",
		   t.point_b),
	    1);
	assert_int_equal(num_id("SELECT count(*) FROM cobro.event WHERE account_id = $1 AND kind = 'optout' "
				"AND outcome = 'sms'",
				t.account_b),
			 1);
	assert_int_equal(
	    num_id("SELECT count(*) FROM cobro.audit WHERE tbl = 'contact_point' AND row_id = $1 "
		   "AND action = 'UPDATE' AND new->'opted_out' ? 'sms'",
		   t.point_b),
	    audits + 1);
	/* The number is debtor b's WhatsApp too: one BAJA is still one
	 * reply and one optout event, and the WhatsApp point is opted out of
	 * SMS as well (issue 15, line 7). */
	assert_int_equal(num_id("SELECT count(*) FROM cobro.event WHERE account_id = $1 AND kind = 'sms' "
				"AND direction = 'in'",
				t.account_b),
			 1);
	assert_string_equal(
	    text_id(s, sizeof s, "SELECT opted_out::text FROM cobro.contact_point WHERE id = $1", t.wa_b), "{sms}");
	assert_int_equal(num_id("SELECT jsonb_array_length(data->'contact_points') FROM cobro.event "
				"WHERE account_id = $1 AND kind = 'optout'",
				t.account_b),
			 2);
	assert_int_equal(listener_stats(lis)->optouts, 1);
	/* Kannel's stop service matched a first word; the text is not an
	 * opt-out by cobrod's reading, and the number is opted out already:
	 * no second optout event. */
	assert_int_equal(mo("stop", t.phone_b, "STOP por favor").status, 200);
	assert_int_equal(
	    num_id("SELECT count(*) FROM cobro.event WHERE account_id = $1 AND kind = 'optout'", t.account_b),
	    1);
	assert_int_equal(num_id("SELECT count(*) FROM cobro.event WHERE account_id = $1 AND kind = 'sms' "
				"AND direction = 'in'",
				t.account_b),
			 2);
}

static void stranger_is_accepted_and_forgotten(void **state)
{
	const char *p[1] = {t.stranger};
	unsigned long unknown = listener_stats(lis)->unknown;
	struct answer a;

	(void)state;
	a = mo("reply", t.stranger, "hola, quien es?");
	assert_int_equal(a.status, 200);
	assert_int_equal(mo("stop", t.stranger, "STOP").status, 200);
	assert_int_equal(
	    num("SELECT count(*) FROM cobro.event WHERE data->>'from' = $1 OR data->>'value' = $1", 1, p), 0);
	assert_int_equal(listener_stats(lis)->unknown, unknown + 2);
}

static void garbage_texts(void **state)
{
	long long before = num("SELECT count(*) FROM cobro.event WHERE debtor_id = ANY ($1::bigint[])", 1,
			       (const char *const[]){t.ids});

	(void)state;
	assert_int_equal(mo("reply", "BANCO", "hola").status, 400);
	assert_int_equal(mo("reply", "12345", "hola").status, 400);
	assert_int_equal(mo("reply", NULL, "hola").status, 400);
	assert_int_equal(mo("reply", t.phone_a, "caf\xe9").status, 400); /* Latin-1 */
	assert_int_equal(mo("reply", t.phone_a, NULL).status, 400);
	assert_int_equal(get("/kannel/mo", "from", t.phone_a, "text", "hola", "ts", "soon", END).status, 400);
	assert_int_equal(get("/kannel/mo", "from", t.phone_a, "text", "hola", "coding", "7", END).status,
			 400);
	assert_int_equal(get("/kannel/mo", "from", t.phone_a, "to", "\xff", "text", "hola", END).status, 400);
	/* A NUL inside the text. */
	{
		char path[256];

		snprintf(path, sizeof path, "/kannel/mo?from=%%2B%s&text=ho%%00la", t.phone_a + 1);
		assert_int_equal(http("GET", path).status, 400);
	}
	/* Larger than a connection may hold: refused by libmicrohttpd itself. */
	{
		char *big = xmalloc(40000);
		long status;

		memcpy(big, "/kannel/mo?text=", 16);
		memset(big + 16, 'a', 40000 - 17);
		big[40000 - 1] = '\0';
		status = http("GET", big).status;
		free(big);
		assert_true(status >= 400 && status < 500);
		assert_int_equal(http("GET", "/health").status, 200);
	}
	/* Binary (coding 1) is accepted and not recorded. */
	assert_int_equal(get("/kannel/mo", "from", t.phone_a, "text", "\x01\x02", "coding", "1", END).status,
			 200);
	assert_int_equal(num("SELECT count(*) FROM cobro.event WHERE debtor_id = ANY ($1::bigint[])", 1,
			     (const char *const[]){t.ids}),
			 before);
}

static void ucs2_text(void **state)
{
	char path[256], s[64];

	(void)state;
	/* "Sí" as UTF-16BE, as smsbox sends it without mo-recode. */
	snprintf(path, sizeof path, "/kannel/mo?kind=reply&from=%%2B%s&text=%%00S%%00%%ED&coding=2&ts=" TS,
		 t.phone_b + 1);
	assert_int_equal(http("GET", path).status, 200);
	assert_string_equal(text_id(s, sizeof s,
				    "SELECT body FROM cobro.event WHERE account_id = $1 AND kind = 'sms' "
				    "AND direction = 'in' ORDER BY id DESC LIMIT 1",
				    t.account_b),
			    "S\xc3\xad");
}

/* A listener of its own on db (cobrod hands the listener the one connection
 * it keeps, PQreset() in place), which http() talks to until it is put back. */
static struct listener *listen_on(struct db *db)
{
	struct listener *was = lis;
	char err[256];

	if (!(lis = listener_start("127.0.0.1", 0, db, err, sizeof err)))
		fail_msg("listener: %s", err);
	listener_gateways(lis, &gateways);
	return was;
}

static void put_back(struct listener *was)
{
	listener_stop(lis);
	lis = was;
}

static void database_trouble_is_503(void **state)
{
	struct db dead, ana;
	struct listener *was;
	char pid[16];
	unsigned long unavailable = listener_stats(lis)->unavailable;

	(void)state;
	/* No connection at all. */
	was = listen_on(NULL);
	assert_int_equal(dlr(t.msg_delivered, "1", "ACK/").status, 503);
	assert_int_equal(mo("reply", t.phone_a, "hola").status, 503);
	assert_int_equal(http("GET", "/health").status, 200);
	assert_int_equal(listener_stats(lis)->unavailable, 2);
	put_back(was);

	/* A connection the server ended under us. */
	if (!db_connect(&dead, "dbname=cobro", DAEMON_LOGIN, "test_listener_dead"))
		fail_msg("connect: %s", dead.err);
	snprintf(pid, sizeof pid, "%d", PQbackendPID(dead.conn));
	PQclear(query(&admin, "SELECT pg_terminate_backend($1::int, 5000)", 1, (const char *const[]){pid}));
	was = listen_on(&dead);
	assert_int_equal(dlr(t.msg_delivered, "1", "ACK/").status, 503);
	assert_int_equal(dlr(t.msg_delivered, "1", "ACK/").status, 503);
	assert_int_equal(listener_stats(lis)->unavailable, 2);
	put_back(was);
	db_close(&dead);

	/* A login that may not record reports (a collector). */
	if (!db_connect(&ana, "dbname=cobro", "ana", "test_listener"))
		fail_msg("connect as ana: %s", ana.err);
	was = listen_on(&ana);
	assert_int_equal(dlr(t.msg_delivered, "1", "ACK/").status, 503);
	assert_int_equal(listener_stats(lis)->unavailable, 1);
	put_back(was);
	db_close(&ana);

	/* A connection in the middle of somebody's transaction is not used. */
	assert_true(db_cmd(&daemon_db, "BEGIN"));
	assert_int_equal(dlr(t.msg_delivered, "1", "ACK/").status, 503);
	assert_true(db_cmd(&daemon_db, "ROLLBACK"));

	assert_int_equal(listener_stats(lis)->unavailable, unavailable + 1);
	/* Back on the good connection, all is well again. */
	assert_int_equal(dlr(t.msg_delivered, "1", "ACK/").status, 200);
}

/* smsbox tries a get-url again when it got no answer: the same text, with
 * the same id, changes nothing the second time, and is answered 200 so that
 * the retries stop. A new id is a new text; an id that is no id is refused. */
static void retried_text_is_recorded_once(void **state)
{
	static const char text[] = "Ya pagu\xc3\xa9 ayer";
	const char *p[1] = {t.ids};
	unsigned long repeated = listener_stats(lis)->repeated, inbound = listener_stats(lis)->inbound;
	char id[64], long_id[128];
	long long before;

	(void)state;
	snprintf(id, sizeof id, "%s", next_id());
	before = num("SELECT count(*) FROM cobro.event WHERE debtor_id = ANY ($1::bigint[]) AND body = 'Ya pagu\xc3\xa9 ayer'",
		     1, p);
	for (int i = 0; i < 3; i++)
		assert_int_equal(get("/kannel/mo", "kind", "reply", "from", t.phone_b, "to", "12345", "text", text,
				     "coding", "0", "ts", TS, "id", id, END)
				     .status,
				 200);
	/* Debtor b has one account: one event, once. */
	assert_int_equal(num("SELECT count(*) FROM cobro.event WHERE debtor_id = ANY ($1::bigint[]) "
			     "AND body = 'Ya pagu\xc3\xa9 ayer'",
			     1, p),
			 before + 1);
	assert_int_equal(listener_stats(lis)->repeated, repeated + 2);
	assert_int_equal(listener_stats(lis)->inbound, inbound + 1);
	/* The same words under a new id are a new text. */
	assert_int_equal(mo("reply", t.phone_b, text).status, 200);
	assert_int_equal(num("SELECT count(*) FROM cobro.event WHERE debtor_id = ANY ($1::bigint[]) "
			     "AND body = 'Ya pagu\xc3\xa9 ayer'",
			     1, p),
			 before + 2);
	/* Spaces, control characters or more than 100 characters: no id. */
	memset(long_id, 'x', 101);
	long_id[101] = '\0';
	assert_int_equal(get("/kannel/mo", "from", t.phone_b, "text", text, "id", "a b", END).status, 400);
	assert_int_equal(get("/kannel/mo", "from", t.phone_b, "text", text, "id", "a\tb", END).status, 400);
	assert_int_equal(get("/kannel/mo", "from", t.phone_b, "text", text, "id", long_id, END).status, 400);
	assert_int_equal(num("SELECT count(*) FROM cobro.event WHERE debtor_id = ANY ($1::bigint[]) "
			     "AND body = 'Ya pagu\xc3\xa9 ayer'",
			     1, p),
			 before + 2);
}

/* Without the gateway's key nothing is believed: a DLR changes no message,
 * a text reaches no history and opts nobody out. */
static void no_key_no_hearing(void **state)
{
	char id[24], s[64];
	long long events = num("SELECT count(*) FROM cobro.event WHERE debtor_id = ANY ($1::bigint[])", 1,
			       (const char *const[]){t.ids});
	unsigned long requests = listener_stats(lis)->requests;
	struct answer a;

	(void)state;
	snprintf(id, sizeof id, "%lld", t.msg_untouched);
	for (int i = 0; i < 4; i++) {
		/* none, empty, wrong, and the right one with a byte more */
		key = i == 0 ? NULL : i == 1 ? "" : i == 2 ? "test-listener-gateway-0123456788" : SECRET "x";
		a = get("/kannel/dlr", "id", id, "status", "1", "ts", TS, END);
		assert_int_equal(a.status, 403);
		assert_int_equal(mo("stop", t.phone_a, "STOP").status, 403);
		assert_int_equal(mo("reply", t.phone_a, "Ya pagu\xc3\xa9, no llamen m\xc3\xa1s").status, 403);
	}
	/* key= given twice: the first one counts. */
	key = NULL;
	assert_int_equal(http("GET", "/kannel/mo?key=nope&key=" SECRET "&from=%2B1&text=STOP").status, 403);
	key = SECRET;
	assert_string_equal(
	    text_id(s, sizeof s, "SELECT status FROM cobro.message WHERE id = $1", t.msg_untouched), "sent");
	assert_int_equal(num("SELECT count(*) FROM cobro.event WHERE debtor_id = ANY ($1::bigint[])", 1,
			     (const char *const[]){t.ids}),
			 events);
	assert_string_equal(
	    text_id(s, sizeof s, "SELECT opted_out::text FROM cobro.contact_point WHERE id = $1", t.point_a), "{}");
	assert_int_equal(listener_stats(lis)->requests, requests + 13);
	/* A listener told of no gateway hears none. */
	listener_gateways(lis, &(struct cobrod_conf){0});
	assert_int_equal(get("/kannel/dlr", "id", id, "status", "1", END).status, 403);
	listener_gateways(lis, &gateways);
	assert_int_equal(http("GET", "/health").status, 200);
}

/* kind=stop is a word of the caller's: only the text makes an opt-out. */
static void kind_stop_is_not_an_opt_out(void **state)
{
	char s[64];

	(void)state;
	assert_int_equal(mo("stop", t.phone_a, "hola, cuanto debo?").status, 200);
	assert_string_equal(
	    text_id(s, sizeof s, "SELECT opted_out::text FROM cobro.contact_point WHERE id = $1", t.point_a), "{}");
	assert_int_equal(
	    num_id("SELECT count(*) FROM cobro.event WHERE debtor_id = $1 AND kind = 'optout'", t.debtor_a), 0);
}

/* A report is taken only for a message this gateway was given: an SMS being
 * sent or sent, not one still queued, not an email. */
static void report_only_for_what_the_gateway_has(void **state)
{
	char s[64], a[24], d[24], p[24];
	long long queued, email;

	(void)state;
	snprintf(a, sizeof a, "%lld", t.account_b);
	snprintf(d, sizeof d, "%lld", t.debtor_b);
	snprintf(p, sizeof p, "%lld", t.point_b);
	queued = num("INSERT INTO cobro.message (account_id, debtor_id, contact_point_id, channel, recipient, body) "
		     "VALUES ($1, $2, $3, 'sms', $4, 'En cola') RETURNING id",
		     4, (const char *const[]){a, d, p, t.phone_b});
	email = num("INSERT INTO cobro.message (account_id, debtor_id, channel, recipient, subject, body, status, "
		    "attempts, sent_at) VALUES ($1, $2, 'email', 'beta@example.com', 'Aviso', 'Hola', 'sent', 1, now()) "
		    "RETURNING id",
		    2, (const char *const[]){a, d});
	assert_int_equal(dlr(queued, "1", "").status, 409);
	assert_int_equal(dlr(queued, "2", "").status, 409);
	assert_int_equal(dlr(email, "2", "hacked").status, 409);
	assert_int_equal(dlr(email, "1", "").status, 409);
	assert_string_equal(text_id(s, sizeof s, "SELECT status FROM cobro.message WHERE id = $1", queued), "queued");
	assert_string_equal(text_id(s, sizeof s, "SELECT status FROM cobro.message WHERE id = $1", email), "sent");
	assert_int_equal(num_id("SELECT count(*) FROM cobro.event WHERE message_id = $1", queued), 0);
	assert_int_equal(num_id("SELECT count(*) FROM cobro.event WHERE message_id = $1", email), 0);
	assert_int_equal(num_id("SELECT count(*) FROM cobro.message WHERE id = $1 AND dlr_status IS NULL", queued), 1);
}

static void counters(void **state)
{
	const struct listener_stats *s = listener_stats(lis);

	(void)state;
	assert_true(s->requests > 40);
	assert_true(s->dlr >= 5);
	assert_int_equal(s->inbound, 8);
	assert_int_equal(s->optouts, 1);
	assert_true(s->rejected >= 20);
	assert_true(listener_timeout_ms(lis) >= -1);
}

static void second_listener_on_a_taken_port(void **state)
{
	char err[256], addr[32];
	struct listener *other;

	(void)state;
	assert_null(listener_start("127.0.0.1", listener_port(lis), &daemon_db, err, sizeof err));
	assert_non_null(strstr(err, "cannot listen on 127.0.0.1"));
	assert_null(listener_start("127.0.0.1", 70000, &daemon_db, err, sizeof err));
	/* IPv6 loopback, when the machine has it. */
	if ((other = listener_start("::1", 0, &daemon_db, err, sizeof err))) {
		assert_true(listener_port(other) > 0);
		listener_stop(other);
	}
	snprintf(addr, sizeof addr, "%s", "127.0.0.1");
	other = listener_start(addr, 0, NULL, err, sizeof err);
	assert_non_null(other);
	assert_true(listener_fd(other) >= 0);
	listener_stop(other);
	listener_stop(NULL);
}

/* n delivery reports sent together, as Kannel sends them (up to its
 * max-pending-requests at once), each on a connection of its own: their
 * answers in out. */
static void dlr_together(const long long *ids, const char *const *statuses, int n, struct answer *out)
{
	CURLM *multi = curl_multi_init();
	CURL *e[16];
	char url[512];
	int running = 1;
	time_t deadline = time(NULL) + 15;

	assert_true(n <= (int)ARRAY_SIZE(e));
	for (int i = 0; i < n; i++) {
		memset(&out[i], 0, sizeof out[i]);
		snprintf(url, sizeof url, "http://127.0.0.1:%d/kannel/dlr?key=%s&id=%lld&status=%s&ts=%s",
			 listener_port(lis), key, ids[i], statuses[i], TS);
		e[i] = curl_easy_init();
		curl_easy_setopt(e[i], CURLOPT_URL, url);
		curl_easy_setopt(e[i], CURLOPT_WRITEFUNCTION, keep_body);
		curl_easy_setopt(e[i], CURLOPT_WRITEDATA, &out[i]);
		curl_easy_setopt(e[i], CURLOPT_TIMEOUT, 10L);
		curl_multi_add_handle(multi, e[i]);
	}
	pump(multi, running, deadline);
	for (int i = 0; i < n; i++) {
		curl_easy_getinfo(e[i], CURLINFO_RESPONSE_CODE, &out[i].status);
		curl_multi_remove_handle(multi, e[i]);
		curl_easy_cleanup(e[i]);
	}
	curl_multi_cleanup(multi);
}

/* With a connection of their own (as cobrod runs it), reports are written
 * without the listener waiting, and each still gets the answer
 * message_dlr() would have given it, in a batch too: a message's
 * intermediate and final reports together, a repeat of the final one, a
 * report for no message. Last: the listener keeps that connection. */
static void reports_on_their_own_connection(void **state)
{
	long long one = add_sent(t.account_b, t.debtor_b, t.point_b, t.phone_b),
		  two = add_sent(t.account_b, t.debtor_b, t.point_b, t.phone_b);
	long long ids[5] = {one, two, one, two, 999999999999LL};
	const char *statuses[5] = {"8", "1", "1", "16", "1"};
	struct answer a[5];
	char s[64], err[512];
	unsigned long requests = listener_stats(lis)->requests;
	int delivered = 0, failed = 0;

	(void)state;
	assert_true(listener_dlr_db(lis, "dbname=cobro", DAEMON_LOGIN, err, sizeof err));
	assert_int_equal(listener_db_fd(lis), -1); /* nothing being written */
	a[0] = dlr(one, "8", "");
	assert_int_equal(a[0].status, 200);
	assert_string_equal(a[0].body, "ignored\n");
	assert_int_equal(num_id("SELECT dlr_status FROM cobro.message WHERE id = $1", one), 8);

	dlr_together(ids, statuses, 5, a);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(a[i].status, 200);
		delivered += strcmp(a[i].body, "delivered\n") == 0;
		failed += strcmp(a[i].body, "failed\n") == 0;
	}
	assert_int_equal(a[4].status, 404);
	/* Whichever of two's reports came first is its final word; one's
	 * "1" delivers it. */
	assert_int_equal(delivered + failed, 2);
	assert_string_equal(text_id(s, sizeof s, "SELECT status FROM cobro.message WHERE id = $1", one), "delivered");
	assert_int_equal(num_id("SELECT count(*) FROM cobro.event WHERE message_id = $1 AND kind = 'delivery'", one), 1);
	assert_int_equal(num_id("SELECT count(*) FROM cobro.event WHERE message_id = $1 AND kind = 'delivery'", two), 1);

	/* A repeat, after the final word: ignored, nothing written. */
	a[0] = dlr(one, "1", "");
	assert_int_equal(a[0].status, 200);
	assert_string_equal(a[0].body, "ignored\n");
	assert_int_equal(num_id("SELECT count(*) FROM cobro.event WHERE message_id = $1 AND kind = 'delivery'", one), 1);
	assert_int_equal(listener_stats(lis)->requests, requests + 7);
}

int main(void)
{
	/* In this order: later tests count what earlier ones did. */
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(health_and_routes),
	    cmocka_unit_test(report_delivered),
	    cmocka_unit_test(late_submitted_keeps_delivered),
	    cmocka_unit_test(report_failed),
	    cmocka_unit_test(report_for_no_message),
	    cmocka_unit_test(garbage_reports),
	    cmocka_unit_test(reply_from_the_debtor),
	    cmocka_unit_test(baja_opts_out),
	    cmocka_unit_test(stranger_is_accepted_and_forgotten),
	    cmocka_unit_test(garbage_texts),
	    cmocka_unit_test(ucs2_text),
	    cmocka_unit_test(database_trouble_is_503),
	    cmocka_unit_test(retried_text_is_recorded_once),
	    cmocka_unit_test(no_key_no_hearing),
	    cmocka_unit_test(kind_stop_is_not_an_opt_out),
	    cmocka_unit_test(report_only_for_what_the_gateway_has),
	    cmocka_unit_test(counters),
	    cmocka_unit_test(second_listener_on_a_taken_port),
	    cmocka_unit_test(reports_on_their_own_connection),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
