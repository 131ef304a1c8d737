/* cobroctl limits: check a promise limits file, load it as a new version,
 * show the version in force (docs/promises.md, "Limits"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cobroctl.h"
#include "promise_limits.h"
#include "util.h"

/* The file read and parsed; false with "FILE:LINE: what is wrong" in err. */
static bool limits_read(const char *path, char **text, struct promise_limits *l, char *err, size_t errlen)
{
	size_t len;

	*text = read_text_file(path, &len, err, errlen);
	if (!*text)
		return false;
	/* libconfig would read up to the NUL and take that for the file. */
	if (strlen(*text) != len) {
		snprintf(err, errlen, "%s: a NUL byte at offset %zu; a limits file is text", path, strlen(*text));
		return false;
	}
	return promise_limits_parse(*text, path, l, err, errlen);
}

static void show_line(const char *line, void *arg)
{
	(void)arg;
	puts(line);
}

static int limits_check_cmd(struct ctl *c, int argc, char **argv)
{
	struct promise_limits l;
	char err[512], *text = NULL;
	bool ok;

	(void)c;
	if (argc != 3) {
		warnx("usage: cobroctl limits check FILE");
		return 2;
	}
	ok = limits_read(argv[2], &text, &l, err, sizeof err);
	free(text);
	if (!ok) {
		warnx("%s", err);
		return 2;
	}
	printf("%s: %d limits, good\n", argv[2], l.n);
	promise_limits_free(&l);
	return 0;
}

static int limits_load_cmd(struct ctl *c, int argc, char **argv)
{
	struct promise_limits l;
	char err[512], *text = NULL;
	int version;

	if (argc != 3) {
		warnx("usage: cobroctl limits load FILE");
		return 2;
	}
	if (!limits_read(argv[2], &text, &l, err, sizeof err)) {
		warnx("%s", err);
		warnx("nothing was stored; the version in force stays");
		free(text);
		return 2;
	}
	ctl_connect(c);
	version = promise_limits_store(&c->db, argv[2], text, &l, err, sizeof err);
	free(text);
	promise_limits_free(&l);
	if (version < 0) {
		warnx("%s", err);
		warnx("nothing was stored; the version in force stays");
		return 1;
	}
	printf("stored promise limits version %d\n", version);
	return 0;
}

/* limits show: the version in force, whole; with JURISDICTION SEGMENT, the
 * row a promise on such an account is checked against. */
static int limits_show_cmd(struct ctl *c, int argc, char **argv)
{
	struct stored_limits s;
	char err[512];

	if (argc != 2 && argc != 4) {
		warnx("usage: cobroctl limits show [JURISDICTION SEGMENT]");
		return 2;
	}
	ctl_connect(c);
	if (!promise_limits_current(&c->db, &s, err, sizeof err)) {
		warnx("%s", err);
		return 1;
	}
	printf("promise limits version %d, loaded %s by %s from %s\n", s.version, s.loaded_at, s.loaded_by, s.source);
	if (argc == 4) {
		const struct promise_limit *r = promise_limits_pick(&s.limits, argv[2], argv[3]);
		struct promise_limits one = { (struct promise_limit *)r, r ? 1 : 0 };

		if (!r) {
			warnx("no limits apply to %s %s", argv[2], argv[3]);
			stored_limits_free(&s);
			return 1;
		}
		promise_limits_show(&one, show_line, NULL);
	} else {
		promise_limits_show(&s.limits, show_line, NULL);
	}
	stored_limits_free(&s);
	return 0;
}

/* The limits shipped beside the binary: the source tree's etc/, or
 * PREFIX/share/doc/cobro/examples/ where make install puts them. */
static char *limits_shipped_path(void)
{
	static const char *const rel[] = { "/../etc/promise.conf", "/../share/doc/cobro/examples/promise.conf" };
	char exe[4096], *p;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(rel); i++) {
		char *real;

		p = xasprintf("%s%s", exe, rel[i]);
		real = access(p, R_OK) == 0 ? realpath(p, NULL) : NULL;
		free(p);
		if (real)
			return real;
	}
	return NULL;
}

bool ctl_limits_demo(struct ctl *c, bool quiet)
{
	struct promise_limits l;
	char err[512], *text = NULL, *path;
	PGresult *r;
	bool builtin;
	int version;

	r = db_exec(&c->db, "SELECT source = 'built-in' FROM cobro.promise_limit_set ORDER BY version DESC LIMIT 1", 0,
	            NULL);
	if (!r)
		return false;
	builtin = PQntuples(r) == 1 && PQgetvalue(r, 0, 0)[0] == 't';
	PQclear(r);
	if (!builtin)
		return true; /* an administrator's limits stay */
	if (!(path = limits_shipped_path())) {
		if (!quiet)
			warnx("no promise.conf shipped beside cobroctl: the built-in promise limits stay");
		return true;
	}
	if (!limits_read(path, &text, &l, err, sizeof err)) {
		snprintf(c->db.err, sizeof c->db.err, "%s", err);
		free(text);
		free(path);
		return false;
	}
	version = promise_limits_store(&c->db, path, text, &l, err, sizeof err);
	free(text);
	promise_limits_free(&l);
	if (version < 0)
		snprintf(c->db.err, sizeof c->db.err, "%s", err);
	else if (!quiet)
		printf("promise limits version %d from %s\n", version, path);
	free(path);
	return version >= 0;
}

static int limits_run(struct ctl *c, int argc, char **argv)
{
	static const struct ctl_sub subs[] = {
		{ "check", limits_check_cmd },
		{ "load", limits_load_cmd },
		{ "show", limits_show_cmd },
	};

	return ctl_dispatch(&ctl_limits_cmd, subs, ARRAY_SIZE(subs), c, argc, argv);
}

const struct ctl_command ctl_limits_cmd = {
	.name = "limits",
	.usage = "  limits check FILE            check a promise limits file (FILE:LINE: what is wrong)\n"
	         "  limits load FILE             check it and store it as a new version of the promise limits\n"
	         "  limits show [JURISDICTION SEGMENT]\n"
	         "                               print the limits in force, or the row that applies\n",
	.run = limits_run,
};
