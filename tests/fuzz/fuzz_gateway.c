/* What a gateway answers to a send (cobrod, src/cobrod/transport.c): the
 * provider's id read from its JSON at the configured dotted path, or the
 * whole answer when no path is set. The first byte chooses the path. */
#include "fuzz.h"

#include "transport.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {"", "messages.0.id", "id", "data.message_id", "0", "a.1.b.2", NULL};
	char out[128];

	if (size < 1)
		return 0;
	if (transport_response_id((const char *)data + 1, size - 1, paths[data[0] % ARRAY_SIZE(paths)], out,
				  sizeof out)) {
		/* The id goes into the database and the log: one short printable line. */
		for (const char *p = out; *p; p++)
			FUZZ_ASSERT((unsigned char)*p >= 0x20 && *p != 0x7F, "a control character in the id");
	} else {
		FUZZ_ASSERT(out[0] == '\0', "no id leaves out empty");
	}
	return 0;
}
