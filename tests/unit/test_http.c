/* src/cobrod/http.c: the listener's request target, bytes in and a parsed
 * request or a refusal out; and the constant-time compare of a gateway's
 * secret. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "util.h"

/* Parses s, which must succeed. */
static void parse_ok(const char *s, struct http_request *r)
{
	char err[128];

	if (!http_parse_target(s, strlen(s), r, err, sizeof err))
		fail_msg("refused \"%s\": %s", s, err);
}

/* Parses s, which must fail with why. */
static void parse_refused(const char *s, size_t len, const char *why)
{
	struct http_request r;
	char err[128] = "";

	if (http_parse_target(s, len, &r, err, sizeof err))
		fail_msg("accepted \"%.*s\"", (int)len, s);
	assert_string_equal(err, why);
	assert_null(r.mem);
}

static void path_and_parameters(void **state)
{
	struct http_request r;
	size_t n;

	(void)state;
	parse_ok("/kannel/mo?key=k3y&from=%2B51987654321&text=Pago+el+lunes%2C+gracias&coding=0", &r);
	assert_string_equal(r.path, "/kannel/mo");
	assert_int_equal(r.nparams, 4);
	assert_string_equal(http_param(&r, "key", &n), "k3y");
	assert_int_equal(n, 3);
	/* A phone's "+" escaped stays a plus; a bare "+" is a space. */
	assert_string_equal(http_param(&r, "from", NULL), "+51987654321");
	assert_string_equal(http_param(&r, "text", NULL), "Pago el lunes, gracias");
	assert_null(http_param(&r, "to", &n));
	assert_int_equal(n, 0);
	http_request_free(&r);

	parse_ok("/health", &r);
	assert_string_equal(r.path, "/health");
	assert_int_equal(r.nparams, 0);
	http_request_free(&r);

	/* The path is decoded, but "+" in it is a plus. */
	parse_ok("/kannel%2Fdlr+x?", &r);
	assert_string_equal(r.path, "/kannel/dlr+x");
	assert_int_equal(r.nparams, 0);
	http_request_free(&r);
}

static void values_may_hold_a_nul(void **state)
{
	struct http_request r;
	size_t n;
	const char *v;

	(void)state;
	parse_ok("/kannel/mo?text=ho%00la&coding=2", &r);
	v = http_param(&r, "text", &n);
	assert_int_equal(n, 5);
	assert_memory_equal(v, "ho\0la", 5);
	http_request_free(&r);
}

static void absent_empty_and_repeated(void **state)
{
	struct http_request r;
	size_t n = 99;

	(void)state;
	/* "id" without "=" is no value; "status=" is an empty one; empty pairs
	 * go; the first of two keys counts. */
	parse_ok("/kannel/dlr?id&&status=&key=a&key=b&#frag", &r);
	assert_null(http_param(&r, "id", NULL));
	assert_string_equal(http_param(&r, "status", &n), "");
	assert_int_equal(n, 0);
	assert_string_equal(http_param(&r, "key", NULL), "a");
	assert_int_equal(r.nparams, 4);
	http_request_free(&r);

	parse_ok("/x?a=1#b=2", &r);
	assert_int_equal(r.nparams, 1);
	assert_null(http_param(&r, "b", NULL));
	http_request_free(&r);

	/* Upper- and lower-case hex. */
	parse_ok("/x?t=%c3%B1", &r);
	assert_string_equal(http_param(&r, "t", NULL), "\xc3\xb1");
	http_request_free(&r);
}

static void garbage_refused(void **state)
{
	char big[HTTP_TARGET_MAX + 2], many[HTTP_PARAMS_MAX * 4 + 16];
	size_t n = 0;

	(void)state;
	parse_refused("", 0, "no request target");
	parse_refused(NULL, 0, "no request target");
	parse_refused("kannel/mo", 9, "the request target is not a path");
	parse_refused("http://h/kannel/mo", 18, "the request target is not a path");
	parse_refused("*", 1, "the request target is not a path");
	parse_refused("/x?a=%", 6, "a malformed %-escape in a parameter's value");
	parse_refused("/x?a=%4", 7, "a malformed %-escape in a parameter's value");
	parse_refused("/x?a=%zz", 8, "a malformed %-escape in a parameter's value");
	parse_refused("/x?%g=1", 7, "a malformed %-escape in a parameter's name");
	parse_refused("/x?k%00ey=1", 11, "a NUL in a parameter's name");
	parse_refused("/x%00y", 6, "a NUL in the path");
	parse_refused("/x%", 3, "a malformed %-escape in the path");
	parse_refused("/x?a=b c", 8, "a space or control byte in the request target");
	parse_refused("/x?a=b\r\nX: y", 12, "a space or control byte in the request target");
	parse_refused("/x\0y", 4, "a space or control byte in the request target");
	memset(big, 'a', sizeof big);
	big[0] = '/';
	parse_refused(big, HTTP_TARGET_MAX + 1, "the request target is too long");
	n = (size_t)snprintf(many, sizeof many, "/x?");
	for (int i = 0; i <= HTTP_PARAMS_MAX; i++)
		n += (size_t)snprintf(many + n, sizeof many - n, "a=%d&", i % 10);
	parse_refused(many, n, "too many query parameters");
}

/* Every byte string parses or is refused, and what parses stays inside the
 * buffer it came from: a small exhaustive walk over short targets made of
 * the characters that matter. */
static void short_targets_all_answer(void **state)
{
	static const char alphabet[] = "/?&=%+#a0F";
	char s[6];
	long long count = 0;

	(void)state;
	for (int len = 1; len <= 5; len++) {
		long long total = 1;

		for (int i = 0; i < len; i++)
			total *= (long long)(sizeof alphabet - 1);
		for (long long k = 0; k < total; k++) {
			long long v = k;
			struct http_request r;
			char err[128];

			for (int i = 0; i < len; i++, v /= (long long)(sizeof alphabet - 1))
				s[i] = alphabet[v % (long long)(sizeof alphabet - 1)];
			if (http_parse_target(s, (size_t)len, &r, err, sizeof err)) {
				assert_true(r.path[0] == '/');
				for (int i = 0; i < r.nparams; i++)
					assert_true(strlen(r.params[i].name) <= (size_t)len);
				http_request_free(&r);
			}
			count++;
		}
	}
	assert_true(count > 100000);
}

static void secrets_compared_whole(void **state)
{
	const char *want = "0123456789abcdef";

	(void)state;
	assert_true(http_secret_equal("0123456789abcdef", 16, want));
	assert_false(http_secret_equal("0123456789abcdeF", 16, want));
	assert_false(http_secret_equal("1123456789abcdef", 16, want));
	assert_false(http_secret_equal("0123456789abcde", 15, want));
	/* A longer given that starts with the secret is not it. */
	assert_false(http_secret_equal("0123456789abcdefX", 17, want));
	/* A NUL inside counts as a byte. */
	assert_false(http_secret_equal("0123456789abcdef\0", 17, want));
	assert_false(http_secret_equal(NULL, 0, want));
	assert_false(http_secret_equal("", 0, want));
	/* No secret configured: nothing matches, not even nothing. */
	assert_false(http_secret_equal("", 0, ""));
	assert_false(http_secret_equal(NULL, 0, NULL));
	assert_false(http_secret_equal("x", 1, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(path_and_parameters),
	    cmocka_unit_test(values_may_hold_a_nul),
	    cmocka_unit_test(absent_empty_and_repeated),
	    cmocka_unit_test(garbage_refused),
	    cmocka_unit_test(short_targets_all_answer),
	    cmocka_unit_test(secrets_compared_whole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
