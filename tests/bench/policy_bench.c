/* policy_bench: how fast the contact policy engine answers, beside the
 * database answering (part of) the same question. tests/bench/run.sh runs it
 * against the kept 1,000,000-account portfolio and records the figures.
 *
 *   policy_bench single RULES_FILE [CONNINFO]
 *	One contact judged against 200 events of history: the median time of
 *	one policy_check(); beside it, the median round trip of one
 *	parameterised query asking the database about one debtor (calls in the
 *	last 7 days, local hour).
 *   policy_bench portfolio RULES_FILE CONNINFO [AT]
 *	"May we call now?" for every account, on one core; beside it, PostgreSQL
 *	counting in one query the accounts whose debtor is within calling hours.
 *	AT ("2026-11-20T15:00Z") defaults to 15:00 UTC on the last weekday of
 *	the demo history.
 *
 * Figures go to stdout as "name value" lines (microseconds or seconds);
 * everything else to stderr. */
#include <libconfig.h>
#include <libgen.h>
#include <libpq-fe.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "phone.h"
#include "policy.h"
#include "tz.h"
#include "util.h"

#define SINGLE_EVENTS    200
#define SINGLE_DAYS      60
#define SINGLE_WARMUP    2000
#define SINGLE_RUNS      20000
#define ROUNDTRIP_WARMUP 100
#define ROUNDTRIP_RUNS   2000
#define PORTFOLIO_RUNS   3
#define HISTORY_DAYS     7 /* the longest window etc/policy.conf names for a call */

/* ------------------------------------------------------------------ helpers */

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Sorts v; the middle value (the mean of the two middle ones for even n). */
static double median(int64_t *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_i64);
	return n % 2 ? (double)v[n / 2] : ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2;
}

/* Of values sorted ascending: the one below which p percent lie. */
static double percentile(const int64_t *sorted, size_t n, int p)
{
	return (double)sorted[(n - 1) * (size_t)p / 100];
}

/* xorshift64*: the same history and debtors on every run, with no libc state. */
static uint64_t rng(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	struct buf b = {0};
	char chunk[4096];
	size_t n;

	if (!f)
		die("%s: %m", path);
	buf_puts(&b, "");
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return b.s;
}

/* The rules as cobroctl reads them: the file, then the holiday calendars its
 * "holidays" setting names, relative to the file. */
static struct policy *rules_load(const char *path)
{
	char *text = slurp(path), *holidays = NULL, *copy = xstrdup(path), err[512];
	const char *h = NULL;
	struct policy *p;
	config_t cf;

	config_init(&cf);
	if (config_read_string(&cf, text) && config_lookup_string(&cf, "holidays", &h)) {
		char *dir = h[0] == '/' ? xstrdup(h) : xasprintf("%s/%s", dirname(copy), h);

		holidays = policy_holidays_read(dir, err, sizeof err);
		free(dir);
		if (!holidays)
			die("%s", err);
	}
	config_destroy(&cf);
	p = policy_parse(text, path, holidays, err, sizeof err);
	if (!p)
		die("%s", err);
	free(text);
	free(holidays);
	free(copy);
	return p;
}

static PGconn *db_open(const char *conninfo)
{
	PGconn *c = PQconnectdb(conninfo);

	if (PQstatus(c) != CONNECTION_OK)
		die("cannot connect (%s): %s", conninfo, PQerrorMessage(c));
	return c;
}

/* A query that must return rows; dies with the server's message otherwise. */
static PGresult *db_rows(PGconn *c, const char *sql, int n, const char *const *params)
{
	PGresult *r = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		char msg[512];

		snprintf(msg, sizeof msg, "%s", PQresultErrorMessage(r));
		PQclear(r);
		die("query failed: %s", msg);
	}
	return r;
}

/* The instant both modes ask about: 15:00 UTC is mid-morning across the
 * Americas (10:00 in Bogotá and New York, 09:00 in Mexico City) and afternoon
 * in Madrid, when a floor is calling and the hours let most debtors through,
 * so the other rules do the deciding. The last weekday before the demo's
 * anchor keeps a full week of history behind it. */
static int64_t bench_instant(PGconn *c, const char *at)
{
	int64_t t, day;
	PGresult *r;

	if (at) {
		if (!time_parse_iso(at, &t))
			die("AT \"%s\" is not a time like 2026-11-20T15:00Z", at);
		return t;
	}
	r = db_rows(c,
		    "SELECT coalesce((SELECT (new->>'anchor')::date FROM cobro.audit WHERE action = 'DEMO' "
		    "                 ORDER BY id DESC LIMIT 1), current_date) - DATE '1970-01-01'",
		    0, NULL);
	day = strtoll(PQgetvalue(r, 0, 0), NULL, 10) - 1;
	PQclear(r);
	while (weekday_of_days(day) >= 5)
		day--;
	return day * 86400 + 15 * 3600;
}

/* Verdicts counted, refusals by the rule that refused: what the time bought. */
struct tally {
	size_t allowed, refused;
	const struct policy_rule *rule[64];
	size_t by_rule[64];
	int nrules;
};

static void tally_add(struct tally *t, const struct policy_verdict *v)
{
	int r = 0;

	if (v->allowed) {
		t->allowed++;
		return;
	}
	t->refused++;
	while (r < t->nrules && t->rule[r] != v->rule)
		r++;
	if (r == t->nrules && t->nrules < (int)ARRAY_SIZE(t->rule))
		t->rule[t->nrules++] = v->rule;
	if (r < t->nrules)
		t->by_rule[r]++;
}

static void tally_print(FILE *f, const char *prefix, const struct tally *t)
{
	fprintf(f, "%s_allowed %zu\n%s_refused %zu\n", prefix, t->allowed, prefix, t->refused);
	for (int i = 0; i < t->nrules; i++)
		fprintf(f, "%s_refused_by %s %zu\n", prefix,
			t->rule[i] ? policy_rule_id(t->rule[i]) : "(unknown)", t->by_rule[i]);
}

/* ------------------------------------------------------------- single */

struct synth {
	const char *label;
	const char *jurisdiction;
	const char *zone_names[2];
	int nzones;
	struct tz zones[2];
	struct policy_debtor d;
	struct policy_event h[SINGLE_EVENTS];
	int64_t *ns;
	size_t nns;
	double median;
	struct tally verdicts;
};

/* 200 contacts in the 60 days before t0, in the debtor's working hours: half
 * calls (mostly placed, some conversations, a few failed attempts), the rest
 * SMS and email, across two debts of one creditor, so that every rule type
 * of US and CO has something to count. */
static void synth_init(struct synth *s, int64_t t0, uint64_t *seed)
{
	char err[128];
	int64_t day0 = t0 / 86400;

	for (int i = 0; i < s->nzones; i++) {
		if (!tz_load(&s->zones[i], s->zone_names[i], err, sizeof err))
			die("%s", err);
		s->d.zones[i] = &s->zones[i];
	}
	s->d.nzones = s->nzones;
	s->d.jurisdiction = s->jurisdiction;
	s->d.consent = CH_ALL;
	s->d.state = "active";
	for (int i = 0; i < SINGLE_EVENTS; i++) {
		struct policy_event *e = &s->h[i];
		int minute = 8 * 60 + (int)(rng(seed) % (12 * 60)), r = (int)(rng(seed) % 100);
		struct civil c = {0};

		civil_from_days(day0 - 1 - (int64_t)(rng(seed) % SINGLE_DAYS), &c.year, &c.month, &c.day);
		c.hour = minute / 60;
		c.min = minute % 60;
		e->at = tz_utc(&s->zones[0], &c);
		if (r < 50) {
			int k = (int)(rng(seed) % 100);

			e->channel = CH_CALL;
			e->kind = k < 15 ? KIND_CONVERSATION : k < 25 ? KIND_ATTEMPT : KIND_PLACED;
		} else {
			e->channel = r < 80 ? CH_SMS : CH_EMAIL;
			e->kind = KIND_SENT;
		}
		e->debt = i % 3 ? "ACC-1" : "ACC-2";
		e->creditor = "BANCO-1";
	}
}

/* One debtor's calls in the last 7 days and their local hour, in one
 * round trip: what a client without the engine would ask before each call.
 * Prepared once, so the baseline pays no parsing or planning per question. */
static double sql_roundtrip(PGconn *c, int64_t at, uint64_t *seed, double *p90)
{
	static const char sql[] =
	    "SELECT (SELECT count(*) FROM cobro.event e "
	    "        WHERE e.debtor_id = d.id AND e.kind = 'call' AND e.direction = 'out' "
	    "          AND e.at > to_timestamp($2::bigint) - make_interval(days => $3::int) "
	    "          AND e.at <= to_timestamp($2::bigint)), "
	    "       extract(hour FROM to_timestamp($2::bigint) AT TIME ZONE d.time_zone) "
	    "FROM cobro.debtor d WHERE d.id = $1::bigint";
	int64_t lo, hi, *ns = xcalloc(ROUNDTRIP_RUNS, sizeof *ns);
	char id[24], when[24], days[8];
	const char *p[3] = {id, when, days};
	PGresult *r;
	double med;

	r = db_rows(c, "SELECT min(id), max(id) FROM cobro.debtor", 0, NULL);
	if (PQgetisnull(r, 0, 0)) {
		PQclear(r);
		die("no debtors in the database");
	}
	lo = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	hi = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
	PQclear(r);
	r = PQprepare(c, "check", sql, 3, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		char msg[512];

		snprintf(msg, sizeof msg, "%s", PQresultErrorMessage(r));
		PQclear(r);
		die("prepare failed: %s", msg);
	}
	PQclear(r);
	snprintf(when, sizeof when, "%lld", (long long)at);
	snprintf(days, sizeof days, "%d", HISTORY_DAYS);
	for (int i = 0; i < ROUNDTRIP_WARMUP + ROUNDTRIP_RUNS; i++) {
		int64_t t;

		/* A different debtor each time, as a floor asks: not one cached row. */
		snprintf(id, sizeof id, "%lld",
			 (long long)(lo + (int64_t)(rng(seed) % (uint64_t)(hi - lo + 1))));
		t = clock_ns(CLOCK_MONOTONIC);
		r = PQexecPrepared(c, "check", 3, p, NULL, NULL, 0);
		t = clock_ns(CLOCK_MONOTONIC) - t;
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			char msg[512];

			snprintf(msg, sizeof msg, "%s", PQresultErrorMessage(r));
			PQclear(r);
			die("check query failed: %s", msg);
		}
		PQclear(r);
		if (i >= ROUNDTRIP_WARMUP)
			ns[i - ROUNDTRIP_WARMUP] = t;
	}
	med = median(ns, ROUNDTRIP_RUNS);
	*p90 = percentile(ns, ROUNDTRIP_RUNS, 90);
	free(ns);
	return med;
}

static int single(const char *rules_path, const char *conninfo)
{
	struct policy *p = rules_load(rules_path);
	struct synth debtors[] = {
	    {.label = "US",
	     .jurisdiction = "US",
	     .zone_names = {"America/New_York", "America/Chicago"},
	     .nzones = 2},
	    {.label = "CO", .jurisdiction = "CO", .zone_names = {"America/Bogota"}, .nzones = 1},
	};
	const size_t nd = ARRAY_SIZE(debtors);
	/* A Tuesday; the proposed calls walk the week after it in 15-minute steps,
	 * through open hours, nights and a weekend. */
	const int64_t t0 = days_from_civil(2026, 11, 17) * 86400 + 15 * 3600;
	int64_t *all = xcalloc(SINGLE_RUNS, sizeof *all);
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	size_t nall = 0;
	double med = 0, rt, rt90;
	PGconn *c;

	for (size_t i = 0; i < nd; i++) {
		synth_init(&debtors[i], t0, &seed);
		debtors[i].ns = xcalloc(SINGLE_RUNS, sizeof *debtors[i].ns);
	}
	for (int i = 0; i < SINGLE_WARMUP + SINGLE_RUNS; i++) {
		struct synth *s = &debtors[(size_t)i % nd];
		struct policy_contact k = {.at = t0 + (int64_t)((size_t)i / nd % (7 * 96)) * 900,
					   .channel = CH_CALL,
					   .debt = "ACC-1",
					   .creditor = "BANCO-1"};
		struct policy_verdict v;
		int64_t t;

		t = clock_ns(CLOCK_MONOTONIC);
		policy_check(p, &s->d, s->h, SINGLE_EVENTS, &k, &v);
		t = clock_ns(CLOCK_MONOTONIC) - t;
		if (i < SINGLE_WARMUP)
			continue;
		s->ns[s->nns++] = t;
		all[nall++] = t;
		tally_add(&s->verdicts, &v);
	}
	/* The figure is the slowest debtor's median: the two debtors' times do
	 * not mix into one meaningful distribution, and the target holds for
	 * every debtor or for none. */
	for (size_t i = 0; i < nd; i++) {
		debtors[i].median = median(debtors[i].ns, debtors[i].nns);
		if (debtors[i].median > med)
			med = debtors[i].median;
	}
	qsort(all, nall, sizeof *all, cmp_i64);
	printf("policy_eval_200 %.2f\n", med / 1000);
	printf("policy_eval_200_p90 %.2f\n", percentile(all, nall, 90) / 1000);
	for (size_t i = 0; i < nd; i++) {
		char prefix[32];

		snprintf(prefix, sizeof prefix, "policy_eval_200_%s", debtors[i].label);
		printf("%s %.2f\n", prefix, debtors[i].median / 1000);
		tally_print(stdout, prefix, &debtors[i].verdicts);
	}
	fflush(stdout);

	c = db_open(conninfo);
	rt = sql_roundtrip(c, bench_instant(c, NULL), &seed, &rt90);
	printf("sql_check_roundtrip %.2f\n", rt / 1000);
	printf("sql_check_roundtrip_p90 %.2f\n", rt90 / 1000);
	PQfinish(c);

	for (size_t i = 0; i < nd; i++) {
		for (int z = 0; z < debtors[i].nzones; z++)
			tz_free(&debtors[i].zones[z]);
		free(debtors[i].ns);
	}
	free(all);
	policy_free(p);
	return 0;
}

/* ---------------------------------------------------------- portfolio */

/* Interned strings: a million references and a handful of creditor codes,
 * states and jurisdictions, each stored once. Open addressing, FNV-1a. */
struct strtab {
	char **slot;
	size_t cap, n;
};

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static const char *intern(struct strtab *t, const char *s)
{
	size_t i;

	if (2 * (t->n + 1) > t->cap) {
		struct strtab big = {.cap = t->cap ? 2 * t->cap : 1024};

		big.slot = xcalloc(big.cap, sizeof *big.slot);
		for (size_t k = 0; k < t->cap; k++)
			if (t->slot[k]) {
				for (i = fnv1a(t->slot[k]) & (big.cap - 1); big.slot[i];
				     i = (i + 1) & (big.cap - 1))
					;
				big.slot[i] = t->slot[k];
			}
		free(t->slot);
		big.n = t->n;
		*t = big;
	}
	for (i = fnv1a(s) & (t->cap - 1); t->slot[i]; i = (i + 1) & (t->cap - 1))
		if (!strcmp(t->slot[i], s))
			return t->slot[i];
	t->n++;
	return t->slot[i] = xstrdup(s);
}

static void strtab_free(struct strtab *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->slot[i]);
	free(t->slot);
}

/* Each zone read once from the tz database; policy_debtor points into here. */
struct zones {
	struct tz **z;
	int n;
};

static const struct tz *zone_get(struct zones *zs, const char *name)
{
	char err[128];

	for (int i = 0; i < zs->n; i++)
		if (!strcmp(zs->z[i]->name, name))
			return zs->z[i];
	zs->z = xrealloc(zs->z, (size_t)(zs->n + 1) * sizeof *zs->z);
	zs->z[zs->n] = xmalloc(sizeof **zs->z);
	if (!tz_load(zs->z[zs->n], name, err, sizeof err))
		die("%s", err);
	return zs->z[zs->n++];
}

struct pf_account {
	int64_t id;
	const char *reference, *creditor, *state;
};

struct pf_debtor {
	int64_t id;
	struct policy_debtor d; /* state is the account's: filled per contact */
	size_t acct, nacct;     /* accounts[acct .. acct + nacct) */
	size_t hist, nhist;     /* events[hist .. hist + nhist) */
	bool usable, all_out;   /* a phone that may carry a call; all of them opted out */
};

struct portfolio {
	struct pf_debtor *debtor;
	size_t nd, capd;
	struct pf_account *acct;
	size_t na, capa;
	struct policy_event *ev;
	size_t ne, cape;
	size_t cursor; /* the debtor the ordered event stream is at */
	struct strtab str;
	struct zones zones;
};

#define GROW(arr, n, cap)                                                                                    \
	do {                                                                                                 \
		if ((n) == (cap)) {                                                                          \
			(cap) = (cap) ? 2 * (cap) : 4096;                                                    \
			(arr) = xrealloc((arr), (cap) * sizeof *(arr));                                      \
		}                                                                                            \
	} while (0)

static struct pf_debtor *debtor_find(struct portfolio *pf, int64_t id)
{
	size_t lo = 0, hi = pf->nd;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (pf->debtor[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < pf->nd && pf->debtor[lo].id == id ? &pf->debtor[lo] : NULL;
}

/* Accounts arrive ordered by debtor: each debtor's accounts lie together. */
static void account_row(struct portfolio *pf, const PGresult *r)
{
	int64_t did = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
	struct pf_debtor *d = pf->nd ? &pf->debtor[pf->nd - 1] : NULL;
	struct pf_account *a;

	if (!d || d->id != did) {
		if (d && did < d->id)
			die("accounts are not ordered by debtor");
		GROW(pf->debtor, pf->nd, pf->capd);
		d = &pf->debtor[pf->nd++];
		*d = (struct pf_debtor){.id = did, .acct = pf->na, .all_out = true};
		d->d.jurisdiction = intern(&pf->str, PQgetvalue(r, 0, 5));
		d->d.zones[0] = zone_get(&pf->zones, PQgetvalue(r, 0, 6));
		d->d.nzones = 1;
		/* Channels without contact points (letters, visits) need no consent. */
		d->d.consent = CH_ALL & ~(1u << CH_CALL | 1u << CH_SMS | 1u << CH_EMAIL | 1u << CH_WHATSAPP);
	}
	GROW(pf->acct, pf->na, pf->capa);
	a = &pf->acct[pf->na++];
	a->id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	a->reference = intern(&pf->str, PQgetvalue(r, 0, 2));
	a->creditor = intern(&pf->str, PQgetvalue(r, 0, 3));
	a->state = intern(&pf->str, PQgetvalue(r, 0, 4));
	d->nacct++;
}

/* Consent and opt-out for calls, and a US number's area-code zones, as
 * policy_account_load() reads them for one account. */
static void phone_row(struct portfolio *pf, const PGresult *r)
{
	struct pf_debtor *d = debtor_find(pf, strtoll(PQgetvalue(r, 0, 0), NULL, 10));
	const char *value = PQgetvalue(r, 0, 1);

	if (!d)
		return; /* a debtor without accounts is never called */
	d->usable = true;
	if (PQgetvalue(r, 0, 2)[0] == 't')
		d->d.consent |= 1u << CH_CALL;
	if (PQgetvalue(r, 0, 3)[0] != 't')
		d->all_out = false;
	if (!strncmp(d->d.jurisdiction, "US", 2) && value[0] == '+' && value[1] == '1') {
		const char *zones[PHONE_US_MAX_ZONES];
		int nz = phone_us_area_zones(value, zones, PHONE_US_MAX_ZONES);

		for (int i = 0; i < nz && i < PHONE_US_MAX_ZONES && d->d.nzones < POLICY_MAX_ZONES; i++) {
			const struct tz *z = zone_get(&pf->zones, zones[i]);
			int k = 0;

			while (k < d->d.nzones && d->d.zones[k] != z)
				k++;
			if (k == d->d.nzones)
				d->d.zones[d->d.nzones++] = z;
		}
	}
}

/* Events arrive ordered by debtor, so each debtor's history lies together. */
static void event_row(struct portfolio *pf, const PGresult *r)
{
	int64_t did = strtoll(PQgetvalue(r, 0, 0), NULL, 10), aid;
	struct pf_debtor *d;
	struct policy_event *e;

	while (pf->cursor < pf->nd && pf->debtor[pf->cursor].id < did)
		pf->cursor++;
	if (pf->cursor == pf->nd || pf->debtor[pf->cursor].id != did)
		return;
	d = &pf->debtor[pf->cursor];
	GROW(pf->ev, pf->ne, pf->cape);
	e = &pf->ev[pf->ne];
	if (!channel_parse(PQgetvalue(r, 0, 3), &e->channel) || !kind_parse(PQgetvalue(r, 0, 4), &e->kind))
		return;
	e->at = strtoll(PQgetvalue(r, 0, 2), NULL, 10);
	e->debt = e->creditor = NULL;
	aid = PQgetisnull(r, 0, 1) ? 0 : strtoll(PQgetvalue(r, 0, 1), NULL, 10);
	for (size_t i = d->acct; i < d->acct + d->nacct; i++)
		if (pf->acct[i].id == aid) {
			e->debt = pf->acct[i].reference;
			e->creditor = pf->acct[i].creditor;
		}
	if (!d->nhist)
		d->hist = pf->ne;
	d->nhist++;
	pf->ne++;
}

/* Streams a query's rows one at a time (libpq's single-row mode), so a million
 * rows never sit in one PGresult. Returns the number of rows. */
static size_t db_stream(PGconn *c, const char *sql, int n, const char *const *params,
			void (*row)(struct portfolio *, const PGresult *), struct portfolio *pf)
{
	char msg[512] = "";
	size_t rows = 0;
	PGresult *r;

	if (!PQsendQueryParams(c, sql, n, NULL, params, NULL, NULL, 0) || !PQsetSingleRowMode(c))
		die("query failed: %s", PQerrorMessage(c));
	/* Read to the end even after an error: the connection is unusable until then. */
	while ((r = PQgetResult(c))) {
		switch (PQresultStatus(r)) {
		case PGRES_SINGLE_TUPLE:
			row(pf, r);
			rows++;
			break;
		case PGRES_TUPLES_OK: break;
		default: snprintf(msg, sizeof msg, "%s", PQresultErrorMessage(r)); break;
		}
		PQclear(r);
	}
	if (msg[0])
		die("query failed: %s", msg);
	return rows;
}

static void portfolio_load(PGconn *c, struct portfolio *pf, int64_t at)
{
	char when[24], days[8];
	const char *p[2] = {when, days};
	size_t n;

	n = db_stream(
	    c,
	    "SELECT a.id, a.debtor_id, a.reference, c.code, "
	    "       cobro.policy_state(a.status, d.state), "
	    "       d.jurisdiction, d.time_zone "
	    "FROM cobro.account a JOIN cobro.debtor d ON d.id = a.debtor_id "
	    "JOIN cobro.creditor c ON c.id = a.creditor_id ORDER BY a.debtor_id, a.id",
	    0, NULL, account_row, pf);
	fprintf(stderr, "policy_bench: %zu accounts of %zu debtors\n", n, pf->nd);
	n = db_stream(c,
		      "SELECT debtor_id, value, 'call' = ANY (consent), 'call' = ANY (opted_out) "
		      "FROM cobro.contact_point WHERE kind IN ('phone', 'mobile') AND bad_since IS NULL",
		      0, NULL, phone_row, pf);
	for (size_t i = 0; i < pf->nd; i++)
		if (pf->debtor[i].usable && pf->debtor[i].all_out)
			pf->debtor[i].d.opted_out |= 1u << CH_CALL;
	fprintf(stderr, "policy_bench: %zu phones, %d time zones\n", n, pf->zones.n);
	/* The last week of contacts, read as cobro.contact_history() (004_policy.sql)
	 * reads one debtor's for policy_account_load(): the same kinds, for every
	 * debtor in one pass instead of a call per debtor. */
	snprintf(when, sizeof when, "%lld", (long long)at);
	snprintf(days, sizeof days, "%d", HISTORY_DAYS);
	db_stream(
	    c,
	    "SELECT debtor_id, account_id, extract(epoch FROM at)::bigint, kind, "
	    "       CASE WHEN kind IN ('call', 'visit') AND outcome = 'right_party' THEN 'conversation' "
	    "            WHEN kind = 'call' THEN 'placed' "
	    "            WHEN kind = 'visit' THEN 'attempt' "
	    "            ELSE 'sent' END "
	    "FROM cobro.event "
	    "WHERE at > to_timestamp($1::bigint) - make_interval(days => $2::int) "
	    "  AND at <= to_timestamp($1::bigint) "
	    "  AND ((kind IN ('call', 'visit') AND direction IS DISTINCT FROM 'in') "
	    "       OR (kind IN ('sms', 'email', 'whatsapp', 'letter') AND direction = 'out' "
	    "           AND coalesce(outcome, '') NOT IN ('failed', 'refused'))) "
	    "ORDER BY debtor_id",
	    2, p, event_row, pf);
	fprintf(stderr, "policy_bench: %zu contacts in the last %d days\n", pf->ne, HISTORY_DAYS);
}

/* "May we call now?" for every account: the timed loop. */
static void portfolio_eval(const struct policy *p, const struct portfolio *pf, int64_t at, struct tally *t)
{
	memset(t, 0, sizeof *t);
	for (size_t i = 0; i < pf->nd; i++) {
		const struct pf_debtor *d = &pf->debtor[i];
		struct policy_debtor pd = d->d;

		for (size_t k = d->acct; k < d->acct + d->nacct; k++) {
			const struct pf_account *a = &pf->acct[k];
			struct policy_contact c = {
			    .at = at, .channel = CH_CALL, .debt = a->reference, .creditor = a->creditor};
			struct policy_verdict v;

			pd.state = a->state;
			policy_check(p, &pd, pf->ev + d->hist, d->nhist, &c, &v);
			tally_add(t, &v);
		}
	}
}

/* The hours question alone, for the whole portfolio, in one query. */
static double sql_hours(PGconn *c, int64_t at, long long *inside)
{
	char when[24];
	const char *p[1] = {when};
	PGresult *r;
	int64_t t;

	snprintf(when, sizeof when, "%lld", (long long)at);
	t = clock_ns(CLOCK_MONOTONIC);
	r = db_rows(c,
		    "SELECT count(*) FILTER (WHERE extract(hour FROM to_timestamp($1::bigint) AT TIME ZONE "
		    "d.time_zone) "
		    "                              BETWEEN 8 AND 20) "
		    "FROM cobro.account a JOIN cobro.debtor d ON d.id = a.debtor_id",
		    1, p);
	t = clock_ns(CLOCK_MONOTONIC) - t;
	*inside = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return (double)t / 1e9;
}

static int portfolio(const char *rules_path, const char *conninfo, const char *at_text)
{
	struct policy *p = rules_load(rules_path);
	struct portfolio pf = {0};
	int64_t wall[PORTFOLIO_RUNS], cpu[PORTFOLIO_RUNS], sql[PORTFOLIO_RUNS], t, at;
	struct tally first, again;
	long long inside = 0;
	char when[32];
	struct tm tm;
	time_t tt;
	cpu_set_t one;
	PGconn *c = db_open(conninfo);

	at = bench_instant(c, at_text);
	tt = (time_t)at;
	strftime(when, sizeof when, "%Y-%m-%dT%H:%MZ", gmtime_r(&tt, &tm));
	fprintf(stderr, "policy_bench: may we call now, at %s?\n", when);
	t = clock_ns(CLOCK_MONOTONIC);
	portfolio_load(c, &pf, at);
	printf("policy_portfolio_load %.2f\n", (double)(clock_ns(CLOCK_MONOTONIC) - t) / 1e9);
	fflush(stdout);

	/* One core, as the figure promises: the loop is one thread anyway, and
	 * pinning it keeps the scheduler from moving it mid-run. */
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	if (sched_setaffinity(0, sizeof one, &one))
		warnx("cannot pin to one core: %m");
	for (int i = 0; i < PORTFOLIO_RUNS; i++) {
		int64_t c0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);

		t = clock_ns(CLOCK_MONOTONIC);
		portfolio_eval(p, &pf, at, i ? &again : &first);
		wall[i] = clock_ns(CLOCK_MONOTONIC) - t;
		cpu[i] = clock_ns(CLOCK_THREAD_CPUTIME_ID) - c0;
		if (i && (again.allowed != first.allowed || again.refused != first.refused))
			die("run %d gave a different answer", i + 1);
	}
	printf("policy_portfolio_1m %.3f\n", median(wall, PORTFOLIO_RUNS) / 1e9);
	printf("policy_portfolio_1m_cpu %.3f\n", median(cpu, PORTFOLIO_RUNS) / 1e9);
	printf("policy_portfolio_accounts %zu\n", pf.na);
	tally_print(stdout, "policy_portfolio", &first);
	fflush(stdout);

	for (int i = 0; i < PORTFOLIO_RUNS; i++)
		sql[i] = (int64_t)(sql_hours(c, at, &inside) * 1e9);
	printf("sql_portfolio_hours %.3f\n", median(sql, PORTFOLIO_RUNS) / 1e9);
	printf("sql_portfolio_hours_inside %lld\n", inside);
	PQfinish(c);

	for (int i = 0; i < pf.zones.n; i++) {
		tz_free(pf.zones.z[i]);
		free(pf.zones.z[i]);
	}
	free(pf.zones.z);
	strtab_free(&pf.str);
	free(pf.debtor);
	free(pf.acct);
	free(pf.ev);
	policy_free(p);
	return 0;
}

int main(int argc, char **argv)
{
	progname = "policy_bench";
	if (argc >= 3 && argc <= 4 && !strcmp(argv[1], "single"))
		return single(argv[2], argc == 4 ? argv[3] : "");
	if (argc >= 4 && argc <= 5 && !strcmp(argv[1], "portfolio"))
		return portfolio(argv[2], argv[3], argc == 5 ? argv[4] : NULL);
	fprintf(stderr, "usage: policy_bench single RULES_FILE [CONNINFO]\n"
			"       policy_bench portfolio RULES_FILE CONNINFO [AT]\n");
	return 2;
}
