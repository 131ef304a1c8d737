#include "when.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tz.h"
#include "util.h"

/* Days ahead of today a word names, or -1: Monday is 0 as in struct civil. */
static int day_word(const char *w, int today_wday)
{
	static const struct {
		const char *word;
		int wday; /* 0-6, or -1 today, -2 tomorrow */
	} words[] = {
		{ "today", -1 },      { "hoy", -1 },          { "tomorrow", -2 },    { "ma\xc3\xb1""ana", -2 },
		{ "manana", -2 },     { "monday", 0 },        { "mon", 0 },          { "lunes", 0 },
		{ "lun", 0 },         { "tuesday", 1 },       { "tue", 1 },          { "martes", 1 },
		{ "mar", 1 },         { "wednesday", 2 },     { "wed", 2 },          { "mi\xc3\xa9rcoles", 2 },
		{ "miercoles", 2 },   { "mi\xc3\xa9", 2 },    { "mie", 2 },          { "thursday", 3 },
		{ "thu", 3 },         { "jueves", 3 },        { "jue", 3 },          { "friday", 4 },
		{ "fri", 4 },         { "viernes", 4 },       { "vie", 4 },          { "saturday", 5 },
		{ "sat", 5 },         { "s\xc3\xa1""bado", 5 }, { "sabado", 5 },     { "s\xc3\xa1""b", 5 },
		{ "sab", 5 },         { "sunday", 6 },        { "sun", 6 },          { "domingo", 6 },
		{ "dom", 6 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(words); i++) {
		if (strcmp(words[i].word, w) != 0)
			continue;
		if (words[i].wday == -1)
			return 0;
		if (words[i].wday == -2)
			return 1;
		/* The next such day, never today: "10:00" alone is today's. */
		return (words[i].wday - today_wday + 6) % 7 + 1;
	}
	return -1;
}

/* Lower case, ASCII and the accented capitals Spanish uses. */
static void lower(char *s)
{
	static const char *const upper[] = { "\xc3\x81", "\xc3\x89", "\xc3\x8d", "\xc3\x93", "\xc3\x9a", "\xc3\x91" };
	static const char *const low[] = { "\xc3\xa1", "\xc3\xa9", "\xc3\xad", "\xc3\xb3", "\xc3\xba", "\xc3\xb1" };

	for (; *s; s++) {
		*s = (char)tolower((unsigned char)*s);
		for (size_t i = 0; i < ARRAY_SIZE(upper); i++)
			if (!strncmp(s, upper[i], 2)) {
				memcpy(s, low[i], 2);
				s++;
				break;
			}
	}
}

/* "HH:MM" or "H:MM", the whole of s. */
static bool clock_time(const char *s, int *hour, int *min)
{
	int n = 0;

	if (sscanf(s, "%2d:%2d%n", hour, min, &n) != 2 || s[n] || !isdigit((unsigned char)s[0]) ||
	    strlen(s) < 4 || s[strlen(s) - 3] != ':')
		return false;
	return true;
}

enum when_problem when_parse(const char *text, const struct tz *z, int64_t now, int64_t *due)
{
	char buf[64], *first, *second, *rest;
	struct civil today, c = { 0 }, back;
	int64_t days;
	int ahead;

	snprintf(buf, sizeof buf, "%s", text);
	lower(buf);
	first = strtok_r(buf, " \t", &rest);
	second = first ? strtok_r(NULL, " \t", &rest) : NULL;
	if (!first || strtok_r(NULL, " \t", &rest))
		return WHEN_UNREADABLE;
	tz_local(z, now, &today);
	if (!second) {
		ahead = 0; /* "10:00": today */
		second = first;
	} else if (sscanf(first, "%4d-%2d-%2d", &c.year, &c.month, &c.day) == 3 && strlen(first) == 10 &&
	           first[4] == '-' && first[7] == '-') {
		ahead = -1;
	} else if ((ahead = day_word(first, today.wday)) < 0) {
		return WHEN_UNREADABLE;
	}
	if (!clock_time(second, &c.hour, &c.min))
		return WHEN_UNREADABLE;
	if (ahead >= 0) {
		civil_from_days(days_from_civil(today.year, today.month, today.day) + ahead, &c.year, &c.month,
		                &c.day);
	} else if (c.month < 1 || c.month > 12 || c.day < 1 || c.day > 31) {
		return WHEN_NO_SUCH_TIME;
	}
	if (c.hour > 23 || c.min > 59)
		return WHEN_NO_SUCH_TIME;
	/* 2026-02-30 would be taken as 2 March: a date that does not come back
	 * the same does not exist. */
	days = days_from_civil(c.year, c.month, c.day);
	civil_from_days(days, &back.year, &back.month, &back.day);
	if (back.year != c.year || back.month != c.month || back.day != c.day)
		return WHEN_NO_SUCH_TIME;
	*due = tz_utc(z, &c);
	/* tz_utc() gives a skipped time the instant the clocks jump to. */
	tz_local(z, *due, &back);
	if (back.hour != c.hour || back.min != c.min)
		return WHEN_NO_SUCH_TIME;
	if (*due <= now)
		return WHEN_PAST;
	return WHEN_OK;
}
