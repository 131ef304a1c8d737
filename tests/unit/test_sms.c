/* src/core/sms.c: GSM-7 or UCS-2, units and segments of an SMS, the limit
 * check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "sms.h"
#include "util.h"

#define A_ACUTE "\xc3\xa1" /* á, outside GSM 03.38 */
#define EURO    "\xe2\x82\xac"
#define GRIN    "\xf0\x9f\x98\x80" /* U+1F600, outside the BMP */
#define THUMB   "\xf0\x9f\x91\x8d" /* U+1F44D */
#define TONE    "\xf0\x9f\x8f\xbd" /* U+1F3FD, a skin-tone modifier */
#define RI_M    "\xf0\x9f\x87\xb2" /* U+1F1F2, regional indicator M */
#define RI_X    "\xf0\x9f\x87\xbd" /* U+1F1FD, regional indicator X */
#define RI_P    "\xf0\x9f\x87\xb5" /* U+1F1F5, regional indicator P */
#define RI_E    "\xf0\x9f\x87\xaa" /* U+1F1EA, regional indicator E */
#define ZWJ     "\xe2\x80\x8d"
#define MAN     "\xf0\x9f\x91\xa8"
#define WOMAN   "\xf0\x9f\x91\xa9"
#define GIRL    "\xf0\x9f\x91\xa7"
#define BOY     "\xf0\x9f\x91\xa6"
#define FAMILY  MAN ZWJ WOMAN ZWJ GIRL ZWJ BOY /* one cluster: 7 code points, 11 units */
#define ACUTE   "\xcc\x81"                     /* U+0301, combining */

/* Inline so that a failure names the line of the case. */
#define SIZE(text, enc, nchars, nunits, nsegs, nleft)                                                        \
	do {                                                                                                 \
		struct sms_size s_;                                                                          \
		assert_true(sms_measure(text, &s_));                                                         \
		assert_int_equal(s_.encoding, enc);                                                          \
		assert_int_equal(s_.chars, nchars);                                                          \
		assert_int_equal(s_.units, nunits);                                                          \
		assert_int_equal(s_.segments, nsegs);                                                        \
		assert_int_equal(s_.left, nleft);                                                            \
	} while (0)

/* n copies of piece, then tail: freed by the caller. */
static char *repeat(const char *piece, int n, const char *tail)
{
	struct buf b = {0};

	buf_puts(&b, "");
	for (int i = 0; i < n; i++)
		buf_puts(&b, piece);
	buf_puts(&b, tail);
	return b.s;
}

/* before a's, mid, after a's: freed by the caller. */
static char *around(int before, const char *mid, int after)
{
	char *head = repeat("a", before, mid), *t = repeat("a", after, "");
	char *all = xasprintf("%s%s", head, t);

	free(head);
	free(t);
	return all;
}

#define AROUND(before, mid, after, enc, nchars, nunits, nsegs, nleft)                                        \
	do {                                                                                                 \
		char *t_ = around(before, mid, after);                                                       \
		SIZE(t_, enc, nchars, nunits, nsegs, nleft);                                                 \
		free(t_);                                                                                    \
	} while (0)

/* Measures repeat(piece, n, tail) and frees it. */
#define SIZE_OF(piece, n, tail, enc, nchars, nunits, nsegs, nleft)                                           \
	do {                                                                                                 \
		char *t_ = repeat(piece, n, tail);                                                           \
		SIZE(t_, enc, nchars, nunits, nsegs, nleft);                                                 \
		free(t_);                                                                                    \
	} while (0)

static void empty_text_is_one_segment(void **state)
{
	(void)state;
	SIZE("", SMS_GSM7, 0, 0, 1, 160);
}

static void short_gsm_text(void **state)
{
	(void)state;
	SIZE("Hola", SMS_GSM7, 4, 4, 1, 156);
	SIZE("Hi Ana, your payment of $1,234.50 is due on November 24, 2026.", SMS_GSM7, 62, 62, 1, 98);
	SIZE("@$_!\"#%&'()*+,-./:;<=>?", SMS_GSM7, 23, 23, 1, 137);
	SIZE("line one\nline two\r\n", SMS_GSM7, 19, 19, 1, 141);
}

static void gsm_segment_boundaries(void **state)
{
	(void)state;
	SIZE_OF("a", 159, "", SMS_GSM7, 159, 159, 1, 1);
	SIZE_OF("a", 160, "", SMS_GSM7, 160, 160, 1, 0);
	SIZE_OF("a", 161, "", SMS_GSM7, 161, 161, 2, 145);
	SIZE_OF("a", 305, "", SMS_GSM7, 305, 305, 2, 1);
	SIZE_OF("a", 306, "", SMS_GSM7, 306, 306, 2, 0);
	SIZE_OF("a", 307, "", SMS_GSM7, 307, 307, 3, 152);
	SIZE_OF("a", 459, "", SMS_GSM7, 459, 459, 3, 0);
	SIZE_OF("a", 460, "", SMS_GSM7, 460, 460, 4, 152);
	SIZE_OF("a", 153 * 10, "", SMS_GSM7, 1530, 1530, 10, 0);
}

static void extension_characters_take_two_septets(void **state)
{
	static const char *const ext[] = {"^", "{", "}", "\\", "[", "~", "]", "|", EURO, "\f"};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(ext); i++) {
		SIZE(ext[i], SMS_GSM7, 1, 2, 1, 158);
		SIZE_OF("a", 158, ext[i], SMS_GSM7, 159, 160, 1, 0);
		SIZE_OF("a", 159, ext[i], SMS_GSM7, 160, 161, 2, 145);
	}
	SIZE("Total: 1.234,50 " EURO " [ref]", SMS_GSM7, 23, 26, 1, 134);
	SIZE_OF(EURO, 80, "", SMS_GSM7, 80, 160, 1, 0);
	SIZE_OF(EURO, 81, "", SMS_GSM7, 81, 162, 2, 143);   /* 76 and 5: 152 and 10 septets */
	SIZE_OF(EURO, 153, "", SMS_GSM7, 153, 306, 3, 151); /* 76 pairs fit in a part of 153 */
}

/* An escape and its character stay in one part: 152 + 2 > 153 moves the
 * euro to the second part, and the text needs 3 parts for 306 septets. */
static void two_septet_character_is_not_split(void **state)
{
	(void)state;
	AROUND(152, EURO, 10, SMS_GSM7, 163, 164, 2, 141);
	AROUND(152, EURO, 151, SMS_GSM7, 304, 305, 2, 0);
	AROUND(152, EURO, 152, SMS_GSM7, 305, 306, 3, 152);
	AROUND(151, EURO, 153, SMS_GSM7, 305, 306, 2, 0); /* the pair ends the first part */
}

/* Every character of the default alphabet, one each: the 127 of the
 * table (the escape 0x1B is no character). */
static void whole_basic_table_is_gsm(void **state)
{
	const char *all =
	    "@\xc2\xa3$\xc2\xa5\xc3\xa8\xc3\xa9\xc3\xb9\xc3\xac\xc3\xb2\xc3\x87\n\xc3\x98\xc3\xb8\r"
	    "\xc3\x85\xc3\xa5"
	    "\xce\x94_\xce\xa6\xce\x93\xce\x9b\xce\xa9\xce\xa0\xce\xa8\xce\xa3\xce\x98\xce\x9e"
	    "\xc3\x86\xc3\xa6\xc3\x9f\xc3\x89"
	    " !\"#\xc2\xa4%&'()*+,-./0123456789:;<=>?"
	    "\xc2\xa1"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ\xc3\x84\xc3\x96\xc3\x91\xc3\x9c\xc2\xa7"
	    "\xc2\xbf"
	    "abcdefghijklmnopqrstuvwxyz\xc3\xa4\xc3\xb6\xc3\xb1\xc3\xbc\xc3\xa0";

	(void)state;
	SIZE(all, SMS_GSM7, 127, 127, 1, 33);
}

/* Over all of Unicode: exactly 127 code points cost one septet and 10 two;
 * everything else needs UCS-2, one unit in the BMP and two beyond it. */
static void every_code_point(void **state)
{
	int one = 0, two = 0, ucs2 = 0, astral = 0;

	(void)state;
	for (int32_t cp = 1; cp <= 0x10FFFF; cp++) {
		utf8proc_uint8_t s[8] = {0};
		struct sms_size sz;

		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		utf8proc_encode_char(cp, s);
		assert_true(sms_measure((const char *)s, &sz));
		assert_int_equal(sz.chars, 1);
		if (sz.encoding == SMS_GSM7) {
			one += sz.units == 1;
			two += sz.units == 2;
		} else {
			ucs2 += sz.units == 1;
			astral += sz.units == 2;
			assert_int_equal(sz.units, cp > 0xFFFF ? 2 : 1);
		}
	}
	assert_int_equal(one, 127);
	assert_int_equal(two, 10);
	assert_int_equal(ucs2, 0x10000 - 0x800 - 1 - 137);
	assert_int_equal(astral, 0x100000);
}

static void spanish_letters(void **state)
{
	static const char *const outside[] = {
	    "\xc3\xa1", "\xc3\xad", "\xc3\xb3", "\xc3\xba", "\xc3\x81",
	    "\xc3\x8d", "\xc3\x93", "\xc3\x9a", "\xc3\xa7", /* ç: only Ç is in the table */
	};

	(void)state;
	/* é, É, ñ, Ñ, ü, Ü, ¿ and ¡ are in the alphabet ... */
	SIZE("\xc2\xbf"
	     "Cu\xc3\xa9 pas\xc3\xb3?",
	     SMS_UCS2, 10, 10, 1, 60);
	SIZE("Pe\xc3\xb1"
	     "a, Mu\xc3\xb1oz, \xc3\x91"
	     "and\xc3\xba",
	     SMS_UCS2, 18, 18, 1, 52);
	SIZE("Se\xc3\xb1or Ag\xc3\xbc"
	     "ero, \xc2\xa1"
	     "cr\xc3\xa9"
	     "dito!",
	     SMS_GSM7, 23, 23, 1, 137);
	SIZE("\xc3\x89xito", SMS_GSM7, 5, 5, 1, 155);
	/* ... á, í, ó, ú and their capitals are not. */
	for (size_t i = 0; i < ARRAY_SIZE(outside); i++)
		SIZE(outside[i], SMS_UCS2, 1, 1, 1, 69);
	SIZE("\xc3\x87", SMS_GSM7, 1, 1, 1, 159);
}

static void one_accent_flips_to_ucs2(void **state)
{
	(void)state;
	SIZE_OF("a", 69, A_ACUTE, SMS_UCS2, 70, 70, 1, 0);
	SIZE_OF("a", 70, A_ACUTE, SMS_UCS2, 71, 71, 2, 63);
	SIZE_OF("a", 133, A_ACUTE, SMS_UCS2, 134, 134, 2, 0);
	SIZE_OF("a", 134, A_ACUTE, SMS_UCS2, 135, 135, 3, 66);
	SIZE_OF("a", 200, A_ACUTE, SMS_UCS2, 201, 201, 3, 0);
	SIZE_OF("a", 201, A_ACUTE, SMS_UCS2, 202, 202, 4, 66);
	/* In UCS-2 the extension characters are one unit like any other. */
	SIZE_OF(EURO, 69, A_ACUTE, SMS_UCS2, 70, 70, 1, 0);
	SIZE_OF("{", 10, A_ACUTE, SMS_UCS2, 11, 11, 1, 59);
}

static void emoji_take_two_units(void **state)
{
	(void)state;
	SIZE(GRIN, SMS_UCS2, 1, 2, 1, 68);
	SIZE("Gracias " GRIN GRIN, SMS_UCS2, 10, 12, 1, 58);
	SIZE_OF(GRIN, 35, "", SMS_UCS2, 35, 70, 1, 0);
	SIZE_OF(GRIN, 36, "", SMS_UCS2, 36, 72, 2, 61); /* 33 in the first part */
	SIZE_OF("a", 68, GRIN, SMS_UCS2, 69, 70, 1, 0);
	SIZE_OF("a", 69, GRIN, SMS_UCS2, 70, 71, 2, 63);
	/* A surrogate pair is not split: 66 + 2 > 67. */
	AROUND(66, GRIN, 10, SMS_UCS2, 77, 78, 2, 55);
	AROUND(66, GRIN, 66, SMS_UCS2, 133, 134, 3, 66);
	AROUND(65, GRIN, 67, SMS_UCS2, 133, 134, 2, 0);
	/* Characters of the BMP beyond Latin take one unit. */
	SIZE("\xe4\xbd\xa0\xe5\xa5\xbd", SMS_UCS2, 2, 2, 1, 68);     /* 你好 */
	SIZE("\xe2\x80\x9cHola\xe2\x80\x9d", SMS_UCS2, 6, 6, 1, 64); /* curly quotes */
}

/* A grapheme cluster is one character to the person who reads it: handsets
 * and gateways keep it in one part, so one that would straddle a boundary
 * moves whole into the next part (issue 15: a thumb and its skin tone were
 * counted as if split across two parts). */
static void emoji_with_skin_tone_is_not_split(void **state)
{
	(void)state;
	SIZE(THUMB TONE, SMS_UCS2, 2, 4, 1, 66);
	/* 65 + 4 > 67: the whole thumb opens the second part. */
	AROUND(65, THUMB TONE, 10, SMS_UCS2, 77, 79, 2, 53);
	/* Split between thumb and tone this would be 67 + 66 = 2 parts; kept
	 * whole it is 65 + 68, which needs a third. */
	AROUND(65, THUMB TONE, 64, SMS_UCS2, 131, 133, 3, 66);
	AROUND(63, THUMB TONE, 63, SMS_UCS2, 128, 130, 2, 4); /* ends the first part */
	AROUND(64, THUMB TONE, 63, SMS_UCS2, 129, 131, 2, 0);
}

static void flags_are_not_split(void **state)
{
	(void)state;
	SIZE(RI_M RI_X, SMS_UCS2, 2, 4, 1, 66);
	AROUND(65, RI_M RI_X, 64, SMS_UCS2, 131, 133, 3, 66);
	/* Two flags side by side pair as MX and PE, never as XP: MX ends the
	 * first part at 65 and PE opens the second (paired as M, XP, E, the
	 * second part would hold only E and 2 units would be left). */
	AROUND(61, RI_M RI_X RI_P RI_E, 63, SMS_UCS2, 128, 132, 2, 0);
}

static void zwj_family_is_not_split(void **state)
{
	(void)state;
	SIZE(FAMILY, SMS_UCS2, 7, 11, 1, 59);
	/* 60 + 11 > 67 wherever a code point boundary falls. */
	AROUND(60, FAMILY, 10, SMS_UCS2, 77, 81, 2, 46);
	AROUND(56, FAMILY, 67, SMS_UCS2, 130, 134, 2, 0);
	AROUND(57, FAMILY, 66, SMS_UCS2, 130, 134, 3, 57);
}

static void letter_and_accents_are_not_split(void **state)
{
	(void)state;
	/* e + U+0301: one é, two code points. */
	AROUND(66, "e" ACUTE, 10, SMS_UCS2, 78, 78, 2, 55);
	AROUND(66, "e" ACUTE, 66, SMS_UCS2, 134, 134, 3, 66);
}

/* CR LF is one cluster too, in GSM-7 as well. */
static void crlf_is_not_split(void **state)
{
	(void)state;
	AROUND(152, "\r\n", 10, SMS_GSM7, 164, 164, 2, 141);
	AROUND(152, "\r\n", 152, SMS_GSM7, 306, 306, 3, 152);
	AROUND(151, "\r\n", 153, SMS_GSM7, 306, 306, 2, 0);
}

/* A cluster longer than a part cannot stay whole: it is split between code
 * points, filling the part it starts in, and still never inside an escape
 * or a surrogate pair. */
static void cluster_longer_than_a_part(void **state)
{
	char *t;

	(void)state;
	/* 9 a's, then an a carrying 70 accents (a cluster of 71 units): 67
	 * in the first part, 13 in the second. */
	t = repeat(ACUTE, 70, "");
	AROUND(10, t, 0, SMS_UCS2, 80, 80, 2, 54);
	free(t);
	/* 30 thumbs joined by ZWJ then one more: one cluster of 92 units. The
	 * first part takes 22 thumb+ZWJ (66); the next thumb does not fit in
	 * the one unit left, so its pair is not split. */
	t = repeat(THUMB ZWJ, 30, THUMB);
	SIZE(t, SMS_UCS2, 61, 92, 2, 67 - 26);
	free(t);
	/* GSM-7 has one cluster of two code points only (CR LF), so a cluster
	 * over 153 septets does not arise there. */
}

static void characters_outside_gsm_in_ascii(void **state)
{
	(void)state;
	SIZE("`", SMS_UCS2, 1, 1, 1, 69);
	SIZE("a\tb", SMS_UCS2, 3, 3, 1, 67);
	SIZE("\x01", SMS_UCS2, 1, 1, 1, 69);
	SIZE("\x1b", SMS_UCS2, 1, 1, 1, 69); /* the escape itself is no character */
	SIZE("\x7f", SMS_UCS2, 1, 1, 1, 69);
}

static void invalid_utf8_is_refused(void **state)
{
	static const char *const bad[] = {
	    "\xff",
	    "abc\x80",
	    "\xc3",                 /* cut short */
	    "\xc3(",                /* not a continuation */
	    "\xc0\xaf",             /* overlong / */
	    "\xe0\x80\xaf",         /* overlong / */
	    "\xed\xa0\x80",         /* a UTF-16 surrogate */
	    "\xf4\x90\x80\x80",     /* beyond U+10FFFF */
	    "\xf8\x88\x80\x80\x80", /* 5 bytes */
	    "Hola \xe2\x82",        /* a euro cut short at the end */
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct sms_size sz;

		memset(&sz, 0x55, sizeof sz);
		assert_false(sms_measure(bad[i], &sz));
		assert_int_equal(sz.units, 0);
		assert_int_equal(sz.segments, 0);
		assert_int_equal(sz.chars, 0);
	}
}

static void encoding_names(void **state)
{
	(void)state;
	assert_string_equal(sms_encoding_name(SMS_GSM7), "GSM-7");
	assert_string_equal(sms_encoding_name(SMS_UCS2), "UCS-2");
}

static void limit_check(void **state)
{
	char err[200], *t;

	(void)state;
	t = repeat("a", 306, "");
	assert_true(sms_check_limit(t, 2, err, sizeof err));
	assert_false(sms_check_limit(t, 1, err, sizeof err));
	assert_string_equal(err, "the SMS takes 2 segments (GSM-7, 306 characters); at most 1 is allowed");
	free(t);
	t = repeat("a", 149, A_ACUTE);
	assert_true(sms_check_limit(t, 3, NULL, 0));
	assert_false(sms_check_limit(t, 2, err, sizeof err));
	assert_string_equal(err, "the SMS takes 3 segments (UCS-2, 150 characters); at most 2 are allowed");
	free(t);
	assert_true(sms_check_limit("", 1, err, sizeof err));
	assert_false(sms_check_limit("\xff", 9, err, sizeof err));
	assert_string_equal(err, "the SMS is not valid UTF-8");
	assert_false(sms_check_limit("\xff", 9, NULL, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(empty_text_is_one_segment),
	    cmocka_unit_test(short_gsm_text),
	    cmocka_unit_test(gsm_segment_boundaries),
	    cmocka_unit_test(extension_characters_take_two_septets),
	    cmocka_unit_test(two_septet_character_is_not_split),
	    cmocka_unit_test(whole_basic_table_is_gsm),
	    cmocka_unit_test(every_code_point),
	    cmocka_unit_test(spanish_letters),
	    cmocka_unit_test(one_accent_flips_to_ucs2),
	    cmocka_unit_test(emoji_take_two_units),
	    cmocka_unit_test(emoji_with_skin_tone_is_not_split),
	    cmocka_unit_test(flags_are_not_split),
	    cmocka_unit_test(zwj_family_is_not_split),
	    cmocka_unit_test(letter_and_accents_are_not_split),
	    cmocka_unit_test(crlf_is_not_split),
	    cmocka_unit_test(cluster_longer_than_a_part),
	    cmocka_unit_test(characters_outside_gsm_in_ascii),
	    cmocka_unit_test(invalid_utf8_is_refused),
	    cmocka_unit_test(encoding_names),
	    cmocka_unit_test(limit_check),
	};

	return cmocka_run_group_tests_name("sms", tests, NULL, NULL);
}
