/* Phone numbers to E.164 for the countries cobro collects in, as Google's
 * libphonenumber parses and validates them (phonenumbers.parse, then
 * is_valid_number), from its own metadata turned into tables by
 * scripts/phone-tables.py (phone_tables.c): libphonenumber itself is C++
 * with heavy dependencies (DESIGN.md section 11), its metadata is not.
 *
 * What is libphonenumber's here: where the country code ends (+, 00CC and
 * every country's own international prefix, or the default country's code
 * written without its +), the national prefix and its rewrites
 * (national_prefix_for_parsing and its transform rule: Argentina's 0 + area
 * code + 15 becomes 9 + area code, Mexico's 01, 044, 045 and 1 go), the
 * length tests that decide whether they are stripped, and whether the
 * number left is valid (its type: fixed line, mobile, toll free ...; for +1
 * the NANP region, Canada and the Caribbean included).
 * tests/cli/test_phone_libphonenumber.sh holds the two to the same answers.
 *
 * What is cobro's own, stricter: the number is read as libphonenumber reads
 * one (+ signs, digits, its separators inside, blanks and separators
 * around), but where it would skip words before a number ("Tel:"), read
 * letters as digits (vanity numbers) or take what follows x, #, ~ or "ext"
 * as an extension, the number is refused here, as a file's phone column
 * holds a number and nothing else; numbers of countries cobro has no
 * contact policy for are refused, not passed through; with no supported
 * default country, 00 also starts a country code (libphonenumber then reads
 * only +); and where libphonenumber does not read its own E.164 back the
 * same (see phone_normalize), the number it reads back is returned. */
#include "phone.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "phone_tables.h"
#include "util.h"

/* More digits than anyone writes for one number (E.164 has at most 15 and
 * 00 before them): longer input is refused before any table is read. */
#define MAX_DIGITS 24
/* libphonenumber's _MIN_LENGTH_FOR_NSN and _MAX_LENGTH_FOR_NSN. */
#define MIN_NSN 2
#define MAX_NSN 17

/* For messages when a number is not valid: what the country's numbers look
 * like, in a line. */
static const struct {
	const char *iso, *summary;
} summaries[] = {
    {"PE", "mobiles have 9 digits starting with 9, landlines 8 digits: 1 and 7 digits in Lima, an area "
	   "code from 41 to 84 and 6 digits elsewhere"},
    {"MX", "numbers have 10 digits: the area code and the number"},
    {"CO", "mobiles have 10 digits starting with 3, landlines 10 digits starting with 60 and the area "
	   "digit"},
    {"CL", "numbers have 9 digits: mobiles start with 9, landlines with 2 (Santiago) or a 2-digit area "
	   "code"},
    {"AR", "landlines have 10 digits: an area code (11, or starting with 2 or 3) and the number; mobiles "
	   "are 9 and those 10 digits"},
    {"ES", "numbers have 9 digits starting with 5 to 9"},
    {"US", "numbers have 10 digits: a 3-digit area code and a 7-digit number, both starting with 2 to 9"},
};

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

static const char *summary_of(const struct phone_plan *p)
{
	for (size_t i = 0; i < ARRAY_SIZE(summaries); i++)
		if (!strcmp(summaries[i].iso, p->iso))
			return summaries[i].summary;
	return "";
}

/* ------------------------------------------------------------ the plans */

static unsigned step(const struct phone_plan *p, unsigned state, char digit)
{
	unsigned d = (unsigned)(digit - '0');

	return p->next8 ? p->next8[state][d] : p->next16[state][d];
}

/* The label of the state the digits lead to (0: the dead state's). */
static unsigned label_of(const struct phone_plan *p, const char *digits)
{
	unsigned s = 1;

	for (; *digits && s; digits++)
		s = step(p, s, *digits);
	return p->label[s];
}

static bool general_match(const struct phone_plan *p, const char *digits)
{
	return label_of(p, digits) & PHONE_GENERAL;
}

enum length_test { POSSIBLE, LOCAL_ONLY, TOO_SHORT, TOO_LONG, INVALID_LENGTH };

/* libphonenumber's _test_number_length for the general description. */
static enum length_test test_length(const struct phone_plan *p, const char *digits)
{
	size_t n = strlen(digits);
	unsigned min = 0, max = 0;

	if (n < 32 && (p->local_lengths >> n) & 1)
		return LOCAL_ONLY;
	for (unsigned i = 1; i < 32; i++) {
		if ((p->lengths >> i) & 1) {
			if (!min)
				min = i;
			max = i;
		}
	}
	if (n < min)
		return TOO_SHORT;
	if (n > max)
		return TOO_LONG;
	return (p->lengths >> n) & 1 ? POSSIBLE : INVALID_LENGTH;
}

/* How many digits of the entry re.match would pick, and the entry; -1 when
 * nothing matches. */
static int trie_match(const struct phone_trie *t, const char *digits, size_t *len)
{
	unsigned node = 0;
	int best = t->end[0];

	*len = 0;
	for (size_t i = 0; digits[i]; i++) {
		unsigned d = (unsigned)(digits[i] - '0');

		node = t->next8 ? t->next8[node][d] : t->next16[node][d];
		if (!node)
			break;
		if (t->end[node] >= 0 && (best < 0 || t->end[node] < best)) {
			best = t->end[node];
			*len = i + 1;
		}
	}
	return best;
}

/* libphonenumber's _maybe_strip_national_prefix_carrier_code: the national
 * prefix (and carrier code) dropped or rewritten, unless the number was
 * viable and would no longer be. */
static void strip_national_prefix(const struct phone_plan *p, char *digits)
{
	char out[2 * MAX_DIGITS + 1];
	size_t len;
	int e;

	if (!p->npp.end || !digits[0] || (e = trie_match(&p->npp, digits, &len)) < 0)
		return;
	snprintf(out, sizeof out, "%s%s", p->npp.repl[e], digits + len);
	if (general_match(p, digits) && !general_match(p, out))
		return;
	snprintf(digits, MAX_DIGITS + 1, "%s", out);
}

static const struct phone_plan *plan_by_cc(const char *cc)
{
	for (size_t i = 0; i < phone_nplans; i++)
		if (!strcmp(phone_plans[i].cc, cc))
			return &phone_plans[i];
	return NULL;
}

/* "pe", "PE" and "US-MA" (a subdivision) name their country. */
static const struct phone_plan *plan_by_iso(const char *iso)
{
	if (!iso || !iso[0] || !iso[1] || (iso[2] && iso[2] != '-'))
		return NULL;
	for (size_t i = 0; i < phone_nplans; i++)
		if ((iso[0] | 0x20) == (phone_plans[i].iso[0] | 0x20) &&
		    (iso[1] | 0x20) == (phone_plans[i].iso[1] | 0x20))
			return &phone_plans[i];
	return NULL;
}

/* -------------------------------------------------------------- the input */

/* The separators libphonenumber reads between digits (its
 * VALID_PUNCTUATION, and *, less x and ~, which it takes for an extension's
 * mark where an extension can follow): ASCII - ( ) . / [ ] * and space, and
 * what people paste from documents and spreadsheets or type on phones:
 * U+00A0 no-break space, U+00AD soft hyphen, U+200B zero-width space,
 * U+2010 to U+2015 hyphens and dashes, U+2053 swung dash, U+2060 word
 * joiner, U+2212 minus, U+223C tilde operator, U+3000 ideographic space,
 * U+30FC prolonged sound mark, and the full-width - . / ( ) [ ]. Returns the
 * length of the one at s, 0 if none. */
static size_t separator(const unsigned char *s)
{
	static const char *const wide[] = {
	    "\xc2\xa0",     "\xc2\xad",     "\xe2\x80\x8b", "\xe2\x81\x93", "\xe2\x81\xa0", "\xe2\x88\x92",
	    "\xe2\x88\xbc", "\xe3\x80\x80", "\xe3\x83\xbc", "\xef\xbc\x8d", "\xef\xbc\x8e", "\xef\xbc\x8f",
	    "\xef\xbc\x88", "\xef\xbc\x89", "\xef\xbc\xbb", "\xef\xbc\xbd",
	};

	if (*s && strchr(" -().[]/*", *s))
		return 1;
	if (s[0] == 0xe2 && s[1] == 0x80 && s[2] >= 0x90 && s[2] <= 0x95)
		return 3;
	for (size_t i = 0; i < ARRAY_SIZE(wide); i++)
		if (!strncmp((const char *)s, wide[i], strlen(wide[i])))
			return strlen(wide[i]);
	return 0;
}

/* Blanks libphonenumber skips before and after a number but not inside:
 * control blanks (tab, line ends) and the typographic spaces U+2000 to
 * U+200A, U+202F and U+205F. Returns the length of the one at s, 0 if
 * none. */
static size_t edge_blank(const unsigned char *s)
{
	if (*s && strchr("\t\r\n\v\f", *s))
		return 1;
	if (s[0] == 0xe2 && ((s[1] == 0x80 && ((s[2] >= 0x80 && s[2] <= 0x8a) || s[2] == 0xaf)) ||
			     (s[1] == 0x81 && s[2] == 0x9f)))
		return 3;
	return 0;
}

/* A decimal digit: ASCII, full-width (U+FF10 to U+FF19) or Arabic-Indic
 * (U+0660 to U+0669, U+06F0 to U+06F9), which libphonenumber reads as
 * theirs. Puts its value in *digit; returns its length, 0 if none. */
static size_t digit_at(const unsigned char *s, char *digit)
{
	if (*s >= '0' && *s <= '9') {
		*digit = (char)*s;
		return 1;
	}
	if (s[0] == 0xef && s[1] == 0xbc && s[2] >= 0x90 && s[2] <= 0x99) {
		*digit = (char)('0' + s[2] - 0x90);
		return 3;
	}
	if ((s[0] == 0xd9 && s[1] >= 0xa0 && s[1] <= 0xa9) ||
	    (s[0] == 0xdb && s[1] >= 0xb0 && s[1] <= 0xb9)) {
		*digit = (char)('0' + s[1] - (s[0] == 0xd9 ? 0xa0 : 0xb0));
		return 2;
	}
	return 0;
}

/* An extension ("x 12", "ext. 12", "anexo 12", "#12", "~12") after the number. */
static bool is_extension(const char *s)
{
	static const char *const marks[] = {"extension", "ext", "anexo", "anx",
					    "x",         "#",   "~",     "\xef\xbd\x9e"};
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

/* Keeps the digits of input in d and whether + (one or more, or the
 * full-width one) came before them. Read as libphonenumber reads a number
 * (blanks and separators before it, + signs, digits and separators, blanks
 * and separators after it), but where it skips words before a number, reads
 * letters as digits or an extension after it, the number is refused. */
static bool scan(const char *input, char d[MAX_DIGITS + 1], bool *plus, char *err, size_t errlen)
{
	const unsigned char *s = (const unsigned char *)input;
	size_t n = 0;
	bool after = false; /* an edge blank came after digits: the number has ended */
	bool signs = true;  /* + signs may come (none, or only + signs, before) */

	*plus = false;
	d[0] = '\0';
	if (!input)
		return fail(err, errlen, "not a number");
	while (*s) {
		size_t len;
		char digit;

		if ((len = digit_at(s, &digit))) {
			if (after)
				return fail(err, errlen,
					    "not a number: a tab, line break or wide space inside it");
			if (n == MAX_DIGITS)
				return fail(err, errlen, "not a number: too many digits");
			d[n++] = digit;
			signs = false;
		} else if (*s == '+' || (s[0] == 0xef && s[1] == 0xbc && s[2] == 0x8b)) {
			if (!signs)
				return fail(err, errlen, "not a number: + can only come first");
			*plus = true;
			len = *s == '+' ? 1 : 3;
		} else if ((len = separator(s))) {
			signs = signs && !*plus;
		} else if ((len = edge_blank(s))) {
			if (*plus && !n)
				return fail(err, errlen,
					    "not a number: a tab, line break or wide space inside it");
			after = n > 0;
		} else if (n && is_extension((const char *)s)) {
			return fail(err, errlen, "extensions are not supported: write only the number");
		} else if (*s >= 0x21 && *s <= 0x7e) {
			return fail(err, errlen, "not a number: unexpected '%c'", *s);
		} else {
			return fail(err, errlen, "not a number: unexpected character");
		}
		s += len;
	}
	d[n] = '\0';
	if (!n)
		return fail(err, errlen, "not a number");
	return true;
}

/* ------------------------------------------------------- the country code */

/* The country calling code d starts with (1 to 3 digits), in cc; false if
 * none does. */
static bool country_code(const char *d, char cc[4])
{
	if (d[0] == '0')
		return false;
	for (size_t len = 1; len <= 3 && d[len - 1]; len++) {
		char word[8];

		snprintf(word, sizeof word, " %.*s ", (int)len, d);
		if (strstr(phone_country_codes, word)) {
			memcpy(cc, d, len);
			cc[len] = '\0';
			return true;
		}
	}
	return false;
}

/* After an international prefix: the plan of the country code the digits
 * start with, and the rest in nsn. 0 when they start with no country code
 * (the caller may read them otherwise), -1 with err set when refused. */
static int after_prefix(const char *full, const struct phone_plan **plan, char *nsn, char *err, size_t errlen)
{
	char cc[4];

	if (!full[0])
		return fail(err, errlen, "not a number: no country code after the international prefix") - 1;
	if (strlen(full) <= MIN_NSN)
		return fail(err, errlen, "not a number: too short after the international prefix") - 1;
	if (!country_code(full, cc))
		return 0;
	if (!(*plan = plan_by_cc(cc)))
		return fail(err, errlen, "unsupported country code +%s", cc) - 1;
	snprintf(nsn, MAX_DIGITS + 1, "%s", full + strlen(cc));
	return 1;
}

static bool no_country_code(const char *d, char *err, size_t errlen)
{
	if (d[0] == '0')
		return fail(err, errlen, "not a number: no country code starts with 0");
	return fail(err, errlen, "unknown country code +%.3s", d);
}

/* libphonenumber's _maybe_extract_country_code for digits written without
 * +: the home country's international prefix, else the home country's own
 * code written without its + (kept only when the number reads better
 * without it), else a national number. */
static int national_or_prefixed(const char *d, const struct phone_plan *home, const struct phone_plan **plan,
				char *nsn, char *err, size_t errlen)
{
	size_t len;

	if (home->idd.end && trie_match(&home->idd, d, &len) >= 0 && d[len] != '0') {
		int got = after_prefix(d + len, plan, nsn, err, errlen);

		if (got == 0)
			return no_country_code(d + len, err, errlen) - 1;
		return got;
	}
	*plan = home;
	if (starts_with(d, home->cc)) {
		char rest[MAX_DIGITS + 1];

		snprintf(rest, sizeof rest, "%s", d + strlen(home->cc));
		strip_national_prefix(home, rest);
		if ((!general_match(home, d) && general_match(home, rest)) ||
		    test_length(home, d) == TOO_LONG) {
			snprintf(nsn, MAX_DIGITS + 1, "%s", rest);
			return 1;
		}
	}
	snprintf(nsn, MAX_DIGITS + 1, "%s", d);
	return 0;
}

/* --------------------------------------------------------------- messages */

/* Why nsn is not a valid number of p: too short when more digits could make
 * it one, too long when fewer did, else by the plan's lengths. */
static bool explain(const struct phone_plan *p, const char *nsn, char *err, size_t errlen)
{
	unsigned s = 1;
	bool valid_prefix = false;
	const char *summary = summary_of(p);

	for (const char *c = nsn; *c && s; c++) {
		if (c > nsn && (p->label[s] & PHONE_KIND) != PHONE_INVALID)
			valid_prefix = true;
		s = step(p, s, *c);
	}
	if (p->label[s] & PHONE_LIVE)
		return fail(err, errlen, "too short for %s: %s", p->iso, summary);
	if (valid_prefix)
		return fail(err, errlen, "too long for %s: %s", p->iso, summary);
	switch (test_length(p, nsn)) {
	case TOO_SHORT:
	case LOCAL_ONLY: return fail(err, errlen, "too short for %s: %s", p->iso, summary);
	case TOO_LONG: return fail(err, errlen, "too long for %s: %s", p->iso, summary);
	default: return fail(err, errlen, "not a valid %s number: %s", p->iso, summary);
	}
}

/* ------------------------------------------------------------------ parse */

/* phonenumbers.parse, is_valid_number and format_number(E164). */
static bool parse(const char *input, const char *default_country, char *out, size_t outlen, char *err,
		  size_t errlen)
{
	char d[MAX_DIGITS + 1], nsn[MAX_DIGITS + 1], pot[MAX_DIGITS + 1];
	bool plus;
	const struct phone_plan *home = plan_by_iso(default_country), *plan = NULL;
	enum length_test lt;
	int got;

	if (out && outlen)
		out[0] = '\0';
	if (!out || !outlen)
		return fail(err, errlen, "no room for the number");
	if (!scan(input, d, &plus, err, errlen))
		return false;

	if (plus) {
		got = after_prefix(d, &plan, nsn, err, errlen);
		/* libphonenumber reads what follows a + that starts no country
		 * code once more as if the + were not there. */
		if (got == 0 && home) {
			got = national_or_prefixed(d, home, &plan, nsn, err, errlen);
			if (got == 0)
				return no_country_code(d, err, errlen);
		} else if (got == 0) {
			return no_country_code(d, err, errlen);
		}
	} else if (home) {
		got = national_or_prefixed(d, home, &plan, nsn, err, errlen);
	} else if (starts_with(d, "00") && d[2] != '0') {
		/* No country to read the number in: 00, the international
		 * prefix of most of the world, still says where it is from. */
		if ((got = after_prefix(d + 2, &plan, nsn, err, errlen)) == 0)
			return no_country_code(d + 2, err, errlen);
	} else if (!default_country || !default_country[0]) {
		return fail(err, errlen, "no country code: write the number as + and its country code");
	} else {
		return fail(err, errlen, "no country code, and %s is not a supported country",
			    default_country);
	}
	if (got < 0)
		return false;

	if (strlen(nsn) < MIN_NSN)
		return fail(err, errlen, "too short for %s: %s", plan->iso, summary_of(plan));
	/* The national prefix goes when what is left has a possible length. */
	snprintf(pot, sizeof pot, "%s", nsn);
	strip_national_prefix(plan, pot);
	lt = test_length(plan, pot);
	if (lt != TOO_SHORT && lt != LOCAL_ONLY && lt != INVALID_LENGTH)
		memcpy(nsn, pot, sizeof nsn);
	if (strlen(nsn) > MAX_NSN)
		return fail(err, errlen, "too long for %s: %s", plan->iso, summary_of(plan));
	if ((label_of(plan, nsn) & PHONE_KIND) == PHONE_INVALID)
		return explain(plan, nsn, err, errlen);
	if ((size_t)snprintf(out, outlen, "+%s%s", plan->cc, nsn) >= outlen) {
		out[0] = '\0';
		return fail(err, errlen, "no room for the number");
	}
	return true;
}

/* libphonenumber's E.164 is not always a number it reads back the same:
 * Mexico's "044 1 55 ..." is +52 1 55 ..., which it reads as +52 55 ...
 * (the 1 a national prefix). cobro stores the number it reads back, so
 * that what is stored is its own normal form (the send screen and cobrod
 * insist on that), unless that is not valid. */
bool phone_normalize(const char *input, const char *default_country, char *out, size_t outlen, char *err,
		     size_t errlen)
{
	char again[PHONE_E164_SIZE];

	if (!parse(input, default_country, out, outlen, err, errlen))
		return false;
	for (int i = 0; i < 3; i++) {
		if (!parse(out, NULL, again, sizeof again, NULL, 0) || !strcmp(again, out))
			break;
		snprintf(out, outlen, "%s", again);
	}
	return true;
}

/* The plan and national significant number of an E.164 number of a
 * supported country, or NULL. */
static const struct phone_plan *e164_plan(const char *e164, const char **nsn)
{
	char cc[4];
	const struct phone_plan *p;
	size_t n;

	if (!e164 || e164[0] != '+')
		return NULL;
	n = strspn(e164 + 1, "0123456789");
	if (n == 0 || n > 15 || e164[1 + n] != '\0')
		return NULL;
	if (!country_code(e164 + 1, cc) || !(p = plan_by_cc(cc)))
		return NULL;
	*nsn = e164 + 1 + strlen(cc);
	return p;
}

bool phone_is_mobile(const char *e164)
{
	const char *nsn;
	const struct phone_plan *p = e164_plan(e164, &nsn);
	unsigned kind;

	if (!p)
		return false;
	kind = label_of(p, nsn) & PHONE_KIND;
	return kind == PHONE_MOBILE || kind == PHONE_FIXED_OR_MOBILE;
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

const char *phone_metadata_version(void)
{
	return phone_tables_version;
}

const char *phone_supported_countries(void)
{
	return "PE MX CO CL AR ES US";
}
