/* Contact policy versions in the database, and the facts of one real account
 * the engine needs (its debtor, contact points, history). The SQL lives here;
 * the engine (policy.c) stays pure. */
#ifndef COBRO_POLICY_STORE_H
#define COBRO_POLICY_STORE_H

#include "account.h"
#include "db.h"
#include "policy.h"
#include "tz.h"

struct stored_policy {
	int version;
	char loaded_at[32];
	char loaded_by[64];
	struct policy *policy;
};

/* Stores a new version (text and holidays as read), after checking that it
 * keeps every locked rule of the version in force; records who, when and a
 * diff. Returns the new version, or -1 with err (nothing stored). */
int policy_store_save(struct db *db, const char *text, const char *holidays, const struct policy *parsed, char *err,
                      size_t errlen);
/* The newest version, parsed. */
bool policy_store_current(struct db *db, struct stored_policy *sp, char *err, size_t errlen);
void stored_policy_free(struct stored_policy *sp);

/* The moment the contact policy is asked about: now, or $COBRO_NOW
 * ("2026-11-24T15:00:00Z") when set, so that tests and demos can stand at a
 * chosen hour of a chosen day. */
int64_t policy_now(void);

/* One account's contact on a channel, ready for policy_check(). */
struct policy_account {
	struct stored_policy sp;     /* the version loaded here, when none was given */
	const struct policy *policy;
	struct policy_debtor debtor;
	struct policy_event *history;
	size_t nhistory;
	char jurisdiction[8];
	char state[32];
	char reference[64];
	char creditor[64];
	char **names;         /* debt and creditor names the history points into */
	size_t nnames;
	struct policy_contact contact;
};

/* Loads account REFERENCE (as the connected person sees it) for a contact on
 * channel at instant at (0: now). Consent and opt-outs are loaded for every
 * channel: set contact.channel to ask about another one. */
bool policy_account_load(struct db *db, const char *reference, enum channel channel, int64_t at,
                         struct policy_account *pa, char *err, size_t errlen);
/* The same with a policy already loaded (NULL: the version in force). */
bool policy_account_load_with(struct db *db, const struct policy *policy, const char *reference,
                              enum channel channel, int64_t at, struct policy_account *pa, char *err,
                              size_t errlen);
/* The same from an account screen already loaded (account_load() with the
 * same at): no round trip. recipient is the contact point the contact goes
 * to (0: the debtor as a whole, as the account screen judges): its own
 * consent and opt-out then decide the channel, as cobrod judges a message. */
bool policy_account_from_view(const struct policy *policy, const struct account_view *v, enum channel channel,
                              long long recipient, int64_t at, struct policy_account *pa, char *err,
                              size_t errlen);

/* Whether a contact point of kind (phone, mobile, whatsapp, email, address)
 * can carry channel at all. */
bool policy_point_serves(const char *kind, enum channel ch);
/* Whether point may be sent channel now: it can carry it (a mobile for SMS,
 * an address for email...), is not marked bad and has not opted out of it. */
bool policy_point_usable(const struct contact_point_row *point, enum channel channel);
void policy_account_free(struct policy_account *pa);

/* The one judgement of a message channel on an account (issue 15, line 5):
 * each point that may carry it (policy_point_usable(), in the view's order,
 * the primary first) judged by the policy as cobrod will judge a message to
 * it, its own consent and opt-out deciding. Returns the index in v->points
 * of the first one allowed now, else of the first usable one (refused), else
 * -1 (none: judged for the debtor as a whole). *verdict is that point's, and
 * *zone the debtor's first time zone, for saying when. The account screen's
 * verdict on the channel and the recipient the send screen proposes first
 * both come from here, so they cannot disagree. False with err when the view
 * cannot be judged (an unknown time zone). */
bool policy_channel_point(const struct policy *policy, const struct account_view *v, enum channel channel,
                          int64_t at, int *point, struct policy_verdict *verdict, const struct tz **zone,
                          char *err, size_t errlen);

/* The facts of queued messages for the contact policy's check at send time
 * (cobrod), two queries for a whole batch. For each message: its debtor, the
 * consent and opt-outs of the debtor's points, the recipient's own deciding
 * the message's channel (its number said STOP), and the contacts that
 * count against it: every contact of the debtor except the message itself
 * and messages queued after it and not sent yet (the first queued goes
 * first). out[i] answers for ids[i]; known is false for a message not found. */
struct policy_message {
	bool known;
	long long id;
	enum channel channel;
	bool point_bad;            /* the recipient is marked bad since it was queued */
	struct policy_account pa;  /* pa.contact is the send, on the message's channel */
};
bool policy_messages_load(struct db *db, const struct policy *p, const long long *ids, int n, int64_t at,
                          struct policy_message *out, char *err, size_t errlen);
void policy_messages_free(struct policy_message *m, int n);

/* "May we call now?" for many accounts at once (the worklist): one query for
 * the accounts' facts, one for their contact history. out[i] answers for
 * ids[i]: allowed (until when), or the next allowed instant (0: never) and
 * the debtor's zone to show it in. Only a change to the account's data or
 * history, or the clock reaching until or next, can turn the answer. */
struct policy_reach {
	bool known;               /* false when the account could not be judged */
	bool allowed;
	int64_t next;
	int64_t until;            /* when allowed: the end of this stretch of hours (0: none) */
	const struct tz *zone;    /* the debtor's address zone (tz_cached) */
};
bool policy_reach_calls(struct db *db, const struct policy *p, const long long *ids, int n, int64_t at,
                        struct policy_reach *out, char *err, size_t errlen);

#endif
