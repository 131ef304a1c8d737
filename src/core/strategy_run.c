/* One run of the strategies for a day (strategy_run.h). The order of the
 * work, and why:
 *
 *   1. the version in force, parsed against the database's templates, and
 *      the contact policy in force;
 *   2. every account's facts streamed (a COPY on each of o->jobs
 *      connections, each a share of the accounts, one snapshot:
 *      strategy_store) and decided at once (strategy_decide): only the
 *      decision is kept, a few pointers into the strategy, so 1,000,000
 *      accounts fit in tens of megabytes; then ordered by account id, so
 *      that nothing after depends on the order the rows came in;
 *   3. the accounts with a message that day read again, in batches, with
 *      what their templates need (cobro.strategy_message_data()): each
 *      message rendered in the debtor's language, its template's facts
 *      tested (template_fits(), as the send screen and cobrod test them);
 *   4. the messages planned inside each debtor's allowed hours at the
 *      channel's rate (strategy_sched): sent, waiting, or refused by a rule;
 *   5. counted; then, unless dry, applied in one transaction and the
 *      agencies' placement files written.
 *
 * Steps 1 to 4 and the counting are the same code for a dry run and a real
 * one: only step 5's writing depends on the flag. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "policy_store.h"
#include "sms.h"
#include "strategy.h"
#include "strategy_decide.h"
#include "strategy_run.h"
#include "strategy_sched.h"
#include "strategy_store.h"
#include "template.h"
#include "template_store.h"
#include "outbox.h"
#include "util.h"

/* ------------------------------------------------------------ what is kept */

/* One account's decision, as little as the apply needs. */
struct acct {
	int64_t id;
	const struct strategy_segment *segment;
	const struct strategy_variant *variant;
	const struct strategy_ladder *ladder;
	const struct strategy_step *last_step, *next_step;
	const char *state_reason; /* static text of strategy_decide */
	int next_step_day;
	unsigned char state; /* enum strategy_state */
	bool changed;
};

/* One step to record. */
struct act {
	size_t acct;                       /* index into accts */
	const struct strategy_step *step;
	int anchor;
	enum strategy_outcome decided;     /* strategy_decide's outcome */
	const char *outcome;               /* what is recorded: queued, assigned, placed, skipped, refused; NULL: waits */
	const char *reason;                /* skipped/refused: why */
	long msg;                          /* index into msgs; -1: none */
};

/* One message to queue. */
struct msg {
	size_t act;
	long long point;
	char *subject, *body, **params;
	int nparams;
	long long template_id;
	char language[3];
	int segments;
	bool ucs2;
	int64_t at_ms;
};

struct run {
	struct db *db;
	const struct strategy_run_opts *o;
	struct strategy *s;
	int version;
	struct stored_policy sp;
	struct stored_template *tpl;
	int ntpl;
	struct acct *accts;
	size_t naccts, cap_accts;
	struct act *acts;
	size_t nacts, cap_acts;
	struct msg *msgs;
	size_t nmsgs, cap_msgs;
	struct strategy_result *res;
	struct tkey *tkeys, *skeys; /* beside res->tallies, res->segments */
	char *err;
	size_t errlen;
};

/* ----------------------------------------------------------------- counts */

/* Tallies and segment counts are found by the strategy's own pointers
 * (segment, variant, step): millions of look-ups, no string compared. */
struct tkey {
	const void *segment, *variant, *step;
};

static struct strategy_tally *tally_of(struct run *r, const struct acct *a, const struct strategy_step *st)
{
	struct strategy_result *res = r->res;

	for (int i = res->ntallies - 1; i >= 0; i--)
		if (r->tkeys[i].step == st && r->tkeys[i].segment == a->segment && r->tkeys[i].variant == a->variant)
			return &res->tallies[i];
	res->tallies = xrealloc(res->tallies, (size_t)(res->ntallies + 1) * sizeof *res->tallies);
	r->tkeys = xrealloc(r->tkeys, (size_t)(res->ntallies + 1) * sizeof *r->tkeys);
	r->tkeys[res->ntallies] = (struct tkey){ a->segment, a->variant, st };
	struct strategy_tally *t = &res->tallies[res->ntallies++];
	memset(t, 0, sizeof *t);
	snprintf(t->segment, sizeof t->segment, "%s", a->segment->name);
	snprintf(t->variant, sizeof t->variant, "%s", a->variant ? a->variant->name : "");
	snprintf(t->ladder, sizeof t->ladder, "%s", a->ladder ? a->ladder->name : "");
	snprintf(t->step, sizeof t->step, "%s", st->name);
	snprintf(t->channel, sizeof t->channel, "%s", strategy_channel_name(st->channel));
	return t;
}

static void rule_count(struct strategy_result *res, const char *outcome, const char *rule)
{
	for (int i = 0; i < res->nrules; i++)
		if (!strcmp(res->rules[i].rule, rule) && !strcmp(res->rules[i].outcome, outcome)) {
			res->rules[i].n++;
			return;
		}
	res->rules = xrealloc(res->rules, (size_t)(res->nrules + 1) * sizeof *res->rules);
	struct strategy_rule_count *c = &res->rules[res->nrules++];
	memset(c, 0, sizeof *c);
	snprintf(c->outcome, sizeof c->outcome, "%s", outcome);
	snprintf(c->rule, sizeof c->rule, "%s", rule);
	c->n = 1;
}

static struct strategy_segment_count *segment_count_of(struct run *r, const struct acct *a)
{
	struct strategy_result *res = r->res;

	for (int i = 0; i < res->nsegments; i++)
		if (r->skeys[i].segment == a->segment && r->skeys[i].variant == a->variant)
			return &res->segments[i];
	res->segments = xrealloc(res->segments, (size_t)(res->nsegments + 1) * sizeof *res->segments);
	r->skeys = xrealloc(r->skeys, (size_t)(res->nsegments + 1) * sizeof *r->skeys);
	r->skeys[res->nsegments] = (struct tkey){ a->segment, a->variant, NULL };
	struct strategy_segment_count *c = &res->segments[res->nsegments++];
	memset(c, 0, sizeof *c);
	snprintf(c->segment, sizeof c->segment, "%s", a->segment->name);
	snprintf(c->variant, sizeof c->variant, "%s", a->variant ? a->variant->name : "");
	snprintf(c->ladder, sizeof c->ladder, "%s", a->ladder ? a->ladder->name : "");
	return c;
}

/* Segments in the strategy's order, then variants in theirs; steps the
 * same within. The same order for a dry run and the real one, so their
 * JSON texts compare equal. */
static int segment_rank(const struct strategy *s, const char *name)
{
	for (int i = 0; i < s->nsegments; i++)
		if (!strcmp(s->segments[i].name, name))
			return i;
	return s->nsegments;
}

static const struct strategy *sort_strategy;

static int cmp_segcount(const void *x, const void *y)
{
	const struct strategy_segment_count *a = x, *b = y;
	int d = segment_rank(sort_strategy, a->segment) - segment_rank(sort_strategy, b->segment);

	return d ? d : strcmp(a->variant, b->variant);
}

static int step_rank(const struct strategy *s, const char *ladder, const char *step)
{
	const struct strategy_ladder *l = strategy_ladder_find(s, ladder);

	if (!l)
		return 0;
	for (int i = 0; i < l->nsteps; i++)
		if (!strcmp(l->steps[i].name, step))
			return i;
	return !strcmp(step, STRATEGY_PROMISE_REMINDER) ? l->nsteps : l->nsteps + 1;
}

static int cmp_tally(const void *x, const void *y)
{
	const struct strategy_tally *a = x, *b = y;
	int d = segment_rank(sort_strategy, a->segment) - segment_rank(sort_strategy, b->segment);

	if (d)
		return d;
	if ((d = strcmp(a->variant, b->variant)))
		return d;
	if ((d = strcmp(a->ladder, b->ladder)))
		return d;
	return step_rank(sort_strategy, a->ladder, a->step) - step_rank(sort_strategy, b->ladder, b->step);
}

static int cmp_rule(const void *x, const void *y)
{
	const struct strategy_rule_count *a = x, *b = y;
	int d = strcmp(a->outcome, b->outcome);

	if (d)
		return d;
	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return strcmp(a->rule, b->rule);
}

/* --------------------------------------------------------------- deciding */

static size_t acct_add(struct run *r)
{
	if (r->naccts == r->cap_accts) {
		r->cap_accts = r->cap_accts ? r->cap_accts * 2 : 4096;
		r->accts = xrealloc(r->accts, r->cap_accts * sizeof *r->accts);
	}
	return r->naccts++;
}

static size_t act_add(struct run *r)
{
	if (r->nacts == r->cap_acts) {
		r->cap_acts = r->cap_acts ? r->cap_acts * 2 : 1024;
		r->acts = xrealloc(r->acts, r->cap_acts * sizeof *r->acts);
	}
	return r->nacts++;
}

static size_t msg_add(struct run *r)
{
	if (r->nmsgs == r->cap_msgs) {
		r->cap_msgs = r->cap_msgs ? r->cap_msgs * 2 : 1024;
		r->msgs = xrealloc(r->msgs, r->cap_msgs * sizeof *r->msgs);
	}
	memset(&r->msgs[r->nmsgs], 0, sizeof r->msgs[0]);
	return r->nmsgs++;
}

/* Called for each account's facts as they stream in. */
static bool decide_one(const struct strategy_account *sa, void *arg)
{
	const struct strategy_facts *f = &sa->f;
	struct run *r = arg;
	struct strategy_decision d;
	size_t i = acct_add(r);
	struct acct *a = &r->accts[i];

	strategy_decide(r->s, f, r->o->day, &d);
	memset(a, 0, sizeof *a);
	a->id = f->account_id;
	a->segment = d.segment;
	a->variant = d.variant;
	a->ladder = d.ladder;
	a->state = (unsigned char)d.state;
	a->state_reason = d.state_reason;
	a->last_step = d.last_step;
	a->next_step = d.next_step;
	a->next_step_day = d.next_step_day;
	a->changed = d.segment_changed;
	if (r->o->kind == STRATEGY_RUN_SEGMENT)
		return true;
	for (int k = 0; k < d.nactions; k++) {
		const struct strategy_action *x = &d.actions[k];
		size_t j = act_add(r);
		struct act *t = &r->acts[j];

		t->acct = i;
		t->step = x->step;
		t->anchor = x->anchor;
		t->decided = x->outcome;
		t->msg = -1;
		t->outcome = strategy_outcome_name(x->outcome);
		t->reason = strategy_outcome_reason(x->outcome);
		if (x->outcome != STRATEGY_OUT_DUE)
			continue;
		switch (x->step->channel) {
		case STRATEGY_WORKLIST: t->outcome = "assigned"; break;
		case STRATEGY_AGENCY: t->outcome = "placed"; break;
		case STRATEGY_LETTER: t->outcome = "queued"; break;
		default:
			/* Rendered and planned below; waits until then. */
			t->outcome = NULL;
			t->msg = (long)msg_add(r);
			r->msgs[t->msg].act = j;
			r->msgs[t->msg].point = sa->point[x->step->channel];
			break;
		}
	}
	return true;
}

/* The decisions in the order of the accounts' ids, whatever order the facts
 * came in (several connections stream them at once, each share in the
 * order its server's plan makes): what is spread in order over the day
 * (the plan of the messages, strategy_sched) and what the apply stages
 * depend on the order, and must not depend on which connection was
 * quicker. The acts follow their accounts, an account's acts in the order
 * decided; the messages keep their place (found through their acts). */
struct acct_pair {
	int64_t id;
	size_t old;
};

static int cmp_acct_id_pair(const void *x, const void *y)
{
	const struct acct_pair *a = x, *b = y;

	return (a->id > b->id) - (a->id < b->id);
}

static void order_by_account(struct run *r)
{
	size_t *at, *first;
	struct act *acts;
	bool sorted = true;

	for (size_t i = 1; i < r->naccts && sorted; i++)
		sorted = r->accts[i - 1].id < r->accts[i].id;
	if (sorted)
		return;
	/* The account's new place, through its id: each act's account keeps
	 * its index into accts as the key until the accounts move. */
	at = xmalloc((r->naccts ? r->naccts : 1) * sizeof *at);
	{
		/* Sort (id, old index) pairs, then move. */
		struct acct_pair *p = xmalloc((r->naccts ? r->naccts : 1) * sizeof *p);
		struct acct *na = xmalloc((r->naccts ? r->naccts : 1) * sizeof *na);

		for (size_t i = 0; i < r->naccts; i++)
			p[i] = (struct acct_pair){ r->accts[i].id, i };
		qsort(p, r->naccts, sizeof *p, cmp_acct_id_pair);
		for (size_t i = 0; i < r->naccts; i++) {
			na[i] = r->accts[p[i].old];
			at[p[i].old] = i;
		}
		free(p);
		free(r->accts);
		r->accts = na;
		r->cap_accts = r->naccts;
	}
	/* The acts by their account's new place, stable (a counting sort). */
	first = xcalloc(r->naccts + 1, sizeof *first);
	for (size_t j = 0; j < r->nacts; j++)
		first[at[r->acts[j].acct] + 1]++;
	for (size_t i = 0; i < r->naccts; i++)
		first[i + 1] += first[i];
	acts = xmalloc((r->nacts ? r->nacts : 1) * sizeof *acts);
	for (size_t j = 0; j < r->nacts; j++) {
		size_t k = first[at[r->acts[j].acct]]++;

		acts[k] = r->acts[j];
		acts[k].acct = at[r->acts[j].acct];
		if (acts[k].msg >= 0)
			r->msgs[acts[k].msg].act = k;
	}
	free(r->acts);
	r->acts = acts;
	r->cap_acts = r->nacts;
	free(first);
	free(at);
}

/* ---------------------------------------------------------------- messages */

static const struct stored_template *template_for(const struct run *r, const char *code, const char *channel,
                                                  const char *language)
{
	const struct stored_template *other = NULL;

	for (int i = 0; i < r->ntpl; i++) {
		const struct stored_template *t = &r->tpl[i];

		if (strcmp(t->code, code) || strcmp(t->channel, channel))
			continue;
		if (!strcmp(t->language, language))
			return t;
		other = t;
	}
	/* The debtor's language first; a template written only in the other
	 * one is better than no reminder at all. */
	return other;
}

static enum channel policy_channel(enum strategy_channel c)
{
	switch (c) {
	case STRATEGY_EMAIL: return CH_EMAIL;
	case STRATEGY_WHATSAPP: return CH_WHATSAPP;
	case STRATEGY_LETTER: return CH_LETTER;
	default: return CH_SMS;
	}
}

static void refuse(struct act *t, const char *reason)
{
	t->outcome = "refused";
	t->reason = reason;
	t->msg = -1;
}

static const char *col(PGresult *res, int row, int c)
{
	return PQgetvalue(res, row, c);
}

static const char *or_null(const char *s)
{
	return s && *s ? s : NULL;
}

/* Renders the message of one act from one row of strategy_message_data(). */
static void render(struct run *r, struct act *t, PGresult *res, int row)
{
	struct msg *m = &r->msgs[t->msg];
	const struct strategy_step *st = t->step;
	const char *chan = strategy_channel_name(st->channel);
	const char *lang = col(res, row, 4);
	const struct stored_template *tpl = template_for(r, st->template_code, chan, lang);
	struct template_data d = { 0 };
	struct template_account fa = { 0 };
	char today[16], err[512];
	const char *why = NULL;

	if (!m->point) {
		refuse(t, "no_contact");
		return;
	}
	if (!tpl) {
		refuse(t, "no_template");
		return;
	}
	strategy_day_format(r->o->day, today, sizeof today);
	fa.today = today;
	fa.past_due = atoll(col(res, row, 9));
	fa.oldest_due = col(res, row, 10);
	fa.unpaid = col(res, row, 11)[0] == 't';
	fa.promise_status = col(res, row, 14);
	fa.promise_date = col(res, row, 17);
	fa.has_payment = col(res, row, 20)[0] != '\0';
	if (!template_fits(tpl->requires, &fa, &why)) {
		refuse(t, "template_facts");
		return;
	}
	d.language = lang;
	d.country = or_null(col(res, row, 5));
	d.debtor_name = or_null(col(res, row, 2));
	d.debtor_first_name = or_null(col(res, row, 3));
	d.has_account = true;
	d.account_reference = col(res, row, 6);
	d.currency = col(res, row, 7);
	d.balance = atoll(col(res, row, 8));
	d.past_due = fa.past_due;
	d.due_date = or_null(col(res, row, 12));
	d.due_amount = atoll(col(res, row, 13));
	if (col(res, row, 14)[0]) {
		d.has_promise = true;
		d.promise_amount = atoll(col(res, row, 15));
		d.promise_currency = or_null(col(res, row, 16));
		d.promise_date = or_null(col(res, row, 17));
	}
	if (col(res, row, 20)[0]) {
		d.has_payment = true;
		d.payment_amount = atoll(col(res, row, 18));
		d.payment_currency = or_null(col(res, row, 19));
		d.payment_date = or_null(col(res, row, 20));
	}
	d.creditor_name = or_null(col(res, row, 21));
	d.pay_link = or_null(col(res, row, 22));
	m->template_id = tpl->id;
	snprintf(m->language, sizeof m->language, "%s", tpl->language);
	if (st->channel == STRATEGY_WHATSAPP) {
		if (!outbox_template_params(tpl->body, &d, &m->params, &m->nparams, err, sizeof err)) {
			refuse(t, "render");
			return;
		}
	}
	if (!(m->body = template_render(tpl->body, &d, err, sizeof err))) {
		refuse(t, "render");
		return;
	}
	if (tpl->subject && st->channel == STRATEGY_EMAIL &&
	    !(m->subject = template_render(tpl->subject, &d, err, sizeof err))) {
		refuse(t, "render");
		return;
	}
	if (st->channel == STRATEGY_SMS) {
		struct sms_size sz;

		if (!sms_measure(m->body, &sz)) {
			refuse(t, "render");
			return;
		}
		m->segments = (int)sz.segments;
		m->ucs2 = sz.encoding != SMS_GSM7;
	}
}

static const struct run *sort_run;

static int cmp_msg_account(const void *x, const void *y)
{
	const struct run *r = sort_run;
	int64_t a = r->accts[r->acts[r->msgs[*(const size_t *)x].act].acct].id;
	int64_t b = r->accts[r->acts[r->msgs[*(const size_t *)y].act].acct].id;

	return (a > b) - (a < b);
}

static int64_t msg_account(const struct run *r, size_t m)
{
	return r->accts[r->acts[r->msgs[m].act].acct].id;
}

/* The row of account id in res (ordered by account), or -1. */
static int row_of(PGresult *res, int64_t id)
{
	int lo = 0, hi = PQntuples(res) - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		long long v = atoll(PQgetvalue(res, mid, 0));

		if (v == id)
			return mid;
		if (v < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* Renders every message, a batch of accounts per statement. */
#define RENDER_BATCH 5000

static bool render_all(struct run *r)
{
	size_t *order = xmalloc((r->nmsgs ? r->nmsgs : 1) * sizeof *order);
	bool ok = true;

	for (size_t i = 0; i < r->nmsgs; i++)
		order[i] = i;
	sort_run = r;
	qsort(order, r->nmsgs, sizeof *order, cmp_msg_account);
	for (size_t k = 0; ok && k < r->nmsgs;) {
		struct buf arr = { 0 };
		size_t end = k, n = 0;
		PGresult *res;

		buf_puts(&arr, "{");
		while (end < r->nmsgs) {
			int64_t id = msg_account(r, order[end]);

			if (end == k || id != msg_account(r, order[end - 1])) {
				if (n == RENDER_BATCH)
					break;
				buf_printf(&arr, "%s%lld", n ? "," : "", (long long)id);
				n++;
			}
			end++;
		}
		buf_puts(&arr, "}");
		const char *p[1] = { arr.s };
		res = db_exec(r->db, "SELECT * FROM cobro.strategy_message_data($1::bigint[])", 1, p);
		buf_free(&arr);
		if (!res) {
			snprintf(r->err, r->errlen, "reading the messages' data: %s", r->db->err);
			ok = false;
			break;
		}
		for (size_t j = k; j < end; j++) {
			struct msg *m = &r->msgs[order[j]];
			struct act *t = &r->acts[m->act];
			int row = row_of(res, msg_account(r, order[j]));

			if (row < 0)
				refuse(t, "no_account");
			else
				render(r, t, res, row);
		}
		PQclear(res);
		k = end;
	}
	free(order);
	return ok;
}

/* Plans the messages that rendered inside their debtors' allowed hours. */
static bool plan_all(struct run *r)
{
	struct sched_msg *sm;
	size_t n = 0, *which;
	long long *accounts;
	size_t naccounts = 0;
	struct sched_facts *f;
	struct sched_result sr = { 0 };
	double rate[CH__COUNT] = { 0 };
	bool ok;

	sm = xcalloc(r->nmsgs ? r->nmsgs : 1, sizeof *sm);
	which = xmalloc((r->nmsgs ? r->nmsgs : 1) * sizeof *which);
	accounts = xmalloc((r->nmsgs ? r->nmsgs : 1) * sizeof *accounts);
	/* In the order of the accounts' ids (order_by_account()): the same
	 * for every run on the same facts, however many connections read
	 * them, so the plan is too. */
	for (size_t i = 0; i < r->nacts; i++) {
		struct act *t = &r->acts[i];

		if (t->msg < 0 || t->outcome)
			continue;
		sm[n].account = r->accts[t->acct].id;
		sm[n].point = r->msgs[t->msg].point;
		sm[n].channel = policy_channel(t->step->channel);
		sm[n].day = r->o->day;
		which[n++] = i;
		if (!naccounts || accounts[naccounts - 1] != sm[n - 1].account)
			accounts[naccounts++] = sm[n - 1].account;
	}
	rate[CH_SMS] = r->s->channels[STRATEGY_SMS].rate;
	rate[CH_EMAIL] = r->s->channels[STRATEGY_EMAIL].rate;
	rate[CH_WHATSAPP] = r->s->channels[STRATEGY_WHATSAPP].rate;
	f = sched_facts_new();
	ok = sched_facts_load(r->db, r->sp.policy, accounts, naccounts, r->o->day, f, r->err, r->errlen);
	if (ok) {
		sched_plan(r->sp.policy, f, rate, r->o->now, sm, n, &sr);
		for (size_t k = 0; k < n; k++) {
			struct act *t = &r->acts[which[k]];

			switch (sm[k].outcome) {
			case SCHED_SEND:
				t->outcome = "queued";
				r->msgs[t->msg].at_ms = sm[k].at_ms;
				break;
			case SCHED_WAIT:
				/* Nothing recorded: the next run tries it again, until
				 * the catch-up rule calls it stale. */
				t->outcome = NULL;
				t->reason = sm[k].rule;
				break;
			case SCHED_REFUSED: refuse(t, sm[k].rule); break;
			}
		}
		r->res->first_hour = sr.first_hour;
		r->res->nhours = sr.nhours;
		if (sr.nhours > 0) {
			r->res->per_hour = xmalloc((size_t)sr.nhours * sizeof *r->res->per_hour);
			memcpy(r->res->per_hour, sr.per_hour, (size_t)sr.nhours * sizeof *r->res->per_hour);
		}
		/* The rules' names point into the policy, kept until the run ends. */
		sched_result_free(&sr);
	}
	sched_facts_free(f);
	free(sm);
	free(which);
	free(accounts);
	return ok;
}

/* Every decision counted, as the real run records it and the dry run says. */
static void count_all(struct run *r)
{
	struct strategy_result *res = r->res;

	for (size_t i = 0; i < r->naccts; i++) {
		const struct acct *a = &r->accts[i];
		struct strategy_segment_count *c = segment_count_of(r, a);

		c->accounts++;
		res->accounts++;
		if (a->changed) {
			c->changed++;
			res->changed++;
		}
		switch ((enum strategy_state)a->state) {
		case STRATEGY_RUNNING: c->running++; break;
		case STRATEGY_PAUSED: c->paused++; break;
		case STRATEGY_STOPPED: c->stopped++; break;
		case STRATEGY_DONE: c->done++; break;
		}
	}
	for (size_t i = 0; i < r->nacts; i++) {
		const struct act *t = &r->acts[i];
		struct strategy_tally *y = tally_of(r, &r->accts[t->acct], t->step);

		if (!t->outcome) {
			y->waiting++;
			rule_count(res, "waiting", t->reason ? t->reason : "");
		} else if (!strcmp(t->outcome, "queued")) {
			if (t->step->channel == STRATEGY_LETTER)
				y->letters++;
			else
				y->messages++;
		} else if (!strcmp(t->outcome, "assigned")) {
			y->assignments++;
		} else if (!strcmp(t->outcome, "placed")) {
			y->placements++;
		} else if (!strcmp(t->outcome, "skipped")) {
			y->skipped++;
			rule_count(res, "skipped", t->reason ? t->reason : "");
		} else {
			y->refused++;
			rule_count(res, "refused", t->reason ? t->reason : "");
		}
	}
	sort_strategy = r->s;
	qsort(res->segments, (size_t)res->nsegments, sizeof *res->segments, cmp_segcount);
	qsort(res->tallies, (size_t)res->ntallies, sizeof *res->tallies, cmp_tally);
	qsort(res->rules, (size_t)res->nrules, sizeof *res->rules, cmp_rule);
}

/* ----------------------------------------------------------------- applying */

static void assign_text(const struct strategy_assign *as, char *out, size_t n)
{
	switch (as->kind) {
	case STRATEGY_ASSIGN_POOL: snprintf(out, n, "pool"); break;
	case STRATEGY_ASSIGN_AGENT: snprintf(out, n, "agent:%s", as->login); break;
	case STRATEGY_ASSIGN_LEAST_LOADED: snprintf(out, n, "least_loaded"); break;
	default: out[0] = '\0'; break;
	}
}

static const char *stage_outcome(const struct act *t)
{
	if (!strcmp(t->outcome, "queued"))
		return "send";
	if (!strcmp(t->outcome, "assigned"))
		return "assign";
	if (!strcmp(t->outcome, "placed"))
		return "place";
	if (!strcmp(t->outcome, "skipped"))
		return "skip";
	return "refuse";
}

static bool stage_segments(struct run *r, struct strategy_stage *sg)
{
	for (size_t i = 0; i < r->naccts; i++) {
		const struct acct *a = &r->accts[i];
		struct strategy_segment_row row = {
			.account_id = a->id,
			.segment = a->segment->name,
			.ladder = a->ladder ? a->ladder->name : NULL,
			.variant = a->variant ? a->variant->name : NULL,
			.state = strategy_state_name((enum strategy_state)a->state),
			.state_reason = a->state_reason,
			.last_step = a->last_step ? a->last_step->name : NULL,
			.next_step = a->next_step ? a->next_step->name : NULL,
			.next_step_on = a->next_step ? a->next_step_day : STRATEGY_NO_DAY,
		};

		if (!strategy_stage_segment(sg, &row, r->err, r->errlen))
			return false;
	}
	return true;
}

static bool stage_actions(struct run *r, struct strategy_stage *sg)
{
	char assign[80], path[4096];

	for (size_t i = 0; i < r->nacts; i++) {
		const struct act *t = &r->acts[i];
		const struct acct *a = &r->accts[t->acct];
		const struct strategy_step *st = t->step;
		const struct msg *m = t->msg >= 0 ? &r->msgs[t->msg] : NULL;
		const struct strategy_agency *ag = st->channel == STRATEGY_AGENCY && st->agency >= 0
		                                           ? &r->s->agencies[st->agency]
		                                           : NULL;
		char *params = NULL;
		bool ok;

		if (!t->outcome) /* waits for another day: nothing recorded */
			continue;
		assign_text(&st->assign, assign, sizeof assign);
		if (ag)
			strategy_placement_path(ag->file, r->o->day, r->o->base_dir, path, sizeof path);
		if (m && m->nparams > 0) {
			json_t *arr = json_array();

			for (int k = 0; k < m->nparams; k++)
				json_array_append_new(arr, json_string(m->params[k]));
			params = json_dumps(arr, JSON_COMPACT);
			json_decref(arr);
		}
		struct strategy_action_row row = {
			.account_id = a->id,
			.ladder = a->ladder ? a->ladder->name : "",
			.step = st->name,
			.anchor = t->anchor,
			.outcome = stage_outcome(t),
			.reason = t->reason,
			.channel = strategy_channel_name(st->channel),
			.template_code = st->template_code[0] ? st->template_code : NULL,
			.point_id = m ? m->point : 0,
			.scheduled_at = m ? m->at_ms / 1000 : 0,
			.subject = m ? m->subject : NULL,
			.body = m ? m->body : NULL,
			.params = params,
			.segments = m ? m->segments : 0,
			.encoding = m && st->channel == STRATEGY_SMS ? (m->ucs2 ? "ucs2" : "gsm7") : NULL,
			.assign = assign[0] ? assign : NULL,
			.agency = ag ? ag->name : NULL,
			.agency_file = ag ? path : NULL,
			.segment = a->segment->name,
			.variant = a->variant ? a->variant->name : NULL,
		};
		ok = strategy_stage_action(sg, &row, r->err, r->errlen);
		free(params);
		if (!ok)
			return false;
	}
	return true;
}

/* One apply of kind ("segment", "ladder"), in a transaction of its own.
 * *already: the day's run of that kind was there. */
static bool apply_kind(struct run *r, const char *kind, bool with_segments, bool with_actions, bool *already,
                       long long *run_id)
{
	struct strategy_stage sg = { 0 };
	char *counts = NULL;
	json_t *j;

	if (!strategy_stage_begin(&sg, r->db, r->err, r->errlen))
		return false;
	if ((with_segments && !stage_segments(r, &sg)) || (with_actions && !stage_actions(r, &sg))) {
		strategy_stage_abort(&sg);
		return false;
	}
	if (!strategy_stage_apply(&sg, kind, r->o->day, r->version, r->o->worker, &counts, r->err, r->errlen))
		return false;
	j = counts ? json_loads(counts, 0, NULL) : NULL;
	*already = j && json_is_true(json_object_get(j, "already"));
	*run_id = j ? (long long)json_integer_value(json_object_get(j, "run")) : 0;
	json_decref(j);
	free(counts);
	return true;
}

/* ------------------------------------------------------- placement files */

/* Each agency's file of day D: every account placed with it by the day's
 * runs, read back from the database (what was committed, nothing else), so
 * writing it again gives the same file. */
static bool placement_files(struct run *r)
{
	static const char *const header[] = { "placed_on", "agency",     "reference", "debtor",   "national_id",
		                              "creditor",  "product",    "currency",  "balance",  "past_due",
		                              "oldest_due", "jurisdiction" };
	enum { NCOLS = ARRAY_SIZE(header) };
	char day[16];
	const char *p[1] = { day };
	PGresult *res;
	bool ok = true;
	int n, start;

	strategy_day_format(r->o->day, day, sizeof day);
	res = db_exec(r->db,
	              "SELECT p.agency, coalesce(p.file, ''), a.reference, d.name, coalesce(d.national_id, ''), "
	              "cr.name, a.product, a.currency::text, a.balance, a.past_due, "
	              "coalesce(to_char(a.oldest_due, 'YYYY-MM-DD'), ''), d.jurisdiction "
	              "FROM cobro.placement p JOIN cobro.strategy_run s ON s.id = p.run_id "
	              "JOIN cobro.account a ON a.id = p.account_id JOIN cobro.debtor d ON d.id = a.debtor_id "
	              "JOIN cobro.creditor cr ON cr.id = a.creditor_id "
	              "WHERE s.day = $1::date ORDER BY p.agency, a.reference",
	              1, p);
	if (!res) {
		snprintf(r->err, r->errlen, "reading the day's placements: %s", r->db->err);
		return false;
	}
	n = PQntuples(res);
	for (start = 0; ok && start < n;) {
		int end = start, k = 0;
		const char **rows;
		char (*money)[2][32];
		const char *agency = PQgetvalue(res, start, 0);
		char path[4096];
		const struct strategy_agency *ag = strategy_agency_find(r->s, agency);

		while (end < n && !strcmp(PQgetvalue(res, end, 0), agency))
			end++;
		if (PQgetvalue(res, start, 1)[0])
			snprintf(path, sizeof path, "%s", PQgetvalue(res, start, 1));
		else if (ag)
			strategy_placement_path(ag->file, r->o->day, r->o->base_dir, path, sizeof path);
		else
			snprintf(path, sizeof path, "placements/%s-%s.csv", agency, day);
		rows = xcalloc((size_t)(end - start) * NCOLS, sizeof *rows);
		money = xcalloc((size_t)(end - start), sizeof *money);
		for (int i = start; i < end; i++, k++) {
			const char **f = rows + (size_t)k * NCOLS;
			const char *cur = PQgetvalue(res, i, 7);
			int dec = currency_decimals(cur);

			for (int c = 0; c < 2; c++) {
				long long v = atoll(PQgetvalue(res, i, 8 + c));
				long long unit = 1;

				for (int e = 0; e < dec; e++)
					unit *= 10;
				if (dec > 0)
					snprintf(money[k][c], sizeof money[k][c], "%lld.%0*lld", v / unit, dec, v % unit);
				else
					snprintf(money[k][c], sizeof money[k][c], "%lld", v);
			}
			f[0] = day;
			f[1] = agency;
			f[2] = PQgetvalue(res, i, 2);
			f[3] = PQgetvalue(res, i, 3);
			f[4] = PQgetvalue(res, i, 4);
			f[5] = PQgetvalue(res, i, 5);
			f[6] = PQgetvalue(res, i, 6);
			f[7] = cur;
			f[8] = money[k][0];
			f[9] = money[k][1];
			f[10] = PQgetvalue(res, i, 10);
			f[11] = PQgetvalue(res, i, 11);
		}
		ok = strategy_placement_write(path, header, rows, end - start, NCOLS, r->err, r->errlen);
		if (ok) {
			struct strategy_result *res_ = r->res;

			res_->placement_files =
				xrealloc(res_->placement_files, (size_t)(res_->nplacement_files + 1) * sizeof(char *));
			res_->placement_files[res_->nplacement_files++] = xstrdup(path);
		}
		free(rows);
		free(money);
		start = end;
	}
	PQclear(res);
	return ok;
}

/* ------------------------------------------------------------------ a run */

static bool load_templates(struct run *r, struct strategy_templates *known)
{
	if (!template_store_list(r->db, NULL, NULL, &r->tpl, &r->ntpl)) {
		snprintf(r->err, r->errlen, "reading the templates: %s", r->db->err);
		return false;
	}
	for (int i = 0; i < r->ntpl; i++) {
		enum strategy_channel c;

		if (strategy_channel_parse(r->tpl[i].channel, -1, &c))
			strategy_templates_add(known, r->tpl[i].code, c);
	}
	return true;
}

/* Whether the day's run of kind is recorded (by anyone). */
static bool recorded(struct run *r, const char *kind, bool *yes)
{
	char day[16];
	const char *p[2] = { kind, day };
	PGresult *res;

	strategy_day_format(r->o->day, day, sizeof day);
	if (!(res = db_exec(r->db, "SELECT 1 FROM cobro.strategy_run WHERE kind = $1 AND day = $2::date", 2, p)))
		return false;
	*yes = PQntuples(res) > 0;
	PQclear(res);
	return true;
}

static void unlock(struct db *db, int day)
{
	char dayno[16];
	const char *p[1] = { dayno };

	snprintf(dayno, sizeof dayno, "%d", day);
	db_run(db, "SELECT pg_advisory_unlock(hashtext('cobro.strategy_run'), $1::integer)", 1, p);
}

static void run_free(struct run *r)
{
	for (size_t i = 0; i < r->nmsgs; i++) {
		free(r->msgs[i].subject);
		free(r->msgs[i].body);
		outbox_params_free(r->msgs[i].params, r->msgs[i].nparams);
	}
	free(r->msgs);
	free(r->tkeys);
	free(r->skeys);
	free(r->acts);
	free(r->accts);
	if (r->tpl)
		stored_templates_free(r->tpl, r->ntpl);
	stored_policy_free(&r->sp);
	strategy_free(r->s);
}

void strategy_result_free(struct strategy_result *r)
{
	free(r->segments);
	free(r->tallies);
	free(r->rules);
	free(r->per_hour);
	for (int i = 0; i < r->nplacement_files; i++)
		free(r->placement_files[i]);
	free(r->placement_files);
	memset(r, 0, sizeof *r);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

bool strategy_run_day(struct db *db, const struct strategy_run_opts *o, struct strategy_result *out, char *err,
                      size_t errlen)
{
	struct run r = { .db = db, .o = o, .res = out, .err = err, .errlen = errlen };
	struct strategy_templates known = { 0 };
	struct strategy_errors errs = { 0 };
	struct stored_strategy cur = { 0 };
	const char *kind = o->kind == STRATEGY_RUN_SEGMENT ? "segment" : "ladder";
	struct timespec t0;
	bool ok = false, done, locked = false, jit_off = false;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(out, 0, sizeof *out);
	out->day = o->day;
	out->kind = o->kind;
	out->dry = o->dry;
	err[0] = '\0';
	/* One run of a day at a time, whoever runs it (several cobrod, an
	 * operator): the one that holds the day's lock; the others are told
	 * so and look again later. The lock is the session's, let go below
	 * (or when the connection ends). The unique (kind, day) of
	 * strategy_run is what makes it once; the lock only spares the
	 * others the work. */
	if (!o->dry) {
		char dayno[16];
		const char *p[1] = { dayno };
		PGresult *res;

		snprintf(dayno, sizeof dayno, "%d", o->day);
		if (!(res = db_exec(db, "SELECT pg_try_advisory_lock(hashtext('cobro.strategy_run'), $1::integer)", 1,
		                    p))) {
			snprintf(err, errlen, "%s", db->err);
			return false;
		}
		locked = PQgetvalue(res, 0, 0)[0] == 't';
		PQclear(res);
		if (!locked) {
			out->busy = true;
			return true;
		}
		/* A day's run recorded is done: a second cobrod, a restart, or
		 * an operator's run after cobrod's find it so, before any work. */
		if (!recorded(&r, kind, &done)) {
			snprintf(err, errlen, "%s", db->err);
			unlock(db, o->day);
			return false;
		}
		if (done) {
			out->already = true;
			unlock(db, o->day);
			return true;
		}
	}
	/* No JIT for the run: the facts' one query (strategy_facts(), some
	 * 200 expressions) costs enough for PostgreSQL to compile it, and the
	 * compiling took longer than the query saves: on the 100,000-account
	 * portfolio the facts took 14.7 s with it and 6.7 s without. The
	 * session's own setting comes back at the end. */
	db_cmd(db, "SET jit = off");
	jit_off = true;
	if (!strategy_store_in_force(db, &cur, err, errlen)) {
		db_cmd(db, "RESET jit");
		if (locked)
			unlock(db, o->day);
		return false;
	}
	if (!cur.version) {
		out->unloaded = true;
		stored_strategy_free(&cur);
		db_cmd(db, "RESET jit");
		if (locked)
			unlock(db, o->day);
		return true;
	}
	r.version = out->version = cur.version;
	if (!load_templates(&r, &known))
		goto out;
	if (!(r.s = strategy_parse(cur.file, cur.text, &known, &errs))) {
		/* Every version was checked when loaded; one that no longer
		 * parses lost a template since: say which. */
		snprintf(err, errlen, "strategy version %d no longer checks: %s", cur.version,
		         errs.n ? errs.v[0] : "an error");
		goto out;
	}
	if (o->kind != STRATEGY_RUN_SEGMENT && !policy_store_current(db, &r.sp, err, errlen))
		goto out;
	{
		struct timespec t1;

		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (!strategy_store_facts_jobs(db, o->day, o->jobs > 0 ? o->jobs : STRATEGY_RUN_JOBS, decide_one, &r,
		                               NULL, err, errlen))
			goto out;
		order_by_account(&r);
		out->t_decide = seconds_since(&t1);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (o->kind != STRATEGY_RUN_SEGMENT && !render_all(&r))
			goto out;
		out->t_render = seconds_since(&t1);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (o->kind != STRATEGY_RUN_SEGMENT && !plan_all(&r))
			goto out;
		out->t_plan = seconds_since(&t1);
	}
	count_all(&r);
	if (o->dry) {
		ok = true;
		goto out;
	}
	/* The segments, then the ladders' steps, in one transaction: a day is
	 * applied whole or not at all (each apply is a savepoint in it). */
	struct timespec t2;
	clock_gettime(CLOCK_MONOTONIC, &t2);
	if (!db_cmd(db, "BEGIN")) {
		snprintf(err, errlen, "%s", db->err);
		goto out;
	}
	{
		bool already = false;
		long long id = 0;

		if (!apply_kind(&r, "segment", true, false, &already, &id))
			goto rollback;
		out->run_id = id;
		out->already = already;
		/* The ladders' steps; where each account stands again only when
		 * the day's segmentation was another run's (segment run earlier
		 * that day): this run's decisions are the later ones. Staging
		 * 1,000,000 rows once is a few seconds saved. */
		if (o->kind == STRATEGY_RUN_LADDER) {
			if (!apply_kind(&r, "ladder", already, true, &already, &id))
				goto rollback;
			out->run_id = id;
			out->already = already;
		}
	}
	if (!db_cmd(db, "COMMIT")) {
		snprintf(err, errlen, "%s", db->err);
		goto out;
	}
	ok = true;
	if (o->kind == STRATEGY_RUN_LADDER && !out->already)
		ok = placement_files(&r);
	out->t_apply = seconds_since(&t2);
	goto out;
rollback:
	db_cmd(db, "ROLLBACK");
out:
	if (jit_off)
		db_cmd(db, "RESET jit");
	if (locked)
		unlock(db, o->day);
	out->seconds = seconds_since(&t0);
	strategy_templates_free(&known);
	strategy_errors_free(&errs);
	stored_strategy_free(&cur);
	run_free(&r);
	return ok;
}
