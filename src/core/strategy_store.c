#include "strategy_store.h"

#include <errno.h>
#include <openssl/evp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diff.h"

void stored_strategy_free(struct stored_strategy *s)
{
	free(s->file);
	free(s->text);
	free(s->digest);
	free(s->diff);
	memset(s, 0, sizeof *s);
}

/* Each store function runs in a transaction of its own, or, when the
 * caller has one open, in a savepoint of it: so a dry run, or a test, may
 * do everything a run does inside a transaction it then rolls back. */
static bool tx_begin(struct db *db, const char *begin, bool *nested)
{
	*nested = PQtransactionStatus(db->conn) == PQTRANS_INTRANS;
	return db_cmd(db, *nested ? "SAVEPOINT strategy_store" : begin);
}

static bool tx_commit(struct db *db, bool nested)
{
	return db_cmd(db, nested ? "RELEASE SAVEPOINT strategy_store" : "COMMIT");
}

static void tx_rollback(struct db *db, bool nested)
{
	char keep[sizeof db->err], state[sizeof db->sqlstate];

	/* The ROLLBACK must not hide why it failed. */
	memcpy(keep, db->err, sizeof keep);
	memcpy(state, db->sqlstate, sizeof state);
	if (nested) {
		db_cmd(db, "ROLLBACK TO SAVEPOINT strategy_store");
		db_cmd(db, "RELEASE SAVEPOINT strategy_store");
	} else {
		db_cmd(db, "ROLLBACK");
	}
	memcpy(db->err, keep, sizeof keep);
	memcpy(db->sqlstate, state, sizeof state);
}

static const char version_cols[] =
	"SELECT version, file, text, digest, coalesce(diff, ''), to_char(loaded_at, 'YYYY-MM-DD HH24:MI:SSOF'), loaded_by ";

static void version_from(PGresult *r, struct stored_strategy *out)
{
	out->version = atoi(PQgetvalue(r, 0, 0));
	out->file = xstrdup(PQgetvalue(r, 0, 1));
	out->text = xstrdup(PQgetvalue(r, 0, 2));
	out->digest = xstrdup(PQgetvalue(r, 0, 3));
	out->diff = xstrdup(PQgetvalue(r, 0, 4));
	snprintf(out->loaded_at, sizeof out->loaded_at, "%s", PQgetvalue(r, 0, 5));
	snprintf(out->loaded_by, sizeof out->loaded_by, "%s", PQgetvalue(r, 0, 6));
}

bool strategy_store_in_force(struct db *db, struct stored_strategy *out, char *err, size_t errlen)
{
	char sql[512];
	PGresult *r;

	memset(out, 0, sizeof *out);
	/* strategy_in_force() says who may; the diff is the table's. */
	snprintf(sql, sizeof sql,
	         "%sFROM cobro.strategy_version WHERE version = (SELECT version FROM cobro.strategy_in_force())",
	         version_cols);
	if (!(r = db_exec(db, sql, 0, NULL))) {
		snprintf(err, errlen, "cannot read the strategy in force: %s", db->err);
		return false;
	}
	if (PQntuples(r) == 1)
		version_from(r, out);
	PQclear(r);
	return true;
}

bool strategy_store_version(struct db *db, int version, struct stored_strategy *out, char *err, size_t errlen)
{
	char sql[512], v[16];
	const char *p[1] = { v };
	PGresult *r;

	memset(out, 0, sizeof *out);
	snprintf(v, sizeof v, "%d", version);
	snprintf(sql, sizeof sql, "%sFROM cobro.strategy_version WHERE version = $1", version_cols);
	if (!(r = db_exec(db, sql, 1, p))) {
		snprintf(err, errlen, "cannot read strategy version %d: %s", version, db->err);
		return false;
	}
	if (PQntuples(r) != 1) {
		PQclear(r);
		snprintf(err, errlen, "no strategy version %d", version);
		return false;
	}
	version_from(r, out);
	PQclear(r);
	return true;
}

static void sha256_hex(const char *text, char out[65])
{
	unsigned char md[32];
	unsigned int n = 0;

	EVP_Digest(text, strlen(text), md, &n, EVP_sha256(), NULL);
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

int strategy_store_load(struct db *db, const char *file, const char *text, char **diff, char *err, size_t errlen)
{
	struct stored_strategy cur;
	char digest[65], *d = NULL;
	PGresult *r = NULL;
	int version = -1;
	bool nested;

	if (diff)
		*diff = NULL;
	if (!tx_begin(db, "BEGIN", &nested)) {
		snprintf(err, errlen, "%s", db->err);
		return -1;
	}
	/* The diff is against the version just before it: one loader at a
	 * time (strategy_load() takes the same lock). */
	if (!db_cmd(db, "SELECT pg_advisory_xact_lock(hashtext('cobro.strategy_version'))")) {
		snprintf(err, errlen, "%s", db->err);
		goto out;
	}
	if (!strategy_store_in_force(db, &cur, err, errlen))
		goto out;
	d = diff_lines(cur.version ? cur.text : "", text);
	stored_strategy_free(&cur);
	sha256_hex(text, digest);
	{
		const char *p[4] = { file, text, digest, d };

		r = db_exec(db, "SELECT cobro.strategy_load($1, $2, $3, $4)", 4, p);
	}
	if (!r) {
		snprintf(err, errlen, "cannot store the strategy: %s", db->err);
		goto out;
	}
	version = atoi(PQgetvalue(r, 0, 0));
	if (!tx_commit(db, nested)) {
		snprintf(err, errlen, "%s", db->err);
		version = -1;
	}
out:
	PQclear(r);
	if (version < 0) {
		tx_rollback(db, nested);
		free(d);
	} else if (diff) {
		*diff = d;
	} else {
		free(d);
	}
	return version;
}

bool strategy_store_templates(struct db *db, struct strategy_templates *out, char *err, size_t errlen)
{
	PGresult *r = db_exec(db, "SELECT DISTINCT code, channel FROM cobro.template ORDER BY 1, 2", 0, NULL);

	if (!r) {
		snprintf(err, errlen, "cannot read the templates: %s", db->err);
		return false;
	}
	for (int i = 0; i < PQntuples(r); i++) {
		enum strategy_channel ch;

		if (strategy_channel_parse(PQgetvalue(r, i, 1), -1, &ch))
			strategy_templates_add(out, PQgetvalue(r, i, 0), ch);
	}
	PQclear(r);
	return true;
}

/* The step's line when it sends code on channel ch (any when ch < 0). */
static int step_names(const struct strategy_step *st, const char *code, int ch)
{
	if (!strategy_channel_is_message(st->channel) || strcmp(st->template_code, code))
		return 0;
	return ch < 0 || (int)st->channel == ch ? st->line : 0;
}

/* The line of the first step (or the cleaning flow) of s that sends code
 * on channel ch; 0 when none. */
static int strategy_sends(const struct strategy *s, const char *code, int ch)
{
	int best = 0;

	for (int i = 0; i < s->nladders && !best; i++) {
		const struct strategy_ladder *l = &s->ladders[i];

		for (int j = 0; j < l->nsteps && !best; j++)
			best = step_names(&l->steps[j], code, ch);
		if (!best && l->has_promise_reminder)
			best = step_names(&l->promise_reminder, code, ch);
		if (!best && l->has_broken_promise)
			best = step_names(&l->broken_promise, code, ch);
	}
	if (!best && s->cleaning.given && !strcmp(s->cleaning.template_code, code) &&
	    (s->cleaning.channels & (1u << ch)))
		best = s->cleaning.line;
	return best;
}

bool strategy_store_template_in_use(struct db *db, const char *code, const char *channel, const char *language,
                                    int *line, char **file, char *channel_out, size_t channel_len, char *err,
                                    size_t errlen)
{
	const char *p[3] = { code, channel && *channel ? channel : NULL, language && *language ? language : NULL };
	struct stored_strategy cur;
	struct strategy_errors errs = { 0 };
	struct strategy *s = NULL;
	PGresult *r;

	*line = 0;
	*file = NULL;
	if (channel_len)
		*channel_out = '\0';
	if (!strategy_store_in_force(db, &cur, err, errlen))
		return false;
	if (!cur.version)
		goto out;
	/* The channels the removal would leave with no template of the code. */
	r = db_exec(db,
	            "SELECT channel FROM cobro.template WHERE code = $1 AND ($2::text IS NULL OR channel = $2) "
	            "GROUP BY channel HAVING bool_and($3::text IS NULL OR language = $3) ORDER BY channel",
	            3, p);
	if (!r) {
		snprintf(err, errlen, "cannot read the templates: %s", db->err);
		stored_strategy_free(&cur);
		return false;
	}
	s = strategy_parse(cur.file, cur.text, NULL, &errs);
	strategy_errors_free(&errs);
	for (int i = 0; s && i < PQntuples(r) && !*line; i++) {
		enum strategy_channel ch;

		if (strategy_channel_parse(PQgetvalue(r, i, 0), -1, &ch) && (*line = strategy_sends(s, code, (int)ch))) {
			snprintf(channel_out, channel_len, "%s", PQgetvalue(r, i, 0));
			*file = xstrdup(cur.file);
		}
	}
	PQclear(r);
	strategy_free(s);
out:
	stored_strategy_free(&cur);
	return true;
}

/* ------------------------------------------------------------------ facts */

/* COPY text's escapes undone in place (backslash sequences; \N is NULL
 * and handled by the caller). */
static void copy_unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (*s != '\\' || !s[1]) {
			*o++ = *s;
			continue;
		}
		switch (*++s) {
		case 'n': *o++ = '\n'; break;
		case 't': *o++ = '\t'; break;
		case 'r': *o++ = '\r'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'v': *o++ = '\v'; break;
		default: *o++ = *s; break;
		}
	}
	*o = '\0';
}

enum {
	F_ACCOUNT, F_REFERENCE, F_DEBTOR, F_JURISDICTION, F_TIME_ZONE, F_LANGUAGE, F_STATUS, F_DEBTOR_STATE,
	F_CURRENCY, F_BALANCE, F_PAST_DUE, F_SCORE, F_PRODUCT, F_OLDEST_DUE, F_NEXT_DUE, F_BROKEN, F_LAST_REPLY,
	F_LAST_RPC, F_LAST_PAYMENT, F_PROMISE_ACTIVE, F_PROMISE_NEXT_DUE, F_LAST_BROKEN, F_CUR_VERSION,
	F_CUR_SEGMENT, F_CUR_LADDER, F_CUR_VARIANT, F_CUR_STATE, F_CUR_REASON, F_CUR_LAST_STEP, F_CUR_NEXT_STEP,
	F_CUR_NEXT_STEP_ON, F_POINT_SMS, F_POINT_EMAIL, F_POINT_WHATSAPP, F_POINT_LETTER, F_TEAM_ID, F_TEAM,
	F_AGENT_ID, F_AGENT, F_DONE, F_COUNT
};

static long long num(const char *s)
{
	return s ? strtoll(s, NULL, 10) : 0;
}

static int day_of(const char *s)
{
	return s ? (int)strtol(s, NULL, 10) : STRATEGY_NO_DAY;
}

/* "ladder:step:day,..." split in place into done (at most cap). */
static int parse_done(char *s, struct strategy_done *done, int cap)
{
	int n = 0;

	while (s && *s && n < cap) {
		char *next = strchr(s, ','), *c1, *c2;

		if (next)
			*next++ = '\0';
		c1 = strchr(s, ':');
		c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (c1 && c2) {
			*c1 = *c2 = '\0';
			done[n].ladder = s;
			done[n].step = c1 + 1;
			done[n].anchor = (int)strtol(c2 + 1, NULL, 10);
			n++;
		}
		s = next;
	}
	return n;
}

/* One COPY line (its newline removed) into a; false when it has not the
 * fields it must. */
static bool row_from(char *line, struct strategy_account *a, struct strategy_done **done, int *done_cap)
{
	char *f[F_COUNT], *p = line;
	int nd;

	for (int i = 0; i < F_COUNT; i++) {
		char *tab = i + 1 < F_COUNT ? strchr(p, '\t') : NULL;

		if (i + 1 < F_COUNT && !tab)
			return false;
		if (tab)
			*tab = '\0';
		f[i] = strcmp(p, "\\N") ? p : NULL;
		if (f[i])
			copy_unescape(f[i]);
		p = tab ? tab + 1 : p;
	}
	memset(a, 0, sizeof *a);
	a->f.account_id = num(f[F_ACCOUNT]);
	a->f.reference = f[F_REFERENCE];
	a->f.debtor_id = num(f[F_DEBTOR]);
	a->f.jurisdiction = f[F_JURISDICTION];
	a->f.time_zone = f[F_TIME_ZONE];
	a->f.language = f[F_LANGUAGE];
	a->f.account_status = f[F_STATUS];
	a->f.debtor_state = f[F_DEBTOR_STATE];
	a->f.currency = f[F_CURRENCY];
	a->f.balance = num(f[F_BALANCE]);
	a->f.past_due = num(f[F_PAST_DUE]);
	a->f.score = (int)num(f[F_SCORE]);
	a->f.product = f[F_PRODUCT];
	a->f.oldest_due = day_of(f[F_OLDEST_DUE]);
	a->f.next_due = day_of(f[F_NEXT_DUE]);
	a->f.broken_promises_180 = (int)num(f[F_BROKEN]);
	a->f.last_reply = day_of(f[F_LAST_REPLY]);
	a->f.last_rpc = day_of(f[F_LAST_RPC]);
	a->f.last_payment = day_of(f[F_LAST_PAYMENT]);
	a->f.promise = f[F_PROMISE_ACTIVE] && !strcmp(f[F_PROMISE_ACTIVE], "t") ? STRATEGY_PROMISE_ACTIVE
	                                                                         : STRATEGY_PROMISE_NONE;
	a->f.promise_next_due = day_of(f[F_PROMISE_NEXT_DUE]);
	a->f.last_broken = day_of(f[F_LAST_BROKEN]);
	a->f.segment = f[F_CUR_SEGMENT];
	a->f.ladder = f[F_CUR_LADDER];
	a->f.variant = f[F_CUR_VARIANT];
	a->point[STRATEGY_SMS] = num(f[F_POINT_SMS]);
	a->point[STRATEGY_EMAIL] = num(f[F_POINT_EMAIL]);
	a->point[STRATEGY_WHATSAPP] = num(f[F_POINT_WHATSAPP]);
	a->point[STRATEGY_LETTER] = num(f[F_POINT_LETTER]);
	for (int c = 0; c < STRATEGY_CHANNELS; c++)
		if (a->point[c])
			a->f.contact |= 1u << c;
	a->f.team_id = num(f[F_TEAM_ID]);
	a->f.agent_id = num(f[F_AGENT_ID]);
	a->team = f[F_TEAM];
	a->agent = f[F_AGENT];
	a->cur_version = (int)num(f[F_CUR_VERSION]);
	a->cur_state = f[F_CUR_STATE];
	a->cur_reason = f[F_CUR_REASON];
	a->cur_last_step = f[F_CUR_LAST_STEP];
	a->cur_next_step = f[F_CUR_NEXT_STEP];
	a->cur_next_step_on = day_of(f[F_CUR_NEXT_STEP_ON]);
	/* Steps done: one a comma at most, so the commas bound them. */
	nd = 1;
	for (const char *q = f[F_DONE] ? f[F_DONE] : ""; *q; q++)
		nd += *q == ',';
	if (nd > *done_cap) {
		*done_cap = nd * 2;
		*done = xrealloc(*done, (size_t)*done_cap * sizeof **done);
	}
	a->f.ndone = parse_done(f[F_DONE], *done, *done_cap);
	a->f.done = *done;
	return true;
}

/* One share's stream of the facts: the accounts whose id is in [from, to)
 * (has_from, has_to: else no bound). */
struct share {
	struct db *db; /* the caller's, or one of its own (own) */
	struct db mine;
	bool own, open, sent, copying;
	bool has_from, has_to;
	long long from, to;
};

/* A share's COPY started (its query sent): false with err. */
static bool share_send(struct share *sh, const char *lit, char *err, size_t errlen)
{
	char from[24] = "NULL", to[24] = "NULL", *sql;
	bool ok;

	if (sh->has_from)
		snprintf(from, sizeof from, "%lld", sh->from);
	if (sh->has_to)
		snprintf(to, sizeof to, "%lld", sh->to);
	/* The bounds are numbers printed here, the day a quoted literal. */
	sql = xasprintf("COPY (SELECT * FROM cobro.strategy_facts(%s::date, %s, %s)) TO STDOUT", lit, from, to);
	ok = sh->sent = PQsendQuery(sh->db->conn, sql) == 1;
	if (!ok)
		snprintf(err, errlen, "cannot read the facts: %s", PQerrorMessage(sh->db->conn));
	free(sql);
	return ok;
}

/* The share's COPY under way (its first result): false with err. */
static bool share_started(struct share *sh, char *err, size_t errlen)
{
	PGresult *r = PQgetResult(sh->db->conn);

	if (PQresultStatus(r) != PGRES_COPY_OUT) {
		snprintf(err, errlen, "cannot read the facts: %s",
		         r ? PQresultErrorMessage(r) : PQerrorMessage(sh->db->conn));
		snprintf(sh->db->sqlstate, sizeof sh->db->sqlstate, "%s",
		         r && PQresultErrorField(r, PG_DIAG_SQLSTATE) ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : "");
		for (char *nl; (nl = strchr(err, '\n'));)
			*nl = ' ';
		PQclear(r);
		while ((r = PQgetResult(sh->db->conn)))
			PQclear(r);
		return false;
	}
	PQclear(r);
	sh->copying = true;
	return true;
}

/* The rest of a share's COPY after its last row: false with err. */
static bool share_end(struct share *sh, bool failed, char *err, size_t errlen)
{
	PGresult *r = PQgetResult(sh->db->conn);
	bool ok = !failed && PQresultStatus(r) == PGRES_COMMAND_OK;

	if (!ok && !failed)
		snprintf(err, errlen, "cannot read the facts: %s", PQerrorMessage(sh->db->conn));
	PQclear(r);
	while ((r = PQgetResult(sh->db->conn)))
		PQclear(r);
	sh->copying = sh->sent = false;
	return ok;
}

/* After a failure elsewhere: the rest of a share's COPY, sent or under
 * way, read and dropped, so that its connection takes a command again. */
static void share_drain(struct share *sh)
{
	PGresult *r;
	char *line;

	while ((r = PQgetResult(sh->db->conn))) {
		if (PQresultStatus(r) == PGRES_COPY_OUT)
			while (PQgetCopyData(sh->db->conn, &line, 0) > 0)
				PQfreemem(line);
		PQclear(r);
	}
	sh->copying = sh->sent = false;
}

bool strategy_store_facts(struct db *db, int day, strategy_account_fn fn, void *arg, long long *n, char *err,
                          size_t errlen)
{
	return strategy_store_facts_jobs(db, day, 1, fn, arg, n, err, errlen);
}

bool strategy_store_facts_jobs(struct db *db, int day, int jobs, strategy_account_fn fn, void *arg, long long *n,
                               char *err, size_t errlen)
{
	char ymd[16], *lit = NULL, *line;
	struct strategy_done *done = NULL;
	struct share *sh = NULL;
	struct pollfd *pfd = NULL;
	int done_cap = 0, len, active = 0;
	bool ok = false, stopped = false, failed = false, nested = false;
	long long rows = 0;

	if (n)
		*n = 0;
	strategy_day_format(day, ymd, sizeof ymd);
	if (!*ymd) {
		snprintf(err, errlen, "not a day");
		return false;
	}
	if (jobs < 1)
		jobs = 1;
	if (jobs > STRATEGY_FACTS_JOBS_MAX)
		jobs = STRATEGY_FACTS_JOBS_MAX;
	/* Inside the caller's transaction (a test's, rolled back after) the
	 * facts are those it sees, its own writes with them: another
	 * connection would not see those, so one connection reads them all. */
	if (PQtransactionStatus(db->conn) == PQTRANS_INTRANS)
		jobs = 1;
	/* COPY takes no parameters: the day goes in as a literal quoted by
	 * libpq, and is a date the database checks again. */
	if (!(lit = PQescapeLiteral(db->conn, ymd, strlen(ymd)))) {
		snprintf(err, errlen, "%s", PQerrorMessage(db->conn));
		return false;
	}
	sh = xcalloc((size_t)jobs, sizeof *sh);
	pfd = xcalloc((size_t)jobs, sizeof *pfd);
	sh[0].db = db;
	/* No JIT, which compiles longer than such a query runs. The server's
	 * work_mem, not a larger one: since the histories are no longer
	 * aggregated here (debtor_heard), hash tables of hundreds of MB were
	 * slower than the same joins in batches (the bench's 1,000,000
	 * accounts: the facts in 51 s at the default 4 MB, some 60 s at
	 * 256 MB; 200,000: 4.9 s of CPU against 5.5 s). */
	if (!tx_begin(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", &nested) ||
	    !db_cmd(db, "SET LOCAL jit = off")) {
		snprintf(err, errlen, "%s", db->err);
		goto out;
	}
	sh[0].open = true;
	if (jobs > 1) {
		/* The shares: the ids from the least to the greatest cut in jobs
		 * ranges of one length, the first and the last open-ended (an
		 * account added since is in none: this snapshot has it not). */
		PGresult *r = db_exec(db, "SELECT min(id), max(id) FROM cobro.account", 0, NULL);

		if (!r) {
			snprintf(err, errlen, "cannot read the accounts' ids: %s", db->err);
			goto out;
		}
		if (PQgetisnull(r, 0, 0)) {
			jobs = 1; /* no account */
		} else {
			long long lo = atoll(PQgetvalue(r, 0, 0)), span = atoll(PQgetvalue(r, 0, 1)) - lo + 1;

			for (int k = 1; k < jobs; k++) {
				/* lo + span * k / jobs, without overflowing */
				long long b = lo + span / jobs * k + span % jobs * k / jobs;

				sh[k - 1].has_to = sh[k].has_from = true;
				sh[k - 1].to = sh[k].from = b;
			}
		}
		PQclear(r);
	}
	if (jobs > 1) {
		/* The other shares read the first one's snapshot: every account
		 * as of one moment, whichever connection reads it. */
		PGresult *r = db_exec(db, "SELECT pg_export_snapshot()", 0, NULL);
		char *snap;

		if (!r) {
			snprintf(err, errlen, "cannot share the facts' snapshot: %s", db->err);
			goto out;
		}
		snap = PQescapeLiteral(db->conn, PQgetvalue(r, 0, 0), strlen(PQgetvalue(r, 0, 0)));
		PQclear(r);
		for (int k = 1; k < jobs; k++) {
			char *set = snap ? xasprintf("SET TRANSACTION SNAPSHOT %s", snap) : NULL;
			bool fine;

			sh[k].db = &sh[k].mine;
			sh[k].own = true;
			fine = set && db_connect_like(&sh[k].mine, db, "cobro strategy facts") &&
			       db_cmd(&sh[k].mine, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") &&
			       (sh[k].open = true) && db_cmd(&sh[k].mine, set) &&
			       db_cmd(&sh[k].mine, "SET LOCAL jit = off");
			free(set);
			if (!fine) {
				snprintf(err, errlen, "cannot open connection %d of %d for the facts: %s", k + 1, jobs,
				         set ? sh[k].mine.err : "out of memory");
				PQfreemem(snap);
				goto out;
			}
		}
		PQfreemem(snap);
	}
	/* Every share's query sent before any is read: the servers work at
	 * once. */
	for (int k = 0; k < jobs; k++)
		if (!share_send(&sh[k], lit, err, errlen))
			goto out;
	for (int k = 0; k < jobs; k++) {
		if (!share_started(&sh[k], err, errlen)) {
			if (sh[k].db != db)
				memcpy(db->sqlstate, sh[k].db->sqlstate, sizeof db->sqlstate);
			goto out;
		}
		active++;
	}
	/* The rows as they come, from whichever share has some, one at a time
	 * in this thread (the decisions' callback needs no lock). The order
	 * they come in is no fact: strategy_run.c orders the decisions. */
	while (active > 0) {
		int npfd = 0;

		for (int k = 0; k < jobs; k++) {
			if (!sh[k].copying)
				continue;
			while ((len = PQgetCopyData(sh[k].db->conn, &line, 1)) > 0) {
				struct strategy_account a;

				if (!stopped) {
					if (line[len - 1] == '\n')
						line[len - 1] = '\0';
					if (!row_from(line, &a, &done, &done_cap)) {
						snprintf(err, errlen, "a row of the facts has not the fields it must");
						stopped = true;
					} else {
						rows++;
						if (!fn(&a, arg)) {
							snprintf(err, errlen, "stopped");
							stopped = true;
						}
					}
				}
				PQfreemem(line);
			}
			if (len == 0) {
				pfd[npfd].fd = PQsocket(sh[k].db->conn);
				pfd[npfd].events = POLLIN;
				pfd[npfd].revents = 0;
				npfd++;
				continue;
			}
			/* -1: the share's rows are all read; -2: it failed. */
			if (!share_end(&sh[k], len == -2 || failed, failed ? NULL : err, failed ? 0 : errlen)) {
				if (len == -2 && !failed)
					snprintf(err, errlen, "cannot read the facts: %s",
					         PQerrorMessage(sh[k].db->conn));
				failed = true;
			}
			active--;
		}
		if (!npfd)
			continue;
		if (poll(pfd, (nfds_t)npfd, -1) < 0 && errno != EINTR) {
			snprintf(err, errlen, "cannot read the facts: %s", strerror(errno));
			failed = true;
			break;
		}
		for (int k = 0; k < jobs; k++)
			if (sh[k].copying && !PQconsumeInput(sh[k].db->conn)) {
				/* Said by PQgetCopyData's -2 at the next turn. */
			}
	}
	ok = !stopped && !failed;
out:
	for (int k = jobs - 1; sh && k >= 0; k--) {
		/* A failure left this share's COPY sent or running: the
		 * connection goes (its own) or the rest is read and dropped. */
		if ((sh[k].sent || sh[k].copying) && !sh[k].own)
			share_drain(&sh[k]);
		if (sh[k].own) {
			if (sh[k].mine.conn)
				db_close(&sh[k].mine);
			continue;
		}
		if (!sh[k].open)
			continue;
		if (ok)
			tx_commit(db, nested);
		else
			tx_rollback(db, nested);
	}
	PQfreemem(lit);
	free(sh);
	free(pfd);
	free(done);
	if (n)
		*n = rows;
	return ok;
}

/* ------------------------------------------------------------------ stage */

static const char stage_copy[] =
	"COPY pg_temp.strategy_in (kind, account_id, segment, ladder, variant, state, state_reason, last_step, "
	"next_step, next_step_on, step, anchor, outcome, reason, channel, template, point_id, scheduled_at, subject, "
	"body, params, segments, encoding, assign, agency, agency_file) FROM STDIN";
enum { STAGE_COLS = 26 };

static void put_num(struct buf *b, long long v, bool null_if_zero)
{
	if (null_if_zero && !v)
		buf_add(b, "\\N\t", 3);
	else
		buf_printf(b, "%lld\t", v);
}

static void put_day(struct buf *b, int day)
{
	char ymd[16];

	if (day == STRATEGY_NO_DAY || !*strategy_day_format(day, ymd, sizeof ymd))
		buf_add(b, "\\N\t", 3);
	else
		buf_printf(b, "%s\t", ymd);
}

static bool flush(struct strategy_stage *s, bool force, char *err, size_t errlen)
{
	if (s->b.len && (force || s->b.len > (1u << 20))) {
		if (!db_copy_put(s->db, s->b.s, s->b.len)) {
			snprintf(err, errlen, "COPY: %s", s->db->err);
			return false;
		}
		s->b.len = 0;
	}
	return true;
}

bool strategy_stage_begin(struct strategy_stage *s, struct db *db, char *err, size_t errlen)
{
	memset(s, 0, sizeof *s);
	s->db = db;
	if (!tx_begin(db, "BEGIN", &s->nested)) {
		snprintf(err, errlen, "cannot stage the decisions: %s", db->err);
		return false;
	}
	if (!db_cmd(db, "SELECT cobro.strategy_stage()") || !db_copy_begin(db, stage_copy)) {
		snprintf(err, errlen, "cannot stage the decisions: %s", db->err);
		tx_rollback(db, s->nested);
		return false;
	}
	s->open = true;
	return true;
}

bool strategy_stage_segment(struct strategy_stage *s, const struct strategy_segment_row *r, char *err,
                            size_t errlen)
{
	struct buf *b = &s->b;

	db_copy_field(b, "segment", false);
	put_num(b, r->account_id, false);
	db_copy_field(b, r->segment, false);
	db_copy_field(b, r->ladder, false);
	db_copy_field(b, r->variant, false);
	db_copy_field(b, r->state, false);
	db_copy_field(b, r->state_reason, false);
	db_copy_field(b, r->last_step, false);
	db_copy_field(b, r->next_step, false);
	put_day(b, r->next_step_on);
	/* The action's columns, none. */
	for (int i = 10; i < STAGE_COLS; i++)
		db_copy_field(b, NULL, i == STAGE_COLS - 1);
	s->rows++;
	return flush(s, false, err, errlen);
}

bool strategy_stage_action(struct strategy_stage *s, const struct strategy_action_row *r, char *err,
                           size_t errlen)
{
	struct buf *b = &s->b;
	char at[32] = "";

	if (r->scheduled_at) {
		time_t t = (time_t)r->scheduled_at;
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(at, sizeof at, "%Y-%m-%d %H:%M:%S+00", &tm);
	}
	db_copy_field(b, "action", false);
	put_num(b, r->account_id, false);
	db_copy_field(b, r->segment, false);
	db_copy_field(b, r->ladder, false);
	db_copy_field(b, r->variant, false);
	for (int i = 0; i < 5; i++) /* state .. next_step_on */
		db_copy_field(b, NULL, false);
	db_copy_field(b, r->step, false);
	put_day(b, r->anchor);
	db_copy_field(b, r->outcome, false);
	db_copy_field(b, r->reason, false);
	db_copy_field(b, r->channel, false);
	db_copy_field(b, r->template_code, false);
	put_num(b, r->point_id, true);
	db_copy_field(b, *at ? at : NULL, false);
	db_copy_field(b, r->subject, false);
	db_copy_field(b, r->body, false);
	db_copy_field(b, r->params, false);
	put_num(b, r->segments, true);
	db_copy_field(b, r->encoding, false);
	db_copy_field(b, r->assign, false);
	db_copy_field(b, r->agency, false);
	db_copy_field(b, r->agency_file, true);
	s->rows++;
	return flush(s, false, err, errlen);
}

bool strategy_stage_apply(struct strategy_stage *s, const char *kind, int day, int version, const char *worker,
                          char **counts, char *err, size_t errlen)
{
	char ymd[16], v[16];
	const char *p[4] = { kind, ymd, v, worker };
	PGresult *r;

	if (counts)
		*counts = NULL;
	if (!s->open) {
		snprintf(err, errlen, "nothing staged");
		return false;
	}
	strategy_day_format(day, ymd, sizeof ymd);
	snprintf(v, sizeof v, "%d", version);
	if (!flush(s, true, err, errlen))
		goto fail;
	if (!db_copy_end(s->db)) {
		snprintf(err, errlen, "COPY: %s", s->db->err);
		goto fail;
	}
	if (!(r = db_exec(s->db, "SELECT cobro.strategy_apply($1, $2::date, $3::integer, $4)::text", 4, p))) {
		snprintf(err, errlen, "cannot apply the decisions: %s", s->db->err);
		goto fail;
	}
	if (counts)
		*counts = xstrdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	if (!tx_commit(s->db, s->nested)) {
		snprintf(err, errlen, "%s", s->db->err);
		if (counts) {
			free(*counts);
			*counts = NULL;
		}
		goto fail;
	}
	s->open = false;
	buf_free(&s->b);
	return true;
fail:
	strategy_stage_abort(s);
	return false;
}

void strategy_stage_abort(struct strategy_stage *s)
{
	if (s->open) {
		if (PQtransactionStatus(s->db->conn) == PQTRANS_ACTIVE)
			PQputCopyEnd(s->db->conn, "aborted");
		for (PGresult *r; (r = PQgetResult(s->db->conn));)
			PQclear(r);
		tx_rollback(s->db, s->nested);
	}
	s->open = false;
	buf_free(&s->b);
}
