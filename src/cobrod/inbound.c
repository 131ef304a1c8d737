/* Reading an inbound SMS: the opt-out keyword, the sender's number, the text's
 * encoding. Kannel's stop service (scripts/services.sh) already sorts texts by
 * their first word; inbound_is_stop is the second, stricter reading that
 * catches a keyword Kannel was not told about, and the only one for gateways
 * that do not sort at all. */
#include "inbound.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "phone.h"
#include "util.h"

/* Lower case, one space between words. US carriers' and the FCC's list (2025
 * rules name REVOKE and OPT OUT too), then the Spanish ones our debtors use. */
static const char *const stop_words[] = {
    "stop",   "stop all", "stopall", "unsubscribe", "cancel",      "end",  "quit",
    "revoke", "opt out",  "optout",  "baja",        "dar de baja", "alto", "parar",
};

/* Longer than every keyword: a core that grows past it cannot be one. */
#define CORE_MAX 16

static bool is_space(utf8proc_int32_t c)
{
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_ZS:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
	/* Line breaks and tabs, and the odd control a phone adds. */
	case UTF8PROC_CATEGORY_CC: return true;
	default: return false;
	}
}

/* What people put around a keyword: "¡BAJA!", "Stop.", "STOP 🛑". Emoji
 * bring variation selectors, skin tones (Sk) and joiners (Cf) along. */
static bool is_decoration(utf8proc_int32_t c)
{
	if (c >= 0xfe00 && c <= 0xfe0f)
		return true;
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_PC:
	case UTF8PROC_CATEGORY_PD:
	case UTF8PROC_CATEGORY_PS:
	case UTF8PROC_CATEGORY_PE:
	case UTF8PROC_CATEGORY_PI:
	case UTF8PROC_CATEGORY_PF:
	case UTF8PROC_CATEGORY_PO:
	case UTF8PROC_CATEGORY_SO:
	case UTF8PROC_CATEGORY_SK:
	case UTF8PROC_CATEGORY_CF: return true;
	default: return false;
	}
}

bool inbound_is_stop(const char *text)
{
	const uint8_t *s = (const uint8_t *)text;
	char core[CORE_MAX + 1];
	size_t n = 0;
	bool gap = false;   /* a space since the last letter */
	bool after = false; /* decoration after the letters: the word has ended */

	if (!text)
		return false;
	while (*s) {
		utf8proc_int32_t c;
		utf8proc_ssize_t len = utf8proc_iterate(s, -1, &c);

		if (len <= 0)
			return false;
		s += len;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
			if (after || n + 2 > CORE_MAX)
				return false;
			if (gap && n)
				core[n++] = ' ';
			core[n++] = (char)(c | 0x20);
			gap = false;
		} else if (is_space(c)) {
			gap = true;
		} else if (is_decoration(c)) {
			after = n > 0;
		} else {
			/* Digits, other letters, a combining accent: not a keyword. */
			return false;
		}
	}
	core[n] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(stop_words); i++)
		if (strcmp(core, stop_words[i]) == 0)
			return true;
	return false;
}

bool inbound_phone(const char *raw, char *out, size_t outlen)
{
	char buf[64];
	const char *s = raw;

	if (!out || !outlen)
		return false;
	out[0] = '\0';
	if (!raw)
		return false;
	s += strspn(s, " \t");
	if (*s == '+' || (s[0] == '0' && s[1] == '0'))
		return phone_normalize(s, NULL, out, outlen, NULL, 0);
	/* A lone leading 0 is a national trunk prefix: whose nation is unknown. */
	if (*s < '1' || *s > '9' || strlen(s) + 2 > sizeof buf)
		return false;
	snprintf(buf, sizeof buf, "+%s", s);
	return phone_normalize(buf, NULL, out, outlen, NULL, 0);
}

void inbound_mask_phone(const char *e164, char *out, size_t outlen)
{
	phone_mask(e164, out, outlen);
}

char *inbound_ucs2_to_utf8(const char *s, size_t len)
{
	const uint8_t *p = (const uint8_t *)s;
	/* A 2-byte unit takes at most 3 bytes of UTF-8, a 4-byte pair 4. */
	char *out, *o;

	if (len % 2)
		return NULL;
	out = o = xmalloc(len / 2 * 3 + 1);
	for (size_t i = 0; i < len; i += 2) {
		utf8proc_int32_t c = p[i] << 8 | p[i + 1];

		if (c >= 0xd800 && c <= 0xdbff && i + 3 < len) {
			utf8proc_int32_t lo = p[i + 2] << 8 | p[i + 3];

			if (lo >= 0xdc00 && lo <= 0xdfff) {
				c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
				i += 2;
			}
		}
		if (c == 0 || (c >= 0xd800 && c <= 0xdfff)) {
			free(out);
			return NULL;
		}
		o += utf8proc_encode_char(c, (utf8proc_uint8_t *)o);
	}
	*o = '\0';
	return out;
}
