#include "db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Server notices would scribble over a curses screen; they are not errors. */
static void notice_ignore(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static void set_err(struct db *db, const char *msg, const char *sqlstate)
{
	size_t n;

	snprintf(db->err, sizeof db->err, "%s", msg ? msg : "unknown error");
	/* libpq messages end in a newline and may run over several lines. */
	n = strcspn(db->err, "\n");
	db->err[n] = '\0';
	snprintf(db->sqlstate, sizeof db->sqlstate, "%s", sqlstate ? sqlstate : "");
}

bool db_connect(struct db *db, const char *conninfo, const char *user, const char *appname)
{
	return db_connect_login(db, conninfo, user, NULL, appname);
}

bool db_connect_login(struct db *db, const char *conninfo, const char *user, const char *password,
                      const char *appname)
{
	const char *keys[7], *vals[7];
	int n = 0;

	memset(db, 0, sizeof *db);
	db->conninfo = xstrdup(conninfo ? conninfo : "");
	db->user = user ? xstrdup(user) : NULL;

	/* expand_dbname: the first dbname is parsed as a conninfo string; later
	 * keywords override it, so --user wins over the configuration. */
	keys[n] = "dbname", vals[n++] = db->conninfo[0] ? db->conninfo : NULL;
	if (user)
		keys[n] = "user", vals[n++] = user;
	/* Kept by libpq inside the connection, so PQreset() reconnects with it. */
	if (password)
		keys[n] = "password", vals[n++] = password;
	keys[n] = "application_name", vals[n++] = appname;
	keys[n] = "client_encoding", vals[n++] = "UTF8";
	/* A reconnection attempt must not hang the screen on an unreachable host. */
	keys[n] = "connect_timeout", vals[n++] = "5";
	keys[n] = NULL, vals[n] = NULL;
	if (!vals[0]) {
		/* NULL value ends the list in libpq; drop the empty dbname instead. */
		memmove(keys, keys + 1, sizeof keys - sizeof keys[0]);
		memmove(vals, vals + 1, sizeof vals - sizeof vals[0]);
	}
	db->conn = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		set_err(db, PQerrorMessage(db->conn), "08006");
		return false;
	}
	PQsetNoticeProcessor(db->conn, notice_ignore, NULL);
	return true;
}

bool db_connect_like(struct db *out, const struct db *db, const char *appname)
{
	/* The password libpq used (typed by the person, or read from
	 * PGPASSWORD or the password file) serves again; NULL when none. */
	const char *pw = db->conn && PQconnectionUsedPassword(db->conn) ? PQpass(db->conn) : NULL;

	return db_connect_login(out, db->conninfo, db->user, pw && *pw ? pw : NULL, appname);
}

const char *db_time_zone(const struct db *db)
{
	const char *z = db->conn ? PQparameterStatus(db->conn, "TimeZone") : NULL;

	return z ? z : "";
}

bool db_login_refused(const struct db *db)
{
	if (!db->conn || PQstatus(db->conn) == CONNECTION_OK)
		return false;
	/* Asked for a password and had none, or sent one and was turned away
	 * (a wrong password, or a user the server does not know: it answers
	 * both alike). libpq says so itself, whatever the server's language. */
	return PQconnectionNeedsPassword(db->conn) || PQconnectionUsedPassword(db->conn);
}

void db_close(struct db *db)
{
	if (db->conn)
		PQfinish(db->conn);
	free(db->conninfo);
	free(db->user);
	memset(db, 0, sizeof *db);
}

PGresult *db_exec(struct db *db, const char *sql, int nparams, const char *const *params)
{
	PGresult *res = PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(res);

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
		db->err[0] = db->sqlstate[0] = '\0';
		return res;
	}
	if (PQstatus(db->conn) == CONNECTION_BAD)
		set_err(db, PQerrorMessage(db->conn), "08006");
	else
		set_err(db, PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY),
		        PQresultErrorField(res, PG_DIAG_SQLSTATE));
	PQclear(res);
	return NULL;
}

bool db_run(struct db *db, const char *sql, int nparams, const char *const *params)
{
	PGresult *res = db_exec(db, sql, nparams, params);

	PQclear(res);
	return res != NULL;
}

bool db_cmd(struct db *db, const char *sql) { return db_run(db, sql, 0, NULL); }

enum db_error_class db_classify(const char *s)
{
	if (!s || !*s)
		return DB_OK;
	if (!strcmp(s, "40001") || !strcmp(s, "40P01"))
		return DB_RETRY;
	if (!strncmp(s, "08", 2) || !strcmp(s, "57P01") || !strcmp(s, "57P02") || !strcmp(s, "57P03"))
		return DB_CONNECTION;
	if (!strncmp(s, "23", 2) || !strncmp(s, "22", 2))
		return DB_CONSTRAINT;
	if (!strcmp(s, "42501"))
		return DB_DENIED;
	return DB_OTHER;
}

bool db_copy_begin(struct db *db, const char *copy_sql)
{
	PGresult *res = PQexec(db->conn, copy_sql);
	bool ok = PQresultStatus(res) == PGRES_COPY_IN;

	if (!ok)
		set_err(db, PQerrorMessage(db->conn), PQresultErrorField(res, PG_DIAG_SQLSTATE));
	PQclear(res);
	return ok;
}

bool db_copy_put(struct db *db, const char *data, size_t len)
{
	if (PQputCopyData(db->conn, data, (int)len) != 1) {
		set_err(db, PQerrorMessage(db->conn), "08006");
		return false;
	}
	return true;
}

bool db_copy_end(struct db *db)
{
	PGresult *res;
	bool ok = true;

	if (PQputCopyEnd(db->conn, NULL) != 1) {
		set_err(db, PQerrorMessage(db->conn), "08006");
		return false;
	}
	while ((res = PQgetResult(db->conn))) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			set_err(db, PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY),
			        PQresultErrorField(res, PG_DIAG_SQLSTATE));
			ok = false;
		}
		PQclear(res);
	}
	return ok;
}

/* COPY text of one value: backslash, tab and line breaks escaped; NULL is \N. */
void db_copy_field(struct buf *b, const char *s, bool last)
{
	if (!s) {
		buf_add(b, "\\N", 2);
	} else {
		for (const char *p = s; *p; p++) {
			switch (*p) {
			case '\\': buf_add(b, "\\\\", 2); break;
			case '\t': buf_add(b, "\\t", 2); break;
			case '\n': buf_add(b, "\\n", 2); break;
			case '\r': buf_add(b, "\\r", 2); break;
			default: {
				size_t n = strcspn(p, "\\\t\n\r");

				buf_add(b, p, n);
				p += n - 1;
			}
			}
		}
	}
	buf_add(b, last ? "\n" : "\t", 1);
}
