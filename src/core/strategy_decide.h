/* What a strategy does with one account on a day D (issue 18 lines 1, 2,
 * 4, 5; docs/strategies.md "How a run decides"): its segment and variant,
 * whether its ladder runs, waits or stopped, and which steps are due,
 * late or stale. Pure and allocation-free: the runner fills the facts
 * of each account from the database (one COPY), calls strategy_decide()
 * and writes the decisions back; the dry run is the same call.
 *
 * Days are counts of days since 1970-01-01 (UTC dates; the run's day D
 * is each debtor's local date D). STRATEGY_NO_DAY says "none". */
#ifndef COBRO_STRATEGY_DECIDE_H
#define COBRO_STRATEGY_DECIDE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strategy.h"

#define STRATEGY_NO_DAY INT_MIN

/* One step the account went through (strategy_step_done): its key. */
struct strategy_done {
	const char *ladder;
	const char *step;
	int anchor; /* the day the step counted from */
};

enum strategy_promise_state {
	STRATEGY_PROMISE_NONE,    /* no promise, or only old kept/cancelled/rejected ones */
	STRATEGY_PROMISE_ACTIVE,  /* pending or awaiting approval */
};

/* One account's facts on day D. Strings are borrowed (the caller's
 * buffers) and may be NULL where they may be missing. */
struct strategy_facts {
	int64_t account_id;
	const char *reference;   /* account.reference: the variant's hash reads it */
	int64_t debtor_id;
	const char *jurisdiction; /* debtor.jurisdiction: "PE", "US-MA" */
	const char *time_zone;    /* debtor.time_zone (for the runner; decide does not read it) */
	const char *language;     /* debtor.language (for the runner) */
	const char *account_status; /* account.status: only "active" runs a ladder */
	const char *debtor_state;   /* debtor.state: only "active" runs a ladder */
	const char *currency;       /* account.currency */
	long long balance;          /* minor units */
	long long past_due;         /* minor units; 0: nothing past due */
	int score;                  /* 0..1000 */
	const char *product;
	int oldest_due; /* account.oldest_due: the oldest unpaid installment's due date (the next one when
	                   nothing is late); STRATEGY_NO_DAY: none */
	int next_due;   /* the due date of the first installment not paid in full that falls on D or later;
	                   STRATEGY_NO_DAY: none */
	int broken_promises_180; /* promises broken on D-179..D */
	int last_reply;          /* the latest day the debtor wrote back (any channel) */
	bool reply_pending;      /* account.replied_at is set: a reply nobody has looked at yet */
	int last_rpc;            /* the latest right-party contact */
	int last_payment;        /* the latest payment's day */
	enum strategy_promise_state promise;
	int promise_next_due; /* ACTIVE: its first installment not paid in full (its due date) */
	int last_broken;      /* the day the latest promise broke */
	const char *segment;  /* account_strategy as it stands before this run; NULL: none yet */
	const char *ladder;
	const char *variant;
	unsigned contact; /* 1u << enum strategy_channel for each channel with a usable contact point: not
	                     bad, not opted out of that channel (sms, email, whatsapp, letter) */
	int64_t team_id;
	int64_t agent_id; /* 0: none */
	const struct strategy_done *done; /* the account's steps done (any ladder, any anchor) */
	int ndone;
};

enum strategy_state {
	STRATEGY_RUNNING,
	STRATEGY_PAUSED,
	STRATEGY_STOPPED,
	STRATEGY_DONE
};
/* "running", "paused", "stopped", "done" as account_strategy.state has them. */
const char *strategy_state_name(enum strategy_state s);

enum strategy_outcome {
	STRATEGY_OUT_DUE,            /* goes out on day D (queued, assigned or placed) */
	STRATEGY_OUT_SKIPPED_STALE,  /* more than catch_up_days late: recorded 'skipped', reason 'stale' */
	STRATEGY_OUT_SKIPPED_REPLIED, /* unless_reply_days held: recorded 'skipped', reason 'replied' */
	STRATEGY_OUT_REFUSED_NO_CONTACT /* no usable contact point for the channel: 'refused', 'no_contact' */
};
/* strategy_step_done.outcome for a non-due outcome ("skipped", "refused"); NULL for DUE. */
const char *strategy_outcome_name(enum strategy_outcome o);
/* strategy_step_done.reason ("stale", "replied", "no_contact"); NULL for DUE. */
const char *strategy_outcome_reason(enum strategy_outcome o);

/* One step to record (and, when due, carry out) for the account. Pointers
 * point into the strategy. */
struct strategy_action {
	const struct strategy_step *step; /* name, channel, template, assign, agency, kind */
	int anchor;                       /* the key's anchor */
	int day;                          /* the step's own day (anchor + offset ...) <= D */
	enum strategy_outcome outcome;
};

/* At most: each step for two due-date anchors, and the two promise steps. */
#define STRATEGY_MAX_ACTIONS (2 * STRATEGY_MAX_STEPS + 2)

struct strategy_decision {
	const struct strategy_segment *segment; /* never NULL after a decision */
	const struct strategy_ladder *ladder;   /* the segment's, or its variant's */
	const struct strategy_variant *variant; /* NULL when the segment does not split */
	bool segment_changed;                   /* facts.segment was another (or none): an event */
	enum strategy_state state;
	const char *state_reason; /* NULL when running; else "reply", "promise", "payment", "paid", "status",
	                             "debtor_state" */
	struct strategy_action actions[STRATEGY_MAX_ACTIONS]; /* in step-day order */
	int nactions;
	const struct strategy_step *last_step; /* the latest step of the actions that goes out; NULL: none now */
	const struct strategy_step *next_step; /* the next step to go out when the ladder runs; NULL: none */
	int next_step_day;                     /* its day; STRATEGY_NO_DAY when none */
};

/* Days past due on day: day - oldest_due when something is past due, else 0. */
int strategy_dpd(const struct strategy_facts *f, int day);

/* The segment whose conditions the account meets first (file order); the
 * last segment has none, so there always is one. */
const struct strategy_segment *strategy_segment_of(const struct strategy *s, const struct strategy_facts *f,
                                                   int day);

/* The variant an account's reference falls in: FNV-1a 64 of the segment's
 * name, a NUL byte and the reference, mod 100, against the variants'
 * cumulative percents in file order. It depends on nothing else, so adding
 * accounts never moves one. NULL when the segment does not split. */
const struct strategy_variant *strategy_variant_of(const struct strategy_segment *seg, const char *reference);
/* The same, the variant's name; NULL when the segment does not split. */
const char *strategy_variant_name(const struct strategy_segment *seg, const char *reference);

/* Decides one account for day D into out (overwritten). Returns
 * out->nactions. Never allocates. */
int strategy_decide(const struct strategy *s, const struct strategy_facts *f, int day,
                    struct strategy_decision *out);

/* Day numbers from and to "YYYY-MM-DD"; false / "" when not a date. */
bool strategy_day_parse(const char *ymd, int *day);
char *strategy_day_format(int day, char *out, size_t n);

#endif
