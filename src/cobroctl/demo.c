/* Loading the demo portfolio: the people through cobro.agent_add(), then every
 * table with COPY, all in one transaction: an error anywhere rolls it all back.
 *
 * PostgreSQL's backend is the bottleneck (one core); the generator runs in a
 * thread of its own on the other core and hands over 1 MiB chunks of COPY text.
 * Inside the transaction the load follows PostgreSQL's advice for populating a
 * database: the portfolio tables are truncated (COPY FREEZE becomes valid and,
 * with wal_level=minimal, their WAL is skipped), their secondary indexes and
 * foreign keys are dropped and, after the COPYs, rebuilt by sorting and
 * re-validated in one join each. With 1,000,000 accounts that takes about half
 * the time of keeping them up to date row by row. */
#include "demo.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "demo_data.h"
#include "demo_gen.h"
#include "notify.h"
#include "util.h"

#define CHUNK_BYTES (1 << 20)
#define QUEUE_CHUNKS 8
#define DAY 86400

/* One COPY: a table, or one partition's time range of the events. */
struct pass {
	enum demo_table table;
	char target[160];   /* the relation, already quoted */
	char file[80];      /* its dump file */
	int64_t from, to;
};

struct chunk {
	int pass;
	bool last;          /* the pass ends with this chunk */
	long rows;
	struct buf text;
};

struct person {
	char login[40], name[120];
	const char *role;
	int team;           /* index into the plan's teams, or -1 */
	int64_t id;
};

struct loader {
	const struct demo_opts *o;
	struct db *db;
	struct demo_plan plan;
	char anchor_text[16];
	struct person *people;
	int npeople;
	char (*team_code)[40], (*team_name)[80];
	struct pass passes[64];
	int npasses;

	/* Chunks travel from the generator to the loader through a small queue;
	 * NULL in it means the generator has finished. */
	pthread_mutex_t mu;
	pthread_cond_t changed;
	struct chunk *queue[QUEUE_CHUNKS], *spare[QUEUE_CHUNKS + 2];
	int head, count, nspare;
	atomic_bool stop;

	atomic_long total_rows;        /* an estimate, exact once the accounts are done */
	long counts[DEMO_NTABLES];     /* written by the generator before its last chunk */
	int64_t last_id[DEMO_NTABLES];
	long rows_done;
	struct timespec started, drawn, pass_started;
	bool trace;                    /* $COBRO_DEMO_TRACE: each pass's time on stderr */
	bool copied;                   /* every row is in */
	/* What the load switched off (secondary indexes, foreign keys, audit
	 * triggers) and the statements that put it back before COMMIT, in order. */
	char **restore_sql;
	int nrestore, restore_cap;
};

/* --------------------------------------------------------------- helpers */
static double since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static bool fail(struct db *db, const char *msg)
{
	snprintf(db->err, sizeof db->err, "%s", msg);
	db->sqlstate[0] = '\0';
	return false;
}

/* "1234567" -> "1,234,567", for people reading the summary. */
static const char *grouped(char *out, size_t n, long v)
{
	char tmp[32];
	int len = snprintf(tmp, sizeof tmp, "%ld", v), o = 0;

	for (int i = 0; i < len && (size_t)o + 2 < n; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = tmp[i];
	}
	out[o] = '\0';
	return out;
}

static bool parse_anchor(const char *s, int64_t *day)
{
	int y, m, d;
	char extra;

	if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3 || m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	*day = demo_days_from_civil(y, m, d);
	return true;
}

/* ---------------------------------------------------------------- people */
/* Teams, collectors, and a supervisor and a lead for every team but norte,
 * whose are sofia and marta. The order is fixed: in a fresh database the ids
 * come out the same, which is what a dump's load.sql relies on. */
static void plan_people(struct loader *L)
{
	struct demo_plan *P = &L->plan;
	int k, n = 0, nteams;

	P->ncollectors = demo_plan_collectors(P->accounts);
	nteams = P->nteams = demo_plan_teams(P->ncollectors);
	/* Room for teams of people who exist already in other teams. */
	P->team_id = xcalloc((size_t)(nteams + P->ncollectors), sizeof *P->team_id);
	L->team_code = xcalloc((size_t)(nteams + P->ncollectors), sizeof *L->team_code);
	L->team_name = xcalloc((size_t)(nteams + P->ncollectors), sizeof *L->team_name);
	for (int t = 0; t < nteams; t++) {
		if ((size_t)t < demo_team_codes.n) {
			snprintf(L->team_code[t], sizeof L->team_code[t], "%s", demo_team_codes.w[t]);
			snprintf(L->team_name[t], sizeof L->team_name[t], "%s", demo_team_names.w[t]);
		} else {
			snprintf(L->team_code[t], sizeof L->team_code[t], "equipo%02d", t + 1);
			snprintf(L->team_name[t], sizeof L->team_name[t], "Equipo %d", t + 1);
		}
	}
	P->collector_id = xcalloc((size_t)P->ncollectors, sizeof *P->collector_id);
	P->collector_team = xcalloc((size_t)P->ncollectors, sizeof *P->collector_team);
	L->people = xcalloc(demo_npeople + (size_t)P->ncollectors + 2 * (size_t)nteams, sizeof *L->people);

	for (size_t i = 0; i < demo_npeople; i++) {
		struct person *p = &L->people[n++];

		snprintf(p->login, sizeof p->login, "%s", demo_people[i].login);
		snprintf(p->name, sizeof p->name, "%s", demo_people[i].name);
		p->role = demo_people[i].role;
		p->team = !demo_people[i].team ? -1 : strcmp(demo_people[i].team, "norte") == 0 ? 0 : 1;
	}
	for (k = 4; k < P->ncollectors; k++) {
		struct person *p = &L->people[n++];
		const struct demo_words *given = k % 2 ? &demo_es_male : &demo_es_female;

		snprintf(p->login, sizeof p->login, "c%04d", k + 1);
		snprintf(p->name, sizeof p->name, "%s %s %s", given->w[(size_t)k * 7 % given->n],
		         demo_es_surnames.w[(size_t)k * 13 % demo_es_surnames.n],
		         demo_es_surnames.w[(size_t)k * 29 % demo_es_surnames.n]);
		p->role = "collector";
		p->team = demo_plan_collector_team(k, nteams);
	}
	for (int t = 1; t < nteams; t++) {
		for (int lead = 0; lead < 2; lead++) {
			struct person *p = &L->people[n++];
			const struct demo_words *given = lead ? &demo_es_male : &demo_es_female;

			snprintf(p->login, sizeof p->login, "%s-%s", lead ? "lead" : "sup", L->team_code[t]);
			snprintf(p->name, sizeof p->name, "%s %s", given->w[(size_t)t * 11 % given->n],
			         demo_es_surnames.w[(size_t)(t * 17 + lead) % demo_es_surnames.n]);
			p->role = lead ? "lead" : "supervisor";
			p->team = t;
		}
	}
	L->npeople = n;
	/* Without a database the ids are the ones a fresh one hands out. */
	for (int t = 0; t < nteams; t++)
		P->team_id[t] = t + 1;
	for (int i = 0; i < n; i++)
		L->people[i].id = i + 1;
	P->creditor_id = xcalloc(demo_ncreditors, sizeof *P->creditor_id);
	for (size_t i = 0; i < demo_ncreditors; i++)
		P->creditor_id[i] = (int64_t)i + 1;
}

/* Collector k is people[k] for ana..diego, then the generated ones after the
 * seven named people. */
static void plan_collectors(struct loader *L)
{
	for (int k = 0; k < L->plan.ncollectors; k++) {
		const struct person *p = &L->people[k < 4 ? k : k + (int)demo_npeople - 4];

		L->plan.collector_id[k] = p->id;
		L->plan.collector_team[k] = p->team;
	}
}

static bool query_id(struct db *db, const char *sql, int n, const char *const *params, int64_t *id)
{
	PGresult *r = db_exec(db, sql, n, params);
	bool found;

	if (!r)
		return false;
	found = PQntuples(r) == 1 && !PQgetisnull(r, 0, 0);
	*id = found ? atoll(PQgetvalue(r, 0, 0)) : 0;
	PQclear(r);
	return true;
}

static bool db_people(struct loader *L)
{
	struct demo_plan *P = &L->plan;
	struct db *db = L->db;

	for (int t = 0; t < P->nteams; t++) {
		const char *p[2] = { L->team_code[t], L->team_name[t] };

		if (!db_run(db, "INSERT INTO cobro.team (code, name) VALUES ($1, $2) "
		                "ON CONFLICT (code) DO NOTHING", 2, p) ||
		    !query_id(db, "SELECT id FROM cobro.team WHERE code = $1", 1, p, &P->team_id[t]))
			return false;
	}
	for (int i = 0; i < L->npeople; i++) {
		struct person *pe = &L->people[i];
		const char *code = pe->team >= 0 ? L->team_code[pe->team] : NULL;
		const char *p[5] = { pe->login, pe->name, pe->role, code, NULL };
		PGresult *r = db_exec(db, "SELECT id, team_id FROM cobro.agent WHERE login = $1", 1, p);

		if (!r)
			return false;
		if (PQntuples(r) == 1) {
			/* Someone moved this person to another team: their accounts follow them. */
			int64_t team = PQgetisnull(r, 0, 1) ? 0 : atoll(PQgetvalue(r, 0, 1));
			int t = 0;

			pe->id = atoll(PQgetvalue(r, 0, 0));
			PQclear(r);
			if (pe->team < 0 || team == 0 || team == P->team_id[pe->team])
				continue;
			while (t < P->nteams && P->team_id[t] != team)
				t++;
			if (t == P->nteams) {
				P->team_id[P->nteams++] = team;
			}
			pe->team = t;
			continue;
		}
		PQclear(r);
		if (!query_id(db, "SELECT cobro.agent_add($1, $2, $3, $4, $5)", 5, p, &pe->id))
			return false;
	}
	for (size_t i = 0; i < demo_ncreditors; i++) {
		const struct demo_creditor *c = &demo_creditors[i];
		const char *p[5] = { c->code, c->name, c->email_from, c->reply_to, c->pay_link };

		if (!db_run(db, "INSERT INTO cobro.creditor (code, name, email_from, reply_to, pay_link) "
		                "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (code) DO NOTHING", 5, p) ||
		    !query_id(db, "SELECT id FROM cobro.creditor WHERE code = $1", 1, p, &P->creditor_id[i]))
			return false;
	}
	return true;
}

/* ---------------------------------------------------------------- passes */
static void add_pass(struct loader *L, enum demo_table t, const char *target, const char *file,
                     int64_t from, int64_t to)
{
	struct pass *p = &L->passes[L->npasses++];

	p->table = t;
	snprintf(p->target, sizeof p->target, "%s", target);
	snprintf(p->file, sizeof p->file, "%s", file);
	p->from = from;
	p->to = to;
}

/* The history's months, one pass each, so that every COPY fills one partition
 * in order: its indexes grow at their right edge. */
static void plan_event_months(struct loader *L, int64_t from, int64_t to)
{
	int y, m, d;

	demo_civil_from_days(from / DAY, &y, &m, &d);
	for (;;) {
		int64_t start = demo_days_from_civil(y, m, 1) * DAY, end;
		char file[80];

		if (++m > 12)
			m = 1, y++;
		end = demo_days_from_civil(y, m, 1) * DAY;
		if (start >= to)
			break;
		snprintf(file, sizeof file, "event_%04d_%02d.copy", m == 1 ? y - 1 : y, m == 1 ? 12 : m - 1);
		if (start < from)
			start = from;
		add_pass(L, DEMO_EVENT, "cobro.event", file, start, end < to ? end : to);
	}
}

/* Event partitions overlapping [from, to), from the catalogue: their bounds
 * were written in the migration's time zone, so they are read, not assumed.
 * Falls back to the parent table when the partitions do not cover the range. */
static bool plan_event_partitions(struct loader *L, int64_t from, int64_t to)
{
	char f[24], t[24];
	const char *p[2] = { f, t };
	PGresult *r;
	int64_t covered = from;
	int first = L->npasses;

	snprintf(f, sizeof f, "%lld", (long long)from);
	snprintf(t, sizeof t, "%lld", (long long)to);
	r = db_exec(L->db,
		"SELECT c.oid::regclass::text, c.relname, lo, hi FROM pg_inherits i "
		"JOIN pg_class c ON c.oid = i.inhrelid, "
		"LATERAL (SELECT extract(epoch FROM (regexp_match(pg_get_expr(c.relpartbound, c.oid), "
		"  'FROM \\(''([^'']+)''\\)'))[1]::timestamptz)::bigint AS lo, "
		"  extract(epoch FROM (regexp_match(pg_get_expr(c.relpartbound, c.oid), "
		"  'TO \\(''([^'']+)''\\)'))[1]::timestamptz)::bigint AS hi) b "
		"WHERE i.inhparent = 'cobro.event'::regclass AND lo < $2::bigint AND hi > $1::bigint "
		"ORDER BY lo", 2, p);
	if (!r)
		return false;
	for (int i = 0; i < PQntuples(r); i++) {
		int64_t lo = atoll(PQgetvalue(r, i, 2)), hi = atoll(PQgetvalue(r, i, 3));
		char file[96];

		if (lo > covered || L->npasses >= (int)ARRAY_SIZE(L->passes) - 1)
			break;
		snprintf(file, sizeof file, "%s.copy", PQgetvalue(r, i, 1));
		add_pass(L, DEMO_EVENT, PQgetvalue(r, i, 0), file, covered, hi < to ? hi : to);
		covered = hi;
	}
	PQclear(r);
	if (covered < to) {
		L->npasses = first;
		plan_event_months(L, from, to);
	}
	return true;
}

/* ---------------------------------------------------------------- queue */
static struct chunk *chunk_take(struct loader *L)
{
	struct chunk *c;

	pthread_mutex_lock(&L->mu);
	while (L->nspare == 0)
		pthread_cond_wait(&L->changed, &L->mu);
	c = L->spare[--L->nspare];
	pthread_mutex_unlock(&L->mu);
	c->text.len = 0;
	c->rows = 0;
	c->last = false;
	return c;
}

static void chunk_recycle(struct loader *L, struct chunk *c)
{
	pthread_mutex_lock(&L->mu);
	L->spare[L->nspare++] = c;
	pthread_cond_broadcast(&L->changed);
	pthread_mutex_unlock(&L->mu);
}

static void queue_put(struct loader *L, struct chunk *c)
{
	pthread_mutex_lock(&L->mu);
	while (L->count == QUEUE_CHUNKS)
		pthread_cond_wait(&L->changed, &L->mu);
	L->queue[(L->head + L->count++) % QUEUE_CHUNKS] = c;
	pthread_cond_broadcast(&L->changed);
	pthread_mutex_unlock(&L->mu);
}

static struct chunk *queue_get(struct loader *L)
{
	struct chunk *c;

	pthread_mutex_lock(&L->mu);
	while (L->count == 0)
		pthread_cond_wait(&L->changed, &L->mu);
	c = L->queue[L->head];
	L->head = (L->head + 1) % QUEUE_CHUNKS;
	L->count--;
	pthread_cond_broadcast(&L->changed);
	pthread_mutex_unlock(&L->mu);
	return c;
}

/* The generator thread: every pass in order, chunk by chunk. The accounts
 * pass draws every event anyway (for last_contact_at), so it also counts the
 * rows of every table for the progress bar. */
static void *generate(void *arg)
{
	struct loader *L = arg;
	struct demo_gen *g = demo_gen_new(&L->plan);

	for (int i = 0; i < L->npasses && !atomic_load(&L->stop); i++) {
		const struct pass *ps = &L->passes[i];
		long counts[DEMO_NTABLES] = { 0 }, n;
		bool count = ps->table == DEMO_ACCOUNT;
		struct chunk *c = chunk_take(L);

		demo_gen_rewind(g);
		long *tally = count ? counts : NULL;

		while ((n = demo_gen_next(g, ps->table, ps->from, ps->to, &c->text, tally)) >= 0) {
			c->rows += n;
			if (c->text.len >= CHUNK_BYTES) {
				c->pass = i;
				queue_put(L, c);
				c = NULL;
				if (atomic_load(&L->stop))
					break;
				c = chunk_take(L);
			}
		}
		if (!c)
			break;
		if (count) {
			long total = 0;

			for (int t = 0; t < DEMO_NTABLES; t++)
				total += counts[t];
			memcpy(L->counts, counts, sizeof counts);
			atomic_store(&L->total_rows, total);
		}
		if (i == L->npasses - 1)
			demo_gen_last_ids(g, L->last_id);
		c->pass = i;
		c->last = true;
		queue_put(L, c);
	}
	demo_gen_free(g);
	queue_put(L, NULL);
	return NULL;
}

/* --------------------------------------------------------------- progress */
/* One line on stderr, redrawn at most ten times a second; the last draw
 * (final) ends the line. After the COPYs the bar stays full while the
 * indexes and keys are rebuilt. */
static void progress_draw(struct loader *L, const char *what, bool final)
{
	long total = atomic_load(&L->total_rows), done = L->rows_done;
	double el = since(&L->started);
	int pct = total > 0 ? (int)(done * 100 / total) : 0, bar = 30, fill;
	char a[32], b[32];

	if (!L->o->progress)
		return;
	if (!final && !L->copied && since(&L->drawn) < 0.1)
		return;
	clock_gettime(CLOCK_MONOTONIC, &L->drawn);
	if (final || L->copied)
		pct = 100;
	else if (pct > 99)
		pct = 99;
	fill = pct * bar / 100;
	fprintf(stderr, "\rdemo [%.*s%*s] %3d%%  %s rows  %s rows/s  %-22.22s", fill,
	        "##############################", bar - fill, "", pct, grouped(a, sizeof a, done),
	        grouped(b, sizeof b, el > 0 ? (long)((double)done / el) : 0), what);
	if (final)
		fputc('\n', stderr);
	fflush(stderr);
}

/* ------------------------------------------------------------- the dump */
static FILE *dump_open(struct loader *L, const char *file)
{
	char *path = xasprintf("%s/%s", L->o->dump_dir, file);
	FILE *f = fopen(path, "w");

	if (!f)
		snprintf(L->db->err, sizeof L->db->err, "%s: %s", path, strerror(errno));
	free(path);
	return f;
}

static void sql_literal(FILE *f, const char *s)
{
	if (!s) {
		fputs("NULL", f);
		return;
	}
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', f);
		fputc(*s, f);
	}
	fputc('\'', f);
}

/* The same switch as db_prepare's, for a fresh database where no audit
 * trigger was off before. */
static const char audit_off_sql[] =
	"DO $$\nDECLARE t record;\nBEGIN\n"
	"\tFOR t IN SELECT tgrelid::regclass AS rel, tgname FROM pg_trigger\n"
	"\t         WHERE tgfoid IN (to_regproc('cobro.audit_trigger'), to_regproc('cobro.notify_account')) AND tgenabled = 'O' AND NOT tgisinternal\n"
	"\t           AND (tgtype & 4 <> 0 OR tgname = 'notify_account_update') AND tgrelid::regclass::text IN ('cobro.debtor',\n"
	"\t               'cobro.contact_point', 'cobro.account', 'cobro.installment', 'cobro.payment',\n"
	"\t               'cobro.promise', 'cobro.promise_installment', 'cobro.event')\n"
	"\tLOOP\n\t\tEXECUTE format('ALTER TABLE %s DISABLE TRIGGER %I', t.rel, t.tgname);\n"
	"\tEND LOOP;\nEND\n$$;\n";
static const char audit_on_sql[] =
	"DO $$\nDECLARE t record;\nBEGIN\n"
	"\tFOR t IN SELECT tgrelid::regclass AS rel, tgname FROM pg_trigger\n"
	"\t         WHERE tgfoid IN (to_regproc('cobro.audit_trigger'), to_regproc('cobro.notify_account')) AND tgenabled = 'D' AND NOT tgisinternal\n"
	"\tLOOP\n\t\tEXECUTE format('ALTER TABLE %s ENABLE TRIGGER %I', t.rel, t.tgname);\n"
	"\tEND LOOP;\nEND\n$$;\n";

/* load.sql: the same rows through psql's \copy, for a freshly initialised
 * database, so a benchmark can time plain COPY against demo_load. */
static bool dump_script(struct loader *L)
{
	FILE *f = dump_open(L, "load.sql");
	int64_t A = L->plan.anchor / DAY;
	int y, m, d;
	bool ok;

	if (!f)
		return false;
	fprintf(f, "-- The cobro demo portfolio: %ld accounts, seed %llu, history up to %s (UTC).\n"
	           "-- Written by cobroctl demo --dump for a freshly initialised database (the\n"
	           "-- ids of teams, people and creditors are a fresh database's). Run it from\n"
	           "-- this directory:  psql -v ON_ERROR_STOP=1 --single-transaction -f load.sql\n",
	        L->plan.accounts, (unsigned long long)L->plan.seed, L->anchor_text);
	/* This writes a script for psql, not a query: there is no connection to
	 * bind parameters on. What is printed with %d or %s here is dates and
	 * counts computed above or table names of our own; every text from data
	 * goes through sql_literal(). */
	fputs("SET ROLE cobro_owner;\n", f);
	demo_civil_from_days(A - 62, &y, &m, &d);
	fprintf(f, "SELECT cobro.event_add_partitions('%04d-%02d-%02d', ", y, m, d);
	demo_civil_from_days(A + 1, &y, &m, &d);
	fprintf(f, "'%04d-%02d-%02d');\nRESET ROLE;\n", y, m, d);
	for (int t = 0; t < L->plan.nteams && L->team_code[t][0]; t++) {
		fputs("INSERT INTO cobro.team (code, name) VALUES (", f);
		sql_literal(f, L->team_code[t]);
		fputs(", ", f);
		sql_literal(f, L->team_name[t]);
		fputs(") ON CONFLICT (code) DO NOTHING;\n", f);
	}
	for (int i = 0; i < L->npeople; i++) {
		const struct person *p = &L->people[i];

		fputs("SELECT cobro.agent_add(", f);
		sql_literal(f, p->login);
		fputs(", ", f);
		sql_literal(f, p->name);
		fprintf(f, ", '%s', ", p->role);
		sql_literal(f, p->team >= 0 ? L->team_code[p->team] : NULL);
		fputs(") WHERE NOT EXISTS (SELECT 1 FROM cobro.agent WHERE login = ", f);
		sql_literal(f, p->login);
		fputs(");\n", f);
	}
	for (size_t i = 0; i < demo_ncreditors; i++) {
		const struct demo_creditor *c = &demo_creditors[i];

		fputs("INSERT INTO cobro.creditor (code, name, email_from, reply_to, pay_link) VALUES (", f);
		sql_literal(f, c->code), fputs(", ", f);
		sql_literal(f, c->name), fputs(", ", f);
		sql_literal(f, c->email_from), fputs(", ", f);
		sql_literal(f, c->reply_to), fputs(", ", f);
		sql_literal(f, c->pay_link);
		fputs(") ON CONFLICT (code) DO NOTHING;\n", f);
	}
	fputs(audit_off_sql, f);
	for (int i = 0; i < L->npasses; i++) {
		const struct pass *p = &L->passes[i];

		/* Into the parent table, as anyone with a file of events would. */
		fprintf(f, "\\copy cobro.%s (%s) FROM '%s'\n", demo_table_name[p->table],
		        demo_table_columns[p->table], p->file);
	}
	for (int t = 0; t < DEMO_NTABLES; t++) {
		if (t == DEMO_INSTALLMENT || t == DEMO_PROMISE_INSTALLMENT)
			continue;
		fprintf(f, "SELECT setval(pg_get_serial_sequence('cobro.%s', 'id'), %lld, %s);\n",
		        demo_table_name[t], (long long)(L->last_id[t] > 0 ? L->last_id[t] : 1),
		        L->last_id[t] > 0 ? "true" : "false");
	}
	fputs(audit_on_sql, f);
	fputs("ANALYZE cobro.team, cobro.agent, cobro.creditor", f);
	for (int t = 0; t < DEMO_NTABLES; t++)
		fprintf(f, ", cobro.%s", demo_table_name[t]);
	fputs(";\n", f);
	ok = !ferror(f);
	if (fclose(f) != 0 || !ok)
		return fail(L->db, "cannot write load.sql");
	return true;
}

/* ------------------------------------------------------------- the load */
static bool dump_failed(struct loader *L, const struct pass *ps)
{
	snprintf(L->db->err, sizeof L->db->err, "%s/%s: %s", L->o->dump_dir, ps->file, strerror(errno));
	return false;
}

/* Runs the passes: the generator thread fills chunks, this thread COPYs them
 * (and writes them to the dump). On an error the generator is told to stop
 * and the queue is drained, so the thread always ends. */
static bool load_passes(struct loader *L, bool freeze)
{
	bool to_db = !L->o->dump_only, ok = true, in_pass = false, copy_open = false;
	FILE *dump = NULL;
	pthread_t th;
	struct chunk *c;
	int err;

	pthread_mutex_init(&L->mu, NULL);
	pthread_cond_init(&L->changed, NULL);
	for (int i = 0; i < QUEUE_CHUNKS + 2; i++) {
		L->spare[i] = xcalloc(1, sizeof **L->spare);
		L->spare[i]->text.cap = CHUNK_BYTES + (CHUNK_BYTES / 2);
		L->spare[i]->text.s = xmalloc(L->spare[i]->text.cap);
	}
	L->nspare = QUEUE_CHUNKS + 2;
	atomic_store(&L->stop, false);
	atomic_store(&L->total_rows, L->plan.accounts * 31);
	if ((err = pthread_create(&th, NULL, generate, L)) != 0) {
		snprintf(L->db->err, sizeof L->db->err, "cannot start the generator: %s", strerror(err));
		return false;
	}

	while ((c = queue_get(L))) {
		const struct pass *ps = &L->passes[c->pass];

		if (ok && !in_pass) {
			in_pass = true;
			clock_gettime(CLOCK_MONOTONIC, &L->pass_started);
			if (to_db) {
				const char *with = freeze ? " WITH (FREEZE)" : "";
				char *sql = xasprintf("COPY %s (%s) FROM STDIN%s", ps->target,
				                      demo_table_columns[ps->table], with);

				ok = copy_open = db_copy_begin(L->db, sql);
				free(sql);
			}
			if (ok && L->o->dump_dir && !(dump = dump_open(L, ps->file)))
				ok = false;
		}
		if (ok && c->text.len > 0) {
			if (to_db && !db_copy_put(L->db, c->text.s, c->text.len))
				ok = false;
			if (ok && dump && fwrite(c->text.s, 1, c->text.len, dump) != c->text.len)
				ok = dump_failed(L, ps);
			L->rows_done += c->rows;
			progress_draw(L, ps->target, false);
		}
		if (ok && c->last) {
			if (to_db) {
				copy_open = false;   /* ended, even when the server refused the rows */
				ok = db_copy_end(L->db);
			}
			if (dump && fclose(dump) != 0 && ok)
				ok = dump_failed(L, ps);
			dump = NULL;
			in_pass = false;
			if (L->trace)
				fprintf(stderr, "demo: %-28s %6.2f s\n", ps->file, since(&L->pass_started));
		}
		if (!ok)
			atomic_store(&L->stop, true);
		chunk_recycle(L, c);
	}
	pthread_join(th, NULL);

	if (copy_open) {
		/* Ends the COPY with an error so the connection is usable for ROLLBACK. */
		PGresult *r;

		PQputCopyEnd(L->db->conn, "demo load abandoned");
		while ((r = PQgetResult(L->db->conn)))
			PQclear(r);
	}
	if (dump)
		fclose(dump);
	for (int i = 0; i < L->nspare; i++) {
		free(L->spare[i]->text.s);
		free(L->spare[i]);
	}
	pthread_cond_destroy(&L->changed);
	pthread_mutex_destroy(&L->mu);
	if (ok && atomic_load(&L->stop))
		return fail(L->db, "the generator stopped early");
	return ok;
}

/* Each query below returns pairs (statement that switches something off now,
 * statement that restores it after the COPYs) for the tables the demo fills. */
#define PORTFOLIO_OIDS                                                                         \
	"(SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "           \
	"WHERE n.nspname = 'cobro' AND c.relname IN ('debtor', 'contact_point', 'account', "    \
	"'installment', 'payment', 'promise', 'promise_installment', 'event'))"

/* Indexes that back no constraint: built once by sorting, they cost a
 * fraction of keeping them up to date row by row (PostgreSQL's own advice for
 * populating a database). A partitioned index is dropped and rebuilt whole. */
static const char off_indexes[] =
	"SELECT format('DROP INDEX %s', i.indexrelid::regclass), "
	"replace(pg_get_indexdef(i.indexrelid), ' ON ONLY ', ' ON ') "
	"FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
	"WHERE i.indrelid IN " PORTFOLIO_OIDS " AND NOT t.relispartition "
	"AND NOT EXISTS (SELECT FROM pg_constraint k WHERE k.conindid = i.indexrelid) "
	"ORDER BY i.indexrelid";

/* Foreign keys: re-adding one checks every row in a single join instead of
 * one query per row, and the check still happens before COMMIT. */
static const char off_foreign_keys[] =
	"SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname), "
	"format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname, "
	"pg_get_constraintdef(oid)) "
	"FROM pg_constraint WHERE contype = 'f' AND conparentid = 0 AND conrelid IN " PORTFOLIO_OIDS " "
	"ORDER BY oid";

/* The audit chain records people's changes one by one, and screens hear of
 * each changed account; a bulk load of synthetic history is recorded as one
 * audit line of its own and announced once (db_finish). The accounts'
 * promise state (account_promise(), 006_priority.sql) looks each account's
 * promises up by an index the load has dropped: run over a million accounts
 * that is a scan of every promise per account, so it is set once, for all,
 * after the COPYs (promise_state below). */
static const char off_audit[] =
	"SELECT format('ALTER TABLE %s DISABLE TRIGGER %I', tgrelid::regclass, tgname), "
	"format('ALTER TABLE %s ENABLE TRIGGER %I', tgrelid::regclass, tgname) "
	"FROM pg_trigger WHERE tgfoid IN (to_regproc('cobro.audit_trigger'), to_regproc('cobro.notify_account'), "
	"to_regproc('cobro.account_promise')) AND tgenabled = 'O' "
	"AND (tgtype & 4 <> 0 OR tgname = 'notify_account_update') AND NOT tgisinternal AND tgrelid IN " PORTFOLIO_OIDS " ORDER BY oid";

/* What account_promise() would have set, for every account at once: the
 * latest promise's status, and the date it is due while pending (broken:
 * -infinity, which tops the worklist). */
static const char promise_state[] =
	"UPDATE cobro.account a SET promise_status = p.status, "
	"       promise_due = CASE p.status WHEN 'pending' THEN p.due_date WHEN 'broken' THEN '-infinity'::date END "
	"FROM (SELECT DISTINCT ON (account_id) account_id, status, due_date FROM cobro.promise "
	"      ORDER BY account_id, created_at DESC, id DESC) p "
	"WHERE a.id = p.account_id";

/* Every promise has its plan (024_promises.sql): the generator writes the
 * parts of the promises paid in parts; the others get their one installment
 * here, and the plans of the promises decided say how each part went. */
static const char *const promise_plans[] = {
	/* Freshly copied, the tables have no statistics yet. And the promises'
	 * update trigger (account_promise(): off_audit switches off the insert
	 * triggers only) would look each account's promises up without the
	 * index the load dropped, once per account: promise_state below sets
	 * what it would. */
	"ANALYZE cobro.promise, cobro.promise_installment",
	"ALTER TABLE cobro.promise DISABLE TRIGGER account_promise_update",
	/* One active promise per account (promise_save() keeps it so): of the
	 * generator's several pending ones, the newest replaces the others. */
	"UPDATE cobro.promise p SET status = 'cancelled', replaced_by = n.newest, resolved_at = n.newest_at "
	"FROM (SELECT id, row_number() OVER w AS k, first_value(id) OVER w AS newest, "
	"             first_value(created_at) OVER w AS newest_at "
	"      FROM cobro.promise WHERE status = 'pending' "
	"      WINDOW w AS (PARTITION BY account_id ORDER BY created_at DESC, id DESC)) n "
	"WHERE p.id = n.id AND n.k > 1",
	"WITH p AS (SELECT id, due_date, amount, status, resolved_at FROM cobro.promise p "
	"           WHERE NOT EXISTS (SELECT 1 FROM cobro.promise_installment i WHERE i.promise_id = p.id)) "
	"INSERT INTO cobro.promise_installment (promise_id, seq, due_date, amount, paid, status, decided_at) "
	"SELECT id, 1, due_date, amount, CASE status WHEN 'kept' THEN amount ELSE 0 END, "
	"       CASE WHEN status IN ('kept', 'broken') THEN status ELSE 'pending' END, "
	"       CASE WHEN status IN ('kept', 'broken') THEN resolved_at END FROM p",
	"UPDATE cobro.promise_installment i SET status = p.status, decided_at = p.resolved_at, "
	"       paid = CASE p.status WHEN 'kept' THEN i.amount ELSE 0 END "
	"FROM cobro.promise p WHERE p.id = i.promise_id AND p.status IN ('kept', 'broken') AND i.status = 'pending'",
	"UPDATE cobro.promise p SET installments = n.n, frequency = 'weekly' "
	"FROM (SELECT promise_id, count(*) AS n FROM cobro.promise_installment GROUP BY promise_id HAVING count(*) > 1) n "
	"WHERE p.id = n.promise_id",
	"UPDATE cobro.promise SET paid = amount WHERE status = 'kept'",
	"ALTER TABLE cobro.promise ENABLE TRIGGER account_promise_update",
};

static bool switch_off(struct loader *L, const char *query)
{
	PGresult *r = db_exec(L->db, query, 0, NULL);

	if (!r)
		return false;
	for (int i = 0; i < PQntuples(r); i++) {
		if (!db_cmd(L->db, PQgetvalue(r, i, 0))) {
			PQclear(r);
			return false;
		}
		if (L->nrestore == L->restore_cap) {
			L->restore_cap = L->restore_cap ? 2 * L->restore_cap : 32;
			L->restore_sql = xrealloc(L->restore_sql,
			                          (size_t)L->restore_cap * sizeof *L->restore_sql);
		}
		L->restore_sql[L->nrestore++] = xstrdup(PQgetvalue(r, i, 1));
	}
	PQclear(r);
	return true;
}

static const char portfolio_tables[] =
	"cobro.debtor, cobro.contact_point, cobro.account, cobro.installment, cobro.payment, "
	"cobro.promise, cobro.promise_installment, cobro.message, cobro.event";

/* Everything before the COPYs, inside the transaction. */
static bool db_prepare(struct loader *L)
{
	struct db *db = L->db;
	PGresult *r;
	long accounts;
	bool other;
	char from[16], to[16];
	const char *p[2] = { from, to };
	int y, m, d;
	int64_t A = L->plan.anchor / DAY;

	r = db_exec(db, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user", 0, NULL);
	if (!r)
		return false;
	if (PQntuples(r) != 1 || PQgetvalue(r, 0, 0)[0] != 't') {
		PQclear(r);
		return fail(db, "the demo loads with COPY past row-level security: connect as a "
		                "superuser (--user postgres)");
	}
	PQclear(r);
	if (!db_cmd(db, "BEGIN"))
		return false;
	r = db_exec(db, "SELECT (SELECT count(*) FROM cobro.account), "
	                "EXISTS (SELECT FROM cobro.debtor) OR EXISTS (SELECT FROM cobro.event) "
	                "OR EXISTS (SELECT FROM cobro.message) OR EXISTS (SELECT FROM cobro.payment)",
	            0, NULL);
	if (!r)
		return false;
	accounts = atol(PQgetvalue(r, 0, 0));
	other = PQgetvalue(r, 0, 1)[0] == 't';
	PQclear(r);
	if ((accounts > 0 || other) && !L->o->replace) {
		char n[32];

		snprintf(db->err, sizeof db->err,
		         "the database holds a portfolio already (%s accounts); demo --replace "
		         "empties it and loads the demo in its place", grouped(n, sizeof n, accounts));
		return false;
	}
	/* Truncating in this transaction makes COPY FREEZE valid, and an error
	 * leaves the old rows where they were. */
	{
		char *sql = xasprintf("TRUNCATE %s RESTART IDENTITY CASCADE", portfolio_tables);
		bool ok = db_cmd(db, sql);

		free(sql);
		if (!ok)
			return false;
	}
	if (!switch_off(L, off_indexes) || !switch_off(L, off_foreign_keys) || !switch_off(L, off_audit))
		return false;

	/* The history's months must have partitions of their own. */
	demo_civil_from_days(A - 62, &y, &m, &d);
	snprintf(from, sizeof from, "%04d-%02d-%02d", y, m, d);
	demo_civil_from_days(A + 1, &y, &m, &d);
	snprintf(to, sizeof to, "%04d-%02d-%02d", y, m, d);
	if (!db_cmd(db, "SET LOCAL ROLE cobro_owner") ||
	    !db_run(db, "SELECT cobro.event_add_partitions($1::date, $2::date)", 2, p) ||
	    !db_cmd(db, "RESET ROLE"))
		return false;
	return db_people(L);
}

/* After the COPYs: identity sequences past our ids, an audit line, statistics. */
static bool db_finish(struct loader *L)
{
	struct db *db = L->db;
	struct timespec t0;
	char *sql;
	bool ok;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	progress_draw(L, "promise states", false);
	for (size_t i = 0; i < ARRAY_SIZE(promise_plans); i++)
		if (!db_cmd(db, promise_plans[i]))
			return false;
	if (!db_cmd(db, promise_state))
		return false;
	if (L->trace)
		fprintf(stderr, "demo: %-28s %6.2f s\n", "promise states", since(&t0));
	for (int i = 0; i < L->nrestore; i++) {
		struct timespec t1;
		char what[40];

		snprintf(what, sizeof what, "indexes and keys %d/%d", i + 1, L->nrestore);
		progress_draw(L, what, false);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (!db_cmd(db, L->restore_sql[i]))
			return false;
		if (L->trace)
			fprintf(stderr, "demo: %6.2f s  %.70s\n", since(&t1), L->restore_sql[i]);
	}
	if (L->trace)
		fprintf(stderr, "demo: %-28s %6.2f s\n", "indexes, keys, triggers", since(&t0));
	for (int t = 0; t < DEMO_NTABLES; t++) {
		char table[64], last[24];
		const char *p[3] = { table, last, L->last_id[t] > 0 ? "true" : "false" };

		if (t == DEMO_INSTALLMENT || t == DEMO_PROMISE_INSTALLMENT)
			continue;
		snprintf(table, sizeof table, "cobro.%s", demo_table_name[t]);
		snprintf(last, sizeof last, "%lld", (long long)(L->last_id[t] > 0 ? L->last_id[t] : 1));
		if (!db_run(db, "SELECT setval(pg_get_serial_sequence($1, 'id'), $2::bigint, $3::boolean)",
		            3, p))
			return false;
	}
	{
		char n[24], seed[24];
		const char *p[4] = { n, seed, L->anchor_text, L->o->replace ? "true" : "false" };

		snprintf(n, sizeof n, "%ld", L->plan.accounts);
		snprintf(seed, sizeof seed, "%llu", (unsigned long long)L->plan.seed);
		if (!db_run(db, "SELECT cobro.audit_write('DEMO', 'account', NULL, NULL, "
		                "jsonb_build_object('accounts', $1::bigint, 'seed', $2::numeric, "
		                "'anchor', $3::date, 'replace', $4::boolean))", 4, p))
			return false;
	}
	/* Open screens reload everything: a change to no account in particular
	 * stands for every account (the workstation reads it as "*"), and the
	 * notification, as every one, says nothing itself. */
	if (!db_run(db, "SELECT cobro.change_note('account', NULL), pg_notify($1, '')", 1,
	            (const char *const[]){ NOTIFY_ACCOUNT }))
		return false;
	/* The agents' figures are rolled up by a trigger on the history's
	 * inserts, which the COPYs into its partitions do not fire: the
	 * rollup is made once, from the history loaded (functions/metrics_rollup.sql).
	 * So is when each debtor was last heard from (functions/debtor_heard.sql),
	 * which the strategies' facts read. */
	progress_draw(L, "figures", false);
	if (!db_cmd(db, "SELECT cobro.metric_rebuild()") || !db_cmd(db, "SELECT cobro.debtor_heard_rebuild()"))
		return false;
	progress_draw(L, "analyze", false);
	sql = xasprintf("ANALYZE cobro.team, cobro.agent, cobro.creditor, cobro.debtor_heard, %s", portfolio_tables);
	ok = db_cmd(db, sql);
	free(sql);
	return ok && db_cmd(db, "COMMIT");
}

static void summary(const struct loader *L)
{
	static const char *const label[DEMO_NTABLES] = {
		"debtors", "contact points", "accounts", "instalments", "payments", "promises",
		"promise parts", "events",
	};
	static const int order[] = {   /* accounts first, the way people count */
		DEMO_ACCOUNT, DEMO_DEBTOR, DEMO_CONTACT_POINT, DEMO_INSTALLMENT, DEMO_PAYMENT,
		DEMO_PROMISE, DEMO_PROMISE_INSTALLMENT, DEMO_EVENT,
	};
	char n[32];

	printf("demo: ");
	for (size_t i = 0; i < ARRAY_SIZE(order); i++)
		printf("%s%s %s", i ? ", " : "", grouped(n, sizeof n, L->counts[order[i]]), label[order[i]]);
	printf("; %d people in %d teams; history to %s, seed %llu; %.1f s%s\n", L->npeople, L->plan.nteams,
	       L->anchor_text, (unsigned long long)L->plan.seed, since(&L->started),
	       L->o->dump_only ? " (dump only)" : "");
}

bool demo_load(struct db *db, const struct demo_opts *o)
{
	struct loader *L = xcalloc(1, sizeof *L);
	const char *anchor = o->anchor ? o->anchor : getenv("COBRO_DEMO_ANCHOR");
	int64_t day = (int64_t)time(NULL) / DAY;
	bool ok = false, began = false;
	int y, m, d;

	clock_gettime(CLOCK_MONOTONIC, &L->started);
	L->drawn = L->started;
	L->o = o;
	L->db = db;
	L->trace = getenv("COBRO_DEMO_TRACE") && *getenv("COBRO_DEMO_TRACE");
	if (anchor && *anchor && !parse_anchor(anchor, &day)) {
		snprintf(db->err, sizeof db->err, "anchor \"%s\" is not a date (YYYY-MM-DD)", anchor);
		goto out;
	}
	if (o->accounts < 1) {
		fail(db, "--accounts must be at least 1");
		goto out;
	}
	if (o->dump_only && !o->dump_dir) {
		fail(db, "a dump-only run needs a directory (--dump DIR)");
		goto out;
	}
	if (o->dump_dir && mkdir(o->dump_dir, 0777) != 0 && errno != EEXIST) {
		snprintf(db->err, sizeof db->err, "%s: %s", o->dump_dir, strerror(errno));
		goto out;
	}
	demo_civil_from_days(day, &y, &m, &d);
	snprintf(L->anchor_text, sizeof L->anchor_text, "%04d-%02d-%02d", y, m, d);
	L->plan.seed = o->seed;
	L->plan.accounts = o->accounts;
	L->plan.anchor = day * DAY;
	plan_people(L);

	if (!o->dump_only) {
		began = true;
		if (!db_prepare(L))
			goto out;
	}
	plan_collectors(L);
	for (int t = 0; t < DEMO_EVENT; t++) {
		char target[64], file[64];

		snprintf(target, sizeof target, "cobro.%s", demo_table_name[t]);
		snprintf(file, sizeof file, "%s.copy", demo_table_name[t]);
		add_pass(L, (enum demo_table)t, target, file, 0, 0);
	}
	/* Events lie in the 60 days before the anchor; a margin either side. */
	if (o->dump_only)
		plan_event_months(L, L->plan.anchor - 62 * DAY, L->plan.anchor + DAY);
	else if (!plan_event_partitions(L, L->plan.anchor - 62 * DAY, L->plan.anchor + DAY))
		goto out;

	if (!load_passes(L, !o->dump_only))
		goto out;
	L->copied = true;
	if (o->dump_dir && !dump_script(L))
		goto out;
	if (!o->dump_only && !db_finish(L))
		goto out;
	progress_draw(L, "done", true);
	if (!o->quiet)
		summary(L);
	ok = true;
out:
	if (!ok && began && PQtransactionStatus(db->conn) != PQTRANS_IDLE) {
		char keep[sizeof db->err];

		memcpy(keep, db->err, sizeof keep);
		db_cmd(db, "ROLLBACK");
		memcpy(db->err, keep, sizeof keep);
	}
	if (!ok && o->progress)
		fputc('\n', stderr);
	free(L->plan.team_id);
	free(L->plan.collector_id);
	free(L->plan.collector_team);
	free(L->plan.creditor_id);
	for (int i = 0; i < L->nrestore; i++)
		free(L->restore_sql[i]);
	free(L->restore_sql);
	free(L->people);
	free(L->team_code);
	free(L->team_name);
	free(L);
	return ok;
}
