/* cobroctl report agents: the agents' figures (docs/metrics.md) over a range
 * of days, as a table, CSV or JSON, read as the person running it: the
 * database decides whose figures they may see (agent_metrics()). */
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <libintl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "channel_report.h"
#include "cobroctl.h"
#include "metrics.h"
#include "money.h"
#include "report_fmt.h"
#include "text.h"
#include "util.h"

#define _(s) gettext(s)

/* The columns, in the order every format gives them (the CSV header, the
 * JSON keys). */
static const char *const columns[] = {
	"team", "login", "name", "now", "now_account", "now_minutes", "accounts_worked", "calls",
	"right_party_contacts", "right_party_rate", "promises", "promise_amount", "promise_rate",
	"kept_30d", "broken_30d", "kept_rate_30d", "collected", "sms", "email", "whatsapp",
	"avg_seconds_per_account", "contacts", "active_hours", "contacts_per_hour",
};
#define NCOLS (sizeof columns / sizeof columns[0])

/* The form of every amount in the table (report_money_mix), set by
 * print_table() before the cells are made. */
static enum money_form table_form = MONEY_LOCAL;

static void money_shown(char *out, size_t n, const struct metric_money *m)
{
	report_money_shown(out, n, m, table_form);
}

/* Every cell of a row as text: the CSV's and the table's. */
static void cells(const struct agent_figures *a, char v[NCOLS][160], bool shown)
{
	int k = 0;

	snprintf(v[k++], 160, "%s", a->team);
	snprintf(v[k++], 160, "%s", a->agent_id ? a->login : (shown ? "(total)" : ""));
	snprintf(v[k++], 160, "%s", a->name);
	snprintf(v[k++], 160, "%s", a->now_state);
	snprintf(v[k++], 160, "%s", a->now_account);
	if (a->now_minutes >= 0)
		snprintf(v[k++], 160, "%d", a->now_minutes);
	else
		v[k++][0] = '\0';
	snprintf(v[k++], 160, "%" PRId64, a->accounts_worked);
	snprintf(v[k++], 160, "%" PRId64, a->calls);
	snprintf(v[k++], 160, "%" PRId64, a->rpc);
	report_ratio(v[k++], 160, a->rpc_rate, "%.4f");
	snprintf(v[k++], 160, "%" PRId64, a->promises);
	(shown ? money_shown : report_money_plain)(v[k++], 160, &a->promise_amount);
	report_ratio(v[k++], 160, a->promise_rate, "%.4f");
	snprintf(v[k++], 160, "%" PRId64, a->kept_30d);
	snprintf(v[k++], 160, "%" PRId64, a->broken_30d);
	report_ratio(v[k++], 160, a->kept_rate, "%.4f");
	(shown ? money_shown : report_money_plain)(v[k++], 160, &a->collected);
	snprintf(v[k++], 160, "%" PRId64, a->sms);
	snprintf(v[k++], 160, "%" PRId64, a->email);
	snprintf(v[k++], 160, "%" PRId64, a->whatsapp);
	if (a->avg_seconds_per_account >= 0)
		snprintf(v[k++], 160, "%" PRId64, a->avg_seconds_per_account);
	else
		v[k++][0] = '\0';
	snprintf(v[k++], 160, "%" PRId64, a->contacts);
	snprintf(v[k++], 160, "%" PRId64, a->active_hours);
	report_ratio(v[k++], 160, a->contacts_per_hour, "%.2f");
}

static void print_csv(const struct agent_figures *f, int n)
{
	report_cell *v = xcalloc((size_t)(n ? n : 1) * NCOLS, sizeof *v);

	for (int i = 0; i < n; i++)
		cells(&f[i], (char(*)[160])v[i * NCOLS], false);
	report_csv_print(NCOLS, columns, n, v);
	free(v);
}

static int print_json(const struct agent_figures *f, int n, const char *from, const char *to)
{
	json_t *rows = json_array();

	for (int i = 0; i < n; i++) {
		const struct agent_figures *a = &f[i];
		json_t *o = json_object();

		json_object_set_new(o, "team", json_string(a->team));
		json_object_set_new(o, "login", a->agent_id ? json_string(a->login) : json_null());
		json_object_set_new(o, "name", a->agent_id ? json_string(a->name) : json_null());
		json_object_set_new(o, "now", a->agent_id ? json_string(a->now_state) : json_null());
		json_object_set_new(o, "now_account", a->now_account[0] ? json_string(a->now_account) : json_null());
		json_object_set_new(o, "now_minutes", a->now_minutes >= 0 ? json_integer(a->now_minutes) : json_null());
		json_object_set_new(o, "accounts_worked", json_integer(a->accounts_worked));
		json_object_set_new(o, "calls", json_integer(a->calls));
		json_object_set_new(o, "right_party_contacts", json_integer(a->rpc));
		json_object_set_new(o, "right_party_rate", report_rate_json(a->rpc_rate));
		json_object_set_new(o, "promises", json_integer(a->promises));
		json_object_set_new(o, "promise_amount", report_money_json(&a->promise_amount));
		json_object_set_new(o, "promise_rate", report_rate_json(a->promise_rate));
		json_object_set_new(o, "kept_30d", json_integer(a->kept_30d));
		json_object_set_new(o, "broken_30d", json_integer(a->broken_30d));
		json_object_set_new(o, "kept_rate_30d", report_rate_json(a->kept_rate));
		json_object_set_new(o, "collected", report_money_json(&a->collected));
		json_object_set_new(o, "sms", json_integer(a->sms));
		json_object_set_new(o, "email", json_integer(a->email));
		json_object_set_new(o, "whatsapp", json_integer(a->whatsapp));
		json_object_set_new(o, "avg_seconds_per_account",
		                    a->avg_seconds_per_account >= 0 ? json_integer(a->avg_seconds_per_account) : json_null());
		json_object_set_new(o, "contacts", json_integer(a->contacts));
		json_object_set_new(o, "active_hours", json_integer(a->active_hours));
		json_object_set_new(o, "contacts_per_hour", report_rate_json(a->contacts_per_hour));
		json_array_append_new(rows, o);
	}
	return report_json_print(from, to, NULL, rows);
}

/* The table: the figures people read first, aligned; every figure is in
 * the CSV and the JSON. */
static void print_table(const struct agent_figures *f, int n)
{
	static const int shown[] = { 0, 1, 3, 6, 7, 8, 9, 10, 11, 12, 15, 16, 17, 18, 19, 20, 23 };
	static const char *const head[] = { "TEAM", "AGENT", "NOW", "WORKED", "CALLS", "RPC", "RPC%", "PROM",
		                            "PROMISED", "PROM/RPC", "KEPT%30D", "COLLECTED", "SMS", "EMAIL",
		                            "WA", "SEC/ACC", "CONT/H" };
	enum { NS = ARRAY_SIZE(shown) };
	bool right[NS];
	char(*v)[NCOLS][160] = xcalloc(n ? n : 1, sizeof *v);
	report_cell *t = xcalloc((size_t)(n ? n : 1) * NS, sizeof *t);
	struct money_mix mix = { 0 };

	for (int i = 0; i < n; i++) {
		report_money_mix(&mix, &f[i].promise_amount);
		report_money_mix(&mix, &f[i].collected);
	}
	table_form = money_mix_form(&mix);
	for (int c = 0; c < NS; c++)
		right[c] = c >= 3;
	for (int i = 0; i < n; i++) {
		cells(&f[i], v[i], true);
		if (f[i].now_state[0] && strcmp(f[i].now_state, "offline"))   /* "account 12m" */
			snprintf(v[i][3], 160, "%s %dm", f[i].now_state, f[i].now_minutes);
		for (int r = 9; r <= 15; r += 3)    /* rates as percentages */
			if (v[i][r][0])
				snprintf(v[i][r], 160, "%.1f", strtod(v[i][r], NULL) * 100);
		for (int c = 0; c < NS; c++)
			memcpy(t[i * NS + c], v[i][shown[c]], REPORT_CELL);
	}
	report_table_print(NS, head, right, n, t);
	free(t);
	free(v);
}

static int report_agents(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' }, { "to", required_argument, NULL, 't' },
		{ "team", required_argument, NULL, 'T' }, { "format", required_argument, NULL, 'o' }, { 0 }
	};
	const char *from = NULL, *to = NULL, *team = NULL;
	enum report_format fmt = FMT_TABLE;
	struct agent_figures *f;
	int ch, n, rc = 0;

	optind = 0;
	while ((ch = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'T': team = optarg; break;
		case 'o':
			if (!report_format_parse(optarg, &fmt))
				return 2;
			break;
		default: return 2;
		}
	}
	if (optind + 1 != argc || !from || !to) {
		warnx("usage: cobroctl report agents --from DATE --to DATE [--team T] [--format table|csv|json]");
		return 2;
	}
	if (!report_range_ok(from, to, true))
		return 2;
	ctl_connect(c);
	if (!metrics_agents_days(&c->db, from, to, team, &f, &n)) {
		if (!strcmp(c->db.sqlstate, "42501"))
			warnx("report agents: you may not read these figures (supervisors their team, "
			      "administrators any): %s", c->db.err);
		else
			warnx("report agents: %s", c->db.err);
		return 1;
	}
	switch (fmt) {
	case FMT_TABLE: print_table(f, n); break;
	case FMT_CSV: print_csv(f, n); break;
	case FMT_JSON: rc = print_json(f, n, from, to); break;
	}
	free(f);
	return rc;
}

/* ---------------------------------------------------------------- channels */

/* A decimal amount of the cost currency: at least two decimals, at most six,
 * no trailing zeros beyond two ("0.15", "0.005"). */
static void decimal(char *out, size_t n, double v, int max)
{
	size_t k;

	snprintf(out, n, "%.*f", max, v);
	k = strlen(out);
	while (k > 0 && out[k - 1] == '0' && strchr(out, '.') && strlen(strchr(out, '.')) > 3)
		out[--k] = '\0';
}

/* The cost per amount recovered of each currency recovered: "PEN 0.0375;USD
 * 0.002" (CSV), or "USD 0.0375/PEN" (table, costs in currency cur). */
static void cost_per_recovered(char *out, size_t n, const struct channel_row *r, const char *cur, bool shown)
{
	size_t k = 0;
	char num[64];

	out[0] = '\0';
	if (!r->cost_known) {
		if (shown)
			snprintf(out, n, "%s", _("unknown"));
		return;
	}
	for (int i = 0; i < r->recovered.n && k < n; i++) {
		double v = channel_cost_per_recovered(r, r->recovered.sum[i].currency);

		if (v < 0)
			continue;
		decimal(num, sizeof num, v, 6);
		if (shown)
			k += snprintf(out + k, n - k, "%s%s %s/%s", k ? " + " : "", cur, num, r->recovered.sum[i].currency);
		else
			k += snprintf(out + k, n - k, "%s%s %s", k ? ";" : "", r->recovered.sum[i].currency, num);
	}
}

/* The group's columns for --by, in the CSV and the JSON. */
static int group_columns(enum report_by by, const char **g1, const char **g2)
{
	*g1 = *g2 = NULL;
	switch (by) {
	case REPORT_BY_CHANNEL: return 0;
	case REPORT_BY_SEGMENT: *g1 = "segment"; return 1;
	case REPORT_BY_STEP: *g1 = "ladder"; *g2 = "step"; return 2;
	case REPORT_BY_VARIANT: *g1 = "segment"; *g2 = "variant"; return 2;
	}
	return 0;
}

static const char *const channel_columns[] = {
	"messages", "sent", "delivered", "failed", "refused", "replies", "optouts", "promises", "promised",
	"payments", "recovered", "cost_currency", "unit_cost", "cost", "cost_per_recovered",
};
#define NCHCOLS (sizeof channel_columns / sizeof channel_columns[0])

/* The figures of a row from "messages" on, as the CSV writes them. */
static void channel_cells(const struct channel_row *r, const struct report_settings *st, report_cell *v)
{
	int k = 0;

	snprintf(v[k++], REPORT_CELL, "%" PRId64, r->messages);
	snprintf(v[k++], REPORT_CELL, "%" PRId64, r->sent);
	snprintf(v[k++], REPORT_CELL, "%" PRId64, r->delivered);
	snprintf(v[k++], REPORT_CELL, "%" PRId64, r->failed);
	snprintf(v[k++], REPORT_CELL, "%" PRId64, r->refused);
	snprintf(v[k++], REPORT_CELL, "%" PRId64, r->replies);
	snprintf(v[k++], REPORT_CELL, "%" PRId64, r->optouts);
	snprintf(v[k++], REPORT_CELL, "%" PRId64, r->promises);
	report_money_plain(v[k++], REPORT_CELL, &r->promised);
	snprintf(v[k++], REPORT_CELL, "%" PRId64, r->payments);
	report_money_plain(v[k++], REPORT_CELL, &r->recovered);
	snprintf(v[k++], REPORT_CELL, "%s", r->cost_known ? st->currency : "");
	if (r->cost_known) {
		decimal(v[k++], REPORT_CELL, r->unit_cost, 6);
		decimal(v[k++], REPORT_CELL, r->cost, 6);
	} else {
		v[k++][0] = '\0';
		v[k++][0] = '\0';
	}
	cost_per_recovered(v[k++], REPORT_CELL, r, st->currency, false);
}

static void channels_csv(const struct channel_row *f, int n, enum report_by by, const struct report_settings *st)
{
	const char *g1, *g2, *head[3 + NCHCOLS];
	int ng = group_columns(by, &g1, &g2), nc = 0;
	report_cell *v;

	head[nc++] = "channel";
	if (ng) {
		head[nc++] = g1;
		if (g2)
			head[nc++] = g2;
		head[nc++] = "manual";
	}
	for (size_t c = 0; c < NCHCOLS; c++)
		head[nc++] = channel_columns[c];
	v = xcalloc((size_t)(n ? n : 1) * nc, sizeof *v);
	for (int i = 0; i < n; i++) {
		report_cell *row = &v[i * nc];
		int k = 0;

		snprintf(row[k++], REPORT_CELL, "%s", f[i].channel);
		if (ng) {
			snprintf(row[k++], REPORT_CELL, "%s", f[i].group1);
			if (g2)
				snprintf(row[k++], REPORT_CELL, "%s", f[i].group2);
			snprintf(row[k++], REPORT_CELL, "%s", f[i].manual ? "true" : "false");
		}
		channel_cells(&f[i], st, &row[k]);
	}
	report_csv_print(nc, head, n, v);
	free(v);
}

static json_t *str_or_null(const char *s)
{
	return s[0] ? json_string(s) : json_null();
}

static int channels_json(const struct channel_row *f, int n, enum report_by by, const struct report_settings *st,
                         const char *from, const char *to, int window)
{
	const char *g1, *g2;
	int ng = group_columns(by, &g1, &g2);
	json_t *rows = json_array(), *extra;

	for (int i = 0; i < n; i++) {
		const struct channel_row *r = &f[i];
		json_t *o = json_object(), *cpr = json_object();

		json_object_set_new(o, "channel", json_string(r->channel));
		if (ng) {
			json_object_set_new(o, g1, str_or_null(r->group1));
			if (g2)
				json_object_set_new(o, g2, str_or_null(r->group2));
			json_object_set_new(o, "manual", json_boolean(r->manual));
		}
		json_object_set_new(o, "messages", json_integer(r->messages));
		json_object_set_new(o, "sent", json_integer(r->sent));
		json_object_set_new(o, "delivered", json_integer(r->delivered));
		json_object_set_new(o, "failed", json_integer(r->failed));
		json_object_set_new(o, "refused", json_integer(r->refused));
		json_object_set_new(o, "replies", json_integer(r->replies));
		json_object_set_new(o, "optouts", json_integer(r->optouts));
		json_object_set_new(o, "promises", json_integer(r->promises));
		json_object_set_new(o, "promised", report_money_json(&r->promised));
		json_object_set_new(o, "payments", json_integer(r->payments));
		json_object_set_new(o, "recovered", report_money_json(&r->recovered));
		json_object_set_new(o, "unit_cost", r->cost_known ? json_real(r->unit_cost) : json_null());
		json_object_set_new(o, "cost", r->cost_known ? json_real(r->cost) : json_null());
		for (int k = 0; k < r->recovered.n; k++)
			json_object_set_new(cpr, r->recovered.sum[k].currency,
			                    report_rate_json(channel_cost_per_recovered(r, r->recovered.sum[k].currency)));
		json_object_set_new(o, "cost_per_recovered", r->cost_known ? cpr : (json_decref(cpr), json_null()));
		json_array_append_new(rows, o);
	}
	extra = json_pack("{s:o, s:i, s:o, s:o}", "by",
	                  ng ? json_string(by == REPORT_BY_SEGMENT ? "segment" : by == REPORT_BY_STEP ? "step" : "variant")
	                     : json_null(),
	                  "window_days", window, "strategy_version",
	                  st->strategy ? json_integer(st->version) : json_null(), "cost_currency",
	                  st->currency[0] ? json_string(st->currency) : json_null());
	return report_json_print(from, to, extra, rows);
}

static void channels_table(const struct channel_row *f, int n, enum report_by by, const struct report_settings *st)
{
	const char *g1, *g2, *head[16];
	bool right[16];
	int ng = group_columns(by, &g1, &g2), nc = 0;
	struct money_mix mix = { 0 };
	enum money_form form;
	report_cell *v;

	/* Translated headers: the CSV's and JSON's names are for programs. */
	head[nc++] = _("CHANNEL");
	if (ng) {
		head[nc++] = by == REPORT_BY_STEP ? _("LADDER") : _("SEGMENT");
		if (g2)
			head[nc++] = by == REPORT_BY_STEP ? _("STEP") : _("VARIANT");
	}
	head[nc++] = _("MESSAGES");
	head[nc++] = _("SENT");
	head[nc++] = _("DELIVERED");
	head[nc++] = _("FAILED");
	head[nc++] = _("REPLIES");
	head[nc++] = _("OPT-OUTS");
	head[nc++] = _("PROMISES");
	head[nc++] = _("PROMISED");
	head[nc++] = _("PAYMENTS");
	head[nc++] = _("RECOVERED");
	head[nc++] = _("COST");
	head[nc++] = _("COST/RECOVERED");
	for (int c = 0; c < nc; c++)
		right[c] = c > ng;
	for (int i = 0; i < n; i++) {
		report_money_mix(&mix, &f[i].promised);
		report_money_mix(&mix, &f[i].recovered);
	}
	form = money_mix_form(&mix);
	v = xcalloc((size_t)(n ? n : 1) * nc, sizeof *v);
	for (int i = 0; i < n; i++) {
		const struct channel_row *r = &f[i];
		report_cell *row = &v[i * nc];
		int k = 0;
		char num[64];

		snprintf(row[k++], REPORT_CELL, "%s", r->channel);
		if (ng) {
			/* What a person sent has no strategy's names. */
			snprintf(row[k++], REPORT_CELL, "%s", r->manual ? _("manual") : r->group1[0] ? r->group1 : "—");
			if (g2)
				snprintf(row[k++], REPORT_CELL, "%s", r->group2[0] ? r->group2 : "—");
		}
		snprintf(row[k++], REPORT_CELL, "%" PRId64, r->messages);
		snprintf(row[k++], REPORT_CELL, "%" PRId64, r->sent);
		snprintf(row[k++], REPORT_CELL, "%" PRId64, r->delivered);
		snprintf(row[k++], REPORT_CELL, "%" PRId64, r->failed);
		snprintf(row[k++], REPORT_CELL, "%" PRId64, r->replies);
		snprintf(row[k++], REPORT_CELL, "%" PRId64, r->optouts);
		snprintf(row[k++], REPORT_CELL, "%" PRId64, r->promises);
		report_money_shown(row[k++], REPORT_CELL, &r->promised, form);
		snprintf(row[k++], REPORT_CELL, "%" PRId64, r->payments);
		report_money_shown(row[k++], REPORT_CELL, &r->recovered, form);
		if (r->cost_known) {
			decimal(num, sizeof num, r->cost, 6);
			snprintf(row[k++], REPORT_CELL, "%s %s", st->currency, num);
		} else {
			snprintf(row[k++], REPORT_CELL, "%s", _("unknown"));
		}
		cost_per_recovered(row[k++], REPORT_CELL, r, st->currency, true);
	}
	report_table_print(nc, head, right, n, v);
	free(v);
}

static void say_refusal(const char *what, struct db *db)
{
	if (!strcmp(db->sqlstate, "42501"))
		warnx(_("%s: you may not read these figures (supervisors and leads their team's accounts, "
		        "administrators all): %s"),
		      what, db->err);
	else
		warnx("%s: %s", what, db->err);
}

static int report_channels(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' }, { "to", required_argument, NULL, 't' },
		{ "by", required_argument, NULL, 'b' },   { "format", required_argument, NULL, 'o' },
		{ "window", required_argument, NULL, 'w' }, { 0 }
	};
	const char *from = NULL, *to = NULL;
	enum report_format fmt = FMT_TABLE;
	enum report_by by = REPORT_BY_CHANNEL;
	struct report_settings st;
	struct channel_row *f;
	char err[512];
	int ch, n, rc = 0, window = -1;

	optind = 0;
	while ((ch = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'b':
			if (!report_by_parse(optarg, &by)) {
				warnx("%s", _("--by is segment, step or variant"));
				return 2;
			}
			break;
		case 'w': window = (int)parse_long("--window", optarg, 0, 365); break;
		case 'o':
			if (!report_format_parse(optarg, &fmt))
				return 2;
			break;
		default: return 2;
		}
	}
	if (optind + 1 != argc || !from || !to) {
		warnx("%s", _("usage: cobroctl report channels --from DATE --to DATE [--by segment|step|variant] "
		              "[--window DAYS] [--format table|csv|json]"));
		return 2;
	}
	if (!report_range_ok(from, to, true))
		return 2;
	ctl_connect(c);
	/* The window and the costs are the strategy in force's. */
	err[0] = '\0';
	if (!report_settings_load(&c->db, &st, err, sizeof err)) {
		if (err[0])
			warnx("report channels: %s", err);
		else
			say_refusal("report channels", &c->db);
		return 1;
	}
	if (window < 0)
		window = st.attribution_days;
	if (!channel_report_days(&c->db, from, to, by, window, &st, &f, &n)) {
		say_refusal("report channels", &c->db);
		return 1;
	}
	switch (fmt) {
	case FMT_TABLE: channels_table(f, n, by, &st); break;
	case FMT_CSV: channels_csv(f, n, by, &st); break;
	case FMT_JSON: rc = channels_json(f, n, by, &st, from, to, window); break;
	}
	free(f);
	return rc;
}

/* ---------------------------------------------------------------- variants */

static const char *const variant_columns[] = {
	"segment", "variant", "ladder", "accounts", "contacted", "contact_rate", "promising_accounts", "promise_rate",
	"promises", "kept", "broken", "kept_rate", "paid", "balance_start", "recovery_rate",
};
#define NVCOLS (sizeof variant_columns / sizeof variant_columns[0])

/* "PEN 0.0107;USD 0.0168" (CSV), or "PEN 1.07%" (table). */
static void rates_cell(char *out, size_t n, const struct report_cost *r, bool shown)
{
	size_t k = 0;

	out[0] = '\0';
	for (int i = 0; i < r->n && k < n; i++) {
		if (r->v[i].amount < 0)
			continue;
		if (shown)
			k += snprintf(out + k, n - k, "%s%s %.1f%%", k ? " " : "", r->v[i].currency, r->v[i].amount * 100);
		else
			k += snprintf(out + k, n - k, "%s%s %.4f", k ? ";" : "", r->v[i].currency, r->v[i].amount);
	}
}

static void variant_cells(const struct variant_row *a, report_cell *v)
{
	int k = 0;

	snprintf(v[k++], REPORT_CELL, "%s", a->segment);
	snprintf(v[k++], REPORT_CELL, "%s", a->variant);
	snprintf(v[k++], REPORT_CELL, "%s", a->ladder);
	snprintf(v[k++], REPORT_CELL, "%" PRId64, a->accounts);
	snprintf(v[k++], REPORT_CELL, "%" PRId64, a->contacted);
	report_ratio(v[k++], REPORT_CELL, a->contact_rate, "%.4f");
	snprintf(v[k++], REPORT_CELL, "%" PRId64, a->promising);
	report_ratio(v[k++], REPORT_CELL, a->promise_rate, "%.4f");
	snprintf(v[k++], REPORT_CELL, "%" PRId64, a->promises);
	snprintf(v[k++], REPORT_CELL, "%" PRId64, a->kept);
	snprintf(v[k++], REPORT_CELL, "%" PRId64, a->broken);
	report_ratio(v[k++], REPORT_CELL, a->kept_rate, "%.4f");
	report_money_plain(v[k++], REPORT_CELL, &a->paid);
	report_money_plain(v[k++], REPORT_CELL, &a->balance_start);
	rates_cell(v[k++], REPORT_CELL, &a->recovery_rate, false);
}

static int variants_print(const struct variant_row *f, int n, enum report_format fmt, const char *from, const char *to)
{
	if (fmt == FMT_CSV) {
		report_cell *v = xcalloc((size_t)(n ? n : 1) * NVCOLS, sizeof *v);

		for (int i = 0; i < n; i++)
			variant_cells(&f[i], &v[i * NVCOLS]);
		report_csv_print(NVCOLS, variant_columns, n, v);
		free(v);
	} else if (fmt == FMT_JSON) {
		json_t *rows = json_array();

		for (int i = 0; i < n; i++) {
			const struct variant_row *a = &f[i];
			json_t *rr = json_object();

			for (int k = 0; k < a->recovery_rate.n; k++)
				json_object_set_new(rr, a->recovery_rate.v[k].currency,
				                    report_rate_json(a->recovery_rate.v[k].amount));
			json_array_append_new(
				rows, json_pack("{s:s, s:s, s:o, s:I, s:I, s:o, s:I, s:o, s:I, s:I, s:I, s:o, s:o, s:o, s:o}",
			                        "segment", a->segment, "variant", a->variant, "ladder",
			                        a->ladder[0] ? json_string(a->ladder) : json_null(), "accounts",
			                        (json_int_t)a->accounts, "contacted", (json_int_t)a->contacted,
			                        "contact_rate", report_rate_json(a->contact_rate), "promising_accounts",
			                        (json_int_t)a->promising, "promise_rate", report_rate_json(a->promise_rate),
			                        "promises", (json_int_t)a->promises, "kept", (json_int_t)a->kept, "broken",
			                        (json_int_t)a->broken, "kept_rate", report_rate_json(a->kept_rate), "paid",
			                        report_money_json(&a->paid), "balance_start",
			                        report_money_json(&a->balance_start), "recovery_rate", rr));
		}
		return report_json_print(from, to, NULL, rows);
	} else {
		const char *head[] = { _("SEGMENT"), _("VARIANT"), _("LADDER"), _("ACCOUNTS"), _("CONTACT%"),
			               _("PROMISE%"), _("KEPT%"), _("PAID"), _("RECOVERY%") };
		enum { NH = ARRAY_SIZE(head) };
		bool right[NH];
		struct money_mix mix = { 0 };
		enum money_form form;
		report_cell *v = xcalloc((size_t)(n ? n : 1) * NH, sizeof *v);

		for (int c = 0; c < NH; c++)
			right[c] = c >= 3;
		for (int i = 0; i < n; i++)
			report_money_mix(&mix, &f[i].paid);
		form = money_mix_form(&mix);
		for (int i = 0; i < n; i++) {
			const struct variant_row *a = &f[i];
			report_cell *row = &v[i * NH];
			int k = 0;

			snprintf(row[k++], REPORT_CELL, "%s", a->segment);
			snprintf(row[k++], REPORT_CELL, "%s", a->variant);
			snprintf(row[k++], REPORT_CELL, "%s", a->ladder[0] ? a->ladder : "—");
			snprintf(row[k++], REPORT_CELL, "%" PRId64, a->accounts);
			report_ratio(row[k++], REPORT_CELL, a->contact_rate * 100, "%.1f");
			report_ratio(row[k++], REPORT_CELL, a->promise_rate * 100, "%.1f");
			report_ratio(row[k++], REPORT_CELL, a->kept_rate < 0 ? -1 : a->kept_rate * 100, "%.1f");
			report_money_shown(row[k++], REPORT_CELL, &a->paid, form);
			rates_cell(row[k++], REPORT_CELL, &a->recovery_rate, true);
		}
		report_table_print(NH, head, right, n, v);
		free(v);
	}
	return 0;
}

/* cobroctl strategy report: the variants of each split segment side by side. */
int ctl_strategy_report(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' }, { "to", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'o' }, { 0 }
	};
	const char *from = NULL, *to = NULL;
	enum report_format fmt = FMT_TABLE;
	struct variant_row *f;
	int ch, n, rc;

	optind = 0;
	while ((ch = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'o':
			if (!report_format_parse(optarg, &fmt))
				return 2;
			break;
		default: return 2;
		}
	}
	if (optind + 1 != argc) {
		warnx("%s", _("usage: cobroctl strategy report [--from DATE] [--to DATE] [--format table|csv|json]"));
		return 2;
	}
	if (!report_range_ok(from, to, false))
		return 2;
	ctl_connect(c);
	if (!strategy_report_days(&c->db, from, to, &f, &n)) {
		say_refusal("strategy report", &c->db);
		return 1;
	}
	rc = variants_print(f, n, fmt, from, to);
	free(f);
	return rc;
}

static int report_run(struct ctl *c, int argc, char **argv)
{
	static const struct ctl_sub subs[] = {
		{ "agents", report_agents },
		{ "channels", report_channels },
	};

	return ctl_dispatch(&ctl_report_cmd, subs, ARRAY_SIZE(subs), c, argc, argv);
}

const struct ctl_command ctl_report_cmd = {
	.name = "report",
	.usage = "  report agents --from DATE --to DATE [--team T] [--format table|csv|json]\n"
	         "                               each agent's figures over the days FROM to TO and the\n"
	         "                               team's totals (docs/metrics.md), as the caller may see them\n"
	         "  report channels --from DATE --to DATE [--by segment|step|variant] [--window DAYS]\n"
	         "                  [--format table|csv|json]\n"
	         "                               each channel's messages, replies, opt-outs, promises and\n"
	         "                               payments attributed, amounts recovered and cost (docs/metrics.md)\n",
	.run = report_run,
};
