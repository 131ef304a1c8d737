/* The promise keeper's one call (the work is in the database, set-based). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "promise_keep.h"

bool promise_evaluate_at(struct db *db, int64_t at, struct promise_counts *out)
{
	char when[32];
	const char *p[1] = { at ? when : NULL };
	PGresult *r;

	memset(out, 0, sizeof *out);
	snprintf(when, sizeof when, "%" PRId64, at);
	r = db_exec(db,
	            "SELECT kept, partial, broken, late "
	            "FROM cobro.promise_evaluate(coalesce(to_timestamp($1::bigint), now()))",
	            1, p);
	if (!r)
		return false;
	out->kept = atol(PQgetvalue(r, 0, 0));
	out->partial = atol(PQgetvalue(r, 0, 1));
	out->broken = atol(PQgetvalue(r, 0, 2));
	out->late = atol(PQgetvalue(r, 0, 3));
	PQclear(r);
	return true;
}
