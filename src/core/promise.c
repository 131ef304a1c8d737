/* Promises in the database (promise.h). */
#include "promise.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

bool promise_limits_for(struct db *db, long long account_id, struct promise_account_limits *out)
{
	char id[24];
	const char *p[1] = { id };
	PGresult *r;

	snprintf(id, sizeof id, "%lld", account_id);
	r = db_exec(db,
	            "SELECT version, horizon_days, min_share_permille, max_installments, max_discount_permille, "
	            "grace_days, today::text FROM cobro.promise_limits_for($1::bigint)",
	            1, p);
	if (!r)
		return false;
	if (PQntuples(r) != 1 || !promise_parse_date(PQgetvalue(r, 0, 6), &out->today)) {
		snprintf(db->err, sizeof db->err, "%s", "no promise limits for this account");
		db->sqlstate[0] = '\0';
		PQclear(r);
		return false;
	}
	out->version = atoi(PQgetvalue(r, 0, 0));
	out->horizon_days = atoi(PQgetvalue(r, 0, 1));
	out->min_share_permille = atoi(PQgetvalue(r, 0, 2));
	out->max_installments = atoi(PQgetvalue(r, 0, 3));
	out->max_discount_permille = atoi(PQgetvalue(r, 0, 4));
	out->grace_days = atoi(PQgetvalue(r, 0, 5));
	PQclear(r);
	return true;
}

/* The codes of a text[] as PostgreSQL writes it ("{horizon,min_share}"). */
static unsigned limits_of(const char *array)
{
	unsigned out = 0;

	for (int l = 0; l < PL__COUNT; l++) {
		const char *code = promise_limit_code((enum promise_limit)l);
		size_t n = strlen(code);

		for (const char *p = strstr(array, code); p; p = strstr(p + 1, code))
			if ((p[-1] == '{' || p[-1] == ',') && (p[n] == ',' || p[n] == '}'))
				out |= 1u << l;
	}
	return out;
}

bool promise_save(struct db *db, const struct promise_request *r, struct promise_saved *out,
                  enum promise_error *refused)
{
	char account[24], amount[24], first[11], count[16], discount[24], replace[24];
	const struct promise_terms *t = &r->terms;
	const char *p[10] = {
		account, amount, first, count, promise_freq_name(t->freq), discount, t->channel,
		r->note && r->note[0] ? r->note : NULL, r->replace ? replace : NULL, r->key,
	};
	PGresult *res;

	*refused = PE_NONE;
	snprintf(account, sizeof account, "%lld", r->account_id);
	snprintf(amount, sizeof amount, "%lld", t->amount);
	promise_date_text(first, sizeof first, t->first_due);
	snprintf(count, sizeof count, "%d", t->count);
	snprintf(discount, sizeof discount, "%lld", t->discount);
	snprintf(replace, sizeof replace, "%lld", r->replace);
	res = db_exec(db,
	              "SELECT promise_id, status, coalesce(reasons, '{}')::text FROM cobro.promise_save("
	              "$1::bigint, $2::bigint, $3::date, $4::int, $5::text, $6::bigint, $7::text, $8::text, "
	              "$9::bigint, $10::uuid)",
	              10, p);
	if (!res) {
		if (!strcmp(db->sqlstate, "22023"))
			*refused = promise_error_from_message(db->err);
		return false;
	}
	if (PQntuples(res) != 1) {
		snprintf(db->err, sizeof db->err, "%s", "promise_save returned no row");
		db->sqlstate[0] = '\0';
		PQclear(res);
		return false;
	}
	out->id = atoll(PQgetvalue(res, 0, 0));
	snprintf(out->status, sizeof out->status, "%s", PQgetvalue(res, 0, 1));
	out->limits = limits_of(PQgetvalue(res, 0, 2));
	PQclear(res);
	return true;
}
