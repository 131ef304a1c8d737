/* cobroctl: the administrator's command line. One file per command group
 * (cmd_*.c), each an entry of the table below. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cobroctl.h"
#include "config.h"
#include "db.h"
#include "lang.h"
#include "util.h"

/* In the order cobroctl --help lists them. */
static const struct ctl_command *const commands[] = {
	&ctl_init_cmd,   &ctl_migrate_cmd, &ctl_demo_cmd,     &ctl_team_cmd,
	&ctl_agent_cmd,  &ctl_policy_cmd,  &ctl_limits_cmd,   &ctl_priority_cmd, &ctl_template_cmd,
	&ctl_maintenance_cmd,
	&ctl_lease_cmd,
	&ctl_undo_cmd,
	&ctl_phone_cmd,
	&ctl_promises_cmd,
	&ctl_import_cmd,
	&ctl_report_cmd,
	&ctl_audit_cmd,
	&ctl_reassign_cmd,
	&ctl_segment_cmd,
	&ctl_strategy_cmd,
};

static void usage(FILE *f, int status)
{
	fputs("usage: cobroctl [--config FILE] [--database CONNINFO] [--user LOGIN] COMMAND [ARGS]\n"
	      "\n"
	      "commands:\n",
	      f);
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fputs(commands[i]->usage, f);
	fputs("\n"
	      "The database is --database, else the configuration's \"database\" setting, else\n"
	      "libpq's defaults (PGHOST, PGPORT, PGDATABASE, PGUSER, ~/.pgpass, pg_service.conf).\n"
	      "See cobroctl(1).\n",
	      f);
	exit(status);
}

static const struct ctl_command *command_named(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i]->name, name))
			return commands[i];
	return NULL;
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
	const struct ctl_command *cmd;
	struct ctl c = { 0 };
	char err[512], msg[512];
	int ch, rc;

	progname = "cobroctl";
	/* What cobroctl says in the environment's language (LANGUAGE, LC_ALL,
	 * LANG); the workstation's ui.language is the workstation's. */
	lang_setup(NULL);
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
	/* The configuration is read first: a broken one is the first thing to
	 * say, whatever the command. */
	if (!cobro_conf_load(&c.conf, c.config, err, sizeof err))
		die("%s", err);
	if (conf_password_exposed(c.conf.path, c.conf.database, msg, sizeof msg))
		warnx("warning: %s", msg);
	argc -= optind;
	argv += optind;
	if (!strcmp(argv[0], "help"))
		usage(stdout, 0);
	if (!(cmd = command_named(argv[0]))) {
		warnx("unknown command \"%s\"", argv[0]);
		usage(stderr, 2);
	}
	rc = cmd->run(&c, argc, argv);
	if (c.db.conn)
		db_close(&c.db);
	cobro_conf_free(&c.conf);
	return rc;
}
