/* cobroctl team and agent: the people who use cobro, and their teams. */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "agent.h"
#include "cobroctl.h"
#include "util.h"

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

static int agent_run(struct ctl *c, int argc, char **argv)
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

	if (argc >= 2 && (!strcmp(argv[1], "absent") || !strcmp(argv[1], "present")))
		return ctl_agent_absence(c, argc, argv);
	if (argc >= 2 && strcmp(argv[1], "list") == 0) {
		ctl_connect(c);
		if (!agent_list(&c->db, stdout))
			die("%s", c->db.err);
		return 0;
	}
	if (argc < 3 || strcmp(argv[1], "add") != 0)
		return ctl_usage(&ctl_agent_cmd);
	login = argv[2];
	optind = 3;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'n': name = optarg; break;
		case 'r': role = optarg; break;
		case 't': team = optarg; break;
		case 'p': ask = true; break;
		default: return ctl_usage(&ctl_agent_cmd);
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

static int team_run(struct ctl *c, int argc, char **argv)
{
	if (argc != 5 || strcmp(argv[1], "add") != 0 || strcmp(argv[3], "--name") != 0)
		die("usage: cobroctl team add CODE --name NAME");
	ctl_connect(c);
	if (!team_add(&c->db, argv[2], argv[4]))
		die("team add %s: %s", argv[2], c->db.err);
	printf("added team %s\n", argv[2]);
	return 0;
}

const struct ctl_command ctl_team_cmd = {
	.name = "team",
	.usage = "  team add CODE --name NAME    create a team\n",
	.run = team_run,
};

const struct ctl_command ctl_agent_cmd = {
	.name = "agent",
	.usage = "  agent add LOGIN --name NAME --role collector|supervisor|lead|admin|daemon [--team TEAM]\n"
	         "            [--password]       create a person (password read from standard input)\n"
	         "  agent list                   list the people\n"
	         "  agent absent LOGIN --until DATE  their accounts to the team's pool until DATE\n"
	         "  agent present LOGIN          back early: the untouched accounts return to them\n",
	.run = agent_run,
};
