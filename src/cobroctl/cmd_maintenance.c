/* cobroctl maintenance: what cobrod does by itself, on demand, for a site
 * that runs no cobrod or cannot wait for it. */
#include <stdio.h>
#include <string.h>

#include "cobroctl.h"
#include "partition.h"
#include "util.h"

int ctl_partitions_keep(struct ctl *c, int ahead, bool summary)
{
	struct partition_made made[64];
	char first[16], last[16];
	int n;

	ctl_connect(c);
	if ((n = partition_keep(&c->db, ahead, made, (int)ARRAY_SIZE(made))) < 0)
		die("cannot make the history's partitions: %s", c->db.err);
	for (int i = 0; i < n && i < (int)ARRAY_SIZE(made); i++) {
		printf("created partition %s", made[i].name);
		if (made[i].moved)
			printf(" (%lld row%s moved in from event_default)", made[i].moved, made[i].moved == 1 ? "" : "s");
		putchar('\n');
	}
	if (summary) {
		if (!partition_range(&c->db, first, last, sizeof first))
			die("%s", c->db.err);
		printf("event partitions from %s to %s, %d created now\n", first, last, n);
	}
	return 0;
}

static int maintenance_run(struct ctl *c, int argc, char **argv)
{
	int ahead = PARTITION_MONTHS_AHEAD;

	if (argc < 2 || strcmp(argv[1], "partitions") != 0)
		return ctl_usage(&ctl_maintenance_cmd);
	if (argc == 4 && strcmp(argv[2], "--ahead") == 0)
		ahead = (int)parse_long("--ahead", argv[3], 0, 120);
	else if (argc != 2)
		return ctl_usage(&ctl_maintenance_cmd);
	return ctl_partitions_keep(c, ahead, true);
}

const struct ctl_command ctl_maintenance_cmd = {
	.name = "maintenance",
	.usage = "  maintenance partitions [--ahead MONTHS]\n"
		 "                               make the history's monthly partitions up to MONTHS\n"
		 "                               ahead (default 3), moving in rows of event_default\n",
	.run = maintenance_run,
};
