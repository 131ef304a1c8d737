/* Bars and sparklines as text (bar.h). */
#include <langinfo.h>
#include <string.h>
#include <strings.h>

#include "bar.h"

bool bar_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (!strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "utf8"));
}

/* The eighths of a cell, left to right, then a full cell. */
static const char *const eighths[] = { "", "\xe2\x96\x8f", "\xe2\x96\x8e", "\xe2\x96\x8d", "\xe2\x96\x8c",
	                               "\xe2\x96\x8b", "\xe2\x96\x8a", "\xe2\x96\x89", "\xe2\x96\x88" };
/* The heights of a sparkline's point, lowest first. */
static const char *const heights[] = { "\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
	                               "\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88" };
static const char ascii_heights[] = ".:-=+*#@";

/* Appends s at *at within out's n bytes. */
static void put(char *out, size_t n, size_t *at, const char *s)
{
	size_t len = strlen(s);

	if (*at + len < n) {
		memcpy(out + *at, s, len);
		*at += len;
	}
	out[*at < n ? *at : n - 1] = '\0';
}

char *bar_text(char *out, size_t n, double value, double max, int cells, bool utf8)
{
	size_t at = 0;
	long steps = 0, per = utf8 ? 8 : 1;

	if (n == 0)
		return out;
	out[0] = '\0';
	if (cells <= 0)
		return out;
	if (max > 0 && value > 0) {
		steps = (long)(value / max * (double)(cells * per) + 0.5);
		if (steps < 1)
			steps = 1;
		if (steps > cells * per)
			steps = cells * per;
	}
	for (int c = 0; c < cells; c++) {
		long fill = steps - (long)c * per;

		if (fill <= 0)
			put(out, n, &at, " ");
		else if (!utf8)
			put(out, n, &at, "#");
		else
			put(out, n, &at, eighths[fill >= 8 ? 8 : fill]);
	}
	return out;
}

char *spark_text(char *out, size_t n, const int64_t *values, int count, int cells, bool utf8)
{
	int64_t group[512] = { 0 }, top = 0;
	int groups = cells < count ? cells : count;
	size_t at = 0;

	if (n == 0)
		return out;
	out[0] = '\0';
	if (cells <= 0)
		return out;
	if (groups > (int)(sizeof group / sizeof group[0]))
		groups = (int)(sizeof group / sizeof group[0]);
	/* Point i of count falls in group i * groups / count: evenly, in order. */
	for (int i = 0; i < count && groups > 0; i++)
		group[(int)((int64_t)i * groups / count)] += values[i];
	for (int g = 0; g < groups; g++)
		top = group[g] > top ? group[g] : top;
	for (int c = 0; c < cells; c++) {
		if (c >= groups || group[c] <= 0 || top <= 0) {
			put(out, n, &at, " ");
			continue;
		}
		int h = (int)((group[c] * 8 - 1) / top); /* 0..7: the top value is 7 */
		char a[2] = { ascii_heights[h], '\0' };

		put(out, n, &at, utf8 ? heights[h] : a);
	}
	return out;
}
