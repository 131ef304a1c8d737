/* The listener: libmicrohttpd without threads of its own (external epoll
 * mode), so that a request is handled inside listener_run, on cobrod's one
 * connection, between the loop's other steps. Every GET we serve says it all
 * in its query; it is answered in libmicrohttpd's second call, once the
 * (empty) body is in, so that the connection is kept for the next request
 * (on_request), and a POST (the WhatsApp webhook) in its last.
 *
 * Logs: a sender's number is masked above debug level (logs are kept longer
 * and read by more people than the database, where the full number is; the
 * country and last four digits are enough to find the event). A text's words
 * only ever go to debug. */
#include "listener.h"

#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <time.h>

#include <microhttpd.h>

#include "cleaning.h"
#include "http.h"
#include "inbound.h"
#include "text.h"
#include "audit.h"
#include "log.h"
#include "phone.h"
#include "util.h"
#include "wa_hook.h"

/* Kannel's smsbox keeps up to max-pending-requests (128 in
 * scripts/services.sh) keep-alive connections open to us. One address may
 * hold PER_IP_LIMIT at once, so that a client holding connections open
 * cannot take them all: the total has room for several such addresses, and
 * health checks and gateways elsewhere are still answered. */
#define CONNECTION_LIMIT 1024
#define PER_IP_LIMIT 128
/* A connection that sends nothing for this many seconds is closed: one
 * that never completes its request line and headers, and an idle
 * keep-alive (Kannel opens another when it needs one). */
#define CONNECTION_TIMEOUT 5
/* A request's line and headers must be complete within this many seconds of
 * the connection's start, or of the previous request's end: a client
 * trickling a byte now and then is cut off, however active it looks. */
#define HEADER_DEADLINE 10
/* At most one line per this many seconds about refused requests. */
#define REFUSED_LOG_EVERY 10
/* Request line and headers: a long concatenated reply, percent-encoded, fits
 * easily; a larger request gets 414/431 from libmicrohttpd. */
#define CONNECTION_MEMORY (32 * 1024)
/* Delivery reports are recorded together (dlr_flush): when DLR_BATCH wait,
 * or DLR_WAIT_MS after the first came. Kannel keeps up to its
 * max-pending-requests open at once; a short wait makes the batches large
 * and costs a report no more than that wait. */
#define DLR_BATCH 128
#define DLR_WAIT_MS 20
/* Serialization failures and deadlocks: run the statement again at once. */
#define DB_TRIES 3
/* Kannel's %T; anything past year 9999 is garbage. */
#define TS_MAX 253402300799LL

/* A gateway that may call us: the transport's name, the secret its calls
 * carry as key=, the channel its delivery reports are for. */
struct gateway {
	char *name;
	char *secret;
	const char *channel; /* "sms" or "whatsapp", or NULL: it sends on no channel now */
	bool whatsapp;       /* a WhatsApp Cloud API transport: its webhook is /whatsapp */
	char *phone_number_id; /* the WhatsApp number it sends from */
};

struct reply {
	unsigned int status;
	const char *body;
};

/* One request, from its target (on_uri) to its end (on_completed): the raw
 * target, and a POST's body as it arrives. */
struct request {
	char *target;
	struct buf body;
	bool headers_seen;   /* the first call, the headers alone, came */
	bool too_big; /* more than WA_HOOK_MAX_BODY came: answered 413 */
	bool answered;       /* a parked delivery report, recorded: answer is its reply */
	struct reply answer;
};

/* A delivery report waiting, its connection suspended, for dlr_flush: the
 * values checked and copied (a reload may free the gateway meanwhile). */
struct parked {
	struct MHD_Connection *conn;
	struct request *req;
	char id[24], status[8], ts[24]; /* ts "": the database's now */
	char gateway[128];
	char channel[16];
	bool has_channel; /* the gateway sends on a channel now */
};

/* One connection, from libmicrohttpd's start to its close (its socket
 * context), for HEADER_DEADLINE. */
struct conn {
	struct conn *prev, *next;
	int fd;
	bool in_request; /* its headers came: the handler has it */
	time_t waiting;  /* since when its next request's headers are awaited */
};

struct listener {
	struct MHD_Daemon *mhd;
	struct conn *conns; /* every open connection */
	struct db *db;
	struct gateway *gateways;
	int ngateways;
	time_t refused_said;     /* when the last line about refused requests was logged */
	unsigned long refused_unsaid; /* refused since */
	int fd;
	int port;
	bool db_failing;   /* the last statement failed: say so once, not per request */
	struct parked *parked; /* delivery reports waiting for dlr_flush */
	int nparked, parked_cap;
	double parked_since;   /* when the first of them came (mono_ms) */
	/* The reports' own connection (listener_dlr_db): their statement is
	 * sent without waiting, and its answer read when it comes, while the
	 * loop sends. Without it (tests), they go through db, waited for. */
	struct db *wdb;
	struct parked *writing; /* the batch whose statement runs on wdb */
	int nwriting, writing_cap;
	int write_tries;        /* times that batch was sent (deadlocks) */
	double wdb_retry;       /* when to try reconnecting wdb again (mono_ms) */
	bool wdb_on_record;     /* its session's login is in the audit chain */
	char mhd_err[256]; /* libmicrohttpd's last message, for listener_start's err */
	struct listener_stats stats;
};

static const struct reply bad_request = {MHD_HTTP_BAD_REQUEST, "bad request\n"},
			  unavailable = {MHD_HTTP_SERVICE_UNAVAILABLE, "try again later\n"},
			  parked_reply = {0, NULL}; /* no answer yet: on_dlr parked it */

static void count_reply(struct listener *l, const char *method, const char *path, struct reply rep);

__attribute__((format(printf, 2, 0))) static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct listener *l = cls;

	vsnprintf(l->mhd_err, sizeof l->mhd_err, fmt, ap);
	l->mhd_err[strcspn(l->mhd_err, "\n")] = '\0';
	log_warning("http: %s", l->mhd_err);
}

static double mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000 + (double)ts.tv_nsec / 1e6;
}

/* A query parameter: NULL when absent or given without "=". *len gets its
 * length, which may pass a NUL ("%00") that strlen would stop at. */
static const char *param(const struct http_request *req, const char *key, size_t *len)
{
	return http_param(req, key, len);
}

/* Digits only, within [min, max]: a sign, spaces or a fraction are garbage. */
static bool parse_int(const char *s, long long min, long long max, long long *out)
{
	long long v;

	if (!s || !*s || s[strspn(s, "0123456789")] != '\0')
		return false;
	errno = 0;
	v = strtoll(s, NULL, 10);
	if (errno || v < min || v > max)
		return false;
	*out = v;
	return true;
}

/* ts as the statement's parameter: NULL (the database's now) when absent or
 * 0, which Kannel writes when it does not know. False when garbage. */
static bool parse_ts(const char *s, char *out, size_t outlen, const char **param_out)
{
	long long ts;

	*param_out = NULL;
	if (!s || !*s)
		return true;
	if (!parse_int(s, 0, TS_MAX, &ts))
		return false;
	if (ts) {
		snprintf(out, outlen, "%lld", ts);
		*param_out = out;
	}
	return true;
}

/* Runs one of our one-value statements. NULL when the database cannot answer:
 * *bad_input tells a value it refused (22xxx: never going to work, so 400)
 * from a failure that may pass (503). The listener does not reconnect: cobrod
 * owns the connection and resets it in place (notify_reconnect()). */
static PGresult *call_rows_on(struct listener *l, struct db *db, const char *what, const char *sql, int n,
			      const char *const *p, int rows, bool *bad_input)
{
	const char *why = NULL;
	PGresult *r = NULL;

	*bad_input = false;
	if (!db || !db->conn || PQstatus(db->conn) != CONNECTION_OK)
		why = "no database connection";
	else if (PQtransactionStatus(db->conn) != PQTRANS_IDLE)
		/* Another step of cobrod's left a transaction open or a query
		 * running; writing into it would commit or lose with it. */
		why = "the database connection is busy with another transaction";
	for (int i = 0; !why && i < DB_TRIES; i++) {
		if ((r = db_exec(db, sql, n, p)))
			break;
		if (db_classify(db->sqlstate) != DB_RETRY)
			break;
	}
	if (!why && r && (PQntuples(r) != rows || PQnfields(r) != 1)) {
		PQclear(r);
		r = NULL;
		why = "the database gave no answer";
	}
	for (int i = 0; !why && r && i < rows; i++)
		if (PQgetisnull(r, i, 0)) {
			PQclear(r);
			r = NULL;
			why = "the database gave no answer";
		}
	if (r) {
		if (l->db_failing)
			log_info("%s: the database answers again", what);
		l->db_failing = false;
		return r;
	}
	if (!why && strncmp(db->sqlstate, "22", 2) == 0) {
		*bad_input = true;
		log_warning("%s refused by the database: %s", what, db->err);
		return NULL;
	}
	if (!why)
		why = db->err;
	if (!l->db_failing)
		log_error("%s: %s (answering 503 until it works again)", what, why);
	else
		log_debug("%s: %s", what, why);
	l->db_failing = true;
	return NULL;
}

static PGresult *call_rows(struct listener *l, const char *what, const char *sql, int n, const char *const *p,
			   int rows, bool *bad_input)
{
	return call_rows_on(l, l->db, what, sql, n, p, rows, bad_input);
}

static PGresult *call(struct listener *l, const char *what, const char *sql, int n, const char *const *p,
		      bool *bad_input)
{
	return call_rows(l, what, sql, n, p, 1, bad_input);
}

/* The answer to a delivery report, from message_dlr()'s verdict. */
static struct reply dlr_reply(struct listener *l, const char *gateway, const char *id, const char *status,
			      const char *verdict)
{
	/* The body is the verdict, so a person with curl sees what happened. */
	if (strcmp(verdict, "unknown") == 0) {
		log_warning("delivery report for message %s, which does not exist", id);
		l->stats.unknown++;
		return (struct reply){MHD_HTTP_NOT_FOUND, "no such message\n"};
	}
	if (strcmp(verdict, "refused") == 0) {
		/* Queued, never handed over, another channel's, or refused by
		 * the policy: no report of this gateway's can be about it. */
		log_warning("delivery report from %s for message %s refused: it was not sent through %s", gateway, id,
			    gateway);
		l->stats.rejected++;
		return (struct reply){MHD_HTTP_CONFLICT, "not sent through this gateway\n"};
	}
	l->stats.dlr++;
	if (strcmp(verdict, "failed") == 0) {
		log_info("message %s failed: the operator reported status %s", id, status);
		return (struct reply){MHD_HTTP_OK, "failed\n"};
	}
	log_debug("message %s: status %s, %s", id, status, verdict);
	return (struct reply){MHD_HTTP_OK, strcmp(verdict, "delivered") == 0 ? "delivered\n" : "ignored\n"};
}

/* One delivery report by itself: message_dlr(). */
static struct reply dlr_one(struct listener *l, struct db *db, const struct parked *p)
{
	/* The operator's answer (%A) is not passed on: it is the gateway's
	 * free text, and only the status code is recorded
	 * (functions/message_dlr.sql). */
	static const char sql[] = "SELECT cobro.message_dlr($1::bigint, $2::text, $3::integer, "
				  "coalesce(to_timestamp($4::bigint), now()))";
	const char *prm[4] = {p->id, p->has_channel ? p->channel : NULL, p->status, p->ts[0] ? p->ts : NULL};
	struct reply out;
	PGresult *r;
	bool bad;

	r = call_rows_on(l, db, "delivery report", sql, 4, prm, 1, &bad);
	if (!r)
		return bad ? bad_request : unavailable;
	out = dlr_reply(l, p->gateway, p->id, p->status, PQgetvalue(r, 0, 0));
	PQclear(r);
	return out;
}

/* GET /kannel/dlr?key=&id=&status=&answer=&to=&ts=: checked here, then
 * parked (the connection suspended) until listener_run writes every report
 * it has in hand in one statement (dlr_flush) and answers each. Kannel sends
 * two reports per message, up to KANNEL_MAX_PENDING at once: one statement
 * and one commit each was the database's largest cost when sending
 * thousands a second (issue 18, line 11). The answer still comes only once
 * the report is recorded, so Kannel retries what was not. */
static struct reply on_dlr(struct listener *l, const struct http_request *c, const struct gateway *gw,
			   struct MHD_Connection *conn, struct request *req)
{
	const char *id = param(c, "id", NULL), *status = param(c, "status", NULL);
	char ts_buf[24];
	const char *ts = NULL, *why = NULL;
	struct parked *p;
	long long v;

	/* The values themselves only at debug level: they could hold anything,
	 * line breaks included. */
	if (!parse_int(id, 1, LLONG_MAX, &v))
		why = "id is missing or not a message id";
	else if (!parse_int(status, 0, 255, &v))
		why = "status is missing or not a Kannel status";
	else if (!parse_ts(param(c, "ts", NULL), ts_buf, sizeof ts_buf, &ts))
		why = "ts is not a time";
	if (why) {
		log_warning("delivery report refused: %s", why);
		log_debug("delivery report refused: id=%s status=%s ts=%s", id ? id : "(none)",
			  status ? status : "(none)", param(c, "ts", NULL) ? param(c, "ts", NULL) : "(none)");
		return bad_request;
	}
	if (l->nparked == l->parked_cap) {
		l->parked_cap = l->parked_cap ? l->parked_cap * 2 : 64;
		l->parked = xrealloc(l->parked, (size_t)l->parked_cap * sizeof *l->parked);
	}
	if (!l->nparked)
		l->parked_since = mono_ms();
	p = &l->parked[l->nparked++];
	memset(p, 0, sizeof *p);
	p->conn = conn;
	p->req = req;
	/* Validated above: digits that fit. */
	snprintf(p->id, sizeof p->id, "%s", id);
	snprintf(p->status, sizeof p->status, "%s", status);
	snprintf(p->ts, sizeof p->ts, "%s", ts ? ts : "");
	snprintf(p->gateway, sizeof p->gateway, "%s", gw->name);
	p->has_channel = gw->channel != NULL;
	snprintf(p->channel, sizeof p->channel, "%s", gw->channel ? gw->channel : "");
	return parked_reply;
}

/* Every report of a batch in one statement: the answer each would have had
 * from message_dlr(), in the batch's order. */
static const char dlr_many_sql[] =
    "SELECT v FROM unnest(cobro.message_dlr_many($1::bigint[], $2::text[], $3::integer[], "
    "  ARRAY(SELECT coalesce(to_timestamp(t), now()) FROM unnest($4::bigint[]) WITH ORDINALITY AS u(t, o) "
    "        ORDER BY o))) WITH ORDINALITY AS r(v, o) ORDER BY o";

/* The statement's four arrays for the batch b of n reports (each freed by
 * the caller). */
static void dlr_arrays(const struct parked *b, int n, struct buf a[4])
{
	memset(a, 0, 4 * sizeof *a);
	for (int k = 0; k < 4; k++)
		buf_puts(&a[k], "{");
	for (int i = 0; i < n; i++) {
		const struct parked *p = &b[i];
		const char *sep = i ? "," : "";

		/* Digits and channel names only: nothing to quote. */
		buf_printf(&a[0], "%s%s", sep, p->id);
		buf_printf(&a[1], "%s%s", sep, p->has_channel ? p->channel : "NULL");
		buf_printf(&a[2], "%s%s", sep, p->status);
		buf_printf(&a[3], "%s%s", sep, p->ts[0] ? p->ts : "NULL");
	}
	for (int k = 0; k < 4; k++)
		buf_puts(&a[k], "}");
}

/* Gives each report of the batch b its answer and lets libmicrohttpd go on
 * with its connection (the next MHD_run sends the answer: on_request is
 * called again and finds it). r: the batch's verdicts, one row each; NULL
 * when the statement failed: bad, a value the database refused (each is
 * then recorded by itself on db, so that only the bad one gets its 400),
 * otherwise 503 for all, and Kannel tries them again. */
static void dlr_answer(struct listener *l, struct db *db, struct parked *b, int n, PGresult *r, bool bad)
{
	for (int i = 0; i < n; i++) {
		struct parked *p = &b[i];

		if (r)
			p->req->answer = dlr_reply(l, p->gateway, p->id, p->status, PQgetvalue(r, i, 0));
		else if (bad || n == 1)
			p->req->answer = dlr_one(l, db, p);
		else
			p->req->answer = unavailable;
		p->req->answered = true;
		count_reply(l, MHD_HTTP_METHOD_GET, "/kannel/dlr", p->req->answer);
		MHD_resume_connection(p->conn);
	}
}

/* Without a connection of their own: records every parked report in one
 * statement on cobrod's connection, waiting for it, and answers each. */
static void dlr_flush(struct listener *l)
{
	struct buf a[4];
	const char *prm[4];
	PGresult *r = NULL;
	bool bad = false;
	int n = l->nparked;

	if (!n)
		return;
	dlr_arrays(l->parked, n, a);
	for (int k = 0; k < 4; k++)
		prm[k] = a[k].s;
	if (n > 1)
		r = call_rows(l, "delivery reports", dlr_many_sql, 4, prm, n, &bad);
	dlr_answer(l, l->db, l->parked, n, r, bad);
	l->nparked = 0;
	PQclear(r);
	for (int k = 0; k < 4; k++)
		buf_free(&a[k]);
}

/* The reports' connection is there, or is tried again (at most every two
 * seconds); a new session is a login on the record, as cobrod's own. */
static bool wdb_ready(struct listener *l)
{
	double now = mono_ms();

	if (PQstatus(l->wdb->conn) == CONNECTION_OK && l->wdb_on_record)
		return true;
	if (now < l->wdb_retry)
		return false;
	l->wdb_retry = now + 2000;
	if (PQstatus(l->wdb->conn) != CONNECTION_OK) {
		l->wdb_on_record = false;
		PQreset(l->wdb->conn);
		if (PQstatus(l->wdb->conn) != CONNECTION_OK)
			return false;
	}
	if (!audit_login(l->wdb, "cobrod"))
		return false;
	l->wdb_on_record = true;
	log_info("delivery reports: their database connection restored");
	return true;
}

/* Sends the statement of the batch being written, without waiting. False
 * when it could not be sent. */
static bool dlr_send_batch(struct listener *l)
{
	struct buf a[4];
	const char *prm[4];
	bool ok;

	dlr_arrays(l->writing, l->nwriting, a);
	for (int k = 0; k < 4; k++)
		prm[k] = a[k].s;
	ok = PQsendQueryParams(l->wdb->conn, dlr_many_sql, 4, NULL, prm, NULL, NULL, 0) == 1;
	l->write_tries++;
	for (int k = 0; k < 4; k++)
		buf_free(&a[k]);
	return ok;
}

/* The statement of the batch being written failed, or its connection did:
 * 503 for each, said once until the database answers again. */
static void dlr_unavailable(struct listener *l, const char *why)
{
	/* The reports' connection lost with the database (a restart): said
	 * in the words the loop says it in for its own, one outage, which an
	 * operator's watch for "lost the database" already knows. */
	bool lost = !l->wdb->conn || PQstatus(l->wdb->conn) != CONNECTION_OK;

	if (!l->db_failing)
		log_error("delivery reports: %s%s (answering 503 until it works again)",
		          lost ? "lost the database: " : "", why);
	else
		log_debug("delivery reports: %s", why);
	l->db_failing = true;
	dlr_answer(l, l->wdb, l->writing, l->nwriting, NULL, false);
	l->nwriting = 0;
}

/* With a connection of their own: the parked reports become the batch being
 * written, and their statement goes without waiting for it (dlr_collect
 * reads its answer). Sending never waits on it: at 2,000 SMS a second,
 * Kannel's 4,000 reports a second took a fifth of every second of cobrod's
 * one loop, waited for (issue 18, line 11). */
static void dlr_send(struct listener *l)
{
	struct parked *swap;
	int cap;

	if (l->nwriting || !l->nparked)
		return;
	swap = l->writing;
	cap = l->writing_cap;
	l->writing = l->parked;
	l->writing_cap = l->parked_cap;
	l->nwriting = l->nparked;
	l->parked = swap;
	l->parked_cap = cap;
	l->nparked = 0;
	l->write_tries = 0;
	if (!wdb_ready(l)) {
		dlr_unavailable(l, "no database connection");
		return;
	}
	if (!dlr_send_batch(l))
		dlr_unavailable(l, PQerrorMessage(l->wdb->conn));
}

/* The answer of the batch being written, if it came: each report answered.
 * A deadlock or serialization failure sends the batch again (at most
 * DB_TRIES times); a value the database refused has each report recorded
 * by itself, now that the connection is free. */
static void dlr_collect(struct listener *l)
{
	PGresult *r, *first = NULL;
	int n = l->nwriting;
	char state[6] = "";
	bool rows_ok;

	if (!n)
		return;
	if (!PQconsumeInput(l->wdb->conn)) {
		dlr_unavailable(l, PQerrorMessage(l->wdb->conn));
		return;
	}
	if (PQisBusy(l->wdb->conn))
		return;
	while ((r = PQgetResult(l->wdb->conn))) {
		if (!first)
			first = r;
		else
			PQclear(r);
	}
	rows_ok = first && PQresultStatus(first) == PGRES_TUPLES_OK && PQntuples(first) == n && PQnfields(first) == 1;
	for (int i = 0; rows_ok && i < n; i++)
		rows_ok = !PQgetisnull(first, i, 0);
	if (rows_ok) {
		if (l->db_failing)
			log_info("delivery reports: the database answers again");
		l->db_failing = false;
		dlr_answer(l, l->wdb, l->writing, n, first, false);
		l->nwriting = 0;
		PQclear(first);
		return;
	}
	if (first && PQresultErrorField(first, PG_DIAG_SQLSTATE))
		snprintf(state, sizeof state, "%s", PQresultErrorField(first, PG_DIAG_SQLSTATE));
	snprintf(l->wdb->err, sizeof l->wdb->err, "%s",
		 first && PQresultStatus(first) != PGRES_TUPLES_OK ? PQresultErrorMessage(first)
								   : "the database gave no answer");
	l->wdb->err[strcspn(l->wdb->err, "\n")] = '\0';
	PQclear(first);
	if (db_classify(state) == DB_RETRY && l->write_tries < DB_TRIES && dlr_send_batch(l))
		return;
	if (strncmp(state, "22", 2) == 0) {
		log_warning("delivery reports refused by the database: %s; recording each by itself", l->wdb->err);
		dlr_answer(l, l->wdb, l->writing, n, NULL, true);
		l->nwriting = 0;
		return;
	}
	dlr_unavailable(l, l->wdb->err);
}

/* The text as UTF-8 by Kannel's coding (%c): 0 (or none) text, already
 * UTF-8; 2 UCS-2 that smsbox did not recode. *text NULL: not text. */
static bool mo_text(const char *coding, const char *raw, size_t len, char **text)
{
	*text = NULL;
	if (!coding || !*coding || strcmp(coding, "0") == 0) {
		if (!text_utf8_valid(raw, len))
			return false;
		*text = xstrdup(raw);
		return true;
	}
	if (strcmp(coding, "2") == 0)
		return (*text = inbound_ucs2_to_utf8(raw, len)) != NULL;
	return strcmp(coding, "1") == 0; /* 8-bit data: valid, but no text */
}

/* A gateway's message id: up to 100 printable ASCII characters (Kannel's
 * is a UUID); empty means none was given. */
static bool provider_id_valid(const char *id)
{
	size_t n = strlen(id);

	if (n > 100)
		return false;
	for (size_t i = 0; i < n; i++)
		if (id[i] <= ' ' || id[i] > '~')
			return false;
	return true;
}

/* GET /kannel/mo?key=&from=&to=&text=&coding=&ts=&id=&smsc= (a kind= is
 * ignored: whether a text is an opt-out is read from the text alone) */
static struct reply on_mo(struct listener *l, const struct http_request *c, const struct gateway *gw,
			  struct MHD_Connection *conn, struct request *req)
{
	(void)conn; /* only a delivery report is parked */
	(void)req;
	/* Kannel's id ($6) makes a retried delivery change nothing (011). */
	static const char sql[] = "SELECT cobro.message_inbound('sms', $1, $2, $3, "
				  "coalesce(to_timestamp($4::bigint), now()), $5::boolean, $6)";
	static const char sql_numbers[] = "SELECT cobro.message_inbound_numbers('sms', $1, $2, $3, "
					  "coalesce(to_timestamp($4::bigint), now()), $5::boolean, $6, $7::jsonb)";
	char *numbers;
	static const struct reply accepted = {MHD_HTTP_OK, ""};
	const char *from = param(c, "from", NULL);
	size_t text_len, to_len;
	const char *raw = param(c, "text", &text_len), *to = param(c, "to", &to_len);
	const char *ts = NULL, *id = param(c, "id", NULL), *smsc = param(c, "smsc", NULL);
	char e164[PHONE_E164_SIZE], masked[PHONE_E164_SIZE], ts_buf[24], *text = NULL;
	const char *why = NULL;
	bool stop, bad;
	PGresult *r;
	int n;

	if (!inbound_phone(from, e164, sizeof e164)) {
		log_warning("inbound text refused: the sender is not a phone number cobro serves");
		log_debug("inbound text refused: from=%s", from ? from : "(none)");
		return bad_request;
	}
	inbound_mask_phone(e164, masked, sizeof masked);
	if (!raw)
		why = "no text";
	else if (to && !text_utf8_valid(to, to_len))
		why = "to is not UTF-8";
	else if (!parse_ts(param(c, "ts", NULL), ts_buf, sizeof ts_buf, &ts))
		why = "ts is not a time";
	else if (id && !provider_id_valid(id))
		why = "id is not an id";
	else if (!mo_text(param(c, "coding", NULL), raw, text_len, &text))
		why = "the text is not UTF-8, or not in its coding";
	if (why) {
		log_warning("inbound text from %s refused: %s", masked, why);
		return bad_request;
	}
	if (!text) {
		log_info("inbound binary message from %s ignored", masked);
		return accepted;
	}
	(void)gw;
	/* The words themselves, never a parameter saying what they are: a
	 * caller's "kind=stop" over "hola" opts nobody out. */
	stop = inbound_is_stop(text);
	log_debug("inbound from %s to %s (kannel id %s, smsc %s)%s: %s", e164, to ? to : "", id ? id : "",
		  smsc ? smsc : "", stop ? " opt-out" : "", text);
	/* A reply that holds a number may be the one the cleaning asked for
	 * (functions/cleaning.sql): read for every country here, kept for the
	 * debtor's there, in the same transaction as the text. */
	numbers = stop ? NULL : cleaning_numbers_json(text);
	r = call(l, "inbound text", numbers ? sql_numbers : sql, numbers ? 7 : 6,
		 (const char *const[]){e164, to, text, ts, stop ? "true" : "false", id && *id ? id : NULL, numbers},
		 &bad);
	free(numbers);
	free(text);
	if (!r)
		return bad ? bad_request : unavailable;
	n = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	if (n < 0) {
		/* A retry of a text already recorded: answered as before, so the
		 * gateway stops, and recorded nowhere again. */
		log_info("inbound from %s already recorded (kannel id %s)", masked, id);
		l->stats.repeated++;
		return accepted;
	}
	if (n == 0) {
		/* Accepted all the same: Kannel would only try again. */
		log_info("inbound from an unknown number %s", masked);
		l->stats.unknown++;
		return accepted;
	}
	l->stats.inbound++;
	if (stop)
		l->stats.optouts++;
	log_info("%s from %s (%d debtor%s)", stop ? "opt-out" : "reply", masked, n, n == 1 ? "" : "s");
	return accepted;
}

/* GET /whatsapp?key=&hub.mode=subscribe&hub.challenge=&hub.verify_token=:
 * Meta's check, when the webhook is set up, that the address is ours. The
 * key= in the address is what proves it (as for Kannel); the challenge is
 * echoed, if it is a plain token. */
static struct reply on_wa_verify(struct listener *l, const struct http_request *c, const struct gateway *gw,
			  struct MHD_Connection *conn, struct request *req)
{
	(void)conn; /* only a delivery report is parked */
	(void)req;
	const char *mode = param(c, "hub.mode", NULL), *challenge = param(c, "hub.challenge", NULL);
	size_t n = challenge ? strlen(challenge) : 0;

	(void)l;
	if (!mode || strcmp(mode, "subscribe") != 0 || n == 0 || n > 64 ||
	    challenge[strspn(challenge, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_.")] != '\0') {
		log_warning("whatsapp: a verification without a usable hub.mode and hub.challenge refused");
		return bad_request;
	}
	log_info("whatsapp: webhook verified for %s", gw->name);
	return (struct reply){MHD_HTTP_OK, challenge};
}

/* One status of a message we sent: found by its WhatsApp id. */
static bool wa_status(struct listener *l, const struct wa_status *st, const struct gateway *gw)
{
	static const char sql[] = "SELECT cobro.message_receipt($1, $2, $3, "
				  "coalesce(to_timestamp(nullif($4, '0')::bigint), now()))";
	char ts[24];
	const char *verdict;
	bool bad;
	PGresult *r;

	snprintf(ts, sizeof ts, "%lld", st->ts);
	r = call(l, "whatsapp status", sql, 4,
		 (const char *const[]){gw->channel, st->id, wa_status_name(st->status), ts}, &bad);
	if (!r)
		return bad; /* refused for good: nothing to retry */
	verdict = PQgetvalue(r, 0, 0);
	if (strcmp(verdict, "unknown") == 0) {
		log_warning("whatsapp: a status for a message we do not know");
		l->stats.unknown++;
	} else if (strcmp(verdict, "refused") == 0) {
		log_warning("whatsapp: a status from %s for a message not sent through it", gw->name);
		l->stats.rejected++;
	} else {
		if (strcmp(verdict, "failed") == 0)
			log_info("whatsapp: a message failed (error %d)", st->error_code);
		l->stats.dlr++;
	}
	PQclear(r);
	return true;
}

/* One message a debtor sent: as an inbound SMS is. */
static bool wa_message(struct listener *l, const struct wa_message *m)
{
	static const char sql[] = "SELECT cobro.message_inbound('whatsapp', $1, $2, $3, "
				  "coalesce(to_timestamp(nullif($4, '0')::bigint), now()), $5::boolean, $6)";
	static const char sql_numbers[] = "SELECT cobro.message_inbound_numbers('whatsapp', $1, $2, $3, "
					  "coalesce(to_timestamp(nullif($4, '0')::bigint), now()), $5::boolean, $6, "
					  "$7::jsonb)";
	char *numbers;
	char from[40], e164[PHONE_E164_SIZE], masked[PHONE_E164_SIZE], ts[24];
	bool stop, bad;
	PGresult *r;
	int n;

	snprintf(from, sizeof from, "+%s", m->from);
	if (!inbound_phone(from, e164, sizeof e164)) {
		log_warning("whatsapp: a message from a number cobro does not serve ignored");
		return true;
	}
	inbound_mask_phone(e164, masked, sizeof masked);
	if (!m->text) {
		log_info("whatsapp: a message from %s that is not text ignored", masked);
		return true;
	}
	stop = inbound_is_stop(m->text);
	snprintf(ts, sizeof ts, "%lld", m->ts);
	numbers = stop ? NULL : cleaning_numbers_json(m->text); /* as for an SMS */
	r = call(l, "whatsapp message", numbers ? sql_numbers : sql, numbers ? 7 : 6,
		 (const char *const[]){e164, m->to[0] ? m->to : NULL, m->text, ts, stop ? "true" : "false", m->id,
		                       numbers},
		 &bad);
	free(numbers);
	if (!r)
		return bad;
	n = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	if (n < 0) {
		l->stats.repeated++;
	} else if (n == 0) {
		log_info("whatsapp: a message from an unknown number %s", masked);
		l->stats.unknown++;
	} else {
		l->stats.inbound++;
		if (stop)
			l->stats.optouts++;
		log_info("whatsapp %s from %s (%d debtor%s)", stop ? "opt-out" : "reply", masked, n, n == 1 ? "" : "s");
	}
	return true;
}

/* POST /whatsapp?key=: the Cloud API's webhook. 200 once every item is
 * recorded (or is nothing of ours); 503 when the database could not take
 * one, and Meta sends the whole body again later: a status or a message
 * recorded already changes nothing the second time. */
static struct reply on_wa_hook(struct listener *l, const struct http_request *c, const struct gateway *gw,
			       const struct buf *body)
{
	struct wa_hook h;
	char why[160];
	bool all = true;

	(void)c;
	if (!wa_hook_parse(body->s ? body->s : "", body->len, &h, why, sizeof why)) {
		log_warning("whatsapp: a webhook refused: %s", why);
		return bad_request;
	}
	for (size_t i = 0; i < h.nstatuses && all; i++) {
		const struct wa_status *st = &h.statuses[i];

		/* Another number's statuses (one app, several numbers) are not
		 * this gateway's to report. */
		if (gw->phone_number_id && st->phone_number_id[0] && strcmp(st->phone_number_id, gw->phone_number_id)) {
			log_warning("whatsapp: a status for another number (%s) ignored", st->phone_number_id);
			l->stats.rejected++;
			continue;
		}
		all = wa_status(l, st, gw);
	}
	for (size_t i = 0; i < h.nmessages && all; i++)
		all = wa_message(l, &h.messages[i]);
	if (h.skipped)
		log_warning("whatsapp: %zu item%s without an id or a known status skipped", h.skipped,
			    h.skipped == 1 ? "" : "s");
	wa_hook_free(&h);
	return all ? (struct reply){MHD_HTTP_OK, "ok\n"} : unavailable;
}

static enum MHD_Result send_reply(struct MHD_Connection *c, struct reply rep, bool allow, bool allow_post)
{
	struct MHD_Response *res =
	    MHD_create_response_from_buffer(strlen(rep.body), (void *)rep.body, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ok;

	if (!res)
		return MHD_NO;
	MHD_add_response_header(res, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
	if (allow)
		MHD_add_response_header(res, MHD_HTTP_HEADER_ALLOW, allow_post ? "GET, POST" : "GET");
	ok = MHD_queue_response(c, rep.status, res);
	MHD_destroy_response(res);
	return ok;
}

/* The client's address, for a log line. */
static void client_address(struct MHD_Connection *c, char *out, size_t outlen)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(out, outlen, "?");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, (socklen_t)outlen);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, (socklen_t)outlen);
}

/* The gateway whose secret the request's key= is. Every gateway's secret is
 * compared, whichever matches, so that the time taken says nothing. */
static const struct gateway *gateway_of(const struct listener *l, const struct http_request *req)
{
	size_t n;
	const char *key = param(req, "key", &n);
	const struct gateway *found = NULL;

	for (int i = 0; i < l->ngateways; i++)
		if (http_secret_equal(key, key ? n : 0, l->gateways[i].secret) && !found)
			found = &l->gateways[i];
	return found;
}

/* A request without the right key: logged (never the key, nor the rest of
 * the query), at most one line per REFUSED_LOG_EVERY seconds. */
static void log_refused(struct listener *l, struct MHD_Connection *c, const char *path, bool had_key)
{
	time_t now = time(NULL);
	char addr[INET6_ADDRSTRLEN];

	if (l->refused_said && now - l->refused_said < REFUSED_LOG_EVERY) {
		l->refused_unsaid++;
		return;
	}
	client_address(c, addr, sizeof addr);
	log_warning("refused %s from %s: %s gateway's key%s", path, addr, had_key ? "not a" : "no",
		    l->refused_unsaid ? " (and more requests without one since the last such line)" : "");
	l->refused_said = now;
	l->refused_unsaid = 0;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	struct listener *l = cls;
	struct conn *k = *socket_context;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);

		k = xcalloc(1, sizeof *k);
		k->fd = ci ? ci->connect_fd : -1;
		k->waiting = time(NULL);
		k->next = l->conns;
		if (l->conns)
			l->conns->prev = k;
		l->conns = k;
		*socket_context = k;
	} else if (toe == MHD_CONNECTION_NOTIFY_CLOSED && k) {
		if (k->prev)
			k->prev->next = k->next;
		else
			l->conns = k->next;
		if (k->next)
			k->next->prev = k->prev;
		free(k);
		*socket_context = NULL;
	}
}

static struct conn *conn_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci ? ci->socket_context : NULL;
}

/* Connections whose request has not come whole within HEADER_DEADLINE are
 * shut down; libmicrohttpd sees the end of the stream and closes them. */
static void cut_slow(struct listener *l)
{
	time_t now = time(NULL);

	for (struct conn *k = l->conns; k; k = k->next) {
		if (k->in_request || k->fd < 0 || now - k->waiting < HEADER_DEADLINE)
			continue;
		log_debug("http: a connection sent no whole request in %d s: closed", HEADER_DEADLINE);
		shutdown(k->fd, SHUT_RDWR);
		k->waiting = now + 3600; /* once */
	}
}

/* The raw request target, before libmicrohttpd decodes anything: it is what
 * http_parse_target reads. Freed in on_completed. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct request *r = xcalloc(1, sizeof *r);

	(void)cls;
	(void)c;
	r->target = xstrdup(uri ? uri : "");
	return r;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **req_cls, enum MHD_RequestTerminationCode toe)
{
	struct conn *k = conn_of(c);
	struct request *r = *req_cls;

	(void)cls;
	(void)toe;
	if (r) {
		free(r->target);
		buf_free(&r->body);
		free(r);
	}
	*req_cls = NULL;
	if (k) {
		k->in_request = false;
		k->waiting = time(NULL);
	}
}

/* The routes: a GET handler (NULL: /health), and for /whatsapp a POST one.
 * A route is for Kannel's gateways or for WhatsApp's; the other's key is
 * refused there. */
typedef struct reply (*get_fn)(struct listener *, const struct http_request *, const struct gateway *,
			       struct MHD_Connection *, struct request *);
typedef struct reply (*post_fn)(struct listener *, const struct http_request *, const struct gateway *,
				const struct buf *);
static const struct route {
	const char *path;
	get_fn get;
	post_fn post;
	bool whatsapp;
} routes[] = {
    {"/kannel/dlr", on_dlr, NULL, false},
    {"/kannel/mo", on_mo, NULL, false},
    {"/whatsapp", on_wa_verify, on_wa_hook, true},
    {"/health", NULL, NULL, false},
};

static void count_reply(struct listener *l, const char *method, const char *path, struct reply rep)
{
	l->stats.requests++;
	if (rep.status == MHD_HTTP_SERVICE_UNAVAILABLE)
		l->stats.unavailable++;
	else if (rep.status == MHD_HTTP_BAD_REQUEST || rep.status == MHD_HTTP_METHOD_NOT_ALLOWED ||
		 rep.status == MHD_HTTP_FORBIDDEN || rep.status == MHD_HTTP_CONTENT_TOO_LARGE ||
		 (rep.status == MHD_HTTP_NOT_FOUND && strcmp(path, "/kannel/dlr") != 0))
		l->stats.rejected++;
	if (rep.status == MHD_HTTP_NOT_FOUND || rep.status == MHD_HTTP_METHOD_NOT_ALLOWED)
		log_debug("http: %s %s: %u", method, path, rep.status);
}

/* libmicrohttpd calls this once the headers are in, then once per piece of
 * a POST's body, then once more with none: a GET is answered on the first
 * call, a POST to /whatsapp (from a caller with its key) on the last. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size,
				  void **req_cls)
{
	struct listener *l = cls;
	struct request *r = *req_cls;
	struct reply rep = {MHD_HTTP_NOT_FOUND, "not found\n"};
	bool get = strcmp(method, MHD_HTTP_METHOD_GET) == 0, post = strcmp(method, MHD_HTTP_METHOD_POST) == 0;
	bool allow = false, allow_post = false;
	const struct route *route = NULL;
	const struct gateway *gw = NULL;
	struct http_request req;
	char why[128];
	enum MHD_Result ok;
	struct conn *k = conn_of(c);

	(void)url; /* libmicrohttpd's decoded path: http_parse_target reads the raw one */
	(void)version;
	if (k)
		k->in_request = true;
	if (r && r->answered) /* a parked report, recorded: its answer */
		return send_reply(c, r->answer, false, false);
	/* libmicrohttpd (0.9.75) closes the connection after an answer queued
	 * in the first call, the one with the headers alone: every delivery
	 * report came on a connection of its own, and Kannel, reconnecting
	 * 4,000 times a second, ran into PER_IP_LIMIT with the connections
	 * still closing, had them refused and tried them again seconds later
	 * (issue 18, line 11). A GET is answered in the next call, its (empty)
	 * body's, and the connection stays open for the next request; a POST
	 * is answered in its last call anyway. */
	if (r && !r->headers_seen) {
		r->headers_seen = true;
		if (!post)
			return MHD_YES;
	}
	if (r && !post && *upload_data_size) {
		/* A body on anything but a POST: not read, not wanted. */
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (r && r->body.cap) { /* a POST under way: its body comes */
		if (*upload_data_size) {
			if (r->body.len + *upload_data_size > WA_HOOK_MAX_BODY)
				r->too_big = true;
			else
				buf_add(&r->body, upload_data, *upload_data_size);
			*upload_data_size = 0;
			return MHD_YES;
		}
	}
	if (!r || !http_parse_target(r->target, strlen(r->target), &req, why, sizeof why)) {
		/* Not the target itself: it may hold anything, line breaks too. */
		log_warning("http: a request refused (400): %s", r ? why : "no request target");
		l->stats.requests++;
		l->stats.rejected++;
		return send_reply(c, bad_request, false, false);
	}
	for (size_t i = 0; i < ARRAY_SIZE(routes); i++)
		if (strcmp(req.path, routes[i].path) == 0)
			route = &routes[i];
	if (!route) {
		/* 404 */
	} else if (!route->get && (get || strcmp(method, MHD_HTTP_METHOD_HEAD) == 0)) {
		rep = (struct reply){MHD_HTTP_OK, "ok\n"};
	} else if (!route->get || !(get || (post && route->post))) {
		rep = (struct reply){MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n"};
		allow = true;
		allow_post = route->post != NULL;
	} else if (!(gw = gateway_of(l, &req)) || gw->whatsapp != route->whatsapp) {
		log_refused(l, c, req.path, param(&req, "key", NULL) != NULL);
		rep = (struct reply){MHD_HTTP_FORBIDDEN, "forbidden\n"};
	} else if (get) {
		rep = route->get(l, &req, gw, c, r);
		if (rep.status == 0) {
			/* Parked: answered once listener_run has recorded it. */
			MHD_suspend_connection(c);
			http_request_free(&req);
			return MHD_YES;
		}
	} else if (!r->body.cap) {
		/* The headers of a POST from a gateway with its key: read the
		 * body (the next calls), answer on the last. */
		buf_add(&r->body, "", 0);
		http_request_free(&req);
		return MHD_YES;
	} else if (r->too_big) {
		log_warning("whatsapp: a webhook larger than %d bytes refused", WA_HOOK_MAX_BODY);
		rep = (struct reply){MHD_HTTP_CONTENT_TOO_LARGE, "too large\n"};
	} else {
		rep = route->post(l, &req, gw, &r->body);
	}
	count_reply(l, method, req.path, rep);
	/* Before the request is freed: a reply may be one of its values
	 * (hub.challenge). */
	ok = send_reply(c, rep, allow, allow_post);
	http_request_free(&req);
	return ok;
}

struct listener *listener_start(const char *address, int port, struct db *db, char *err, size_t errlen)
{
	struct addrinfo hints = {
	    .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
	struct addrinfo *ai = NULL;
	struct listener *l;
	const union MHD_DaemonInfo *info;
	char service[8];
	/* Suspend and resume: delivery reports wait for one statement. */
	unsigned int flags = MHD_USE_EPOLL | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
	int rc;

	if (!address || !*address)
		address = "127.0.0.1";
	if (port < 0 || port > 65535) {
		snprintf(err, errlen, "listen port %d is not a port", port);
		return NULL;
	}
	snprintf(service, sizeof service, "%d", port);
	if ((rc = getaddrinfo(address, service, &hints, &ai)) != 0) {
		snprintf(err, errlen, "cannot listen on %s: %s", address, gai_strerror(rc));
		return NULL;
	}
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	l = xcalloc(1, sizeof *l);
	l->db = db;
	/* Only the one address: a loopback or LAN listener must not answer on
	 * every interface. The logger comes first, or libmicrohttpd prints the
	 * other options' complaints on stderr itself. */
	/* clang-format off */
	l->mhd = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, on_request, l,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, l,
		MHD_OPTION_SOCK_ADDR, ai->ai_addr,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, l,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, l,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, l,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned int)CONNECTION_LIMIT,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)PER_IP_LIMIT,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)CONNECTION_TIMEOUT,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
		MHD_OPTION_END);
	/* clang-format on */
	freeaddrinfo(ai);
	if (!l->mhd) {
		snprintf(err, errlen, "cannot listen on %s port %d: %s", address, port,
			 l->mhd_err[0] ? l->mhd_err : "libmicrohttpd refused");
		free(l);
		return NULL;
	}
	info = MHD_get_daemon_info(l->mhd, MHD_DAEMON_INFO_EPOLL_FD);
	l->fd = info ? info->epoll_fd : -1;
	info = MHD_get_daemon_info(l->mhd, MHD_DAEMON_INFO_BIND_PORT);
	l->port = info ? info->port : port;
	if (l->fd < 0) {
		snprintf(err, errlen, "libmicrohttpd gave no epoll descriptor");
		listener_stop(l);
		return NULL;
	}
	log_info("listening on %s port %d for delivery reports and inbound texts", address, l->port);
	return l;
}

int listener_port(const struct listener *l)
{
	return l->port;
}

int listener_fd(const struct listener *l)
{
	return l->fd;
}

bool listener_dlr_db(struct listener *l, const char *conninfo, const char *user, char *err, size_t errlen)
{
	struct db *db = xcalloc(1, sizeof *db);

	if (!db_connect(db, conninfo, user, "cobrod") || !audit_login(db, "cobrod")) {
		snprintf(err, errlen, "%s", db->err);
		db_close(db);
		free(db);
		return false;
	}
	l->wdb = db;
	l->wdb_on_record = true;
	return true;
}

int listener_db_fd(const struct listener *l)
{
	return l->wdb && l->nwriting && l->wdb->conn ? PQsocket(l->wdb->conn) : -1;
}

int listener_timeout_ms(const struct listener *l)
{
	MHD_UNSIGNED_LONG_LONG ms;

	if (MHD_get_timeout(l->mhd, &ms) != MHD_YES)
		ms = ULLONG_MAX;
	/* A connection waiting for its request: look again within a second. */
	if (l->conns && ms > 1000)
		ms = 1000;
	/* Delivery reports parked: recorded DLR_WAIT_MS after the first (or,
	 * a batch being written, once its answer came: listener_db_fd). */
	if (l->nparked && !l->nwriting) {
		double left = l->parked_since + DLR_WAIT_MS - mono_ms();

		if (left < 0)
			left = 0;
		if ((double)ms > left)
			ms = (MHD_UNSIGNED_LONG_LONG)left + 1;
	}
	if (ms == ULLONG_MAX)
		return -1;
	return ms > INT_MAX ? INT_MAX : (int)ms;
}

/* Rounds of MHD_run in one listener_run: the reports parked in one are
 * recorded, and answered in the next, which may park more. */
#define RUN_ROUNDS 4

/* Whether the parked reports are to be recorded now: enough of them, or the
 * first has waited DLR_WAIT_MS. */
static bool dlr_due(const struct listener *l)
{
	return l->nparked >= DLR_BATCH || (l->nparked && mono_ms() - l->parked_since >= DLR_WAIT_MS);
}

void listener_run(struct listener *l)
{
	if (l->wdb) {
		/* The batch being written answered: its answers go out with
		 * this MHD_run, which parks what came meanwhile. */
		dlr_collect(l);
		MHD_run(l->mhd);
		if (!l->nwriting && dlr_due(l))
			dlr_send(l);
		cut_slow(l);
		return;
	}
	MHD_run(l->mhd);
	for (int i = 1; i < RUN_ROUNDS && dlr_due(l); i++) {
		dlr_flush(l);
		MHD_run(l->mhd);
	}
	/* Those parked in the last round wait for the next listener_run
	 * (listener_timeout_ms wakes cobrod's poll for them). */
	if (dlr_due(l))
		dlr_flush(l);
	cut_slow(l);
}

const struct listener_stats *listener_stats(const struct listener *l)
{
	return &l->stats;
}

static void gateways_free(struct listener *l)
{
	for (int i = 0; i < l->ngateways; i++) {
		explicit_bzero(l->gateways[i].secret, strlen(l->gateways[i].secret));
		free(l->gateways[i].secret);
		free(l->gateways[i].name);
		free(l->gateways[i].phone_number_id);
	}
	free(l->gateways);
	l->gateways = NULL;
	l->ngateways = 0;
}

void listener_gateways(struct listener *l, const struct cobrod_conf *c)
{
	gateways_free(l);
	l->gateways = xcalloc((size_t)c->ntransports + 1, sizeof *l->gateways);
	for (int i = 0; i < c->ntransports; i++) {
		const struct transport *t = &c->transports[i];
		struct gateway *g;

		if ((t->kind != TRANSPORT_KANNEL && t->kind != TRANSPORT_WHATSAPP) || !t->callback_secret)
			continue;
		g = &l->gateways[l->ngateways++];
		g->name = xstrdup(t->name);
		g->secret = xstrdup(t->callback_secret);
		g->whatsapp = t->kind == TRANSPORT_WHATSAPP;
		g->phone_number_id = t->phone_number_id ? xstrdup(t->phone_number_id) : NULL;
		if (g->whatsapp)
			g->channel = c->channels[CH_WHATSAPP].transport == t ? channel_name(CH_WHATSAPP) : NULL;
		else
			g->channel = c->channels[CH_SMS].transport == t ? channel_name(CH_SMS) : NULL;
	}
}

void listener_stop(struct listener *l)
{
	if (!l)
		return;
	/* Reports parked are recorded before the connections close: the
	 * batch being written, then the rest. */
	if (l->wdb) {
		for (int round = 0; round < 2; round++) {
			if (round)
				dlr_send(l);
			while (l->nwriting) {
				struct pollfd p = {.fd = PQsocket(l->wdb->conn), .events = POLLIN};

				if (p.fd < 0 || poll(&p, 1, 10000) <= 0) {
					dlr_unavailable(l, "no answer while stopping");
					break;
				}
				dlr_collect(l);
			}
		}
		db_close(l->wdb);
		free(l->wdb);
		free(l->writing);
	}
	dlr_flush(l);
	if (l->mhd)
		MHD_stop_daemon(l->mhd);
	gateways_free(l);
	free(l->parked);
	free(l);
}
