#include "worklist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "phone.h"
#include "util.h"

/* The labels are translated by the screen; N_ only marks them for xgettext. */
#ifndef N_
#define N_(s) (s)
#endif
/* A label with a context (screens/ui/intl.h): "Cancelled" promises are
 * "anuladas", a cancelled prompt "cancelado". */
#ifndef NC_
#define NC_(ctx, s) ctx "\004" s
#endif

const struct worklist_bucket worklist_buckets[] = {
	{ N_("Any"), 0, -1 },      { N_("Current"), 0, 0 },   { N_("1-30"), 1, 30 },    { N_("31-60"), 31, 60 },
	{ N_("61-90"), 61, 90 },   { N_("91-180"), 91, 180 }, { N_("181+"), 181, -1 },
};
const int worklist_nbuckets = (int)ARRAY_SIZE(worklist_buckets);

const struct worklist_promise_state worklist_promise_states[] = {
	{ "pending", N_("Pending") }, { "kept", N_("Kept") },           { "broken", N_("Broken") },
	{ "cancelled", NC_("promise", "Cancelled") }, { "awaiting_approval", N_("To approve") },
	{ "rejected", N_("Rejected") }, { "none", N_("No promise") },
};
const int worklist_npromise_states = (int)ARRAY_SIZE(worklist_promise_states);

/* The terms of an account's priority (docs/priority.md) are the database's
 * (src/sql/functions/priority.sql): cobro.priority_total() of an account's
 * stored next_action_at, promise_due and rank_value under the weights of
 * cobro.conf, which are parameters here. The same functions order
 * worklist_page(), so the filtered worklist, the page and the account
 * screen's explanation agree to the bit. */
#define PRIORITY_TOTAL(cb, pb, cost) \
	"cobro.priority_total(a.next_action_at, a.promise_due, a.rank_value, " cb ", " pb ", " cost ")"

/* With no search and no filter, the page comes from cobro.worklist_page(),
 * which reads it in index order ($1 offset, $2 limit, $3..$5 weights). */
static const char page_sql[] = "SELECT * FROM cobro.worklist_page($1, $2, $3, $4, $5)";

/* A search or a filter: the person's workable accounts (account_worklist_idx)
 * that match, ranked as worklist_page() ranks them. Accounts that are not
 * worked (dispute, legal hold, cease, closed; debtors in a do-not-contact
 * state) are not "workable".
 *
 * One text for every query: each filter is a parameter that is NULL when
 * unused, and as libpq plans an unnamed statement with its values, the unused
 * ones fold away. A collector has a few thousand accounts; every condition
 * below is a cheap check on those rows, so no index on names, ids or phones
 * is needed here.
 *   $6  search text: name words and reference prefix
 *   $7  national id, upper-case letters and digits only
 *   $8  E.164 readings of the search as a phone number (text[])
 *   $9  its digits, when 7 or more: the end of a stored number
 *   $10, $11 days past due from, to; $12 segment; $13 promise; $14 jurisdiction
 * Name words are escaped for LIKE after folding, as unaccent turns some
 * characters into % and \ (U+FE6A, U+2216). */
static const char worklist_sql[] =
	"SELECT a.id, d.name, a.reference, greatest(0, current_date - a.oldest_due), "
	"       a.balance, a.currency, cobro.promise_shown(a.promise_status, a.promise_due, d.time_zone), "
	"       coalesce(to_char(a.last_contact_at, 'YYYY-MM-DD HH24:MI'), ''), a.segment, "
	"       d.jurisdiction, count(*) OVER () "
	"FROM cobro.account a "
	"JOIN cobro.debtor d ON d.id = a.debtor_id "
	"WHERE a.agent_id = cobro.my_agent_id() AND a.workable "
	"  AND ($6::text IS NULL "
	"       OR cobro.fold(d.name) LIKE ALL (ARRAY("
	"              SELECT '%' || replace(replace(replace(w, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%' "
	"              FROM regexp_split_to_table(cobro.fold($6), '\\s+') AS w WHERE w <> '')) "
	"       OR starts_with(lower(a.reference), lower($6)) "
	"       OR upper(regexp_replace(d.national_id, '[^0-9A-Za-z]', '', 'g')) = $7::text "
	"       OR EXISTS (SELECT 1 FROM cobro.contact_point c "
	"                  WHERE c.debtor_id = d.id AND c.kind IN ('phone', 'mobile', 'whatsapp') "
	"                    AND (c.value = ANY ($8::text[]) "
	"                         OR right(c.value, length($9::text)) = $9::text))) "
	"  AND ($10::int IS NULL OR greatest(0, current_date - a.oldest_due) >= $10::int) "
	"  AND ($11::int IS NULL OR greatest(0, current_date - a.oldest_due) <= $11::int) "
	"  AND ($12::text IS NULL OR a.segment = $12::text) "
	"  AND ($13::text IS NULL OR coalesce(a.promise_status, 'none') = $13::text) "
	"  AND ($14::text IS NULL OR $14::text IN (d.jurisdiction, split_part(d.jurisdiction, '-', 1))) "
	"ORDER BY " PRIORITY_TOTAL("$3", "$4", "$5") " DESC, a.id "
	"OFFSET $1 LIMIT $2";

/* Countries whose national formats a typed number may be in: the ones
 * phone_normalize() knows. */
static const char *const phone_countries[] = { "PE", "MX", "CO", "CL", "AR", "ES", "US" };

static bool is_blank(char c)
{
	return c && strchr(" \t\r\n\v\f", c);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The search without surrounding blanks, in buf; NULL when nothing is left.
 * Longer than buf it is cut at a character boundary: a cut UTF-8 sequence
 * would make the server refuse the whole statement. */
static const char *trimmed(const char *s, char *buf, size_t size)
{
	size_t n;

	if (!s)
		return NULL;
	while (is_blank(*s))
		s++;
	n = strlen(s);
	while (n && is_blank(s[n - 1]))
		n--;
	if (n >= size)
		for (n = size - 1; n && ((unsigned char)s[n] & 0xc0) == 0x80; n--)
			;
	if (!n)
		return NULL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

static const char *or_null(const char *s)
{
	return s && s[0] ? s : NULL;
}

/* National ids are stored as issued ("15.319.439-4", "BANP800621HNLXXQR7")
 * and typed any way: compare letters and digits only, upper case. An id
 * always has a digit, so a name never reads as one. */
static const char *national_id_key(const char *s, char *out, size_t size)
{
	size_t n = 0;
	bool digit = false;

	for (; *s && n + 1 < size; s++) {
		char c = *s;

		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (is_digit(c) || (c >= 'A' && c <= 'Z'))
			out[n++] = c;
		digit = digit || is_digit(c);
	}
	out[n] = '\0';
	return digit ? out : NULL;
}

/* The digits of s when it is written like a phone number (digits, blanks,
 * + . - ( ) /) and has from 7 to 15 of them; fewer would match too much. */
static const char *phone_digits(const char *s, char *out, size_t size)
{
	size_t n = 0;

	for (; *s; s++) {
		if (is_digit(*s)) {
			if (n + 1 >= size || n == 15)
				return NULL;
			out[n++] = *s;
		} else if (!strchr(" \t+.-()/", *s)) {
			return NULL;
		}
	}
	out[n] = '\0';
	return n >= 7 ? out : NULL;
}

/* Every E.164 number the search may be, as a text[] literal in out: as
 * written when it carries its country code (+ or 00), else read as a national
 * number of each supported country. The debtor's own country is not known
 * until the row is, so all readings are tried at once. NULL when none. */
static const char *phone_candidates(const char *s, char *out, size_t size)
{
	char e164[ARRAY_SIZE(phone_countries)][PHONE_E164_SIZE];
	size_t n = 0, len;
	const char *lead = s + strspn(s, " \t");

	if (lead[0] == '+' || (lead[0] == '0' && lead[1] == '0')) {
		if (phone_normalize(s, NULL, e164[0], sizeof e164[0], NULL, 0))
			n = 1;
	} else {
		for (size_t i = 0; i < ARRAY_SIZE(phone_countries); i++) {
			char cand[PHONE_E164_SIZE];
			size_t j;

			if (!phone_normalize(s, phone_countries[i], cand, sizeof cand, NULL, 0))
				continue;
			for (j = 0; j < n && strcmp(e164[j], cand) != 0; j++)
				;
			if (j == n)
				memcpy(e164[n++], cand, sizeof cand);
		}
	}
	if (!n)
		return NULL;
	/* E.164 is "+" and digits: nothing in it needs quoting in an array literal. */
	len = (size_t)snprintf(out, size, "{%s", e164[0]);
	for (size_t j = 1; j < n && len < size; j++)
		len += (size_t)snprintf(out + len, size - len, ",%s", e164[j]);
	if (len + 1 >= size)
		return NULL;
	strcat(out, "}");
	return out;
}

#define COPY_FIELD(dst, r, i, col) snprintf((dst), sizeof(dst), "%s", PQgetvalue((r), (i), (col)))

bool worklist_fetch_query(struct db *db, const struct priority_weights *w, const struct worklist_query *q,
                          int offset, int limit, struct worklist *out)
{
	static const struct worklist_query everything = { 0 };
	char off[16], lim[16], cb[32], pb[32], cost[32], from[16], to[16];
	char search_buf[512], nid[128], phones[ARRAY_SIZE(phone_countries) * PHONE_E164_SIZE + 2], digits[16];
	const char *search;
	const char *p[14] = { off, lim, cb, pb, cost };
	bool filtered = false;
	PGresult *r;

	memset(out, 0, sizeof *out);
	if (!q)
		q = &everything;
	if (q->dpd_bucket < 0 || q->dpd_bucket >= worklist_nbuckets) {
		snprintf(db->err, sizeof db->err, "no days-past-due bucket %d", q->dpd_bucket);
		db->sqlstate[0] = '\0';
		return false;
	}
	snprintf(off, sizeof off, "%d", offset);
	snprintf(lim, sizeof lim, "%d", limit);
	snprintf(cb, sizeof cb, "%.17g", w->callback_due);
	snprintf(pb, sizeof pb, "%.17g", w->promise_broken);
	snprintf(cost, sizeof cost, "%.17g", w->contact_cost);

	if ((search = trimmed(q->search, search_buf, sizeof search_buf))) {
		p[5] = search;
		p[6] = national_id_key(search, nid, sizeof nid);
		p[7] = phone_candidates(search, phones, sizeof phones);
		p[8] = phone_digits(search, digits, sizeof digits);
	}
	if (q->dpd_bucket > 0) {
		const struct worklist_bucket *bk = &worklist_buckets[q->dpd_bucket];

		snprintf(from, sizeof from, "%d", bk->from);
		snprintf(to, sizeof to, "%d", bk->to);
		p[9] = from;
		p[10] = bk->to >= 0 ? to : NULL;
	}
	p[11] = or_null(q->segment);
	p[12] = or_null(q->promise);
	p[13] = or_null(q->jurisdiction);
	for (size_t i = 5; i < ARRAY_SIZE(p); i++)
		filtered = filtered || p[i];

	if (filtered)
		r = db_exec(db, worklist_sql, (int)ARRAY_SIZE(p), p);
	else
		r = db_exec(db, page_sql, 5, p);
	if (!r)
		return false;
	out->count = PQntuples(r);
	out->rows = xcalloc((size_t)out->count, sizeof *out->rows);
	for (int i = 0; i < out->count; i++) {
		struct worklist_row *row = &out->rows[i];

		row->account_id = atoll(PQgetvalue(r, i, 0));
		COPY_FIELD(row->debtor, r, i, 1);
		COPY_FIELD(row->reference, r, i, 2);
		row->dpd = atoi(PQgetvalue(r, i, 3));
		row->balance = atoll(PQgetvalue(r, i, 4));
		COPY_FIELD(row->currency, r, i, 5);
		COPY_FIELD(row->promise, r, i, 6);
		COPY_FIELD(row->last_contact, r, i, 7);
		COPY_FIELD(row->segment, r, i, 8);
		COPY_FIELD(row->jurisdiction, r, i, 9);
		out->total = atoll(PQgetvalue(r, i, 10));
	}
	PQclear(r);
	return true;
}

/* Measured against the database's own clock, so that a skew between its
 * host and the workstation's does not matter. */
static const char steady_sql[] =
	"SELECT extract(epoch FROM least("
	"         (SELECT min(a.next_action_at) FROM cobro.account a "
	"          WHERE a.agent_id = cobro.my_agent_id() AND a.workable AND a.next_action_at > now()), "
	"         (current_date + 1)::timestamptz) - now())";

bool worklist_steady_for(struct db *db, double *seconds)
{
	PGresult *r = db_exec(db, steady_sql, 0, NULL);

	if (!r)
		return false;
	*seconds = PQntuples(r) == 1 ? atof(PQgetvalue(r, 0, 0)) : 0;
	PQclear(r);
	return true;
}

/* The same rows as worklist_page() counts: collector_own's rule, the
 * caller's accounts in the caller's team (account_worklist_idx). */
static const char members_sql[] =
	"SELECT a.id, a.debtor_id FROM cobro.account a "
	"WHERE a.agent_id = cobro.my_agent_id() AND a.team_id = cobro.my_team_id() AND a.workable "
	"ORDER BY a.id";

bool worklist_members(struct db *db, struct worklist_member **out, int *n)
{
	PGresult *r = db_exec(db, members_sql, 0, NULL);

	*out = NULL;
	*n = 0;
	if (!r)
		return false;
	*n = PQntuples(r);
	*out = xcalloc((size_t)*n + 1, sizeof **out);
	for (int i = 0; i < *n; i++) {
		(*out)[i].account_id = atoll(PQgetvalue(r, i, 0));
		(*out)[i].debtor_id = atoll(PQgetvalue(r, i, 1));
	}
	PQclear(r);
	return true;
}

bool worklist_debtors_of(struct db *db, const long long *ids, int n, long long **out, int *nout)
{
	struct buf arr = { 0 };
	const char *p[1];
	PGresult *r;

	*out = NULL;
	*nout = 0;
	buf_puts(&arr, "{");
	for (int i = 0; i < n; i++)
		buf_printf(&arr, "%s%lld", i ? "," : "", ids[i]);
	buf_puts(&arr, "}");
	p[0] = arr.s;
	r = db_exec(db, "SELECT DISTINCT debtor_id FROM cobro.account WHERE id = ANY($1::bigint[]) ORDER BY 1", 1, p);
	buf_free(&arr);
	if (!r)
		return false;
	*nout = PQntuples(r);
	*out = xcalloc((size_t)*nout + 1, sizeof **out);
	for (int i = 0; i < *nout; i++)
		(*out)[i] = atoll(PQgetvalue(r, i, 0));
	PQclear(r);
	return true;
}

void worklist_free(struct worklist *w)
{
	free(w->rows);
	memset(w, 0, sizeof *w);
}

/* The same terms for one account, and its place among the person's own.
 * p(pay) is read back from the stored rank: rank_value / balance. */
static const char explain_sql[] =
	"WITH t AS ("
	"  SELECT a.id, cobro.priority_callback(a.next_action_at, $2) AS cb, "
	"         cobro.priority_promise(a.promise_due, $3) AS pb, "
	"         CASE WHEN a.balance > 0 THEN a.rank_value / a.balance ELSE 0 END AS ppay, a.balance, a.currency, "
	"         " PRIORITY_TOTAL("$2", "$3", "$4") " AS total "
	"  FROM cobro.account a "
	"  WHERE a.agent_id = cobro.my_agent_id() AND a.workable) "
	"SELECT t.cb, t.pb, t.ppay, t.balance, t.currency, t.total, "
	"       (SELECT count(*) FROM t u WHERE u.total > t.total OR (u.total = t.total AND u.id < t.id)) + 1, "
	"       (SELECT count(*) FROM t) "
	"FROM t WHERE t.id = $1";

bool worklist_explain(struct db *db, const struct priority_weights *w, long long account_id,
                      struct priority_terms *out)
{
	char id[24], cb[32], pb[32], cost[32];
	const char *p[4] = { id, cb, pb, cost };
	PGresult *r;

	memset(out, 0, sizeof *out);
	snprintf(id, sizeof id, "%lld", account_id);
	snprintf(cb, sizeof cb, "%.17g", w->callback_due);
	snprintf(pb, sizeof pb, "%.17g", w->promise_broken);
	snprintf(cost, sizeof cost, "%.17g", w->contact_cost);
	if (!(r = db_exec(db, explain_sql, 4, p)))
		return false;
	if (PQntuples(r) == 1) {
		out->callback = atof(PQgetvalue(r, 0, 0));
		out->promise = atof(PQgetvalue(r, 0, 1));
		out->ppay = atof(PQgetvalue(r, 0, 2));
		out->balance = atoll(PQgetvalue(r, 0, 3));
		snprintf(out->currency, sizeof out->currency, "%s", PQgetvalue(r, 0, 4));
		out->contact_cost = w->contact_cost;
		out->total = atof(PQgetvalue(r, 0, 5));
		out->rank = atoll(PQgetvalue(r, 0, 6));
		out->of = atoll(PQgetvalue(r, 0, 7));
		out->ranked = true;
	}
	PQclear(r);
	return true;
}
