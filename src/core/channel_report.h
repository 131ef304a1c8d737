/* The channels' and the variants' figures (docs/metrics.md), as
 * channel_report() and strategy_report() (functions/channel_report.sql)
 * compute them in the database, read into C structs; `cobroctl report
 * channels` and `cobroctl strategy report` only format them. The costs of
 * the channels come from the strategy in force. */
#ifndef COBRO_CHANNEL_REPORT_H
#define COBRO_CHANNEL_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "metrics.h"

/* The message channels the report counts, in its order. */
#define REPORT_CHANNELS 3
extern const char *const report_channel_names[REPORT_CHANNELS]; /* sms, email, whatsapp */

/* What the report takes from the strategy in force: the attribution window
 * and each message channel's cost, exact, in millionths of a major unit of
 * currency (as strategy.h keeps them). */
struct report_settings {
	bool strategy;           /* a version is in force */
	int version;
	int attribution_days;    /* settings.attribution_days, else 7 */
	char currency[4];        /* settings.cost_currency; "" when none */
	bool cost_known[REPORT_CHANNELS];
	long long cost_micro[REPORT_CHANNELS];
};

/* Reads settings and channel costs from a strategy file's text (the version
 * in force as stored); defaults for what it does not say. False with err
 * when the text is not libconfig or a cost is not a decimal number. */
bool report_settings_parse(const char *text, struct report_settings *out, char *err, size_t errlen);

/* The version in force (report_strategy()) read and parsed; with none, out
 * says strategy false, window 7 and every cost unknown. False with db->err
 * (db->sqlstate 42501: the caller may not read the reports) and err "", or
 * with err when the stored text does not read. */
bool report_settings_load(struct db *db, struct report_settings *out, char *err, size_t errlen);

/* A cost per currency, in major units of the cost currency. */
struct report_cost {
	int n;
	struct {
		char currency[4];
		double amount;
	} v[METRICS_MAX_CURRENCIES];
};

struct channel_row {
	char channel[16];
	bool grouped;              /* asked by segment, step or variant */
	bool manual;               /* grouped, and what a person sent (no strategy's names) */
	char group1[64], group2[64]; /* segment/ladder, and variant/step; "" for none */
	int64_t messages, sent, delivered, failed, refused;
	int64_t replies, optouts, promises, payments;
	struct metric_money promised, recovered;
	bool cost_known;
	double unit_cost, cost;    /* cost: sent x unit cost */
	struct report_cost cost_by_currency; /* of the messages to accounts of each currency */
};

enum report_by { REPORT_BY_CHANNEL, REPORT_BY_SEGMENT, REPORT_BY_STEP, REPORT_BY_VARIANT };
/* "segment", "step", "variant"; false for anything else. */
bool report_by_parse(const char *s, enum report_by *out);

/* channel_report() over the calendar days from .. to (both included,
 * "YYYY-MM-DD", in the session's time zone), window days of attribution,
 * the costs of settings. *out is malloc'd, *n its rows. False with db->err
 * (db->sqlstate 42501 when the caller may not). */
bool channel_report_days(struct db *db, const char *from, const char *to, enum report_by by, int window,
                         const struct report_settings *settings, struct channel_row **out, int *n);

/* Cost per amount recovered in currency: the cost of the messages to that
 * currency's accounts over what they recovered, in major units of each
 * (cost currency per one unit of currency); negative when nothing was
 * recovered in it or the cost is unknown. */
double channel_cost_per_recovered(const struct channel_row *r, const char *currency);

/* One variant of a split segment (strategy_report()). A rate without a
 * value (nothing to divide by) is negative. */
struct variant_row {
	char segment[64], variant[64], ladder[64];
	int64_t accounts, contacted, promising, promises, kept, broken;
	double contact_rate, promise_rate, kept_rate;
	struct metric_money paid, balance_start;
	struct report_cost recovery_rate; /* per currency: paid / balance at the start */
};

/* strategy_report() over the days from .. to (NULL: from the beginning /
 * to the end). */
bool strategy_report_days(struct db *db, const char *from, const char *to, struct variant_row **out, int *n);

#endif
