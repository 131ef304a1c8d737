/* keypress_bench: key press to repaint, measured on pseudo-terminals.
 *
 *   keypress_bench ROWS COLS ROUNDS NAME READY KEYS PROGRAM ARGS... \; [NAME ...]
 *	Runs each PROGRAM (its arguments end at a ";" argument) on its own pty
 *	of ROWS x COLS (TERM=xterm-256color) and waits until its output holds
 *	READY. Then the programs take turns, ROUNDS times each: in its turn a
 *	program gets RUNS / ROUNDS keys, in order from its KEYS (a comma-separated
 *	list, cycled: down, up, enter, esc or a letter; "~down" is pressed and its repaint
 *	waited for but not timed; "rest" waits REST_MS, as a person looking at
 *	the screen before the next key), each timed with CLOCK_MONOTONIC from the
 *	write to the last byte of the repaint it causes: output is read until
 *	none comes for QUIET_MS, and the time of the last byte counts, so the
 *	quiet wait itself is not measured. The first byte is waited for up to
 *	FIRST_MS, so a slow repaint is measured, not lost.
 *
 *	Between turns the bench waits TURN_GAP_MS, so that what the program
 *	whose turn ended does once its keys stop (cobro reads ahead when its
 *	person rests) is not timed in the next program's keys.
 *
 *	Taking turns puts ours and the baseline in the same moments of the
 *	machine: a slow spell of a shared 2-core VM falls on all of them alike,
 *	not on whichever happened to run then. Each program is one session, as a
 *	person's is: the first account opened counts, once, like the rest.
 *
 *	ESCDELAY is 1 ms, so that Esc is timed for the work it causes, not for
 *	the wait that tells a lone Esc from the start of an arrow key (25 ms in
 *	cobro unless ESCDELAY says otherwise; see cobro(1)).
 *
 *	Prints "NAME_p99 MS" and "NAME_p50 MS" for each program on stdout; with
 *	KEYPRESS_TRACE set, every key's time, bytes and reads on stderr, in order, to see where a
 *	tail comes from.
 *
 * tests/bench/run.sh runs it on bin/cobro (moving in the worklist, opening an
 * account) and on less(1) scrolling a file, the baseline. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "timing.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define RUNS     400 /* keys per program */
#define QUIET_MS 40
#define FIRST_MS 2000
#define READY_S  20

/* Reads until nothing comes for quiet ms (for the first byte, first ms);
 * returns the bytes read, 0 if none came, -1 at the end. *last is the time
 * of the last byte; *reads counts the reads it took (a repaint that comes in
 * pieces, the trace shows). */
static ssize_t drain(int fd, int first, int quiet, char *keep, size_t *kept, size_t cap, int64_t *last,
                     int *reads)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char buf[65536];
	ssize_t total = 0, n;

	while (poll(&p, 1, total ? quiet : first) > 0) {
		n = read(fd, buf, sizeof buf);
		if (n <= 0)
			return total ? total : -1;
		*last = now_ns();
		total += n;
		if (reads)
			++*reads;
		if (keep && *kept + (size_t)n < cap) {
			memcpy(keep + *kept, buf, (size_t)n);
			*kept += (size_t)n;
			keep[*kept] = '\0';
		}
	}
	return total;
}

#define REST_MS 200 /* the "rest" key: a person looking at the screen */
#define TURN_GAP_MS 500 /* between two programs' turns */

static const char *key_bytes(const char *name)
{
	if (name[0] == '~') /* pressed, not timed */
		name++;
	if (!strcmp(name, "rest"))
		return "";
	/* Application cursor keys: curses programs turn keypad mode on (smkx). */
	if (!strcmp(name, "down"))
		return "\033OB";
	if (!strcmp(name, "up"))
		return "\033OA";
	if (!strcmp(name, "enter"))
		return "\r";
	if (!strcmp(name, "esc"))
		return "\033";
	/* A letter is itself: "n" (the next account), "N" (save and next). */
	if (((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z')) && !name[1])
		return name;
	return NULL;
}

struct prog {
	const char *name, *ready;
	char **argv;
	const char *keys[16];
	int nkeys;
	int fd;
	pid_t pid;
	int pressed, n;
	int next;      /* in keys, cycling; untimed keys and rests are no press */
	int64_t t[RUNS];
};

static void stop_all(struct prog *p, int np)
{
	for (int i = 0; i < np; i++)
		if (p[i].pid > 0) {
			kill(p[i].pid, SIGTERM);
			waitpid(p[i].pid, NULL, 0);
			p[i].pid = 0;
		}
}

/* Starts p->argv on a new pty and waits for its first screen. */
static bool start(struct prog *p, struct winsize *ws)
{
	static char screen[1 << 20];
	size_t kept = 0;
	int64_t deadline, last = 0;

	p->pid = forkpty(&p->fd, NULL, NULL, ws);
	if (p->pid < 0) {
		perror("keypress_bench: forkpty");
		return false;
	}
	if (p->pid == 0) {
		setenv("TERM", "xterm-256color", 1);
		setenv("ESCDELAY", "1", 1);
		execvp(p->argv[0], p->argv);
		perror("keypress_bench: exec");
		_exit(127);
	}
	screen[0] = '\0';
	deadline = now_ns() + (int64_t)READY_S * 1000000000;
	while (!strstr(screen, p->ready)) {
		if (now_ns() > deadline || drain(p->fd, 100, 100, screen, &kept, sizeof screen - 1, &last, NULL) < 0) {
			fprintf(stderr, "keypress_bench: %s: \"%s\" never showed\n", p->name, p->ready);
			return false;
		}
	}
	/* The rest of the first screen, and whatever the program does while the
	 * person reads it (cobro rehearses opening the account under the cursor). */
	drain(p->fd, 300, 300, NULL, NULL, 0, &last, NULL);
	return true;
}

/* Takes p's untimed keys ("~down", "rest") up to its next timed one, whose
 * name it returns; NULL when the program ended. */
static const char *next_timed(struct prog *p)
{
	const char *name;
	int64_t last;

	while ((name = p->keys[p->next++ % p->nkeys])[0] == '~' || !strcmp(name, "rest")) {
		const char *k = key_bytes(name);

		if (!*k)
			poll(NULL, 0, REST_MS);
		else if (write(p->fd, k, strlen(k)) < 0 || drain(p->fd, FIRST_MS, QUIET_MS, NULL, NULL, 0, &last, NULL) < 0)
			return NULL;
	}
	return name;
}

/* Presses p's next n timed keys. False when the program ended. */
static bool turn(struct prog *p, int n)
{
	int64_t last = 0;

	/* Whatever it painted since its last turn (a live refresh) is not ours. */
	if (drain(p->fd, QUIET_MS, QUIET_MS, NULL, NULL, 0, &last, NULL) < 0)
		return false;
	for (int i = 0; i < n && p->pressed < RUNS; i++, p->pressed++) {
		const char *name = next_timed(p), *k;
		int64_t t0;
		ssize_t got;
		int reads = 0;

		if (!name)
			return false;
		k = key_bytes(name);
		t0 = now_ns();

		if (write(p->fd, k, strlen(k)) < 0) {
			perror("keypress_bench: write");
			return false;
		}
		last = t0;
		got = drain(p->fd, FIRST_MS, QUIET_MS, NULL, NULL, 0, &last, &reads);
		if (got < 0) {
			fprintf(stderr, "keypress_bench: %s: the program ended\n", p->name);
			return false;
		}
		if (got > 0)
			p->t[p->n++] = last - t0;
		if (got > 0 && getenv("KEYPRESS_TRACE"))
			fprintf(stderr, "keypress_bench: %s %3d %-5s %8.3f ms %6zd bytes in %d reads\n", p->name,
			        p->pressed, name, (double)(last - t0) / 1e6, got, reads);
	}
	return true;
}

int main(int argc, char **argv)
{
	static struct prog progs[8];
	struct winsize ws = { 0 };
	int np = 0, rounds, rc = 0;

	if (argc < 9) {
		fprintf(stderr, "usage: keypress_bench ROWS COLS ROUNDS NAME READY KEYS PROGRAM ARGS... \\; ...\n");
		return 2;
	}
	ws.ws_row = (unsigned short)atoi(argv[1]);
	ws.ws_col = (unsigned short)atoi(argv[2]);
	rounds = atoi(argv[3]);
	if (rounds < 1 || rounds > RUNS) {
		fprintf(stderr, "keypress_bench: ROUNDS must be 1 to %d\n", RUNS);
		return 2;
	}
	for (int i = 4; i < argc; np++) {
		struct prog *p = &progs[np];
		char *list;

		if (np == (int)ARRAY_LEN(progs) || i + 3 >= argc) {
			fprintf(stderr, "keypress_bench: at most %d programs, each NAME READY KEYS PROGRAM...\n",
			        (int)ARRAY_LEN(progs));
			return 2;
		}
		p->name = argv[i];
		p->ready = argv[i + 1];
		list = argv[i + 2];
		for (char *k = strtok(list, ","); k && p->nkeys < 16; k = strtok(NULL, ","))
			if (!key_bytes(p->keys[p->nkeys++] = k)) {
				fprintf(stderr, "keypress_bench: unknown key %s\n", k);
				return 2;
			}
		p->argv = argv + i + 3;
		for (i += 3; i < argc && strcmp(argv[i], ";") != 0; i++)
			;
		if (i < argc)
			argv[i++] = NULL; /* ends this program's arguments */
	}
	for (int i = 0; i < np; i++)
		if (!start(&progs[i], &ws)) {
			stop_all(progs, np);
			return 1;
		}
	for (int r = 0; r < rounds; r++)
		for (int i = 0; i < np; i++) {
			/* Spread RUNS over the rounds, the last taking what is left. */
			int n = r == rounds - 1 ? RUNS : RUNS / rounds;

			/* What the last turn's program does in the background once
			 * its person rests (reading ahead, a lease given back) is done
			 * before this one's keys are timed: each session is one
			 * person's, not a share of another's. */
			usleep(TURN_GAP_MS * 1000);
			if (!turn(&progs[i], n)) {
				stop_all(progs, np);
				return 1;
			}
		}
	stop_all(progs, np);
	for (int i = 0; i < np; i++) {
		struct prog *p = &progs[i];

		if (p->n < RUNS / 2) {
			fprintf(stderr, "keypress_bench: %s: only %d of %d keys repainted anything\n", p->name, p->n, RUNS);
			rc = 1;
			continue;
		}
		printf("%s_p99 %.3f\n%s_p50 %.3f\n", p->name, pct_ms(p->t, p->n, 99), p->name, pct_ms(p->t, p->n, 50));
		fprintf(stderr, "keypress_bench: %-16s n %d  p50 %.3f ms  p99 %.3f ms  max %.3f ms\n", p->name, p->n,
		        pct_ms(p->t, p->n, 50), pct_ms(p->t, p->n, 99), (double)p->t[p->n - 1] / 1e6);
	}
	return rc;
}
