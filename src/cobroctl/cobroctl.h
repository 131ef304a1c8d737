/* What cobroctl's command files share: the connection, the options every
 * command takes, and the command table's entry. */
#ifndef COBRO_COBROCTL_H
#define COBRO_COBROCTL_H

#include <stdbool.h>
#include <stdio.h>

#include "config.h"
#include "db.h"
#include "partition.h"

struct ctl {
	const char *config;
	const char *database;
	const char *user;
	struct cobro_conf conf;
	struct db db;
};

/* One command group: its first word, its lines of the usage, and what runs
 * it (argv[0] is the name; returns the exit status). main.c lists them. */
struct ctl_command {
	const char *name;
	const char *usage;
	int (*run)(struct ctl *c, int argc, char **argv);
};

extern const struct ctl_command ctl_init_cmd, ctl_migrate_cmd;      /* cmd_schema.c */
extern const struct ctl_command ctl_demo_cmd;                       /* cmd_demo.c */
extern const struct ctl_command ctl_team_cmd, ctl_agent_cmd;        /* cmd_people.c */
extern const struct ctl_command ctl_policy_cmd;                     /* cmd_policy.c */
extern const struct ctl_command ctl_priority_cmd;                   /* cmd_priority.c */
extern const struct ctl_command ctl_template_cmd;                   /* cmd_template.c */
extern const struct ctl_command ctl_maintenance_cmd;                /* cmd_maintenance.c */
extern const struct ctl_command ctl_lease_cmd;                      /* cmd_lease.c */
extern const struct ctl_command ctl_undo_cmd;                       /* cmd_undo.c */
extern const struct ctl_command ctl_phone_cmd;                      /* cmd_phone.c */
extern const struct ctl_command ctl_limits_cmd;                     /* cmd_limits.c */
extern const struct ctl_command ctl_promises_cmd;                   /* cmd_promises.c */
extern const struct ctl_command ctl_import_cmd;                     /* cmd_import.c */
extern const struct ctl_command ctl_report_cmd;                     /* cmd_report.c */
extern const struct ctl_command ctl_audit_cmd;                      /* cmd_audit.c */
extern const struct ctl_command ctl_reassign_cmd;                   /* cmd_reassign.c */
extern const struct ctl_command ctl_strategy_cmd;                   /* cmd_strategy.c */
extern const struct ctl_command ctl_segment_cmd;                    /* cmd_strategy_run.c */

/* cobroctl strategy run and strategy dry-run (cmd_strategy_run.c). */
int ctl_strategy_run(struct ctl *c, int argc, char **argv);
int ctl_strategy_dry_run(struct ctl *c, int argc, char **argv);

/* cobroctl strategy report (cmd_report.c): a sub-command of strategy. */
int ctl_strategy_report(struct ctl *c, int argc, char **argv);
/* cobroctl strategy clean (strategy_clean.c): the data-cleaning run. */
int ctl_strategy_clean(struct ctl *c, int argc, char **argv);

/* cobroctl agent absent|present (cmd_reassign.c; cmd_people.c calls it). */
int ctl_agent_absence(struct ctl *c, int argc, char **argv);

/* Makes the history's partitions (partition_keep()) and prints each one made;
 * with summary, the range of months they cover. Dies on an error; returns 0. */
int ctl_partitions_keep(struct ctl *c, int ahead, bool summary);

/* The demo's promise limits: the promise.conf shipped beside cobroctl,
 * stored unless an administrator loaded limits already (cmd_limits.c).
 * False with c->db.err. */
bool ctl_limits_demo(struct ctl *c, bool quiet);

/* Connects to the database, records the login in the audit chain (once the
 * schema has one), or dies with the reason. */
void ctl_connect(struct ctl *c);
/* A whole number from min to max, or dies naming the option. */
long parse_long(const char *what, const char *s, long min, long max);
/* A command group's second word ("policy show") and what runs it. */
struct ctl_sub {
	const char *name;
	int (*run)(struct ctl *c, int argc, char **argv);
};
/* Runs the sub-command argv[1] names, or says cmd's usage (exit 2). */
int ctl_dispatch(const struct ctl_command *cmd, const struct ctl_sub *subs, size_t nsubs, struct ctl *c,
                 int argc, char **argv);
/* The command's usage on stderr; returns 2, a usage error's exit status. */
int ctl_usage(const struct ctl_command *cmd);

#endif
