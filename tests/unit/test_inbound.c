/* src/cobrod/inbound.c: which texts are an opt-out (the whole message a keyword,
 * never a sentence), the sender's number from what a gateway writes, the
 * masked number for logs, UTF-8 and UCS-2 checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inbound.h"
#include "text.h"
#include "phone.h"
#include "util.h"

/* Inline so that a failure names the text. */
#define STOP(t)     assert_true(inbound_is_stop(t))
#define NOT_STOP(t) assert_false(inbound_is_stop(t))

static void keywords_in_any_case(void **state)
{
	static const char *const words[] = {
	    "STOP",    "stop",    "Stop",        "sToP",        "STOP ALL",    "stop all",
	    "STOPALL", "StopAll", "UNSUBSCRIBE", "Unsubscribe", "CANCEL",      "cancel",
	    "END",     "end",     "QUIT",        "Quit",        "REVOKE",      "OPT OUT",
	    "opt out", "OPTOUT",  "BAJA",        "Baja",        "baja",        "ALTO",
	    "alto",    "PARAR",   "Parar",       "DAR DE BAJA", "dar de baja", "Dar de baja",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(words); i++) {
		if (!inbound_is_stop(words[i]))
			fail_msg("\"%s\" should be an opt-out", words[i]);
	}
}

static void whitespace_and_punctuation_around(void **state)
{
	(void)state;
	STOP("  STOP  ");
	STOP("Stop!");
	STOP("baja.");
	STOP("BAJA!!!");
	STOP("\xc2\xa1"
	     "Baja!"); /* ¡Baja! */
	STOP("\xc2\xbf"
	     "Parar?"); /* ¿Parar? */
	STOP("\"stop\"");
	STOP("(STOP)");
	STOP("stop\n");
	STOP("\r\nSTOP\r\n");
	STOP("\tBaja\t");
	STOP("STOP\xc2\xa0"); /* a no-break space */
	STOP("Stop...");
	STOP("STOP\xe2\x80\xa6");                      /* STOP… */
	STOP("STOP \xf0\x9f\x9b\x91");                 /* STOP 🛑 */
	STOP("\xe2\x9c\x8b\xef\xb8\x8f stop");         /* ✋️ stop: emoji with a variation selector */
	STOP("baja \xf0\x9f\x91\x8b\xf0\x9f\x8f\xbd"); /* 👋🏽: a skin tone */
	STOP("\xef\xbb\xbfSTOP");                      /* a byte-order mark */
	STOP("-- STOP --");
}

static void spaces_between_words(void **state)
{
	(void)state;
	STOP("dar  de   baja");
	STOP("DAR\nDE\nBAJA");
	STOP("stop   all");
	STOP("Opt  Out!");
	NOT_STOP("dar de baja de una vez");
	NOT_STOP("dar, de baja");
	NOT_STOP("sto p");
	NOT_STOP("s t o p");
}

static void sentences_are_replies(void **state)
{
	(void)state;
	NOT_STOP("no puedo parar de pensar en la deuda, pago el lunes");
	NOT_STOP("please stop calling me at work, I will pay friday");
	NOT_STOP("Stop calling me");
	NOT_STOP("STOP STOP");
	NOT_STOP("Baja por favor");
	NOT_STOP("quiero darme de baja");
	NOT_STOP("the end");
	NOT_STOP("Alto ahí");
	NOT_STOP("Stop! I will pay");
	NOT_STOP("stop.stop");
}

static void near_misses(void **state)
{
	(void)state;
	NOT_STOP("BAJ\xc3\x81");   /* BAJÁ: voseo, another word */
	NOT_STOP("baj\xc3\xa1");   /* bajá */
	NOT_STOP("BAJA\xcc\x81");  /* BAJA and a combining acute: still BAJÁ */
	NOT_STOP("Bajar\xc3\xa9"); /* Bajaré */
	NOT_STOP("stopped");
	NOT_STOP("stops");
	NOT_STOP("STOP1");
	NOT_STOP("1 STOP");
	NOT_STOP("stop2all");
	NOT_STOP("ending");
	NOT_STOP("cancelar");
	NOT_STOP("altos");
	NOT_STOP("\xef\xbc\xb3\xef\xbc\xb4\xef\xbc\xaf\xef\xbc\xb0"); /* full-width ＳＴＯＰ */
	NOT_STOP("st\xc3\xb6p");                                      /* stöp */
	NOT_STOP("yes");
	NOT_STOP("ok");
	NOT_STOP("");
	NOT_STOP("   ");
	NOT_STOP("!!!");
	NOT_STOP(NULL);
	NOT_STOP("STOP\xff"); /* not UTF-8 */
	NOT_STOP("\xc3");
	NOT_STOP("a very long message that runs past any keyword at all");
}

/* Functions, not macros: the message names the number. */
static void phone_is(const char *raw, const char *want)
{
	char out[PHONE_E164_SIZE];

	if (!inbound_phone(raw, out, sizeof out))
		fail_msg("\"%s\" should be %s", raw, want);
	assert_string_equal(out, want);
}

static void not_phone(const char *raw)
{
	char out[PHONE_E164_SIZE] = "x";

	if (inbound_phone(raw, out, sizeof out))
		fail_msg("\"%s\" should not be a number: %s", raw ? raw : "(null)", out);
	assert_string_equal(out, "");
}

static void phone_forms_from_gateways(void **state)
{
	(void)state;
	phone_is("+51987654321", "+51987654321");
	phone_is("51987654321", "+51987654321");
	phone_is("0051987654321", "+51987654321");
	phone_is("+51 987 654 321", "+51987654321");
	phone_is("51 987 654 321", "+51987654321");
	phone_is("00 51 987 654 321", "+51987654321");
	phone_is(" 51987654321", "+51987654321"); /* "+" that a query string turned into a space */
	phone_is("  +51987654321 ", "+51987654321");
	phone_is("+1 212 555 0147", "+12125550147");
	phone_is("12125550147", "+12125550147");
	phone_is("573001234567", "+573001234567");
	phone_is("+34 612 345 678", "+34612345678");
	phone_is("5215512345678", "+525512345678"); /* Mexico's old mobile 1 */
	phone_is("+56 9 8765 4321", "+56987654321");
	phone_is("++51987654321", "+51987654321"); /* + signs, as libphonenumber reads them */
}

static void not_phones(void **state)
{
	(void)state;
	not_phone(NULL);
	not_phone("");
	not_phone("   ");
	not_phone("12345");     /* a short code */
	not_phone("987654321"); /* national: whose? */
	not_phone("0987654321");
	not_phone("BANCO");
	not_phone("+51abc");
	not_phone("+44 7700 900123"); /* a country cobro does not serve */
	not_phone("+5198765432");     /* too short for PE */
	not_phone("+519876543210");   /* too long */
	not_phone("51987654321; DROP TABLE");
	not_phone("1234567890123456789012345678901234567890123456789012345678901234567890");
}

static void phone_needs_room(void **state)
{
	char small[4] = "x";

	(void)state;
	assert_false(inbound_phone("+51987654321", small, sizeof small));
	assert_false(inbound_phone("+51987654321", NULL, 0));
}

#define MASK(in, want)                                                                                       \
	do {                                                                                                 \
		char m_[PHONE_E164_SIZE];                                                                    \
		inbound_mask_phone(in, m_, sizeof m_);                                                       \
		assert_string_equal(m_, want);                                                               \
	} while (0)

static void masked_numbers(void **state)
{
	char tiny[5];

	(void)state;
	MASK("+51987654321", "+51*****4321");
	MASK("+12125550147", "+12*****0147");
	MASK("+573001234567", "+57******4567");
	MASK("+1234567", "+12*4567");
	MASK("+123456", "?");
	MASK("51987654321", "?");
	MASK("+5198765432a", "?");
	MASK(NULL, "?");
	inbound_mask_phone("+51987654321", tiny, sizeof tiny);
	assert_string_equal(tiny, "?");
}

static void utf8_checks(void **state)
{
	(void)state;
	assert_true(text_utf8_valid("", 0));
	assert_true(text_utf8_valid("Pago el lunes, se\xc3\xb1or", strlen("Pago el lunes, se\xc3\xb1or")));
	assert_true(text_utf8_valid("\xf0\x9f\x98\x80", 4));
	assert_false(text_utf8_valid("caf\xe9", 4));          /* Latin-1 */
	assert_false(text_utf8_valid("\xc3", 1));             /* cut short */
	assert_false(text_utf8_valid("a\0b", 3));             /* a NUL */
	assert_false(text_utf8_valid("\xc0\xaf", 2));         /* overlong "/" */
	assert_false(text_utf8_valid("\xed\xa0\x80", 3));     /* a surrogate */
	assert_false(text_utf8_valid("\xf4\x90\x80\x80", 4)); /* past U+10FFFF */
	assert_false(text_utf8_valid("\xff", 1));
}

static void ucs2_to_utf8(void **state)
{
	char *s;

	(void)state;
	s = inbound_ucs2_to_utf8("\x00"
				 "B\x00"
				 "a\x00"
				 "j\x00"
				 "a",
				 8);
	assert_string_equal(s, "Baja");
	free(s);
	s = inbound_ucs2_to_utf8("\x00"
				 "N\x00\xfa\x00\xf1\x00"
				 "e\x00"
				 "z",
				 10);
	assert_string_equal(s, "N\xc3\xba\xc3\xb1"
			       "ez"); /* Núñez */
	free(s);
	s = inbound_ucs2_to_utf8("\xd8\x3d\xde\x00", 4); /* a surrogate pair: U+1F600 */
	assert_string_equal(s, "\xf0\x9f\x98\x80");
	free(s);
	s = inbound_ucs2_to_utf8("", 0);
	assert_string_equal(s, "");
	free(s);
	assert_null(inbound_ucs2_to_utf8("\x00"
					 "a\x00",
					 3));             /* odd length */
	assert_null(inbound_ucs2_to_utf8("\xd8\x3d", 2)); /* a lone high surrogate */
	assert_null(inbound_ucs2_to_utf8("\xde\x00\x00"
					 "a",
					 4));             /* a lone low one */
	assert_null(inbound_ucs2_to_utf8("\x00\x00", 2)); /* NUL */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(keywords_in_any_case), cmocka_unit_test(whitespace_and_punctuation_around),
	    cmocka_unit_test(spaces_between_words), cmocka_unit_test(sentences_are_replies),
	    cmocka_unit_test(near_misses),          cmocka_unit_test(phone_forms_from_gateways),
	    cmocka_unit_test(not_phones),           cmocka_unit_test(phone_needs_room),
	    cmocka_unit_test(masked_numbers),       cmocka_unit_test(utf8_checks),
	    cmocka_unit_test(ucs2_to_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
