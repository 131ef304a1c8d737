/* promise_bench: promises against the kept portfolio (issue 16, line 11),
 * each figure beside a baseline measured in the same run. tests/bench/run.sh
 * runs it and records the figures.
 *
 *   promise_bench CONNINFO COLLECTOR ADMIN
 *	- as COLLECTOR (a demo collector, e.g. c0005): promise_save() on their
 *	  accounts round-robin, each in a transaction rolled back (so every save
 *	  finds the account as it was: it replaces the active promise when there
 *	  is one), timed per call; baseline: account_add_note() on the same
 *	  accounts the same way, the workstation's plainest save (one event, one
 *	  audit row);
 *	- as ADMIN (a login in cobro_admin, or a superuser): promise_evaluate()
 *	  of the whole portfolio now, as cobrod's first run on it does (the
 *	  demo's promises whose dates have passed are decided), in a transaction
 *	  rolled back; baseline: one query that only reads what an evaluation
 *	  reads (the active and recently broken promises, their installments and
 *	  their accounts' payments). Besides, for information: the same
 *	  evaluation run again right after (cobrod's every few minutes, nothing
 *	  left to decide), and one 35 days ahead (every pending promise's dates
 *	  passed at once: the worst a day could be).
 *
 * Figures go to stdout as "name value" lines (milliseconds, or seconds for
 * the evaluation); everything else to stderr. */
#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "timing.h"

#define SAVE_RUNS   500
#define WARMUP_RUNS 20
#define MAX_ACCOUNTS 2000

static void report(const char *name, int64_t *v, int n)
{
	double p99 = pct_ms(v, n, 99), p50 = pct_ms(v, n, 50);

	printf("%s_p99 %.3f\n", name, p99);
	fprintf(stderr, "promise_bench: %-14s n %d  p50 %.3f ms  p99 %.3f ms  max %.3f ms\n", name, n, p50, p99,
	        (double)v[n - 1] / 1e6);
	fflush(stdout);
}

struct acct {
	char id[24], amount[24], active[24];
};

/* The collector's accounts a promise can be saved on, as they are now. */
static int accounts(struct db *db, struct acct *a, int max)
{
	PGresult *r = db_exec(db,
	                      "SELECT a.id, least(a.balance, greatest(a.past_due, 1)), "
	                      "       coalesce((SELECT max(p.id) FROM cobro.promise p WHERE p.account_id = a.id "
	                      "                 AND p.status IN ('pending', 'awaiting_approval'))::text, '') "
	                      "FROM cobro.account a WHERE a.agent_id = cobro.my_agent_id() AND a.balance > 1 "
	                      /* a portfolio loaded before the demo kept one active promise per account */
	                      "  AND (SELECT count(*) FROM cobro.promise p WHERE p.account_id = a.id "
	                      "       AND p.status IN ('pending', 'awaiting_approval')) <= 1 "
	                      "ORDER BY a.id LIMIT 2000",
	                      0, NULL);
	int n;

	if (!r) {
		fprintf(stderr, "promise_bench: accounts: %s\n", db->err);
		return -1;
	}
	n = PQntuples(r) < max ? PQntuples(r) : max;
	for (int i = 0; i < n; i++) {
		snprintf(a[i].id, sizeof a[i].id, "%s", PQgetvalue(r, i, 0));
		snprintf(a[i].amount, sizeof a[i].amount, "%s", PQgetvalue(r, i, 1));
		snprintf(a[i].active, sizeof a[i].active, "%s", PQgetvalue(r, i, 2));
	}
	PQclear(r);
	return n;
}

/* Each call in a transaction rolled back; the call alone timed. */
static int time_saves(struct db *db, const struct acct *a, int n, bool note, int64_t *t, int runs)
{
	static const char save_sql[] =
		"SELECT promise_id FROM cobro.promise_save($1, $2, current_date + 3, 1, 'once', 0, 'call', 'bench', "
		"                                         $3, gen_random_uuid())";
	static const char note_sql[] = "SELECT cobro.account_add_note(gen_random_uuid(), $1, 'bench')";

	for (int i = 0; i < runs + WARMUP_RUNS; i++) {
		const struct acct *x = &a[i % n];
		const char *p[3] = { x->id, x->amount, *x->active ? x->active : NULL };
		int64_t t0;
		PGresult *r;

		if (!db_cmd(db, "BEGIN"))
			return -1;
		t0 = now_ns();
		r = note ? db_exec(db, note_sql, 1, p) : db_exec(db, save_sql, 3, p);
		if (i >= WARMUP_RUNS)
			t[i - WARMUP_RUNS] = now_ns() - t0;
		if (!r) {
			fprintf(stderr, "promise_bench: %s on account %s: %s\n", note ? "note" : "promise_save", x->id,
			        db->err);
			db_cmd(db, "ROLLBACK");
			return -1;
		}
		PQclear(r);
		if (!db_cmd(db, "ROLLBACK"))
			return -1;
	}
	return 0;
}

/* sql timed in a transaction rolled back, after before (not timed) when given. */
static double time_once(struct db *db, const char *before, const char *sql, const char *what)
{
	int64_t t0;
	PGresult *r;
	double s;

	if (!db_cmd(db, "BEGIN") || (before && !db_cmd(db, before)))
		return -1;
	t0 = now_ns();
	r = db_exec(db, sql, 0, NULL);
	s = (double)(now_ns() - t0) / 1e9;
	if (!r) {
		fprintf(stderr, "promise_bench: %s: %s\n", what, db->err);
		db_cmd(db, "ROLLBACK");
		return -1;
	}
	fprintf(stderr, "promise_bench: %-18s %.2f s  (%s %s %s %s)\n", what, s, PQgetvalue(r, 0, 0),
	        PQnfields(r) > 1 ? PQgetvalue(r, 0, 1) : "", PQnfields(r) > 2 ? PQgetvalue(r, 0, 2) : "",
	        PQnfields(r) > 3 ? PQgetvalue(r, 0, 3) : "");
	PQclear(r);
	db_cmd(db, "ROLLBACK");
	return s;
}

int main(int argc, char **argv)
{
	static const char evaluate_sql[] = "SELECT kept, partial, broken, late FROM cobro.promise_evaluate(now())";
	static const char month_sql[] =
		"SELECT kept, partial, broken, late FROM cobro.promise_evaluate(now() + interval '35 days')";
	/* What the evaluation reads, read once: no decision, no write. */
	static const char read_sql[] =
		"SELECT count(*), coalesce(sum(i.amount), 0), coalesce(sum(y.amount), 0) "
		"FROM cobro.promise p JOIN cobro.account a ON a.id = p.account_id "
		"JOIN cobro.debtor d ON d.id = a.debtor_id "
		"JOIN cobro.promise_installment i ON i.promise_id = p.id "
		"LEFT JOIN cobro.payment y ON y.account_id = p.account_id AND y.paid_at >= p.created_at "
		"WHERE p.status IN ('pending', 'awaiting_approval') "
		"   OR (p.status = 'broken' AND p.resolved_at > now() - interval '60 days')";
	struct db col, adm;
	struct acct *a = calloc(MAX_ACCOUNTS, sizeof *a);
	int64_t t[SAVE_RUNS];
	int n;
	double ev, rd, again, month;

	if (argc != 4) {
		fprintf(stderr, "usage: promise_bench CONNINFO COLLECTOR ADMIN\n");
		return 2;
	}
	if (!db_connect(&col, argv[1], argv[2], "promise_bench") || !db_connect(&adm, argv[1], argv[3], "promise_bench")) {
		fprintf(stderr, "promise_bench: cannot connect: %s %s\n", col.err, adm.err);
		return 1;
	}
	/* As autovacuum leaves it: a benchmark run before this one rolled back
	 * its evaluations, and the audit rows they wrote lie dead at the top of
	 * the index audit_write() reads the chain's newest link from. */
	if (!db_cmd(&adm, "VACUUM cobro.audit"))
		fprintf(stderr, "promise_bench: VACUUM cobro.audit: %s\n", adm.err);
	if ((n = accounts(&col, a, MAX_ACCOUNTS)) <= 0) {
		fprintf(stderr, "promise_bench: %s has no account to promise on\n", argv[2]);
		return 1;
	}
	fprintf(stderr, "promise_bench: %d accounts of %s\n", n, argv[2]);
	if (time_saves(&col, a, n, false, t, SAVE_RUNS) != 0)
		return 1;
	report("promise_save", t, SAVE_RUNS);
	if (time_saves(&col, a, n, true, t, SAVE_RUNS) != 0)
		return 1;
	report("note_save", t, SAVE_RUNS);

	if ((rd = time_once(&adm, NULL, read_sql, "read (baseline)")) < 0 ||
	    (ev = time_once(&adm, NULL, evaluate_sql, "promise_evaluate")) < 0 ||
	    (again = time_once(&adm, evaluate_sql, evaluate_sql, "evaluate again")) < 0 ||
	    (month = time_once(&adm, NULL, month_sql, "35 days ahead")) < 0)
		return 1;
	printf("promise_evaluate_s %.2f\npromise_read_s %.2f\npromise_evaluate_again_s %.2f\n"
	       "promise_evaluate_month_s %.2f\n", ev, rd, again, month);
	db_close(&col);
	db_close(&adm);
	free(a);
	return 0;
}
