/* The screen manager: the loop and the stack (ui.h). */
#include "ui.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "bars.h"
#include "util.h"

/* What the workstation listens to: every change a screen shows, leases
 * changing hands, and new contact policy versions. */
static const char *const channels[] = { NOTIFY_ACCOUNT, NOTIFY_LEASE, NOTIFY_POLICY, NULL };
/* Those who see the dashboard hear who is where too; a collector would
 * only ask after changes whose rows are not hers to read
 * (functions/presence.sql). */
static const char *const team_channels[] = { NOTIFY_ACCOUNT, NOTIFY_LEASE, NOTIFY_POLICY, NOTIFY_PRESENCE, NULL };

static volatile sig_atomic_t got_signal;

/* The signals that end the program: taken in the loop (on_signal), which
 * then leaves curses as it always does. SIGQUIT (Ctrl-\) among them: its
 * default, a core dump, left the terminal in curses mode. */
static const int stop_signals[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM };
/* The ones after which nothing can be trusted: restored in the handler
 * itself, then the default action (a core dump). */
static const int fatal_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGSYS, SIGTRAP, SIGXCPU, SIGXFSZ };

static void on_signal(int sig) { got_signal = sig; }

/* What the fatal handler writes and sets, prepared while all is well:
 * curses' own endwin() is not safe in a signal handler (a crash inside
 * malloc or inside curses would deadlock it), write() and tcsetattr() are. */
static char restore_seq[256];
static size_t restore_len;
static struct termios shell_termios;
static bool have_shell_termios;

static void restore_add(const char *capname)
{
	const char *s = tigetstr(capname);
	size_t n;

	if (!s || s == (const char *)-1)
		return;
	n = strlen(s);
	if (restore_len + n < sizeof restore_seq) {
		memcpy(restore_seq + restore_len, s, n);
		restore_len += n;
	}
}

/* A crash must still leave a usable terminal: the alternate screen left,
 * the cursor shown, attributes and modes as the shell had them. */
static void on_fatal(int sig)
{
	int e = errno;

	if (restore_len)
		(void)!write(STDOUT_FILENO, restore_seq, restore_len);
	if (have_shell_termios)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &shell_termios);
	signal(sig, SIG_DFL);
	errno = e;
	raise(sig);
}

static void restore_terminal(void)
{
	if (!isendwin())
		endwin();
}

/* The saves that wait, for die(): the terminal restored, they are kept. */
static struct ui *dying;
static bool keep_saves(struct ui *ui);
static void flush_saves(struct ui *ui);

static void on_die(void)
{
	restore_terminal();
	if (dying)
		keep_saves(dying);
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

void ui_prompt_open(struct ui *ui, const char *label, const char *initial, ui_prompt_done done, void *state)
{
	prompt_open(&ui->prompt, label, initial, done, state);
}

void ui_menu_open(struct ui *ui, const char *title, const char *const *items, int count, ui_menu_done done,
                  void *state)
{
	menu_open(&ui->menu, title, items, count, done, state);
}

/* Screen i is laid out for the body as it is now (ops->layout), if it was
 * not yet: after it was opened, and after the terminal changed size. */
static void lay_out(struct ui *ui, int i)
{
	const struct screen_ops *ops = ui->stack[i].ops;

	if (!ops->layout || (ui->stack[i].rows == ui->frame.rows && ui->stack[i].cols == ui->frame.cols))
		return;
	ui->stack[i].rows = ui->frame.rows;
	ui->stack[i].cols = ui->frame.cols;
	ops->layout(ui, ui->stack[i].state, ui->frame.rows, ui->frame.cols);
}

/* The screen on top as it is to be seen: laid out, and resumed when it
 * came back into view. */
static void settle_top(struct ui *ui)
{
	int top = ui->depth - 1;

	if (ui->resumed) {
		ui->resumed = false;
		if (ui_top(ui)->resume)
			ui_top(ui)->resume(ui, ui->stack[top].state);
		top = ui->depth - 1; /* resuming may open or close screens */
	}
	lay_out(ui, top);
}

/* Paints the frame and the screen on top as they are. */
static void draw(struct ui *ui)
{
	const struct screen_ops *ops = ui_top(ui);

	erase();
	bars_title(&ui->frame, _(ops->title), &ui->me);
	if (ui->frame.rows > 0) {
		WINDOW *body = derwin(stdscr, ui->frame.rows, ui->frame.cols, ui->frame.body, 0);

		if (body) {
			ops->draw(ui, ui->stack[ui->depth - 1].state, body, ui->frame.rows, ui->frame.cols);
			delwin(body);
		}
	}
	{
		char msg[512], waiting[96] = "";

		/* What waits is said first: at 80 columns it is never cut off. */
		if (ui->saves.n > 0)
			snprintf(waiting, sizeof waiting, ngettext("%d waiting to be saved", "%d waiting to be saved",
			                                           (unsigned long)ui->saves.n), ui->saves.n);
		if (ui->offline)
			snprintf(msg, sizeof msg, _("Database connection lost: reconnecting (attempt %d)..."), ui->retries);
		else
			snprintf(msg, sizeof msg, "%s", ui->status);
		if (waiting[0]) {
			char both[640];

			snprintf(both, sizeof both, msg[0] ? "%s \xc2\xb7 %s" : "%s", waiting, msg);
			bars_status(&ui->frame, both, true);
		} else {
			bars_status(&ui->frame, msg, ui->offline || ui->status_error);
		}
	}
	bars_keys(&ui->frame, ops->keymap);
	if (ui->menu.active)
		menu_draw(&ui->menu, LINES, COLS);
	if (ui->prompt.active)
		prompt_draw(&ui->prompt, &ui->frame);
	refresh();
}

/* The screen on top brought up to date for being seen, then painted. */
static void repaint(struct ui *ui)
{
	settle_top(ui);
	draw(ui);
}

void ui_push(struct ui *ui, const struct screen_ops *ops, void *arg)
{
	if (ui->depth == UI_MAX_DEPTH)
		return;
	ui->stack[ui->depth].ops = ops;
	ui->stack[ui->depth].state = NULL;
	ui->stack[ui->depth].rows = ui->stack[ui->depth].cols = -1;
	ui->depth++;
	ui->resumed = false; /* the one under it was not seen */
	ui->stack[ui->depth - 1].state = ops->enter ? ops->enter(ui, arg) : NULL;
	/* Laid out at once: a key that comes before the first paint pages by
	 * the height the screen will have. */
	if (ui->stack[ui->depth - 1].ops == ops)
		lay_out(ui, ui->depth - 1);
}

void ui_pop(struct ui *ui)
{
	const struct screen_ops *ops;

	if (ui->depth == 0)
		return;
	ops = ui_top(ui);
	if (ops->leave)
		ops->leave(ui, ui->stack[ui->depth - 1].state);
	ui->depth--;
	if (ui->status_depth > ui->depth) {
		ui->status[0] = '\0';
		ui->status_error = false;
	}
	ui->resumed = ui->depth > 0;
	if (ui->depth == 0)
		ui->quit = true;
}

static void quit_chosen(struct ui *ui, void *state, int choice)
{
	(void)state;
	switch (choice) {
	case 0: /* keep them on disk and quit */
		if (keep_saves(ui))
			ui->quit = true;
		break;
	case 1: /* wait for the database, then quit */
		ui->quit_when_saved = true;
		ui_status(ui, false, "%s", _("cobro quits once everything is saved"));
		break;
	default: ui_status(ui, false, "%s", _("Cancelled")); break;
	}
}

/* q with saves waiting: they are not given up without asking. */
static void ask_quit(struct ui *ui)
{
	static const char *items[3];
	static char title[128];

	items[0] = _("Keep them on disk and quit");
	items[1] = _("Wait for the database, then quit");
	items[2] = _("Stay");
	snprintf(title, sizeof title, ngettext("%d waiting to be saved", "%d waiting to be saved",
	                                       (unsigned long)ui->saves.n), ui->saves.n);
	ui_menu_open(ui, title, items, 3, quit_chosen, NULL);
}

/* A screen opened by its key from any screen (SCREEN_KEYED): refused in
 * words to who may not; when it is open already, further down, the screens
 * above it go, rather than a second one on top. */
static void open_keyed(struct ui *ui, const struct screen_ops *ops)
{
	const char *why;

	if (!ops)
		return;
	if (ops->refused && (why = ops->refused(ui))) {
		ui_status(ui, true, "%s", why);
		return;
	}
	for (int i = ui->depth - 1; i >= 0; i--)
		if (ui->stack[i].ops == ops) {
			while (ui->depth > i + 1)
				ui_pop(ui);
			return;
		}
	ui_push(ui, ops, NULL);
}

/* Keys of the screens this person may not open are offered nowhere. */
static void hide_refused(struct ui *ui)
{
	for (int i = 0; i < ui->screens->count; i++) {
		const struct screen_ops *s = ui->screens->screens[i].ops;

		if (ui->screens->screens[i].role == SCREEN_KEYED && s->refused && s->refused(ui))
			ui_keys_hide(s->opened_by);
	}
}

/* Whether the person's role sees the team (the dashboard's presence news):
 * the database refuses a collector anyway. */
static bool team_role(const struct ui *ui)
{
	return strcmp(ui->me.role, "collector") != 0;
}

static void handle_action(struct ui *ui, enum ui_action a)
{
	const struct screen_ops *ops = ui_top(ui), *help;
	enum ui_reaction r;

	lay_out(ui, ui->depth - 1);
	r = ops->action ? ops->action(ui, ui->stack[ui->depth - 1].state, a) : UI_UNHANDLED;
	if (r != UI_UNHANDLED)
		return;
	switch (a) {
	case ACTION_QUIT:
		if (ui->saves.n > 0)
			ask_quit(ui);
		else
			ui->quit = true;
		break;
	case ACTION_BACK:
		if (ui->depth > 1)
			ui_pop(ui);
		break;
	case ACTION_HELP:
		help = screen_find(ui->screens, SCREEN_HELP);
		if (help && ops != help)
			ui_push(ui, help, (void *)ops);
		break;
	case ACTION_REDRAW:
		clearok(curscr, TRUE);
		break;
	default:
		open_keyed(ui, screen_keyed(ui->screens, a));
		break;
	}
}

void ui_request(struct ui *ui, enum ui_action a)
{
	if (ui->depth > 0)
		handle_action(ui, a);
}

/* A key while a prompt or a menu is open goes to it. */
static void prompt_key_in(struct ui *ui, bool is_key, wint_t wc)
{
	struct prompt *p = &ui->prompt;
	char text[sizeof p->text];

	switch (prompt_key(p, is_key, wc)) {
	case PROMPT_ENTER:
		snprintf(text, sizeof text, "%s", p->text);
		p->error[0] = '\0';
		if (p->done(ui, p->state, text))
			prompt_close(p);
		break;
	case PROMPT_CANCEL:
		prompt_close(p);
		ui_status(ui, false, "%s", _("Cancelled"));
		break;
	case PROMPT_TYPING: break;
	}
}

static void menu_key_in(struct ui *ui, bool is_key, wint_t wc)
{
	int choice;

	switch (menu_key(&ui->menu, is_key, wc, &choice)) {
	case MENU_CHOSEN: ui->menu.done(ui, ui->menu.state, choice); break;
	case MENU_CANCEL: ui_status(ui, false, "%s", _("Cancelled")); break;
	case MENU_WAITING: break;
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
	if (ui->changes_at && ui->changes_at < until)
		until = ui->changes_at;

	return until <= now ? 0 : (int)((until - now) * 1000) + 1;
}

const struct policy *ui_policy(struct ui *ui)
{
	char err[256];

	/* Asked once per version: a database with no policy loaded is not
	 * asked again on every reload, only after NOTIFY_POLICY or a reconnect. */
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
	if (!notify_reconnect(&ui->notify))
		return;
	ui->offline = false;
	drop_policy(ui); /* a version may have come while away */
	ui_status(ui, false,
		  ngettext("Reconnected after %d attempt", "Reconnected after %d attempts",
			   (unsigned long)ui->retries),
		  ui->retries);
	ui->retries = 0;
	flush_saves(ui); /* before the screens read again: they show what was saved */
	notify_all(ui, UI_NOTIFY_RECONNECTED, "");
}

static void check_connection(struct ui *ui)
{
	if (!ui->offline && PQstatus(ui->db->conn) == CONNECTION_BAD) {
		ui->offline = true;
		ui->retries = 0;
	}
}

/* Keeps the saves that wait in their file (an empty queue removes what
 * this run put or found there). False, and said, when they could not be
 * kept. */
static bool keep_saves(struct ui *ui)
{
	char err[512];

	if (!ui->saves_path[0]) {
		if (!ui->saves.n)
			return true;
		ui_status(ui, true, "%s", _("Nowhere to keep what waits to be saved (no HOME)"));
		return false;
	}
	if (!saves_keep(&ui->saves, &ui->saves_known, ui->saves_path, ui->me.login, err, sizeof err)) {
		ui_status(ui, true, _("Could not keep what waits: %s"), err);
		return false;
	}
	/* Ours from now on, whatever becomes of them: not another window's. */
	for (int i = 0; i < ui->saves.n; i++)
		saves_add(&ui->saves_known, &ui->saves.items[i]);
	return true;
}

/* What the database refused is not lost either: it is added to the file
 * beside the saves kept (LOGIN.refused, the same format), for the person or
 * their supervisor to read, and the status line says where. */
static void keep_refused(struct ui *ui, struct save_queue *refused, const char *why)
{
	char path[sizeof ui->saves_path + 16], err[512];
	struct save_queue all = { 0 };

	snprintf(path, sizeof path, "%s.refused", ui->saves_path);
	if (ui->saves_path[0])
		saves_read(&all, path, ui->me.login, err, sizeof err); /* an unreadable one is written over */
	for (int i = 0; i < refused->n; i++)
		saves_add(&all, &refused->items[i]);
	if (ui->saves_path[0] && saves_write(&all, path, ui->me.login, err, sizeof err))
		ui_status(ui, true, _("Not saved: %s (kept in %s)"), why, path);
	else
		ui_status(ui, true, _("Not saved: %s"), why);
	saves_free(&all);
}

/* Saves what waits, oldest first, until none is left or the database does
 * not answer. The file kept by an earlier run goes once all is saved. */
static void flush_saves(struct ui *ui)
{
	struct save_queue refused = { 0 };
	char why[sizeof ui->db->err] = "";
	int saved = 0, was = ui->saves.n;

	while (ui->saves.n > 0 && !ui->offline) {
		long long account;
		char id[24];
		enum save_result r = saves_first(&ui->saves, ui->db, &account);

		if (r == SAVE_LATER) {
			check_connection(ui);
			if (ui->offline)
				ui_status(ui, true, "%s", _("Not saved yet: it will be saved when the database is back"));
			break;
		}
		if (r == SAVE_REFUSED) {
			snprintf(why, sizeof why, "%s", ui->db->err);
			saves_take_first(&ui->saves, &refused);
			continue;
		}
		saved++;
		ui->own_changes = true;
		snprintf(id, sizeof id, "%lld", account);
		notify_all(ui, UI_NOTIFY_SAVED, id);
	}
	if (refused.n > 0) /* said, even when others were saved */
		keep_refused(ui, &refused, why);
	else if (saved > 0 && ui->saves.n == 0)
		ui_status(ui, false, "%s", _("Saved"));
	saves_free(&refused);
	if (ui->saves.n < was) {
		keep_saves(ui); /* what was saved leaves the file; none left, the file goes */
		if (ui->saves.n == 0 && ui->quit_when_saved)
			ui->quit = true;
	}
}

void ui_save(struct ui *ui, const struct save_item *it)
{
	saves_add(&ui->saves, it);
	if (!ui->offline && ui->saves.n == 1)
		flush_saves(ui);
	if (ui->saves.n == 0)
		return;
	/* Waiting (behind others, or for the database): on disk at once, so
	 * that not even a crash or a power cut loses it. */
	if (ui->offline)
		ui_status(ui, true, "%s", _("Not saved yet: it will be saved when the database is back"));
	keep_saves(ui);
}

/* The saves an earlier run kept on disk for this login, saved now. */
static void load_saves(struct ui *ui)
{
	char err[512];

	if (!saves_path(ui->saves_path, sizeof ui->saves_path, ui->me.login)) {
		ui->saves_path[0] = '\0';
		return;
	}
	if (!saves_read(&ui->saves, ui->saves_path, ui->me.login, err, sizeof err)) {
		char aside[sizeof ui->saves_path + 32];

		/* Put aside, not written over: the person or the administrator
		 * may look; what this run must keep goes to a file of its own. */
		snprintf(aside, sizeof aside, "%s.unreadable.%lld", ui->saves_path, (long long)time(NULL));
		if (rename(ui->saves_path, aside) != 0)
			ui->saves_path[0] = '\0';
		ui_status(ui, true, _("Could not read what was kept to save: %s"), err);
		return;
	}
	for (int i = 0; i < ui->saves.n; i++)
		saves_add(&ui->saves_known, &ui->saves.items[i]);
	flush_saves(ui);
}

/* A change read (notify_changes()) or this workstation's own, handed to
 * every screen. */
static void changed(const struct notification *n, void *arg)
{
	struct ui *ui = arg;

	if (!strcmp(n->channel, NOTIFY_POLICY))
		drop_policy(ui); /* a new version: the screens load it on use */
	ui->notify_own = n->own;
	notify_all(ui, n->channel, n->payload);
	ui->notify_own = false;
}

/* A change read: this workstation's own were handed on when they were
 * heard (heard()), and are not again; a new policy always is. */
static void read_one(const struct notification *n, void *arg)
{
	if (!n->own || !strcmp(n->channel, NOTIFY_POLICY))
		changed(n, arg);
}

/* Reads what changed, at most once every UI_CHANGES_GAP seconds: at once
 * when the last reading is older, else when it is that old (wait_ms()).
 * A burst of notifications, real or forged by anyone who can connect, is
 * one reading a second; a change after a quiet second is read at once. */
static void read_changes(struct ui *ui)
{
	double now = ui_clock();

	if (!ui->changes_pending || ui->offline)
		return;
	if (now < ui->changes_read_at + UI_CHANGES_GAP) {
		ui->changes_at = ui->changes_read_at + UI_CHANGES_GAP;
		return;
	}
	ui->changes_pending = false;
	ui->changes_at = 0;
	ui->changes_read_at = now;
	if (!notify_changes(&ui->notify, read_one, ui))
		check_connection(ui);
}

/* A notification carries nothing (anyone may send one): it says that
 * something may have changed, and read_changes() asks what. This
 * workstation's own (sent by its own session, which nobody else can forge)
 * are handed on at once with no payload: the screens ignore them or reload
 * on them without asking, and their rows, read later, are left out
 * (read_one()). */
static void heard(const struct notification *n, void *arg)
{
	struct ui *ui = arg;

	if (n->own) {
		if (strcmp(n->channel, NOTIFY_POLICY))
			changed(&(struct notification){ .channel = n->channel, .payload = "", .own = true }, ui);
		else
			ui->changes_pending = true;
		return;
	}
	ui->changes_pending = true;
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

/* Whether the keyboard has bytes curses has not read yet: work that can
 * wait should. */
static bool keys_waiting(void)
{
	struct pollfd p = { .fd = 0, .events = POLLIN };

	return poll(&p, 1, 0) > 0;
}

bool ui_resting(const struct ui *ui, double pause)
{
	return ui_clock() - ui->key_at >= pause && !keys_waiting();
}

/* The notifications libpq holds already (our own statements read them off
 * the socket with their results), then the state of the connection. */
static void hear_held(struct ui *ui)
{
	check_connection(ui);
	if (!ui->offline)
		notify_deliver(&ui->notify, heard, ui);
	read_changes(ui);
}

/* Signals, the terminal in cbreak and nodelay mode, colours. */
static void start_terminal(struct ui *ui, sigset_t *waiting)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t stop;
	char err[512];

	sigemptyset(&sa.sa_mask);
	sigemptyset(&stop);
	for (size_t i = 0; i < ARRAY_SIZE(stop_signals); i++) {
		sigaction(stop_signals[i], &sa, NULL);
		sigaddset(&stop, stop_signals[i]);
	}
	sigprocmask(SIG_BLOCK, &stop, waiting);
	have_shell_termios = tcgetattr(STDIN_FILENO, &shell_termios) == 0;
	for (size_t i = 0; i < ARRAY_SIZE(fatal_signals); i++)
		signal(fatal_signals[i], on_fatal);
	dying = ui;
	die_hook = on_die;
	atexit(restore_terminal);

	if (!ui_keys_configure(ui->conf, err, sizeof err))
		die("%s", err);
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
	/* What endwin() would write, for on_fatal; SIGTSTP is curses' own
	 * (it leaves the screen, stops, and repaints on SIGCONT). */
	restore_len = 0;
	restore_add("sgr0");
	restore_add("cnorm");
	restore_add("rmkx");
	restore_add("rmcup");
	paint_colors(ui->conf->color);
	/* ncurses 6.4 flushes the terminal after every cursor movement until
	 * the screen has once been left and taken back (_nc_mvcur() tests for
	 * ewInitial): a repaint went out as forty-odd writes, each of which the
	 * terminal has to wake up for. Leaving and taking it back now, before
	 * anything is drawn, makes a repaint one write. */
	endwin();
	refresh();
	layout_frame(LINES, COLS, &ui->frame);
}

/* Every key curses holds, each turned into an action (or typed into the
 * prompt or menu), painting after each unless more are waiting. */
static void take_keys(struct ui *ui)
{
	bool dirty = false;
	wint_t wc;
	int kind;

	/* curses may already hold keys it read ahead: take those before polling. */
	while (!ui->quit && (kind = get_wch(&wc)) != ERR) {
		bool is_key = kind == KEY_CODE_YES;

		ui->key_at = ui_clock();
		run_later(ui); /* what the last key put off comes before this one */
		if (is_key && wc == KEY_RESIZE) {
			/* ncurses has resized its idea of the screen: lay out anew. */
			layout_frame(LINES, COLS, &ui->frame);
			clearok(curscr, TRUE);
			repaint(ui);
			continue;
		}
		if (ui->prompt.active)
			prompt_key_in(ui, is_key, wc);
		else if (ui->menu.active)
			menu_key_in(ui, is_key, wc);
		else if (ui_top(ui)->typed && ui_top(ui)->typed(ui, ui->stack[ui->depth - 1].state, is_key, wc))
			; /* typed into the screen's form */
		else if (is_key || wc < 128) /* a letter like ą is no key code */
			handle_action(ui, ui_key_action(ui_top(ui)->keymap, (int)wc));
		if (ui->quit)
			return;
		hear_held(ui);
		/* A held key: paint once the keys waiting are handled. */
		dirty = keys_waiting();
		if (!dirty)
			repaint(ui);
	}
	if (dirty && !ui->quit)
		repaint(ui);
}

/* Tells the database where this workstation is (issue 17, line 1): the
 * screen on top, the account the nearest screen down the stack shows, when
 * either changed, else once a period. One statement, and only then. */
static void beat(struct ui *ui)
{
	long long account = 0;

	if (ui->offline || ui->depth == 0)
		return;
	for (int i = ui->depth - 1; i >= 0 && !account; i--)
		if (ui->stack[i].ops->account)
			account = ui->stack[i].ops->account(ui->stack[i].state);
	presence_keep(&ui->presence, ui->db, ui_top(ui)->name, account, ui_clock());
}

int ui_run(struct db *db, const struct cobro_conf *conf, const struct whoami *me,
           const struct screen_registry *screens)
{
	struct ui ui = { .db = db, .me = *me, .conf = conf, .screens = screens,
		         .notify = { .db = db, .channels = channels, .changes = true } };
	const struct screen_ops *home = screen_find(screens, SCREEN_HOME);
	bool warm = false;
	int status = 0;
	sigset_t waiting;
	double next_tick;

	if (!home)
		die("no home screen in the registry");
	start_terminal(&ui, &waiting);
	hide_refused(&ui);
	if (team_role(&ui))
		ui.notify.channels = team_channels;
	if (!notify_listen(&ui.notify))
		die("cannot listen for changes: %s", db->err);
	ui_push(&ui, home, NULL);
	/* A keyed screen may open at start over the home screen, for whoever
	 * it does not refuse (a supervisor's day starts on the dashboard; Esc
	 * goes down to the worklist). */
	for (int i = 0; i < screens->count; i++) {
		const struct screen_ops *s = screens->screens[i].ops;

		if (screens->screens[i].role == SCREEN_KEYED && s->at_start && !(s->refused && s->refused(&ui)))
			ui_push(&ui, s, NULL);
	}
	load_saves(&ui);
	/* The tick keeps its time whatever else wakes the loop: keys and other
	 * people's changes come more often than every 30 s on a busy day, and
	 * the leases it renews must not run out meanwhile. */
	next_tick = ui_clock() + UI_TICK_SECONDS;
	while (!ui.quit && !got_signal) {
		struct pollfd fds[2] = { { .fd = 0, .events = POLLIN }, { .fd = PQsocket(db->conn), .events = POLLIN } };

		hear_held(&ui);
		repaint(&ui);
		beat(&ui);
		if (!warm && !ui.offline) {
			if (ui_top(&ui)->idle)
				ui_top(&ui)->idle(&ui, ui.stack[ui.depth - 1].state);
			warm = true;
		}
		take_keys(&ui);
		if (ui.quit)
			break;
		/* Keys may have changed the screen on top: said before waiting,
		 * not when something next wakes the loop (it may be the tick). */
		beat(&ui);
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
			if ((fds[1].revents & (POLLIN | POLLHUP | POLLERR)) && !notify_read(&ui.notify, heard, &ui))
				check_connection(&ui);
		}
		read_changes(&ui);
		if (ui.quit)
			break;
		if (ui_clock() >= next_tick) {
			next_tick = ui_clock() + UI_TICK_SECONDS;
			flush_saves(&ui); /* one that must be tried again */
			notify_all(&ui, UI_NOTIFY_TICK, "");
		}
		if (ui.wake_at && ui_clock() >= ui.wake_at) {
			ui.wake_at = 0;
			notify_all(&ui, UI_NOTIFY_DUE, "");
		}
		if (ui.nlater > 0 && ui.later_at && ui_clock() >= ui.later_at && !keys_waiting())
			run_later(&ui);
	}
	while (ui.depth > 0)
		ui_pop(&ui);
	if (!ui.offline)
		presence_leave(db); /* offline now, not in three periods */
	run_later(&ui);
	drop_policy(&ui);
	notify_free(&ui.notify);
	endwin();
	die_hook = NULL;
	dying = NULL;
	sigprocmask(SIG_SETMASK, &waiting, NULL);
	/* Stopped (a signal, the terminal gone) with saves waiting: they are
	 * kept, and saved when this login next starts cobro. */
	if (ui.saves.n > 0) {
		if (keep_saves(&ui)) {
			fprintf(stderr, ngettext("cobro: %d waiting to be saved, kept in %s\n",
			                         "cobro: %d waiting to be saved, kept in %s\n", (unsigned long)ui.saves.n),
			        ui.saves.n, ui.saves_path);
		} else {
			fprintf(stderr, "cobro: %s\n", ui.status);
			status = 1;
		}
	}
	saves_free(&ui.saves);
	saves_free(&ui.saves_known);
	if (got_signal && got_signal != SIGINT) {
		fputs("cobro: ", stderr);
		fprintf(stderr, _("stopped by signal %d"), (int)got_signal);
		fputc('\n', stderr);
		return 128 + got_signal;
	}
	return status;
}
