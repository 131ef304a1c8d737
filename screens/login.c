/* The login form: user and password, asked when the database wants a password
 * libpq could not find (no PGPASSWORD, no entry in ~/.pgpass) or refused the
 * login, or when cobro is started with --login. It runs before the
 * workstation's own curses session and leaves the terminal as it found it. */
#include <ncurses.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "form.h"
#include "intl.h"
#include "layout.h"
#include "login.h"
#include "paint.h"
#include "util.h"

/* Refused logins before cobro gives up, as a login prompt does. */
#define LOGIN_TRIES 5

static volatile sig_atomic_t login_signal;

static void on_login_signal(int sig) { login_signal = sig; }

static void restore(void)
{
	if (!isendwin())
		endwin();
}

static const char *check_user(const char *text)
{
	return text[0] ? NULL : _("Type your user name");
}

/* What the server or libpq said, without libpq's preamble naming the socket
 * or host ("connection to server on socket \"...\" failed: "), which the form
 * already names, and the severity ("FATAL:  "). */
static const char *server_said(const char *msg)
{
	const char *p = strstr(msg, " failed: ");

	if (p)
		msg = p + strlen(" failed: ");
	if (!strncmp(msg, "FATAL:", 6))
		msg += 6;
	while (*msg == ' ')
		msg++;
	return msg;
}

static void draw(const char *where, const struct form *f)
{
	struct form_layout l;
	char line[256];

	layout_form(LINES, COLS, f->n, &l);
	erase();
	attron(A_BOLD);
	ui_put(stdscr, l.title, l.x, l.w, _("cobro: log in"));
	attroff(A_BOLD);
	snprintf(line, sizeof line, _("Database: %s"), where);
	ui_put(stdscr, l.subtitle, l.x, l.w, line);
	ui_put(stdscr, l.hint, l.x, l.w, _("Enter: next / log in   Tab: other field   Esc: quit"));
	form_draw(f, stdscr, &l);
	refresh();
}

/* One form: false when the person quits (Esc, ^C, a signal). */
static bool ask(const char *where, struct form *f)
{
	for (;;) {
		wint_t wc;
		int kind;

		draw(where, f);
		kind = get_wch(&wc);
		if (login_signal)
			return false;
		if (kind == ERR)
			continue;
		switch (form_key(f, kind == KEY_CODE_YES, wc)) {
		case FORM_DONE: return true;
		case FORM_CANCEL: return false;
		case FORM_TYPING: break;
		}
	}
}

bool login_run(struct db *db, const char *conninfo, const char *user, const char *appname, char *err,
               size_t errsize)
{
	struct form_field f[2] = { { .label = N_("User"), .check = check_user },
		                   { .label = N_("Password"), .secret = true } };
	struct form form = { .fields = f, .n = 2 };
	struct sigaction sa = { .sa_handler = on_login_signal }, old[3];
	const int sigs[3] = { SIGTERM, SIGINT, SIGHUP };
	const char *where = conninfo && *conninfo ? conninfo : _("the default (PGHOST, PGDATABASE)");
	bool ok = false;

	snprintf(f[0].text, sizeof f[0].text, "%s", user ? user : "");
	form.at = f[0].text[0] ? 1 : 0;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);
	die_hook = restore;
	if (!getenv("ESCDELAY"))
		set_escdelay(25);
	if (!initscr()) {
		snprintf(err, errsize, "%s", _("cannot initialise the terminal"));
		goto out;
	}
	raw();
	noecho();
	keypad(stdscr, TRUE);
	snprintf(err, errsize, "%s", _("login cancelled"));
	for (int tries = 0; tries < LOGIN_TRIES; tries++) {
		if (!ask(where, &form))
			break;
		if (db_connect_login(db, conninfo, f[0].text, f[1].text, appname)) {
			ok = true;
			break;
		}
		if (db_login_refused(db)) {
			snprintf(err, errsize, "%s", _("the user or the password is wrong"));
			snprintf(form.message, sizeof form.message, "%s", _("The user or the password is wrong"));
			form.at = 1;
		} else {
			/* Not a password the server turned away: a user it does not
			 * know (trust or peer logins never ask for one), a database
			 * not there, the server down. Said in the form, as libpq
			 * said it, and asked again: the person may mistype a user
			 * as well as a password. */
			snprintf(err, errsize, "%s", db->err);
			snprintf(form.message, sizeof form.message, _("Could not log in: %s"), server_said(db->err));
			form.at = 0;
		}
		db_close(db);
		f[1].text[0] = '\0';
	}
	endwin();
out:
	/* Nothing typed stays in memory longer than needed. */
	explicit_bzero(f[1].text, sizeof f[1].text);
	die_hook = NULL;
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
	if (login_signal) {
		snprintf(err, errsize, _("stopped by signal %d"), (int)login_signal);
		ok = false;
	}
	return ok;
}
