/* The contact policy engine: may we contact this debtor, on this channel, now?
 *
 * Pure: no SQL, no curses, no clock. Given the rules, the debtor, their contact
 * history and the proposed contact (with its own time), it answers allowed, or
 * refused with the rule, the reason in Spanish and English, the legal source
 * (or company policy) and the next time the contact would be allowed. The
 * workstation calls it to explain, cobrod to enforce, cobroctl to check a case.
 * Rules are read from libconfig text (etc/policy.conf); docs/compliance.md. */
#ifndef COBRO_POLICY_H
#define COBRO_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "holiday.h"
#include "tz.h"

enum channel { CH_CALL, CH_SMS, CH_EMAIL, CH_WHATSAPP, CH_LETTER, CH_VISIT, CH__COUNT };
typedef unsigned chanset; /* bit (1 << channel) */
#define CH_ALL ((chanset)((1u << CH__COUNT) - 1))

/* What a history entry was. A conversation was also a placed call, and a
 * placed call an attempt; a cap names which of these it counts. */
enum contact_kind { KIND_ATTEMPT, KIND_PLACED, KIND_CONVERSATION, KIND_SENT, KIND__COUNT };

enum lang { LANG_ES, LANG_EN };

const char *channel_name(enum channel c);
bool channel_parse(const char *s, enum channel *out);
const char *kind_name(enum contact_kind k);
bool kind_parse(const char *s, enum contact_kind *out);

struct policy_event {
	int64_t at;           /* UTC seconds */
	enum channel channel;
	enum contact_kind kind;
	const char *debt;     /* account reference, or NULL */
	const char *creditor; /* creditor code, or NULL */
};

#define POLICY_MAX_ZONES 4

struct policy_debtor {
	const char *jurisdiction;                  /* "CO", "US-MA" */
	const struct tz *zones[POLICY_MAX_ZONES];  /* [0] the address zone, then the phone's */
	int nzones;
	chanset consent;                           /* channels the debtor authorised */
	chanset opted_out;                         /* channels the debtor (or this address) stopped */
	const char *state;                         /* active, dispute, cease, attorney, sued, insolvent, ... */
	/* Channels whose every number or address is marked wrong: refused for
	 * that, before any rule (a consent rule would blame consent), naming
	 * one of them as shown (wrong[channel], "+52*****4321"). */
	chanset unreachable;
	const char *wrong[CH__COUNT];
};

struct policy_contact {
	int64_t at;
	enum channel channel;
	const char *debt;
	const char *creditor;
};

struct policy;      /* the whole rule set: every jurisdiction, its rules, its holidays */
struct policy_rule; /* one rule */

/* Reads rules from libconfig text; name is the file name for messages.
 * holidays is the text of the holiday calendars (holiday.h: their rules, as
 * policy_holidays_read() joins them from etc/holidays/, or the dated lines
 * older versions stored); NULL: no calendars, so that every jurisdiction's
 * hours rules refuse as for an unknown year. On error returns NULL with err
 * "FILE:LINE: what is wrong". */
struct policy *policy_parse(const char *text, const char *name, const char *holidays, char *err, size_t errlen);
void policy_free(struct policy *p);

/* Reads every DIR/JUR.conf into the holidays text policy_parse() takes,
 * each file checked alone (errors as "PATH:LINE: ..."). */
char *policy_holidays_read(const char *dir, char *err, size_t errlen);

/* The holidays the engine uses for jurisdiction in year: its calendar's and
 * its ancestors', sorted by day then name (holiday_list_free() frees them).
 * -1 when they cannot be known (err "no holiday calendar for AR 2029"), -2
 * for a jurisdiction without rules. */
int policy_holidays(const struct policy *p, const char *jurisdiction, int year, struct holiday **out, char *err,
                    size_t errlen);

/* Checks that next tightens or keeps every locked rule of prev. On a loosened,
 * removed or unlocked locked rule returns false with err naming it and why. */
bool policy_check_locks(const struct policy *prev, const struct policy *next, char *err, size_t errlen);

bool policy_has_jurisdiction(const struct policy *p, const char *id);

/* How far back (seconds) a contact can still count for any rule of p: the
 * longest window, gap or cooling-off it names, and two days' margin.
 * History older than at - policy_lookback(p) changes no verdict
 * at or after at, so it need not be read. */
int64_t policy_lookback(const struct policy *p);

/* How far back the contact history is read: a year and a month covers every
 * window a rule may name. */
#define POLICY_LOOKBACK (400LL * 86400)

/* A rule's public face, for messages and `cobroctl policy show`. */
const char *policy_rule_id(const struct policy_rule *r);
const char *policy_rule_source(const struct policy_rule *r); /* NULL: company policy */

struct policy_verdict {
	bool allowed;
	const struct policy_rule *rule; /* the refusing rule when not allowed */
	int64_t next;                   /* next allowed instant; 0 when never (consent, opt-out, state) */
	int64_t until;                  /* when allowed: the end of this allowed stretch of hours; 0 if none */
	char reason[2][256];            /* [LANG_ES], [LANG_EN] */
};

/* Evaluates one contact. history need not be sorted. */
void policy_check(const struct policy *p, const struct policy_debtor *d, const struct policy_event *history,
                  size_t nhistory, const struct policy_contact *c, struct policy_verdict *v);

/* Prints the rules in force for one jurisdiction (NULL: all), with parents. */
void policy_show(const struct policy *p, const char *jurisdiction, void (*out)(const char *line, void *arg),
                 void *arg);

#endif
