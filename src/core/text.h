/* UTF-8 text measured in terminal columns (utf8proc), so that "Muñoz Peña"
 * takes ten columns and columns line up. No curses here. */
#ifndef COBRO_TEXT_H
#define COBRO_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Display width of s in terminal columns; invalid bytes count one each. */
int text_width(const char *s);

/* Copies into out (size n) the longest prefix of s that fits in cols columns,
 * then pads with spaces to exactly cols columns when pad is set. Ends with "…"
 * when it had to cut. Returns the columns used. */
int text_fit(char *out, size_t n, const char *s, int cols, int pad);

/* Whether the len bytes at s are UTF-8 without a NUL (PostgreSQL's text
 * takes no NUL, and a C string ends at one). */
bool text_utf8_valid(const char *s, size_t len);

#endif
