#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *progname = "cobro";
void (*die_hook)(void);

static void *check(void *p)
{
	if (!p) {
		/* Nothing sensible can continue without memory. */
		fputs("out of memory\n", stderr);
		abort();
	}
	return p;
}

void *xmalloc(size_t n) { return check(malloc(n ? n : 1)); }
void *xcalloc(size_t n, size_t size) { return check(calloc(n ? n : 1, size ? size : 1)); }
void *xrealloc(void *p, size_t n) { return check(realloc(p, n ? n : 1)); }
char *xstrdup(const char *s) { return check(strdup(s ? s : "")); }

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return check(s);
}

void die(const char *fmt, ...)
{
	va_list ap;

	if (die_hook)
		die_hook();
	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void warnx(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s) { buf_add(b, s, strlen(s)); }

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	buf_puts(b, check(s));
	free(s);
}

void buf_free(struct buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

int currency_decimals(const char *c)
{
	/* ISO 4217 exponents other than 2; every other code has 2. */
	static const struct {
		const char *code;
		int decimals;
	} odd[] = {
		{ "BIF", 0 }, { "CLP", 0 }, { "DJF", 0 }, { "GNF", 0 }, { "ISK", 0 }, { "JPY", 0 },
		{ "KMF", 0 }, { "KRW", 0 }, { "PYG", 0 }, { "RWF", 0 }, { "UGX", 0 }, { "UYI", 0 },
		{ "VND", 0 }, { "VUV", 0 }, { "XAF", 0 }, { "XOF", 0 }, { "XPF", 0 },
		{ "BHD", 3 }, { "IQD", 3 }, { "JOD", 3 }, { "KWD", 3 }, { "LYD", 3 }, { "OMR", 3 },
		{ "TND", 3 }, { "CLF", 4 }, { "UYW", 4 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(odd); i++)
		if (strcmp(c, odd[i].code) == 0)
			return odd[i].decimals;
	return 2;
}

/* What a file that is not a regular one is, for messages. */
static const char *file_kind(mode_t m)
{
	return S_ISDIR(m) ? "a directory" : S_ISFIFO(m) ? "a FIFO" : S_ISCHR(m) ? "a character device"
	       : S_ISBLK(m) ? "a block device" : S_ISSOCK(m) ? "a socket" : "not a regular file";
}

char *read_text_file(const char *path, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	struct buf b = { 0 };
	char chunk[4096];
	ssize_t n;
	int fd, saved;

	/* stat first, so a device is never opened; then open without blocking
	 * (a FIFO with no writer would wait for ever) and look again at what
	 * was opened, which may have been swapped in between. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		struct stat null;

		/* /dev/null, the usual way to say "no settings" (--config
		 * /dev/null), reads as the empty file it stands for. */
		if (S_ISCHR(st.st_mode) && stat("/dev/null", &null) == 0 && st.st_rdev == null.st_rdev) {
			if (len)
				*len = 0;
			return xstrdup("");
		}
		goto not_regular;
	}
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		goto failed;
	if (fstat(fd, &st) != 0) {
		saved = errno;
		close(fd);
		errno = saved;
		goto failed;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		goto not_regular;
	}
	buf_puts(&b, "");
	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		buf_add(&b, chunk, (size_t)n);
	}
	if (n < 0) {
		saved = errno;
		close(fd);
		buf_free(&b);
		errno = saved;
		goto failed;
	}
	close(fd);
	if (len)
		*len = b.len;
	return b.s;
not_regular:
	if (err && errlen)
		snprintf(err, errlen, "%s: %s, not a regular file", path, file_kind(st.st_mode));
	errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
	return NULL;
failed:
	saved = errno;
	if (err && errlen)
		snprintf(err, errlen, "%s: %s", path, strerror(saved));
	errno = saved;
	return NULL;
}

char *read_file(const char *path, size_t *len)
{
	return read_text_file(path, len, NULL, 0);
}

/* Writes all n bytes of s to fd, again after a signal; false on an error. */
bool write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		s += w;
		n -= (size_t)w;
	}
	return true;
}
