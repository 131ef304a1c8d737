#include "money.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

struct currency_style {
	const char *code, *prefix, *suffix;
	char group, decimal;
};

/* How each market writes its money. Unknown codes get "1,234.50 XXX". */
static const struct currency_style styles[] = {
	{ "PEN", "S/ ", "", ',', '.' },
	{ "MXN", "$", "", ',', '.' },
	{ "USD", "$", "", ',', '.' },
	{ "COP", "$", "", '.', ',' },
	{ "CLP", "$", "", '.', ',' },
	{ "ARS", "$", "", '.', ',' },
	{ "EUR", "", " \xe2\x82\xac", '.', ',' },
};

char *money_format(char *out, size_t n, long long minor, const char *currency)
{
	const struct currency_style *st = NULL;
	int dec = currency_decimals(currency);
	unsigned long long v = minor < 0 ? 0ULL - (unsigned long long)minor : (unsigned long long)minor;
	unsigned long long scale = 1, whole, frac;
	char digits[32], grouped[48];
	size_t len, g = 0;
	char unknown_suffix[8];

	for (size_t i = 0; i < ARRAY_SIZE(styles); i++)
		if (strcmp(styles[i].code, currency) == 0)
			st = &styles[i];
	for (int i = 0; i < dec; i++)
		scale *= 10;
	whole = v / scale;
	frac = v % scale;
	snprintf(digits, sizeof digits, "%llu", whole);
	len = strlen(digits);
	for (size_t i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			grouped[g++] = st ? st->group : ',';
		grouped[g++] = digits[i];
	}
	grouped[g] = '\0';
	snprintf(unknown_suffix, sizeof unknown_suffix, " %.3s", currency);
	if (dec > 0)
		snprintf(out, n, "%s%s%s%c%0*llu%s", minor < 0 ? "-" : "", st ? st->prefix : "", grouped,
		         st ? st->decimal : '.', dec, frac, st ? st->suffix : unknown_suffix);
	else
		snprintf(out, n, "%s%s%s%s", minor < 0 ? "-" : "", st ? st->prefix : "", grouped,
		         st ? st->suffix : unknown_suffix);
	return out;
}

const char *money_home_currency(const char *country)
{
	static const struct {
		const char *country, *currency;
	} homes[] = {
		{ "PE", "PEN" }, { "MX", "MXN" }, { "US", "USD" }, { "CO", "COP" },
		{ "CL", "CLP" }, { "AR", "ARS" }, { "ES", "EUR" },
	};

	if (!country || strlen(country) < 2 || (country[2] && country[2] != '-'))
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(homes); i++)
		if (!strncmp(homes[i].country, country, 2))
			return homes[i].currency;
	return NULL;
}
