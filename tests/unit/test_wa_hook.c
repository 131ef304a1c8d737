/* src/cobrod/wa_hook.c: what the WhatsApp Cloud API's webhook says, read
 * from its JSON body as Meta sends it: statuses of our messages, messages
 * from debtors, and what is refused or skipped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "wa_hook.h"

/* A webhook with one change whose value is VALUE (a JSON object's members). */
#define HOOK(value)                                                                                        \
	"{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\"," \
	"\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550001111\","  \
	"\"phone_number_id\":\"106540352242922\"}," value "}}]}]}"

static struct wa_hook parse_ok(const char *body)
{
	struct wa_hook h;
	char err[160];

	if (!wa_hook_parse(body, strlen(body), &h, err, sizeof err))
		fail_msg("refused: %s", err);
	return h;
}

static void statuses_as_meta_sends_them(void **state)
{
	struct wa_hook h = parse_ok(HOOK(
	    "\"statuses\":[{\"id\":\"wamid.HBgLMTU1\",\"status\":\"delivered\",\"timestamp\":\"1767225600\","
	    "\"recipient_id\":\"51987654321\"},"
	    "{\"id\":\"wamid.2\",\"status\":\"failed\",\"timestamp\":\"1767225601\","
	    "\"errors\":[{\"code\":131026,\"title\":\"Message undeliverable\"}]},"
	    "{\"id\":\"wamid.3\",\"status\":\"read\"},{\"id\":\"wamid.4\",\"status\":\"sent\"}]"));

	(void)state;
	assert_int_equal(h.nstatuses, 4);
	assert_string_equal(h.statuses[0].id, "wamid.HBgLMTU1");
	assert_int_equal(h.statuses[0].status, WA_DELIVERED);
	assert_int_equal(h.statuses[0].ts, 1767225600);
	assert_string_equal(h.statuses[0].phone_number_id, "106540352242922");
	assert_int_equal(h.statuses[0].error_code, 0);
	assert_int_equal(h.statuses[1].status, WA_FAILED);
	assert_int_equal(h.statuses[1].error_code, 131026);
	assert_int_equal(h.statuses[2].status, WA_READ);
	assert_int_equal(h.statuses[2].ts, 0); /* not given: the database's now */
	assert_string_equal(wa_status_name(h.statuses[3].status), "sent");
	assert_int_equal(h.nmessages, 0);
	assert_int_equal(h.skipped, 0);
	wa_hook_free(&h);
}

static void messages_text_and_not(void **state)
{
	struct wa_hook h = parse_ok(HOOK(
	    "\"contacts\":[{\"profile\":{\"name\":\"Carmen\"},\"wa_id\":\"51987654321\"}],"
	    "\"messages\":[{\"from\":\"51987654321\",\"id\":\"wamid.in1\",\"timestamp\":\"1767225600\","
	    "\"type\":\"text\",\"text\":{\"body\":\"BAJA\"}},"
	    "{\"from\":\"51987654321\",\"id\":\"wamid.in2\",\"type\":\"image\",\"image\":{\"id\":\"9\"}},"
	    "{\"from\":\"51987654321\",\"id\":\"wamid.in3\",\"type\":\"text\",\"text\":{\"body\":\"Se\\u00f1ora \\ud83d\\udc4d\"}}]"));

	(void)state;
	assert_int_equal(h.nmessages, 3);
	assert_string_equal(h.messages[0].from, "51987654321");
	assert_string_equal(h.messages[0].to, "15550001111");
	assert_string_equal(h.messages[0].text, "BAJA");
	assert_null(h.messages[1].text); /* an image: not text */
	assert_string_equal(h.messages[2].text, "Señora 👍");
	wa_hook_free(&h);
}

static void items_without_what_they_need_are_skipped(void **state)
{
	struct wa_hook h = parse_ok(HOOK(
	    "\"statuses\":[{\"status\":\"delivered\"},{\"id\":\"wamid.1\",\"status\":\"seen\"},"
	    "{\"id\":\"wamid 2\",\"status\":\"read\"},{\"id\":7,\"status\":\"read\"},\"x\"],"
	    "\"messages\":[{\"from\":\"+51987654321\",\"id\":\"wamid.a\"},{\"from\":\"519\",\"type\":\"text\"},"
	    "{\"from\":\"51987654321\",\"id\":\"wamid.ok\",\"type\":\"text\",\"text\":{\"body\":\"hola\"},"
	    "\"timestamp\":\"-5\"}]"));

	(void)state;
	assert_int_equal(h.nstatuses, 0);
	assert_int_equal(h.nmessages, 1);
	assert_int_equal(h.messages[0].ts, 0); /* a timestamp that is not one: the database's now */
	assert_int_equal(h.skipped, 7);
	wa_hook_free(&h);
}

static void other_fields_are_not_messages(void **state)
{
	struct wa_hook h = parse_ok(
	    "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"field\":\"account_update\","
	    "\"value\":{\"statuses\":[{\"id\":\"wamid.1\",\"status\":\"delivered\"}]}}]}]}");

	(void)state;
	assert_int_equal(h.nstatuses + h.nmessages, 0);
	wa_hook_free(&h);
}

static void refused_bodies(void **state)
{
	static const char *const bad[] = {
	    "",
	    "{",
	    "[]",
	    "{\"object\":\"page\",\"entry\":[]}",
	    "{\"entry\":[]}",
	    /* one key twice: two readers could read it two ways */
	    "{\"object\":\"whatsapp_business_account\",\"object\":\"page\"}",
	    "{\"object\":\"whatsapp_business_account\"} trailing",
	};
	struct wa_hook h;
	char err[160];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		if (wa_hook_parse(bad[i], strlen(bad[i]), &h, err, sizeof err))
			fail_msg("taken: %s", bad[i]);
		assert_true(err[0] != '\0');
		assert_int_equal(h.nstatuses + h.nmessages, 0);
	}
}

static void size_and_item_limits(void **state)
{
	struct buf b = {0};
	struct wa_hook h;
	char err[160];

	(void)state;
	buf_puts(&b, "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"field\":\"messages\","
		     "\"value\":{\"statuses\":[");
	for (int i = 0; i < WA_HOOK_MAX_ITEMS + 50; i++)
		buf_printf(&b, "%s{\"id\":\"wamid.%d\",\"status\":\"read\"}", i ? "," : "", i);
	buf_puts(&b, "]}}]}]}");
	assert_true(wa_hook_parse(b.s, b.len, &h, err, sizeof err));
	assert_int_equal(h.nstatuses, WA_HOOK_MAX_ITEMS);
	wa_hook_free(&h);
	b.len = 0;
	while (b.len <= WA_HOOK_MAX_BODY)
		buf_puts(&b, "                                                                ");
	assert_false(wa_hook_parse(b.s, b.len, &h, err, sizeof err));
	assert_non_null(strstr(err, "larger"));
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(statuses_as_meta_sends_them),
	    cmocka_unit_test(messages_text_and_not),
	    cmocka_unit_test(items_without_what_they_need_are_skipped),
	    cmocka_unit_test(other_fields_are_not_messages),
	    cmocka_unit_test(refused_bodies),
	    cmocka_unit_test(size_and_item_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
