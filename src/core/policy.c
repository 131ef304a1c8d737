#include "policy_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static const char *const channel_names[CH__COUNT] = { "call", "sms", "email", "whatsapp", "letter", "visit" };
static const char *const kind_names[KIND__COUNT] = { "attempt", "placed", "conversation", "sent" };
const char *const policy_type_names[] = { "hours", "cap", "gap", "channels", "cooloff", "consent", "opt_out", "state" };
const char *const policy_day_keys[] = { "monday", "tuesday", "wednesday", "thursday", "friday",
	                                          "saturday", "sunday", "holiday" };
static const char *const policy_day_names[2][8] = {
	{ "lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo", "feriado" },
	{ "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "holiday" },
};

const char *channel_name(enum channel c) { return c < CH__COUNT ? channel_names[c] : "?"; }
const char *kind_name(enum contact_kind k) { return k < KIND__COUNT ? kind_names[k] : "?"; }

bool channel_parse(const char *s, enum channel *out)
{
	for (int i = 0; i < CH__COUNT; i++)
		if (strcmp(s, channel_names[i]) == 0) {
			*out = (enum channel)i;
			return true;
		}
	return false;
}

bool kind_parse(const char *s, enum contact_kind *out)
{
	for (int i = 0; i < KIND__COUNT; i++)
		if (strcmp(s, kind_names[i]) == 0) {
			*out = (enum contact_kind)i;
			return true;
		}
	return false;
}

/* A conversation was also a placed call, and a placed call an attempt. */
unsigned policy_kind_closure(enum contact_kind k)
{
	switch (k) {
	case KIND_ATTEMPT: return 1u << KIND_ATTEMPT | 1u << KIND_PLACED | 1u << KIND_CONVERSATION;
	case KIND_PLACED: return 1u << KIND_PLACED | 1u << KIND_CONVERSATION;
	default: return 1u << k;
	}
}

struct jur *policy_find_jur(const struct policy *p, const char *id)
{
	for (int i = 0; i < p->nj; i++)
		if (strcmp(p->j[i].id, id) == 0)
			return &p->j[i];
	return NULL;
}

bool policy_has_jurisdiction(const struct policy *p, const char *id)
{
	return strcmp(id, "*") != 0 && policy_find_jur(p, id) != NULL;
}

const char *policy_rule_id(const struct policy_rule *r) { return r ? r->id : ""; }
const char *policy_rule_source(const struct policy_rule *r) { return r ? r->source : NULL; }


/* ------------------------------------------------------------- evaluation */

struct ctx {
	const struct policy *p;
	const struct policy_debtor *d;
	const struct policy_contact *c;
	const struct jur *chain[8];
	int nchain;
	const struct policy_event *h;
	size_t nh;
	int64_t *hday; /* local day of each history entry in the address zone */
};

static int64_t floor_div64(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

static int64_t local_day(const struct tz *z, int64_t t) { return floor_div64(t + tz_offset(z, t), 86400); }

static int64_t local_instant(const struct tz *z, int64_t day, int minute)
{
	struct civil c = { 0 };

	civil_from_days(day + minute / 1440, &c.year, &c.month, &c.day);
	c.hour = minute % 1440 / 60;
	c.min = minute % 60;
	return tz_utc(z, &c);
}

int policy_holiday(const struct jur *j, int64_t day, const char **who)
{
	const struct jur *first = j;
	bool any = false, holiday = false;

	for (; j; j = j->parent) {
		if (!j->cal)
			continue;
		any |= strcmp(j->id, "*") != 0;
		switch (holiday_is(j->cal, day)) {
		case HOLIDAY_UNKNOWN: *who = j->id; return -1;
		case HOLIDAY_YES: holiday = true; break;
		case HOLIDAY_NO: break;
		}
	}
	if (!any) {
		*who = first->id;
		return -1;
	}
	return holiday;
}

/* cobro's own rule, not the file's: a day whose holidays are unknown is
 * refused, whatever the hours (docs/compliance.md). */
const struct policy_rule policy_calendar_rule = {
	.id = "HOLIDAYS",
	.type = RULE_HOURS,
	.channels = CH_ALL,
	.source = "cobro: a day whose holidays are unknown is never allowed",
};

/* The class of a local day: a weekday, DAY_HOLIDAY, or DAY_UNKNOWN when its
 * holidays cannot be known (*who names the calendar). */
static int day_class(const struct ctx *x, int64_t day, const char **who)
{
	switch (policy_holiday(x->chain[0], day, who)) {
	case -1: return DAY_UNKNOWN;
	case 1: return DAY_HOLIDAY;
	default: return weekday_of_days(day);
	}
}

static bool same(const char *a, const char *b) { return a && b ? strcmp(a, b) == 0 : a == b; }

static bool in_scope(const struct ctx *x, const struct policy_rule *r, const struct policy_event *e)
{
	switch (r->per) {
	case PER_DEBT: return same(e->debt, x->c->debt);
	case PER_CREDITOR: return same(e->creditor, x->c->creditor);
	default: return true;
	}
}

static bool counted(const struct ctx *x, const struct policy_rule *r, size_t i, int64_t t)
{
	const struct policy_event *e = &x->h[i];

	return e->at <= t && (r->channels & 1u << e->channel) && (r->counts & 1u << e->kind) && in_scope(x, r, e);
}

static int64_t window_start(const struct policy_rule *r, int64_t day)
{
	switch (r->window) {
	case WIN_WEEK: return day - (weekday_of_days(day) - r->week_start + 7) % 7;
	case WIN_ROLLING: return day - r->days + 1;
	default: return day;
	}
}

static void fmt_channels(char *out, size_t n, chanset set, int lang);

#define NSTATE_NAMES 10
static const char *const state_names[2][NSTATE_NAMES][2] = {
	{ { "dispute", "la cuenta está en disputa" }, { "cease", "el deudor pidió el cese de contacto" },
	  { "attorney", "el deudor está representado por un abogado" }, { "sued", "hay una demanda judicial" },
	  { "insolvent", "el deudor está en insolvencia" }, { "deceased", "el deudor falleció" },
	  { "legal_hold", "la cuenta está en retención legal" }, { "paid", "la cuenta está pagada" },
	  { "closed", "la cuenta está cerrada" }, { "agency", "la cuenta está en una agencia externa" } },
	{ { "dispute", "the account is in dispute" }, { "cease", "the debtor asked to cease contact" },
	  { "attorney", "the debtor is represented by an attorney" }, { "sued", "the debt is in a lawsuit" },
	  { "insolvent", "the debtor is insolvent" }, { "deceased", "the debtor is deceased" },
	  { "legal_hold", "the account is on legal hold" }, { "paid", "the account is paid" },
	  { "closed", "the account is closed" }, { "agency", "the account is with a third-party agency" } },
};

static const char *state_label(const char *s, int lang)
{
	for (int i = 0; i < NSTATE_NAMES; i++)
		if (!strcmp(state_names[lang][i][0], s))
			return state_names[lang][i][1];
	return s; /* a state of the rules' own: shown as written */
}

static void fmt_day(char *out, size_t n, int64_t day)
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	snprintf(out, n, "%04d-%02d-%02d", y, m, d);
}

static void fmt_spans(char *out, size_t n, const struct policy_rule *r, int cls)
{
	size_t len = 0;

	out[0] = '\0';
	for (int i = 0; i < r->nspans[cls] && len < n; i++)
		len += (size_t)snprintf(out + len, n - len, "%s%02d:%02d-%02d:%02d", i ? ", " : "", r->spans[cls][i].from / 60,
		                        r->spans[cls][i].from % 60, r->spans[cls][i].to / 60, r->spans[cls][i].to % 60);
}

/* "conversations" or "placed calls" ...: what a cap counts, for its reason. */
static const char *counted_noun(unsigned counts, int lang, bool one)
{
	static const char *const w[2][5][2] = {
		{ { "conversación", "conversaciones" }, { "llamada realizada", "llamadas realizadas" },
		  { "mensaje enviado", "mensajes enviados" }, { "intento de contacto", "intentos de contacto" },
		  { "contacto", "contactos" } },
		{ { "conversation", "conversations" }, { "placed call", "placed calls" },
		  { "message sent", "messages sent" }, { "contact attempt", "contact attempts" },
		  { "contact", "contacts" } },
	};
	int i = 4;

	if (counts == policy_kind_closure(KIND_CONVERSATION))
		i = 0;
	else if (counts == policy_kind_closure(KIND_PLACED))
		i = 1;
	else if (counts == 1u << KIND_SENT)
		i = 2;
	else if (counts == policy_kind_closure(KIND_ATTEMPT))
		i = 3;
	return w[lang][i][one ? 0 : 1];
}

static void fmt_window(char *out, size_t n, const struct policy_rule *r, int lang)
{
	if (r->window == WIN_DAY)
		snprintf(out, n, "%s", lang == LANG_ES ? "por día calendario" : "per calendar day");
	else if (r->window == WIN_WEEK)
		snprintf(out, n, "%s", lang == LANG_ES ? "por semana calendario" : "per calendar week");
	else
		snprintf(out, n, lang == LANG_ES ? "en %d días" : "in %d days", r->days);
}

static const char *scope_words(const struct policy_rule *r, int lang)
{
	static const char *const w[2][3] = { { "con esta persona", "por esta deuda", "por este acreedor" },
		                             { "with this person", "for this debt", "for this creditor" } };
	return w[lang][r->per];
}

/* Channel names as people read them, in each language. */
static const char *const channel_labels[2][CH__COUNT] = {
	{ "llamada", "SMS", "correo", "WhatsApp", "carta", "visita" },
	{ "call", "SMS", "email", "WhatsApp", "letter", "visit" },
};

static void fmt_channels(char *out, size_t n, chanset set, int lang)
{
	size_t len = 0;

	out[0] = '\0';
	for (int c = 0; c < CH__COUNT && len < n; c++)
		if (set & 1u << c)
			len += (size_t)snprintf(out + len, n - len, "%s%s", len ? ", " : "", channel_labels[lang][c]);
}

/* A day whose holidays cannot be known: refused by the calendar rule, with
 * no next time (the search would only walk into the same unknown). */
static bool refuse_unknown(const struct policy_rule **who, int64_t day, const char *jur, char reason[2][256])
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	snprintf(reason[LANG_ES], 256, "sin calendario de feriados para %s %d", jur, y);
	snprintf(reason[LANG_EN], 256, "no holiday calendar for %s %d", jur, y);
	*who = &policy_calendar_rule;
	return false;
}

/* Hours in every candidate zone. On refusal, *next is the latest of the zones'
 * next openings: the caller checks again there, until every zone agrees. */
static bool eval_hours(const struct ctx *x, const struct policy_rule *r, int64_t t, int64_t *next, int64_t *until,
                       char reason[2][256], const struct policy_rule **who)
{
	bool ok = true;

	for (int zi = 0; zi < x->d->nzones; zi++) {
		const struct tz *z = x->d->zones[zi];
		const char *unknown = NULL;
		struct civil lc;
		int64_t day;
		int minute, cls, s;

		tz_local(z, t, &lc);
		day = local_day(z, t);
		minute = lc.hour * 60 + lc.min;
		if ((cls = day_class(x, day, &unknown)) == DAY_UNKNOWN) {
			*next = 0;
			return refuse_unknown(who, day, unknown, reason);
		}
		for (s = 0; s < r->nspans[cls]; s++)
			if (minute >= r->spans[cls][s].from && minute < r->spans[cls][s].to)
				break;
		if (s < r->nspans[cls]) {
			int64_t end = local_instant(z, day, r->spans[cls][s].to);

			if (!*until || end < *until)
				*until = end;
			continue;
		}
		if (ok) {
			char spans[96], when[8];

			fmt_spans(spans, sizeof spans, r, cls);
			snprintf(when, sizeof when, "%02d:%02d", lc.hour, lc.min);
			for (int lang = 0; lang < 2; lang++) {
				const char *dn = policy_day_names[lang][cls];

				if (r->nspans[cls] == 0)
					snprintf(reason[lang], 256,
					         lang == LANG_ES ? "sin contacto %s %s (hora local del deudor %s, %s)"
					                         : "no contact on %s%s (debtor's local time %s, %s)",
					         lang == LANG_ES ? (cls == DAY_HOLIDAY ? "en" : "el") : (cls == DAY_HOLIDAY ? "a " : ""),
					         dn, when, z->name);
				else
					snprintf(reason[lang], 256,
					         lang == LANG_ES ? "fuera del horario permitido: %s %s (hora local del deudor %s, %s)"
					                         : "outside the allowed hours: %s %s (debtor's local time %s, %s)",
					         dn, spans, when, z->name);
			}
		}
		ok = false;
		/* The next opening in this zone: later today, or a later day, but
		 * never on a day whose holidays are unknown (the search stops:
		 * no next time, rather than an opening that may be a holiday). */
		for (int dd = 0; dd < 400; dd++) {
			int c2 = day_class(x, day + dd, &unknown);
			int found = -1;

			if (c2 == DAY_UNKNOWN) {
				*next = 0;
				return false;
			}

			for (s = 0; s < r->nspans[c2] && found < 0; s++)
				if (dd > 0 || r->spans[c2][s].from > minute)
					found = r->spans[c2][s].from;
			if (found >= 0) {
				int64_t open = local_instant(z, day + dd, found);

				if (open > *next)
					*next = open;
				break;
			}
		}
	}
	return ok;
}

static int cmp_day(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Caps: at most max counted contacts in the window. */
static bool eval_cap(const struct ctx *x, const struct policy_rule *r, int64_t t, int64_t day, int64_t *next,
                     char reason[2][256], int64_t *scratch)
{
	const struct tz *z = x->d->zones[0];
	int64_t ws = window_start(r, day);
	int n = 0;

	for (size_t i = 0; i < x->nh; i++)
		if (x->hday[i] >= ws && x->hday[i] <= day && counted(x, r, i, t))
			scratch[n++] = x->hday[i];
	if (n < r->max)
		return true;
	if (r->window == WIN_ROLLING) {
		/* The day the oldest surplus contact leaves the window. */
		qsort(scratch, (size_t)n, sizeof *scratch, cmp_day);
		*next = local_instant(z, scratch[n - r->max] + r->days, 0);
	} else {
		*next = local_instant(z, ws + (r->window == WIN_WEEK ? 7 : 1), 0);
	}
	for (int lang = 0; lang < 2; lang++) {
		char win[48], chans[64] = "";

		fmt_window(win, sizeof win, r, lang);
		if (r->channels != CH_ALL) {
			char list[56];

			fmt_channels(list, sizeof list, r->channels, lang);
			snprintf(chans, sizeof chans, " (%s)", list);
		}
		snprintf(reason[lang], 256,
		         lang == LANG_ES ? "como máximo %d %s%s %s %s (ya hay %d)" : "at most %d %s%s %s %s (%d already)",
		         r->max, counted_noun(r->counts, lang, r->max == 1), chans, win, scope_words(r, lang), n);
	}
	return false;
}

/* Gaps: at least days local days between counted contacts. */
static bool eval_gap(const struct ctx *x, const struct policy_rule *r, int64_t t, int64_t day, int64_t *next,
                     char reason[2][256])
{
	int64_t last = INT64_MIN;
	char d[16];

	for (size_t i = 0; i < x->nh; i++)
		if (x->hday[i] <= day && x->hday[i] > last && counted(x, r, i, t))
			last = x->hday[i];
	if (last == INT64_MIN || day - last >= r->days)
		return true;
	*next = local_instant(x->d->zones[0], last + r->days, 0);
	fmt_day(d, sizeof d, last);
	snprintf(reason[LANG_ES], 256, "al menos %d días entre %s (el último fue el %s)", r->days,
	         counted_noun(r->counts, LANG_ES, false), d);
	snprintf(reason[LANG_EN], 256, "at least %d days between %s (the last was on %s)", r->days,
	         counted_noun(r->counts, LANG_EN, false), d);
	return false;
}

/* Distinct channels: a new channel only while fewer than max were used. */
static bool eval_channels(const struct ctx *x, const struct policy_rule *r, int64_t t, int64_t day, int64_t *next,
                          char reason[2][256])
{
	int64_t ws = window_start(r, day), lastday[CH__COUNT];
	chanset used = 0;
	int n = 0;

	for (int c = 0; c < CH__COUNT; c++)
		lastday[c] = INT64_MIN;
	for (size_t i = 0; i < x->nh; i++)
		if (x->hday[i] >= ws && x->hday[i] <= day && counted(x, r, i, t)) {
			used |= 1u << x->h[i].channel;
			if (x->hday[i] > lastday[x->h[i].channel])
				lastday[x->h[i].channel] = x->hday[i];
		}
	if (used & 1u << x->c->channel)
		return true;
	for (int c = 0; c < CH__COUNT; c++)
		n += (used >> c) & 1;
	if (n < r->max)
		return true;
	if (r->window == WIN_ROLLING) {
		int64_t drop[CH__COUNT];
		int k = 0;

		for (int c = 0; c < CH__COUNT; c++)
			if (used & 1u << c)
				drop[k++] = lastday[c] + r->days;
		qsort(drop, (size_t)k, sizeof *drop, cmp_day);
		*next = local_instant(x->d->zones[0], drop[n - r->max], 0);
	} else {
		*next = local_instant(x->d->zones[0], ws + (r->window == WIN_WEEK ? 7 : 1), 0);
	}
	for (int lang = 0; lang < 2; lang++) {
		char win[48], list[64];

		fmt_window(win, sizeof win, r, lang);
		fmt_channels(list, sizeof list, used, lang);
		snprintf(reason[lang], 256,
		         lang == LANG_ES ? "como máximo %d %s %s (ya usados: %s)" : "at most %d %s %s (already used: %s)",
		         r->max, lang == LANG_ES ? (r->max == 1 ? "canal" : "canales") : (r->max == 1 ? "channel" : "channels"),
		         win, list);
	}
	return false;
}

/* Cooling-off: nothing on these channels for days after a conversation;
 * the day of the conversation is day 1. */
static bool eval_cooloff(const struct ctx *x, const struct policy_rule *r, int64_t t, int64_t day, int64_t *next,
                         char reason[2][256])
{
	int64_t last = INT64_MIN;
	char d[16], trig[2][64];

	for (size_t i = 0; i < x->nh; i++) {
		const struct policy_event *e = &x->h[i];

		if (e->at <= t && (r->after_channels & 1u << e->channel) && (r->after & 1u << e->kind) &&
		    in_scope(x, r, e) && x->hday[i] > day - r->days && x->hday[i] <= day && x->hday[i] > last)
			last = x->hday[i];
	}
	if (last == INT64_MIN)
		return true;
	*next = local_instant(x->d->zones[0], last + r->days, 0);
	fmt_day(d, sizeof d, last);
	fmt_channels(trig[LANG_ES], sizeof trig[0], r->after_channels, LANG_ES);
	fmt_channels(trig[LANG_EN], sizeof trig[0], r->after_channels, LANG_EN);
	snprintf(reason[LANG_ES], 256, "sin contacto por %s durante %d días tras una %s por %s el %s (ese día es el día 1)",
	         channel_labels[LANG_ES][x->c->channel], r->days, counted_noun(r->after, LANG_ES, true), trig[LANG_ES], d);
	snprintf(reason[LANG_EN], 256, "no %s for %d days after a %s by %s on %s (that day is day 1)",
	         channel_labels[LANG_EN][x->c->channel], r->days, counted_noun(r->after, LANG_EN, true), trig[LANG_EN], d);
	return false;
}

/* One rule at instant t. Returns true when it allows; otherwise *next is when
 * it might (0: never, as for a missing consent), reason says why and *who
 * which rule refused (r, or the calendar rule for an unknown day). */
static bool eval_rule(const struct ctx *x, const struct policy_rule *r, int64_t t, int64_t *next, int64_t *until,
                      char reason[2][256], int64_t *scratch, const struct policy_rule **who)
{
	enum channel ch = x->c->channel;
	int64_t day = local_day(x->d->zones[0], t);

	*next = 0;
	if (!(r->channels & 1u << ch))
		return true;
	switch (r->type) {
	case RULE_HOURS: return eval_hours(x, r, t, next, until, reason, who);
	case RULE_CAP: return eval_cap(x, r, t, day, next, reason, scratch);
	case RULE_GAP: return eval_gap(x, r, t, day, next, reason);
	case RULE_CHANNELS: return eval_channels(x, r, t, day, next, reason);
	case RULE_COOLOFF: return eval_cooloff(x, r, t, day, next, reason);
	case RULE_CONSENT:
		if (x->d->consent & 1u << ch)
			return true;
		snprintf(reason[LANG_ES], 256, "el deudor no autorizó el contacto por %s", channel_labels[LANG_ES][ch]);
		snprintf(reason[LANG_EN], 256, "the debtor has not authorised contact by %s", channel_labels[LANG_EN][ch]);
		return false;
	case RULE_OPTOUT:
		if (!(x->d->opted_out & 1u << ch))
			return true;
		snprintf(reason[LANG_ES], 256, "el deudor se dio de baja de %s", channel_labels[LANG_ES][ch]);
		snprintf(reason[LANG_EN], 256, "the debtor opted out of %s", channel_labels[LANG_EN][ch]);
		return false;
	case RULE_STATE:
		for (int i = 0; i < r->nstates; i++)
			if (x->d->state && !strcmp(x->d->state, r->states[i])) {
				snprintf(reason[LANG_ES], 256, "%s: sin gestión de cobro", state_label(r->states[i], LANG_ES));
				snprintf(reason[LANG_EN], 256, "%s: no collection contact", state_label(r->states[i], LANG_EN));
				return false;
			}
		return true;
	}
	return true;
}

/* Every rule of the jurisdiction and its parents, at instant t: the first
 * refusal (in file order, parents first) names the rule; *next is the latest
 * of the refusing rules' next times, or 0 if any refuses for good. */
static const struct policy_rule *eval_all(const struct ctx *x, int64_t t, int64_t *next, int64_t *until,
                                          char reason[2][256], int64_t *scratch)
{
	const struct policy_rule *first = NULL;
	bool never = false;

	*next = 0;
	*until = 0;
	for (int ji = x->nchain - 1; ji >= 0; ji--)
		for (int k = 0; k < x->chain[ji]->nrules; k++) {
			const struct policy_rule *r = &x->chain[ji]->rules[k], *who = r;
			char why[2][256];
			int64_t n = 0;

			if (eval_rule(x, r, t, &n, until, first ? why : reason, scratch, &who))
				continue;
			if (!first)
				first = who;
			if (n == 0)
				never = true;
			else if (n > *next)
				*next = n;
		}
	if (never)
		*next = 0;
	return first;
}

int64_t policy_lookback(const struct policy *p)
{
	int days = 1;

	for (int i = 0; p && i < p->nj; i++)
		for (int k = 0; k < p->j[i].nrules; k++) {
			const struct policy_rule *r = &p->j[i].rules[k];
			int d = 0;

			switch (r->type) {
			case RULE_CAP:
			case RULE_CHANNELS:
				d = r->window == WIN_DAY ? 1 : r->window == WIN_WEEK ? 7 : r->days;
				break;
			case RULE_GAP:
			case RULE_COOLOFF: d = r->days; break;
			default: break;
			}
			if (d > days)
				days = d;
		}
	/* A window of n local days begins less than n days and a daylight-
	 * saving hour before any moment inside it; the rest is margin. */
	return (int64_t)(days + 2) * 86400;
}

/* How far ahead "next allowed" looks before it says never. */
#define NEXT_HORIZON (400LL * 86400)

void policy_check(const struct policy *p, const struct policy_debtor *d, const struct policy_event *history,
                  size_t nhistory, const struct policy_contact *c, struct policy_verdict *v)
{
	struct ctx x = { .p = p, .d = d, .c = c, .h = history, .nh = nhistory };
	int64_t stack_days[256], stack_scratch[256], next, until;
	int64_t *scratch = nhistory <= 256 ? stack_scratch : xmalloc(nhistory * sizeof *scratch);
	const struct jur *j = policy_find_jur(p, d->jurisdiction);

	memset(v, 0, sizeof *v);
	x.hday = nhistory <= 256 ? stack_days : xmalloc(nhistory * sizeof *x.hday);
	if (!j || d->nzones < 1) {
		snprintf(v->reason[LANG_ES], 256, "jurisdicción desconocida \"%s\"", d->jurisdiction);
		snprintf(v->reason[LANG_EN], 256, "unknown jurisdiction \"%s\"", d->jurisdiction);
		goto out;
	}
	if (d->unreachable & 1u << c->channel) {
		const char *w = d->wrong[c->channel] ? d->wrong[c->channel] : "?";

		if (c->channel == CH_EMAIL) {
			snprintf(v->reason[LANG_ES], 256, "ninguna dirección utilizable: %s marcada como errónea", w);
			snprintf(v->reason[LANG_EN], 256, "no usable address: %s marked wrong", w);
		} else {
			snprintf(v->reason[LANG_ES], 256, "ningún número utilizable: %s marcado como equivocado", w);
			snprintf(v->reason[LANG_EN], 256, "no usable number: %s marked wrong", w);
		}
		goto out;
	}
	for (; j && x.nchain < 8; j = j->parent)
		x.chain[x.nchain++] = j;
	for (size_t i = 0; i < nhistory; i++)
		x.hday[i] = local_day(d->zones[0], history[i].at);

	v->rule = eval_all(&x, c->at, &next, &until, v->reason, scratch);
	if (!v->rule) {
		v->allowed = true;
		v->until = until;
		goto out;
	}
	/* Step to each refusing rule's next time until every rule agrees. */
	while (next && next - c->at <= NEXT_HORIZON) {
		char ignore[2][256];
		int64_t t = next;

		if (!eval_all(&x, t, &next, &until, ignore, scratch)) {
			v->next = t;
			break;
		}
		if (next <= t) /* no progress: a rule that cannot say when */
			break;
	}
out:
	if (x.hday != stack_days)
		free(x.hday);
	if (scratch != stack_scratch)
		free(scratch);
}
