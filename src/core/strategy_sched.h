/* When the messages of a day's plan go out (issue 18, line 4) and what the
 * contact policy refuses of them (line 7, the dry run's counts).
 *
 * The plan (strategy_decide) says which steps each account takes on day D;
 * this module says, for each message of them, when: the first moment the
 * contact policy allows on the debtor's local date D (the window's opening,
 * or later that day when the policy says so), then spread at the channel's
 * rate (the k-th message of a channel at or after an opening goes out at
 * opening + k / rate) while it fits the window. A message whose local day D
 * is closed for its debtor (Sunday, a holiday, a cap reached) waits for
 * another day: the caller records nothing, the step stays pending and the
 * next run tries it again (a day whose holidays are unknown waits too, by
 * the policy's own rule HOLIDAYS). A message the policy refuses for good
 * (opted out, no consent, the account's state) is refused. Both name the
 * rule: the one that closes the day (CO-DAY, a Sunday's CO-HOURS), not the
 * night's hours that refuse first at midnight.
 *
 * The messages a run plans count against the same debtor's caps, gaps and
 * channels as they are planned, in the order given: two steps for one
 * debtor on a day with a daily cap of one send the first and keep the
 * second waiting.
 *
 * Pure but for sched_facts_load(): the real run and the dry run call the
 * same sched_plan() on the same facts, so their counts agree. */
#ifndef COBRO_STRATEGY_SCHED_H
#define COBRO_STRATEGY_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "policy.h"

/* Rule names of refusals the policy gives without a rule of the file. */
#define SCHED_RULE_UNREACHABLE "UNREACHABLE" /* every point of the channel is marked wrong, or the recipient */
#define SCHED_RULE_UNKNOWN "UNKNOWN"         /* an account or jurisdiction the facts or the policy lack */
#define SCHED_RULE_PAST "PAST"               /* the debtor's local day D is over at the run's moment */
#define SCHED_RULE_FULL "FULL"               /* no room left in day D's window at the channel's rate */

/* The policy facts of the debtors that have a message on a day: who they
 * are (jurisdiction, time zones), each account's reference, creditor and
 * state as the policy judges it (policy_state()), each contact point's
 * consent, opt-outs and whether it is marked wrong, and the contacts the
 * policy's rules can still count. Built by sched_facts_load() from the
 * database, or piece by piece (tests). */
struct sched_facts;

struct sched_facts *sched_facts_new(void);
void sched_facts_free(struct sched_facts *f);
/* time_zone is the debtor's address zone; false with err for an unknown one. */
bool sched_facts_debtor(struct sched_facts *f, long long id, const char *jurisdiction, const char *time_zone,
                        char *err, size_t errlen);
/* state: the account's policy state ("active", "cease", ...). */
void sched_facts_account(struct sched_facts *f, long long id, long long debtor, const char *reference,
                         const char *creditor, const char *state);
/* consent and opted_out as PostgreSQL text arrays ("{sms,email}"); a US
 * number (+1...) adds its area code's zones to a US debtor's. */
bool sched_facts_point(struct sched_facts *f, long long id, long long debtor, const char *kind, const char *value,
                       const char *consent, const char *opted_out, bool bad, char *err, size_t errlen);
/* A contact of the debtor's history (contact_events()'s). It counts from the
 * start of its local day: one queued for this afternoon counts against a
 * message planned for this morning. */
void sched_facts_contact(struct sched_facts *f, long long debtor, int64_t at, enum channel channel,
                         enum contact_kind kind, const char *debt, const char *creditor);

/* Reads the facts of the given accounts' debtors for a run of local day
 * `day` (days since 1970-01-01): three queries whatever their number (the
 * accounts with their debtors, the debtors' contact points, the contacts
 * since what the policy's rules can count: cobro.contact_events()). As the
 * connected role sees them: cobrod's daemon login, or an administrator. */
bool sched_facts_load(struct db *db, const struct policy *p, const long long *accounts, size_t n, int64_t day,
                      struct sched_facts *f, char *err, size_t errlen);
/* How many of each the facts hold (for logs and tests). */
void sched_facts_size(const struct sched_facts *f, size_t *debtors, size_t *accounts, size_t *points,
                      size_t *contacts);

enum sched_outcome { SCHED_SEND, SCHED_WAIT, SCHED_REFUSED };
const char *sched_outcome_name(enum sched_outcome o); /* "send", "wait", "refused" */

struct sched_msg {
	/* in */
	long long account;
	long long point;       /* the contact point it goes to; 0: the debtor as a whole */
	enum channel channel;
	int64_t day;           /* the local date it goes out on, days since 1970-01-01: the run's day D */
	/* out */
	enum sched_outcome outcome;
	int64_t at_ms;         /* SCHED_SEND: when, UTC milliseconds since 1970 */
	const char *rule;      /* SCHED_WAIT, SCHED_REFUSED: the rule's id (the policy's or SCHED_RULE_*) */
};

/* How many of the messages had each outcome by each rule. */
struct sched_count {
	enum sched_outcome outcome;
	const char *rule;      /* "" for SCHED_SEND */
	long long n;
};

struct sched_result {
	long long sent, waiting, refused;
	struct sched_count *counts; /* SCHED_SEND first, then by outcome and rule, most first */
	size_t ncounts;
	/* The hourly send profile, in UTC hours (a day D spans more than 24
	 * UTC hours over several time zones, so the hours are absolute):
	 * per_hour[i] messages go out in the hour starting first_hour + i *
	 * 3600 (UTC seconds). Sums to `sent`. */
	int64_t first_hour;
	long long *per_hour;
	int nhours;
};

/* Decides m[0..n-1] in place. rate[channel]: messages per second (0 or
 * less: no spreading, every message at its opening). not_before: the run's
 * moment (UTC seconds): nothing is planned earlier, and a debtor whose day
 * D is over at that moment waits (SCHED_RULE_PAST). f's contacts are left
 * as they were, so the same facts serve a dry run and then the real run. */
void sched_plan(const struct policy *p, struct sched_facts *f, const double rate[CH__COUNT], int64_t not_before,
                struct sched_msg *m, size_t n, struct sched_result *r);
void sched_result_free(struct sched_result *r);

#endif
