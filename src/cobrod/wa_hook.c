#include "wa_hook.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util.h"

static const char *const status_names[] = {
    [WA_SENT] = "sent", [WA_DELIVERED] = "delivered", [WA_READ] = "read", [WA_FAILED] = "failed"};

const char *wa_status_name(enum wa_status_kind k)
{
	return status_names[k];
}

/* An id: 1 to WA_HOOK_ID_SIZE-1 printable ASCII characters, no space. */
static bool get_id(json_t *obj, const char *key, char *out, size_t outlen)
{
	const char *s = json_string_value(json_object_get(obj, key));
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n >= outlen)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return false;
	memcpy(out, s, n + 1);
	return true;
}

/* Digits only (a phone number as Meta writes it), at most outlen-1. */
static bool get_digits(json_t *obj, const char *key, char *out, size_t outlen)
{
	const char *s = json_string_value(json_object_get(obj, key));
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n >= outlen || s[strspn(s, "0123456789")] != '\0')
		return false;
	memcpy(out, s, n + 1);
	return true;
}

/* Meta's timestamps are decimal seconds in a string; 0 when absent or
 * garbage (the database then takes its own now). */
static long long get_ts(json_t *obj)
{
	const char *s = json_string_value(json_object_get(obj, "timestamp"));
	long long v;

	if (!s || !*s || strlen(s) > 12 || s[strspn(s, "0123456789")] != '\0')
		return 0;
	errno = 0;
	v = strtoll(s, NULL, 10);
	return errno ? 0 : v;
}

static bool status_kind(const char *s, enum wa_status_kind *out)
{
	for (size_t i = 0; s && i < ARRAY_SIZE(status_names); i++)
		if (strcmp(s, status_names[i]) == 0) {
			*out = (enum wa_status_kind)i;
			return true;
		}
	return false;
}

static void read_status(struct wa_hook *h, json_t *st, const char *phone_id)
{
	struct wa_status s = {0};
	json_t *first_error = json_array_get(json_object_get(st, "errors"), 0);
	json_int_t code = json_integer_value(json_object_get(first_error, "code"));

	if (!json_is_object(st) || !get_id(st, "id", s.id, sizeof s.id) ||
	    !status_kind(json_string_value(json_object_get(st, "status")), &s.status)) {
		h->skipped++;
		return;
	}
	s.ts = get_ts(st);
	s.error_code = code > 0 && code < 1000000000 ? (int)code : 0;
	snprintf(s.phone_number_id, sizeof s.phone_number_id, "%s", phone_id);
	h->statuses = xrealloc(h->statuses, (h->nstatuses + 1) * sizeof *h->statuses);
	h->statuses[h->nstatuses++] = s;
}

static void read_message(struct wa_hook *h, json_t *m, const char *phone_id, const char *to)
{
	struct wa_message w = {0};
	const char *type = json_string_value(json_object_get(m, "type"));
	const char *body = json_string_value(json_object_get(json_object_get(m, "text"), "body"));

	if (!json_is_object(m) || !get_id(m, "id", w.id, sizeof w.id) ||
	    !get_digits(m, "from", w.from, sizeof w.from)) {
		h->skipped++;
		return;
	}
	w.ts = get_ts(m);
	snprintf(w.phone_number_id, sizeof w.phone_number_id, "%s", phone_id);
	snprintf(w.to, sizeof w.to, "%s", to);
	/* jansson gives valid UTF-8 only; a text with a NUL in it is cut there
	 * by json_string_value, which is what the database would refuse. */
	if (type && strcmp(type, "text") == 0 && body)
		w.text = xstrdup(body);
	h->messages = xrealloc(h->messages, (h->nmessages + 1) * sizeof *h->messages);
	h->messages[h->nmessages++] = w;
}

bool wa_hook_parse(const char *body, size_t len, struct wa_hook *out, char *err, size_t errlen)
{
	json_error_t je;
	json_t *root, *entry, *e;
	const char *object;
	size_t i;

	memset(out, 0, sizeof *out);
	if (len > WA_HOOK_MAX_BODY) {
		snprintf(err, errlen, "the body is larger than %d bytes", WA_HOOK_MAX_BODY);
		return false;
	}
	/* JSON_REJECT_DUPLICATES: one key said twice is a body two readers
	 * could read two ways. */
	root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		snprintf(err, errlen, "not JSON: %s (line %d)", je.text, je.line);
		return false;
	}
	object = json_string_value(json_object_get(root, "object"));
	if (!json_is_object(root) || !object || strcmp(object, "whatsapp_business_account") != 0) {
		snprintf(err, errlen, "not a WhatsApp Business webhook (\"object\")");
		json_decref(root);
		return false;
	}
	entry = json_object_get(root, "entry");
	json_array_foreach(entry, i, e) {
		json_t *changes = json_object_get(e, "changes"), *c;
		size_t j;

		json_array_foreach(changes, j, c) {
			json_t *value = json_object_get(c, "value"), *meta = json_object_get(value, "metadata"), *x;
			const char *field = json_string_value(json_object_get(c, "field"));
			char phone_id[WA_HOOK_ID_SIZE] = "", to[32] = "";
			size_t k;

			if (!field || strcmp(field, "messages") != 0 || !json_is_object(value))
				continue;
			get_id(meta, "phone_number_id", phone_id, sizeof phone_id);
			get_digits(meta, "display_phone_number", to, sizeof to);
			json_array_foreach(json_object_get(value, "statuses"), k, x) {
				if (out->nstatuses + out->nmessages >= WA_HOOK_MAX_ITEMS)
					break;
				read_status(out, x, phone_id);
			}
			json_array_foreach(json_object_get(value, "messages"), k, x) {
				if (out->nstatuses + out->nmessages >= WA_HOOK_MAX_ITEMS)
					break;
				read_message(out, x, phone_id, to);
			}
		}
	}
	json_decref(root);
	return true;
}

void wa_hook_free(struct wa_hook *h)
{
	for (size_t i = 0; i < h->nmessages; i++)
		free(h->messages[i].text);
	free(h->messages);
	free(h->statuses);
	memset(h, 0, sizeof *h);
}
