#include "migrate.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ------------------------------------------------ what a file says to the runner */

/* The text after "-- KEY:" on each line that starts so, one line per call:
 * *p moves past the line. NULL when no such line is left. */
static const char *next_directive(const char **p, const char *key, size_t *len)
{
	size_t klen = strlen(key);

	while (**p) {
		const char *line = *p, *end = line + strcspn(line, "\n");

		*p = *end ? end + 1 : end;
		if (strncmp(line, "-- ", 3) == 0 && strncmp(line + 3, key, klen) == 0 && line[3 + klen] == ':') {
			*len = (size_t)(end - (line + 4 + klen));
			return line + 4 + klen;
		}
	}
	return NULL;
}

int migrate_uses(const char *sql, char names[][MIGRATE_NAME_MAX], int max)
{
	const char *p = sql, *v;
	size_t len;
	int n = 0;

	while ((v = next_directive(&p, "uses", &len))) {
		const char *end = v + len;

		while (v < end) {
			size_t w;

			while (v < end && (isspace((unsigned char)*v) || *v == ','))
				v++;
			for (w = 0; v + w < end && !isspace((unsigned char)v[w]) && v[w] != ','; w++)
				;
			if (w && n < max)
				snprintf(names[n], MIGRATE_NAME_MAX, "%.*s", (int)w, v);
			n += w > 0;
			v += w;
		}
	}
	return n;
}

bool migrate_supersedes(const struct migration *m, const char *checksum)
{
	const char *p = m->sql, *v;
	size_t len, n = strlen(checksum);

	if (n != 32)
		return false;
	while ((v = next_directive(&p, "supersedes", &len))) {
		while (len && isspace((unsigned char)*v))
			v++, len--;
		while (len && isspace((unsigned char)v[len - 1]))
			len--;
		if (len == n && strncmp(v, checksum, n) == 0)
			return true;
	}
	return false;
}

static int file_named(const struct migration *files, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(files[i].name, name) == 0)
			return i;
	return -1;
}

enum { UNSEEN, VISITING, PLACED };

/* Depth first, in the order the uses are written: a file goes after all it
 * uses. Stack depth is bounded by the number of files. */
static bool place(const struct migration *files, int n, int i, char *mark, int *order, int *placed, char *why,
                  size_t whylen)
{
	char uses[32][MIGRATE_NAME_MAX];
	int nu;

	if (mark[i] == PLACED)
		return true;
	if (mark[i] == VISITING) {
		snprintf(why, whylen, "%s uses itself through the files it uses", files[i].name);
		return false;
	}
	mark[i] = VISITING;
	nu = migrate_uses(files[i].sql, uses, (int)ARRAY_SIZE(uses));
	if (nu > (int)ARRAY_SIZE(uses)) {
		snprintf(why, whylen, "%s uses more than %zu files", files[i].name, ARRAY_SIZE(uses));
		return false;
	}
	for (int u = 0; u < nu; u++) {
		int j = file_named(files, n, uses[u]);

		if (j < 0) {
			snprintf(why, whylen, "%s uses %s, which is not a function file", files[i].name, uses[u]);
			return false;
		}
		if (!place(files, n, j, mark, order, placed, why, whylen))
			return false;
	}
	mark[i] = PLACED;
	order[(*placed)++] = i;
	return true;
}

bool migrate_order(const struct migration *files, int n, int *order, char *why, size_t whylen)
{
	char *mark = xcalloc((size_t)n + 1, 1);
	int placed = 0;
	bool ok = true;

	for (int i = 0; i < n && ok; i++)
		ok = place(files, n, i, mark, order, &placed, why, whylen);
	free(mark);
	return ok;
}

/* ------------------------------------------------------------- the ledgers */

static int table_exists(struct db *db, const char *name)
{
	const char *p[1] = { name };
	PGresult *r = db_exec(db, "SELECT to_regclass($1) IS NOT NULL", 1, p);
	int yes;

	if (!r)
		return -1;
	yes = PQgetvalue(r, 0, 0)[0] == 't';
	PQclear(r);
	return yes;
}

/* The state of each file against the ledger's checksums (a query's rows of
 * key, checksum), and md5 of the text computed by the server, as recorded. */
static bool states_of(struct db *db, const char *ledger_sql, const struct migration *files, int n,
                      enum migrate_state *state)
{
	PGresult *r;
	struct buf texts = { 0 };

	for (int i = 0; i < n; i++)
		state[i] = MIGRATE_PENDING;
	/* One round trip: the server hashes every text as it hashed those it
	 * recorded, and the rows come back in the files' order. */
	buf_puts(&texts, "");
	{
		const char **p = xcalloc((size_t)n * 2 + 1, sizeof *p);
		char **keys = xcalloc((size_t)n + 1, sizeof *keys);
		char *sql;

		for (int i = 0; i < n; i++) {
			keys[i] = files[i].version ? xasprintf("%d", files[i].version) : xasprintf("%s", files[i].name);
			p[2 * i] = keys[i];
			p[2 * i + 1] = files[i].sql;
			buf_printf(&texts, "%s($%d, md5($%d), %d)", i ? ", " : "", 2 * i + 1, 2 * i + 2, i);
		}
		sql = xasprintf("SELECT f.i, l.checksum = f.sum, l.checksum FROM (VALUES %s) AS f(k, sum, i) "
		                "LEFT JOIN (%s) AS l(k, checksum) ON l.k = f.k ORDER BY f.i",
		                texts.s, ledger_sql);
		r = n ? db_exec(db, sql, n * 2, p) : NULL;
		free(sql);
		for (int i = 0; i < n; i++)
			free(keys[i]);
		free(keys);
		free(p);
		buf_free(&texts);
		if (n && !r)
			return false;
	}
	for (int row = 0; r && row < PQntuples(r); row++) {
		int i = atoi(PQgetvalue(r, row, 0));

		if (PQgetisnull(r, row, 2))
			state[i] = MIGRATE_PENDING;
		else if (PQgetvalue(r, row, 1)[0] == 't')
			state[i] = MIGRATE_APPLIED;
		else if (!files[i].version)
			state[i] = MIGRATE_CHANGED;
		else if (migrate_supersedes(&files[i], PQgetvalue(r, row, 2)))
			state[i] = MIGRATE_REWRITTEN;
		else
			state[i] = MIGRATE_REFUSED;
	}
	PQclear(r);
	return true;
}

bool migrate_plan(struct db *db, struct migrate_plan *plan)
{
	int nv = migrations_count, nf = sql_functions_count, *order = xcalloc((size_t)nf + 1, sizeof *order);
	enum migrate_state *vs = xcalloc((size_t)nv + 1, sizeof *vs), *fs = xcalloc((size_t)nf + 1, sizeof *fs);
	int have_v, have_f;
	bool ok = false;

	memset(plan, 0, sizeof *plan);
	if (!migrate_order(sql_functions, nf, order, db->err, sizeof db->err)) {
		db->sqlstate[0] = '\0';
		goto out;
	}
	if ((have_v = table_exists(db, "cobro.schema_migration")) < 0 ||
	    (have_f = table_exists(db, "cobro.schema_function")) < 0)
		goto out;
	if (!states_of(db, have_v ? "SELECT version::text, checksum FROM cobro.schema_migration"
	                          : "SELECT NULL::text, NULL::text WHERE false",
	               migrations, nv, vs) ||
	    !states_of(db, have_f ? "SELECT file, checksum FROM cobro.schema_function"
	                          : "SELECT NULL::text, NULL::text WHERE false",
	               sql_functions, nf, fs))
		goto out;
	plan->steps = xcalloc((size_t)(nv + nf) + 1, sizeof *plan->steps);
	for (int i = 0; i < nv; i++)
		plan->steps[plan->n++] = (struct migrate_step){ &migrations[i], vs[i] };
	for (int k = 0; k < nf; k++)
		plan->steps[plan->n++] = (struct migrate_step){ &sql_functions[order[k]], fs[order[k]] };
	for (int i = 0; i < plan->n; i++) {
		plan->todo += plan->steps[i].state != MIGRATE_APPLIED;
		plan->refused += plan->steps[i].state == MIGRATE_REFUSED;
	}
	ok = true;
out:
	free(order);
	free(vs);
	free(fs);
	return ok;
}

void migrate_plan_free(struct migrate_plan *plan)
{
	free(plan->steps);
	memset(plan, 0, sizeof *plan);
}

/* ---------------------------------------------------------------- applying */

/* The line of text at a 1-based character position (what PostgreSQL reports
 * as an error's position: characters, not bytes). */
static int line_at(const char *text, long pos)
{
	int line = 1;

	for (const unsigned char *c = (const unsigned char *)text; *c && pos > 1; c++) {
		if ((*c & 0xc0) == 0x80)
			continue; /* a continuation byte is part of the character before */
		line += *c == '\n';
		pos--;
	}
	return line;
}

/* Runs a file's text (our own static text, possibly many statements: the
 * simple query protocol runs it as one batch in the open transaction). On
 * error, db->err names the file and the line. */
static bool run_text(struct db *db, const struct migration *m)
{
	PGresult *r = PQexec(db->conn, m->sql);
	ExecStatusType st = PQresultStatus(r);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
		const char *pos = PQresultErrorField(r, PG_DIAG_STATEMENT_POSITION);
		const char *code = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		char where[32] = "";

		if (pos)
			snprintf(where, sizeof where, ":%d", line_at(m->sql, atol(pos)));
		snprintf(db->err, sizeof db->err, "%s%s: %s", m->name, where, msg ? msg : PQerrorMessage(db->conn));
		snprintf(db->sqlstate, sizeof db->sqlstate, "%s", code ? code : "");
		PQclear(r);
		return false;
	}
	PQclear(r);
	return true;
}

/* Says which file an error of a statement about it came from. */
static void blame(struct db *db, const struct migration *m)
{
	char err[sizeof db->err];

	if (strncmp(db->err, m->name, strlen(m->name)) == 0)
		return;
	snprintf(err, sizeof err, "%s: %s", m->name, db->err);
	snprintf(db->err, sizeof db->err, "%s", err);
}

struct run {
	struct db *db;
	FILE *out;
	const struct migrate_plan *plan;
	bool *done;        /* per sql_functions[] index: applied in this run */
	int applied;
};

static const struct migrate_step *step_of(const struct run *run, const struct migration *m)
{
	for (int i = 0; i < run->plan->n; i++)
		if (run->plan->steps[i].m == m)
			return &run->plan->steps[i];
	return NULL;
}

/* A migration's uses, and theirs first, each applied unless it is applied
 * already (recorded with this text, or earlier in this run). Inside the
 * migration's transaction; recorded later, with the other function files. */
static bool apply_uses(struct run *run, const struct migration *m, int depth)
{
	char uses[32][MIGRATE_NAME_MAX];
	int nu = migrate_uses(m->sql, uses, (int)ARRAY_SIZE(uses));

	if (depth > sql_functions_count) {
		snprintf(run->db->err, sizeof run->db->err, "%s: a circle of uses", m->name);
		return false;
	}
	for (int u = 0; u < nu && u < (int)ARRAY_SIZE(uses); u++) {
		int j = file_named(sql_functions, sql_functions_count, uses[u]);
		const struct migrate_step *s;

		if (j < 0) {
			snprintf(run->db->err, sizeof run->db->err, "%s uses %s, which is not a function file", m->name,
			         uses[u]);
			return false;
		}
		s = step_of(run, &sql_functions[j]);
		if (run->done[j] || (s && s->state == MIGRATE_APPLIED))
			continue;
		if (!apply_uses(run, &sql_functions[j], depth + 1) || !run_text(run->db, &sql_functions[j]))
			return false;
		run->done[j] = true;
		run->applied++;
		if (run->out)
			fprintf(run->out, "applied %s (used by %s)\n", sql_functions[j].name, m->name);
	}
	return true;
}

static void rollback(struct db *db)
{
	char err[sizeof db->err];

	snprintf(err, sizeof err, "%s", db->err);
	PQclear(PQexec(db->conn, "ROLLBACK"));
	snprintf(db->err, sizeof db->err, "%s", err);
}

static bool apply_migration(struct run *run, const struct migration *m)
{
	struct db *db = run->db;
	char v[16];
	const char *p[3] = { v, m->name, m->sql };

	snprintf(v, sizeof v, "%d", m->version);
	if (!db_cmd(db, "BEGIN"))
		return false;
	if (!apply_uses(run, m, 0) || !run_text(db, m) ||
	    !db_run(db, "INSERT INTO cobro.schema_migration (version, name, checksum) VALUES ($1, $2, md5($3))", 3,
	            p) ||
	    !db_cmd(db, "COMMIT")) {
		blame(db, m);
		rollback(db);
		return false;
	}
	run->applied++;
	if (run->out)
		fprintf(run->out, "applied %s\n", m->name);
	return true;
}

/* The ledger takes the new text of a migration whose old text it recorded. */
static bool accept_rewritten(struct run *run, const struct migration *m)
{
	char v[16];
	const char *p[2] = { v, m->sql };

	snprintf(v, sizeof v, "%d", m->version);
	if (!db_run(run->db, "UPDATE cobro.schema_migration SET checksum = md5($2) WHERE version = $1", 2, p)) {
		blame(run->db, m);
		return false;
	}
	if (run->out)
		fprintf(run->out, "accepted %s: rewritten, it supersedes the text applied before\n", m->name);
	return true;
}

/* Every function file not applied with its present text, in one
 * transaction: the functions change together or not at all. */
static bool apply_functions(struct run *run)
{
	struct db *db = run->db;
	bool begun = false;

	for (int i = migrations_count; i < run->plan->n; i++) {
		const struct migrate_step *s = &run->plan->steps[i];
		int j = (int)(s->m - sql_functions);
		const char *p[2] = { s->m->name, s->m->sql };

		if (s->state == MIGRATE_APPLIED)
			continue;
		if (!begun && !(begun = db_cmd(db, "BEGIN")))
			return false;
		if (!run->done[j]) {
			if (!run_text(db, s->m))
				goto fail;
			run->applied++;
			if (run->out)
				fprintf(run->out, "applied %s%s\n", s->m->name,
				        s->state == MIGRATE_CHANGED ? " (changed)" : "");
		}
		if (!db_run(db,
		            "INSERT INTO cobro.schema_function (file, checksum) VALUES ($1, md5($2)) "
		            "ON CONFLICT (file) DO UPDATE SET checksum = EXCLUDED.checksum, applied_at = now(), "
		            "applied_by = session_user",
		            2, p)) {
			blame(db, s->m);
			goto fail;
		}
	}
	return !begun || db_cmd(db, "COMMIT");
fail:
	rollback(db);
	return false;
}

int migrate_apply(struct db *db, FILE *out)
{
	struct migrate_plan plan;
	struct run run = { .db = db, .out = out, .plan = &plan };
	bool ok = false;

	/* Two cobroctl migrate at once would both see a file as pending. */
	if (!db_cmd(db, "SELECT pg_advisory_lock(hashtext('cobro.migrate'))"))
		return -1;
	if (!migrate_plan(db, &plan))
		goto unlock;
	run.done = xcalloc((size_t)sql_functions_count + 1, sizeof *run.done);
	for (int i = 0; i < plan.n; i++)
		if (plan.steps[i].state == MIGRATE_REFUSED) {
			snprintf(db->err, sizeof db->err,
			         "migration %s was changed after it was applied; write a new migration instead",
			         plan.steps[i].m->name);
			goto done;
		}
	for (int i = 0; i < migrations_count; i++) {
		const struct migrate_step *s = &plan.steps[i];

		if ((s->state == MIGRATE_REWRITTEN && !accept_rewritten(&run, s->m)) ||
		    (s->state == MIGRATE_PENDING && !apply_migration(&run, s->m)))
			goto done;
	}
	ok = apply_functions(&run);
done:
	free(run.done);
	migrate_plan_free(&plan);
unlock:
	{
		char err[sizeof db->err];

		snprintf(err, sizeof err, "%s", db->err);
		db_cmd(db, "SELECT pg_advisory_unlock(hashtext('cobro.migrate'))");
		snprintf(db->err, sizeof db->err, "%s", err);
	}
	return ok ? run.applied : -1;
}

int migrate_current(struct db *db)
{
	PGresult *r;
	int v, ledger = table_exists(db, "cobro.schema_migration");

	if (ledger <= 0)
		return ledger;
	r = db_exec(db, "SELECT coalesce(max(version), 0) FROM cobro.schema_migration", 0, NULL);
	if (!r)
		return -1;
	v = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}
