/* Money is an integer count of minor units plus an ISO 4217 code; never a float. */
#ifndef COBRO_MONEY_H
#define COBRO_MONEY_H

#include <stddef.h>

/* Formats 123450 PEN as "S/ 1,234.50", 123450 EUR as "1.234,50 €" (the
 * currency's customary style), 1234 CLP as "$1.234". Returns out. */
char *money_format(char *out, size_t n, long long minor, const char *currency);

/* The currency a country's people take a bare "$" (or "S/") to be in: its
 * own ("PE" PEN, "MX" MXN, "US" USD, "CO" COP, "CL" CLP, "AR" ARS, "ES"
 * EUR); NULL for a country not known here. country is ISO 3166's two
 * letters, or a jurisdiction that starts with them ("US-MA"). */
const char *money_home_currency(const char *country);

#endif
