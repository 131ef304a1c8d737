/* One account's decision for a day (strategy_decide.h; docs/strategies.md
 * "How a run decides"). Everything is worked out from the facts at each
 * run, never from a state stored as the only truth: a changed strategy or
 * a late fact applies at the next run, and nothing here allocates, so a
 * million accounts decide in a fraction of a second. */
#include "strategy_decide.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

const char *strategy_state_name(enum strategy_state s)
{
	switch (s) {
	case STRATEGY_RUNNING: return "running";
	case STRATEGY_PAUSED: return "paused";
	case STRATEGY_STOPPED: return "stopped";
	case STRATEGY_DONE: return "done";
	}
	return "?";
}

const char *strategy_outcome_name(enum strategy_outcome o)
{
	switch (o) {
	case STRATEGY_OUT_DUE: return NULL;
	case STRATEGY_OUT_SKIPPED_STALE:
	case STRATEGY_OUT_SKIPPED_REPLIED: return "skipped";
	case STRATEGY_OUT_REFUSED_NO_CONTACT: return "refused";
	}
	return NULL;
}

const char *strategy_outcome_reason(enum strategy_outcome o)
{
	switch (o) {
	case STRATEGY_OUT_DUE: return NULL;
	case STRATEGY_OUT_SKIPPED_STALE: return "stale";
	case STRATEGY_OUT_SKIPPED_REPLIED: return "replied";
	case STRATEGY_OUT_REFUSED_NO_CONTACT: return "no_contact";
	}
	return NULL;
}

/* ---------------------------------------------------------------- days */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

bool strategy_day_parse(const char *s, int *day)
{
	int y, m, d, n = 0;
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (!s || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 || s[10])
		return false;
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return false;
	*day = days_from_civil(y, m, d);
	return true;
}

char *strategy_day_format(int day, char *out, size_t n)
{
	int z = day + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int y = yoe + era * 400;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	int d = doy - (153 * mp + 2) / 5 + 1;
	int m = mp + (mp < 10 ? 3 : -9);

	if (day == STRATEGY_NO_DAY) {
		snprintf(out, n, "%s", "");
		return out;
	}
	snprintf(out, n, "%04d-%02d-%02d", y + (m <= 2), m, d);
	return out;
}

/* ---------------------------------------------------------------- segments */

int strategy_dpd(const struct strategy_facts *f, int day)
{
	if (f->past_due <= 0 || f->oldest_due == STRATEGY_NO_DAY || f->oldest_due >= day)
		return 0;
	return day - f->oldest_due;
}

static long long pow10ll(int n)
{
	long long p = 1;

	while (n-- > 0)
		p *= 10;
	return p;
}

/* Minor units of a currency in millionths of its major unit. */
static __int128 to_micro(long long minor, const char *currency)
{
	int dec = currency_decimals(currency ? currency : "");

	return (__int128)minor * pow10ll(6 - (dec > 6 ? 6 : dec));
}

static bool within(int when, int day, int n)
{
	return when != STRATEGY_NO_DAY && day - when <= n && when <= day;
}

static bool in_list(char *const *v, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

/* "US" covers "US" and every "US-XX"; otherwise equal. */
static bool jurisdiction_in(char *const *v, int n, const char *j)
{
	for (int i = 0; j && i < n; i++) {
		size_t len = strlen(v[i]);

		if (!strcmp(v[i], j) || (len == 2 && !strncmp(v[i], j, 2) && j[2] == '-'))
			return true;
	}
	return false;
}

static bool when_holds(const struct strategy *s, const struct strategy_when *w, const struct strategy_facts *f, int day)
{
	unsigned has = w->has;
	int dpd;

	if (!has)
		return true;
	dpd = strategy_dpd(f, day);
	if ((has & STRATEGY_C_DPD_MIN) && dpd < w->dpd_min)
		return false;
	if ((has & STRATEGY_C_DPD_MAX) && dpd > w->dpd_max)
		return false;
	if ((has & STRATEGY_C_SCORE_MIN) && f->score < w->score_min)
		return false;
	if ((has & STRATEGY_C_SCORE_MAX) && f->score > w->score_max)
		return false;
	if ((has & STRATEGY_C_BALANCE_MIN) && to_micro(f->balance, f->currency) < w->balance_min_micro)
		return false;
	if ((has & STRATEGY_C_BALANCE_MAX) && to_micro(f->balance, f->currency) > w->balance_max_micro)
		return false;
	if ((has & STRATEGY_C_PRODUCTS) && !in_list(w->products, w->nproducts, f->product))
		return false;
	if ((has & STRATEGY_C_JURISDICTIONS) && !jurisdiction_in(w->jurisdictions, w->njurisdictions, f->jurisdiction))
		return false;
	if ((has & STRATEGY_C_BROKEN_PROMISES_MIN) && f->broken_promises_180 < w->broken_promises_min)
		return false;
	if ((has & STRATEGY_C_REPLIED_WITHIN) && !within(f->last_reply, day, w->replied_within_days))
		return false;
	if ((has & STRATEGY_C_RPC_WITHIN) && !within(f->last_rpc, day, w->rpc_within_days))
		return false;
	if ((has & STRATEGY_C_NO_RPC) && f->last_rpc != STRATEGY_NO_DAY && day - f->last_rpc < w->no_rpc_days)
		return false;
	if (has & STRATEGY_C_VALUE_PER_COST_MIN) {
		/* balance x score/1000 over the cost of working it, both in
		 * millionths: value/cost >= min, multiplied out so that no
		 * division rounds. A free worklist makes every account worth it. */
		__int128 value = to_micro(f->balance, f->currency) * f->score;  /* x 1000 */
		__int128 cost = s->channels[STRATEGY_WORKLIST].micro;

		if (cost > 0 && value * 1000000 < (__int128)w->value_per_cost_min_micro * cost * 1000)
			return false;
	}
	if ((has & STRATEGY_C_FROM_SEGMENT) && !in_list(w->from_segments, w->nfrom_segments, f->segment))
		return false;
	return true;
}

const struct strategy_segment *strategy_segment_of(const struct strategy *s, const struct strategy_facts *f, int day)
{
	for (int i = 0; i < s->nsegments; i++)
		if (!s->segments[i].has_when || when_holds(s, &s->segments[i].when, f, day))
			return &s->segments[i];
	return &s->segments[s->nsegments - 1];
}

/* ---------------------------------------------------------------- variants */

/* FNV-1a, 64 bits: fixed and documented, so the split is the same on
 * every machine, in every version, and in SQL if ever needed. */
#define FNV_OFFSET 14695981039346656037ULL
#define FNV_PRIME 1099511628211ULL

static uint64_t fnv1a(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= FNV_PRIME;
	}
	return h;
}

const struct strategy_variant *strategy_variant_of(const struct strategy_segment *seg, const char *reference)
{
	uint64_t h;
	int bucket, cum = 0;

	if (!seg || seg->nvariants == 0)
		return NULL;
	h = fnv1a(FNV_OFFSET, seg->name, strlen(seg->name) + 1); /* the name and its NUL */
	h = fnv1a(h, reference ? reference : "", reference ? strlen(reference) : 0);
	bucket = (int)(h % 100);
	for (int i = 0; i < seg->nvariants; i++) {
		cum += seg->variants[i].percent;
		if (bucket < cum)
			return &seg->variants[i];
	}
	return &seg->variants[seg->nvariants - 1];
}

const char *strategy_variant_name(const struct strategy_segment *seg, const char *reference)
{
	const struct strategy_variant *v = strategy_variant_of(seg, reference);

	return v ? v->name : NULL;
}

/* ---------------------------------------------------------------- ladders */

static bool is_done(const struct strategy_facts *f, const char *ladder, const char *step, int anchor)
{
	for (int i = 0; i < f->ndone; i++) {
		const struct strategy_done *d = &f->done[i];

		if (d->anchor == anchor && d->step && d->ladder && !strcmp(d->step, step) && !strcmp(d->ladder, ladder))
			return true;
	}
	return false;
}

static bool has_contact(const struct strategy_facts *f, const struct strategy_step *st)
{
	return !strategy_channel_is_message(st->channel) || (f->contact & (1u << st->channel));
}

/* A step whose day has come and that is not done: stale, skipped for a
 * reply, refused for want of a contact point, or due. */
static struct strategy_action *add_action(struct strategy_decision *out, const struct strategy *s,
                                          const struct strategy_facts *f, int day, const struct strategy_step *st,
                                          int anchor, int step_day)
{
	struct strategy_action *a;

	if (out->nactions == STRATEGY_MAX_ACTIONS)
		return NULL;
	a = &out->actions[out->nactions++];
	a->step = st;
	a->anchor = anchor;
	a->day = step_day;
	if (day - step_day > s->settings.catch_up_days)
		a->outcome = STRATEGY_OUT_SKIPPED_STALE;
	else if (st->unless_reply_days >= 0 && within(f->last_reply, day, st->unless_reply_days))
		a->outcome = STRATEGY_OUT_SKIPPED_REPLIED;
	else if (!has_contact(f, st))
		a->outcome = STRATEGY_OUT_REFUSED_NO_CONTACT;
	else
		a->outcome = STRATEGY_OUT_DUE;
	return a;
}

/* The next step to go out: the earliest not done and not acted on now. */
static void consider_next(struct strategy_decision *out, const struct strategy_step *st, int step_day)
{
	if (out->next_step_day == STRATEGY_NO_DAY || step_day < out->next_step_day) {
		out->next_step = st;
		out->next_step_day = step_day;
	}
}

/* The ladder's own steps of one kind counted from one anchor: due steps
 * from a due date, dpd steps from the oldest unpaid due date. act: the
 * ladder runs (else only the next step is worked out). wait: the anchor is
 * the next installment while an older one is past due, so its due steps,
 * which speak of nothing late, wait (and go stale if it stays so). */
static void ladder_steps(struct strategy_decision *out, const struct strategy *s, const struct strategy_facts *f,
                         int day, const struct strategy_ladder *l, int anchor, bool due_kind, bool act, bool wait)
{
	for (int i = 0; i < l->nsteps; i++) {
		const struct strategy_step *st = &l->steps[i];
		int step_day = anchor + st->offset;
		struct strategy_action *a;

		if ((st->kind == STRATEGY_STEP_DUE) != due_kind || is_done(f, l->name, st->name, anchor))
			continue;
		if (step_day > day) {
			consider_next(out, st, step_day);
			continue;
		}
		if (!act || (wait && day - step_day <= s->settings.catch_up_days)) {
			consider_next(out, st, day + 1);
			continue;
		}
		a = add_action(out, s, f, day, st, anchor, step_day);
		/* A reminder before a due date that has passed unpaid is no reminder. */
		if (a && st->kind == STRATEGY_STEP_DUE && st->offset < 0 && anchor < day)
			a->outcome = STRATEGY_OUT_SKIPPED_STALE;
	}
}

static void sort_actions(struct strategy_decision *out)
{
	for (int i = 1; i < out->nactions; i++) {
		struct strategy_action a = out->actions[i];
		int k = i;

		while (k > 0 && out->actions[k - 1].day > a.day) {
			out->actions[k] = out->actions[k - 1];
			k--;
		}
		out->actions[k] = a;
	}
}

/* Whether a reaction makes the ladder stop or pause, the strongest kept. */
static void react(struct strategy_decision *out, bool happened, enum strategy_reaction r, const char *reason)
{
	if (!happened || r == STRATEGY_CONTINUE)
		return;
	if (r == STRATEGY_STOP && out->state != STRATEGY_STOPPED) {
		out->state = STRATEGY_STOPPED;
		out->state_reason = reason;
	} else if (r == STRATEGY_PAUSE && out->state == STRATEGY_RUNNING) {
		out->state = STRATEGY_PAUSED;
		out->state_reason = reason;
	}
}

int strategy_decide(const struct strategy *s, const struct strategy_facts *f, int day, struct strategy_decision *out)
{
	const struct strategy_ladder *l;
	int cycle, first, start, a_next, a_oldest;

	out->segment = strategy_segment_of(s, f, day);
	out->variant = strategy_variant_of(out->segment, f->reference);
	out->ladder = &s->ladders[out->variant ? out->variant->ladder : out->segment->ladder];
	out->segment_changed = !f->segment || strcmp(f->segment, out->segment->name) != 0;
	out->state = STRATEGY_RUNNING;
	out->state_reason = NULL;
	out->nactions = 0;
	out->last_step = NULL;
	out->next_step = NULL;
	out->next_step_day = STRATEGY_NO_DAY;
	l = out->ladder;

	if (f->balance <= 0) {
		out->state = STRATEGY_DONE;
		out->state_reason = "paid";
		return 0;
	}
	if (!f->account_status || strcmp(f->account_status, "active")) {
		out->state = STRATEGY_DONE;
		out->state_reason = "status";
		return 0;
	}
	if (f->debtor_state && strcmp(f->debtor_state, "active")) {
		out->state = STRATEGY_DONE;
		out->state_reason = "debtor_state";
		return 0;
	}

	/* The anchors: the next installment's due date, and while something
	 * is past due the oldest unpaid due date, which the dpd steps count
	 * from and which defines the cycle the account is in. */
	a_next = f->next_due;
	a_oldest = f->past_due > 0 ? f->oldest_due : STRATEGY_NO_DAY;
	if (a_next == STRATEGY_NO_DAY && a_oldest == STRATEGY_NO_DAY)
		a_next = f->oldest_due;
	cycle = a_oldest != STRATEGY_NO_DAY ? a_oldest : a_next;

	/* The cycle began with its first step (or its due date, if that is
	 * earlier); a broken promise begins it again, so what came before
	 * the break no longer stops the ladder: it resumes. */
	first = l->nsteps > 0 && l->steps[0].offset < 0 ? l->steps[0].offset : 0;
	start = cycle == STRATEGY_NO_DAY ? day + 1 : cycle + first;
	if (f->last_broken != STRATEGY_NO_DAY && f->last_broken > start)
		start = f->last_broken;

	if (f->last_payment != STRATEGY_NO_DAY && f->last_payment >= start)
		react(out,
		      l->on_payment == STRATEGY_STOP || day - f->last_payment <= s->settings.attribution_days,
		      l->on_payment, "payment");
	if (f->last_reply != STRATEGY_NO_DAY && f->last_reply >= start)
		react(out, l->on_reply == STRATEGY_STOP || f->reply_pending, l->on_reply, "reply");
	react(out, f->promise == STRATEGY_PROMISE_ACTIVE, l->on_promise, "promise");

	if (cycle != STRATEGY_NO_DAY && out->state != STRATEGY_STOPPED) {
		bool act = out->state == STRATEGY_RUNNING;

		if (a_next != STRATEGY_NO_DAY)
			ladder_steps(out, s, f, day, l, a_next, true, act, a_oldest != STRATEGY_NO_DAY);
		if (a_oldest != STRATEGY_NO_DAY && a_oldest != a_next)
			ladder_steps(out, s, f, day, l, a_oldest, true, act, false);
		if (a_oldest != STRATEGY_NO_DAY && a_oldest < day)
			ladder_steps(out, s, f, day, l, a_oldest, false, act, false);
	}

	/* The notice of a broken promise, once per break, as the ladder resumes. */
	if (l->has_broken_promise && out->state == STRATEGY_RUNNING && f->promise != STRATEGY_PROMISE_ACTIVE &&
	    f->last_broken != STRATEGY_NO_DAY && f->last_broken <= day && cycle != STRATEGY_NO_DAY &&
	    f->last_broken >= cycle + first && !is_done(f, l->name, STRATEGY_BROKEN_PROMISE, f->last_broken))
		add_action(out, s, f, day, &l->broken_promise, f->last_broken, f->last_broken);

	/* A reminder of the promise's next installment belongs to the promise,
	 * not to the ladder's course: it goes out whatever paused the ladder. */
	if (l->has_promise_reminder && f->promise == STRATEGY_PROMISE_ACTIVE && f->promise_next_due != STRATEGY_NO_DAY &&
	    !is_done(f, l->name, STRATEGY_PROMISE_REMINDER, f->promise_next_due)) {
		int rd = f->promise_next_due - l->promise_reminder.offset;

		if (rd <= day) {
			struct strategy_action *a = add_action(out, s, f, day, &l->promise_reminder, f->promise_next_due, rd);

			/* Once the installment's date has passed, a reminder is too late. */
			if (a && day > f->promise_next_due)
				a->outcome = STRATEGY_OUT_SKIPPED_STALE;
		} else {
			consider_next(out, &l->promise_reminder, rd);
		}
	}

	sort_actions(out);
	for (int i = 0; i < out->nactions; i++)
		if (out->actions[i].outcome == STRATEGY_OUT_DUE)
			out->last_step = out->actions[i].step;
	if (out->state == STRATEGY_STOPPED) {
		out->next_step = NULL;
		out->next_step_day = STRATEGY_NO_DAY;
	}
	return out->nactions;
}
