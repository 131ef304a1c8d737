/* Money is an integer count of minor units plus an ISO 4217 code; never a float. */
#ifndef COBRO_MONEY_H
#define COBRO_MONEY_H

#include <stdbool.h>
#include <stddef.h>

/* Formats 123450 PEN as "S/ 1,234.50", 123450 EUR as "1.234,50 €" (the
 * currency's customary style), 1234 CLP as "$1.234". Returns out. */
char *money_format(char *out, size_t n, long long minor, const char *currency);

/* The currency a country's people take a bare "$" (or "S/") to be in: its
 * own ("PE" PEN, "MX" MXN, "US" USD, "CO" COP, "CL" CLP, "AR" ARS, "ES"
 * EUR); NULL for a country not known here. country is ISO 3166's two
 * letters, or a jurisdiction that starts with them ("US-MA"). */
const char *money_home_currency(const char *country);

/* Which symbol an amount carries. Alone, "$" is the peso's or the dollar's
 * as the reader's market has it; beside amounts of other currencies it is
 * no one's, so a screen that mixes them writes each one as CLDR's locale data
 * does for a reader abroad: US$, MX$, CLP$, COL$ (S/ and € say it already). */
enum money_form {
	MONEY_LOCAL,       /* "$1,234.50", "S/ 1,234.50": one currency on the screen */
	MONEY_UNAMBIGUOUS, /* "US$1,234.50", "MX$1,234.50", "CLP$1.234": several */
};

/* The currencies a screen shows, met one at a time (money_mix_add()), zeroed
 * to start: MONEY_LOCAL while they are all one, MONEY_UNAMBIGUOUS once they
 * are not (money_mix_form()). */
struct money_mix {
	char first[4];
	bool mixed;
};
void money_mix_add(struct money_mix *m, const char *currency);
enum money_form money_mix_form(const struct money_mix *m);
/* money_format() in the given form. */
char *money_format_as(char *out, size_t n, long long minor, const char *currency, enum money_form form);

#endif
