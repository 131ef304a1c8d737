/* cobroctl audit: the audit chain verified and shown (docs/security.md,
 * "The audit chain"). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "cobroctl.h"
#include "util.h"

static bool is_hash(const char *s)
{
	return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

/* Exit 0 when every link holds (and the head kept, if given, is still in
 * the chain), 1 naming the first broken link. */
static int audit_verify_cmd(struct ctl *c, int argc, char **argv)
{
	const char *kept = NULL;
	struct audit_check k;
	long long at;

	if (argc == 4 && !strcmp(argv[2], "--head"))
		kept = argv[3];
	else if (argc != 2)
		return ctl_usage(&ctl_audit_cmd);
	if (kept && !is_hash(kept))
		die("audit verify: --head \"%s\" is not a hash (64 lowercase hex digits, as verify prints it)", kept);
	ctl_connect(c);
	if (!audit_verify(&c->db, &k))
		die("audit verify: %s", c->db.err);
	if (k.problem[0]) {
		printf("audit chain BROKEN at row %lld (%s): %s\n", k.broken_id, k.problem, k.detail);
		printf("%lld rows checked\n", k.rows);
		return 1;
	}
	if (kept) {
		if (!audit_find_hash(&c->db, kept, &at))
			die("audit verify: %s", c->db.err);
		if (!at) {
			printf("audit chain BROKEN (rewritten): no row has the head kept, %s: "
			       "the chain was rewritten or cut before it\n", kept);
			printf("%lld rows checked\n", k.rows);
			return 1;
		}
	}
	printf("audit chain intact: %lld rows\n", k.rows);
	if (kept)
		printf("the head kept is row %lld\n", at);
	printf("head %s\n", k.head[0] ? k.head : "-");
	return 0;
}

static bool is_date(const char *s)
{
	return strlen(s) == 10 && strspn(s, "0123456789-") == 10 && s[4] == '-' && s[7] == '-';
}

static int audit_show_cmd(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "account", required_argument, NULL, 'a' },
		{ "agent", required_argument, NULL, 'g' },
		{ "since", required_argument, NULL, 's' },
		{ 0 },
	};
	const char *account = NULL, *agent = NULL, *since = NULL;
	long long shown;
	int ch;

	optind = 1;
	argc--;
	argv++;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'a': account = optarg; break;
		case 'g': agent = optarg; break;
		case 's': since = optarg; break;
		default: return ctl_usage(&ctl_audit_cmd);
		}
	}
	if (optind != argc)
		return ctl_usage(&ctl_audit_cmd);
	if (since && !is_date(since))
		die("audit show: --since \"%s\" is not a date (YYYY-MM-DD)", since);
	ctl_connect(c);
	if (!audit_show(&c->db, stdout, account, agent, since, &shown))
		die("audit show: %s", c->db.err);
	printf("%lld rows\n", shown);
	return 0;
}

static int audit_run(struct ctl *c, int argc, char **argv)
{
	static const struct ctl_sub subs[] = { { "verify", audit_verify_cmd }, { "show", audit_show_cmd } };

	return ctl_dispatch(&ctl_audit_cmd, subs, ARRAY_SIZE(subs), c, argc, argv);
}

const struct ctl_command ctl_audit_cmd = {
	.name = "audit",
	.usage = "  audit verify [--head HASH]   recompute the audit chain; exit 1 naming its first broken link\n"
	         "  audit show [--account REF] [--agent LOGIN] [--since DATE]\n"
	         "                               the audit rows, oldest first: who did what, when (admins)\n",
	.run = audit_run,
};
