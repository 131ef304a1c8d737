/* The schema, compiled into the binary (scripts/embed-sql.sh):
 *   - versioned migrations, src/sql/NNN_name.sql: tables, indexes, policies,
 *     grants and data changes, each applied once, in version order, and
 *     recorded in cobro.schema_migration with its checksum;
 *   - function files, src/sql/functions/NAME.sql: every function (and view),
 *     each written in one file and applied again whenever its text differs
 *     from the checksum recorded in cobro.schema_function, after the
 *     versioned migrations, as Flyway's repeatable migrations are.
 * Two comment lines of a file speak to the runner:
 *   -- uses: functions/a.sql functions/b.sql
 *	the function files this one needs first: a function file's are applied
 *	before it; a migration's (whose policies, triggers or data changes call
 *	them) are applied just before it, when they are not applied already;
 *   -- supersedes: MD5
 *	(migrations only) the checksum of an earlier text of this migration that
 *	left the schema as this one does: a database that recorded it takes the
 *	new text without running it (the runner rewrites the ledger's line, as
 *	Flyway's repair does). */
#ifndef COBRO_MIGRATE_H
#define COBRO_MIGRATE_H

#include <stdbool.h>
#include <stdio.h>

#include "db.h"

struct migration {
	int version;       /* 0 for a function file */
	const char *name;  /* "003_security.sql", "functions/account_screen.sql" */
	const char *sql;
};

/* Versioned migrations in version order; function files by name. */
extern const struct migration migrations[];
extern const int migrations_count;
extern const struct migration sql_functions[];
extern const int sql_functions_count;

/* The longest file name a "uses" line may hold. */
#define MIGRATE_NAME_MAX 64

/* The names on the "-- uses:" lines of sql, in the order written, into
 * names (at most max). Returns how many there are (more than max when they
 * did not all fit). */
int migrate_uses(const char *sql, char names[][MIGRATE_NAME_MAX], int max);

/* Whether m's text says it supersedes the text whose md5 is checksum. */
bool migrate_supersedes(const struct migration *m, const char *checksum);

/* The order to apply the n function files in: each after the files it uses,
 * otherwise by name (files[] is sorted by name). Fills order[] with indexes
 * into files. False, with why, on a file that uses one that does not exist
 * or on a circle of uses. */
bool migrate_order(const struct migration *files, int n, int *order, char *why, size_t whylen);

enum migrate_state {
	MIGRATE_APPLIED,   /* recorded with this very text */
	MIGRATE_PENDING,   /* not recorded: applied next */
	MIGRATE_CHANGED,   /* a function file recorded with another text: applied again */
	MIGRATE_REWRITTEN, /* a migration recorded with a text this one supersedes: accepted as it is */
	MIGRATE_REFUSED,   /* a migration recorded with another text that it does not supersede */
};

struct migrate_step {
	const struct migration *m;
	enum migrate_state state;
};

/* What migrate_apply() would do: the versioned migrations in version order,
 * then the function files in the order they are applied. */
struct migrate_plan {
	struct migrate_step *steps;
	int n;
	int todo;      /* steps not MIGRATE_APPLIED */
	int refused;   /* steps MIGRATE_REFUSED */
};

/* Reads both ledgers. False on a database error (db->err). */
bool migrate_plan(struct db *db, struct migrate_plan *plan);
void migrate_plan_free(struct migrate_plan *plan);

/* Brings the schema up to date under an advisory lock (two cobroctl migrate
 * at once wait for each other): accepts the rewritten migrations, applies
 * every versioned migration not recorded, each in its own transaction with
 * the function files it uses, then every function file whose text is not
 * the one recorded, all in one transaction. Reports each step on out (may be
 * NULL). A migration changed after it was applied stops everything before
 * anything is done: history is not rewritten without a "supersedes" line.
 * Returns the number of files applied, or -1 with db->err set, naming the
 * file that failed; that file's transaction is rolled back. */
int migrate_apply(struct db *db, FILE *out);

/* The highest applied version, 0 for an empty database, -1 on error. */
int migrate_current(struct db *db);

#endif
