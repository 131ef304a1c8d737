/* The channels' and the variants' figures read from the database
 * (channel_report.h). */
#include <ctype.h>
#include <jansson.h>
#include <libconfig.h>
#include <libintl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "channel_report.h"
#include "util.h"

#define _(s) gettext(s)

const char *const report_channel_names[REPORT_CHANNELS] = { "sms", "email", "whatsapp" };

/* "0.05" -> 50000 millionths; false for anything but digits, one dot and at
 * most six decimals (docs/strategies.md: costs are decimal strings). */
static bool micro_parse(const char *s, long long *out)
{
	long long v = 0;
	int dec = -1;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s == '.' && dec < 0) {
			dec = 0;
			continue;
		}
		if (!isdigit((unsigned char)*s) || dec == 6 || v > 1000000000000LL)
			return false;
		v = v * 10 + (*s - '0');
		if (dec >= 0)
			dec++;
	}
	for (dec = dec < 0 ? 0 : dec; dec < 6; dec++)
		v *= 10;
	*out = v;
	return true;
}

/* The stored text was checked when it was loaded (strategy load); only the
 * few settings the reports need are read here. */
bool report_settings_parse(const char *text, struct report_settings *out, char *err, size_t errlen)
{
	config_t cf;
	const char *s;
	int days;
	bool ok = true;

	memset(out, 0, sizeof *out);
	out->strategy = true;
	out->attribution_days = 7;
	config_init(&cf);
	if (!config_read_string(&cf, text)) {
		snprintf(err, errlen, _("the strategy in force does not read: line %d: %s"), config_error_line(&cf),
		         config_error_text(&cf));
		config_destroy(&cf);
		return false;
	}
	if (config_lookup_int(&cf, "settings.attribution_days", &days))
		out->attribution_days = days;
	if (config_lookup_string(&cf, "settings.cost_currency", &s))
		snprintf(out->currency, sizeof out->currency, "%s", s);
	for (int c = 0; c < REPORT_CHANNELS && ok; c++) {
		char path[64];

		snprintf(path, sizeof path, "channels.%s.cost", report_channel_names[c]);
		if (!config_lookup_string(&cf, path, &s))
			continue;
		if (!micro_parse(s, &out->cost_micro[c])) {
			snprintf(err, errlen, _("the strategy in force: %s is not a cost: \"%s\""), path, s);
			ok = false;
		}
		out->cost_known[c] = out->currency[0] != '\0';
	}
	config_destroy(&cf);
	return ok;
}

bool report_settings_load(struct db *db, struct report_settings *out, char *err, size_t errlen)
{
	PGresult *r = db_exec(db, "SELECT version, text FROM cobro.report_strategy()", 0, NULL);
	bool ok = true;

	memset(out, 0, sizeof *out);
	out->attribution_days = 7;
	if (!r)
		return false;
	if (PQntuples(r) == 1) {
		ok = report_settings_parse(PQgetvalue(r, 0, 1), out, err, errlen);
		out->version = atoi(PQgetvalue(r, 0, 0));
	}
	PQclear(r);
	return ok;
}

bool report_by_parse(const char *s, enum report_by *out)
{
	static const char *const names[] = { "segment", "step", "variant" };

	for (int i = 0; i < 3; i++)
		if (!strcmp(s, names[i])) {
			*out = (enum report_by)(REPORT_BY_SEGMENT + i);
			return true;
		}
	return false;
}

/* {"PEN": 0.15, ...} into c (numbers, integer or not). */
static void cost_parse(const char *json, struct report_cost *c)
{
	json_t *o = json_loads(json, JSON_DECODE_ANY, NULL);
	const char *k;
	json_t *v;

	memset(c, 0, sizeof *c);
	if (json_is_object(o))
		json_object_foreach(o, k, v) {
			if (c->n == METRICS_MAX_CURRENCIES || strlen(k) != 3 || !json_is_number(v))
				break;
			memcpy(c->v[c->n].currency, k, 4);
			c->v[c->n].amount = json_number_value(v);
			c->n++;
		}
	json_decref(o);
}

static void copy(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s);
}

bool channel_report_days(struct db *db, const char *from, const char *to, enum report_by by, int window,
                         const struct report_settings *st, struct channel_row **out, int *n)
{
	static const char *const by_names[] = { NULL, "segment", "step", "variant" };
	char days[16], channels[64] = "{", costs[128] = "{";
	const char *p[6] = { from, to, by_names[by], days, channels, costs };
	int k = 0;
	PGresult *r;
	struct channel_row *f;

	snprintf(days, sizeof days, "%d", window);
	for (int c = 0; c < REPORT_CHANNELS; c++)
		if (st->cost_known[c]) {
			size_t lc = strlen(channels), lk = strlen(costs);

			snprintf(channels + lc, sizeof channels - lc, "%s%s", k ? "," : "", report_channel_names[c]);
			snprintf(costs + lk, sizeof costs - lk, "%s%lld.%06lld", k ? "," : "", st->cost_micro[c] / 1000000,
			         st->cost_micro[c] % 1000000);
			k++;
		}
	strcat(channels, "}");
	strcat(costs, "}");
	/* Midnight of the first day to midnight after the last, in the
	 * session's time zone, as report agents asks (docs/metrics.md). */
	r = db_exec(db,
	            "SELECT channel, manual, coalesce(group1, ''), coalesce(group2, ''), messages, sent, delivered, "
	            "       failed, refused, replies, optouts, promises, promised, payments, recovered, unit_cost, "
	            "       cost, cost_by_currency "
	            "FROM cobro.channel_report($1::date::timestamptz, ($2::date + 1)::timestamptz, $3, $4::integer, "
	            "                          $5::text[], $6::numeric[])",
	            6, p);
	*out = NULL;
	*n = 0;
	if (!r)
		return false;
	f = xcalloc(PQntuples(r) + 1, sizeof *f);
	for (int i = 0; i < PQntuples(r); i++) {
		struct channel_row *a = &f[i];
#define V(c) PQgetvalue(r, i, c)
		copy(a->channel, sizeof a->channel, V(0));
		a->grouped = by != REPORT_BY_CHANNEL;
		a->manual = a->grouped && V(1)[0] == 't';
		copy(a->group1, sizeof a->group1, V(2));
		copy(a->group2, sizeof a->group2, V(3));
		a->messages = strtoll(V(4), NULL, 10);
		a->sent = strtoll(V(5), NULL, 10);
		a->delivered = strtoll(V(6), NULL, 10);
		a->failed = strtoll(V(7), NULL, 10);
		a->refused = strtoll(V(8), NULL, 10);
		a->replies = strtoll(V(9), NULL, 10);
		a->optouts = strtoll(V(10), NULL, 10);
		a->promises = strtoll(V(11), NULL, 10);
		metrics_money_parse(V(12), &a->promised);
		a->payments = strtoll(V(13), NULL, 10);
		metrics_money_parse(V(14), &a->recovered);
		a->cost_known = !PQgetisnull(r, i, 15);
		a->unit_cost = strtod(V(15), NULL);
		a->cost = strtod(V(16), NULL);
		if (a->cost_known)
			cost_parse(V(17), &a->cost_by_currency);
#undef V
	}
	*n = PQntuples(r);
	*out = f;
	PQclear(r);
	return true;
}

double channel_cost_per_recovered(const struct channel_row *r, const char *currency)
{
	double cost = 0, got = 0;
	int dec;

	if (!r->cost_known)
		return -1;
	for (int i = 0; i < r->cost_by_currency.n; i++)
		if (!strcmp(r->cost_by_currency.v[i].currency, currency))
			cost = r->cost_by_currency.v[i].amount;
	for (int i = 0; i < r->recovered.n; i++)
		if (!strcmp(r->recovered.sum[i].currency, currency))
			got = (double)r->recovered.sum[i].amount;
	if (got <= 0)
		return -1;
	dec = currency_decimals(currency);
	for (int d = 0; d < dec; d++)
		got /= 10;
	return cost / got;
}

bool strategy_report_days(struct db *db, const char *from, const char *to, struct variant_row **out, int *n)
{
	const char *p[2] = { from, to };
	PGresult *r = db_exec(db,
	                      "SELECT segment, variant, coalesce(ladder, ''), accounts, contacted, contact_rate, "
	                      "       promising, promise_rate, promises, kept, broken, coalesce(kept_rate, -1), "
	                      "       paid, balance_start, recovery_rate "
	                      "FROM cobro.strategy_report(coalesce($1::date::timestamptz, '-infinity'), "
	                      "                           coalesce(($2::date + 1)::timestamptz, 'infinity'))",
	                      2, p);
	struct variant_row *f;

	*out = NULL;
	*n = 0;
	if (!r)
		return false;
	f = xcalloc(PQntuples(r) + 1, sizeof *f);
	for (int i = 0; i < PQntuples(r); i++) {
		struct variant_row *a = &f[i];
#define V(c) PQgetvalue(r, i, c)
		copy(a->segment, sizeof a->segment, V(0));
		copy(a->variant, sizeof a->variant, V(1));
		copy(a->ladder, sizeof a->ladder, V(2));
		a->accounts = strtoll(V(3), NULL, 10);
		a->contacted = strtoll(V(4), NULL, 10);
		a->contact_rate = strtod(V(5), NULL);
		a->promising = strtoll(V(6), NULL, 10);
		a->promise_rate = strtod(V(7), NULL);
		a->promises = strtoll(V(8), NULL, 10);
		a->kept = strtoll(V(9), NULL, 10);
		a->broken = strtoll(V(10), NULL, 10);
		a->kept_rate = strtod(V(11), NULL);
		metrics_money_parse(V(12), &a->paid);
		metrics_money_parse(V(13), &a->balance_start);
		cost_parse(V(14), &a->recovery_rate);
#undef V
	}
	*n = PQntuples(r);
	*out = f;
	PQclear(r);
	return true;
}
