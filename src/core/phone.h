/* Phone numbers as cobro stores them: E.164 ("+51987654321"), for the
 * countries cobro collects in (PE, MX, CO, CL, AR, ES and +1: the US and the
 * rest of the NANP). Parsed and validated as Google's libphonenumber does
 * (phonenumbers.parse, is_valid_number, format_number E164), from its
 * metadata turned into tables by scripts/phone-tables.py (phone_tables.c,
 * generated and committed): the same numbering plans, prefixes and
 * validity patterns, without the C++ library (DESIGN.md section 11).
 * tests/cli/test_phone_libphonenumber.sh checks the two agree. Pure: no
 * I/O, no allocation, no state; safe from any thread. */
#ifndef COBRO_PHONE_H
#define COBRO_PHONE_H

#include <stdbool.h>
#include <stddef.h>

/* "+", at most 15 digits and the NUL. */
#define PHONE_E164_SIZE 17
/* The most zones one US area code spans. */
#define PHONE_US_MAX_ZONES 2

/* Turns what a person typed ("(01) 234-5678", "+52 1 55 1234 5678",
 * "011 15 2345-6789") into E.164 in out, when libphonenumber would call it a
 * valid number of a supported country. default_country is the ISO 3166
 * code ("PE", "us", "US-MA") used for numbers written without a country
 * code; NULL (or a country cobro does not serve) means only numbers written
 * with + or 00 and their country code are read. On failure returns false
 * and puts an English reason in err ("too short for PE: mobiles have 9
 * digits starting with 9, landlines ..."); out is then "". err may be
 * NULL. */
bool phone_normalize(const char *input, const char *default_country, char *out, size_t outlen, char *err,
		     size_t errlen);

/* Whether a valid E.164 number of a supported country may be a mobile:
 * libphonenumber's type is mobile, or "fixed line or mobile" where the plan
 * does not tell them apart (the NANP, Chile, much of Mexico). False for
 * anything else (landlines, toll-free and other special numbers, numbers
 * that are not valid). */
bool phone_is_mobile(const char *e164);

/* The IANA zones a US area code spans ("+12125550147" -> America/New_York),
 * the one most of its people live in first: stores at most max of them in
 * zones and returns how many there are, so a caller that passed too small an
 * array can tell. 0 for other countries, Canada and the Caribbean,
 * non-geographic codes (800, 888, 500, 900 ...) and anything not E.164. */
int phone_us_area_zones(const char *e164, const char **zones, int max);

/* The python3-phonenumbers version the tables come from ("8.12.57"), and
 * the countries they cover ("PE MX CO CL AR ES US"). */
const char *phone_metadata_version(void);
const char *phone_supported_countries(void);

/* An E.164 number as cobro shows it where the whole number is not needed (a
 * log, a verdict): the country's first digits and the last four,
 * "+51*****4321". Anything else becomes "?". */
void phone_mask(const char *e164, char *out, size_t outlen);

#endif
