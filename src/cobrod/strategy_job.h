/* cobrod's strategy scheduler (issue 18, lines 1 and 4): once day D has
 * begun (by the policy's clock, policy_now(): COBRO_NOW in tests) and no
 * run of D is recorded, segmentation then the ladders of D
 * (strategy_run_day()), in a child process with a connection of its own,
 * so that the dispatcher and the listener never wait for it. Several
 * cobrod: the database decides which one runs a day (the day's advisory
 * lock, strategy_run's unique (kind, day)); a restart finds the day done.
 * After an outage the day's run catches up by the catch-up rule (steps
 * too late are recorded skipped, never sent). */
#ifndef COBRO_STRATEGY_JOB_H
#define COBRO_STRATEGY_JOB_H

#include <stdbool.h>
#include <sys/types.h>

struct strategy_job {
	const char *conninfo; /* how the child connects: cobrod's own */
	const char *user;
	const char *worker;   /* cobrod's name, recorded on the run */
	int jobs;             /* connections reading the facts at once (strategy.jobs) */
	int done_day;         /* the last day found done (days since 1970); 0: none yet */
	pid_t child;          /* the run in progress; 0: none */
	int child_day;
	double checked;       /* monotonic seconds of the last look */
	bool said_unloaded;   /* "no strategy is loaded" logged (once until one is) */
	int failed_day;       /* the day whose run failed already (said once) */
};

/* One turn of cobrod's loop: looks (every 30 s, and at once when a run
 * ends) whether today's run is due, starts it, and reaps a run that
 * ended. enabled: strategy.enabled. */
void strategy_job_turn(struct strategy_job *j, bool enabled);
/* At stop: a run in progress is ended (its transaction rolls back; the
 * next start runs the day again) and reaped. */
void strategy_job_stop(struct strategy_job *j);

#endif
