/* src/core/text.c: widths in terminal cells and cutting text to a column,
 * never inside a UTF-8 sequence or a grapheme cluster: accents written as
 * combining marks, CJK and emoji two cells wide, ZWJ sequences, flags. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "text.h"

#define E_ACUTE_NFD "e\xcc\x81"                        /* e + U+0301 */
#define ARROW "\xe2\x86\x90"                          /* ← */
#define NICHI "\xe6\x97\xa5"                          /* 日 */
#define HON "\xe6\x9c\xac"                            /* 本 */
#define GRIN "\xf0\x9f\x98\x80"                       /* 😀 */
#define TECHNOLOGIST "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb" /* 👩‍💻: 👩 ZWJ 💻 */
#define FLAG_CO "\xf0\x9f\x87\xa8\xf0\x9f\x87\xb4"    /* 🇨🇴: two regional indicators */
#define THUMB_MEDIUM "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd" /* 👍🏽: a skin-tone modifier */
#define ELLIPSIS "\xe2\x80\xa6"

static void widths_count_cells_not_bytes(void **state)
{
	(void)state;
	assert_int_equal(text_width(""), 0);
	assert_int_equal(text_width("Dej\xc3\xb3 mensaje"), 12);    /* Dejó mensaje: 13 bytes */
	assert_int_equal(text_width("asignaci\xc3\xb3n"), 10);
	assert_int_equal(text_width("SMS " ARROW), 5);
	assert_int_equal(text_width("Jos" E_ACUTE_NFD), 4);          /* the mark takes no cell */
	assert_int_equal(text_width(NICHI HON), 4);
	assert_int_equal(text_width(GRIN), 2);
	/* A cluster is as wide as curses lays it out: its code points' cells. */
	assert_int_equal(text_width(TECHNOLOGIST), 4);
	assert_int_equal(text_width(FLAG_CO), 2);
	assert_int_equal(text_width(THUMB_MEDIUM), 4);
	assert_int_equal(text_width("a\tb"), 2);                    /* a control character: none */
	assert_int_equal(text_width("caf\xe9"), 4);                 /* an invalid byte: one */
}

static void fit_pads_to_exactly_the_cells(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(text_fit(out, sizeof out, "Dej\xc3\xb3 mensaje", 14, 1), 14);
	assert_string_equal(out, "Dej\xc3\xb3 mensaje  ");
	assert_int_equal(text_fit(out, sizeof out, NICHI HON, 6, 1), 6);
	assert_string_equal(out, NICHI HON "  ");
	assert_int_equal(text_fit(out, sizeof out, "SMS " ARROW, 5, 0), 5);
	assert_string_equal(out, "SMS " ARROW);
	/* Without padding, short text stays short. */
	assert_int_equal(text_fit(out, sizeof out, "ab", 5, 0), 2);
	assert_string_equal(out, "ab");
}

static void fit_cuts_with_an_ellipsis(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(text_fit(out, sizeof out, "asignaci\xc3\xb3n", 6, 1), 6);
	assert_string_equal(out, "asign" ELLIPSIS);
	/* The accented letter is kept whole, never half of its two bytes. */
	assert_int_equal(text_fit(out, sizeof out, "Dej\xc3\xb3 mensaje", 5, 0), 5);
	assert_string_equal(out, "Dej\xc3\xb3" ELLIPSIS);
	/* A wide character that would pass the edge is left out; the cell it
	 * cannot fill is padded. */
	assert_int_equal(text_fit(out, sizeof out, NICHI HON "x", 4, 1), 4);
	assert_string_equal(out, NICHI ELLIPSIS " ");
	assert_int_equal(text_fit(out, sizeof out, "x", 0, 1), 0);
	assert_string_equal(out, "");
}

static void fit_never_cuts_a_cluster(void **state)
{
	char out[64];

	(void)state;
	/* The accent stays with its letter: "Jose" + ´ is not "Jose". */
	assert_int_equal(text_fit(out, sizeof out, "Jos" E_ACUTE_NFD " Mar", 5, 0), 5);
	assert_string_equal(out, "Jos" E_ACUTE_NFD ELLIPSIS);
	/* The ZWJ sequence goes whole or not at all: never 👩 alone. */
	assert_int_equal(text_fit(out, sizeof out, "a" TECHNOLOGIST "b", 4, 1), 4);
	assert_string_equal(out, "a" ELLIPSIS "  ");
	assert_int_equal(text_fit(out, sizeof out, "a" TECHNOLOGIST "bc", 6, 0), 6);
	assert_string_equal(out, "a" TECHNOLOGIST ELLIPSIS);
}

static void fit_keeps_flags_and_modifiers_whole(void **state)
{
	char out[64];

	(void)state;
	/* Nor half a flag, nor a thumb without its skin tone. */
	assert_int_equal(text_fit(out, sizeof out, FLAG_CO "xy", 3, 0), 3);
	assert_string_equal(out, FLAG_CO ELLIPSIS);
	assert_int_equal(text_fit(out, sizeof out, "x" FLAG_CO "y", 3, 0), 2);
	assert_string_equal(out, "x" ELLIPSIS);
	assert_int_equal(text_fit(out, sizeof out, THUMB_MEDIUM "ok", 4, 0), 1);
	assert_string_equal(out, ELLIPSIS);
	assert_int_equal(text_fit(out, sizeof out, THUMB_MEDIUM "ok", 5, 0), 5);
	assert_string_equal(out, THUMB_MEDIUM ELLIPSIS);
}

static void fit_gives_valid_utf8(void **state)
{
	char out[64];

	(void)state;
	/* Latin-1 in a UTF-8 column: the stray byte is shown as U+FFFD. */
	assert_int_equal(text_fit(out, sizeof out, "caf\xe9", 4, 0), 4);
	assert_string_equal(out, "caf\xef\xbf\xbd");
	assert_true(text_utf8_valid(out, strlen(out)));
	/* A sequence cut short at the end of the string. */
	assert_int_equal(text_fit(out, sizeof out, "ab\xc3", 5, 0), 3);
	assert_true(text_utf8_valid(out, strlen(out)));
	/* A small buffer never ends in half a character. */
	for (size_t n = 1; n < 12; n++) {
		char small[12];

		text_fit(small, n, NICHI HON NICHI HON, 8, 1);
		assert_true(text_utf8_valid(small, strlen(small)));
		assert_true(strlen(small) < n);
	}
}

static void fit_stops_at_a_line_break(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(text_fit(out, sizeof out, "first\nsecond", 20, 0), 5);
	assert_string_equal(out, "first");
}

static void pad_counts_cells_and_never_cuts(void **state)
{
	char out[64];

	(void)state;
	assert_string_equal(text_pad(out, sizeof out, "asignaci\xc3\xb3n", 12, false), "asignaci\xc3\xb3n  ");
	assert_string_equal(text_pad(out, sizeof out, NICHI HON, 6, false), NICHI HON "  ");
	assert_string_equal(text_pad(out, sizeof out, "S/ 1.00", 9, true), "  S/ 1.00");
	assert_string_equal(text_pad(out, sizeof out, "longer than four", 4, false), "longer than four");
	/* Too long for the buffer: nothing rather than a cut character. */
	assert_string_equal(text_pad(out, 4, "Pe\xc3\xb1""a", 2, false), "");
}

static void first_line_is_cut_whole(void **state)
{
	char out[8];

	(void)state;
	assert_string_equal(text_first_line(out, sizeof out, "Hola\nMundo"), "Hola");
	assert_string_equal(text_first_line(out, sizeof out, "Hola\r\n"), "Hola");
	assert_string_equal(text_first_line(out, sizeof out, "abcdefghij"), "abcdefg");
	/* Room for 7 bytes: "abcdef" and the first of ñ's two; ñ stays out whole. */
	assert_string_equal(text_first_line(out, sizeof out, "abcdef\xc3\xb1"), "abcdef");
	assert_string_equal(text_first_line(out, sizeof out, NICHI HON NICHI), NICHI HON);
	assert_true(text_utf8_valid(out, strlen(out)));
}

/* Lines of text_wrap() joined by "|". */
static const char *wrapped(char *out, size_t n, const char *s, int cols)
{
	const char *next;
	size_t used = 0;

	out[0] = '\0';
	while (*s) {
		size_t len = text_wrap(s, cols, &next);

		assert_true(next > s); /* always moves on */
		assert_true(text_width(s) <= cols || len == 0 || len <= strlen(s));
		used += (size_t)snprintf(out + used, n - used, "%s%.*s", used ? "|" : "", (int)len, s);
		s = next;
	}
	return out;
}

static void wrap_breaks_at_blanks_and_never_in_a_cluster(void **state)
{
	char out[256], line[64];
	const char *next;

	(void)state;
	assert_string_equal(wrapped(out, sizeof out, "hola mundo", 20), "hola mundo");
	assert_string_equal(wrapped(out, sizeof out, "hola mundo", 5), "hola|mundo");
	assert_string_equal(wrapped(out, sizeof out, "hola mundo", 4), "hola|mund|o");
	assert_string_equal(wrapped(out, sizeof out, "hola mundo cruel", 10), "hola mundo|cruel");
	/* A word longer than the line is cut at the edge. */
	assert_string_equal(wrapped(out, sizeof out, "abcdefghij", 4), "abcd|efgh|ij");
	/* Line breaks are kept, an empty line too. */
	assert_string_equal(wrapped(out, sizeof out, "uno\n\ndos\r\ntres", 10), "uno||dos|tres");
	/* Cells, not bytes: "Muñoz Peña" is ten cells; 日本 four. */
	assert_string_equal(wrapped(out, sizeof out, "Mu\xc3\xb1oz Pe\xc3\xb1" "a", 5), "Mu\xc3\xb1oz|Pe\xc3\xb1" "a");
	assert_string_equal(wrapped(out, sizeof out, NICHI HON NICHI, 4), NICHI HON "|" NICHI);
	assert_string_equal(wrapped(out, sizeof out, NICHI HON NICHI, 3), NICHI "|" HON "|" NICHI);
	/* A cluster stays whole: the accent with its letter, the modifier with its thumb. */
	assert_string_equal(wrapped(out, sizeof out, "Jos" E_ACUTE_NFD "x", 4), "Jos" E_ACUTE_NFD "|x");
	assert_string_equal(wrapped(out, sizeof out, "ab" THUMB_MEDIUM, 3), "ab|" THUMB_MEDIUM);
	/* Every line fits, in cells. */
	for (const char *s = "Se\xc3\xb1or Ib\xc3\xa1\xc3\xb1" "ez, su saldo de S/ 1,234.50 vence el 15 de diciembre. " GRIN;
	     *s; s = next) {
		size_t len = text_wrap(s, 12, &next);

		snprintf(line, sizeof line, "%.*s", (int)len, s);
		assert_true(text_width(line) <= 12);
		assert_true(text_utf8_valid(line, strlen(line)));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(widths_count_cells_not_bytes),
		cmocka_unit_test(fit_pads_to_exactly_the_cells),
		cmocka_unit_test(fit_cuts_with_an_ellipsis),
		cmocka_unit_test(fit_never_cuts_a_cluster),
		cmocka_unit_test(fit_keeps_flags_and_modifiers_whole),
		cmocka_unit_test(fit_gives_valid_utf8),
		cmocka_unit_test(fit_stops_at_a_line_break),
		cmocka_unit_test(pad_counts_cells_and_never_cuts),
		cmocka_unit_test(first_line_is_cut_whole),
		cmocka_unit_test(wrap_breaks_at_blanks_and_never_in_a_cluster),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
