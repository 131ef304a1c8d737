#include "tz.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

int64_t days_from_civil(int y, int m, int d)
{
	/* Howard Hinnant's algorithm: exact for every proleptic Gregorian date. */
	int64_t yy = y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int weekday_of_days(int64_t days)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	int64_t w = (days + 3) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

static int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

static int32_t glibc_offset(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	return (int32_t)tm.tm_gmtoff;
}

/* Valid names are paths below the tz database that hold a TZif file. */
static bool zone_exists(const char *name)
{
	const char *dir = getenv("TZDIR");
	char path[512], magic[4];
	FILE *f;
	bool ok;

	if (!*name || name[0] == '/' || strstr(name, "..") || strlen(name) >= 64)
		return false;
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("/_-+", *p))
			return false;
	snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
	if (!(f = fopen(path, "rb")))
		return false;
	ok = fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
	fclose(f);
	return ok;
}

const char *tz_local_name(char *out, size_t n)
{
	const char *env = getenv("TZ");
	char link[512];
	ssize_t len;

	if (env && *env == ':')
		env++;
	if (env && *env && zone_exists(env)) {
		snprintf(out, n, "%s", env);
		return out;
	}
	len = readlink("/etc/localtime", link, sizeof link - 1);
	if (len > 0) {
		const char *z;

		link[len] = '\0';
		z = strstr(link, "zoneinfo/");
		if (z && zone_exists(z + 9)) {
			snprintf(out, n, "%s", z + 9);
			return out;
		}
	}
	snprintf(out, n, "UTC");
	return out;
}

bool tz_load(struct tz *tz, const char *name, char *err, size_t errlen)
{
	char *saved = getenv("TZ") ? xstrdup(getenv("TZ")) : NULL;
	int64_t t = days_from_civil(TZ_FIRST_YEAR, 1, 1) * 86400;
	int64_t end = days_from_civil(TZ_LAST_YEAR + 1, 1, 1) * 86400;
	int cap = 0;
	int32_t prev;

	memset(tz, 0, sizeof *tz);
	if (!zone_exists(name)) {
		snprintf(err, errlen, "unknown time zone \"%s\"", name);
		free(saved);
		return false;
	}
	snprintf(tz->name, sizeof tz->name, "%s", name);
	/* glibc reads the zone; we keep only its answers. Offsets change at most a
	 * few times a year and never twice within a day, so a daily walk finds every
	 * change and a bisection pins it to the second. */
	setenv("TZ", name, 1);
	tzset();
	prev = tz->off0 = glibc_offset(t);
	for (; t < end; t += 86400) {
		int32_t next = glibc_offset(t + 86400);

		if (next != prev) {
			int64_t lo = t, hi = t + 86400; /* offset(lo) == prev, offset(hi) == next */

			while (hi - lo > 1) {
				int64_t mid = lo + (hi - lo) / 2;

				if (glibc_offset(mid) == prev)
					lo = mid;
				else
					hi = mid;
			}
			if (tz->n == cap) {
				cap = cap ? cap * 2 : 64;
				tz->at = xrealloc(tz->at, (size_t)cap * sizeof *tz->at);
				tz->off = xrealloc(tz->off, (size_t)cap * sizeof *tz->off);
			}
			tz->at[tz->n] = hi;
			tz->off[tz->n] = next;
			tz->n++;
			prev = next;
		}
	}
	if (saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
	return true;
}

const struct tz *tz_cached(const char *name)
{
	/* Each zone lives in its own allocation, so a pointer handed out stays
	 * good for the life of the process. The tz database has ~600 zones. */
	static struct tz *zones[1024];
	static int n;
	char err[128];
	struct tz *z;

	for (int i = 0; i < n; i++)
		if (!strcmp(zones[i]->name, name))
			return zones[i];
	if (n == (int)ARRAY_SIZE(zones))
		return NULL;
	z = xmalloc(sizeof *z);
	if (!tz_load(z, name, err, sizeof err)) {
		free(z);
		return NULL;
	}
	return zones[n++] = z;
}

void tz_free(struct tz *tz)
{
	free(tz->at);
	free(tz->off);
	memset(tz, 0, sizeof *tz);
}

void tz_local(const struct tz *tz, int64_t utc, struct civil *c)
{
	int64_t local = utc + tz_offset(tz, utc);
	int64_t days = floor_div(local, 86400);
	int64_t secs = local - days * 86400;

	civil_from_days(days, &c->year, &c->month, &c->day);
	c->hour = (int)(secs / 3600);
	c->min = (int)(secs / 60 % 60);
	c->sec = (int)(secs % 60);
	c->wday = weekday_of_days(days);
}

/* Index of the first offset change after utc. */
static int change_after(const struct tz *tz, int64_t utc)
{
	int lo = 0, hi = tz->n;

	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (tz->at[mid] <= utc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int32_t tz_offset(const struct tz *tz, int64_t utc)
{
	int i = change_after(tz, utc);

	return i == 0 ? tz->off0 : tz->off[i - 1];
}

int64_t tz_utc(const struct tz *tz, const struct civil *c)
{
	int64_t local = days_from_civil(c->year, c->month, c->day) * 86400 + c->hour * 3600 + c->min * 60 + c->sec;
	/* No zone changes offset twice within 14 hours: the offsets in force half
	 * a day either side are the only ones that can apply. */
	int32_t before = tz_offset(tz, local - 50400), after = tz_offset(tz, local + 50400);
	int64_t g1 = local - before, g2 = local - after, best = INT64_MAX;
	int i;

	if (tz_offset(tz, g1) == before)
		best = g1;
	if (tz_offset(tz, g2) == after && g2 < best)
		best = g2; /* the repeated hour: the earlier of the two */
	if (best != INT64_MAX)
		return best;
	/* A time the clocks skipped: the instant they jumped. */
	i = change_after(tz, g2);
	return i < tz->n ? tz->at[i] : g1;
}

static bool digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

bool time_parse_iso(const char *s, int64_t *out)
{
	int y, mo, d, h, mi, sec = 0, oh = 0, om = 0, sign = 1;
	const char *p;
	int mdays;

	if (strlen(s) < 17 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
	    !digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != ' ') || !digits(s + 11, 2, &h) || s[13] != ':' ||
	    !digits(s + 14, 2, &mi))
		return false;
	p = s + 16;
	if (*p == ':') {
		if (!digits(p + 1, 2, &sec))
			return false;
		p += 3;
	}
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om))
			return false;
		p += 6;
	} else {
		return false;
	}
	if (*p)
		return false;
	if (mo < 1 || mo > 12 || h > 23 || mi > 59 || sec > 59 || oh > 14 || om > 59)
		return false;
	mdays = (int)(days_from_civil(mo == 12 ? y + 1 : y, mo == 12 ? 1 : mo + 1, 1) - days_from_civil(y, mo, 1));
	if (d < 1 || d > mdays)
		return false;
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - sign * (oh * 3600 + om * 60);
	return true;
}

void time_format_iso(char *out, size_t n, const struct tz *tz, int64_t utc)
{
	struct civil c;
	int32_t off = tz_offset(tz, utc);
	int a = off < 0 ? -off : off;

	tz_local(tz, utc, &c);
	snprintf(out, n, "%04d-%02d-%02dT%02d:%02d%c%02d:%02d", c.year, c.month, c.day, c.hour, c.min,
	         off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
}
