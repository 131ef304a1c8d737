/* Transports: how cobrod hands one queued message to the outside world.
 *
 * For each kind of transport in cobrod.conf (Kannel's sendsms, a generic
 * HTTP SMS gateway, SMTP, a WhatsApp Cloud API-shaped HTTP JSON API) this
 * builds a configured libcurl easy handle, owned with everything it points to
 * by a struct send_job, and afterwards classifies how the transfer went. The
 * curl multi loop is the daemon's:
 *
 *	job = transport_job_new(conf, conf->channels[ch].transport, &msg, err, sizeof err);
 *	if (!job) -> the message cannot be sent as it is: fail it with err
 *	curl_multi_add_handle(multi, job->curl);
 *	... curl_multi_info_read() gives CURLMSG_DONE for msg->easy_handle:
 *	curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &job);
 *	curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &status);
 *	transport_result(job, msg->data.result, status, &res);
 *	curl_multi_remove_handle(multi, job->curl);
 *	send_job_free(job);
 *
 * The URL and body builders are separate pure functions, so the tests can
 * check what would be sent without a network. Nothing here logs; reasons and
 * job fields never hold a password or token, and no reason holds the body. */
#ifndef COBRO_TRANSPORT_H
#define COBRO_TRANSPORT_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "config.h"
#include "policy.h"
#include "util.h"

/* The most of a provider's answer a job keeps; the rest is dropped. */
#define TRANSPORT_RESPONSE_MAX 65536

/* One message to send, as the daemon read it from cobro.message and the
 * creditor. Strings are borrowed for the call that takes them. */
struct outgoing {
	long long id;              /* cobro.message.id */
	const char *key;           /* idempotency_key (a UUID), or NULL */
	enum channel channel;      /* CH_SMS, CH_EMAIL or CH_WHATSAPP */
	const char *recipient;     /* E.164 for sms and whatsapp, an address for email */
	const char *subject;       /* email */
	const char *body;          /* the text; for a WhatsApp template, what it renders to */
	bool ucs2;                 /* sms: the text needs UCS-2 (sms_measure() said so) */
	const char *from;          /* per creditor: SMS sender id or From address; NULL: the transport's */
	const char *from_name;     /* email display name; NULL: the transport's */
	const char *reply_to;      /* email; NULL: the transport's */
	const char *to_name;       /* email: the debtor's name, or NULL */
	const char *template_name; /* whatsapp: an approved template; NULL sends body as text */
	const char *template_language; /* whatsapp: "es", "es_MX", ... */
	const char *const *params;     /* whatsapp: the template body's {{1}}, {{2}} ... */
	int nparams;
	time_t date; /* email Date; 0 means now */
};

/* A transfer in flight. Callers read curl, id and response; the rest is
 * this module's. */
struct send_job {
	CURL *curl;   /* CURLOPT_PRIVATE points back here */
	long long id; /* the message */
	enum transport_kind kind;
	char *transport;     /* the transport's name, for logs */
	char *url;           /* Kannel's carries the password: never log it */
	struct buf request;  /* the body sent, or the email uploaded */
	size_t sent;         /* upload cursor into request */
	struct buf response; /* the provider's answer (for SMTP, nothing) */
	struct curl_slist *headers;
	struct curl_slist *rcpt;
	char *id_path;               /* http: where the provider's id is */
	char *message_id;            /* smtp: our Message-ID, the provider id */
	char *secrets[4];            /* password, token, body, callback secret: kept out of reasons */
	char error[CURL_ERROR_SIZE]; /* libcurl's own words on a failure */
};

enum send_outcome {
	SEND_SENT,   /* the provider took it: do not send it again */
	SEND_RETRY,  /* try again later */
	SEND_FAILED, /* it will never go as it is: fail the message */
};

struct send_result {
	enum send_outcome outcome;
	/* The failure says nothing about this message: the provider is down or
	 * slow, refuses our credentials, or the URL is wrong. The daemon should
	 * slow or pause the channel rather than spend this message's attempts. */
	bool transport_fault;
	char provider_id[128]; /* SEND_SENT: the provider's id, or "" */
	/* Short English, safe to store and show; for SEND_SENT a note or "". */
	char reason[256];
};

/* Makes the job for sending o through t, with c's TLS settings (c may be
 * NULL: verify with the system's CAs). NULL with a reason in err when the
 * message cannot be sent as it is (an invalid address, a template field
 * that will not encode, a channel t cannot serve): fail the message. */
struct send_job *transport_job_new(const struct cobrod_conf *c, const struct transport *t,
				   const struct outgoing *o, char *err, size_t errlen);

/* Cleans up the easy handle (remove it from the multi handle first) and
 * everything the job owns. NULL is fine. */
void send_job_free(struct send_job *job);

/* How the transfer went. rc is the CURLMSG_DONE result; status is
 * CURLINFO_RESPONSE_CODE (the HTTP status; for SMTP the last reply code).
 *
 * Sent: HTTP 2xx; Kannel's "0: Accepted for delivery" and also "3: Queued for
 * later delivery" (Kannel holds it and sends it when the operator link is
 * back; sending again would send twice); SMTP's final 250.
 * Retry: connection and TLS failures, timeouts, HTTP 408, 425, 429, 5xx,
 * 3xx, 401, 403, 404, 405 and 407 (with transport_fault for all but 408 and 425),
 * SMTP 4xx, a refused login or sender (transport_fault).
 * Failed: any other HTTP 4xx (the provider refused this message), SMTP 5xx
 * on RCPT (no such mailbox) or after DATA (the content was refused), and
 * the WhatsApp errors that name the message (no such template, number not
 * on WhatsApp, outside the 24-hour window). A timeout after the request went
 * out is a retry: the provider may have the message, so retries are
 * at-least-once. */
void transport_result(const struct send_job *job, CURLcode rc, long status, struct send_result *out);

/* Checks what the loader could not: addresses, URLs, templates and the JSON
 * they make. On a mistake fills err with "FILE:LINE: setting: what is wrong"
 * and returns false. cobrod calls it after each cobrod_conf_load(). */
bool transport_check(const struct transport *t, const char *file, char *err, size_t errlen);
bool transports_check(const struct cobrod_conf *c, char *err, size_t errlen);

/* ------------------------------------------------------ a transport's health */

/* The longest a transport rests before it is tried again: once the gateway
 * is back, sending resumes within about this long. */
#define TRANSPORT_PROBE_MAX 5.0

/* Whether a transport's gateway works, as the dispatcher has seen it. When
 * a transfer fails for the gateway's sake (transport_fault) the transport
 * pauses; when the pause is over one transfer goes as a probe, and only its
 * success lets the rest go. The transfers that were in flight together when
 * the gateway went down all fail, but they are one outage: only a failure of
 * a transfer started after the pause began (a probe) makes the next pause
 * longer. Times are seconds on any one clock (the dispatcher's monotonic
 * one). Pure: no I/O, no clock of its own. */
struct transport_backoff {
	int steps;         /* pauses since the gateway last worked */
	double since;      /* when the outage began */
	double paused_at;  /* when the current pause began */
	double until;      /* no transfer starts before then */
	bool down;         /* paused, or probing: not yet seen working again */
};

/* A transfer started at started failed for the gateway's sake at now. The
 * pause is 1 s doubled per step, at most TRANSPORT_PROBE_MAX, and a random
 * point (r in [0, 1)) in its upper half. True when this began an outage (say
 * so, once); *pause gets the pause now in force (0: this failure changed
 * nothing). */
bool transport_backoff_fault(struct transport_backoff *b, double started, double now, double r, double *pause);

/* A transfer got an answer from the gateway (sent, or refused for the
 * message's own sake): the gateway works. True when this ended an outage;
 * *down_for gets how long it lasted. */
bool transport_backoff_ok(struct transport_backoff *b, double now, double *down_for);

/* How many transfers may be in flight through the transport now: 0 while it
 * rests, 1 (the probe) after a pause until one succeeds, -1 no limit. */
int transport_backoff_allow(const struct transport_backoff *b, double now);

/* ------------------------------------------------ the pure builders, tested */

/* Percent-encodes every byte but A-Z a-z 0-9 - . _ ~ (so "+" is %2B and a
 * space %20): right for a query parameter and for a form body. */
void transport_url_escape(struct buf *out, const char *s);

/* The contents of a JSON string, without the quotes. s must be UTF-8. */
void transport_json_escape(struct buf *out, const char *s);

/* Kannel's dlr-url for message id: base, then "?" or "&", then
 * "key=SECRET&id=ID&status=%d&to=%p&ts=%T" (Kannel fills in the % codes:
 * delivery status, the phone, the time; the operator's free-text answer is
 * not asked for). key= is the transport's callback_secret, which cobrod's
 * listener requires; without one (NULL or "") there is no key=. */
char *transport_dlr_url(const char *base, const char *secret, long long id);

/* The whole sendsms GET URL: username, password, to, text, from and smsc when
 * set, coding=2&charset=UTF-8 when o->ucs2, dlr-mask (the transport's
 * dlr_mask, 31 when not given) and dlr-url when the transport has a dlr_url. */
char *transport_kannel_url(const struct transport *t, const struct outgoing *o);

enum render_escape { RENDER_URL, RENDER_JSON };

/* Expands {to} {text} {id} {key} {from} in tmpl, each value escaped for where
 * it goes ({from} is o->from, else the transport's from). Unknown
 * placeholders are an error; "{" not followed by a name and "}" (JSON's own
 * braces) is kept as it is. */
bool transport_render(const char *tmpl, enum render_escape esc, const struct transport *t,
		      const struct outgoing *o, struct buf *out, char *err, size_t errlen);

/* The generic HTTP gateway: the URL and, unless the method is GET, the body. */
bool transport_http_request(const struct transport *t, const struct outgoing *o, char **url, struct buf *body,
			    char *err, size_t errlen);

/* Request headers: Content-Type for a body, "Expect:" (no 100-continue
 * round trip), and the bearer token for http and whatsapp. Basic
 * authentication is set on the handle instead. */
struct curl_slist *transport_headers(const struct transport *t);

/* WhatsApp: {url}/{phone_number_id}/messages, and the JSON body: a template
 * message when o->template_name is set (its parameters as the body
 * component's text parameters), else a text message. */
char *transport_whatsapp_url(const struct transport *t);
bool transport_whatsapp_body(const struct outgoing *o, struct buf *out, char *err, size_t errlen);

/* The email for o through t (From, Reply-To and List-Unsubscribe from o or
 * t), and its Message-ID (without <>) into msgid. unique goes into the
 * Message-ID and the unsubscribe URL's {key}: the idempotency key, so a
 * retry carries the same Message-ID. */
bool transport_smtp_message(const struct transport *t, const struct outgoing *o, const char *unique,
			    struct buf *out, char *msgid, size_t msgidlen, char *err, size_t errlen);

/* The provider's id in a JSON answer at a dotted path ("messages.0.id":
 * numbers index arrays); a string or an integer. An empty path takes the
 * whole answer, trimmed, when it is one short printable line. */
bool transport_response_id(const char *text, size_t len, const char *path, char *out, size_t outlen);

/* Whether c's tls.insecure_hosts names the host of url (case does not
 * count). */
bool transport_host_insecure(const struct cobrod_conf *c, const char *url);

#endif
