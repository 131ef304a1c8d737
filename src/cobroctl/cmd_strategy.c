/* cobroctl strategy: check a strategy file (etc/strategy.conf), load it as
 * the version in force, show a version. Parsing and checking are
 * strategy.c's; the SQL is strategy_store.c's. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cobroctl.h"
#include "strategy.h"
#include "strategy_store.h"
#include "util.h"

/* The file's text, or NULL with why on stderr. */
static char *strategy_read(const char *path)
{
	char err[512];
	size_t len;
	char *text = read_text_file(path, &len, err, sizeof err);

	if (!text) {
		warnx("%s", err);
		return NULL;
	}
	/* libconfig would read up to the NUL and take that for the file. */
	if (strlen(text) != len) {
		warnx("%s: a NUL byte at offset %zu; a strategy file is text", path, strlen(text));
		free(text);
		return NULL;
	}
	return text;
}

/* Parses text against the templates known (NULL: not checked); prints
 * every error, one "FILE:LINE: what is wrong" a line, on stderr. */
static struct strategy *strategy_checked(const char *path, const char *text, const struct strategy_templates *known)
{
	struct strategy_errors errs = { 0 };
	struct strategy *s = strategy_parse(path, text, known, &errs);

	for (int i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.v[i]);
	if (errs.more)
		fprintf(stderr, "%s: %d more errors\n", path, errs.more);
	strategy_errors_free(&errs);
	return s;
}

static int strategy_check_cmd(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = { { "templates", required_argument, NULL, 't' }, { 0 } };
	struct strategy_templates known = { 0 };
	const char *dir = NULL;
	struct strategy *s;
	char err[512], *text;
	int o;

	(void)c;
	/* Options may follow FILE: getopt starts afresh (optind 0) on the
	 * arguments after "strategy", as cmd_policy.c does. */
	optind = 0;
	while ((o = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		if (o != 't')
			goto usage;
		dir = optarg;
	}
	optind += 1;
	if (optind != argc - 1)
		goto usage;
	if (dir && !strategy_templates_from_dir(dir, &known, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		strategy_templates_free(&known);
		return 2;
	}
	if (!(text = strategy_read(argv[optind]))) {
		strategy_templates_free(&known);
		return 2;
	}
	s = strategy_checked(argv[optind], text, dir ? &known : NULL);
	free(text);
	strategy_templates_free(&known);
	if (!s)
		return 2;
	printf("%s: %d segment%s, %d ladder%s%s\n", argv[optind], s->nsegments, s->nsegments == 1 ? "" : "s",
	       s->nladders, s->nladders == 1 ? "" : "s",
	       dir ? "" : " (templates not checked: --templates DIR checks them)");
	strategy_free(s);
	return 0;
usage:
	warnx("usage: cobroctl strategy check FILE [--templates DIR]");
	return 2;
}

static int strategy_load_cmd(struct ctl *c, int argc, char **argv)
{
	struct strategy_templates known = { 0 };
	struct strategy *s;
	char err[512], *text, *diff = NULL;
	int version;

	if (argc != 3) {
		warnx("usage: cobroctl strategy load FILE");
		return 2;
	}
	if (!(text = strategy_read(argv[2]))) {
		warnx("nothing was stored: the strategy in force stays");
		return 2;
	}
	ctl_connect(c);
	/* Checked against the templates the database has: a step names a
	 * template that exists for its channel, or the file is refused. */
	if (!strategy_store_templates(&c->db, &known, err, sizeof err)) {
		warnx("%s", err);
		free(text);
		return 1;
	}
	s = strategy_checked(argv[2], text, &known);
	strategy_templates_free(&known);
	if (!s) {
		warnx("nothing was stored: the strategy in force stays");
		free(text);
		return 2;
	}
	strategy_free(s);
	version = strategy_store_load(&c->db, argv[2], text, &diff, err, sizeof err);
	free(text);
	if (version < 0) {
		warnx("%s", err);
		warnx("nothing was stored: the strategy in force stays");
		return 1;
	}
	printf("stored strategy version %d\n", version);
	if (diff && *diff)
		fputs(diff, stdout);
	else
		printf("(the same text as the version before)\n");
	free(diff);
	return 0;
}

static int strategy_show_cmd(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = { { "version", required_argument, NULL, 'v' }, { 0 } };
	struct stored_strategy st;
	char err[512];
	long version = 0;
	int o;
	bool ok;

	optind = 0;
	while ((o = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		if (o != 'v') {
			warnx("usage: cobroctl strategy show [--version N]");
			return 2;
		}
		version = parse_long("--version", optarg, 1, 1L << 30);
	}
	optind += 1;
	if (optind != argc) {
		warnx("usage: cobroctl strategy show [--version N]");
		return 2;
	}
	ctl_connect(c);
	ok = version ? strategy_store_version(&c->db, (int)version, &st, err, sizeof err)
	             : strategy_store_in_force(&c->db, &st, err, sizeof err);
	if (!ok) {
		warnx("%s", err);
		return 1;
	}
	if (!st.version) {
		warnx("no strategy was loaded: cobroctl strategy load FILE");
		return 1;
	}
	printf("strategy version %d, loaded %s by %s from %s\n\n", st.version, st.loaded_at, st.loaded_by, st.file);
	fputs(st.text, stdout);
	if (*st.text && st.text[strlen(st.text) - 1] != '\n')
		putchar('\n');
	stored_strategy_free(&st);
	return 0;
}

static int strategy_run_cmds(struct ctl *c, int argc, char **argv)
{
	static const struct ctl_sub subs[] = {
		{ "check", strategy_check_cmd },
		{ "load", strategy_load_cmd },
		{ "show", strategy_show_cmd },
		{ "report", ctl_strategy_report },
		{ "clean", ctl_strategy_clean },
		{ "run", ctl_strategy_run },
		{ "dry-run", ctl_strategy_dry_run },
	};

	return ctl_dispatch(&ctl_strategy_cmd, subs, ARRAY_SIZE(subs), c, argc, argv);
}

const struct ctl_command ctl_strategy_cmd = {
	.name = "strategy",
	.usage = "  strategy check FILE [--templates DIR]   check a strategy file offline\n"
	         "  strategy load FILE           check against the database's templates, store as the version\n"
	         "                               in force (audited) and print the diff against the one before\n"
	         "  strategy show [--version N]  the version in force, or version N\n"
	         "  strategy report [--from DATE] [--to DATE] [--format table|csv|json]\n"
	         "                               the variants of each split segment side by side: accounts,\n"
	         "                               contact, promise, kept and recovery rates (docs/metrics.md)\n"
	         "  strategy clean [--dry-run] [--at TIME] [--file FILE] [--team CODE]\n"
	         "                               ask the debtors whose numbers are all wrong or failing for a\n"
	         "                               current one (the strategy's cleaning settings)\n"
	         "  strategy run [--date DAY] [--format table|json] [--jobs N]\n"
	         "                               segment every account, then run the ladders' steps of DAY\n"
	         "                               (default today, UTC); print what was done\n"
	         "  strategy dry-run [--date DAY] [--format table|json] [--jobs N]\n"
	         "                               what strategy run would do, counted per segment, step and\n"
	         "                               channel, refused by rule, per hour; writes nothing; --jobs:\n"
	         "                               connections reading the facts at once (default 2)\n",
	.run = strategy_run_cmds,
};
