/* Contact-rule files (cobroctl policy load / check --rules): libconfig text
 * through the number check and the policy parser. */
#include "fuzz.h"

#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size), err[512] = "";
	struct policy *p = policy_parse(text, "fuzz.conf", NULL, err, sizeof err);

	if (p) {
		FUZZ_ASSERT(policy_lookback(p) > 0, "a policy looks back a positive time");
		policy_has_jurisdiction(p, "CO");
		policy_has_jurisdiction(p, "US-MA");
		policy_free(p);
	} else {
		FUZZ_ASSERT(strncmp(err, "fuzz.conf", 9) == 0, "a refusal names the file: %s", err);
	}
	free(text);
	return 0;
}
