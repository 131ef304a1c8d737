/* The SMS encoder's measure: GSM-7 or UCS-2, septets or UTF-16 units, and
 * segments, of any bytes; with the properties sms.h promises. */
#include "fuzz.h"

#include "sms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size), err[256];
	struct sms_size m;

	if (sms_measure(text, &m)) {
		size_t single = m.encoding == SMS_GSM7 ? SMS_GSM7_SINGLE : SMS_UCS2_SINGLE;
		size_t part = m.encoding == SMS_GSM7 ? SMS_GSM7_PART : SMS_UCS2_PART;

		FUZZ_ASSERT(m.chars <= strlen(text), "no more characters than bytes");
		FUZZ_ASSERT(m.units >= m.chars && m.units <= 2 * m.chars, "1 or 2 units a character");
		FUZZ_ASSERT(m.segments >= 1, "at least one segment");
		if (m.units <= single)
			FUZZ_ASSERT(m.segments == 1, "%zu units fit one segment", m.units);
		else
			FUZZ_ASSERT(m.segments >= (m.units + part - 1) / part && m.segments * part >= m.units,
				    "%zu units in %zu segments", m.units, m.segments);
		FUZZ_ASSERT(sms_check_limit(text, m.segments, NULL, 0), "fits its own count");
		if (m.segments > 1)
			FUZZ_ASSERT(!sms_check_limit(text, m.segments - 1, err, sizeof err), "not one fewer");
		FUZZ_ASSERT(sms_encoding_name(m.encoding) != NULL, "a name");
	} else {
		FUZZ_ASSERT(m.segments == 0 && m.chars == 0, "out zeroed on invalid UTF-8");
		FUZZ_ASSERT(!sms_check_limit(text, 10, err, sizeof err), "invalid UTF-8 fits no limit");
	}
	free(text);
	return 0;
}
