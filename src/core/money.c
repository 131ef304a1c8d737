#include "money.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

struct currency_style {
	const char *code, *prefix, *suffix;
	char group, decimal;
	const char *abroad; /* the prefix beside other currencies (CLDR); NULL: prefix */
};

/* How each market writes its money. Unknown codes get "1,234.50 XXX". */
static const struct currency_style styles[] = {
	{ "PEN", "S/ ", "", ',', '.', NULL },
	{ "MXN", "$", "", ',', '.', "MX$" },
	{ "USD", "$", "", ',', '.', "US$" },
	{ "COP", "$", "", '.', ',', "COL$" },
	{ "CLP", "$", "", '.', ',', "CLP$" },
	{ "ARS", "$", "", '.', ',', "AR$" },
	{ "EUR", "", " \xe2\x82\xac", '.', ',', NULL },
};

char *money_format(char *out, size_t n, long long minor, const char *currency)
{
	return money_format_as(out, n, minor, currency, MONEY_LOCAL);
}

void money_mix_add(struct money_mix *m, const char *currency)
{
	if (!m->first[0])
		snprintf(m->first, sizeof m->first, "%s", currency);
	else if (strncmp(m->first, currency, sizeof m->first - 1) != 0)
		m->mixed = true;
}

enum money_form money_mix_form(const struct money_mix *m)
{
	return m->mixed ? MONEY_UNAMBIGUOUS : MONEY_LOCAL;
}

char *money_format_as(char *out, size_t n, long long minor, const char *currency, enum money_form form)
{
	const struct currency_style *st = NULL;
	int dec = currency_decimals(currency);
	unsigned long long v = minor < 0 ? 0ULL - (unsigned long long)minor : (unsigned long long)minor;
	unsigned long long scale = 1, whole, frac;
	char digits[32], grouped[48];
	size_t len, g = 0;
	char unknown_suffix[8];
	const char *prefix;

	for (size_t i = 0; i < ARRAY_SIZE(styles); i++)
		if (strcmp(styles[i].code, currency) == 0)
			st = &styles[i];
	prefix = st ? st->prefix : "";
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
	if (st && form == MONEY_UNAMBIGUOUS && st->abroad)
		prefix = st->abroad;
	snprintf(unknown_suffix, sizeof unknown_suffix, " %.3s", currency);
	if (dec > 0)
		snprintf(out, n, "%s%s%s%c%0*llu%s", minor < 0 ? "-" : "", prefix, grouped,
		         st ? st->decimal : '.', dec, frac, st ? st->suffix : unknown_suffix);
	else
		snprintf(out, n, "%s%s%s%s", minor < 0 ? "-" : "", prefix, grouped,
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
