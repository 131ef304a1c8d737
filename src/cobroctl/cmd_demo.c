/* cobroctl demo: the demo portfolio, loaded or dumped (demo.c). */
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <unistd.h>

#include "cobroctl.h"
#include "demo.h"
#include "util.h"

static int demo_run(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "accounts", required_argument, NULL, 'a' },
		{ "seed", required_argument, NULL, 's' },
		{ "dump", required_argument, NULL, 'd' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "replace", no_argument, NULL, 'r' },
		{ "dump-only", no_argument, NULL, 'D' },
		{ "anchor", required_argument, NULL, 'A' },
		{ 0 },
	};
	struct demo_opts o = { .accounts = 5000, .seed = 1, .progress = isatty(2) };
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'a': o.accounts = parse_long("--accounts", optarg, 10, 50000000); break;
		case 's': o.seed = (uint64_t)parse_long("--seed", optarg, 0, LONG_MAX); break;
		case 'd': o.dump_dir = optarg; break;
		case 'q': o.progress = false; o.quiet = true; break;
		case 'r': o.replace = true; break;
		case 'D': o.dump_only = true; break;
		case 'A': o.anchor = optarg; break;
		default: return ctl_usage(&ctl_demo_cmd);
		}
	}
	if (optind != argc)
		return ctl_usage(&ctl_demo_cmd);
	if (o.dump_only && !o.dump_dir)
		die("demo: --dump-only needs --dump DIR");
	/* A dump-only run writes files and never needs the database. */
	if (!o.dump_only)
		ctl_connect(c);
	if (!demo_load(&c->db, &o))
		die("demo: %s", c->db.err);
	/* The promise form checks against the limits of etc/promise.conf. */
	if (!o.dump_only && !ctl_limits_demo(c, o.quiet))
		die("demo: promise limits: %s", c->db.err);
	return 0;
}

const struct ctl_command ctl_demo_cmd = {
	.name = "demo",
	.usage = "  demo [--accounts N] [--seed S] [--replace] [--anchor YYYY-MM-DD]\n"
	         "       [--dump DIR [--dump-only]] [--quiet]\n"
	         "                               load the demo portfolio (default 5000 accounts)\n",
	.run = demo_run,
};
