/* Promise limits: the file parsed and checked line by line, the versions in
 * the database (the only SQL of the limits). */
#include <jansson.h>
#include <libconfig.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confnum.h"
#include "diff.h"
#include "promise_limits.h"
#include "util.h"

/* The numbers of a row: name, where in the struct, the range allowed. */
static const struct field {
	const char *name;
	size_t off;
	int min, max;
} fields[] = {
	{ "horizon_days", offsetof(struct promise_limit, horizon_days), 0, 3660 },
	{ "min_share_permille", offsetof(struct promise_limit, min_share_permille), 0, 1000 },
	{ "max_installments", offsetof(struct promise_limit, max_installments), 1, 360 },
	{ "max_discount_permille", offsetof(struct promise_limit, max_discount_permille), 0, 1000 },
	{ "grace_days", offsetof(struct promise_limit, grace_days), 0, 60 },
};

__attribute__((format(printf, 5, 6))) static bool fail(const char *name, const config_setting_t *s, char *err,
                                                       size_t errlen, const char *fmt, ...)
{
	char what[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s:%d: %s", name, s ? config_setting_source_line(s) : 1, what);
	return false;
}

/* The database's CHECKs on promise_limit, said before it is asked. */
static bool matches(const char *re, const char *s)
{
	regex_t rx;
	bool ok;

	if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB) != 0)
		return false;
	ok = regexec(&rx, s, 0, NULL, 0) == 0;
	regfree(&rx);
	return ok;
}

static bool jurisdiction_ok(const char *s)
{
	return !strcmp(s, "*") || matches("^[A-Z]{2}(-[A-Z]{2})?$", s);
}

static bool segment_ok(const char *s)
{
	return !strcmp(s, "*") || matches("^[a-z0-9][a-z0-9_-]{0,31}$", s);
}

static bool parse_row(const char *name, const config_setting_t *r, struct promise_limit *out, char *err,
                      size_t errlen)
{
	const char *j = NULL, *seg = NULL;

	memset(out, 0, sizeof *out);
	out->line = config_setting_source_line(r);
	if (config_setting_type(r) != CONFIG_TYPE_GROUP)
		return fail(name, r, err, errlen, "each limit is a group { jurisdiction = \"PE\"; segment = \"*\"; ... }");
	for (int k = 0; k < config_setting_length(r); k++) {
		const config_setting_t *s = config_setting_get_elem(r, (unsigned)k);
		const char *key = config_setting_name(s);
		bool known = !strcmp(key, "jurisdiction") || !strcmp(key, "segment");

		for (size_t f = 0; f < ARRAY_SIZE(fields); f++)
			known = known || !strcmp(key, fields[f].name);
		if (!known)
			return fail(name, s, err, errlen,
			            "%s: unknown setting (jurisdiction, segment, horizon_days, min_share_permille, "
			            "max_installments, max_discount_permille, grace_days)",
			            key);
	}
	if (!config_setting_lookup_string(r, "jurisdiction", &j) || !jurisdiction_ok(j))
		return fail(name, r, err, errlen,
		            "jurisdiction = \"CC\" or \"CC-RR\" (ISO 3166) or \"*\" for any is required");
	if (!config_setting_lookup_string(r, "segment", &seg) || !segment_ok(seg))
		return fail(name, r, err, errlen,
		            "segment = \"early\" (lower case letters, digits, _ and -; at most 32) or \"*\" for any "
		            "is required");
	snprintf(out->jurisdiction, sizeof out->jurisdiction, "%s", j);
	snprintf(out->segment, sizeof out->segment, "%s", seg);
	for (size_t f = 0; f < ARRAY_SIZE(fields); f++) {
		const config_setting_t *s = config_setting_get_member(r, fields[f].name);
		int v;

		if (!s)
			return fail(name, r, err, errlen, "%s %s: %s is required", j, seg, fields[f].name);
		if (config_setting_type(s) != CONFIG_TYPE_INT)
			return fail(name, s, err, errlen, "%s: a whole number is expected", fields[f].name);
		v = config_setting_get_int(s);
		if (v < fields[f].min || v > fields[f].max)
			return fail(name, s, err, errlen, "%s: %d is out of range (%d to %d)", fields[f].name, v,
			            fields[f].min, fields[f].max);
		*(int *)((char *)out + fields[f].off) = v;
	}
	return true;
}

bool promise_limits_parse(const char *text, const char *name, struct promise_limits *out, char *err,
                          size_t errlen)
{
	config_t cf;
	const config_setting_t *list;
	bool ok = false, any = false;

	memset(out, 0, sizeof *out);
	config_init(&cf);
	if (!conf_numbers_check(text, name, err, errlen))
		goto out;
	if (!config_read_string(&cf, text)) {
		snprintf(err, errlen, "%s:%d: %s", name, config_error_line(&cf), config_error_text(&cf));
		goto out;
	}
	for (int i = 0; i < config_setting_length(config_root_setting(&cf)); i++) {
		const config_setting_t *s = config_setting_get_elem(config_root_setting(&cf), (unsigned)i);

		if (strcmp(config_setting_name(s), "limits")) {
			fail(name, s, err, errlen, "%s: unknown setting (limits)", config_setting_name(s));
			goto out;
		}
	}
	list = config_lookup(&cf, "limits");
	if (!list || (config_setting_type(list) != CONFIG_TYPE_LIST && config_setting_type(list) != CONFIG_TYPE_ARRAY)) {
		fail(name, list, err, errlen, "limits = ( { jurisdiction = \"*\"; segment = \"*\"; ... }, ... ); is required");
		goto out;
	}
	out->n = config_setting_length(list);
	out->v = xcalloc((size_t)(out->n ? out->n : 1), sizeof *out->v);
	for (int i = 0; i < out->n; i++) {
		const config_setting_t *r = config_setting_get_elem(list, (unsigned)i);

		if (!parse_row(name, r, &out->v[i], err, errlen))
			goto out;
		for (int k = 0; k < i; k++) {
			if (!strcmp(out->v[k].jurisdiction, out->v[i].jurisdiction) &&
			    !strcmp(out->v[k].segment, out->v[i].segment)) {
				fail(name, r, err, errlen, "jurisdiction %s and segment %s were given already, on line %d",
				     out->v[i].jurisdiction, out->v[i].segment, out->v[k].line);
				goto out;
			}
		}
		any = any || (!strcmp(out->v[i].jurisdiction, "*") && !strcmp(out->v[i].segment, "*"));
	}
	if (!any) {
		fail(name, list, err, errlen,
		     "no limits for jurisdiction \"*\" and segment \"*\": every account needs limits");
		goto out;
	}
	ok = true;
out:
	config_destroy(&cf);
	if (!ok)
		promise_limits_free(out);
	return ok;
}

void promise_limits_free(struct promise_limits *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

const struct promise_limit *promise_limits_pick(const struct promise_limits *l, const char *jurisdiction,
                                                const char *segment)
{
	const struct promise_limit *best = NULL;
	int best_rank = 99;
	char country[3] = "";

	if (jurisdiction && strlen(jurisdiction) >= 2)
		snprintf(country, sizeof country, "%.2s", jurisdiction);
	for (int i = 0; i < l->n; i++) {
		const struct promise_limit *r = &l->v[i];
		int jr, rank;

		if (jurisdiction && !strcmp(r->jurisdiction, jurisdiction))
			jr = 0;
		else if (*country && !strcmp(r->jurisdiction, country))
			jr = 1;
		else if (!strcmp(r->jurisdiction, "*"))
			jr = 2;
		else
			continue;
		if (segment && !strcmp(r->segment, segment))
			rank = jr * 2;
		else if (!strcmp(r->segment, "*"))
			rank = jr * 2 + 1;
		else
			continue;
		if (rank < best_rank) {
			best_rank = rank;
			best = r;
		}
	}
	return best;
}

void promise_limits_show(const struct promise_limits *l, void (*line)(const char *s, void *arg), void *arg)
{
	char s[200];

	snprintf(s, sizeof s, "%-12s %-12s %8s %10s %6s %10s %6s", "jurisdiction", "segment", "horizon",
	         "min_share", "max_n", "max_disc", "grace");
	line(s, arg);
	for (int i = 0; i < l->n; i++) {
		const struct promise_limit *r = &l->v[i];

		snprintf(s, sizeof s, "%-12s %-12s %7dd %9.1f%% %6d %9.1f%% %5dd", r->jurisdiction, r->segment,
		         r->horizon_days, r->min_share_permille / 10.0, r->max_installments,
		         r->max_discount_permille / 10.0, r->grace_days);
		line(s, arg);
	}
}

bool promise_limits_current(struct db *db, struct stored_limits *out, char *err, size_t errlen)
{
	PGresult *r;

	memset(out, 0, sizeof *out);
	r = db_exec(db,
	            "SELECT version, to_char(loaded_at, 'YYYY-MM-DD HH24:MI:SSOF'), loaded_by, source, text "
	            "FROM cobro.promise_limit_set ORDER BY version DESC LIMIT 1",
	            0, NULL);
	if (!r) {
		snprintf(err, errlen, "cannot read the promise limits: %s", db->err);
		return false;
	}
	if (PQntuples(r) == 0) {
		snprintf(err, errlen, "no promise limits are stored (cobroctl limits load etc/promise.conf)");
		PQclear(r);
		return false;
	}
	out->version = atoi(PQgetvalue(r, 0, 0));
	snprintf(out->loaded_at, sizeof out->loaded_at, "%s", PQgetvalue(r, 0, 1));
	snprintf(out->loaded_by, sizeof out->loaded_by, "%s", PQgetvalue(r, 0, 2));
	snprintf(out->source, sizeof out->source, "%s", PQgetvalue(r, 0, 3));
	out->text = xstrdup(PQgetvalue(r, 0, 4));
	PQclear(r);
	{
		char v[16];
		const char *p[1] = { v };

		snprintf(v, sizeof v, "%d", out->version);
		r = db_exec(db,
		            "SELECT jurisdiction, segment, horizon_days, min_share_permille, max_installments, "
		            "       max_discount_permille, grace_days FROM cobro.promise_limit WHERE version = $1 "
		            "ORDER BY jurisdiction <> '*', jurisdiction, segment <> '*', segment",
		            1, p);
	}
	if (!r) {
		snprintf(err, errlen, "cannot read the promise limits: %s", db->err);
		stored_limits_free(out);
		return false;
	}
	out->limits.n = PQntuples(r);
	out->limits.v = xcalloc((size_t)(out->limits.n ? out->limits.n : 1), sizeof *out->limits.v);
	for (int i = 0; i < out->limits.n; i++) {
		struct promise_limit *l = &out->limits.v[i];

		snprintf(l->jurisdiction, sizeof l->jurisdiction, "%s", PQgetvalue(r, i, 0));
		snprintf(l->segment, sizeof l->segment, "%s", PQgetvalue(r, i, 1));
		l->horizon_days = atoi(PQgetvalue(r, i, 2));
		l->min_share_permille = atoi(PQgetvalue(r, i, 3));
		l->max_installments = atoi(PQgetvalue(r, i, 4));
		l->max_discount_permille = atoi(PQgetvalue(r, i, 5));
		l->grace_days = atoi(PQgetvalue(r, i, 6));
	}
	PQclear(r);
	return true;
}

void stored_limits_free(struct stored_limits *s)
{
	free(s->text);
	s->text = NULL;
	promise_limits_free(&s->limits);
}

int promise_limits_store(struct db *db, const char *source, const char *text, const struct promise_limits *l,
                         char *err, size_t errlen)
{
	json_t *rows = json_array();
	PGresult *r = NULL;
	char *json, *diff = NULL;
	int version = -1;

	for (int i = 0; i < l->n; i++)
		json_array_append_new(rows, json_pack("{s:s, s:s, s:i, s:i, s:i, s:i, s:i}", "jurisdiction",
		                                      l->v[i].jurisdiction, "segment", l->v[i].segment, "horizon_days",
		                                      l->v[i].horizon_days, "min_share_permille",
		                                      l->v[i].min_share_permille, "max_installments",
		                                      l->v[i].max_installments, "max_discount_permille",
		                                      l->v[i].max_discount_permille, "grace_days", l->v[i].grace_days));
	json = json_dumps(rows, JSON_COMPACT);
	json_decref(rows);
	if (!db_cmd(db, "BEGIN")) {
		snprintf(err, errlen, "%s", db->err);
		free(json);
		return -1;
	}
	/* One loader at a time: the diff is against the version it replaces. */
	if (!db_cmd(db, "SELECT pg_advisory_xact_lock(hashtext('cobro.promise_limit'))")) {
		snprintf(err, errlen, "%s", db->err);
		goto out;
	}
	r = db_exec(db, "SELECT text FROM cobro.promise_limit_set ORDER BY version DESC LIMIT 1", 0, NULL);
	if (!r) {
		snprintf(err, errlen, "cannot read the promise limits: %s", db->err);
		goto out;
	}
	diff = diff_lines(PQntuples(r) ? PQgetvalue(r, 0, 0) : "", text);
	PQclear(r);
	{
		const char *p[4] = { source, text, diff, json };

		r = db_exec(db, "SELECT cobro.promise_limits_load($1, $2, $3, $4::jsonb)", 4, p);
	}
	if (!r) {
		snprintf(err, errlen, "cannot store the promise limits: %s", db->err);
		goto out;
	}
	version = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	r = NULL;
	if (!db_cmd(db, "COMMIT")) {
		snprintf(err, errlen, "%s", db->err);
		version = -1;
	}
out:
	PQclear(r);
	free(diff);
	free(json);
	if (version < 0)
		db_cmd(db, "ROLLBACK");
	return version;
}
