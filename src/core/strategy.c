/* etc/strategy.conf parsed and checked (strategy.h, docs/strategies.md).
 * Every mistake is reported with the line it is on, and any mistake
 * refuses the whole file: a strategy runs by itself every day, so half of
 * one must never be taken for the whole. */
#include "strategy.h"

#include <ctype.h>
#include <dirent.h>
#include <libconfig.h>
#include <libintl.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confnum.h"
#include "template.h"
#include "util.h"

/* The core has no textdomain of its own: the programs bind "cobro". */
#define _(s) dgettext("cobro", s)

static const char *const channel_names[STRATEGY_CHANNELS] = {
	[STRATEGY_SMS] = "sms",           [STRATEGY_EMAIL] = "email",   [STRATEGY_WHATSAPP] = "whatsapp",
	[STRATEGY_WORKLIST] = "worklist", [STRATEGY_LETTER] = "letter", [STRATEGY_AGENCY] = "agency",
};

const char *strategy_channel_name(enum strategy_channel c)
{
	return (unsigned)c < STRATEGY_CHANNELS ? channel_names[c] : "?";
}

bool strategy_channel_parse(const char *s, int len, enum strategy_channel *out)
{
	size_t n;

	if (!s)
		return false;
	n = len < 0 ? strlen(s) : (size_t)len;
	for (int c = 0; c < STRATEGY_CHANNELS; c++) {
		if (strlen(channel_names[c]) == n && !memcmp(channel_names[c], s, n)) {
			*out = (enum strategy_channel)c;
			return true;
		}
	}
	return false;
}

bool strategy_channel_is_message(enum strategy_channel c)
{
	return c == STRATEGY_SMS || c == STRATEGY_EMAIL || c == STRATEGY_WHATSAPP || c == STRATEGY_LETTER;
}

const char *strategy_reaction_name(enum strategy_reaction r)
{
	return r == STRATEGY_STOP ? "stop" : r == STRATEGY_PAUSE ? "pause" : "continue";
}

/* ---------------------------------------------------------------- templates */

void strategy_templates_add(struct strategy_templates *t, const char *code, enum strategy_channel channel)
{
	if (strategy_templates_has(t, code, channel))
		return;
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16;
		t->v = xrealloc(t->v, t->cap * sizeof *t->v);
	}
	snprintf(t->v[t->n].code, sizeof t->v[t->n].code, "%s", code);
	t->v[t->n].channel = channel;
	t->n++;
}

bool strategy_templates_has(const struct strategy_templates *t, const char *code, enum strategy_channel channel)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].channel == channel && !strcmp(t->v[i].code, code))
			return true;
	return false;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

bool strategy_templates_from_dir(const char *dir, struct strategy_templates *out, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	bool ok = true;

	if (!d) {
		snprintf(err, errlen, "%s: %m", dir);
		return false;
	}
	/* In name order, so that the first bad file reported is always the same. */
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);

		if (len < 5 || strcmp(e->d_name + len - 4, ".tpl"))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			names = xrealloc(names, cap * sizeof *names);
		}
		names[n++] = xasprintf("%s/%s", dir, e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, name_cmp);
	for (size_t i = 0; i < n && ok; i++) {
		struct template_def def;
		enum strategy_channel c;
		char *text = read_text_file(names[i], NULL, err, errlen);

		if (!text) {
			ok = false;
			break;
		}
		ok = template_parse_file(names[i], text, &def, err, errlen);
		free(text);
		if (!ok)
			break;
		if (strategy_channel_parse(def.channel, -1, &c))
			strategy_templates_add(out, def.code, c);
		template_def_free(&def);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return ok;
}

void strategy_templates_free(struct strategy_templates *t)
{
	free(t->v);
	memset(t, 0, sizeof *t);
}

void strategy_errors_free(struct strategy_errors *e)
{
	for (int i = 0; i < e->n; i++)
		free(e->v[i]);
	memset(e, 0, sizeof *e);
}

/* ---------------------------------------------------------------- parsing */

struct parse {
	const char *file;
	struct strategy_errors *errs;
	const struct strategy_templates *known;
	struct strategy *st;
};

static int line_of(const config_setting_t *s)
{
	int line = s ? (int)config_setting_source_line(s) : 0;

	return line > 0 ? line : 1;
}

__attribute__((format(printf, 3, 4))) static void fail(struct parse *ps, const config_setting_t *s, const char *fmt,
                                                        ...)
{
	char msg[400];
	va_list ap;

	if (ps->errs->n == STRATEGY_MAX_ERRORS) {
		ps->errs->more++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	ps->errs->v[ps->errs->n++] = xasprintf("%s:%d: %s", ps->file, line_of(s), msg);
}

static bool failed(const struct parse *ps)
{
	return ps->errs->n > 0 || ps->errs->more > 0;
}

static bool name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > STRATEGY_NAME_MAX || !isalnum((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-')
			return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

/* Every member of group g is one of the names given (NULL-terminated list). */
static void only_known(struct parse *ps, const config_setting_t *g, const char *what, const char *const *known)
{
	struct buf list = { 0 };

	for (int i = 0; known[i]; i++)
		buf_printf(&list, "%s%s", i ? ", " : "", known[i]);
	for (int k = 0; k < config_setting_length(g); k++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)k);
		const char *key = config_setting_name(s);
		bool ok = false;

		for (int i = 0; known[i] && !ok; i++)
			ok = key && !strcmp(key, known[i]);
		if (!ok)
			fail(ps, s, _("%s: unknown setting in %s (%s)"), key ? key : "?", what, list.s);
	}
	buf_free(&list);
}

/* An integer setting of g: *out untouched when absent (returns false then). */
static bool get_int(struct parse *ps, const config_setting_t *g, const char *key, int min, int max, int *out)
{
	const config_setting_t *s = config_setting_get_member(g, key);
	long long v;

	if (!s)
		return false;
	if (config_setting_type(s) != CONFIG_TYPE_INT && config_setting_type(s) != CONFIG_TYPE_INT64) {
		fail(ps, s, _("%s: a whole number is expected"), key);
		return false;
	}
	v = config_setting_get_int64(s);
	if (v < min || v > max) {
		fail(ps, s, _("%s: out of range (%d to %d): %lld"), key, min, max, v);
		return false;
	}
	*out = (int)v;
	return true;
}

/* A string setting of g; NULL when absent or not a string (said). */
static const char *get_str(struct parse *ps, const config_setting_t *g, const char *key)
{
	const config_setting_t *s = config_setting_get_member(g, key);

	if (!s)
		return NULL;
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		fail(ps, s, _("%s: a string in double quotes is expected"), key);
		return NULL;
	}
	return config_setting_get_string(s);
}

/* "12", "0.05", "1500.5": at most 6 decimals, not negative, into millionths. */
static bool decimal_micro(const char *s, long long *out)
{
	long long whole = 0, frac = 0;
	int digits = 0, decimals = 0;
	const char *p = s;

	while (isdigit((unsigned char)*p)) {
		if (whole > 999999999999LL)
			return false;
		whole = whole * 10 + (*p++ - '0');
		digits++;
	}
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p)) {
			if (++decimals > 6)
				return false;
			frac = frac * 10 + (*p++ - '0');
		}
		if (decimals == 0)
			return false;
	}
	if (*p || digits == 0)
		return false;
	while (decimals++ < 6)
		frac *= 10;
	*out = whole * 1000000 + frac;
	return true;
}

/* An amount written as a decimal string (or a whole number). */
static bool get_amount(struct parse *ps, const config_setting_t *g, const char *key, long long *out)
{
	const config_setting_t *s = config_setting_get_member(g, key);

	if (!s)
		return false;
	if (config_setting_type(s) == CONFIG_TYPE_INT || config_setting_type(s) == CONFIG_TYPE_INT64) {
		long long v = config_setting_get_int64(s);

		if (v < 0 || v > 999999999999LL) {
			fail(ps, s, _("%s: out of range (0 to 999999999999): %lld"), key, v);
			return false;
		}
		*out = v * 1000000;
		return true;
	}
	if (config_setting_type(s) != CONFIG_TYPE_STRING || !decimal_micro(config_setting_get_string(s), out)) {
		fail(ps, s, _("%s: an amount is expected as a decimal string such as \"1500.50\" (at most 6 decimals)"),
		     key);
		return false;
	}
	return true;
}

/* A list of strings ["a", "b"] (or one string) into a malloc'd array. */
static bool get_strings(struct parse *ps, const config_setting_t *g, const char *key, char ***out, int *n)
{
	const config_setting_t *s = config_setting_get_member(g, key);
	int len;

	*out = NULL;
	*n = 0;
	if (!s)
		return false;
	if (config_setting_type(s) == CONFIG_TYPE_STRING) {
		*out = xcalloc(1, sizeof **out);
		(*out)[0] = xstrdup(config_setting_get_string(s));
		*n = 1;
		return true;
	}
	if (config_setting_type(s) != CONFIG_TYPE_ARRAY && config_setting_type(s) != CONFIG_TYPE_LIST) {
		fail(ps, s, _("%s: a list of strings such as [\"a\", \"b\"] is expected"), key);
		return false;
	}
	len = config_setting_length(s);
	if (len == 0) {
		fail(ps, s, _("%s: the list is empty (leave the setting out to mean any)"), key);
		return false;
	}
	*out = xcalloc((size_t)len, sizeof **out);
	for (int i = 0; i < len; i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);

		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			fail(ps, e, _("%s: a list of strings such as [\"a\", \"b\"] is expected"), key);
			return true; /* what was read is freed with the rest */
		}
		(*out)[(*n)++] = xstrdup(config_setting_get_string(e));
	}
	return true;
}

static void free_strings(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static bool is_list(const config_setting_t *s)
{
	return s && (config_setting_type(s) == CONFIG_TYPE_LIST || config_setting_type(s) == CONFIG_TYPE_ARRAY);
}

static bool is_group(const config_setting_t *s)
{
	return s && config_setting_type(s) == CONFIG_TYPE_GROUP;
}

/* A name setting of g, checked; false (said) when missing or wrong. */
static bool get_name(struct parse *ps, const config_setting_t *g, const char *what, char *out)
{
	const char *v = get_str(ps, g, "name");

	if (!config_setting_get_member(g, "name")) {
		fail(ps, g, _("%s: name = \"...\" is required"), what);
		return false;
	}
	if (!v)
		return false;
	if (!name_ok(v)) {
		fail(ps, config_setting_get_member(g, "name"),
		     _("%s name \"%s\": letters, digits, _ and -, starting with a letter or digit, at most %d"), what, v,
		     STRATEGY_NAME_MAX);
		return false;
	}
	snprintf(out, STRATEGY_NAME_MAX + 1, "%s", v);
	return true;
}

static void parse_settings(struct parse *ps, const config_setting_t *g)
{
	static const char *const keys[] = { "catch_up_days", "attribution_days", "cost_currency", NULL };
	struct strategy_settings *set = &ps->st->settings;
	const char *cur;

	if (!is_group(g)) {
		fail(ps, g, _("settings = { catch_up_days = 2; ... }; a group is expected"));
		return;
	}
	only_known(ps, g, "settings", keys);
	get_int(ps, g, "catch_up_days", 0, 60, &set->catch_up_days);
	get_int(ps, g, "attribution_days", 0, 365, &set->attribution_days);
	cur = get_str(ps, g, "cost_currency");
	if (cur) {
		if (strlen(cur) != 3 || !isupper((unsigned char)cur[0]) || !isupper((unsigned char)cur[1]) ||
		    !isupper((unsigned char)cur[2]))
			fail(ps, config_setting_get_member(g, "cost_currency"),
			     _("cost_currency: \"%s\" is not a currency code such as \"USD\" (ISO 4217)"), cur);
		else
			snprintf(set->cost_currency, sizeof set->cost_currency, "%s", cur);
	}
}

static void parse_channels(struct parse *ps, const config_setting_t *g)
{
	static const char *const keys[] = { "cost", "rate", NULL };

	if (!is_group(g)) {
		fail(ps, g, _("channels = { sms = { cost = \"0.05\"; rate = 50.0; }; ... }; a group is expected"));
		return;
	}
	for (int i = 0; i < config_setting_length(g); i++) {
		const config_setting_t *c = config_setting_get_elem(g, (unsigned)i), *rate;
		const char *name = config_setting_name(c);
		enum strategy_channel ch;
		struct strategy_channel_cost *cc;

		if (!strategy_channel_parse(name, -1, &ch)) {
			fail(ps, c, _("unknown channel \"%s\" (sms, email, whatsapp, worklist, letter, agency)"), name);
			continue;
		}
		cc = &ps->st->channels[ch];
		cc->given = true;
		cc->line = line_of(c);
		if (!is_group(c)) {
			fail(ps, c, _("%s: a group { cost = \"0.05\"; rate = 50.0; } is expected"), name);
			continue;
		}
		only_known(ps, c, name, keys);
		if (!config_setting_get_member(c, "cost"))
			fail(ps, c, _("%s: cost = \"0.05\" is required (the cost of one message or account, in "
			              "settings.cost_currency)"),
			     name);
		else
			get_amount(ps, c, "cost", &cc->micro);
		rate = config_setting_get_member(c, "rate");
		if (rate) {
			if (config_setting_type(rate) != CONFIG_TYPE_INT && config_setting_type(rate) != CONFIG_TYPE_FLOAT)
				fail(ps, rate, _("%s: rate: a number of messages per second is expected"), name);
			else if (!strategy_channel_is_message(ch))
				fail(ps, rate, _("%s: rate: only message channels (sms, email, whatsapp, letter) have a rate"),
				     name);
			else {
				cc->rate = config_setting_get_float(rate);
				if (config_setting_type(rate) == CONFIG_TYPE_INT)
					cc->rate = config_setting_get_int(rate);
				if (!(cc->rate > 0 && cc->rate <= 100000))
					fail(ps, rate, _("%s: rate: %g is out of range (above 0, at most 100000)"), name,
					     cc->rate);
			}
		}
	}
	if (config_setting_length(g) > 0 && !ps->st->settings.cost_currency[0])
		fail(ps, g, _("channels: their costs need settings.cost_currency = \"USD\" (or another ISO 4217 code)"));
}

static void parse_agencies(struct parse *ps, const config_setting_t *l)
{
	static const char *const keys[] = { "name", "file", NULL };
	struct strategy *st = ps->st;

	if (!is_list(l)) {
		fail(ps, l, _("agencies = ( { name = \"...\"; file = \"...\"; } ); a list is expected"));
		return;
	}
	st->agencies = xcalloc((size_t)config_setting_length(l) + 1, sizeof *st->agencies);
	for (int i = 0; i < config_setting_length(l); i++) {
		const config_setting_t *g = config_setting_get_elem(l, (unsigned)i);
		struct strategy_agency *a = &st->agencies[st->nagencies];
		const char *file;

		if (!is_group(g)) {
			fail(ps, g, _("each agency is a group { name = \"...\"; file = \"...\"; }"));
			continue;
		}
		only_known(ps, g, _("agency"), keys);
		a->line = line_of(g);
		if (!get_name(ps, g, _("agency"), a->name))
			continue;
		for (int k = 0; k < st->nagencies; k++)
			if (!strcmp(st->agencies[k].name, a->name))
				fail(ps, g, _("agency \"%s\" is defined twice (first on line %d)"), a->name,
				     st->agencies[k].line);
		file = get_str(ps, g, "file");
		if (!config_setting_get_member(g, "file"))
			fail(ps, g, _("agency \"%s\": file = \"var/placements/NAME-%%Y%%m%%d.csv\" is required"), a->name);
		else if (file && !*file)
			fail(ps, config_setting_get_member(g, "file"), _("agency \"%s\": file is empty"), a->name);
		a->file = xstrdup(file ? file : "");
		st->nagencies++;
	}
}

static bool get_reaction(struct parse *ps, const config_setting_t *g, const char *key, enum strategy_reaction *out)
{
	const char *v = get_str(ps, g, key);

	if (!v)
		return false;
	if (!strcmp(v, "stop"))
		*out = STRATEGY_STOP;
	else if (!strcmp(v, "pause"))
		*out = STRATEGY_PAUSE;
	else if (!strcmp(v, "continue"))
		*out = STRATEGY_CONTINUE;
	else {
		fail(ps, config_setting_get_member(g, key), _("%s: \"%s\" is not stop, pause or continue"), key, v);
		return false;
	}
	return true;
}

/* What a step does (channel, template, assign, agency), common to a
 * ladder's steps and its promise steps. what names it in messages. */
static void parse_step_action(struct parse *ps, const config_setting_t *g, const char *what, struct strategy_step *st)
{
	const char *channel = get_str(ps, g, "channel"), *tpl = get_str(ps, g, "template");
	const char *assign = get_str(ps, g, "assign"), *agency = get_str(ps, g, "agency");

	if (!config_setting_get_member(g, "channel")) {
		fail(ps, g, _("%s: channel = \"sms\" is required (sms, email, whatsapp, worklist, letter, agency)"), what);
		return;
	}
	if (!channel)
		return;
	if (!strategy_channel_parse(channel, -1, &st->channel)) {
		fail(ps, config_setting_get_member(g, "channel"),
		     _("%s: unknown channel \"%s\" (sms, email, whatsapp, worklist, letter, agency)"), what, channel);
		return;
	}
	if (strategy_channel_is_message(st->channel)) {
		if (!config_setting_get_member(g, "template"))
			fail(ps, g, _("%s: a %s step needs template = \"CODE\""), what, channel);
		else if (tpl && ps->known && !strategy_templates_has(ps->known, tpl, st->channel))
			fail(ps, config_setting_get_member(g, "template"), _("%s: unknown template \"%s\" for channel %s"),
			     what, tpl, channel);
		if (tpl)
			snprintf(st->template_code, sizeof st->template_code, "%s", tpl);
	} else if (config_setting_get_member(g, "template")) {
		fail(ps, config_setting_get_member(g, "template"), _("%s: a %s step sends no template"), what, channel);
	}
	if (st->channel == STRATEGY_WORKLIST) {
		st->assign.kind = STRATEGY_ASSIGN_POOL;
		if (assign) {
			if (!strcmp(assign, "pool"))
				st->assign.kind = STRATEGY_ASSIGN_POOL;
			else if (!strcmp(assign, "least_loaded"))
				st->assign.kind = STRATEGY_ASSIGN_LEAST_LOADED;
			else if (!strncmp(assign, "agent:", 6) && assign[6] && strlen(assign + 6) < sizeof st->assign.login) {
				st->assign.kind = STRATEGY_ASSIGN_AGENT;
				snprintf(st->assign.login, sizeof st->assign.login, "%s", assign + 6);
			} else
				fail(ps, config_setting_get_member(g, "assign"),
				     _("%s: assign = \"%s\" is not \"pool\", \"least_loaded\" or \"agent:LOGIN\""), what, assign);
		}
	} else if (config_setting_get_member(g, "assign")) {
		fail(ps, config_setting_get_member(g, "assign"), _("%s: only a worklist step assigns"), what);
	}
	if (st->channel == STRATEGY_AGENCY) {
		if (!config_setting_get_member(g, "agency"))
			fail(ps, g, _("%s: an agency step needs agency = \"NAME\" (one of agencies)"), what);
		else if (agency) {
			for (int k = 0; k < ps->st->nagencies; k++)
				if (!strcmp(ps->st->agencies[k].name, agency))
					st->agency = k;
			if (st->agency < 0)
				fail(ps, config_setting_get_member(g, "agency"), _("%s: unknown agency \"%s\""), what, agency);
		}
	} else if (config_setting_get_member(g, "agency")) {
		fail(ps, config_setting_get_member(g, "agency"), _("%s: only an agency step names an agency"), what);
	}
}

static void parse_step(struct parse *ps, const config_setting_t *g, struct strategy_ladder *l, struct strategy_step *st)
{
	static const char *const keys[] = { "name",  "due",    "dpd", "channel", "template", "assign",
		                            "agency", "unless_reply_days", NULL };
	const config_setting_t *due = config_setting_get_member(g, "due"), *dpd = config_setting_get_member(g, "dpd");
	char what[120];

	st->line = line_of(g);
	st->agency = -1;
	st->unless_reply_days = -1;
	only_known(ps, g, _("step"), keys);
	if (!get_name(ps, g, _("step"), st->name))
		snprintf(st->name, sizeof st->name, "?");
	else if (!strcmp(st->name, STRATEGY_PROMISE_REMINDER) || !strcmp(st->name, STRATEGY_BROKEN_PROMISE))
		fail(ps, config_setting_get_member(g, "name"),
		     _("step \"%s\": the name is the ladder's own %s step's; choose another"), st->name, st->name);
	snprintf(what, sizeof what, _("ladder %s, step %s"), l->name, st->name);
	if (due && dpd)
		fail(ps, g, _("%s: both due and dpd are given; a step counts from one of them"), what);
	else if (!due && !dpd)
		fail(ps, g, _("%s: due = N (days from the due date) or dpd = N (days past due) is required"), what);
	else if (due) {
		st->kind = STRATEGY_STEP_DUE;
		get_int(ps, g, "due", -365, 365, &st->offset);
	} else {
		st->kind = STRATEGY_STEP_DPD;
		get_int(ps, g, "dpd", 1, 3650, &st->offset);
	}
	get_int(ps, g, "unless_reply_days", 1, 365, &st->unless_reply_days);
	parse_step_action(ps, g, what, st);
}

static void parse_promise_step(struct parse *ps, const config_setting_t *g, struct strategy_ladder *l, bool reminder)
{
	static const char *const reminder_keys[] = { "days_before", "channel", "template", "assign", "agency", NULL };
	static const char *const broken_keys[] = { "channel", "template", "assign", "agency", NULL };
	struct strategy_step *st = reminder ? &l->promise_reminder : &l->broken_promise;
	char what[120];

	st->line = line_of(g);
	st->agency = -1;
	st->unless_reply_days = -1;
	snprintf(st->name, sizeof st->name, "%s", reminder ? STRATEGY_PROMISE_REMINDER : STRATEGY_BROKEN_PROMISE);
	snprintf(what, sizeof what, _("ladder %s, %s"), l->name, st->name);
	if (!is_group(g)) {
		fail(ps, g, _("%s: a group { channel = \"sms\"; template = \"...\"; } is expected"), what);
		return;
	}
	only_known(ps, g, st->name, reminder ? reminder_keys : broken_keys);
	st->kind = reminder ? STRATEGY_STEP_PROMISE_REMINDER : STRATEGY_STEP_BROKEN_PROMISE;
	if (reminder && !get_int(ps, g, "days_before", 0, 60, &st->offset) && !config_setting_get_member(g, "days_before"))
		fail(ps, g, _("%s: days_before = N is required"), what);
	parse_step_action(ps, g, what, st);
	if (reminder)
		l->has_promise_reminder = true;
	else
		l->has_broken_promise = true;
}

static void parse_ladder(struct parse *ps, const config_setting_t *g, struct strategy_ladder *l)
{
	static const char *const keys[] = { "name",  "on_reply", "on_promise", "on_payment", "steps",
		                            "promise_reminder", "broken_promise", NULL };
	const config_setting_t *steps, *pr, *bp;

	l->line = line_of(g);
	l->on_reply = STRATEGY_STOP;
	l->on_promise = STRATEGY_PAUSE;
	l->on_payment = STRATEGY_STOP;
	only_known(ps, g, _("ladder"), keys);
	if (!get_name(ps, g, _("ladder"), l->name))
		snprintf(l->name, sizeof l->name, "?");
	get_reaction(ps, g, "on_reply", &l->on_reply);
	get_reaction(ps, g, "on_promise", &l->on_promise);
	get_reaction(ps, g, "on_payment", &l->on_payment);
	steps = config_setting_get_member(g, "steps");
	if (!steps) {
		fail(ps, g, _("ladder %s: steps = ( { name = \"...\"; due = -3; channel = \"sms\"; ... } ); is required"),
		     l->name);
	} else if (!is_list(steps)) {
		fail(ps, steps, _("ladder %s: steps: a list ( { ... }, { ... } ) is expected"), l->name);
	} else if (config_setting_length(steps) > STRATEGY_MAX_STEPS) {
		fail(ps, steps, _("ladder %s: too many steps (%d; at most %d)"), l->name, config_setting_length(steps),
		     STRATEGY_MAX_STEPS);
	} else {
		for (int i = 0; i < config_setting_length(steps); i++) {
			const config_setting_t *sg = config_setting_get_elem(steps, (unsigned)i);
			struct strategy_step *st = &l->steps[l->nsteps];

			if (!is_group(sg)) {
				fail(ps, sg, _("ladder %s: each step is a group { name = \"...\"; ... }"), l->name);
				continue;
			}
			parse_step(ps, sg, l, st);
			for (int k = 0; k < l->nsteps; k++)
				if (!strcmp(l->steps[k].name, st->name))
					fail(ps, sg, _("ladder %s: step \"%s\" is defined twice (first on line %d)"), l->name,
					     st->name, l->steps[k].line);
			/* Time order: every due step before every dpd step, the
			 * offsets never decreasing (due = d and dpd = d are one day). */
			if (l->nsteps > 0) {
				const struct strategy_step *prev = &l->steps[l->nsteps - 1];

				if (prev->kind == STRATEGY_STEP_DPD && st->kind == STRATEGY_STEP_DUE)
					fail(ps, sg,
					     _("ladder %s, step %s (due = %d) comes after step %s (dpd = %d): steps are "
					       "written in time order, the due steps first"),
					     l->name, st->name, st->offset, prev->name, prev->offset);
				else if (st->offset < prev->offset)
					fail(ps, sg,
					     _("ladder %s, step %s (%s = %d) comes after step %s (%s = %d): steps are written "
					       "in time order"),
					     l->name, st->name, st->kind == STRATEGY_STEP_DUE ? "due" : "dpd", st->offset,
					     prev->name, prev->kind == STRATEGY_STEP_DUE ? "due" : "dpd", prev->offset);
			}
			l->nsteps++;
		}
	}
	pr = config_setting_get_member(g, "promise_reminder");
	if (pr)
		parse_promise_step(ps, pr, l, true);
	bp = config_setting_get_member(g, "broken_promise");
	if (bp)
		parse_promise_step(ps, bp, l, false);
}

static void parse_ladders(struct parse *ps, const config_setting_t *l)
{
	struct strategy *st = ps->st;

	if (!l) {
		fail(ps, NULL, _("ladders = ( { name = \"...\"; steps = ( ... ); } ); is required"));
		return;
	}
	if (!is_list(l)) {
		fail(ps, l, _("ladders: a list ( { ... }, { ... } ) is expected"));
		return;
	}
	st->ladders = xcalloc((size_t)config_setting_length(l) + 1, sizeof *st->ladders);
	for (int i = 0; i < config_setting_length(l); i++) {
		const config_setting_t *g = config_setting_get_elem(l, (unsigned)i);
		struct strategy_ladder *ld = &st->ladders[st->nladders];

		if (!is_group(g)) {
			fail(ps, g, _("each ladder is a group { name = \"...\"; steps = ( ... ); }"));
			continue;
		}
		parse_ladder(ps, g, ld);
		for (int k = 0; k < st->nladders; k++)
			if (!strcmp(st->ladders[k].name, ld->name))
				fail(ps, g, _("ladder \"%s\" is defined twice (first on line %d)"), ld->name, st->ladders[k].line);
		st->nladders++;
	}
}

/* The ladder a segment or variant names; -1 (said) when unknown. */
static int ladder_ref(struct parse *ps, const config_setting_t *g, const char *what)
{
	const char *name = get_str(ps, g, "ladder");

	if (!name)
		return -1;
	for (int k = 0; k < ps->st->nladders; k++)
		if (!strcmp(ps->st->ladders[k].name, name))
			return k;
	fail(ps, config_setting_get_member(g, "ladder"), _("%s: unknown ladder \"%s\""), what, name);
	return -1;
}

static void parse_when(struct parse *ps, const config_setting_t *g, struct strategy_segment *seg)
{
	static const char *const keys[] = { "dpd_min",  "dpd_max",   "balance_min", "balance_max",
		                            "score_min", "score_max", "products",    "jurisdictions",
		                            "broken_promises_min", "replied_within_days", "rpc_within_days",
		                            "no_rpc_days", "value_per_cost_min", "from_segment", NULL };
	struct strategy_when *w = &seg->when;

	w->line = line_of(g);
	if (!is_group(g)) {
		fail(ps, g, _("segment %s: when = { dpd_min = 1; ... }; a group is expected"), seg->name);
		return;
	}
	only_known(ps, g, "when", keys);
	if (get_int(ps, g, "dpd_min", 0, 36500, &w->dpd_min))
		w->has |= STRATEGY_C_DPD_MIN;
	if (get_int(ps, g, "dpd_max", 0, 36500, &w->dpd_max))
		w->has |= STRATEGY_C_DPD_MAX;
	if (get_amount(ps, g, "balance_min", &w->balance_min_micro))
		w->has |= STRATEGY_C_BALANCE_MIN;
	if (get_amount(ps, g, "balance_max", &w->balance_max_micro))
		w->has |= STRATEGY_C_BALANCE_MAX;
	if (get_int(ps, g, "score_min", 0, 1000, &w->score_min))
		w->has |= STRATEGY_C_SCORE_MIN;
	if (get_int(ps, g, "score_max", 0, 1000, &w->score_max))
		w->has |= STRATEGY_C_SCORE_MAX;
	if (get_strings(ps, g, "products", &w->products, &w->nproducts))
		w->has |= STRATEGY_C_PRODUCTS;
	if (get_strings(ps, g, "jurisdictions", &w->jurisdictions, &w->njurisdictions)) {
		w->has |= STRATEGY_C_JURISDICTIONS;
		for (int i = 0; i < w->njurisdictions; i++) {
			const char *j = w->jurisdictions[i];
			bool ok = strlen(j) == 2 || (strlen(j) == 5 && j[2] == '-' && isupper((unsigned char)j[3]) &&
			                             isupper((unsigned char)j[4]));

			ok = ok && isupper((unsigned char)j[0]) && isupper((unsigned char)j[1]);
			if (!ok)
				fail(ps, config_setting_get_member(g, "jurisdictions"),
				     _("segment %s: jurisdictions: \"%s\" is not \"PE\", \"US\" or \"US-MA\" (ISO 3166)"),
				     seg->name, j);
		}
	}
	if (get_int(ps, g, "broken_promises_min", 0, 1000, &w->broken_promises_min))
		w->has |= STRATEGY_C_BROKEN_PROMISES_MIN;
	if (get_int(ps, g, "replied_within_days", 0, 3650, &w->replied_within_days))
		w->has |= STRATEGY_C_REPLIED_WITHIN;
	if (get_int(ps, g, "rpc_within_days", 0, 3650, &w->rpc_within_days))
		w->has |= STRATEGY_C_RPC_WITHIN;
	if (get_int(ps, g, "no_rpc_days", 1, 3650, &w->no_rpc_days))
		w->has |= STRATEGY_C_NO_RPC;
	if (get_amount(ps, g, "value_per_cost_min", &w->value_per_cost_min_micro)) {
		w->has |= STRATEGY_C_VALUE_PER_COST_MIN;
		if (!ps->st->channels[STRATEGY_WORKLIST].given)
			fail(ps, config_setting_get_member(g, "value_per_cost_min"),
			     _("segment %s: value_per_cost_min needs the worklist channel's cost (channels.worklist)"),
			     seg->name);
	}
	if (get_strings(ps, g, "from_segment", &w->from_segments, &w->nfrom_segments))
		w->has |= STRATEGY_C_FROM_SEGMENT;
	if ((w->has & STRATEGY_C_DPD_MIN) && (w->has & STRATEGY_C_DPD_MAX) && w->dpd_min > w->dpd_max)
		fail(ps, g, _("segment %s: dpd_min (%d) is above dpd_max (%d): no account can match"), seg->name, w->dpd_min,
		     w->dpd_max);
	if ((w->has & STRATEGY_C_SCORE_MIN) && (w->has & STRATEGY_C_SCORE_MAX) && w->score_min > w->score_max)
		fail(ps, g, _("segment %s: score_min (%d) is above score_max (%d): no account can match"), seg->name,
		     w->score_min, w->score_max);
	if ((w->has & STRATEGY_C_BALANCE_MIN) && (w->has & STRATEGY_C_BALANCE_MAX) &&
	    w->balance_min_micro > w->balance_max_micro)
		fail(ps, g, _("segment %s: balance_min is above balance_max: no account can match"), seg->name);
}

static void parse_variants(struct parse *ps, const config_setting_t *l, struct strategy_segment *seg)
{
	static const char *const keys[] = { "name", "ladder", "percent", NULL };
	int sum = 0, before = ps->errs->n + ps->errs->more;

	if (!is_list(l) || config_setting_length(l) == 0) {
		fail(ps, l, _("segment %s: variants = ( { name = \"A\"; ladder = \"...\"; percent = 80; }, ... ); is "
		              "expected"),
		     seg->name);
		return;
	}
	if (config_setting_length(l) > STRATEGY_MAX_VARIANTS) {
		fail(ps, l, _("segment %s: too many variants (%d; at most %d)"), seg->name, config_setting_length(l),
		     STRATEGY_MAX_VARIANTS);
		return;
	}
	for (int i = 0; i < config_setting_length(l); i++) {
		const config_setting_t *g = config_setting_get_elem(l, (unsigned)i);
		struct strategy_variant *v = &seg->variants[seg->nvariants];
		char what[80];

		if (!is_group(g)) {
			fail(ps, g, _("segment %s: each variant is a group { name = \"A\"; ladder = \"...\"; percent = 80; }"),
			     seg->name);
			continue;
		}
		only_known(ps, g, _("variant"), keys);
		v->line = line_of(g);
		v->ladder = -1;
		if (!get_name(ps, g, _("variant"), v->name))
			snprintf(v->name, sizeof v->name, "?");
		snprintf(what, sizeof what, _("segment %s, variant %s"), seg->name, v->name);
		for (int k = 0; k < seg->nvariants; k++)
			if (!strcmp(seg->variants[k].name, v->name))
				fail(ps, g, _("segment %s: variant \"%s\" is defined twice (first on line %d)"), seg->name,
				     v->name, seg->variants[k].line);
		if (!config_setting_get_member(g, "ladder"))
			fail(ps, g, _("%s: ladder = \"...\" is required"), what);
		else
			v->ladder = ladder_ref(ps, g, what);
		if (!config_setting_get_member(g, "percent"))
			fail(ps, g, _("%s: percent = N is required"), what);
		else if (get_int(ps, g, "percent", 1, 100, &v->percent))
			sum += v->percent;
		seg->nvariants++;
	}
	if (ps->errs->n + ps->errs->more == before && sum != 100)
		fail(ps, l, _("segment %s: the variants' percents sum to %d, not 100"), seg->name, sum);
}

static void parse_segments(struct parse *ps, const config_setting_t *l)
{
	static const char *const keys[] = { "name", "when", "ladder", "variants", NULL };
	struct strategy *st = ps->st;

	if (!l) {
		fail(ps, NULL, _("segments = ( { name = \"...\"; ladder = \"...\"; } ); is required"));
		return;
	}
	if (!is_list(l) || config_setting_length(l) == 0) {
		fail(ps, l, _("segments: a list of at least one segment ( { ... }, { ... } ) is expected"));
		return;
	}
	st->segments = xcalloc((size_t)config_setting_length(l), sizeof *st->segments);
	for (int i = 0; i < config_setting_length(l); i++) {
		const config_setting_t *g = config_setting_get_elem(l, (unsigned)i), *when, *variants;
		struct strategy_segment *seg = &st->segments[st->nsegments];
		bool last = i == config_setting_length(l) - 1;
		char what[80];

		if (!is_group(g)) {
			fail(ps, g, _("each segment is a group { name = \"...\"; ladder = \"...\"; when = { ... }; }"));
			continue;
		}
		only_known(ps, g, _("segment"), keys);
		seg->line = line_of(g);
		seg->ladder = -1;
		if (!get_name(ps, g, _("segment"), seg->name))
			snprintf(seg->name, sizeof seg->name, "?");
		snprintf(what, sizeof what, _("segment %s"), seg->name);
		for (int k = 0; k < st->nsegments; k++)
			if (!strcmp(st->segments[k].name, seg->name))
				fail(ps, g, _("segment \"%s\" is defined twice (first on line %d)"), seg->name,
				     st->segments[k].line);
		when = config_setting_get_member(g, "when");
		if (when) {
			seg->has_when = true;
			parse_when(ps, when, seg);
			if (last)
				fail(ps, when, _("segment %s is the last one and has a when: the last segment takes every "
				                 "account the others leave, so it has no conditions"),
				     seg->name);
		} else if (!last) {
			fail(ps, g, _("segment %s has no when but is not the last one: the segments after it would never "
			              "be reached"),
			     seg->name);
		}
		variants = config_setting_get_member(g, "variants");
		if (config_setting_get_member(g, "ladder") && variants)
			fail(ps, g, _("segment %s: either ladder or variants, not both"), seg->name);
		else if (variants)
			parse_variants(ps, variants, seg);
		else if (config_setting_get_member(g, "ladder"))
			seg->ladder = ladder_ref(ps, g, what);
		else
			fail(ps, g, _("segment %s: ladder = \"...\" or variants = ( ... ) is required"), seg->name);
		st->nsegments++;
	}
}

static bool segment_known(const struct strategy *st, const char *name)
{
	for (int k = 0; k < st->nsegments; k++)
		if (!strcmp(st->segments[k].name, name))
			return true;
	return false;
}

/* from_segment names: checked once every segment is known. */
static void check_from_segments(struct parse *ps, const config_setting_t *l)
{
	for (int i = 0; i < ps->st->nsegments; i++) {
		const struct strategy_when *w = &ps->st->segments[i].when;

		for (int k = 0; k < w->nfrom_segments; k++)
			if (!segment_known(ps->st, w->from_segments[k])) {
				/* The i-th element is the i-th segment unless one before
				 * it was no group (refused already): then the list's line. */
				const config_setting_t *g = config_setting_get_elem(l, (unsigned)i);
				const config_setting_t *wh = is_group(g) ? config_setting_get_member(g, "when") : NULL;
				const config_setting_t *at = is_group(wh) ? config_setting_get_member(wh, "from_segment") : NULL;

				fail(ps, at ? at : l,
				     _("segment %s: from_segment: unknown segment \"%s\""), ps->st->segments[i].name,
				     w->from_segments[k]);
			}
	}
}

static void parse_cleaning(struct parse *ps, const config_setting_t *g)
{
	static const char *const keys[] = { "after_failures", "channels", "template", "incentive",
		                            "every_days", "segments", NULL };
	struct strategy_cleaning *c = &ps->st->cleaning;
	const config_setting_t *chs, *segs;
	const char *tpl, *inc;
	char **names;
	int n;

	c->line = line_of(g);
	c->after_failures = 3;
	c->every_days = 7;
	if (!is_group(g)) {
		fail(ps, g, _("cleaning = { after_failures = 3; channels = [\"email\"]; template = \"...\"; }; a group is "
		              "expected"));
		return;
	}
	c->given = true;
	only_known(ps, g, "cleaning", keys);
	get_int(ps, g, "after_failures", 1, 100, &c->after_failures);
	get_int(ps, g, "every_days", 1, 365, &c->every_days);
	inc = get_str(ps, g, "incentive");
	c->incentive = xstrdup(inc ? inc : "");
	tpl = get_str(ps, g, "template");
	if (!config_setting_get_member(g, "template"))
		fail(ps, g, _("cleaning: template = \"CODE\" is required"));
	else if (tpl)
		snprintf(c->template_code, sizeof c->template_code, "%s", tpl);
	chs = config_setting_get_member(g, "channels");
	if (!chs) {
		fail(ps, g, _("cleaning: channels = [\"email\", \"whatsapp\"] is required"));
	} else if (get_strings(ps, g, "channels", &names, &n)) {
		for (int i = 0; i < n; i++) {
			enum strategy_channel ch;

			if (!strategy_channel_parse(names[i], -1, &ch))
				fail(ps, chs, _("cleaning: unknown channel \"%s\" (sms, email, whatsapp, letter)"), names[i]);
			else if (!strategy_channel_is_message(ch))
				fail(ps, chs, _("cleaning: channel %s sends no message (sms, email, whatsapp, letter)"),
				     names[i]);
			else {
				c->channels |= 1u << ch;
				if (tpl && ps->known && !strategy_templates_has(ps->known, tpl, ch))
					fail(ps, config_setting_get_member(g, "template"),
					     _("cleaning: unknown template \"%s\" for channel %s"), tpl, names[i]);
			}
		}
		free_strings(names, n);
	}
	segs = config_setting_get_member(g, "segments");
	if (segs && get_strings(ps, g, "segments", &c->segments, &c->nsegments))
		for (int i = 0; i < c->nsegments; i++)
			if (!segment_known(ps->st, c->segments[i]))
				fail(ps, segs, _("cleaning: segments: unknown segment \"%s\""), c->segments[i]);
}

struct strategy *strategy_parse(const char *file, const char *text, const struct strategy_templates *known,
                                struct strategy_errors *errs)
{
	static const char *const keys[] = { "settings", "ladders", "segments", "channels", "agencies", "cleaning", NULL };
	struct parse ps = { .file = file, .errs = errs, .known = known };
	config_t cf;
	const config_setting_t *root, *s;
	char err[512];

	ps.st = xcalloc(1, sizeof *ps.st);
	ps.st->file = xstrdup(file);
	ps.st->settings.catch_up_days = 2;
	ps.st->settings.attribution_days = 7;
	config_init(&cf);
	if (!conf_numbers_check(text, file, err, sizeof err)) {
		if (errs->n < STRATEGY_MAX_ERRORS)
			errs->v[errs->n++] = xstrdup(err);
		goto out;
	}
	if (!config_read_string(&cf, text)) {
		fail(&ps, NULL, "%s", config_error_text(&cf));
		/* libconfig knows the line of a syntax error; fail() does not. */
		free(errs->v[errs->n - 1]);
		errs->v[errs->n - 1] = xasprintf("%s:%d: %s", file, config_error_line(&cf), config_error_text(&cf));
		goto out;
	}
	root = config_root_setting(&cf);
	only_known(&ps, root, _("the file"), keys);
	if ((s = config_setting_get_member(root, "settings")))
		parse_settings(&ps, s);
	if ((s = config_setting_get_member(root, "channels")))
		parse_channels(&ps, s);
	if ((s = config_setting_get_member(root, "agencies")))
		parse_agencies(&ps, s);
	parse_ladders(&ps, config_setting_get_member(root, "ladders"));
	s = config_setting_get_member(root, "segments");
	parse_segments(&ps, s);
	if (s && ps.st->segments)
		check_from_segments(&ps, s);
	if ((s = config_setting_get_member(root, "cleaning")))
		parse_cleaning(&ps, s);
out:
	config_destroy(&cf);
	if (failed(&ps)) {
		strategy_free(ps.st);
		return NULL;
	}
	return ps.st;
}

void strategy_free(struct strategy *s)
{
	if (!s)
		return;
	free(s->file);
	for (int i = 0; i < s->nagencies; i++)
		free(s->agencies[i].file);
	free(s->agencies);
	for (int i = 0; i < s->nsegments; i++) {
		struct strategy_when *w = &s->segments[i].when;

		free_strings(w->products, w->nproducts);
		free_strings(w->jurisdictions, w->njurisdictions);
		free_strings(w->from_segments, w->nfrom_segments);
	}
	free(s->segments);
	free(s->ladders);
	free(s->cleaning.incentive);
	free_strings(s->cleaning.segments, s->cleaning.nsegments);
	free(s);
}

/* ---------------------------------------------------------------- lookups */

const struct strategy_segment *strategy_segment_find(const struct strategy *s, const char *name)
{
	for (int i = 0; name && i < s->nsegments; i++)
		if (!strcmp(s->segments[i].name, name))
			return &s->segments[i];
	return NULL;
}

int strategy_ladder_index(const struct strategy *s, const char *name)
{
	for (int i = 0; name && i < s->nladders; i++)
		if (!strcmp(s->ladders[i].name, name))
			return i;
	return -1;
}

const struct strategy_ladder *strategy_ladder_find(const struct strategy *s, const char *name)
{
	int i = strategy_ladder_index(s, name);

	return i < 0 ? NULL : &s->ladders[i];
}

const struct strategy_agency *strategy_agency_find(const struct strategy *s, const char *name)
{
	for (int i = 0; name && i < s->nagencies; i++)
		if (!strcmp(s->agencies[i].name, name))
			return &s->agencies[i];
	return NULL;
}

const struct strategy_step *strategy_step_find(const struct strategy_ladder *l, const char *name)
{
	if (!name)
		return NULL;
	for (int i = 0; i < l->nsteps; i++)
		if (!strcmp(l->steps[i].name, name))
			return &l->steps[i];
	if (l->has_promise_reminder && !strcmp(name, STRATEGY_PROMISE_REMINDER))
		return &l->promise_reminder;
	if (l->has_broken_promise && !strcmp(name, STRATEGY_BROKEN_PROMISE))
		return &l->broken_promise;
	return NULL;
}

/* ---------------------------------------------------------------- describe */

static void micro_put(struct buf *b, long long micro)
{
	long long frac = micro % 1000000;
	int dec = 6;

	buf_printf(b, "%lld", micro / 1000000);
	if (!frac)
		return;
	while (frac % 10 == 0)
		frac /= 10, dec--;
	buf_printf(b, ".%0*lld", dec, frac);
}

static void strings_put(struct buf *b, const char *key, char **v, int n)
{
	buf_printf(b, " %s=", key);
	for (int i = 0; i < n; i++)
		buf_printf(b, "%s%s", i ? "," : "", v[i]);
}

static void step_put(struct buf *b, const struct strategy *s, const char *ladder, const struct strategy_step *st)
{
	buf_printf(b, "ladder %s step %s", ladder, st->name);
	switch (st->kind) {
	case STRATEGY_STEP_DUE: buf_printf(b, " due=%d", st->offset); break;
	case STRATEGY_STEP_DPD: buf_printf(b, " dpd=%d", st->offset); break;
	case STRATEGY_STEP_PROMISE_REMINDER: buf_printf(b, " days_before=%d", st->offset); break;
	case STRATEGY_STEP_BROKEN_PROMISE: break;
	}
	buf_printf(b, " channel=%s", strategy_channel_name(st->channel));
	if (st->template_code[0])
		buf_printf(b, " template=%s", st->template_code);
	if (st->assign.kind == STRATEGY_ASSIGN_POOL)
		buf_puts(b, " assign=pool");
	else if (st->assign.kind == STRATEGY_ASSIGN_LEAST_LOADED)
		buf_puts(b, " assign=least_loaded");
	else if (st->assign.kind == STRATEGY_ASSIGN_AGENT)
		buf_printf(b, " assign=agent:%s", st->assign.login);
	if (st->agency >= 0)
		buf_printf(b, " agency=%s", s->agencies[st->agency].name);
	if (st->unless_reply_days >= 0)
		buf_printf(b, " unless_reply_days=%d", st->unless_reply_days);
	buf_puts(b, "\n");
}

char *strategy_describe(const struct strategy *s)
{
	struct buf b = { 0 };

	buf_printf(&b, "settings catch_up_days=%d attribution_days=%d cost_currency=%s\n", s->settings.catch_up_days,
	           s->settings.attribution_days, s->settings.cost_currency[0] ? s->settings.cost_currency : "-");
	for (int c = 0; c < STRATEGY_CHANNELS; c++) {
		if (!s->channels[c].given)
			continue;
		buf_printf(&b, "channel %s cost=", strategy_channel_name((enum strategy_channel)c));
		micro_put(&b, s->channels[c].micro);
		if (s->channels[c].rate > 0)
			buf_printf(&b, " rate=%g", s->channels[c].rate);
		buf_puts(&b, "\n");
	}
	for (int i = 0; i < s->nagencies; i++)
		buf_printf(&b, "agency %s file=%s\n", s->agencies[i].name, s->agencies[i].file);
	for (int i = 0; i < s->nsegments; i++) {
		const struct strategy_segment *seg = &s->segments[i];
		const struct strategy_when *w = &seg->when;

		buf_printf(&b, "segment %d %s", i + 1, seg->name);
		if (seg->nvariants == 0)
			buf_printf(&b, " ladder=%s", s->ladders[seg->ladder].name);
		for (int v = 0; v < seg->nvariants; v++)
			buf_printf(&b, " variant=%s:%s:%d%%", seg->variants[v].name, s->ladders[seg->variants[v].ladder].name,
			           seg->variants[v].percent);
		if (w->has & STRATEGY_C_DPD_MIN)
			buf_printf(&b, " dpd_min=%d", w->dpd_min);
		if (w->has & STRATEGY_C_DPD_MAX)
			buf_printf(&b, " dpd_max=%d", w->dpd_max);
		if (w->has & STRATEGY_C_BALANCE_MIN)
			buf_puts(&b, " balance_min="), micro_put(&b, w->balance_min_micro);
		if (w->has & STRATEGY_C_BALANCE_MAX)
			buf_puts(&b, " balance_max="), micro_put(&b, w->balance_max_micro);
		if (w->has & STRATEGY_C_SCORE_MIN)
			buf_printf(&b, " score_min=%d", w->score_min);
		if (w->has & STRATEGY_C_SCORE_MAX)
			buf_printf(&b, " score_max=%d", w->score_max);
		if (w->has & STRATEGY_C_PRODUCTS)
			strings_put(&b, "products", w->products, w->nproducts);
		if (w->has & STRATEGY_C_JURISDICTIONS)
			strings_put(&b, "jurisdictions", w->jurisdictions, w->njurisdictions);
		if (w->has & STRATEGY_C_BROKEN_PROMISES_MIN)
			buf_printf(&b, " broken_promises_min=%d", w->broken_promises_min);
		if (w->has & STRATEGY_C_REPLIED_WITHIN)
			buf_printf(&b, " replied_within_days=%d", w->replied_within_days);
		if (w->has & STRATEGY_C_RPC_WITHIN)
			buf_printf(&b, " rpc_within_days=%d", w->rpc_within_days);
		if (w->has & STRATEGY_C_NO_RPC)
			buf_printf(&b, " no_rpc_days=%d", w->no_rpc_days);
		if (w->has & STRATEGY_C_VALUE_PER_COST_MIN)
			buf_puts(&b, " value_per_cost_min="), micro_put(&b, w->value_per_cost_min_micro);
		if (w->has & STRATEGY_C_FROM_SEGMENT)
			strings_put(&b, "from_segment", w->from_segments, w->nfrom_segments);
		buf_puts(&b, "\n");
	}
	for (int i = 0; i < s->nladders; i++) {
		const struct strategy_ladder *l = &s->ladders[i];

		buf_printf(&b, "ladder %s on_reply=%s on_promise=%s on_payment=%s\n", l->name,
		           strategy_reaction_name(l->on_reply), strategy_reaction_name(l->on_promise),
		           strategy_reaction_name(l->on_payment));
		for (int k = 0; k < l->nsteps; k++)
			step_put(&b, s, l->name, &l->steps[k]);
		if (l->has_promise_reminder)
			step_put(&b, s, l->name, &l->promise_reminder);
		if (l->has_broken_promise)
			step_put(&b, s, l->name, &l->broken_promise);
	}
	if (s->cleaning.given) {
		const struct strategy_cleaning *c = &s->cleaning;

		buf_printf(&b, "cleaning after_failures=%d every_days=%d template=%s channels=", c->after_failures,
		           c->every_days, c->template_code);
		for (int ch = 0, first = 1; ch < STRATEGY_CHANNELS; ch++)
			if (c->channels & (1u << ch))
				buf_printf(&b, "%s%s", first ? "" : ",", strategy_channel_name((enum strategy_channel)ch)),
					first = 0;
		if (c->incentive[0])
			buf_printf(&b, " incentive=\"%s\"", c->incentive);
		if (c->nsegments)
			strings_put(&b, "segments", c->segments, c->nsegments);
		buf_puts(&b, "\n");
	}
	if (!b.s)
		buf_puts(&b, "");
	return b.s;
}
