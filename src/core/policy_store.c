#include "policy_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diff.h"
#include "phone.h"
#include "util.h"

/* The version in force: the newest the database accepted (its own check,
 * functions/contact_policy_guard.sql). A version stored before that check
 * that does not parse or loosened a locked rule is history, never in force,
 * and never blocks the next load. */
static bool fetch_current(struct db *db, PGresult **out, char *err, size_t errlen)
{
	*out = db_exec(db,
		"SELECT version, text, holidays, to_char(loaded_at, 'YYYY-MM-DD HH24:MI:SSOF'), loaded_by "
		"FROM cobro.contact_policy WHERE accepted ORDER BY version DESC LIMIT 1", 0, NULL);
	if (!*out)
		snprintf(err, errlen, "cannot read the contact policy: %s", db->err);
	return *out != NULL;
}

int policy_store_save(struct db *db, const char *text, const char *holidays, const struct policy *parsed, char *err,
                      size_t errlen)
{
	PGresult *r = NULL;
	char *diff = NULL;
	int version = -1;

	if (!db_cmd(db, "BEGIN")) {
		snprintf(err, errlen, "%s", db->err);
		return -1;
	}
	/* One loader at a time: the lock check must see the version it replaces. */
	if (!db_cmd(db, "SELECT pg_advisory_xact_lock(hashtext('cobro.contact_policy'))")) {
		snprintf(err, errlen, "%s", db->err);
		goto out;
	}
	if (!fetch_current(db, &r, err, errlen))
		goto out;
	if (PQntuples(r) == 1) {
		char perr[512];
		struct policy *prev = policy_parse(PQgetvalue(r, 0, 1), "stored policy", PQgetvalue(r, 0, 2), perr,
		                                   sizeof perr);

		/* A stored version that no longer parses would make every lock
		 * unverifiable: refuse rather than guess. */
		if (!prev) {
			snprintf(err, errlen, "the stored version %s does not parse: %s", PQgetvalue(r, 0, 0), perr);
			goto out;
		}
		if (!policy_check_locks(prev, parsed, err, errlen)) {
			policy_free(prev);
			goto out;
		}
		policy_free(prev);
		diff = diff_lines(PQgetvalue(r, 0, 1), text);
		if (strcmp(PQgetvalue(r, 0, 2), holidays ? holidays : "") != 0) {
			char *hd = diff_lines(PQgetvalue(r, 0, 2), holidays ? holidays : "");
			char *both = xasprintf("%s# holidays\n%s", diff, hd);

			free(diff);
			free(hd);
			diff = both;
		}
	}
	PQclear(r);
	{
		const char *p[3] = { text, holidays ? holidays : "", diff };

		r = db_exec(db, "INSERT INTO cobro.contact_policy (text, holidays, diff) VALUES ($1, $2, $3) RETURNING version",
		            3, p);
	}
	if (!r) {
		snprintf(err, errlen, "cannot store the contact policy: %s", db->err);
		goto out;
	}
	version = atoi(PQgetvalue(r, 0, 0));
	if (!db_cmd(db, "COMMIT")) {
		snprintf(err, errlen, "%s", db->err);
		version = -1;
	}
out:
	PQclear(r);
	free(diff);
	if (version < 0)
		db_cmd(db, "ROLLBACK");
	return version;
}

bool policy_store_current(struct db *db, struct stored_policy *sp, char *err, size_t errlen)
{
	PGresult *r;

	memset(sp, 0, sizeof *sp);
	if (!fetch_current(db, &r, err, errlen))
		return false;
	if (PQntuples(r) == 0) {
		snprintf(err, errlen, "no contact policy is loaded (cobroctl policy load etc/policy.conf)");
		PQclear(r);
		return false;
	}
	sp->version = atoi(PQgetvalue(r, 0, 0));
	snprintf(sp->loaded_at, sizeof sp->loaded_at, "%s", PQgetvalue(r, 0, 3));
	snprintf(sp->loaded_by, sizeof sp->loaded_by, "%s", PQgetvalue(r, 0, 4));
	sp->policy = policy_parse(PQgetvalue(r, 0, 1), "stored policy", PQgetvalue(r, 0, 2), err, errlen);
	PQclear(r);
	return sp->policy != NULL;
}

void stored_policy_free(struct stored_policy *sp)
{
	policy_free(sp->policy);
	memset(sp, 0, sizeof *sp);
}

int64_t policy_now(void)
{
	const char *fixed = getenv("COBRO_NOW");
	int64_t t;

	if (fixed && *fixed && time_parse_iso(fixed, &t))
		return t;
	return (int64_t)time(NULL);
}

bool policy_point_serves(const char *kind, enum channel ch)
{
	switch (ch) {
	case CH_CALL: return !strcmp(kind, "phone") || !strcmp(kind, "mobile");
	case CH_SMS: return !strcmp(kind, "mobile");
	case CH_WHATSAPP: return !strcmp(kind, "mobile") || !strcmp(kind, "whatsapp");
	case CH_EMAIL: return !strcmp(kind, "email");
	default: return !strcmp(kind, "address");
	}
}

/* Whether word is in a list, either PostgreSQL's text form of a text[]
 * ("{call,sms}") or the account screen's "call,sms". */
static bool array_has(const char *arr, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = arr; (p = strstr(p, word)); p += n)
		if ((p == arr || p[-1] == '{' || p[-1] == ',') && (p[n] == '}' || p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

/* Zones come from tz_cached(): loading one walks decades of its history,
 * too slow to repeat for every account opened. */
static bool add_zone(struct policy_account *pa, const char *name, char *err, size_t errlen)
{
	const struct tz *z;

	for (int i = 0; i < pa->debtor.nzones; i++)
		if (!strcmp(pa->debtor.zones[i]->name, name))
			return true;
	if (pa->debtor.nzones == POLICY_MAX_ZONES)
		return true; /* more zones than we track: the first ones already bind */
	if (!(z = tz_cached(name))) {
		snprintf(err, errlen, "unknown time zone \"%s\"", name);
		return false;
	}
	pa->debtor.zones[pa->debtor.nzones++] = z;
	return true;
}

static const char *keep_name(struct policy_account *pa, const char *s)
{
	if (!s || !*s)
		return NULL;
	pa->names = xrealloc(pa->names, (pa->nnames + 1) * sizeof *pa->names);
	return pa->names[pa->nnames++] = xstrdup(s);
}

/* One usable (not bad) contact point's consent and opt-outs, for every
 * channel it can carry, so that one load answers for each channel (the
 * account screen). */
static bool add_point(struct policy_account *pa, const char *kind, const char *value, const char *consent,
                      const char *opted_out, chanset *usable, chanset *not_out, char *err, size_t errlen)
{
	for (int ch = 0; ch < CH__COUNT; ch++) {
		if (!policy_point_serves(kind, (enum channel)ch))
			continue;
		*usable |= 1u << ch;
		if (array_has(consent, channel_name((enum channel)ch)))
			pa->debtor.consent |= 1u << ch;
		if (!array_has(opted_out, channel_name((enum channel)ch)))
			*not_out |= 1u << ch;
	}
	/* A US number's area code is a candidate zone too (for every channel:
	 * stricter than needed for email, never looser). */
	if (!strncmp(pa->jurisdiction, "US", 2) && value[0] == '+' && value[1] == '1') {
		const char *zones[4];
		int nz = phone_us_area_zones(value, zones, 4);

		for (int z = 0; z < nz; z++)
			if (!add_zone(pa, zones[z], err, errlen))
				return false;
	}
	return true;
}

/* A point marked wrong: the channels it could carry, and it as a verdict
 * names it (a number masked, as logs show numbers). points_done() keeps
 * those no usable point carries. */
static void add_wrong(struct policy_account *pa, const char *kind, const char *value, chanset *wrong)
{
	char shown[PHONE_E164_SIZE + 8];

	for (int ch = 0; ch < CH__COUNT; ch++) {
		if (!policy_point_serves(kind, (enum channel)ch))
			continue;
		*wrong |= 1u << ch;
		if (!pa->debtor.wrong[ch]) {
			if (value[0] == '+')
				phone_mask(value, shown, sizeof shown);
			pa->debtor.wrong[ch] = keep_name(pa, value[0] == '+' ? shown : value);
		}
	}
}

/* A contact to one point: its own consent and opt-out decide the channel,
 * whatever the debtor's other points say. */
static void to_recipient(struct policy_account *pa, enum channel ch, const char *consent, const char *opted_out)
{
	chanset bit = 1u << ch;

	pa->debtor.consent = (pa->debtor.consent & ~bit) | (array_has(consent, channel_name(ch)) ? bit : 0);
	pa->debtor.opted_out = (pa->debtor.opted_out & ~bit) | (array_has(opted_out, channel_name(ch)) ? bit : 0);
}

bool policy_point_usable(const struct contact_point_row *point, enum channel channel)
{
	return policy_point_serves(point->kind, channel) && !point->bad && !point->proposal[0] &&
	       !array_has(point->opted_out, channel_name(channel));
}

static void points_done(struct policy_account *pa, chanset usable, chanset not_out, chanset wrong)
{
	/* Every point that could carry it is marked wrong: that is the cause. */
	pa->debtor.unreachable = wrong & ~usable;
	/* A channel is stopped when every point that could carry it said so. */
	pa->debtor.opted_out = usable & ~not_out;
	/* Channels without contact points (letters, visits) need no consent. */
	pa->debtor.consent |= CH_ALL & ~(1u << CH_CALL | 1u << CH_SMS | 1u << CH_EMAIL | 1u << CH_WHATSAPP);
}

static void add_history(struct policy_account *pa, int64_t at, const char *channel, const char *kind,
                        const char *debt, const char *creditor)
{
	struct policy_event *e = &pa->history[pa->nhistory];

	if (!channel_parse(channel, &e->channel) || !kind_parse(kind, &e->kind))
		return;
	e->at = at;
	e->debt = keep_name(pa, debt);
	e->creditor = keep_name(pa, creditor);
	pa->nhistory++;
}

bool policy_account_load(struct db *db, const char *reference, enum channel channel, int64_t at,
                         struct policy_account *pa, char *err, size_t errlen)
{
	return policy_account_load_with(db, NULL, reference, channel, at, pa, err, errlen);
}

bool policy_account_load_with(struct db *db, const struct policy *policy, const char *reference,
                              enum channel channel, int64_t at, struct policy_account *pa, char *err,
                              size_t errlen)
{
	const char *p[2] = { reference, NULL };
	char debtor_id[24], since[32];
	PGresult *r;
	chanset usable = 0, not_out = 0, wrong = 0;

	memset(pa, 0, sizeof *pa);
	if (policy) {
		pa->policy = policy;
	} else {
		if (!policy_store_current(db, &pa->sp, err, errlen))
			return false;
		pa->policy = pa->sp.policy;
	}
	if (!at)
		at = (int64_t)time(NULL);

	r = db_exec(db,
		"SELECT d.id, d.jurisdiction, d.time_zone, "
		"       cobro.policy_state(a.status, d.state), "
		"       a.reference, c.code "
		"FROM cobro.account a JOIN cobro.debtor d ON d.id = a.debtor_id "
		"JOIN cobro.creditor c ON c.id = a.creditor_id WHERE a.reference = $1", 1, p);
	if (!r || PQntuples(r) != 1) {
		snprintf(err, errlen, r ? "no account \"%s\" (or not yours to see)" : "%s", r ? reference : db->err);
		PQclear(r);
		goto fail;
	}
	snprintf(debtor_id, sizeof debtor_id, "%s", PQgetvalue(r, 0, 0));
	snprintf(pa->jurisdiction, sizeof pa->jurisdiction, "%s", PQgetvalue(r, 0, 1));
	snprintf(pa->state, sizeof pa->state, "%s", PQgetvalue(r, 0, 3));
	snprintf(pa->reference, sizeof pa->reference, "%s", PQgetvalue(r, 0, 4));
	snprintf(pa->creditor, sizeof pa->creditor, "%s", PQgetvalue(r, 0, 5));
	if (!add_zone(pa, PQgetvalue(r, 0, 2), err, errlen)) {
		PQclear(r);
		goto fail;
	}
	PQclear(r);
	pa->debtor.jurisdiction = pa->jurisdiction;
	pa->debtor.state = pa->state;

	/* Consent and opt-out for every channel, from the points that can carry
	 * it, so that one load answers for each channel (the account screen). */
	p[0] = debtor_id;
	r = db_exec(db,
		"SELECT kind, value, consent::text, opted_out::text, bad_since IS NOT NULL OR proposal IS NOT NULL "
		"FROM cobro.contact_point "
		"WHERE debtor_id = $1 ORDER BY is_primary DESC, id", 1, p);
	if (!r) {
		snprintf(err, errlen, "%s", db->err);
		goto fail;
	}
	for (int i = 0; i < PQntuples(r); i++) {
		if (!strcmp(PQgetvalue(r, i, 4), "t"))
			add_wrong(pa, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), &wrong);
		else if (!add_point(pa, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), PQgetvalue(r, i, 2),
		                    PQgetvalue(r, i, 3), &usable, &not_out, err, errlen)) {
			PQclear(r);
			goto fail;
		}
	}
	PQclear(r);
	points_done(pa, usable, not_out, wrong);

	/* Only what a rule of this policy can still count. */
	snprintf(since, sizeof since, "%lld", (long long)(at - policy_lookback(pa->policy)));
	p[1] = since;
	r = db_exec(db,
		"SELECT extract(epoch FROM at)::bigint, channel, kind, debt, creditor "
		"FROM cobro.contact_history($1, to_timestamp($2::bigint))", 2, p);
	if (!r) {
		snprintf(err, errlen, "%s", db->err);
		goto fail;
	}
	pa->history = xcalloc((size_t)PQntuples(r) + 1, sizeof *pa->history);
	for (int i = 0; i < PQntuples(r); i++)
		add_history(pa, atoll(PQgetvalue(r, i, 0)), PQgetvalue(r, i, 1), PQgetvalue(r, i, 2),
		            PQgetvalue(r, i, 3), PQgetvalue(r, i, 4));
	PQclear(r);
	pa->contact = (struct policy_contact){ .at = at, .channel = channel, .debt = pa->reference, .creditor = pa->creditor };
	return true;
fail:
	policy_account_free(pa);
	return false;
}

/* The ids as a PostgreSQL array literal: "{1,2,3}". */
static char *id_array(const long long *ids, int n)
{
	struct buf b = { 0 };

	buf_puts(&b, "{");
	for (int i = 0; i < n; i++)
		buf_printf(&b, "%s%lld", i ? "," : "", ids[i]);
	buf_puts(&b, "}");
	return b.s;
}

bool policy_account_from_view(const struct policy *policy, const struct account_view *v, enum channel channel,
                              long long recipient, int64_t at, struct policy_account *pa, char *err,
                              size_t errlen)
{
	chanset usable = 0, not_out = 0, wrong = 0;
	int64_t since;

	memset(pa, 0, sizeof *pa);
	pa->policy = policy;
	snprintf(pa->jurisdiction, sizeof pa->jurisdiction, "%s", v->jurisdiction);
	snprintf(pa->state, sizeof pa->state, "%s", v->policy_state);
	snprintf(pa->reference, sizeof pa->reference, "%s", v->account.reference);
	snprintf(pa->creditor, sizeof pa->creditor, "%s", v->creditor_code);
	if (!add_zone(pa, v->time_zone, err, errlen))
		goto fail;
	pa->debtor.jurisdiction = pa->jurisdiction;
	pa->debtor.state = pa->state;
	for (int i = 0; i < v->npoints; i++) {
		const struct contact_point_row *c = &v->points[i];

		if (c->proposal[0])
			continue; /* a number proposed, or rejected: not the debtor's yet */
		if (c->bad)
			add_wrong(pa, c->kind, c->value, &wrong);
		else if (!add_point(pa, c->kind, c->value, c->consent, c->opted_out, &usable, &not_out, err, errlen))
			goto fail;
	}
	points_done(pa, usable, not_out, wrong);
	for (int i = 0; recipient && i < v->npoints; i++)
		if (v->points[i].id == recipient)
			to_recipient(pa, channel, v->points[i].consent, v->points[i].opted_out);
	if (!at)
		at = (int64_t)time(NULL);
	/* The view reads back POLICY_LOOKBACK; the policy is given what its
	 * rules can count, the same facts its own loader reads. */
	since = at - policy_lookback(policy);
	pa->history = xcalloc((size_t)v->ncontacts + 1, sizeof *pa->history);
	for (int i = 0; i < v->ncontacts; i++) {
		const struct contact_fact *f = &v->contacts[i];

		if (f->at >= since)
			add_history(pa, f->at, f->channel, f->kind, f->debt, f->creditor);
	}
	pa->contact = (struct policy_contact){ .at = at, .channel = channel,
	                                       .debt = pa->reference, .creditor = pa->creditor };
	return true;
fail:
	policy_account_free(pa);
	return false;
}

bool policy_channel_point(const struct policy *policy, const struct account_view *v, enum channel channel,
                          int64_t at, int *point, struct policy_verdict *verdict, const struct tz **zone,
                          char *err, size_t errlen)
{
	struct policy_account pa;
	int first = -1;

	*point = -1;
	for (int i = 0; i < v->npoints; i++) {
		struct policy_verdict pv;

		if (!policy_point_usable(&v->points[i], channel))
			continue;
		if (!policy_account_from_view(policy, v, channel, v->points[i].id, at, &pa, err, errlen))
			return false;
		policy_check(pa.policy, &pa.debtor, pa.history, pa.nhistory, &pa.contact, &pv);
		*zone = pa.debtor.zones[0];
		policy_account_free(&pa);
		if (first < 0 || pv.allowed) {
			*verdict = pv;
			*point = i;
			first = i;
		}
		if (pv.allowed)
			return true;
	}
	if (first >= 0)
		return true;
	if (!policy_account_from_view(policy, v, channel, 0, at, &pa, err, errlen))
		return false;
	policy_check(pa.policy, &pa.debtor, pa.history, pa.nhistory, &pa.contact, verdict);
	*zone = pa.debtor.zones[0];
	policy_account_free(&pa);
	return true;
}

void policy_account_free(struct policy_account *pa)
{
	if (pa->sp.policy)
		stored_policy_free(&pa->sp);
	for (size_t i = 0; i < pa->nnames; i++)
		free(pa->names[i]);
	free(pa->names);
	free(pa->history);
	memset(pa, 0, sizeof *pa);
}


bool policy_messages_load(struct db *db, const struct policy *p, const long long *ids, int n, int64_t at,
                          struct policy_message *out, char *err, size_t errlen)
{
	char *arr = id_array(ids, n), since[32], *debtors = NULL;
	const char *prm[2] = { arr, since };
	PGresult *facts = NULL, *hist = NULL;
	chanset *usable = xcalloc((size_t)n + 1, sizeof *usable), *not_out = xcalloc((size_t)n + 1, sizeof *not_out);
	long long *debtor = xcalloc((size_t)n + 1, sizeof *debtor);
	int *recipient = xcalloc((size_t)n + 1, sizeof *recipient); /* its row in facts, or -1 */
	long long *hist_debtor = NULL;
	int nhist = 0;
	struct buf b = { 0 };
	bool ok = false;

	memset(out, 0, (size_t)n * sizeof *out);
	for (int i = 0; i < n; i++)
		recipient[i] = -1;
	snprintf(since, sizeof since, "%lld", (long long)(at - policy_lookback(p)));
	/* One row per message and point of its debtor: the usable ones, and the
	 * recipient even when it went bad, to say so. */
	facts = db_exec(db,
		"SELECT m.id, m.channel, d.id, d.jurisdiction, d.time_zone, "
		"       cobro.policy_state(a.status, d.state), "
		"       coalesce(a.reference, ''), coalesce(c.code, ''), cp.id IS NOT NULL, "
		"       coalesce(cp.id = m.contact_point_id, false), coalesce(cp.kind, ''), coalesce(cp.value, ''), "
		"       coalesce(cp.consent::text, ''), coalesce(cp.opted_out::text, ''), "
		"       cp.bad_since IS NOT NULL OR cp.proposal IS NOT NULL "
		"FROM unnest($1::bigint[]) AS x(id) "
		"JOIN cobro.message m ON m.id = x.id JOIN cobro.debtor d ON d.id = m.debtor_id "
		"LEFT JOIN cobro.account a ON a.id = m.account_id LEFT JOIN cobro.creditor c ON c.id = a.creditor_id "
		"LEFT JOIN cobro.contact_point cp ON cp.debtor_id = d.id "
		"     AND (cp.bad_since IS NULL AND cp.proposal IS NULL OR cp.id = m.contact_point_id) "
		"ORDER BY m.id", 1, prm);
	if (!facts) {
		snprintf(err, errlen, "%s", db->err);
		goto done;
	}
	for (int r = 0, i = 0; r < PQntuples(facts); r++) {
		long long id = atoll(PQgetvalue(facts, r, 0));
		struct policy_message *m;
		struct policy_account *pa;

		/* Rows come in message order, and so (usually) do the ids. */
		if (i == n || ids[i] != id)
			for (i = 0; i < n && ids[i] != id; i++)
				;
		if (i == n)
			continue;
		m = &out[i];
		pa = &m->pa;
		if (!m->known) {
			m->known = true;
			m->id = id;
			if (!channel_parse(PQgetvalue(facts, r, 1), &m->channel)) {
				snprintf(err, errlen, "message %lld: unknown channel", id);
				goto done;
			}
			pa->policy = p;
			debtor[i] = atoll(PQgetvalue(facts, r, 2));
			snprintf(pa->jurisdiction, sizeof pa->jurisdiction, "%s", PQgetvalue(facts, r, 3));
			snprintf(pa->state, sizeof pa->state, "%s", PQgetvalue(facts, r, 5));
			snprintf(pa->reference, sizeof pa->reference, "%s", PQgetvalue(facts, r, 6));
			snprintf(pa->creditor, sizeof pa->creditor, "%s", PQgetvalue(facts, r, 7));
			pa->debtor.jurisdiction = pa->jurisdiction;
			pa->debtor.state = pa->state;
			if (!add_zone(pa, PQgetvalue(facts, r, 4), err, errlen))
				goto done;
		}
		if (PQgetvalue(facts, r, 8)[0] != 't')
			continue;
		if (PQgetvalue(facts, r, 9)[0] == 't') {
			if (PQgetvalue(facts, r, 14)[0] == 't') {
				m->point_bad = true;
				continue;
			}
			recipient[i] = r;
		}
		if (!add_point(pa, PQgetvalue(facts, r, 10), PQgetvalue(facts, r, 11), PQgetvalue(facts, r, 12),
		               PQgetvalue(facts, r, 13), &usable[i], &not_out[i], err, errlen))
			goto done;
	}

	buf_puts(&b, "{");
	for (int i = 0, k = 0; i < n; i++)
		if (out[i].known)
			buf_printf(&b, "%s%lld", k++ ? "," : "", debtor[i]);
	buf_puts(&b, "}");
	debtors = b.s;
	prm[0] = debtors;
	/* Each event's message by its primary key, a subquery per row: joined,
	 * the planner took the function for its default thousand rows and
	 * hashed the whole message table on every claim (130 ms a batch once
	 * a day's 50,000 SMS were queued; issue 18, line 11). */
	hist = db_exec(db,
		"SELECT h.debtor_id, extract(epoch FROM h.at)::bigint, h.channel, h.kind, coalesce(h.debt, ''), "
		"       coalesce(h.creditor, ''), coalesce(h.message_id, 0), "
		"       coalesce((SELECT m.status FROM cobro.message m WHERE m.id = h.message_id), '') "
		"FROM cobro.contact_events($1::bigint[], to_timestamp($2::bigint)) h ORDER BY h.debtor_id", 2, prm);
	if (!hist) {
		snprintf(err, errlen, "%s", db->err);
		goto done;
	}
	nhist = PQntuples(hist);
	hist_debtor = xcalloc((size_t)nhist + 1, sizeof *hist_debtor);
	for (int r = 0; r < nhist; r++)
		hist_debtor[r] = atoll(PQgetvalue(hist, r, 0));
	for (int i = 0; i < n; i++) {
		struct policy_account *pa = &out[i].pa;

		if (!out[i].known)
			continue;
		points_done(pa, usable[i], not_out[i], 0); /* a bad recipient: point_bad */
		if (recipient[i] >= 0)
			to_recipient(pa, out[i].channel, PQgetvalue(facts, recipient[i], 12),
			             PQgetvalue(facts, recipient[i], 13));
		/* The debtor's rows, found by halving: a batch is hundreds of
		 * messages over as many debtors' histories. */
		int lo = 0, hi = nhist, end;

		while (lo < hi) {
			int mid = lo + (hi - lo) / 2;

			if (hist_debtor[mid] < debtor[i])
				lo = mid + 1;
			else
				hi = mid;
		}
		for (end = lo; end < nhist && hist_debtor[end] == debtor[i]; end++)
			;
		pa->history = xcalloc((size_t)(end - lo) + 1, sizeof *pa->history);
		for (int r = lo; r < end; r++) {
			long long mid = atoll(PQgetvalue(hist, r, 6));
			const char *status = PQgetvalue(hist, r, 7);

			if (mid == ids[i])
				continue;
			if (mid > ids[i] && (!strcmp(status, "queued") || !strcmp(status, "sending")))
				continue;
			add_history(pa, atoll(PQgetvalue(hist, r, 1)), PQgetvalue(hist, r, 2), PQgetvalue(hist, r, 3),
			            PQgetvalue(hist, r, 4), PQgetvalue(hist, r, 5));
		}
		pa->contact = (struct policy_contact){ .at = at, .channel = out[i].channel, .debt = pa->reference,
		                                       .creditor = pa->creditor };
	}
	ok = true;
done:
	PQclear(facts);
	PQclear(hist);
	free(arr);
	free(debtors);
	free(usable);
	free(not_out);
	free(debtor);
	free(recipient);
	free(hist_debtor);
	if (!ok)
		policy_messages_free(out, n);
	return ok;
}

void policy_messages_free(struct policy_message *m, int n)
{
	for (int i = 0; i < n; i++)
		policy_account_free(&m[i].pa);
	memset(m, 0, (size_t)n * sizeof *m);
}

bool policy_reach_calls(struct db *db, const struct policy *p, const long long *ids, int n, int64_t at,
                        struct policy_reach *out, char *err, size_t errlen)
{
	char *arr = id_array(ids, n), since[32];
	const char *prm[2] = { arr, since };
	PGresult *facts = NULL, *hist = NULL;
	bool ok = false;

	memset(out, 0, (size_t)n * sizeof *out);
	snprintf(since, sizeof since, "%lld", (long long)(at - policy_lookback(p)));
	/* Per account: its debtor's facts and the consent and opt-outs for calls
	 * of the points that can carry one (the same reading as policy_account_load). */
	facts = db_exec(db,
		"SELECT a.id, d.id, d.jurisdiction, d.time_zone, "
		"       cobro.policy_state(a.status, d.state), a.reference, c.code, "
		"       coalesce(bool_or(cp.id IS NOT NULL), false), coalesce(bool_or('call' = ANY(cp.consent)), false), "
		"       coalesce(bool_and('call' = ANY(cp.opted_out)), false), "
		"       coalesce(string_agg(cp.value, ',') FILTER (WHERE cp.value LIKE '+1%'), '') "
		"FROM cobro.account a JOIN cobro.debtor d ON d.id = a.debtor_id "
		"JOIN cobro.creditor c ON c.id = a.creditor_id "
		"LEFT JOIN cobro.contact_point cp ON cp.debtor_id = d.id AND cp.bad_since IS NULL AND cp.proposal IS NULL "
		"     AND cp.kind IN ('phone', 'mobile') "
		"WHERE a.id = ANY($1::bigint[]) GROUP BY a.id, d.id, c.code", 1, prm);
	if (!facts) {
		snprintf(err, errlen, "%s", db->err);
		goto out;
	}
	hist = db_exec(db,
		"SELECT h.debtor_id, extract(epoch FROM h.at)::bigint, h.channel, h.kind, h.debt, h.creditor "
		"FROM cobro.contact_history_many(ARRAY(SELECT DISTINCT debtor_id FROM cobro.account "
		"                                      WHERE id = ANY($1::bigint[])), "
		"                                to_timestamp($2::bigint)) h ORDER BY h.debtor_id", 2, prm);
	if (!hist) {
		snprintf(err, errlen, "%s", db->err);
		goto out;
	}
	{
		int nh = PQntuples(hist);
		struct policy_event *ev = xcalloc((size_t)nh + 1, sizeof *ev);
		long long *evdebtor = xcalloc((size_t)nh + 1, sizeof *evdebtor);

		for (int i = 0; i < nh; i++) {
			evdebtor[i] = atoll(PQgetvalue(hist, i, 0));
			ev[i].at = atoll(PQgetvalue(hist, i, 1));
			if (!channel_parse(PQgetvalue(hist, i, 2), &ev[i].channel) ||
			    !kind_parse(PQgetvalue(hist, i, 3), &ev[i].kind))
				ev[i].channel = CH__COUNT; /* unknown: matches no rule */
			ev[i].debt = PQgetvalue(hist, i, 4);
			ev[i].creditor = PQgetvalue(hist, i, 5);
		}
		for (int r = 0; r < PQntuples(facts); r++) {
			long long aid = atoll(PQgetvalue(facts, r, 0)), did = atoll(PQgetvalue(facts, r, 1));
			struct policy_debtor d = { .jurisdiction = PQgetvalue(facts, r, 2), .state = PQgetvalue(facts, r, 4) };
			struct policy_contact c = { .at = at, .channel = CH_CALL, .debt = PQgetvalue(facts, r, 5),
				                    .creditor = PQgetvalue(facts, r, 6) };
			struct policy_verdict v;
			int first = 0, count = 0, slot;
			char phones[1024];

			for (slot = 0; slot < n && ids[slot] != aid; slot++)
				;
			if (slot == n || !(d.zones[0] = tz_cached(PQgetvalue(facts, r, 3))))
				continue;
			d.nzones = 1;
			/* US numbers' area codes are candidate zones too. */
			snprintf(phones, sizeof phones, "%s", PQgetvalue(facts, r, 10));
			for (char *tok = strtok(phones, ","); tok && !strncmp(d.jurisdiction, "US", 2); tok = strtok(NULL, ",")) {
				const char *zones[4];
				int nz = phone_us_area_zones(tok, zones, 4);

				for (int z = 0; z < nz && d.nzones < POLICY_MAX_ZONES; z++) {
					const struct tz *t = tz_cached(zones[z]);
					bool have = false;

					for (int k = 0; k < d.nzones; k++)
						have |= d.zones[k] == t;
					if (t && !have)
						d.zones[d.nzones++] = t;
				}
			}
			d.consent = (PQgetvalue(facts, r, 8)[0] == 't' ? 1u << CH_CALL : 0) |
			            (CH_ALL & ~(1u << CH_CALL | 1u << CH_SMS | 1u << CH_EMAIL | 1u << CH_WHATSAPP));
			if (PQgetvalue(facts, r, 7)[0] == 't' && PQgetvalue(facts, r, 9)[0] == 't')
				d.opted_out = 1u << CH_CALL;
			/* This debtor's run of history (the rows are ordered by debtor). */
			while (first < nh && evdebtor[first] != did)
				first++;
			while (first + count < nh && evdebtor[first + count] == did)
				count++;
			policy_check(p, &d, ev + first, (size_t)count, &c, &v);
			out[slot] = (struct policy_reach){ .known = true, .allowed = v.allowed, .next = v.next,
				                           .until = v.allowed ? v.until : 0, .zone = d.zones[0] };
		}
		free(ev);
		free(evdebtor);
	}
	ok = true;
out:
	PQclear(facts);
	PQclear(hist);
	free(arr);
	return ok;
}
