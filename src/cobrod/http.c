/* The request target, parsed without I/O (http.h). */
#include "http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static int hex(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes raw[0..n) into out (room for n + 1), NUL-terminated; plus says
 * whether "+" is a space. -1 on a malformed escape, else the length. */
static long decode(const char *raw, size_t n, char *out, bool plus)
{
	size_t j = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)raw[i];

		if (c == '%') {
			int hi, lo;

			if (i + 2 >= n || (hi = hex((unsigned char)raw[i + 1])) < 0 ||
			    (lo = hex((unsigned char)raw[i + 2])) < 0)
				return -1;
			out[j++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			out[j++] = plus && c == '+' ? ' ' : (char)c;
		}
	}
	out[j] = '\0';
	return (long)j;
}

static bool fail(char *err, size_t errlen, const char *why)
{
	snprintf(err, errlen, "%s", why);
	return false;
}

bool http_parse_target(const char *raw, size_t len, struct http_request *req, char *err, size_t errlen)
{
	size_t path_end, at;
	char *w;
	long n;

	memset(req, 0, sizeof *req);
	if (!raw || len == 0)
		return fail(err, errlen, "no request target");
	if (len > HTTP_TARGET_MAX)
		return fail(err, errlen, "the request target is too long");
	if (raw[0] != '/')
		return fail(err, errlen, "the request target is not a path");
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)raw[i] <= ' ' || (unsigned char)raw[i] == 0x7f)
			return fail(err, errlen, "a space or control byte in the request target");
	for (path_end = 0; path_end < len && raw[path_end] != '?' && raw[path_end] != '#'; path_end++)
		;
	/* Every decoded string is no longer than its raw bytes, plus its NUL. */
	w = req->mem = xmalloc(2 * len + 2);
	if ((n = decode(raw, path_end, w, false)) < 0 || strlen(w) != (size_t)n) {
		http_request_free(req);
		return fail(err, errlen, n < 0 ? "a malformed %-escape in the path" : "a NUL in the path");
	}
	req->path = w;
	w += n + 1;
	if (path_end == len || raw[path_end] == '#')
		return true;
	at = path_end + 1;
	while (at < len) {
		size_t end = at, eq;
		struct http_param *p;

		while (end < len && raw[end] != '&' && raw[end] != '#')
			end++;
		if (end == at) { /* "&&" */
			if (end < len && raw[end] == '#')
				break;
			at = end + 1;
			continue;
		}
		if (req->nparams == HTTP_PARAMS_MAX) {
			http_request_free(req);
			return fail(err, errlen, "too many query parameters");
		}
		p = &req->params[req->nparams++];
		for (eq = at; eq < end && raw[eq] != '='; eq++)
			;
		if ((n = decode(raw + at, eq - at, w, true)) < 0 || strlen(w) != (size_t)n) {
			http_request_free(req);
			return fail(err, errlen, n < 0 ? "a malformed %-escape in a parameter's name"
			                               : "a NUL in a parameter's name");
		}
		p->name = w;
		w += n + 1;
		if (eq < end) {
			if ((n = decode(raw + eq + 1, end - eq - 1, w, true)) < 0) {
				http_request_free(req);
				return fail(err, errlen, "a malformed %-escape in a parameter's value");
			}
			p->value = w;
			p->len = (size_t)n;
			w += n + 1;
		}
		if (end < len && raw[end] == '#')
			break;
		at = end + 1;
	}
	return true;
}

const char *http_param(const struct http_request *req, const char *name, size_t *len)
{
	for (int i = 0; i < req->nparams; i++) {
		if (req->params[i].value && strcmp(req->params[i].name, name) == 0) {
			if (len)
				*len = req->params[i].len;
			return req->params[i].value;
		}
	}
	if (len)
		*len = 0;
	return NULL;
}

void http_request_free(struct http_request *req)
{
	free(req->mem);
	memset(req, 0, sizeof *req);
}

bool http_secret_equal(const char *given, size_t glen, const char *want)
{
	size_t wlen = want ? strlen(want) : 0;
	/* volatile: the compiler may not turn the loop into an early exit. */
	volatile unsigned char diff = (unsigned char)(glen != wlen || !given || wlen == 0);

	for (size_t i = 0; i < wlen; i++)
		diff |= (unsigned char)(want[i] ^ (given && i < glen ? given[i] : 0));
	return diff == 0;
}
