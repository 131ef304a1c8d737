#include "dispatch.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "outbox.h"
#include "policy_store.h"
#include "sms.h"
#include "template_store.h"
#include "transport.h"
#include "util.h"

/* The most messages one claim takes: a claim, its policy facts and its
 * settling stay a few milliseconds each. */
#define CLAIM_MAX 500
/* Results are written when this many wait, or the oldest has waited
 * SETTLE_DELAY seconds: one commit per batch, not per message. */
#define SETTLE_BATCH 200
#define SETTLE_DELAY 0.1
/* How often an idle channel looks at the queue anyway: for retries that
 * came due and claims that ran out, which no NOTIFY announces. */
#define IDLE_LOOK 1.0
/* How long to wait before asking again for a contact policy that could not
 * be read or is not there. */
#define POLICY_RETRY 5.0

/* How often this cobrod says which channels it sends (daemon_heartbeat()),
 * and how long that stands: a daemon that died stops counting after
 * HEARTBEAT_TTL seconds, and message_queue() refuses its channels. */
#define HEARTBEAT_EVERY 10.0
#define HEARTBEAT_TTL 30
/* How often the queue is looked at for messages waiting longer than
 * outbox.late_after. */
#define LATE_EVERY 5.0

static const enum channel channels[] = { CH_SMS, CH_EMAIL, CH_WHATSAPP };

struct flight {
	struct send_job *job;
	enum channel channel;
	int attempts;
	double started; /* when its transfer started (the transport's backoff) */
};

/* One result waiting for the turn's message_settle(). */
struct settle {
	long long id;
	const char *outcome; /* sent, retry, defer, failed, refused */
	char provider[128];
	char reason[256];
	char rule[32];
	double retry_in;     /* seconds */
	int seq;             /* its place among the turn's results */
};

/* Claimed messages ready to go, waiting for a transfer slot or the rate:
 * claiming in batches keeps the database to a few statements a second. */
struct pending {
	struct flight *items;
	int head, count, cap;
};

struct chan {
	struct pending ready;
	double tokens;       /* messages that may start now (the rate's bucket) */
	double refilled;     /* when the bucket was last filled */
	double next_look;    /* when to claim again while the queue is empty */
};

/* Each transport's backoff, by name: a SIGHUP keeps it (transport.h). */
struct gateway_health {
	char *name;
	struct transport_backoff b;
};

struct dispatcher {
	const struct cobrod_conf *conf;
	struct db *db;
	char worker[128];
	CURLM *multi;
	struct flight *flights;
	int nflights;
	struct settle *settles;
	int nsettles, settles_cap;
	double settle_since; /* when the oldest unwritten result came */
	struct chan chans[CH__COUNT];
	struct gateway_health *health;
	int nhealth;
	struct stored_policy sp;
	bool policy_stale;
	double policy_next;  /* when to try loading it again */
	bool policy_missing_said;
	double heartbeat_next; /* when to say which channels it sends again */
	bool heartbeat_gone;   /* stopping: its row was taken away */
	double late_next;      /* when to look for late messages again */
	struct dispatch_stats stats;
};

static void release_ready(struct dispatcher *d, enum channel ch, double wait, const char *reason);
static double now_mono(void);

/* A statement failed because the database went away (a restart): the loop
 * says so once, as "lost the database" (main.c), and reconnects; each of
 * the dispatcher's statements that ran into it first is told at debug
 * level, so that one outage is one error in the log. Any other failure is
 * an error of its own. */
#define log_db_error(d, ...)                                                                          \
	do {                                                                                          \
		if (PQstatus((d)->db->conn) != CONNECTION_OK || db_classify((d)->db->sqlstate) == DB_CONNECTION) \
			log_debug(__VA_ARGS__);                                                       \
		else                                                                                  \
			log_error(__VA_ARGS__);                                                       \
	} while (0)

static struct transport_backoff *backoff_of(struct dispatcher *d, const char *transport)
{
	for (int i = 0; i < d->nhealth; i++)
		if (strcmp(d->health[i].name, transport) == 0)
			return &d->health[i].b;
	d->health = xrealloc(d->health, (size_t)(d->nhealth + 1) * sizeof *d->health);
	d->health[d->nhealth] = (struct gateway_health){ .name = xstrdup(transport) };
	return &d->health[d->nhealth++].b;
}

/* Transfers in flight through the transport. */
static int inflight_through(const struct dispatcher *d, const char *transport)
{
	int n = 0;

	for (int i = 0; i < d->nflights; i++)
		n += strcmp(d->flights[i].job->transport, transport) == 0;
	return n;
}

/* The gateway answered: if it was down, it is back, and the log says so. */
static void transport_answered(struct dispatcher *d, const char *transport)
{
	double down_for;

	if (transport_backoff_ok(backoff_of(d, transport), now_mono(), &down_for))
		log_info("transport %s resumed after %.0f s: sending again", transport, down_for);
}

static double now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double dispatch_backoff(int attempt, double base, double max, double r)
{
	double d = base * pow(2.0, attempt > 1 ? attempt - 1 : 0);

	if (d > max)
		d = max;
	return d / 2 + d / 2 * r;
}

static double jitter(void)
{
	return (double)random() / ((double)RAND_MAX + 1.0);
}

struct dispatcher *dispatcher_new(const struct cobrod_conf *conf, struct db *db, const char *worker)
{
	struct dispatcher *d = xcalloc(1, sizeof *d);
	double now = now_mono();

	d->conf = conf;
	d->db = db;
	snprintf(d->worker, sizeof d->worker, "%s", worker);
	d->multi = curl_multi_init();
	if (!d->multi)
		die("cannot make a libcurl multi handle");
	/* Keep-alive connections to each gateway, one per transfer in flight:
	 * a new connection per message is what the baseline of one curl per
	 * message pays for. */
	curl_multi_setopt(d->multi, CURLMOPT_MAXCONNECTS, (long)conf->parallel);
	d->flights = xcalloc((size_t)conf->parallel, sizeof *d->flights);
	d->policy_stale = true;
	for (size_t i = 0; i < ARRAY_SIZE(channels); i++)
		d->chans[channels[i]].refilled = now;
	srandom((unsigned)(time(NULL) ^ (long)getpid()));
	return d;
}

void dispatcher_set_conf(struct dispatcher *d, const struct cobrod_conf *conf)
{
	if (conf->parallel > d->conf->parallel) {
		d->flights = xrealloc(d->flights, (size_t)conf->parallel * sizeof *d->flights);
		curl_multi_setopt(d->multi, CURLMOPT_MAXCONNECTS, (long)conf->parallel);
	}
	d->conf = conf;
	d->heartbeat_next = 0; /* the channels it sends may have changed */
	/* A new configuration may have mended the transport: probe it now. */
	for (int i = 0; i < d->nhealth; i++)
		d->health[i].b.until = 0;
}

void dispatcher_wake(struct dispatcher *d)
{
	for (size_t i = 0; i < ARRAY_SIZE(channels); i++)
		d->chans[channels[i]].next_look = 0;
}

void dispatcher_policy_changed(struct dispatcher *d)
{
	d->policy_stale = true;
	d->policy_next = 0;
}

CURLM *dispatcher_multi(struct dispatcher *d)
{
	return d->multi;
}

int dispatcher_inflight(const struct dispatcher *d)
{
	return d->nflights;
}

const struct dispatch_stats *dispatcher_stats(const struct dispatcher *d)
{
	return &d->stats;
}

static struct settle *settle_add(struct dispatcher *d, long long id, const char *outcome)
{
	struct settle *s;

	if (d->nsettles == d->settles_cap) {
		d->settles_cap = d->settles_cap ? d->settles_cap * 2 : 64;
		d->settles = xrealloc(d->settles, (size_t)d->settles_cap * sizeof *d->settles);
	}
	if (!d->nsettles)
		d->settle_since = now_mono();
	s = &d->settles[d->nsettles];
	memset(s, 0, sizeof *s);
	s->seq = d->nsettles++;
	s->id = id;
	s->outcome = outcome;
	return s;
}

static void fail(struct dispatcher *d, long long id, const char *reason)
{
	snprintf(settle_add(d, id, "failed")->reason, sizeof d->settles[0].reason, "%s", reason);
	d->stats.failed++;
	log_warning("message %lld failed: %s", id, reason);
}

/* Refused before anything is sent: the rule is one of cobrod's own (the
 * recipient, the queue), the reason goes to the message and its status
 * event. Neither names the number or the address. */
static void refuse(struct dispatcher *d, long long id, const char *rule, const char *reason)
{
	struct settle *s = settle_add(d, id, "refused");

	snprintf(s->rule, sizeof s->rule, "%s", rule);
	snprintf(s->reason, sizeof s->reason, "%s: %s", rule, reason);
	d->stats.refused++;
	log_warning("message %lld refused: %s", id, s->reason);
}

/* Whether a contact point of this kind takes messages of channel ch. */
static bool point_fits(enum channel ch, const char *kind)
{
	switch (ch) {
	case CH_SMS:
		return !strcmp(kind, "mobile");
	case CH_WHATSAPP:
		return !strcmp(kind, "mobile") || !strcmp(kind, "whatsapp");
	case CH_EMAIL:
		return !strcmp(kind, "email");
	default:
		return false;
	}
}

/* The recipient of claimed row r: cobrod sends only to its contact point's
 * value as it is now (message_claim() returns it as the recipient), only
 * when the row was queued to exactly that value, by message_queue() (its
 * `out` event is what the history and the caps count), and when it is one
 * number or one address. True when it may go on to the contact policy. */
static bool recipient_checked(struct dispatcher *d, enum channel ch, PGresult *claim, int r, long long id)
{
	char why[160];

	if (PQgetisnull(claim, r, 19)) {
		refuse(d, id, "RECIPIENT", "the message has no contact point of its debtor");
		return false;
	}
	if (!point_fits(ch, PQgetvalue(claim, r, 20))) {
		snprintf(why, sizeof why, "contact point %s (%s) does not take %s", PQgetvalue(claim, r, 19),
		         PQgetvalue(claim, r, 20), channel_name(ch));
		refuse(d, id, "RECIPIENT", why);
		return false;
	}
	if (strcmp(PQgetvalue(claim, r, 18), PQgetvalue(claim, r, 2)) != 0) {
		snprintf(why, sizeof why, "the recipient differs from contact point %s's value",
		         PQgetvalue(claim, r, 19));
		refuse(d, id, "RECIPIENT", why);
		return false;
	}
	if (!outbox_recipient_ok(ch, PQgetvalue(claim, r, 2), why, sizeof why)) {
		char full[200];

		snprintf(full, sizeof full, "contact point %s: %s", PQgetvalue(claim, r, 19), why);
		refuse(d, id, "RECIPIENT", full);
		return false;
	}
	if (PQgetvalue(claim, r, 21)[0] != 't') {
		refuse(d, id, "QUEUE", "not queued by message_queue(): no history event counts it");
		return false;
	}
	if (PQgetvalue(claim, r, 23)[0] == 't') {
		snprintf(why, sizeof why, "contact point %s opted out of %s", PQgetvalue(claim, r, 19), channel_name(ch));
		refuse(d, id, "ALL-OPTOUT", why);
		return false;
	}
	return true;
}

/* An element of a PostgreSQL array literal: quoted, with " and \ escaped. */
static void array_item(struct buf *b, bool first, const char *s)
{
	buf_puts(b, first ? "\"" : ",\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_add(b, "\\", 1);
		buf_add(b, s, 1);
	}
	buf_puts(b, "\"");
}

/* By message, then as they came. */
static int settle_order(const void *a, const void *b)
{
	const struct settle *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Writes the turn's results in one statement. On a lost connection they stay
 * and go with the next turn that has the database back: a message sent is
 * recorded as sent, late rather than never. */
static void settle_flush(struct dispatcher *d)
{
	struct buf ids = { 0 }, outcomes = { 0 }, providers = { 0 }, reasons = { 0 }, rules = { 0 }, retry = { 0 };
	const char *p[7];

	if (!d->nsettles || PQstatus(d->db->conn) != CONNECTION_OK)
		return;
	/* The rows locked in the order of their ids, as message_dlr_many()
	 * locks them on the delivery reports' own connection (listener.h):
	 * two statements locking the same messages in different orders could
	 * deadlock. */
	qsort(d->settles, (size_t)d->nsettles, sizeof *d->settles, settle_order);
	for (int i = 0; i < d->nsettles; i++)
		d->settles[i].seq = i;
	buf_puts(&ids, "{");
	buf_puts(&outcomes, "{");
	buf_puts(&providers, "{");
	buf_puts(&reasons, "{");
	buf_puts(&rules, "{");
	buf_puts(&retry, "{");
	for (int i = 0; i < d->nsettles; i++) {
		const struct settle *s = &d->settles[i];

		buf_printf(&ids, "%s%lld", i ? "," : "", s->id);
		array_item(&outcomes, i == 0, s->outcome);
		array_item(&providers, i == 0, s->provider);
		array_item(&reasons, i == 0, s->reason);
		array_item(&rules, i == 0, s->rule);
		buf_printf(&retry, "%s%.3f", i ? "," : "", s->retry_in);
	}
	buf_puts(&ids, "}");
	buf_puts(&outcomes, "}");
	buf_puts(&providers, "}");
	buf_puts(&reasons, "}");
	buf_puts(&rules, "}");
	buf_puts(&retry, "}");
	p[0] = d->worker;
	p[1] = ids.s;
	p[2] = outcomes.s;
	p[3] = providers.s;
	p[4] = reasons.s;
	p[5] = rules.s;
	p[6] = retry.s;
	if (db_run(d->db, "SELECT cobro.message_settle($1, $2, $3, $4, $5, $6, $7)", 7, p))
		d->nsettles = 0;
	else
		log_db_error(d, "cannot record the results of %d messages (kept for the next turn): %s", d->nsettles,
		             d->db->err);
	buf_free(&ids);
	buf_free(&outcomes);
	buf_free(&providers);
	buf_free(&reasons);
	buf_free(&rules);
	buf_free(&retry);
}

/* A transfer finished: what became of its message. */
static void finished(struct dispatcher *d, CURLMsg *msg)
{
	struct send_job *job = NULL;
	struct send_result res;
	struct flight f = { 0 };
	long status = 0;
	int i;

	curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&job);
	curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &status);
	for (i = 0; i < d->nflights && d->flights[i].job != job; i++)
		;
	if (i == d->nflights)
		die("a transfer finished that was never started");
	f = d->flights[i];
	d->flights[i] = d->flights[--d->nflights];
	transport_result(job, msg->data.result, status, &res);

	switch (res.outcome) {
	case SEND_SENT: {
		struct settle *s = settle_add(d, job->id, "sent");

		snprintf(s->provider, sizeof s->provider, "%s", res.provider_id);
		d->stats.sent++;
		transport_answered(d, job->transport);
		log_debug("message %lld sent through %s", job->id, job->transport);
		break;
	}
	case SEND_FAILED:
		transport_answered(d, job->transport);
		fail(d, job->id, res.reason);
		break;
	case SEND_RETRY:
		if (res.transport_fault) {
			/* Not this message's fault: the gateway is down or refuses us.
			 * The transport rests, then one message probes it; the message
			 * keeps its attempts and is due again when the rest is over.
			 * The transfers in flight with it are the same outage: one
			 * step of the transport's backoff, one line in the log. */
			struct transport_backoff *b = backoff_of(d, job->transport);
			struct settle *s = settle_add(d, job->id, "defer");
			double now = now_mono(), pause;

			if (transport_backoff_fault(b, f.started, now, jitter(), &pause))
				log_warning("transport %s paused: %s; %s waits, the gateway is tried every %.0f s at most",
				            job->transport, res.reason, channel_name(f.channel), TRANSPORT_PROBE_MAX);
			else if (pause > 0)
				log_debug("transport %s still down: %s; next try in %.1f s", job->transport, res.reason, pause);
			snprintf(s->reason, sizeof s->reason, "%s", res.reason);
			s->retry_in = fmax(b->until - now, 0);
			d->stats.deferred++;
			/* Held here through the pause, their claims would run out
			 * and another daemon could send them while this one does. */
			release_ready(d, f.channel, s->retry_in, res.reason);
		} else if (f.attempts >= d->conf->max_attempts) {
			char why[256];

			snprintf(why, sizeof why, "gave up after %d attempts: %s", f.attempts, res.reason);
			fail(d, job->id, why);
		} else {
			struct settle *s = settle_add(d, job->id, "retry");

			transport_answered(d, job->transport);
			snprintf(s->reason, sizeof s->reason, "%s", res.reason);
			s->retry_in = dispatch_backoff(f.attempts, d->conf->backoff_base, d->conf->backoff_max, jitter());
			d->stats.retried++;
			log_info("message %lld: %s; retry in %.0f s", job->id, res.reason, s->retry_in);
		}
		break;
	}
	curl_multi_remove_handle(d->multi, job->curl);
	send_job_free(job);
}

static bool policy_ready(struct dispatcher *d, double now)
{
	char err[512];

	if (!d->policy_stale)
		return true;
	if (now < d->policy_next)
		return false;
	d->policy_next = now + POLICY_RETRY;
	if (d->sp.policy)
		stored_policy_free(&d->sp);
	if (!policy_store_current(d->db, &d->sp, err, sizeof err)) {
		/* Nothing goes out unchecked: the messages wait. */
		if (!d->policy_missing_said)
			log_error("no contact policy to check messages against, nothing is sent until there is one: %s",
			          err);
		d->policy_missing_said = true;
		return false;
	}
	if (d->policy_missing_said)
		log_info("contact policy version %d loaded; sending", d->sp.version);
	d->policy_missing_said = false;
	d->policy_stale = false;
	return true;
}

/* The params of a WhatsApp template message, from the JSON array stored. */
static int whatsapp_params(const char *json, json_t **doc, const char **out, int max)
{
	json_t *v;
	size_t i;
	int n = 0;

	*doc = json && *json ? json_loads(json, 0, NULL) : NULL;
	json_array_foreach(*doc, i, v) {
		if (n < max && json_is_string(v))
			out[n++] = json_string_value(v);
	}
	return n;
}

static void ready_push(struct pending *q, struct flight f)
{
	if (q->head + q->count == q->cap) {
		if (q->head > 0) {
			memmove(q->items, q->items + q->head, (size_t)q->count * sizeof *q->items);
			q->head = 0;
		} else {
			q->cap = q->cap ? q->cap * 2 : 64;
			q->items = xrealloc(q->items, (size_t)q->cap * sizeof *q->items);
		}
	}
	q->items[q->head + q->count++] = f;
}

static struct flight ready_pop(struct pending *q)
{
	struct flight f = q->items[q->head++];

	if (--q->count == 0)
		q->head = 0;
	return f;
}

/* Gives back what this daemon claimed but did not start: queued again after
 * wait seconds, the attempt not spent (SIGTERM, or the gateway failing). */
static void release_ready(struct dispatcher *d, enum channel ch, double wait, const char *reason)
{
	struct pending *q = &d->chans[ch].ready;

	while (q->count) {
		struct flight f = ready_pop(q);
		struct settle *s = settle_add(d, f.job->id, "defer");

		snprintf(s->reason, sizeof s->reason, "%s", reason);
		s->retry_in = wait;
		send_job_free(f.job);
	}
}

/* Readies the claimed row r of claim, or settles it at once (refused by the
 * policy, or failed as it is). */
static void start(struct dispatcher *d, enum channel ch, PGresult *claim, int r, const struct policy_message *pm,
                  const struct message_facts *mf)
{
	const struct transport *t = d->conf->channels[ch].transport;
	long long id = atoll(PQgetvalue(claim, r, 0));
	const char *body = PQgetvalue(claim, r, 4), *params[32];
	struct outgoing o = {
		.id = id,
		.key = PQgetvalue(claim, r, 1),
		.channel = ch,
		.recipient = PQgetvalue(claim, r, 2),
		.subject = PQgetisnull(claim, r, 3) ? NULL : PQgetvalue(claim, r, 3),
		.body = body,
		.to_name = PQgetvalue(claim, r, 12),
		.from = ch == CH_EMAIL && !PQgetisnull(claim, r, 15) ? PQgetvalue(claim, r, 15) : NULL,
		.reply_to = ch == CH_EMAIL && !PQgetisnull(claim, r, 16) ? PQgetvalue(claim, r, 16) : NULL,
	};
	struct policy_verdict v;
	struct send_job *job;
	json_t *doc = NULL;
	char err[512];

	if (!pm->known) {
		fail(d, id, "the message's account or debtor is gone");
		return;
	}
	if (!recipient_checked(d, ch, claim, r, id))
		return;
	/* The template's facts, tested again as the send screen tested them:
	 * the debt may have been paid, the promise kept, since it was queued. */
	if (mf->known) {
		struct template_account a;
		const char *why;

		message_facts_account(mf, &a);
		if (!template_fits(mf->requires, &a, &why)) {
			snprintf(err, sizeof err, "the template's facts no longer hold: %s", why);
			refuse(d, id, "TEMPLATE", err);
			return;
		}
	}
	if (pm->point_bad || PQgetvalue(claim, r, 22)[0] == 't') {
		struct settle *s = settle_add(d, id, "refused");

		snprintf(s->reason, sizeof s->reason, "the contact point was marked bad after the message was queued");
		d->stats.refused++;
		return;
	}
	policy_check(pm->pa.policy, &pm->pa.debtor, pm->pa.history, pm->pa.nhistory, &pm->pa.contact, &v);
	if (!v.allowed) {
		struct settle *s = settle_add(d, id, "refused");

		snprintf(s->rule, sizeof s->rule, "%s", policy_rule_id(v.rule));
		snprintf(s->reason, sizeof s->reason, "%s: %s", policy_rule_id(v.rule), v.reason[LANG_EN]);
		d->stats.refused++;
		log_info("message %lld refused by the contact policy: %s", id, policy_rule_id(v.rule));
		return;
	}
	if (ch == CH_SMS) {
		struct sms_size size;

		/* Kannel would cut a longer text without a word: refuse it here. */
		if (!sms_check_limit(body, (size_t)d->conf->channels[CH_SMS].max_segments, err, sizeof err)) {
			fail(d, id, err);
			return;
		}
		sms_measure(body, &size);
		o.ucs2 = size.encoding == SMS_UCS2;
	}
	if (ch == CH_WHATSAPP && !PQgetisnull(claim, r, 6)) {
		o.template_name = PQgetvalue(claim, r, 6);
		o.template_language = PQgetvalue(claim, r, 7);
		o.nparams = whatsapp_params(PQgetvalue(claim, r, 5), &doc, params, (int)ARRAY_SIZE(params));
		o.params = params;
	}
	job = transport_job_new(d->conf, t, &o, err, sizeof err);
	json_decref(doc);
	if (!job) {
		fail(d, id, err);
		return;
	}
	ready_push(&d->chans[ch].ready, (struct flight){ .job = job, .channel = ch,
	                                                 .attempts = atoi(PQgetvalue(claim, r, 9)) });
}

/* Claims up to want messages of channel ch and starts them; returns how
 * many were claimed. */
static int claim(struct dispatcher *d, enum channel ch, int want)
{
	char n[16], lease[16];
	const char *p[4] = { d->worker, channel_name(ch), n, lease };
	struct policy_message *pm;
	struct message_facts *mf;
	long long *ids;
	PGresult *r;
	char err[512];
	int got;

	snprintf(n, sizeof n, "%d", want);
	snprintf(lease, sizeof lease, "%d", d->conf->lease);
	r = db_exec(d->db, "SELECT * FROM cobro.message_claim($1, $2, $3, $4)", 4, p);
	if (!r) {
		log_db_error(d, "cannot claim %s messages: %s", channel_name(ch), d->db->err);
		return 0;
	}
	got = PQntuples(r);
	if (!got) {
		PQclear(r);
		return 0;
	}
	ids = xcalloc((size_t)got, sizeof *ids);
	pm = xcalloc((size_t)got, sizeof *pm);
	mf = xcalloc((size_t)got, sizeof *mf);
	for (int i = 0; i < got; i++) {
		ids[i] = atoll(PQgetvalue(r, i, 0));
		if (PQgetvalue(r, i, 17)[0] == 't')
			log_warning("message %lld: reclaimed from a daemon whose claim ran out; sending it again", ids[i]);
	}
	d->stats.claimed += got;
	if (!policy_messages_load(d->db, d->sp.policy, ids, got, policy_now(), pm, err, sizeof err)) {
		/* The claim stands and runs out: the messages come back after the lease. */
		log_db_error(d, "cannot read the contact policy's facts for %d %s messages: %s", got, channel_name(ch), err);
	} else if (!template_store_message_facts(d->db, ids, got, policy_now(), mf)) {
		log_db_error(d, "cannot read the templates' facts for %d %s messages: %s", got, channel_name(ch),
		             d->db->err);
		policy_messages_free(pm, got);
	} else {
		for (int i = 0; i < got; i++)
			start(d, ch, r, i, &pm[i], &mf[i]);
		policy_messages_free(pm, got);
	}
	free(mf);
	free(pm);
	free(ids);
	PQclear(r);
	return got;
}

/* Moves ready messages of channel ch into transfer slots, as the rate and
 * the transport's backoff (allow: transport_backoff_allow) allow. */
static void start_ready(struct dispatcher *d, enum channel ch, int allow)
{
	struct chan *c = &d->chans[ch];

	while (c->ready.count && c->tokens >= 1 && d->nflights < d->conf->parallel &&
	       (allow < 0 || inflight_through(d, d->conf->channels[ch].transport->name) < allow)) {
		struct flight f = ready_pop(&c->ready);

		f.started = now_mono();
		curl_multi_add_handle(d->multi, f.job->curl);
		d->flights[d->nflights++] = f;
		c->tokens -= 1;
	}
}

/* Says which channels this cobrod sends, for HEARTBEAT_TTL seconds; when
 * stopping, that it sends none. */
static void heartbeat(struct dispatcher *d, double now, bool stopping)
{
	struct buf chans = { 0 };
	char ttl[16];
	const char *p[3];

	if (d->heartbeat_gone || (!stopping && now < d->heartbeat_next) || PQstatus(d->db->conn) != CONNECTION_OK)
		return;
	buf_puts(&chans, "{");
	for (size_t i = 0; i < ARRAY_SIZE(channels); i++)
		if (d->conf->channels[channels[i]].transport)
			buf_printf(&chans, "%s%s", chans.len > 1 ? "," : "", channel_name(channels[i]));
	buf_puts(&chans, "}");
	snprintf(ttl, sizeof ttl, "%d", stopping ? 0 : HEARTBEAT_TTL);
	p[0] = d->worker;
	p[1] = chans.s;
	p[2] = ttl;
	if (!db_run(d->db, "SELECT cobro.daemon_heartbeat($1, $2::text[], $3::integer)", 3, p))
		log_db_error(d, "cannot say which channels this cobrod sends: %s", d->db->err);
	else if (stopping)
		d->heartbeat_gone = true;
	d->heartbeat_next = now + HEARTBEAT_EVERY;
	buf_free(&chans);
}

/* Messages waiting longer than outbox.late_after: marked late (the history
 * shows it) and logged, each once. */
static void look_for_late(struct dispatcher *d, double now)
{
	char after[16];
	const char *p[1] = { after };
	PGresult *r;

	if (now < d->late_next || PQstatus(d->db->conn) != CONNECTION_OK)
		return;
	d->late_next = now + LATE_EVERY;
	snprintf(after, sizeof after, "%d", d->conf->late_after);
	if (!(r = db_exec(d->db, "SELECT id, channel, waited, coalesce(error, '') FROM cobro.message_late($1)", 1, p))) {
		log_db_error(d, "cannot look for late messages: %s", d->db->err);
		return;
	}
	for (int i = 0; i < PQntuples(r); i++) {
		const char *ch = PQgetvalue(r, i, 1);
		enum channel c;
		bool sent = channel_parse(ch, &c) && d->conf->channels[c].transport;

		log_warning("message %s (%s) is late: queued %s s ago and not sent (outbox.late_after %d)%s%s%s",
		            PQgetvalue(r, i, 0), ch, PQgetvalue(r, i, 2), d->conf->late_after,
		            sent ? "" : "; this cobrod has no transport for the channel",
		            PQgetvalue(r, i, 3)[0] ? "; last error: " : "", PQgetvalue(r, i, 3));
	}
	PQclear(r);
}

int dispatcher_turn(struct dispatcher *d, bool stopping)
{
	double now = now_mono(), wait = IDLE_LOOK;
	int running = 0;
	long curl_wait = -1;
	CURLMsg *msg;
	int left;

	heartbeat(d, now, stopping);
	if (!stopping)
		look_for_late(d, now);
	curl_multi_perform(d->multi, &running);
	while ((msg = curl_multi_info_read(d->multi, &left)))
		if (msg->msg == CURLMSG_DONE)
			finished(d, msg);

	for (size_t i = 0; i < ARRAY_SIZE(channels); i++) {
		enum channel ch = channels[i];
		const struct channel_conf *cc = &d->conf->channels[ch];
		struct chan *c = &d->chans[ch];
		double burst = cc->rate < 1 ? 1 : cc->rate;
		/* Enough ready for half a second at the rate, or for the slots. */
		int batch = (int)fmax(fmin(cc->rate / 2, CLAIM_MAX), d->conf->parallel);
		int allow;

		if (stopping) {
			release_ready(d, ch, 0, "");
			continue;
		}
		if (!cc->transport)
			continue;
		/* The bucket holds at most a second's worth. */
		c->tokens = fmin(burst, c->tokens + (now - c->refilled) * cc->rate);
		c->refilled = now;
		allow = transport_backoff_allow(backoff_of(d, cc->transport->name), now);
		if (allow == 0) {
			wait = fmin(wait, backoff_of(d, cc->transport->name)->until - now);
			continue;
		}
		/* Probing a transport that was down: one message, not a batch. */
		if ((allow < 0 ? c->ready.count < batch / 2 : c->ready.count == 0) && now >= c->next_look &&
		    PQstatus(d->db->conn) == CONNECTION_OK && policy_ready(d, now)) {
			int want = allow < 0 ? batch - c->ready.count : 1;

			if (claim(d, ch, want) < want)
				c->next_look = now + IDLE_LOOK;
		}
		start_ready(d, ch, allow);
		if (c->ready.count && d->nflights < d->conf->parallel)
			wait = fmin(wait, (1 - c->tokens) / cc->rate); /* waiting for a token */
		else if (!c->ready.count && c->next_look > now)
			wait = fmin(wait, c->next_look - now);
	}
	if (d->nflights)
		curl_multi_perform(d->multi, &running);
	if (d->nsettles && (stopping || d->nsettles >= SETTLE_BATCH || now - d->settle_since >= SETTLE_DELAY))
		settle_flush(d);

	if (d->nflights) {
		curl_multi_timeout(d->multi, &curl_wait);
		if (curl_wait >= 0 && curl_wait / 1000.0 < wait)
			wait = curl_wait / 1000.0;
	}
	if (d->nsettles)
		wait = fmin(wait, fmax(0, d->settle_since + SETTLE_DELAY - now));
	return wait < 0 ? 0 : (int)ceil(wait * 1000);
}

void dispatcher_free(struct dispatcher *d)
{
	if (!d)
		return;
	for (int i = 0; i < d->nflights; i++) {
		curl_multi_remove_handle(d->multi, d->flights[i].job->curl);
		send_job_free(d->flights[i].job);
	}
	for (size_t i = 0; i < ARRAY_SIZE(channels); i++) {
		struct pending *q = &d->chans[channels[i]].ready;

		while (q->count)
			send_job_free(ready_pop(q).job);
		free(q->items);
	}
	curl_multi_cleanup(d->multi);
	for (int i = 0; i < d->nhealth; i++)
		free(d->health[i].name);
	free(d->health);
	if (d->sp.policy)
		stored_policy_free(&d->sp);
	free(d->flights);
	free(d->settles);
	free(d);
}
