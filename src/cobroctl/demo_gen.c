/* The demo portfolio's generator (see demo_gen.h for how passes agree).
 *
 * The story of one account: a schedule of monthly instalments, some paid, the
 * oldest unpaid one fixing the days past due and so the segment; payments for
 * the paid ones (a late payment usually follows a promise); promises broken,
 * pending or cancelled; and sixty days of contact history at a pace that grows
 * with delinquency, in the debtor's local working hours, before the anchor. */
#include "demo_gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo_data.h"
#include "phone.h"

const char *const demo_table_name[DEMO_NTABLES] = {
	"debtor", "contact_point", "account", "installment", "payment", "promise",
	"promise_installment", "event",
};

const char *const demo_table_columns[DEMO_NTABLES] = {
	"id, name, first_name, national_id, language, jurisdiction, time_zone, state, created_at",
	"id, debtor_id, kind, value, consent, opted_out, opted_out_at, bad_since, is_primary, created_at",
	"id, debtor_id, creditor_id, product, reference, currency, balance, past_due, oldest_due, "
	"status, segment, score, team_id, agent_id, next_action_at, last_contact_at, replied_at, "
	"created_at, updated_at",
	"account_id, seq, due_date, amount, paid",
	"id, account_id, amount, currency, paid_at, method, reference",
	"id, account_id, agent_id, amount, currency, due_date, discount, status, channel, note, "
	"created_at, resolved_at",
	"promise_id, seq, due_date, amount",
	"id, at, account_id, debtor_id, agent_id, kind, direction, outcome, amount, body, data",
};

#define DAY 86400
#define HISTORY_DAYS 60
#define NO_TIME INT64_MIN
#define NO_DAY INT32_MIN

/* ------------------------------------------------------------- randomness */
struct rng {
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* One stream per (seed, purpose, number): a debtor draws the same numbers in
 * every pass, whatever was drawn before it. */
static void rng_init(struct rng *r, uint64_t seed, uint64_t purpose, uint64_t n)
{
	uint64_t x = seed;
	uint64_t k = splitmix64(&x) ^ (purpose << 56) ^ n;

	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&k);
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

/* xoshiro256** */
static uint64_t rnext(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

static uint32_t rbelow(struct rng *r, uint32_t n) { return (uint32_t)(((rnext(r) >> 32) * n) >> 32); }
static int rrange(struct rng *r, int lo, int hi) { return lo + (int)rbelow(r, (uint32_t)(hi - lo + 1)); }
static bool rpct(struct rng *r, int pct) { return rbelow(r, 1000) < (uint32_t)(pct * 10); }
static const char *rword(struct rng *r, const struct demo_words *w)
{
	return w->w[rbelow(r, (uint32_t)w->n)];
}

static int rweighted(struct rng *r, const int *w, int n)
{
	int total = 0, x;

	for (int i = 0; i < n; i++)
		total += w[i];
	x = (int)rbelow(r, (uint32_t)total);
	for (int i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

/* ------------------------------------------------------------------ dates */
int64_t demo_days_from_civil(int y, int m, int d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (unsigned)(m > 2 ? m - 3 : m + 9) + 2) / 5 + (unsigned)d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void demo_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400) + (*m <= 2);
}

/* The day n months after day, on day-of-month dom (the 31st becomes the 30th
 * or the 28th, as a lender's schedule does). */
static int add_months(int day, int n, int dom)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, dim;

	demo_civil_from_days(day, &y, &m, &d);
	m = m - 1 + n;
	y += m >= 0 ? m / 12 : (m - 11) / 12;
	m = ((m % 12) + 12) % 12;
	dim = mdays[m] + (m == 1 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
	return (int)demo_days_from_civil(y, m + 1, dom < dim ? dom : dim);
}

static int day_of_month(int day)
{
	int y, m, d;

	demo_civil_from_days(day, &y, &m, &d);
	return d;
}

/* ------------------------------------------------------------- the model */
#define MAX_ACCTS 3
#define MAX_CONTACTS 6
#define MAX_INST 20
#define MAX_PAY 8
#define MAX_PROM 8
#define MAX_EV 192

enum { SEG_PREVENTIVE, SEG_EARLY, SEG_MID, SEG_LATE, SEG_RECOVERY };
static const char *const segment_name[] = { "preventive", "early", "mid", "late", "recovery" };

enum { ST_ACTIVE, ST_DISPUTE, ST_LEGAL_HOLD, ST_CEASE, ST_AGENCY, ST_PAID };
static const char *const status_name[] = { "active", "dispute", "legal_hold", "cease", "agency", "paid" };

enum { DS_ACTIVE, DS_CEASE, DS_ATTORNEY, DS_SUED, DS_INSOLVENT, DS_DECEASED };
static const char *const debtor_state_name[] = {
	"active", "cease", "attorney", "sued", "insolvent", "deceased",
};

enum { CP_MOBILE, CP_PHONE, CP_EMAIL, CP_WHATSAPP, CP_ADDRESS };
static const char *const contact_kind_name[] = { "mobile", "phone", "email", "whatsapp", "address" };

/* Channels, as bits of a consent or opt-out set; the order of the array text. */
enum { CH_CALL = 1, CH_SMS = 2, CH_EMAIL = 4, CH_WHATSAPP = 8, CH_LETTER = 16, CH_VISIT = 32 };
static const char *const channel_name[] = { "call", "sms", "email", "whatsapp", "letter", "visit" };

enum { PR_PENDING, PR_KEPT, PR_BROKEN, PR_CANCELLED };
static const char *const promise_status_name[] = { "pending", "kept", "broken", "cancelled" };

static const char *const method_name[] = { "transfer", "card", "cash", "direct_debit", "check" };

enum {
	EV_CALL, EV_SMS, EV_EMAIL, EV_WHATSAPP, EV_LETTER, EV_VISIT, EV_NOTE, EV_PROMISE,
	EV_PAYMENT, EV_OPTOUT, EV_STATUS, EV_CALLBACK,
};
static const char *const event_kind_name[] = {
	"call", "sms", "email", "whatsapp", "letter", "visit", "note", "promise", "payment",
	"optout", "status", "callback",
};

enum {
	OC_NONE, OC_RIGHT_PARTY, OC_THIRD_PARTY, OC_NO_ANSWER, OC_BUSY, OC_WRONG_NUMBER,
	OC_LEFT_MESSAGE, OC_REFUSED, OC_DISPUTE, OC_DELIVERED, OC_FAILED, OC_RECEIVED, OC_SENT,
	OC_NOT_HOME, OC_MOVED, OC_CREATED, OC_KEPT, OC_BROKEN, OC_CANCELLED, OC_SMS, OC_EMAIL,
	OC_SCHEDULED, OC_STATUS,   /* OC_STATUS + status: the account's new status */
};
static const char *const outcome_name[] = {
	NULL, "right_party", "third_party", "no_answer", "busy", "wrong_number", "left_message",
	"refused", "dispute", "delivered", "failed", "received", "sent", "not_home", "moved",
	"created", "kept", "broken", "cancelled", "sms", "email", "scheduled",
};

struct contact {
	int64_t id;
	int kind;
	char value[160];
	unsigned consent, opted;
	int64_t opted_at, bad_since;
	bool primary;
};

struct inst {
	int due;
	int64_t amount, paid;
};

struct pay {
	int64_t id, amount, at;
	int method;
};

struct prom {
	int64_t id, agent, amount, discount, created, resolved;
	int due, status, channel, nparts, note;   /* note: index + 1 into demo_notes, or 0 */
	int part_due[4];
	int64_t part_amount[4];
};

struct ev {
	int64_t at, agent, amount, ref;
	uint8_t kind, dir, outcome, text;   /* dir: 0 none, 1 out, 2 in */
};

struct acct {
	int64_t id, agent;
	int team, creditor, product, status, segment, score, oldest_due;
	const char *currency;
	int decimals;
	int ninst, npay, nprom, nev;
	struct inst inst[MAX_INST];
	struct pay pay[MAX_PAY];
	struct prom prom[MAX_PROM];
	struct ev ev[MAX_EV];
	int64_t balance, past_due, inst_amount;
	int64_t created, status_at, settled_at, next_action, last_contact, replied, updated;
	char amount_text[40], due_text[16];
};

struct debtor {
	int64_t id, created;
	const struct demo_country *country;
	const struct demo_zone *zone;
	int lang, state, ncontacts, naccts;
	char name[200], first[64], surname[64], national_id[32], address[200];
	struct contact contact[MAX_CONTACTS];
	struct acct acct[MAX_ACCTS];
	/* When each channel stops reaching the debtor (an opt-out, a bounce), or
	 * NO_TIME when it never did. */
	int64_t call_until, sms_until, email_until, wa_until, mail_until;
};

struct demo_gen {
	const struct demo_plan *plan;
	int anchor_day;
	long debtor_no;
	long accounts_done;
	int64_t next_contact, next_payment, next_promise, next_event;
	int **team_members, *team_n;
	int *country_creditors[8], country_ncreditors[8];
	int cache_day;
	char cache_date[12];
	struct debtor d;
};

/* ------------------------------------------------------------- the plan */
int demo_plan_collectors(long accounts)
{
	long n = accounts / 2000;

	return n < 4 ? 4 : (int)n;
}

int demo_plan_teams(int collectors)
{
	int n = (collectors + 24) / 25;

	return n < 2 ? 2 : n;
}

/* ana and luis are in norte (0), carla and diego in sur (1); the rest deal round. */
int demo_plan_collector_team(int k, int nteams) { return k < 4 ? k / 2 : k % nteams; }

struct demo_gen *demo_gen_new(const struct demo_plan *plan)
{
	struct demo_gen *g = xcalloc(1, sizeof *g);

	g->plan = plan;
	g->anchor_day = (int)(plan->anchor / DAY);
	g->team_n = xcalloc((size_t)plan->nteams, sizeof *g->team_n);
	g->team_members = xcalloc((size_t)plan->nteams, sizeof *g->team_members);
	for (int t = 0; t < plan->nteams; t++)
		g->team_members[t] = xcalloc((size_t)plan->ncollectors, sizeof **g->team_members);
	for (int k = 0; k < plan->ncollectors; k++) {
		int t = plan->collector_team[k];

		g->team_members[t][g->team_n[t]++] = k;
	}
	for (size_t c = 0; c < demo_ncountries; c++) {
		g->country_creditors[c] = xcalloc(demo_ncreditors, sizeof(int));
		for (size_t i = 0; i < demo_ncreditors; i++)
			if (strstr(demo_creditors[i].countries, demo_countries[c].code))
				g->country_creditors[c][g->country_ncreditors[c]++] = (int)i;
	}
	g->cache_day = NO_DAY;
	demo_gen_rewind(g);
	g->next_event = 1;
	return g;
}

void demo_gen_free(struct demo_gen *g)
{
	if (!g)
		return;
	for (int t = 0; t < g->plan->nteams; t++)
		free(g->team_members[t]);
	free(g->team_members);
	free(g->team_n);
	for (size_t c = 0; c < demo_ncountries; c++)
		free(g->country_creditors[c]);
	free(g);
}

void demo_gen_rewind(struct demo_gen *g)
{
	g->debtor_no = 0;
	g->accounts_done = 0;
	g->next_contact = g->next_payment = g->next_promise = 1;
}

void demo_gen_last_ids(const struct demo_gen *g, int64_t last[DEMO_NTABLES])
{
	memset(last, 0, sizeof(int64_t) * DEMO_NTABLES);
	last[DEMO_DEBTOR] = g->debtor_no;
	last[DEMO_CONTACT_POINT] = g->next_contact - 1;
	last[DEMO_ACCOUNT] = g->accounts_done;
	last[DEMO_PAYMENT] = g->next_payment - 1;
	last[DEMO_PROMISE] = g->next_promise - 1;
	last[DEMO_EVENT] = g->next_event - 1;
}

/* -------------------------------------------------------------- helpers */
/* Lower-case ASCII for e-mail addresses: "Núñez" -> "nunez", "O'Brien" -> "obrien".
 * Latin-1 letters are two bytes in UTF-8, 0xC3 then 0x80..0xBF. */
static void ascii_lower(char *out, size_t n, const char *s)
{
	static const char latin1[] = "aaaaaaaceeeeiiiidnoooooxouuuuytsaaaaaaaceeeeiiiidnooooo/ouuuuyty";
	size_t o = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p && o + 1 < n; p++) {
		if (*p == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF) {
			out[o++] = latin1[*++p - 0x80];
		} else if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')) {
			out[o++] = (char)*p;
		} else if (*p >= 'A' && *p <= 'Z') {
			out[o++] = (char)(*p - 'A' + 'a');
		}
	}
	out[o] = '\0';
}

static void upper_initials(char *out, const char *s, int n)
{
	char a[64];

	ascii_lower(a, sizeof a, s);
	for (int i = 0; i < n; i++)
		out[i] = a[i] ? (char)(a[i] - 'a' + 'A') : 'X';
}

static void fill_pattern(char *out, size_t n, const char *pat, struct rng *r)
{
	size_t o = 0;

	for (; *pat && o + 1 < n; pat++)
		out[o++] = *pat == '#' ? (char)('0' + rbelow(r, 10))
		         : *pat == 'N' ? (char)('2' + rbelow(r, 8)) : *pat;
	out[o] = '\0';
}

/* A drawn number that libphonenumber would not call valid (an unassigned
 * block: Chile's 9 1..., Colombia's 309...) is moved, with no other draw,
 * to a valid one: the first digit the pattern leaves free is turned, then
 * the next, until phone_normalize() takes the number as written. So the
 * demo holds only numbers the imports and the send screen accept, and
 * every other draw stays what it was. */
static void valid_number(char *value, const char *pat)
{
	char out[PHONE_E164_SIZE];
	size_t start = strcspn(pat, "#N"), len = strlen(value);

	for (size_t pos = start; pos < len; pos++) {
		char was = value[pos];

		for (int step = 0; step < 10; step++) {
			value[pos] = (char)('0' + (was - '0' + step) % 10);
			if (phone_normalize(value, NULL, out, sizeof out, NULL, 0) && !strcmp(out, value))
				return;
		}
		value[pos] = was;
	}
}

static const char *rpattern(struct rng *r, const char *const *pats)
{
	size_t n = 0;

	while (pats[n])
		n++;
	return pats[rbelow(r, (uint32_t)n)];
}

/* An instant on day at a local hour in [h0, h1), kept before the anchor. */
static int64_t local_time(const struct demo_gen *g, const struct debtor *d, int day, int h0, int h1,
                          struct rng *r)
{
	int64_t t = (int64_t)day * DAY + rrange(r, h0 * 3600, h1 * 3600 - 1) - d->zone->utc_offset_min * 60;

	while (t >= g->plan->anchor)
		t -= DAY;
	return t;
}

static void format_amount(char *out, size_t n, int64_t minor, const char *currency, int decimals)
{
	if (decimals == 0)
		snprintf(out, n, "%s %lld", currency, (long long)minor);
	else
		snprintf(out, n, "%s %lld.%02lld", currency, (long long)(minor / 100),
		         (long long)(minor % 100));
}

static void format_date(char *out, size_t n, int day)
{
	int y, m, d;

	demo_civil_from_days(day, &y, &m, &d);
	snprintf(out, n, "%04d-%02d-%02d", y, m, d);
}

/* ------------------------------------------------------------- debtors */
static void gen_name(struct debtor *d, struct rng *r, bool english)
{
	bool female = rpct(r, 52);
	const char *first, *second = NULL, *s1, *s2 = NULL;

	if (english) {
		first = rword(r, female ? &demo_en_female : &demo_en_male);
		s1 = rword(r, &demo_en_surnames);
		if (rpct(r, 30)) {
			char initial[4] = { (char)('A' + rbelow(r, 26)), '.', '\0' };

			snprintf(d->name, sizeof d->name, "%s %s %s", first, initial, s1);
		} else {
			snprintf(d->name, sizeof d->name, "%s %s", first, s1);
		}
	} else {
		first = rword(r, female ? &demo_es_female : &demo_es_male);
		if (rpct(r, 25)) {
			second = rword(r, female ? &demo_es_female : &demo_es_male);
			if (second == first)
				second = NULL;
		}
		s1 = rword(r, &demo_es_surnames);
		/* Hispanic names carry both surnames, except often in the US. */
		if (strcmp(d->country->code, "US") != 0 || rpct(r, 50))
			s2 = rword(r, &demo_es_surnames);
		snprintf(d->name, sizeof d->name, "%s%s%s %s%s%s", first, second ? " " : "",
		         second ? second : "", s1, s2 ? " " : "", s2 ? s2 : "");
	}
	snprintf(d->first, sizeof d->first, "%s", first);
	snprintf(d->surname, sizeof d->surname, "%s", s1);   /* the paternal one */

	switch (d->country->id_kind) {
	case ID_DNI_PE:
		snprintf(d->national_id, sizeof d->national_id, "%08d", rrange(r, 10000000, 79999999));
		break;
	case ID_CURP_MX: {
		/* CURP's shape: initials, birth date, sex, state, consonants, check. */
		static const char cons[] = "BCDFGHJKLMNPQRSTVWXZ";
		const char *tz = d->zone->tz;
		const char *state = strstr(tz, "Monterrey") ? "NL" : strstr(tz, "Cancun") ? "QR"
		                  : strstr(tz, "Tijuana") ? "BC" : "DF";
		char ini[4], c0[2], c1[2], k[5];
		int yy = rrange(r, 60, 99), mm = rrange(r, 1, 12), dd = rrange(r, 1, 28);

		upper_initials(ini, s1, 2);
		upper_initials(c0, s2 ? s2 : "X", 1);
		upper_initials(c1, first, 1);
		ini[2] = c0[0];
		ini[3] = c1[0];
		for (int i = 0; i < 3; i++)
			k[i] = cons[rbelow(r, 20)];
		k[3] = (char)('A' + rbelow(r, 26));
		k[4] = (char)('0' + rbelow(r, 10));
		snprintf(d->national_id, sizeof d->national_id, "%.4s%02d%02d%02d%c%s%.5s", ini, yy, mm, dd,
		         female ? 'M' : 'H', state, k);
		break;
	}
	case ID_CC_CO:
		{
			int hi = rrange(r, 10000, 1099999), lo = (int)rbelow(r, 1000);

			snprintf(d->national_id, sizeof d->national_id, "%d%03d", hi, lo);
		}
		break;
	case ID_RUT_CL: {
		int n = rrange(r, 5000000, 26999999), sum = 0, mul = 2, dv;

		for (int x = n; x > 0; x /= 10) {
			sum += (x % 10) * mul;
			mul = mul == 7 ? 2 : mul + 1;
		}
		dv = 11 - sum % 11;
		snprintf(d->national_id, sizeof d->national_id, "%d-%c", n,
		         dv == 11 ? '0' : dv == 10 ? 'K' : (char)('0' + dv));
		break;
	}
	case ID_DNI_ES: {
		int n = rrange(r, 10000000, 99999999);

		snprintf(d->national_id, sizeof d->national_id, "%08d%c", n,
		         "TRWAGMYFPDXBNJZSQVHLCKE"[n % 23]);
		break;
	}
	case ID_SSN4_US:
		/* Collectors keep the last four digits, never the whole number. */
		if (rpct(r, 70))
			snprintf(d->national_id, sizeof d->national_id, "XXX-XX-%04d", rrange(r, 1, 9999));
		else
			d->national_id[0] = '\0';
		break;
	}

	{
		/* Draws in separate statements: argument order is unspecified in C. */
		const char *street = rword(r, d->country->streets);
		int number = rrange(r, 1, 2999);

		if (strcmp(d->country->code, "US") == 0)
			snprintf(d->address, sizeof d->address, "%d %s, %s", number, street, d->zone->city);
		else
			snprintf(d->address, sizeof d->address, "%s %d, %s", street, number, d->zone->city);
	}
}

static struct contact *add_contact(struct demo_gen *g, struct debtor *d, int kind, unsigned consent)
{
	struct contact *c = &d->contact[d->ncontacts++];

	c->id = g->next_contact++;
	c->kind = kind;
	c->consent = consent;
	c->opted = 0;
	c->opted_at = c->bad_since = NO_TIME;
	c->primary = false;
	return c;
}

/* A time some days before the anchor, during the day. */
static int64_t days_ago(const struct demo_gen *g, const struct debtor *d, struct rng *r, int lo, int hi)
{
	return local_time(g, d, g->anchor_day - rrange(r, lo, hi), 8, 21, r);
}

/* Like days_ago, but never before the debtor came to us. */
static int64_t since_created(const struct demo_gen *g, const struct debtor *d, struct rng *r, int lo, int hi)
{
	int known = g->anchor_day - 1 - (int)(d->created / DAY);

	if (hi > known)
		hi = known;
	if (hi < lo)
		hi = lo;
	return days_ago(g, d, r, lo, hi);
}

static void gen_contacts(struct demo_gen *g, struct debtor *d, struct rng *r)
{
	bool phone_only = rpct(r, d->country->phone_only_pct);
	struct contact *c, *mobile = NULL;
	const char *pat;

	d->ncontacts = 0;
	d->call_until = d->sms_until = d->email_until = d->wa_until = d->mail_until = NO_TIME;
	if (rpct(r, 97)) {
		mobile = c = add_contact(g, d, CP_MOBILE, phone_only ? CH_CALL : CH_CALL | CH_SMS);
		pat = rpattern(r, d->zone->mobile);
		fill_pattern(c->value, sizeof c->value, pat, r);
		valid_number(c->value, pat);
		c->primary = true;
		d->call_until = d->sms_until = INT64_MAX;
		if (rpct(r, 4)) {
			c->bad_since = since_created(g, d, r, 2, 120);
			d->call_until = d->sms_until = c->bad_since;
		} else if (!phone_only && rpct(r, 3)) {
			c->opted = CH_SMS;
			c->opted_at = since_created(g, d, r, 1, 90);
			d->sms_until = c->opted_at;
		}
		if (!phone_only && c->bad_since == NO_TIME && rpct(r, 40)) {
			struct contact *w = add_contact(g, d, CP_WHATSAPP, CH_WHATSAPP);

			memcpy(w->value, c->value, sizeof w->value);
			w->primary = true;
			d->wa_until = INT64_MAX;
		}
	}
	if (!mobile || rpct(r, 25)) {
		c = add_contact(g, d, CP_PHONE, CH_CALL);
		pat = rpattern(r, d->zone->landline);
		fill_pattern(c->value, sizeof c->value, pat, r);
		valid_number(c->value, pat);
		c->primary = !mobile;
		if (rpct(r, 10))
			c->bad_since = since_created(g, d, r, 2, 200);
		else
			d->call_until = INT64_MAX;
	}
	if (rpct(r, 75)) {
		const char *at = rword(r, &demo_email_domains);
		char local[64], first[64];

		/* "María Núñez Peña" writes as maria.nunez@... */
		c = add_contact(g, d, CP_EMAIL, phone_only ? 0 : CH_EMAIL);
		ascii_lower(first, sizeof first, d->first);
		ascii_lower(local, sizeof local, d->surname);
		if (rpct(r, 50))
			snprintf(c->value, sizeof c->value, "%s.%s%d@%s", first, local, rrange(r, 1, 99), at);
		else
			snprintf(c->value, sizeof c->value, "%s.%s@%s", first, local, at);
		c->primary = true;
		if (!phone_only) {
			d->email_until = INT64_MAX;
			if (rpct(r, 5)) {
				c->bad_since = since_created(g, d, r, 2, 150);
				d->email_until = c->bad_since;
			} else if (rpct(r, 2)) {
				c->opted = CH_EMAIL;
				c->opted_at = since_created(g, d, r, 1, 90);
				d->email_until = c->opted_at;
			}
		}
	}
	if (rpct(r, 50)) {
		c = add_contact(g, d, CP_ADDRESS, CH_LETTER | CH_VISIT);
		snprintf(c->value, sizeof c->value, "%s", d->address);
		c->primary = true;
		d->mail_until = INT64_MAX;
	}
}

/* ------------------------------------------------------------- accounts */
static int64_t round_amount(int64_t minor, const char *currency, int decimals)
{
	int64_t step = decimals == 0 ? 100 : strcmp(currency, "COP") == 0 ? 100000 : 100;

	minor = (minor + step / 2) / step * step;
	return minor < step ? step : minor;
}

static void add_payment(struct demo_gen *g, struct acct *a, int64_t amount, int64_t at, struct rng *r)
{
	struct pay *p = &a->pay[a->npay++];
	static const int methods[] = { 40, 25, 20, 10, 5 };

	p->id = g->next_payment++;
	p->amount = amount;
	p->at = at;
	p->method = rweighted(r, methods, 5);
}

static struct prom *add_promise(struct demo_gen *g, struct acct *a, int64_t agent, int64_t amount,
                                int64_t created, int due, int status, struct rng *r)
{
	struct prom *p = &a->prom[a->nprom++];
	static const int channels[] = { 70, 8, 5, 12, 0, 5 };

	memset(p, 0, sizeof *p);
	p->id = g->next_promise++;
	p->agent = agent;
	p->amount = amount;
	p->created = created;
	p->due = due;
	p->status = status;
	p->resolved = NO_TIME;
	p->channel = rweighted(r, channels, 6);
	if (rpct(r, 20))
		p->note = 1 + (int)rbelow(r, 12);
	return p;
}

static int64_t pick_agent(const struct demo_gen *g, const struct acct *a, struct rng *r)
{
	int n = g->team_n[a->team];

	if ((a->agent && !rpct(r, 10)) || n == 0)
		return a->agent;
	return g->plan->collector_id[g->team_members[a->team][rbelow(r, (uint32_t)n)]];
}

static void gen_account(struct demo_gen *g, struct debtor *d, struct acct *a, int collector, bool pool)
{
	static const int seg_w[] = { 15, 35, 25, 15, 10 };
	const struct demo_plan *P = g->plan;
	const int A = g->anchor_day, window = A - HISTORY_DAYS;
	int ci = (int)(d->country - demo_countries);
	const struct demo_creditor *cr;
	const struct demo_product *prod = NULL;
	const char *pcode;
	struct rng r;
	int oldest, dom, c = 0, u, f, cap;
	int64_t usd_cents, minor, scale;

	rng_init(&r, P->seed, 2, (uint64_t)a->id);
	a->ninst = a->npay = a->nprom = a->nev = 0;
	a->team = P->collector_team[collector];
	a->agent = pool ? 0 : P->collector_id[collector];
	a->creditor = g->country_creditors[ci][rbelow(&r, (uint32_t)g->country_ncreditors[ci])];
	cr = &demo_creditors[a->creditor];
	pcode = rpattern(&r, cr->products);
	for (size_t i = 0; i < demo_nproducts; i++)
		if (strcmp(demo_products[i].code, pcode) == 0)
			a->product = (int)i, prod = &demo_products[i];
	a->currency = rpct(&r, d->country->usd_pct) ? "USD" : d->country->currency;
	a->decimals = currency_decimals(a->currency);

	/* The schedule: u paid instalments, then the oldest unpaid one and c more
	 * that fell due before the anchor, then f still to come. */
	a->segment = rweighted(&r, seg_w, 5);
	switch (a->segment) {
	case SEG_PREVENTIVE: oldest = A + rrange(&r, 1, 10); break;
	case SEG_EARLY: oldest = A - rrange(&r, 1, 30); break;
	case SEG_MID: oldest = A - rrange(&r, 31, 90); break;
	case SEG_LATE: oldest = A - rrange(&r, 91, 180); break;
	default: oldest = A - rrange(&r, 181, 720); break;
	}
	dom = day_of_month(oldest);
	while (c < 40 && add_months(oldest, c, dom) < A)
		c++;
	cap = rrange(&r, prod->min_term, prod->max_term);
	if (c > cap)
		c = cap;   /* matured: its last instalment fell due long ago */
	u = rrange(&r, 0, 2);
	if (a->segment == SEG_PREVENTIVE)
		f = rrange(&r, 1, 3);
	else
		f = a->segment == SEG_RECOVERY ? 0 : rrange(&r, 0, 3);
	scale = demo_currency_scale(a->currency);
	/* The product of two uniform draws: many small instalments, a few large. */
	usd_cents = (int64_t)prod->min_amount * 100 + (int64_t)(prod->max_amount - prod->min_amount) * 100 *
	            rbelow(&r, 1000) * rbelow(&r, 1000) / 1000000;
	minor = usd_cents * scale / 100;
	if (a->decimals == 0)
		minor /= 100;
	a->inst_amount = round_amount(minor, a->currency, a->decimals);
	a->ninst = u + c + f;
	for (int j = 0; j < a->ninst; j++) {
		a->inst[j].due = add_months(oldest, j - u, dom);
		a->inst[j].amount = a->inst_amount;
		a->inst[j].paid = 0;
	}
	a->created = (int64_t)add_months(oldest, -u - 1, dom) * DAY + rrange(&r, 13 * 3600, 23 * 3600);

	/* Status: debtor states stop collection; otherwise a few disputes, holds,
	 * agency placements of old debt, and accounts paid off in the window. */
	a->status = ST_ACTIVE;
	if (d->state == DS_CEASE)
		a->status = ST_CEASE;
	else if (d->state != DS_ACTIVE)
		a->status = ST_LEGAL_HOLD;
	else if (a->segment != SEG_PREVENTIVE) {
		int x = (int)rbelow(&r, 1000);

		if (x < 30)
			a->status = ST_PAID;
		else if (x < 60)
			a->status = ST_DISPUTE;
		else if (x < 70)
			a->status = ST_LEGAL_HOLD;
		else if (a->segment == SEG_RECOVERY && x < 220)
			a->status = ST_AGENCY;
	}
	a->status_at = a->settled_at = NO_TIME;
	if (a->status != ST_ACTIVE && a->status != ST_PAID)
		a->status_at = local_time(g, d, A - rrange(&r, 1, 30), 10, 17, &r);

	/* Payments of the instalments paid on time or, after a promise, late. */
	for (int j = 0; j < u; j++) {
		struct inst *in = &a->inst[j];
		bool late = rpct(&r, 25);
		int day = in->due + (late ? rrange(&r, 4, 20) : rrange(&r, -5, 2));
		int64_t at;

		if (day >= A)
			day = A - 1;
		at = local_time(g, d, day, 7, 23, &r);
		in->paid = in->amount;
		if (late) {
			int64_t created = at - rrange(&r, 1, 8) * (int64_t)DAY, agent = pick_agent(g, a, &r);
			int due = (int)(at / DAY) + rrange(&r, 0, 3);
			struct prom *p = add_promise(g, a, agent, in->amount, created, due, PR_KEPT, &r);

			p->resolved = at + 60;
		}
		add_payment(g, a, in->amount, at, &r);
	}
	/* A partial payment on the oldest unpaid instalment. */
	if (c > 0 && a->status == ST_ACTIVE && rpct(&r, 10)) {
		struct inst *in = &a->inst[u];
		int from = in->due > window ? in->due : window;

		in->paid = round_amount(in->amount * rrange(&r, 20, 60) / 100, a->currency, a->decimals);
		if (in->paid >= in->amount)
			in->paid = in->amount / 2 > 0 ? in->amount / 2 : 0;
		if (in->paid > 0)
			add_payment(g, a, in->paid, local_time(g, d, rrange(&r, from, A - 1), 7, 23, &r), &r);
		else
			in->paid = 0;
	}
	/* Paid off: one settlement payment, promised a few days before. */
	if (a->status == ST_PAID) {
		int64_t rest = 0, at;
		struct prom *p;

		for (int j = 0; j < a->ninst; j++) {
			rest += a->inst[j].amount - a->inst[j].paid;
			a->inst[j].paid = a->inst[j].amount;
		}
		at = local_time(g, d, A - rrange(&r, 1, 30), 8, 22, &r);
		{
			int64_t agent = pick_agent(g, a, &r), created = at - rrange(&r, 1, 7) * (int64_t)DAY;
			int due = (int)(at / DAY) + rrange(&r, 0, 2);

			p = add_promise(g, a, agent, rest, created, due, PR_KEPT, &r);
		}
		p->resolved = at + 60;
		add_payment(g, a, rest, at, &r);
		a->settled_at = at;
	}

	a->balance = a->past_due = 0;
	a->oldest_due = NO_DAY;
	for (int j = 0; j < a->ninst; j++) {
		int64_t owed = a->inst[j].amount - a->inst[j].paid;

		if (owed <= 0)
			continue;
		a->balance += owed;
		if (a->inst[j].due < A)
			a->past_due += owed;
		if (a->oldest_due == NO_DAY)
			a->oldest_due = a->inst[j].due;
	}

	/* Promises not (yet) kept. */
	if (a->status == ST_ACTIVE && a->past_due > 0) {
		static const int broken_pct[] = { 0, 15, 30, 30, 15 };
		int lo = oldest + 1 > window ? oldest + 1 : window;

		if (rpct(&r, broken_pct[a->segment]) && lo <= A - 4) {
			int day = rrange(&r, lo, A - 4), due = day + rrange(&r, 1, 7);
			int64_t amount = a->inst_amount * rrange(&r, 1, c > 0 ? c : 1);
			int64_t agent = pick_agent(g, a, &r), created = local_time(g, d, day, 9, 19, &r);
			struct prom *p = add_promise(g, a, agent, amount < a->past_due ? amount : a->past_due,
			                             created, due, PR_BROKEN, &r);

			if (due + 2 < A)
				p->resolved = (int64_t)(due + 2) * DAY + 6 * 3600;
			else
				p->status = PR_PENDING;
		}
		if (rpct(&r, 3) && lo <= A - 6) {
			int day = rrange(&r, lo, A - 6), due = day + rrange(&r, 3, 10);
			int64_t agent = pick_agent(g, a, &r), created = local_time(g, d, day, 9, 19, &r);
			struct prom *p;

			p = add_promise(g, a, agent, a->past_due, created, due, PR_CANCELLED, &r);

			p->resolved = p->created + rrange(&r, 1, 4) * (int64_t)DAY;
		}
		if (rpct(&r, 18)) {
			int64_t amount = a->past_due, discount = 0, agent, created;
			int due;
			struct prom *p;

			/* Old debt settles for less: the rest is the discount. */
			if (a->segment == SEG_RECOVERY) {
				amount = a->balance * rrange(&r, 55, 85) / 100;
				amount = round_amount(amount, a->currency, a->decimals);
				if (amount > a->balance)
					amount = a->balance;
				discount = a->balance - amount;
			}
			agent = pick_agent(g, a, &r);
			created = days_ago(g, d, &r, 1, 7);
			due = A + rrange(&r, 0, 10);
			p = add_promise(g, a, agent, amount, created, due, PR_PENDING, &r);
			p->discount = discount;
		}
		/* Some pay in parts: weekly instalments of the promise. */
		for (int i = 0; i < a->nprom; i++) {
			struct prom *p = &a->prom[i];

			if (p->status == PR_KEPT || !rpct(&r, 15))
				continue;
			p->nparts = rrange(&r, 2, 4);
			for (int k = 0; k < p->nparts; k++) {
				p->part_due[k] = p->due + 7 * k;
				p->part_amount[k] = p->amount / p->nparts;
			}
			p->part_amount[p->nparts - 1] += p->amount % p->nparts;
			if (p->part_amount[0] <= 0)
				p->nparts = 0;
		}
	}

	{
		static const int base[] = { 820, 620, 430, 260, 120 };
		int s = base[a->segment] + rrange(&r, -120, 120);

		if (a->status == ST_PAID)
			s = rrange(&r, 880, 1000);
		else if (a->status == ST_DISPUTE)
			s -= 100;
		a->score = s < 0 ? 0 : s > 1000 ? 1000 : s;
	}

	/* Callbacks the collector set for the coming days, a few due already. */
	a->next_action = NO_TIME;
	if (a->status == ST_ACTIVE && rpct(&r, 8)) {
		int day = A + rrange(&r, 0, 3);

		a->next_action = (int64_t)day * DAY + rrange(&r, 9 * 3600, 18 * 3600);
		a->next_action -= d->zone->utc_offset_min * 60;
	}
	if (a->oldest_due != NO_DAY)
		format_date(a->due_text, sizeof a->due_text, a->oldest_due);
	else
		format_date(a->due_text, sizeof a->due_text, a->inst[a->ninst - 1].due);
	format_amount(a->amount_text, sizeof a->amount_text, a->past_due > 0 ? a->past_due : a->inst_amount,
	              a->currency, a->decimals);
}

/* -------------------------------------------------------------- history */
static struct ev *add_ev(struct acct *a, int kind, int dir, int outcome, int64_t at, int64_t agent)
{
	struct ev *e;

	if (a->nev >= MAX_EV)
		return NULL;
	e = &a->ev[a->nev++];
	e->at = at;
	e->agent = agent;
	e->amount = 0;
	e->ref = 0;
	e->kind = (uint8_t)kind;
	e->dir = (uint8_t)dir;
	e->outcome = (uint8_t)outcome;
	e->text = 0;
	return e;
}

static void gen_base_event(struct demo_gen *g, struct debtor *d, struct acct *a, struct rng *r,
                           int start, int end)
{
	static const int kind_w[] = { 46, 18, 12, 8, 3, 1, 8, 4 };   /* ..., note, inbound */
	static const int call_w[] = { 0, 22, 9, 38, 9, 3, 12, 5, 2 };
	bool old = a->segment >= SEG_LATE;
	int w[8], day = rrange(r, start, end), kind, oc;
	int64_t t;
	struct ev *e;

	memcpy(w, kind_w, sizeof w);
	if (!old)
		w[4] = 1, w[5] = 0;
	kind = rweighted(r, w, 8);
	switch (kind) {
	case 1:   /* sms */
		t = local_time(g, d, day, 9, 19, r);
		if (t >= d->sms_until)
			break;
		oc = rpct(r, 93) ? OC_DELIVERED : OC_FAILED;
		e = add_ev(a, EV_SMS, 1, oc, t, rpct(r, 25) ? pick_agent(g, a, r) : 0);
		if (e)
			e->text = t < (int64_t)a->oldest_due * DAY ? 0 : 1;
		return;
	case 2:   /* email */
		t = local_time(g, d, day, 7, 22, r);
		if (t >= d->email_until)
			break;
		oc = rpct(r, 95) ? OC_DELIVERED : OC_FAILED;
		e = add_ev(a, EV_EMAIL, 1, oc, t, rpct(r, 20) ? pick_agent(g, a, r) : 0);
		if (e)
			e->text = t < (int64_t)a->oldest_due * DAY ? 0 : 1;
		return;
	case 3:   /* whatsapp */
		t = local_time(g, d, day, 9, 20, r);
		if (t >= d->wa_until)
			break;
		oc = rpct(r, 96) ? OC_DELIVERED : OC_FAILED;
		e = add_ev(a, EV_WHATSAPP, 1, oc, t, rpct(r, 40) ? pick_agent(g, a, r) : 0);
		if (e)
			e->text = t < (int64_t)a->oldest_due * DAY ? 0 : 1;
		return;
	case 4:   /* letter */
		if (d->mail_until == NO_TIME)
			break;
		add_ev(a, EV_LETTER, 1, OC_SENT, local_time(g, d, day, 10, 16, r), 0);
		return;
	case 5:   /* visit */
		if (d->mail_until == NO_TIME)
			break;
		t = local_time(g, d, day, 9, 18, r);
		e = add_ev(a, EV_VISIT, 1, OC_NONE, t, pick_agent(g, a, r));
		if (e) {
			e->text = (uint8_t)rbelow(r, 4);
			e->outcome = (uint8_t)(e->text == 0 ? OC_RIGHT_PARTY : e->text == 1 ? OC_NOT_HOME
			                     : e->text == 2 ? OC_THIRD_PARTY : OC_MOVED);
		}
		return;
	case 6:   /* note */
		t = local_time(g, d, day, 8, 20, r);
		e = add_ev(a, EV_NOTE, 0, OC_NONE, t, pick_agent(g, a, r));
		if (e)
			e->text = (uint8_t)rbelow(r, (uint32_t)demo_notes[0].n);
		return;
	case 7: { /* the debtor writes back on a channel that reaches them */
		int ch[4], n = 0;   /* whatsapp counts twice: people answer there most */

		t = local_time(g, d, day, 7, 23, r);
		if (t < d->sms_until)
			ch[n++] = EV_SMS;
		if (t < d->wa_until)
			ch[n++] = EV_WHATSAPP, ch[n++] = EV_WHATSAPP;
		if (t < d->email_until)
			ch[n++] = EV_EMAIL;
		if (n == 0)
			break;
		e = add_ev(a, ch[rbelow(r, (uint32_t)n)], 2, OC_RECEIVED, t, 0);
		if (e)
			e->text = (uint8_t)rbelow(r, (uint32_t)demo_replies[0].n);
		return;
	}
	default:
		break;
	}
	/* A call, also when the channel drawn does not reach this debtor. */
	t = local_time(g, d, day, 8, 20, r);
	if (t >= d->call_until) {
		e = add_ev(a, EV_NOTE, 0, OC_NONE, t, pick_agent(g, a, r));
		if (e)
			e->text = (uint8_t)rbelow(r, (uint32_t)demo_notes[0].n);
		return;
	}
	oc = rweighted(r, call_w, 9);
	if (oc == OC_DISPUTE && a->status != ST_DISPUTE)
		oc = OC_NO_ANSWER;
	e = add_ev(a, EV_CALL, 1, oc, t, pick_agent(g, a, r));
	if (!e)
		return;
	/* Seconds on the line, when somebody answered. */
	if (oc == OC_RIGHT_PARTY || oc == OC_THIRD_PARTY || oc == OC_REFUSED || oc == OC_DISPUTE)
		e->ref = rrange(r, 20, 600);
	if (oc == OC_DISPUTE)
		e->text = (uint8_t)rbelow(r, (uint32_t)demo_dispute_notes[0].n);
}

static int ev_cmp(const struct ev *x, const struct ev *y)
{
	return x->at < y->at ? -1 : x->at > y->at;
}

static void gen_events(struct demo_gen *g, struct debtor *d, struct acct *a, bool first)
{
	static const int rate[] = { 330, 600, 520, 470, 300 };   /* per thousand days */
	const int A = g->anchor_day;
	const int64_t window = g->plan->anchor - (int64_t)HISTORY_DAYS * DAY;
	int start = A - HISTORY_DAYS, end = A - 1, n;
	struct rng r;
	int64_t stop = INT64_MAX;

	rng_init(&r, g->plan->seed, 3, (uint64_t)a->id);
	a->nev = 0;
	if (a->oldest_due != NO_DAY && a->oldest_due - 12 > start)
		start = a->oldest_due - 12;
	if (start > end)
		start = end;
	n = (end - start + 1) * rate[a->segment] * rrange(&r, 60, 140) / 100000;
	if (n > MAX_EV - 32)
		n = MAX_EV - 32;
	for (int i = 0; i < n; i++)
		gen_base_event(g, d, a, &r, start, end);

	/* Collection stops at a dispute, a hold, a placement or the payoff. */
	if (a->status_at != NO_TIME)
		stop = a->status_at;
	if (a->settled_at != NO_TIME)
		stop = a->settled_at + DAY;
	if (stop != INT64_MAX) {
		int k = 0;

		for (int i = 0; i < a->nev; i++)
			if (a->ev[i].at < stop || a->ev[i].kind == EV_NOTE)
				a->ev[k++] = a->ev[i];
		a->nev = k;
	}
	if (a->status_at != NO_TIME) {
		if (a->status == ST_DISPUTE) {
			struct ev *e = add_ev(a, EV_CALL, 1, OC_DISPUTE, a->status_at - 300, pick_agent(g, a, &r));

			if (e) {
				e->ref = rrange(&r, 60, 900);
				e->text = (uint8_t)rbelow(&r, (uint32_t)demo_dispute_notes[0].n);
			}
		}
		add_ev(a, EV_STATUS, 0, OC_STATUS + a->status, a->status_at,
		       a->status == ST_DISPUTE ? pick_agent(g, a, &r) : 0);
	}

	for (int i = 0; i < a->nprom; i++) {
		struct prom *p = &a->prom[i];
		struct ev *e;

		if (p->created >= window) {
			/* Most promises are given on the phone, to the collector. */
			if (p->channel == 0 && p->created - 600 >= window) {
				int64_t t = p->created - rrange(&r, 60, 600);

				if ((e = add_ev(a, EV_CALL, 1, OC_RIGHT_PARTY, t, p->agent)))
					e->ref = rrange(&r, 60, 600);
			}
			if ((e = add_ev(a, EV_PROMISE, 0, OC_CREATED, p->created, p->agent)))
				e->amount = p->amount, e->ref = p->id;
		}
		if (p->resolved != NO_TIME && p->resolved >= window && p->resolved < g->plan->anchor)
			if ((e = add_ev(a, EV_PROMISE, 0, OC_KEPT + p->status - PR_KEPT, p->resolved,
			                p->status == PR_CANCELLED ? p->agent : 0)))
				e->amount = p->amount, e->ref = p->id;
	}
	for (int i = 0; i < a->npay; i++) {
		struct ev *e;

		const struct pay *y = &a->pay[i];

		if (y->at >= window && (e = add_ev(a, EV_PAYMENT, 2, OC_NONE, y->at, 0)))
			e->amount = y->amount, e->ref = y->id, e->text = (uint8_t)y->method;
	}
	/* What the debtor's contact points went through shows on the first account. */
	for (int i = 0; first && i < d->ncontacts; i++) {
		struct contact *c = &d->contact[i];

		if (c->bad_since != NO_TIME && c->bad_since >= window) {
			if (c->kind == CP_EMAIL)
				add_ev(a, EV_EMAIL, 1, OC_FAILED, c->bad_since, 0);
			else if (c->kind == CP_MOBILE || c->kind == CP_PHONE)
				add_ev(a, EV_CALL, 1, OC_WRONG_NUMBER, c->bad_since, pick_agent(g, a, &r));
		}
		if (c->opted_at != NO_TIME && c->opted_at >= window) {
			bool sms = c->opted & CH_SMS;
			struct ev *e;

			if ((e = add_ev(a, sms ? EV_SMS : EV_EMAIL, 2, OC_RECEIVED, c->opted_at - 5, 0)))
				e->text = (uint8_t)(200 + rbelow(&r, (uint32_t)demo_stop_words[0].n));
			add_ev(a, EV_OPTOUT, 2, sms ? OC_SMS : OC_EMAIL, c->opted_at, 0);
		}
	}
	if (a->next_action != NO_TIME) {
		int64_t t = a->next_action - rrange(&r, 1, 3) * (int64_t)DAY;
		struct ev *e;

		while (t >= g->plan->anchor)
			t -= DAY;
		if ((e = add_ev(a, EV_CALLBACK, 0, OC_SCHEDULED, t, pick_agent(g, a, &r))))
			e->ref = a->next_action;
	}

	/* Oldest first, as they happened; a few dozen, so insertion sort. */
	for (int i = 1; i < a->nev; i++) {
		struct ev x = a->ev[i];
		int j = i;

		while (j > 0 && ev_cmp(&a->ev[j - 1], &x) > 0) {
			a->ev[j] = a->ev[j - 1];
			j--;
		}
		a->ev[j] = x;
	}

	a->last_contact = a->replied = NO_TIME;
	a->updated = a->created;
	for (int i = 0; i < a->nev; i++) {
		const struct ev *e = &a->ev[i];

		if (e->kind <= EV_VISIT && e->outcome != OC_FAILED)
			a->last_contact = e->at;
		if (e->dir == 2 && e->kind <= EV_WHATSAPP && e->at >= g->plan->anchor - 3 * DAY)
			a->replied = e->at;
		if (e->at > a->updated)
			a->updated = e->at;
	}
	if (a->replied != NO_TIME && rpct(&r, 40))
		a->replied = NO_TIME;   /* somebody has read it already */
}

static void gen_debtor(struct demo_gen *g, bool with_events)
{
	static const int accts_w[] = { 85, 12, 3 };
	const struct demo_plan *P = g->plan;
	struct debtor *d = &g->d;
	long no = g->debtor_no++;
	int cw[8], zw[8], collector, x;
	bool english, pool;
	struct rng r;

	rng_init(&r, P->seed, 1, (uint64_t)no);
	d->id = no + 1;
	for (size_t i = 0; i < demo_ncountries; i++)
		cw[i] = demo_countries[i].weight;
	d->country = &demo_countries[rweighted(&r, cw, (int)demo_ncountries)];
	for (size_t i = 0; i < d->country->nzones; i++)
		zw[i] = d->country->zones[i].weight;
	d->zone = &d->country->zones[rweighted(&r, zw, (int)d->country->nzones)];
	english = rpct(&r, d->country->english_pct);
	d->lang = english || rpct(&r, d->country->english_speak_pct) ? 1 : 0;
	gen_name(d, &r, english);
	x = (int)rbelow(&r, 1000);
	d->state = x < 5 ? DS_CEASE : x < 9 ? DS_ATTORNEY : x < 12 ? DS_SUED : x < 14 ? DS_INSOLVENT
	         : x < 15 ? DS_DECEASED : DS_ACTIVE;

	/* The first debtors go one to each collector, so everyone has work even
	 * in a tiny portfolio; a few accounts wait in their team's pool. */
	collector = no < P->ncollectors ? (int)no : (int)rbelow(&r, (uint32_t)P->ncollectors);
	pool = no >= P->ncollectors && rpct(&r, 3);
	d->naccts = rweighted(&r, accts_w, 3) + 1;
	if (d->naccts > P->accounts - g->accounts_done)
		d->naccts = (int)(P->accounts - g->accounts_done);
	d->created = INT64_MAX;
	for (int i = 0; i < d->naccts; i++) {
		struct acct *a = &d->acct[i];

		a->id = ++g->accounts_done;
		gen_account(g, d, a, collector, pool);
		if (a->created < d->created)
			d->created = a->created;
	}
	gen_contacts(g, d, &r);
	if (with_events)
		for (int i = 0; i < d->naccts; i++)
			gen_events(g, d, &d->acct[i], i == 0);
}

/* ------------------------------------------------------------ COPY text */
static char *w_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

/* COPY text format: backslash, tab, newline and carriage return are escaped. */
static char *w_text(char *p, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\\': *p++ = '\\'; *p++ = '\\'; break;
		case '\t': *p++ = '\\'; *p++ = 't'; break;
		case '\n': *p++ = '\\'; *p++ = 'n'; break;
		case '\r': *p++ = '\\'; *p++ = 'r'; break;
		default: *p++ = *s;
		}
	}
	return p;
}

static char *w_null(char *p)
{
	*p++ = '\\';
	*p++ = 'N';
	return p;
}

static char *w_i64(char *p, int64_t v)
{
	char tmp[24];
	int n = 0;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	if (v < 0)
		*p++ = '-';
	do
		tmp[n++] = (char)('0' + u % 10);
	while ((u /= 10));
	while (n)
		*p++ = tmp[--n];
	return p;
}

static char *w_2(char *p, int v)
{
	*p++ = (char)('0' + v / 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

static char *w_date(struct demo_gen *g, char *p, int day)
{
	if (day != g->cache_day) {
		int y, m, d;

		demo_civil_from_days(day, &y, &m, &d);
		snprintf(g->cache_date, sizeof g->cache_date, "%04d-%02d-%02d", y, m, d);
		g->cache_day = day;
	}
	memcpy(p, g->cache_date, 10);
	return p + 10;
}

/* "2025-03-07 14:05:09+00": UTC, which every session's TimeZone reads right. */
static char *w_ts(struct demo_gen *g, char *p, int64_t t)
{
	int64_t day;
	int s;

	if (t == NO_TIME)
		return w_null(p);
	day = t >= 0 ? t / DAY : (t - DAY + 1) / DAY;
	s = (int)(t - day * DAY);
	p = w_date(g, p, (int)day);
	*p++ = ' ';
	p = w_2(p, s / 3600);
	*p++ = ':';
	p = w_2(p, s / 60 % 60);
	*p++ = ':';
	p = w_2(p, s % 60);
	return w_str(p, "+00");
}

static char *w_id(char *p, int64_t id) { return id ? w_i64(p, id) : w_null(p); }

static char *w_set(char *p, unsigned bits)
{
	bool any = false;

	*p++ = '{';
	for (int i = 0; i < 6; i++)
		if (bits & (1u << i)) {
			if (any)
				*p++ = ',';
			p = w_str(p, channel_name[i]);
			any = true;
		}
	*p++ = '}';
	return p;
}

#define TAB (*p++ = '\t')
#define EOL (*p++ = '\n')

static char *row_debtor(struct demo_gen *g, char *p, const struct debtor *d)
{
	p = w_i64(p, d->id), TAB;
	p = w_text(p, d->name), TAB;
	p = w_text(p, d->first), TAB;
	p = d->national_id[0] ? w_text(p, d->national_id) : w_null(p), TAB;
	p = w_str(p, d->lang ? "en" : "es"), TAB;
	p = w_str(p, d->zone->jurisdiction), TAB;
	p = w_str(p, d->zone->tz), TAB;
	p = w_str(p, debtor_state_name[d->state]), TAB;
	p = w_ts(g, p, d->created), EOL;
	return p;
}

static char *row_contact(struct demo_gen *g, char *p, const struct debtor *d, const struct contact *c)
{
	p = w_i64(p, c->id), TAB;
	p = w_i64(p, d->id), TAB;
	p = w_str(p, contact_kind_name[c->kind]), TAB;
	p = w_text(p, c->value), TAB;
	p = w_set(p, c->consent), TAB;
	p = w_set(p, c->opted), TAB;
	p = w_ts(g, p, c->opted_at), TAB;
	p = w_ts(g, p, c->bad_since), TAB;
	*p++ = c->primary ? 't' : 'f', TAB;
	p = w_ts(g, p, d->created), EOL;
	return p;
}

static char *row_account(struct demo_gen *g, char *p, const struct debtor *d, const struct acct *a)
{
	const struct demo_creditor *cr = &demo_creditors[a->creditor];

	p = w_i64(p, a->id), TAB;
	p = w_i64(p, d->id), TAB;
	p = w_i64(p, g->plan->creditor_id[a->creditor]), TAB;
	p = w_str(p, demo_products[a->product].code), TAB;
	p = w_str(p, cr->ref_prefix), *p++ = '-';
	p = w_str(p, d->country->code), *p++ = '-';
	{
		char num[16];

		snprintf(num, sizeof num, "%09lld", (long long)a->id);
		p = w_str(p, num), TAB;
	}
	p = w_str(p, a->currency), TAB;
	p = w_i64(p, a->balance), TAB;
	p = w_i64(p, a->past_due), TAB;
	p = a->oldest_due != NO_DAY ? w_date(g, p, a->oldest_due) : w_null(p), TAB;
	p = w_str(p, status_name[a->status]), TAB;
	p = w_str(p, segment_name[a->segment]), TAB;
	p = w_i64(p, a->score), TAB;
	p = w_i64(p, g->plan->team_id[a->team]), TAB;
	p = w_id(p, a->agent), TAB;
	p = w_ts(g, p, a->next_action), TAB;
	p = w_ts(g, p, a->last_contact), TAB;
	p = w_ts(g, p, a->replied), TAB;
	p = w_ts(g, p, a->created), TAB;
	p = w_ts(g, p, a->updated), EOL;
	return p;
}

static char *row_installment(struct demo_gen *g, char *p, const struct acct *a, int j)
{
	p = w_i64(p, a->id), TAB;
	p = w_i64(p, j + 1), TAB;
	p = w_date(g, p, a->inst[j].due), TAB;
	p = w_i64(p, a->inst[j].amount), TAB;
	p = w_i64(p, a->inst[j].paid), EOL;
	return p;
}

static char *row_payment(struct demo_gen *g, char *p, const struct acct *a, const struct pay *y)
{
	p = w_i64(p, y->id), TAB;
	p = w_i64(p, a->id), TAB;
	p = w_i64(p, y->amount), TAB;
	p = w_str(p, a->currency), TAB;
	p = w_ts(g, p, y->at), TAB;
	p = w_str(p, method_name[y->method]), TAB;
	if (y->method == 2) {
		p = w_null(p), EOL;   /* cash at an agent: no reference */
	} else {
		p = w_str(p, "TRX"), p = w_i64(p, 7000000000LL + y->id * 7919 % 1000000000), EOL;
	}
	return p;
}

static char *row_promise(struct demo_gen *g, char *p, const struct debtor *d, const struct acct *a,
                         const struct prom *x)
{
	p = w_i64(p, x->id), TAB;
	p = w_i64(p, a->id), TAB;
	p = w_id(p, x->agent), TAB;
	p = w_i64(p, x->amount), TAB;
	p = w_str(p, a->currency), TAB;
	p = w_date(g, p, x->due), TAB;
	p = w_i64(p, x->discount), TAB;
	p = w_str(p, promise_status_name[x->status]), TAB;
	p = w_str(p, channel_name[x->channel]), TAB;
	p = x->note ? w_text(p, demo_notes[d->lang].w[x->note - 1]) : w_null(p), TAB;
	p = w_ts(g, p, x->created), TAB;
	p = w_ts(g, p, x->resolved), EOL;
	return p;
}

static char *row_promise_part(struct demo_gen *g, char *p, const struct prom *x, int k)
{
	p = w_i64(p, x->id), TAB;
	p = w_i64(p, k + 1), TAB;
	p = w_date(g, p, x->part_due[k]), TAB;
	p = w_i64(p, x->part_amount[k]), EOL;
	return p;
}

static char *row_event(struct demo_gen *g, char *p, const struct debtor *d, const struct acct *a,
                       const struct ev *e)
{
	char body[400], data[96];
	const char *outcome = NULL;
	int L = d->lang;

	body[0] = data[0] = '\0';
	switch (e->kind) {
	case EV_CALL:
		if (e->outcome == OC_DISPUTE)
			snprintf(body, sizeof body, "%s", demo_dispute_notes[L].w[e->text]);
		if (e->ref)
			snprintf(data, sizeof data, "{\"seconds\": %lld}", (long long)e->ref);
		break;
	case EV_SMS:
	case EV_EMAIL:
	case EV_WHATSAPP:
		if (e->dir == 2) {
			const char *said = e->text >= 200 ? demo_stop_words[L].w[e->text - 200]
			                                  : demo_replies[L].w[e->text];

			snprintf(body, sizeof body, "%s", said);
		} else {
			const char *fmt = e->kind == EV_SMS     ? demo_sms_text[L][e->text]
			                : e->kind == EV_EMAIL   ? demo_email_subject[L][e->text]
			                                        : demo_wa_text[L][e->text];

			snprintf(body, sizeof body, fmt, d->first, a->amount_text, a->due_text);
		}
		break;
	case EV_LETTER:
		snprintf(body, sizeof body, demo_letter_text[L], a->amount_text, a->due_text, d->address);
		break;
	case EV_VISIT:
		snprintf(body, sizeof body, demo_visit_text[L], d->address, demo_visit_result[L].w[e->text]);
		break;
	case EV_NOTE:
		snprintf(body, sizeof body, "%s", demo_notes[L].w[e->text]);
		break;
	case EV_PROMISE:
		snprintf(data, sizeof data, "{\"promise_id\": %lld}", (long long)e->ref);
		break;
	case EV_PAYMENT:
		snprintf(data, sizeof data, "{\"payment_id\": %lld, \"method\": \"%s\"}", (long long)e->ref,
		         method_name[e->text]);
		break;
	case EV_CALLBACK: {
		char *q = w_str(data, "{\"at\": \"");

		q = w_ts(g, q, e->ref);
		q = w_str(q, "\"}");
		*q = '\0';
		break;
	}
	default:
		break;
	}
	if (e->outcome >= OC_STATUS)
		outcome = status_name[e->outcome - OC_STATUS];
	else
		outcome = outcome_name[e->outcome];

	p = w_i64(p, g->next_event++), TAB;
	p = w_ts(g, p, e->at), TAB;
	p = w_i64(p, a->id), TAB;
	p = w_i64(p, d->id), TAB;
	p = w_id(p, e->agent), TAB;
	p = w_str(p, event_kind_name[e->kind]), TAB;
	p = e->dir ? w_str(p, e->dir == 1 ? "out" : "in") : w_null(p), TAB;
	p = outcome ? w_str(p, outcome) : w_null(p), TAB;
	p = e->amount ? w_i64(p, e->amount) : w_null(p), TAB;
	p = body[0] ? w_text(p, body) : w_null(p), TAB;
	p = data[0] ? w_str(p, data) : w_null(p), EOL;
	return p;
}

/* The most one debtor can write to one table: 3 accounts of MAX_EV events of
 * under 700 bytes each, with room to spare. */
#define DEBTOR_MAX_BYTES (512 * 1024)

long demo_gen_next(struct demo_gen *g, enum demo_table t, int64_t from, int64_t to,
                   struct buf *out, long counts[DEMO_NTABLES])
{
	struct debtor *d = &g->d;
	long rows = 0;
	char *p;

	if (g->accounts_done >= g->plan->accounts)
		return -1;
	gen_debtor(g, t == DEMO_ACCOUNT || t == DEMO_EVENT || counts);
	if (out->cap - out->len < DEBTOR_MAX_BYTES) {
		out->cap = out->len + 2 * DEBTOR_MAX_BYTES;
		out->s = xrealloc(out->s, out->cap);
	}
	p = out->s + out->len;

	switch (t) {
	case DEMO_DEBTOR:
		p = row_debtor(g, p, d), rows++;
		break;
	case DEMO_CONTACT_POINT:
		for (int i = 0; i < d->ncontacts; i++)
			p = row_contact(g, p, d, &d->contact[i]), rows++;
		break;
	case DEMO_ACCOUNT:
		for (int i = 0; i < d->naccts; i++)
			p = row_account(g, p, d, &d->acct[i]), rows++;
		break;
	case DEMO_INSTALLMENT:
		for (int i = 0; i < d->naccts; i++)
			for (int j = 0; j < d->acct[i].ninst; j++)
				p = row_installment(g, p, &d->acct[i], j), rows++;
		break;
	case DEMO_PAYMENT:
		for (int i = 0; i < d->naccts; i++)
			for (int j = 0; j < d->acct[i].npay; j++)
				p = row_payment(g, p, &d->acct[i], &d->acct[i].pay[j]), rows++;
		break;
	case DEMO_PROMISE:
		for (int i = 0; i < d->naccts; i++)
			for (int j = 0; j < d->acct[i].nprom; j++)
				p = row_promise(g, p, d, &d->acct[i], &d->acct[i].prom[j]), rows++;
		break;
	case DEMO_PROMISE_INSTALLMENT:
		for (int i = 0; i < d->naccts; i++)
			for (int j = 0; j < d->acct[i].nprom; j++)
				for (int k = 0; k < d->acct[i].prom[j].nparts; k++)
					p = row_promise_part(g, p, &d->acct[i].prom[j], k), rows++;
		break;
	case DEMO_EVENT:
		for (int i = 0; i < d->naccts; i++)
			for (int j = 0; j < d->acct[i].nev; j++)
				if (d->acct[i].ev[j].at >= from && d->acct[i].ev[j].at < to)
					p = row_event(g, p, d, &d->acct[i], &d->acct[i].ev[j]), rows++;
		break;
	default:
		break;
	}
	out->len = (size_t)(p - out->s);
	out->s[out->len] = '\0';

	if (counts) {
		counts[DEMO_DEBTOR]++;
		counts[DEMO_CONTACT_POINT] += d->ncontacts;
		for (int i = 0; i < d->naccts; i++) {
			const struct acct *a = &d->acct[i];

			counts[DEMO_ACCOUNT]++;
			counts[DEMO_INSTALLMENT] += a->ninst;
			counts[DEMO_PAYMENT] += a->npay;
			counts[DEMO_PROMISE] += a->nprom;
			for (int j = 0; j < a->nprom; j++)
				counts[DEMO_PROMISE_INSTALLMENT] += a->prom[j].nparts;
			counts[DEMO_EVENT] += a->nev;
		}
	}
	return rows;
}
