/* Phone numbers to E.164 for the countries cobro collects in, from a table of
 * numbering plans instead of libphonenumber (C++, heavy dependencies; see
 * DESIGN.md section 11).
 *
 * Sources: each country's regulator's national numbering plan (Peru's MTC,
 * Mexico's IFT plan of 2019, Colombia's CRC plan in force since 2021,
 * Chile's SUBTEL plan of 2016, Argentina's ENACOM, Spain's CNMC, NANPA for
 * +1), cross-checked against libphonenumber's metadata (2026).
 *
 * Limits: a row gives lengths and leading digits only, so a number of the
 * right shape in an unassigned block is accepted; toll-free and premium
 * ranges outside the rows below are refused; numbers of other countries are
 * refused rather than passed through unchecked, because cobro has no
 * contact policy for them. */
#include "phone.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util.h"

enum kind {
	K_MOBILE,
	K_FIXED,  /* landlines, and anything else that takes no SMS */
	K_EITHER, /* the plan does not tell mobiles apart (MX, NANP) */
};

struct range {
	const char *lead;  /* leading digits; "[4-8]" and "[124-8]" are classes */
	unsigned char len; /* digits after the country code */
	unsigned char kind;
	const char *what; /* for messages: "mobiles have 9 digits starting with 9" */
};

struct plan {
	char iso[3];
	const char *cc;
	const char *trunk; /* national (trunk) prefix dialled before an area code, "" if none */
	/* Rewrites older or national forms the rows do not cover; may leave a
	 * hint for the message if the number still does not fit. */
	void (*fix)(char *nsn, bool national, const char **hint);
	const char *summary; /* for messages when no row fits */
	struct range ranges[8];
};

static void mx_fix(char *d, bool national, const char **hint);
static void co_fix(char *d, bool national, const char **hint);
static void ar_fix(char *d, bool national, const char **hint);

/* clang-format off */
#define PE_PROV "landlines outside Lima have 8 digits: a 2-digit area code and 6 digits"
#define CL_FIXED "landlines have 9 digits starting with 2 (Santiago) or a 2-digit area code"
#define AR_MOBILE "mobiles have 11 digits: 9, the area code and the number"
#define AR_FIXED "landlines have 10 digits: the area code and the number"
#define ES_ANY "numbers have 9 digits"
#define US_ANY "numbers have 10 digits: a 3-digit area code and a 7-digit number"

static const struct plan plans[] = {
	{
		/* Mobiles 9 + 8 digits. Landlines: Lima 1 + 7 digits, elsewhere a
		 * department's area code + 6 digits; 0 before the area code when
		 * dialled from another department. */
		.iso = "PE", .cc = "51", .trunk = "0",
		.summary = "mobiles have 9 digits starting with 9, landlines 8 digits starting with 1 (Lima) "
		           "or an area code from 41 to 84",
		.ranges = {
			{ "9", 9, K_MOBILE, "mobiles have 9 digits starting with 9" },
			{ "1", 8, K_FIXED, "Lima landlines have 8 digits starting with 1" },
			{ "4[1-4]", 8, K_FIXED, PE_PROV },
			{ "5[1-46]", 8, K_FIXED, PE_PROV },
			{ "6[1-7]", 8, K_FIXED, PE_PROV },
			{ "7[2-6]", 8, K_FIXED, PE_PROV },
			{ "8[2-4]", 8, K_FIXED, PE_PROV },
		},
	},
	{
		/* Since August 2019 every number is 10 digits, dialled the same
		 * way from anywhere; mobiles and landlines share the blocks. The
		 * old prefixes (01, 044, 045, and 1 after +52) are dropped. */
		.iso = "MX", .cc = "52", .trunk = "", .fix = mx_fix,
		.summary = "numbers have 10 digits (area code and number) and start with 2 to 9",
		.ranges = {
			{ "[2-9]", 10, K_EITHER, "numbers have 10 digits (area code and number)" },
		},
	},
	{
		/* Since 2021 landlines are 60 + the old one-digit area code + 7
		 * digits; mobiles 3 + 9 digits. No trunk prefix. */
		.iso = "CO", .cc = "57", .trunk = "", .fix = co_fix,
		.summary = "mobiles have 10 digits starting with 3, landlines 10 digits starting with 601, 602 "
		           "or 604 to 608",
		.ranges = {
			{ "3", 10, K_MOBILE, "mobiles have 10 digits starting with 3" },
			{ "60[124-8]", 10, K_FIXED, "landlines have 10 digits starting with 60 and the area digit" },
		},
	},
	{
		/* Since 2016 every number is 9 digits: mobiles 9 + 8, Santiago
		 * 2 + 8, elsewhere a 2-digit area code + 7. No trunk prefix. */
		.iso = "CL", .cc = "56", .trunk = "",
		.summary = "mobiles have 9 digits starting with 9, landlines 9 digits starting with 2 (Santiago) "
		           "or a 2-digit area code",
		.ranges = {
			{ "9", 9, K_MOBILE, "mobiles have 9 digits starting with 9" },
			{ "2", 9, K_FIXED, CL_FIXED },
			{ "3[2-5]", 9, K_FIXED, CL_FIXED },
			{ "4[1-5]", 9, K_FIXED, CL_FIXED },
			{ "5[1-3578]", 9, K_FIXED, CL_FIXED },
			{ "6[13-57]", 9, K_FIXED, CL_FIXED },
			{ "7[1-35]", 9, K_FIXED, CL_FIXED },
		},
	},
	{
		/* Area code (11, or 2 to 4 digits starting 2 or 3) + number = 10
		 * digits. A mobile is +54 9 + those 10 digits internationally, but
		 * 0 + area code + 15 + number nationally: ar_fix turns one into
		 * the other. */
		.iso = "AR", .cc = "54", .trunk = "0", .fix = ar_fix,
		.summary = "landlines have 10 digits: an area code (11, or starting with 2 or 3) and the number; "
		           "mobiles are 9 and those 10 digits",
		.ranges = {
			{ "911", 11, K_MOBILE, AR_MOBILE },
			{ "9[23]", 11, K_MOBILE, AR_MOBILE },
			{ "11", 10, K_FIXED, AR_FIXED },
			{ "[23]", 10, K_FIXED, AR_FIXED },
		},
	},
	{
		/* 9 digits, no trunk prefix: mobiles 6 and 7 (70 is in fact a
		 * block of personal numbers, rare enough to pass as mobile),
		 * landlines 8 and 9 with the 800/900 special-rate blocks. */
		.iso = "ES", .cc = "34", .trunk = "",
		.summary = "numbers have 9 digits starting with 6, 7, 8 or 9",
		.ranges = {
			{ "[67]", 9, K_MOBILE, ES_ANY },
			{ "[89]", 9, K_FIXED, ES_ANY },
		},
	},
	{
		/* The NANP: NPA-NXX-XXXX, both starting 2-9, and N11 codes (411,
		 * 911) are services, not area codes. Canada and the Caribbean
		 * share +1 and pass as well. 1 is the long-distance prefix. */
		.iso = "US", .cc = "1", .trunk = "1",
		.summary = "numbers have 10 digits: an area code and a 7-digit number, both starting with 2 to 9, "
		           "and no N11 area code like 911",
		.ranges = {
			{ "[2-9][02-9][0-9][2-9]", 10, K_EITHER, US_ANY },
			{ "[2-9]1[02-9][2-9]", 10, K_EITHER, US_ANY },
		},
	},
};

/* Every assigned country code (ITU-T E.164 list, with the global service
 * codes), only to tell "+44" (a real country cobro does not serve) from a
 * typo. Country codes are prefix-free, so the first match is the code. */
static const char itu_codes[] =
	" 1 7 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64"
	" 65 66 81 82 84 86 90 91 92 93 94 95 98 211 212 213 216 218 220 221 222 223 224 225 226 227 228"
	" 229 230 231 232 233 234 235 236 237 238 239 240 241 242 243 244 245 246 247 248 249 250 251 252"
	" 253 254 255 256 257 258 260 261 262 263 264 265 266 267 268 269 290 291 297 298 299 350 351 352"
	" 353 354 355 356 357 358 359 370 371 372 373 374 375 376 377 378 380 381 382 383 385 386 387 389"
	" 420 421 423 500 501 502 503 504 505 506 507 508 509 590 591 592 593 594 595 596 597 598 599 670"
	" 672 673 674 675 676 677 678 679 680 681 682 683 685 686 687 688 689 690 691 692 800 808 850 852"
	" 853 855 856 870 878 880 881 882 883 886 888 960 961 962 963 964 965 966 967 968 970 971 972 973"
	" 974 975 976 977 979 992 993 994 995 996 998 ";

/* Argentina's area codes (ENACOM, as in libphonenumber's metadata): needed to
 * find the 15 of a national mobile number, which follows the area code. */
static const char ar_areas[] =
	" 11 220 221 223 230 236 237 249 260 261 263 264 266 280 291 294 297 298 299 336 341 342 343 345"
	" 348 351 353 358 362 364 370 376 379 380 381 383 385 387 388"
	" 2202 2221 2223 2224 2225 2226 2227 2229 2241 2242 2243 2244 2245 2246 2252 2254 2255 2257 2261"
	" 2262 2264 2265 2266 2267 2268 2271 2272 2273 2274 2281 2283 2284 2285 2286 2291 2292 2296 2297"
	" 2302 2314 2316 2317 2320 2323 2324 2325 2326 2331 2333 2334 2335 2336 2337 2338 2342 2343 2344"
	" 2345 2346 2352 2353 2354 2355 2356 2357 2358 2392 2393 2394 2395 2396 2473 2474 2475 2477 2478"
	" 2622 2624 2625 2626 2646 2647 2648 2651 2655 2656 2657 2658 2901 2902 2903 2920 2921 2922 2923"
	" 2924 2925 2926 2927 2928 2929 2931 2932 2933 2934 2935 2936 2940 2942 2945 2946 2948 2952 2953"
	" 2954 2962 2963 2964 2966 2972 2982 2983 3327 3329 3382 3385 3387 3388 3400 3401 3402 3404 3405"
	" 3406 3407 3408 3409 3435 3436 3437 3438 3442 3444 3445 3446 3447 3454 3455 3456 3458 3460 3462"
	" 3463 3464 3465 3466 3467 3468 3469 3471 3472 3476 3482 3483 3487 3489 3491 3492 3493 3496 3497"
	" 3498 3521 3522 3524 3525 3532 3533 3537 3541 3542 3543 3544 3546 3547 3548 3549 3562 3563 3564"
	" 3571 3572 3573 3574 3575 3576 3582 3583 3584 3585 3711 3715 3716 3718 3721 3725 3731 3734 3735"
	" 3741 3743 3751 3754 3755 3756 3757 3758 3772 3773 3774 3775 3777 3781 3782 3786 3821 3825 3826"
	" 3827 3832 3835 3837 3838 3841 3843 3844 3845 3846 3854 3855 3856 3857 3858 3861 3862 3863 3865"
	" 3867 3868 3869 3873 3876 3877 3878 3885 3886 3887 3888 3891 3892 3894 ";
/* clang-format on */

/* More digits than any prefix, trunk, 15 and number together. */
#define MAX_DIGITS 24

__attribute__((format(printf, 3, 4))) static bool fail(char *err, size_t errlen, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return false;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Whether the first n digits of d are a word of list. */
static bool in_list(const char *list, const char *d, size_t n)
{
	char word[8];

	if (n + 3 > sizeof word || strlen(d) < n)
		return false;
	snprintf(word, sizeof word, " %.*s ", (int)n, d);
	return strstr(list, word) != NULL;
}

/* ------------------------------------------------------------ the rows */

/* Past the plan's last row: the rows end there or at the first empty one. */
static const struct range *rows_end(const struct plan *p)
{
	return p->ranges + ARRAY_SIZE(p->ranges);
}

/* Whether d starts with lead; *partial when d ran out first, so that a
 * longer d might. */
static bool lead_fits(const char *lead, const char *d, bool *partial)
{
	*partial = false;
	while (*lead) {
		bool ok = false;

		if (!*d) {
			*partial = true;
			return true;
		}
		if (*lead == '[') {
			for (lead++; *lead && *lead != ']'; lead++) {
				if (lead[1] == '-' && lead[2] && lead[2] != ']') {
					ok |= *d >= lead[0] && *d <= lead[2];
					lead += 2;
				} else {
					ok |= *d == *lead;
				}
			}
			if (*lead)
				lead++;
		} else {
			ok = *d == *lead++;
		}
		if (!ok)
			return false;
		d++;
	}
	return true;
}

static const struct range *plan_match(const struct plan *p, const char *nsn)
{
	size_t n = strlen(nsn);
	bool partial;

	for (const struct range *r = p->ranges; r < rows_end(p) && r->lead; r++)
		if (r->len == n && lead_fits(r->lead, nsn, &partial) && !partial)
			return r;
	return NULL;
}

/* Why nsn fits no row: measured against the rows whose leading digits it
 * has, or against the whole plan when no row's leading digits fit. */
static void plan_explain(const struct plan *p, const char *nsn, char *err, size_t errlen)
{
	size_t n = strlen(nsn), minlen = 99, maxlen = 0;
	bool shorter = false, longer = false, partial;
	char what[512] = "";

	for (const struct range *r = p->ranges; r < rows_end(p) && r->lead; r++) {
		minlen = r->len < minlen ? r->len : minlen;
		maxlen = r->len > maxlen ? r->len : maxlen;
		if (!lead_fits(r->lead, nsn, &partial))
			continue;
		shorter |= n < r->len;
		longer |= n > r->len;
		if (!strstr(what, r->what)) {
			size_t used = strlen(what);
			snprintf(what + used, sizeof what - used, "%s%s", used ? "; " : "", r->what);
		}
	}
	if (!what[0]) {
		if (n < minlen)
			fail(err, errlen, "too short for %s: %s", p->iso, p->summary);
		else if (n > maxlen)
			fail(err, errlen, "too long for %s: %s", p->iso, p->summary);
		else
			fail(err, errlen, "not a valid %s number: %s", p->iso, p->summary);
	} else if (shorter && !longer) {
		fail(err, errlen, "too short for %s: %s", p->iso, what);
	} else if (longer && !shorter) {
		fail(err, errlen, "too long for %s: %s", p->iso, what);
	} else {
		fail(err, errlen, "wrong length for %s: %s", p->iso, what);
	}
}

static const struct plan *plan_by_cc(const char *digits)
{
	for (size_t i = 0; i < ARRAY_SIZE(plans); i++)
		if (starts_with(digits, plans[i].cc))
			return &plans[i];
	return NULL;
}

/* "pe", "PE" and "US-MA" (a subdivision) name their country. */
static const struct plan *plan_by_iso(const char *iso)
{
	if (!iso || !iso[0] || !iso[1] || (iso[2] && iso[2] != '-'))
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(plans); i++)
		if ((iso[0] | 0x20) == (plans[i].iso[0] | 0x20) &&
		    (iso[1] | 0x20) == (plans[i].iso[1] | 0x20))
			return &plans[i];
	return NULL;
}

/* ------------------------------------------------- country rewrites */

static void drop(char *d, size_t n)
{
	memmove(d, d + n, strlen(d + n) + 1);
}

static void mx_fix(char *d, bool national, const char **hint)
{
	size_t n = strlen(d);

	(void)hint;
	if (n == 11 && d[0] == '1')
		drop(d, 1); /* +52 1 55 ...: mobiles before 2019 */
	else if (national && n == 12 && (starts_with(d, "01") || starts_with(d, "02")))
		drop(d, 2); /* long distance before 2019 */
	else if (national && n == 13 && (starts_with(d, "044") || starts_with(d, "045")))
		drop(d, 3); /* a mobile from a landline before 2019 */
}

static void co_fix(char *d, bool national, const char **hint)
{
	(void)national;
	(void)hint;
	/* Before 2021 a landline was the area digit and 7 digits: (1) 234 5678
	 * in Bogota is now 601 234 5678. There was no area 3. */
	if (strlen(d) == 8 && strchr("1245678", d[0])) {
		memmove(d + 2, d, 9);
		d[0] = '6';
		d[1] = '0';
	}
}

/* Drops the 15 after the area code from 12 digits (area code, 15, number):
 * the longest area code that is followed by 15 wins. */
static bool ar_drop_15(char *d)
{
	if (strlen(d) != 12)
		return false;
	for (size_t len = 4; len >= 2; len--) {
		if (in_list(ar_areas, d, len) && d[len] == '1' && d[len + 1] == '5') {
			drop(d + len, 2);
			return true;
		}
	}
	return false;
}

static void ar_fix(char *d, bool national, const char **hint)
{
	size_t n = strlen(d);

	if (n == 13 && d[0] == '9' && ar_drop_15(d + 1))
		return; /* +54 9 11 15 ...: the 15 said twice */
	if (n == 12 && ar_drop_15(d)) {
		memmove(d + 1, d, 11);
		d[0] = '9';
		return;
	}
	if (national && starts_with(d, "15") && n >= 8 && n <= 10)
		*hint =
		    "missing area code for AR: a mobile is written with its area code, as 011 15 1234-5678 "
		    "or +54 9 11 1234 5678";
}

/* -------------------------------------------------------- the input */

/* Separators people paste from documents and spreadsheets: no-break and
 * thin spaces, hyphens and dashes. Returns the length of the one at s, 0 if
 * none. */
static size_t utf8_separator(const unsigned char *s)
{
	if (s[0] == 0xc2 && s[1] == 0xa0)
		return 2;
	if (s[0] == 0xe2 && s[1] == 0x80 &&
	    ((s[2] >= 0x80 && s[2] <= 0x8a) || (s[2] >= 0x90 && s[2] <= 0x95) || s[2] == 0xaf))
		return 3;
	return 0;
}

/* An extension ("x 12", "ext. 12", "anexo 12", "#12") after the number. */
static bool is_extension(const char *s)
{
	static const char *const marks[] = {"extension", "ext", "anexo", "anx", "x", "#"};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(marks); i++)
		if (strncasecmp(s, marks[i], strlen(marks[i])) == 0)
			break;
	if (i == ARRAY_SIZE(marks))
		return false;
	for (s += strlen(marks[i]); *s == ' ' || *s == '.' || *s == ':'; s++)
		;
	return *s >= '0' && *s <= '9';
}

/* Keeps the digits of input in d and whether a + came first. */
static bool scan(const char *input, char d[MAX_DIGITS + 1], bool *plus, char *err, size_t errlen)
{
	const unsigned char *s = (const unsigned char *)input;
	size_t n = 0;

	*plus = false;
	d[0] = '\0';
	if (!input)
		return fail(err, errlen, "not a number");
	while (*s) {
		size_t sep;

		if (*s >= '0' && *s <= '9') {
			if (n == MAX_DIGITS)
				return fail(err, errlen, "not a number: too many digits");
			d[n++] = (char)*s++;
		} else if (strchr(" \t\r\n\v\f.-()/", *s)) {
			s++;
		} else if ((sep = utf8_separator(s))) {
			s += sep;
		} else if (*s == '+') {
			if (n || *plus)
				return fail(err, errlen, "not a number: + can only come first");
			*plus = true;
			s++;
		} else if (n && is_extension((const char *)s)) {
			return fail(err, errlen, "extensions are not supported: write only the number");
		} else if (*s >= 0x21 && *s <= 0x7e) {
			return fail(err, errlen, "not a number: unexpected '%c'", *s);
		} else {
			return fail(err, errlen, "not a number: unexpected character");
		}
	}
	d[n] = '\0';
	if (!n)
		return fail(err, errlen, "not a number");
	return true;
}

static bool unsupported_code(const char *d, char *err, size_t errlen)
{
	size_t n = strlen(d);

	if (!n)
		return fail(err, errlen, "not a number: no country code after the international prefix");
	if (d[0] == '0')
		return fail(err, errlen, "not a number: no country code starts with 0");
	for (size_t len = 1; len <= 3 && len <= n; len++)
		if (in_list(itu_codes, d, len))
			return fail(err, errlen, "unsupported country code +%.*s", (int)len, d);
	return fail(err, errlen, "unknown country code +%.*s", (int)(n < 3 ? n : 3), d);
}

/* Whether nsn starts like some row of the plan (or could, being short). */
static bool plan_leads(const struct plan *p, const char *nsn)
{
	bool partial;

	for (const struct range *r = p->ranges; r < rows_end(p) && r->lead; r++)
		if (lead_fits(r->lead, nsn, &partial))
			return true;
	return false;
}

/* Tries digits without the trunk prefix, as written, and (for a national
 * number) without the country's own code, which people often write without
 * its +. The first that fits a row wins. Otherwise the message is about the
 * first reading that starts like a number of the country, or the digits as
 * written. */
static bool resolve(const struct plan *p, const char *digits, bool national, char *out, size_t outlen,
		    char *err, size_t errlen)
{
	const char *tries[3];
	size_t ntries = 0;
	const char *hint = NULL;
	char primary[MAX_DIGITS + 3] = "", as_written[MAX_DIGITS + 3] = "";

	if (p->trunk[0] && starts_with(digits, p->trunk))
		tries[ntries++] = digits + strlen(p->trunk);
	tries[ntries++] = digits;
	if (national && starts_with(digits, p->cc) && strcmp(p->cc, p->trunk) != 0)
		tries[ntries++] = digits + strlen(p->cc);

	for (size_t i = 0; i < ntries; i++) {
		char nsn[MAX_DIGITS + 3];
		const char *why = NULL;

		snprintf(nsn, sizeof nsn, "%s", tries[i]);
		if (p->fix)
			p->fix(nsn, national, &why);
		if (plan_match(p, nsn)) {
			if ((size_t)snprintf(out, outlen, "+%s%s", p->cc, nsn) >= outlen) {
				out[0] = '\0';
				return fail(err, errlen, "no room for the number");
			}
			return true;
		}
		if (why && !hint)
			hint = why;
		if (!primary[0] && plan_leads(p, nsn))
			snprintf(primary, sizeof primary, "%s", nsn);
		if (tries[i] == digits)
			snprintf(as_written, sizeof as_written, "%s", nsn);
	}
	if (hint)
		return fail(err, errlen, "%s", hint);
	plan_explain(p, primary[0] ? primary : as_written, err, errlen);
	return false;
}

bool phone_normalize(const char *input, const char *default_country, char *out, size_t outlen, char *err,
		     size_t errlen)
{
	char d[MAX_DIGITS + 1];
	bool plus;
	const struct plan *home = plan_by_iso(default_country);
	const char *intl = NULL;

	if (out && outlen)
		out[0] = '\0';
	if (!out || !outlen)
		return fail(err, errlen, "no room for the number");
	if (!scan(input, d, &plus, err, errlen))
		return false;

	if (plus)
		intl = d;
	else if (starts_with(d, "00"))
		intl = d + 2; /* the international prefix everywhere but the NANP */
	else if (home && strcmp(home->iso, "US") == 0 && starts_with(d, "011"))
		intl = d + 3;
	if (intl) {
		const struct plan *p = plan_by_cc(intl);

		if (!p)
			return unsupported_code(intl, err, errlen);
		return resolve(p, intl + strlen(p->cc), false, out, outlen, err, errlen);
	}
	if (!default_country || !default_country[0])
		return fail(err, errlen, "no country code: write the number as + and its country code");
	if (!home)
		return fail(err, errlen, "no country code, and %s is not a supported country",
			    default_country);
	return resolve(home, d, true, out, outlen, err, errlen);
}

bool phone_is_mobile(const char *e164)
{
	const struct plan *p;
	const struct range *r;
	size_t n;

	if (!e164 || e164[0] != '+')
		return false;
	n = strspn(e164 + 1, "0123456789");
	if (n == 0 || n > 15 || e164[1 + n] != '\0')
		return false;
	if (!(p = plan_by_cc(e164 + 1)) || !(r = plan_match(p, e164 + 1 + strlen(p->cc))))
		return false;
	return r->kind == K_MOBILE || r->kind == K_EITHER;
}

void phone_mask(const char *e164, char *out, size_t outlen)
{
	size_t n;

	if (!out || !outlen)
		return;
	n = e164 && e164[0] == '+' ? strlen(e164) : 0;
	if (n < 8 || n > 16 || strspn(e164 + 1, "0123456789") != n - 1 || outlen <= n) {
		snprintf(out, outlen, "?");
		return;
	}
	memcpy(out, e164, n + 1);
	memset(out + 3, '*', n - 7);
}
