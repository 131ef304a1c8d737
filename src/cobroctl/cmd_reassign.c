/* cobroctl reassign and cobroctl agent absent|present (issue 17, line 5):
 * a lead's or an administrator's moves of accounts, for scripts. They run as
 * the person who calls them; the database refuses everyone else (exit 1,
 * its reason on standard error). The work is src/core/reassign.c's. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cobroctl.h"
#include "reassign.h"
#include "text.h"
#include "util.h"

/* "CLP 1234; PEN 500": minor units, one per currency; "-" for none. */
static void money_plain(char *out, size_t n, const struct reassign_total *t)
{
	size_t k = 0;

	snprintf(out, n, "-");
	for (int i = 0; i < t->ncur && k < n; i++)
		k += (size_t)snprintf(out + k, n - k, "%s%s %lld", i ? "; " : "", t->cur[i].currency, t->cur[i].balance);
}

static void print_total(const char *what, const struct reassign_total *t)
{
	char money[512];

	money_plain(money, sizeof money, t);
	printf("%s: %lld account%s, balance %s\n", what, t->accounts, t->accounts == 1 ? "" : "s", money);
}

static void print_preview(const struct reassign_preview *p)
{
	char money[512];

	char cell[256];

	print_total("picked", &p->all);
	printf("%s ACCOUNTS  PENDING  BALANCE\n", text_pad(cell, sizeof cell, "TARGET", 16, false));
	for (int i = 0; i < p->n; i++) {
		money_plain(money, sizeof money, &p->shares[i].get);
		/* Padded in display cells: a login may be any name the team gave. */
		printf("%s %8lld %8lld  %s\n", text_pad(cell, sizeof cell, p->shares[i].login, 16, false),
		       p->shares[i].get.accounts, p->shares[i].pending, money);
	}
	printf("unchanged (already with their target): %lld; pending (open on a workstation, moved when it "
	       "closes): %lld\n",
	       p->unchanged, p->pending);
}

/* "31-60", "31+" or "30" (exactly), into from and to (-1: open). */
static void parse_dpd(const char *s, int *from, int *to)
{
	char tail;
	int a, b;

	if (sscanf(s, "%d-%d%c", &a, &b, &tail) == 2 && a >= 0 && b >= a) {
		*from = a;
		*to = b;
	} else if (sscanf(s, "%d+%c", &a, &tail) == 1 && a >= 0 && s[strlen(s) - 1] == '+') {
		*from = a;
		*to = -1;
	} else if (sscanf(s, "%d%c", &a, &tail) == 1 && a >= 0) {
		*from = *to = a;
	} else {
		die("--dpd: \"%s\" is not FROM-TO, FROM+ or DAYS", s);
	}
}

/* Splits "ana,luis" into its logins (at most REASSIGN_MAX_TARGETS). */
static int split_targets(char *s, const char **out)
{
	int n = 0;

	for (char *t = strtok(s, ","); t; t = strtok(NULL, ","))
		if (*t) {
			if (n == REASSIGN_MAX_TARGETS)
				die("--to: at most %d target agents", REASSIGN_MAX_TARGETS);
			out[n++] = t;
		}
	return n;
}

static int undo_run(struct ctl *c, int argc, char **argv)
{
	struct reassign_undo_result u;
	long long batch = 0;

	if (argc > 3)
		die("usage: cobroctl reassign undo [BATCH]");
	if (argc == 3)
		batch = parse_long("BATCH", argv[2], 1, 9223372036854775807L);
	ctl_connect(c);
	if (!reassign_undo(&c->db, batch, &u))
		die("reassign undo: %s", c->db.err);
	printf("batch %lld undone: %lld account%s back with whom they came from\n", u.batch, u.restored,
	       u.restored == 1 ? "" : "s");
	return 0;
}

static int batches_run(struct ctl *c, int argc, char **argv)
{
	struct reassign_batch *b;
	const char *team = NULL;
	int n;

	if (argc == 4 && !strcmp(argv[2], "--team"))
		team = argv[3];
	else if (argc != 2)
		die("usage: cobroctl reassign batches [--team TEAM]");
	ctl_connect(c);
	if (!reassign_batches(&c->db, team, 50, &b, &n))
		die("reassign batches: %s", c->db.err);
	/* Padded in display cells: a login or team code is any name people gave. */
	char at[64], by[128], team_c[128], kind[64];

	printf("   BATCH  %s  %s  %s  %s  MOVED PENDING  UNDONE\n", text_pad(at, sizeof at, "AT", 16, false),
	       text_pad(by, sizeof by, "BY", 16, false), text_pad(team_c, sizeof team_c, "TEAM", 10, false),
	       text_pad(kind, sizeof kind, "KIND", 8, false));
	for (int i = 0; i < n; i++)
		printf("%8lld  %s  %s  %s  %s %6lld %7lld  %s\n", b[i].id, text_pad(at, sizeof at, b[i].at, 16, false),
		       text_pad(by, sizeof by, b[i].by, 16, false), text_pad(team_c, sizeof team_c, b[i].team, 10, false),
		       text_pad(kind, sizeof kind, b[i].kind, 8, false), b[i].moved, b[i].pending,
		       b[i].undone ? "yes" : "no");
	free(b);
	return 0;
}

static int reassign_run(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "team", required_argument, NULL, 'T' },
		{ "agent", required_argument, NULL, 'a' },
		{ "segment", required_argument, NULL, 's' },
		{ "dpd", required_argument, NULL, 'd' },
		{ "balance-min", required_argument, NULL, 'b' },
		{ "balance-max", required_argument, NULL, 'B' },
		{ "status", required_argument, NULL, 'S' },
		{ "promise", required_argument, NULL, 'p' },
		{ "no-contact-days", required_argument, NULL, 'n' },
		{ "jurisdiction", required_argument, NULL, 'j' },
		{ "to", required_argument, NULL, 't' },
		{ "mode", required_argument, NULL, 'm' },
		{ "dry-run", no_argument, NULL, 'r' },
		{ 0 },
	};
	struct reassign_filter f;
	struct reassign_preview p;
	const char *logins[REASSIGN_MAX_TARGETS];
	struct reassign_targets t = { logins, 0 };
	enum reassign_mode mode = REASSIGN_ONE;
	bool mode_given = false, dry = false;
	char *to = NULL;
	long long batch;
	int ch;

	if (argc >= 2 && !strcmp(argv[1], "undo"))
		return undo_run(c, argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "batches"))
		return batches_run(c, argc, argv);
	reassign_filter_init(&f);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'T': f.team = optarg; break;
		case 'a': f.agent = optarg; break;
		case 's': f.segment = optarg; break;
		case 'd': parse_dpd(optarg, &f.dpd_from, &f.dpd_to); break;
		case 'b': f.balance_min = parse_long("--balance-min", optarg, 0, 9223372036854775807L); break;
		case 'B': f.balance_max = parse_long("--balance-max", optarg, 0, 9223372036854775807L); break;
		case 'S': f.status = optarg; break;
		case 'p': f.promise = optarg; break;
		case 'n': f.no_contact_days = (int)parse_long("--no-contact-days", optarg, 1, 36500); break;
		case 'j': f.jurisdiction = optarg; break;
		case 't': to = optarg; break;
		case 'm':
			if (!reassign_mode_parse(optarg, &mode))
				die("--mode: \"%s\" is not one, count or balance", optarg);
			mode_given = true;
			break;
		case 'r': dry = true; break;
		default: return ctl_usage(&ctl_reassign_cmd);
		}
	}
	if (optind != argc)
		return ctl_usage(&ctl_reassign_cmd);
	ctl_connect(c);
	if (!to) {
		/* No targets: what the filter picks, nothing more. */
		struct reassign_total tot;

		if (!reassign_count(&c->db, &f, &tot))
			die("reassign: %s", c->db.err);
		print_total("picked", &tot);
		return 0;
	}
	t.n = split_targets(to, logins);
	if (!t.n)
		die("--to: name at least one target agent");
	if (!mode_given)
		mode = t.n == 1 ? REASSIGN_ONE : REASSIGN_COUNT;
	if (dry) {
		if (!reassign_preview(&c->db, &f, &t, mode, &p))
			die("reassign: %s", c->db.err);
		print_preview(&p);
		printf("dry run: nothing was moved\n");
	} else {
		if (!reassign_apply(&c->db, &f, &t, mode, &batch, &p))
			die("reassign: %s", c->db.err);
		print_preview(&p);
		if (batch)
			printf("batch %lld\n", batch);
		else
			printf("nothing to move\n");
	}
	reassign_preview_free(&p);
	return 0;
}

const struct ctl_command ctl_reassign_cmd = {
	.name = "reassign",
	.usage = "  reassign [--team T] [--agent LOGIN|-] [--segment S] [--dpd FROM-TO|FROM+]\n"
	         "            [--balance-min N] [--balance-max N] [--status S] [--promise P]\n"
	         "            [--no-contact-days N] [--jurisdiction J]\n"
	         "            [--to LOGIN[,LOGIN...] [--mode one|count|balance] [--dry-run]]\n"
	         "                               move a team's accounts (leads, admins); prints the batch\n"
	         "  reassign undo [BATCH]        undo a batch (yours last) if none of it was worked since\n"
	         "  reassign batches [--team T]  the team's batches\n",
	.run = reassign_run,
};

/* cobroctl agent absent LOGIN --until DATE, agent present LOGIN: cmd_people.c
 * hands them here. */
int ctl_agent_absence(struct ctl *c, int argc, char **argv)
{
	long long batch, moved, returned, kept;

	if (!strcmp(argv[1], "absent")) {
		if (argc != 5 || strcmp(argv[3], "--until") != 0)
			die("usage: cobroctl agent absent LOGIN --until YYYY-MM-DD");
		ctl_connect(c);
		if (!reassign_absent(&c->db, argv[2], argv[4], &batch, &moved))
			die("agent absent %s: %s", argv[2], c->db.err);
		printf("%s absent until %s: %lld account%s to the team's pool (batch %lld)\n", argv[2], argv[4], moved,
		       moved == 1 ? "" : "s", batch);
		return 0;
	}
	if (argc != 3)
		die("usage: cobroctl agent present LOGIN");
	ctl_connect(c);
	if (!reassign_present(&c->db, argv[2], &returned, &kept))
		die("agent present %s: %s", argv[2], c->db.err);
	printf("%s is back: %lld account%s returned, %lld kept by the team (worked or moved meanwhile)\n", argv[2],
	       returned, returned == 1 ? "" : "s", kept);
	return 0;
}
