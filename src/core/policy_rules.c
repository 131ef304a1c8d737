/* The contact rules as text: parsing and checking etc/policy.conf, the holiday
 * calendars, locked rules between versions, and printing the rules in force. */
#include "policy_int.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <libconfig.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "almanac.h"
#include "confnum.h"
#include "text.h"
#include "util.h"

/* ------------------------------------------------------------------ parsing */

struct parse {
	const char *file;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 3, 4))) static bool fail(struct parse *ps, const config_setting_t *s, const char *fmt,
                                                        ...)
{
	char msg[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(ps->err, ps->errlen, "%s:%d: %s", ps->file, s ? (int)config_setting_source_line(s) : 0, msg);
	return false;
}

static bool parse_hhmm(const char *s, int *minutes)
{
	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) || s[2] != ':' ||
	    !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
		return false;
	*minutes = ((s[0] - '0') * 10 + s[1] - '0') * 60 + (s[3] - '0') * 10 + s[4] - '0';
	return *minutes <= 24 * 60 && (s[3] - '0') < 6;
}

/* "07:00-19:00" or "07:00-12:00,14:00-19:00" or "" (closed). */
static bool parse_spans(struct parse *ps, const config_setting_t *s, struct span *out, int *n)
{
	const char *v = config_setting_get_string(s);
	const char *p = v;

	*n = 0;
	if (!v)
		return fail(ps, s, "%s: must be a string like \"07:00-19:00\" (\"\" for closed)", config_setting_name(s));
	while (*p) {
		int from, to;

		if (*n == MAX_SPANS)
			return fail(ps, s, "%s: at most %d time ranges", config_setting_name(s), MAX_SPANS);
		if (strlen(p) < 11 || !parse_hhmm(p, &from) || p[5] != '-' || !parse_hhmm(p + 6, &to))
			return fail(ps, s, "%s: \"%s\" is not HH:MM-HH:MM[,HH:MM-HH:MM]", config_setting_name(s), v);
		if (to <= from)
			return fail(ps, s, "%s: %.5s-%.5s ends before it starts", config_setting_name(s), p, p + 6);
		if (*n > 0 && from < out[*n - 1].to)
			return fail(ps, s, "%s: time ranges overlap or are out of order", config_setting_name(s));
		out[*n].from = (short)from;
		out[*n].to = (short)to;
		(*n)++;
		p += 11;
		if (*p == ',')
			p++;
		else if (*p)
			return fail(ps, s, "%s: \"%s\" is not HH:MM-HH:MM[,HH:MM-HH:MM]", config_setting_name(s), v);
	}
	return true;
}

static bool parse_channels(struct parse *ps, const config_setting_t *list, chanset *out)
{
	*out = 0;
	if (config_setting_type(list) != CONFIG_TYPE_ARRAY && config_setting_type(list) != CONFIG_TYPE_LIST)
		return fail(ps, list, "%s: must be a list of channels [\"call\", \"sms\", ...]", config_setting_name(list));
	for (int i = 0; i < config_setting_length(list); i++) {
		const char *v = config_setting_get_string_elem(list, (unsigned)i);
		enum channel c;

		if (!v || !channel_parse(v, &c))
			return fail(ps, list, "unknown channel \"%s\" (call, sms, email, whatsapp, letter, visit)",
			            v ? v : "?");
		*out |= 1u << c;
	}
	if (!*out)
		return fail(ps, list, "%s: names no channel", config_setting_name(list));
	return true;
}

static bool parse_kinds(struct parse *ps, const config_setting_t *list, unsigned *out)
{
	*out = 0;
	if (config_setting_type(list) != CONFIG_TYPE_ARRAY && config_setting_type(list) != CONFIG_TYPE_LIST)
		return fail(ps, list, "%s: must be a list of kinds [\"placed\", \"sent\", ...]", config_setting_name(list));
	for (int i = 0; i < config_setting_length(list); i++) {
		const char *v = config_setting_get_string_elem(list, (unsigned)i);
		enum contact_kind k;

		if (!v || !kind_parse(v, &k))
			return fail(ps, list, "unknown kind \"%s\" (attempt, placed, conversation, sent)", v ? v : "?");
		*out |= policy_kind_closure(k);
	}
	if (!*out)
		return fail(ps, list, "%s: names no kind", config_setting_name(list));
	return true;
}

static bool get_int(struct parse *ps, const config_setting_t *r, const char *key, int min, int max, int *out,
                    bool required)
{
	const config_setting_t *s = config_setting_get_member(r, key);

	if (!s) {
		if (required)
			return fail(ps, r, "rule needs %s", key);
		return true;
	}
	/* 64-bit too (5000000000L): compared whole, never cut to an int. */
	if (config_setting_type(s) != CONFIG_TYPE_INT && config_setting_type(s) != CONFIG_TYPE_INT64)
		return fail(ps, s, "%s: must be a whole number", key);
	long long v = config_setting_get_int64(s);
	if (v < min || v > max) {
		if (v == 0 && min > 0)
			return fail(ps, s, "%s: a %s of zero is impossible (use at least %d)", key, key, min);
		return fail(ps, s, "%s: %lld is out of range (%d to %d)", key, v, min, max);
	}
	*out = (int)v;
	return true;
}

static bool known_keys(struct parse *ps, const config_setting_t *r, const char *const *keys)
{
	for (int i = 0; i < config_setting_length(r); i++) {
		const config_setting_t *s = config_setting_get_elem(r, (unsigned)i);
		const char *const *k;

		for (k = keys; *k && strcmp(*k, config_setting_name(s)) != 0; k++)
			;
		if (!*k)
			return fail(ps, s, "%s: unknown setting for a %s rule", config_setting_name(s),
			            config_setting_get_string(config_setting_get_member(r, "type")));
	}
	return true;
}

static bool parse_window(struct parse *ps, const config_setting_t *r, struct policy_rule *rule)
{
	const char *w = NULL, *start = NULL;

	if (!config_setting_lookup_string(r, "window", &w))
		return fail(ps, r, "rule %s needs window = \"day\", \"week\" or \"rolling\"", rule->id);
	if (!strcmp(w, "day"))
		rule->window = WIN_DAY;
	else if (!strcmp(w, "week"))
		rule->window = WIN_WEEK;
	else if (!strcmp(w, "rolling"))
		rule->window = WIN_ROLLING;
	else
		return fail(ps, config_setting_get_member(r, "window"), "window: \"%s\" is not day, week or rolling", w);
	if (rule->window == WIN_ROLLING && !get_int(ps, r, "days", 1, 366, &rule->days, true))
		return false;
	if (config_setting_lookup_string(r, "week_starts", &start)) {
		int i;

		for (i = 0; i < 7 && strcmp(start, policy_day_keys[i]) != 0; i++)
			;
		if (i == 7)
			return fail(ps, config_setting_get_member(r, "week_starts"), "week_starts: \"%s\" is not a day of the week",
			            start);
		rule->week_start = i;
	}
	return true;
}

static bool parse_rule(struct parse *ps, const config_setting_t *r, struct policy_rule *rule)
{
	static const char *const hours_keys[] = { "id", "type", "channels", "source", "locked", "note", "weekdays",
		                                  "monday", "tuesday", "wednesday", "thursday", "friday",
		                                  "saturday", "sunday", "holiday", NULL };
	static const char *const cap_keys[] = { "id", "type", "channels", "source", "locked", "note", "max", "window",
		                                "days", "week_starts", "per", "counts", NULL };
	static const char *const gap_keys[] = { "id", "type", "channels", "source", "locked", "note", "days", "per",
		                                "counts", NULL };
	static const char *const cool_keys[] = { "id", "type", "channels", "source", "locked", "note", "days",
		                                 "after", "after_channels", "per", NULL };
	static const char *const state_keys[] = { "id", "type", "channels", "source", "locked", "note", "states", NULL };
	static const char *const plain_keys[] = { "id", "type", "channels", "source", "locked", "note", NULL };
	const char *id = NULL, *type = NULL, *src = NULL, *per = NULL;
	const config_setting_t *s;
	int t, locked = 0;

	if (config_setting_type(r) != CONFIG_TYPE_GROUP)
		return fail(ps, r, "a rule must be a group { id = ...; type = ...; }");
	if (!config_setting_lookup_string(r, "id", &id) || !*id)
		return fail(ps, r, "rule needs an id");
	if (strlen(id) >= sizeof rule->id)
		return fail(ps, r, "rule id \"%s\" is longer than %zu characters", id, sizeof rule->id - 1);
	snprintf(rule->id, sizeof rule->id, "%s", id);
	rule->line = (int)config_setting_source_line(r);
	if (!config_setting_lookup_string(r, "type", &type))
		return fail(ps, r, "rule %s needs a type", id);
	for (t = 0; t < (int)8 && strcmp(type, policy_type_names[t]) != 0; t++)
		;
	if (t == (int)8)
		return fail(ps, config_setting_get_member(r, "type"),
		            "rule %s: unknown type \"%s\" (hours, cap, gap, channels, cooloff, consent, opt_out, state)",
		            id, type);
	rule->type = (enum rule_type)t;
	rule->channels = CH_ALL;
	if ((s = config_setting_get_member(r, "channels")) && !parse_channels(ps, s, &rule->channels))
		return false;
	if (config_setting_lookup_string(r, "source", &src) && *src)
		rule->source = xstrdup(src);
	{
		const char *note = NULL;

		if (config_setting_lookup_string(r, "note", &note) && *note)
			rule->note = xstrdup(note);
	}
	config_setting_lookup_bool(r, "locked", &locked);
	rule->locked = locked != 0;
	if ((s = config_setting_get_member(r, "locked")) && config_setting_type(s) != CONFIG_TYPE_BOOL)
		return fail(ps, s, "locked: must be true or false");
	rule->counts = policy_kind_closure(KIND_ATTEMPT) | 1u << KIND_SENT;
	if ((s = config_setting_get_member(r, "counts")) && !parse_kinds(ps, s, &rule->counts))
		return false;
	if (config_setting_lookup_string(r, "per", &per)) {
		if (!strcmp(per, "person"))
			rule->per = PER_PERSON;
		else if (!strcmp(per, "debt"))
			rule->per = PER_DEBT;
		else if (!strcmp(per, "creditor"))
			rule->per = PER_CREDITOR;
		else
			return fail(ps, config_setting_get_member(r, "per"), "per: \"%s\" is not person, debt or creditor", per);
	}

	switch (rule->type) {
	case RULE_HOURS:
		if (!known_keys(ps, r, hours_keys))
			return false;
		if ((s = config_setting_get_member(r, "weekdays")))
			for (int d = 0; d < 5; d++)
				if (!parse_spans(ps, s, rule->spans[d], &rule->nspans[d]))
					return false;
		for (int d = 0; d < DAY__COUNT; d++)
			if ((s = config_setting_get_member(r, policy_day_keys[d])) &&
			    !parse_spans(ps, s, rule->spans[d], &rule->nspans[d]))
				return false;
		return true;
	case RULE_CAP:
	case RULE_CHANNELS:
		return known_keys(ps, r, cap_keys) && get_int(ps, r, "max", 1, 1000, &rule->max, true) &&
		       parse_window(ps, r, rule);
	case RULE_GAP:
		return known_keys(ps, r, gap_keys) && get_int(ps, r, "days", 1, 366, &rule->days, true);
	case RULE_COOLOFF:
		if (!known_keys(ps, r, cool_keys) || !get_int(ps, r, "days", 1, 366, &rule->days, true))
			return false;
		rule->after = policy_kind_closure(KIND_CONVERSATION);
		rule->after_channels = CH_ALL;
		if ((s = config_setting_get_member(r, "after")) && !parse_kinds(ps, s, &rule->after))
			return false;
		if ((s = config_setting_get_member(r, "after_channels")) && !parse_channels(ps, s, &rule->after_channels))
			return false;
		return true;
	case RULE_STATE:
		if (!known_keys(ps, r, state_keys))
			return false;
		if (!(s = config_setting_get_member(r, "states")) || config_setting_length(s) == 0)
			return fail(ps, r, "rule %s needs states = [\"dispute\", ...]", id);
		if (config_setting_length(s) > MAX_STATES)
			return fail(ps, s, "states: at most %d states", MAX_STATES);
		for (int i = 0; i < config_setting_length(s); i++) {
			const char *v = config_setting_get_string_elem(s, (unsigned)i);

			if (!v || !*v)
				return fail(ps, s, "states: must be a list of strings");
			rule->states[rule->nstates++] = xstrdup(v);
		}
		return true;
	case RULE_CONSENT:
	case RULE_OPTOUT:
		return known_keys(ps, r, plain_keys);
	}
	return true;
}

struct policy *policy_parse(const char *text, const char *name, const char *holidays, char *err, size_t errlen)
{
	struct parse ps = { name, err, errlen };
	struct policy *p = xcalloc(1, sizeof *p);
	config_t cf;
	const config_setting_t *list;
	bool ok = false;

	config_init(&cf);
	if (!conf_numbers_check(text, name, err, errlen))
		goto out;
	if (!config_read_string(&cf, text)) {
		snprintf(err, errlen, "%s:%d: %s", name, config_error_line(&cf), config_error_text(&cf));
		goto out;
	}
	for (int i = 0; i < config_setting_length(config_root_setting(&cf)); i++) {
		const config_setting_t *s = config_setting_get_elem(config_root_setting(&cf), (unsigned)i);

		if (strcmp(config_setting_name(s), "jurisdictions") && strcmp(config_setting_name(s), "holidays") &&
		    strcmp(config_setting_name(s), "version")) {
			fail(&ps, s, "%s: unknown setting (jurisdictions, holidays, version)", config_setting_name(s));
			goto out;
		}
	}
	if (!(list = config_lookup(&cf, "jurisdictions")) || config_setting_type(list) != CONFIG_TYPE_LIST) {
		fail(&ps, list, "jurisdictions = ( { id = \"CO\"; ... }, ... ); is required");
		goto out;
	}
	p->nj = config_setting_length(list);
	p->j = xcalloc((size_t)p->nj, sizeof *p->j);
	for (int i = 0; i < p->nj; i++) {
		const config_setting_t *js = config_setting_get_elem(list, (unsigned)i), *rules;
		struct jur *j = &p->j[i];
		const char *id = NULL, *jname = NULL, *parent = NULL;

		if (!config_setting_lookup_string(js, "id", &id) || !holiday_id_ok(id)) {
			fail(&ps, js, "jurisdiction needs id = \"CC\" or \"CC-RR\" (ISO 3166), or \"*\" for every one");
			goto out;
		}
		if (policy_find_jur(p, id)) {
			fail(&ps, js, "jurisdiction %s appears twice", id);
			goto out;
		}
		snprintf(j->id, sizeof j->id, "%s", id);
		config_setting_lookup_string(js, "name", &jname);
		snprintf(j->name, sizeof j->name, "%s", jname ? jname : id);
		if (config_setting_lookup_string(js, "parent", &parent))
			snprintf(j->parent_id, sizeof j->parent_id, "%s", parent);
		else if (strcmp(id, "*") != 0)
			snprintf(j->parent_id, sizeof j->parent_id, "*");
		for (int k = 0; k < config_setting_length(js); k++) {
			const char *key = config_setting_name(config_setting_get_elem(js, (unsigned)k));

			if (strcmp(key, "id") && strcmp(key, "name") && strcmp(key, "parent") && strcmp(key, "rules")) {
				fail(&ps, config_setting_get_elem(js, (unsigned)k), "%s: unknown setting for a jurisdiction", key);
				goto out;
			}
		}
		if (!(rules = config_setting_get_member(js, "rules")) || config_setting_type(rules) != CONFIG_TYPE_LIST) {
			fail(&ps, js, "jurisdiction %s needs rules = ( ... );", id);
			goto out;
		}
		j->nrules = config_setting_length(rules);
		j->rules = xcalloc((size_t)j->nrules, sizeof *j->rules);
		for (int k = 0; k < j->nrules; k++) {
			j->rules[k].owner = j;
			if (!parse_rule(&ps, config_setting_get_elem(rules, (unsigned)k), &j->rules[k]))
				goto out;
			if (!strcmp(j->rules[k].id, policy_calendar_rule.id)) {
				fail(&ps, config_setting_get_elem(rules, (unsigned)k),
				     "rule id %s is cobro's own (a day whose holidays are unknown): choose another",
				     policy_calendar_rule.id);
				goto out;
			}
			/* Rule ids are unique across the file: a refusal names one rule. */
			for (int a = 0; a <= i; a++)
				for (int b = 0; b < (a == i ? k : p->j[a].nrules); b++)
					if (!strcmp(p->j[a].rules[b].id, j->rules[k].id)) {
						fail(&ps, config_setting_get_elem(rules, (unsigned)k), "rule id %s is used twice",
						     j->rules[k].id);
						goto out;
					}
		}
	}
	for (int i = 0; i < p->nj; i++) {
		struct jur *j = &p->j[i];

		if (j->parent_id[0]) {
			const config_setting_t *js = config_setting_get_elem(list, (unsigned)i);

			if (!(j->parent = policy_find_jur(p, j->parent_id))) {
				fail(&ps, js, "jurisdiction %s: parent %s is not defined", j->id, j->parent_id);
				goto out;
			}
			int depth = 1;

			for (const struct jur *a = j->parent; a; a = a->parent, depth++)
				if (a == j || depth >= 7) {
					fail(&ps, js, a == j ? "jurisdiction %s: its parents form a loop"
					                     : "jurisdiction %s: more than 6 levels of parents", j->id);
					goto out;
				}
		}
	}
	/* Calendars of jurisdictions without rules change nothing: kept, unused. */
	if (holidays && !(p->calendars = holiday_set_parse(holidays, "holidays", err, errlen)))
		goto out;
	for (int i = 0; i < p->nj; i++)
		p->j[i].cal = holiday_set_find(p->calendars, p->j[i].id);
	ok = true;
out:
	config_destroy(&cf);
	if (!ok) {
		policy_free(p);
		return NULL;
	}
	return p;
}

void policy_free(struct policy *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->nj; i++) {
		for (int k = 0; k < p->j[i].nrules; k++) {
			free(p->j[i].rules[k].source);
			free(p->j[i].rules[k].note);
			for (int s = 0; s < p->j[i].rules[k].nstates; s++)
				free(p->j[i].rules[k].states[s]);
		}
		free(p->j[i].rules);
	}
	holiday_set_free(p->calendars);
	free(p->j);
	free(p);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Each file is checked alone, so that errors name it and its own lines;
 * then they are joined, each after a comment naming it, into the one text a
 * policy version stores. */
char *policy_holidays_read(const char *dir, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL, **ids = NULL;
	size_t n = 0, nids = 0;
	struct buf out = { 0 };
	bool ok = false;

	if (!d) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return NULL;
	}
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);

		if ((len > 5 && !strcmp(e->d_name + len - 5, ".conf")) || (len > 4 && !strcmp(e->d_name + len - 4, ".txt"))) {
			names = xrealloc(names, (n + 1) * sizeof *names);
			names[n++] = xstrdup(e->d_name);
		}
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_str);
	buf_puts(&out, "");
	for (size_t i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]), *text = NULL;
		size_t len = 0;
		struct holiday_set *set = NULL;

		if (!strcmp(names[i] + strlen(names[i]) - 4, ".txt"))
			snprintf(err, errlen, "%s: dated calendars (JUR-YEAR.txt) are no longer read: a calendar is its rules, "
			         "JUR.conf (docs/compliance.md)", path);
		else if (!(text = read_text_file(path, &len, err, errlen)))
			;
		else if (strlen(text) != len)
			snprintf(err, errlen, "%s: a NUL byte at offset %zu; a calendar is text", path, strlen(text));
		else if (holiday_dated(text))
			snprintf(err, errlen, "%s: dated lines are read only from policy versions stored before calendars "
			         "had rules: write the calendar's rules (docs/compliance.md)", path);
		else
			set = holiday_set_parse(text, path, err, errlen);
		for (int k = 0; set && k < holiday_set_count(set); k++) {
			const char *id = holiday_cal_id(holiday_set_at(set, k));

			for (size_t a = 0; a < nids; a++)
				if (!strcmp(ids[a], id)) {
					snprintf(err, errlen, "%s: a calendar for %s is defined twice in %s", path, id, dir);
					holiday_set_free(set);
					set = NULL;
					break;
				}
			if (set) {
				ids = xrealloc(ids, (nids + 1) * sizeof *ids);
				ids[nids++] = xstrdup(id);
			}
		}
		if (set)
			buf_printf(&out, "# %s\n%s%s", names[i], text, text[0] && text[strlen(text) - 1] != '\n' ? "\n" : "");
		free(path);
		free(text);
		if (!set)
			goto out;
		holiday_set_free(set);
	}
	ok = true;
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	for (size_t i = 0; i < nids; i++)
		free(ids[i]);
	free(ids);
	if (!ok)
		buf_free(&out);
	return out.s;
}

/* ------------------------------------------------------------ locked rules */

static const struct policy_rule *find_rule(const struct policy *p, const char *id, const struct jur **owner)
{
	for (int i = 0; i < p->nj; i++)
		for (int k = 0; k < p->j[i].nrules; k++)
			if (!strcmp(p->j[i].rules[k].id, id)) {
				*owner = &p->j[i];
				return &p->j[i].rules[k];
			}
	return NULL;
}

/* Counting more events is stricter: every person > a creditor > one debt. */
static int scope_strictness(enum scope s) { return s == PER_PERSON ? 2 : s == PER_CREDITOR ? 1 : 0; }

static bool spans_within(const struct policy_rule *a, const struct policy_rule *b, int cls)
{
	for (int i = 0; i < a->nspans[cls]; i++) {
		int k;

		for (k = 0; k < b->nspans[cls]; k++)
			if (a->spans[cls][i].from >= b->spans[cls][k].from && a->spans[cls][i].to <= b->spans[cls][k].to)
				break;
		if (k == b->nspans[cls])
			return false;
	}
	return true;
}

static bool has_states(const struct policy_rule *a, const struct policy_rule *b)
{
	for (int i = 0; i < b->nstates; i++) {
		int k;

		for (k = 0; k < a->nstates && strcmp(a->states[k], b->states[i]); k++)
			;
		if (k == a->nstates)
			return false;
	}
	return true;
}

/* Why next loosens prev, or NULL when it keeps or tightens it. */
static const char *loosens(const struct policy_rule *n, const struct policy_rule *o, char *buf, size_t len)
{
	if (n->type != o->type)
		return "it changes the rule's type";
	if ((n->channels & o->channels) != o->channels)
		return "it covers fewer channels";
	switch (o->type) {
	case RULE_HOURS:
		for (int d = 0; d < DAY__COUNT; d++)
			if (!spans_within(n, o, d)) {
				snprintf(buf, len, "it allows more hours on %s", policy_day_keys[d]);
				return buf;
			}
		return NULL;
	case RULE_CAP:
	case RULE_CHANNELS:
		if (n->max > o->max) {
			snprintf(buf, len, "max %d is more than %d", n->max, o->max);
			return buf;
		}
		if (n->window != o->window || (o->window == WIN_WEEK && n->week_start != o->week_start) ||
		    (o->window == WIN_ROLLING && n->days < o->days))
			return "its window is shorter or different";
		if (scope_strictness(n->per) < scope_strictness(o->per))
			return "it counts per a narrower scope";
		if ((n->counts & o->counts) != o->counts)
			return "it counts fewer kinds of contact";
		return NULL;
	case RULE_GAP:
		if (n->days < o->days) {
			snprintf(buf, len, "a gap of %d days is less than %d", n->days, o->days);
			return buf;
		}
		if ((n->counts & o->counts) != o->counts || scope_strictness(n->per) < scope_strictness(o->per))
			return "it counts fewer contacts";
		return NULL;
	case RULE_COOLOFF:
		if (n->days < o->days) {
			snprintf(buf, len, "%d days of cooling-off is less than %d", n->days, o->days);
			return buf;
		}
		if ((n->after & o->after) != o->after || (n->after_channels & o->after_channels) != o->after_channels ||
		    scope_strictness(n->per) < scope_strictness(o->per))
			return "fewer contacts start it";
		return NULL;
	case RULE_STATE:
		return has_states(n, o) ? NULL : "it stops contact in fewer states";
	case RULE_CONSENT:
	case RULE_OPTOUT:
		return NULL;
	}
	return NULL;
}

static bool chain_has(const struct jur *j, const char *rule_id)
{
	for (; j; j = j->parent)
		for (int k = 0; k < j->nrules; k++)
			if (!strcmp(j->rules[k].id, rule_id))
				return true;
	return false;
}

/* The years the locked-rule check compares holidays over. No clock here, so
 * a span wide enough for any contact still to come; years either version
 * does not know are skipped (an unknown year refuses every contact: only a
 * known year can be loosened). */
#define LOCK_FIRST_YEAR 1970
#define LOCK_LAST_YEAR 2199

/* The holidays of j and its ancestors in year, as bits; false when they
 * cannot be known (as policy_holiday() says). */
static bool chain_year(const struct jur *j, int year, uint64_t bits[HOLIDAY_BITS_WORDS])
{
	bool any = false;

	memset(bits, 0, HOLIDAY_BITS_WORDS * sizeof *bits);
	for (; j; j = j->parent) {
		uint64_t own[HOLIDAY_BITS_WORDS];

		if (!j->cal)
			continue;
		if (!holiday_year_bits(j->cal, year, own))
			return false;
		any |= strcmp(j->id, "*") != 0;
		for (int w = 0; w < HOLIDAY_BITS_WORDS; w++)
			bits[w] |= own[w];
	}
	return any;
}

/* Whether next keeps every holiday prev gives o, in every year both know. */
static bool holidays_kept(const struct jur *o, const struct jur *n, char *err, size_t errlen)
{
	for (int y = LOCK_FIRST_YEAR; y <= LOCK_LAST_YEAR; y++) {
		uint64_t was[HOLIDAY_BITS_WORDS], is[HOLIDAY_BITS_WORDS];

		if (!chain_year(o, y, was) || !chain_year(n, y, is))
			continue;
		for (int w = 0; w < HOLIDAY_BITS_WORDS; w++) {
			uint64_t gone = was[w] & ~is[w];
			int m, d;

			if (!gone)
				continue;
			civil_from_days(days_from_civil(y, 1, 1) + w * 64 + __builtin_ctzll(gone), &y, &m, &d);
			snprintf(err, errlen, "the holiday %04d-%02d-%02d of %s is removed, which loosens its locked hours", y,
			         m, d, o->id);
			return false;
		}
	}
	return true;
}

/* A jurisdiction must keep every locked rule it inherited (a changed parent
 * would drop them), and a locked hours rule keeps its holidays: removing a
 * holiday opens a closed day as surely as widening the hours. */
static bool inheritance_kept(const struct policy *prev, const struct policy *next, char *err, size_t errlen)
{
	for (int i = 0; i < prev->nj; i++) {
		const struct jur *o = &prev->j[i], *n = policy_find_jur(next, o->id);
		bool locked_hours = false;

		if (!n)
			continue; /* its own locked rules are reported as removed */
		for (const struct jur *a = o; a; a = a->parent)
			for (int k = 0; k < a->nrules; k++) {
				const struct policy_rule *r = &a->rules[k];

				if (!r->locked)
					continue;
				locked_hours |= r->type == RULE_HOURS;
				/* Its own rules are checked one by one below. */
				if (a != o && !chain_has(n, r->id)) {
					snprintf(err, errlen, "rule %s is locked: jurisdiction %s no longer inherits it from %s",
					         r->id, o->id, a->id);
					return false;
				}
			}
		if (locked_hours && !holidays_kept(o, n, err, errlen))
			return false;
	}
	return true;
}

bool policy_check_locks(const struct policy *prev, const struct policy *next, char *err, size_t errlen)
{
	{
	for (int i = 0; i < prev->nj; i++)
		for (int k = 0; k < prev->j[i].nrules; k++) {
			const struct policy_rule *o = &prev->j[i].rules[k], *n;
			const struct jur *owner;
			const char *why;
			char buf[128];

			if (!o->locked)
				continue;
			if (!(n = find_rule(next, o->id, &owner))) {
				snprintf(err, errlen, "rule %s (%s) is locked: it cannot be removed", o->id, prev->j[i].id);
				return false;
			}
			if (strcmp(owner->id, prev->j[i].id) != 0) {
				snprintf(err, errlen, "rule %s is locked: it cannot move from %s to %s", o->id, prev->j[i].id,
				         owner->id);
				return false;
			}
			if (!n->locked) {
				snprintf(err, errlen, "rule %s is locked: it cannot be unlocked", o->id);
				return false;
			}
			if ((why = loosens(n, o, buf, sizeof buf))) {
				snprintf(err, errlen, "rule %s is locked and may only be tightened: %s", o->id, why);
				return false;
			}
		}
	}
	return inheritance_kept(prev, next, err, errlen);
}

/* ---------------------------------------------------------------- showing */

static void describe(const struct policy_rule *r, char *out, size_t n)
{
	char chans[64], spans[96], kinds[96] = "";
	size_t len = 0;

	if (r->channels == CH_ALL)
		snprintf(chans, sizeof chans, "all channels");
	else {
		size_t l = 0;

		for (int c = 0; c < CH__COUNT; c++)
			if (r->channels & 1u << c)
				l += (size_t)snprintf(chans + l, sizeof chans - l, "%s%s", l ? "," : "", channel_name((enum channel)c));
	}
	for (int k = 0, l = 0; k < KIND__COUNT; k++)
		if (r->counts & 1u << k)
			l += snprintf(kinds + l, sizeof kinds - (size_t)l, "%s%s", l ? "," : "", kind_name((enum contact_kind)k));
	switch (r->type) {
	case RULE_HOURS:
		len = (size_t)snprintf(out, n, "hours (%s):", chans);
		for (int d = 0; d < DAY__COUNT && len < n; d++) {
			size_t sl = 0;

			spans[0] = '\0';
			for (int i = 0; i < r->nspans[d]; i++)
				sl += (size_t)snprintf(spans + sl, sizeof spans - sl, "%s%02d:%02d-%02d:%02d", i ? "," : "",
				                       r->spans[d][i].from / 60, r->spans[d][i].from % 60, r->spans[d][i].to / 60,
				                       r->spans[d][i].to % 60);
			len += (size_t)snprintf(out + len, n - len, " %.3s %s", policy_day_keys[d], sl ? spans : "closed");
		}
		return;
	case RULE_CAP:
	case RULE_CHANNELS:
		len = (size_t)snprintf(out, n, "%s: at most %d %s per %s", r->type == RULE_CAP ? "cap" : "channels", r->max,
		                       r->type == RULE_CAP ? (r->max == 1 ? "contact" : "contacts")
		                                           : (r->max == 1 ? "channel" : "distinct channels"),
		                       r->window == WIN_DAY ? "calendar day" : r->window == WIN_WEEK ? "calendar week" : "");
		if (r->window == WIN_ROLLING)
			len += (size_t)snprintf(out + len, n - len, "%d days", r->days);
		snprintf(out + len, n - len, ", per %s, counting %s, on %s",
		         r->per == PER_PERSON ? "person" : r->per == PER_DEBT ? "debt" : "creditor", kinds, chans);
		return;
	case RULE_GAP:
		snprintf(out, n, "gap: at least %d days between contacts counting %s, on %s", r->days, kinds, chans);
		return;
	case RULE_COOLOFF: {
		char after[96] = "";

		for (int k = 0, l = 0; k < KIND__COUNT; k++)
			if (r->after & 1u << k)
				l += snprintf(after + l, sizeof after - (size_t)l, "%s%s", l ? "," : "", kind_name((enum contact_kind)k));
		snprintf(out, n, "cooling-off: nothing on %s for %d days after a contact counting %s", chans, r->days, after);
		return;
	}
	case RULE_CONSENT:
		snprintf(out, n, "consent: only channels the debtor authorised (%s)", chans);
		return;
	case RULE_OPTOUT:
		snprintf(out, n, "opt-out: never a channel the debtor stopped (%s)", chans);
		return;
	case RULE_STATE:
		len = (size_t)snprintf(out, n, "states that stop contact:");
		for (int i = 0; i < r->nstates && len < n; i++)
			len += (size_t)snprintf(out + len, n - len, " %s", r->states[i]);
		return;
	}
}

static void show_rule(const struct policy_rule *r, bool inherited, void (*out)(const char *line, void *arg),
                      void *arg)
{
	char d[512], line[768], id[128], blank[16];

	/* The id's column is padded by display cells, not bytes. */
	describe(r, d, sizeof d);
	text_pad(id, sizeof id, r->id, 14, false);
	snprintf(line, sizeof line, "  %s %s%s  [%s]%s", id, d, inherited ? " (inherited)" : "",
	         r->source ? r->source : "company policy", r->locked ? " locked" : "");
	out(line, arg);
	if (r->note) {
		snprintf(line, sizeof line, "  %s note: %s", text_pad(blank, sizeof blank, "", 14, false), r->note);
		out(line, arg);
	}
}

/* Which calendars give a jurisdiction its holidays, and the years they know. */
static void show_calendars(const struct jur *j, char *out, size_t n)
{
	size_t len = (size_t)snprintf(out, n, "holidays: ");
	bool any = false;

	for (const struct jur *a = j; a && len < n; a = a->parent)
		if (a->cal) {
			char d[160];

			holiday_describe(a->cal, d, sizeof d);
			len += (size_t)snprintf(out + len, n - len, "%s%s", any ? "; " : "", d);
			any |= strcmp(a->id, "*") != 0;
		}
	if (!strcmp(j->id, "*") && !j->cal)
		snprintf(out + len, n - len, "none of its own");
	else if (!any)
		snprintf(out + len, n - len, "%sno calendar, so its hours rules refuse every contact (%s)",
		         j->cal ? "; " : "", policy_calendar_rule.id);
}

/* One jurisdiction (with what it inherits) or all of them (their own rules). */
void policy_show(const struct policy *p, const char *jurisdiction, void (*out)(const char *line, void *arg), void *arg)
{
	for (int i = 0; i < p->nj; i++) {
		const struct jur *j = &p->j[i];
		char line[512], cals[400];

		if (jurisdiction && strcmp(jurisdiction, j->id) != 0)
			continue;
		show_calendars(j, cals, sizeof cals);
		snprintf(line, sizeof line, "%s  %s%s%s  (%s)", j->id, j->name, j->parent ? "  inherits " : "",
		         j->parent ? j->parent->id : "", cals);
		out(line, arg);
		for (const struct jur *a = j; a; a = jurisdiction ? a->parent : NULL)
			for (int k = 0; k < a->nrules; k++)
				show_rule(&a->rules[k], a != j, out, arg);
	}
}

int policy_holidays(const struct policy *p, const char *jurisdiction, int year, struct holiday **out, char *err,
                    size_t errlen)
{
	const struct jur *j = strcmp(jurisdiction, "*") ? policy_find_jur(p, jurisdiction) : NULL;
	const char *who = NULL;
	struct holiday *all = NULL;
	int n = 0;

	*out = NULL;
	if (!j) {
		snprintf(err, errlen, "no rules for jurisdiction \"%s\"", jurisdiction);
		return -2;
	}
	/* Known exactly when the engine knows the year's days. */
	if (year < ALMANAC_FIRST_YEAR || year > ALMANAC_LAST_YEAR ||
	    policy_holiday(j, days_from_civil(year, 1, 1), &who) < 0) {
		snprintf(err, errlen, "no holiday calendar for %s %d", who ? who : jurisdiction, year);
		return -1;
	}
	for (const struct jur *a = j; a; a = a->parent) {
		struct holiday *h;
		int k;

		if (!a->cal || (k = holiday_list(a->cal, year, &h)) <= 0)
			continue;
		all = xrealloc(all, (size_t)(n + k) * sizeof *all);
		memcpy(all + n, h, (size_t)k * sizeof *h);
		free(h);
		n += k;
	}
	*out = all;
	return holiday_sort(all, n);
}
