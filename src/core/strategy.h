/* Strategies (issue 18, docs/strategies.md): etc/strategy.conf parsed and
 * checked. Segments assign accounts by rules, ladders are the steps a
 * segment's accounts go through, across channels. Pure: no SQL, no curses;
 * which templates exist is the caller's to say (strategy_templates).
 * What one account does on a day is strategy_decide.h. */
#ifndef COBRO_STRATEGY_H
#define COBRO_STRATEGY_H

#include <stdbool.h>
#include <stddef.h>

/* Bounds the parser enforces, so that a decision needs no allocation. */
#define STRATEGY_MAX_STEPS 32  /* steps of one ladder, promise_reminder and broken_promise apart */
#define STRATEGY_MAX_VARIANTS 10
#define STRATEGY_MAX_ERRORS 20 /* errors kept; the rest are counted */
#define STRATEGY_NAME_MAX 32   /* names: [a-z0-9][a-z0-9_-]*, at most this long (as account.segment) */

enum strategy_channel {
	STRATEGY_SMS,
	STRATEGY_EMAIL,
	STRATEGY_WHATSAPP,
	STRATEGY_WORKLIST, /* the collectors' worklist: an assignment */
	STRATEGY_LETTER,
	STRATEGY_AGENCY, /* a placement file of a third-party agency */
	STRATEGY_CHANNELS
};
/* "sms", "email", ... as the file, the database (message.channel) and the templates write them. */
const char *strategy_channel_name(enum strategy_channel c);
/* The channel called s (len bytes; -1: NUL-terminated); false when none is. */
bool strategy_channel_parse(const char *s, int len, enum strategy_channel *out);
/* Whether the channel sends a message from a template (sms, email, whatsapp, letter). */
bool strategy_channel_is_message(enum strategy_channel c);

/* What a ladder does when the debtor replies, promises or pays (docs/strategies.md). */
enum strategy_reaction { STRATEGY_STOP, STRATEGY_PAUSE, STRATEGY_CONTINUE };
const char *strategy_reaction_name(enum strategy_reaction r);

/* The templates that exist, by code and channel (the language is the
 * debtor's; either language will do for the check). */
struct strategy_template {
	char code[64];
	enum strategy_channel channel;
};
struct strategy_templates {
	struct strategy_template *v;
	size_t n, cap;
};
void strategy_templates_add(struct strategy_templates *t, const char *code, enum strategy_channel channel);
bool strategy_templates_has(const struct strategy_templates *t, const char *code, enum strategy_channel channel);
/* Every *.tpl of a directory (etc/templates), each parsed as `cobroctl
 * template add` does (template_parse_file): false with "FILE:LINE: ..." in
 * err when one does not parse or the directory cannot be read. */
bool strategy_templates_from_dir(const char *dir, struct strategy_templates *out, char *err, size_t errlen);
void strategy_templates_free(struct strategy_templates *t);

/* The errors of a file, each "FILE:LINE: what is wrong", translated
 * (gettext, domain cobro). Any error refuses the whole file. */
struct strategy_errors {
	char *v[STRATEGY_MAX_ERRORS]; /* malloc'd */
	int n;                        /* kept in v */
	int more;                     /* found beyond STRATEGY_MAX_ERRORS */
};
void strategy_errors_free(struct strategy_errors *e);

struct strategy_settings {
	int catch_up_days;    /* a step more than this many days late is skipped, never sent (default 2) */
	int attribution_days; /* a promise or payment within this many days after a message counts for it (default 7) */
	char cost_currency[4]; /* ISO 4217: what the channels' costs are written in ("" when no cost is given) */
};

/* Costs are exact integers in millionths of a major unit of cost_currency:
 * "0.05" is 50000, "0.005" (half a US cent, a usual price of an email)
 * 5000. Minor units could not say the latter. */
struct strategy_channel_cost {
	bool given;      /* the channel is in `channels` */
	long long micro; /* the cost of one message, or one account worked/placed */
	double rate;     /* messages per second; 0: not given (the sender's own pace) */
	int line;
};

struct strategy_agency {
	char name[STRATEGY_NAME_MAX + 1];
	char *file; /* the placement file's pattern, strftime's %Y %m %d: "var/placements/externa-%Y%m%d.csv" */
	int line;
};

/* How a worklist step assigns the account. */
enum strategy_assign_kind {
	STRATEGY_ASSIGN_NONE,  /* not a worklist step */
	STRATEGY_ASSIGN_POOL,  /* "pool": the account's team's pool, nobody in particular */
	STRATEGY_ASSIGN_AGENT, /* "agent:LOGIN": that collector */
	STRATEGY_ASSIGN_LEAST_LOADED /* "least_loaded": the team's collector with the fewest accounts */
};
struct strategy_assign {
	enum strategy_assign_kind kind;
	char login[64]; /* STRATEGY_ASSIGN_AGENT only */
};

enum strategy_step_kind {
	STRATEGY_STEP_DUE,              /* offset days from the due date (negative: preventive) */
	STRATEGY_STEP_DPD,              /* offset days past due (1 or more) */
	STRATEGY_STEP_PROMISE_REMINDER, /* offset = days_before an unpaid promise installment */
	STRATEGY_STEP_BROKEN_PROMISE    /* on the day a promise broke */
};

/* The names the promise steps go by in strategy_step_done and messages;
 * a ladder's own steps may not take them. */
#define STRATEGY_PROMISE_REMINDER "promise_reminder"
#define STRATEGY_BROKEN_PROMISE "broken_promise"

struct strategy_step {
	char name[STRATEGY_NAME_MAX + 1];
	enum strategy_step_kind kind;
	int offset; /* due: -365..365; dpd: 1..3650; promise_reminder: days_before 0..60; broken: 0 */
	enum strategy_channel channel;
	char template_code[64]; /* message channels; "" for worklist and agency */
	struct strategy_assign assign; /* worklist */
	int agency;                    /* agency: index into strategy.agencies; -1 otherwise */
	int unless_reply_days;         /* skipped when the debtor replied within this many days; -1: no such condition */
	int line;
};

struct strategy_ladder {
	char name[STRATEGY_NAME_MAX + 1];
	enum strategy_reaction on_reply, on_promise, on_payment; /* defaults: stop, pause, stop */
	struct strategy_step steps[STRATEGY_MAX_STEPS];          /* in time order (checked) */
	int nsteps;
	bool has_promise_reminder, has_broken_promise;
	struct strategy_step promise_reminder, broken_promise; /* named as the macros above */
	int line;
};

/* A segment's conditions (`when`): all must hold; one not given holds for
 * every account. Money is in millionths of a major unit of the account's
 * own currency; days are counts of days. */
enum strategy_cond {
	STRATEGY_C_DPD_MIN = 1u << 0,
	STRATEGY_C_DPD_MAX = 1u << 1,
	STRATEGY_C_BALANCE_MIN = 1u << 2,
	STRATEGY_C_BALANCE_MAX = 1u << 3,
	STRATEGY_C_SCORE_MIN = 1u << 4,
	STRATEGY_C_SCORE_MAX = 1u << 5,
	STRATEGY_C_PRODUCTS = 1u << 6,
	STRATEGY_C_JURISDICTIONS = 1u << 7,
	STRATEGY_C_BROKEN_PROMISES_MIN = 1u << 8,
	STRATEGY_C_REPLIED_WITHIN = 1u << 9,
	STRATEGY_C_RPC_WITHIN = 1u << 10,
	STRATEGY_C_NO_RPC = 1u << 11,
	STRATEGY_C_VALUE_PER_COST_MIN = 1u << 12,
	STRATEGY_C_FROM_SEGMENT = 1u << 13,
};
struct strategy_when {
	unsigned has; /* STRATEGY_C_* given */
	int dpd_min, dpd_max;
	long long balance_min_micro, balance_max_micro;
	int score_min, score_max; /* 0..1000 */
	char **products;          /* malloc'd */
	int nproducts;
	char **jurisdictions; /* "PE", "US-MA"; "US" matches "US" and every "US-XX" */
	int njurisdictions;
	int broken_promises_min;  /* broken in the last 180 days */
	int replied_within_days;  /* a reply on day D-N..D */
	int rpc_within_days;      /* a right-party contact on day D-N..D */
	int no_rpc_days;          /* no right-party contact on D-N+1..D (never, or N days ago or earlier) */
	long long value_per_cost_min_micro; /* balance x score/1000 over the worklist channel's cost */
	char **from_segments;     /* the account's segment before this run is one of these */
	int nfrom_segments;
	int line;
};

struct strategy_variant {
	char name[STRATEGY_NAME_MAX + 1];
	int ladder;  /* index into strategy.ladders */
	int percent; /* 1..100; a segment's sum to 100 */
	int line;
};

struct strategy_segment {
	char name[STRATEGY_NAME_MAX + 1];
	bool has_when;
	struct strategy_when when;
	int ladder; /* index into strategy.ladders, when the segment does not split; -1 when it does */
	struct strategy_variant variants[STRATEGY_MAX_VARIANTS];
	int nvariants; /* 0: one ladder for all */
	int line;
};

/* The data-cleaning flow (issue 18 line 3): when every number of a debtor
 * is wrong or keeps failing, ask for a new one on the channels left. */
struct strategy_cleaning {
	bool given;
	int after_failures;      /* failed deliveries in a row that make a number count as failing */
	unsigned channels;       /* 1u << enum strategy_channel: where to ask (email, whatsapp, sms, letter) */
	char template_code[64];  /* must exist for each of those channels */
	char *incentive;         /* malloc'd; "" for none: what the request offers for an answer, as text */
	int every_days;          /* at most one request in this many days */
	char **segments;         /* only accounts of these segments; none: every segment */
	int nsegments;
	int line;
};

struct strategy {
	char *file; /* the name it was parsed as, for messages */
	struct strategy_settings settings;
	struct strategy_channel_cost channels[STRATEGY_CHANNELS];
	struct strategy_agency *agencies;
	int nagencies;
	struct strategy_segment *segments; /* in file order: the first that matches wins */
	int nsegments;
	struct strategy_ladder *ladders;
	int nladders;
	struct strategy_cleaning cleaning;
};

/* Parses and checks the text of a strategy file called file. known: the
 * templates that exist; NULL: templates are not checked. Returns the
 * strategy, or NULL with every error found in errs (zeroed by the caller;
 * free it with strategy_errors_free). Nothing half-parsed is returned. */
struct strategy *strategy_parse(const char *file, const char *text, const struct strategy_templates *known,
                                struct strategy_errors *errs);
void strategy_free(struct strategy *s);

/* Lookups by name; NULL (or -1) when there is none. */
const struct strategy_segment *strategy_segment_find(const struct strategy *s, const char *name);
const struct strategy_ladder *strategy_ladder_find(const struct strategy *s, const char *name);
int strategy_ladder_index(const struct strategy *s, const char *name);
const struct strategy_agency *strategy_agency_find(const struct strategy *s, const char *name);
/* A ladder's step by name, the promise steps included. */
const struct strategy_step *strategy_step_find(const struct strategy_ladder *l, const char *name);

/* The strategy in a canonical text, one fact a line, the same for the same
 * meaning whatever the file's layout or comments (for `strategy show`
 * and for diffs between versions). malloc'd. */
char *strategy_describe(const struct strategy *s);

#endif
