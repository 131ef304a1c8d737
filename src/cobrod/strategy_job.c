/* cobrod's strategy scheduler (strategy_job.h). The run is a child
 * process: a day of 1,000,000 accounts is tens of seconds of work, and a
 * step of it per loop turn would still hold cobrod's one connection
 * through the facts' COPY and the day's one transaction, while a child
 * with its own connection leaves the loop as it was. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cleaning.h"
#include "db.h"
#include "log.h"
#include "policy_store.h"
#include "strategy_decide.h"
#include "strategy_job.h"
#include "strategy_run.h"

#define LOOK_EVERY 30 /* seconds between looks while the day is not done */

/* Exit statuses of the child. */
enum { RUN_DONE = 0, RUN_FAILED = 1, RUN_BUSY = 3, RUN_UNLOADED = 4 };

static double monotonic(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The day's data cleaning (cleaning.h), after the day's run, in the same
 * child: the debtors whose numbers are all wrong or failing asked for a
 * current one. Asking twice is the database's to prevent (every_days,
 * under the debtor's lock), so a second cobrod's run would queue nothing. */
static void clean(struct db *db, int64_t at, const char *ymd)
{
	struct cleaning_conf conf;
	struct cleaning_counts n = { 0 };
	char err[512];

	if (!cleaning_conf_in_force(db, &conf, err, sizeof err)) {
		log_error("data cleaning of %s: %s", ymd, err);
		return;
	}
	if (!cleaning_run(db, &conf, at, NULL, false, NULL, NULL, &n)) {
		log_error("data cleaning of %s: %s", ymd, db->err);
		return;
	}
	if (n.due)
		log_info("data cleaning of %s: %d asks due, %d queued, %d skipped, %d failed", ymd, n.due, n.queued,
		         n.skipped, n.failed);
}

/* The child: connects, runs day, says what it did, exits. Never returns. */
static void child_run(const struct strategy_job *j, int day)
{
	/* A day that failed once fails again the same way every 30 s (a
	 * version that no longer checks, the database away): said once. */
	enum log_level failure = j->failed_day == day ? LOG_DEBUG : LOG_ERROR;
	struct strategy_run_opts o = { .kind = STRATEGY_RUN_LADDER, .day = day, .worker = j->worker,
		                       .now = policy_now(), .jobs = j->jobs };
	struct strategy_result res;
	struct db db;
	char err[1024], ymd[16];
	int status = RUN_DONE;

	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_IGN);
	strategy_day_format(day, ymd, sizeof ymd);
	if (!db_connect(&db, j->conninfo, j->user, "cobrod strategy")) {
		log_msg(failure, "strategy run of %s: cannot connect: %s", ymd, db.err);
		_exit(RUN_FAILED);
	}
	if (!strategy_run_day(&db, &o, &res, err, sizeof err)) {
		log_msg(failure, "strategy run of %s: %s", ymd, err);
		status = RUN_FAILED;
	} else if (res.unloaded) {
		status = RUN_UNLOADED; /* said once by the parent */
	} else if (res.busy) {
		log_debug("strategy run of %s: another cobrod runs it", ymd);
		status = RUN_BUSY;
	} else if (res.already) {
		log_info("strategy run of %s: done already", ymd);
	} else {
		long long messages = 0, assigned = 0, placed = 0, skipped = 0, refused = 0, waiting = 0;

		for (int i = 0; i < res.ntallies; i++) {
			messages += res.tallies[i].messages;
			assigned += res.tallies[i].assignments;
			placed += res.tallies[i].placements;
			skipped += res.tallies[i].skipped;
			refused += res.tallies[i].refused;
			waiting += res.tallies[i].waiting;
		}
		log_info("strategy run of %s (version %d): %lld accounts, %lld changed segment; %lld messages, "
		         "%lld assigned, %lld placed, %lld skipped, %lld refused, %lld waiting; %.1f s",
		         ymd, res.version, res.accounts, res.changed, messages, assigned, placed, skipped, refused,
		         waiting, res.seconds);
		for (int i = 0; i < res.nplacement_files; i++)
			log_info("placement file %s written", res.placement_files[i]);
		clean(&db, o.now, ymd);
	}
	strategy_result_free(&res);
	db_close(&db);
	log_close();
	_exit(status);
}

static void reap(struct strategy_job *j, bool block)
{
	int st;
	pid_t p;

	if (!j->child)
		return;
	p = waitpid(j->child, &st, block ? 0 : WNOHANG);
	if (p == 0 || (p < 0 && errno == EINTR))
		return;
	if (p == j->child && WIFEXITED(st) && WEXITSTATUS(st) == RUN_DONE)
		j->done_day = j->child_day;
	if (p == j->child && WIFEXITED(st) && WEXITSTATUS(st) == RUN_FAILED)
		j->failed_day = j->child_day;
	if (p == j->child && WIFEXITED(st) && WEXITSTATUS(st) == RUN_UNLOADED) {
		if (!j->said_unloaded)
			log_info("no strategy is loaded (cobroctl strategy load): the days are left alone until one is");
		j->said_unloaded = true;
	} else if (p == j->child) {
		j->said_unloaded = false;
	}
	else if (p == j->child && WIFSIGNALED(st))
		log_error("strategy run ended by signal %d", WTERMSIG(st));
	j->child = 0;
	/* Busy (another cobrod runs the day) or failed: look again a period
	 * after the end, not after the start. */
	j->checked = monotonic();
}

void strategy_job_turn(struct strategy_job *j, bool enabled)
{
	int day = (int)(policy_now() / 86400);
	double now = monotonic();
	pid_t p;

	reap(j, false);
	if (j->child || !enabled || j->done_day == day)
		return;
	if (j->checked && now - j->checked < LOOK_EVERY)
		return;
	j->checked = now;
	p = fork();
	if (p < 0) {
		log_error("cannot start the strategy run: %s", strerror(errno));
		return;
	}
	if (p == 0)
		child_run(j, day);
	j->child = p;
	j->child_day = day;
}

void strategy_job_stop(struct strategy_job *j)
{
	if (!j->child)
		return;
	kill(j->child, SIGTERM);
	reap(j, true);
}
