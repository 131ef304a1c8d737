/* A form: a few fields typed one after the other, each checked when the
 * person goes on, its message beside it, and what was typed kept. */
#ifndef COBRO_FORM_H
#define COBRO_FORM_H

#include <curses.h>
#include <stdbool.h>
#include <wchar.h>

#include "layout.h"

struct form_field {
	const char *label; /* marked N_(), translated when drawn */
	char text[128];
	bool secret;       /* shown as one "*" a character */
	/* NULL when the text will do, else why not, in words: said beside the
	 * field, which is where the person goes back to. NULL: anything goes. */
	const char *(*check)(const char *text);
	char message[256];
};

struct form {
	struct form_field *fields;
	int n;
	int at;            /* the field being typed in */
	char message[256]; /* about the whole form ("the user or the password is wrong") */
};

enum form_key { FORM_TYPING, FORM_DONE, FORM_CANCEL };

/* A key typed in the form: text goes into the field, Tab and Down go to the
 * next field, Up and Shift-Tab back, Enter checks the fields up to this one
 * and goes on (FORM_DONE from the last), Esc and ^C cancel. */
enum form_key form_key(struct form *f, bool is_key, wint_t wc);

/* Paints the fields where l puts them, the active one reversed, each message
 * on the line below its field, the form's message after the last, and
 * leaves the cursor where typing goes. */
void form_draw(const struct form *f, WINDOW *w, const struct form_layout *l);

#endif
