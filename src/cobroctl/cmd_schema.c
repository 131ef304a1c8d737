/* cobroctl init and migrate: the schema, created or brought up to date. */
#include <stdio.h>
#include <string.h>

#include "cobroctl.h"
#include "migrate.h"
#include "util.h"

static int schema_status(struct ctl *c)
{
	int n, latest = migrations[migrations_count - 1].version;

	ctl_connect(c);
	if ((n = migrate_current(&c->db)) < 0)
		die("%s", c->db.err);
	printf("schema version %d of %d\n", n, latest);
	return n == latest ? 0 : 1;
}

static int schema_apply(struct ctl *c)
{
	int n;

	ctl_connect(c);
	n = migrate_apply(&c->db, stdout);
	if (n < 0)
		die("migration failed, nothing of it was applied: %s", c->db.err);
	printf("schema is at version %d (%d applied now)\n", migrate_current(&c->db), n);
	return 0;
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
	.usage = "  migrate [--status]           apply the migrations not yet applied\n",
	.run = migrate_run,
};
