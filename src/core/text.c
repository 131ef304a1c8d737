#include "text.h"

#include <stdint.h>
#include <string.h>
#include <utf8proc.h>

/* Decodes one code point; on invalid input consumes one byte as U+FFFD. */
static utf8proc_ssize_t next_cp(const char *s, utf8proc_int32_t *cp)
{
	utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s, -1, cp);

	if (n < 1) {
		*cp = 0xFFFD;
		n = 1;
	}
	return n;
}

static int cp_width(utf8proc_int32_t cp)
{
	int w = utf8proc_charwidth(cp);

	/* Control characters are shown as nothing rather than breaking the row. */
	return cp < 0x20 || w < 0 ? 0 : w;
}

int text_width(const char *s)
{
	int w = 0;
	utf8proc_int32_t cp;

	while (*s) {
		s += next_cp(s, &cp);
		w += cp_width(cp);
	}
	return w;
}

int text_fit(char *out, size_t n, const char *s, int cols, int pad)
{
	static const char ellipsis[] = "\xe2\x80\xa6"; /* … */
	size_t len = 0;
	int used = 0;
	int fits = text_width(s) <= cols;
	int room = fits ? cols : cols - 1; /* keep a column for the ellipsis */
	utf8proc_int32_t cp;

	if (n == 0)
		return 0;
	while (*s) {
		utf8proc_ssize_t k = next_cp(s, &cp);
		int w = cp_width(cp);

		if (cp < 0x20 || used + w > room || len + (size_t)k + 4 >= n)
			break;
		memcpy(out + len, s, (size_t)k);
		len += (size_t)k;
		used += w;
		s += k;
	}
	if (!fits && cols > 0 && len + sizeof ellipsis < n) {
		memcpy(out + len, ellipsis, sizeof ellipsis - 1);
		len += sizeof ellipsis - 1;
		used++;
	}
	while (pad && used < cols && len + 1 < n) {
		out[len++] = ' ';
		used++;
	}
	out[len] = '\0';
	return used;
}

bool text_utf8_valid(const char *s, size_t len)
{
	const uint8_t *p = (const uint8_t *)s;

	while (len > 0) {
		utf8proc_int32_t c;
		utf8proc_ssize_t n = utf8proc_iterate(p, (utf8proc_ssize_t)len, &c);

		if (n <= 0 || c == 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}
