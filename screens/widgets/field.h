/* A line of text being typed, the part the prompt and the form share: UTF-8
 * in, Backspace takes out a character (not a byte), ^U clears, and what is
 * shown of it when it is longer than its place. */
#ifndef COBRO_FIELD_H
#define COBRO_FIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

enum field_key {
	FIELD_CHANGED, /* the text changed */
	FIELD_ENTER,
	FIELD_ESC,
	FIELD_OTHER,   /* a key that is not typing: the caller's (Tab, arrows) */
};

/* A key read with get_wch() (is_key: a KEY_ code) typed into text, a buffer
 * of size bytes; text that would not fit is not taken. controls: control
 * characters go in too (the prompt takes them, as a paste may carry them,
 * so that the screen can say what is wrong), or are dropped (a login). */
enum field_key field_key(char *text, size_t size, bool is_key, wint_t wc, bool controls);

/* What a field of cols cells shows of text: the end of it, where the
 * cursor is, in cols - 1 cells (the cursor takes the last), control
 * characters as "?", or as many "*" as it has characters when secret.
 * Returns the cells it takes: the cursor goes right after. */
int field_shown(char *out, size_t n, const char *text, int cols, bool secret);

#endif
