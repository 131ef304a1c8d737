/* A promise to pay as the collector types it, pure: its schedule of
 * installments and every rule of issue 16's contract (docs/promises.md),
 * the hard errors that never let it be saved and the limits whose breach
 * saves it only as awaiting approval. The database (promise_save(),
 * functions/promise.sql) computes the same schedule and applies the same
 * rules; this module lets the form say so field by field as it is typed.
 * No curses, no SQL. */
#ifndef COBRO_PROMISE_PLAN_H
#define COBRO_PROMISE_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum promise_freq { PROMISE_ONCE, PROMISE_WEEKLY, PROMISE_BIWEEKLY, PROMISE_MONTHLY, PROMISE_FREQ__COUNT };

/* "once", "weekly", "biweekly", "monthly": the database's words. */
const char *promise_freq_name(enum promise_freq f);
/* False for a word that is none of them. */
bool promise_freq_parse(const char *name, enum promise_freq *out);

/* The channels a promise may be given on, in the database's words. */
extern const char *const promise_channels[];
#define PROMISE_CHANNELS 7
bool promise_channel_known(const char *name);

/* The most installments a plan may have at all, as promise_save() says
 * (the team's own maximum is a limit, below). */
#define PROMISE_COUNT_MAX 360
/* No date of a plan after 9999-12-31 (dates are written YYYY-MM-DD). */
#define PROMISE_LAST_YEAR 9999

/* The limits in force for an account (promise_limits_for()): dates are days
 * since 1970-01-01 (days_from_civil()). */
struct promise_account_limits {
	int version;
	int horizon_days;
	int min_share_permille;
	int max_installments;
	int max_discount_permille;
	int grace_days;
	int64_t today; /* the account's today */
};

/* What was agreed: amounts in minor units, dates in days since 1970. */
struct promise_terms {
	long long amount;   /* the total promised */
	int64_t first_due;
	int count;          /* installments, 1 for a single payment */
	enum promise_freq freq;
	long long discount; /* > 0: a settlement */
	const char *channel;
};

/* The account's money the rules weigh the terms against. */
struct promise_money {
	long long balance, past_due;
};

struct promise_step {
	int64_t due;
	long long amount;
};

/* Installment k's date: first + 7k days (weekly), + 14k (biweekly), or
 * first + k months keeping the first date's day, clamped to the month's end
 * (2027-01-31, 2027-02-28, 2027-03-31), as PostgreSQL's
 * date + k * interval '1 month' does. */
int64_t promise_due(int64_t first, enum promise_freq f, int k);
/* The plan: t->count steps into out (room for max), each amount / count, the
 * last one with the remainder. Returns the number of steps, 0 when the
 * count is not within 1..max. */
int promise_schedule(const struct promise_terms *t, struct promise_step *out, int max);

/* The form's fields, each rule's message going beside one of them. */
enum promise_field {
	PF_AMOUNT,
	PF_DATE,
	PF_COUNT,
	PF_FREQUENCY,
	PF_DISCOUNT,
	PF_CHANNEL,
	PF_NOTE,
	PF__COUNT
};

/* Hard errors: the promise is never saved. Their codes are the words
 * promise_save() starts its SQLSTATE 22023 messages with. */
enum promise_error {
	PE_NONE,
	PE_AMOUNT,               /* not above zero */
	PE_AMOUNT_ABOVE_BALANCE, /* above the balance, or the discounted balance */
	PE_DATE_PAST,            /* before the account's today */
	PE_COUNT,                /* under 1, over PROMISE_COUNT_MAX, more installments than minor units, or several "once" */
	PE_FREQUENCY,
	PE_DISCOUNT,             /* negative, or not below the balance */
	PE_ACTIVE,               /* an active promise not named as replaced */
	PE_CHANNEL,
	PE_DATE_RANGE,           /* a last date after 9999-12-31 (or the first 'infinity', in SQL) */
	PE_ACCOUNT_STATUS,       /* the account is not active (said by promise_save() only) */
	PE__COUNT
};
const char *promise_error_code(enum promise_error e);
/* The error's code word read back (promise_save()'s message), PE_NONE for none. */
enum promise_error promise_error_from_message(const char *message);
/* In English, marked N_() for the screen to translate. */
const char *promise_error_text(enum promise_error e);
enum promise_field promise_error_field(enum promise_error e);

/* Limits: breaking one saves the promise as awaiting approval. */
enum promise_limit {
	PL_HORIZON,          /* the last installment beyond today + horizon_days */
	PL_MIN_SHARE,        /* the total below min_share of the past-due amount (not for a settlement) */
	PL_MAX_INSTALLMENTS,
	PL_MAX_DISCOUNT,     /* the discount above max_discount of the balance */
	PL__COUNT
};
const char *promise_limit_code(enum promise_limit l);
const char *promise_limit_text(enum promise_limit l); /* N_() */
enum promise_field promise_limit_field(enum promise_limit l);

struct promise_verdict {
	enum promise_error error[PF__COUNT]; /* the first hard error of each field */
	enum promise_error first;            /* the first of all, PE_NONE when none */
	unsigned limits;                     /* 1 << enum promise_limit, for each breached */
	int64_t last_due;                    /* the last installment's date */
};

/* Every rule applied to the terms: active is whether the account has an
 * active promise (pending or awaiting approval) that the terms do not name
 * as replaced. Limits are judged only on terms without a hard error in the
 * fields they read. */
void promise_validate(const struct promise_terms *t, const struct promise_money *m,
                      const struct promise_account_limits *l, bool active, struct promise_verdict *v);
/* Whether a limit is breached. */
static inline bool promise_breaks(const struct promise_verdict *v, enum promise_limit l)
{
	return (v->limits >> l) & 1u;
}

/* Money as typed, "1234", "1234.5", "1234,50", in minor units of a
 * currency with decimals places: false for anything else (letters, signs,
 * more decimals than the currency has, too large). */
bool promise_parse_amount(const char *text, int decimals, long long *out);
/* "YYYY-MM-DD", a date that exists: false otherwise. */
bool promise_parse_date(const char *text, int64_t *days);
/* "YYYY-MM-DD" of days since 1970 into out (11 bytes). */
char *promise_date_text(char *out, size_t n, int64_t days);

#endif
