/* The agents' figures, read from agent_metrics() (metrics.h). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "util.h"

static const char metrics_sql[] =
	"SELECT team, coalesce(agent_id, 0), coalesce(login, ''), coalesce(name, ''), coalesce(now_state, ''), "
	"       coalesce(now_account, ''), coalesce(now_minutes, -1), accounts_worked, calls, rpc, "
	"       coalesce(rpc_rate, -1), promises, promise_amount, coalesce(promise_rate, -1), kept_30d, broken_30d, "
	"       coalesce(kept_rate, -1), collected, sms, email, whatsapp, coalesce(avg_seconds_per_account, -1), "
	"       contacts, active_hours, coalesce(contacts_per_hour, -1) "
	"FROM cobro.agent_metrics(%s, %s, $3)";

bool metrics_money_parse(const char *json, struct metric_money *m)
{
	json_t *o = json_loads(json, 0, NULL);
	const char *k;
	json_t *v;

	memset(m, 0, sizeof *m);
	if (!json_is_object(o)) {
		json_decref(o);
		return false;
	}
	json_object_foreach(o, k, v) {
		if (m->n == METRICS_MAX_CURRENCIES || strlen(k) != 3 || !json_is_integer(v))
			break;
		memcpy(m->sum[m->n].currency, k, 4);
		m->sum[m->n].amount = json_integer_value(v);
		m->n++;
	}
	json_decref(o);
	return true;
}

static void copy(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s);
}

static bool fetch(struct db *db, const char *sql, const char *from, const char *to, const char *team,
                  struct agent_figures **out, int *n)
{
	const char *p[3] = { from, to, team };
	PGresult *r = db_exec(db, sql, 3, p);
	struct agent_figures *f;

	*out = NULL;
	*n = 0;
	if (!r)
		return false;
	f = xcalloc(PQntuples(r) + 1, sizeof *f);
	for (int i = 0; i < PQntuples(r); i++) {
		struct agent_figures *a = &f[i];
#define V(c) PQgetvalue(r, i, c)
		copy(a->team, sizeof a->team, V(0));
		a->agent_id = strtoll(V(1), NULL, 10);
		copy(a->login, sizeof a->login, V(2));
		copy(a->name, sizeof a->name, V(3));
		copy(a->now_state, sizeof a->now_state, V(4));
		copy(a->now_account, sizeof a->now_account, V(5));
		a->now_minutes = atoi(V(6));
		a->accounts_worked = strtoll(V(7), NULL, 10);
		a->calls = strtoll(V(8), NULL, 10);
		a->rpc = strtoll(V(9), NULL, 10);
		a->rpc_rate = strtod(V(10), NULL);
		a->promises = strtoll(V(11), NULL, 10);
		metrics_money_parse(V(12), &a->promise_amount);
		a->promise_rate = strtod(V(13), NULL);
		a->kept_30d = strtoll(V(14), NULL, 10);
		a->broken_30d = strtoll(V(15), NULL, 10);
		a->kept_rate = strtod(V(16), NULL);
		metrics_money_parse(V(17), &a->collected);
		a->sms = strtoll(V(18), NULL, 10);
		a->email = strtoll(V(19), NULL, 10);
		a->whatsapp = strtoll(V(20), NULL, 10);
		a->avg_seconds_per_account = strtoll(V(21), NULL, 10);
		a->contacts = strtoll(V(22), NULL, 10);
		a->active_hours = strtoll(V(23), NULL, 10);
		a->contacts_per_hour = strtod(V(24), NULL);
#undef V
	}
	*n = PQntuples(r);
	*out = f;
	PQclear(r);
	return true;
}

bool metrics_agents_days(struct db *db, const char *from, const char *to, const char *team,
                         struct agent_figures **out, int *n)
{
	char sql[sizeof metrics_sql + 64];

	/* Midnight of the first day to midnight after the last, in the
	 * session's time zone (docs/metrics.md, "The range"). */
	snprintf(sql, sizeof sql, metrics_sql, "$1::date::timestamptz", "($2::date + 1)::timestamptz");
	return fetch(db, sql, from, to, team, out, n);
}

bool metrics_agents_range(struct db *db, const char *from, const char *to, const char *team,
                          struct agent_figures **out, int *n)
{
	char sql[sizeof metrics_sql + 64];

	snprintf(sql, sizeof sql, metrics_sql, "$1::timestamptz", "$2::timestamptz");
	return fetch(db, sql, from, to, team, out, n);
}

bool metrics_hourly_range(struct db *db, const char *from, const char *to, const char *team,
                          struct agent_hour **out, int *n)
{
	const char *p[3] = { from, to, team };
	PGresult *r = db_exec(db,
	                      "SELECT agent_id, extract(epoch FROM hour)::bigint, contacts "
	                      "FROM cobro.agent_hourly($1::timestamptz, $2::timestamptz, $3)",
	                      3, p);

	*out = NULL;
	*n = 0;
	if (!r)
		return false;
	*out = xcalloc(PQntuples(r) + 1, sizeof **out);
	for (int i = 0; i < PQntuples(r); i++) {
		(*out)[i].agent_id = strtoll(PQgetvalue(r, i, 0), NULL, 10);
		(*out)[i].hour = strtoll(PQgetvalue(r, i, 1), NULL, 10);
		(*out)[i].contacts = strtoll(PQgetvalue(r, i, 2), NULL, 10);
	}
	*n = PQntuples(r);
	PQclear(r);
	return true;
}
