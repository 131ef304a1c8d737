/* The reports' options and formats (report_fmt.h). */
#include <inttypes.h>
#include <libintl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvfile.h"
#include "report_fmt.h"
#include "text.h"
#include "util.h"

#define _(s) gettext(s)

bool report_format_parse(const char *s, enum report_format *out)
{
	static const char *const names[] = { "table", "csv", "json" };

	for (int i = 0; i < 3; i++)
		if (!strcmp(s, names[i])) {
			*out = (enum report_format)i;
			return true;
		}
	warnx("%s", _("--format is table, csv or json"));
	return false;
}

static bool valid_date(const char *s)
{
	int y, m, d;
	char tail;

	return strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && m >= 1 && m <= 12 && d >= 1 &&
	       d <= 31;
}

bool report_range_ok(const char *from, const char *to, bool required)
{
	if ((from && !valid_date(from)) || (to && !valid_date(to)) || (required && (!from || !to))) {
		warnx("%s", _("--from and --to are dates like 2026-12-07"));
		return false;
	}
	if (from && to && strcmp(from, to) > 0) {
		warnx(_("--from %s is after --to %s"), from, to);
		return false;
	}
	return true;
}

void report_money_plain(char *out, size_t n, const struct metric_money *m)
{
	size_t k = 0;

	out[0] = '\0';
	for (int i = 0; i < m->n && k < n; i++)
		k += snprintf(out + k, n - k, "%s%s %" PRId64, i ? ";" : "", m->sum[i].currency, m->sum[i].amount);
}

void report_money_shown(char *out, size_t n, const struct metric_money *m, enum money_form form)
{
	size_t k = 0;
	char one[64];

	out[0] = '\0';
	if (!m->n)
		snprintf(out, n, "0");
	for (int i = 0; i < m->n && k < n; i++)
		k += snprintf(out + k, n - k, "%s%s", i ? " + " : "",
		              money_format_as(one, sizeof one, m->sum[i].amount, m->sum[i].currency, form));
}

void report_money_mix(struct money_mix *mix, const struct metric_money *m)
{
	for (int i = 0; i < m->n; i++)
		money_mix_add(mix, m->sum[i].currency);
}

void report_ratio(char *out, size_t n, double v, const char *fmt)
{
	if (v < 0)
		out[0] = '\0';
	else
		snprintf(out, n, fmt, v);
}

json_t *report_money_json(const struct metric_money *m)
{
	json_t *o = json_object();

	for (int i = 0; i < m->n; i++)
		json_object_set_new(o, m->sum[i].currency, json_integer(m->sum[i].amount));
	return o;
}

json_t *report_rate_json(double v)
{
	return v < 0 ? json_null() : json_real(v);
}

void report_table_print(int ncols, const char *const head[], const bool right[], int nrows, const report_cell *v)
{
	int *w = xcalloc(ncols, sizeof *w);
	char cell[512];

	for (int c = 0; c < ncols; c++)
		w[c] = text_width(head[c]);
	for (int i = 0; i < nrows; i++)
		for (int c = 0; c < ncols; c++)
			if (text_width(v[i * ncols + c]) > w[c])
				w[c] = text_width(v[i * ncols + c]);
	/* Padded in display cells, not bytes: "€", "Núñez". */
	for (int c = 0; c < ncols; c++)
		printf("%s%s", text_pad(cell, sizeof cell, head[c], w[c], right[c]), c + 1 < ncols ? "  " : "\n");
	for (int i = 0; i < nrows; i++)
		for (int c = 0; c < ncols; c++)
			printf("%s%s", text_pad(cell, sizeof cell, v[i * ncols + c], w[c], right[c]),
			       c + 1 < ncols ? "  " : "\n");
	free(w);
}

void report_csv_print(int ncols, const char *const head[], int nrows, const report_cell *v)
{
	for (int c = 0; c < ncols; c++)
		csv_write_field(stdout, head[c], c + 1 == ncols);
	for (int i = 0; i < nrows; i++)
		for (int c = 0; c < ncols; c++)
			csv_write_field(stdout, v[i * ncols + c], c + 1 == ncols);
}

int report_json_print(const char *from, const char *to, json_t *extra, json_t *rows)
{
	json_t *doc = json_object();
	char *s;

	json_object_set_new(doc, "from", from ? json_string(from) : json_null());
	json_object_set_new(doc, "to", to ? json_string(to) : json_null());
	if (extra)
		json_object_update(doc, extra);
	json_decref(extra);
	json_object_set_new(doc, "rows", rows);
	s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
	json_decref(doc);
	if (!s)
		return 1;
	puts(s);
	free(s);
	return 0;
}
