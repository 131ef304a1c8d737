/* cobroctl template: store message templates from .tpl files, list, show,
 * preview and remove them. Parsing and rendering are template.c's, the SQL
 * template_store.c's. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "account.h"
#include "agent.h"
#include "cobroctl.h"
#include "outbox.h"
#include "sms.h"
#include "strategy_store.h"
#include "template.h"
#include "template_store.h"
#include "text.h"
#include "util.h"

/* The columns of `template list` when standard output is not a terminal
 * that says its width, and COLUMNS is not set either. */
#define LIST_WIDTH 100
/* What cobro.template holds at most (009_outbox.sql), in characters. */
#define BODY_MAX    65536
#define SUBJECT_MAX 998

static const char *const channels[] = {"sms", "email", "whatsapp", "letter", NULL};
static const char *const languages[] = {"es", "en", NULL};

/* --channel, --language and --account, after the subcommand's words. */
struct template_opts {
	const char *channel;
	const char *language;
	const char *account;
	char **args; /* the words that are not options */
	int nargs;
};

static bool one_of(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(s, *set))
			return true;
	return false;
}

/* Parses argv[2..] (argv[0] "template", argv[1] the subcommand). Options
 * may come before or after CODE, so getopt is started afresh (optind 0)
 * with its default permuting order: main's "+" must not carry over. */
static bool opts_parse(int argc, char **argv, bool with_account, struct template_opts *o)
{
	static const struct option longopts[] = {
	    {"channel", required_argument, NULL, 'c'},
	    {"language", required_argument, NULL, 'l'},
	    {"account", required_argument, NULL, 'a'},
	    {0},
	};
	int ch;

	memset(o, 0, sizeof *o);
	optind = 0;
	opterr = 0; /* getopt would name the subcommand as the program */
	while ((ch = getopt_long(argc - 1, argv + 1, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			if (!one_of(optarg, channels)) {
				warnx("--channel is sms, email, whatsapp or letter, not \"%s\"", optarg);
				return false;
			}
			o->channel = optarg;
			break;
		case 'l':
			if (!one_of(optarg, languages)) {
				warnx("--language is es or en, not \"%s\"", optarg);
				return false;
			}
			o->language = optarg;
			break;
		case 'a':
			if (!with_account) {
				warnx("--account is for template preview only");
				return false;
			}
			o->account = optarg;
			break;
		default:
			warnx("template %s: unknown option or missing value: %s", argv[1], argv[optind]);
			return false;
		}
	}
	o->args = argv + 1 + optind;
	o->nargs = argc - 1 - optind;
	return true;
}

/* " (sms, es)", " (sms)", " (es)" or "": what a command was limited to. */
static const char *filter_text(char *out, size_t n, const char *channel, const char *language)
{
	if (channel && language)
		snprintf(out, n, " (%s, %s)", channel, language);
	else if (channel || language)
		snprintf(out, n, " (%s)", channel ? channel : language);
	else
		out[0] = '\0';
	return out;
}

/* The grants let only cobro_admin change templates; say so rather than
 * PostgreSQL's "permission denied for table template". */
static void store_error(struct ctl *c, const char *what)
{
	if (db_classify(c->db.sqlstate) == DB_DENIED)
		warnx("%s: only an administrator may change templates (%s is not one)", what,
		      PQuser(c->db.conn));
	else
		warnx("%s: %s", what, c->db.err);
}

/* ------------------------------------------------------------------- add */

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_tpl(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 4 && !strcmp(d->d_name + n - 4, ".tpl");
}

/* A directory stands for its *.tpl files, sorted by name so that the
 * order of the output does not depend on the file system. */
static bool paths_add(const char *arg, char ***paths, int *n)
{
	struct dirent **list;
	struct stat st;
	int m;

	if (stat(arg, &st) != 0 || !S_ISDIR(st.st_mode)) {
		*paths = xrealloc(*paths, (size_t)(*n + 1) * sizeof **paths);
		(*paths)[(*n)++] = xstrdup(arg);
		return true;
	}
	m = scandir(arg, &list, is_tpl, by_name);
	if (m < 0) {
		warnx("%s: %s", arg, strerror(errno));
		return false;
	}
	if (m == 0)
		warnx("%s: no *.tpl files in it", arg);
	*paths = xrealloc(*paths, (size_t)(*n + m + 1) * sizeof **paths);
	for (int i = 0; i < m; i++) {
		size_t len = strlen(arg);

		(*paths)[(*n)++] =
		    xasprintf("%s%s%s", arg, len && arg[len - 1] == '/' ? "" : "/", list[i]->d_name);
		free(list[i]);
	}
	free(list);
	return m > 0;
}

static char *read_text(const char *path)
{
	size_t len;
	char err[512], *text = read_text_file(path, &len, err, sizeof err);

	if (!text) {
		warnx("%s", err);
		return NULL;
	}
	/* A NUL would cut the text short without a word: refuse it. */
	if (strlen(text) != len) {
		warnx("%s: a NUL byte at offset %zu; templates are UTF-8 text", path, strlen(text));
		free(text);
		return NULL;
	}
	return text;
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Reads and parses one file. Errors are printed as FILE:LINE:COLUMN:
 * reason with no program name before them, as compilers do, so that
 * editors can jump to the place. */
static bool def_read(const char *path, struct template_def *def)
{
	char err[512], *text = read_text(path);
	bool ok;

	memset(def, 0, sizeof *def);
	if (!text)
		return false;
	ok = template_parse_file(path, text, def, err, sizeof err);
	free(text);
	if (!ok) {
		fprintf(stderr, "%s\n", err);
		return false;
	}
	/* The table's limits, said here with the file's name rather than as
	 * a check constraint's. */
	if (utf8_chars(def->body) > BODY_MAX || (def->subject && utf8_chars(def->subject) > SUBJECT_MAX)) {
		fprintf(stderr, "%s: the %s is longer than %d characters\n", path,
			utf8_chars(def->body) > BODY_MAX ? "body" : "subject",
			utf8_chars(def->body) > BODY_MAX ? BODY_MAX : SUBJECT_MAX);
		template_def_free(def);
		return false;
	}
	return true;
}

static bool same_key(const struct template_def *a, const struct template_def *b)
{
	return !strcmp(a->code, b->code) && !strcmp(a->channel, b->channel) &&
	       !strcmp(a->language, b->language);
}

static int template_add_cmd(struct ctl *c, int argc, char **argv)
{
	struct template_opts o;
	struct template_def *defs;
	char **paths = NULL;
	bool *replaced, ok = true;
	int n = 0;

	if (!opts_parse(argc, argv, false, &o) || o.channel || o.language || o.nargs < 1) {
		warnx("usage: cobroctl template add FILE|DIRECTORY...");
		return 2;
	}
	for (int i = 0; i < o.nargs; i++)
		ok &= paths_add(o.args[i], &paths, &n);
	defs = xcalloc((size_t)n + 1, sizeof *defs);
	replaced = xcalloc((size_t)n + 1, sizeof *replaced);
	/* Every file is read, so that one run reports every mistake. */
	for (int i = 0; i < n; i++)
		ok &= def_read(paths[i], &defs[i]);
	for (int i = 0; ok && i < n; i++)
		for (int j = 0; j < i; j++)
			if (same_key(&defs[i], &defs[j])) {
				warnx("%s: the same template as %s (%s, %s, %s)", paths[i], paths[j],
				      defs[i].code, defs[i].channel, defs[i].language);
				ok = false;
			}
	if (ok) {
		ctl_connect(c);
		if (!template_store_put(&c->db, defs, n, replaced)) {
			store_error(c, "template add");
			ok = false;
		}
	}
	if (ok)
		for (int i = 0; i < n; i++)
			printf("%s %s (%s, %s)\n", replaced[i] ? "replaced" : "added", defs[i].code,
			       defs[i].channel, defs[i].language);
	else
		warnx("nothing was stored");
	for (int i = 0; i < n; i++) {
		template_def_free(&defs[i]);
		free(paths[i]);
	}
	free(defs);
	free(replaced);
	free(paths);
	return ok ? 0 : 1;
}

/* ------------------------------------------------------------------ list */

static int list_width(void)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");
	char *end;
	long v;

	if (isatty(1) && ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	/* atoi() of a number past int is undefined: strtol, and a width a
	 * terminal can have. */
	errno = 0;
	v = env ? strtol(env, &end, 10) : 0;
	if (env && !errno && end != env && !*end && v > 0 && v <= 10000)
		return (int)v;
	return LIST_WIDTH;
}

/* One line of the table; text is cut to its first line and to wtext columns. */
static void list_row(const int *w, const char *code, const char *channel, const char *language,
		     const char *updated, const char *by, int wtext, const char *text)
{
	char first[1024], cut[4096], who[256], cells[4][256];

	text += strspn(text, "\n"); /* a body may start with empty lines */
	text_first_line(first, sizeof first, text);
	text_fit(cut, sizeof cut, first, wtext, 0);
	text_fit(who, sizeof who, by, w[2], 1);
	/* Padded by display cells, as the widths were measured. */
	printf("%s  %s  %s  %s  %s  %s\n", text_pad(cells[0], sizeof cells[0], code, w[0], false),
	       text_pad(cells[1], sizeof cells[1], channel, w[1], false),
	       text_pad(cells[2], sizeof cells[2], language, 8, false),
	       text_pad(cells[3], sizeof cells[3], updated, 16, false), who, cut);
}

static int template_list_cmd(struct ctl *c, int argc, char **argv)
{
	struct stored_template *t;
	struct template_opts o;
	int n, w[3], wtext;

	if (!opts_parse(argc, argv, false, &o) || o.nargs) {
		warnx("usage: cobroctl template list [--channel CHANNEL] [--language LANGUAGE]");
		return 2;
	}
	ctl_connect(c);
	if (!template_store_list(&c->db, o.channel, o.language, &t, &n)) {
		warnx("template list: %s", c->db.err);
		return 1;
	}
	if (n == 0) {
		char filter[64];

		printf("no templates%s\n", filter_text(filter, sizeof filter, o.channel, o.language));
		stored_templates_free(t, n);
		return 0;
	}
	/* Widths of code, channel and by: the widest value or the heading. */
	w[0] = 4, w[1] = 7, w[2] = 2;
	for (int i = 0; i < n; i++) {
		const char *cell[3] = {t[i].code, t[i].channel, t[i].created_by};

		for (int k = 0; k < 3; k++)
			if (text_width(cell[k]) > w[k])
				w[k] = text_width(cell[k]);
	}
	if (w[2] > 16)
		w[2] = 16;
	/* The text takes what is left of the line, and at least a few words. */
	wtext = list_width() - (w[0] + w[1] + 8 + 16 + w[2] + 5 * 2);
	if (wtext < 20)
		wtext = 20;
	list_row(w, "CODE", "CHANNEL", "LANGUAGE", "UPDATED", "BY", wtext, "SUBJECT OR TEXT");
	for (int i = 0; i < n; i++)
		list_row(w, t[i].code, t[i].channel, t[i].language, t[i].updated_at, t[i].created_by, wtext,
			 t[i].subject ? t[i].subject : t[i].body);
	stored_templates_free(t, n);
	return 0;
}

/* ------------------------------------------------------------------ show */

/* Exactly the file that `template add` reads back to the same template. */
static void print_tpl(const struct stored_template *t)
{
	printf("code: %s\nchannel: %s\nlanguage: %s\n", t->code, t->channel, t->language);
	if (t->requires) {
		char words[160];

		printf("requires: %s\n", template_facts_words(t->requires, words, sizeof words));
	}
	if (t->subject)
		printf("subject: %s\n", t->subject);
	printf("\n%s\n", t->body);
}

static int template_show_cmd(struct ctl *c, int argc, char **argv)
{
	struct stored_template *t;
	struct template_opts o;
	int n, shown = 0;

	if (!opts_parse(argc, argv, false, &o) || o.nargs != 1) {
		warnx("usage: cobroctl template show CODE [--channel CHANNEL] [--language LANGUAGE]");
		return 2;
	}
	ctl_connect(c);
	if (!template_store_list(&c->db, o.channel, o.language, &t, &n)) {
		warnx("template show: %s", c->db.err);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		if (strcmp(t[i].code, o.args[0]))
			continue;
		/* Between two templates: an empty line and "---", so that each
		 * piece between the "---" lines is a file add takes back. */
		if (shown++)
			printf("\n---\n");
		print_tpl(&t[i]);
	}
	stored_templates_free(t, n);
	if (!shown) {
		char filter[64];

		warnx("no template %s%s", o.args[0],
		      filter_text(filter, sizeof filter, o.channel, o.language));
		return 1;
	}
	return 0;
}

/* --------------------------------------------------------------- preview */

/* The SMS's encoding and segments, and whether it is over the limit the
 * send screen applies: false when it is. */
static bool print_sms_size(const char *body, int max_segments)
{
	struct sms_size sz;
	bool gsm;

	if (!sms_measure(body, &sz)) {
		printf("encoding: invalid UTF-8\n");
		return false;
	}
	gsm = sz.encoding == SMS_GSM7;
	printf("encoding: %s, %zu segment%s (%d per segment)\n", sms_encoding_name(sz.encoding), sz.segments,
	       sz.segments == 1 ? "" : "s",
	       sz.segments == 1 ? (gsm ? SMS_GSM7_SINGLE : SMS_UCS2_SINGLE)
				: (gsm ? SMS_GSM7_PART : SMS_UCS2_PART));
	printf("length: %zu characters, %zu %s, %zu left in the last segment\n", sz.chars, sz.units,
	       gsm ? "septets" : "UTF-16 units", sz.left);
	if (sz.segments > (size_t)max_segments) {
		printf("limit: exceeds the limit of %d segment%s (sms.max_segments): it would not be sent\n",
		       max_segments, max_segments == 1 ? "" : "s");
		return false;
	}
	printf("limit: within the limit of %d segment%s (sms.max_segments)\n", max_segments,
	       max_segments == 1 ? "" : "s");
	return true;
}

/* The data of the account with this reference, as the person logged in
 * sees it and as the send screen would render it; the collector's name is
 * theirs. */
static bool account_data(struct ctl *c, const char *reference, struct account_view *v, struct whoami *me,
			 struct template_data *d, char paid_on[OUTBOX_DATE_SIZE])
{
	long long id;

	if (!template_store_account(&c->db, reference, &id) || !account_load(&c->db, id, 0, 0, v)) {
		warnx("template preview: %s", c->db.err);
		return false;
	}
	/* Someone who is not an agent (the database owner) has no name to
	 * sign with: {agent.name} is then missing, as for automation. */
	outbox_template_data(v, agent_whoami(&c->db, me) ? me->name : NULL, d, paid_on);
	return true;
}

static int template_preview_cmd(struct ctl *c, int argc, char **argv)
{
	struct stored_template t;
	struct template_opts o;
	struct template_data d;
	struct account_view v = {0};
	struct whoami me;
	char err[1024], paid_on[OUTBOX_DATE_SIZE], *subject = NULL, *body = NULL;
	int rc = 1;

	if (!opts_parse(argc, argv, true, &o) || o.nargs != 1 || !o.channel || !o.language) {
		warnx("usage: cobroctl template preview CODE --channel CHANNEL --language LANGUAGE "
		      "[--account REFERENCE]");
		return 2;
	}
	ctl_connect(c);
	if (!template_store_get(&c->db, o.args[0], o.channel, o.language, &t)) {
		warnx("template preview: %s", c->db.err);
		return 1;
	}
	if (o.account) {
		if (!account_data(c, o.account, &v, &me, &d, paid_on))
			goto out;
		/* The template's language decides how money and dates read, so
		 * that one text never mixes two; say when the debtor reads the
		 * other one. */
		if (d.language && strcmp(d.language, t.language))
			warnx("note: the debtor of %s reads \"%s\"; this template is in \"%s\"", o.account,
			      d.language, t.language);
		d.language = t.language;
	} else {
		template_sample(&d, t.language);
	}
	if ((t.subject && !(subject = template_render(t.subject, &d, err, sizeof err))) ||
	    !(body = template_render(t.body, &d, err, sizeof err))) {
		warnx("template preview: %s (%s, %s): %s", t.code, t.channel, t.language, err);
		goto out;
	}
	if (subject)
		printf("subject: %s\n\n", subject);
	printf("%s\n", body);
	rc = 0;
	if (!strcmp(t.channel, "sms")) {
		putchar('\n');
		rc = print_sms_size(body, c->conf.sms_max_segments) ? 0 : 1;
	}
out:
	free(subject);
	free(body);
	if (o.account)
		account_view_free(&v);
	stored_template_free(&t);
	return rc;
}

/* ---------------------------------------------------------------- remove */

static int template_remove_cmd(struct ctl *c, int argc, char **argv)
{
	struct template_opts o;
	int removed, line;
	char channel[16], err[512], *file = NULL;

	if (!opts_parse(argc, argv, false, &o) || o.nargs != 1) {
		warnx("usage: cobroctl template remove CODE [--channel CHANNEL] [--language LANGUAGE]");
		return 2;
	}
	ctl_connect(c);
	/* A template the strategy in force sends from stays: its step would
	 * have nothing to send (031 dropped the foreign key that said so). */
	if (!strategy_store_template_in_use(&c->db, o.args[0], o.channel, o.language, &line, &file, channel,
	                                    sizeof channel, err, sizeof err)) {
		/* Who may not read the strategy may not remove templates either:
		 * the database says so below, in its own words. */
		if (strcmp(c->db.sqlstate, "42501")) {
			warnx("template remove: %s", err);
			warnx("nothing was removed");
			return 1;
		}
		line = 0;
	}
	if (line) {
		warnx("template remove: the strategy in force sends %s by %s (%s:%d): load a strategy without it "
		      "first (cobroctl strategy load)",
		      o.args[0], channel, file, line);
		warnx("nothing was removed");
		free(file);
		return 1;
	}
	if (!template_store_remove(&c->db, o.args[0], o.channel, o.language, &removed)) {
		store_error(c, "template remove");
		warnx("nothing was removed");
		return 1;
	}
	if (removed == 0) {
		char filter[64];

		warnx("no template %s%s", o.args[0],
		      filter_text(filter, sizeof filter, o.channel, o.language));
		return 1;
	}
	printf("removed %d template%s\n", removed, removed == 1 ? "" : "s");
	return 0;
}

static int template_run(struct ctl *c, int argc, char **argv)
{
	static const struct ctl_sub subs[] = {
		{ "add", template_add_cmd },         { "list", template_list_cmd },
		{ "show", template_show_cmd },       { "preview", template_preview_cmd },
		{ "remove", template_remove_cmd },
	};

	return ctl_dispatch(&ctl_template_cmd, subs, ARRAY_SIZE(subs), c, argc, argv);
}

const struct ctl_command ctl_template_cmd = {
	.name = "template",
	.usage = "  template add FILE|DIR...     store message templates (.tpl files), all or none\n"
	         "  template list [--channel C] [--language L]\n"
	         "  template show CODE [--channel C] [--language L]   print in the .tpl format\n"
	         "  template preview CODE --channel C --language L [--account REFERENCE]\n"
	         "                               render with sample or the account's data; SMS segments\n"
	         "  template remove CODE [--channel C] [--language L]\n",
	.run = template_run,
};
