/* cobroctl: the administrator's command line. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "agent.h"
#include "cobroctl.h"
#include "config.h"
#include "db.h"
#include "demo.h"
#include "migrate.h"
#include "priority.h"
#include "util.h"


static const char usage_text[] =
	"usage: cobroctl [--config FILE] [--database CONNINFO] [--user LOGIN] COMMAND [ARGS]\n"
	"\n"
	"commands:\n"
	"  init                         create or upgrade the schema (same as migrate)\n"
	"  migrate [--status]           apply the migrations not yet applied\n"
	"  demo [--accounts N] [--seed S] [--replace] [--anchor YYYY-MM-DD]\n"
	"       [--dump DIR [--dump-only]] [--quiet]\n"
	"                               load the demo portfolio (default 5000 accounts)\n"
	"  team add CODE --name NAME    create a team\n"
	"  agent add LOGIN --name NAME --role collector|supervisor|lead|admin|daemon [--team TEAM]\n"
	"            [--password]       create a person (password read from standard input)\n"
	"  agent list                   list the people\n"
	"  policy check CASEFILE [--rules FILE] [--format text|json] [--lang es|en]\n"
	"  policy check --account REFERENCE --channel CHANNEL [--at TIME] [--format ...]\n"
	"                               may this contact happen? exit 0 allowed, 1 refused, 2 bad input\n"
	"  policy load FILE             validate and store a new version of the contact rules\n"
	"  policy show [JURISDICTION]   print the rules in force\n"
	"  priority show                the worklist's decay setting; accounts not ranked today\n"
	"  priority refresh             rank every account as of today (cobrod does it daily)\n"
	"  priority decay VALUE         set p(pay)'s fall per 30 days past due (0 to 1), rank anew\n"
	"  template add FILE|DIR...     store message templates (.tpl files), all or none\n"
	"  template list [--channel C] [--language L]\n"
	"  template show CODE [--channel C] [--language L]   print in the .tpl format\n"
	"  template preview CODE --channel C --language L [--account REFERENCE]\n"
	"                               render with sample or the account's data; SMS segments\n"
	"  template remove CODE [--channel C] [--language L]\n"
	"\n"
	"The database is --database, else the configuration's \"database\" setting, else\n"
	"libpq's defaults (PGHOST, PGPORT, PGDATABASE, PGUSER, ~/.pgpass, pg_service.conf).\n"
	"See cobroctl(1).\n";

static void usage(FILE *f, int status)
{
	fputs(usage_text, f);
	exit(status);
}

void ctl_connect(struct ctl *c)
{
	const char *conninfo = c->database ? c->database : c->conf.database;

	/* A --database given here is taken whole: the configuration's user does not
	 * override a user= inside it. */
	if (!db_connect(&c->db, conninfo, c->user ? c->user : c->database ? NULL : c->conf.user, "cobroctl"))
		die("cannot connect to the database: %s", c->db.err);
}

static int cmd_migrate(struct ctl *c, int argc, char **argv)
{
	int n;

	if (argc > 1 && strcmp(argv[1], "--status") == 0) {
		ctl_connect(c);
		n = migrate_current(&c->db);
		if (n < 0)
			die("%s", c->db.err);
		printf("schema version %d of %d\n", n, migrations[migrations_count - 1].version);
		return n == migrations[migrations_count - 1].version ? 0 : 1;
	}
	if (argc > 1)
		usage(stderr, 2);
	ctl_connect(c);
	n = migrate_apply(&c->db, stdout);
	if (n < 0)
		die("migration failed, nothing of it was applied: %s", c->db.err);
	printf("schema is at version %d (%d applied now)\n", migrate_current(&c->db), n);
	return 0;
}

long parse_long(const char *what, const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < min || v > max)
		die("%s: \"%s\" is not a whole number from %ld to %ld", what, s, min, max);
	return v;
}

static int cmd_demo(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "accounts", required_argument, NULL, 'a' },
		{ "seed", required_argument, NULL, 's' },
		{ "dump", required_argument, NULL, 'd' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "replace", no_argument, NULL, 'r' },
		{ "dump-only", no_argument, NULL, 'D' },
		{ "anchor", required_argument, NULL, 'A' },
		{ 0 },
	};
	struct demo_opts o = { .accounts = 5000, .seed = 1, .progress = isatty(2) };
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'a': o.accounts = parse_long("--accounts", optarg, 10, 50000000); break;
		case 's': o.seed = (uint64_t)parse_long("--seed", optarg, 0, LONG_MAX); break;
		case 'd': o.dump_dir = optarg; break;
		case 'q': o.progress = false; o.quiet = true; break;
		case 'r': o.replace = true; break;
		case 'D': o.dump_only = true; break;
		case 'A': o.anchor = optarg; break;
		default: usage(stderr, 2);
		}
	}
	if (optind != argc)
		usage(stderr, 2);
	if (o.dump_only && !o.dump_dir)
		die("demo: --dump-only needs --dump DIR");
	/* A dump-only run writes files and never needs the database. */
	if (!o.dump_only)
		ctl_connect(c);
	if (!demo_load(&c->db, &o))
		die("demo: %s", c->db.err);
	return 0;
}

static char *read_password(void)
{
	char *line = NULL;
	size_t n = 0;
	ssize_t len;

	struct termios saved, quiet;
	bool tty = isatty(0) && tcgetattr(0, &saved) == 0;

	if (tty) {
		/* Typed passwords are not echoed. */
		fputs("password: ", stderr);
		quiet = saved;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(0, TCSAFLUSH, &quiet);
	}
	len = getline(&line, &n, stdin);
	if (tty) {
		tcsetattr(0, TCSAFLUSH, &saved);
		fputc('\n', stderr);
	}
	if (len <= 0)
		die("no password on standard input");
	line[strcspn(line, "\r\n")] = '\0';
	if (!*line)
		die("empty password");
	return line;
}

static int cmd_agent(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "role", required_argument, NULL, 'r' },
		{ "team", required_argument, NULL, 't' },
		{ "password", no_argument, NULL, 'p' },
		{ 0 },
	};
	const char *name = NULL, *role = NULL, *team = NULL, *login;
	char *password = NULL;
	bool ask = false;
	int ch;

	if (argc >= 2 && strcmp(argv[1], "list") == 0) {
		ctl_connect(c);
		if (!agent_list(&c->db, stdout))
			die("%s", c->db.err);
		return 0;
	}
	if (argc < 3 || strcmp(argv[1], "add") != 0)
		usage(stderr, 2);
	login = argv[2];
	optind = 3;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'n': name = optarg; break;
		case 'r': role = optarg; break;
		case 't': team = optarg; break;
		case 'p': ask = true; break;
		default: usage(stderr, 2);
		}
	}
	if (optind != argc || !name || !role)
		die("agent add needs LOGIN --name \"Full Name\" --role ROLE [--team TEAM]");
	if (ask)
		password = read_password();
	ctl_connect(c);
	if (!agent_add(&c->db, login, name, role, team, password))
		die("agent add %s: %s", login, c->db.err);
	free(password);
	printf("added %s (%s%s%s)\n", login, role, team ? ", team " : "", team ? team : "");
	return 0;
}

static int cmd_team(struct ctl *c, int argc, char **argv)
{
	if (argc != 5 || strcmp(argv[1], "add") != 0 || strcmp(argv[3], "--name") != 0)
		die("usage: cobroctl team add CODE --name NAME");
	ctl_connect(c);
	if (!team_add(&c->db, argv[2], argv[4]))
		die("team add %s: %s", argv[2], c->db.err);
	printf("added team %s\n", argv[2]);
	return 0;
}

static int cmd_priority(struct ctl *c, int argc, char **argv)
{
	long long n;

	if (argc == 2 && !strcmp(argv[1], "show")) {
		double decay;
		char updated[128];

		ctl_connect(c);
		if (!priority_show(&c->db, &decay, &n, updated, sizeof updated))
			die("priority show: %s", c->db.err);
		printf("dpd_decay %g (set %s)\n", decay, updated);
		printf("accounts not ranked as of today: %lld\n", n);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "refresh")) {
		ctl_connect(c);
		if (!priority_refresh_all(&c->db, &n))
			die("priority refresh: %s", c->db.err);
		printf("every account is ranked as of today\n");
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "decay")) {
		char *end;
		double v;

		errno = 0;
		v = strtod(argv[2], &end);
		if (errno || end == argv[2] || *end || !(v >= 0 && v <= 1))
			die("priority decay: \"%s\" is not a number from 0 to 1", argv[2]);
		ctl_connect(c);
		if (!priority_set_decay(&c->db, v, &n))
			die("priority decay: %s", c->db.err);
		printf("dpd_decay %g; %lld accounts ranked anew\n", v, n);
		return 0;
	}
	die("usage: cobroctl priority show | refresh | decay VALUE");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "database", required_argument, NULL, 'd' },
		{ "user", required_argument, NULL, 'U' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	struct ctl c = { 0 };
	char err[512], msg[512];
	const char *cmd;
	int ch, rc;

	progname = "cobroctl";
	while ((ch = getopt_long(argc, argv, "+c:d:U:hV", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': c.config = optarg; break;
		case 'd': c.database = optarg; break;
		case 'U': c.user = optarg; break;
		case 'h': usage(stdout, 0); break;
		case 'V': printf("cobroctl %s\n", COBRO_VERSION); return 0;
		default: usage(stderr, 2);
		}
	}
	if (optind >= argc)
		usage(stderr, 2);
	if (!cobro_conf_load(&c.conf, c.config, err, sizeof err))
		die("%s", err);
	if (conf_password_exposed(c.conf.path, c.conf.database, msg, sizeof msg))
		warnx("warning: %s", msg);

	argc -= optind;
	argv += optind;
	cmd = argv[0];
	if (!strcmp(cmd, "init") || !strcmp(cmd, "migrate"))
		rc = cmd_migrate(&c, argc, argv);
	else if (!strcmp(cmd, "demo"))
		rc = cmd_demo(&c, argc, argv);
	else if (!strcmp(cmd, "agent"))
		rc = cmd_agent(&c, argc, argv);
	else if (!strcmp(cmd, "team"))
		rc = cmd_team(&c, argc, argv);
	else if (!strcmp(cmd, "policy"))
		rc = ctl_policy(&c, argc, argv);
	else if (!strcmp(cmd, "priority"))
		rc = cmd_priority(&c, argc, argv);
	else if (!strcmp(cmd, "template"))
		rc = ctl_template(&c, argc, argv);
	else if (!strcmp(cmd, "help"))
		usage(stdout, 0);
	else {
		warnx("unknown command \"%s\"", cmd);
		usage(stderr, 2);
	}
	if (c.db.conn)
		db_close(&c.db);
	cobro_conf_free(&c.conf);
	return rc;
}
