/* The database connection, used the way psql and pgbench use libpq:
 * parameterised statements only, the exact expected result status checked,
 * every result cleared, SQLSTATE classified, notices kept off the screen. */
#ifndef COBRO_DB_H
#define COBRO_DB_H

#include <libpq-fe.h>
#include <stdbool.h>

struct buf;

struct db {
	PGconn *conn;
	char *conninfo;     /* as given, for reconnecting */
	char *user;         /* override of the conninfo's user, or NULL */
	char err[512];      /* last error, one line, no secrets */
	char sqlstate[6];
};

enum db_error_class {
	DB_OK,
	DB_RETRY,       /* serialization failure, deadlock: run the transaction again */
	DB_CONNECTION,  /* the connection is gone: reconnect */
	DB_CONSTRAINT,  /* bad data: tell the person */
	DB_DENIED,      /* row-level security or a missing grant */
	DB_OTHER,
};

/* Connects; conninfo may be NULL or "" (libpq defaults and PG* variables) or a
 * service name ("service=cobro"). user, when not NULL, overrides the login. */
bool db_connect(struct db *db, const char *conninfo, const char *user, const char *appname);

/* db_connect with a password typed by the person (NULL: libpq finds one, in
 * PGPASSWORD or the password file, or needs none). */
bool db_connect_login(struct db *db, const char *conninfo, const char *user, const char *password,
                      const char *appname);

/* Another connection like db's (the same conninfo and login, the password
 * db's connection was given or found, if any), for work beside it. */
bool db_connect_like(struct db *out, const struct db *db, const char *appname);

/* After a failed connect: the server wants a password libpq had none of, or
 * refused the one it was given, so asking the person may help. */
bool db_login_refused(const struct db *db);
/* The session's time zone, as the server reports it (the zone every time
 * the database formats is in): "" when not connected. */
const char *db_time_zone(const struct db *db);
void db_close(struct db *db);

/* Runs sql with text parameters (NULL entries are SQL NULL). Returns the result
 * when its status is PGRES_COMMAND_OK or PGRES_TUPLES_OK, else NULL with db->err
 * and db->sqlstate set. The caller PQclear()s a non-NULL result. */
PGresult *db_exec(struct db *db, const char *sql, int nparams, const char *const *params);

/* Like db_exec for statements whose result nobody reads. */
bool db_run(struct db *db, const char *sql, int nparams, const char *const *params);

/* db_run of a parameterless statement (BEGIN, COMMIT, ROLLBACK). */
bool db_cmd(struct db *db, const char *sql);

enum db_error_class db_classify(const char *sqlstate);

/* Streams rows into COPY ... FROM STDIN. Data is COPY text format. */
bool db_copy_begin(struct db *db, const char *copy_sql);
bool db_copy_put(struct db *db, const char *data, size_t len);
bool db_copy_end(struct db *db);
/* Appends one value to a row of COPY text: backslash, tab and line breaks
 * escaped, NULL as \N, then a tab, or a newline after the last value. */
void db_copy_field(struct buf *b, const char *s, bool last);

#endif
