/* The schema compiled into the programs (src/sql/NNN_name.sql and
 * src/sql/functions/NAME.sql, embedded by scripts/embed-sql.sh): numbered in
 * order, and written the way the runner expects. migrate_apply wraps each
 * file in a transaction, so a file must not open or close transactions
 * itself, and whatever it SETs must end with that transaction. Functions are
 * written once, in the function files, and each file says which others it
 * needs first ("-- uses:"); the runner's order is tested here on the real
 * files and on bad examples. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "migrate.h"
#include "util.h"

/* ------------------------------------------------ a small SQL statement scanner */

/* The statements of a migration at the top level: comments, string literals,
 * quoted identifiers and dollar-quoted bodies (DO blocks, functions) skipped,
 * so that the BEGIN of a PL/pgSQL block is not taken for a transaction. Each
 * statement is kept as its words in upper case, separated by one space. */
struct stmt {
	char *words;
	int line;
};

struct stmts {
	struct stmt *v;
	int n;
};

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '$';
}

/* At s[0] == '$': the length of a dollar-quote tag ("$$", "$body$"), or 0. */
static size_t dollar_tag(const char *s)
{
	size_t i = 1;

	if (isdigit((unsigned char)s[1]))
		return 0; /* $1: a parameter */
	while (isalnum((unsigned char)s[i]) || s[i] == '_')
		i++;
	return s[i] == '$' ? i + 1 : 0;
}

static void stmts_push(struct stmts *out, struct buf *words, int line)
{
	if (words->len == 0)
		return;
	out->v = xrealloc(out->v, sizeof *out->v * (size_t)(out->n + 1));
	out->v[out->n].words = xstrdup(words->s);
	out->v[out->n].line = line;
	out->n++;
	buf_free(words);
}

static void stmts_free(struct stmts *s)
{
	for (int i = 0; i < s->n; i++)
		free(s->v[i].words);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

static bool last_word_is(const struct buf *words, const char *w)
{
	size_t n = strlen(w);

	return words->len >= n && strcmp(words->s + words->len - n, w) == 0 &&
	       (words->len == n || words->s[words->len - n - 1] == ' ');
}

/* Returns false (with *why) when the text cannot be scanned: an unterminated
 * comment, literal or dollar quote. */
static bool sql_statements(const char *sql, struct stmts *out, const char **why)
{
	struct buf words = {0};
	const char *p = sql;
	int line = 1, start_line = 1;
	int atomic = 0; /* inside BEGIN ATOMIC ... END, where ';' does not end a statement */

	memset(out, 0, sizeof *out);
	while (*p) {
		if (*p == '\n') {
			line++;
			p++;
		} else if (isspace((unsigned char)*p)) {
			p++;
		} else if (p[0] == '-' && p[1] == '-') {
			p += strcspn(p, "\n");
		} else if (p[0] == '/' && p[1] == '*') {
			int depth = 1; /* PostgreSQL's block comments nest */

			for (p += 2; *p && depth; p++) {
				if (*p == '\n')
					line++;
				else if (p[0] == '/' && p[1] == '*')
					depth++, p++;
				else if (p[0] == '*' && p[1] == '/')
					depth--, p++;
			}
			if (depth) {
				*why = "unterminated /* comment";
				goto bad;
			}
		} else if (*p == '\'' || *p == '"') {
			char q = *p;
			bool escapes = q == '\'' && p > sql && (p[-1] == 'E' || p[-1] == 'e') &&
				       (p - 1 == sql || !ident_char(p[-2]));

			if (words.len == 0)
				start_line = line;
			buf_puts(&words, words.len ? " ?" : "?");
			for (p++;; p++) {
				if (!*p) {
					*why = q == '"' ? "unterminated quoted identifier"
							: "unterminated string";
					goto bad;
				}
				if (*p == '\n')
					line++;
				if (escapes && *p == '\\' && p[1]) {
					p++;
					continue;
				}
				if (*p == q) {
					if (p[1] == q) {
						p++;
						continue;
					}
					break;
				}
			}
			p++;
		} else if (*p == '$' && (p == sql || !ident_char(p[-1])) && dollar_tag(p)) {
			size_t n = dollar_tag(p);
			char tag[64];
			const char *end;

			snprintf(tag, sizeof tag, "%.*s", (int)n, p);
			end = strstr(p + n, tag);
			if (!end) {
				*why = "unterminated dollar quote";
				goto bad;
			}
			for (const char *c = p; c < end; c++)
				line += *c == '\n';
			if (words.len == 0)
				start_line = line;
			buf_puts(&words, words.len ? " $BODY$" : "$BODY$");
			p = end + n;
		} else if (*p == ';' && !atomic) {
			stmts_push(out, &words, start_line);
			p++;
		} else if (isalpha((unsigned char)*p) || *p == '_') {
			const char *w = p;

			while (ident_char(*p))
				p++;
			if (words.len == 0)
				start_line = line;
			if (words.len)
				buf_puts(&words, " ");
			for (const char *c = w; c < p; c++) {
				char u = (char)toupper((unsigned char)*c);

				buf_add(&words, &u, 1);
			}
			if (last_word_is(&words, "ATOMIC") && words.len >= 12 &&
			    strcmp(words.s + words.len - 12, "BEGIN ATOMIC") == 0)
				atomic++;
			else if (atomic && last_word_is(&words, "CASE"))
				atomic++;
			else if (atomic && last_word_is(&words, "END"))
				atomic--;
		} else {
			p++; /* punctuation, numbers' digits, operators */
		}
	}
	stmts_push(out, &words, start_line);
	return true;
bad:
	buf_free(&words);
	stmts_free(out);
	return false;
}

static struct stmts scan(const struct migration *m)
{
	struct stmts s;
	const char *why = NULL;

	if (!sql_statements(m->sql, &s, &why))
		fail_msg("%s: %s", m->name, why);
	return s;
}

static bool starts_with_words(const char *words, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(words, prefix, n) == 0 && (words[n] == '\0' || words[n] == ' ');
}

/* ----------------------------------------------------- the scanner itself */

static void scanner_splits_and_skips_what_it_should(void **state)
{
	struct stmts s;
	const char *why = NULL;

	(void)state;
	assert_true(
	    sql_statements("-- BEGIN; in a comment\n"
			   "SET LOCAL ROLE cobro_owner;\n"
			   "/* COMMIT; /* nested */ still a comment */\n"
			   "SELECT 'it''s; COMMIT;', \"odd;name\" FROM t;\n"
			   "DO $$ BEGIN PERFORM 1; END $$;\n"
			   "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $fn$ BEGIN; COMMIT; $fn$;\n"
			   "SELECT E'a\\'; COMMIT;' ;\n"
			   "CREATE FUNCTION g() RETURNS int LANGUAGE sql\n"
			   "BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END;\n"
			   "SELECT $1::int",
			   &s, &why));
	assert_int_equal(s.n, 7);
	assert_string_equal(s.v[0].words, "SET LOCAL ROLE COBRO_OWNER");
	assert_int_equal(s.v[0].line, 2);
	assert_string_equal(s.v[1].words, "SELECT ? ? FROM T");
	assert_int_equal(s.v[1].line, 4);
	assert_string_equal(s.v[2].words, "DO $BODY$");
	assert_string_equal(s.v[3].words, "CREATE FUNCTION F RETURNS INT LANGUAGE SQL AS $BODY$");
	assert_string_equal(s.v[4].words, "SELECT E ?");
	assert_true(starts_with_words(s.v[5].words, "CREATE FUNCTION G"));
	assert_int_equal(s.v[5].line, 8);
	assert_string_equal(s.v[6].words, "SELECT INT");
	stmts_free(&s);
}

static void scanner_finds_transaction_control(void **state)
{
	struct stmts s;
	const char *why = NULL;

	(void)state;
	assert_true(sql_statements("CREATE TABLE t (x int);\nCOMMIT;\nbegin;\nEND;\n", &s, &why));
	assert_int_equal(s.n, 4);
	assert_string_equal(s.v[1].words, "COMMIT");
	assert_int_equal(s.v[1].line, 2);
	assert_string_equal(s.v[2].words, "BEGIN");
	assert_string_equal(s.v[3].words, "END");
	stmts_free(&s);
	assert_false(sql_statements("SELECT 'open;", &s, &why));
	assert_string_equal(why, "unterminated string");
	assert_false(sql_statements("DO $x$ BEGIN END $y$;", &s, &why));
	assert_string_equal(why, "unterminated dollar quote");
}

/* ------------------------------------------------------------ the table */

/* Every file of the schema: the migrations, then the function files. */
static const struct migration *file_at(int i)
{
	return i < migrations_count ? &migrations[i] : &sql_functions[i - migrations_count];
}

static int files_count(void)
{
	return migrations_count + sql_functions_count;
}


static void table_is_not_empty(void **state)
{
	(void)state;
	assert_true(migrations_count >= 1);
}

static void versions_increase_strictly_from_one(void **state)
{
	(void)state;
	assert_int_equal(migrations[0].version, 1);
	for (int i = 1; i < migrations_count; i++)
		if (migrations[i].version <= migrations[i - 1].version)
			fail_msg("%s (version %d) comes after %s (version %d)", migrations[i].name,
				 migrations[i].version, migrations[i - 1].name, migrations[i - 1].version);
}

static void versions_have_no_gaps(void **state)
{
	(void)state;
	/* A gap is how a migration lost in a merge would show. */
	for (int i = 0; i < migrations_count; i++)
		if (migrations[i].version != i + 1)
			fail_msg("%s is version %d, expected %d", migrations[i].name, migrations[i].version,
				 i + 1);
}

static void names_are_nnn_words_sql(void **state)
{
	(void)state;
	for (int i = 0; i < migrations_count; i++) {
		const char *n = migrations[i].name;
		size_t len = strlen(n);
		char want[16];

		if (len < 9 || !isdigit((unsigned char)n[0]) || !isdigit((unsigned char)n[1]) ||
		    !isdigit((unsigned char)n[2]) || n[3] != '_' || strcmp(n + len - 4, ".sql") != 0)
			fail_msg("\"%s\" is not NNN_name.sql", n);
		for (const char *c = n + 4; c < n + len - 4; c++)
			if (!islower((unsigned char)*c) && !isdigit((unsigned char)*c) && *c != '_')
				fail_msg("\"%s\": use lower case, digits and _ in the name", n);
		snprintf(want, sizeof want, "%03d_", migrations[i].version);
		if (strncmp(n, want, 4) != 0)
			fail_msg("\"%s\" holds version %d", n, migrations[i].version);
	}
}

static void names_are_unique(void **state)
{
	(void)state;
	for (int i = 0; i < migrations_count; i++)
		for (int j = i + 1; j < migrations_count; j++)
			if (strcmp(migrations[i].name + 4, migrations[j].name + 4) == 0)
				fail_msg("%s and %s have the same name", migrations[i].name,
					 migrations[j].name);
}

static void texts_are_not_empty(void **state)
{
	(void)state;
	for (int i = 0; i < files_count(); i++) {
		const struct migration *m = file_at(i);
		struct stmts s;

		if (!m->sql || !m->sql[0])
			fail_msg("%s is empty", m->name);
		s = scan(m);
		if (s.n == 0)
			fail_msg("%s holds only comments", m->name);
		stmts_free(&s);
	}
}

static void texts_end_with_a_newline(void **state)
{
	(void)state;
	for (int i = 0; i < files_count(); i++) {
		size_t n = strlen(file_at(i)->sql);

		if (n == 0 || file_at(i)->sql[n - 1] != '\n')
			fail_msg("%s does not end with a newline", file_at(i)->name);
	}
}

static void texts_scan_cleanly(void **state)
{
	(void)state;
	for (int i = 0; i < files_count(); i++) {
		struct stmts s = scan(file_at(i));

		stmts_free(&s);
	}
}

static void function_files_are_named_functions_words_sql(void **state)
{
	(void)state;
	assert_true(sql_functions_count >= 1);
	for (int i = 0; i < sql_functions_count; i++) {
		const char *n = sql_functions[i].name;
		size_t len = strlen(n);

		if (sql_functions[i].version != 0 || strncmp(n, "functions/", 10) != 0 || len < 15 ||
		    strcmp(n + len - 4, ".sql") != 0)
			fail_msg("\"%s\" is not functions/NAME.sql", n);
		for (const char *c = n + 10; c < n + len - 4; c++)
			if (!islower((unsigned char)*c) && !isdigit((unsigned char)*c) && *c != '_')
				fail_msg("\"%s\": use lower case, digits and _ in the name", n);
		if (len >= MIGRATE_NAME_MAX)
			fail_msg("\"%s\" is longer than a uses line takes", n);
		if (i > 0 && strcmp(sql_functions[i - 1].name, n) >= 0)
			fail_msg("%s comes after %s: the table is sorted by name", n, sql_functions[i - 1].name);
	}
}

/* ------------------------------------------------------- the conventions */

/* Each check returns NULL when m follows the convention, else why not (in a
 * static buffer). They are tried on the real table and on bad examples, so a
 * check that cannot fail does not pass unnoticed. */
typedef const char *(*convention_fn)(const struct migration *m);

static char why_buf[256];

/* Objects belong to cobro_owner, never to whoever ran cobroctl migrate. */
static const char *owner_first(const struct migration *m)
{
	struct stmts s;

	if (m->version == 1)
		return NULL; /* it creates the roles, as the superuser */
	s = scan(m);
	if (s.n > 0 && strcmp(s.v[0].words, "SET LOCAL ROLE COBRO_OWNER") == 0) {
		stmts_free(&s);
		return NULL;
	}
	snprintf(why_buf, sizeof why_buf,
		 "%s: the first statement must be SET LOCAL ROLE cobro_owner, not %.100s", m->name,
		 s.n ? s.v[0].words : "(nothing)");
	stmts_free(&s);
	return why_buf;
}

static const char *const transaction_control[] = {
    "BEGIN",           "COMMIT", "END", "ROLLBACK", "ABORT", "START TRANSACTION", "PREPARE TRANSACTION",
    "SET TRANSACTION",
};

/* migrate_apply runs each file inside its own BEGIN ... COMMIT: a COMMIT in the
 * file would record half a migration. */
static const char *no_transaction_control(const struct migration *m)
{
	struct stmts s = scan(m);

	for (int j = 0; j < s.n; j++)
		for (size_t k = 0; k < ARRAY_SIZE(transaction_control); k++)
			if (starts_with_words(s.v[j].words, transaction_control[k])) {
				snprintf(why_buf, sizeof why_buf,
					 "%s:%d: %s: the runner wraps each migration in one transaction",
					 m->name, s.v[j].line, transaction_control[k]);
				stmts_free(&s);
				return why_buf;
			}
	stmts_free(&s);
	return NULL;
}

/* These fail inside a transaction block, so inside migrate_apply. */
static const char *no_transaction_refusers(const struct migration *m)
{
	static const char *const refused[] = {
	    "VACUUM",          "CREATE DATABASE", "DROP DATABASE", "ALTER SYSTEM", "CREATE TABLESPACE",
	    "DROP TABLESPACE", "CLUSTER",         "CHECKPOINT",
	};
	struct stmts s = scan(m);

	for (int j = 0; j < s.n; j++) {
		bool bad = strstr(s.v[j].words, " CONCURRENTLY") != NULL;

		for (size_t k = 0; k < ARRAY_SIZE(refused); k++)
			bad = bad || starts_with_words(s.v[j].words, refused[k]);
		if (bad) {
			snprintf(why_buf, sizeof why_buf,
				 "%s:%d: cannot run inside the migration's transaction", m->name,
				 s.v[j].line);
			stmts_free(&s);
			return why_buf;
		}
	}
	stmts_free(&s);
	return NULL;
}

/* A plain SET outlives the migration's transaction and leaks into the next
 * one and into the ledger insert; SET LOCAL ends with it. */
static const char *set_local_only(const struct migration *m)
{
	struct stmts s = scan(m);

	for (int j = 0; j < s.n; j++)
		if (starts_with_words(s.v[j].words, "SET") && !starts_with_words(s.v[j].words, "SET LOCAL") &&
		    !starts_with_words(s.v[j].words, "SET CONSTRAINTS")) {
			snprintf(why_buf, sizeof why_buf, "%s:%d: use SET LOCAL", m->name, s.v[j].line);
			stmts_free(&s);
			return why_buf;
		}
	stmts_free(&s);
	return NULL;
}

static void table_follows(convention_fn check)
{
	for (int i = 0; i < files_count(); i++) {
		const char *why = check(file_at(i));

		if (why)
			fail_msg("%s", why);
	}
}

static void later_migrations_start_as_the_owner(void **state)
{
	(void)state;
	table_follows(owner_first);
}

static void no_transaction_control_at_statement_level(void **state)
{
	(void)state;
	table_follows(no_transaction_control);
}

static void nothing_that_refuses_a_transaction_block(void **state)
{
	(void)state;
	table_follows(no_transaction_refusers);
}

static void settings_are_set_local(void **state)
{
	(void)state;
	table_follows(set_local_only);
}

static const char *verdict(convention_fn check, int version, const char *sql)
{
	static struct migration m;

	m = (struct migration){version, "009_example.sql", sql};
	return check(&m);
}

/* The checks themselves, on good and bad examples. */
static void conventions_catch_bad_migrations(void **state)
{
	(void)state;
	assert_null(verdict(owner_first, 9, "-- why\nSET LOCAL ROLE cobro_owner;\nCREATE TABLE t ();\n"));
	assert_null(verdict(owner_first, 9, "/* c */ set  local\n role cobro_owner ;"));
	assert_null(verdict(owner_first, 1, "CREATE ROLE cobro_owner;"));
	assert_string_equal(
	    verdict(owner_first, 9, "CREATE TABLE t ();\nSET LOCAL ROLE cobro_owner;\n"),
	    "009_example.sql: the first statement must be SET LOCAL ROLE cobro_owner, not CREATE TABLE T");
	assert_non_null(verdict(owner_first, 9, "SET ROLE cobro_owner;"));
	assert_non_null(verdict(owner_first, 9, "SET LOCAL ROLE postgres;"));
	assert_non_null(verdict(owner_first, 9, "-- only a comment\n"));

	assert_null(verdict(no_transaction_control, 9,
			    "DO $$ BEGIN NULL; END $$;\nCREATE TEMP TABLE x () ON COMMIT DROP;\n"));
	assert_string_equal(verdict(no_transaction_control, 9, "SET LOCAL ROLE cobro_owner;\n\nCOMMIT;\n"),
			    "009_example.sql:3: COMMIT: the runner wraps each migration in one transaction");
	assert_non_null(verdict(no_transaction_control, 9, "BEGIN;\nCREATE TABLE t ();\n"));
	assert_non_null(verdict(no_transaction_control, 9, "begin transaction;"));
	assert_non_null(verdict(no_transaction_control, 9, "SELECT 1;\nEND;"));
	assert_non_null(
	    verdict(no_transaction_control, 9, "START TRANSACTION ISOLATION LEVEL SERIALIZABLE;"));
	assert_non_null(verdict(no_transaction_control, 9, "CREATE TABLE t ();\nROLLBACK;"));

	assert_null(verdict(no_transaction_refusers, 9, "CREATE INDEX i ON t (x);"));
	assert_non_null(verdict(no_transaction_refusers, 9, "CREATE INDEX CONCURRENTLY i ON t (x);"));
	assert_non_null(verdict(no_transaction_refusers, 9, "VACUUM ANALYZE t;"));
	assert_non_null(verdict(no_transaction_refusers, 9, "ALTER SYSTEM SET work_mem = '8MB';"));

	assert_null(verdict(set_local_only, 9,
			    "SET LOCAL search_path = cobro, public;\nSET CONSTRAINTS ALL DEFERRED;"));
	assert_string_equal(
	    verdict(set_local_only, 9, "SET LOCAL ROLE cobro_owner;\nSET search_path = cobro;\n"),
	    "009_example.sql:2: use SET LOCAL");
	assert_non_null(verdict(set_local_only, 9, "SET SESSION AUTHORIZATION cobro_owner;"));
}

/* ------------------------------------------- functions written once */

/* A migration holds the schema and data changes: a function, a view, and
 * their grants live in their function file, applied again when it changes. */
static const char *no_function_in_a_migration(const struct migration *m)
{
	static const char *const defines[] = {
	    "CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", "CREATE PROCEDURE", "CREATE OR REPLACE PROCEDURE",
	    "CREATE VIEW",     "CREATE OR REPLACE VIEW",     "ALTER FUNCTION",   "ALTER VIEW",
	};
	struct stmts s;

	if (m->version == 0)
		return NULL;
	s = scan(m);
	for (int j = 0; j < s.n; j++) {
		bool bad = (starts_with_words(s.v[j].words, "GRANT") || starts_with_words(s.v[j].words, "REVOKE")) &&
			   strstr(s.v[j].words, " ON FUNCTION ");

		for (size_t k = 0; k < ARRAY_SIZE(defines); k++)
			bad = bad || starts_with_words(s.v[j].words, defines[k]);
		if (bad) {
			snprintf(why_buf, sizeof why_buf, "%s:%d: functions and views live in src/sql/functions/",
				 m->name, s.v[j].line);
			stmts_free(&s);
			return why_buf;
		}
	}
	stmts_free(&s);
	return NULL;
}

/* A function file is applied again whenever it changes, so it holds only
 * what can be: CREATE OR REPLACE, and the grants of what it creates; and
 * the handing of a function to cobro_owner, for a function only a superuser
 * may create (LANGUAGE C: functions/contact_policy_guard.sql). */
static const char *function_file_replaces(const struct migration *m)
{
	static const char *const allowed[] = {
	    "SET LOCAL", "CREATE OR REPLACE FUNCTION", "CREATE OR REPLACE PROCEDURE", "CREATE OR REPLACE VIEW",
	    "GRANT",     "REVOKE",                     "COMMENT ON",
	};
	struct stmts s;

	if (m->version != 0)
		return NULL;
	s = scan(m);
	for (int j = 0; j < s.n; j++) {
		bool ok = false;

		for (size_t k = 0; k < ARRAY_SIZE(allowed); k++)
			ok = ok || starts_with_words(s.v[j].words, allowed[k]);
		if (starts_with_words(s.v[j].words, "ALTER FUNCTION")) {
			const char *w = s.v[j].words, *tail = " OWNER TO COBRO_OWNER";

			ok = strlen(w) > strlen(tail) && !strcmp(w + strlen(w) - strlen(tail), tail);
		}
		if (!ok) {
			snprintf(why_buf, sizeof why_buf,
				 "%s:%d: a function file holds CREATE OR REPLACE and grants only, not %.60s", m->name,
				 s.v[j].line, s.v[j].words);
			stmts_free(&s);
			return why_buf;
		}
	}
	stmts_free(&s);
	return NULL;
}

static void migrations_define_no_function(void **state)
{
	(void)state;
	table_follows(no_function_in_a_migration);
}

static void function_files_only_replace(void **state)
{
	(void)state;
	table_follows(function_file_replaces);
}

static void function_conventions_catch_bad_files(void **state)
{
	static struct migration f;

	(void)state;
	assert_string_equal(verdict(no_function_in_a_migration, 9,
				    "SET LOCAL ROLE cobro_owner;\nCREATE TABLE t ();\n\nCREATE FUNCTION f() "
				    "RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n"),
			    "009_example.sql:4: functions and views live in src/sql/functions/");
	assert_non_null(verdict(no_function_in_a_migration, 9, "create or replace view v as select 1;"));
	assert_non_null(verdict(no_function_in_a_migration, 9, "ALTER FUNCTION f() SET work_mem = '1MB';"));
	assert_non_null(verdict(no_function_in_a_migration, 9, "GRANT EXECUTE ON FUNCTION f() TO cobro_admin;"));
	assert_null(verdict(no_function_in_a_migration, 9,
			    "CREATE TRIGGER t AFTER INSERT ON x FOR EACH ROW EXECUTE FUNCTION f();\n"
			    "GRANT SELECT ON x TO cobro_admin;\nDROP FUNCTION old();\n"));

	f = (struct migration){0, "functions/example.sql",
			       "SET LOCAL ROLE cobro_owner;\nCREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql "
			       "AS $$ SELECT 1 $$;\nREVOKE ALL ON FUNCTION f() FROM PUBLIC;\n"};
	assert_null(function_file_replaces(&f));
	f.sql = "SET LOCAL ROLE cobro_owner;\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n";
	assert_string_equal(function_file_replaces(&f),
			    "functions/example.sql:2: a function file holds CREATE OR REPLACE and grants only, "
			    "not CREATE FUNCTION F RETURNS INT LANGUAGE SQL AS $BODY$");
	f.sql = "SET LOCAL ROLE cobro_owner;\nCREATE TABLE t ();\n";
	assert_non_null(function_file_replaces(&f));
	f.sql = "SET LOCAL ROLE NONE;\nCREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE C AS 'lib', 'f';\n"
		"ALTER FUNCTION f() OWNER TO cobro_owner;\n";
	assert_null(function_file_replaces(&f));
	f.sql = "SET LOCAL ROLE cobro_owner;\nALTER FUNCTION f() OWNER TO someone_else;\n";
	assert_non_null(function_file_replaces(&f));
	f.sql = "SET LOCAL ROLE cobro_owner;\nALTER FUNCTION f() SECURITY DEFINER;\n";
	assert_non_null(function_file_replaces(&f));
}

/* The text without its comments (blanked, so offsets stay), string literals
 * kept apart: what a file runs, for finding the functions it calls. */
static char *without_comments(const char *sql)
{
	char *t = xstrdup(sql);

	for (char *p = t; *p;) {
		if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				*p++ = ' ';
		} else if (p[0] == '/' && p[1] == '*') {
			char *end = strstr(p + 2, "*/");

			for (char *q = p; q < (end ? end + 2 : p + strlen(p)); q++)
				if (*q != '\n')
					*q = ' ';
			p = end ? end + 2 : p + strlen(p);
		} else if (*p == '\'') {
			/* A literal is blanked too: 'policy_state' names a key, not a call. */
			*p++ = ' ';
			while (*p) {
				if (p[0] == '\'' && p[1] == '\'') {
					p[0] = p[1] = ' ';
					p += 2;
				} else if (*p == '\'') {
					*p++ = ' ';
					break;
				} else {
					if (*p != '\n')
						*p = ' ';
					p++;
				}
			}
		} else {
			p++;
		}
	}
	return t;
}

/* Whether the words just before p (spaces and a "cobro." aside) end with
 * DROP FUNCTION or DROP FUNCTION IF EXISTS: a migration dropping the old
 * form of a function (its result type changed) does not call it, and must
 * not use its file, which would make the new form before the old is gone. */
static bool dropped_here(const char *text, const char *p)
{
	static const char *const heads[] = { "DROP FUNCTION IF EXISTS", "DROP FUNCTION" };
	const char *end = p;

	if (end - text >= 6 && strncasecmp(end - 6, "cobro.", 6) == 0)
		end -= 6;
	while (end > text && isspace((unsigned char)end[-1]))
		end--;
	for (size_t i = 0; i < sizeof heads / sizeof *heads; i++) {
		size_t n = strlen(heads[i]);

		if ((size_t)(end - text) >= n && strncasecmp(end - n, heads[i], n) == 0)
			return true;
	}
	return false;
}

/* Whether text calls name: name( with nothing of an identifier before it,
 * and not the name a DROP FUNCTION drops. */
static bool calls(const char *text, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = strstr(text, name); p; p = strstr(p + 1, name)) {
		const char *after = p + n;

		if (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
			continue;
		if (dropped_here(text, p))
			continue;
		while (*after == ' ' || *after == '\t' || *after == '\n')
			after++;
		if (*after == '(')
			return true;
	}
	return false;
}

/* The functions a file defines: the words after CREATE OR REPLACE FUNCTION,
 * lower case as written here, up to 64 of them. */
static int defined_in(const struct migration *m, char names[][64], int max)
{
	static const char key[] = "CREATE OR REPLACE FUNCTION ";
	char *t = without_comments(m->sql);
	int n = 0;

	for (const char *p = strstr(t, key); p && n < max; p = strstr(p + 1, key)) {
		const char *w = p + strlen(key);
		size_t len = strspn(w, "abcdefghijklmnopqrstuvwxyz0123456789_");

		if (strncmp(w, "cobro.", 6) == 0) {
			w += 6;
			len = strspn(w, "abcdefghijklmnopqrstuvwxyz0123456789_");
		}
		snprintf(names[n++], 64, "%.*s", (int)len, w);
	}
	free(t);
	return n;
}

static bool uses_file(const struct migration *m, const char *file)
{
	char uses[32][MIGRATE_NAME_MAX];
	int n = migrate_uses(m->sql, uses, 32);

	for (int i = 0; i < n && i < 32; i++)
		if (strcmp(uses[i], file) == 0)
			return true;
	return false;
}

static void every_function_is_defined_in_one_file(void **state)
{
	(void)state;
	for (int i = 0; i < sql_functions_count; i++) {
		char mine[64][64];
		int n = defined_in(&sql_functions[i], mine, 64);

		if (n == 0)
			fail_msg("%s defines no function", sql_functions[i].name);
		for (int j = i + 1; j < sql_functions_count; j++) {
			char theirs[64][64];
			int m = defined_in(&sql_functions[j], theirs, 64);

			for (int a = 0; a < n; a++)
				for (int b = 0; b < m; b++)
					if (strcmp(mine[a], theirs[b]) == 0)
						fail_msg("%s() is defined in %s and in %s", mine[a], sql_functions[i].name,
							 sql_functions[j].name);
		}
	}
}

/* A file that calls a function of another file (a migration's policy,
 * trigger, index or UPDATE; a function's body) names that file on a uses
 * line, so that the runner applies it first. */
static void files_name_the_function_files_they_call(void **state)
{
	(void)state;
	for (int i = 0; i < sql_functions_count; i++) {
		char names[64][64];
		int n = defined_in(&sql_functions[i], names, 64);

		for (int k = 0; k < files_count(); k++) {
			const struct migration *m = file_at(k);
			char *t;

			if (m == &sql_functions[i])
				continue;
			t = without_comments(m->sql);
			for (int a = 0; a < n; a++)
				if (calls(t, names[a]) && !uses_file(m, sql_functions[i].name)) {
					free(t);
					fail_msg("%s calls %s() of %s: add \"-- uses: %s\"", m->name, names[a],
						 sql_functions[i].name, sql_functions[i].name);
				}
			free(t);
		}
	}
}

static void function_files_have_an_order(void **state)
{
	int order[256];
	char why[256] = "";
	bool seen[256] = {false};

	(void)state;
	assert_true(sql_functions_count <= 256);
	if (!migrate_order(sql_functions, sql_functions_count, order, why, sizeof why))
		fail_msg("%s", why);
	for (int k = 0; k < sql_functions_count; k++) {
		char uses[32][MIGRATE_NAME_MAX];
		int n = migrate_uses(sql_functions[order[k]].sql, uses, 32);

		for (int u = 0; u < n; u++)
			for (int j = 0; j < sql_functions_count; j++)
				if (strcmp(sql_functions[j].name, uses[u]) == 0 && !seen[j])
					fail_msg("%s comes before %s, which it uses", sql_functions[order[k]].name, uses[u]);
		seen[order[k]] = true;
	}
	/* A migration's uses name function files too. */
	for (int i = 0; i < migrations_count; i++) {
		char uses[32][MIGRATE_NAME_MAX];
		int n = migrate_uses(migrations[i].sql, uses, 32);

		for (int u = 0; u < n; u++) {
			bool found = false;

			for (int j = 0; j < sql_functions_count; j++)
				found = found || strcmp(sql_functions[j].name, uses[u]) == 0;
			if (!found)
				fail_msg("%s uses %s, which is not a function file", migrations[i].name, uses[u]);
		}
	}
}

/* A "supersedes" line holds an md5 as the ledger records it, and only a
 * migration has one (a function file is applied again instead). */
static void supersedes_lines_hold_checksums(void **state)
{
	(void)state;
	for (int i = 0; i < files_count(); i++) {
		const struct migration *m = file_at(i);

		for (const char *p = strstr(m->sql, "-- supersedes:"); p; p = strstr(p + 1, "-- supersedes:")) {
			const char *v = p + strlen("-- supersedes:");
			size_t n;

			v += strspn(v, " ");
			n = strspn(v, "0123456789abcdef");
			if (n != 32 || (v[n] != '\n' && v[n] != '\0'))
				fail_msg("%s: \"-- supersedes:\" takes an md5, 32 lower-case hex digits", m->name);
			if (m->version == 0)
				fail_msg("%s: a function file supersedes nothing: it is applied again", m->name);
			{
				char sum[33];

				snprintf(sum, sizeof sum, "%.32s", v);
				assert_true(migrate_supersedes(m, sum));
			}
		}
	}
}

/* The runner's reading of the lines, on examples. */
static void uses_and_supersedes_are_read_as_written(void **state)
{
	char names[4][MIGRATE_NAME_MAX];
	struct migration m = {3, "003_x.sql",
			      "-- why\n-- uses: functions/a.sql functions/b.sql\n-- uses:functions/c.sql,\n"
			      "--uses: functions/not_a_directive.sql\n"
			      "-- supersedes: 0123456789abcdef0123456789abcdef\nSET LOCAL ROLE cobro_owner;\n"};

	(void)state;
	assert_int_equal(migrate_uses(m.sql, names, 4), 3);
	assert_string_equal(names[0], "functions/a.sql");
	assert_string_equal(names[1], "functions/b.sql");
	assert_string_equal(names[2], "functions/c.sql");
	assert_int_equal(migrate_uses(m.sql, names, 1), 3); /* counted, though only one fits */
	assert_int_equal(migrate_uses("SELECT 1;\n", names, 4), 0);
	assert_true(migrate_supersedes(&m, "0123456789abcdef0123456789abcdef"));
	assert_false(migrate_supersedes(&m, "0123456789abcdef0123456789abcdee"));
	assert_false(migrate_supersedes(&m, "0123456789abcdef"));
	assert_false(migrate_supersedes(&m, ""));
}

static void order_follows_uses_then_names(void **state)
{
	const struct migration files[] = {
	    {0, "functions/a.sql", "-- uses: functions/c.sql\n"},
	    {0, "functions/b.sql", "SELECT 1;\n"},
	    {0, "functions/c.sql", "-- uses: functions/d.sql functions/b.sql\n"},
	    {0, "functions/d.sql", "SELECT 1;\n"},
	};
	const struct migration circle[] = {
	    {0, "functions/a.sql", "-- uses: functions/b.sql\n"},
	    {0, "functions/b.sql", "-- uses: functions/a.sql\n"},
	};
	const struct migration unknown[] = {
	    {0, "functions/a.sql", "-- uses: functions/gone.sql\n"},
	};
	int order[4];
	char why[256];

	(void)state;
	assert_true(migrate_order(files, 4, order, why, sizeof why));
	assert_int_equal(order[0], 3); /* d, then b: in the order c uses them */
	assert_int_equal(order[1], 1);
	assert_int_equal(order[2], 2); /* c, then a, which uses it */
	assert_int_equal(order[3], 0);
	assert_false(migrate_order(circle, 2, order, why, sizeof why));
	assert_string_equal(why, "functions/a.sql uses itself through the files it uses");
	assert_false(migrate_order(unknown, 1, order, why, sizeof why));
	assert_string_equal(why, "functions/a.sql uses functions/gone.sql, which is not a function file");
}

static void finding_calls_skips_comments_and_literals(void **state)
{
	char *t = without_comments("-- my_agent_id() in a comment\nSELECT 'fold(x)', /* i_am(x) */ a.rank_value,\n"
				   "  cobro.policy_state (a, b), xrank_value(1), 'it''s fold(', E'\\\\' FROM t;\n");

	(void)state;
	assert_false(calls(t, "my_agent_id"));
	assert_false(calls(t, "fold"));
	assert_false(calls(t, "i_am"));
	assert_false(calls(t, "rank_value"));
	assert_true(calls(t, "policy_state"));
	free(t);
	t = without_comments("DROP FUNCTION IF EXISTS message_claim(text);\ndrop function cobro.message_dlr (bigint);\n"
			     "SELECT message_settle(1);\n");
	assert_false(calls(t, "message_claim"));
	assert_false(calls(t, "message_dlr"));
	assert_true(calls(t, "message_settle"));
	free(t);
}

/* The runner records each migration in cobro.schema_migration: the first
 * migration must create it. */
static void first_migration_creates_the_ledger(void **state)
{
	struct stmts s;
	bool found = false;

	(void)state;
	s = scan(&migrations[0]);
	for (int j = 0; j < s.n; j++)
		if (starts_with_words(s.v[j].words, "CREATE TABLE") &&
		    strstr(s.v[j].words, "COBRO SCHEMA_MIGRATION"))
			found = true;
	stmts_free(&s);
	/* The scanner drops the dot: "cobro.schema_migration" reads COBRO SCHEMA_MIGRATION. */
	assert_true(found);
}

/* -------------------------------------------- the table against src/sql/ */

static char *sql_dir(const char *sub)
{
	const char *top = getenv("COBRO_TOP");

	return xasprintf("%s/src/sql%s", top && *top ? top : ".", sub);
}

static char *slurp(const char *path)
{
	struct buf b = {0};
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f)
		return NULL;
	buf_puts(&b, "");
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return b.s;
}

/* The .sql files of src/sql + sub hold what table[] holds, each named
 * prefix + its file name. A stale build would embed other text. */
static void dir_matches(const char *sub, const char *prefix, const struct migration *table, int count)
{
	char *dir = sql_dir(sub);
	DIR *d = opendir(dir);
	struct dirent *e;
	int on_disk = 0;

	if (!d) {
		print_message("# %s: %s (run from the top of the tree or set COBRO_TOP)\n", dir,
			      strerror(errno));
		free(dir);
		fail();
	}
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		char *path, *text, *name;
		int found = -1;

		if (len < 5 || strcmp(e->d_name + len - 4, ".sql") != 0)
			continue;
		on_disk++;
		name = xasprintf("%s%s", prefix, e->d_name);
		for (int i = 0; i < count; i++)
			if (strcmp(table[i].name, name) == 0)
				found = i;
		free(name);
		if (found < 0) {
			print_message("# %s/%s is not compiled in: rebuild (make clean all)\n", dir,
				      e->d_name);
			closedir(d);
			free(dir);
			fail();
		}
		path = xasprintf("%s/%s", dir, e->d_name);
		text = slurp(path);
		if (!text || strcmp(text, table[found].sql) != 0) {
			print_message("# %s differs from the text compiled in: rebuild\n", path);
			free(text);
			free(path);
			closedir(d);
			free(dir);
			fail();
		}
		free(text);
		free(path);
	}
	closedir(d);
	free(dir);
	assert_int_equal(on_disk, count);
}

static void embedded_text_matches_src_sql(void **state)
{
	(void)state;
	dir_matches("", "", migrations, migrations_count);
	dir_matches("/functions", "functions/", sql_functions, sql_functions_count);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(scanner_splits_and_skips_what_it_should),
	    cmocka_unit_test(scanner_finds_transaction_control),
	    cmocka_unit_test(table_is_not_empty),
	    cmocka_unit_test(versions_increase_strictly_from_one),
	    cmocka_unit_test(versions_have_no_gaps),
	    cmocka_unit_test(names_are_nnn_words_sql),
	    cmocka_unit_test(names_are_unique),
	    cmocka_unit_test(texts_are_not_empty),
	    cmocka_unit_test(texts_end_with_a_newline),
	    cmocka_unit_test(texts_scan_cleanly),
	    cmocka_unit_test(function_files_are_named_functions_words_sql),
	    cmocka_unit_test(later_migrations_start_as_the_owner),
	    cmocka_unit_test(no_transaction_control_at_statement_level),
	    cmocka_unit_test(nothing_that_refuses_a_transaction_block),
	    cmocka_unit_test(settings_are_set_local),
	    cmocka_unit_test(conventions_catch_bad_migrations),
	    cmocka_unit_test(migrations_define_no_function),
	    cmocka_unit_test(function_files_only_replace),
	    cmocka_unit_test(function_conventions_catch_bad_files),
	    cmocka_unit_test(every_function_is_defined_in_one_file),
	    cmocka_unit_test(files_name_the_function_files_they_call),
	    cmocka_unit_test(function_files_have_an_order),
	    cmocka_unit_test(supersedes_lines_hold_checksums),
	    cmocka_unit_test(uses_and_supersedes_are_read_as_written),
	    cmocka_unit_test(order_follows_uses_then_names),
	    cmocka_unit_test(finding_calls_skips_comments_and_literals),
	    cmocka_unit_test(first_migration_creates_the_ledger),
	    cmocka_unit_test(embedded_text_matches_src_sql),
	};

	return cmocka_run_group_tests_name("migrate", tests, NULL, NULL);
}
