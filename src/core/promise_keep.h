/* The promise keeper: each due installment decided kept, partial, broken or
 * late, and each promise kept or broken (functions/promise_keeper.sql,
 * docs/promises.md). cobrod runs it every promises.evaluate_every seconds,
 * `cobroctl promises evaluate [--at TIME]` on demand. */
#ifndef COBRO_PROMISE_KEEP_H
#define COBRO_PROMISE_KEEP_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"

/* What one evaluation decided: promises newly kept and broken, installments
 * newly partial and late. */
struct promise_counts {
	long kept, partial, broken, late;
};

/* Evaluates every promise in question as of at (Unix seconds; 0: the
 * database's now()), in one transaction of its own. False with db->err. */
bool promise_evaluate_at(struct db *db, int64_t at, struct promise_counts *out);

#endif
