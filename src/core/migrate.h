/* Versioned schema migrations (src/sql/NNN_name.sql), compiled into the binary. */
#ifndef COBRO_MIGRATE_H
#define COBRO_MIGRATE_H

#include <stdio.h>

#include "db.h"

struct migration {
	int version;
	const char *name;
	const char *sql;
};

extern const struct migration migrations[];
extern const int migrations_count;

/* Applies every migration not yet recorded, each in its own transaction, in
 * version order; reports each one applied on out (may be NULL). A recorded
 * migration whose text has changed since is an error: history is not rewritten.
 * Returns the number applied, or -1 with db->err set. */
int migrate_apply(struct db *db, FILE *out);

/* The highest applied version, 0 for an empty database, -1 on error. */
int migrate_current(struct db *db);

#endif
