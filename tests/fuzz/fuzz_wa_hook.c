/* The WhatsApp Cloud API's webhook body (src/cobrod/wa_hook.c), as cobrod's
 * listener reads it from a POST: whatever the bytes, no crash, no leak, and
 * what is read is within its limits. */
#include "fuzz.h"

#include "wa_hook.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wa_hook h;
	char err[160];

	if (!wa_hook_parse((const char *)data, size, &h, err, sizeof err)) {
		FUZZ_ASSERT(err[0] != '\0', "a refusal says why");
		FUZZ_ASSERT(h.nstatuses == 0 && h.nmessages == 0, "a refused body yields nothing");
		return 0;
	}
	FUZZ_ASSERT(h.nstatuses + h.nmessages <= WA_HOOK_MAX_ITEMS, "%zu items", h.nstatuses + h.nmessages);
	for (size_t i = 0; i < h.nstatuses; i++) {
		FUZZ_ASSERT(h.statuses[i].id[0] && strlen(h.statuses[i].id) < WA_HOOK_ID_SIZE, "status id");
		FUZZ_ASSERT(strchr(h.statuses[i].id, ' ') == NULL, "an id has no space");
		wa_status_name(h.statuses[i].status);
	}
	for (size_t i = 0; i < h.nmessages; i++) {
		FUZZ_ASSERT(strspn(h.messages[i].from, "0123456789") == strlen(h.messages[i].from) &&
				h.messages[i].from[0],
			    "from is digits");
		FUZZ_ASSERT(h.messages[i].ts >= 0, "a time is not negative");
	}
	wa_hook_free(&h);
	return 0;
}
