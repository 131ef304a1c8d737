/* The review queues (issue 17, line 4): what collectors cannot undo waits
 * for the supervisor of the team. The accounts in dispute and the contact
 * points marked wrong that wait for a decision (cobro.review_disputes(),
 * review_wrong_points(), read under row security), and the four decisions:
 * a dispute cleared or kept, a point restored or confirmed wrong, each with
 * its reason. Core only: the screens never see SQL; the database decides who
 * may (functions/review.sql, docs/security.md). */
#ifndef COBRO_REVIEW_H
#define COBRO_REVIEW_H

#include <stdbool.h>

#include "db.h"
#include "news.h"

struct review_dispute {
	long long account_id;
	char reference[41];
	char debtor[201];
	char agent[64];           /* the account's collector, "" for the pool */
	char currency[4];
	long long balance;        /* minor units */
	char raised_by[64];       /* login, "" when unknown */
	char raised_at[17];       /* "YYYY-MM-DD HH:MM" in the session's zone */
	char reason[512];         /* the call's note, or the note raised with it */
};

struct review_point {
	long long point_id, account_id;
	char kind[12];            /* phone, mobile, whatsapp, email */
	char value[321];
	char reference[41];
	char debtor[201];
	char agent[64];
	char marked_by[64];       /* login, "" when unknown (cobrod, a bounce) */
	char marked_at[17];
	long long call_id;        /* the call that marked it, 0 for none */
};

struct review_queues {
	struct review_dispute *disputes;
	int ndisputes;
	struct review_point *points;
	int npoints;
};

/* Both queues, oldest first. False with db->err set (a collector: refused,
 * SQLSTATE 42501). */
bool review_read(struct db *db, struct review_queues *out);
void review_free(struct review_queues *q);

enum review_decision {
	REVIEW_CLEAR,     /* a dispute: the account is active again */
	REVIEW_KEEP,      /* a dispute: it stays, and leaves the queue */
	REVIEW_RESTORE,   /* a point: good again */
	REVIEW_CONFIRM,   /* a point: bad for good, and leaves the queue */
};

enum review_result {
	REVIEW_DONE,
	REVIEW_DECIDED,   /* someone decided it first: see decided_by, decided */
	REVIEW_FAILED,    /* db->err says why */
};

struct review_outcome {
	char decided_by[64];      /* REVIEW_DECIDED: the login */
	enum review_decision decided; /* REVIEW_DECIDED: what they decided */
};

/* Decides the dispute on account_id (point_id 0) or the point point_id of
 * account_id's debtor, with a reason (required). */
enum review_result review_decide(struct db *db, enum review_decision d, long long account_id, long long point_id,
                                 const char *reason, struct review_outcome *out);

/* The database's refusal "decided already: cleared by sofia" read: true,
 * with who and what, when the message is one. Pure. */
bool review_parse_decided(const char *err, struct review_outcome *out);

/* A decision someone else made on one of the person's own accounts. */
struct review_news {
	long long event_id, account_id;
	char reference[41];
	enum review_decision decision;
	char decided_by[64];      /* login */
	char reason[512];
	char point[321];          /* a point's number or address, "" for a dispute */
};

/* Hands out in *out (malloc'd, *n of them) the decisions on the person's
 * own accounts not told yet since the watch began (news.h; the watch's ids
 * are event ids). False with db->err set. */
bool review_news_read(struct db *db, struct news_watch *w, struct review_news **out, int *n);

#endif
