#include "text.h"

#include <stdint.h>
#include <string.h>
#include <utf8proc.h>

/* What an invalid byte is shown as. */
static const char replacement[] = "\xef\xbf\xbd"; /* U+FFFD */

/* Decodes one code point; on invalid input consumes one byte as U+FFFD. */
static utf8proc_ssize_t next_cp(const char *s, utf8proc_int32_t *cp, bool *invalid)
{
	utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s, -1, cp);

	*invalid = n < 1;
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

/* One grapheme cluster of s: its bytes, its cells, and whether it starts
 * with a control character (where a line's text ends). */
struct cluster {
	size_t len;
	int width;
	bool control;
	bool invalid; /* a single invalid byte, shown as U+FFFD */
};

static struct cluster next_cluster(const char *s)
{
	struct cluster c = { 0 };
	utf8proc_int32_t cp, prev;
	utf8proc_int32_t state = 0;
	bool invalid;
	utf8proc_ssize_t k;

	/* Most of what a screen shows is ASCII: a printable ASCII character
	 * followed by another ASCII byte is a cluster of its own, one cell. */
	if ((unsigned char)s[0] >= 0x20 && (unsigned char)s[0] < 0x7f && (unsigned char)s[1] < 0x80)
		return (struct cluster){ .len = 1, .width = 1 };
	k = next_cp(s, &prev, &invalid);

	c.len = (size_t)k;
	c.width = cp_width(prev);
	c.control = prev < 0x20;
	c.invalid = invalid;
	if (invalid || c.control)
		return c; /* never joined to what follows */
	while (s[c.len]) {
		k = next_cp(s + c.len, &cp, &invalid);
		if (invalid || cp < 0x20 || utf8proc_grapheme_break_stateful(prev, cp, &state))
			break;
		c.len += (size_t)k;
		c.width += cp_width(cp);
		prev = cp;
	}
	return c;
}

/* The width of s, or of as much of it as passes limit (a long body on a
 * short line need not be measured to the end). */
static int width_upto(const char *s, int limit)
{
	int w = 0;

	while (*s && w <= limit) {
		struct cluster c = next_cluster(s);

		w += c.width;
		s += c.len;
	}
	return w;
}

int text_width(const char *s)
{
	return width_upto(s, INT32_MAX);
}

int text_fit(char *out, size_t n, const char *s, int cols, int pad)
{
	static const char ellipsis[] = "\xe2\x80\xa6"; /* … */
	size_t len = 0;
	int used = 0;
	int fits = width_upto(s, cols) <= cols;
	int room = fits ? cols : cols - 1; /* keep a cell for the ellipsis */

	if (n == 0)
		return 0;
	while (*s) {
		struct cluster c = next_cluster(s);
		const char *bytes = c.invalid ? replacement : s;
		size_t blen = c.invalid ? sizeof replacement - 1 : c.len;

		if (c.control || used + c.width > room || len + blen + sizeof ellipsis >= n)
			break;
		memcpy(out + len, bytes, blen);
		len += blen;
		used += c.width;
		s += c.len;
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

const char *text_pad(char *out, size_t n, const char *s, int cols, bool right)
{
	int w = text_width(s), spaces = w < cols ? cols - w : 0;
	size_t len = strlen(s), at = 0;

	if (n == 0)
		return out;
	/* Whole or not at all: a table cell is never cut (and cut bytes would
	 * be no UTF-8). Sizes here are a line's; a longer one shows as "". */
	if (len + (size_t)spaces + 1 > n) {
		out[0] = '\0';
		return out;
	}
	if (right) {
		memset(out, ' ', (size_t)spaces);
		at = (size_t)spaces;
	}
	memcpy(out + at, s, len);
	at += len;
	if (!right) {
		memset(out + at, ' ', (size_t)spaces);
		at += (size_t)spaces;
	}
	out[at] = '\0';
	return out;
}

const char *text_first_line(char *out, size_t n, const char *s)
{
	size_t len = strcspn(s, "\r\n");

	if (n == 0)
		return out;
	if (len >= n) {
		len = n - 1;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--; /* s[len] would start the next character: cut before it */
	}
	memcpy(out, s, len);
	out[len] = '\0';
	return out;
}

bool text_utf8_valid(const char *s, size_t len)
{
	const uint8_t *p = (const uint8_t *)s;

	while (len > 0) {
		utf8proc_int32_t c;
		utf8proc_ssize_t n;

		/* ASCII, most of any text, byte by byte without the decoder. */
		if (*p && *p < 0x80) {
			p++, len--;
			continue;
		}
		n = utf8proc_iterate(p, (utf8proc_ssize_t)len, &c);

		if (n <= 0 || c == 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

size_t text_wrap(const char *s, int cols, const char **next)
{
	size_t len = 0, brk = 0;
	int used = 0;

	if (cols < 1)
		cols = 1;
	while (s[len]) {
		struct cluster c = next_cluster(s + len);

		if (s[len] == '\n' || (s[len] == '\r' && s[len + 1] == '\n')) {
			*next = s + len + (s[len] == '\r' ? 2 : 1);
			return len;
		}
		if (used + c.width > cols && len > 0) {
			/* Break at a blank met at the edge, else after the last
			 * blank, which goes with the break; a word longer than the
			 * line is cut where it meets the edge. */
			if (brk && s[len] != ' ') {
				*next = s + brk;
				return brk - 1;
			}
			/* A blank just past the edge goes with the break too. */
			*next = s + len + (s[len] == ' ');
			return len;
		}
		used += c.width;
		len += c.len;
		if (s[len - c.len] == ' ')
			brk = len;
	}
	*next = s + len;
	return len;
}
