/* Inside the policy engine: the parsed rules, shared by the parser
 * (policy_rules.c) and the evaluator (policy.c). Nobody else includes this. */
#ifndef COBRO_POLICY_INT_H
#define COBRO_POLICY_INT_H

#include "holiday.h"
#include "policy.h"

enum rule_type { RULE_HOURS, RULE_CAP, RULE_GAP, RULE_CHANNELS, RULE_COOLOFF, RULE_CONSENT, RULE_OPTOUT, RULE_STATE };
enum window { WIN_DAY, WIN_WEEK, WIN_ROLLING };
enum scope { PER_PERSON, PER_DEBT, PER_CREDITOR };
enum { DAY_UNKNOWN = -1, DAY_HOLIDAY = 7, DAY__COUNT = 8, MAX_SPANS = 4, MAX_STATES = 12 };

struct span {
	short from, to; /* minutes after local midnight, [from, to) */
};

struct jur;

struct policy_rule {
	char id[32];
	enum rule_type type;
	chanset channels;
	bool locked;
	char *source;
	char *note;
	int line;
	const struct jur *owner;
	/* hours */
	struct span spans[DAY__COUNT][MAX_SPANS];
	int nspans[DAY__COUNT];
	/* cap, gap, channels */
	int max;
	enum window window;
	int days;        /* rolling window length; gap; cooling-off length */
	int week_start;  /* 0 Monday .. 6 Sunday */
	enum scope per;
	unsigned counts; /* bit (1 << kind) after closure */
	/* cooloff */
	unsigned after;  /* kinds that start it */
	chanset after_channels;
	/* state */
	char *states[MAX_STATES];
	int nstates;
};

struct jur {
	char id[8];
	char name[64];
	char parent_id[8];
	const struct jur *parent;
	struct policy_rule *rules;
	int nrules;
	const struct holiday_cal *cal; /* its own holiday calendar, or NULL */
};

struct policy {
	struct jur *j;
	int nj;
	struct holiday_set *calendars;
};

/* Whether day is a holiday for j: its calendar's or an ancestor's. -1 when
 * it cannot be known: a calendar along the way does not know the year, or
 * no jurisdiction but "*" has one (*who names which). */
int policy_holiday(const struct jur *j, int64_t day, const char **who);

/* The rule that refuses a contact on a day whose holidays are unknown. */
extern const struct policy_rule policy_calendar_rule;

extern const char *const policy_day_keys[];
extern const char *const policy_type_names[];
unsigned policy_kind_closure(enum contact_kind k);
struct jur *policy_find_jur(const struct policy *p, const char *id);

#endif
