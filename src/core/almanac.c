#include "almanac.h"

#include <math.h>

#include "tz.h"

int64_t almanac_easter(int year)
{
	/* The "anonymous" Gregorian algorithm (Meeus, Jones, Butcher): the
	 * golden number, the century's solar and lunar corrections, the
	 * paschal full moon, then the Sunday after it. */
	int a = year % 19, b = year / 100, c = year % 100;
	int d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
	int h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4, k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;

	return days_from_civil(year, month, day);
}

int almanac_month_days(int year, int month)
{
	return (int)(days_from_civil(month == 12 ? year + 1 : year, month == 12 ? 1 : month + 1, 1) -
	             days_from_civil(year, month, 1));
}

int64_t almanac_nth_weekday(int year, int month, int weekday, int nth)
{
	int64_t d;

	if (nth < 0) {
		d = days_from_civil(year, month, almanac_month_days(year, month));
		return d - (weekday_of_days(d) - weekday + 7) % 7;
	}
	d = days_from_civil(year, month, 1);
	d += (weekday - weekday_of_days(d) + 7) % 7 + 7 * (nth - 1);
	return d - days_from_civil(year, month, 1) < almanac_month_days(year, month) ? d : INT64_MIN;
}

/* Meeus, table 27.C: the periodic terms A, B, C of the equinoxes and
 * solstices. */
static const double solstice_terms[24][3] = {
	{ 485, 324.96, 1934.136 }, { 203, 337.23, 32964.467 }, { 199, 342.08, 20.186 },
	{ 182, 27.85, 445267.112 }, { 156, 73.14, 45036.886 },  { 136, 171.52, 22518.443 },
	{ 77, 222.54, 65928.934 },  { 74, 296.72, 3034.906 },   { 70, 243.58, 9037.513 },
	{ 58, 119.81, 33718.147 },  { 52, 297.17, 150.678 },    { 50, 21.02, 2281.226 },
	{ 45, 247.54, 29929.562 },  { 44, 325.15, 31555.956 },  { 29, 60.93, 4443.417 },
	{ 18, 155.12, 67555.328 },  { 17, 288.79, 4562.452 },   { 16, 198.04, 62894.029 },
	{ 14, 199.76, 31436.921 },  { 12, 95.39, 14577.848 },   { 12, 287.11, 31931.756 },
	{ 12, 320.81, 34777.259 },  { 9, 227.73, 1222.114 },    { 8, 15.45, 16859.074 },
};

/* TT - UT in seconds (Espenak and Meeus' fits): a minute or so today; it
 * moves the instant, rarely the day. */
static double delta_t(int year)
{
	double t = year - 2000, u = (year - 1820) / 100.0;

	if (year >= 2005 && year <= 2050)
		return 62.92 + 0.32217 * t + 0.005589 * t * t;
	return -20 + 32 * u * u;
}

int64_t almanac_june_solstice(int year)
{
	const double rad = M_PI / 180;
	double y = (year - 2000) / 1000.0;
	double jde0 = 2451716.56767 + 365241.62603 * y + 0.00325 * y * y + 0.00888 * y * y * y - 0.00030 * y * y * y * y;
	double t = (jde0 - 2451545.0) / 36525, w = (35999.373 * t - 2.47) * rad;
	double dl = 1 + 0.0334 * cos(w) + 0.0007 * cos(2 * w), s = 0;

	for (int i = 0; i < 24; i++)
		s += solstice_terms[i][0] * cos((solstice_terms[i][1] + solstice_terms[i][2] * t) * rad);
	/* JDE 2440587.5 is 1970-01-01 00:00 TT. */
	return (int64_t)llround(((jde0 + 0.00001 * s / dl) - 2440587.5) * 86400 - delta_t(year));
}
