/* Values of the import files, checked one by one (import.h). */
#include "import.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "tz.h"
#include "util.h"

const struct csv_column import_payment_columns[PAY_NCOLS] = {
	[PAY_REFERENCE] = { "reference", true },
	[PAY_AMOUNT] = { "amount", true },
	[PAY_PAID_AT] = { "paid_at", true },
	[PAY_METHOD] = { "method", true },
	[PAY_EXTERNAL_ID] = { "external_id", true },
};

const struct csv_column import_account_columns[ACC_NCOLS] = {
	[ACC_REFERENCE] = { "reference", true },
	[ACC_DEBTOR_NAME] = { "debtor_name", true },
	[ACC_NATIONAL_ID] = { "national_id", true },
	[ACC_MOBILE] = { "mobile", true },
	[ACC_EMAIL] = { "email", true },
	[ACC_JURISDICTION] = { "jurisdiction", true },
	[ACC_TIME_ZONE] = { "time_zone", true },
	[ACC_LANGUAGE] = { "language", true },
	[ACC_CREDITOR] = { "creditor", true },
	[ACC_PRODUCT] = { "product", true },
	[ACC_CURRENCY] = { "currency", true },
	[ACC_BALANCE] = { "balance", true },
	[ACC_PAST_DUE] = { "past_due", true },
	[ACC_DUE_DATE] = { "due_date", true },
	[ACC_SEGMENT] = { "segment", true },
	[ACC_SCORE] = { "score", true },
	[ACC_AGENT] = { "agent", false },
};

#define WHY(...) (snprintf(why, n, __VA_ARGS__), false)

/* What a person sees of a bad value: at most 40 bytes, cut between
 * characters. */
static int shown(const char *s)
{
	int len = (int)strlen(s);

	if (len <= 40)
		return len;
	len = 40;
	while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
		len--;
	return len;
}

bool import_money(const char *s, int decimals, bool allow_zero, long long *minor, char *why, size_t n)
{
	const char *p = s;
	long long v = 0;
	int ndig = 0, frac = 0;

	*minor = 0;
	if (!*s)
		return WHY("empty; an amount such as 1234.50 is expected");
	if (*s == '-')
		return WHY("\"%.*s\" is negative", shown(s), s);
	for (; isdigit((unsigned char)*p); p++, ndig++) {
		if (v > 100000000000000LL)
			return WHY("\"%.*s\" is too large", shown(s), s);
		v = v * 10 + (*p - '0');
	}
	if (*p == '.') {
		p++;
		for (; isdigit((unsigned char)*p); p++, frac++) {
			if (frac >= decimals)
				return WHY("\"%.*s\" has more than %d decimal%s", shown(s), s, decimals,
					   decimals == 1 ? "" : "s");
			v = v * 10 + (*p - '0');
		}
		if (frac == 0)
			return WHY("\"%.*s\" is not an amount such as 1234.50", shown(s), s);
	}
	if (*p || ndig == 0)
		return WHY("\"%.*s\" is not an amount such as 1234.50 (a dot for decimals, no separators)",
			   shown(s), s);
	for (; frac < decimals; frac++)
		v *= 10;
	if (v > 1000000000000000LL)
		return WHY("\"%.*s\" is too large", shown(s), s);
	if (v == 0 && !allow_zero)
		return WHY("\"%.*s\" is zero", shown(s), s);
	*minor = v;
	return true;
}

static int days_in(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : d[m - 1];
}

static bool digits(const char *s, int k)
{
	for (int i = 0; i < k; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

static int num(const char *s, int k)
{
	int v = 0;

	for (int i = 0; i < k; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* The date at the start of s; false with why when it is none. */
static bool date_at(const char *s, const char *whole, char *why, size_t n)
{
	int y, m, d;

	if (!digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' || !digits(s + 8, 2))
		return WHY("\"%.*s\" is not a date such as 2026-03-31 (YYYY-MM-DD)", shown(whole), whole);
	y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
	if (y < 1900 || y > 2999)
		return WHY("\"%.*s\": the year is out of range", shown(whole), whole);
	if (m < 1 || m > 12)
		return WHY("\"%.*s\": there is no month %02d", shown(whole), whole, m);
	if (d < 1 || d > days_in(y, m))
		return WHY("\"%.*s\": that day does not exist (%04d-%02d has %d days)", shown(whole), whole, y, m,
			   days_in(y, m));
	return true;
}

bool import_date(const char *s, char *out, char *why, size_t n)
{
	out[0] = '\0';
	if (!*s)
		return WHY("empty; a date such as 2026-03-31 is expected");
	if (strlen(s) != 10)
		return WHY("\"%.*s\" is not a date such as 2026-03-31 (YYYY-MM-DD)", shown(s), s);
	if (!date_at(s, s, why, n))
		return false;
	memcpy(out, s, 11);
	return true;
}

bool import_when(const char *s, char *out, char *why, size_t n)
{
	const char *p = s + 10;
	char tm[20] = "00:00:00", frac[8] = "", zone[8] = "";
	int hh, mm, ss = 0;

	out[0] = '\0';
	if (!*s)
		return WHY("empty; a date or date-time such as 2026-03-31T14:05:00-05:00 is expected");
	if (strlen(s) < 10 || !date_at(s, s, why, n))
		return strlen(s) < 10
			       ? WHY("\"%.*s\" is not a date or date-time such as 2026-03-31T14:05:00-05:00", shown(s), s)
			       : false;
	if (*p) {
		if ((*p != 'T' && *p != ' ') || !digits(p + 1, 2) || p[3] != ':' || !digits(p + 4, 2))
			return WHY("\"%.*s\" is not a date or date-time such as 2026-03-31T14:05:00-05:00", shown(s), s);
		hh = num(p + 1, 2), mm = num(p + 4, 2);
		p += 6;
		if (*p == ':') {
			if (!digits(p + 1, 2))
				return WHY("\"%.*s\": the seconds are not two digits", shown(s), s);
			ss = num(p + 1, 2);
			p += 3;
			if (*p == '.' || *p == ',') {
				int k = 0;

				frac[k++] = '.';
				for (p++; isdigit((unsigned char)*p); p++)
					if (k < 7)
						frac[k++] = *p;
				frac[k] = '\0';
				if (k == 1)
					return WHY("\"%.*s\": a fraction of a second without digits", shown(s), s);
			}
		}
		if (hh > 23 || mm > 59 || ss > 59)
			return WHY("\"%.*s\": that time does not exist", shown(s), s);
		snprintf(tm, sizeof tm, "%02d:%02d:%02d", hh, mm, ss);
		if (*p == 'Z' && !p[1]) {
			strcpy(zone, "+00:00");
		} else if ((*p == '+' || *p == '-') && digits(p + 1, 2)) {
			int oh = num(p + 1, 2), om = 0;
			const char *q = p + 3;

			if (*q == ':')
				q++;
			if (*q) {
				if (!digits(q, 2) || q[2])
					return WHY("\"%.*s\": the offset is not +HH:MM", shown(s), s);
				om = num(q, 2);
			}
			if (oh > 15 || om > 59)
				return WHY("\"%.*s\": the offset is out of range", shown(s), s);
			snprintf(zone, sizeof zone, "%c%02d:%02d", *p, oh, om);
		} else if (*p) {
			return WHY("\"%.*s\" is not a date or date-time such as 2026-03-31T14:05:00-05:00", shown(s), s);
		}
	}
	snprintf(out, IMPORT_WHEN_SIZE, "%.10s %s%s%s", s, tm, frac, zone);
	return true;
}

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

bool import_email(const char *s, char *out, size_t outlen, char *why, size_t n)
{
	const char *at = strchr(s, '@');
	size_t len = strlen(s);

	out[0] = '\0';
	if (!len)
		return WHY("empty");
	if (len > IMPORT_EMAIL_MAX || len + 1 > outlen)
		return WHY("longer than %d bytes", IMPORT_EMAIL_MAX);
	if (has_control(s) || strpbrk(s, " \t,;<>()[]\\\""))
		return WHY("\"%.*s\" has spaces or characters an address cannot have", shown(s), s);
	if (!at || at == s || strchr(at + 1, '@'))
		return WHY("\"%.*s\" is not an address such as name@example.com", shown(s), s);
	if (!strchr(at + 1, '.') || at[1] == '.' || s[len - 1] == '.' || strstr(at, ".."))
		return WHY("\"%.*s\": the domain is not a domain such as example.com", shown(s), s);
	for (size_t i = 0; i <= len; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	return true;
}

bool import_text(const char *s, size_t max, char *out, size_t outlen, char *why, size_t n)
{
	size_t len;

	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (!len)
		return (out[0] = '\0', WHY("empty"));
	if (len > max || len + 1 > outlen)
		return (out[0] = '\0', WHY("longer than %zu bytes", max));
	memmove(out, s, len);
	out[len] = '\0';
	if (has_control(out))
		return (out[0] = '\0', WHY("has a line break or another control character"));
	return true;
}

bool import_code(const char *s, char *why, size_t n)
{
	size_t len = strlen(s);

	if (!len)
		return WHY("empty");
	if (len > 32 || !islower((unsigned char)s[0]) || strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") != len)
		return WHY("\"%.*s\" is not a code (lower case letters, digits, _ and -; at most 32)", shown(s), s);
	return true;
}

bool import_jurisdiction(const char *s, char *why, size_t n)
{
	static const char *const known[] = { "PE", "MX", "CO", "CL", "AR", "ES", "US" };
	size_t len = strlen(s);

	if (len == 2 || (len == 5 && s[2] == '-' && isupper((unsigned char)s[3]) && isupper((unsigned char)s[4])))
		for (size_t i = 0; i < ARRAY_SIZE(known); i++)
			if (!strncmp(s, known[i], 2) && (len == 2 || !strcmp(known[i], "US")))
				return true;
	return WHY("\"%.*s\" is not a jurisdiction cobro collects in (PE, MX, CO, CL, AR, ES, US, US-XX)", shown(s),
		   s);
}

bool import_time_zone(const char *s, char *why, size_t n)
{
	/* Only names as the zone database writes them: no path tricks. */
	if (!*s || strlen(s) > 64 || strstr(s, "..") || s[0] == '/' ||
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_+-") != strlen(s) ||
	    !tz_cached(s))
		return WHY("\"%.*s\" is not a time zone (such as America/Lima)", shown(s), s);
	return true;
}

bool import_due_passed(const char *date, const char *zone, int64_t now, char *why, size_t n)
{
	const struct tz *tz = tz_cached(zone);
	struct civil today;
	int y, m, d;

	if (!tz || sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return true; /* the date or the zone is refused on its own */
	tz_local(tz, now, &today);
	if (days_from_civil(y, m, d) > days_from_civil(today.year, today.month, today.day))
		return WHY("\"%.*s\" is after the debtor's today (%04d-%02d-%02d), and an amount is past due",
			   shown(date), date, today.year, today.month, today.day);
	return true;
}

bool import_int(const char *s, long lo, long hi, long *out, char *why, size_t n)
{
	long v = 0;
	size_t len = strlen(s);

	if (!len || len > 9 || strspn(s, "0123456789") != len)
		return WHY("\"%.*s\" is not a whole number from %ld to %ld", shown(s), s, lo, hi);
	for (const char *p = s; *p; p++)
		v = v * 10 + (*p - '0');
	if (v < lo || v > hi)
		return WHY("\"%.*s\" is not a whole number from %ld to %ld", shown(s), s, lo, hi);
	*out = v;
	return true;
}

bool import_paid_by(const char *when, int64_t now, char *why, size_t n)
{
	int y, m, d, ty, tm, td;
	int64_t today = now >= 0 ? now / 86400 : (now - 86399) / 86400;

	if (sscanf(when, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return snprintf(why, n, "\"%s\" is not a date", when), false;
	if (days_from_civil(y, m, d) <= today + 1)
		return true;
	civil_from_days(today, &ty, &tm, &td);
	snprintf(why, n, "\"%.10s\" has not come yet (today is %04d-%02d-%02d in UTC): a payment is imported once made",
	         when, ty, tm, td);
	return false;
}
