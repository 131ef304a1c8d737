/* policy_reach_calls() (src/core/policy_store.c) against the test cluster's demo
 * portfolio, as the collector ana sees it through row-level security. The
 * worklist keeps each answer to "may we call now?" until the clock reaches
 * the moment the answer says it turns (until, when allowed; next, when not)
 * or a change is heard. These cases check that this is safe: at many moments
 * of a week, every answer turns only in the future, and asked again just
 * before the first of them turns, no answer has changed; and each answer is
 * the one the engine gives for that account alone (policy_account_load_with()).
 *
 * The week swept is the one after the history: from the demo's anchor (its
 * events all lie before), or from just after the last event of these
 * accounts when other suites have written later ones at the run's clock. An
 * answer asked about a moment inside the history would be judged on events
 * that, at that moment, have not happened yet.
 *
 * The rules are etc/policy.conf with etc/holidays, parsed here. Needs
 * PGHOST/PGPORT/PGDATABASE, COBRO_TOP and the tests' dates (tests/run.sh
 * exports them). Reads only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "policy_store.h"
#include "test_clock.h"
#include "util.h"

#define MAX_IDS 400
/* A week and a day, in steps that fall on every minute of the hour in turn. */
#define SWEEP_STEP (97 * 60)
#define SWEEP_SPAN (8 * 86400)

static int64_t sweep_from;
static struct db ana;
static struct policy *policy;
static long long ids[MAX_IDS];
static char refs[MAX_IDS][64];
static int nids;

static int64_t turns_at(const struct policy_reach *r)
{
	return r->allowed ? r->until : r->next;
}

static void every_answer_holds_until_it_turns(void **state)
{
	struct policy_reach now[MAX_IDS], later[MAX_IDS];
	char err[256];
	int sweeps = 0, turning = 0;

	(void)state;
	for (int64_t t = sweep_from; t < sweep_from + SWEEP_SPAN; t += SWEEP_STEP, sweeps++) {
		int64_t first = 0;

		if (!policy_reach_calls(&ana, policy, ids, nids, t, now, err, sizeof err))
			fail_msg("policy_reach_calls at %lld: %s", (long long)t, err);
		for (int i = 0; i < nids; i++) {
			int64_t turn = turns_at(&now[i]);

			if (!now[i].known)
				continue;
			if (turn && turn <= t)
				fail_msg("account %lld at %lld: %s answer turns at %lld, not later", ids[i], (long long)t,
				         now[i].allowed ? "an allowed" : "a refused", (long long)turn);
			if (turn && (!first || turn < first))
				first = turn;
		}
		if (!first)
			continue;
		turning++;
		/* A second before the first answer turns, none has. */
		if (!policy_reach_calls(&ana, policy, ids, nids, first - 1, later, err, sizeof err))
			fail_msg("policy_reach_calls at %lld: %s", (long long)(first - 1), err);
		for (int i = 0; i < nids; i++)
			if (now[i].known && (later[i].allowed != now[i].allowed || !later[i].known))
				fail_msg("account %lld: %s at %lld, %s at %lld, before any answer turned", ids[i],
				         now[i].allowed ? "allowed" : "refused", (long long)t,
				         later[i].allowed ? "allowed" : "refused", (long long)(first - 1));
	}
	/* The sweep saw answers turn, or it showed nothing. */
	assert_true(turning > sweeps / 2);
}

static void each_answer_is_the_engines_for_that_account(void **state)
{
	char err[256];
	struct policy_reach r[MAX_IDS];
	int allowed = 0, refused = 0;

	(void)state;
	/* From Tuesday 15:00 UTC, office hours in Bogotá and Madrid alike, to
	 * Wednesday night. */
	for (int64_t t = test_now(); t < test_now() + 33 * 3600; t += 9 * 3600) {
		if (!policy_reach_calls(&ana, policy, ids, nids, t, r, err, sizeof err))
			fail_msg("policy_reach_calls: %s", err);
		for (int i = 0; i < nids; i += 7) {
			struct policy_account pa;
			struct policy_verdict v;

			if (!policy_account_load_with(&ana, policy, refs[i], CH_CALL, t, &pa, err, sizeof err))
				fail_msg("policy_account_load %lld: %s", ids[i], err);
			policy_check(policy, &pa.debtor, pa.history, pa.nhistory, &pa.contact, &v);
			if (!r[i].known)
				fail_msg("account %lld was not judged", ids[i]);
			if (r[i].allowed != v.allowed || r[i].next != v.next || r[i].until != (v.allowed ? v.until : 0))
				fail_msg("account %lld at %lld: reach says %d next %lld until %lld, the engine %d next %lld "
				         "until %lld",
				         ids[i], (long long)t, r[i].allowed, (long long)r[i].next, (long long)r[i].until,
				         v.allowed, (long long)v.next, (long long)v.until);
			allowed += v.allowed;
			refused += !v.allowed;
			policy_account_free(&pa);
		}
	}
	/* Both kinds of answer were compared. */
	assert_true(allowed > 0);
	assert_true(refused > 0);
}

static int setup(void **state)
{
	const char *top = getenv("COBRO_TOP") ? getenv("COBRO_TOP") : ".";
	char err[256], path[4096], *text, *holidays;
	PGresult *r;

	(void)state;
	if (!db_connect(&ana, "dbname=cobro", "ana", "test")) {
		print_error("cannot connect: %s\n", ana.err);
		return -1;
	}
	/* The rules the project ships, parsed here: the suites share one
	 * database, and loading a version there is test_policy_db's to do. */
	snprintf(path, sizeof path, "%s/etc/holidays", top);
	if (!(holidays = policy_holidays_read(path, err, sizeof err))) {
		print_error("%s\n", err);
		return -1;
	}
	snprintf(path, sizeof path, "%s/etc/policy.conf", top);
	if (!(text = read_file(path, NULL)) || !(policy = policy_parse(text, path, holidays, err, sizeof err))) {
		print_error("%s: %s\n", path, text ? err : "cannot read");
		free(text);
		free(holidays);
		return -1;
	}
	free(text);
	free(holidays);
	r = db_exec(&ana, "SELECT id, reference FROM cobro.account ORDER BY id LIMIT 400", 0, NULL);
	if (!r)
		return -1;
	for (nids = 0; nids < PQntuples(r) && nids < MAX_IDS; nids++) {
		ids[nids] = atoll(PQgetvalue(r, nids, 0));
		snprintf(refs[nids], sizeof refs[nids], "%s", PQgetvalue(r, nids, 1));
	}
	PQclear(r);
	if (nids == 0)
		return -1;
	/* The first minute after the last event of these accounts, if that is
	 * later than the anchor. */
	sweep_from = test_anchor();
	r = db_exec(&ana, "SELECT coalesce(floor(extract(epoch FROM max(at)) / 60)::bigint * 60 + 60, 0) "
	                  "FROM cobro.event WHERE account_id IN (SELECT id FROM cobro.account ORDER BY id LIMIT 400)",
	            0, NULL);
	if (!r)
		return -1;
	if (atoll(PQgetvalue(r, 0, 0)) > sweep_from)
		sweep_from = atoll(PQgetvalue(r, 0, 0));
	PQclear(r);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	policy_free(policy);
	db_close(&ana);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_answer_holds_until_it_turns),
	    cmocka_unit_test(each_answer_is_the_engines_for_that_account),
	};

	return cmocka_run_group_tests_name("reach", tests, setup, teardown);
}
