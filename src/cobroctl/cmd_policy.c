/* cobroctl policy: check a contact, load a new version of the rules, show them
 * and the holidays they use. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "almanac.h"
#include "cobroctl.h"
#include "policy.h"
#include "policy_case.h"
#include "policy_store.h"
#include "util.h"

/* A rules file and its holiday calendars, read from disk. */
struct rules_file {
	char *path;
	char *text;
	char *holidays;
	struct policy *policy;
};

static char *slurp(const char *path, char *err, size_t errlen)
{
	size_t len;
	char *text = read_text_file(path, &len, err, errlen);

	/* libconfig would read up to the NUL and take that for the file. */
	if (text && strlen(text) != len) {
		snprintf(err, errlen, "%s: a NUL byte at offset %zu; a rules file is text", path, strlen(text));
		free(text);
		return NULL;
	}
	return text;
}

/* The holidays setting names a directory relative to the rules file. */
static char *holidays_dir(const char *rules_path, const char *text)
{
	config_t cf;
	const char *h = NULL;
	char *dir, *copy = xstrdup(rules_path), *out;

	config_init(&cf);
	if (config_read_string(&cf, text))
		config_lookup_string(&cf, "holidays", &h);
	dir = dirname(copy);
	out = !h ? NULL : h[0] == '/' ? xstrdup(h) : xasprintf("%s/%s", dir, h);
	config_destroy(&cf);
	free(copy);
	return out;
}

static bool rules_read(struct rules_file *rf, const char *path, char *err, size_t errlen)
{
	char *hdir;

	memset(rf, 0, sizeof *rf);
	rf->path = xstrdup(path);
	if (!(rf->text = slurp(path, err, errlen)))
		return false;
	if ((hdir = holidays_dir(path, rf->text))) {
		rf->holidays = policy_holidays_read(hdir, err, errlen);
		free(hdir);
		if (!rf->holidays)
			return false;
	}
	rf->policy = policy_parse(rf->text, path, rf->holidays, err, errlen);
	return rf->policy != NULL;
}

static void rules_free(struct rules_file *rf)
{
	policy_free(rf->policy);
	free(rf->path);
	free(rf->text);
	free(rf->holidays);
}

/* --rules FILE, else policy.conf where the configuration lives, else the one
 * shipped beside the binary (the source tree's etc/ or PREFIX/share/doc). */
static char *rules_find(const char *given, char *err, size_t errlen)
{
	static const char *const rel[] = { "/../etc/policy.conf", "/../share/doc/cobro/examples/policy.conf" };
	char exe[4096], *p;
	ssize_t n;

	if (given || (p = conf_find(NULL, "policy.conf", err, errlen)))
		return given ? xstrdup(given) : p;
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		*strrchr(exe, '/') = '\0';
		for (size_t i = 0; i < ARRAY_SIZE(rel); i++) {
			p = xasprintf("%s%s", exe, rel[i]);
			if (access(p, R_OK) == 0)
				return p;
			free(p);
		}
	}
	snprintf(err, errlen, "no policy.conf found: give --rules FILE");
	return NULL;
}

static void print_verdict(const struct policy_verdict *v, const struct tz *zone, bool json, enum lang lang)
{
	char next[40] = "", until[40] = "";

	if (v->next)
		time_format_iso(next, sizeof next, zone, v->next);
	if (v->until)
		time_format_iso(until, sizeof until, zone, v->until);
	if (json) {
		json_t *o = json_object();
		char *s;

		json_object_set_new(o, "verdict", json_string(v->allowed ? "allowed" : "refused"));
		if (!v->allowed) {
			const char *src = policy_rule_source(v->rule);

			json_object_set_new(o, "rule", v->rule ? json_string(policy_rule_id(v->rule)) : json_null());
			json_object_set_new(o, "reason", json_string(v->reason[lang]));
			json_object_set_new(o, "reason_es", json_string(v->reason[LANG_ES]));
			json_object_set_new(o, "reason_en", json_string(v->reason[LANG_EN]));
			json_object_set_new(o, "source", json_string(src ? src : "company policy"));
			json_object_set_new(o, "next_allowed", v->next ? json_string(next) : json_null());
		} else {
			json_object_set_new(o, "allowed_until", v->until ? json_string(until) : json_null());
		}
		s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		puts(s);
		free(s);
		json_decref(o);
		return;
	}
	if (v->allowed) {
		puts("allowed");
		return;
	}
	printf("refused %s: %s; ", v->rule ? policy_rule_id(v->rule) : "-", v->reason[lang]);
	/* The words around the reason stay the same in every language, so that
	 * scripts can read the line; the reason itself is translated. */
	if (v->next)
		printf("next allowed %s\n", next);
	else
		printf("no next allowed time\n");
}

static enum lang default_lang(void)
{
	const char *l = getenv("LANGUAGE");

	if (!l || !*l)
		l = getenv("LC_ALL");
	if (!l || !*l)
		l = getenv("LC_MESSAGES");
	if (!l || !*l)
		l = getenv("LANG");
	return l && l[0] == 'e' && l[1] == 's' ? LANG_ES : LANG_EN;
}

static int policy_check_cmd(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rules", required_argument, NULL, 'r' },  { "format", required_argument, NULL, 'f' },
		{ "lang", required_argument, NULL, 'l' },   { "account", required_argument, NULL, 'a' },
		{ "channel", required_argument, NULL, 'c' }, { "at", required_argument, NULL, 't' },
		{ 0 },
	};
	const char *rules_path = NULL, *account = NULL, *channel = NULL, *at = NULL;
	bool json = false;
	enum lang lang = default_lang();
	struct policy_verdict v;
	char err[512];
	int ch;

	/* Options may follow CASEFILE, as the usage shows: getopt starts afresh
	 * (optind 0; main's "+" mode would stop at the first argument) on the
	 * arguments after "policy", and its optind is moved back after. */
	optind = 0;
	while ((ch = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'r': rules_path = optarg; break;
		case 'f':
			if (strcmp(optarg, "text") && strcmp(optarg, "json")) {
				warnx("--format is text or json");
				return 2;
			}
			json = !strcmp(optarg, "json");
			break;
		case 'l':
			if (strcmp(optarg, "es") && strcmp(optarg, "en")) {
				warnx("--lang is es or en");
				return 2;
			}
			lang = !strcmp(optarg, "es") ? LANG_ES : LANG_EN;
			break;
		case 'a': account = optarg; break;
		case 'c': channel = optarg; break;
		case 't': at = optarg; break;
		default: return 2;
		}
	}
	optind += 1;
	if (account) {
		struct policy_account pa;
		enum channel chn;
		int64_t when = 0;

		if (optind != argc || !channel) {
			warnx("usage: cobroctl policy check --account REFERENCE --channel CHANNEL [--at TIME]");
			return 2;
		}
		if (!channel_parse(channel, &chn)) {
			warnx("unknown channel \"%s\" (call, sms, email, whatsapp, letter, visit)", channel);
			return 2;
		}
		if (at && !time_parse_iso(at, &when)) {
			warnx("--at: \"%s\" is not a time like 2026-11-24T10:00:00-05:00", at);
			return 2;
		}
		ctl_connect(c);
		if (!policy_account_load(&c->db, account, chn, at ? when : 0, &pa, err, sizeof err)) {
			warnx("%s", err);
			return 2;
		}
		policy_check(pa.policy, &pa.debtor, pa.history, pa.nhistory, &pa.contact, &v);
		print_verdict(&v, pa.debtor.zones[0], json, lang);
		policy_account_free(&pa);
		return v.allowed ? 0 : 1;
	}
	if (optind != argc - 1) {
		warnx("usage: cobroctl policy check CASEFILE [--rules FILE] [--format text|json] [--lang es|en]");
		return 2;
	}
	{
		struct rules_file rf = { 0 };
		struct policy_case pc;
		char *path = rules_find(rules_path, err, sizeof err);

		if (!path || !rules_read(&rf, path, err, sizeof err)) {
			warnx("%s", err);
			free(path);
			rules_free(&rf);
			return 2;
		}
		free(path);
		if (!policy_case_read(&pc, argv[optind], rf.policy, err, sizeof err)) {
			warnx("%s", err);
			rules_free(&rf);
			return 2;
		}
		policy_check(rf.policy, &pc.debtor, pc.history, pc.nhistory, &pc.contact, &v);
		print_verdict(&v, pc.debtor.zones[0], json, lang);
		policy_case_free(&pc);
		rules_free(&rf);
	}
	return v.allowed ? 0 : 1;
}

static void show_line(const char *line, void *arg)
{
	(void)arg;
	puts(line);
}

static int policy_load_cmd(struct ctl *c, int argc, char **argv)
{
	struct rules_file rf;
	char err[512];
	int version;

	if (argc != 3) {
		warnx("usage: cobroctl policy load FILE");
		return 2;
	}
	if (!rules_read(&rf, argv[2], err, sizeof err)) {
		warnx("%s", err);
		warnx("nothing was stored");
		rules_free(&rf);
		return 2;
	}
	ctl_connect(c);
	version = policy_store_save(&c->db, rf.text, rf.holidays, rf.policy, err, sizeof err);
	rules_free(&rf);
	if (version < 0) {
		warnx("%s", err);
		warnx("nothing was stored");
		return 1;
	}
	printf("stored contact policy version %d\n", version);
	return 0;
}

static int policy_show_cmd(struct ctl *c, int argc, char **argv)
{
	struct stored_policy sp;
	char err[512];

	if (argc > 3) {
		warnx("usage: cobroctl policy show [JURISDICTION]");
		return 2;
	}
	ctl_connect(c);
	if (!policy_store_current(&c->db, &sp, err, sizeof err)) {
		warnx("%s", err);
		return 1;
	}
	if (argc == 3 && !policy_has_jurisdiction(sp.policy, argv[2])) {
		warnx("no rules for jurisdiction \"%s\" in version %d", argv[2], sp.version);
		stored_policy_free(&sp);
		return 2;
	}
	printf("contact policy version %d, loaded %s by %s\n", sp.version, sp.loaded_at, sp.loaded_by);
	policy_show(sp.policy, argc == 3 ? argv[2] : NULL, show_line, NULL);
	stored_policy_free(&sp);
	return 0;
}

/* "2028": a year the calendars can count (almanac.h). */
static bool year_parse(const char *s, int *year)
{
	char *end;
	long y = strtol(s, &end, 10);

	if (end == s || *end || y < ALMANAC_FIRST_YEAR || y > ALMANAC_LAST_YEAR)
		return false;
	*year = (int)y;
	return true;
}

/* The holidays the engine uses, from a rules file or the version in force.
 * Exit 1 when the calendar cannot be known (the policy refuses there), 2 for
 * bad input. */
static int policy_holidays_cmd(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = { { "rules", required_argument, NULL, 'r' }, { 0 } };
	const char *rules_path = NULL;
	struct rules_file rf = { 0 };
	struct stored_policy sp = { 0 };
	const struct policy *p;
	struct holiday *h = NULL;
	char err[512];
	int ch, year, n;

	optind = 0; /* as in policy check: options may follow the arguments */
	while ((ch = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		if (ch != 'r')
			return 2;
		rules_path = optarg;
	}
	optind += 1;
	if (optind != argc - 2) {
		warnx("usage: cobroctl policy holidays JURISDICTION YEAR [--rules FILE]");
		return 2;
	}
	if (!year_parse(argv[optind + 1], &year)) {
		warnx("\"%s\" is not a year from %d to %d", argv[optind + 1], ALMANAC_FIRST_YEAR, ALMANAC_LAST_YEAR);
		return 2;
	}
	if (rules_path) {
		if (!rules_read(&rf, rules_path, err, sizeof err)) {
			warnx("%s", err);
			rules_free(&rf);
			return 2;
		}
		p = rf.policy;
	} else {
		ctl_connect(c);
		if (!policy_store_current(&c->db, &sp, err, sizeof err)) {
			warnx("%s", err);
			return 1;
		}
		p = sp.policy;
	}
	n = policy_holidays(p, argv[optind], year, &h, err, sizeof err);
	if (n < 0)
		warnx("%s", err);
	for (int i = 0; i < n; i++) {
		char date[16];
		int y, m, d;

		civil_from_days(h[i].day, &y, &m, &d);
		snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
		printf("%s\t%s\n", date, h[i].name);
	}
	holiday_list_free(h, n > 0 ? n : 0);
	rules_free(&rf);
	if (sp.policy)
		stored_policy_free(&sp);
	return n == -2 ? 2 : n < 0 ? 1 : 0;
}

static int policy_run(struct ctl *c, int argc, char **argv)
{
	static const struct ctl_sub subs[] = {
		{ "check", policy_check_cmd },
		{ "load", policy_load_cmd },
		{ "show", policy_show_cmd },
		{ "holidays", policy_holidays_cmd },
	};

	return ctl_dispatch(&ctl_policy_cmd, subs, ARRAY_SIZE(subs), c, argc, argv);
}

const struct ctl_command ctl_policy_cmd = {
	.name = "policy",
	.usage = "  policy check CASEFILE [--rules FILE] [--format text|json] [--lang es|en]\n"
	         "  policy check --account REFERENCE --channel CHANNEL [--at TIME] [--format ...]\n"
	         "                               may this contact happen? exit 0 allowed, 1 refused, 2 bad input\n"
	         "  policy load FILE             validate and store a new version of the contact rules\n"
	         "  policy show [JURISDICTION]   print the rules in force\n"
	         "  policy holidays JURISDICTION YEAR [--rules FILE]\n"
	         "                               the holidays the engine uses that year: exit 1 when unknown\n",
	.run = policy_run,
};
