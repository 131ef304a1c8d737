/* keypress_bench: key press to repaint, measured on a pseudo-terminal.
 *
 *   keypress_bench NAME ROWS COLS READY KEYS -- PROGRAM ARGS...
 *	Runs PROGRAM on a pty of ROWS x COLS (TERM=xterm-256color), waits until
 *	its output holds READY, then RUNS times writes the next key of KEYS
 *	(a comma-separated list: down, up, enter, esc) and times, with
 *	CLOCK_MONOTONIC, from the write to the last byte of the repaint it
 *	causes: output is read until none comes for QUIET_MS, and the time of
 *	the last byte counts, so the quiet wait itself is not measured. The
 *	first byte is waited for up to FIRST_MS, so a slow repaint (the first
 *	account a session opens plans its statement) is measured, not lost.
 *	Prints "NAME_p99 MS" and "NAME_p50 MS" on stdout; with KEYPRESS_TRACE
 *	set, every key's time on stderr, in order, to see where a tail comes from.
 *
 * tests/bench/run.sh runs it on bin/cobro (moving in the worklist, opening an
 * account) and on less(1) scrolling a file, the baseline. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "timing.h"

#define RUNS     400
#define QUIET_MS 40
#define FIRST_MS 2000
#define READY_S  20

/* Reads until nothing comes for quiet ms (for the first byte, first ms);
 * returns the bytes read, 0 if none came, -1 at the end. *last is the time
 * of the last byte. */
static ssize_t drain(int fd, int first, int quiet, char *keep, size_t *kept, size_t cap, int64_t *last)
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
		if (keep && *kept + (size_t)n < cap) {
			memcpy(keep + *kept, buf, (size_t)n);
			*kept += (size_t)n;
			keep[*kept] = '\0';
		}
	}
	return total;
}

static const char *key_bytes(const char *name)
{
	/* Application cursor keys: curses programs turn keypad mode on (smkx). */
	if (!strcmp(name, "down"))
		return "\033OB";
	if (!strcmp(name, "up"))
		return "\033OA";
	if (!strcmp(name, "enter"))
		return "\r";
	if (!strcmp(name, "esc"))
		return "\033";
	return NULL;
}

int main(int argc, char **argv)
{
	struct winsize ws = { 0 };
	char *keys[16], *list, *name, *ready, *screen;
	int nkeys = 0, fd, sep, n = 0, status;
	static int64_t t[RUNS];
	size_t kept = 0;
	int64_t deadline, last = 0;
	pid_t pid;

	for (sep = 1; sep < argc && strcmp(argv[sep], "--") != 0; sep++)
		;
	if (sep != 6 || sep + 1 >= argc) {
		fprintf(stderr, "usage: keypress_bench NAME ROWS COLS READY KEYS -- PROGRAM ARGS...\n");
		return 2;
	}
	name = argv[1];
	ws.ws_row = (unsigned short)atoi(argv[2]);
	ws.ws_col = (unsigned short)atoi(argv[3]);
	ready = argv[4];
	list = strdup(argv[5]);
	for (char *k = strtok(list, ","); k && nkeys < 16; k = strtok(NULL, ","))
		if (!key_bytes(keys[nkeys++] = k)) {
			fprintf(stderr, "keypress_bench: unknown key %s\n", k);
			return 2;
		}

	pid = forkpty(&fd, NULL, NULL, &ws);
	if (pid < 0) {
		perror("keypress_bench: forkpty");
		return 1;
	}
	if (pid == 0) {
		setenv("TERM", "xterm-256color", 1);
		setenv("ESCDELAY", "1", 1);
		execvp(argv[sep + 1], argv + sep + 1);
		perror("keypress_bench: exec");
		_exit(127);
	}

	/* The first screen. */
	screen = calloc(1, 1 << 20);
	deadline = now_ns() + (int64_t)READY_S * 1000000000;
	while (!strstr(screen, ready)) {
		if (now_ns() > deadline || drain(fd, 100, 100, screen, &kept, (1 << 20) - 1, &last) < 0) {
			fprintf(stderr, "keypress_bench: %s: \"%s\" never showed\n", name, ready);
			kill(pid, SIGTERM);
			return 1;
		}
	}
	drain(fd, 300, 300, NULL, NULL, 0, &last);

	for (int i = 0; i < RUNS; i++) {
		const char *k = key_bytes(keys[i % nkeys]);
		int64_t t0;
		ssize_t got;

		t0 = now_ns();
		if (write(fd, k, strlen(k)) < 0) {
			perror("keypress_bench: write");
			break;
		}
		last = t0;
		got = drain(fd, FIRST_MS, QUIET_MS, NULL, NULL, 0, &last);
		if (got < 0) {
			fprintf(stderr, "keypress_bench: %s: the program ended\n", name);
			break;
		}
		if (got > 0)
			t[n++] = last - t0;
		if (got > 0 && getenv("KEYPRESS_TRACE"))
			fprintf(stderr, "keypress_bench: %s %3d %-5s %8.3f ms\n", name, i, keys[i % nkeys],
			        (double)(last - t0) / 1e6);
	}
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	if (n < RUNS / 2) {
		fprintf(stderr, "keypress_bench: %s: only %d of %d keys repainted anything\n", name, n, RUNS);
		return 1;
	}
	printf("%s_p99 %.3f\n%s_p50 %.3f\n", name, pct_ms(t, n, 99), name, pct_ms(t, n, 50));
	fprintf(stderr, "keypress_bench: %-16s n %d  p50 %.3f ms  p99 %.3f ms  max %.3f ms\n", name, n,
	        pct_ms(t, n, 50), pct_ms(t, n, 99), (double)t[n - 1] / 1e6);
	return 0;
}
