/* src/core/db.c without a server: how each SQLSTATE is classified (which decides
 * whether a transaction is retried, the connection remade, or the person
 * told), and what a failed connection leaves behind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "util.h"

struct sqlstate_case {
	const char *sqlstate;
	enum db_error_class want;
	const char *what;
};

static const char *class_name(enum db_error_class c)
{
	switch (c) {
	case DB_OK: return "DB_OK";
	case DB_RETRY: return "DB_RETRY";
	case DB_CONNECTION: return "DB_CONNECTION";
	case DB_CONSTRAINT: return "DB_CONSTRAINT";
	case DB_DENIED: return "DB_DENIED";
	case DB_OTHER: return "DB_OTHER";
	}
	return "?";
}

static void check_cases(const struct sqlstate_case *cases, size_t n)
{
	int wrong = 0;

	for (size_t i = 0; i < n; i++) {
		enum db_error_class got = db_classify(cases[i].sqlstate);

		if (got != cases[i].want) {
			print_message("# %s (%s): %s, expected %s\n", cases[i].sqlstate, cases[i].what,
				      class_name(got), class_name(cases[i].want));
			wrong++;
		}
	}
	assert_int_equal(wrong, 0);
}

static void classify_retry(void **state)
{
	static const struct sqlstate_case cases[] = {
	    {"40001", DB_RETRY, "serialization_failure"},
	    {"40P01", DB_RETRY, "deadlock_detected"},
	};

	(void)state;
	check_cases(cases, ARRAY_SIZE(cases));
}

static void classify_other_rollbacks_are_not_retried(void **state)
{
	static const struct sqlstate_case cases[] = {
	    {"40000", DB_OTHER, "transaction_rollback"},
	    {"40002", DB_OTHER, "transaction_integrity_constraint_violation"},
	    {"40003", DB_OTHER, "statement_completion_unknown"},
	};

	(void)state;
	check_cases(cases, ARRAY_SIZE(cases));
}

static void classify_connection(void **state)
{
	static const struct sqlstate_case cases[] = {
	    {"08006", DB_CONNECTION, "connection_failure"},
	    {"08000", DB_CONNECTION, "connection_exception"},
	    {"08001", DB_CONNECTION, "sqlclient_unable_to_establish_sqlconnection"},
	    {"08003", DB_CONNECTION, "connection_does_not_exist"},
	    {"08004", DB_CONNECTION, "sqlserver_rejected_establishment_of_sqlconnection"},
	    {"08P01", DB_CONNECTION, "protocol_violation"},
	    {"57P01", DB_CONNECTION, "admin_shutdown"},
	    {"57P02", DB_CONNECTION, "crash_shutdown"},
	    {"57P03", DB_CONNECTION, "cannot_connect_now"},
	};

	(void)state;
	check_cases(cases, ARRAY_SIZE(cases));
}

static void classify_query_canceled_is_not_a_lost_connection(void **state)
{
	static const struct sqlstate_case cases[] = {
	    {"57014", DB_OTHER, "query_canceled"},
	    {"57000", DB_OTHER, "operator_intervention"},
	};

	(void)state;
	check_cases(cases, ARRAY_SIZE(cases));
}

static void classify_constraint_and_bad_data(void **state)
{
	static const struct sqlstate_case cases[] = {
	    {"23505", DB_CONSTRAINT, "unique_violation"},
	    {"23503", DB_CONSTRAINT, "foreign_key_violation"},
	    {"23502", DB_CONSTRAINT, "not_null_violation"},
	    {"23514", DB_CONSTRAINT, "check_violation"},
	    {"23P01", DB_CONSTRAINT, "exclusion_violation"},
	    {"22007", DB_CONSTRAINT, "invalid_datetime_format"},
	    {"22008", DB_CONSTRAINT, "datetime_field_overflow"},
	    {"22003", DB_CONSTRAINT, "numeric_value_out_of_range"},
	    {"22001", DB_CONSTRAINT, "string_data_right_truncation"},
	    {"22P02", DB_CONSTRAINT, "invalid_text_representation"},
	    {"22012", DB_CONSTRAINT, "division_by_zero"},
	};

	(void)state;
	check_cases(cases, ARRAY_SIZE(cases));
}

static void classify_denied(void **state)
{
	static const struct sqlstate_case cases[] = {
	    /* Also what row-level security raises for a row a policy refuses. */
	    {"42501", DB_DENIED, "insufficient_privilege"},
	};

	(void)state;
	check_cases(cases, ARRAY_SIZE(cases));
}

static void classify_other(void **state)
{
	static const struct sqlstate_case cases[] = {
	    {"XX000", DB_OTHER, "internal_error"},         {"42P01", DB_OTHER, "undefined_table"},
	    {"42703", DB_OTHER, "undefined_column"},       {"42601", DB_OTHER, "syntax_error"},
	    {"42502", DB_OTHER, "(a neighbour of 42501)"}, {"25P02", DB_OTHER, "in_failed_sql_transaction"},
	    {"53300", DB_OTHER, "too_many_connections"},   {"P0001", DB_OTHER, "raise_exception"},
	    {"55P03", DB_OTHER, "lock_not_available"},
	};

	(void)state;
	check_cases(cases, ARRAY_SIZE(cases));
}

static void classify_no_error(void **state)
{
	(void)state;
	assert_int_equal(db_classify(""), DB_OK);
	assert_int_equal(db_classify(NULL), DB_OK);
}

static void classify_does_not_confuse_prefixes(void **state)
{
	static const struct sqlstate_case cases[] = {
	    {"4000", DB_OTHER, "40001 cut short"}, {"400011", DB_OTHER, "40001 with a tail"},
	    {"40P0", DB_OTHER, "40P01 cut short"}, {"57P0", DB_OTHER, "57P01 cut short"},
	    {"4250", DB_OTHER, "42501 cut short"},
	};

	(void)state;
	check_cases(cases, ARRAY_SIZE(cases));
}

/* ------------------------------------------------- a connection that fails */

/* No server answers at /nonexistent: libpq fails at once, no network needed. */
static void connect_failure_is_one_line_without_secrets(void **state)
{
	struct db db;

	(void)state;
	assert_false(db_connect(&db, "host=/nonexistent dbname=cobro password=s3cret-pw", NULL, "test_db"));
	assert_true(db.err[0] != '\0');
	assert_null(strchr(db.err, '\n'));
	assert_null(strstr(db.err, "s3cret-pw"));
	assert_string_equal(db.sqlstate, "08006");
	assert_int_equal(db_classify(db.sqlstate), DB_CONNECTION);
	db_close(&db);
	assert_null(db.conn);
	assert_null(db.conninfo);
}

static void connect_keeps_conninfo_and_user_for_reconnecting(void **state)
{
	struct db db;

	(void)state;
	assert_false(db_connect(&db, "host=/nonexistent", "ana", "test_db"));
	assert_non_null(db.conninfo);
	assert_string_equal(db.conninfo, "host=/nonexistent");
	assert_non_null(db.user);
	assert_string_equal(db.user, "ana");
	db_close(&db);
	assert_null(db.user);
}

/* Sets (value) or unsets (NULL) an environment variable; returns the old value
 * for env_put to restore. */
struct saved_env {
	const char *name;
	char *value;
	bool had;
};

static struct saved_env env_put(const char *name, const char *value)
{
	const char *old = getenv(name);
	struct saved_env s = {name, old ? xstrdup(old) : NULL, old != NULL};

	if (value)
		setenv(name, value, 1);
	else
		unsetenv(name);
	return s;
}

static void env_restore(struct saved_env *s)
{
	if (s->had)
		setenv(s->name, s->value, 1);
	else
		unsetenv(s->name);
	free(s->value);
}

static void connect_with_null_conninfo_uses_the_environment(void **state)
{
	struct db db;
	struct saved_env host = env_put("PGHOST", "/nonexistent-pghost");
	struct saved_env hostaddr = env_put("PGHOSTADDR", NULL);
	struct saved_env service = env_put("PGSERVICE", NULL);
	bool ok_null, ok_empty, where_null, where_empty, conninfo_empty;

	(void)state;
	/* NULL and "" mean libpq's defaults: PGHOST decides where it goes. */
	ok_null = db_connect(&db, NULL, NULL, "test_db");
	conninfo_empty = db.conninfo && strcmp(db.conninfo, "") == 0 && !db.user;
	where_null = strstr(db.err, "/nonexistent-pghost") != NULL;
	db_close(&db);
	ok_empty = db_connect(&db, "", NULL, "test_db");
	where_empty = strstr(db.err, "/nonexistent-pghost") != NULL;
	db_close(&db);
	env_restore(&host);
	env_restore(&hostaddr);
	env_restore(&service);
	assert_false(ok_null);
	assert_true(conninfo_empty);
	assert_true(where_null);
	assert_false(ok_empty);
	assert_true(where_empty);
}

static void connect_bad_conninfo_is_reported(void **state)
{
	struct db db;

	(void)state;
	assert_false(db_connect(&db, "host=/nonexistent nonsense_keyword=1", NULL, "test_db"));
	assert_non_null(strstr(db.err, "nonsense_keyword"));
	assert_null(strchr(db.err, '\n'));
	db_close(&db);
}

static void close_twice_is_harmless(void **state)
{
	struct db db;

	(void)state;
	assert_false(db_connect(&db, "host=/nonexistent", NULL, "test_db"));
	db_close(&db);
	db_close(&db);
	assert_null(db.conn);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(classify_retry),
	    cmocka_unit_test(classify_other_rollbacks_are_not_retried),
	    cmocka_unit_test(classify_connection),
	    cmocka_unit_test(classify_query_canceled_is_not_a_lost_connection),
	    cmocka_unit_test(classify_constraint_and_bad_data),
	    cmocka_unit_test(classify_denied),
	    cmocka_unit_test(classify_other),
	    cmocka_unit_test(classify_no_error),
	    cmocka_unit_test(classify_does_not_confuse_prefixes),
	    cmocka_unit_test(connect_failure_is_one_line_without_secrets),
	    cmocka_unit_test(connect_keeps_conninfo_and_user_for_reconnecting),
	    cmocka_unit_test(connect_with_null_conninfo_uses_the_environment),
	    cmocka_unit_test(connect_bad_conninfo_is_reported),
	    cmocka_unit_test(close_twice_is_harmless),
	};

	return cmocka_run_group_tests_name("db", tests, NULL, NULL);
}
