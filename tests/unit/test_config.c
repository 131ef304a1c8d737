/* The configuration loaders: defaults, where the file is found, and the exact
 * "FILE:LINE: setting: what is wrong" for each kind of mistake, since that line
 * is all a person sees when cobro refuses to start.
 *
 * Every test runs in a fresh directory under $TMPDIR (or /tmp) with HOME and
 * XDG_CONFIG_HOME pointing into it, so the tester's own files never count. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "util.h"

/* ---------------------------------------------------------------- sandbox */

struct sandbox {
	char dir[PATH_MAX];  /* removed with everything in it after the test */
	char home[PATH_MAX]; /* $HOME */
	char xdg[PATH_MAX];  /* $XDG_CONFIG_HOME */
	char *saved_home, *saved_xdg;
	bool had_home, had_xdg;
};

static struct sandbox sb;

static char *saved_env(const char *name, bool *had)
{
	const char *v = getenv(name);

	*had = v != NULL;
	return v ? xstrdup(v) : NULL;
}

static void restore_env(const char *name, bool had, char *value)
{
	if (had)
		setenv(name, value, 1);
	else
		unsetenv(name);
	free(value);
}

static void make_dirs(const char *path)
{
	char tmp[PATH_MAX];

	snprintf(tmp, sizeof tmp, "%s", path);
	for (char *p = tmp + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
				fail_msg("mkdir %s: %s", tmp, strerror(errno));
			*p = '/';
		}
	if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
		fail_msg("mkdir %s: %s", tmp, strerror(errno));
}

static int sandbox_setup(void **state)
{
	const char *tmp = getenv("TMPDIR");

	(void)state;
	memset(&sb, 0, sizeof sb);
	snprintf(sb.dir, sizeof sb.dir, "%s/cobro-test-config-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(sb.dir)) {
		fprintf(stderr, "mkdtemp %s: %s\n", sb.dir, strerror(errno));
		return -1;
	}
	snprintf(sb.home, sizeof sb.home, "%s/home", sb.dir);
	snprintf(sb.xdg, sizeof sb.xdg, "%s/xdg", sb.dir);
	if (mkdir(sb.home, 0700) != 0 || mkdir(sb.xdg, 0700) != 0)
		return -1;
	sb.saved_home = saved_env("HOME", &sb.had_home);
	sb.saved_xdg = saved_env("XDG_CONFIG_HOME", &sb.had_xdg);
	setenv("HOME", sb.home, 1);
	setenv("XDG_CONFIG_HOME", sb.xdg, 1);
	return 0;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int sandbox_teardown(void **state)
{
	(void)state;
	restore_env("HOME", sb.had_home, sb.saved_home);
	restore_env("XDG_CONFIG_HOME", sb.had_xdg, sb.saved_xdg);
	if (sb.dir[0])
		nftw(sb.dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

/* Writes text to a new file in the sandbox, mode as given; returns its path
 * (the caller frees it). */
static char *conf_file(const char *text, mode_t mode)
{
	char *path = xasprintf("%s/cobro-XXXXXX.conf", sb.dir);
	int fd = mkstemps(path, 5);
	size_t len = strlen(text);

	if (fd < 0)
		fail_msg("mkstemps %s: %s", path, strerror(errno));
	if (write(fd, text, len) != (ssize_t)len || close(fd) != 0)
		fail_msg("write %s: %s", path, strerror(errno));
	if (chmod(path, mode) != 0)
		fail_msg("chmod %s: %s", path, strerror(errno));
	return path;
}

/* Writes text at dir/rel, creating the directories; returns the path. */
static char *conf_file_at(const char *dir, const char *rel, const char *text)
{
	char *path = xasprintf("%s/%s", dir, rel);
	char *slash;
	FILE *f;

	slash = strrchr(path, '/');
	*slash = '\0';
	make_dirs(path);
	*slash = '/';
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	} else {
		fail_msg("fopen %s: %s", path, strerror(errno));
	}
	return path;
}

/* The system-wide file would make "no file at all" untestable. */
/* "/etc/cobro/NAME" when this machine has it, else NULL: the last place
 * looked, so what a search with nothing else finds. (Not cmocka's skip(),
 * which prints "not ok # SKIP" and would count as a failure.) */
static const char *system_file(const char *name)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof path, "/etc/cobro/%s", name);
	if (access(path, F_OK) != 0)
		return NULL;
	print_message("# %s exists on this machine: the built-in defaults are not tested\n", path);
	return path;
}

/* After a search that should find nothing in the sandbox. */
static void assert_found_nothing(const char *found, const char *name)
{
	const char *sys = system_file(name);

	if (sys) {
		assert_non_null(found);
		assert_string_equal(found, sys);
	} else {
		assert_null(found);
	}
}

#define assert_num_equal(actual, expected)                                                                   \
	do {                                                                                                 \
		double a_ = (actual), e_ = (expected);                                                       \
		if (a_ != e_)                                                                                \
			fail_msg("%s is %.17g, expected %.17g", #actual, a_, e_);                            \
	} while (0)

static void assert_cobro_defaults(const struct cobro_conf *c)
{
	assert_non_null(c->database);
	assert_string_equal(c->database, "");
	assert_null(c->user);
	assert_non_null(c->language);
	assert_string_equal(c->language, "");
	assert_true(c->color);
	assert_num_equal(c->weights.callback_due, 1e9);
	assert_num_equal(c->weights.promise_broken, 1e8);
	assert_num_equal(c->weights.contact_cost, 150);
}

static void assert_cobrod_defaults(const struct cobrod_conf *c)
{
	assert_non_null(c->database);
	assert_string_equal(c->database, "");
	assert_non_null(c->log_level);
	assert_string_equal(c->log_level, "info");
	assert_false(c->syslog);
	assert_null(c->name);
	assert_int_equal(c->ntransports, 0);
	assert_null(c->transports);
	for (int ch = 0; ch < CH__COUNT; ch++)
		assert_null(c->channels[ch].transport);
	assert_num_equal(c->channels[CH_SMS].rate, 10);
	assert_num_equal(c->channels[CH_EMAIL].rate, 10);
	assert_num_equal(c->channels[CH_WHATSAPP].rate, 10);
	assert_int_equal(c->max_attempts, 6);
	assert_num_equal(c->backoff_base, 30);
	assert_num_equal(c->backoff_max, 3600);
	assert_int_equal(c->lease, 300);
	assert_int_equal(c->parallel, 8);
	assert_non_null(c->listen_address);
	assert_string_equal(c->listen_address, "127.0.0.1");
	assert_int_equal(c->listen_port, 0);
	assert_null(c->ca_file);
	assert_int_equal(c->ninsecure_hosts, 0);
	assert_false(c->secret_in_file);
}

/* Loads text as cobro.conf and checks the message is exactly PATH + suffix,
 * e.g. ":3: ui.colour: unknown setting". */
static void cobro_rejects(const char *text, const char *suffix)
{
	struct cobro_conf c;
	char err[512], *path = conf_file(text, 0600), *want = xasprintf("%s%s", path, suffix);
	bool ok = cobro_conf_load(&c, path, err, sizeof err);

	cobro_conf_free(&c); /* safe after a failed load too */
	if (ok)
		fail_msg("loaded without complaint:\n%s", text);
	assert_string_equal(err, want);
	free(want);
	free(path);
}

static void cobrod_rejects(const char *text, const char *suffix)
{
	struct cobrod_conf c;
	char err[512], *path = conf_file(text, 0600), *want = xasprintf("%s%s", path, suffix);
	bool ok = cobrod_conf_load(&c, path, err, sizeof err);

	cobrod_conf_free(&c);
	if (ok)
		fail_msg("loaded without complaint:\n%s", text);
	assert_string_equal(err, want);
	free(want);
	free(path);
}

/* Loads text as cobro.conf, which must succeed; the caller frees c. */
static void cobro_loads(struct cobro_conf *c, const char *text)
{
	char err[512], *path = conf_file(text, 0600);

	if (!cobro_conf_load(c, path, err, sizeof err))
		fail_msg("rejected: %s\n%s", err, text);
	assert_non_null(c->path);
	assert_string_equal(c->path, path);
	free(path);
}

/* ------------------------------------------------------ cobro.conf: defaults */

static void cobro_defaults_without_any_file(void **state)
{
	struct cobro_conf c;
	char err[512] = "untouched";

	(void)state;
	assert_true(cobro_conf_load(&c, NULL, err, sizeof err));
	assert_found_nothing(c.path, "cobro.conf");
	if (!c.path)
		assert_cobro_defaults(&c);
	cobro_conf_free(&c);
}

static void cobro_defaults_without_home_or_xdg(void **state)
{
	struct cobro_conf c;
	char err[512];

	(void)state;
	unsetenv("HOME");
	unsetenv("XDG_CONFIG_HOME");
	assert_true(cobro_conf_load(&c, NULL, err, sizeof err));
	assert_found_nothing(c.path, "cobro.conf");
	if (!c.path)
		assert_cobro_defaults(&c);
	cobro_conf_free(&c);
}

static void cobro_empty_file_gives_defaults(void **state)
{
	struct cobro_conf c;

	(void)state;
	cobro_loads(&c, "");
	assert_cobro_defaults(&c);
	cobro_conf_free(&c);
}

static void cobro_comments_only_give_defaults(void **state)
{
	struct cobro_conf c;

	(void)state;
	cobro_loads(&c, "# a comment\n// another\n/* and\n   a block */\n\n");
	assert_cobro_defaults(&c);
	cobro_conf_free(&c);
}

static void cobro_every_setting_is_read(void **state)
{
	struct cobro_conf c;

	(void)state;
	cobro_loads(&c, "database = \"host=db.example dbname=cobro\";\n"
			"user = \"ana\";\n"
			"ui = {\n"
			"\tlanguage = \"en\";\n"
			"\tcolor = false;\n"
			"};\n"
			"priority = {\n"
			"\tcallback_due = 2e9;\n"
			"\tpromise_broken = 3.5e8;\n"
			"\tcontact_cost = 99.5;\n"
			"};\n"
			"keys = {\n"
			"\tnext_account = \"n\";\n"
			"\trefresh = \"R\";\n"
			"};\n");
	assert_string_equal(c.database, "host=db.example dbname=cobro");
	assert_non_null(c.user);
	assert_string_equal(c.user, "ana");
	assert_string_equal(c.language, "en");
	assert_false(c.color);
	assert_num_equal(c.weights.callback_due, 2e9);
	assert_num_equal(c.weights.promise_broken, 3.5e8);
	assert_num_equal(c.weights.contact_cost, 99.5);
	cobro_conf_free(&c);
}

static void cobro_unset_settings_keep_their_defaults(void **state)
{
	struct cobro_conf c;

	(void)state;
	cobro_loads(&c, "priority = { contact_cost = 99; };\nui = { language = \"es\"; };\n");
	assert_num_equal(c.weights.contact_cost, 99);
	assert_num_equal(c.weights.callback_due, 1e9);
	assert_num_equal(c.weights.promise_broken, 1e8);
	assert_string_equal(c.language, "es");
	assert_true(c.color);
	assert_string_equal(c.database, "");
	assert_null(c.user);
	cobro_conf_free(&c);
}

static void cobro_whole_numbers_serve_as_weights(void **state)
{
	struct cobro_conf c;

	(void)state;
	cobro_loads(&c, "priority = { callback_due = 2000000000; promise_broken = 7; contact_cost = 200; };\n");
	assert_num_equal(c.weights.callback_due, 2e9);
	assert_num_equal(c.weights.promise_broken, 7);
	assert_num_equal(c.weights.contact_cost, 200);
	cobro_conf_free(&c);
}

/* libconfig 1.5 keeps a whole number without the L suffix in 32 bits
 * (5000000000 silently becomes 705032704): big weights are written 5e9 or
 * 5000000000L, as the example file says. */
static void cobro_big_weights_with_exponent_or_l_suffix(void **state)
{
	struct cobro_conf c;

	(void)state;
	cobro_loads(&c, "priority = { callback_due = 5e9; promise_broken = 5000000000L; };\n");
	assert_num_equal(c.weights.callback_due, 5e9);
	assert_num_equal(c.weights.promise_broken, 5e9);
	cobro_conf_free(&c);
}

/* Issue 14, line 9: libconfig 1.5 keeps 99999999999999999999 as -1 and
 * 9999999999 as 1410065407, so a range check said "-1 is out of range" or
 * let a wrong number through. The number is refused as written. */
static void cobro_numbers_that_overflow_are_refused_as_written(void **state)
{
	(void)state;
	cobro_rejects("# one\nsms = { max_segments = 99999999999999999999; };\n",
		      ":2: sms.max_segments: 99999999999999999999 is too large a number (at most 2147483647)");
	cobro_rejects("sms = {\n max_segments = 4294967298;\n};\n",
		      ":2: sms.max_segments: 4294967298 is too large a number (at most 2147483647)");
	cobro_rejects("priority = { promise_broken = -99999999999999999999L; };\n",
		      ":1: priority.promise_broken: -99999999999999999999L is too small a number (at least "
		      "-9223372036854775808)");
	cobro_rejects("priority = { callback_due = 0xFFFFFFFF; };\n",
		      ":1: priority.callback_due: 0xFFFFFFFF is too large a number (at most 0x7FFFFFFF)");
	cobro_rejects("priority = { callback_due = 1e999; };\n",
		      ":1: priority.callback_due: 1e999 is too large a number (a double holds about 1.8e308)");
	/* Numbers in strings and comments are text; names may hold digits. */
	struct cobro_conf c;
	cobro_loads(&c, "# 99999999999999999999\n/* 99999999999999999999 */ database = \"port=99999999999999999999\";\n"
	                "priority = { promise_broken = 999999999999L; };\n");
	assert_string_equal(c.database, "port=99999999999999999999");
	cobro_conf_free(&c);
}

/* A configuration file that is a FIFO is refused, not waited on. */
static void cobro_fifo_is_refused_without_blocking(void **state)
{
	struct cobro_conf c;
	char err[512], *path = xasprintf("%s/fifo.conf", sb.dir), *want;

	(void)state;
	assert_int_equal(mkfifo(path, 0600), 0);
	want = xasprintf("%s: a FIFO, not a regular file", path);
	alarm(10); /* a hang fails the test rather than the suite's time */
	assert_false(cobro_conf_load(&c, path, err, sizeof err));
	alarm(0);
	assert_string_equal(err, want);
	cobro_conf_free(&c);
	free(want);
	free(path);
}

static void cobro_empty_user_is_kept_apart_from_unset(void **state)
{
	struct cobro_conf c;

	(void)state;
	cobro_loads(&c, "user = \"\";\n");
	assert_non_null(c.user);
	assert_string_equal(c.user, "");
	cobro_conf_free(&c);
}

static void cobro_service_name_and_uri_are_plain_strings(void **state)
{
	struct cobro_conf c;

	(void)state;
	cobro_loads(&c, "database = \"service=cobro\";\n");
	assert_string_equal(c.database, "service=cobro");
	cobro_conf_free(&c);
	cobro_loads(&c, "database = \"postgresql://db.example:5433/cobro?sslmode=verify-full\";\n");
	assert_string_equal(c.database, "postgresql://db.example:5433/cobro?sslmode=verify-full");
	cobro_conf_free(&c);
}

static void cobro_utf8_and_adjacent_strings(void **state)
{
	struct cobro_conf c;

	(void)state;
	cobro_loads(&c, "database = \"application_name='Muñoz Peña' \"\n"
			"           \"dbname=cobro\";\n");
	assert_string_equal(c.database, "application_name='Muñoz Peña' dbname=cobro");
	cobro_conf_free(&c);
}

static void cobro_boundaries_of_ranges_are_accepted(void **state)
{
	struct cobro_conf c;

	(void)state;
	cobro_loads(&c, "priority = { callback_due = 0; promise_broken = 1e12; contact_cost = 1e9; };\n");
	assert_num_equal(c.weights.callback_due, 0);
	assert_num_equal(c.weights.promise_broken, 1e12);
	assert_num_equal(c.weights.contact_cost, 1e9);
	cobro_conf_free(&c);
}

static void cobro_each_language_choice_is_accepted(void **state)
{
	static const char *const langs[] = {"", "es", "en"};
	struct cobro_conf c;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(langs); i++) {
		char *text = xasprintf("ui = { language = \"%s\"; };\n", langs[i]);

		cobro_loads(&c, text);
		assert_string_equal(c.language, langs[i]);
		cobro_conf_free(&c);
		free(text);
	}
}

static void cobro_keys_accept_any_action_name(void **state)
{
	struct cobro_conf c;

	(void)state;
	cobro_loads(&c, "keys = {\n"
			"\tnext_account = \"n\";\n"
			"\tquit = \"q\";\n"
			"\tpage_down = \"KEY_NPAGE\";\n"
			"\tsome_action_of_a_later_version = \"^X\";\n"
			"};\n");
	cobro_conf_free(&c);
	cobro_loads(&c, "keys = { };\n");
	cobro_conf_free(&c);
}

static void cobro_free_twice_is_harmless(void **state)
{
	struct cobro_conf c;

	(void)state;
	cobro_loads(&c, "user = \"ana\";\n");
	cobro_conf_free(&c);
	assert_null(c.path);
	assert_null(c.database);
	assert_null(c.user);
	assert_null(c.language);
	cobro_conf_free(&c);
}

/* ------------------------------------------------ cobro.conf: explicit file */

static void cobro_explicit_missing_file_is_an_error(void **state)
{
	struct cobro_conf c;
	char err[512], *path = xasprintf("%s/no-such.conf", sb.dir), *want;

	(void)state;
	want = xasprintf("%s: No such file or directory", path);
	assert_false(cobro_conf_load(&c, path, err, sizeof err));
	assert_string_equal(err, want);
	assert_null(c.path);
	cobro_conf_free(&c);
	free(want);
	free(path);
}

static void cobro_explicit_missing_file_beats_an_xdg_file(void **state)
{
	struct cobro_conf c;
	char err[512], *found = conf_file_at(sb.xdg, "cobro/cobro.conf", "user = \"xdg\";\n");
	char *path = xasprintf("%s/typo.conf", sb.dir),
	     *want = xasprintf("%s: No such file or directory", path);

	(void)state;
	assert_false(cobro_conf_load(&c, path, err, sizeof err));
	assert_string_equal(err, want);
	cobro_conf_free(&c);
	free(found);
	free(want);
	free(path);
}

static void cobro_explicit_file_beats_the_xdg_file(void **state)
{
	struct cobro_conf c;
	char *found = conf_file_at(sb.xdg, "cobro/cobro.conf", "user = \"xdg\";\n");

	(void)state;
	cobro_loads(&c, "user = \"explicit\";\n");
	assert_string_equal(c.user, "explicit");
	cobro_conf_free(&c);
	free(found);
}

/* ----------------------------------------------- cobro.conf: where it is found */

static void cobro_found_in_xdg_config_home(void **state)
{
	struct cobro_conf c;
	char err[512], *path = conf_file_at(sb.xdg, "cobro/cobro.conf", "user = \"xdg\";\n");

	(void)state;
	assert_true(cobro_conf_load(&c, NULL, err, sizeof err));
	assert_non_null(c.path);
	assert_string_equal(c.path, path);
	assert_string_equal(c.user, "xdg");
	cobro_conf_free(&c);
	free(path);
}

static void cobro_xdg_wins_over_dot_config(void **state)
{
	struct cobro_conf c;
	char err[512], *xdg = conf_file_at(sb.xdg, "cobro/cobro.conf", "user = \"xdg\";\n");
	char *home = conf_file_at(sb.home, ".config/cobro/cobro.conf", "user = \"home\";\n");

	(void)state;
	assert_true(cobro_conf_load(&c, NULL, err, sizeof err));
	assert_string_equal(c.path, xdg);
	assert_string_equal(c.user, "xdg");
	cobro_conf_free(&c);
	free(xdg);
	free(home);
}

static void cobro_found_in_dot_config_when_xdg_unset(void **state)
{
	struct cobro_conf c;
	char err[512], *path = conf_file_at(sb.home, ".config/cobro/cobro.conf", "user = \"home\";\n");

	(void)state;
	unsetenv("XDG_CONFIG_HOME");
	assert_true(cobro_conf_load(&c, NULL, err, sizeof err));
	assert_non_null(c.path);
	assert_string_equal(c.path, path);
	assert_string_equal(c.user, "home");
	cobro_conf_free(&c);
	free(path);
}

static void cobro_found_in_dot_config_when_xdg_empty(void **state)
{
	struct cobro_conf c;
	char err[512], *path = conf_file_at(sb.home, ".config/cobro/cobro.conf", "user = \"home\";\n");

	(void)state;
	setenv("XDG_CONFIG_HOME", "", 1);
	assert_true(cobro_conf_load(&c, NULL, err, sizeof err));
	assert_non_null(c.path);
	assert_string_equal(c.path, path);
	cobro_conf_free(&c);
	free(path);
}

/* XDG_CONFIG_HOME, when set, replaces ~/.config (the XDG rule, and config.h's). */
static void cobro_dot_config_ignored_when_xdg_set(void **state)
{
	struct cobro_conf c;
	char err[512], *path = conf_file_at(sb.home, ".config/cobro/cobro.conf", "user = \"home\";\n");

	(void)state;
	assert_true(cobro_conf_load(&c, NULL, err, sizeof err));
	assert_found_nothing(c.path, "cobro.conf");
	assert_true(!c.user || strcmp(c.user, "home") != 0);
	cobro_conf_free(&c);
	free(path);
}

static void cobro_does_not_read_cobrod_conf(void **state)
{
	struct cobro_conf c;
	char err[512], *path = conf_file_at(sb.xdg, "cobro/cobrod.conf", "name = \"d1\";\n");

	(void)state;
	assert_true(cobro_conf_load(&c, NULL, err, sizeof err));
	assert_found_nothing(c.path, "cobro.conf");
	cobro_conf_free(&c);
	free(path);
}

static void cobro_error_in_found_file_names_it(void **state)
{
	struct cobro_conf c;
	char err[512], *path = conf_file_at(sb.xdg, "cobro/cobro.conf", "\nui = { colour = true; };\n");
	char *want = xasprintf("%s:2: ui.colour: unknown setting", path);

	(void)state;
	assert_false(cobro_conf_load(&c, NULL, err, sizeof err));
	assert_string_equal(err, want);
	cobro_conf_free(&c);
	free(want);
	free(path);
}

/* ------------------------------------------------- cobro.conf: syntax errors */

static void cobro_syntax_error_names_its_line(void **state)
{
	(void)state;
	cobro_rejects("# line 1\n"
		      "database = \"\";\n"
		      "user = = \"ana\";\n"
		      "ui = { color = true; };\n",
		      ":3: syntax error");
}

static void cobro_syntax_error_after_block_comment(void **state)
{
	(void)state;
	cobro_rejects("/* one\n"
		      "   two\n"
		      "   three */\n"
		      "\n"
		      "ui = {\n"
		      "\tlanguage = \"es\";\n"
		      "\tcolor true;\n"
		      "};\n",
		      ":7: syntax error");
	/* Not '\tlanguage "es";': libconfig 1.5 leaks the string it was holding. */
}

static void cobro_syntax_error_unclosed_group(void **state)
{
	(void)state;
	/* libconfig notices at the end of the file, which is line 4. */
	cobro_rejects("ui = {\n"
		      "\tcolor = true;\n"
		      "\n",
		      ":4: syntax error");
}

static void cobro_syntax_error_bare_word(void **state)
{
	(void)state;
	cobro_rejects("database = \"\";\n\n\n\nuser = ana;\n", ":5: syntax error");
}

static void cobro_duplicate_setting_names_second_line(void **state)
{
	(void)state;
	cobro_rejects("database = \"a\";\n"
		      "user = \"ana\";\n"
		      "database = \"b\";\n",
		      ":3: duplicate setting name");
}

static void cobro_missing_include_names_its_line(void **state)
{
	(void)state;
	cobro_rejects("database = \"\";\n@include \"/nonexistent/cobro-extra.conf\"\n",
		      ":2: cannot open include file");
}

/* ---------------------------------------------- cobro.conf: unknown settings */

static void cobro_unknown_top_level_setting(void **state)
{
	(void)state;
	cobro_rejects("database = \"\";\n"
		      "databse = \"dbname=cobro\";\n",
		      ":2: databse: unknown setting");
}

static void cobro_unknown_nested_setting(void **state)
{
	(void)state;
	cobro_rejects("# the British spelling is a common slip\n"
		      "ui = {\n"
		      "\tlanguage = \"es\";\n"
		      "\tcolour = true;\n"
		      "};\n",
		      ":4: ui.colour: unknown setting");
}

static void cobro_unknown_group(void **state)
{
	(void)state;
	cobro_rejects("display = {\n\tcolor = true;\n};\n", ":1: display: unknown setting");
}

static void cobro_unknown_priority_weight(void **state)
{
	(void)state;
	cobro_rejects("priority = {\n"
		      "\tcallback_due = 1e9;\n"
		      "\tpromise_kept = 5;\n"
		      "};\n",
		      ":3: priority.promise_kept: unknown setting");
}

static void cobro_setting_names_are_case_sensitive(void **state)
{
	(void)state;
	cobro_rejects("Database = \"\";\n", ":1: Database: unknown setting");
}

static void cobro_daemon_setting_is_unknown_here(void **state)
{
	(void)state;
	cobro_rejects("log = { level = \"debug\"; };\n", ":1: log: unknown setting");
}

static void cobro_keys_below_a_key_name_are_unknown(void **state)
{
	(void)state;
	/* keys.* is one level: a group there is a wrong type, not a new level. */
	cobro_rejects("keys = {\n\tquit = { key = \"q\"; };\n};\n",
		      ":2: keys.quit: must be a string in double quotes");
}

static void cobro_first_mistake_is_reported(void **state)
{
	(void)state;
	cobro_rejects("user = \"ana\";\n"
		      "ui = { colour = true; };\n"
		      "bogus = 1;\n",
		      ":2: ui.colour: unknown setting");
}

/* -------------------------------------------------- cobro.conf: wrong types */

static void cobro_database_must_be_a_string(void **state)
{
	(void)state;
	cobro_rejects("database = 5432;\n", ":1: database: must be a string in double quotes");
}

static void cobro_user_must_be_a_string(void **state)
{
	(void)state;
	cobro_rejects("\nuser = [\"ana\"];\n", ":2: user: must be a string in double quotes");
}

static void cobro_color_must_be_a_bool(void **state)
{
	(void)state;
	cobro_rejects("ui = {\n\tcolor = \"yes\";\n};\n", ":2: ui.color: must be true or false");
}

static void cobro_color_one_is_not_a_bool(void **state)
{
	(void)state;
	cobro_rejects("ui = { color = 1; };\n", ":1: ui.color: must be true or false");
}

static void cobro_language_must_be_a_string(void **state)
{
	(void)state;
	cobro_rejects("ui = { language = es; };\n", ":1: syntax error");
	cobro_rejects("ui = { language = 1; };\n", ":1: ui.language: must be a string in double quotes");
}

static void cobro_weight_must_be_a_number(void **state)
{
	(void)state;
	cobro_rejects("priority = {\n\tcontact_cost = \"0.1\";\n};\n",
		      ":2: priority.contact_cost: must be a number");
	cobro_rejects("priority = { callback_due = true; };\n",
		      ":1: priority.callback_due: must be a number");
}

static void cobro_ui_must_be_a_group(void **state)
{
	(void)state;
	cobro_rejects("ui = \"es\";\n", ":1: ui: must be a group { ... }");
	cobro_rejects("ui = ( \"es\" );\n", ":1: ui: must be a group { ... }");
}

static void cobro_keys_must_be_a_group(void **state)
{
	(void)state;
	cobro_rejects("keys = \"n\";\n", ":1: keys: must be a group { ... }");
}

static void cobro_key_binding_must_be_a_string(void **state)
{
	(void)state;
	cobro_rejects("keys = {\n\tnext_account = 110;\n};\n",
		      ":2: keys.next_account: must be a string in double quotes");
}

/* -------------------------------------------------- cobro.conf: out of range */

/* The decay moved to the database (cobroctl priority decay): a cobro.conf
 * that still sets it is told where it went, rather than silently ignored. */
static void cobro_dpd_decay_moved_to_the_database(void **state)
{
	(void)state;
	cobro_rejects("priority = {\n\tdpd_decay = 0.08;\n};\n",
		      ":2: priority.dpd_decay: is set in the database now, for everyone (cobroctl priority decay VALUE)");
}

static void cobro_negative_whole_number_out_of_range(void **state)
{
	(void)state;
	cobro_rejects("\n\npriority = { contact_cost = -1; };\n",
		      ":3: priority.contact_cost: -1 is out of range (0 to 1e+09)");
}

static void cobro_huge_weight_out_of_range(void **state)
{
	(void)state;
	cobro_rejects("priority = { callback_due = 1e13; };\n",
		      ":1: priority.callback_due: 1e+13 is out of range (0 to 1e+12)");
	cobro_rejects("priority = { promise_broken = 2000000000000L; };\n",
		      ":1: priority.promise_broken: 2e+12 is out of range (0 to 1e+12)");
}

/* ------------------------------------------------ cobro.conf: choices */

static void cobro_language_not_among_choices(void **state)
{
	(void)state;
	cobro_rejects("ui = {\n\tlanguage = \"fr\";\n};\n",
		      ":2: ui.language: \"fr\" is not one of \"\", \"es\", \"en\"");
}

static void cobro_language_choices_are_case_sensitive(void **state)
{
	(void)state;
	cobro_rejects("ui = { language = \"ES\"; };\n",
		      ":1: ui.language: \"ES\" is not one of \"\", \"es\", \"en\"");
	cobro_rejects("ui = { language = \"es_CL\"; };\n",
		      ":1: ui.language: \"es_CL\" is not one of \"\", \"es\", \"en\"");
}

/* ------------------------------------------------------------- cobrod.conf */

static void cobrod_defaults_without_any_file(void **state)
{
	struct cobrod_conf c;
	char err[512];

	(void)state;
	assert_true(cobrod_conf_load(&c, NULL, err, sizeof err));
	assert_found_nothing(c.path, "cobrod.conf");
	if (!c.path)
		assert_cobrod_defaults(&c);
	cobrod_conf_free(&c);
}

static void cobrod_empty_file_gives_defaults(void **state)
{
	struct cobrod_conf c;
	char err[512], *path = conf_file("", 0600);

	(void)state;
	assert_true(cobrod_conf_load(&c, path, err, sizeof err));
	assert_string_equal(c.path, path);
	assert_cobrod_defaults(&c);
	cobrod_conf_free(&c);
	free(path);
}

static void cobrod_every_setting_is_read(void **state)
{
	struct cobrod_conf c;
	char err[512], *path = conf_file("database = \"service=cobro\";\n"
					 "name = \"cobrod-a\";\n"
					 "log = {\n"
					 "\tlevel = \"debug\";\n"
					 "\tsyslog = true;\n"
					 "};\n",
					 0600);

	(void)state;
	if (!cobrod_conf_load(&c, path, err, sizeof err))
		fail_msg("rejected: %s", err);
	assert_string_equal(c.database, "service=cobro");
	assert_non_null(c.name);
	assert_string_equal(c.name, "cobrod-a");
	assert_string_equal(c.log_level, "debug");
	assert_true(c.syslog);
	cobrod_conf_free(&c);
	free(path);
}

static void cobrod_each_log_level_is_accepted(void **state)
{
	static const char *const levels[] = {"error", "warning", "info", "debug"};
	struct cobrod_conf c;
	char err[512];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(levels); i++) {
		char *text = xasprintf("log = { level = \"%s\"; };\n", levels[i]);
		char *path = conf_file(text, 0600);

		if (!cobrod_conf_load(&c, path, err, sizeof err))
			fail_msg("rejected: %s", err);
		assert_string_equal(c.log_level, levels[i]);
		cobrod_conf_free(&c);
		free(path);
		free(text);
	}
}

static void cobrod_log_level_not_among_choices(void **state)
{
	(void)state;
	cobrod_rejects(
	    "log = {\n\tlevel = \"verbose\";\n};\n",
	    ":2: log.level: \"verbose\" is not one of \"error\", \"warning\", \"info\", \"debug\"");
}

static void cobrod_syslog_must_be_a_bool(void **state)
{
	(void)state;
	cobrod_rejects("log = { syslog = \"yes\"; };\n", ":1: log.syslog: must be true or false");
}

static void cobrod_name_must_be_a_string(void **state)
{
	(void)state;
	cobrod_rejects("database = \"\";\nname = 7;\n", ":2: name: must be a string in double quotes");
}

static void cobrod_workstation_settings_are_unknown(void **state)
{
	(void)state;
	cobrod_rejects("database = \"\";\nui = { color = true; };\n", ":2: ui: unknown setting");
	cobrod_rejects("user = \"cobrod\";\n", ":1: user: unknown setting");
}

static void cobrod_unknown_nested_setting(void **state)
{
	(void)state;
	cobrod_rejects("log = {\n\tlevel = \"info\";\n\tfile = \"/var/log/cobrod.log\";\n};\n",
		       ":3: log.file: unknown setting");
}

static void cobrod_syntax_error_names_its_line(void **state)
{
	(void)state;
	cobrod_rejects("database = \"\";\nlog = {\n\tlevel = \"info\"\n\tsyslog = true;\n}};\n",
		       ":5: syntax error");
}

static void cobrod_explicit_missing_file_is_an_error(void **state)
{
	struct cobrod_conf c;
	char err[512], *path = xasprintf("%s/cobrod-missing.conf", sb.dir);
	char *want = xasprintf("%s: No such file or directory", path);

	(void)state;
	assert_false(cobrod_conf_load(&c, path, err, sizeof err));
	assert_string_equal(err, want);
	cobrod_conf_free(&c);
	free(want);
	free(path);
}

static void cobrod_found_in_xdg_config_home(void **state)
{
	struct cobrod_conf c;
	char err[512], *path = conf_file_at(sb.xdg, "cobro/cobrod.conf", "name = \"d1\";\n");
	char *other = conf_file_at(sb.xdg, "cobro/cobro.conf", "user = \"ana\";\n");

	(void)state;
	assert_true(cobrod_conf_load(&c, NULL, err, sizeof err));
	assert_non_null(c.path);
	assert_string_equal(c.path, path);
	assert_string_equal(c.name, "d1");
	cobrod_conf_free(&c);
	free(path);
	free(other);
}

static void cobrod_found_in_dot_config_when_xdg_unset(void **state)
{
	struct cobrod_conf c;
	char err[512], *path = conf_file_at(sb.home, ".config/cobro/cobrod.conf", "name = \"d2\";\n");

	(void)state;
	unsetenv("XDG_CONFIG_HOME");
	assert_true(cobrod_conf_load(&c, NULL, err, sizeof err));
	assert_non_null(c.path);
	assert_string_equal(c.path, path);
	assert_string_equal(c.name, "d2");
	cobrod_conf_free(&c);
	free(path);
}

/* ------------------------------------------------- cobrod.conf: transports */

/* Loads text as cobrod.conf, which must succeed; the caller frees c. */
static void cobrod_loads(struct cobrod_conf *c, const char *text)
{
	char err[512], *path = conf_file(text, 0600);

	if (!cobrod_conf_load(c, path, err, sizeof err))
		fail_msg("rejected: %s\n%s", err, text);
	free(path);
}

static const char every_transport[] = "transports = {\n"
				      "\tkannel = {\n"
				      "\t\ttype = \"kannel\";\n"
				      "\t\turl = \"http://127.0.0.1:13013/cgi-bin/sendsms\";\n"
				      "\t\tusername = \"cobro\";\n"
				      "\t\tpassword = \"k-secret\";\n"
				      "\t\tfrom = \"12345\";\n"
				      "\t\tsmsc = \"fake1\";\n"
				      "\t\tdlr_url = \"http://127.0.0.1:8090/kannel/dlr\";\n"
				      "\t\ttimeout = 20;\n"
				      "\t\tconnect_timeout = 2.5;\n"
				      "\t};\n"
				      "\tgw = {\n"
				      "\t\ttype = \"http\";\n"
				      "\t\turl = \"https://api.sms.example/v1/messages\";\n"
				      "\t\tmethod = \"PUT\";\n"
				      "\t\tformat = \"json\";\n"
				      "\t\tbody = \"{\\\"to\\\":\\\"{to}\\\",\\\"text\\\":\\\"{text}\\\"}\";\n"
				      "\t\ttoken = \"gw-token\";\n"
				      "\t\ttoken_header = \"X-API-Key\";\n"
				      "\t\tid_path = \"data.id\";\n"
				      "\t\tfrom = \"COBRO\";\n"
				      "\t};\n"
				      "\tmail = {\n"
				      "\t\ttype = \"smtp\";\n"
				      "\t\turl = \"smtp://smtp.example.com:587\";\n"
				      "\t\tusername = \"cobro\";\n"
				      "\t\tpassword = \"m-secret\";\n"
				      "\t\tfrom = \"cobranzas@example.com\";\n"
				      "\t\tfrom_name = \"Cobranzas Ejemplo\";\n"
				      "\t\treply_to = \"pagos@example.com\";\n"
				      "\t\tmessage_id_domain = \"mail.example.com\";\n"
				      "\t\tunsubscribe_url = \"https://cobro.example.com/baja/{key}\";\n"
				      "\t\tunsubscribe_mailto = \"baja@example.com\";\n"
				      "\t\tstarttls = false;\n"
				      "\t};\n"
				      "\twa = {\n"
				      "\t\ttype = \"whatsapp\";\n"
				      "\t\turl = \"https://graph.facebook.com/v21.0\";\n"
				      "\t\tphone_number_id = \"106540352242922\";\n"
				      "\t\ttoken = \"wa-token\";\n"
				      "\t};\n"
				      "};\n";

static void cobrod_every_transport_setting_is_read(void **state)
{
	struct cobrod_conf c;
	const struct transport *k, *g, *m, *w;

	char *text = xasprintf("%schannels = { sms = { transport = \"kannel\"; }; };\n", every_transport);

	(void)state;
	cobrod_loads(&c, text);
	free(text);
	assert_int_equal(c.ntransports, 4);
	k = cobrod_conf_transport(&c, "kannel");
	g = cobrod_conf_transport(&c, "gw");
	m = cobrod_conf_transport(&c, "mail");
	w = cobrod_conf_transport(&c, "wa");
	assert_non_null(k);
	assert_non_null(g);
	assert_non_null(m);
	assert_non_null(w);
	assert_null(cobrod_conf_transport(&c, "nope"));

	assert_int_equal(k->kind, TRANSPORT_KANNEL);
	assert_string_equal(k->name, "kannel");
	assert_int_equal(k->line, 2);
	assert_string_equal(k->url, "http://127.0.0.1:13013/cgi-bin/sendsms");
	assert_int_equal(k->at.url, 4);
	assert_string_equal(k->username, "cobro");
	assert_string_equal(k->password, "k-secret");
	assert_string_equal(k->from, "12345");
	assert_string_equal(k->smsc, "fake1");
	assert_string_equal(k->dlr_url, "http://127.0.0.1:8090/kannel/dlr");
	assert_int_equal(k->at.dlr_url, 9);
	assert_num_equal(k->timeout, 20);
	assert_num_equal(k->connect_timeout, 2.5);

	assert_int_equal(g->kind, TRANSPORT_HTTP);
	assert_string_equal(g->method, "PUT");
	assert_true(g->json);
	assert_string_equal(g->body, "{\"to\":\"{to}\",\"text\":\"{text}\"}");
	assert_int_equal(g->at.body, 18);
	assert_string_equal(g->token, "gw-token");
	assert_string_equal(g->token_header, "X-API-Key");
	assert_string_equal(g->id_path, "data.id");
	assert_null(g->username);
	assert_null(g->password);
	assert_num_equal(g->timeout, 30);
	assert_num_equal(g->connect_timeout, 10);

	assert_int_equal(m->kind, TRANSPORT_SMTP);
	assert_string_equal(m->url, "smtp://smtp.example.com:587");
	assert_string_equal(m->password, "m-secret");
	assert_string_equal(m->from, "cobranzas@example.com");
	assert_int_equal(m->at.from, 29);
	assert_string_equal(m->from_name, "Cobranzas Ejemplo");
	assert_string_equal(m->reply_to, "pagos@example.com");
	assert_string_equal(m->message_id_domain, "mail.example.com");
	assert_string_equal(m->unsubscribe_url, "https://cobro.example.com/baja/{key}");
	assert_string_equal(m->unsubscribe_mailto, "baja@example.com");
	assert_false(m->starttls);

	assert_int_equal(w->kind, TRANSPORT_WHATSAPP);
	assert_string_equal(w->phone_number_id, "106540352242922");
	assert_string_equal(w->token, "wa-token");
	assert_null(w->password);

	cobrod_conf_free(&c);
}

static void cobrod_transport_defaults(void **state)
{
	struct cobrod_conf c;
	const struct transport *t;

	(void)state;
	cobrod_loads(&c, "transports = {\n"
			 "\tgw = { type = \"http\"; url = \"https://gw.example/send\"; body = \"to={to}\"; };\n"
			 "\tmail = { type = \"smtp\"; url = \"smtps://smtp.example.com\"; from = \"a@example.com\"; };\n"
			 "};\n");
	t = cobrod_conf_transport(&c, "gw");
	assert_string_equal(t->method, "POST");
	assert_false(t->json);
	assert_null(t->id_path);
	assert_null(t->token);
	assert_num_equal(t->timeout, 30);
	assert_num_equal(t->connect_timeout, 10);
	t = cobrod_conf_transport(&c, "mail");
	assert_true(t->starttls);
	assert_null(t->username);
	assert_null(t->password);
	assert_null(t->reply_to);
	assert_null(t->message_id_domain);
	assert_false(c.secret_in_file);
	cobrod_conf_free(&c);
}

static void cobrod_every_other_new_setting_is_read(void **state)
{
	struct cobrod_conf c;

	(void)state;
	cobrod_loads(&c, "outbox = {\n"
			 "\tmax_attempts = 3;\n"
			 "\tbackoff_base = 5;\n"
			 "\tbackoff_max = 600.5;\n"
			 "\tlease = 60;\n"
			 "\tparallel = 32;\n"
			 "};\n"
			 "listen = { address = \"0.0.0.0\"; port = 8090; };\n"
			 "tls = {\n"
			 "\tca_file = \"/etc/cobro/ca.pem\";\n"
			 "\tinsecure_hosts = [ \"smtp.test.local\", \"127.0.0.1\" ];\n"
			 "};\n"
			 "channels = { sms = { rate = 50; }; email = { rate = 0.5; }; whatsapp = { rate = 80; }; };\n");
	assert_int_equal(c.max_attempts, 3);
	assert_num_equal(c.backoff_base, 5);
	assert_num_equal(c.backoff_max, 600.5);
	assert_int_equal(c.lease, 60);
	assert_int_equal(c.parallel, 32);
	assert_string_equal(c.listen_address, "0.0.0.0");
	assert_int_equal(c.listen_port, 8090);
	assert_string_equal(c.ca_file, "/etc/cobro/ca.pem");
	assert_int_equal(c.ninsecure_hosts, 2);
	assert_string_equal(c.insecure_hosts[0], "smtp.test.local");
	assert_string_equal(c.insecure_hosts[1], "127.0.0.1");
	assert_num_equal(c.channels[CH_SMS].rate, 50);
	assert_num_equal(c.channels[CH_EMAIL].rate, 0.5);
	assert_num_equal(c.channels[CH_WHATSAPP].rate, 80);
	assert_null(c.channels[CH_SMS].transport);
	cobrod_conf_free(&c);

	/* A list ( ) serves as well as an array [ ], and may be empty. */
	cobrod_loads(&c, "tls = { insecure_hosts = ( \"a.example\" ); };\n");
	assert_int_equal(c.ninsecure_hosts, 1);
	cobrod_conf_free(&c);
	cobrod_loads(&c, "tls = { insecure_hosts = [ ]; };\n");
	assert_int_equal(c.ninsecure_hosts, 0);
	assert_null(c.insecure_hosts);
	cobrod_conf_free(&c);
}

static void cobrod_channels_take_the_one_transport_that_fits(void **state)
{
	struct cobrod_conf c;

	(void)state;
	cobrod_loads(&c, "transports = {\n"
			 "\tk = { type = \"kannel\"; url = \"http://h/s\"; username = \"u\"; password = \"p\"; };\n"
			 "\tm = { type = \"smtp\"; url = \"smtp://h\"; from = \"a@example.com\"; };\n"
			 "\tw = { type = \"whatsapp\"; url = \"https://h\"; phone_number_id = \"1\"; token = \"t\"; };\n"
			 "};\n");
	assert_ptr_equal(c.channels[CH_SMS].transport, cobrod_conf_transport(&c, "k"));
	assert_ptr_equal(c.channels[CH_EMAIL].transport, cobrod_conf_transport(&c, "m"));
	assert_ptr_equal(c.channels[CH_WHATSAPP].transport, cobrod_conf_transport(&c, "w"));
	assert_null(c.channels[CH_CALL].transport);
	cobrod_conf_free(&c);

	/* A generic gateway is taken for SMS, never guessed for WhatsApp. */
	cobrod_loads(&c, "transports = { g = { type = \"http\"; url = \"https://h/s\"; body = \"t={text}\"; }; };\n");
	assert_ptr_equal(c.channels[CH_SMS].transport, &c.transports[0]);
	assert_null(c.channels[CH_WHATSAPP].transport);
	assert_null(c.channels[CH_EMAIL].transport);
	cobrod_conf_free(&c);
}

static void cobrod_channels_named_explicitly(void **state)
{
	struct cobrod_conf c;
	char *text = xasprintf("%schannels = {\n"
			       "\tsms = { transport = \"gw\"; rate = 20; };\n"
			       "\twhatsapp = { transport = \"gw\"; };\n"
			       "};\n",
			       every_transport);

	(void)state;
	cobrod_loads(&c, text);
	assert_ptr_equal(c.channels[CH_SMS].transport, cobrod_conf_transport(&c, "gw"));
	assert_ptr_equal(c.channels[CH_WHATSAPP].transport, cobrod_conf_transport(&c, "gw"));
	assert_ptr_equal(c.channels[CH_EMAIL].transport, cobrod_conf_transport(&c, "mail"));
	assert_num_equal(c.channels[CH_SMS].rate, 20);
	cobrod_conf_free(&c);
	free(text);
}

static void cobrod_two_sms_transports_need_a_choice(void **state)
{
	(void)state;
	/* every_transport has kannel and gw: without channels.sms.transport
	 * cobrod cannot know which. */
	cobrod_rejects(every_transport, ":1: channels.sms.transport: required, as \"kannel\" and \"gw\" can both send sms");
}

static void cobrod_channel_transport_mistakes(void **state)
{
	char *text;

	(void)state;
	text = xasprintf("%schannels = {\n\tsms = { transport = \"kanel\"; };\n};\n", every_transport);
	cobrod_rejects(text, ":45: channels.sms.transport: no transport named \"kanel\"");
	free(text);
	text = xasprintf("%schannels = {\n\tsms = { transport = \"kannel\"; };\n\temail = { transport = \"kannel\"; };\n};\n",
			 every_transport);
	cobrod_rejects(text, ":46: channels.email.transport: \"kannel\" is a kannel transport, which cannot send email");
	free(text);
	text = xasprintf("%schannels = {\n\tsms = { transport = \"mail\"; };\n};\n", every_transport);
	cobrod_rejects(text, ":45: channels.sms.transport: \"mail\" is an smtp transport, which cannot send sms");
	free(text);
	text = xasprintf("%schannels = {\n\tsms = { transport = \"kannel\"; };\n\temail = { transport = \"gw\"; };\n};\n",
			 every_transport);
	cobrod_rejects(text, ":46: channels.email.transport: \"gw\" is an http transport, which cannot send email");
	free(text);
	cobrod_rejects("channels = { mail = { rate = 1; }; };\n", ":1: channels.mail: unknown setting");
	cobrod_rejects("channels = { sms = { rate = 0; }; };\n", ":1: channels.sms.rate: 0 is out of range (0.01 to 10000)");
	cobrod_rejects("channels = { sms = { transport = 1; }; };\n",
		       ":1: channels.sms.transport: must be a string in double quotes");
}

static void cobrod_transport_needs_a_type(void **state)
{
	(void)state;
	cobrod_rejects("transports = {\n\tk = {\n\t\turl = \"http://h/\";\n\t};\n};\n",
		       ":2: transports.k.type: required: \"kannel\", \"http\", \"smtp\" or \"whatsapp\"");
	cobrod_rejects("transports = {\n\tk = {\n\t\ttype = \"sms\";\n\t};\n};\n",
		       ":3: transports.k.type: \"sms\" is not one of \"kannel\", \"http\", \"smtp\", \"whatsapp\"");
	cobrod_rejects("transports = {\n\tk = \"kannel\";\n};\n", ":2: transports.k: must be a group { ... }");
	cobrod_rejects("transports = \"kannel\";\n", ":1: transports: must be a group { ... }");
}

static void cobrod_transport_settings_belong_to_kinds(void **state)
{
	(void)state;
	cobrod_rejects("transports = {\n\tm = {\n\t\ttype = \"smtp\";\n\t\turl = \"smtp://h\";\n"
		       "\t\tfrom = \"a@example.com\";\n\t\tphone_number_id = \"1\";\n\t};\n};\n",
		       ":6: transports.m.phone_number_id: not a setting of an smtp transport");
	cobrod_rejects("transports = {\n\tk = {\n\t\ttype = \"kannel\";\n\t\tbody = \"x\";\n\t};\n};\n",
		       ":4: transports.k.body: not a setting of a kannel transport");
	cobrod_rejects("transports = {\n\tg = {\n\t\ttype = \"http\";\n\t\tstarttls = true;\n\t};\n};\n",
		       ":4: transports.g.starttls: not a setting of an http transport");
	cobrod_rejects("transports = {\n\tw = {\n\t\ttype = \"whatsapp\";\n\t\tusername = \"u\";\n\t};\n};\n",
		       ":4: transports.w.username: not a setting of a whatsapp transport");
	cobrod_rejects("transports = {\n\tk = {\n\t\ttype = \"kannel\";\n\t\tusrname = \"u\";\n\t};\n};\n",
		       ":4: transports.k.usrname: unknown setting");
	cobrod_rejects("transports = {\n\tk = {\n\t\ttype = \"kannel\";\n\t\tdlr = { a = 1; };\n\t};\n};\n",
		       ":4: transports.k.dlr: unknown setting");
}

static void cobrod_transport_required_settings(void **state)
{
	(void)state;
	cobrod_rejects("transports = {\n\tk = {\n\t\ttype = \"kannel\";\n\t};\n};\n", ":2: transports.k.url: required");
	cobrod_rejects("transports = {\n\tk = {\n\t\ttype = \"kannel\";\n\t\turl = \"http://h/s\";\n\t};\n};\n",
		       ":2: transports.k.username: required");
	cobrod_rejects("transports = {\n\tk = {\n\t\ttype = \"kannel\";\n\t\turl = \"http://h/s\";\n"
		       "\t\tusername = \"u\";\n\t};\n};\n",
		       ":2: transports.k.password: required (or password_env)");
	cobrod_rejects("transports = {\n\tm = {\n\t\ttype = \"smtp\";\n\t\turl = \"smtp://h\";\n\t};\n};\n",
		       ":2: transports.m.from: required");
	cobrod_rejects("transports = {\n\tw = {\n\t\ttype = \"whatsapp\";\n\t\turl = \"https://h\";\n\t};\n};\n",
		       ":2: transports.w.phone_number_id: required");
	cobrod_rejects("transports = {\n\tw = {\n\t\ttype = \"whatsapp\";\n\t\turl = \"https://h\";\n"
		       "\t\tphone_number_id = \"1\";\n\t};\n};\n",
		       ":2: transports.w.token: required (or token_env)");
	cobrod_rejects("transports = {\n\tg = {\n\t\ttype = \"http\";\n\t\turl = \"https://h\";\n\t};\n};\n",
		       ":2: transports.g.body: required with method POST");
}

static void cobrod_transport_url_schemes(void **state)
{
	(void)state;
	cobrod_rejects("transports = {\n\tm = {\n\t\ttype = \"smtp\";\n\t\turl = \"https://h\";\n"
		       "\t\tfrom = \"a@example.com\";\n\t};\n};\n",
		       ":4: transports.m.url: must start with smtp:// or smtps://");
	cobrod_rejects("transports = {\n\tk = {\n\t\ttype = \"kannel\";\n\t\turl = \"127.0.0.1:13013\";\n"
		       "\t\tusername = \"u\";\n\t\tpassword = \"p\";\n\t};\n};\n",
		       ":4: transports.k.url: must start with http:// or https://");
}

static void cobrod_http_transport_mistakes(void **state)
{
	(void)state;
	cobrod_rejects("transports = {\n\tg = {\n\t\ttype = \"http\";\n\t\turl = \"https://h/?to={to}\";\n"
		       "\t\tmethod = \"GET\";\n\t\tbody = \"x\";\n\t};\n};\n",
		       ":6: transports.g.body: not sent with method GET: put the parameters in url");
	cobrod_rejects("transports = {\n\tg = {\n\t\ttype = \"http\";\n\t\tmethod = \"get\";\n\t};\n};\n",
		       ":4: transports.g.method: \"get\" is not one of \"POST\", \"PUT\", \"GET\"");
	cobrod_rejects("transports = {\n\tg = {\n\t\ttype = \"http\";\n\t\tformat = \"xml\";\n\t};\n};\n",
		       ":4: transports.g.format: \"xml\" is not one of \"form\", \"json\"");
	cobrod_rejects("transports = {\n\tg = {\n\t\ttype = \"http\";\n\t\turl = \"https://h\";\n\t\tbody = \"x\";\n"
		       "\t\tusername = \"u\";\n\t};\n};\n",
		       ":6: transports.g.username: needs password (or password_env)");
	cobrod_rejects("transports = {\n\tg = {\n\t\ttype = \"http\";\n\t\turl = \"https://h\";\n\t\tbody = \"x\";\n"
		       "\t\tusername = \"u\";\n\t\tpassword = \"p\";\n\t\ttoken = \"t\";\n\t};\n};\n",
		       ":8: transports.g.token: basic (username) or bearer (token) authentication, not both");
	cobrod_rejects("transports = {\n\tg = {\n\t\ttype = \"http\";\n\t\turl = \"https://h\";\n\t\tbody = \"x\";\n"
		       "\t\ttoken_header = \"X-Key\";\n\t};\n};\n",
		       ":6: transports.g.token_header: needs token (or token_env)");
	cobrod_rejects("transports = {\n\tg = {\n\t\ttype = \"http\";\n\t\turl = \"https://h\";\n\t\tbody = \"x\";\n"
		       "\t\tpassword = \"p\";\n\t};\n};\n",
		       ":6: transports.g.password: needs username");
}

static void cobrod_transport_timeouts(void **state)
{
	(void)state;
	cobrod_rejects("transports = {\n\tg = {\n\t\ttype = \"http\";\n\t\ttimeout = 0.5;\n\t};\n};\n",
		       ":4: transports.g.timeout: 0.5 is out of range (1 to 600)");
	cobrod_rejects("transports = {\n\tg = {\n\t\ttype = \"http\";\n\t\turl = \"https://h\";\n\t\tbody = \"x\";\n"
		       "\t\ttimeout = 5;\n\t\tconnect_timeout = 10;\n\t};\n};\n",
		       ":7: transports.g.connect_timeout: 10 is longer than timeout (5)");
	cobrod_rejects("transports = {\n\tg = {\n\t\ttype = \"http\";\n\t\ttimeout = \"30s\";\n\t};\n};\n",
		       ":4: transports.g.timeout: must be a number");
}

static void cobrod_secret_from_the_environment(void **state)
{
	struct cobrod_conf c;
	const char *text = "transports = {\n"
			   "\tm = {\n"
			   "\t\ttype = \"smtp\";\n"
			   "\t\turl = \"smtp://h\";\n"
			   "\t\tfrom = \"a@example.com\";\n"
			   "\t\tusername = \"cobro\";\n"
			   "\t\tpassword_env = \"COBRO_TEST_SMTP_PASSWORD\";\n"
			   "\t};\n"
			   "\tw = {\n"
			   "\t\ttype = \"whatsapp\";\n"
			   "\t\turl = \"https://h\";\n"
			   "\t\tphone_number_id = \"1\";\n"
			   "\t\ttoken_env = \"COBRO_TEST_WA_TOKEN\";\n"
			   "\t};\n"
			   "};\n";

	(void)state;
	setenv("COBRO_TEST_SMTP_PASSWORD", "from-env", 1);
	setenv("COBRO_TEST_WA_TOKEN", "wa-from-env", 1);
	cobrod_loads(&c, text);
	assert_string_equal(cobrod_conf_transport(&c, "m")->password, "from-env");
	assert_string_equal(cobrod_conf_transport(&c, "w")->token, "wa-from-env");
	assert_false(c.secret_in_file);
	cobrod_conf_free(&c);

	unsetenv("COBRO_TEST_WA_TOKEN");
	cobrod_rejects(text, ":13: transports.w.token_env: COBRO_TEST_WA_TOKEN is not set in the environment");
	setenv("COBRO_TEST_WA_TOKEN", "", 1);
	cobrod_rejects(text, ":13: transports.w.token_env: COBRO_TEST_WA_TOKEN is not set in the environment");
	unsetenv("COBRO_TEST_WA_TOKEN");
	unsetenv("COBRO_TEST_SMTP_PASSWORD");
}

static void cobrod_secret_env_mistakes(void **state)
{
	(void)state;
	setenv("COBRO_TEST_P", "x", 1);
	cobrod_rejects("transports = {\n\tk = {\n\t\ttype = \"kannel\";\n\t\tpassword = \"p\";\n"
		       "\t\tpassword_env = \"COBRO_TEST_P\";\n\t};\n};\n",
		       ":5: transports.k.password_env: give password or password_env, not both");
	cobrod_rejects("transports = {\n\tk = {\n\t\ttype = \"kannel\";\n\t\tpassword_env = \"$COBRO_TEST_P\";\n"
		       "\t};\n};\n",
		       ":4: transports.k.password_env: \"$COBRO_TEST_P\" is not an environment variable's name");
	cobrod_rejects("transports = {\n\tk = {\n\t\ttype = \"kannel\";\n\t\tpassword_env = \"\";\n\t};\n};\n",
		       ":4: transports.k.password_env: \"\" is not an environment variable's name");
	unsetenv("COBRO_TEST_P");
}

/* The message names the setting, never its value. */
static void cobrod_errors_never_repeat_a_secret(void **state)
{
	struct cobrod_conf c;
	char err[512], *path = conf_file("transports = {\n\tk = {\n\t\ttype = \"kannel\";\n\t\turl = \"h\";\n"
					 "\t\tusername = \"u\";\n\t\tpassword = \"hunter2-secret\";\n\t};\n};\n",
					 0600);

	(void)state;
	assert_false(cobrod_conf_load(&c, path, err, sizeof err));
	assert_null(strstr(err, "hunter2"));
	cobrod_conf_free(&c);
	free(path);
}

static void cobrod_outbox_listen_tls_mistakes(void **state)
{
	(void)state;
	cobrod_rejects("outbox = { max_attempts = 0; };\n", ":1: outbox.max_attempts: 0 is out of range (1 to 100)");
	cobrod_rejects("outbox = { max_attempts = 2.5; };\n", ":1: outbox.max_attempts: must be a whole number");
	cobrod_rejects("outbox = { lease = 5; };\n", ":1: outbox.lease: 5 is out of range (10 to 86400)");
	cobrod_rejects("outbox = { parallel = 0; };\n", ":1: outbox.parallel: 0 is out of range (1 to 1000)");
	cobrod_rejects("outbox = {\n\tbackoff_base = 60;\n\tbackoff_max = 30;\n};\n",
		       ":3: outbox.backoff_max: 30 is shorter than outbox.backoff_base (60)");
	cobrod_rejects("outbox = {\n\tbackoff_base = 7200;\n};\n",
		       ":2: outbox.backoff_base: 7200 is longer than outbox.backoff_max (3600 by default)");
	cobrod_rejects("outbox = { retries = 3; };\n", ":1: outbox.retries: unknown setting");
	cobrod_rejects("listen = { port = 70000; };\n", ":1: listen.port: 70000 is out of range (0 to 65535)");
	cobrod_rejects("listen = { port = \"8090\"; };\n", ":1: listen.port: must be a whole number");
	cobrod_rejects("tls = { insecure_hosts = \"h\"; };\n",
		       ":1: tls.insecure_hosts: must be a list of strings [ \"...\", ... ]");
	cobrod_rejects("tls = { insecure_hosts = [ 1, 2 ]; };\n",
		       ":1: tls.insecure_hosts: must be a list of strings [ \"...\", ... ]");
	cobrod_rejects("tls = { insecure_hosts = ( \"a\", 2 ); };\n",
		       ":1: tls.insecure_hosts: must be a list of strings [ \"...\", ... ]");
	cobrod_rejects("tls = { verify = false; };\n", ":1: tls.verify: unknown setting");
}

static void cobrod_transport_secrets_in_a_readable_file_warn(void **state)
{
	struct cobrod_conf c;
	char err[512], msg[512] = "untouched";
	const char *text = "transports = {\n\tk = {\n\t\ttype = \"kannel\";\n\t\turl = \"http://h/s\";\n"
			   "\t\tusername = \"u\";\n\t\tpassword = \"p-in-file\";\n\t};\n};\n";
	char *path = conf_file(text, 0644), *want = xasprintf("%s holds a password and others may read it (chmod 600 %s)",
							      path, path);

	(void)state;
	if (!cobrod_conf_load(&c, path, err, sizeof err))
		fail_msg("%s", err);
	assert_true(c.secret_in_file);
	assert_true(cobrod_conf_exposed(&c, msg, sizeof msg));
	assert_string_equal(msg, want);
	assert_null(strstr(msg, "p-in-file"));
	cobrod_conf_free(&c);
	assert_int_equal(chmod(path, 0600), 0);
	assert_true(cobrod_conf_load(&c, path, err, sizeof err));
	assert_false(cobrod_conf_exposed(&c, msg, sizeof msg));
	cobrod_conf_free(&c);
	free(want);
	free(path);
}

/* The secret Kannel's calls to the listener carry: whoever reads it speaks
 * for the gateway, so a file holding it must be its owner's alone (not just
 * a warning, as for a password), and it must be long and URL-safe. */
static void cobrod_callback_secret(void **state)
{
	struct cobrod_conf c;
	char err[512];
	const char *text = "transports = {\n\tk = {\n\t\ttype = \"kannel\";\n\t\turl = \"http://h/s\";\n"
			   "\t\tusername = \"u\";\n\t\tpassword_env = \"COBRO_TEST_K\";\n"
			   "\t\tcallback_secret = \"cb-0123456789abcdef\";\n\t};\n};\n";
	char *path = conf_file(text, 0640), *want = xasprintf("%s:7: callback_secret: in a file that is not private to "
							      "its owner (chmod 600 %s)", path, path);

	(void)state;
	setenv("COBRO_TEST_K", "secret", 1);
	assert_false(cobrod_conf_load(&c, path, err, sizeof err));
	assert_string_equal(err, want);
	assert_null(strstr(err, "0123456789abcdef"));
	assert_int_equal(chmod(path, 0600), 0);
	if (!cobrod_conf_load(&c, path, err, sizeof err))
		fail_msg("%s", err);
	assert_string_equal(cobrod_conf_transport(&c, "k")->callback_secret, "cb-0123456789abcdef");
	assert_int_equal(cobrod_conf_transport(&c, "k")->at.callback_secret, 7);
	cobrod_conf_free(&c);
	free(want);
	free(path);

	/* From the environment, the file may be readable. */
	setenv("COBRO_TEST_CB", "cb-from-the-environment", 1);
	path = conf_file("transports = {\n\tk = {\n\t\ttype = \"kannel\";\n\t\turl = \"http://h/s\";\n"
			 "\t\tusername = \"u\";\n\t\tpassword_env = \"COBRO_TEST_K\";\n"
			 "\t\tcallback_secret_env = \"COBRO_TEST_CB\";\n\t};\n};\n",
			 0644);
	if (!cobrod_conf_load(&c, path, err, sizeof err))
		fail_msg("%s", err);
	assert_string_equal(cobrod_conf_transport(&c, "k")->callback_secret, "cb-from-the-environment");
	cobrod_conf_free(&c);
	free(path);

	setenv("COBRO_TEST_CB", "short", 1);
	cobrod_rejects("transports = {\n\tk = {\n\t\ttype = \"kannel\";\n\t\turl = \"http://h/s\";\n"
		       "\t\tusername = \"u\";\n\t\tpassword_env = \"COBRO_TEST_K\";\n"
		       "\t\tcallback_secret_env = \"COBRO_TEST_CB\";\n\t};\n};\n",
		       ":7: transports.k.callback_secret_env: 16 to 128 characters of A-Z a-z 0-9 - _ . ~ (e.g. openssl "
		       "rand -hex 24)");
	setenv("COBRO_TEST_CB", "with space and & in it, long enough", 1);
	cobrod_rejects("transports = {\n\tk = {\n\t\ttype = \"kannel\";\n\t\turl = \"http://h/s\";\n"
		       "\t\tusername = \"u\";\n\t\tpassword_env = \"COBRO_TEST_K\";\n"
		       "\t\tcallback_secret_env = \"COBRO_TEST_CB\";\n\t};\n};\n",
		       ":7: transports.k.callback_secret_env: 16 to 128 characters of A-Z a-z 0-9 - _ . ~ (e.g. openssl "
		       "rand -hex 24)");
	cobrod_rejects("transports = {\n\tm = {\n\t\ttype = \"smtp\";\n\t\turl = \"smtp://h\";\n"
		       "\t\tfrom = \"a@example.com\";\n\t\tcallback_secret_env = \"COBRO_TEST_CB\";\n\t};\n};\n",
		       ":6: transports.m.callback_secret_env: not a setting of an smtp transport");
	unsetenv("COBRO_TEST_CB");
	unsetenv("COBRO_TEST_K");
}

static void cobrod_env_secrets_in_a_readable_file_are_quiet(void **state)
{
	struct cobrod_conf c;
	char err[512], msg[512] = "untouched";
	char *path = conf_file("transports = {\n\tk = {\n\t\ttype = \"kannel\";\n\t\turl = \"http://h/s\";\n"
			       "\t\tusername = \"u\";\n\t\tpassword_env = \"COBRO_TEST_K\";\n\t};\n};\n",
			       0644);

	(void)state;
	setenv("COBRO_TEST_K", "secret", 1);
	if (!cobrod_conf_load(&c, path, err, sizeof err))
		fail_msg("%s", err);
	assert_false(cobrod_conf_exposed(&c, msg, sizeof msg));
	assert_string_equal(msg, "untouched");
	cobrod_conf_free(&c);
	unsetenv("COBRO_TEST_K");
	free(path);
}

static void cobrod_database_password_still_warns(void **state)
{
	struct cobrod_conf c;
	char err[512], msg[512];
	char *path = conf_file("database = \"host=/nonexistent password=x\";\n", 0640);

	(void)state;
	if (!cobrod_conf_load(&c, path, err, sizeof err))
		fail_msg("%s", err);
	assert_true(cobrod_conf_exposed(&c, msg, sizeof msg));
	cobrod_conf_free(&c);
	free(path);
}

/* A failed load after transports were read frees them (a SIGHUP reload
 * that fails must not leak), and leaves the struct safe to free again. */
static void cobrod_failed_load_with_transports_leaves_nothing(void **state)
{
	struct cobrod_conf c;
	char err[512], *text = xasprintf("%schannels = { sms = { transport = \"nope\"; }; };\n", every_transport);
	char *path = conf_file(text, 0600);

	(void)state;
	assert_false(cobrod_conf_load(&c, path, err, sizeof err));
	assert_null(c.path);
	assert_null(c.transports);
	assert_int_equal(c.ntransports, 0);
	cobrod_conf_free(&c);
	free(path);
	free(text);
}

static void cobrod_reload_twice(void **state)
{
	struct cobrod_conf a, b;
	char *text = xasprintf("%schannels = { sms = { transport = \"kannel\"; }; };\n", every_transport);

	(void)state;
	cobrod_loads(&a, text);
	cobrod_loads(&b, text);
	cobrod_conf_free(&a);
	a = b; /* what cobrod does on SIGHUP: the channel pointers move along */
	assert_ptr_equal(a.channels[CH_SMS].transport, cobrod_conf_transport(&a, "kannel"));
	cobrod_conf_free(&a);
	free(text);
}

/* The other kinds of setting path still match as before: "*" is one name. */
static void cobrod_wildcard_is_one_name(void **state)
{
	(void)state;
	cobrod_rejects("transports = {\n\tk = {\n\t\tsub = {\n\t\t\ttype = \"kannel\";\n\t\t};\n\t};\n};\n",
		       ":3: transports.k.sub: unknown setting");
	cobro_rejects("keys = { a = { b = \"x\"; }; };\n", ":1: keys.a: must be a string in double quotes");
}

/* --------------------------------------------------------- password exposure */

static void password_in_0644_file_warns(void **state)
{
	char msg[512] = "", *path = conf_file("database = \"host=/nonexistent password=x\";\n", 0644);
	char *want = xasprintf("%s holds a password and others may read it (chmod 600 %s)", path, path);

	(void)state;
	assert_true(conf_password_exposed(path, "host=/nonexistent password=x", msg, sizeof msg));
	assert_string_equal(msg, want);
	free(want);
	free(path);
}

static void password_in_group_readable_file_warns(void **state)
{
	char msg[512] = "", *path = conf_file("", 0640);

	(void)state;
	assert_true(conf_password_exposed(path, "dbname=cobro password=x", msg, sizeof msg));
	assert_non_null(strstr(msg, "chmod 600"));
	free(path);
}

static void password_in_world_readable_only_file_warns(void **state)
{
	char msg[512] = "", *path = conf_file("", 0604);

	(void)state;
	assert_true(conf_password_exposed(path, "password=x", msg, sizeof msg));
	free(path);
}

static void password_in_0600_file_is_quiet(void **state)
{
	char msg[512] = "untouched", *path = conf_file("", 0600);

	(void)state;
	assert_false(conf_password_exposed(path, "host=/nonexistent password=x", msg, sizeof msg));
	assert_string_equal(msg, "untouched");
	free(path);
}

static void password_in_0400_file_is_quiet(void **state)
{
	char msg[512] = "", *path = conf_file("", 0400);

	(void)state;
	assert_false(conf_password_exposed(path, "password=x", msg, sizeof msg));
	free(path);
}

static void no_password_in_0644_file_is_quiet(void **state)
{
	char msg[512] = "untouched", *path = conf_file("", 0644);

	(void)state;
	assert_false(conf_password_exposed(path, "host=/nonexistent dbname=cobro", msg, sizeof msg));
	assert_false(conf_password_exposed(path, "", msg, sizeof msg));
	assert_false(conf_password_exposed(path, "service=cobro", msg, sizeof msg));
	assert_false(conf_password_exposed(path, NULL, msg, sizeof msg));
	assert_string_equal(msg, "untouched");
	free(path);
}

static void password_without_a_file_is_quiet(void **state)
{
	char msg[512] = "untouched";

	(void)state;
	/* The conninfo came from --database or the defaults: no file to protect. */
	assert_false(conf_password_exposed(NULL, "password=x", msg, sizeof msg));
	assert_string_equal(msg, "untouched");
}

static void password_exposure_through_the_loader(void **state)
{
	struct cobro_conf c;
	char err[512], msg[512];
	char *path = conf_file("database = \"host=/nonexistent password=x\";\n", 0644);

	(void)state;
	if (!cobro_conf_load(&c, path, err, sizeof err))
		fail_msg("rejected: %s", err);
	assert_true(conf_password_exposed(c.path, c.database, msg, sizeof msg));
	assert_non_null(strstr(msg, "chmod 600"));
	assert_null(strstr(msg, "password=x")); /* the secret itself is never repeated */
	cobro_conf_free(&c);
	assert_int_equal(chmod(path, 0600), 0);
	assert_true(cobro_conf_load(&c, path, err, sizeof err));
	assert_false(conf_password_exposed(c.path, c.database, msg, sizeof msg));
	cobro_conf_free(&c);
	free(path);
}

/* Regression (src/core/config.c, conf_password_exposed): a URI conninfo carries its password
 * as postgresql://user:SECRET@host/db, without the word "password". */
static void password_in_uri_conninfo_warns(void **state)
{
	char msg[512] = "", *path = conf_file("", 0644);
	bool warned =
	    conf_password_exposed(path, "postgresql://ana:s3cret@db.example/cobro", msg, sizeof msg);

	(void)state;
	free(path);
	assert_true(warned);
}

/* ------------------------------------------------------------ failed loads */

/* Regression (src/core/config.c, cobro_conf_load/cobrod_conf_load): a load that fails after
 * finding the file returns with c->path still allocated. cobrod's SIGHUP reload
 * loads into a fresh struct and never frees it on failure, so each failed
 * reload leaks. A failed load should leave nothing to free. */
static void failed_load_leaves_nothing_to_free(void **state)
{
	struct cobro_conf c;
	struct cobrod_conf d;
	char err[512], *path = conf_file("x = 1;\n", 0600);
	bool cobro_left, cobrod_left;

	(void)state;
	assert_false(cobro_conf_load(&c, path, err, sizeof err));
	cobro_left = c.path != NULL;
	cobro_conf_free(&c);
	assert_false(cobrod_conf_load(&d, path, err, sizeof err));
	cobrod_left = d.path != NULL;
	cobrod_conf_free(&d);
	free(path);
	assert_false(cobro_left);
	assert_false(cobrod_left);
}

/* Regression (src/core/config.c, conf_find and conf_read): access(R_OK) accepts a
 * directory; libconfig then fails without setting errno, and conf_read reports
 * whatever errno was left from before: here the misleading "No such file or
 * directory" for a path that exists. */
static void directory_as_config_file_says_so(void **state)
{
	struct cobro_conf c;
	char err[512], *want = xasprintf("%s: Is a directory", sb.dir);
	bool ok, right;

	(void)state;
	errno = ENOENT; /* stale, from some earlier call */
	ok = cobro_conf_load(&c, sb.dir, err, sizeof err);
	cobro_conf_free(&c);
	right = !ok && strcmp(err, want) == 0;
	if (!right)
		print_message("# got \"%s\", want \"%s\"\n", ok ? "(loaded)" : err, want);
	free(want);
	assert_true(right);
}

/* ------------------------------------------------------ the example files */

/* $COBRO_TOP (set by tests/run.sh), else the current directory. */
static char *example_path(const char *name)
{
	const char *top = getenv("COBRO_TOP");

	return xasprintf("%s/etc/%s", top && *top ? top : ".", name);
}

static char *slurp(const char *path)
{
	struct buf b = {0};
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f) {
		fail_msg("%s: %s (run from the top of the tree or set COBRO_TOP)", path, strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	buf_puts(&b, "");
	return b.s;
}

/* The examples show each setting at its default as "#name = value;" and mere
 * examples as "# name = value;". Removing the "#" from the former must give a
 * file that loads to exactly the built-in defaults. */
static char *uncomment_defaults(const char *text)
{
	struct buf b = {0};

	buf_puts(&b, "");
	for (const char *line = text; *line;) {
		size_t len = strcspn(line, "\n");

		if (line[0] == '#' && len > 1 && line[1] != ' ' && line[1] != '#')
			buf_add(&b, line + 1, len - 1);
		else
			buf_add(&b, line, len);
		buf_puts(&b, "\n");
		line += len + (line[len] == '\n');
	}
	return b.s;
}

static void assert_mentions(const char *text, const char *file, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strstr(text, names[i]))
			fail_msg("%s does not describe %s", file, names[i]);
}

static void example_cobro_conf_loads_to_defaults(void **state)
{
	static const char *const settings[] = {"database",     "user",      "ui",           "language",
					       "color",        "priority",  "callback_due", "promise_broken",
					       "contact_cost", "keys"};
	struct cobro_conf c;
	char err[512], *path = example_path("cobro.conf"), *text = slurp(path), *live, *live_path;

	(void)state;
	assert_mentions(text, path, settings, ARRAY_SIZE(settings));
	if (!cobro_conf_load(&c, path, err, sizeof err))
		fail_msg("%s", err);
	assert_cobro_defaults(&c);
	cobro_conf_free(&c);

	live = uncomment_defaults(text);
	live_path = conf_file(live, 0600);
	if (!cobro_conf_load(&c, live_path, err, sizeof err))
		fail_msg("with its defaults uncommented: %s", err);
	assert_cobro_defaults(&c);
	cobro_conf_free(&c);
	free(live_path);
	free(live);
	free(text);
	free(path);
}

static void example_cobrod_conf_loads_to_defaults(void **state)
{
	static const char *const settings[] = {
	    "database",       "name",         "log",         "level",           "syslog",
	    "transports",     "type",         "url",         "timeout",         "connect_timeout",
	    "username",       "password_env", "token_env",   "token_header",    "from",
	    "from_name",      "reply_to",     "dlr_url",     "smsc",            "method",
	    "format",         "body",         "id_path",     "phone_number_id", "message_id_domain",
	    "unsubscribe_url", "unsubscribe_mailto", "starttls", "channels",    "transport",
	    "rate",           "outbox",       "max_attempts", "backoff_base",   "backoff_max",
	    "lease",          "parallel",     "listen",      "address",         "port",
	    "tls",            "ca_file",      "insecure_hosts", "callback_secret_env"};
	struct cobrod_conf c;
	char err[512], *path = example_path("cobrod.conf"), *text = slurp(path), *live, *live_path;

	(void)state;
	assert_mentions(text, path, settings, ARRAY_SIZE(settings));
	if (!cobrod_conf_load(&c, path, err, sizeof err))
		fail_msg("%s", err);
	assert_cobrod_defaults(&c);
	cobrod_conf_free(&c);

	live = uncomment_defaults(text);
	live_path = conf_file(live, 0600);
	if (!cobrod_conf_load(&c, live_path, err, sizeof err))
		fail_msg("with its defaults uncommented: %s", err);
	assert_cobrod_defaults(&c);
	cobrod_conf_free(&c);
	free(live_path);
	free(live);
	free(text);
	free(path);
}

/* The keys example in cobro.conf, uncommented, is valid too. */
static void example_cobro_conf_keys_example_loads(void **state)
{
	struct cobro_conf c;
	char *path = example_path("cobro.conf"), *text = slurp(path);
	const char *line = strstr(text, "\n# keys = {");
	size_t len;
	char *one;

	(void)state;
	if (!line)
		fail_msg("%s has no \"# keys = {\" example", path);
	line += 3;
	len = strcspn(line, "\n");
	one = xasprintf("%.*s\n", (int)len, line);
	cobro_loads(&c, one);
	cobro_conf_free(&c);
	free(one);
	free(text);
	free(path);
}

/* The transports example in cobrod.conf, its "# " removed, loads: every
 * transport it shows is well-formed (with channels.sms.transport named, as
 * the file says, since two of them can send SMS). */
static void example_cobrod_conf_transports_example_loads(void **state)
{
	static const char *const env[] = {"COBRO_KANNEL_PASSWORD", "COBRO_GATEWAY_TOKEN", "COBRO_SMTP_PASSWORD",
					  "COBRO_WHATSAPP_TOKEN",
					  "COBRO_KANNEL_CALLBACK_SECRET"};
	struct cobrod_conf c;
	struct buf b = {0};
	char *path = example_path("cobrod.conf"), *text = slurp(path);
	const char *start = strstr(text, "\n# transports = {\n"), *line;

	(void)state;
	if (!start)
		fail_msg("%s has no \"# transports = {\" example", path);
	for (line = start + 1; *line;) {
		size_t len = strcspn(line, "\n");

		if (strncmp(line, "# ", 2) == 0)
			buf_add(&b, line + 2, len - 2);
		else if (!(len == 1 && line[0] == '#'))
			fail_msg("the example stops at an unexpected line: %.*s", (int)len, line);
		buf_puts(&b, "\n");
		if (strncmp(line, "# };", 4) == 0)
			break;
		line += len + (line[len] == '\n');
	}
	buf_puts(&b, "channels = { sms = { transport = \"kannel\"; }; };\n");
	for (size_t i = 0; i < ARRAY_SIZE(env); i++)
		setenv(env[i], "example-secret-0123456789", 1);
	cobrod_loads(&c, b.s);
	assert_int_equal(c.ntransports, 4);
	assert_non_null(cobrod_conf_transport(&c, "kannel"));
	assert_non_null(cobrod_conf_transport(&c, "gw"));
	assert_non_null(cobrod_conf_transport(&c, "mail"));
	assert_non_null(cobrod_conf_transport(&c, "whatsapp"));
	assert_ptr_equal(c.channels[CH_EMAIL].transport, cobrod_conf_transport(&c, "mail"));
	assert_ptr_equal(c.channels[CH_WHATSAPP].transport, cobrod_conf_transport(&c, "whatsapp"));
	assert_false(c.secret_in_file);
	cobrod_conf_free(&c);
	for (size_t i = 0; i < ARRAY_SIZE(env); i++)
		unsetenv(env[i]);
	buf_free(&b);
	free(text);
	free(path);
}

#define T(f) cmocka_unit_test_setup_teardown(f, sandbox_setup, sandbox_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(cobro_defaults_without_any_file),
	    T(cobro_defaults_without_home_or_xdg),
	    T(cobro_empty_file_gives_defaults),
	    T(cobro_comments_only_give_defaults),
	    T(cobro_every_setting_is_read),
	    T(cobro_unset_settings_keep_their_defaults),
	    T(cobro_whole_numbers_serve_as_weights),
	    T(cobro_big_weights_with_exponent_or_l_suffix),
	    T(cobro_numbers_that_overflow_are_refused_as_written),
	    T(cobro_fifo_is_refused_without_blocking),
	    T(cobro_empty_user_is_kept_apart_from_unset),
	    T(cobro_service_name_and_uri_are_plain_strings),
	    T(cobro_utf8_and_adjacent_strings),
	    T(cobro_boundaries_of_ranges_are_accepted),
	    T(cobro_each_language_choice_is_accepted),
	    T(cobro_keys_accept_any_action_name),
	    T(cobro_free_twice_is_harmless),
	    T(cobro_explicit_missing_file_is_an_error),
	    T(cobro_explicit_missing_file_beats_an_xdg_file),
	    T(cobro_explicit_file_beats_the_xdg_file),
	    T(cobro_found_in_xdg_config_home),
	    T(cobro_xdg_wins_over_dot_config),
	    T(cobro_found_in_dot_config_when_xdg_unset),
	    T(cobro_found_in_dot_config_when_xdg_empty),
	    T(cobro_dot_config_ignored_when_xdg_set),
	    T(cobro_does_not_read_cobrod_conf),
	    T(cobro_error_in_found_file_names_it),
	    T(cobro_syntax_error_names_its_line),
	    T(cobro_syntax_error_after_block_comment),
	    T(cobro_syntax_error_unclosed_group),
	    T(cobro_syntax_error_bare_word),
	    T(cobro_duplicate_setting_names_second_line),
	    T(cobro_missing_include_names_its_line),
	    T(cobro_unknown_top_level_setting),
	    T(cobro_unknown_nested_setting),
	    T(cobro_unknown_group),
	    T(cobro_unknown_priority_weight),
	    T(cobro_setting_names_are_case_sensitive),
	    T(cobro_daemon_setting_is_unknown_here),
	    T(cobro_keys_below_a_key_name_are_unknown),
	    T(cobro_first_mistake_is_reported),
	    T(cobro_database_must_be_a_string),
	    T(cobro_user_must_be_a_string),
	    T(cobro_color_must_be_a_bool),
	    T(cobro_color_one_is_not_a_bool),
	    T(cobro_language_must_be_a_string),
	    T(cobro_weight_must_be_a_number),
	    T(cobro_ui_must_be_a_group),
	    T(cobro_keys_must_be_a_group),
	    T(cobro_key_binding_must_be_a_string),
	    T(cobro_dpd_decay_moved_to_the_database),
	    T(cobro_negative_whole_number_out_of_range),
	    T(cobro_huge_weight_out_of_range),
	    T(cobro_language_not_among_choices),
	    T(cobro_language_choices_are_case_sensitive),
	    T(cobrod_defaults_without_any_file),
	    T(cobrod_empty_file_gives_defaults),
	    T(cobrod_every_setting_is_read),
	    T(cobrod_each_log_level_is_accepted),
	    T(cobrod_log_level_not_among_choices),
	    T(cobrod_syslog_must_be_a_bool),
	    T(cobrod_name_must_be_a_string),
	    T(cobrod_workstation_settings_are_unknown),
	    T(cobrod_unknown_nested_setting),
	    T(cobrod_syntax_error_names_its_line),
	    T(cobrod_explicit_missing_file_is_an_error),
	    T(cobrod_found_in_xdg_config_home),
	    T(cobrod_found_in_dot_config_when_xdg_unset),
	    T(cobrod_every_transport_setting_is_read),
	    T(cobrod_transport_defaults),
	    T(cobrod_every_other_new_setting_is_read),
	    T(cobrod_channels_take_the_one_transport_that_fits),
	    T(cobrod_channels_named_explicitly),
	    T(cobrod_two_sms_transports_need_a_choice),
	    T(cobrod_channel_transport_mistakes),
	    T(cobrod_transport_needs_a_type),
	    T(cobrod_transport_settings_belong_to_kinds),
	    T(cobrod_transport_required_settings),
	    T(cobrod_transport_url_schemes),
	    T(cobrod_http_transport_mistakes),
	    T(cobrod_transport_timeouts),
	    T(cobrod_secret_from_the_environment),
	    T(cobrod_secret_env_mistakes),
	    T(cobrod_errors_never_repeat_a_secret),
	    T(cobrod_outbox_listen_tls_mistakes),
	    T(cobrod_transport_secrets_in_a_readable_file_warn),
	    T(cobrod_callback_secret),
	    T(cobrod_env_secrets_in_a_readable_file_are_quiet),
	    T(cobrod_database_password_still_warns),
	    T(cobrod_failed_load_with_transports_leaves_nothing),
	    T(cobrod_reload_twice),
	    T(cobrod_wildcard_is_one_name),
	    T(password_in_0644_file_warns),
	    T(password_in_group_readable_file_warns),
	    T(password_in_world_readable_only_file_warns),
	    T(password_in_0600_file_is_quiet),
	    T(password_in_0400_file_is_quiet),
	    T(no_password_in_0644_file_is_quiet),
	    T(password_without_a_file_is_quiet),
	    T(password_exposure_through_the_loader),
	    T(password_in_uri_conninfo_warns),
	    T(failed_load_leaves_nothing_to_free),
	    T(directory_as_config_file_says_so),
	    T(example_cobro_conf_loads_to_defaults),
	    T(example_cobrod_conf_loads_to_defaults),
	    T(example_cobro_conf_keys_example_loads),
	    T(example_cobrod_conf_transports_example_loads),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
