/* What a strategy run leaves behind besides the database: the agencies'
 * placement files (written whole, then renamed), and its counts as JSON and
 * as tables (strategy_run.h). */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "strategy_decide.h"
#include "strategy_run.h"
#include "util.h"

void strategy_placement_path(const char *pattern, int day, const char *base_dir, char *out, size_t n)
{
	char ymd[16], y[5], m[3], d[3];
	struct buf b = { 0 };

	strategy_day_format(day, ymd, sizeof ymd);
	snprintf(y, sizeof y, "%.4s", ymd);
	snprintf(m, sizeof m, "%.2s", ymd + 5);
	snprintf(d, sizeof d, "%.2s", ymd + 8);
	if (base_dir && *base_dir && pattern[0] != '/') {
		buf_puts(&b, base_dir);
		if (b.len && b.s[b.len - 1] != '/')
			buf_puts(&b, "/");
	}
	/* Only the day's fields: the file is the day's, whenever it is written. */
	for (const char *p = pattern; *p; p++) {
		if (p[0] != '%' || !p[1]) {
			buf_add(&b, p, 1);
			continue;
		}
		switch (*++p) {
		case 'Y': buf_puts(&b, y); break;
		case 'm': buf_puts(&b, m); break;
		case 'd': buf_puts(&b, d); break;
		case 'F': buf_puts(&b, ymd); break;
		case '%': buf_puts(&b, "%"); break;
		default: buf_add(&b, p - 1, 2); break;
		}
	}
	snprintf(out, n, "%s", b.s ? b.s : "");
	buf_free(&b);
}

/* One field as RFC 4180 has it: quoted when it holds a comma, a quote, CR
 * or LF (or starts or ends with a space, which some readers trim), quotes
 * doubled. */
static void csv_field(struct buf *b, const char *s)
{
	size_t n = strlen(s);
	bool quote = strpbrk(s, ",\"\r\n") != NULL || (n && (s[0] == ' ' || s[n - 1] == ' '));

	if (!quote) {
		buf_add(b, s, n);
		return;
	}
	buf_puts(b, "\"");
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			buf_puts(b, "\"");
		buf_add(b, p, 1);
	}
	buf_puts(b, "\"");
}

static void csv_record(struct buf *b, const char *const *fields, int n)
{
	for (int i = 0; i < n; i++) {
		if (i)
			buf_puts(b, ",");
		csv_field(b, fields[i] ? fields[i] : "");
	}
	buf_puts(b, "\r\n");
}

/* The directories of path, made as needed (0750). */
static bool make_dirs(const char *path)
{
	char *copy = xstrdup(path), *dir = dirname(copy);
	char *p;
	bool ok = true;

	for (p = dir + 1; ok && *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		ok = mkdir(dir, 0750) == 0 || errno == EEXIST;
		*p = '/';
	}
	if (ok)
		ok = mkdir(dir, 0750) == 0 || errno == EEXIST;
	free(copy);
	return ok;
}

bool strategy_placement_write(const char *path, const char *const *header, const char *const *rows, int nrows,
                              int ncols, char *err, size_t errlen)
{
	struct buf b = { 0 };
	char tmp[4096];
	int fd = -1;
	bool ok;

	if (!make_dirs(path)) {
		snprintf(err, errlen, "%s: cannot make its directory: %s", path, strerror(errno));
		return false;
	}
	csv_record(&b, header, ncols);
	for (int i = 0; i < nrows; i++)
		csv_record(&b, rows + (size_t)i * (size_t)ncols, ncols);
	snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	ok = fd >= 0 && write_all(fd, b.s, b.len) && fsync(fd) == 0;
	if (!ok)
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
	if (fd >= 0 && close(fd) != 0 && ok) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		ok = false;
	}
	if (ok && rename(tmp, path) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		ok = false;
	}
	if (!ok) {
		unlink(tmp);
	} else {
		/* The rename lasts once the directory is synced. */
		char *copy = xstrdup(path);
		int dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
		free(copy);
	}
	buf_free(&b);
	return ok;
}

/* ------------------------------------------------------------------ counts */

/* The profile's hour i, UTC, as fmt (strftime) writes it. */
static void hour_text(const struct strategy_result *r, int i, const char *fmt, char *out, size_t n)
{
	time_t t = (time_t)(r->first_hour + (int64_t)i * 3600);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, n, fmt, &tm);
}

static json_t *tally_json(const struct strategy_tally *t)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "segment", t->segment,
	                 "variant", t->variant, "ladder", t->ladder, "step", t->step, "channel", t->channel,
	                 "messages", (json_int_t)t->messages, "assignments", (json_int_t)t->assignments,
	                 "placements", (json_int_t)t->placements, "letters", (json_int_t)t->letters, "skipped",
	                 (json_int_t)t->skipped, "refused", (json_int_t)t->refused, "waiting",
	                 (json_int_t)t->waiting);
}

char *strategy_result_json(const struct strategy_result *r)
{
	json_t *o = json_object(), *a;
	char day[16], *s;

	strategy_day_format(r->day, day, sizeof day);
	json_object_set_new(o, "day", json_string(day));
	json_object_set_new(o, "version", json_integer(r->version));
	json_object_set_new(o, "kind", json_string(r->kind == STRATEGY_RUN_SEGMENT ? "segment" : "ladder"));
	json_object_set_new(o, "accounts", json_integer(r->accounts));
	json_object_set_new(o, "changed", json_integer(r->changed));
	a = json_array();
	for (int i = 0; i < r->nsegments; i++) {
		const struct strategy_segment_count *c = &r->segments[i];

		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I}", "segment",
		                                   c->segment, "variant", c->variant, "ladder", c->ladder, "accounts",
		                                   (json_int_t)c->accounts, "changed", (json_int_t)c->changed,
		                                   "running", (json_int_t)c->running, "paused",
		                                   (json_int_t)c->paused, "stopped", (json_int_t)c->stopped, "done",
		                                   (json_int_t)c->done));
	}
	json_object_set_new(o, "segments", a);
	a = json_array();
	for (int i = 0; i < r->ntallies; i++)
		json_array_append_new(a, tally_json(&r->tallies[i]));
	json_object_set_new(o, "steps", a);
	a = json_array();
	for (int i = 0; i < r->nrules; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:I}", "outcome", r->rules[i].outcome, "rule",
		                                   r->rules[i].rule, "count", (json_int_t)r->rules[i].n));
	json_object_set_new(o, "rules", a);
	a = json_array();
	for (int i = 0; i < r->nhours; i++) {
		char hour[32];

		if (!r->per_hour[i])
			continue;
		hour_text(r, i, "%Y-%m-%dT%H:00:00Z", hour, sizeof hour);
		json_array_append_new(a, json_pack("{s:s, s:I}", "hour", hour, "messages", (json_int_t)r->per_hour[i]));
	}
	json_object_set_new(o, "hourly", a);
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

void strategy_result_print(FILE *f, const struct strategy_result *r)
{
	char day[16];
	long long total[7] = { 0 };

	strategy_day_format(r->day, day, sizeof day);
	fprintf(f, "day %s, strategy version %d: %lld accounts, %lld changed segment%s\n", day, r->version,
	        r->accounts, r->changed, r->dry ? " (dry run: nothing written)" : "");
	fprintf(f, "%.1f s: facts read and decided %.1f s, messages rendered %.1f s, planned %.1f s%s", r->seconds,
	        r->t_decide, r->t_render, r->t_plan, r->dry ? "\n" : "");
	if (!r->dry)
		fprintf(f, ", applied %.1f s\n", r->t_apply);
	fprintf(f, "\n%-16s %-8s %-16s %10s %8s %8s %8s %8s %8s\n", "segment", "variant", "ladder", "accounts",
	        "changed", "running", "paused", "stopped", "done");
	for (int i = 0; i < r->nsegments; i++) {
		const struct strategy_segment_count *c = &r->segments[i];

		fprintf(f, "%-16s %-8s %-16s %10lld %8lld %8lld %8lld %8lld %8lld\n", c->segment,
		        c->variant[0] ? c->variant : "-", c->ladder[0] ? c->ladder : "-", c->accounts, c->changed,
		        c->running, c->paused, c->stopped, c->done);
	}
	if (r->kind == STRATEGY_RUN_SEGMENT)
		return;
	fprintf(f, "\n%-16s %-8s %-16s %-9s %8s %8s %8s %8s %8s %8s %8s\n", "segment", "variant", "step", "channel",
	        "messages", "assigned", "placed", "letters", "skipped", "refused", "waiting");
	for (int i = 0; i < r->ntallies; i++) {
		const struct strategy_tally *t = &r->tallies[i];

		fprintf(f, "%-16s %-8s %-16s %-9s %8lld %8lld %8lld %8lld %8lld %8lld %8lld\n", t->segment,
		        t->variant[0] ? t->variant : "-", t->step, t->channel, t->messages, t->assignments,
		        t->placements, t->letters, t->skipped, t->refused, t->waiting);
		total[0] += t->messages;
		total[1] += t->assignments;
		total[2] += t->placements;
		total[3] += t->letters;
		total[4] += t->skipped;
		total[5] += t->refused;
		total[6] += t->waiting;
	}
	fprintf(f, "%-16s %-8s %-16s %-9s %8lld %8lld %8lld %8lld %8lld %8lld %8lld\n", "total", "", "", "", total[0],
	        total[1], total[2], total[3], total[4], total[5], total[6]);
	if (r->nrules) {
		fprintf(f, "\n%-9s %-32s %10s\n", "outcome", "rule", "count");
		for (int i = 0; i < r->nrules; i++)
			fprintf(f, "%-9s %-32s %10lld\n", r->rules[i].outcome, r->rules[i].rule, r->rules[i].n);
	}
	fprintf(f, "\n%-20s %10s\n", "hour (UTC)", "messages");
	for (int i = 0; i < r->nhours; i++) {
		char hour[32];

		if (!r->per_hour[i])
			continue;
		hour_text(r, i, "%Y-%m-%d %H:00", hour, sizeof hour);
		fprintf(f, "%-20s %10lld\n", hour, r->per_hour[i]);
	}
}
