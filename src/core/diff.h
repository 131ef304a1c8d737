/* A line diff, for the record of what changed between two texts (policy versions). */
#ifndef COBRO_DIFF_H
#define COBRO_DIFF_H

/* Returns "-old line" / "+new line" for each line removed or added, in order,
 * with "@@ line N" before each run; "" when the texts are equal. Caller frees. */
char *diff_lines(const char *a, const char *b);

#endif
