#include "prompt.h"

#include <stdio.h>
#include <string.h>

#include "field.h"
#include "paint.h"
#include "text.h"

void prompt_open(struct prompt *p, const char *label, const char *initial, ui_prompt_done done, void *state)
{
	memset(p, 0, sizeof *p);
	p->active = true;
	snprintf(p->label, sizeof p->label, "%s", label);
	snprintf(p->text, sizeof p->text, "%s", initial ? initial : "");
	p->done = done;
	p->state = state;
	curs_set(1);
}

void prompt_close(struct prompt *p)
{
	p->active = false;
	curs_set(0);
}

void prompt_say(struct prompt *p, const char *message)
{
	snprintf(p->error, sizeof p->error, "%s", message);
}

enum prompt_key prompt_key(struct prompt *p, bool is_key, wint_t wc)
{
	switch (field_key(p->text, sizeof p->text, is_key, wc, true)) {
	case FIELD_ENTER: return PROMPT_ENTER;
	case FIELD_ESC: return PROMPT_CANCEL;
	default: return PROMPT_TYPING;
	}
}

void prompt_draw(const struct prompt *p, const struct frame *f)
{
	char shown[sizeof p->text];
	int lw = text_width(p->label) + 1, room = f->cols - lw, tw;

	if (p->error[0]) {
		move(f->prompt_error, 0);
		clrtoeol();
		ui_color_on(stdscr, COLOR_ERROR);
		ui_put(stdscr, f->prompt_error, 0, f->cols, p->error);
		ui_color_off(stdscr, COLOR_ERROR);
	}
	move(f->status, 0);
	clrtoeol();
	ui_color_on(stdscr, COLOR_HEADER);
	ui_put(stdscr, f->status, 0, lw < f->cols ? lw : f->cols, p->label);
	ui_color_off(stdscr, COLOR_HEADER);
	tw = field_shown(shown, sizeof shown, p->text, room, false);
	if (room > 1)
		ui_put(stdscr, f->status, lw, room - 1, shown);
	move(f->status, lw + tw < f->cols ? lw + tw : f->cols - 1);
}
