/* The history's monthly partitions, kept ahead of the clock whatever the
 * year (src/sql/functions/event_partitions.sql): cobrod on start and once a
 * day, cobroctl init, migrate and maintenance partitions on demand. */
#ifndef COBRO_PARTITION_H
#define COBRO_PARTITION_H

#include <stdbool.h>
#include <stddef.h>

#include "db.h"

/* Months made ahead of the current one. cobrod makes them a day at a time,
 * so a daemon down for weeks still finds its month ready; a row whose month
 * has none lands in event_default and moves into the month's partition when
 * it is made. */
#define PARTITION_MONTHS_AHEAD 3

struct partition_made {
	char name[32];       /* event_YYYY_MM */
	long long moved;     /* rows it took from event_default */
};

/* Makes the partition of every month that has rows in event_default (they
 * move in) and of the current month and the ahead after it, in one
 * transaction. Fills made[] with up to max of those made (made may be NULL)
 * and returns how many were made, or -1 with db->err. */
int partition_keep(struct db *db, int ahead, struct partition_made *made, int max);

/* The first and last month with a partition, "YYYY-MM" ("" when none). */
bool partition_range(struct db *db, char *first, char *last, size_t n);

#endif
