/* Data cleaning (issue 18, line 3): a debtor whose every number is marked
 * wrong or keeps failing is asked for a current one by the channels left
 * (email, WhatsApp), with the template the strategy names; the numbers a
 * reply holds become contact points proposed, for a collector to confirm
 * (functions/cleaning.sql). One run is cleaning_run(): cobrod's daily run
 * and `cobroctl strategy clean` call it. Core only: no curses. */
#ifndef COBRO_CLEANING_H
#define COBRO_CLEANING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "phone.h"

#define CLEANING_CHANNELS 2
#define CLEANING_SEGMENTS 16

struct strategy;

/* The `cleaning` group of etc/strategy.conf (struct strategy_cleaning,
 * strategy.h), as the run uses it. */
struct cleaning_conf {
	bool given;                         /* the strategy has a cleaning group */
	int after_failures;                 /* a number whose last N messages failed keeps failing */
	int every_days;                     /* a debtor is asked at most once per channel in N days */
	char channels[CLEANING_CHANNELS][12]; /* "email", "whatsapp", in the order asked */
	int nchannels;
	char template_code[64];             /* the template asked with, per channel and language */
	char incentive[512];                /* "" or a paragraph added to the email */
	char segments[CLEANING_SEGMENTS][64]; /* only accounts in these segments; none: all */
	int nsegments;
};

/* The shipped settings: 3 failures, email then WhatsApp, number_update,
 * no incentive, every 7 days. */
void cleaning_conf_default(struct cleaning_conf *c);

/* The cleaning settings of a parsed strategy: email and WhatsApp of its
 * channels (the cleaning asks by nothing else), given false when it has
 * no cleaning group. */
void cleaning_conf_from(const struct strategy *s, struct cleaning_conf *c);

/* A whole strategy file's text parsed and checked (strategy_parse(), its
 * templates not checked), and its cleaning settings. False with the
 * file's first error in err ("strategy.conf:42: ..."). */
bool cleaning_conf_parse(const char *name, const char *text, struct cleaning_conf *c, char *err, size_t errlen);

/* The strategy version in force's text from the database (the newest
 * strategy_version), parsed with cleaning_conf_parse(). False with err
 * when none is loaded or it cannot be read. */
bool cleaning_conf_in_force(struct db *db, struct cleaning_conf *c, char *err, size_t errlen);

/* What one run did. */
struct cleaning_counts {
	int due;     /* asks the run found to make */
	int queued;  /* messages queued */
	int skipped; /* asked already meanwhile (another cobrod), or nothing left */
	int failed;  /* not rendered or refused: each said through say */
};

/* Asks every debtor due at instant at (UTC seconds; tests pass it): renders
 * the template for the debtor's language and queues it through
 * cobro.cleaning_queue() as the connected daemon or administrator. dry_run
 * queues nothing and counts what would go. team (a team's code, NULL for
 * all) keeps to the debtors of its accounts. say (may be NULL) hears one line
 * per ask or problem, in English, never a number or an address. False
 * with db->err when the database cannot be asked at all. */
bool cleaning_run(struct db *db, const struct cleaning_conf *c, int64_t at, const char *team, bool dry_run,
		  void (*say)(void *ctx, const char *line), void *ctx, struct cleaning_counts *n);

/* A collector's decision on a proposed number of the account's debtor
 * (cobro.contact_point_decide()): confirm makes it usable, with consent
 * for the channel it came by; else it is rejected. False with db->err and
 * db->sqlstate: 42501 not the caller's account, 55000 not proposed (any
 * more: decided by someone else meanwhile). */
bool cleaning_decide(struct db *db, long long account_id, long long point_id, bool confirm);

/* A number read in a reply, as E.164, and whether it may be a mobile. */
struct cleaning_number {
	char e164[PHONE_E164_SIZE];
	bool mobile;
};

/* The phone numbers text holds, read as a person of country writes them
 * (phone_normalize(), "PE": "987 654 321" is +51987654321): runs of
 * digits, spaces, dots, dashes and parentheses (a leading +) with at least
 * six digits, each whole, else each of its words. At most max, each once,
 * in the order written. Pure. */
int cleaning_numbers(const char *text, const char *country, struct cleaning_number *out, int max);

/* The numbers of text for every country cobro serves, as
 * cobro.message_inbound_numbers() takes them: {"PE": {"+51987654321":
 * "mobile"}, ...}; the database keeps those of the debtor's country.
 * NULL when text holds none. malloc'd. */
char *cleaning_numbers_json(const char *text);

#endif
