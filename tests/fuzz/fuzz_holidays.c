/* Holiday calendars (etc/holidays/JUR.conf, read with the contact rules):
 * the parser, then every answer for a few years around the data. */
#include "fuzz.h"

#include "holiday.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size), err[512] = "";
	struct holiday_set *s = holiday_set_parse(text, "fuzz.conf", err, sizeof err);

	if (s) {
		for (int i = 0; i < holiday_set_count(s); i++) {
			const struct holiday_cal *c = holiday_set_at(s, i);
			uint64_t bits[HOLIDAY_BITS_WORDS];

			FUZZ_ASSERT(holiday_set_find(s, holiday_cal_id(c)) != NULL, "a calendar is found by its id");
			for (int year = 2025; year <= 2029; year++) {
				struct holiday *list = NULL;
				int n;

				holiday_year_bits(c, year, bits);
				n = holiday_list(c, year, &list);
				holiday_list_free(list, n);
				holiday_is(c, (int64_t)(year - 1970) * 365);
			}
		}
		holiday_set_free(s);
	}
	free(text);
	return 0;
}
