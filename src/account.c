#include "account.h"

#include <jansson.h>
#include <libpq-events.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* The whole screen in one statement: one round trip and one snapshot, so the
 * balance, the installments and the history always agree with each other.
 * Row-level security filters every table as the logged-in person: an account
 * they may not see yields no row at all. Each list is ordered inside its
 * aggregate, whose input order is otherwise unspecified.
 * The history is the open account's (event_account_idx) plus the debtor's
 * events filed under no account, such as a reply that matched no account:
 * the debtor's other accounts keep their own. Each part is cut at $2 before
 * they are merged and anything is joined to them. Bodies are cut to 512
 * characters here so a long e-mail never crosses the wire only to be dropped.
 * Agents are LEFT JOINed: a collector sees their own team's people only, and
 * someone else's login shows as "". Dates go through to_char so DateStyle
 * cannot change them; times are in the session's time zone. */
static const char account_sql[] =
	"SELECT json_build_object("
	" 'debtor', json_build_object('id', d.id, 'name', d.name,"
	"   'national_id', coalesce(d.national_id, ''), 'language', d.language,"
	"   'jurisdiction', d.jurisdiction, 'time_zone', d.time_zone, 'state', d.state),"
	" 'next_action_at', coalesce(to_char(a.next_action_at, 'YYYY-MM-DD HH24:MI'), ''),"
	" 'lease', (SELECT json_build_object('login', coalesce(g.login, ''), 'name', coalesce(g.name, ''))"
	"   FROM cobro.lease l LEFT JOIN cobro.agent g ON g.id = l.agent_id"
	"   WHERE l.account_id = a.id AND l.expires_at > now()),"
	" 'points', (SELECT coalesce(json_agg(json_build_object('id', c.id, 'kind', c.kind,"
	"     'value', c.value, 'consent', array_to_string(c.consent, ','),"
	"     'opted_out', array_to_string(c.opted_out, ','), 'bad', c.bad_since IS NOT NULL,"
	"     'primary', c.is_primary) ORDER BY c.is_primary DESC, c.kind, c.id), '[]')"
	"   FROM cobro.contact_point c WHERE c.debtor_id = d.id),"
	" 'accounts', (SELECT coalesce(json_agg(json_build_object('id', x.id, 'reference', x.reference,"
	"     'creditor', cr.name, 'product', x.product, 'currency', x.currency,"
	"     'balance', x.balance, 'past_due', x.past_due,"
	"     'dpd', coalesce(greatest(0, current_date - x.oldest_due), 0),"
	"     'status', x.status, 'segment', x.segment, 'agent', coalesce(g.login, ''))"
	"     ORDER BY x.id), '[]')"
	"   FROM cobro.account x JOIN cobro.creditor cr ON cr.id = x.creditor_id"
	"   LEFT JOIN cobro.agent g ON g.id = x.agent_id"
	"   WHERE x.debtor_id = d.id),"
	" 'installments', (SELECT coalesce(json_agg(json_build_object('seq', i.seq,"
	"     'due_date', to_char(i.due_date, 'YYYY-MM-DD'), 'amount', i.amount, 'paid', i.paid)"
	"     ORDER BY i.seq), '[]')"
	"   FROM cobro.installment i WHERE i.account_id = a.id),"
	" 'payments', (SELECT coalesce(json_agg(json_build_object("
	"     'paid_at', to_char(p.paid_at, 'YYYY-MM-DD HH24:MI'), 'amount', p.amount, 'method', p.method)"
	"     ORDER BY p.paid_at DESC, p.id DESC), '[]')"
	"   FROM cobro.payment p WHERE p.account_id = a.id),"
	" 'promises', (SELECT coalesce(json_agg(json_build_object('id', r.id,"
	"     'created_at', to_char(r.created_at, 'YYYY-MM-DD HH24:MI'),"
	"     'due_date', to_char(r.due_date, 'YYYY-MM-DD'), 'amount', r.amount, 'discount', r.discount,"
	"     'status', r.status, 'channel', r.channel, 'agent', coalesce(g.login, ''))"
	"     ORDER BY r.created_at DESC, r.id DESC), '[]')"
	"   FROM cobro.promise r LEFT JOIN cobro.agent g ON g.id = r.agent_id"
	"   WHERE r.account_id = a.id),"
	" 'events', (SELECT coalesce(json_agg(json_build_object('id', e.id,"
	"     'at', to_char(e.at, 'YYYY-MM-DD HH24:MI'), 'kind', e.kind,"
	"     'direction', coalesce(e.direction, ''), 'outcome', coalesce(e.outcome, ''),"
	"     'agent', coalesce(g.login, ''), 'body', coalesce(left(e.body, 512), ''),"
	"     'message_status', coalesce(m.status, ''), 'amount', coalesce(e.amount, 0))"
	"     ORDER BY e.at DESC, e.id DESC), '[]')"
	"   FROM ((SELECT id, at, kind, direction, outcome, agent_id, body, message_id, amount"
	"          FROM cobro.event WHERE account_id = a.id ORDER BY at DESC, id DESC LIMIT $2)"
	"         UNION ALL"
	"         (SELECT id, at, kind, direction, outcome, agent_id, body, message_id, amount"
	"          FROM cobro.event WHERE debtor_id = d.id AND account_id IS NULL"
	"          ORDER BY at DESC, id DESC LIMIT $2)"
	"         ORDER BY at DESC, id DESC LIMIT $2) e"
	"   LEFT JOIN cobro.message m ON m.id = e.message_id"
	"   LEFT JOIN cobro.agent g ON g.id = e.agent_id))"
	" FROM cobro.account a JOIN cobro.debtor d ON d.id = a.debtor_id"
	" WHERE a.id = $1";

/* Copies src into dst (size n), cut to whole UTF-8 characters: the screen
 * measures what it draws with utf8proc, and half a character is garbage on a
 * terminal. The server sends valid UTF-8, so stepping back over continuation
 * bytes (10xxxxxx) from the cut lands on the start of a character. */
static void utf8_copy(char *dst, size_t n, const char *src)
{
	size_t len;

	if (n == 0)
		return;
	len = strnlen(src, n);
	if (len == n) {
		len = n - 1;
		while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* Missing keys and JSON nulls read as "", 0 and false. The query coalesces
 * them already; this only keeps a malformed reply from crashing the screen. */
static void get_str(const json_t *o, const char *key, char *dst, size_t n)
{
	const char *s = json_string_value(json_object_get(o, key));

	utf8_copy(dst, n, s ? s : "");
}

static long long get_int(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static bool get_bool(const json_t *o, const char *key)
{
	return json_is_true(json_object_get(o, key));
}

/* The list doc[key] and its length; a missing list is an empty one. */
static const json_t *get_list(const json_t *doc, const char *key, int *count)
{
	const json_t *a = json_object_get(doc, key);

	*count = json_is_array(a) ? (int)json_array_size(a) : 0;
	return a;
}

static void decode_account(const json_t *o, struct account_row *r)
{
	r->id = get_int(o, "id");
	get_str(o, "reference", r->reference, sizeof r->reference);
	get_str(o, "creditor", r->creditor, sizeof r->creditor);
	get_str(o, "product", r->product, sizeof r->product);
	get_str(o, "currency", r->currency, sizeof r->currency);
	r->balance = get_int(o, "balance");
	r->past_due = get_int(o, "past_due");
	r->dpd = (int)get_int(o, "dpd");
	get_str(o, "status", r->status, sizeof r->status);
	get_str(o, "segment", r->segment, sizeof r->segment);
	get_str(o, "agent", r->agent, sizeof r->agent);
}

static bool decode(const json_t *doc, long long account_id, struct account_view *v)
{
	const json_t *d = json_object_get(doc, "debtor"), *lease = json_object_get(doc, "lease");
	const json_t *a, *o;
	bool found = false;
	size_t i;

	if (!json_is_object(d))
		return false;
	v->debtor_id = get_int(d, "id");
	get_str(d, "name", v->name, sizeof v->name);
	get_str(d, "national_id", v->national_id, sizeof v->national_id);
	get_str(d, "language", v->language, sizeof v->language);
	get_str(d, "jurisdiction", v->jurisdiction, sizeof v->jurisdiction);
	get_str(d, "time_zone", v->time_zone, sizeof v->time_zone);
	get_str(d, "state", v->state, sizeof v->state);
	get_str(doc, "next_action_at", v->next_action_at, sizeof v->next_action_at);
	if (json_is_object(lease)) {
		get_str(lease, "login", v->lease_holder, sizeof v->lease_holder);
		get_str(lease, "name", v->lease_holder_name, sizeof v->lease_holder_name);
	}

	a = get_list(doc, "points", &v->npoints);
	v->points = xcalloc((size_t)v->npoints, sizeof *v->points);
	json_array_foreach(a, i, o) {
		struct contact_point_row *r = &v->points[i];

		r->id = get_int(o, "id");
		get_str(o, "kind", r->kind, sizeof r->kind);
		get_str(o, "value", r->value, sizeof r->value);
		get_str(o, "consent", r->consent, sizeof r->consent);
		get_str(o, "opted_out", r->opted_out, sizeof r->opted_out);
		r->bad = get_bool(o, "bad");
		r->primary = get_bool(o, "primary");
	}

	/* The open account is one of the debtor's, visible by the same rules:
	 * it is taken from the list rather than sent twice. */
	a = get_list(doc, "accounts", &v->naccounts);
	v->accounts = xcalloc((size_t)v->naccounts, sizeof *v->accounts);
	json_array_foreach(a, i, o) {
		decode_account(o, &v->accounts[i]);
		if (v->accounts[i].id == account_id) {
			v->account = v->accounts[i];
			found = true;
		}
	}

	a = get_list(doc, "installments", &v->ninstallments);
	v->installments = xcalloc((size_t)v->ninstallments, sizeof *v->installments);
	json_array_foreach(a, i, o) {
		struct installment_row *r = &v->installments[i];

		r->seq = (int)get_int(o, "seq");
		get_str(o, "due_date", r->due_date, sizeof r->due_date);
		r->amount = get_int(o, "amount");
		r->paid = get_int(o, "paid");
	}

	a = get_list(doc, "payments", &v->npayments);
	v->payments = xcalloc((size_t)v->npayments, sizeof *v->payments);
	json_array_foreach(a, i, o) {
		struct payment_row *r = &v->payments[i];

		get_str(o, "paid_at", r->paid_at, sizeof r->paid_at);
		r->amount = get_int(o, "amount");
		get_str(o, "method", r->method, sizeof r->method);
	}

	a = get_list(doc, "promises", &v->npromises);
	v->promises = xcalloc((size_t)v->npromises, sizeof *v->promises);
	json_array_foreach(a, i, o) {
		struct promise_row *r = &v->promises[i];

		r->id = get_int(o, "id");
		get_str(o, "created_at", r->created_at, sizeof r->created_at);
		get_str(o, "due_date", r->due_date, sizeof r->due_date);
		r->amount = get_int(o, "amount");
		r->discount = get_int(o, "discount");
		get_str(o, "status", r->status, sizeof r->status);
		get_str(o, "channel", r->channel, sizeof r->channel);
		get_str(o, "agent", r->agent, sizeof r->agent);
	}

	a = get_list(doc, "events", &v->nevents);
	v->events = xcalloc((size_t)v->nevents, sizeof *v->events);
	json_array_foreach(a, i, o) {
		struct event_row *r = &v->events[i];

		r->id = get_int(o, "id");
		get_str(o, "at", r->at, sizeof r->at);
		get_str(o, "kind", r->kind, sizeof r->kind);
		get_str(o, "direction", r->direction, sizeof r->direction);
		get_str(o, "outcome", r->outcome, sizeof r->outcome);
		get_str(o, "agent", r->agent, sizeof r->agent);
		get_str(o, "body", r->body, sizeof r->body);
		get_str(o, "message_status", r->message_status, sizeof r->message_status);
		r->amount = get_int(o, "amount");
	}
	return found;
}

/* Planning this statement costs more than running it: the history spans some
 * forty monthly partitions of event, each with its row-security quals, about
 * 3 ms of planning against 1 ms of execution on a million accounts. Prepared
 * once per connection, it is planned for its parameters five times and then
 * kept as a generic plan (the plans differ only in the account id), so a load
 * stays one round trip of about a millisecond. */
#define ACCOUNT_STMT "cobro_account_load"

/* Whether a connection has the statement is kept by libpq itself, as the
 * instance data of this event procedure: a new connection starts without it,
 * and a reset one (a new backend) loses it. */
static int account_events(PGEventId id, void *info, void *pass)
{
	(void)pass;
	if (id == PGEVT_CONNRESET)
		PQsetInstanceData(((PGEventConnReset *)info)->conn, account_events, NULL);
	return 1;
}

static char prepared_mark;

/* db_exec's error reporting, for PQprepare and PQexecPrepared (db.c wraps
 * PQexecParams only). */
static void take_error(struct db *db, PGresult *r)
{
	const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
	const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);

	if (PQstatus(db->conn) == CONNECTION_BAD) {
		msg = PQerrorMessage(db->conn);
		state = "08006";
	}
	snprintf(db->err, sizeof db->err, "%s", msg ? msg : "unknown error");
	db->err[strcspn(db->err, "\n")] = '\0';
	snprintf(db->sqlstate, sizeof db->sqlstate, "%s", state ? state : "");
}

static bool prepare(struct db *db)
{
	static const Oid types[2] = { 20, 23 }; /* bigint, integer */
	PGresult *r;

	if (PQinstanceData(db->conn, account_events))
		return true;
	/* Fails harmlessly when the procedure is there already (without the mark). */
	PQregisterEventProc(db->conn, account_events, "account", NULL);
	r = PQprepare(db->conn, ACCOUNT_STMT, account_sql, 2, types);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		take_error(db, r);
		PQclear(r);
		return false;
	}
	PQclear(r);
	PQsetInstanceData(db->conn, account_events, &prepared_mark);
	return true;
}

static PGresult *run(struct db *db, const char *const *params)
{
	PGresult *r;

	for (int attempt = 0; attempt < 2; attempt++) {
		if (!prepare(db))
			return NULL;
		r = PQexecPrepared(db->conn, ACCOUNT_STMT, 2, params, NULL, NULL, 0);
		if (PQresultStatus(r) == PGRES_TUPLES_OK) {
			db->err[0] = db->sqlstate[0] = '\0';
			return r;
		}
		take_error(db, r);
		PQclear(r);
		/* Someone ran DEALLOCATE ALL or DISCARD ALL: prepare again, and run
		 * again at once unless the error has spoilt a transaction. */
		if (strcmp(db->sqlstate, "26000"))
			break;
		PQsetInstanceData(db->conn, account_events, NULL);
		if (PQtransactionStatus(db->conn) != PQTRANS_IDLE)
			break;
	}
	return NULL;
}

bool account_load(struct db *db, long long account_id, int event_limit, struct account_view *v)
{
	char id[24], lim[16];
	const char *params[2] = { id, lim };
	json_error_t jerr;
	json_t *doc;
	PGresult *r;
	bool ok;

	memset(v, 0, sizeof *v);
	snprintf(id, sizeof id, "%lld", account_id);
	/* LIMIT refuses a negative count. */
	snprintf(lim, sizeof lim, "%d", event_limit > 0 ? event_limit : 0);
	if (!(r = run(db, params)))
		return false;
	if (PQntuples(r) != 1 || PQgetisnull(r, 0, 0)) {
		/* Not there, or not theirs: the same answer, so nobody learns which;
		 * the code is the one lease_take() gives for the same reason. */
		snprintf(db->err, sizeof db->err, "no such account");
		snprintf(db->sqlstate, sizeof db->sqlstate, "42501");
		PQclear(r);
		return false;
	}
	doc = json_loadb(PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0), 0, &jerr);
	PQclear(r);
	if (!doc) {
		snprintf(db->err, sizeof db->err, "account %lld: unreadable reply: %s", account_id, jerr.text);
		return false;
	}
	ok = decode(doc, account_id, v);
	json_decref(doc);
	if (!ok) {
		account_view_free(v);
		snprintf(db->err, sizeof db->err, "account %lld: incomplete reply", account_id);
	}
	return ok;
}

void account_view_free(struct account_view *v)
{
	free(v->points);
	free(v->accounts);
	free(v->installments);
	free(v->payments);
	free(v->promises);
	free(v->events);
	memset(v, 0, sizeof *v);
}
