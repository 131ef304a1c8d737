/* What cobrod's listener reads of an HTTP request, as a pure function: the
 * request target as the client sent it (bytes in), the path and the query's
 * parameters decoded (a parsed request out), or why not. No sockets and no
 * globals, so a fuzz target can call it with any bytes. libmicrohttpd frames
 * the connection (request line, headers, time-outs); listener.c hands the
 * target it logged here and reads only what this gives back.
 *
 *   struct http_request r;
 *   if (!http_parse_target(raw, len, &r, err, sizeof err)) -> 400
 *   const char *from = http_param(&r, "from", &n);
 *   http_request_free(&r);
 */
#ifndef COBRO_HTTP_H
#define COBRO_HTTP_H

#include <stdbool.h>
#include <stddef.h>

/* More than any of our requests has (Kannel's MO has 9); more is garbage. */
#define HTTP_PARAMS_MAX 32
/* The longest target read: a concatenated reply of 10 UCS-2 segments,
 * percent-encoded, is about 4 KB. */
#define HTTP_TARGET_MAX (32 * 1024)

struct http_param {
	const char *name;  /* decoded, NUL-terminated; may not hold a NUL */
	const char *value; /* decoded; may hold a NUL ("%00"): use len */
	size_t len;
};

struct http_request {
	const char *path; /* decoded, starts with "/", holds no NUL */
	struct http_param params[HTTP_PARAMS_MAX];
	int nparams;
	char *mem; /* owns every string above */
};

/* Parses an origin-form request target ("/kannel/mo?from=%2B51...&text=a+b"):
 * the path up to "?" (a "#" ends it too), then "&"-separated name=value
 * pairs, each percent-decoded with "+" as a space. A pair without "=" is
 * kept with a NULL value (http_param treats it as absent); empty pairs are
 * skipped. False, with why in err and nothing to free, for: an empty or
 * over-long target, one not starting with "/", a malformed %-escape, a NUL
 * in the path or a name, more than HTTP_PARAMS_MAX pairs, a control byte or
 * space in the raw target. */
bool http_parse_target(const char *raw, size_t len, struct http_request *req, char *err, size_t errlen);

/* The first parameter called name with a value, or NULL; *len (may be NULL)
 * gets its length. */
const char *http_param(const struct http_request *req, const char *name, size_t *len);

void http_request_free(struct http_request *req);

/* Whether given (glen bytes, may be NULL) is want, in a time that depends on
 * want's length only: no early exit at the first wrong byte, so a caller
 * timing the answers learns nothing of the secret. An empty want never
 * matches. */
bool http_secret_equal(const char *given, size_t glen, const char *want);

#endif
