/* The login form: user and password, asked when the database wants a password
 * libpq could not find (no PGPASSWORD, no entry in ~/.pgpass) or refused the
 * login, or when cobro is started with --login. It runs before the
 * workstation's own curses session and leaves the terminal as it found it. */
#include <libintl.h>
#include <limits.h>
#include <ncurses.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "db.h"
#include "login.h"
#include "text.h"
#include "ui.h"
#include "util.h"

/* Refused logins before cobro gives up, as a login prompt does. */
#define LOGIN_TRIES 5

struct field {
	const char *label;
	char text[128];
	bool secret;
};

static volatile sig_atomic_t login_signal;

static void on_login_signal(int sig) { login_signal = sig; }

static void restore(void)
{
	if (!isendwin())
		endwin();
}

/* Removes the last character (not byte) of s. */
static void drop_last(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && ((unsigned char)s[n - 1] & 0xc0) == 0x80)
		n--;
	if (n > 0)
		n--;
	s[n] = '\0';
}

static void append(char *s, size_t size, wchar_t wc)
{
	char mb[MB_LEN_MAX];
	mbstate_t st = { 0 };
	size_t len = strlen(s), k;

	if (wc < 32 || wc == 127)
		return; /* control characters are no part of a name or a password */
	k = wcrtomb(mb, wc, &st);
	if (k == (size_t)-1 || len + k >= size)
		return;
	memcpy(s + len, mb, k);
	s[len + k] = '\0';
}

static void draw(const char *where, struct field *f, int nf, int at, const char *error)
{
	int w = COLS < 60 ? COLS - 2 : 58, x = (COLS - w) / 2, y = LINES / 2 - 5;
	char line[256];

	if (y < 0)
		y = 0;
	erase();
	attron(A_BOLD);
	mvaddstr(y, x, _("cobro: log in"));
	attroff(A_BOLD);
	snprintf(line, sizeof line, _("Database: %s"), where);
	ui_put(stdscr, y + 1, x, w, line);
	for (int i = 0; i < nf; i++) {
		char shown[160];

		if (f[i].secret) {
			size_t n = (size_t)text_width(f[i].text);

			memset(shown, '*', n < sizeof shown ? n : sizeof shown - 1);
			shown[n < sizeof shown ? n : sizeof shown - 1] = '\0';
		} else {
			snprintf(shown, sizeof shown, "%s", f[i].text);
		}
		mvaddstr(y + 3 + 2 * i, x, _(f[i].label));
		if (i == at)
			attron(A_REVERSE);
		mvhline(y + 3 + 2 * i, x + 12, ' ', w - 12);
		ui_put(stdscr, y + 3 + 2 * i, x + 12, w - 12, shown);
		if (i == at)
			attroff(A_REVERSE);
	}
	if (error && *error) {
		attron(A_BOLD);
		ui_put(stdscr, y + 4 + 2 * nf, x, w, error);
		attroff(A_BOLD);
	}
	ui_put(stdscr, y + 6 + 2 * nf, x, w, _("Enter: next / log in   Tab: other field   Esc: quit"));
	move(y + 3 + 2 * at, x + 12 + text_width(f[at].text));
	refresh();
}

/* One form: false when the person quits (Esc, ^C, a signal). */
static bool ask(const char *where, struct field *f, int nf, int *at, const char *error)
{
	char msg[256];

	snprintf(msg, sizeof msg, "%s", error ? error : "");
	for (;;) {
		wint_t wc;
		int kind;

		draw(where, f, nf, *at, msg);
		kind = get_wch(&wc);
		if (login_signal)
			return false;
		if (kind == ERR)
			continue;
		if (kind == KEY_CODE_YES) {
			switch (wc) {
			case KEY_UP: case KEY_BTAB: *at = (*at + nf - 1) % nf; break;
			case KEY_DOWN: *at = (*at + 1) % nf; break;
			case KEY_BACKSPACE: drop_last(f[*at].text); break;
			case KEY_ENTER: goto enter;
			default: break;
			}
			continue;
		}
		switch (wc) {
		case 27: case 3: return false;                       /* Esc, ^C */
		case '\t': *at = (*at + 1) % nf; continue;
		case 127: case 8: drop_last(f[*at].text); continue;  /* Backspace */
		case 21: f[*at].text[0] = '\0'; continue;            /* ^U */
		case '\r': case '\n': goto enter;
		default: append(f[*at].text, sizeof f[*at].text, (wchar_t)wc); msg[0] = '\0'; continue;
		}
enter:
		if (!f[0].text[0]) {
			*at = 0;
			snprintf(msg, sizeof msg, "%s", _("Type your user name"));
		} else if (*at + 1 < nf) {
			(*at)++;
		} else {
			return true;
		}
	}
}

bool login_run(struct db *db, const char *conninfo, const char *user, const char *appname, char *err,
               size_t errsize)
{
	struct field f[2] = { { N_("User"), "", false }, { N_("Password"), "", true } };
	struct sigaction sa = { .sa_handler = on_login_signal }, old[3];
	const int sigs[3] = { SIGTERM, SIGINT, SIGHUP };
	const char *where = conninfo && *conninfo ? conninfo : _("the default (PGHOST, PGDATABASE)");
	const char *error = NULL;
	int at = 0;
	bool ok = false;

	snprintf(f[0].text, sizeof f[0].text, "%s", user ? user : "");
	at = f[0].text[0] ? 1 : 0;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);
	die_hook = restore;
	if (!getenv("ESCDELAY"))
		set_escdelay(25);
	if (!initscr()) {
		snprintf(err, errsize, "cannot initialise the terminal");
		goto out;
	}
	raw();
	noecho();
	keypad(stdscr, TRUE);
	snprintf(err, errsize, "%s", "login cancelled");
	for (int tries = 0; tries < LOGIN_TRIES; tries++) {
		if (!ask(where, f, 2, &at, error))
			break;
		if (db_connect_login(db, conninfo, f[0].text, f[1].text, appname)) {
			ok = true;
			break;
		}
		if (!db_login_refused(db)) {
			/* Not a matter of user or password: say what libpq said. */
			snprintf(err, errsize, "%s", db->err);
			db_close(db);
			break;
		}
		db_close(db);
		snprintf(err, errsize, "%s", "the user or the password is wrong");
		error = _("The user or the password is wrong");
		f[1].text[0] = '\0';
		at = 1;
	}
	endwin();
out:
	/* Nothing typed stays in memory longer than needed. */
	explicit_bzero(f[1].text, sizeof f[1].text);
	die_hook = NULL;
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
	if (login_signal) {
		snprintf(err, errsize, "stopped by signal %d", (int)login_signal);
		ok = false;
	}
	return ok;
}
