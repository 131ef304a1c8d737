/* Case files (cobroctl policy check CASEFILE), judged against the shipped
 * rules (etc/policy.conf and etc/holidays, read from $COBRO_TOP or the
 * current directory once). */
#include "fuzz.h"

#include "policy.h"
#include "policy_case.h"
#include "util.h"

static struct policy *rules;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *top = getenv("COBRO_TOP") ? getenv("COBRO_TOP") : ".";
	char err[512], *path = xasprintf("%s/etc/policy.conf", top), *dir = xasprintf("%s/etc/holidays", top);
	char *text = read_text_file(path, NULL, err, sizeof err), *hol = text ? policy_holidays_read(dir, err, sizeof err) : NULL;

	(void)argc, (void)argv;
	if (!text || !hol || !(rules = policy_parse(text, path, hol, err, sizeof err))) {
		fprintf(stderr, "fuzz_case: the shipped rules: %s\n", err);
		exit(2);
	}
	free(text);
	free(hol);
	free(path);
	free(dir);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size), err[512] = "";
	struct policy_case c;

	if (policy_case_parse(&c, text, "fuzz.case", rules, err, sizeof err)) {
		struct policy_verdict v;

		policy_check(rules, &c.debtor, c.history, c.nhistory, &c.contact, &v);
		policy_case_free(&c);
	} else {
		FUZZ_ASSERT(strncmp(err, "fuzz.case", 9) == 0, "a refusal names the file: %s", err);
	}
	free(text);
	return 0;
}
