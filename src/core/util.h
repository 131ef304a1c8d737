/* Small things every program needs: memory that never returns NULL, fatal
 * errors that restore the terminal first, and a growable string. */
#ifndef COBRO_UTIL_H
#define COBRO_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The program's name for messages ("cobroctl: ..."). */
extern const char *progname;

/* Called by die() before it prints: the workstation restores the terminal here. */
extern void (*die_hook)(void);

__attribute__((noreturn, format(printf, 1, 2))) void die(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void warnx(const char *fmt, ...);

/* A growable NUL-terminated buffer. */
struct buf {
	char *s;
	size_t len, cap;
};
void buf_add(struct buf *b, const char *s, size_t n);
void buf_puts(struct buf *b, const char *s);
__attribute__((format(printf, 2, 3))) void buf_printf(struct buf *b, const char *fmt, ...);
void buf_free(struct buf *b);

/* A whole file, NUL-terminated, its length in *len (if len): NULL with errno
 * set when it cannot be read. Only a regular file is read: a FIFO, a device,
 * a socket or a directory is refused without blocking (errno EISDIR for a
 * directory, EINVAL for the rest); /dev/null reads as an empty file. */
/* All n bytes of s to fd, again after EINTR; false with errno on an error. */
bool write_all(int fd, const char *s, size_t n);

char *read_file(const char *path, size_t *len);
/* The same, with "PATH: reason" in err on failure ("x.tpl: a FIFO, not a
 * regular file", "x.tpl: No such file or directory"). */
char *read_text_file(const char *path, size_t *len, char *err, size_t errlen);

/* Money: integer minor units. Formats 123456 as "1234.56" for 2 decimals. */
int currency_decimals(const char *iso4217);

#endif
