#include "account.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lease.h"
#include "policy.h"
#include "util.h"

/* The whole screen is one call of cobro.account_screen() (008_account_screen.sql):
 * one round trip and one snapshot, so the balance, the installments, the
 * history and the policy's facts always agree with each other. The function
 * keeps its own generic plan; the statement here is trivial to plan. */
static const char account_sql[] =
	"SELECT cobro.account_screen($1, $2, to_timestamp($3::bigint))";
/* Opening an account also takes its lease, in the same round trip: the
 * lease is the caller's ($4, $5 as for lease_take()), the screen does not
 * depend on it, and an account the person may not see fails both alike. */
static const char account_open_sql[] =
	"SELECT s, l.holder, l.holder_name, l.mine"
	" FROM cobro.account_screen($1, $2, to_timestamp($3::bigint)) s"
	" LEFT JOIN cobro.lease_take($1, $4, $5::integer) l ON true";

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

static void get_item(const json_t *a, size_t index, char *dst, size_t n)
{
	const char *s = json_string_value(json_array_get(a, index));

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

/* A list of codes (["horizon", "min_share"]) as "horizon,min_share". */
static void get_codes(const json_t *o, const char *key, char *dst, size_t n)
{
	const json_t *a = json_object_get(o, key), *c;
	size_t i, len = 0;

	dst[0] = '\0';
	json_array_foreach(a, i, c) {
		const char *s = json_string_value(c);

		if (s && len < n)
			len += (size_t)snprintf(dst + len, n - len, "%s%s", len ? "," : "", s);
	}
	if (len >= n)
		dst[0] = '\0'; /* never half a code: the screen shows none rather than a wrong one */
}

/* The promise's plan, appended to the view's installments of plans. */
static void decode_plan(const json_t *a, struct promise_row *r, struct account_view *v)
{
	const json_t *o;
	size_t i;

	r->plan = v->nplan;
	r->nplan = json_is_array(a) ? (int)json_array_size(a) : 0;
	if (!r->nplan)
		return;
	v->plan = xrealloc(v->plan, (size_t)(v->nplan + r->nplan) * sizeof *v->plan);
	json_array_foreach(a, i, o) {
		struct plan_row *p = &v->plan[v->nplan++];

		memset(p, 0, sizeof *p);
		p->seq = (int)get_int(o, "seq");
		get_str(o, "due_date", p->due_date, sizeof p->due_date);
		p->amount = get_int(o, "amount");
		p->paid = get_int(o, "paid");
		get_str(o, "status", p->status, sizeof p->status);
	}
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
	get_str(o, "oldest_due", r->oldest_due, sizeof r->oldest_due);
	get_str(o, "pay_link", r->pay_link, sizeof r->pay_link);
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
	get_str(d, "first_name", v->first_name, sizeof v->first_name);
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
		get_str(o, "proposal", r->proposal, sizeof r->proposal);
	}

	/* Where the account stands in its strategy; none before a run placed it. */
	o = json_object_get(doc, "strategy");
	if ((v->strategy.placed = json_is_object(o))) {
		get_str(o, "segment", v->strategy.segment, sizeof v->strategy.segment);
		get_str(o, "ladder", v->strategy.ladder, sizeof v->strategy.ladder);
		get_str(o, "variant", v->strategy.variant, sizeof v->strategy.variant);
		get_str(o, "state", v->strategy.state, sizeof v->strategy.state);
		get_str(o, "state_reason", v->strategy.state_reason, sizeof v->strategy.state_reason);
		get_str(o, "last_step", v->strategy.last_step, sizeof v->strategy.last_step);
		get_str(o, "last_step_at", v->strategy.last_step_at, sizeof v->strategy.last_step_at);
		get_str(o, "next_step", v->strategy.next_step, sizeof v->strategy.next_step);
		get_str(o, "next_step_on", v->strategy.next_step_on, sizeof v->strategy.next_step_on);
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
		get_str(o, "frequency", r->frequency, sizeof r->frequency);
		r->installments = (int)get_int(o, "installments");
		get_codes(o, "reasons", r->reasons, sizeof r->reasons);
		get_str(o, "decided_by", r->decided_by, sizeof r->decided_by);
		get_str(o, "decision_reason", r->decision_reason, sizeof r->decision_reason);
		r->due_today = get_bool(o, "due_today");
		decode_plan(json_object_get(o, "plan"), r, v);
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
		r->due = get_int(o, "due");
		get_str(o, "zone", r->zone, sizeof r->zone);
	}
	get_str(doc, "policy_state", v->policy_state, sizeof v->policy_state);
	get_str(doc, "creditor_code", v->creditor_code, sizeof v->creditor_code);
	a = get_list(doc, "contacts", &v->ncontacts);
	v->contacts = xcalloc((size_t)v->ncontacts, sizeof *v->contacts);
	json_array_foreach(a, i, o) {
		struct contact_fact *f = &v->contacts[i];

		f->at = json_integer_value(json_array_get(o, 0));
		get_item(o, 1, f->channel, sizeof f->channel);
		get_item(o, 2, f->kind, sizeof f->kind);
		get_item(o, 3, f->debt, sizeof f->debt);
		get_item(o, 4, f->creditor, sizeof f->creditor);
	}
	return found;
}

/* Reads the screen's document from column 0 of r into v. */
static bool view_from_result(struct db *db, const PGresult *r, long long account_id, struct account_view *v)
{
	json_error_t jerr;
	json_t *doc;
	bool ok;

	if (PQntuples(r) != 1 || PQgetisnull(r, 0, 0)) {
		/* Not there, or not theirs: the same answer, so nobody learns which;
		 * the code is the one lease_take() gives for the same reason. */
		snprintf(db->err, sizeof db->err, "no such account");
		snprintf(db->sqlstate, sizeof db->sqlstate, "42501");
		return false;
	}
	doc = json_loadb(PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0), 0, &jerr);
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

/* The screen's three parameters: the account, the history's length, and the
 * start of the contacts the policy counts. */
static void screen_params(long long account_id, int event_limit, int64_t at, char id[24], char lim[16],
                          char since[24])
{
	snprintf(id, 24, "%lld", account_id);
	/* LIMIT refuses a negative count. */
	snprintf(lim, 16, "%d", event_limit > 0 ? event_limit : 0);
	snprintf(since, 24, "%lld", (long long)((at ? at : (int64_t)time(NULL)) - POLICY_LOOKBACK));
}

bool account_load(struct db *db, long long account_id, int event_limit, int64_t at, struct account_view *v)
{
	char id[24], lim[16], since[24];
	const char *params[3] = { id, lim, since };
	PGresult *r;
	bool ok;

	memset(v, 0, sizeof *v);
	screen_params(account_id, event_limit, at, id, lim, since);
	if (!(r = db_exec(db, account_sql, 3, params)))
		return false;
	ok = view_from_result(db, r, account_id, v);
	PQclear(r);
	return ok;
}

bool account_open(struct db *db, long long account_id, int event_limit, int64_t at, struct lease *lease,
                  struct account_view *v)
{
	char id[24], lim[16], since[24], secs[16];
	const char *params[5] = { id, lim, since, lease_session(), secs };
	PGresult *r;
	bool ok;

	memset(v, 0, sizeof *v);
	memset(lease, 0, sizeof *lease);
	screen_params(account_id, event_limit, at, id, lim, since);
	snprintf(secs, sizeof secs, "%d", LEASE_SECONDS);
	if (!(r = db_exec(db, account_open_sql, 5, params)))
		return false;
	ok = view_from_result(db, r, account_id, v);
	if (ok)
		lease_from_result(r, 1, lease);
	PQclear(r);
	return ok;
}

bool account_rehearse(struct db *db, long long account_id, int event_limit, int64_t at,
                      struct account_view *v)
{
	struct lease lease;
	bool ok;

	memset(v, 0, sizeof *v);
	if (!db_cmd(db, "BEGIN"))
		return false;
	ok = account_open(db, account_id, event_limit, at, &lease, v);
	/* A failed rollback leaves the connection broken, which the caller's
	 * next statement finds out. */
	db_cmd(db, "ROLLBACK");
	return ok;
}

void account_view_free(struct account_view *v)
{
	free(v->points);
	free(v->accounts);
	free(v->installments);
	free(v->payments);
	free(v->promises);
	free(v->plan);
	free(v->events);
	free(v->contacts);
	memset(v, 0, sizeof *v);
}
