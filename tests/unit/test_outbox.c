/* src/core/outbox.c without a database: the data a template is rendered with,
 * taken from an account screen's load built by hand, and the values of a
 * WhatsApp template's placeholders. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outbox.h"
#include "util.h"

/* A debtor in Lima with one account of three installments (the first paid,
 * the second half paid), two promises (the older one broken) and two
 * payments, newest first as account_load() lists them. */
struct fixture {
	struct account_view v;
	struct installment_row inst[3];
	struct promise_row prom[2];
	struct payment_row pay[2];
};

static void fixture_init(struct fixture *f)
{
	memset(f, 0, sizeof *f);
	snprintf(f->v.name, sizeof f->v.name, "Muñoz Peña, Juan Carlos");
	snprintf(f->v.first_name, sizeof f->v.first_name, "Juan");
	snprintf(f->v.language, sizeof f->v.language, "es");
	f->v.account.id = 775;
	snprintf(f->v.account.reference, sizeof f->v.account.reference, "BAN-PE-000000775");
	snprintf(f->v.account.creditor, sizeof f->v.account.creditor, "Banco Andino");
	snprintf(f->v.account.currency, sizeof f->v.account.currency, "PEN");
	f->v.account.balance = 189300;
	f->v.account.past_due = 63100;
	snprintf(f->v.account.oldest_due, sizeof f->v.account.oldest_due, "2026-10-15");
	snprintf(f->v.account.pay_link, sizeof f->v.account.pay_link,
		 "https://pagos.example/p/BAN-PE-000000775");

	f->inst[0] =
	    (struct installment_row){.seq = 1, .due_date = "2026-09-15", .amount = 63100, .paid = 63100};
	f->inst[1] =
	    (struct installment_row){.seq = 2, .due_date = "2026-10-15", .amount = 63100, .paid = 30000};
	f->inst[2] = (struct installment_row){.seq = 3, .due_date = "2026-11-15", .amount = 63100, .paid = 0};
	f->v.installments = f->inst;
	f->v.ninstallments = 3;

	f->prom[0] =
	    (struct promise_row){.id = 2, .due_date = "2026-11-30", .amount = 50000, .status = "pending"};
	f->prom[1] =
	    (struct promise_row){.id = 1, .due_date = "2026-11-01", .amount = 20000, .status = "broken"};
	f->v.promises = f->prom;
	f->v.npromises = 2;

	f->pay[0] =
	    (struct payment_row){.paid_at = "2026-11-02 10:45", .amount = 30000, .method = "transfer"};
	f->pay[1] = (struct payment_row){.paid_at = "2026-09-14 09:00", .amount = 63100, .method = "cash"};
	f->v.payments = f->pay;
	f->v.npayments = 2;
}

static char *render(const char *text, const struct template_data *d)
{
	char err[512];
	char *out = template_render(text, d, err, sizeof err);

	if (!out)
		fail_msg("%s: %s", text, err);
	return out;
}

#define RENDERS(text, want)                                                                                  \
	do {                                                                                                 \
		char *got_ = render(text, &d);                                                               \
		assert_string_equal(got_, want);                                                             \
		free(got_);                                                                                  \
	} while (0)

static void every_field_from_the_view(void **state)
{
	struct fixture f;
	struct template_data d;
	char day[OUTBOX_DATE_SIZE];

	(void)state;
	fixture_init(&f);
	outbox_template_data(&f.v, "Ana Quispe Muñoz", &d, day);
	assert_string_equal(d.language, "es");
	assert_string_equal(d.debtor_name, "Muñoz Peña, Juan Carlos");
	assert_string_equal(d.debtor_first_name, "Juan");
	assert_true(d.has_account);
	assert_string_equal(d.account_reference, "BAN-PE-000000775");
	assert_string_equal(d.currency, "PEN");
	assert_int_equal(d.balance, 189300);
	assert_int_equal(d.past_due, 63100);
	/* The installment due on the oldest unpaid date, less what was paid of it. */
	assert_string_equal(d.due_date, "2026-10-15");
	assert_int_equal(d.due_amount, 33100);
	/* The pending promise, though it is not the first listed... */
	assert_true(d.has_promise);
	assert_int_equal(d.promise_amount, 50000);
	assert_string_equal(d.promise_date, "2026-11-30");
	/* ...and the latest payment, by its day. */
	assert_true(d.has_payment);
	assert_int_equal(d.payment_amount, 30000);
	assert_string_equal(d.payment_date, "2026-11-02");
	assert_ptr_equal(d.payment_date, day);
	assert_string_equal(d.creditor_name, "Banco Andino");
	assert_string_equal(d.agent_name, "Ana Quispe Muñoz");
	assert_string_equal(d.pay_link, "https://pagos.example/p/BAN-PE-000000775");
	assert_null(d.promise_currency);
	assert_null(d.payment_currency);
}

static void renders_a_whole_message(void **state)
{
	struct fixture f;
	struct template_data d;
	char day[OUTBOX_DATE_SIZE];

	(void)state;
	fixture_init(&f);
	outbox_template_data(&f.v, "Ana", &d, day);
	RENDERS(
	    "{creditor.name}: Hola {debtor.first_name}, debe {account.past_due} desde el {account.due_date} "
	    "(cuota de {account.due_amount}). Prometio {promise.amount} para el {promise.date}; "
	    "su ultimo pago fue {payment.amount} el {payment.date}. {pay_link} {agent.name} "
	    "{account.reference} {account.balance}",
	    "Banco Andino: Hola Juan, debe S/ 631.00 desde el 15 de octubre de 2026 (cuota de S/ 331.00). "
	    "Prometio S/ 500.00 para el 30 de noviembre de 2026; su ultimo pago fue S/ 300.00 el "
	    "2 de noviembre de 2026. https://pagos.example/p/BAN-PE-000000775 Ana BAN-PE-000000775 "
	    "S/ 1,893.00");
}

static void english_debtor(void **state)
{
	struct fixture f;
	struct template_data d;
	char day[OUTBOX_DATE_SIZE];

	(void)state;
	fixture_init(&f);
	snprintf(f.v.language, sizeof f.v.language, "en");
	snprintf(f.v.account.currency, sizeof f.v.account.currency, "USD");
	outbox_template_data(&f.v, NULL, &d, day);
	RENDERS("{account.past_due} due {account.due_date}", "$631.00 due October 15, 2026");
}

static void the_pending_promise_else_the_latest(void **state)
{
	struct fixture f;
	struct template_data d;
	char day[OUTBOX_DATE_SIZE];

	(void)state;
	fixture_init(&f);
	/* None pending: the latest, whatever became of it. */
	snprintf(f.prom[0].status, sizeof f.prom[0].status, "kept");
	outbox_template_data(&f.v, NULL, &d, day);
	assert_true(d.has_promise);
	assert_int_equal(d.promise_amount, 50000);
	/* A pending one wins over a newer one that is not. */
	snprintf(f.prom[0].status, sizeof f.prom[0].status, "cancelled");
	snprintf(f.prom[1].status, sizeof f.prom[1].status, "pending");
	outbox_template_data(&f.v, NULL, &d, day);
	assert_int_equal(d.promise_amount, 20000);
	assert_string_equal(d.promise_date, "2026-11-01");
}

static void nothing_late_takes_the_next_installment(void **state)
{
	struct fixture f;
	struct template_data d;
	char day[OUTBOX_DATE_SIZE];

	(void)state;
	fixture_init(&f);
	f.v.account.oldest_due[0] = '\0';
	f.inst[1].paid = f.inst[1].amount;
	outbox_template_data(&f.v, NULL, &d, day);
	assert_string_equal(d.due_date, "2026-11-15");
	assert_int_equal(d.due_amount, 63100);
	/* All paid: no due date, and the placeholder says why. */
	f.inst[2].paid = f.inst[2].amount;
	outbox_template_data(&f.v, NULL, &d, day);
	assert_null(d.due_date);
	{
		char err[256];

		assert_null(template_render("{account.due_date}", &d, err, sizeof err));
		assert_non_null(strstr(err, "no unpaid installment"));
	}
}

static void missing_data_is_null(void **state)
{
	struct account_view v;
	struct template_data d;
	char day[OUTBOX_DATE_SIZE] = "junk";
	char err[512];

	(void)state;
	memset(&v, 0, sizeof v);
	snprintf(v.name, sizeof v.name, "Lorena Aguilar López");
	snprintf(v.language, sizeof v.language, "es");
	v.account.id = 1;
	snprintf(v.account.currency, sizeof v.account.currency, "PEN");
	outbox_template_data(&v, "", &d, day);
	assert_string_equal(day, "");
	assert_null(d.debtor_first_name);
	assert_false(d.has_promise);
	assert_false(d.has_payment);
	assert_null(d.due_date);
	assert_null(d.pay_link);
	assert_null(d.agent_name);
	assert_null(d.creditor_name);
	assert_null(d.account_reference);
	/* The first name comes from the name when the data has none. */
	RENDERS("Hola {debtor.first_name}", "Hola Lorena");
	/* What cannot be rendered is named, each placeholder once. */
	assert_null(
	    template_render("{promise.amount} {pay_link} {payment.date} {agent.name}", &d, err, sizeof err));
	assert_non_null(strstr(err, "{promise.amount}"));
	assert_non_null(strstr(err, "{pay_link}"));
	assert_non_null(strstr(err, "{payment.date}"));
	assert_non_null(strstr(err, "{agent.name}"));
}

static void whatsapp_params_in_order(void **state)
{
	struct fixture f;
	struct template_data d;
	char day[OUTBOX_DATE_SIZE], err[256];
	char **p;
	int n;

	(void)state;
	fixture_init(&f);
	outbox_template_data(&f.v, NULL, &d, day);
	assert_true(outbox_template_params("Hola {debtor.first_name}, {{literal}} debe *{account.past_due}* "
					   "con {creditor.name}; {debtor.first_name}: {pay_link}",
					   &d, &p, &n, err, sizeof err));
	assert_int_equal(n, 5);
	assert_string_equal(p[0], "Juan");
	assert_string_equal(p[1], "S/ 631.00");
	assert_string_equal(p[2], "Banco Andino");
	assert_string_equal(p[3], "Juan");
	assert_string_equal(p[4], "https://pagos.example/p/BAN-PE-000000775");
	outbox_params_free(p, n);

	assert_true(outbox_template_params("no placeholders }} {{ at all", &d, &p, &n, err, sizeof err));
	assert_int_equal(n, 0);
	assert_null(p);

	/* Missing data: false, nothing to free, the reason. */
	assert_false(outbox_template_params("{debtor.first_name} {agent.name}", &d, &p, &n, err, sizeof err));
	assert_int_equal(n, 0);
	assert_null(p);
	assert_non_null(strstr(err, "{agent.name}"));
	assert_false(outbox_template_params("{debtor.first_name", &d, &p, &n, err, sizeof err));
	assert_int_equal(n, 0);
}

/* cobrod hands a gateway one number or one address, or nothing (issue 14,
 * line 1): what a tampered row or a careless import could hold is refused,
 * and the reason never quotes it. */
static void one_recipient_only(void **state)
{
	static const char *const sms_ok[] = { "+15550002222", "+573001234567", "+5219981234" };
	static const char *const sms_bad[] = {
		"+15550002222 +15550003333", "+15550002222,+15550003333", "15550002222", "+05550002222",
		"+1555", "+1234567890123456", "+1555000222a", "+15550002222\n", "", " +15550002222",
		"+15550002222;", "tel:+15550002222",
	};
	static const char *const mail_ok[] = { "ana.perez@example.com", "a+b@mail.example.co", "x_1@a-b.example" };
	static const char *const mail_bad[] = {
		"a@example.com, b@example.com", "a@example.com b@example.com", "a@example.com\r\nBcc: c@evil.example",
		"Ana <a@example.com>", "a@example.com;b@example.com", "a@@example.com", "a@b@example.com", "@example.com",
		"a@", "a@localhost", "a@example..com", ".a@example.com", "a.@example.com", "a..b@example.com",
		"\"a b\"@example.com", "a@example.com.", "a@[127.0.0.1]", "",
	};
	char why[128];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(sms_ok); i++) {
		assert_true(outbox_recipient_ok(CH_SMS, sms_ok[i], why, sizeof why));
		assert_true(outbox_recipient_ok(CH_WHATSAPP, sms_ok[i], why, sizeof why));
		assert_false(outbox_recipient_ok(CH_EMAIL, sms_ok[i], why, sizeof why));
	}
	for (size_t i = 0; i < ARRAY_SIZE(sms_bad); i++) {
		why[0] = '\0';
		if (outbox_recipient_ok(CH_SMS, sms_bad[i], why, sizeof why))
			fail_msg("SMS to \"%s\" accepted", sms_bad[i]);
		assert_true(why[0] != '\0');
		if (*sms_bad[i])
			assert_null(strstr(why, sms_bad[i]));
		assert_false(outbox_recipient_ok(CH_WHATSAPP, sms_bad[i], why, sizeof why));
	}
	for (size_t i = 0; i < ARRAY_SIZE(mail_ok); i++) {
		assert_true(outbox_recipient_ok(CH_EMAIL, mail_ok[i], why, sizeof why));
		assert_false(outbox_recipient_ok(CH_SMS, mail_ok[i], why, sizeof why));
	}
	for (size_t i = 0; i < ARRAY_SIZE(mail_bad); i++) {
		why[0] = '\0';
		if (outbox_recipient_ok(CH_EMAIL, mail_bad[i], why, sizeof why))
			fail_msg("email to \"%s\" accepted", mail_bad[i]);
		assert_true(why[0] != '\0');
		if (*mail_bad[i])
			assert_null(strstr(why, mail_bad[i]));
	}
	assert_false(outbox_recipient_ok(CH_EMAIL, NULL, why, sizeof why));
	assert_false(outbox_recipient_ok(CH_CALL, "+15550002222", why, sizeof why));
	assert_false(outbox_recipient_ok(CH_LETTER, "a@example.com", why, sizeof why));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_field_from_the_view),
	    cmocka_unit_test(renders_a_whole_message),
	    cmocka_unit_test(english_debtor),
	    cmocka_unit_test(the_pending_promise_else_the_latest),
	    cmocka_unit_test(nothing_late_takes_the_next_installment),
	    cmocka_unit_test(missing_data_is_null),
	    cmocka_unit_test(whatsapp_params_in_order),
	    cmocka_unit_test(one_recipient_only),
	};

	return cmocka_run_group_tests_name("outbox", tests, NULL, NULL);
}
