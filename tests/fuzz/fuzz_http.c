/* cobrod's listener: the request target a client sends, through the pure
 * parser listener.c hands it to (src/cobrod/http.h), and the constant-time
 * comparison of the gateway's secret. Properties: a parsed request's path
 * starts with "/" and holds no NUL, its parameters are within the bound and
 * their lengths within the input's; a refusal says why and leaves nothing to
 * free; the secret matches only itself. */
#include "fuzz.h"

#include "http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_request r;
	char err[160];
	size_t n;

	if (http_parse_target((const char *)data, size, &r, err, sizeof err)) {
		FUZZ_ASSERT(r.path && r.path[0] == '/', "path: %s", r.path ? r.path : "(null)");
		FUZZ_ASSERT(r.nparams >= 0 && r.nparams <= HTTP_PARAMS_MAX, "%d parameters", r.nparams);
		for (int i = 0; i < r.nparams; i++) {
			FUZZ_ASSERT(r.params[i].name != NULL, "parameter %d has no name", i);
			FUZZ_ASSERT(r.params[i].len <= size, "parameter %d longer than the input", i);
			if (r.params[i].value)
				FUZZ_ASSERT(http_param(&r, r.params[i].name, &n) != NULL, "%s not found", r.params[i].name);
		}
		http_request_free(&r);
	} else {
		FUZZ_ASSERT(err[0] != '\0', "a refusal says why");
	}
	/* The secret: the input's first half against its second. */
	if (size >= 2) {
		size_t half = size / 2;
		char *want = fuzz_string(data + half, size - half);

		if (http_secret_equal((const char *)data, half, want))
			FUZZ_ASSERT(strlen(want) == half && memcmp(data, want, half) == 0, "a different key matched");
		FUZZ_ASSERT(!http_secret_equal(want, strlen(want), "") , "an empty secret matched");
		if (want[0])
			FUZZ_ASSERT(http_secret_equal(want, strlen(want), want), "the secret did not match itself");
		free(want);
	}
	return 0;
}
