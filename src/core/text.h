/* UTF-8 text measured in terminal cells (utf8proc), so that "Muñoz Peña"
 * takes ten cells, "日本" four, and columns line up. Text is cut only between
 * grapheme clusters (UAX #29): never inside a UTF-8 sequence, never between
 * a letter and its accent, nor inside an emoji's ZWJ sequence. No curses here.
 *
 * A cluster is as wide as curses lays it out: the sum of its code points'
 * widths (combining marks and joiners take none). A terminal that draws a
 * ZWJ sequence narrower than that leaves blank cells, never misaligns. */
#ifndef COBRO_TEXT_H
#define COBRO_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Display width of s in terminal cells; an invalid byte counts one (it is
 * shown as U+FFFD) and a control character none. */
int text_width(const char *s);

/* Copies into out (size n) the longest run of whole clusters of s that fits
 * in cols cells, then pads with spaces to exactly cols cells when pad is set.
 * Ends with "…" when it had to cut; stops at a control character (a line
 * break ends what one line shows). Invalid bytes come out as U+FFFD, so out
 * is always valid UTF-8. Returns the cells used. */
int text_fit(char *out, size_t n, const char *s, int cols, int pad);

/* Pads s with spaces to at least cols cells, on the right (left aligned) or,
 * when right is set, on the left; never cuts, as printf's %-16s never does.
 * For tables printed on a terminal (cobroctl): %-16s counts bytes, so
 * "asignación" came out a cell short. Returns out. */
const char *text_pad(char *out, size_t n, const char *s, int cols, bool right);

/* Copies the first line of s (up to a line break) into out, size n: when it
 * is longer, as much as fits, never half a character. Returns out. */
const char *text_first_line(char *out, size_t n, const char *s);

/* Wraps text into lines of at most cols cells: the length in bytes of the
 * first line of s, and in *next where the one after it starts. A line breaks
 * at a line break, else after the last blank that lets it fit (the blank
 * is left out), else, for a word longer than the line, between two grapheme
 * clusters. At the end of s, *next points at its NUL. */
size_t text_wrap(const char *s, int cols, const char **next);

/* Whether the len bytes at s are UTF-8 without a NUL (PostgreSQL's text
 * takes no NUL, and a C string ends at one). */
bool text_utf8_valid(const char *s, size_t len);

#endif
