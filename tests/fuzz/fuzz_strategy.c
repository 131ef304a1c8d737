/* Strategy files (etc/strategy.conf, cobroctl strategy check|load): parsed
 * against the shipped templates (etc/templates, read from $COBRO_TOP or the
 * current directory once) and without a list; a file that parses is
 * described and decides accounts on a few days. Properties: a refusal names
 * the file and a line; a decision keeps to its bounds, and what goes out is
 * a step of the account's ladder at most catch_up_days late. */
#include "fuzz.h"

#include "strategy.h"
#include "strategy_decide.h"
#include "util.h"

static struct strategy_templates known;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *top = getenv("COBRO_TOP") ? getenv("COBRO_TOP") : ".";
	char err[512], *dir = xasprintf("%s/etc/templates", top);

	(void)argc, (void)argv;
	if (!strategy_templates_from_dir(dir, &known, err, sizeof err)) {
		fprintf(stderr, "fuzz_strategy: the shipped templates: %s\n", err);
		exit(2);
	}
	free(dir);
	return 0;
}

static bool in_ladder(const struct strategy_ladder *l, const struct strategy_step *st)
{
	return (st >= l->steps && st < l->steps + l->nsteps) || st == &l->promise_reminder || st == &l->broken_promise;
}

static void decide_some(const struct strategy *s, const uint8_t *data, size_t size)
{
	static const char *const refs[] = { "A-1", "BAN-PE-000000001", "", "Z" };
	int base = 20797; /* 2026-12-10 */

	for (int k = 0; k < 16; k++) {
		uint8_t b = size ? data[(size_t)k * 7 % size] : 0;
		struct strategy_done done[2] = { { "retail", "pre3", base }, { s->ladders[0].name, s->ladders[0].nsteps ? s->ladders[0].steps[0].name : "x", base - 3 } };
		struct strategy_facts f = {
			.reference = refs[k % 4],
			.jurisdiction = (b & 1) ? "US-MA" : "PE",
			.account_status = (b & 2) ? "active" : "dispute",
			.debtor_state = "active",
			.currency = (b & 4) ? "CLP" : "USD",
			.balance = (long long)b * 100000,
			.past_due = (b & 8) ? 5000 : 0,
			.score = b * 4,
			.product = "card",
			.oldest_due = base - (b % 120),
			.next_due = (b & 16) ? STRATEGY_NO_DAY : base + 30 - (b % 30),
			.broken_promises_180 = b % 4,
			.last_reply = (b & 32) ? base - (b % 9) : STRATEGY_NO_DAY,
			.reply_pending = b & 64,
			.last_rpc = (b & 128) ? base - 40 : STRATEGY_NO_DAY,
			.last_payment = (b % 3) ? STRATEGY_NO_DAY : base - (b % 50),
			.promise = (b % 5) == 0 ? STRATEGY_PROMISE_ACTIVE : STRATEGY_PROMISE_NONE,
			.promise_next_due = base + (b % 7) - 3,
			.last_broken = (b % 7) == 0 ? base - (b % 11) : STRATEGY_NO_DAY,
			.segment = (b & 1) ? s->segments[0].name : NULL,
			.contact = b,
			.done = done,
			.ndone = 2,
		};
		struct strategy_decision d;
		int day = base + k * 3 - 20;
		int n = strategy_decide(s, &f, day, &d);

		FUZZ_ASSERT(n >= 0 && n <= STRATEGY_MAX_ACTIONS && n == d.nactions, "%d actions", n);
		FUZZ_ASSERT(d.segment && d.ladder, "a segment and a ladder");
		for (int i = 0; i < n; i++) {
			const struct strategy_action *a = &d.actions[i];

			FUZZ_ASSERT(in_ladder(d.ladder, a->step), "step %s is of ladder %s", a->step->name, d.ladder->name);
			FUZZ_ASSERT(a->day <= day, "step %s on %d, after the run's day %d", a->step->name, a->day, day);
			FUZZ_ASSERT(a->outcome != STRATEGY_OUT_DUE || day - a->day <= s->settings.catch_up_days,
			            "step %s %d days late goes out", a->step->name, day - a->day);
			FUZZ_ASSERT(i == 0 || d.actions[i - 1].day <= a->day, "actions in day order");
			/* Only the promise's own reminder goes out while the ladder waits or stopped. */
			FUZZ_ASSERT(d.state == STRATEGY_RUNNING || a->step->kind == STRATEGY_STEP_PROMISE_REMINDER,
			            "a %s ladder acts: %s", strategy_state_name(d.state), a->step->name);
		}
		FUZZ_ASSERT(d.state != STRATEGY_DONE || n == 0, "a done ladder acts");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);

	for (int pass = 0; pass < 2; pass++) {
		struct strategy_errors e = { 0 };
		struct strategy *s = strategy_parse("fuzz.conf", text, pass ? NULL : &known, &e);

		if (s) {
			char *d = strategy_describe(s);

			FUZZ_ASSERT(e.n == 0, "parsed with %d errors", e.n);
			FUZZ_ASSERT(d != NULL, "described");
			free(d);
			decide_some(s, data, size);
			strategy_free(s);
		} else {
			FUZZ_ASSERT(e.n > 0, "refused without a reason");
			for (int i = 0; i < e.n; i++)
				FUZZ_ASSERT(strncmp(e.v[i], "fuzz.conf:", 10) == 0 && e.v[i][10] >= '0' && e.v[i][10] <= '9',
				            "a refusal names the file and line: %s", e.v[i]);
		}
		strategy_errors_free(&e);
	}
	free(text);
	return 0;
}
