/* What cobroctl's reports share (report agents, report channels, strategy
 * report): the --format and --from/--to options, and a report's rows as an
 * aligned table (display cells, text.h), CSV (RFC 4180) or JSON (jansson).
 * Each report makes its cells; this prints them. */
#ifndef COBRO_REPORT_FMT_H
#define COBRO_REPORT_FMT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "metrics.h"
#include "money.h"

enum report_format { FMT_TABLE, FMT_CSV, FMT_JSON };

/* "table", "csv", "json"; says what it takes and returns false otherwise. */
bool report_format_parse(const char *s, enum report_format *out);
/* --from and --to: each a date "YYYY-MM-DD" (NULL allowed when !required),
 * from not after to; says what is wrong and returns false. */
bool report_range_ok(const char *from, const char *to, bool required);

/* One cell of a table or a CSV record. */
#define REPORT_CELL 160
typedef char report_cell[REPORT_CELL];

/* "CLP 1234;PEN 500": minor units, one per currency (CSV). */
void report_money_plain(char *out, size_t n, const struct metric_money *m);
/* The same as each market writes it, "+" between currencies (the table). */
void report_money_shown(char *out, size_t n, const struct metric_money *m, enum money_form form);
/* The form of the amounts of a table: each market's own while it shows one
 * currency, unambiguous once several (money_mix). */
void report_money_mix(struct money_mix *mix, const struct metric_money *m);
/* v with fmt, or "" when it has no value (negative). */
void report_ratio(char *out, size_t n, double v, const char *fmt);
/* {"CLP": 1234, ...}; a rate, or null when it has no value. */
json_t *report_money_json(const struct metric_money *m);
json_t *report_rate_json(double v);

/* nrows rows of ncols cells (v[row * ncols + col]) under head, each column
 * as wide as its widest cell in display cells; right[c]: aligned right. */
void report_table_print(int ncols, const char *const head[], const bool right[], int nrows, const report_cell *v);
/* The same as CSV: a header of head, then the records, CRLF. */
void report_csv_print(int ncols, const char *const head[], int nrows, const report_cell *v);
/* {"from": from, "to": to, <extra's keys>, "rows": rows} indented, on
 * stdout; steals rows and extra (NULL: none). Returns 0, or 1 when it could
 * not be written. */
int report_json_print(const char *from, const char *to, json_t *extra, json_t *rows);

#endif
