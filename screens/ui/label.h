/* The codes the database stores, in the screen's language. Contact point
 * kinds, statuses, event kinds and outcomes, segments, products and payment
 * methods are kept as codes ("mobile", "personal_loan"): the screens show
 * each through label(), never as stored. A code the table does not know is
 * shown as stored, so a new one is seen rather than hidden. */
#ifndef COBRO_LABEL_H
#define COBRO_LABEL_H

#include <stddef.h>

enum label_kind {
	LABEL_CONTACT_POINT, /* contact_point.kind: phone, mobile, email, whatsapp, address */
	LABEL_CHANNEL,       /* call, sms, email, whatsapp, letter, visit */
	LABEL_ACCOUNT_STATUS,
	LABEL_PROMISE_STATUS,
	LABEL_MESSAGE_STATUS,
	LABEL_EVENT_KIND,
	LABEL_SEGMENT,
	LABEL_PRODUCT,
	LABEL_PAYMENT_METHOD,
	LABEL__COUNT
};

/* code's words in the screen's language ("" for NULL). */
const char *label(enum label_kind kind, const char *code);
/* A list of codes as stored ("sms,email"), each in words, into out:
 * "SMS, correo". Returns out. */
const char *label_list(enum label_kind kind, const char *codes, char *out, size_t n);
/* An event's outcome as the history says it: the words depend on the
 * event's kind (a letter "enviada", an SMS "enviado"); call outcomes are
 * the account screen's (outcome_labels). */
const char *label_outcome(const char *event_kind, const char *outcome);
/* The code of what a person typed, whether the code itself or its words in
 * the screen's language, case aside ("Media" -> "mid"); NULL when it is
 * neither. */
const char *label_code(enum label_kind kind, const char *typed);
/* The display cells of kind's widest words in the screen's language, for a
 * column that shows them whole ("incumplida", "preventiva"). */
int label_widest(enum label_kind kind);

#endif
