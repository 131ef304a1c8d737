/* cobro: the collector's workstation. */
#include <getopt.h>
#include <libintl.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "audit.h"
#include "config.h"
#include "db.h"
#include "login.h"
#include "registry.h"
#include "ui.h"
#include "intl.h"
#include "lang.h"
#include "util.h"

static const char usage_text[] = N_(
	"usage: cobro [--config FILE] [--database CONNINFO] [--user LOGIN] [--login]\n"
	"\n"
	"  -c, --config FILE       configuration file (default: $XDG_CONFIG_HOME/cobro/cobro.conf,\n"
	"                          then /etc/cobro/cobro.conf)\n"
	"  -d, --database CONNINFO libpq connection string or service=NAME\n"
	"  -U, --user LOGIN        log in as this person (their PostgreSQL role)\n"
	"  -l, --login             ask for user and password (also asked when the\n"
	"                          database wants a password libpq has none of)\n"
	"  -h, --help              this text\n"
	"  -V, --version           the version\n"
	"      --keys              every screen's keys and actions, one per line\n"
	"\n"
	"Press ? on any screen for its keys. See cobro(1).\n");

/* conf NULL: the environment's language alone, for what is said before the
 * configuration is read (the usage). */
static void setup_language(const struct cobro_conf *conf)
{
	lang_setup(conf ? conf->language : NULL);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "database", required_argument, NULL, 'd' },
		{ "user", required_argument, NULL, 'U' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "keys", no_argument, NULL, 'K' },
		{ "login", no_argument, NULL, 'l' },
		{ 0 },
	};
	const char *config = NULL, *database = NULL, *user = NULL;
	struct cobro_conf conf;
	struct whoami me;
	struct db db;
	char err[512], msg[512];
	const char *conninfo, *login;
	bool ask = false, tty;
	int ch, rc;

	progname = "cobro";
	setup_language(NULL);
	while ((ch = getopt_long(argc, argv, "c:d:U:lhV", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': config = optarg; break;
		case 'd': database = optarg; break;
		case 'U': user = optarg; break;
		case 'h': fputs(_(usage_text), stdout); return 0;
		case 'V': printf("cobro %s\n", COBRO_VERSION); return 0;
		case 'K': screen_print_keys(&cobro_screens, stdout); return 0;
		case 'l': ask = true; break;
		default: fputs(_(usage_text), stderr); return 2;
		}
	}
	if (optind != argc) {
		fputs(_(usage_text), stderr);
		return 2;
	}
	if (!cobro_conf_load(&conf, config, err, sizeof err))
		die("%s", err);
	if (conf_password_exposed(conf.path, conf.database, msg, sizeof msg))
		warnx("warning: %s", msg);
	setup_language(&conf);

	/* A --database given here is taken whole: the configuration's user does not
	 * override a user= inside it. */
	conninfo = database ? database : conf.database;
	login = user ? user : database ? NULL : conf.user;
	tty = isatty(0) && isatty(1);
	if (ask && !tty)
		die("%s", _("--login needs a terminal"));
	if (ask || !db_connect(&db, conninfo, login, "cobro")) {
		/* libpq looked in PGPASSWORD and the password file (and a service
		 * file's entry) already: asking the person is what is left. */
		if (!ask && !(tty && db_login_refused(&db)))
			die(_("cannot connect to the database: %s"), db.err);
		if (!ask)
			db_close(&db);
		if (!login_run(&db, conninfo, login, "cobro", err, sizeof err))
			die(_("cannot connect to the database: %s"), err);
	}
	/* Every login is on the record, before anything else is done. */
	if (!audit_login(&db, "cobro"))
		die(_("cannot record the login in the audit chain: %s"), db.err);
	if (!agent_whoami(&db, &me))
		die("%s", db.err);
	rc = ui_run(&db, &conf, &me, &cobro_screens);
	db_close(&db);
	cobro_conf_free(&conf);
	return rc;
}
