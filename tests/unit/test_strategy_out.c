/* src/core/strategy_out.c: an agency's placement file (its day's name, CSV
 * by RFC 4180, written whole then renamed) and a run's counts as JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strategy_decide.h"
#include "strategy_run.h"
#include "util.h"

static int day_of(const char *ymd)
{
	int d = 0;

	assert_true(strategy_day_parse(ymd, &d));
	return d;
}

/* nftw()'s step of taking a tree away, deepest first: no shell between the
 * test and its files. */
static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void path_takes_the_day(void **state)
{
	char out[256];

	(void)state;
	strategy_placement_path("var/placements/externa-%Y%m%d.csv", day_of("2030-03-05"), NULL, out, sizeof out);
	assert_string_equal(out, "var/placements/externa-20300305.csv");
	strategy_placement_path("p/%F/%Y-%%d-%q.csv", day_of("2029-12-31"), NULL, out, sizeof out);
	assert_string_equal(out, "p/2029-12-31/2029-%d-%q.csv");
	/* A relative pattern goes under the base directory; an absolute one not. */
	strategy_placement_path("out/a-%d.csv", day_of("2030-03-05"), "/srv/cobro/", out, sizeof out);
	assert_string_equal(out, "/srv/cobro/out/a-05.csv");
	strategy_placement_path("/abs/a-%m.csv", day_of("2030-03-05"), "/srv/cobro", out, sizeof out);
	assert_string_equal(out, "/abs/a-03.csv");
}

static char *slurp(const char *path)
{
	char *s = read_file(path, NULL);

	assert_non_null(s);
	return s;
}

static void csv_is_rfc4180_and_whole(void **state)
{
	char dir[] = "/tmp/test_strategy_out.XXXXXX", path[256], err[256], *s;
	static const char *const header[] = { "reference", "debtor", "balance" };
	const char *rows[] = {
		"A-1", "Pérez, Ana \"la jefa\"", "1000.00",
		"A-2", "Two\r\nLines", "5.50",
		"A-3", " padded ", "",
	};
	DIR *d;
	struct dirent *e;
	int files = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/sub/dir/externa-20300305.csv", dir);
	assert_true(strategy_placement_write(path, header, rows, 3, 3, err, sizeof err));
	s = slurp(path);
	assert_string_equal(s, "reference,debtor,balance\r\n"
	                       "A-1,\"Pérez, Ana \"\"la jefa\"\"\",1000.00\r\n"
	                       "A-2,\"Two\r\nLines\",5.50\r\n"
	                       "A-3,\" padded \",\r\n");
	free(s);
	/* Written again: the same name, replaced whole; no temporary file left. */
	assert_true(strategy_placement_write(path, header, rows, 1, 3, err, sizeof err));
	s = slurp(path);
	assert_string_equal(s, "reference,debtor,balance\r\nA-1,\"Pérez, Ana \"\"la jefa\"\"\",1000.00\r\n");
	free(s);
	snprintf(path, sizeof path, "%s/sub/dir", dir);
	assert_non_null(d = opendir(path));
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			files++;
	closedir(d);
	assert_int_equal(files, 1);
	/* A directory that cannot be made: false, with the path. */
	snprintf(path, sizeof path, "%s/sub/dir/externa-20300305.csv/x.csv", dir);
	assert_false(strategy_placement_write(path, header, rows, 1, 3, err, sizeof err));
	assert_non_null(strstr(err, "x.csv"));
	assert_int_equal(nftw(dir, remove_one, 8, FTW_DEPTH | FTW_PHYS), 0);
}

static void json_leaves_out_what_differs_between_runs(void **state)
{
	struct strategy_tally t = { .segment = "early", .variant = "A", .ladder = "retail", .step = "dpd5",
		                    .channel = "whatsapp", .messages = 3, .skipped = 1, .waiting = 2 };
	struct strategy_segment_count c = { .segment = "early", .variant = "A", .ladder = "retail", .accounts = 5,
		                            .changed = 1, .running = 4, .paused = 1 };
	struct strategy_rule_count rc = { .outcome = "waiting", .rule = "PE-HOURS", .n = 2 };
	long long hours[3] = { 2, 0, 1 };
	struct strategy_result r = { .day = day_of("2030-03-15"), .version = 4, .kind = STRATEGY_RUN_LADDER,
		                     .accounts = 5, .changed = 1, .segments = &c, .nsegments = 1, .tallies = &t,
		                     .ntallies = 1, .rules = &rc, .nrules = 1, .first_hour = 1899806400 /* 12:00Z */,
		                     .per_hour = hours, .nhours = 3 };
	char *a, *b;

	(void)state;
	a = strategy_result_json(&r);
	assert_string_equal(a, "{\"day\":\"2030-03-15\",\"version\":4,\"kind\":\"ladder\",\"accounts\":5,\"changed\":1,"
	                       "\"segments\":[{\"segment\":\"early\",\"variant\":\"A\",\"ladder\":\"retail\",\"accounts\":5,"
	                       "\"changed\":1,\"running\":4,\"paused\":1,\"stopped\":0,\"done\":0}],"
	                       "\"steps\":[{\"segment\":\"early\",\"variant\":\"A\",\"ladder\":\"retail\",\"step\":\"dpd5\","
	                       "\"channel\":\"whatsapp\",\"messages\":3,\"assignments\":0,\"placements\":0,\"letters\":0,"
	                       "\"skipped\":1,\"refused\":0,\"waiting\":2}],"
	                       "\"rules\":[{\"outcome\":\"waiting\",\"rule\":\"PE-HOURS\",\"count\":2}],"
	                       "\"hourly\":[{\"hour\":\"2030-03-15T12:00:00Z\",\"messages\":2},"
	                       "{\"hour\":\"2030-03-15T14:00:00Z\",\"messages\":1}]}");
	/* A dry run and the real one: the same text (run id, time, dry apart). */
	r.dry = true;
	r.run_id = 77;
	r.seconds = 12.5;
	b = strategy_result_json(&r);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(path_takes_the_day),
		cmocka_unit_test(csv_is_rfc4180_and_whole),
		cmocka_unit_test(json_leaves_out_what_differs_between_runs),
	};

	return cmocka_run_group_tests_name("strategy_out", tests, NULL, NULL);
}
