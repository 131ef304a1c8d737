/* Bars and sparklines as text, measured in display cells (pure: the
 * dashboard draws them, tests/unit/test_bar.c checks them): one cell per
 * step of a bar or per point of a sparkline, in block characters on a
 * UTF-8 terminal and in plain ASCII elsewhere (bar_utf8()). The text only:
 * the screen puts it where its layout says, in the colour it means. */
#ifndef COBRO_BAR_H
#define COBRO_BAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Whether the terminal's character set is UTF-8 (the locale's codeset). */
bool bar_utf8(void);

/* A bar of value against max in exactly cells cells: filled from the left
 * in eighths of a cell ("█████▍   "; "#####    " in ASCII), blank for 0 or
 * a max of 0; any value above 0 shows at least its first step. out holds at
 * least cells * 3 + 1 bytes. */
char *bar_text(char *out, size_t n, double value, double max, int cells, bool utf8);

/* A sparkline of count values in exactly cells cells: the values are put in
 * cells groups (summed) when there are more of them, each group one of
 * eight heights against the largest ("▁▂▅█"; ".:-=+*#@" in ASCII), a
 * blank for none. */
char *spark_text(char *out, size_t n, const int64_t *values, int count, int cells, bool utf8);

#endif
