#include "outbox.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

bool outbox_queue(struct db *db, const struct outbox_request *r, long long *id)
{
	char account[24], point[24], tmpl[24], segments[16];
	char *params = NULL;
	const char *p[10];
	PGresult *res = NULL;

	if (r->nparams > 0) {
		json_t *a = json_array();

		for (int i = 0; i < r->nparams; i++)
			json_array_append_new(a, json_string(r->params[i] ? r->params[i] : ""));
		params = json_dumps(a, JSON_COMPACT);
		json_decref(a);
	}
	snprintf(account, sizeof account, "%lld", r->account_id);
	snprintf(point, sizeof point, "%lld", r->point_id);
	snprintf(tmpl, sizeof tmpl, "%lld", r->template_id);
	snprintf(segments, sizeof segments, "%d", r->segments);
	p[0] = r->key;
	p[1] = account;
	p[2] = point;
	p[3] = channel_name(r->channel);
	p[4] = r->template_id > 0 ? tmpl : NULL;
	p[5] = r->channel == CH_EMAIL ? r->subject : NULL;
	p[6] = r->body;
	p[7] = params;
	p[8] = r->channel == CH_SMS ? segments : NULL;
	p[9] = r->channel == CH_SMS ? (r->ucs2 ? "ucs2" : "gsm7") : NULL;
	/* One statement, so one transaction: a serialization failure or a
	 * deadlock is safe to run again, and the key keeps it to one message. */
	for (int attempt = 0; attempt < 3; attempt++) {
		res = db_exec(
		    db,
		    "SELECT cobro.message_queue($1::uuid, $2::bigint, $3::bigint, $4, $5::bigint, $6, $7, "
		    "$8::jsonb, $9::integer, $10)",
		    10, p);
		if (res || db_classify(db->sqlstate) != DB_RETRY)
			break;
	}
	free(params);
	if (!res)
		return false;
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 0)) {
		snprintf(db->err, sizeof db->err, "message_queue: unexpected reply");
		db->sqlstate[0] = '\0';
		PQclear(res);
		return false;
	}
	*id = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	return true;
}

bool outbox_channel_senders(struct db *db, enum channel ch, int *n)
{
	const char *p[1] = { channel_name(ch) };
	PGresult *r = db_exec(db, "SELECT cobro.channel_senders($1)", 1, p);

	*n = 0;
	if (!r)
		return false;
	*n = PQntuples(r) == 1 ? atoi(PQgetvalue(r, 0, 0)) : 0;
	PQclear(r);
	return true;
}

static bool e164(const char *s)
{
	size_t n = 0;

	if (*s++ != '+' || *s < '1' || *s > '9')
		return false;
	for (; *s; s++, n++)
		if (*s < '0' || *s > '9')
			return false;
	return n >= 7 && n <= 15;
}

/* RFC 5322's atext, and the dots between atoms. */
static bool atext(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+/=?^_`{|}~-.", c));
}

static bool addr_spec(const char *s)
{
	const char *at = strchr(s, '@'), *p;
	bool label = false;

	if (!at || at == s || strchr(at + 1, '@') || strlen(s) > 254)
		return false;
	for (p = s; p < at; p++)
		if (!atext(*p))
			return false;
	if (*s == '.' || at[-1] == '.' || strstr(s, ".."))
		return false;
	/* The domain: dot-separated labels of letters, digits and hyphens, two at least. */
	if (!strchr(at + 1, '.'))
		return false;
	for (p = at + 1; *p; p++) {
		if (*p == '.') {
			if (!label)
				return false;
			label = false;
		} else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			   *p == '-') {
			label = true;
		} else {
			return false;
		}
	}
	return label;
}

bool outbox_recipient_ok(enum channel ch, const char *value, char *why, size_t whylen)
{
	if (!value || !*value) {
		snprintf(why, whylen, "no recipient");
		return false;
	}
	switch (ch) {
	case CH_SMS:
	case CH_WHATSAPP:
		if (e164(value))
			return true;
		snprintf(why, whylen, "the recipient is not one E.164 number");
		return false;
	case CH_EMAIL:
		if (addr_spec(value))
			return true;
		snprintf(why, whylen, "the recipient is not one plain email address");
		return false;
	default:
		snprintf(why, whylen, "%s messages are not sent by cobrod", channel_name(ch));
		return false;
	}
}

/* The installment a reminder is about: the one due on the account's oldest
 * unpaid date, else the first not paid in full (the next one when nothing is
 * late); NULL when all are paid. */
static const struct installment_row *due_installment(const struct account_view *v)
{
	const struct installment_row *first = NULL;

	for (int i = 0; i < v->ninstallments; i++) {
		const struct installment_row *r = &v->installments[i];

		if (r->paid >= r->amount)
			continue;
		if (v->account.oldest_due[0] && !strcmp(r->due_date, v->account.oldest_due))
			return r;
		if (!first || r->seq < first->seq)
			first = r;
	}
	return first;
}

static const char *or_null(const char *s)
{
	return s && *s ? s : NULL;
}

/* The pending promise, else the latest (the view lists them newest first). */
static const struct promise_row *spoken_promise(const struct account_view *v)
{
	for (int i = 0; i < v->npromises; i++)
		if (!strcmp(v->promises[i].status, "pending"))
			return &v->promises[i];
	return v->npromises > 0 ? &v->promises[0] : NULL;
}

void outbox_account_facts(const struct account_view *v, const char *today, struct template_account *a)
{
	const struct promise_row *p = spoken_promise(v);

	memset(a, 0, sizeof *a);
	a->today = today;
	a->past_due = v->account.past_due;
	a->oldest_due = v->account.oldest_due;
	for (int i = 0; i < v->ninstallments; i++)
		if (v->installments[i].paid < v->installments[i].amount)
			a->unpaid = true;
	if (p) {
		a->promise_status = p->status;
		a->promise_date = p->due_date;
	}
	a->has_payment = v->npayments > 0;
}

void outbox_template_data(const struct account_view *v, const char *agent_name, struct template_data *d,
			  char payment_date[OUTBOX_DATE_SIZE])
{
	const struct installment_row *due = due_installment(v);
	const struct promise_row *promise = spoken_promise(v);

	memset(d, 0, sizeof *d);
	payment_date[0] = '\0';
	d->language = or_null(v->language);
	/* Whose "$" a bare symbol would be: the debtor's country's. */
	d->country = or_null(v->jurisdiction);
	d->debtor_name = or_null(v->name);
	d->debtor_first_name = or_null(v->first_name);

	d->has_account = v->account.id != 0 || v->account.reference[0];
	d->account_reference = or_null(v->account.reference);
	d->currency = or_null(v->account.currency);
	d->balance = v->account.balance;
	d->past_due = v->account.past_due;
	if (due) {
		d->due_date = due->due_date;
		d->due_amount = due->amount - due->paid;
	}

	if (promise) {
		d->has_promise = true;
		d->promise_amount = promise->amount;
		d->promise_date = or_null(promise->due_date);
	}

	/* Newest first too; "YYYY-MM-DD HH:MM", of which a message says the day. */
	if (v->npayments > 0) {
		d->has_payment = true;
		d->payment_amount = v->payments[0].amount;
		snprintf(payment_date, OUTBOX_DATE_SIZE, "%.10s", v->payments[0].paid_at);
		d->payment_date = or_null(payment_date);
	}

	d->creditor_name = or_null(v->account.creditor);
	d->agent_name = or_null(agent_name);
	d->pay_link = or_null(v->account.pay_link);
}

/* Each placeholder of text in order ({{ and }} are literal braces, as
 * template.c reads them), rendered alone with d. */
bool outbox_template_params(const char *text, const struct template_data *d, char ***params, int *n,
			    char *err, size_t errsize)
{
	char **out = NULL;
	int count = 0;
	bool ok = true;

	for (const char *s = text; *s && ok; s++) {
		const char *end;
		char *one, *value;

		if ((s[0] == '{' && s[1] == '{') || (s[0] == '}' && s[1] == '}')) {
			s++;
			continue;
		}
		if (*s != '{')
			continue;
		if (!(end = strchr(s, '}'))) {
			snprintf(err, errsize, "an unclosed {");
			ok = false;
			break;
		}
		one = xmalloc((size_t)(end - s) + 2);
		memcpy(one, s, (size_t)(end - s) + 1);
		one[end - s + 1] = '\0';
		value = template_render(one, d, err, errsize);
		free(one);
		if (!value) {
			ok = false;
			break;
		}
		out = xrealloc(out, (size_t)(count + 1) * sizeof *out);
		out[count++] = value;
		s = end;
	}
	if (!ok) {
		outbox_params_free(out, count);
		out = NULL;
		count = 0;
	}
	*params = out;
	*n = count;
	return ok;
}

void outbox_params_free(char **params, int n)
{
	for (int i = 0; i < n; i++)
		free(params[i]);
	free(params);
}
