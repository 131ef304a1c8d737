/* Numbers in libconfig text checked as written, before libconfig reads them
 * (confnum.h). On its own, apart from config.c, because the server's
 * contact-policy check (src/pgext) links it and must not link libpq. */
#include "confnum.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* libconfig 1.5 stores a number it cannot hold as another one, silently:
 * 9999999999 as 1410065407, 99999999999999999999 as -1. So the text is read
 * first, as libconfig's scanner reads it (strings, the three kinds of
 * comments, names, numbers), and every integer is converted with strtoll or
 * strtoull: one that overflows 64 bits, or 32 without the L suffix, or a
 * float beyond a double's range, is refused with the number as written. */
static bool name_start(int c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '*'; }
static bool name_char(int c) { return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '_'; }
static bool digit(int c) { return c >= '0' && c <= '9'; }

static bool number_fits(const char *tok, size_t len, bool *is_float, char *why, size_t whylen)
{
	char copy[128], *end;
	bool hex, longer = len > 0 && tok[len - 1] == 'L';
	size_t n = len;

	while (n > 0 && tok[n - 1] == 'L')
		n--;
	if (n >= sizeof copy) {
		snprintf(why, whylen, "too many digits");
		return false;
	}
	memcpy(copy, tok, n);
	copy[n] = '\0';
	hex = strstr(copy, "0x") || strstr(copy, "0X");
	*is_float = !hex && strpbrk(copy, ".eE") != NULL;
	errno = 0;
	if (*is_float) {
		double d = strtod(copy, &end);

		if (errno == ERANGE && (d > 1 || d < -1)) {
			snprintf(why, whylen, "too large a number (a double holds about 1.8e308)");
			return false;
		}
		return true;
	}
	if (hex) {
		unsigned long long u = strtoull(copy + (copy[0] == '-' || copy[0] == '+'), &end, 16);

		if (errno == ERANGE || copy[0] == '-' || (!longer && u > 0x7FFFFFFFULL)) {
			snprintf(why, whylen, "too large a number (at most %s)", longer ? "0x7FFFFFFFFFFFFFFFL" : "0x7FFFFFFF");
			return false;
		}
		return true;
	}
	long long v = strtoll(copy, &end, 10);

	if (errno == ERANGE || (!longer && (v > INT32_MAX || v < INT32_MIN))) {
		if (copy[0] == '-')
			snprintf(why, whylen, "too small a number (at least %lld)", longer ? (long long)INT64_MIN : (long long)INT32_MIN);
		else
			snprintf(why, whylen, "too large a number (at most %lld)", longer ? (long long)INT64_MAX : (long long)INT32_MAX);
		return false;
	}
	return true;
}

bool conf_numbers_check(const char *text, const char *name, char *err, size_t errlen)
{
	/* The names of the groups, lists and arrays around the scan, for the
	 * setting's dotted path ("sms.max_segments"); list elements have none. */
	struct {
		const char *s;
		size_t len;
	} outer[16];
	const char *p = text, *setting = NULL;
	size_t setting_len = 0, depth = 0;
	int line = 1;

	while (*p) {
		if (*p == '\n') {
			line++, p++;
		} else if (*p == '#' || (p[0] == '/' && p[1] == '/')) {
			while (*p && *p != '\n')
				p++;
		} else if (p[0] == '/' && p[1] == '*') {
			for (p += 2; *p && !(p[0] == '*' && p[1] == '/'); p++)
				line += *p == '\n';
			if (*p)
				p += 2;
		} else if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1])
					p++;
				line += *p == '\n';
			}
			if (*p)
				p++;
		} else if (*p == '{' || *p == '(' || *p == '[') {
			if (depth < ARRAY_SIZE(outer))
				outer[depth].s = setting, outer[depth].len = setting_len;
			depth++, p++;
			setting = NULL, setting_len = 0;
		} else if (*p == '}' || *p == ')' || *p == ']') {
			if (depth > 0)
				depth--;
			setting = NULL, setting_len = 0;
			p++;
		} else if (name_start((unsigned char)*p)) {
			const char *start = p, *q;

			while (name_char((unsigned char)*p))
				p++;
			/* A name followed by = or : names the setting the numbers
			 * after it belong to; true, false and the like do not. */
			q = p + strspn(p, " \t\r\n");
			if (*q == '=' || *q == ':')
				setting = start, setting_len = (size_t)(p - start);
		} else if (digit((unsigned char)*p) ||
		           ((*p == '-' || *p == '+' || *p == '.') &&
		            (digit((unsigned char)p[1]) || (p[1] == '.' && digit((unsigned char)p[2]))))) {
			const char *start = p;
			char why[96];
			bool is_float;
			struct buf path = { 0 };

			p++;
			while (*p && (name_char((unsigned char)*p) || *p == '.' ||
			              ((*p == '+' || *p == '-') && (p[-1] == 'e' || p[-1] == 'E'))))
				p++;
			if (number_fits(start, (size_t)(p - start), &is_float, why, sizeof why))
				continue;
			buf_puts(&path, "");
			for (size_t i = 0; i < depth && i < ARRAY_SIZE(outer); i++)
				if (outer[i].s)
					buf_printf(&path, "%.*s.", (int)outer[i].len, outer[i].s);
			if (setting)
				buf_printf(&path, "%.*s", (int)setting_len, setting);
			else if (path.len)
				path.s[--path.len] = '\0';
			snprintf(err, errlen, "%s:%d: %s%s%.*s is %s", name, line, path.s, path.len ? ": " : "",
			         (int)(p - start > 60 ? 60 : p - start), start, why);
			buf_free(&path);
			return false;
		} else {
			p++;
		}
	}
	return true;
}
