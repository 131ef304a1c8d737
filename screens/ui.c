#include "ui.h"

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <wchar.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "account.h"
#include "text.h"
#include "tz.h"
#include "util.h"

static const struct ui_action_info action_info[] = {
#define X(id, name, label, help) [ACTION_##id - ACTION_NONE] = { name, label, help },
	UI_ACTIONS(X)
#undef X
};

const struct ui_action_info *ui_action_info(enum ui_action a)
{
	if (a <= ACTION_NONE || a >= ACTION_COUNT)
		return NULL;
	return &action_info[a - ACTION_NONE];
}

/* Keys every screen understands unless its own keymap says otherwise. */
static const struct keybind global_binds[] = {
	{ 'q', ACTION_QUIT },       { '?', ACTION_HELP },          { KEY_F(1), ACTION_HELP },
	{ 27, ACTION_BACK },        { KEY_UP, ACTION_UP },         { 'k', ACTION_UP },
	{ KEY_DOWN, ACTION_DOWN },  { 'j', ACTION_DOWN },          { KEY_PPAGE, ACTION_PAGE_UP },
	{ KEY_NPAGE, ACTION_PAGE_DOWN }, { KEY_HOME, ACTION_FIRST }, { 'g', ACTION_FIRST },
	{ KEY_END, ACTION_LAST },   { 'G', ACTION_LAST },          { 'r', ACTION_REFRESH },
	{ 12 /* ^L */, ACTION_REDRAW },
};

/* From cobro.conf: consulted before any screen's keymap. */
static struct keybind *user_binds;
static int user_nbinds;

static volatile sig_atomic_t got_signal;

static void on_signal(int sig) { got_signal = sig; }

/* A crash must still leave a usable terminal. */
static void on_fatal(int sig)
{
	endwin();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void restore_terminal(void)
{
	if (!isendwin())
		endwin();
}

static enum ui_action lookup(const struct keybind *b, int n, int key)
{
	for (int i = 0; i < n; i++)
		if (b[i].key == key)
			return b[i].action;
	return ACTION_NONE;
}

static const struct screen_ops *top_ops(struct ui *ui) { return ui->stack[ui->depth - 1].ops; }

static enum ui_action key_action(struct ui *ui, int key)
{
	const struct keymap *km = top_ops(ui)->keymap;
	enum ui_action a = lookup(user_binds, user_nbinds, key);

	if (a == ACTION_NONE && km)
		a = lookup(km->binds, km->count, key);
	return a != ACTION_NONE ? a : lookup(global_binds, (int)ARRAY_SIZE(global_binds), key);
}

int ui_key_for(const struct screen_ops *ops, enum ui_action a)
{
	const struct keymap *km = ops->keymap;

	for (int i = 0; i < user_nbinds; i++)
		if (user_binds[i].action == a)
			return user_binds[i].key;
	for (int i = 0; km && i < km->count; i++)
		if (km->binds[i].action == a)
			return km->binds[i].key;
	for (size_t i = 0; i < ARRAY_SIZE(global_binds); i++)
		if (global_binds[i].action == a)
			return global_binds[i].key;
	return -1;
}

static const struct {
	const char *name;
	int key;
} key_names[] = {
	{ "Enter", '\n' }, { "Esc", 27 },         { "Tab", '\t' },        { "Space", ' ' },
	{ "Up", KEY_UP },   { "Down", KEY_DOWN }, { "PgUp", KEY_PPAGE }, { "PgDn", KEY_NPAGE },
	{ "Home", KEY_HOME }, { "End", KEY_END }, { "Left", KEY_LEFT }, { "Right", KEY_RIGHT },
};

const char *ui_key_name(int key, char *buf, size_t n)
{
	if (key == KEY_ENTER)
		key = '\n';
	for (size_t i = 0; i < ARRAY_SIZE(key_names); i++)
		if (key_names[i].key == key) {
			snprintf(buf, n, "%s", key_names[i].name);
			return buf;
		}
	if (key >= KEY_F(1) && key <= KEY_F(12))
		snprintf(buf, n, "F%d", key - KEY_F(0));
	else if (key > 0 && key < 32)
		snprintf(buf, n, "^%c", key + '@');
	else if (key > 32 && key < 127)
		snprintf(buf, n, "%c", key);
	else
		snprintf(buf, n, "%s", keyname(key) ? keyname(key) : "?");
	return buf;
}


int ui_key_parse(const char *name)
{
	if (name[0] && !name[1] && name[0] > ' ' && name[0] < 127)
		return name[0];
	if (name[0] == '^' && name[1] >= '@' && name[1] <= '_' && !name[2])
		return name[1] - '@';
	if (name[0] == 'F' && name[1] >= '1' && name[1] <= '9') {
		int n = atoi(name + 1);

		if (n >= 1 && n <= 12)
			return KEY_F(n);
	}
	for (size_t i = 0; i < ARRAY_SIZE(key_names); i++)
		if (strcmp(name, key_names[i].name) == 0)
			return key_names[i].key;
	return -1;
}

bool ui_keys_configure(const struct cobro_conf *conf, char *err, size_t errlen)
{
	free(user_binds);
	user_binds = conf->nkeys ? xcalloc((size_t)conf->nkeys, sizeof *user_binds) : NULL;
	user_nbinds = 0;
	for (int i = 0; i < conf->nkeys; i++) {
		const struct conf_key *k = &conf->keys[i];
		enum ui_action a = ACTION_NONE;
		int key = ui_key_parse(k->key);

		for (int j = ACTION_NONE + 1; j < ACTION_COUNT; j++)
			if (strcmp(ui_action_info((enum ui_action)j)->name, k->action) == 0)
				a = (enum ui_action)j;
		if (a == ACTION_NONE) {
			snprintf(err, errlen, "%s:%d: keys.%s: no action of that name (cobro(1) lists them)",
			         conf->path, k->line, k->action);
			return false;
		}
		if (key < 0) {
			snprintf(err, errlen, "%s:%d: keys.%s: \"%s\" is not a key (a character, ^X, F1-F12, "
			         "Enter, Esc, Tab, Space, Up, Down, Left, Right, PgUp, PgDn, Home, End)",
			         conf->path, k->line, k->action, k->key);
			return false;
		}
		user_binds[user_nbinds++] = (struct keybind){ key, a };
	}
	return true;
}

void ui_print_keys(FILE *out)
{
	const struct screen_ops *const screens[] = { &worklist_screen, &account_screen, &send_screen, &help_screen };
	char key[16];

	for (size_t i = 0; i < ARRAY_SIZE(screens); i++)
		for (int a = ACTION_NONE + 1; a < ACTION_COUNT; a++) {
			int k = ui_key_for(screens[i], (enum ui_action)a);

			if (k >= 0)
				fprintf(out, "%s\t%s\t%s\t%s\n", screens[i]->name, ui_key_name(k, key, sizeof key),
				        ui_action_info((enum ui_action)a)->name, ui_action_info((enum ui_action)a)->help);
		}
}

/* "19:00" today, "Mon 07:00" within a week, else the date, in the debtor's zone. */
int64_t ui_now(void)
{
	return policy_now();
}

void ui_verdict(char *out, size_t n, const struct policy_verdict *v, const struct tz *z)
{
	char when[32];

	if (v->allowed && v->until) {
		ui_when(when, sizeof when, z, v->until);
		snprintf(out, n, _("allowed until %s"), when);
	} else if (v->allowed) {
		snprintf(out, n, "%s", _("allowed"));
	} else if (v->next) {
		ui_when(when, sizeof when, z, v->next);
		snprintf(out, n, _("refused %s, next %s"), policy_rule_id(v->rule), when);
	} else {
		snprintf(out, n, _("refused %s"), policy_rule_id(v->rule));
	}
}

void ui_when(char *out, size_t n, const struct tz *z, int64_t t)
{
	static const char *const days[] = { N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun") };
	struct civil c, now;

	tz_local(z, t, &c);
	tz_local(z, ui_now(), &now);
	if (c.year == now.year && c.month == now.month && c.day == now.day)
		snprintf(out, n, "%02d:%02d", c.hour, c.min);
	else if (t - ui_now() < 6 * 86400)
		snprintf(out, n, "%s %02d:%02d", _(days[c.wday]), c.hour, c.min);
	else
		snprintf(out, n, "%04d-%02d-%02d %02d:%02d", c.year, c.month, c.day, c.hour, c.min);
}

void ui_status(struct ui *ui, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->status, sizeof ui->status, fmt, ap);
	va_end(ap);
	ui->status_error = error;
	ui->status_depth = ui->depth;
}

void ui_color_on(struct ui *ui, WINDOW *w, enum ui_color c)
{
	if (ui->color)
		wattron(w, COLOR_PAIR(c));
	/* Without colour the meaning still shows, as an attribute. */
	if (c == COLOR_SELECTED || c == COLOR_TITLE)
		wattron(w, A_REVERSE);
	else if (c == COLOR_ERROR || c == COLOR_OVERDUE || c == COLOR_PROMISE_BROKEN || c == COLOR_HEADER ||
	         c == COLOR_BAR_KEY)
		wattron(w, A_BOLD);
	else if (c == COLOR_DIM && !ui->color)
		wattron(w, A_DIM);
}

void ui_color_off(struct ui *ui, WINDOW *w, enum ui_color c)
{
	(void)c;
	(void)ui;
	wattrset(w, A_NORMAL);
}

void ui_put(WINDOW *w, int y, int x, int cols, const char *s)
{
	char cell[1024];

	if (cols <= 0)
		return;
	text_fit(cell, sizeof cell, s, cols, 1);
	mvwaddstr(w, y, x, cell);
}

void ui_put_right(WINDOW *w, int y, int x, int cols, const char *s)
{
	int width = text_width(s);

	if (width >= cols) {
		ui_put(w, y, x, cols, s);
		return;
	}
	mvwprintw(w, y, x, "%*s", cols - width, "");
	ui_put(w, y, x + cols - width, width, s);
}

static void init_colors(struct ui *ui)
{
	ui->color = ui->conf->color && !getenv("NO_COLOR") && has_colors();
	if (!ui->color)
		return;
	start_color();
	use_default_colors();
	init_pair(COLOR_NORMAL, -1, -1);
	init_pair(COLOR_TITLE, COLOR_BLACK, COLOR_CYAN);
	init_pair(COLOR_BAR_KEY, COLOR_WHITE, -1);
	init_pair(COLOR_BAR_LABEL, COLOR_BLACK, COLOR_CYAN);
	init_pair(COLOR_SELECTED, COLOR_BLACK, COLOR_CYAN);
	init_pair(COLOR_HEADER, COLOR_GREEN, -1);
	init_pair(COLOR_ERROR, COLOR_RED, -1);
	init_pair(COLOR_INFO, COLOR_CYAN, -1);
	init_pair(COLOR_OVERDUE, COLOR_RED, -1);
	init_pair(COLOR_PROMISE_KEPT, COLOR_GREEN, -1);
	init_pair(COLOR_PROMISE_BROKEN, COLOR_MAGENTA, -1);
	init_pair(COLOR_PROMISE_PENDING, COLOR_YELLOW, -1);
	init_pair(COLOR_DIM, COLOR_BLUE, -1);
}

static void draw_title(struct ui *ui)
{
	char left[256], right[512];
	int rw;

	snprintf(left, sizeof left, " cobro \xc2\xb7 %s", _(top_ops(ui)->title));
	snprintf(right, sizeof right, "%s (%s%s%s) ", ui->me.name, ui->me.login, ui->me.team[0] ? ", " : "",
	         ui->me.team);
	ui_color_on(ui, stdscr, COLOR_TITLE);
	rw = text_width(right);
	ui_put(stdscr, 0, 0, COLS, left);
	if (rw < COLS - text_width(left))
		ui_put(stdscr, 0, COLS - rw, rw, right);
	ui_color_off(ui, stdscr, COLOR_TITLE);
}

/* htop style: key in plain, label on a coloured field. */
static void draw_keybar(struct ui *ui)
{
	const struct keymap *km = top_ops(ui)->keymap;
	static const char *const fallback[] = { "help", "back", "quit", NULL };
	const char *const *bar = km && km->bar ? km->bar : fallback;
	int x = 0, y = LINES - 1;
	char key[16];

	move(y, 0);
	clrtoeol();
	for (; *bar && x < COLS; bar++) {
		enum ui_action a = ACTION_NONE;
		const char *label;
		int k;

		for (int i = ACTION_NONE + 1; i < ACTION_COUNT; i++)
			if (strcmp(ui_action_info((enum ui_action)i)->name, *bar) == 0)
				a = (enum ui_action)i;
		k = ui_key_for(top_ops(ui), a);
		if (a == ACTION_NONE || k < 0)
			continue;
		ui_key_name(k, key, sizeof key);
		label = ui_action_info(a)->label;
		ui_color_on(ui, stdscr, COLOR_BAR_KEY);
		ui_put(stdscr, y, x, (int)strlen(key), key);
		ui_color_off(ui, stdscr, COLOR_BAR_KEY);
		x += (int)strlen(key);
		ui_color_on(ui, stdscr, COLOR_BAR_LABEL);
		ui_put(stdscr, y, x, text_width(_(label)) + 1 < COLS - x ? text_width(_(label)) + 1 : COLS - x,
		       _(label));
		ui_color_off(ui, stdscr, COLOR_BAR_LABEL);
		x += text_width(_(label)) + 2;
	}
}

static void draw_status(struct ui *ui)
{
	move(LINES - 2, 0);
	clrtoeol();
	if (ui->offline) {
		char msg[256];

		snprintf(msg, sizeof msg, _("Database connection lost: reconnecting (attempt %d)..."), ui->retries);
		ui_color_on(ui, stdscr, COLOR_ERROR);
		ui_put(stdscr, LINES - 2, 0, COLS, msg);
		ui_color_off(ui, stdscr, COLOR_ERROR);
		return;
	}
	ui_color_on(ui, stdscr, ui->status_error ? COLOR_ERROR : COLOR_INFO);
	ui_put(stdscr, LINES - 2, 0, COLS, ui->status);
	ui_color_off(ui, stdscr, COLOR_INFO);
}

void ui_prompt_open(struct ui *ui, const char *label, const char *initial, ui_prompt_done done, void *state)
{
	struct ui_prompt *p = &ui->prompt;

	memset(p, 0, sizeof *p);
	p->active = true;
	snprintf(p->label, sizeof p->label, "%s", label);
	snprintf(p->text, sizeof p->text, "%s", initial ? initial : "");
	p->len = strlen(p->text);
	p->done = done;
	p->state = state;
	curs_set(1);
}

void ui_menu_open(struct ui *ui, const char *title, const char *const *items, int count, ui_menu_done done,
                  void *state)
{
	struct ui_menu *m = &ui->menu;

	memset(m, 0, sizeof *m);
	m->active = true;
	snprintf(m->title, sizeof m->title, "%s", title);
	m->count = count < 16 ? count : 16;
	for (int i = 0; i < m->count; i++)
		m->items[i] = items[i];
	m->done = done;
	m->state = state;
}

static void prompt_close(struct ui *ui)
{
	ui->prompt.active = false;
	curs_set(0);
}

/* Keys while a prompt is open: UTF-8 text in, Backspace out, Enter submits,
 * Esc cancels, ^U clears. */
static void prompt_key(struct ui *ui, int is_key, wint_t wc)
{
	struct ui_prompt *p = &ui->prompt;

	if (!is_key && (wc == '\n' || wc == '\r')) {
		char text[sizeof p->text];

		snprintf(text, sizeof text, "%s", p->text);
		p->error[0] = '\0';
		if (p->done(ui, p->state, text))
			prompt_close(ui);
	} else if (!is_key && wc == 27) {
		prompt_close(ui);
		ui_status(ui, false, "%s", _("Cancelled"));
	} else if ((is_key && wc == KEY_BACKSPACE) || (!is_key && (wc == 127 || wc == 8))) {
		while (p->len > 0 && ((unsigned char)p->text[--p->len] & 0xc0) == 0x80)
			;
		p->text[p->len] = '\0';
	} else if (!is_key && wc == 21) { /* ^U */
		p->len = 0;
		p->text[0] = '\0';
	} else if (!is_key && wc != 127) {
		/* Other control characters go in too (a paste may carry them), so
		 * that the screen can say what is wrong instead of dropping them. */
		char mb[MB_LEN_MAX];
		mbstate_t ps = { 0 };
		size_t n = wcrtomb(mb, (wchar_t)wc, &ps);

		if (n != (size_t)-1 && p->len + n < sizeof p->text) {
			memcpy(p->text + p->len, mb, n);
			p->len += n;
			p->text[p->len] = '\0';
		}
	}
}

static void menu_key(struct ui *ui, int is_key, wint_t wc)
{
	struct ui_menu *m = &ui->menu;
	int choice = -1;

	if (!is_key && wc == 27) {
		m->active = false;
		ui_status(ui, false, "%s", _("Cancelled"));
		return;
	}
	if (!is_key && wc >= '1' && wc <= '9')
		choice = (int)wc - '1';
	if (choice >= 0 && choice < m->count) {
		m->active = false;
		m->done(ui, m->state, choice);
	}
}

static void draw_prompt(struct ui *ui)
{
	struct ui_prompt *p = &ui->prompt;
	char visible[sizeof p->text];
	int lw = text_width(p->label) + 1, tw, room = COLS - lw - 1;
	const char *shown = visible;

	/* Control characters show as "?" rather than moving the cursor around. */
	for (size_t i = 0; i <= p->len; i++)
		visible[i] = p->text[i] && (unsigned char)p->text[i] < ' ' ? '?' : p->text[i];
	tw = text_width(visible);

	if (p->error[0]) {
		move(LINES - 3, 0);
		clrtoeol();
		ui_color_on(ui, stdscr, COLOR_ERROR);
		ui_put(stdscr, LINES - 3, 0, COLS, p->error);
		ui_color_off(ui, stdscr, COLOR_ERROR);
	}
	move(LINES - 2, 0);
	clrtoeol();
	ui_color_on(ui, stdscr, COLOR_HEADER);
	ui_put(stdscr, LINES - 2, 0, lw < COLS ? lw : COLS, p->label);
	ui_color_off(ui, stdscr, COLOR_HEADER);
	/* Long text scrolls: the end, where the cursor is, stays in view. */
	while (tw > room && *shown) {
		shown++;
		while (((unsigned char)*shown & 0xc0) == 0x80)
			shown++;
		tw = text_width(shown);
	}
	if (room > 0)
		ui_put(stdscr, LINES - 2, lw, room, shown);
	move(LINES - 2, lw + tw < COLS ? lw + tw : COLS - 1);
}

static void draw_menu(struct ui *ui)
{
	struct ui_menu *m = &ui->menu;
	int w = text_width(m->title) + 4, h = m->count + 4, y, x;

	for (int i = 0; i < m->count; i++)
		if (text_width(_(m->items[i])) + 8 > w)
			w = text_width(_(m->items[i])) + 8;
	if (w > COLS)
		w = COLS;
	if (h > LINES - 2)
		h = LINES - 2;
	y = (LINES - h) / 2;
	x = (COLS - w) / 2;
	for (int r = 0; r < h; r++)
		mvhline(y + r, x, ' ', w);
	ui_color_on(ui, stdscr, COLOR_TITLE);
	ui_put(stdscr, y, x, w, m->title);
	ui_color_off(ui, stdscr, COLOR_TITLE);
	for (int i = 0; i < m->count && 2 + i < h - 1; i++) {
		char line[160];

		snprintf(line, sizeof line, " %d  %s", i + 1, _(m->items[i]));
		ui_put(stdscr, y + 2 + i, x + 1, w - 2, line);
	}
	ui_color_on(ui, stdscr, COLOR_DIM);
	ui_put(stdscr, y + h - 1, x + 1, w - 2, _("Esc cancels"));
	ui_color_off(ui, stdscr, COLOR_DIM);
}

static void draw(struct ui *ui)
{
	const struct screen_ops *ops = top_ops(ui);
	int rows = LINES - 3;

	erase();
	draw_title(ui);
	if (rows > 0) {
		WINDOW *body = derwin(stdscr, rows, COLS, 1, 0);

		if (body) {
			ops->draw(ui, ui->stack[ui->depth - 1].state, body, rows, COLS);
			delwin(body);
		}
	}
	draw_status(ui);
	draw_keybar(ui);
	if (ui->menu.active)
		draw_menu(ui);
	if (ui->prompt.active)
		draw_prompt(ui);
	refresh();
}

void ui_push(struct ui *ui, const struct screen_ops *ops, void *arg)
{
	if (ui->depth == UI_MAX_DEPTH)
		return;
	ui->stack[ui->depth].ops = ops;
	ui->stack[ui->depth].state = NULL;
	ui->depth++;
	ui->stack[ui->depth - 1].state = ops->enter ? ops->enter(ui, arg) : NULL;
}

void ui_pop(struct ui *ui)
{
	const struct screen_ops *ops;

	if (ui->depth == 0)
		return;
	ops = top_ops(ui);
	if (ops->leave)
		ops->leave(ui, ui->stack[ui->depth - 1].state);
	ui->depth--;
	if (ui->status_depth > ui->depth) {
		ui->status[0] = '\0';
		ui->status_error = false;
	}
	if (ui->depth == 0)
		ui->quit = true;
}

static void handle_action(struct ui *ui, int key_or_action)
{
	enum ui_action a = (enum ui_action)key_or_action;
	const struct screen_ops *ops = top_ops(ui);
	enum ui_reaction r = ops->action ? ops->action(ui, ui->stack[ui->depth - 1].state, a) : UI_UNHANDLED;

	if (r != UI_UNHANDLED)
		return;
	switch (a) {
	case ACTION_QUIT:
		ui->quit = true;
		break;
	case ACTION_BACK:
		if (ui->depth > 1)
			ui_pop(ui);
		break;
	case ACTION_HELP:
		if (ops != &help_screen)
			ui_push(ui, &help_screen, (void *)ops);
		break;
	case ACTION_REDRAW:
		clearok(curscr, TRUE);
		break;
	default:
		break;
	}
}

static void notify_all(struct ui *ui, const char *channel, const char *payload)
{
	/* Every screen on the stack: the ones underneath reload too, so that
	 * going back shows the truth. */
	for (int i = ui->depth - 1; i >= 0; i--)
		if (ui->stack[i].ops->notify)
			ui->stack[i].ops->notify(ui, ui->stack[i].state, channel, payload);
}

static bool listen_all(struct db *db)
{
	return db_cmd(db, "LISTEN cobro_account") && db_cmd(db, "LISTEN cobro_lease") &&
	       db_cmd(db, "LISTEN cobro_policy");
}

/* Takes the oldest job off the queue and runs it. One at a time off the
 * front: a job may ask for more work later. */
static void run_oldest(struct ui *ui)
{
	struct ui_later job = ui->later[0];

	memmove(ui->later, ui->later + 1, sizeof ui->later[0] * (size_t)--ui->nlater);
	job.fn(ui, job.arg);
}

void ui_later(struct ui *ui, void (*fn)(struct ui *ui, long long arg), long long arg)
{
	if (ui->nlater == UI_LATER_MAX)
		run_oldest(ui);
	ui->later[ui->nlater].fn = fn;
	ui->later[ui->nlater].arg = arg;
	ui->nlater++;
	ui->later_at = 0; /* set once the screen is painted */
}

static void run_later(struct ui *ui)
{
	while (ui->nlater > 0)
		run_oldest(ui);
	ui->later_at = 0;
}

double ui_clock(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void ui_wake(struct ui *ui, double at)
{
	if (at <= 0)
		at = 1e-9; /* 0 means none */
	if (!ui->wake_at || at < ui->wake_at)
		ui->wake_at = at;
}

/* How long the loop may wait for the keyboard or the database: until the
 * next tick, the moment a screen asked to be woken, or the work put off
 * after a paint, in ms. */
static int wait_ms(const struct ui *ui, double next_tick)
{
	double until = ui->wake_at && ui->wake_at < next_tick ? ui->wake_at : next_tick, now = ui_clock();

	if (ui->nlater > 0 && ui->later_at && ui->later_at < until)
		until = ui->later_at;

	return until <= now ? 0 : (int)((until - now) * 1000) + 1;
}

const struct policy *ui_policy(struct ui *ui)
{
	char err[256];

	/* Asked once per version: a database with no policy loaded is not
	 * asked again on every reload, only after cobro_policy or a reconnect. */
	if (!ui->policy_asked && !ui->offline) {
		policy_store_current(ui->db, &ui->policy, err, sizeof err); /* zeroed when none */
		ui->policy_asked = true;
	}
	return ui->policy.policy;
}

static void drop_policy(struct ui *ui)
{
	if (ui->policy.policy)
		stored_policy_free(&ui->policy);
	ui->policy_asked = false;
}

/* One reconnection attempt; the loop calls it about once a second while the
 * connection is down. What was on screen stays; screens reload after. */
static void try_reconnect(struct ui *ui)
{
	ui->retries++;
	PQreset(ui->db->conn);
	if (PQstatus(ui->db->conn) != CONNECTION_OK || !listen_all(ui->db))
		return;
	ui->offline = false;
	drop_policy(ui); /* a version may have come while away */
	ui_status(ui, false, _("Reconnected after %d attempts"), ui->retries);
	ui->retries = 0;
	notify_all(ui, UI_NOTIFY_RECONNECTED, "");
}

static void check_connection(struct ui *ui)
{
	if (!ui->offline && PQstatus(ui->db->conn) == CONNECTION_BAD) {
		ui->offline = true;
		ui->retries = 0;
	}
}

void ui_request(struct ui *ui, enum ui_action a)
{
	if (ui->depth > 0)
		handle_action(ui, a);
}

/* Notifications libpq already holds: our own statements read them off the
 * socket along with their results, so poll() would never wake for them. */
static void deliver_notifies(struct ui *ui)
{
	PGnotify *n;

	while ((n = PQnotifies(ui->db->conn))) {
		if (!strcmp(n->relname, "cobro_policy"))
			drop_policy(ui); /* a new version: the screens load it on use */
		ui->notify_own = n->be_pid == PQbackendPID(ui->db->conn);
		notify_all(ui, n->relname, n->extra);
		ui->notify_own = false;
		PQfreemem(n);
	}
}

static void drain_notifies(struct ui *ui)
{
	if (!PQconsumeInput(ui->db->conn)) {
		check_connection(ui);
		return;
	}
	deliver_notifies(ui);
}

/* Waits for the keyboard or the database, up to ms. The signals that stop us
 * are blocked everywhere else and let in only here, atomically (ppoll): one
 * that came while we were busy (say, in a statement) is taken now, instead of
 * after a wait it would have no reason to end. */
static int wait_input(struct pollfd *fds, nfds_t n, int ms, const sigset_t *waiting)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 };
	sigset_t blocked;
	int ready = ppoll(fds, n, &ts, waiting), e = errno;

	/* ppoll() delivers a pending signal only when it has to wait. With input
	 * ready at once (and a hung-up terminal is always ready) the signal would
	 * stay pending for good: unblocking it for a moment delivers it. */
	sigprocmask(SIG_SETMASK, waiting, &blocked);
	sigprocmask(SIG_SETMASK, &blocked, NULL);
	errno = e;
	return ready;
}

/* The terminal is gone (hung up, closed): nobody is left to work. */
static bool terminal_gone(const struct pollfd *keyboard)
{
	return keyboard->revents & (POLLHUP | POLLERR | POLLNVAL);
}

/* Whether the keyboard has bytes curses has not read yet. */
bool ui_keys_waiting(void)
{
	struct pollfd p = { .fd = 0, .events = POLLIN };

	return poll(&p, 1, 0) > 0;
}

bool ui_resting(const struct ui *ui, double pause)
{
	return ui_clock() - ui->key_at >= pause && !ui_keys_waiting();
}

int ui_run(struct db *db, const struct cobro_conf *conf, const struct whoami *me)
{
	struct ui ui = { .db = db, .me = *me, .conf = conf };
	struct sigaction sa = { .sa_handler = on_signal };
	int fatal[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	bool warm = false;
	sigset_t stop, waiting;
	double next_tick;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGHUP);
	sigprocmask(SIG_BLOCK, &stop, &waiting);
	for (size_t i = 0; i < ARRAY_SIZE(fatal); i++)
		signal(fatal[i], on_fatal);
	die_hook = restore_terminal;
	atexit(restore_terminal);

	{
		char err[512];

		if (!ui_keys_configure(conf, err, sizeof err))
			die("%s", err);
	}
	/* ESC alone must answer at once, not after the default second. */
	if (!getenv("ESCDELAY"))
		set_escdelay(25);
	if (!initscr())
		die("cannot initialise the terminal");
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	/* No typeahead check in the middle of a repaint: with it, curses flushes
	 * and polls the keyboard line by line, some forty writes per screen. One
	 * write per repaint instead; keys that are already waiting skip the
	 * repaint in the loop below, which is what the check was for. */
	typeahead(-1);
	curs_set(0);
	init_colors(&ui);
	/* ncurses 6.4 flushes the terminal after every cursor movement until
	 * the screen has once been left and taken back (_nc_mvcur() tests for
	 * ewInitial): a repaint went out as forty-odd writes, each of which the
	 * terminal has to wake up for. Leaving and taking it back now, before
	 * anything is drawn, makes a repaint one write. */
	endwin();
	refresh();

	if (!listen_all(db))
		die("cannot listen for changes: %s", db->err);
	ui_push(&ui, &worklist_screen, NULL);
	/* The tick keeps its time whatever else wakes the loop: keys and other
	 * people's changes come more often than every 30 s on a busy day, and
	 * the leases it renews must not run out meanwhile. */
	next_tick = ui_clock() + UI_TICK_SECONDS;
	while (!ui.quit && !got_signal) {
		struct pollfd fds[2] = { { .fd = 0, .events = POLLIN }, { .fd = PQsocket(db->conn), .events = POLLIN } };
		bool dirty = false;
		wint_t wc;
		int kind;

		check_connection(&ui);
		if (!ui.offline)
			deliver_notifies(&ui);
		draw(&ui);
		if (!warm && !ui.offline) {
			const struct screen_ops *top = ui.stack[ui.depth - 1].ops;

			if (top->idle)
				top->idle(&ui, ui.stack[ui.depth - 1].state);
			warm = true;
		}
		/* curses may already hold keys it read ahead: take those before polling. */
		while (!ui.quit && (kind = get_wch(&wc)) != ERR) {
			bool is_key = kind == KEY_CODE_YES;

			ui.key_at = ui_clock();
			run_later(&ui); /* what the last key put off comes before this one */
			if (is_key && wc == KEY_RESIZE) {
				/* ncurses has resized its idea of the screen: lay out anew. */
				clearok(curscr, TRUE);
				draw(&ui);
				continue;
			}
			if (ui.prompt.active)
				prompt_key(&ui, is_key, wc);
			else if (ui.menu.active)
				menu_key(&ui, is_key, wc);
			else if (is_key || wc < 128) /* a letter like ą is no key code */
				handle_action(&ui, key_action(&ui, (int)wc));
			if (ui.quit)
				break;
			check_connection(&ui);
			if (!ui.offline)
				deliver_notifies(&ui);
			/* A held key: paint once the keys waiting are handled. */
			dirty = ui_keys_waiting();
			if (!dirty)
				draw(&ui);
		}
		if (ui.quit)
			break;
		if (dirty)
			draw(&ui);
		/* Painted: the work that could wait runs UI_AFTER_PAINT from now,
		 * unless a key comes first (it runs before the key, above). */
		if (ui.nlater > 0 && !ui.later_at)
			ui.later_at = ui_clock() + UI_AFTER_PAINT;
		if (ui.offline) {
			/* Keys still work while we wait; retry about once a second. */
			if (wait_input(fds, 1, 1000, &waiting) == 0)
				try_reconnect(&ui);
			else if (terminal_gone(&fds[0]))
				ui.quit = true;
			continue;
		}
		switch (wait_input(fds, 2, wait_ms(&ui, next_tick), &waiting)) {
		case -1:
			if (errno != EINTR)
				ui.quit = true;
			break;
		case 0:
			break;
		default:
			if (terminal_gone(&fds[0]))
				ui.quit = true;
			if (fds[1].revents & (POLLIN | POLLHUP | POLLERR))
				drain_notifies(&ui);
		}
		if (ui.quit)
			break;
		if (ui_clock() >= next_tick) {
			next_tick = ui_clock() + UI_TICK_SECONDS;
			notify_all(&ui, UI_NOTIFY_TICK, "");
		}
		if (ui.wake_at && ui_clock() >= ui.wake_at) {
			ui.wake_at = 0;
			notify_all(&ui, UI_NOTIFY_DUE, "");
		}
		if (ui.nlater > 0 && ui.later_at && ui_clock() >= ui.later_at && !ui_keys_waiting())
			run_later(&ui);
	}
	while (ui.depth > 0)
		ui_pop(&ui);
	run_later(&ui);
	drop_policy(&ui);
	endwin();
	die_hook = NULL;
	sigprocmask(SIG_SETMASK, &waiting, NULL);
	if (got_signal && got_signal != SIGINT) {
		fprintf(stderr, "cobro: stopped by signal %d\n", (int)got_signal);
		return 128 + got_signal;
	}
	return 0;
}
