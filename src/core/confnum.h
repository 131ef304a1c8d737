#ifndef COBRO_CONFNUM_H
#define COBRO_CONFNUM_H

#include <stdbool.h>
#include <stddef.h>

/* Whether every number in the libconfig text holds as written (libconfig
 * 1.5 silently turns 9999999999 into 1410065407 and 99999999999999999999
 * into -1). If not, false and "NAME:LINE: setting: NUMBER is too large a
 * number (at most 2147483647)" in err. Every reader of a libconfig file
 * calls it before libconfig sees the text. */
bool conf_numbers_check(const char *text, const char *name, char *err, size_t errlen);

#endif
