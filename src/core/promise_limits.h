/* The limits a promise to pay is checked against (docs/promises.md,
 * "Limits"): per jurisdiction and segment, from a libconfig file
 * (etc/promise.conf), stored as numbered versions in the database
 * (promise_limit_set, promise_limit; functions/promise_limits.sql) and
 * read back. A promise outside them is saved awaiting approval. */
#ifndef COBRO_PROMISE_LIMITS_H
#define COBRO_PROMISE_LIMITS_H

#include <stdbool.h>
#include <stddef.h>

#include "db.h"

/* One row: jurisdiction ("PE", "US-MA" or "*") and segment ("early" or "*"). */
struct promise_limit {
	char jurisdiction[8];
	char segment[33];
	int horizon_days;          /* the last installment at most this many days after today */
	int min_share_permille;    /* the promise at least this share of the past-due amount */
	int max_installments;
	int max_discount_permille; /* a settlement's discount at most this share of the balance */
	int grace_days;            /* an installment counts as kept when paid by its date plus these */
	int line;                  /* where the row starts in the file (0: from the database) */
};

struct promise_limits {
	struct promise_limit *v;
	int n;
};

/* Parses the text of a limits file named name. On a mistake, false and
 * "NAME:LINE: what is wrong" in err (nothing kept). Every row needs every
 * number; each jurisdiction and segment once; a row for "*" "*". */
bool promise_limits_parse(const char *text, const char *name, struct promise_limits *out, char *err,
                          size_t errlen);
void promise_limits_free(struct promise_limits *l);

/* The row that applies to a jurisdiction and a segment: the most specific
 * (jurisdiction and segment, jurisdiction and *, its country likewise for a
 * subdivision, * and segment, * and *), as promise_limit_pick() in SQL. */
const struct promise_limit *promise_limits_pick(const struct promise_limits *l, const char *jurisdiction,
                                                const char *segment);

/* The rows as a table, one line each (cobroctl limits show). */
void promise_limits_show(const struct promise_limits *l, void (*line)(const char *s, void *arg), void *arg);

/* The version in force, read from the database. */
struct stored_limits {
	int version;
	char loaded_at[40];
	char loaded_by[64];
	char source[256];
	char *text;
	struct promise_limits limits;
};
bool promise_limits_current(struct db *db, struct stored_limits *out, char *err, size_t errlen);
void stored_limits_free(struct stored_limits *s);

/* Stores a parsed file as a new version (with the diff from the version in
 * force); returns its number, or -1 with err (nothing stored). */
int promise_limits_store(struct db *db, const char *source, const char *text, const struct promise_limits *l,
                         char *err, size_t errlen);

#endif
