#include "template_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* The columns every read returns, in the order row_read expects. */
#define TEMPLATE_COLUMNS                                                                                     \
	"id, code, channel, language, subject, body, to_char(updated_at, 'YYYY-MM-DD HH24:MI'), created_by, " \
	"array_to_string(requires, ' ') "

static void row_read(PGresult *r, int i, struct stored_template *t)
{
	memset(t, 0, sizeof *t);
	t->id = atoll(PQgetvalue(r, i, 0));
	snprintf(t->code, sizeof t->code, "%s", PQgetvalue(r, i, 1));
	snprintf(t->channel, sizeof t->channel, "%s", PQgetvalue(r, i, 2));
	snprintf(t->language, sizeof t->language, "%s", PQgetvalue(r, i, 3));
	t->subject = PQgetisnull(r, i, 4) ? NULL : xstrdup(PQgetvalue(r, i, 4));
	t->body = xstrdup(PQgetvalue(r, i, 5));
	snprintf(t->updated_at, sizeof t->updated_at, "%s", PQgetvalue(r, i, 6));
	snprintf(t->created_by, sizeof t->created_by, "%s", PQgetvalue(r, i, 7));
	/* The table's CHECK keeps it to known facts; one written another way
	 * and unknown here requires a fact no account has. */
	if (!template_facts_parse(PQgetvalue(r, i, 8), &t->requires, NULL, 0))
		t->requires = 1u << TF_COUNT;
}

bool template_store_list(struct db *db, const char *channel, const char *language,
			 struct stored_template **out, int *n)
{
	const char *p[2] = {channel, language};
	PGresult *r =
	    db_exec(db,
		    "SELECT " TEMPLATE_COLUMNS "FROM cobro.template "
		    "WHERE ($1::text IS NULL OR channel = $1) AND ($2::text IS NULL OR language = $2) "
		    "ORDER BY code, channel, language",
		    2, p);

	*out = NULL;
	*n = 0;
	if (!r)
		return false;
	*n = PQntuples(r);
	*out = xcalloc((size_t)*n + 1, sizeof **out);
	for (int i = 0; i < *n; i++)
		row_read(r, i, &(*out)[i]);
	PQclear(r);
	return true;
}

bool template_store_get(struct db *db, const char *code, const char *channel, const char *language,
			struct stored_template *out)
{
	const char *p[3] = {code, channel, language};
	PGresult *r = db_exec(db,
			      "SELECT " TEMPLATE_COLUMNS
			      "FROM cobro.template WHERE code = $1 AND channel = $2 AND language = $3",
			      3, p);

	memset(out, 0, sizeof *out);
	if (!r)
		return false;
	if (PQntuples(r) != 1) {
		snprintf(db->err, sizeof db->err, "no template %s (%s, %s)", code, channel, language);
		snprintf(db->sqlstate, sizeof db->sqlstate, "02000");
		PQclear(r);
		return false;
	}
	row_read(r, 0, out);
	PQclear(r);
	return true;
}

/* Adds def, or replaces the one with its code, channel and language. The
 * insert goes first: ON CONFLICT waits for a concurrent adder, so the update
 * that follows a conflict always finds the row. The id stays, so messages
 * and strategy steps keep pointing at the template. */
static bool put_one(struct db *db, const struct template_def *def, bool *replaced)
{
	char facts[160];
	const char *p[6] = {def->code, def->channel, def->language, def->subject, def->body,
			    template_facts_array(def->requires, facts, sizeof facts)};
	PGresult *r = db_exec(db,
			      "INSERT INTO cobro.template (code, channel, language, subject, body, requires) "
			      "VALUES ($1, $2, $3, $4, $5, $6::text[]) "
			      "ON CONFLICT (code, channel, language) DO NOTHING RETURNING id",
			      6, p);
	bool inserted;

	if (!r)
		return false;
	inserted = PQntuples(r) == 1;
	PQclear(r);
	*replaced = !inserted;
	if (inserted)
		return true;
	return db_run(db,
		      "UPDATE cobro.template SET subject = $4, body = $5, requires = $6::text[], updated_at = now() "
		      "WHERE code = $1 AND channel = $2 AND language = $3",
		      6, p);
}

bool template_store_put(struct db *db, const struct template_def *defs, int n, bool *replaced)
{
	char err[sizeof db->err], state[sizeof db->sqlstate];

	if (!db_cmd(db, "BEGIN"))
		return false;
	for (int i = 0; i < n; i++) {
		bool rep;

		if (!put_one(db, &defs[i], &rep))
			goto fail;
		if (replaced)
			replaced[i] = rep;
	}
	if (db_cmd(db, "COMMIT"))
		return true;
fail:
	/* The ROLLBACK must not hide why the transaction failed. */
	memcpy(err, db->err, sizeof err);
	memcpy(state, db->sqlstate, sizeof state);
	db_cmd(db, "ROLLBACK");
	memcpy(db->err, err, sizeof err);
	memcpy(db->sqlstate, state, sizeof state);
	return false;
}

bool template_store_remove(struct db *db, const char *code, const char *channel, const char *language,
			   int *removed)
{
	const char *p[3] = {code, channel, language};
	PGresult *r =
	    db_exec(db,
		    "DELETE FROM cobro.template WHERE code = $1 AND ($2::text IS NULL OR channel = $2) "
		    "AND ($3::text IS NULL OR language = $3) RETURNING id",
		    3, p);

	*removed = 0;
	if (!r)
		return false;
	*removed = PQntuples(r);
	PQclear(r);
	return true;
}

bool template_store_account(struct db *db, const char *reference, long long *account_id)
{
	const char *p[1] = {reference};
	PGresult *r = db_exec(db, "SELECT id FROM cobro.account WHERE reference = $1", 1, p);

	*account_id = 0;
	if (!r)
		return false;
	if (PQntuples(r) != 1) {
		snprintf(db->err, sizeof db->err, "no account %s (or not one you may see)", reference);
		snprintf(db->sqlstate, sizeof db->sqlstate, "02000");
		PQclear(r);
		return false;
	}
	*account_id = atoll(PQgetvalue(r, 0, 0));
	PQclear(r);
	return true;
}

bool template_store_message_facts(struct db *db, const long long *ids, int n, int64_t at,
				  struct message_facts *out)
{
	struct buf arr = {0};
	char when[32];
	const char *p[2];
	PGresult *r;

	memset(out, 0, (size_t)n * sizeof *out);
	buf_puts(&arr, "{");
	for (int i = 0; i < n; i++)
		buf_printf(&arr, "%s%lld", i ? "," : "", ids[i]);
	buf_puts(&arr, "}");
	snprintf(when, sizeof when, "%lld", (long long)at);
	p[0] = arr.s;
	p[1] = when;
	r = db_exec(db,
		    "SELECT id, array_to_string(requires, ' '), today, past_due, oldest_due, unpaid, "
		    "promise_status, promise_date, has_payment "
		    "FROM cobro.message_facts($1::bigint[], to_timestamp($2::bigint))",
		    2, p);
	buf_free(&arr);
	if (!r)
		return false;
	for (int k = 0; k < PQntuples(r); k++) {
		long long id = atoll(PQgetvalue(r, k, 0));

		for (int i = 0; i < n; i++) {
			struct message_facts *f = &out[i];

			if (ids[i] != id)
				continue;
			f->known = true;
			if (!template_facts_parse(PQgetvalue(r, k, 1), &f->requires, NULL, 0))
				f->requires = 1u << TF_COUNT;
			snprintf(f->today, sizeof f->today, "%s", PQgetvalue(r, k, 2));
			f->past_due = atoll(PQgetvalue(r, k, 3));
			snprintf(f->oldest_due, sizeof f->oldest_due, "%s", PQgetvalue(r, k, 4));
			f->unpaid = PQgetvalue(r, k, 5)[0] == 't';
			snprintf(f->promise_status, sizeof f->promise_status, "%s", PQgetvalue(r, k, 6));
			snprintf(f->promise_date, sizeof f->promise_date, "%s", PQgetvalue(r, k, 7));
			f->has_payment = PQgetvalue(r, k, 8)[0] == 't';
		}
	}
	PQclear(r);
	return true;
}

void message_facts_account(const struct message_facts *f, struct template_account *a)
{
	*a = (struct template_account){
	    .today = f->today,
	    .past_due = f->past_due,
	    .oldest_due = f->oldest_due,
	    .unpaid = f->unpaid,
	    .promise_status = f->promise_status,
	    .promise_date = f->promise_date,
	    .has_payment = f->has_payment,
	};
}

void stored_template_free(struct stored_template *t)
{
	if (!t)
		return;
	free(t->subject);
	free(t->body);
	t->subject = t->body = NULL;
}

void stored_templates_free(struct stored_template *t, int n)
{
	for (int i = 0; i < n && t; i++)
		stored_template_free(&t[i]);
	free(t);
}
