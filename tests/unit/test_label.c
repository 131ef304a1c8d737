/* screens/ui/label.c: the database's codes in words, in English (the
 * source) and in Spanish (the catalogue make builds, COBRO_LOCALEDIR). The
 * module is pure but lives with the screens, so it is compiled in here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../screens/ui/label.c"

static void speak(const char *language)
{
	const char *dir = getenv("COBRO_LOCALEDIR") ? getenv("COBRO_LOCALEDIR") : "build/release/locale";
	char mo[512];

	snprintf(mo, sizeof mo, "%s/es/LC_MESSAGES/cobro.mo", dir);
	assert_int_equal(access(mo, R_OK), 0); /* no catalogue, no test */
	setenv("LANGUAGE", language, 1);
	assert_non_null(setlocale(LC_ALL, "C.UTF-8"));
	bindtextdomain("cobro", dir);
	bind_textdomain_codeset("cobro", "UTF-8");
	textdomain("cobro");
}

static void english_words(void **state)
{
	(void)state;
	speak("en");
	assert_string_equal(label(LABEL_CONTACT_POINT, "mobile"), "mobile");
	assert_string_equal(label(LABEL_PRODUCT, "personal_loan"), "personal loan");
	assert_string_equal(label(LABEL_PAYMENT_METHOD, "direct_debit"), "direct debit");
	assert_string_equal(label(LABEL_ACCOUNT_STATUS, "legal_hold"), "legal hold");
	assert_string_equal(label(LABEL_CHANNEL, "sms"), "SMS");
	/* What the table does not know shows as stored; nothing shows as nothing. */
	assert_string_equal(label(LABEL_SEGMENT, "vip_2027"), "vip_2027");
	assert_string_equal(label(LABEL_SEGMENT, NULL), "");
	assert_string_equal(label(LABEL_PROMISE_STATUS, ""), "");
	/* A code is of its kind: "card" the product and the payment method. */
	assert_string_equal(label(LABEL_PRODUCT, "card"), "credit card");
	assert_string_equal(label(LABEL_PAYMENT_METHOD, "card"), "card");
	assert_string_equal(label(LABEL_CONTACT_POINT, "card"), "card");
}

static void spanish_words(void **state)
{
	(void)state;
	speak("es");
	assert_string_equal(label(LABEL_CONTACT_POINT, "mobile"), "móvil");
	assert_string_equal(label(LABEL_CONTACT_POINT, "address"), "dirección");
	assert_string_equal(label(LABEL_ACCOUNT_STATUS, "active"), "activa");
	assert_string_equal(label(LABEL_MESSAGE_STATUS, "delivered"), "entregado");
	assert_string_equal(label(LABEL_SEGMENT, "mid"), "media");
	assert_string_equal(label(LABEL_PRODUCT, "electricity"), "electricidad");
	assert_string_equal(label(LABEL_PAYMENT_METHOD, "transfer"), "transferencia");
	assert_string_equal(label(LABEL_PROMISE_STATUS, "kept"), "cumplida");
	assert_string_equal(label(LABEL_EVENT_KIND, "optout"), "baja");
	assert_string_equal(label(LABEL_SEGMENT, "vip_2027"), "vip_2027");
}

/* One English word, two Spanish ones: the event's kind decides. */
static void outcomes_by_kind(void **state)
{
	(void)state;
	speak("es");
	assert_string_equal(label_outcome("letter", "sent"), "enviada");
	assert_string_equal(label_outcome("sms", "sent"), "enviado");
	assert_string_equal(label_outcome("promise", "created"), "hecha");
	assert_string_equal(label_outcome("promise", "broken"), "incumplida");
	assert_string_equal(label_outcome("status", "dispute"), "en disputa");
	assert_string_equal(label_outcome("optout", "email"), "correo");
	assert_string_equal(label_outcome("delivery", "failed"), "fallido");
	assert_string_equal(label_outcome("call", ""), "");
	assert_string_equal(label_outcome("visit", "gone_fishing"), "gone_fishing");
	speak("en");
	assert_string_equal(label_outcome("letter", "sent"), "sent");
	assert_string_equal(label_outcome("visit", "not_home"), "nobody home");
}

/* What a person types in the filter: the code, or the words shown. */
static void typed_back_to_codes(void **state)
{
	(void)state;
	speak("es");
	assert_string_equal(label_code(LABEL_SEGMENT, "media"), "mid");
	assert_string_equal(label_code(LABEL_SEGMENT, "Media"), "mid");
	assert_string_equal(label_code(LABEL_SEGMENT, "mid"), "mid");
	assert_string_equal(label_code(LABEL_SEGMENT, "tardía"), "late");
	assert_null(label_code(LABEL_SEGMENT, "mediana"));
	assert_null(label_code(LABEL_SEGMENT, ""));
	/* Another kind's word is not this kind's. */
	assert_null(label_code(LABEL_SEGMENT, "activa"));
}

static void lists_and_widths(void **state)
{
	char out[64], tiny[8];

	(void)state;
	speak("es");
	assert_string_equal(label_list(LABEL_CHANNEL, "sms,email", out, sizeof out), "SMS, correo");
	assert_string_equal(label_list(LABEL_CHANNEL, "whatsapp", out, sizeof out), "WhatsApp");
	assert_string_equal(label_list(LABEL_CHANNEL, "", out, sizeof out), "");
	assert_string_equal(label_list(LABEL_CHANNEL, NULL, out, sizeof out), "");
	assert_string_equal(label_list(LABEL_CHANNEL, "fax,sms", out, sizeof out), "fax, SMS");
	/* Cut to the buffer, never past it. */
	assert_string_equal(label_list(LABEL_CHANNEL, "sms,email,whatsapp", tiny, sizeof tiny), "SMS, co");
	/* "por aprobar", "preventiva": the columns that show them take 11
	 * and 10 cells. */
	assert_int_equal(label_widest(LABEL_PROMISE_STATUS), 11);
	assert_int_equal(label_widest(LABEL_SEGMENT), 10);
	speak("en");
	assert_int_equal(label_widest(LABEL_SEGMENT), 10); /* "preventive" */
	assert_int_equal(label_widest(LABEL_PROMISE_STATUS), 10); /* "to approve" */
}

/* The states of issue 16's promises and plans, in words, and the limits
 * a promise breaks. */
static void promise_states_in_words(void **state)
{
	char out[128];

	(void)state;
	speak("en");
	assert_string_equal(label(LABEL_PROMISE_STATUS, "awaiting_approval"), "to approve");
	assert_string_equal(label(LABEL_PROMISE_STATUS, "due_today"), "due today");
	assert_string_equal(label(LABEL_PROMISE_STATUS, "rejected"), "rejected");
	assert_string_equal(label(LABEL_INSTALLMENT_STATUS, "partial"), "partly paid");
	assert_string_equal(label(LABEL_INSTALLMENT_STATUS, "late"), "paid late");
	assert_string_equal(label_list(LABEL_PROMISE_REASON, "horizon,max_discount", out, sizeof out),
	                    "too far ahead, discount above the limit");
	assert_string_equal(label_outcome("promise", "approved"), "approved");
	speak("es");
	assert_string_equal(label(LABEL_PROMISE_STATUS, "awaiting_approval"), "por aprobar");
	assert_string_equal(label(LABEL_PROMISE_STATUS, "due_today"), "vence hoy");
	assert_string_equal(label(LABEL_PROMISE_STATUS, "rejected"), "rechazada");
	assert_string_equal(label(LABEL_INSTALLMENT_STATUS, "pending"), "pendiente");
	assert_string_equal(label(LABEL_INSTALLMENT_STATUS, "kept"), "cumplida");
	assert_string_equal(label(LABEL_INSTALLMENT_STATUS, "partial"), "pago parcial");
	assert_string_equal(label(LABEL_INSTALLMENT_STATUS, "broken"), "incumplida");
	assert_string_equal(label(LABEL_INSTALLMENT_STATUS, "late"), "pagada tarde");
	assert_string_equal(label_list(LABEL_PROMISE_REASON, "min_share,max_installments", out, sizeof out),
	                    "por debajo del mínimo, demasiadas cuotas");
	assert_string_equal(label_outcome("promise", "rejected"), "rechazada");
	/* A limit not known yet shows as stored. */
	assert_string_equal(label(LABEL_PROMISE_REASON, "max_speed"), "max_speed");
}

/* Each state's colour is by what it means; the same state of a promise
 * and of an installment means the same. */
static void tones_by_meaning(void **state)
{
	(void)state;
	assert_int_equal(label_tone(LABEL_PROMISE_STATUS, "pending"), TONE_WAITING);
	assert_int_equal(label_tone(LABEL_PROMISE_STATUS, "due_today"), TONE_DUE);
	assert_int_equal(label_tone(LABEL_PROMISE_STATUS, "kept"), TONE_GOOD);
	assert_int_equal(label_tone(LABEL_PROMISE_STATUS, "broken"), TONE_BAD);
	assert_int_equal(label_tone(LABEL_PROMISE_STATUS, "awaiting_approval"), TONE_ASK);
	assert_int_equal(label_tone(LABEL_PROMISE_STATUS, "rejected"), TONE_REFUSED);
	assert_int_equal(label_tone(LABEL_PROMISE_STATUS, "cancelled"), TONE_PLAIN);
	assert_int_equal(label_tone(LABEL_PROMISE_STATUS, ""), TONE_PLAIN);
	assert_int_equal(label_tone(LABEL_PROMISE_STATUS, NULL), TONE_PLAIN);
	assert_int_equal(label_tone(LABEL_INSTALLMENT_STATUS, "pending"), TONE_WAITING);
	assert_int_equal(label_tone(LABEL_INSTALLMENT_STATUS, "kept"), TONE_GOOD);
	assert_int_equal(label_tone(LABEL_INSTALLMENT_STATUS, "partial"), TONE_DUE);
	assert_int_equal(label_tone(LABEL_INSTALLMENT_STATUS, "late"), TONE_DUE);
	assert_int_equal(label_tone(LABEL_INSTALLMENT_STATUS, "broken"), TONE_BAD);
	/* Other kinds have no tone: a message "pending" is not a promise. */
	assert_int_equal(label_tone(LABEL_MESSAGE_STATUS, "failed"), TONE_PLAIN);
	assert_int_equal(label_tone(LABEL_SEGMENT, "kept"), TONE_PLAIN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(english_words),    cmocka_unit_test(spanish_words),
		cmocka_unit_test(outcomes_by_kind), cmocka_unit_test(typed_back_to_codes),
		cmocka_unit_test(lists_and_widths), cmocka_unit_test(promise_states_in_words),
		cmocka_unit_test(tones_by_meaning),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
