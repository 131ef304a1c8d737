/* The outbox dispatcher: cobrod's part that sends queued messages.
 *
 * Each turn of cobrod's loop it claims due messages per channel (as many as
 * the channel's rate and the free transfer slots allow; cobro.message_claim(),
 * FOR UPDATE SKIP LOCKED, so several daemons share the queue), checks each
 * against the contact policy again (a refusal is final: status refused with
 * the rule), starts the transfers on one libcurl multi handle, and settles
 * what finished: sent, retried later with exponential backoff and jitter,
 * or failed with the reason. Results are written in one statement per turn.
 * The text sent is the text queued: nothing is rendered here.
 *
 * The loop is cobrod's: it waits in curl_multi_poll() on dispatcher_multi()
 * with its own descriptors (the database, the listener) as extra fds:
 *
 *	d = dispatcher_new(&conf, &db, name);
 *	while (!stop || dispatcher_inflight(d)) {
 *		curl_multi_poll(dispatcher_multi(d), extra, nextra, dispatcher_turn(d, stop), NULL);
 *		... on NOTIFY_OUTBOX: dispatcher_wake(d); NOTIFY_POLICY: dispatcher_policy_changed(d)
 *	}
 *	dispatcher_free(d);
 */
#ifndef COBRO_DISPATCH_H
#define COBRO_DISPATCH_H

#include <curl/curl.h>
#include <stdbool.h>

#include "config.h"
#include "db.h"

struct dispatcher;

struct dispatch_stats {
	long long claimed, sent, retried, deferred, failed, refused;
};

/* worker names this daemon in claims (cobrod.conf name, or host:pid). The
 * configuration and the connection are borrowed and must outlive it. */
struct dispatcher *dispatcher_new(const struct cobrod_conf *conf, struct db *db, const char *worker);
/* After a SIGHUP: transfers in flight finish with what they were started with. */
void dispatcher_set_conf(struct dispatcher *d, const struct cobrod_conf *conf);
/* A message was queued (NOTIFY_OUTBOX, notify.h): look at the queue now. */
void dispatcher_wake(struct dispatcher *d);
/* The contact policy changed (NOTIFY_POLICY): load it before the next check. */
void dispatcher_policy_changed(struct dispatcher *d);
/* One turn: settle finished transfers, claim and start new ones unless
 * stopping, write the results. Returns how long cobrod may wait before the
 * next turn, in milliseconds. */
int dispatcher_turn(struct dispatcher *d, bool stopping);
CURLM *dispatcher_multi(struct dispatcher *d);
int dispatcher_inflight(const struct dispatcher *d);
const struct dispatch_stats *dispatcher_stats(const struct dispatcher *d);
void dispatcher_free(struct dispatcher *d);

/* The wait before retry number attempt (1 for the first retry): base doubled
 * per attempt, at most max, then a random point in its upper half so that
 * messages failed together do not all come back together. r is in [0, 1). */
double dispatch_backoff(int attempt, double base, double max, double r);

#endif
