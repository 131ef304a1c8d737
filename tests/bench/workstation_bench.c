/* workstation_bench: the collector's two hot database reads, each beside a
 * baseline measured in the same run. tests/bench/run.sh runs it against the
 * kept 1,000,000-account portfolio and records the figures.
 *
 *   workstation_bench CONNINFO LOGIN
 *	Connects as LOGIN (a collector of the demo, e.g. c0005), then times
 *	each round trip with CLOCK_MONOTONIC:
 *	- worklist page: worklist_fetch_query(no filter, offset 0, limit 50) with the default
 *	  weights, N times; it is also what "next account" (n) runs: the
 *	  workstation reloads its page and opens the first other row. Baseline:
 *	  the same page ranked live, as before the stored rank and its indexes
 *	  (006_priority.sql): every workable account of the person scored by the
 *	  formula and sorted, with its newest promise looked up per account;
 *	- account screen: account_load(id, 200 events) round-robin over the
 *	  person's accounts, after one pass over them not counted; baseline: the same screen
 *	  read with one query per part (account and debtor, contact points,
 *	  installments, payments, promises, events LIMIT 200), six round trips,
 *	  timed per screen.
 *
 * Figures go to stdout as "name value" lines, in milliseconds; everything
 * else to stderr. */
#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account.h"
#include "config.h"
#include "db.h"
#include "timing.h"
#include "worklist.h"

#define WORKLIST_RUNS 300
#define WARMUP_RUNS   10
#define WORKLIST_PAGE 50
#define ACCOUNT_RUNS  500
#define EVENT_LIMIT   200

static void report(const char *name, int64_t *v, int n, int with_p50)
{
	double p99 = pct_ms(v, n, 99), p50 = pct_ms(v, n, 50);

	printf("%s_p99 %.3f\n", name, p99);
	if (with_p50)
		printf("%s_p50 %.3f\n", name, p50);
	fprintf(stderr, "workstation_bench: %-22s n %d  p50 %.3f ms  p99 %.3f ms  max %.3f ms\n", name, n, p50,
	        p99, (double)v[n - 1] / 1e6);
	fflush(stdout);
}

/* ------------------------------------------------------------ worklist page */

static int time_worklist(struct db *db, const struct priority_weights *w, int64_t *t, int runs)
{
	struct worklist out;

	for (int i = 0; i < runs; i++) {
		int64_t t0 = now_ns();

		if (!worklist_fetch_query(db, w, &(struct worklist_query){ 0 }, 0, WORKLIST_PAGE, &out)) {
			fprintf(stderr, "workstation_bench: worklist_fetch_query: %s\n", db->err);
			return -1;
		}
		t[i] = now_ns() - t0;
		if (i == 0)
			fprintf(stderr, "workstation_bench: worklist page: %d rows of %lld\n", out.count, out.total);
		worklist_free(&out);
	}
	return 0;
}

/* The worklist as it was ranked before 006_priority.sql: live, over all the
 * person's accounts, under row-level security, from the newest promise and
 * the rank of today rather than the columns that keep them (the formula is
 * still the database's: src/sql/functions/priority.sql). */
static const char live_sql[] =
	"SELECT a.id, d.name, a.reference, greatest(0, current_date - a.oldest_due), "
	"       a.balance, a.currency, coalesce(p.status, ''), "
	"       coalesce(to_char(a.last_contact_at, 'YYYY-MM-DD HH24:MI'), ''), a.segment, "
	"       d.jurisdiction, count(*) OVER () "
	"FROM cobro.account a "
	"JOIN cobro.debtor d ON d.id = a.debtor_id "
	"LEFT JOIN LATERAL (SELECT status, due_date FROM cobro.promise "
	"                   WHERE account_id = a.id ORDER BY created_at DESC, id DESC LIMIT 1) p ON true "
	"WHERE a.agent_id = cobro.my_agent_id() AND a.status = 'active' AND d.state = 'active' "
	"ORDER BY cobro.priority_total(a.next_action_at, "
	"             CASE p.status WHEN 'pending' THEN p.due_date WHEN 'broken' THEN '-infinity'::date END, "
	"             cobro.rank_value(a.balance, a.score, a.oldest_due, current_date, $6::float8), "
	"             $3::float8, $4::float8, $5::float8) DESC, a.id "
	"OFFSET $1 LIMIT $2";

/* The shipped decay (priority_setting's default), for the live ranking. */
#define LIVE_DPD_DECAY 0.08

static int time_live(struct db *db, const struct priority_weights *w, int64_t *t, int runs)
{
	char lim[16], cb[32], pb[32], cost[32], decay[32];
	const char *p[6] = { "0", lim, cb, pb, cost, decay };

	snprintf(lim, sizeof lim, "%d", WORKLIST_PAGE);
	snprintf(cb, sizeof cb, "%.17g", w->callback_due);
	snprintf(pb, sizeof pb, "%.17g", w->promise_broken);
	snprintf(cost, sizeof cost, "%.17g", w->contact_cost);
	snprintf(decay, sizeof decay, "%.17g", LIVE_DPD_DECAY);
	for (int i = 0; i < runs; i++) {
		int64_t t0 = now_ns();
		PGresult *r = db_exec(db, live_sql, 6, p);

		if (!r) {
			fprintf(stderr, "workstation_bench: live worklist: %s\n", db->err);
			return -1;
		}
		t[i] = now_ns() - t0;
		PQclear(r);
	}
	return 0;
}

/* ----------------------------------------------- account screen, baseline */

/* The parts account_load reads in its one statement, one query each. Row
 * security applies to each as it does to the one statement. */
static const struct {
	const char *name, *sql;
} parts[] = {
	{ "acct",
	  "SELECT a.id, a.reference, cr.name, a.product, a.currency, a.balance, a.past_due,"
	  " coalesce(greatest(0, current_date - a.oldest_due), 0), a.status, a.segment,"
	  " coalesce(to_char(a.next_action_at, 'YYYY-MM-DD HH24:MI'), ''),"
	  " d.id, d.name, coalesce(d.national_id, ''), d.language, d.jurisdiction, d.time_zone, d.state"
	  " FROM cobro.account a JOIN cobro.debtor d ON d.id = a.debtor_id"
	  " JOIN cobro.creditor cr ON cr.id = a.creditor_id WHERE a.id = $1" },
	{ "points",
	  "SELECT c.id, c.kind, c.value, array_to_string(c.consent, ','), array_to_string(c.opted_out, ','),"
	  " c.bad_since IS NOT NULL, c.is_primary FROM cobro.contact_point c WHERE c.debtor_id = $1"
	  " ORDER BY c.is_primary DESC, c.kind, c.id" },
	{ "inst",
	  "SELECT i.seq, to_char(i.due_date, 'YYYY-MM-DD'), i.amount, i.paid FROM cobro.installment i"
	  " WHERE i.account_id = $1 ORDER BY i.seq" },
	{ "pay",
	  "SELECT to_char(p.paid_at, 'YYYY-MM-DD HH24:MI'), p.amount, p.method FROM cobro.payment p"
	  " WHERE p.account_id = $1 ORDER BY p.paid_at DESC, p.id DESC" },
	{ "prom",
	  "SELECT r.id, to_char(r.created_at, 'YYYY-MM-DD HH24:MI'), to_char(r.due_date, 'YYYY-MM-DD'),"
	  " r.amount, r.discount, r.status, r.channel, coalesce(g.login, '')"
	  " FROM cobro.promise r LEFT JOIN cobro.agent g ON g.id = r.agent_id WHERE r.account_id = $1"
	  " ORDER BY r.created_at DESC, r.id DESC" },
	{ "events",
	  "SELECT e.id, to_char(e.at, 'YYYY-MM-DD HH24:MI'), e.kind, coalesce(e.direction, ''),"
	  " coalesce(e.outcome, ''), coalesce(g.login, ''), coalesce(left(e.body, 512), ''),"
	  " coalesce(m.status, ''), coalesce(e.amount, 0)"
	  " FROM (SELECT * FROM cobro.event WHERE account_id = $1 ORDER BY at DESC, id DESC LIMIT $2) e"
	  " LEFT JOIN cobro.message m ON m.id = e.message_id LEFT JOIN cobro.agent g ON g.id = e.agent_id"
	  " ORDER BY e.at DESC, e.id DESC" },
};
#define NPARTS ((int)(sizeof parts / sizeof parts[0]))

static int prepare_parts(PGconn *c)
{
	for (int i = 0; i < NPARTS; i++) {
		PGresult *r = PQprepare(c, parts[i].name, parts[i].sql, 0, NULL);

		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			fprintf(stderr, "workstation_bench: prepare %s: %s", parts[i].name, PQerrorMessage(c));
			PQclear(r);
			return -1;
		}
		PQclear(r);
	}
	return 0;
}

/* Runs one part and reads every value of it, as a screen would. */
static PGresult *part(PGconn *c, int i, int nparams, const char *const *p, unsigned *sink)
{
	PGresult *r = PQexecPrepared(c, parts[i].name, nparams, p, NULL, NULL, 0);

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "workstation_bench: %s: %s", parts[i].name, PQerrorMessage(c));
		PQclear(r);
		return NULL;
	}
	for (int row = 0; row < PQntuples(r); row++)
		for (int col = 0; col < PQnfields(r); col++)
			*sink += (unsigned)PQgetvalue(r, row, col)[0];
	return r;
}

/* One screen by six queries; 0 on success. */
static int multi_query_screen(PGconn *c, long long id, unsigned *sink)
{
	char ids[24], debtor[24], lim[16];
	const char *p1[1] = { ids }, *pd[1] = { debtor }, *pe[2] = { ids, lim };
	PGresult *r;

	snprintf(ids, sizeof ids, "%lld", id);
	snprintf(lim, sizeof lim, "%d", EVENT_LIMIT);
	if (!(r = part(c, 0, 1, p1, sink)))
		return -1;
	if (PQntuples(r) != 1) {
		fprintf(stderr, "workstation_bench: account %lld: no row\n", id);
		PQclear(r);
		return -1;
	}
	snprintf(debtor, sizeof debtor, "%s", PQgetvalue(r, 0, 11));
	PQclear(r);
	if (!(r = part(c, 1, 1, pd, sink)))
		return -1;
	PQclear(r);
	for (int i = 2; i < 5; i++) {
		if (!(r = part(c, i, 1, p1, sink)))
			return -1;
		PQclear(r);
	}
	if (!(r = part(c, 5, 2, pe, sink)))
		return -1;
	PQclear(r);
	return 0;
}

/* ---------------------------------------------------------------------- main */

int main(int argc, char **argv)
{
	/* The defaults of src/core/config.c (priority.*). */
	const struct priority_weights w = {
		.callback_due = 1e9, .promise_broken = 1e8, .contact_cost = 150
	};
	static int64_t t[ACCOUNT_RUNS > WORKLIST_RUNS ? ACCOUNT_RUNS : WORKLIST_RUNS];
	struct account_view v;
	struct db db;
	long long *ids;
	unsigned sink = 0;
	int nids, rc = 1;
	PGresult *r;

	if (argc != 3) {
		fprintf(stderr, "usage: workstation_bench CONNINFO LOGIN\n");
		return 2;
	}
	if (!db_connect(&db, argv[1], argv[2], "workstation_bench")) {
		fprintf(stderr, "workstation_bench: cannot connect as %s: %s\n", argv[2], db.err);
		return 1;
	}

	/* (1) The worklist page, then the same page ranked live, each after a
	 * few calls not counted (plans, and the cluster's cache after a start). */
	if (time_worklist(&db, &w, t, WARMUP_RUNS) || time_live(&db, &w, t, WARMUP_RUNS))
		goto out;
	if (time_worklist(&db, &w, t, WORKLIST_RUNS))
		goto out;
	report("worklist_page", t, WORKLIST_RUNS, 1);
	if (time_live(&db, &w, t, WORKLIST_RUNS))
		goto out;
	report("worklist_page_live", t, WORKLIST_RUNS, 1);

	/* (2) The account screen over the person's own accounts. */
	if (!(r = db_exec(&db, "SELECT id FROM cobro.account WHERE agent_id = cobro.my_agent_id() ORDER BY id", 0,
	                  NULL))) {
		fprintf(stderr, "workstation_bench: accounts: %s\n", db.err);
		goto out;
	}
	nids = PQntuples(r);
	if (nids == 0) {
		fprintf(stderr, "workstation_bench: %s has no accounts\n", argv[2]);
		PQclear(r);
		goto out;
	}
	ids = calloc((size_t)nids, sizeof *ids);
	for (int i = 0; i < nids; i++)
		ids[i] = atoll(PQgetvalue(r, i, 0));
	PQclear(r);
	fprintf(stderr, "workstation_bench: %d accounts of %s\n", nids, argv[2]);

	/* Warm-up, not counted: the first call prepares the statement, and one
	 * pass over the accounts brings their rows into the server's cache, as a
	 * working day does. Both ways of reading the screen then read the same
	 * cached rows; without it the first one timed pays for both. */
	for (int i = 0; i <= ACCOUNT_RUNS; i++) {
		if (!account_load(&db, ids[i % nids], EVENT_LIMIT, 0, &v)) {
			fprintf(stderr, "workstation_bench: account_load: %s\n", db.err);
			goto out_ids;
		}
		account_view_free(&v);
	}
	for (int i = 0; i < ACCOUNT_RUNS; i++) {
		long long id = ids[(i + 1) % nids];
		int64_t t0 = now_ns();

		if (!account_load(&db, id, EVENT_LIMIT, 0, &v)) {
			fprintf(stderr, "workstation_bench: account_load %lld: %s\n", id, db.err);
			goto out_ids;
		}
		t[i] = now_ns() - t0;
		sink += (unsigned)v.nevents;
		account_view_free(&v);
	}
	report("account_load", t, ACCOUNT_RUNS, 1);

	/* Baseline: six round trips per screen, the same warm-up. */
	if (prepare_parts(db.conn) || multi_query_screen(db.conn, ids[0], &sink))
		goto out_ids;
	for (int i = 0; i < ACCOUNT_RUNS; i++) {
		long long id = ids[(i + 1) % nids];
		int64_t t0 = now_ns();

		if (multi_query_screen(db.conn, id, &sink))
			goto out_ids;
		t[i] = now_ns() - t0;
	}
	report("account_multi_query", t, ACCOUNT_RUNS, 1);
	fprintf(stderr, "workstation_bench: (checksum %u)\n", sink);
	rc = 0;
out_ids:
	free(ids);
out:
	db_close(&db);
	return rc;
}
