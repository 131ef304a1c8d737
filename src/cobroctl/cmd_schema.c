/* cobroctl init and migrate: the schema, created or brought up to date, and
 * the history's partitions made ahead of the clock. */
#include <stdio.h>
#include <string.h>

#include "cobroctl.h"
#include "migrate.h"
#include "text.h"
#include "util.h"

/* What --status says of a file in each state. */
static const struct {
	const char *word, *why;
} states[] = {
	[MIGRATE_APPLIED] = { "applied", "" },
	[MIGRATE_PENDING] = { "pending", "not applied yet" },
	[MIGRATE_CHANGED] = { "changed", "its text changed since it was applied: applied again" },
	[MIGRATE_REWRITTEN] = { "rewritten", "supersedes the text applied before: accepted as it is" },
	[MIGRATE_REFUSED] = { "refused", "changed after it was applied: write a new migration instead" },
};

/* One line per file with something to do, then the version. Exit status 0
 * when nothing is left to do. */
static int schema_status(struct ctl *c)
{
	struct migrate_plan plan;
	int n, latest = migrations[migrations_count - 1].version;

	ctl_connect(c);
	if ((n = migrate_current(&c->db)) < 0 || !migrate_plan(&c->db, &plan))
		die("%s", c->db.err);
	for (int i = 0; i < plan.n; i++) {
		const struct migrate_step *s = &plan.steps[i];
		char word[32];

		if (s->state != MIGRATE_APPLIED)
			printf("%s %s: %s\n", text_pad(word, sizeof word, states[s->state].word, 9, false), s->m->name,
			       states[s->state].why);
	}
	printf("schema version %d of %d", n, latest);
	if (plan.todo)
		printf(", %d file%s to apply or accept\n", plan.todo, plan.todo == 1 ? "" : "s");
	else
		printf(", functions up to date\n");
	n = plan.todo;
	migrate_plan_free(&plan);
	return n ? 1 : 0;
}

static int schema_apply(struct ctl *c)
{
	int n;

	ctl_connect(c);
	n = migrate_apply(&c->db, stdout);
	if (n < 0)
		die("migrate stopped, and rolled back the step that failed: %s", c->db.err);
	printf("schema is at version %d (%d applied now)\n", migrate_current(&c->db), n);
	/* A database is ready for its history once it is migrated. */
	return ctl_partitions_keep(c, PARTITION_MONTHS_AHEAD, false);
}

static int init_run(struct ctl *c, int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return ctl_usage(&ctl_init_cmd);
	return schema_apply(c);
}

static int migrate_run(struct ctl *c, int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--status") == 0)
		return schema_status(c);
	if (argc > 1)
		return ctl_usage(&ctl_migrate_cmd);
	return schema_apply(c);
}

const struct ctl_command ctl_init_cmd = {
	.name = "init",
	.usage = "  init                         create or upgrade the schema (same as migrate)\n",
	.run = init_run,
};

const struct ctl_command ctl_migrate_cmd = {
	.name = "migrate",
	.usage = "  migrate [--status]           apply the migrations and function files not yet applied\n",
	.run = migrate_run,
};
