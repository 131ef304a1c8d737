/* What the listener reads from a gateway's request, in the pure functions
 * src/cobrod has for it (inbound.h): the opt-out words, the sender's
 * number, UCS-2 text; and the phone numbers a reply's text holds, for the
 * data cleaning (cleaning.h: each found is E.164 and normalises to itself). The request itself (listener.c, libmicrohttpd) has no
 * pure parse function to call: see docs/security.md, "Inputs and fuzzing". */
#include "fuzz.h"

#include "cleaning.h"
#include "inbound.h"
#include "phone.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size), *utf8, out[PHONE_E164_SIZE], masked[32];

	inbound_is_stop(text);
	if (inbound_phone(text, out, sizeof out)) {
		FUZZ_ASSERT(out[0] == '+', "E.164: %s", out);
		inbound_mask_phone(out, masked, sizeof masked);
		FUZZ_ASSERT(strlen(masked) >= 5 && !strstr(masked, out + 1), "masked: %s", masked);
	} else {
		FUZZ_ASSERT(out[0] == '\0', "a refused number leaves out empty");
	}
	inbound_mask_phone(text, masked, sizeof masked);
	{
		struct cleaning_number nums[8];
		int n = cleaning_numbers(text, "PE", nums, 8);
		char *json = cleaning_numbers_json(text);

		FUZZ_ASSERT(n >= 0 && n <= 8, "numbers: %d", n);
		for (int i = 0; i < n; i++) {
			char again[PHONE_E164_SIZE];

			FUZZ_ASSERT(phone_normalize(nums[i].e164, NULL, again, sizeof again, NULL, 0) &&
			            !strcmp(again, nums[i].e164), "a number found is E.164: %s", nums[i].e164);
		}
		FUZZ_ASSERT(!json || json[0] == '{', "numbers as JSON: %s", json);
		free(json);
	}
	if ((utf8 = inbound_ucs2_to_utf8((const char *)data, size))) {
		inbound_is_stop(utf8);
		free(utf8);
	}
	free(text);
	return 0;
}
