/* Reassignment: the filter and targets handed to functions/reassign.sql as
 * parameters (the filter as one JSON object, the targets as a text array),
 * its rows read back into the structs of reassign.h. Every rule (who may,
 * which team, leases, undo) is the database's. */
#include "reassign.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "worklist.h"

#define COPY(dst, r, i, col) snprintf((dst), sizeof(dst), "%s", PQgetvalue((r), (i), (col)))

void reassign_filter_init(struct reassign_filter *f)
{
	memset(f, 0, sizeof *f);
	f->balance_min = -1;
	f->balance_max = -1;
	f->dpd_from = -1;
	f->dpd_to = -1;
}

static const char *const mode_names[] = { "one", "count", "balance" };

bool reassign_mode_parse(const char *s, enum reassign_mode *out)
{
	for (int i = 0; i < 3; i++)
		if (s && strcmp(s, mode_names[i]) == 0) {
			*out = (enum reassign_mode)i;
			return true;
		}
	return false;
}

const char *reassign_mode_name(enum reassign_mode m)
{
	return (unsigned)m < 3 ? mode_names[m] : "?";
}

static bool fail(struct db *db, const char *sqlstate, const char *msg)
{
	snprintf(db->err, sizeof db->err, "%s", msg);
	snprintf(db->sqlstate, sizeof db->sqlstate, "%s", sqlstate);
	return false;
}

static void put_text(json_t *o, const char *key, const char *v)
{
	if (v && *v)
		json_object_set_new(o, key, json_string(v));
}

static void put_int(json_t *o, const char *key, long long v)
{
	if (v >= 0)
		json_object_set_new(o, key, json_integer(v));
}

/* The filter as functions/reassign.sql reads it (reassign_pick()); NULL
 * with db->err when it cannot be one. The caller frees it. */
static char *filter_json(struct db *db, const struct reassign_filter *f)
{
	json_t *o;
	char *s;
	int from = f->dpd_from, to = f->dpd_to;

	if (f->dpd_bucket < 0 || f->dpd_bucket >= worklist_nbuckets) {
		fail(db, "22023", "no such days-past-due bucket");
		return NULL;
	}
	if (f->dpd_bucket > 0) {
		from = worklist_buckets[f->dpd_bucket].from;
		to = worklist_buckets[f->dpd_bucket].to;
	}
	o = json_object();
	put_text(o, "team", f->team);
	put_text(o, "agent", f->agent);
	put_text(o, "segment", f->segment);
	put_int(o, "dpd_from", from);
	put_int(o, "dpd_to", to);
	put_int(o, "balance_min", f->balance_min);
	put_int(o, "balance_max", f->balance_max);
	put_text(o, "status", f->status);
	put_text(o, "promise", f->promise);
	if (f->no_contact_days > 0)
		put_int(o, "no_contact_days", f->no_contact_days);
	put_text(o, "jurisdiction", f->jurisdiction);
	s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	if (!s)
		die("out of memory");
	return s;
}

/* The targets as a PostgreSQL array literal, each element quoted. */
static char *targets_array(struct db *db, const struct reassign_targets *t)
{
	struct buf b = { 0 };

	if (!t || t->n < 1 || t->n > REASSIGN_MAX_TARGETS) {
		fail(db, "22023", "name 1 to 64 target agents");
		return NULL;
	}
	buf_add(&b, "{", 1);
	for (int i = 0; i < t->n; i++) {
		if (i)
			buf_add(&b, ",", 1);
		buf_add(&b, "\"", 1);
		for (const char *p = t->logins[i] ? t->logins[i] : ""; *p; p++) {
			if (*p == '"' || *p == '\\')
				buf_add(&b, "\\", 1);
			buf_add(&b, p, 1);
		}
		buf_add(&b, "\"", 1);
	}
	buf_add(&b, "}", 1);
	return b.s;
}

static void total_add(struct reassign_total *t, const char *currency, long long accounts, long long balance)
{
	int i;

	t->accounts += accounts;
	if (!currency || !*currency)
		return;
	for (i = 0; i < t->ncur && strcmp(t->cur[i].currency, currency); i++)
		;
	if (i == t->ncur) {
		if (t->ncur == REASSIGN_MAX_CURRENCIES)
			return;
		snprintf(t->cur[i].currency, sizeof t->cur[i].currency, "%s", currency);
		t->ncur++;
	}
	t->cur[i].accounts += accounts;
	t->cur[i].balance += balance;
}

bool reassign_count(struct db *db, const struct reassign_filter *f, struct reassign_total *out)
{
	char *js;
	PGresult *r;

	memset(out, 0, sizeof *out);
	if (!(js = filter_json(db, f)))
		return false;
	r = db_exec(db, "SELECT currency, accounts, balance FROM cobro.reassign_count($1::jsonb)", 1,
	            (const char *const[]){ js });
	free(js);
	if (!r)
		return false;
	for (int i = 0; i < PQntuples(r); i++)
		total_add(out, PQgetvalue(r, i, 0), atoll(PQgetvalue(r, i, 1)), atoll(PQgetvalue(r, i, 2)));
	PQclear(r);
	return true;
}

/* Rows of reassign_shares() from column c0 on (idx, login, name,
 * currency, accounts, balance, pending, unchanged) into out. */
static void shares_read(PGresult *r, int c0, int ntargets, struct reassign_preview *out)
{
	out->shares = xcalloc((size_t)ntargets + 1, sizeof *out->shares);
	out->n = ntargets;
	for (int i = 0; i < PQntuples(r); i++) {
		int k = atoi(PQgetvalue(r, i, c0)) - 1;
		struct reassign_share *s;
		long long n = atoll(PQgetvalue(r, i, c0 + 4)), bal = atoll(PQgetvalue(r, i, c0 + 5));
		long long pending = atoll(PQgetvalue(r, i, c0 + 6)), unchanged = atoll(PQgetvalue(r, i, c0 + 7));

		if (k < 0 || k >= ntargets)
			continue;
		s = &out->shares[k];
		COPY(s->login, r, i, c0 + 1);
		COPY(s->name, r, i, c0 + 2);
		total_add(&s->get, PQgetvalue(r, i, c0 + 3), n, bal);
		s->pending += pending;
		total_add(&out->all, PQgetvalue(r, i, c0 + 3), n, bal);
		out->pending += pending;
		out->unchanged += unchanged;
	}
}

/* Runs the preview or the apply: fn names the function, with_batch says
 * whether its first column is the batch. */
static bool run_plan(struct db *db, const char *sql, bool with_batch, const struct reassign_filter *f,
                     const struct reassign_targets *t, enum reassign_mode m, long long *batch,
                     struct reassign_preview *out)
{
	char *js, *arr;
	PGresult *r;

	memset(out, 0, sizeof *out);
	if ((unsigned)m > REASSIGN_BALANCE)
		return fail(db, "22023", "a mode is one, count or balance");
	if (!(js = filter_json(db, f)))
		return false;
	if (!(arr = targets_array(db, t))) {
		free(js);
		return false;
	}
	r = db_exec(db, sql, 3, (const char *const[]){ js, arr, reassign_mode_name(m) });
	free(js);
	free(arr);
	if (!r)
		return false;
	if (batch)
		*batch = PQntuples(r) && !PQgetisnull(r, 0, 0) ? atoll(PQgetvalue(r, 0, 0)) : 0;
	shares_read(r, with_batch ? 1 : 0, t->n, out);
	PQclear(r);
	return true;
}

bool reassign_preview(struct db *db, const struct reassign_filter *f, const struct reassign_targets *t,
                      enum reassign_mode m, struct reassign_preview *out)
{
	return run_plan(db,
	                "SELECT idx, login, name, coalesce(currency, ''), accounts, balance, pending, unchanged "
	                "FROM cobro.reassign_preview($1::jsonb, $2::text[], $3)",
	                false, f, t, m, NULL, out);
}

bool reassign_apply(struct db *db, const struct reassign_filter *f, const struct reassign_targets *t,
                    enum reassign_mode m, long long *batch, struct reassign_preview *out)
{
	struct reassign_preview mine;
	bool ok;

	*batch = 0;
	ok = run_plan(db,
	              "SELECT batch, idx, login, name, coalesce(currency, ''), accounts, balance, pending, unchanged "
	              "FROM cobro.reassign_apply($1::jsonb, $2::text[], $3)",
	              true, f, t, m, batch, out ? out : &mine);
	if (!out)
		reassign_preview_free(&mine);
	return ok;
}

void reassign_preview_free(struct reassign_preview *p)
{
	free(p->shares);
	memset(p, 0, sizeof *p);
}

bool reassign_undo(struct db *db, long long batch, struct reassign_undo_result *out)
{
	char b[24], err[sizeof db->err], state[sizeof db->sqlstate];
	PGresult *r;

	memset(out, 0, sizeof *out);
	snprintf(b, sizeof b, "%lld", batch);
	r = db_exec(db, "SELECT batch, restored FROM cobro.reassign_undo($1::bigint)", 1, (const char *const[]){ b });
	if (r) {
		out->batch = atoll(PQgetvalue(r, 0, 0));
		out->restored = atoll(PQgetvalue(r, 0, 1));
		PQclear(r);
		return true;
	}
	/* Refused: say how many were worked since, for the screen. */
	memcpy(err, db->err, sizeof err);
	memcpy(state, db->sqlstate, sizeof state);
	if (!strcmp(state, "55000") &&
	    (r = db_exec(db, "SELECT batch, worked FROM cobro.reassign_undo_check($1::bigint)", 1,
	                 (const char *const[]){ b }))) {
		out->batch = atoll(PQgetvalue(r, 0, 0));
		out->worked = atoll(PQgetvalue(r, 0, 1));
		PQclear(r);
	}
	memcpy(db->err, err, sizeof err);
	memcpy(db->sqlstate, state, sizeof state);
	return false;
}

bool reassign_batches(struct db *db, const char *team, int limit, struct reassign_batch **out, int *n)
{
	char lim[16];
	PGresult *r;

	*out = NULL;
	*n = 0;
	snprintf(lim, sizeof lim, "%d", limit);
	r = db_exec(db,
	            "SELECT id, to_char(at, 'YYYY-MM-DD HH24:MI'), by_login, team, kind, moved, pending, undone "
	            "FROM cobro.reassign_batches($1, $2::int)",
	            2, (const char *const[]){ team && *team ? team : NULL, lim });
	if (!r)
		return false;
	*n = PQntuples(r);
	*out = xcalloc((size_t)*n + 1, sizeof **out);
	for (int i = 0; i < *n; i++) {
		struct reassign_batch *b = &(*out)[i];

		b->id = atoll(PQgetvalue(r, i, 0));
		COPY(b->at, r, i, 1);
		COPY(b->by, r, i, 2);
		COPY(b->team, r, i, 3);
		COPY(b->kind, r, i, 4);
		b->moved = atoll(PQgetvalue(r, i, 5));
		b->pending = atoll(PQgetvalue(r, i, 6));
		b->undone = PQgetvalue(r, i, 7)[0] == 't';
	}
	PQclear(r);
	return true;
}

bool reassign_agents(struct db *db, const char *team, struct reassign_agent **out, int *n)
{
	PGresult *r;

	*out = NULL;
	*n = 0;
	r = db_exec(db,
	            "SELECT login, name, role, accounts, coalesce(to_char(absent_until, 'YYYY-MM-DD'), '') "
	            "FROM cobro.reassign_agents($1)",
	            1, (const char *const[]){ team && *team ? team : NULL });
	if (!r)
		return false;
	*n = PQntuples(r);
	*out = xcalloc((size_t)*n + 1, sizeof **out);
	for (int i = 0; i < *n; i++) {
		struct reassign_agent *a = &(*out)[i];

		COPY(a->login, r, i, 0);
		COPY(a->name, r, i, 1);
		COPY(a->role, r, i, 2);
		a->accounts = atoll(PQgetvalue(r, i, 3));
		COPY(a->absent_until, r, i, 4);
	}
	PQclear(r);
	return true;
}

bool reassign_absent(struct db *db, const char *login, const char *until, long long *batch, long long *moved)
{
	PGresult *r = db_exec(db, "SELECT batch, moved FROM cobro.reassign_absent($1, $2::date)", 2,
	                      (const char *const[]){ login, until });

	*batch = *moved = 0;
	if (!r)
		return false;
	*batch = atoll(PQgetvalue(r, 0, 0));
	*moved = atoll(PQgetvalue(r, 0, 1));
	PQclear(r);
	return true;
}

bool reassign_present(struct db *db, const char *login, long long *returned, long long *kept)
{
	PGresult *r = db_exec(db, "SELECT returned, kept FROM cobro.reassign_present($1)", 1,
	                      (const char *const[]){ login });

	*returned = *kept = 0;
	if (!r)
		return false;
	*returned = atoll(PQgetvalue(r, 0, 0));
	*kept = atoll(PQgetvalue(r, 0, 1));
	PQclear(r);
	return true;
}

bool reassign_sweep(struct db *db, int *n)
{
	PGresult *r = db_exec(db, "SELECT cobro.reassign_sweep()", 0, NULL);

	*n = 0;
	if (!r)
		return false;
	*n = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	return true;
}
