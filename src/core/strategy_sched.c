#include "strategy_sched.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "phone.h"
#include "policy_store.h"
#include "util.h"

struct sdebtor {
	long long id;
	char jurisdiction[8];
	const struct tz *zones[POLICY_MAX_ZONES];
	int nzones;
	/* From the debtor's points, as policy_store.c reads them for a message. */
	chanset usable, not_out, wrong, consent;
	struct policy_event *ev; /* the contacts read, then the ones this plan adds */
	size_t nev, cap, base;
};

struct saccount {
	long long id, debtor;
	char *reference, *creditor, *state;
	long d; /* index in debtors, -1: not loaded */
};

struct spoint {
	long long id, debtor;
	chanset serves, consent, opted_out;
	bool bad;
	char *us; /* a +1 number: its area code's zones count for a US debtor */
};

struct scontact {
	long long debtor;
	struct policy_event e;
};

struct sched_facts {
	struct sdebtor *d;
	size_t nd, capd;
	struct saccount *a;
	size_t na, capa;
	struct spoint *p;
	size_t np, capp;
	struct scontact *c;
	size_t nc, capc;
	char **names; /* contacts' debt and creditor names */
	size_t nnames, capnames;
	bool ready;
};

static void *grow(void *v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 64;
	return xrealloc(v, *cap * size);
}

struct sched_facts *sched_facts_new(void)
{
	return xcalloc(1, sizeof(struct sched_facts));
}

void sched_facts_free(struct sched_facts *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nd; i++)
		free(f->d[i].ev);
	for (size_t i = 0; i < f->na; i++) {
		free(f->a[i].reference);
		free(f->a[i].creditor);
		free(f->a[i].state);
	}
	for (size_t i = 0; i < f->np; i++)
		free(f->p[i].us);
	for (size_t i = 0; i < f->nnames; i++)
		free(f->names[i]);
	free(f->d);
	free(f->a);
	free(f->p);
	free(f->c);
	free(f->names);
	free(f);
}

static bool add_zone(struct sdebtor *d, const char *name, char *err, size_t errlen)
{
	const struct tz *z;

	for (int i = 0; i < d->nzones; i++)
		if (!strcmp(d->zones[i]->name, name))
			return true;
	if (d->nzones == POLICY_MAX_ZONES)
		return true; /* the first ones already bind, as policy_store.c keeps them */
	if (!(z = tz_cached(name))) {
		snprintf(err, errlen, "unknown time zone \"%s\"", name);
		return false;
	}
	d->zones[d->nzones++] = z;
	return true;
}

bool sched_facts_debtor(struct sched_facts *f, long long id, const char *jurisdiction, const char *time_zone,
                        char *err, size_t errlen)
{
	struct sdebtor *d;

	f->d = grow(f->d, &f->capd, f->nd, sizeof *f->d);
	d = &f->d[f->nd];
	memset(d, 0, sizeof *d);
	d->id = id;
	snprintf(d->jurisdiction, sizeof d->jurisdiction, "%s", jurisdiction);
	if (!add_zone(d, time_zone, err, errlen))
		return false;
	f->nd++;
	f->ready = false;
	return true;
}

void sched_facts_account(struct sched_facts *f, long long id, long long debtor, const char *reference,
                         const char *creditor, const char *state)
{
	f->a = grow(f->a, &f->capa, f->na, sizeof *f->a);
	f->a[f->na++] = (struct saccount){ .id = id, .debtor = debtor, .reference = xstrdup(reference),
		                           .creditor = xstrdup(creditor), .state = xstrdup(state), .d = -1 };
	f->ready = false;
}

/* "{sms,email}" as channels; words that are no channel are ignored. */
static chanset channels_of(const char *arr)
{
	chanset set = 0;
	char word[16];
	size_t n = 0;

	for (const char *s = arr ? arr : "";; s++) {
		if (*s == ',' || *s == '}' || *s == '\0') {
			enum channel ch;

			word[n] = '\0';
			if (n && channel_parse(word, &ch))
				set |= 1u << ch;
			n = 0;
			if (!*s)
				break;
		} else if (*s != '{' && *s != '"' && n + 1 < sizeof word) {
			word[n++] = *s;
		}
	}
	return set;
}

bool sched_facts_point(struct sched_facts *f, long long id, long long debtor, const char *kind, const char *value,
                       const char *consent, const char *opted_out, bool bad, char *err, size_t errlen)
{
	struct spoint *p;

	(void)err;
	(void)errlen;
	f->p = grow(f->p, &f->capp, f->np, sizeof *f->p);
	p = &f->p[f->np++];
	memset(p, 0, sizeof *p);
	p->id = id;
	p->debtor = debtor;
	for (int ch = 0; ch < CH__COUNT; ch++)
		if (policy_point_serves(kind, (enum channel)ch))
			p->serves |= 1u << ch;
	p->consent = channels_of(consent);
	p->opted_out = channels_of(opted_out);
	p->bad = bad;
	if (value && value[0] == '+' && value[1] == '1')
		p->us = xstrdup(value);
	f->ready = false;
	return true;
}

static const char *keep_name(struct sched_facts *f, const char *s)
{
	if (!s || !*s)
		return NULL;
	/* Contacts come by debtor, many about the same debt: keep one copy. */
	if (f->nnames && !strcmp(f->names[f->nnames - 1], s))
		return f->names[f->nnames - 1];
	f->names = grow(f->names, &f->capnames, f->nnames, sizeof *f->names);
	return f->names[f->nnames++] = xstrdup(s);
}

void sched_facts_contact(struct sched_facts *f, long long debtor, int64_t at, enum channel channel,
                         enum contact_kind kind, const char *debt, const char *creditor)
{
	f->c = grow(f->c, &f->capc, f->nc, sizeof *f->c);
	f->c[f->nc++] = (struct scontact){ .debtor = debtor,
		                           .e = { .at = at, .channel = channel, .kind = kind,
		                                  .debt = keep_name(f, debt), .creditor = keep_name(f, creditor) } };
	f->ready = false;
}

static int cmp_id(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* Each struct begins with its id, so one search serves them all. */
static void *find(void *base, size_t n, size_t size, long long id)
{
	return bsearch(&id, base, n, size, cmp_id);
}

static struct sdebtor *find_debtor(struct sched_facts *f, long long id)
{
	return find(f->d, f->nd, sizeof *f->d, id);
}

static int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

static int64_t local_midnight(const struct tz *z, int64_t day)
{
	struct civil c = { 0 };

	civil_from_days(day, &c.year, &c.month, &c.day);
	return tz_utc(z, &c);
}

static void add_event(struct sdebtor *d, const struct policy_event *e)
{
	d->ev = grow(d->ev, &d->cap, d->nev, sizeof *d->ev);
	d->ev[d->nev++] = *e;
}

/* Sorted for searching, each point's consent and opt-outs folded into its
 * debtor's channels, each contact into its debtor's history: once, before
 * the first plan. */
static void facts_ready(struct sched_facts *f)
{
	char err[128];

	if (f->ready)
		return;
	qsort(f->d, f->nd, sizeof *f->d, cmp_id);
	qsort(f->a, f->na, sizeof *f->a, cmp_id);
	qsort(f->p, f->np, sizeof *f->p, cmp_id);
	for (size_t i = 0; i < f->nd; i++) {
		struct sdebtor *d = &f->d[i];

		d->usable = d->not_out = d->wrong = d->consent = 0;
		d->nev = 0;
	}
	for (size_t i = 0; i < f->na; i++) {
		struct sdebtor *d = find_debtor(f, f->a[i].debtor);

		f->a[i].d = d ? d - f->d : -1;
	}
	for (size_t i = 0; i < f->np; i++) {
		const struct spoint *p = &f->p[i];
		struct sdebtor *d = find_debtor(f, p->debtor);

		if (!d)
			continue;
		if (p->bad) {
			d->wrong |= p->serves;
			continue;
		}
		d->usable |= p->serves;
		d->consent |= p->serves & p->consent;
		d->not_out |= p->serves & ~p->opted_out;
		if (p->us && !strncmp(d->jurisdiction, "US", 2)) {
			const char *zones[POLICY_MAX_ZONES];
			int nz = phone_us_area_zones(p->us, zones, POLICY_MAX_ZONES);

			for (int z = 0; z < nz; z++)
				add_zone(d, zones[z], err, sizeof err); /* an unknown zone adds nothing */
		}
	}
	/* Every rule that counts contacts counts them by the debtor's local
	 * day, but only those at or before the moment asked about. A message
	 * already queued for later today (another run's, a collector's) would
	 * then not count against one planned earlier today, and the dispatcher
	 * would refuse one of the two at send time: each contact counts from
	 * the start of its local day instead, as the plan's own do. */
	for (size_t i = 0; i < f->nc; i++) {
		struct sdebtor *d = find_debtor(f, f->c[i].debtor);
		struct policy_event e = f->c[i].e;

		if (!d)
			continue;
		e.at = local_midnight(d->zones[0], floor_div(e.at + tz_offset(d->zones[0], e.at), 86400));
		add_event(d, &e);
	}
	for (size_t i = 0; i < f->nd; i++)
		f->d[i].base = f->d[i].nev;
	f->ready = true;
}

const char *sched_outcome_name(enum sched_outcome o)
{
	switch (o) {
	case SCHED_SEND: return "send";
	case SCHED_WAIT: return "wait";
	default: return "refused";
	}
}

/* ------------------------------------------------------------------ plan */


/* One message's debtor as the policy judges it (policy_store.c's reading:
 * a channel is stopped when every point that carries it said so, and the
 * recipient's own consent and opt-out decide its channel). */
struct judged {
	struct policy_debtor pd;
	struct policy_contact c;
	struct sdebtor *d;
	const struct saccount *a;
	int64_t day0, day1; /* local day D: [day0, day1) */
};

static const char *judge(struct sched_facts *f, const struct sched_msg *m, struct judged *j)
{
	const struct saccount *a = find(f->a, f->na, sizeof *f->a, m->account);
	chanset bit = 1u << m->channel;
	struct sdebtor *d;

	if (!a || a->d < 0)
		return SCHED_RULE_UNKNOWN;
	d = &f->d[a->d];
	memset(j, 0, sizeof *j);
	j->a = a;
	j->d = d;
	j->pd.jurisdiction = d->jurisdiction;
	memcpy(j->pd.zones, d->zones, sizeof d->zones);
	j->pd.nzones = d->nzones;
	j->pd.state = a->state;
	j->pd.unreachable = d->wrong & ~d->usable;
	j->pd.opted_out = d->usable & ~d->not_out;
	/* Channels without contact points (letters, visits) need no consent. */
	j->pd.consent = d->consent | (CH_ALL & ~(1u << CH_CALL | 1u << CH_SMS | 1u << CH_EMAIL | 1u << CH_WHATSAPP));
	if (m->point) {
		const struct spoint *p = find(f->p, f->np, sizeof *f->p, m->point);

		if (!p || p->debtor != d->id)
			return SCHED_RULE_UNKNOWN;
		if (p->bad || !(p->serves & bit))
			return SCHED_RULE_UNREACHABLE;
		j->pd.consent = (j->pd.consent & ~bit) | (p->consent & bit);
		j->pd.opted_out = (j->pd.opted_out & ~bit) | (p->opted_out & bit);
	}
	j->day0 = local_midnight(d->zones[0], m->day);
	j->day1 = local_midnight(d->zones[0], m->day + 1);
	j->c = (struct policy_contact){ .channel = m->channel, .debt = a->reference, .creditor = a->creditor };
	return NULL;
}

static void check(const struct policy *p, struct judged *j, int64_t at, bool history, struct policy_verdict *v)
{
	j->c.at = at;
	policy_check(p, &j->pd, j->d->ev, history ? j->d->nev : 0, &j->c, v);
}

/* A refusal that says no next time: for good (consent, opt-out, state), but
 * a day whose holidays are unknown waits for a calendar. */
static void never(const struct judged *j, const struct policy_verdict *v, struct sched_msg *m)
{
	if (!v->rule) {
		m->outcome = SCHED_REFUSED;
		m->rule = j->pd.unreachable & 1u << m->channel ? SCHED_RULE_UNREACHABLE : SCHED_RULE_UNKNOWN;
		return;
	}
	m->rule = policy_rule_id(v->rule);
	m->outcome = !strcmp(m->rule, "HOLIDAYS") ? SCHED_WAIT : SCHED_REFUSED;
}

struct slot {
	int64_t open_ms, until_ms;
	size_t i;
	size_t ev; /* its planned contact in its debtor's history */
};

/* The first allowed moment of m on its local day D at or after t, and the
 * end of that stretch of hours; false when the day has none (m decided). */
static bool opening(const struct policy *p, struct judged *j, struct sched_msg *m, int64_t t, struct slot *s)
{
	struct policy_verdict v, w;
	int64_t open;

	if (t >= j->day1) {
		m->outcome = SCHED_WAIT;
		m->rule = SCHED_RULE_PAST;
		return false;
	}
	check(p, j, t, true, &v);
	if (v.allowed) {
		open = t;
	} else if (!v.next) {
		never(j, &v, m);
		return false;
	} else if (v.next < j->day1) {
		open = v.next;
		check(p, j, open, true, &v);
		if (!v.allowed) { /* the engine's next is allowed; never loop on it */
			m->outcome = SCHED_WAIT;
			m->rule = policy_rule_id(v.rule);
			return false;
		}
	} else {
		/* Day D is closed for this debtor. The first refusal at t is
		 * often only the night's hours; the rule to name is what closes
		 * the day: the hours themselves (Sunday, a holiday), found with
		 * no history, else what the history adds (a cap, a gap) when
		 * the hours open. */
		m->outcome = SCHED_WAIT;
		m->rule = policy_rule_id(v.rule);
		check(p, j, t, false, &w);
		if (!w.allowed && (!w.next || w.next >= j->day1)) {
			if (w.rule)
				m->rule = policy_rule_id(w.rule);
			return false;
		}
		check(p, j, w.allowed ? t : w.next, true, &w);
		if (!w.allowed && w.rule)
			m->rule = policy_rule_id(w.rule);
		return false;
	}
	s->open_ms = open * 1000;
	s->until_ms = (v.until && v.until < j->day1 ? v.until : j->day1) * 1000;
	return true;
}

/* A min-heap of slots by opening, then by the order given. */
struct heap {
	struct slot *s;
	size_t n, cap;
};

static bool before(const struct slot *a, const struct slot *b)
{
	return a->open_ms != b->open_ms ? a->open_ms < b->open_ms : a->i < b->i;
}

static void heap_push(struct heap *h, struct slot s)
{
	size_t k;

	h->s = grow(h->s, &h->cap, h->n, sizeof *h->s);
	k = h->n++;
	h->s[k] = s;
	while (k && before(&h->s[k], &h->s[(k - 1) / 2])) {
		struct slot t = h->s[k];

		h->s[k] = h->s[(k - 1) / 2];
		h->s[(k - 1) / 2] = t;
		k = (k - 1) / 2;
	}
}

static struct slot heap_pop(struct heap *h)
{
	struct slot top = h->s[0];
	size_t k = 0;

	h->s[0] = h->s[--h->n];
	for (;;) {
		size_t l = 2 * k + 1, r = l + 1, m = k;

		if (l < h->n && before(&h->s[l], &h->s[m]))
			m = l;
		if (r < h->n && before(&h->s[r], &h->s[m]))
			m = r;
		if (m == k)
			break;
		struct slot t = h->s[k];
		h->s[k] = h->s[m];
		h->s[m] = t;
		k = m;
	}
	return top;
}

static void count(struct sched_result *r, size_t *cap, enum sched_outcome o, const char *rule)
{
	for (size_t i = 0; i < r->ncounts; i++)
		if (r->counts[i].outcome == o && (r->counts[i].rule == rule || !strcmp(r->counts[i].rule, rule))) {
			r->counts[i].n++;
			return;
		}
	r->counts = grow(r->counts, cap, r->ncounts, sizeof *r->counts);
	r->counts[r->ncounts++] = (struct sched_count){ .outcome = o, .rule = rule, .n = 1 };
}

static int cmp_count(const void *a, const void *b)
{
	const struct sched_count *x = a, *y = b;

	if (x->outcome != y->outcome)
		return (int)x->outcome - (int)y->outcome;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->rule, y->rule);
}

void sched_plan(const struct policy *p, struct sched_facts *f, const double rate[CH__COUNT], int64_t not_before,
                struct sched_msg *m, size_t n, struct sched_result *r)
{
	struct heap h = { 0 };
	struct judged j;
	int64_t start[CH__COUNT] = { 0 }, k[CH__COUNT] = { 0 }, lo = INT64_MAX, hi = INT64_MIN;
	size_t cap = 0;

	memset(r, 0, sizeof *r);
	facts_ready(f);

	/* Each message's opening on its day, in the order given: what one
	 * plans counts against the caps of the next for the same debtor. */
	for (size_t i = 0; i < n; i++) {
		const char *why = judge(f, &m[i], &j);
		struct slot s = { .i = i };

		m[i].at_ms = 0;
		m[i].rule = NULL;
		if (why) {
			m[i].outcome = SCHED_REFUSED;
			m[i].rule = why;
			continue;
		}
		if (!opening(p, &j, &m[i], not_before > j.day0 ? not_before : j.day0, &s))
			continue;
		m[i].outcome = SCHED_SEND;
		s.ev = j.d->nev;
		heap_push(&h, s);
		/* Planned: it counts from the start of its local day, so that
		 * every later check of that day sees it whatever its hour. */
		add_event(j.d, &(struct policy_event){ .at = j.day0, .channel = m[i].channel, .kind = KIND_SENT,
		                                       .debt = j.a->reference, .creditor = j.a->creditor });
	}

	/* Then the channels' rates, openings in time order: the k-th message
	 * of a channel since its last opening goes out k / rate after it. */
	while (h.n) {
		struct slot s = heap_pop(&h);
		struct sched_msg *mi = &m[s.i];
		enum channel ch = mi->channel;
		double per = rate && rate[ch] > 0 ? 1000.0 / rate[ch] : 0;
		int64_t at;

		if (k[ch] == 0 || s.open_ms >= start[ch] + (int64_t)floor((double)k[ch] * per)) {
			start[ch] = s.open_ms;
			k[ch] = 0;
		}
		at = start[ch] + (int64_t)floor((double)k[ch] * per);
		if (at >= s.until_ms) {
			/* The window is full: a later stretch of the same day, or
			 * another day. Its own planned contact must not refuse it
			 * (a daily cap of one): out of the history while asked,
			 * and out for good if it waits. */
			struct slot later = { .i = s.i, .ev = s.ev };
			struct policy_event *own;

			judge(f, mi, &j);
			own = &j.d->ev[s.ev];
			own->channel = CH__COUNT;
			if (opening(p, &j, mi, (at + 999) / 1000, &later)) {
				own->channel = ch;
				heap_push(&h, later);
			} else if (mi->outcome == SCHED_WAIT) {
				mi->rule = SCHED_RULE_FULL;
			}
			continue;
		}
		k[ch]++;
		mi->at_ms = at;
	}
	free(h.s);

	for (size_t i = 0; i < n; i++) {
		switch (m[i].outcome) {
		case SCHED_SEND:
			r->sent++;
			if (m[i].at_ms < lo)
				lo = m[i].at_ms;
			if (m[i].at_ms > hi)
				hi = m[i].at_ms;
			count(r, &cap, SCHED_SEND, "");
			break;
		case SCHED_WAIT:
			r->waiting++;
			count(r, &cap, SCHED_WAIT, m[i].rule);
			break;
		default:
			r->refused++;
			count(r, &cap, SCHED_REFUSED, m[i].rule);
			break;
		}
	}
	qsort(r->counts, r->ncounts, sizeof *r->counts, cmp_count);
	if (r->sent) {
		r->first_hour = floor_div(lo, 3600000) * 3600;
		r->nhours = (int)(floor_div(hi, 3600000) - floor_div(lo, 3600000) + 1);
		r->per_hour = xcalloc((size_t)r->nhours, sizeof *r->per_hour);
		for (size_t i = 0; i < n; i++)
			if (m[i].outcome == SCHED_SEND)
				r->per_hour[floor_div(m[i].at_ms, 3600000) - r->first_hour / 3600]++;
	}
	/* The facts as they were: a dry run leaves nothing for the real run. */
	for (size_t i = 0; i < f->nd; i++)
		f->d[i].nev = f->d[i].base;
}

void sched_result_free(struct sched_result *r)
{
	free(r->counts);
	free(r->per_hour);
	memset(r, 0, sizeof *r);
}

/* ----------------------------------------------------------- the facts read */

/* The ids as a PostgreSQL array literal: "{1,2,3}". */
static char *id_array(const long long *ids, size_t n)
{
	struct buf b = { 0 };

	buf_puts(&b, "{");
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s%lld", i ? "," : "", ids[i]);
	buf_puts(&b, "}");
	return b.s;
}

bool sched_facts_load(struct db *db, const struct policy *p, const long long *accounts, size_t n, int64_t day,
                      struct sched_facts *f, char *err, size_t errlen)
{
	char *arr = id_array(accounts, n), since[32];
	const char *prm[2] = { arr, since };
	PGresult *r = NULL;
	long long last = 0;
	bool ok = false;

	/* Day D begins at most 14 hours before its UTC midnight (UTC+14);
	 * before that, only what a rule of this policy can still count. */
	snprintf(since, sizeof since, "%lld", (long long)(day * 86400 - 14 * 3600 - policy_lookback(p)));
	r = db_exec(db,
		"SELECT a.id, a.debtor_id, a.reference, coalesce(c.code, ''), cobro.policy_state(a.status, d.state), "
		"       d.jurisdiction, d.time_zone "
		"FROM cobro.account a JOIN cobro.debtor d ON d.id = a.debtor_id "
		"LEFT JOIN cobro.creditor c ON c.id = a.creditor_id "
		"WHERE a.id = ANY ($1::bigint[]) ORDER BY a.debtor_id", 1, prm);
	if (!r)
		goto fail;
	for (int i = 0; i < PQntuples(r); i++) {
		long long debtor = atoll(PQgetvalue(r, i, 1));

		/* A debtor whose zone is unknown is left out: its messages are
		 * refused (SCHED_RULE_UNKNOWN), the others go on. */
		if (debtor != last)
			sched_facts_debtor(f, debtor, PQgetvalue(r, i, 5), PQgetvalue(r, i, 6), err, errlen);
		last = debtor;
		sched_facts_account(f, atoll(PQgetvalue(r, i, 0)), debtor, PQgetvalue(r, i, 2), PQgetvalue(r, i, 3),
		                    PQgetvalue(r, i, 4));
	}
	PQclear(r);

	r = db_exec(db,
		"SELECT cp.id, cp.debtor_id, cp.kind, cp.value, cp.consent::text, cp.opted_out::text, "
		"       cp.bad_since IS NOT NULL "
		"FROM cobro.contact_point cp "
		"WHERE cp.debtor_id IN (SELECT a.debtor_id FROM cobro.account a WHERE a.id = ANY ($1::bigint[]))",
		1, prm);
	if (!r)
		goto fail;
	for (int i = 0; i < PQntuples(r); i++)
		if (!sched_facts_point(f, atoll(PQgetvalue(r, i, 0)), atoll(PQgetvalue(r, i, 1)), PQgetvalue(r, i, 2),
		                       PQgetvalue(r, i, 3), PQgetvalue(r, i, 4), PQgetvalue(r, i, 5),
		                       PQgetvalue(r, i, 6)[0] == 't', err, errlen))
			goto out;
	PQclear(r);

	/* What counts as a contact is contact_events()'s, as for every other
	 * check of the policy. */
	r = db_exec(db,
		"SELECT h.debtor_id, extract(epoch FROM h.at)::bigint, h.channel, h.kind, coalesce(h.debt, ''), "
		"       coalesce(h.creditor, '') "
		"FROM cobro.contact_history_many(ARRAY(SELECT DISTINCT a.debtor_id FROM cobro.account a "
		"                                      WHERE a.id = ANY ($1::bigint[])), "
		"                                to_timestamp($2::bigint)) h ORDER BY h.debtor_id", 2, prm);
	if (!r)
		goto fail;
	for (int i = 0; i < PQntuples(r); i++) {
		enum channel ch;
		enum contact_kind kind;

		if (channel_parse(PQgetvalue(r, i, 2), &ch) && kind_parse(PQgetvalue(r, i, 3), &kind))
			sched_facts_contact(f, atoll(PQgetvalue(r, i, 0)), atoll(PQgetvalue(r, i, 1)), ch, kind,
			                    PQgetvalue(r, i, 4), PQgetvalue(r, i, 5));
	}
	ok = true;
	goto out;
fail:
	snprintf(err, errlen, "%s", db->err);
out:
	PQclear(r);
	free(arr);
	return ok;
}

void sched_facts_size(const struct sched_facts *f, size_t *debtors, size_t *accounts, size_t *points,
                      size_t *contacts)
{
	*debtors = f->nd;
	*accounts = f->na;
	*points = f->np;
	*contacts = f->nc;
}
