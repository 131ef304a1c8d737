/* The account screen's data: the debtor, their contact points, all their
 * accounts, and for the open account its installments, payments, promises,
 * history and the facts of its contact policy verdicts, read in ONE round trip (one query returning one JSON document,
 * decoded with jansson). Core only: the screen never sees SQL. */
#ifndef COBRO_ACCOUNT_H
#define COBRO_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "lease.h"

struct contact_point_row {
	long long id;
	char kind[12];          /* phone, mobile, email, whatsapp, address */
	char value[321];
	char consent[64];       /* "call,sms" */
	char opted_out[64];     /* "sms" */
	bool bad;               /* bad_since is set */
	bool primary;
	/* "" for a point as any other; "proposed": a number a reply brought,
	 * waiting for a collector (contact_decide()); "rejected". Neither is
	 * usable for anything. */
	char proposal[12];
};

struct account_row {         /* one of the debtor's accounts */
	long long id;
	char reference[41];
	char creditor[81];
	char product[41];
	char currency[4];
	long long balance, past_due; /* minor units */
	int dpd;
	char status[16];
	char segment[33];
	char agent[64];          /* login of the assigned collector, "" if none */
	char oldest_due[11];     /* oldest unpaid installment's date, "" if none */
	char pay_link[256];      /* the creditor's payment link for it, "" if none */
};

struct installment_row {
	int seq;
	char due_date[11];
	long long amount, paid;
};

struct payment_row {
	char paid_at[17];        /* "YYYY-MM-DD HH:MM" */
	long long amount;
	char method[21];
};

struct promise_row {
	long long id;
	char created_at[17];
	char due_date[11];
	long long amount, discount;
	char status[20];         /* awaiting_approval, rejected, pending, kept, broken, cancelled */
	char channel[12];
	char agent[64];
	char frequency[12];      /* once, weekly, biweekly, monthly; "" before plans */
	int installments;
	char reasons[128];       /* the limits it breaks, codes: "horizon,max_discount" */
	char decided_by[64];     /* who approved or rejected it, a login, "" if nobody */
	char decision_reason[256];
	bool due_today;          /* pending, its next unpaid installment due on the debtor's today */
	int plan, nplan;         /* its installments: account_view.plan[plan .. plan + nplan) */
};

/* One installment of a promise's plan, in its order. */
struct plan_row {
	int seq;
	char due_date[11];
	long long amount, paid;  /* minor units; paid: what payments covered of it */
	char status[12];         /* pending, kept, partial, broken, late */
};

struct event_row {
	long long id;
	char at[17];             /* "YYYY-MM-DD HH:MM" in the session's time zone */
	char kind[16];           /* call, sms, email, whatsapp, letter, visit, note, promise, payment, ... */
	char direction[4];       /* out, in or "" */
	char outcome[24];
	char agent[64];
	char body[512];          /* first 511 bytes */
	char message_status[12]; /* for messages: queued, sent, delivered, failed, refused */
	long long amount;
	int64_t due;             /* a callback's moment (UTC seconds), else 0 */
	char zone[64];           /* the zone its time was typed in, else "" */
};

/* A contact the contact policy counts (by any creditor, over the lookback
 * window): see contact_history_many() in the schema. */
struct contact_fact {
	int64_t at;              /* UTC seconds */
	char channel[12];
	char kind[16];           /* placed, conversation, sent, attempt */
	char debt[41];           /* account reference, "" if none */
	char creditor[41];       /* creditor code, "" if none */
};

/* Where the open account stands in its strategy (account_strategy,
 * 031_strategies.sql): names as the strategy file writes them. */
struct account_strategy_row {
	bool placed;             /* false: no run has placed the account yet */
	char segment[64];
	char ladder[64];         /* "" when the segment runs no ladder */
	char variant[64];        /* "" when the segment does not split */
	char state[12];          /* running, paused, stopped, done */
	char state_reason[32];   /* reply, promise, payment, optout, no_contact, ... */
	char last_step[64];
	char last_step_at[11];   /* "YYYY-MM-DD", "" if none */
	char next_step[64];
	char next_step_on[11];   /* "YYYY-MM-DD", "" if none */
};

struct account_view {
	/* debtor */
	long long debtor_id;
	char name[201];
	char first_name[101];
	char national_id[41];
	char language[3];
	char jurisdiction[6];
	char time_zone[64];
	char state[16];
	/* the open account */
	struct account_row account;
	char next_action_at[17];
	/* Who held the lease when read, "" if none: for account_open(), before
	 * it took the lease, which may have been this session itself. */
	char lease_holder[64];
	char lease_holder_name[201];
	/* for the contact policy's verdicts */
	char policy_state[16];      /* the account's status when not active, else the debtor's state */
	char creditor_code[41];
	struct account_strategy_row strategy;
	/* lists (allocated) */
	struct contact_point_row *points;
	int npoints;
	struct account_row *accounts;  /* all the debtor's accounts the person may see */
	int naccounts;
	struct installment_row *installments;
	int ninstallments;
	struct payment_row *payments;
	int npayments;
	struct promise_row *promises;
	int npromises;
	struct plan_row *plan;         /* every promise's installments, each promise's together */
	int nplan;
	struct event_row *events;      /* newest first, at most `limit` */
	int nevents;
	struct contact_fact *contacts; /* oldest first, since at - POLICY_LOOKBACK */
	int ncontacts;
};

/* Loads account_id as the logged-in person sees it (row-level security), with
 * at most event_limit history rows, newest first, and the contacts the policy
 * counts at instant at (0: now). One call of cobro.account_screen(), one round
 * trip. Returns false with db->err set (an account the person may not see is
 * an error "no such account"). */
bool account_load(struct db *db, long long account_id, int event_limit, int64_t at, struct account_view *v);
/* account_load() that also takes or renews the account's lease (lease_take()),
 * in the same statement: opening an account is one round trip. */
bool account_open(struct db *db, long long account_id, int event_limit, int64_t at, struct lease *lease,
                  struct account_view *v);
/* account_open() in a transaction that is rolled back: every statement that
 * opening the account runs is planned and run, and nothing is kept or
 * announced (a NOTIFY goes out only at commit). The first account a session
 * opens costs some milliseconds more than the rest; a rehearsal while the
 * person reads spares them that wait. v is filled as account_open() fills it:
 * its lease holder is whoever held the lease before (account_screen() reads
 * the statement's snapshot, taken before lease_take() writes), so never the
 * rehearsal's own. */
bool account_rehearse(struct db *db, long long account_id, int event_limit, int64_t at,
                      struct account_view *v);
void account_view_free(struct account_view *v);

#endif
