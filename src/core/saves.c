#include "saves.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outbox.h"
#include "promise.h"
#include "text.h"
#include "util.h"

static const char *const kind_names[SAVE__COUNT] = { [SAVE_CALL] = "call", [SAVE_NOTE] = "note",
	                                             [SAVE_CALLBACK] = "callback", [SAVE_MESSAGE] = "message",
	                                             [SAVE_PROMISE] = "promise" };

/* A message's body and subject in the file: more than any channel takes
 * (message_queue() judges the rest), less than a line could make trouble. */
#define SAVE_TEXT_MAX (256 * 1024)
#define SAVE_PARAMS_MAX 32

/* The file's first line: what it is and its format's version. */
#define SAVES_MAGIC "cobro pending saves 1"

void saves_add(struct save_queue *q, const struct save_item *it)
{
	if (q->n == q->cap) {
		q->cap = q->cap ? q->cap * 2 : 8;
		q->items = xrealloc(q->items, sizeof *q->items * (size_t)q->cap);
	}
	q->items[q->n] = *it;
	q->items[q->n].text = it->text ? xstrdup(it->text) : NULL;
	q->items[q->n].msg.subject = it->msg.subject ? xstrdup(it->msg.subject) : NULL;
	q->items[q->n].msg.params = NULL;
	if (it->msg.nparams > 0) {
		q->items[q->n].msg.params = xcalloc((size_t)it->msg.nparams, sizeof(char *));
		for (int i = 0; i < it->msg.nparams; i++)
			q->items[q->n].msg.params[i] = xstrdup(it->msg.params[i] ? it->msg.params[i] : "");
	}
	q->n++;
}

static void item_free(struct save_item *it)
{
	free(it->text);
	free(it->msg.subject);
	for (int i = 0; i < it->msg.nparams; i++)
		free(it->msg.params[i]);
	free(it->msg.params);
}

static void drop_first(struct save_queue *q)
{
	item_free(&q->items[0]);
	memmove(q->items, q->items + 1, sizeof *q->items * (size_t)--q->n);
}

/* A message through the outbox, as the send screen queues it. */
static bool queue_message(struct db *db, const struct save_item *it)
{
	long long id;
	struct outbox_request r = {
		.key = it->key,
		.account_id = it->account_id,
		.point_id = it->point_id,
		.channel = it->msg.channel,
		.template_id = it->msg.template_id,
		.subject = it->msg.subject,
		.body = it->text,
		.params = (const char *const *)it->msg.params,
		.nparams = it->msg.nparams,
		.segments = it->msg.segments,
		.ucs2 = it->msg.ucs2,
	};

	return outbox_queue(db, &r, &id);
}

/* A promise as the form saves it, with its key: once, however many times. */
static bool save_promise(struct db *db, const struct save_item *it)
{
	struct promise_request r = {
		.account_id = it->account_id,
		.terms = { .amount = it->promise.amount, .first_due = it->promise.first_due, .count = it->promise.count,
		           .freq = it->promise.freq, .discount = it->promise.discount, .channel = it->promise.channel },
		.note = it->text,
		.replace = it->promise.replace,
	};
	struct promise_saved saved;
	enum promise_error refused;

	snprintf(r.key, sizeof r.key, "%s", it->key);
	return promise_save(db, &r, &saved, &refused);
}

void saves_free(struct save_queue *q)
{
	while (q->n > 0)
		drop_first(q);
	free(q->items);
	*q = (struct save_queue){ 0 };
}

enum save_result saves_first(struct save_queue *q, struct db *db, long long *account)
{
	const struct save_item *it;
	bool ok = false;

	if (q->n == 0)
		return SAVE_LATER;
	it = &q->items[0];
	switch (it->kind) {
	case SAVE_CALL: ok = contact_log_call(db, it->key, it->account_id, it->outcome, it->point_id, it->text); break;
	case SAVE_NOTE: ok = contact_add_note(db, it->key, it->account_id, it->text); break;
	case SAVE_CALLBACK:
		ok = contact_schedule_callback(db, it->key, it->account_id, it->due, it->zone, it->text);
		break;
	case SAVE_MESSAGE: ok = queue_message(db, it); break;
	case SAVE_PROMISE: ok = save_promise(db, it); break;
	case SAVE__COUNT: break;
	}
	*account = it->account_id;
	/* Whether a save whose connection broke was committed is unknown: it
	 * is saved again with its key, which the database takes once. */
	if (!ok && (PQstatus(db->conn) == CONNECTION_BAD || db_classify(db->sqlstate) == DB_CONNECTION ||
	            db_classify(db->sqlstate) == DB_RETRY))
		return SAVE_LATER;
	if (!ok)
		return SAVE_REFUSED; /* the caller keeps it somewhere, or drops it */
	drop_first(q);
	return SAVE_DONE;
}

void saves_take_first(struct save_queue *q, struct save_queue *to)
{
	if (q->n == 0)
		return;
	if (to)
		saves_add(to, &q->items[0]);
	drop_first(q);
}

/* ------------------------------------------------------------- the file */

bool saves_path(char *path, size_t len, const char *login)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	int n;

	/* A role's name may hold any character; a file's name may not. */
	if (!login || !*login || login[0] == '.' || strchr(login, '/'))
		return false;
	/* The XDG specification: a relative path is to be ignored. */
	if (state && state[0] == '/')
		n = snprintf(path, len, "%s/cobro/pending/%s", state, login);
	else if (home && home[0] == '/')
		n = snprintf(path, len, "%s/.local/state/cobro/pending/%s", home, login);
	else
		return false;
	return n > 0 && (size_t)n < len;
}

/* Makes each directory of path's parent that is missing, 0700. */
static bool make_parents(const char *path)
{
	char d[4096];

	if (snprintf(d, sizeof d, "%s", path) >= (int)sizeof d)
		return false;
	for (char *p = d + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(d, 0700) != 0 && errno != EEXIST)
			return false;
		*p = '/';
	}
	return true;
}

/* A field as it is written: tab, newline, CR and backslash escaped. */
static void put_escaped(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\\': buf_puts(b, "\\\\"); break;
		case '\t': buf_puts(b, "\\t"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\r': buf_puts(b, "\\r"); break;
		default: buf_add(b, s, 1);
		}
	}
}

bool saves_write(const struct save_queue *q, const char *path, const char *login, char *err, size_t errlen)
{
	char tmp[4200], dir[4096];
	struct buf b = { 0 };
	int fd;
	bool ok;

	if (q->n == 0) {
		if (unlink(path) != 0 && errno != ENOENT) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			return false;
		}
		return true;
	}
	if (!make_parents(path)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return false;
	}
	buf_printf(&b, "%s\nlogin\t", SAVES_MAGIC);
	put_escaped(&b, login);
	buf_puts(&b, "\n");
	for (int i = 0; i < q->n; i++) {
		const struct save_item *it = &q->items[i];

		/* A promise's frequency, the promise it replaces and its first
		 * date go where a call's outcome, point and a callback's time go. */
		buf_printf(&b, "%s\t%s\t%lld\t%s\t%lld\t%lld\t", kind_names[it->kind], it->key, it->account_id,
		           it->kind == SAVE_CALL      ? outcome_code(it->outcome)
		           : it->kind == SAVE_MESSAGE ? channel_name(it->msg.channel)
		           : it->kind == SAVE_PROMISE ? promise_freq_name(it->promise.freq)
		                                      : "-",
		           it->kind == SAVE_PROMISE ? it->promise.replace : it->point_id,
		           it->kind == SAVE_PROMISE ? (long long)it->promise.first_due : (long long)it->due);
		put_escaped(&b, it->zone[0] ? it->zone : "-");
		buf_puts(&b, "\t");
		if (it->text) {
			buf_puts(&b, "+");
			put_escaped(&b, it->text);
		} else {
			buf_puts(&b, "-");
		}
		/* A message's own parts follow: template, segments, UCS-2,
		 * subject, then the count of params and each one. */
		if (it->kind == SAVE_MESSAGE) {
			buf_printf(&b, "\t%lld\t%d\t%d\t", it->msg.template_id, it->msg.segments, it->msg.ucs2 ? 1 : 0);
			if (it->msg.subject) {
				buf_puts(&b, "+");
				put_escaped(&b, it->msg.subject);
			} else {
				buf_puts(&b, "-");
			}
			buf_printf(&b, "\t%d", it->msg.nparams);
			for (int k = 0; k < it->msg.nparams; k++) {
				buf_puts(&b, "\t");
				put_escaped(&b, it->msg.params[k]);
			}
		}
		/* A promise's: amount, count, discount, channel. */
		if (it->kind == SAVE_PROMISE)
			buf_printf(&b, "\t%lld\t%d\t%lld\t%s", it->promise.amount, it->promise.count, it->promise.discount,
			           it->promise.channel);
		buf_puts(&b, "\n");
	}
	snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	ok = fd >= 0 && fchmod(fd, 0600) == 0 && write_all(fd, b.s, b.len) && fsync(fd) == 0;
	if (fd >= 0 && close(fd) != 0)
		ok = false;
	if (ok && rename(tmp, path) != 0)
		ok = false;
	if (!ok) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		unlink(tmp);
	}
	buf_free(&b);
	/* The rename itself lasts once the directory is synced. */
	snprintf(dir, sizeof dir, "%s", path);
	if (ok && strrchr(dir, '/')) {
		*strrchr(dir, '/') = '\0';
		if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
			fsync(fd);
			close(fd);
		}
	}
	return ok;
}

/* Undoes put_escaped() in place; false on an escape that is none. */
static bool unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (*s != '\\') {
			*o++ = *s;
			continue;
		}
		switch (*++s) {
		case '\\': *o++ = '\\'; break;
		case 't': *o++ = '\t'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		default: return false;
		}
	}
	*o = '\0';
	return true;
}

static bool is_key(const char *k)
{
	if (strlen(k) != CONTACT_KEY_SIZE - 1)
		return false;
	for (int i = 0; k[i]; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23 ? k[i] != '-' : !strchr("0123456789abcdef", k[i]))
			return false;
	return true;
}

static bool whole_number(const char *s, long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 10);
	return *s && !*end && errno == 0;
}

/* The most fields a line has: 8 for every kind, and a message's 5 and
 * params after them (a promise's 4). */
#define FIELDS_MAX (8 + 5 + SAVE_PARAMS_MAX)

/* A message's text, subject or param as the file has it: UTF-8 within
 * SAVE_TEXT_MAX (message_queue() judges the rest when it is queued). */
static bool text_ok(const char *s)
{
	size_t n = strlen(s);

	return n <= SAVE_TEXT_MAX && text_utf8_valid(s, n);
}

/* A message's parts from fields 8 on (f[3] its channel). params points into
 * the line; the array is the caller's (FIELDS_MAX entries). */
static bool parse_message(char **f, int n, struct save_item *it, char **params)
{
	long long v;

	if (n < 13 || !channel_parse(f[3], &it->msg.channel) ||
	    (it->msg.channel != CH_SMS && it->msg.channel != CH_EMAIL && it->msg.channel != CH_WHATSAPP))
		return false;
	if (!whole_number(f[8], &it->msg.template_id) || it->msg.template_id < 0)
		return false;
	if (!whole_number(f[9], &v) || v < 0 || v > 255)
		return false;
	it->msg.segments = (int)v;
	if (strcmp(f[10], "0") && strcmp(f[10], "1"))
		return false;
	it->msg.ucs2 = f[10][0] == '1';
	if (f[11][0] == '+') {
		if (!text_ok(f[11] + 1))
			return false;
		it->msg.subject = f[11] + 1;
	} else if (strcmp(f[11], "-")) {
		return false;
	}
	if (!whole_number(f[12], &v) || v < 0 || v > SAVE_PARAMS_MAX || n != 13 + v)
		return false;
	for (int i = 0; i < v; i++) {
		if (!text_ok(f[13 + i]))
			return false;
		params[i] = f[13 + i];
	}
	it->msg.nparams = (int)v;
	it->msg.params = v ? params : NULL;
	return it->point_id > 0 && it->text && text_ok(it->text);
}

/* A promise's parts: f[3] its frequency, f[4] the promise it replaces,
 * f[5] its first date, then fields 8 on. Its rules are promise_save()'s. */
static bool parse_promise(char **f, int n, struct save_item *it)
{
	struct save_promise *p = &it->promise;
	long long v;

	if (n != 12 || !promise_freq_parse(f[3], &p->freq))
		return false;
	p->replace = it->point_id;
	p->first_due = it->due;
	it->point_id = 0;
	it->due = 0;
	if (!whole_number(f[8], &p->amount) || !whole_number(f[9], &v) || v < 1 || v > PROMISE_COUNT_MAX ||
	    !whole_number(f[10], &p->discount) || !promise_channel_known(f[11]))
		return false;
	p->count = (int)v;
	snprintf(p->channel, sizeof p->channel, "%s", f[11]);
	return !it->zone[0];
}

/* One line of the file (tabs split, then unescaped) as an item; a
 * message's params go in params (FIELDS_MAX entries). */
static bool parse_item(char *line, struct save_item *it, char **params)
{
	char *f[FIELDS_MAX];
	int n = 0;
	long long v;

	memset(it, 0, sizeof *it);
	for (char *p = line; n < FIELDS_MAX; n++) {
		f[n] = p;
		if (!(p = strchr(p, '\t'))) {
			n++;
			break;
		}
		*p++ = '\0';
		if (n + 1 == FIELDS_MAX)
			return false; /* more fields than any line has */
	}
	if (n < 8)
		return false;
	for (int i = 0; i < n; i++)
		if (!unescape(f[i]))
			return false;
	for (it->kind = 0; it->kind < SAVE__COUNT && strcmp(f[0], kind_names[it->kind]); it->kind++)
		;
	if (it->kind == SAVE__COUNT || !is_key(f[1]) || (it->kind != SAVE_MESSAGE && it->kind != SAVE_PROMISE && n != 8))
		return false;
	snprintf(it->key, sizeof it->key, "%s", f[1]);
	if (!whole_number(f[2], &it->account_id) || it->account_id <= 0)
		return false;
	if (it->kind == SAVE_CALL) {
		for (it->outcome = 0; it->outcome < OUTCOME__COUNT && strcmp(f[3], outcome_code(it->outcome));
		     it->outcome++)
			;
		if (it->outcome == OUTCOME__COUNT)
			return false;
	}
	if (!whole_number(f[4], &it->point_id) || it->point_id < 0 || !whole_number(f[5], &v))
		return false;
	it->due = v;
	if (strcmp(f[6], "-") && snprintf(it->zone, sizeof it->zone, "%s", f[6]) >= (int)sizeof it->zone)
		return false;
	if (it->kind == SAVE_CALLBACK && !it->zone[0])
		return false;
	if (f[7][0] == '+') {
		if (it->kind != SAVE_MESSAGE && contact_check_note(f[7] + 1, it->kind == SAVE_NOTE) != NOTE_OK)
			return false;
		it->text = f[7] + 1;
	} else if (strcmp(f[7], "-") || it->kind == SAVE_NOTE || it->kind == SAVE_MESSAGE) {
		return false;
	}
	if (it->kind == SAVE_PROMISE)
		return parse_promise(f, n, it);
	return it->kind != SAVE_MESSAGE || parse_message(f, n, it, params);
}

bool saves_read(struct save_queue *q, const char *path, const char *login, char *err, size_t errlen)
{
	FILE *f = fopen(path, "re");
	struct save_queue got = { 0 };
	char *line = NULL, want[256];
	size_t cap = 0;
	ssize_t len;
	int no = 0;
	bool ok = true;

	if (!f) {
		if (errno == ENOENT)
			return true;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return false;
	}
	snprintf(want, sizeof want, "login\t%s", login);
	while (ok && (len = getline(&line, &cap, f)) >= 0) {
		struct save_item it;
		char *params[FIELDS_MAX];

		no++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (no == 1)
			ok = !strcmp(line, SAVES_MAGIC);
		else if (no == 2)
			ok = !strcmp(line, want);
		else if ((ok = parse_item(line, &it, params)))
			saves_add(&got, &it);
		if (!ok)
			snprintf(err, errlen, no == 2 ? "%s:%d: another login's saves" : "%s:%d: not a line of saves",
			         path, no);
	}
	if (ok && no < 2) {
		snprintf(err, errlen, "%s: not a file of saves", path);
		ok = false;
	}
	free(line);
	fclose(f);
	for (int i = 0; ok && i < got.n; i++)
		saves_add(q, &got.items[i]);
	saves_free(&got);
	return ok;
}

static bool holds(const struct save_queue *q, const char *key)
{
	for (int i = 0; q && i < q->n; i++)
		if (!strcmp(q->items[i].key, key))
			return true;
	return false;
}

bool saves_keep(const struct save_queue *ours, const struct save_queue *loaded, const char *path,
                const char *login, char *err, size_t errlen)
{
	struct save_queue there = { 0 }, all = { 0 };
	char ignored[512];
	bool ok;

	/* One that cannot be read was put aside when this run started. */
	saves_read(&there, path, login, ignored, sizeof ignored);
	for (int i = 0; i < there.n; i++)
		if (!holds(loaded, there.items[i].key) && !holds(ours, there.items[i].key))
			saves_add(&all, &there.items[i]);
	for (int i = 0; i < ours->n; i++)
		saves_add(&all, &ours->items[i]);
	ok = saves_write(&all, path, login, err, errlen);
	saves_free(&there);
	saves_free(&all);
	return ok;
}
