/* The one-line prompt: a line of text typed on the status line (a search, a
 * note, a time), its label before it and, when the screen refuses what was
 * typed, the reason on the line above, with what was typed kept. */
#ifndef COBRO_PROMPT_H
#define COBRO_PROMPT_H

#include <curses.h>
#include <stdbool.h>
#include <wchar.h>

#include "layout.h"

struct ui;

/* Called with the text on Enter: true takes it (the prompt closes); false
 * keeps the prompt open, with what was typed and the message given to
 * prompt_say() beside it. */
typedef bool (*ui_prompt_done)(struct ui *ui, void *state, const char *text);

struct prompt {
	bool active;
	char label[128];
	char text[8192];
	char error[256];
	ui_prompt_done done;
	void *state;
};

void prompt_open(struct prompt *p, const char *label, const char *initial, ui_prompt_done done, void *state);
void prompt_close(struct prompt *p);
/* Why what was typed will not do, said beside it. */
void prompt_say(struct prompt *p, const char *message);

enum prompt_key { PROMPT_TYPING, PROMPT_ENTER, PROMPT_CANCEL };
/* A key typed while the prompt is open: UTF-8 text in, Backspace out, ^U
 * clears, Enter submits, Esc cancels. */
enum prompt_key prompt_key(struct prompt *p, bool is_key, wint_t wc);

/* Paints the prompt on the frame's status line (and its message above),
 * and leaves the cursor where typing goes. */
void prompt_draw(const struct prompt *p, const struct frame *f);

#endif
