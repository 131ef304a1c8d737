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
	LABEL_PROMISE_STATUS,     /* and the worklist's "due_today", shown, not stored */
	LABEL_INSTALLMENT_STATUS, /* a promise's plan: pending, kept, partial, broken, late */
	LABEL_PROMISE_REASON,     /* the limits a promise breaks: horizon, min_share, ... */
	LABEL_MESSAGE_STATUS,
	LABEL_EVENT_KIND,
	LABEL_SEGMENT,
	LABEL_PRODUCT,
	LABEL_PAYMENT_METHOD,
	LABEL_STRATEGY_STATE,  /* account_strategy.state: running, paused, stopped, done */
	LABEL_STRATEGY_REASON, /* account_strategy.state_reason: reply, promise, payment, ... */
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

/* What a state means, for its colour (paint.c gives each tone its colour,
 * or without colours an attribute): the words say it in either case. */
enum label_tone {
	TONE_PLAIN,   /* nothing to say: cancelled, a code not known */
	TONE_WAITING, /* pending: nothing to do yet */
	TONE_DUE,     /* needs a look today: due today, a part paid, paid late */
	TONE_GOOD,    /* kept */
	TONE_BAD,     /* broken */
	TONE_ASK,     /* waiting for someone's decision: awaiting approval */
	TONE_REFUSED, /* refused by someone: rejected */
};
/* The tone of a promise's or an installment's state (LABEL_PROMISE_STATUS,
 * LABEL_INSTALLMENT_STATUS); TONE_PLAIN for any other kind. */
enum label_tone label_tone(enum label_kind kind, const char *code);

#endif
