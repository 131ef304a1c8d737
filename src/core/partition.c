#include "partition.h"

#include <stdio.h>
#include <stdlib.h>

int partition_keep(struct db *db, int ahead, struct partition_made *made, int max)
{
	char a[16];
	const char *p[1] = { a };
	PGresult *r;
	int n;

	snprintf(a, sizeof a, "%d", ahead);
	if (!(r = db_exec(db, "SELECT partition_name, moved FROM cobro.event_partitions_keep($1::integer)", 1, p)))
		return -1;
	n = PQntuples(r);
	for (int i = 0; made && i < n && i < max; i++) {
		snprintf(made[i].name, sizeof made[i].name, "%s", PQgetvalue(r, i, 0));
		made[i].moved = atoll(PQgetvalue(r, i, 1));
	}
	PQclear(r);
	return n;
}

bool partition_range(struct db *db, char *first, char *last, size_t n)
{
	/* From the catalogue, which everyone may read: the partitions
	 * themselves are granted to no one. */
	PGresult *r = db_exec(db,
	                      "SELECT coalesce(replace(substr(min(c.relname), 7), '_', '-'), ''), "
	                      "       coalesce(replace(substr(max(c.relname), 7), '_', '-'), '') "
	                      "FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
	                      "WHERE i.inhparent = 'cobro.event'::regclass AND c.relname ~ '^event_[0-9]{4}_[0-9]{2}$'",
	                      0, NULL);

	if (!r)
		return false;
	snprintf(first, n, "%s", PQgetvalue(r, 0, 0));
	snprintf(last, n, "%s", PQgetvalue(r, 0, 1));
	PQclear(r);
	return true;
}
