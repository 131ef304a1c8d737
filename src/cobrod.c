/* cobrod: the daemon. It connects as a member of cobro_daemon, checks the
 * schema version, and runs its loop until SIGTERM, reloading its
 * configuration on SIGHUP. In the loop: the daily re-ranking of the worklist
 * (src/priority.c). The outbox dispatcher, delivery receipts, strategies and
 * the promise keeper are planned to run inside this loop too
 * (docs/architecture.md). */
#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "db.h"
#include "log.h"
#include "migrate.h"
#include "priority.h"
#include "transport.h"
#include "util.h"

static const char usage_text[] =
	"usage: cobrod [--config FILE] [--database CONNINFO] [--user LOGIN]\n"
	"\n"
	"  -c, --config FILE       configuration file (default: $XDG_CONFIG_HOME/cobro/cobrod.conf,\n"
	"                          then /etc/cobro/cobrod.conf)\n"
	"  -d, --database CONNINFO libpq connection string or service=NAME\n"
	"  -U, --user LOGIN        the daemon's login role (a member of cobro_daemon)\n"
	"  -h, --help              this text\n"
	"  -V, --version           the version\n"
	"\n"
	"SIGTERM stops it; SIGHUP reloads the configuration. See cobrod(8).\n";

static volatile sig_atomic_t stop, reload;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void on_hup(int sig)
{
	(void)sig;
	reload = 1;
}

/* The worklist's ranks age by a day at midnight (the database's date): walk
 * all accounts once a day, a short transaction per loop turn, so the loop
 * stays free for other work. */
struct rerank {
	char day[16];       /* the day of the last finished walk */
	long long cursor;
	bool walking;
	time_t checked;
};

static void rerank_turn(struct db *db, struct rerank *rr)
{
	time_t now = time(NULL);
	bool done;

	if (!rr->walking) {
		PGresult *r;

		if (now - rr->checked < 60)
			return;
		rr->checked = now;
		if (!(r = db_exec(db, "SELECT current_date::text", 0, NULL))) {
			log_error("cannot read the date: %s", db->err);
			return;
		}
		if (strcmp(PQgetvalue(r, 0, 0), rr->day) != 0) {
			snprintf(rr->day, sizeof rr->day, "%s", PQgetvalue(r, 0, 0));
			rr->walking = true;
			rr->cursor = 0;
			log_info("ranking the worklist as of %s", rr->day);
		}
		PQclear(r);
		return;
	}
	if (!priority_refresh_step(db, PRIORITY_REFRESH_BATCH, &rr->cursor, &done)) {
		log_error("ranking the worklist: %s", db->err);
		rr->walking = false;
		rr->day[0] = '\0';   /* try again at the next check */
		return;
	}
	if (done) {
		rr->walking = false;
		log_info("worklist ranked as of %s", rr->day);
	}
}

static bool i_am_daemon(struct db *db)
{
	PGresult *r = db_exec(db, "SELECT pg_has_role(current_user, 'cobro_daemon', 'MEMBER')", 0, NULL);
	bool yes = r && PQgetvalue(r, 0, 0)[0] == 't';

	PQclear(r);
	return yes;
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
	const char *config = NULL, *database = NULL, *user = NULL;
	struct cobrod_conf conf;
	struct sigaction term = { .sa_handler = on_term }, hup = { .sa_handler = on_hup };
	struct db db;
	struct rerank rerank = { .checked = 0 };
	char err[512], msg[512];
	int ch, version;

	progname = "cobrod";
	while ((ch = getopt_long(argc, argv, "c:d:U:hV", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': config = optarg; break;
		case 'd': database = optarg; break;
		case 'U': user = optarg; break;
		case 'h': fputs(usage_text, stdout); return 0;
		case 'V': printf("cobrod %s\n", COBRO_VERSION); return 0;
		default: fputs(usage_text, stderr); return 2;
		}
	}
	if (optind != argc) {
		fputs(usage_text, stderr);
		return 2;
	}
	if (!cobrod_conf_load(&conf, config, err, sizeof err) || !transports_check(&conf, err, sizeof err))
		die("%s", err);
	if (cobrod_conf_exposed(&conf, msg, sizeof msg))
		warnx("warning: %s", msg);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		die("cannot initialise libcurl");
	if (!db_connect(&db, database ? database : conf.database, user, "cobrod"))
		die("cannot connect to the database: %s", db.err);
	version = migrate_current(&db);
	if (version < 0)
		die("cannot read the schema version: %s", db.err);
	if (version < migrations[migrations_count - 1].version)
		die("the database schema is at version %d, this cobrod needs %d: run cobroctl migrate", version,
		    migrations[migrations_count - 1].version);
	if (!i_am_daemon(&db))
		die("%s is not a member of cobro_daemon (cobroctl agent add LOGIN --role daemon)", PQuser(db.conn));
	log_open("cobrod", conf.log_level, conf.syslog);

	sigemptyset(&term.sa_mask);
	sigemptyset(&hup.sa_mask);
	sigaction(SIGTERM, &term, NULL);
	sigaction(SIGINT, &term, NULL);
	sigaction(SIGHUP, &hup, NULL);
	log_info("%s connected as %s, schema version %d", conf.name ? conf.name : "cobrod", PQuser(db.conn),
	         version);
	while (!stop) {
		struct pollfd pfd = { .fd = PQsocket(db.conn), .events = POLLIN };

		if (poll(&pfd, 1, rerank.walking ? 0 : 1000) < 0 && errno != EINTR)
			break;
		if (reload) {
			struct cobrod_conf fresh;

			reload = 0;
			if (!cobrod_conf_load(&fresh, config, err, sizeof err)) {
				log_error("configuration not reloaded: %s", err);
			} else if (!transports_check(&fresh, err, sizeof err)) {
				cobrod_conf_free(&fresh);
				log_error("configuration not reloaded: %s", err);
			} else {
				cobrod_conf_free(&conf);
				conf = fresh;
				log_open("cobrod", conf.log_level, conf.syslog);
				log_info("configuration reloaded");
			}
		}
		if ((pfd.revents & POLLIN) && !PQconsumeInput(db.conn))
			die("lost the database: %s", PQerrorMessage(db.conn));
		rerank_turn(&db, &rerank);
	}
	log_info("stopped");
	log_close();
	db_close(&db);
	cobrod_conf_free(&conf);
	curl_global_cleanup();
	return 0;
}
