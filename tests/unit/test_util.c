/* src/core/util.c: the growable buffer, the allocating printf, die() and warnx(),
 * and the decimals of each currency that money formatting relies on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

/* ------------------------------------------------------------------ buf */

static void buf_starts_empty_and_terminated(void **state)
{
	struct buf b = {0};

	(void)state;
	buf_puts(&b, "");
	assert_non_null(b.s);
	assert_string_equal(b.s, "");
	assert_int_equal(b.len, 0);
	assert_true(b.cap >= 1);
	buf_free(&b);
}

static void buf_puts_appends(void **state)
{
	struct buf b = {0};

	(void)state;
	buf_puts(&b, "Muñoz");
	buf_puts(&b, " ");
	buf_puts(&b, "Peña");
	assert_string_equal(b.s, "Muñoz Peña");
	assert_int_equal(b.len, strlen("Muñoz Peña"));
	buf_free(&b);
}

static void buf_add_takes_exactly_n_bytes(void **state)
{
	struct buf b = {0};

	(void)state;
	buf_add(&b, "abcdef", 3);
	assert_string_equal(b.s, "abc");
	assert_int_equal(b.len, 3);
	buf_add(&b, "xyz", 0);
	assert_string_equal(b.s, "abc");
	assert_int_equal(b.len, 3);
	buf_free(&b);
}

static void buf_add_keeps_embedded_nul(void **state)
{
	struct buf b = {0};

	(void)state;
	/* COPY data and the like may hold any byte; len, not strlen, is the truth. */
	buf_add(&b, "a\0b", 3);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.s, "a\0b\0", 4);
	buf_free(&b);
}

static void buf_grows_one_byte_at_a_time(void **state)
{
	struct buf b = {0};

	(void)state;
	for (int i = 0; i < 100000; i++) {
		char c = (char)('a' + i % 26);

		buf_add(&b, &c, 1);
		if (b.len != (size_t)i + 1 || b.cap < b.len + 1 || b.s[b.len] != '\0')
			fail_msg("after %d bytes: len %zu cap %zu", i + 1, b.len, b.cap);
	}
	for (int i = 0; i < 100000; i++)
		if (b.s[i] != (char)('a' + i % 26))
			fail_msg("byte %d is %c", i, b.s[i]);
	buf_free(&b);
}

static void buf_growth_is_geometric(void **state)
{
	struct buf b = {0};
	size_t last_cap = 0;
	int reallocs = 0;

	(void)state;
	/* Appending n bytes one at a time must not realloc n times. */
	for (int i = 0; i < 1 << 20; i++) {
		buf_add(&b, "x", 1);
		if (b.cap != last_cap) {
			reallocs++;
			last_cap = b.cap;
		}
	}
	assert_true(reallocs <= 25);
	buf_free(&b);
}

static void buf_takes_a_big_piece_at_once(void **state)
{
	struct buf b = {0};
	size_t n = 1 << 20;
	char *big = xmalloc(n);

	(void)state;
	memset(big, 'z', n);
	buf_puts(&b, "head:");
	buf_add(&b, big, n);
	assert_int_equal(b.len, n + 5);
	assert_true(b.cap >= b.len + 1);
	assert_memory_equal(b.s, "head:zzz", 8);
	assert_int_equal(b.s[b.len - 1], 'z');
	assert_int_equal(b.s[b.len], '\0');
	free(big);
	buf_free(&b);
}

static void buf_printf_formats_and_appends(void **state)
{
	struct buf b = {0};

	(void)state;
	buf_puts(&b, "account ");
	buf_printf(&b, "%d of %s: %05.1f%%", 42, "ana", 12.345);
	assert_string_equal(b.s, "account 42 of ana: 012.3%");
	buf_printf(&b, "%s", "");
	assert_string_equal(b.s, "account 42 of ana: 012.3%");
	buf_printf(&b, "|%lld|%zu|%c", -9223372036854775807LL - 1, (size_t)7, 'x');
	assert_string_equal(b.s, "account 42 of ana: 012.3%|-9223372036854775808|7|x");
	assert_int_equal(b.len, strlen(b.s));
	buf_free(&b);
}

static void buf_printf_longer_than_any_stack_buffer(void **state)
{
	struct buf b = {0};
	char *part = xmalloc(10001);

	(void)state;
	memset(part, 'q', 10000);
	part[10000] = '\0';
	for (int i = 0; i < 10; i++)
		buf_printf(&b, "[%d:%s]", i, part);
	assert_int_equal(b.len, 10 * (10000 + 4));
	assert_int_equal(strlen(b.s), b.len);
	assert_memory_equal(b.s, "[0:qq", 5);
	assert_memory_equal(b.s + b.len - 3, "qq]", 3);
	free(part);
	buf_free(&b);
}

static void buf_free_resets_and_allows_reuse(void **state)
{
	struct buf b = {0};

	(void)state;
	buf_puts(&b, "first");
	buf_free(&b);
	assert_null(b.s);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	buf_free(&b); /* twice is harmless */
	buf_puts(&b, "second");
	assert_string_equal(b.s, "second");
	assert_int_equal(b.len, 6);
	buf_free(&b);
}

static void buf_free_of_an_unused_buffer(void **state)
{
	struct buf b = {0};

	(void)state;
	buf_free(&b);
	assert_null(b.s);
}

/* ------------------------------------------------- allocation and strings */

static void xasprintf_formats(void **state)
{
	char *s;

	(void)state;
	s = xasprintf("%s/cobro/%s", "/home/ana/.config", "cobro.conf");
	assert_string_equal(s, "/home/ana/.config/cobro/cobro.conf");
	free(s);
	s = xasprintf("%d-%03d-%x", -1, 7, 255);
	assert_string_equal(s, "-1-007-ff");
	free(s);
	s = xasprintf("%s", "");
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
	s = xasprintf("%.3s|%-4s|", "abcdef", "x");
	assert_string_equal(s, "abc|x   |");
	free(s);
}

static void xasprintf_long_result(void **state)
{
	char *part = xmalloc(70001), *s;

	(void)state;
	memset(part, 'm', 70000);
	part[70000] = '\0';
	s = xasprintf("<%s>", part);
	assert_int_equal(strlen(s), 70002);
	assert_int_equal(s[0], '<');
	assert_int_equal(s[70001], '>');
	free(s);
	free(part);
}

static void xstrdup_copies_and_maps_null_to_empty(void **state)
{
	const char *orig = "Núñez";
	char *s = xstrdup(orig);

	(void)state;
	assert_string_equal(s, orig);
	assert_ptr_not_equal(s, orig);
	free(s);
	s = xstrdup(NULL);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
}

static void xalloc_of_zero_is_usable(void **state)
{
	void *p = xmalloc(0), *q = xcalloc(0, 0);

	(void)state;
	assert_non_null(p);
	assert_non_null(q);
	p = xrealloc(p, 0);
	assert_non_null(p);
	free(p);
	free(q);
}

static void xcalloc_zeroes_and_xrealloc_keeps(void **state)
{
	unsigned char *p = xcalloc(1000, 4);

	(void)state;
	for (int i = 0; i < 4000; i++)
		if (p[i])
			fail_msg("byte %d is %d", i, p[i]);
	memcpy(p, "keep", 4);
	p = xrealloc(p, 1 << 20);
	assert_memory_equal(p, "keep", 4);
	free(p);
}

static void array_size_counts_elements(void **state)
{
	static const long three[3];
	static const char *const two[] = {"a", "b"};

	(void)state;
	assert_int_equal(ARRAY_SIZE(three), 3);
	assert_int_equal(ARRAY_SIZE(two), 2);
}

/* ------------------------------------------------------ die() and warnx() */

/* Runs fn in a child with stderr into a pipe; returns what it wrote, and its
 * exit status in *status. */
static char *child_stderr(void (*fn)(void), int *status)
{
	struct buf b = {0};
	int fd[2];
	char chunk[512];
	ssize_t n;
	pid_t pid;

	assert_int_equal(pipe(fd), 0);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fd[0]);
		dup2(fd[1], 2);
		close(fd[1]);
		fn();
		_exit(99);
	}
	close(fd[1]);
	buf_puts(&b, "");
	while ((n = read(fd[0], chunk, sizeof chunk)) > 0)
		buf_add(&b, chunk, (size_t)n);
	close(fd[0]);
	assert_int_equal(waitpid(pid, status, 0), pid);
	return b.s;
}

static void write_hook(void)
{
	fputs("[terminal restored]\n", stderr);
}

static void call_die(void)
{
	progname = "cobroctl";
	die_hook = write_hook;
	die("cannot connect to the database: %s", "no such file");
}

static void call_die_without_hook(void)
{
	progname = "cobrod";
	die_hook = NULL;
	die("%d migrations", 3);
}

static void call_warnx(void)
{
	progname = "cobro";
	warnx("warning: %s holds a password", "/tmp/x.conf");
	exit(0);
}

static void die_runs_the_hook_first_then_exits_1(void **state)
{
	int status;
	char *err;

	(void)state;
	err = child_stderr(call_die, &status);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	/* The hook restores the terminal before the message, or curses eats it. */
	assert_string_equal(err,
			    "[terminal restored]\ncobroctl: cannot connect to the database: no such file\n");
	free(err);
}

static void die_without_hook(void **state)
{
	int status;
	char *err;

	(void)state;
	err = child_stderr(call_die_without_hook, &status);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	assert_string_equal(err, "cobrod: 3 migrations\n");
	free(err);
}

static void warnx_prefixes_the_program_name(void **state)
{
	int status;
	char *err;

	(void)state;
	err = child_stderr(call_warnx, &status);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_string_equal(err, "cobro: warning: /tmp/x.conf holds a password\n");
	free(err);
}

/* ----------------------------------------------------- currency_decimals */

static void currency_zero_decimal(void **state)
{
	static const char *const zero[] = {"CLP", "JPY", "KRW", "PYG", "ISK", "VND"};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(zero); i++)
		if (currency_decimals(zero[i]) != 0)
			fail_msg("%s: %d decimals, expected 0", zero[i], currency_decimals(zero[i]));
}

static void currency_two_decimal(void **state)
{
	static const char *const two[] = {"USD", "EUR", "COP", "MXN", "PEN", "ARS", "BRL", "UYU",
					  "BOB", "GTQ", "CRC", "DOP", "GBP", "CAD", "CHF"};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(two); i++)
		if (currency_decimals(two[i]) != 2)
			fail_msg("%s: %d decimals, expected 2", two[i], currency_decimals(two[i]));
}

static void currency_clp_vs_cop(void **state)
{
	(void)state;
	/* Both pesos; ISO 4217 gives the Colombian one 2 decimals, the Chilean none. */
	assert_int_equal(currency_decimals("CLP"), 0);
	assert_int_equal(currency_decimals("COP"), 2);
}

static void currency_unknown_code_defaults_to_two(void **state)
{
	(void)state;
	assert_int_equal(currency_decimals("XYZ"), 2);
	assert_int_equal(currency_decimals(""), 2);
}

static void currency_code_must_match_exactly(void **state)
{
	(void)state;
	/* The database stores ^[A-Z]{3}$; a prefix or a longer string is another code. */
	assert_int_equal(currency_decimals("CL"), 2);
	assert_int_equal(currency_decimals("CLPX"), 2);
}

/* Regression (src/core/util.c, currency_decimals): ISO 4217 gives these 3 (dinars, rial)
 * and 4 (Chile's Unidad de Fomento, Uruguay's wage index) decimals; as 2 every
 * amount would be shown 10 or 100 times too large. The schema accepts any
 * three capital letters, so an import can bring them in. */
static void currency_three_and_four_decimal(void **state)
{
	static const struct {
		const char *code;
		int decimals;
	} cases[] = {
	    {"BHD", 3}, {"IQD", 3}, {"JOD", 3}, {"KWD", 3}, {"LYD", 3},
	    {"OMR", 3}, {"TND", 3}, {"CLF", 4}, {"UYW", 4},
	};
	int wrong = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		if (currency_decimals(cases[i].code) != cases[i].decimals) {
			print_message("# %s: %d decimals, ISO 4217 says %d\n", cases[i].code,
				      currency_decimals(cases[i].code), cases[i].decimals);
			wrong++;
		}
	assert_int_equal(wrong, 0);
}

/* Issue 14, line 9: `template add` hung on a FIFO. Only a regular file is
 * read; a FIFO (no writer), a device and a directory are refused at once,
 * with what they are. */
static void read_text_file_refuses_what_is_not_a_regular_file(void **state)
{
	char dir[] = "/tmp/cobro-test-util-XXXXXX", *fifo, *file, err[256], *text;
	size_t len = 99;

	(void)state;
	assert_non_null(mkdtemp(dir));
	fifo = xasprintf("%s/pipe.tpl", dir);
	file = xasprintf("%s/ok.tpl", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	alarm(10); /* a hang fails here, not after the suite's time */
	assert_null(read_text_file(fifo, &len, err, sizeof err));
	alarm(0);
	assert_int_equal(errno, EINVAL);
	char *want = xasprintf("%s: a FIFO, not a regular file", fifo);
	assert_string_equal(err, want);
	free(want);
	assert_null(read_file(fifo, NULL));
	assert_null(read_text_file("/dev/zero", NULL, err, sizeof err));
	assert_string_equal(err, "/dev/zero: a character device, not a regular file");
	/* /dev/null is the empty file people pass for "no settings". */
	assert_non_null(text = read_text_file("/dev/null", &len, err, sizeof err));
	assert_string_equal(text, "");
	assert_int_equal(len, 0);
	free(text);
	assert_null(read_text_file(dir, NULL, err, sizeof err));
	assert_int_equal(errno, EISDIR);
	want = xasprintf("%s: a directory, not a regular file", dir);
	assert_string_equal(err, want);
	free(want);
	assert_null(read_text_file("/nonexistent/x.tpl", NULL, err, sizeof err));
	assert_string_equal(err, "/nonexistent/x.tpl: No such file or directory");
	/* A regular file is read whole, NULs and all. */
	FILE *f = fopen(file, "w");
	assert_non_null(f);
	fwrite("a\0b\n", 1, 4, f);
	fclose(f);
	assert_non_null(text = read_text_file(file, &len, err, sizeof err));
	assert_int_equal(len, 4);
	assert_memory_equal(text, "a\0b\n", 4);
	free(text);
	unlink(fifo);
	unlink(file);
	rmdir(dir);
	free(fifo);
	free(file);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(buf_starts_empty_and_terminated),
	    cmocka_unit_test(buf_puts_appends),
	    cmocka_unit_test(buf_add_takes_exactly_n_bytes),
	    cmocka_unit_test(buf_add_keeps_embedded_nul),
	    cmocka_unit_test(buf_grows_one_byte_at_a_time),
	    cmocka_unit_test(buf_growth_is_geometric),
	    cmocka_unit_test(buf_takes_a_big_piece_at_once),
	    cmocka_unit_test(buf_printf_formats_and_appends),
	    cmocka_unit_test(buf_printf_longer_than_any_stack_buffer),
	    cmocka_unit_test(buf_free_resets_and_allows_reuse),
	    cmocka_unit_test(buf_free_of_an_unused_buffer),
	    cmocka_unit_test(xasprintf_formats),
	    cmocka_unit_test(xasprintf_long_result),
	    cmocka_unit_test(xstrdup_copies_and_maps_null_to_empty),
	    cmocka_unit_test(xalloc_of_zero_is_usable),
	    cmocka_unit_test(xcalloc_zeroes_and_xrealloc_keeps),
	    cmocka_unit_test(array_size_counts_elements),
	    cmocka_unit_test(die_runs_the_hook_first_then_exits_1),
	    cmocka_unit_test(die_without_hook),
	    cmocka_unit_test(warnx_prefixes_the_program_name),
	    cmocka_unit_test(currency_zero_decimal),
	    cmocka_unit_test(currency_two_decimal),
	    cmocka_unit_test(currency_clp_vs_cop),
	    cmocka_unit_test(currency_unknown_code_defaults_to_two),
	    cmocka_unit_test(currency_code_must_match_exactly),
	    cmocka_unit_test(currency_three_and_four_decimal),
	    cmocka_unit_test(read_text_file_refuses_what_is_not_a_regular_file),
	};

	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
