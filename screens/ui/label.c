/* The database's codes in the screen's language (label.h): one table, each
 * code's words marked NC_() with the context that tells a translator what
 * the word qualifies (Spanish agrees in gender: a promise "cumplida", an
 * SMS "enviado"), so xgettext collects them and gettext translates them
 * when shown. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "intl.h"
#include "label.h"
#include "text.h"
#include "util.h"

struct entry {
	enum label_kind kind;
	const char *code, *key;
};

static const struct entry entries[] = {
	{ LABEL_CONTACT_POINT, "phone", NC_("contact point", "phone") },
	{ LABEL_CONTACT_POINT, "mobile", NC_("contact point", "mobile") },
	{ LABEL_CONTACT_POINT, "email", NC_("contact point", "email") },
	{ LABEL_CONTACT_POINT, "whatsapp", NC_("contact point", "WhatsApp") },
	{ LABEL_CONTACT_POINT, "address", NC_("contact point", "address") },

	{ LABEL_CHANNEL, "call", NC_("channel", "call") },
	{ LABEL_CHANNEL, "sms", NC_("channel", "SMS") },
	{ LABEL_CHANNEL, "email", NC_("channel", "email") },
	{ LABEL_CHANNEL, "whatsapp", NC_("channel", "WhatsApp") },
	{ LABEL_CHANNEL, "letter", NC_("channel", "letter") },
	{ LABEL_CHANNEL, "visit", NC_("channel", "visit") },

	{ LABEL_ACCOUNT_STATUS, "active", NC_("account", "active") },
	{ LABEL_ACCOUNT_STATUS, "dispute", NC_("account", "in dispute") },
	{ LABEL_ACCOUNT_STATUS, "legal_hold", NC_("account", "legal hold") },
	{ LABEL_ACCOUNT_STATUS, "cease", NC_("account", "no contact") },
	{ LABEL_ACCOUNT_STATUS, "agency", NC_("account", "at an agency") },
	{ LABEL_ACCOUNT_STATUS, "paid", NC_("account", "paid") },
	{ LABEL_ACCOUNT_STATUS, "closed", NC_("account", "closed") },

	{ LABEL_PROMISE_STATUS, "pending", NC_("promise", "pending") },
	{ LABEL_PROMISE_STATUS, "kept", NC_("promise", "kept") },
	{ LABEL_PROMISE_STATUS, "broken", NC_("promise", "broken") },
	{ LABEL_PROMISE_STATUS, "cancelled", NC_("promise", "cancelled") },
	/* Short: the worklist's column is as wide as the widest of these. */
	{ LABEL_PROMISE_STATUS, "awaiting_approval", NC_("promise", "to approve") },
	{ LABEL_PROMISE_STATUS, "rejected", NC_("promise", "rejected") },
	{ LABEL_PROMISE_STATUS, "due_today", NC_("promise", "due today") },

	{ LABEL_INSTALLMENT_STATUS, "pending", NC_("installment", "pending") },
	{ LABEL_INSTALLMENT_STATUS, "kept", NC_("installment", "kept") },
	{ LABEL_INSTALLMENT_STATUS, "partial", NC_("installment", "partly paid") },
	{ LABEL_INSTALLMENT_STATUS, "broken", NC_("installment", "broken") },
	{ LABEL_INSTALLMENT_STATUS, "late", NC_("installment", "paid late") },

	{ LABEL_PROMISE_REASON, "horizon", NC_("limit", "too far ahead") },
	{ LABEL_PROMISE_REASON, "min_share", NC_("limit", "below the minimum share") },
	{ LABEL_PROMISE_REASON, "max_installments", NC_("limit", "too many installments") },
	{ LABEL_PROMISE_REASON, "max_discount", NC_("limit", "discount above the limit") },

	{ LABEL_MESSAGE_STATUS, "queued", NC_("message", "queued") },
	{ LABEL_MESSAGE_STATUS, "sending", NC_("message", "sending") },
	{ LABEL_MESSAGE_STATUS, "sent", NC_("message", "sent") },
	{ LABEL_MESSAGE_STATUS, "delivered", NC_("message", "delivered") },
	{ LABEL_MESSAGE_STATUS, "failed", NC_("message", "failed") },
	{ LABEL_MESSAGE_STATUS, "refused", NC_("message", "refused") },
	{ LABEL_MESSAGE_STATUS, "received", NC_("message", "received") },

	{ LABEL_EVENT_KIND, "call", NC_("event", "call") },
	{ LABEL_EVENT_KIND, "sms", NC_("event", "SMS") },
	{ LABEL_EVENT_KIND, "email", NC_("event", "email") },
	{ LABEL_EVENT_KIND, "whatsapp", NC_("event", "WhatsApp") },
	{ LABEL_EVENT_KIND, "letter", NC_("event", "letter") },
	{ LABEL_EVENT_KIND, "visit", NC_("event", "visit") },
	{ LABEL_EVENT_KIND, "note", NC_("event", "note") },
	{ LABEL_EVENT_KIND, "promise", NC_("event", "promise") },
	{ LABEL_EVENT_KIND, "payment", NC_("event", "payment") },
	{ LABEL_EVENT_KIND, "assignment", NC_("event", "assignment") },
	{ LABEL_EVENT_KIND, "status", NC_("event", "status") },
	{ LABEL_EVENT_KIND, "delivery", NC_("event", "delivery") },
	{ LABEL_EVENT_KIND, "callback", NC_("event", "callback") },
	{ LABEL_EVENT_KIND, "optout", NC_("event", "opt-out") },
	{ LABEL_EVENT_KIND, "contact_point", NC_("event", "contact point") },

	/* The stages of collection the strategies and the worklist's filter
	 * name (DESIGN.md, "Strategies per segment"). */
	{ LABEL_SEGMENT, "preventive", NC_("segment", "preventive") },
	{ LABEL_SEGMENT, "early", NC_("segment", "early") },
	{ LABEL_SEGMENT, "mid", NC_("segment", "mid") },
	{ LABEL_SEGMENT, "late", NC_("segment", "late") },
	{ LABEL_SEGMENT, "recovery", NC_("segment", "recovery") },
	{ LABEL_SEGMENT, "standard", NC_("segment", "standard") },

	/* The kinds of credit the portfolio holds (account.product); the
	 * creditor's own name for it is the creditor's column. */
	{ LABEL_PRODUCT, "card", NC_("product", "credit card") },
	{ LABEL_PRODUCT, "personal_loan", NC_("product", "personal loan") },
	{ LABEL_PRODUCT, "mobile_postpaid", NC_("product", "mobile postpaid") },
	{ LABEL_PRODUCT, "store_credit", NC_("product", "store credit") },
	{ LABEL_PRODUCT, "electricity", NC_("product", "electricity") },
	{ LABEL_PRODUCT, "auto_loan", NC_("product", "auto loan") },
	{ LABEL_PRODUCT, "microcredit", NC_("product", "microcredit") },

	{ LABEL_PAYMENT_METHOD, "transfer", NC_("payment", "transfer") },
	{ LABEL_PAYMENT_METHOD, "card", NC_("payment", "card") },
	{ LABEL_PAYMENT_METHOD, "cash", NC_("payment", "cash") },
	{ LABEL_PAYMENT_METHOD, "direct_debit", NC_("payment", "direct debit") },
	{ LABEL_PAYMENT_METHOD, "check", NC_("payment", "check") },

	/* Where an account stands in its ladder (account_strategy, issue 18)
	 * and why: the facts of each run (docs/strategies.md). */
	{ LABEL_STRATEGY_STATE, "running", NC_("ladder", "running") },
	{ LABEL_STRATEGY_STATE, "paused", NC_("ladder", "paused") },
	{ LABEL_STRATEGY_STATE, "stopped", NC_("ladder", "stopped") },
	{ LABEL_STRATEGY_STATE, "done", NC_("ladder", "done") },
	{ LABEL_STRATEGY_REASON, "reply", NC_("ladder stopped by", "reply") },
	{ LABEL_STRATEGY_REASON, "promise", NC_("ladder stopped by", "promise") },
	{ LABEL_STRATEGY_REASON, "payment", NC_("ladder stopped by", "payment") },
	{ LABEL_STRATEGY_REASON, "optout", NC_("ladder stopped by", "opt-out") },
	{ LABEL_STRATEGY_REASON, "no_contact", NC_("ladder stopped by", "no usable contact") },
	{ LABEL_STRATEGY_REASON, "paid", NC_("ladder stopped by", "paid") },
	{ LABEL_STRATEGY_REASON, "status", NC_("ladder stopped by", "account status") },
};

/* An event's outcome, by the event's kind: the context says what the word
 * qualifies. Messages' outcomes are their statuses. */
static const struct outcome {
	const char *kind, *code, *key;
} outcomes[] = {
	{ "letter", "sent", NC_("letter", "sent") },
	{ "letter", "delivered", NC_("letter", "delivered") },
	{ "letter", "received", NC_("letter", "received") },
	{ "letter", "failed", NC_("letter", "returned") },
	{ "visit", "not_home", NC_("visit", "nobody home") },
	{ "visit", "moved", NC_("visit", "moved away") },
	{ "promise", "created", NC_("promise", "made") },
	{ "promise", "pending", NC_("promise", "pending") },
	{ "promise", "kept", NC_("promise", "kept") },
	{ "promise", "broken", NC_("promise", "broken") },
	{ "promise", "cancelled", NC_("promise", "cancelled") },
	{ "promise", "awaiting_approval", NC_("promise", "to approve") },
	{ "promise", "rejected", NC_("promise", "rejected") },
	{ "promise", "approved", NC_("promise", "approved") },
	{ "callback", "scheduled", NC_("callback", "scheduled") },
	{ "callback", "done", NC_("callback", "done") },
	{ "contact_point", "good", NC_("contact point", "good again") },
	{ "contact_point", "bad", NC_("contact point", "bad") },
	{ "contact_point", "bad_confirmed", NC_("contact point", "confirmed bad") },
	/* A number a reply brought (data cleaning) and a collector's decision. */
	{ "contact_point", "proposed", NC_("contact point", "proposed") },
	{ "contact_point", "confirmed", NC_("contact point", "confirmed") },
	{ "contact_point", "rejected", NC_("contact point", "rejected") },
	{ "status", "dispute_kept", NC_("account", "dispute kept") },
	{ "optout", "lifted", NC_("opt-out", "lifted") },
	/* Reassignment (functions/reassign.sql): the body says "luis → ana",
	 * the row's agent who moved it. */
	{ "assignment", "reassigned", NC_("assignment", "reassigned") },
	{ "assignment", "absent", NC_("assignment", "agent absent") },
	{ "assignment", "returned", NC_("assignment", "agent back") },
	{ "assignment", "undone", NC_("assignment", "undone") },
	{ "assignment", "import", NC_("assignment", "imported") },
};

const char *label(enum label_kind kind, const char *code)
{
	if (!code)
		return "";
	for (size_t i = 0; i < ARRAY_SIZE(entries); i++)
		if (entries[i].kind == kind && !strcmp(entries[i].code, code))
			return pgettext_key(entries[i].key);
	return code;
}

const char *label_list(enum label_kind kind, const char *codes, char *out, size_t n)
{
	size_t len = 0;

	out[0] = '\0';
	for (const char *c = codes ? codes : ""; *c && len < n;) {
		size_t k = strcspn(c, ",");
		char code[64];
		size_t m = k < sizeof code - 1 ? k : sizeof code - 1; /* a code is short */

		memcpy(code, c, m);
		code[m] = '\0';
		len += (size_t)snprintf(out + len, n - len, "%s%s", len ? ", " : "", label(kind, code));
		c += k + (c[k] == ',');
	}
	return out;
}

const char *label_outcome(const char *event_kind, const char *outcome)
{
	if (!outcome || !outcome[0])
		return "";
	for (size_t i = 0; i < ARRAY_SIZE(outcomes); i++)
		if (!strcmp(outcomes[i].kind, event_kind) && !strcmp(outcomes[i].code, outcome))
			return pgettext_key(outcomes[i].key);
	/* A message's, a delivery's: its status. An opt-out's: the channel. A
	 * status change's: the account's new status. */
	if (!strcmp(event_kind, "optout"))
		return label(LABEL_CHANNEL, outcome);
	if (!strcmp(event_kind, "status"))
		return label(LABEL_ACCOUNT_STATUS, outcome);
	return label(LABEL_MESSAGE_STATUS, outcome);
}

const char *label_code(enum label_kind kind, const char *typed)
{
	for (size_t i = 0; i < ARRAY_SIZE(entries); i++)
		if (entries[i].kind == kind &&
		    (!strcasecmp(entries[i].code, typed) || !strcasecmp(pgettext_key(entries[i].key), typed)))
			return entries[i].code;
	return NULL;
}

int label_widest(enum label_kind kind)
{
	int widest = 0;

	for (size_t i = 0; i < ARRAY_SIZE(entries); i++)
		if (entries[i].kind == kind) {
			int w = text_width(pgettext_key(entries[i].key));

			widest = w > widest ? w : widest;
		}
	return widest;
}

enum label_tone label_tone(enum label_kind kind, const char *code)
{
	static const struct {
		const char *code;
		enum label_tone tone;
	} tones[] = {
		{ "pending", TONE_WAITING },  { "due_today", TONE_DUE },
		{ "partial", TONE_DUE },      { "late", TONE_DUE },
		{ "kept", TONE_GOOD },        { "broken", TONE_BAD },
		{ "awaiting_approval", TONE_ASK }, { "rejected", TONE_REFUSED },
	};

	if (!code || (kind != LABEL_PROMISE_STATUS && kind != LABEL_INSTALLMENT_STATUS))
		return TONE_PLAIN;
	for (size_t i = 0; i < ARRAY_SIZE(tones); i++)
		if (!strcmp(tones[i].code, code))
			return tones[i].tone;
	return TONE_PLAIN;
}
