/* Phone numbers as people and gateways write them: phone_normalize with
 * each default country (the first byte chooses it), walking the tables
 * scripts/phone-tables.py made from libphonenumber's metadata (national
 * prefixes and their rewrites, international prefixes, the automata of
 * valid numbers), and what is asked of the E.164 result. */
#include "fuzz.h"

#include "phone.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const countries[] = {"PE", "MX",    "CO", "CL", "AR", "ES",
						"US", "US-MA", "us", "XX", "",   NULL};
	const char *country, *zones[PHONE_US_MAX_ZONES];
	char *input, out[PHONE_E164_SIZE], again[PHONE_E164_SIZE], err[256];

	if (size < 1)
		return 0;
	country = countries[data[0] % ARRAY_SIZE(countries)];
	input = fuzz_string(data + 1, size - 1);
	phone_is_mobile(input);
	phone_us_area_zones(input, zones, PHONE_US_MAX_ZONES);
	if (phone_normalize(input, country, out, sizeof out, err, sizeof err)) {
		size_t len = strlen(out);

		FUZZ_ASSERT(out[0] == '+' && len >= 8 && len <= 16 &&
				strspn(out + 1, "0123456789") == len - 1,
			    "E.164: \"%s\"", out);
		/* What was normalised normalises to itself, with any country. */
		FUZZ_ASSERT(phone_normalize(out, NULL, again, sizeof again, err, sizeof err) &&
				!strcmp(out, again),
			    "\"%s\" normalised again gives \"%s\" (%s)", out, again, err);
		/* And with the default country it was read in (a + number keeps its own). */
		FUZZ_ASSERT(phone_normalize(out, country, again, sizeof again, err, sizeof err) &&
				!strcmp(out, again),
			    "\"%s\" normalised again in %s gives \"%s\" (%s)", out, country ? country : "-",
			    again, err);
		phone_is_mobile(out);
		FUZZ_ASSERT(phone_us_area_zones(out, zones, PHONE_US_MAX_ZONES) <= PHONE_US_MAX_ZONES,
			    "zones");
	} else {
		FUZZ_ASSERT(out[0] == '\0', "a refused number leaves out empty");
	}
	/* A small buffer is refused, never overrun. */
	phone_normalize(input, country, out, 5, NULL, 0);
	free(input);
	return 0;
}
