/* Data cleaning: the run (who is asked, the text rendered, the ask queued)
 * and the numbers a reply holds. The rules of who and when are
 * functions/cleaning.sql's; this renders what the database cannot. */
#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "cleaning.h"
#include "contact.h"
#include "outbox.h"
#include "strategy.h"
#include "template_store.h"
#include "util.h"

void cleaning_conf_default(struct cleaning_conf *c)
{
	memset(c, 0, sizeof *c);
	c->after_failures = 3;
	c->every_days = 7;
	snprintf(c->channels[0], sizeof c->channels[0], "email");
	snprintf(c->channels[1], sizeof c->channels[1], "whatsapp");
	c->nchannels = 2;
	snprintf(c->template_code, sizeof c->template_code, "number_update");
	c->given = true;
}

void cleaning_conf_from(const struct strategy *s, struct cleaning_conf *c)
{
	const struct strategy_cleaning *k = &s->cleaning;

	cleaning_conf_default(c);
	c->given = k->given;
	if (!k->given)
		return;
	c->after_failures = k->after_failures;
	c->every_days = k->every_days;
	snprintf(c->template_code, sizeof c->template_code, "%s", k->template_code);
	snprintf(c->incentive, sizeof c->incentive, "%s", k->incentive ? k->incentive : "");
	/* The cleaning asks by the channels a reply can come back from, or
	 * be read on: an SMS or a letter to a debtor whose numbers are gone
	 * is no ask (docs/strategies.md). */
	c->nchannels = 0;
	if (k->channels & (1u << STRATEGY_EMAIL))
		snprintf(c->channels[c->nchannels++], sizeof c->channels[0], "email");
	if (k->channels & (1u << STRATEGY_WHATSAPP))
		snprintf(c->channels[c->nchannels++], sizeof c->channels[0], "whatsapp");
	c->nsegments = 0;
	for (int i = 0; i < k->nsegments && c->nsegments < CLEANING_SEGMENTS; i++)
		snprintf(c->segments[c->nsegments++], sizeof c->segments[0], "%s", k->segments[i]);
}

bool cleaning_conf_parse(const char *name, const char *text, struct cleaning_conf *c, char *err, size_t errlen)
{
	struct strategy_errors errs = { 0 };
	struct strategy *s = strategy_parse(name, text, NULL, &errs);

	if (!s) {
		snprintf(err, errlen, "%s", errs.n ? errs.v[0] : "the strategy file is refused");
		strategy_errors_free(&errs);
		return false;
	}
	cleaning_conf_from(s, c);
	strategy_free(s);
	strategy_errors_free(&errs);
	return true;
}

bool cleaning_conf_in_force(struct db *db, struct cleaning_conf *c, char *err, size_t errlen)
{
	PGresult *r = db_exec(db, "SELECT file, text FROM cobro.strategy_version ORDER BY version DESC LIMIT 1", 0,
	                      NULL);
	bool ok;

	if (!r) {
		snprintf(err, errlen, "%s", db->err);
		return false;
	}
	if (PQntuples(r) != 1) {
		snprintf(err, errlen, "no strategy is loaded (cobroctl strategy load FILE)");
		PQclear(r);
		return false;
	}
	ok = cleaning_conf_parse(PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1), c, err, errlen);
	PQclear(r);
	return ok;
}

static void sayf(void (*say)(void *, const char *), void *ctx, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void sayf(void (*say)(void *, const char *), void *ctx, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (!say)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	say(ctx, line);
}

/* One ask: the account read as the daemon sees it, the template in the
 * debtor's language rendered with it, queued. 1 queued, 0 not needed any
 * more, -1 failed (said). */
static int ask(struct db *db, const struct cleaning_conf *c, int64_t at, long long account_id, long long point_id,
	       const char *channel, const char *language, void (*say)(void *, const char *), void *ctx)
{
	struct account_view v;
	struct template_data d;
	struct stored_template t = { 0 };
	char payment_date[OUTBOX_DATE_SIZE], key[CONTACT_KEY_SIZE], err[256];
	char account[24], point[24], tmpl[24], after[16], every[16], when[32];
	char *subject = NULL, *body = NULL, *params = NULL, **pv = NULL;
	int npv = 0, rc = -1;
	PGresult *r;

	if (!account_load(db, account_id, 1, at, &v)) {
		sayf(say, ctx, "account %lld: cannot be read: %s", account_id, db->err);
		return -1;
	}
	if (!template_store_get(db, c->template_code, channel, language, &t)) {
		sayf(say, ctx, "%s: %s", v.account.reference, db->err);
		goto out;
	}
	outbox_template_data(&v, NULL, &d, payment_date);
	if ((t.subject && !(subject = template_render(t.subject, &d, err, sizeof err))) ||
	    !(body = template_render(t.body, &d, err, sizeof err))) {
		sayf(say, ctx, "%s: %s %s (%s) cannot be rendered: %s", v.account.reference, c->template_code, channel,
		     language, err);
		goto out;
	}
	/* The incentive is a paragraph of the email; a WhatsApp template is
	 * the provider's approved text, which cobro cannot add to. */
	if (c->incentive[0] && !strcmp(channel, "email")) {
		char *with = xmalloc(strlen(body) + strlen(c->incentive) + 3);

		sprintf(with, "%s\n\n%s", body, c->incentive);
		free(body);
		body = with;
	}
	if (!strcmp(channel, "whatsapp")) {
		json_t *a = json_array();

		if (!outbox_template_params(t.body, &d, &pv, &npv, err, sizeof err)) {
			json_decref(a);
			sayf(say, ctx, "%s: WhatsApp params: %s", v.account.reference, err);
			goto out;
		}
		for (int i = 0; i < npv; i++)
			json_array_append_new(a, json_string(pv[i] ? pv[i] : ""));
		params = json_dumps(a, JSON_COMPACT);
		json_decref(a);
	}
	contact_new_key(key);
	snprintf(account, sizeof account, "%lld", account_id);
	snprintf(point, sizeof point, "%lld", point_id);
	snprintf(tmpl, sizeof tmpl, "%lld", t.id);
	snprintf(after, sizeof after, "%d", c->after_failures);
	snprintf(every, sizeof every, "%d", c->every_days);
	snprintf(when, sizeof when, "%lld", (long long)at);
	r = db_exec(db,
	            "SELECT cobro.cleaning_queue($1::uuid, $2::bigint, $3::bigint, $4, $5::bigint, $6, $7, $8::jsonb, "
	            "$9::integer, $10::integer, to_timestamp($11::bigint))",
	            11,
	            (const char *const[]){ key, account, point, channel, tmpl, subject, body, params, after, every,
	                                   when });
	if (!r) {
		sayf(say, ctx, "%s: %s not queued: %s", v.account.reference, channel, db->err);
		goto out;
	}
	rc = PQgetisnull(r, 0, 0) ? 0 : 1;
	if (rc)
		sayf(say, ctx, "%s: asked for a number by %s (message %s)", v.account.reference, channel,
		     PQgetvalue(r, 0, 0));
	else
		sayf(say, ctx, "%s: asked by %s already", v.account.reference, channel);
	PQclear(r);
out:
	outbox_params_free(pv, npv);
	free(subject);
	free(body);
	free(params);
	stored_template_free(&t);
	account_view_free(&v);
	return rc;
}

bool cleaning_run(struct db *db, const struct cleaning_conf *c, int64_t at, const char *team, bool dry_run,
		  void (*say)(void *ctx, const char *line), void *ctx, struct cleaning_counts *n)
{
	char after[16], every[16], when[32], channels[64], segments[CLEANING_SEGMENTS * 70 + 3];
	struct buf b = { 0 };
	PGresult *r;

	memset(n, 0, sizeof *n);
	if (!c->given || !c->nchannels) {
		sayf(say, ctx, "the strategy has no cleaning (or no channel it can ask by): nothing to do");
		return true;
	}
	snprintf(after, sizeof after, "%d", c->after_failures);
	snprintf(every, sizeof every, "%d", c->every_days);
	snprintf(when, sizeof when, "%lld", (long long)at);
	snprintf(channels, sizeof channels, "{%s%s%s}", c->channels[0], c->nchannels > 1 ? "," : "",
	         c->nchannels > 1 ? c->channels[1] : "");
	/* A text[] literal of the segments: names are the file's, checked
	 * there as identifiers, so quoting each is enough. */
	buf_puts(&b, "{");
	for (int i = 0; i < c->nsegments; i++)
		buf_printf(&b, "%s\"%s\"", i ? "," : "", c->segments[i]);
	buf_puts(&b, "}");
	snprintf(segments, sizeof segments, "%s", b.s);
	buf_free(&b);
	r = db_exec(db,
	            "SELECT d.account_id, d.point_id, d.channel, d.language, a.reference "
	            "FROM cobro.cleaning_due($1::integer, $2::integer, $3::text[], to_timestamp($4::bigint), $5, "
	            "                        $6::text[]) d "
	            "JOIN cobro.account a ON a.id = d.account_id",
	            6, (const char *const[]){ after, every, channels, when, team, c->nsegments ? segments : NULL });
	if (!r)
		return false;
	n->due = PQntuples(r);
	for (int i = 0; i < n->due; i++) {
		if (dry_run) {
			sayf(say, ctx, "%s: would ask for a number by %s", PQgetvalue(r, i, 4), PQgetvalue(r, i, 2));
			continue;
		}
		switch (ask(db, c, at, atoll(PQgetvalue(r, i, 0)), atoll(PQgetvalue(r, i, 1)), PQgetvalue(r, i, 2),
		            PQgetvalue(r, i, 3), say, ctx)) {
		case 1: n->queued++; break;
		case 0: n->skipped++; break;
		default: n->failed++; break;
		}
	}
	PQclear(r);
	return true;
}

bool cleaning_decide(struct db *db, long long account_id, long long point_id, bool confirm)
{
	char account[24], point[24];

	snprintf(account, sizeof account, "%lld", account_id);
	snprintf(point, sizeof point, "%lld", point_id);
	return db_run(db, "SELECT cobro.contact_point_decide($1::bigint, $2::bigint, $3::boolean)", 3,
	              (const char *const[]){ account, point, confirm ? "true" : "false" });
}

/* A character that may stand inside a number as people write it. */
static bool number_char(char ch)
{
	return isdigit((unsigned char)ch) || ch == ' ' || ch == '-' || ch == '.' || ch == '(' || ch == ')';
}

static int add_number(const char *piece, const char *country, struct cleaning_number *out, int n, int max)
{
	char e164[PHONE_E164_SIZE];

	if (n >= max || !phone_normalize(piece, country, e164, sizeof e164, NULL, 0))
		return n;
	for (int i = 0; i < n; i++)
		if (!strcmp(out[i].e164, e164))
			return n;
	snprintf(out[n].e164, sizeof out[n].e164, "%s", e164);
	out[n].mobile = phone_is_mobile(e164);
	return n + 1;
}

int cleaning_numbers(const char *text, const char *country, struct cleaning_number *out, int max)
{
	int n = 0;

	for (const char *s = text; s && *s && n < max;) {
		const char *start = s, *end;
		char run[64];
		int digits = 0;
		size_t len;

		if (!(isdigit((unsigned char)*s) || (*s == '+' && isdigit((unsigned char)s[1])) ||
		      (*s == '(' && isdigit((unsigned char)s[1])))) {
			s++;
			continue;
		}
		end = s + 1;
		while (*end && number_char(*end))
			end++;
		s = end;
		/* What ends a sentence is not part of the number. */
		while (end > start && !isdigit((unsigned char)end[-1]) && end[-1] != ')')
			end--;
		for (const char *p = start; p < end; p++)
			digits += isdigit((unsigned char)*p) != 0;
		len = (size_t)(end - start);
		if (digits < 6 || len >= sizeof run)
			continue;
		memcpy(run, start, len);
		run[len] = '\0';
		{
			int before = n;

			n = add_number(run, country, out, n, max);
			if (n > before)
				continue;
		}
		/* "987654321 912345678": two numbers side by side. */
		for (char *save = NULL, *w = strtok_r(run, " ", &save); w; w = strtok_r(NULL, " ", &save))
			n = add_number(w, country, out, n, max);
	}
	return n;
}

char *cleaning_numbers_json(const char *text)
{
	char countries[64], *save = NULL, *json = NULL;
	json_t *all = json_object();
	bool any = false;

	snprintf(countries, sizeof countries, "%s", phone_supported_countries());
	for (char *cc = strtok_r(countries, " ", &save); cc; cc = strtok_r(NULL, " ", &save)) {
		struct cleaning_number nums[8];
		int n = cleaning_numbers(text, cc, nums, 8);
		json_t *o;

		if (!n)
			continue;
		o = json_object();
		for (int i = 0; i < n; i++)
			json_object_set_new(o, nums[i].e164, json_string(nums[i].mobile ? "mobile" : "phone"));
		json_object_set_new(all, cc, o);
		any = true;
	}
	if (any)
		json = json_dumps(all, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(all);
	return json;
}
