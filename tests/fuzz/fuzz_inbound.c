/* What the listener reads from a gateway's request, in the pure functions
 * src/cobrod has for it (inbound.h): the opt-out words, the sender's
 * number, UCS-2 text. The request itself (listener.c, libmicrohttpd) has no
 * pure parse function to call: see docs/security.md, "Inputs and fuzzing". */
#include "fuzz.h"

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
	if ((utf8 = inbound_ucs2_to_utf8((const char *)data, size))) {
		inbound_is_stop(utf8);
		free(utf8);
	}
	free(text);
	return 0;
}
