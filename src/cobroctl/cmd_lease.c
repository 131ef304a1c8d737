/* cobroctl lease: how long a lease on an account may last at most
 * (docs/security.md, "Leases"). */
#include <stdio.h>
#include <string.h>

#include "cobroctl.h"
#include "lease.h"
#include "util.h"

static int lease_max_cmd(struct ctl *c, int argc, char **argv)
{
	int secs;

	if (argc == 2) {
		ctl_connect(c);
		if (!lease_max_get(&c->db, &secs))
			die("lease max: %s", c->db.err);
		printf("longest lease %d s\n", secs);
		return 0;
	}
	if (argc != 3)
		return ctl_usage(&ctl_lease_cmd);
	secs = (int)parse_long("lease max", argv[2], LEASE_MAX_MIN, LEASE_MAX_MAX);
	ctl_connect(c);
	if (!lease_max_set(&c->db, secs))
		die("lease max: %s", c->db.err);
	printf("longest lease %d s; leases taken already are cut to it\n", secs);
	return 0;
}

static int lease_run(struct ctl *c, int argc, char **argv)
{
	static const struct ctl_sub subs[] = { { "max", lease_max_cmd } };

	return ctl_dispatch(&ctl_lease_cmd, subs, ARRAY_SIZE(subs), c, argc, argv);
}

const struct ctl_command ctl_lease_cmd = {
	.name = "lease",
	.usage = "  lease max [SECONDS]          the longest a lease on an account lasts (60 to 3600; admins set it)\n",
	.run = lease_run,
};
