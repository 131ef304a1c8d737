/* Queueing a message from the workstation: the rendered text, the contact
 * point and the history event in one transaction (cobro.message_queue() in
 * 009_outbox.sql), and the data a template is rendered with, taken from the
 * account screen's load. cobrod sends what is queued; nothing here touches
 * the network. Core only: no curses. */
#ifndef COBRO_OUTBOX_H
#define COBRO_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>

#include "account.h"
#include "db.h"
#include "policy.h"
#include "template.h"

struct outbox_request {
	const char *key; /* idempotency key (a UUID, contact_new_key()): a retry queues once */
	long long account_id;
	long long point_id;        /* the contact point it goes to */
	enum channel channel;      /* CH_SMS, CH_EMAIL or CH_WHATSAPP */
	long long template_id;     /* 0: none */
	const char *subject;       /* email only */
	const char *body;          /* exactly what the collector saw */
	const char *const *params; /* whatsapp: the placeholders' values in order */
	int nparams;
	int segments; /* sms: as sms_measure() counted; else 0 */
	bool ucs2;    /* sms: the encoding */
};

/* Queues r as the person logged in. On success *id is the message. False
 * with db->err (and db->sqlstate) otherwise: the account is not theirs
 * (42501), the point is not the debtor's or not usable for the channel, is
 * marked bad or opted out (23514, 23503), or the connection is gone. */
bool outbox_queue(struct db *db, const struct outbox_request *r, long long *id);

/* How many running cobrods can send channel ch now (cobro.channel_senders():
 * their heartbeats, 023_send_facts.sql); message_queue() refuses a channel
 * none can send. False with db->err when it cannot be asked. */
bool outbox_channel_senders(struct db *db, enum channel ch, int *n);

/* Whether value is one recipient cobrod may hand a gateway on channel ch:
 * for SMS and WhatsApp one E.164 number ("+" and 7 to 15 digits, the first
 * not 0; nothing else, no space, no second number), for email one plain
 * addr-spec (local@domain: no display name, no comment, no quotes, no space,
 * CR, LF, comma or semicolon, at most 254 bytes). The same forms
 * cobro.message_queue() and contact_point's checks accept. False with the
 * reason in why, which never quotes the value (it goes to logs). */
bool outbox_recipient_ok(enum channel ch, const char *value, char *why, size_t whylen);

/* The data to render a template with for the open account of v, in the
 * debtor's language; agent_name is the collector's (NULL for automation).
 * Strings point into v and payment_date (where the day of the latest
 * payment is written), which must outlive d. The due date and amount are
 * the installment due on the account's oldest unpaid date (else the first
 * one not paid in full); the promise is the pending one, else the latest. */
#define OUTBOX_DATE_SIZE 11
void outbox_template_data(const struct account_view *v, const char *agent_name, struct template_data *d,
			  char payment_date[OUTBOX_DATE_SIZE]);

/* The open account of v's facts that templates' requirements are tested
 * against (template_fits()) on day today ("YYYY-MM-DD", the debtor's), for
 * the send screen: the same promise outbox_template_data() speaks of.
 * Strings point into v and today. cobrod reads the same facts from the
 * database (template_store_message_facts()). */
void outbox_account_facts(const struct account_view *v, const char *today, struct template_account *a);

/* WhatsApp template messages: the value of each placeholder of text, in
 * order of appearance, rendered with d, as malloc'd strings in *params
 * (free with outbox_params_free). False with the reason in err when one
 * cannot be rendered (the data is missing). */
bool outbox_template_params(const char *text, const struct template_data *d, char ***params, int *n,
			    char *err, size_t errsize);
void outbox_params_free(char **params, int n);

#endif
