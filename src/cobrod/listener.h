/* cobrod's HTTP listener: Kannel's delivery reports and inbound texts, and a
 * health check. It runs inside cobrod's single poll loop (libmicrohttpd in
 * external epoll mode: one descriptor to poll) and writes through cobrod's
 * database connection, synchronously, between the loop's other steps; the
 * delivery reports, through a connection of their own, without waiting
 * (listener_dlr_db).
 *
 *   GET /kannel/dlr?key=&id=&status=&answer=&to=&ts=   cobro.message_dlr_many(): the
 *                         reports that come together are held (their
 *                         connections suspended) up to 128 or 20 ms, recorded
 *                         in one statement, and each answered once recorded
 *   GET /kannel/mo?key=&from=&to=&text=&coding=&ts=&id=&smsc=
 *                                                 cobro.message_inbound('sms', ...)
 *   GET /whatsapp?key=&hub.mode=subscribe&hub.challenge=   Meta's check: the challenge
 *   POST /whatsapp?key=   the WhatsApp Cloud API's webhook (JSON, wa_hook.h):
 *                         statuses cobro.message_receipt('whatsapp', ...),
 *                         messages cobro.message_inbound('whatsapp', ...)
 *   GET /health                                   200 "ok"
 *
 * key= is a Kannel or WhatsApp transport's callback_secret (cobrod.conf):
 * cobrod puts it in the dlr-url it gives Kannel, and Kannel's sms-service
 * get-url carries it (scripts/services.sh); the webhook address given to
 * Meta carries it. It names the gateway; a report is then taken only for a
 * message of the channel that gateway sends, and a Kannel key is refused on
 * /whatsapp and a WhatsApp key on /kannel.
 *
 * Answers: 200 done (or nothing to do: a late report, a stranger's text);
 * 400 a request that will never succeed; 403 no gateway's key; 404 a report
 * for no message or an unknown path; 405 a method other than GET (and POST
 * on /whatsapp); 413 a webhook body over 256 KiB; 409 a
 * report for a message not sent through that gateway (queued, another
 * channel's); 503 the database could not answer now, so Kannel tries again
 * later (http-request-retry).
 *
 * One client address holds at most 128 connections, a connection silent
 * for 5 seconds is closed, and so is one whose request line and headers
 * are not whole 10 seconds after it connected (or after its last request),
 * so that idle or trickling connections cannot keep /health and the
 * gateways out.
 *
 * The inbound answer's body is empty, but whatever it says, Kannel must not
 * text it back to the phone: its sms-service groups need max-messages = 0
 * (scripts/services.sh writes them so). */
#ifndef COBRO_LISTENER_H
#define COBRO_LISTENER_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "db.h"

struct listener;

/* Counters since listener_start, for logs and tests. */
struct listener_stats {
	unsigned long requests;    /* answered, whatever the answer */
	unsigned long dlr;         /* delivery reports recorded: delivered, failed or ignored */
	unsigned long inbound;     /* texts from a known number, recorded */
	unsigned long optouts;     /* of those, read as an opt-out */
	unsigned long unknown;     /* a report for no message, a text from nobody we know */
	unsigned long repeated;    /* a text whose gateway id was recorded already */
	unsigned long rejected;    /* 400, 405, and 404 for a path we do not serve */
	unsigned long unavailable; /* 503: the database did not answer */
};

/* Listens on address (numeric or a host name; NULL or "" is 127.0.0.1) and
 * port (0 takes any free port: tests; cobrod does not call this at all when
 * listen.port is 0). db is used for every request: cobrod keeps it and
 * resets it in place when it breaks; it may be NULL (every report is then
 * answered 503). NULL with err filled when the address cannot be had. */
struct listener *listener_start(const char *address, int port, struct db *db, char *err, size_t errlen);

/* The gateways that may call: each Kannel or WhatsApp transport of c with a
 * callback_secret (copied; call again after a reload). Until called, every
 * /kannel request is refused. */
void listener_gateways(struct listener *l, const struct cobrod_conf *c);

/* The port listened on (the one chosen when port was 0). */
int listener_port(const struct listener *l);

/* The one descriptor to poll for POLLIN (an epoll descriptor). */
int listener_fd(const struct listener *l);

/* Gives the delivery reports a database connection of their own (conninfo
 * and user as db_connect's; its login recorded as cobrod's): their
 * statement is then sent without waiting, and answered when its result
 * comes (listener_db_fd), so that the loop sends meanwhile. Without it,
 * they are written through listener_start's db, waited for. False with err
 * filled when it cannot connect. */
bool listener_dlr_db(struct listener *l, const char *conninfo, const char *user, char *err, size_t errlen);

/* The reports' connection's socket while a statement of theirs runs, to poll
 * for POLLIN beside listener_fd; -1 otherwise. */
int listener_db_fd(const struct listener *l);

/* The longest poll may wait before listener_run must be called whether or not
 * the descriptor is readable: -1 for no limit, 0 when work is pending. */
int listener_timeout_ms(const struct listener *l);

/* Accepts, reads and answers whatever is ready; never blocks except on the
 * database. Call it after every poll() that listened on listener_fd. */
void listener_run(struct listener *l);

const struct listener_stats *listener_stats(const struct listener *l);

/* Closes every connection and the socket; l may be NULL. */
void listener_stop(struct listener *l);

#endif
