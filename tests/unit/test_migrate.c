/* The migrations compiled into the programs (src/sql/NNN_name.sql, embedded by
 * scripts/embed-sql.sh): numbered in order, and written the way the runner
 * expects. migrate_apply wraps each file in one transaction of its own, so a
 * file must not open or close transactions itself, and whatever it SETs must
 * end with that transaction. */
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
	for (int i = 0; i < migrations_count; i++) {
		struct stmts s;

		if (!migrations[i].sql || !migrations[i].sql[0])
			fail_msg("%s is empty", migrations[i].name);
		s = scan(&migrations[i]);
		if (s.n == 0)
			fail_msg("%s holds only comments", migrations[i].name);
		stmts_free(&s);
	}
}

static void texts_end_with_a_newline(void **state)
{
	(void)state;
	for (int i = 0; i < migrations_count; i++) {
		size_t n = strlen(migrations[i].sql);

		if (n == 0 || migrations[i].sql[n - 1] != '\n')
			fail_msg("%s does not end with a newline", migrations[i].name);
	}
}

static void texts_scan_cleanly(void **state)
{
	(void)state;
	for (int i = 0; i < migrations_count; i++) {
		struct stmts s = scan(&migrations[i]);

		stmts_free(&s);
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
	for (int i = 0; i < migrations_count; i++) {
		const char *why = check(&migrations[i]);

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

static char *sql_dir(void)
{
	const char *top = getenv("COBRO_TOP");

	return xasprintf("%s/src/sql", top && *top ? top : ".");
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

/* A stale build would embed other text than src/sql holds. */
static void embedded_text_matches_src_sql(void **state)
{
	char *dir = sql_dir();
	DIR *d = opendir(dir);
	struct dirent *e;
	int on_disk = 0;

	(void)state;
	if (!d) {
		print_message("# %s: %s (run from the top of the tree or set COBRO_TOP)\n", dir,
			      strerror(errno));
		free(dir);
		fail();
	}
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		char *path, *text;
		int found = -1;

		if (len < 5 || strcmp(e->d_name + len - 4, ".sql") != 0)
			continue;
		on_disk++;
		for (int i = 0; i < migrations_count; i++)
			if (strcmp(migrations[i].name, e->d_name) == 0)
				found = i;
		if (found < 0) {
			print_message("# %s/%s is not compiled in: rebuild (make clean all)\n", dir,
				      e->d_name);
			closedir(d);
			free(dir);
			fail();
		}
		path = xasprintf("%s/%s", dir, e->d_name);
		text = slurp(path);
		if (!text || strcmp(text, migrations[found].sql) != 0) {
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
	assert_int_equal(on_disk, migrations_count);
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
	    cmocka_unit_test(later_migrations_start_as_the_owner),
	    cmocka_unit_test(no_transaction_control_at_statement_level),
	    cmocka_unit_test(nothing_that_refuses_a_transaction_block),
	    cmocka_unit_test(settings_are_set_local),
	    cmocka_unit_test(conventions_catch_bad_migrations),
	    cmocka_unit_test(first_migration_creates_the_ledger),
	    cmocka_unit_test(embedded_text_matches_src_sql),
	};

	return cmocka_run_group_tests_name("migrate", tests, NULL, NULL);
}
