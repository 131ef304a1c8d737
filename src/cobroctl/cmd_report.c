/* cobroctl report agents: the agents' figures (docs/metrics.md) over a range
 * of days, as a table, CSV or JSON, read as the person running it: the
 * database decides whose figures they may see (agent_metrics()). */
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cobroctl.h"
#include "csvfile.h"
#include "metrics.h"
#include "money.h"
#include "text.h"
#include "util.h"

enum report_format { FMT_TABLE, FMT_CSV, FMT_JSON };

/* The columns, in the order every format gives them (the CSV header, the
 * JSON keys). */
static const char *const columns[] = {
	"team", "login", "name", "now", "now_account", "now_minutes", "accounts_worked", "calls",
	"right_party_contacts", "right_party_rate", "promises", "promise_amount", "promise_rate",
	"kept_30d", "broken_30d", "kept_rate_30d", "collected", "sms", "email", "whatsapp",
	"avg_seconds_per_account", "contacts", "active_hours", "contacts_per_hour",
};
#define NCOLS (sizeof columns / sizeof columns[0])

static bool valid_date(const char *s)
{
	int y, m, d;
	char tail;

	return strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && m >= 1 && m <= 12 && d >= 1 &&
	       d <= 31;
}

/* "CLP 1234;PEN 500": minor units, one per currency (CSV, table). */
static void money_plain(char *out, size_t n, const struct metric_money *m)
{
	size_t k = 0;

	out[0] = '\0';
	for (int i = 0; i < m->n && k < n; i++)
		k += snprintf(out + k, n - k, "%s%s %" PRId64, i ? ";" : "", m->sum[i].currency, m->sum[i].amount);
}

/* The form of every amount in the table: each market's own while the
 * report shows one currency, unambiguous ("US$", "MX$") once it shows
 * several (money.h). Set by print_table() before the cells are made. */
static enum money_form table_form = MONEY_LOCAL;

/* The same, as each market writes it (the table). */
static void money_shown(char *out, size_t n, const struct metric_money *m)
{
	size_t k = 0;
	char one[64];

	out[0] = '\0';
	if (!m->n)
		snprintf(out, n, "0");
	for (int i = 0; i < m->n && k < n; i++)
		k += snprintf(out + k, n - k, "%s%s", i ? " + " : "",
		              money_format_as(one, sizeof one, m->sum[i].amount, m->sum[i].currency, table_form));
}

static void ratio(char *out, size_t n, double v, const char *fmt)
{
	if (v < 0)
		out[0] = '\0';
	else
		snprintf(out, n, fmt, v);
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
	ratio(v[k++], 160, a->rpc_rate, "%.4f");
	snprintf(v[k++], 160, "%" PRId64, a->promises);
	(shown ? money_shown : money_plain)(v[k++], 160, &a->promise_amount);
	ratio(v[k++], 160, a->promise_rate, "%.4f");
	snprintf(v[k++], 160, "%" PRId64, a->kept_30d);
	snprintf(v[k++], 160, "%" PRId64, a->broken_30d);
	ratio(v[k++], 160, a->kept_rate, "%.4f");
	(shown ? money_shown : money_plain)(v[k++], 160, &a->collected);
	snprintf(v[k++], 160, "%" PRId64, a->sms);
	snprintf(v[k++], 160, "%" PRId64, a->email);
	snprintf(v[k++], 160, "%" PRId64, a->whatsapp);
	if (a->avg_seconds_per_account >= 0)
		snprintf(v[k++], 160, "%" PRId64, a->avg_seconds_per_account);
	else
		v[k++][0] = '\0';
	snprintf(v[k++], 160, "%" PRId64, a->contacts);
	snprintf(v[k++], 160, "%" PRId64, a->active_hours);
	ratio(v[k++], 160, a->contacts_per_hour, "%.2f");
}

static void print_csv(const struct agent_figures *f, int n)
{
	char v[NCOLS][160];

	for (size_t c = 0; c < NCOLS; c++)
		csv_write_field(stdout, columns[c], c + 1 == NCOLS);
	for (int i = 0; i < n; i++) {
		cells(&f[i], v, false);
		for (size_t c = 0; c < NCOLS; c++)
			csv_write_field(stdout, v[c], c + 1 == NCOLS);
	}
}

static json_t *money_json(const struct metric_money *m)
{
	json_t *o = json_object();

	for (int i = 0; i < m->n; i++)
		json_object_set_new(o, m->sum[i].currency, json_integer(m->sum[i].amount));
	return o;
}

static json_t *rate_json(double v)
{
	return v < 0 ? json_null() : json_real(v);
}

static int print_json(const struct agent_figures *f, int n, const char *from, const char *to)
{
	json_t *rows = json_array(), *doc;
	char *s;

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
		json_object_set_new(o, "right_party_rate", rate_json(a->rpc_rate));
		json_object_set_new(o, "promises", json_integer(a->promises));
		json_object_set_new(o, "promise_amount", money_json(&a->promise_amount));
		json_object_set_new(o, "promise_rate", rate_json(a->promise_rate));
		json_object_set_new(o, "kept_30d", json_integer(a->kept_30d));
		json_object_set_new(o, "broken_30d", json_integer(a->broken_30d));
		json_object_set_new(o, "kept_rate_30d", rate_json(a->kept_rate));
		json_object_set_new(o, "collected", money_json(&a->collected));
		json_object_set_new(o, "sms", json_integer(a->sms));
		json_object_set_new(o, "email", json_integer(a->email));
		json_object_set_new(o, "whatsapp", json_integer(a->whatsapp));
		json_object_set_new(o, "avg_seconds_per_account",
		                    a->avg_seconds_per_account >= 0 ? json_integer(a->avg_seconds_per_account) : json_null());
		json_object_set_new(o, "contacts", json_integer(a->contacts));
		json_object_set_new(o, "active_hours", json_integer(a->active_hours));
		json_object_set_new(o, "contacts_per_hour", rate_json(a->contacts_per_hour));
		json_array_append_new(rows, o);
	}
	doc = json_pack("{s:s, s:s, s:o}", "from", from, "to", to, "rows", rows);
	s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
	json_decref(doc);
	if (!s)
		return 1;
	puts(s);
	free(s);
	return 0;
}

/* The table: the figures people read first, aligned; every figure is in
 * the CSV and the JSON. */
static void print_table(const struct agent_figures *f, int n)
{
	static const int shown[] = { 0, 1, 3, 6, 7, 8, 9, 10, 11, 12, 15, 16, 17, 18, 19, 20, 23 };
	static const char *const head[] = { "TEAM", "AGENT", "NOW", "WORKED", "CALLS", "RPC", "RPC%", "PROM",
		                            "PROMISED", "PROM/RPC", "KEPT%30D", "COLLECTED", "SMS", "EMAIL",
		                            "WA", "SEC/ACC", "CONT/H" };
	size_t ns = ARRAY_SIZE(shown);
	char(*v)[NCOLS][160] = xcalloc(n ? n : 1, sizeof *v);
	int w[ARRAY_SIZE(shown)];
	char cell[512];

	struct money_mix mix = { 0 };

	for (int i = 0; i < n; i++)
		for (int k = 0; k < f[i].promise_amount.n || k < f[i].collected.n; k++) {
			if (k < f[i].promise_amount.n)
				money_mix_add(&mix, f[i].promise_amount.sum[k].currency);
			if (k < f[i].collected.n)
				money_mix_add(&mix, f[i].collected.sum[k].currency);
		}
	table_form = money_mix_form(&mix);
	for (size_t c = 0; c < ns; c++)
		w[c] = (int)strlen(head[c]);
	for (int i = 0; i < n; i++) {
		cells(&f[i], v[i], true);
		if (f[i].now_state[0] && strcmp(f[i].now_state, "offline"))   /* "account 12m" */
			snprintf(v[i][3], 160, "%s %dm", f[i].now_state, f[i].now_minutes);
		for (int r = 9; r <= 15; r += 3)    /* rates as percentages */
			if (v[i][r][0])
				snprintf(v[i][r], 160, "%.1f", strtod(v[i][r], NULL) * 100);
		for (size_t c = 0; c < ns; c++)
			if (text_width(v[i][shown[c]]) > w[c])
				w[c] = text_width(v[i][shown[c]]);
	}
	/* Padded in display cells, not bytes: "€", "Núñez". */
	for (size_t c = 0; c < ns; c++)
		printf("%s%s", text_pad(cell, sizeof cell, head[c], w[c], c >= 3), c + 1 < ns ? "  " : "\n");
	for (int i = 0; i < n; i++)
		for (size_t c = 0; c < ns; c++)
			printf("%s%s", text_pad(cell, sizeof cell, v[i][shown[c]], w[c], c >= 3), c + 1 < ns ? "  " : "\n");
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
			if (!strcmp(optarg, "table"))
				fmt = FMT_TABLE;
			else if (!strcmp(optarg, "csv"))
				fmt = FMT_CSV;
			else if (!strcmp(optarg, "json"))
				fmt = FMT_JSON;
			else {
				warnx("--format is table, csv or json");
				return 2;
			}
			break;
		default: return 2;
		}
	}
	if (optind + 1 != argc || !from || !to) {
		warnx("usage: cobroctl report agents --from DATE --to DATE [--team T] [--format table|csv|json]");
		return 2;
	}
	if (!valid_date(from) || !valid_date(to)) {
		warnx("--from and --to are dates like 2026-12-07");
		return 2;
	}
	if (strcmp(from, to) > 0) {
		warnx("--from %s is after --to %s", from, to);
		return 2;
	}
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

static int report_run(struct ctl *c, int argc, char **argv)
{
	static const struct ctl_sub subs[] = {
		{ "agents", report_agents },
	};

	return ctl_dispatch(&ctl_report_cmd, subs, ARRAY_SIZE(subs), c, argc, argv);
}

const struct ctl_command ctl_report_cmd = {
	.name = "report",
	.usage = "  report agents --from DATE --to DATE [--team T] [--format table|csv|json]\n"
	         "                               each agent's figures over the days FROM to TO and the\n"
	         "                               team's totals (docs/metrics.md), as the caller may see them\n",
	.run = report_run,
};
