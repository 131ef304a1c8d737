/* cobrod: the daemon. It connects as a member of cobro_daemon, checks the
 * schema version, and runs one single-threaded loop until SIGTERM, reloading
 * its configuration on SIGHUP. In the loop, waiting in curl_multi_poll() on
 * the transfers, the database socket and the listener's socket together:
 *	- the outbox dispatcher (src/dispatch.c), woken by NOTIFY_OUTBOX;
 *	- the listener for delivery reports and inbound messages (src/listener.c),
 *	  the reports written on a second connection of their own, not waited for;
 *	- the daily re-ranking of the worklist (src/priority.c);
 *	- the history's partitions kept ahead of the clock (src/core/partition.c),
 *	  on start and once a day;
 *	- the promise keeper (src/core/promise_keep.c), on start and every
 *	  promises.evaluate_every seconds;
 *	- the strategy scheduler (strategy_job.c): each day's segmentation and
 *	  ladders, once, in a child process.
 * A lost database is reconnected; meanwhile nothing is claimed, results wait
 * in memory, and the listener answers 503 so that gateways retry.
 * Strategies are planned to run here too (docs/architecture.md). */
#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "audit.h"
#include "db.h"
#include "dispatch.h"
#include "listener.h"
#include "log.h"
#include "migrate.h"
#include "notify.h"
#include "partition.h"
#include "presence.h"
#include "reassign.h"
#include "priority.h"
#include "promise_keep.h"
#include "strategy_job.h"
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
		bool stale;

		if (now - rr->checked < 60)
			return;
		rr->checked = now;
		if (!(r = db_exec(db, "SELECT current_date::text", 0, NULL))) {
			log_error("cannot read the date: %s", db->err);
			return;
		}
		if (strcmp(PQgetvalue(r, 0, 0), rr->day) != 0) {
			/* A restart on a day already ranked has nothing to walk: the
			 * walk over 1,000,000 accounts finding nothing took 2 to 5 s
			 * of the database on the 2-core bench machine, the question
			 * 0.3 s, and the outbox sends meanwhile. */
			if (!priority_stale_any(db, &stale)) {
				log_error("ranking the worklist: %s", db->err);
				PQclear(r);
				return; /* asked again at the next check */
			}
			snprintf(rr->day, sizeof rr->day, "%s", PQgetvalue(r, 0, 0));
			if (stale) {
				rr->walking = true;
				rr->cursor = 0;
				log_info("ranking the worklist as of %s", rr->day);
			} else {
				log_info("worklist already ranked as of %s", rr->day);
			}
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

/* The history's partitions: made on start and on each new day (the
 * database's date), so that the month ahead is always there whatever the
 * year. A failure (the lock on event not had within its 5 s) is tried again
 * at the next check, a minute later. */
struct upkeep {
	char day[16];       /* the day of the last upkeep done */
	time_t checked;
};

static void upkeep_turn(struct db *db, struct upkeep *u)
{
	struct partition_made made[16];
	time_t now = time(NULL);
	PGresult *r;
	int n;

	if (u->checked && now - u->checked < 60)
		return;
	u->checked = now;
	if (!(r = db_exec(db, "SELECT current_date::text", 0, NULL))) {
		log_error("cannot read the date: %s", db->err);
		return;
	}
	if (strcmp(PQgetvalue(r, 0, 0), u->day) == 0) {
		PQclear(r);
		return;
	}
	if ((n = partition_keep(db, PARTITION_MONTHS_AHEAD, made, (int)ARRAY_SIZE(made))) < 0) {
		log_error("making the history's partitions: %s", db->err);
		PQclear(r);
		return;
	}
	for (int i = 0; i < n && i < (int)ARRAY_SIZE(made); i++)
		log_info("created partition %s (%lld row%s moved in from event_default)", made[i].name,
		         made[i].moved, made[i].moved == 1 ? "" : "s");
	snprintf(u->day, sizeof u->day, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
}

/* The promise keeper: every promise's due installments decided (kept,
 * partial, broken, late) on start and every promises.evaluate_every seconds
 * (0: never; an operator runs cobroctl promises evaluate). The evaluation is
 * one set-based statement: a portfolio of 1,000,000 accounts takes seconds,
 * and the outbox waits meanwhile. A failure is tried again at the next turn
 * of the period. */
struct keeper {
	time_t last;
};

static void keeper_turn(struct db *db, struct keeper *k, int every)
{
	struct promise_counts n;
	time_t now = time(NULL);

	if (every <= 0 || (k->last && now - k->last < every))
		return;
	k->last = now;
	if (!promise_evaluate_at(db, 0, &n)) {
		log_error("evaluating promises: %s", db->err);
		return;
	}
	if (n.kept || n.partial || n.broken || n.late)
		log_info("promises evaluated: %ld kept, %ld partial, %ld broken, %ld late", n.kept, n.partial,
		         n.broken, n.late);
	else
		log_debug("promises evaluated: nothing decided");
}

/* Workstations that died: their presence expired (three heartbeat periods
 * after their last beat) and nobody else would say so; a sweep every
 * period, from start, takes the rows and tells their teams' dashboards
 * (functions/presence.sql). */
#define SWEEP_EVERY 30

static void sweep_turn(struct db *db, time_t *last)
{
	time_t now = time(NULL);
	int n;

	if (*last && now - *last < SWEEP_EVERY)
		return;
	*last = now;
	if (!presence_sweep(db, &n))
		log_error("sweeping expired presence: %s", db->err);
	else if (n)
		log_info("presence: %d workstation%s gone silent, now offline", n, n == 1 ? "" : "s");
	/* Reassignment (functions/reassign.sql): the absences whose day has
	 * come end, and the moves that waited for a lease now expired happen. */
	if (!reassign_sweep(db, &n))
		log_error("sweeping reassignments: %s", db->err);
	else if (n)
		log_info("reassignment: %d account%s moved (absences ended, leases expired)", n, n == 1 ? "" : "s");
}

static bool i_am_daemon(struct db *db)
{
	PGresult *r = db_exec(db, "SELECT pg_has_role(current_user, 'cobro_daemon', 'MEMBER')", 0, NULL);
	bool yes = r && PQgetvalue(r, 0, 0)[0] == 't';

	PQclear(r);
	return yes;
}

/* What cobrod listens for: a queued message wakes the dispatcher, a new
 * contact policy makes it load the policy again. */
static const char *const channels[] = { NOTIFY_OUTBOX, NOTIFY_POLICY, NULL };

static void heard(const struct notification *n, void *arg)
{
	struct dispatcher *d = arg;

	if (!strcmp(n->channel, NOTIFY_OUTBOX))
		dispatcher_wake(d);
	else if (!strcmp(n->channel, NOTIFY_POLICY))
		dispatcher_policy_changed(d);
}

/* The connection is there, or is tried again every two seconds. Returns
 * whether it is there now. */
static bool reconnect(struct notify *listening, time_t *next_try)
{
	time_t now = time(NULL);

	if (PQstatus(listening->db->conn) == CONNECTION_OK)
		return true;
	if (!*next_try) {
		log_error("lost the database: %s", PQerrorMessage(listening->db->conn));
		*next_try = now;
	}
	if (now < *next_try)
		return false;
	if (!notify_reconnect(listening)) {
		*next_try = now + 2;
		return false;
	}
	log_info("database connection restored");
	*next_try = 0;
	return true;
}

/* The listener takes calls from the Kannel and WhatsApp transports with a
 * callback secret; one without is named, since all its calls will be
 * refused. */
static void gateways_set(struct listener *lis, const struct cobrod_conf *c)
{
	listener_gateways(lis, c);
	for (int i = 0; i < c->ntransports; i++) {
		const struct transport *t = &c->transports[i];

		if (t->kind == TRANSPORT_KANNEL && !t->callback_secret)
			log_warning("transports.%s has no callback_secret: the listener refuses its delivery reports "
			            "and inbound texts (403)",
			            t->name);
		else if (t->kind == TRANSPORT_WHATSAPP && !t->callback_secret)
			log_warning("transports.%s has no callback_secret: the listener refuses its webhook "
			            "(statuses and replies, 403), so its messages stay sent, never delivered",
			            t->name);
	}
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
	struct upkeep upkeep = { .checked = 0 };
	struct keeper keeper = { .last = 0 };
	time_t swept = 0;
	struct strategy_job job = { 0 };
	struct cobrod_conf old = { 0 };
	struct dispatcher *dispatch;
	struct listener *lis = NULL;
	struct notify listening = { .db = &db, .channels = channels };
	time_t next_try = 0;
	char err[512], msg[512], worker[128];
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
	if (!audit_login(&db, "cobrod"))
		die("cannot record the login in the audit chain: %s", db.err);
	log_open("cobrod", conf.log_level, conf.syslog);
	sigemptyset(&term.sa_mask);
	sigemptyset(&hup.sa_mask);
	sigaction(SIGTERM, &term, NULL);
	sigaction(SIGINT, &term, NULL);
	sigaction(SIGHUP, &hup, NULL);
	if (conf.name)
		snprintf(worker, sizeof worker, "%s", conf.name);
	else {
		char host[64] = "";

		gethostname(host, sizeof host - 1);
		snprintf(worker, sizeof worker, "%s:%ld", host, (long)getpid());
	}
	if (!notify_listen(&listening))
		die("cannot listen for notifications: %s", db.err);
	if (conf.listen_port > 0 &&
	    !(lis = listener_start(conf.listen_address, conf.listen_port, &db, err, sizeof err)))
		die("%s", err);
	if (lis)
		gateways_set(lis, &conf);
	/* The delivery reports' own connection: their writes never hold up
	 * the loop (listener.h). Without it they are written on db, waited for. */
	if (lis && !listener_dlr_db(lis, database ? database : conf.database, user, err, sizeof err))
		log_warning("delivery reports are written on the daemon's one connection, waited for: "
		            "a second connection failed: %s",
		            err);
	dispatch = dispatcher_new(&conf, &db, worker);
	job.conninfo = xstrdup(database ? database : conf.database); /* outlives a reload */
	job.user = user;
	job.worker = worker;
	log_info("%s connected as %s, schema version %d", worker, PQuser(db.conn), version);
	/* After SIGTERM: no new claims, the transfers in flight finish and their
	 * results are written, then exit. */
	while (!stop || dispatcher_inflight(dispatch)) {
		struct curl_waitfd extra[3];
		int nextra = 0, wait, lwait, dfd;

		wait = dispatcher_turn(dispatch, stop);
		if (!stop && !reconnect(&listening, &next_try))
			wait = 1000;
		else if (!stop) {
			upkeep_turn(&db, &upkeep);
			rerank_turn(&db, &rerank);
			keeper_turn(&db, &keeper, conf.evaluate_every);
			sweep_turn(&db, &swept);
			job.jobs = conf.strategy_jobs; /* a reload's value at the next run */
			strategy_job_turn(&job, conf.strategy_enabled);
		}
		if (rerank.walking)
			wait = 0;
		if (PQstatus(db.conn) == CONNECTION_OK)
			extra[nextra++] = (struct curl_waitfd){ .fd = PQsocket(db.conn), .events = CURL_WAIT_POLLIN };
		if (lis) {
			extra[nextra++] = (struct curl_waitfd){ .fd = listener_fd(lis), .events = CURL_WAIT_POLLIN };
			/* The delivery reports' statement, answered. */
			if ((dfd = listener_db_fd(lis)) >= 0)
				extra[nextra++] = (struct curl_waitfd){ .fd = dfd, .events = CURL_WAIT_POLLIN };
			/* libmicrohttpd may have work of its own waiting. */
			if ((lwait = listener_timeout_ms(lis)) >= 0 && lwait < wait)
				wait = lwait;
		}
		curl_multi_poll(dispatcher_multi(dispatch), extra, (unsigned)nextra, wait > 1000 ? 1000 : wait, NULL);
		if (reload) {
			struct cobrod_conf fresh;

			reload = 0;
			if (!cobrod_conf_load(&fresh, config, err, sizeof err)) {
				log_error("configuration not reloaded: %s", err);
			} else if (!transports_check(&fresh, err, sizeof err)) {
				cobrod_conf_free(&fresh);
				log_error("configuration not reloaded: %s", err);
			} else {
				/* Transfers in flight own copies of what they need. */
				cobrod_conf_free(&old);
				old = conf;
				conf = fresh;
				dispatcher_set_conf(dispatch, &conf);
				if (lis)
					gateways_set(lis, &conf);
				log_open("cobrod", conf.log_level, conf.syslog);
				log_info("configuration reloaded");
			}
		}
		/* Between the dispatcher's statements, with the connection idle. */
		if (lis)
			listener_run(lis);
		/* After the listener: its queries may have read notifications.
		 * A broken connection is seen by reconnect() next turn. */
		if (PQstatus(db.conn) == CONNECTION_OK)
			notify_read(&listening, heard, dispatch);
	}
	/* The last results, if the database is there to take them; if not, the
	 * messages come back when their claims run out. */
	dispatcher_turn(dispatch, true);
	{
		const struct dispatch_stats *st = dispatcher_stats(dispatch);

		log_info("stopping: %lld sent, %lld retried, %lld deferred, %lld failed, %lld refused", st->sent,
		         st->retried, st->deferred, st->failed, st->refused);
	}
	strategy_job_stop(&job);
	dispatcher_free(dispatch);
	listener_stop(lis);
	cobrod_conf_free(&old);
	log_info("stopped");
	log_close();
	db_close(&db);
	cobrod_conf_free(&conf);
	curl_global_cleanup();
	return 0;
}
