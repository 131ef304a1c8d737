#include "form.h"

#include <stdio.h>

#include "field.h"
#include "intl.h"
#include "paint.h"

/* Enter: the first field up to this one whose text will not do is where the
 * person goes back to, with why; else on to the next, or done. */
static enum form_key enter(struct form *f)
{
	for (int i = 0; i <= f->at; i++) {
		const char *why = f->fields[i].check ? f->fields[i].check(f->fields[i].text) : NULL;

		if (why) {
			snprintf(f->fields[i].message, sizeof f->fields[i].message, "%s", why);
			f->at = i;
			return FORM_TYPING;
		}
		f->fields[i].message[0] = '\0';
	}
	if (f->at + 1 < f->n) {
		f->at++;
		return FORM_TYPING;
	}
	return FORM_DONE;
}

enum form_key form_key(struct form *f, bool is_key, wint_t wc)
{
	struct form_field *field = &f->fields[f->at];

	if (!is_key && wc == 3) /* ^C: the terminal is raw here */
		return FORM_CANCEL;
	switch (field_key(field->text, sizeof field->text, is_key, wc, false)) {
	case FIELD_ENTER: return enter(f);
	case FIELD_ESC: return FORM_CANCEL;
	case FIELD_CHANGED:
		/* Typing again answers the message. */
		field->message[0] = f->message[0] = '\0';
		return FORM_TYPING;
	case FIELD_OTHER: break;
	}
	if ((!is_key && wc == '\t') || (is_key && wc == KEY_DOWN))
		f->at = (f->at + 1) % f->n;
	else if (is_key && (wc == KEY_UP || wc == KEY_BTAB))
		f->at = (f->at + f->n - 1) % f->n;
	return FORM_TYPING;
}

void form_draw(const struct form *f, WINDOW *w, const struct form_layout *l)
{
	int input = l->x + l->label_w, room = l->w - l->label_w, cursor_x = input;

	for (int i = 0; i < f->n; i++) {
		const struct form_field *field = &f->fields[i];
		int y = l->field0 + i * l->step, shown_w;
		char shown[sizeof field->text * 2];

		shown_w = field_shown(shown, sizeof shown, field->text, room, field->secret);
		ui_put(w, y, l->x, l->label_w, _(field->label));
		if (i == f->at) {
			wattron(w, A_REVERSE);
			cursor_x = input + shown_w;
		}
		ui_put(w, y, input, room, shown);
		if (i == f->at)
			wattroff(w, A_REVERSE);
		if (field->message[0]) {
			wattron(w, A_BOLD);
			ui_put(w, y + 1, input, room, field->message);
			wattroff(w, A_BOLD);
		}
	}
	if (f->message[0]) {
		wattron(w, A_BOLD);
		ui_put(w, l->message, l->x, l->w, f->message);
		wattroff(w, A_BOLD);
	}
	wmove(w, l->field0 + f->at * l->step, cursor_x);
}
