/* What the WhatsApp Cloud API's webhook says, read from its JSON body: the
 * statuses of messages we sent (sent, delivered, read, failed) and the
 * messages debtors sent us. Pure (jansson only), so the fuzz target
 * (tests/fuzz/fuzz_wa_hook.c) reads exactly what the listener reads.
 *
 * The shape (Meta's "messages" field):
 *   {"object": "whatsapp_business_account",
 *    "entry": [{"changes": [{"field": "messages", "value": {
 *        "metadata": {"display_phone_number": "...", "phone_number_id": "..."},
 *        "statuses": [{"id": "wamid...", "status": "delivered",
 *                      "timestamp": "1700000000", "errors": [{"code": 131026}]}],
 *        "messages": [{"from": "5215512345678", "id": "wamid...", "timestamp": "...",
 *                      "type": "text", "text": {"body": "BAJA"}}]}}]}]}
 * Anything else in it is ignored; an item missing what it needs is skipped
 * and counted, never guessed. */
#ifndef COBRO_WA_HOOK_H
#define COBRO_WA_HOOK_H

#include <stdbool.h>
#include <stddef.h>

/* A body larger than this is refused before it is parsed. */
#define WA_HOOK_MAX_BODY (256 * 1024)
/* At most this many statuses and messages are read from one body. */
#define WA_HOOK_MAX_ITEMS 1000
/* Meta's ids ("wamid." and base64) are well under this. */
#define WA_HOOK_ID_SIZE 129

enum wa_status_kind { WA_SENT, WA_DELIVERED, WA_READ, WA_FAILED };

struct wa_status {
	char id[WA_HOOK_ID_SIZE];
	char phone_number_id[WA_HOOK_ID_SIZE]; /* whose number sent it ("" if not said) */
	enum wa_status_kind status;
	long long ts;   /* 0: not given */
	int error_code; /* the first error's code, 0 when none */
};

struct wa_message {
	char id[WA_HOOK_ID_SIZE];
	char phone_number_id[WA_HOOK_ID_SIZE];
	char from[32];  /* digits as Meta writes them, without "+" */
	char to[32];    /* our display number, digits only ("" if not said) */
	long long ts;
	char *text;     /* UTF-8; NULL for a message that is not text (an image) */
};

struct wa_hook {
	struct wa_status *statuses;
	size_t nstatuses;
	struct wa_message *messages;
	size_t nmessages;
	size_t skipped; /* items without what they need */
};

/* Parses body (len bytes, not NUL-terminated). False with err set when it is
 * not JSON, not an object, or not a WhatsApp Business webhook; true
 * otherwise, even with nothing in it. Free with wa_hook_free(). */
bool wa_hook_parse(const char *body, size_t len, struct wa_hook *out, char *err, size_t errlen);
void wa_hook_free(struct wa_hook *h);

/* The status's name, as the database's cobro.message_receipt() takes it. */
const char *wa_status_name(enum wa_status_kind k);

#endif
