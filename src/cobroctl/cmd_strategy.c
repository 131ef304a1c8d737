/* cobroctl strategy: the strategies of issue 18. The other subcommands
 * (load, show, check, run, dry-run) are their own files' (h18-db, h18-run):
 * at the merge their table takes "clean" beside them. */
#include "cobroctl.h"
#include "util.h"

static int strategy_run(struct ctl *c, int argc, char **argv)
{
	static const struct ctl_sub subs[] = {
		{ "clean", ctl_strategy_clean },
	};

	return ctl_dispatch(&ctl_strategy_cmd, subs, ARRAY_SIZE(subs), c, argc, argv);
}

const struct ctl_command ctl_strategy_cmd = {
	.name = "strategy",
	.usage = "  strategy clean [--dry-run] [--at TIME] [--file FILE] [--team CODE]\n"
	         "                               ask the debtors whose numbers are all wrong or failing for a\n"
	         "                               current one (the strategy's cleaning settings)\n",
	.run = strategy_run,
};
