#include "review.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define COPY(dst, r, i, col) snprintf((dst), sizeof(dst), "%s", PQgetvalue((r), (i), (col)))

bool review_read(struct db *db, struct review_queues *out)
{
	PGresult *r;
	int n;

	memset(out, 0, sizeof *out);
	r = db_exec(db,
	            "SELECT account_id, reference, debtor, agent_login, currency, balance, raised_by, "
	            "       to_char(raised_at, 'YYYY-MM-DD HH24:MI'), reason "
	            "FROM cobro.review_disputes()",
	            0, NULL);
	if (!r)
		return false;
	n = PQntuples(r);
	out->disputes = xcalloc((size_t)n + 1, sizeof *out->disputes);
	for (int i = 0; i < n; i++) {
		struct review_dispute *d = &out->disputes[i];

		d->account_id = atoll(PQgetvalue(r, i, 0));
		COPY(d->reference, r, i, 1);
		COPY(d->debtor, r, i, 2);
		COPY(d->agent, r, i, 3);
		COPY(d->currency, r, i, 4);
		d->balance = atoll(PQgetvalue(r, i, 5));
		COPY(d->raised_by, r, i, 6);
		COPY(d->raised_at, r, i, 7);
		COPY(d->reason, r, i, 8);
	}
	out->ndisputes = n;
	PQclear(r);
	r = db_exec(db,
	            "SELECT contact_point_id, kind, value, account_id, reference, debtor, agent_login, marked_by, "
	            "       to_char(marked_at, 'YYYY-MM-DD HH24:MI'), call_id "
	            "FROM cobro.review_wrong_points()",
	            0, NULL);
	if (!r) {
		review_free(out);
		return false;
	}
	n = PQntuples(r);
	out->points = xcalloc((size_t)n + 1, sizeof *out->points);
	for (int i = 0; i < n; i++) {
		struct review_point *p = &out->points[i];

		p->point_id = atoll(PQgetvalue(r, i, 0));
		COPY(p->kind, r, i, 1);
		COPY(p->value, r, i, 2);
		p->account_id = atoll(PQgetvalue(r, i, 3));
		COPY(p->reference, r, i, 4);
		COPY(p->debtor, r, i, 5);
		COPY(p->agent, r, i, 6);
		COPY(p->marked_by, r, i, 7);
		COPY(p->marked_at, r, i, 8);
		p->call_id = atoll(PQgetvalue(r, i, 9));
	}
	out->npoints = n;
	PQclear(r);
	return true;
}

void review_free(struct review_queues *q)
{
	free(q->disputes);
	free(q->points);
	memset(q, 0, sizeof *q);
}

/* The words functions/review.sql says each decision with. */
static const char *const decided_words[] = {
	[REVIEW_CLEAR] = "cleared",
	[REVIEW_KEEP] = "kept",
	[REVIEW_RESTORE] = "restored",
	[REVIEW_CONFIRM] = "confirmed",
};

bool review_parse_decided(const char *err, struct review_outcome *out)
{
	static const char lead[] = "decided already: ";
	const char *s = err ? strstr(err, lead) : NULL;

	if (!s)
		return false;
	s += sizeof lead - 1;
	for (size_t i = 0; i < ARRAY_SIZE(decided_words); i++) {
		size_t n = strlen(decided_words[i]);

		if (!strncmp(s, decided_words[i], n) && !strncmp(s + n, " by ", 4)) {
			const char *who = s + n + 4;
			size_t len = strcspn(who, " \t(\n");

			if (len == 0 || len >= sizeof out->decided_by)
				return false;
			memcpy(out->decided_by, who, len);
			out->decided_by[len] = '\0';
			out->decided = (enum review_decision)i;
			return true;
		}
	}
	return false;
}

enum review_result review_decide(struct db *db, enum review_decision d, long long account_id, long long point_id,
                                 const char *reason, struct review_outcome *out)
{
	char acc[24], pt[24];
	const char *two[2] = { acc, reason }, *three[3] = { acc, pt, reason };
	bool ok;

	memset(out, 0, sizeof *out);
	snprintf(acc, sizeof acc, "%lld", account_id);
	snprintf(pt, sizeof pt, "%lld", point_id);
	switch (d) {
	case REVIEW_CLEAR:
		ok = db_run(db, "SELECT cobro.review_dispute_clear($1, $2)", 2, two);
		break;
	case REVIEW_KEEP:
		ok = db_run(db, "SELECT cobro.review_dispute_keep($1, $2)", 2, two);
		break;
	case REVIEW_RESTORE:
		ok = db_run(db, "SELECT cobro.review_point_restore($1, $2, $3)", 3, three);
		break;
	case REVIEW_CONFIRM:
		ok = db_run(db, "SELECT cobro.review_point_confirm($1, $2, $3)", 3, three);
		break;
	default:
		return REVIEW_FAILED;
	}
	if (ok)
		return REVIEW_DONE;
	if (!strcmp(db->sqlstate, "55000") && review_parse_decided(db->err, out))
		return REVIEW_DECIDED;
	return REVIEW_FAILED;
}


static enum review_decision decision_named(const char *word)
{
	for (size_t i = 0; i < ARRAY_SIZE(decided_words); i++)
		if (!strcmp(word, decided_words[i]))
			return (enum review_decision)i;
	return REVIEW_CONFIRM;
}

bool review_news_read(struct db *db, struct news_watch *w, struct review_news **out, int *n)
{
	const char *p[1] = { w->since };
	PGresult *r;
	int rows;
	bool failed;

	*out = NULL;
	*n = 0;
	if (news_watch_begin(db, w, &failed) || failed)
		return !failed;
	r = db_exec(db,
	            "SELECT event_id, account_id, reference, decision, decided_by, reason, point "
	            "FROM cobro.review_decisions($1::timestamptz)",
	            1, p);
	if (!r)
		return false;
	rows = PQntuples(r);
	*out = xcalloc((size_t)rows + 1, sizeof **out);
	for (int i = 0; i < rows; i++) {
		struct review_news *d = &(*out)[*n];
		long long id = atoll(PQgetvalue(r, i, 0));

		if (news_told(w, id))
			continue;
		d->event_id = id;
		d->account_id = atoll(PQgetvalue(r, i, 1));
		COPY(d->reference, r, i, 2);
		d->decision = decision_named(PQgetvalue(r, i, 3));
		COPY(d->decided_by, r, i, 4);
		COPY(d->reason, r, i, 5);
		COPY(d->point, r, i, 6);
		news_tell(w, id);
		(*n)++;
	}
	PQclear(r);
	return true;
}
