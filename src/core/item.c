#include "item.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static const char item_sql[] = "SELECT cobro.event_detail($1)";

static void get_str(const json_t *o, const char *key, char *dst, size_t n)
{
	const char *s = json_string_value(json_object_get(o, key));

	/* The server's values are short ASCII or cut to whole characters
	 * already (codes, times, a login, a recipient of at most 320). */
	snprintf(dst, n, "%s", s ? s : "");
}

static void decode(const json_t *doc, struct item *it)
{
	const json_t *m = json_object_get(doc, "message"), *steps, *s, *amount = json_object_get(doc, "amount");
	const char *body = json_string_value(json_object_get(doc, "body"));
	size_t i;

	it->id = json_integer_value(json_object_get(doc, "id"));
	get_str(doc, "at", it->at, sizeof it->at);
	get_str(doc, "kind", it->kind, sizeof it->kind);
	get_str(doc, "direction", it->direction, sizeof it->direction);
	get_str(doc, "outcome", it->outcome, sizeof it->outcome);
	get_str(doc, "agent", it->agent, sizeof it->agent);
	it->body = xstrdup(body ? body : "");
	it->has_amount = json_is_integer(amount);
	it->amount = json_integer_value(amount);
	get_str(doc, "currency", it->currency, sizeof it->currency);
	it->due = json_integer_value(json_object_get(doc, "due"));
	get_str(doc, "zone", it->zone, sizeof it->zone);
	if (!json_is_object(m))
		return;
	it->has_message = true;
	get_str(m, "channel", it->channel, sizeof it->channel);
	get_str(m, "recipient", it->recipient, sizeof it->recipient);
	get_str(m, "status", it->status, sizeof it->status);
	it->attempts = (int)json_integer_value(json_object_get(m, "attempts"));
	get_str(m, "error", it->error, sizeof it->error);
	get_str(m, "rule", it->rule, sizeof it->rule);
	steps = json_object_get(m, "steps");
	json_array_foreach(steps, i, s) {
		if (it->nsteps == ITEM_STEPS)
			break;
		get_str(s, "step", it->steps[it->nsteps].step, sizeof it->steps[it->nsteps].step);
		get_str(s, "at", it->steps[it->nsteps].at, sizeof it->steps[it->nsteps].at);
		it->nsteps++;
	}
}

bool item_load(struct db *db, long long id, struct item *it)
{
	char arg[24];
	const char *params[1] = { arg };
	json_error_t jerr;
	json_t *doc;
	PGresult *r;

	memset(it, 0, sizeof *it);
	snprintf(arg, sizeof arg, "%lld", id);
	if (!(r = db_exec(db, item_sql, 1, params)))
		return false;
	doc = PQntuples(r) == 1 && !PQgetisnull(r, 0, 0)
	              ? json_loadb(PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0), 0, &jerr)
	              : NULL;
	PQclear(r);
	if (!json_is_object(doc)) {
		json_decref(doc);
		snprintf(db->err, sizeof db->err, "item %lld: unreadable reply", id);
		return false;
	}
	decode(doc, it);
	json_decref(doc);
	return true;
}

void item_free(struct item *it)
{
	free(it->body);
	memset(it, 0, sizeof *it);
}
