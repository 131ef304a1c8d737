#include "field.h"

#include <curses.h>
#include <limits.h>
#include <string.h>

#include "text.h"

static void erase_last(char *text)
{
	size_t n = strlen(text);

	while (n > 0 && ((unsigned char)text[n - 1] & 0xc0) == 0x80)
		n--;
	if (n > 0)
		n--;
	text[n] = '\0';
}

static void insert(char *text, size_t size, wint_t wc)
{
	char mb[MB_LEN_MAX];
	mbstate_t ps = { 0 };
	size_t len = strlen(text), k = wcrtomb(mb, (wchar_t)wc, &ps);

	if (k == (size_t)-1 || len + k >= size)
		return;
	memcpy(text + len, mb, k);
	text[len + k] = '\0';
}

enum field_key field_key(char *text, size_t size, bool is_key, wint_t wc, bool controls)
{
	if (is_key) {
		switch (wc) {
		case KEY_ENTER: return FIELD_ENTER;
		case KEY_BACKSPACE: erase_last(text); return FIELD_CHANGED;
		default: return FIELD_OTHER;
		}
	}
	switch (wc) {
	case '\n':
	case '\r': return FIELD_ENTER;
	case 27: return FIELD_ESC;
	case 127:
	case 8: erase_last(text); return FIELD_CHANGED;
	case 21: text[0] = '\0'; return FIELD_CHANGED; /* ^U */
	default:
		if (wc < 32 && !controls)
			return FIELD_OTHER;
		insert(text, size, wc);
		return FIELD_CHANGED;
	}
}

static bool continuation(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

int field_shown(char *out, size_t n, const char *text, int cols, bool secret)
{
	int room = cols > 1 ? cols - 1 : 0;
	size_t len = 0;
	const char *from = out;

	if (n == 0)
		return 0;
	/* Control characters show as "?" rather than moving the cursor around. */
	for (const char *p = text; *p;) {
		size_t k = 1, put;
		bool shown_as_is = !secret && (unsigned char)*p >= ' ';

		while (continuation(p[k]))
			k++;
		put = shown_as_is ? k : 1;
		if (len + put >= n)
			break;
		memcpy(out + len, shown_as_is ? p : secret ? "*" : "?", put);
		len += put;
		p += k;
	}
	out[len] = '\0';
	/* Long text scrolls: the end, where the cursor is, stays in view. */
	while (*from && text_width(from) > room) {
		from++;
		while (continuation(*from))
			from++;
	}
	memmove(out, from, strlen(from) + 1);
	return text_width(out);
}
