/* src/core/notify.h names the notification channels; the SQL under src/sql
 * notifies them by name again (a trigger cannot include a C header). The two
 * must agree: a channel the SQL notifies that no program listens to is a
 * change nobody sees, and a constant the SQL never notifies is a wait for
 * nothing. Read from the source tree (COBRO_TOP, else the directory the
 * test runs in, as tests/run.sh runs it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ftw.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notify.h"
#include "util.h"

#define MAX_FOUND 64

static struct {
	char names[MAX_FOUND][64];
	int n;
	int files;
} found;

static void add(const char *name, size_t len)
{
	char s[64];

	snprintf(s, sizeof s, "%.*s", (int)(len < sizeof s ? len : sizeof s - 1), name);
	for (int i = 0; i < found.n; i++)
		if (!strcmp(found.names[i], s))
			return;
	assert_true(found.n < MAX_FOUND);
	snprintf(found.names[found.n++], sizeof found.names[0], "%s", s);
}

/* Every channel the text notifies: pg_notify('name', ...) and NOTIFY name,
 * outside comments. */
static void scan(char *sql)
{
	static const char *const patterns[] = { "pg_notify[[:space:]]*\\([[:space:]]*'([a-z0-9_]+)'",
		                                "(^|[^a-z_])notify[[:space:]]+([a-z0-9_]+)" };
	char *dash;

	/* "-- ... NOTIFY x" in a comment notifies nothing. */
	for (char *line = sql; (dash = strstr(line, "--")); line = dash) {
		while (*dash && *dash != '\n')
			*dash++ = ' ';
	}
	for (size_t p = 0; p < sizeof patterns / sizeof *patterns; p++) {
		regex_t re;
		regmatch_t m[3];
		int group = p == 0 ? 1 : 2;

		assert_int_equal(regcomp(&re, patterns[p], REG_EXTENDED | REG_ICASE), 0);
		for (const char *s = sql; regexec(&re, s, 3, m, 0) == 0; s += m[0].rm_eo)
			add(s + m[group].rm_so, (size_t)(m[group].rm_eo - m[group].rm_so));
		regfree(&re);
	}
}

static int visit(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	FILE *f;
	char *sql;
	size_t len = strlen(path);

	(void)ftw;
	if (type != FTW_F || len < 4 || strcmp(path + len - 4, ".sql"))
		return 0;
	assert_non_null(f = fopen(path, "r"));
	sql = xcalloc((size_t)sb->st_size + 1, 1);
	assert_int_equal(fread(sql, 1, (size_t)sb->st_size, f), (size_t)sb->st_size);
	fclose(f);
	scan(sql);
	free(sql);
	found.files++;
	return 0;
}

static bool is_constant(const char *name)
{
	for (const char *const *c = notify_channels; *c; c++)
		if (!strcmp(*c, name))
			return true;
	return false;
}

static void sql_and_constants_agree(void **state)
{
	const char *top = getenv("COBRO_TOP");
	char dir[4096];

	(void)state;
	snprintf(dir, sizeof dir, "%s/src/sql", top && *top ? top : ".");
	assert_int_equal(nftw(dir, visit, 16, FTW_PHYS), 0);
	assert_true(found.files > 0);
	for (int i = 0; i < found.n; i++)
		if (!is_constant(found.names[i]))
			fail_msg("the SQL notifies %s, which is no constant of notify.h", found.names[i]);
	for (const char *const *c = notify_channels; *c; c++) {
		bool notified = false;

		for (int i = 0; i < found.n; i++)
			notified |= !strcmp(found.names[i], *c);
		if (!notified)
			fail_msg("notify.h names %s, which no SQL under %s notifies", *c, dir);
	}
}

/* The scanner itself: what it must find and what it must not. */
static void scanner_finds_both_spellings(void **state)
{
	char sql[] = "PERFORM pg_notify( 'cobro_a', x);\n"
	             "  NOTIFY cobro_b, '1';\n"
	             "-- NOTIFY cobro_c in a comment\n"
	             "SELECT denotify cobro_d;\n";

	(void)state;
	memset(&found, 0, sizeof found);
	scan(sql);
	assert_int_equal(found.n, 2);
	assert_string_equal(found.names[0], "cobro_a");
	assert_string_equal(found.names[1], "cobro_b");
	memset(&found, 0, sizeof found);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scanner_finds_both_spellings),
		cmocka_unit_test(sql_and_constants_agree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
