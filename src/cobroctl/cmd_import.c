/* cobroctl import payments|accounts FILE: the daily files (cobroctl(1),
 * IMPORTS). The whole file is read and every row checked first (the CSV by
 * src/core/csvfile.c, each value by src/core/import.c, the references,
 * creditors and agents each looked up in one query); every rejected row is
 * said as FILE:LINE: column: what is wrong. Then, unless --dry-run, or
 * --strict and a row was bad, the good rows are COPYed into a staging table
 * and applied by import_payments() or import_accounts()
 * (src/sql/functions/import.sql), all in one transaction: a kill leaves
 * nothing half-applied. The bad rows are written, as they were, to the
 * rejects file (FILE.rejects unless --rejects PATH). */
#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cobroctl.h"
#include "csvfile.h"
#include "import.h"
#include "policy_store.h"
#include "phone.h"
#include "strmap.h"
#include "text.h"
#include "util.h"

/* Exit status when some rows were rejected (the rest applied unless
 * --dry-run or --strict). */
#define EXIT_REJECTED 3

struct opts {
	bool dry_run, strict, reassign, full;
	const char *rejects, *team;
};

/* A rejected row: its lines, for the rejects file. */
struct bad_row {
	long line, end_line;
	bool copy; /* written to the rejects file (an empty line is not) */
};

/* One complaint, said in line order at the end of the reading. */
struct fault {
	long line, seq;
	char *text; /* "column: what is wrong" */
};

/* A string store: a million rows without a million mallocs. */
struct arena {
	char *block;
	size_t used, size;
};

/* A value quoted in a fault: at most 40 cells of it, cut between whole
 * characters (printf's %s counts bytes and could cut one in two), in one
 * of four buffers so that a message may quote two. */
static const char *quoted(const char *s)
{
	static char ring[4][192];
	static int next;
	char *out = ring[next++ % 4];

	text_fit(out, sizeof ring[0], s ? s : "", 40, 0);
	return out;
}

static char *arena_dup(struct arena *a, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p;

	if (a->used + n > a->size) {
		a->size = n > (1u << 20) ? n : (1u << 20);
		a->block = xmalloc(a->size); /* kept for the process's life */
		a->used = 0;
	}
	p = a->block + a->used;
	memcpy(p, s, n);
	a->used += n;
	return p;
}

struct run {
	const char *file;
	const char *kind;
	const struct csv_column *cols;
	int ncols;
	int col_of[ACC_NCOLS]; /* the longer of the two kinds */
	int header_fields;
	long header_end;
	long read;                 /* data rows read (well-formed or not) */
	struct fault *faults;
	size_t nfaults, capfaults;
	struct bad_row *bad;
	size_t nbad, capbad;
	struct arena arena;
	bool tty;
	long long size;
	char rejects[4096]; /* the rejects file written, "" before */
};

__attribute__((format(printf, 4, 5))) static void fault(struct run *r, long line, const char *column,
							 const char *fmt, ...)
{
	char what[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (r->nfaults == r->capfaults) {
		r->capfaults = r->capfaults ? r->capfaults * 2 : 64;
		r->faults = xrealloc(r->faults, r->capfaults * sizeof *r->faults);
	}
	r->faults[r->nfaults].line = line;
	r->faults[r->nfaults].seq = (long)r->nfaults;
	r->faults[r->nfaults].text = xasprintf("%s: %s", column, what);
	r->nfaults++;
}

static void reject(struct run *r, long line, long end_line, bool copy)
{
	if (r->nbad && r->bad[r->nbad - 1].line == line)
		return;
	if (r->nbad == r->capbad) {
		r->capbad = r->capbad ? r->capbad * 2 : 64;
		r->bad = xrealloc(r->bad, r->capbad * sizeof *r->bad);
	}
	r->bad[r->nbad++] = (struct bad_row){ line, end_line, copy };
}

static int by_line(const void *a, const void *b)
{
	const struct fault *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int bad_by_line(const void *a, const void *b)
{
	const struct bad_row *x = a, *y = b;

	return x->line < y->line ? -1 : x->line > y->line;
}

static void progress(struct run *r, long long at, const char *what)
{
	int pct = r->size > 0 ? (int)(at * 100 / r->size) : 100, bar = pct > 100 ? 25 : pct / 4;
	char drawn[26];

	if (!r->tty)
		return;
	memset(drawn, ' ', 25);
	memset(drawn, '#', (size_t)bar);
	drawn[25] = '\0';
	fprintf(stderr, "\r%s [%s] %3d%% %ld rows", what, drawn, pct, r->read);
	fflush(stderr);
}

static void progress_say(struct run *r, const char *what)
{
	if (r->tty) {
		fprintf(stderr, "\r\033[K%s", what);
		fflush(stderr);
	}
}

static void progress_end(struct run *r)
{
	if (r->tty)
		fputs("\r\033[K", stderr);
}

/* The header's name of a field position, for a fault. */
static const char *column_at(const struct run *r, int field)
{
	for (int i = 0; i < r->ncols; i++)
		if (r->col_of[i] == field && field >= 0)
			return r->cols[i].name;
	return "record";
}

/* The value of column i in rec ("" for an absent optional column). */
static const char *val(const struct run *r, const struct csv_record *rec, int i)
{
	return r->col_of[i] >= 0 ? rec->field[r->col_of[i]] : "";
}

/* ------------------------------------------------------------------ payments */

struct pay {
	long line, end_line;
	const char *reference, *amount, *method, *external_id;
	char when[IMPORT_WHEN_SIZE];
	long long minor;
	bool ok;
};

struct acc {
	long line, end_line;
	const char *v[ACC_NCOLS];
	const char *mobile_kind;
	long long balance, past_due;
	bool ok;
};

/* A PostgreSQL array literal of the strings, for one "= ANY ($1)" look-up. */
static char *array_literal(char **s, size_t n)
{
	struct buf b = { 0 };

	buf_add(&b, "{", 1);
	for (size_t i = 0; i < n; i++) {
		if (!s[i])
			continue;
		if (b.len > 1)
			buf_add(&b, ",", 1);
		buf_add(&b, "\"", 1);
		for (const char *p = s[i]; *p;) {
			size_t run = strcspn(p, "\"\\");

			buf_add(&b, p, run);
			p += run;
			if (*p) {
				buf_add(&b, "\\", 1);
				buf_add(&b, p++, 1);
			}
		}
		buf_add(&b, "\"", 1);
	}
	buf_add(&b, "}", 1);
	return b.s;
}

/* The keys of m as an array literal. */
static char *keys_literal(const struct strmap *m)
{
	return array_literal(m->key, m->cap);
}

/* Runs a one-parameter look-up; dies on an error. */
static PGresult *lookup(struct ctl *c, const char *sql, const char *param)
{
	PGresult *res = db_exec(&c->db, sql, 1, &param);

	if (!res)
		die("import: %s", c->db.err);
	return res;
}

static void copy_flush(struct ctl *c, struct buf *b, bool force)
{
	if (b->len && (force || b->len > (1u << 20))) {
		if (!db_copy_put(&c->db, b->s, b->len))
			die("import: COPY: %s", c->db.err);
		b->len = 0;
	}
}

/* Reads every record of the file, header first; rows go to add(). */
static void read_file_rows(struct run *r, FILE *f, void (*add)(struct run *, const struct csv_record *, void *),
			   void *ctx)
{
	struct csv_in *in = csv_open(f);
	struct csv_record rec;
	enum csv_status st;
	char err[200];

	st = csv_next(in, &rec);
	if (st == CSV_END)
		die("%s: empty: a header line (%s,...) is expected", r->file, r->cols[0].name);
	if (st == CSV_BAD)
		die("%s:%ld: header: %s", r->file, rec.line, rec.why);
	if (!csv_header_map(&rec, r->cols, r->ncols, r->col_of, err, sizeof err))
		die("%s:%ld: header: %s", r->file, rec.line, err);
	r->header_fields = rec.nfields;
	r->header_end = rec.end_line;
	while ((st = csv_next(in, &rec)) != CSV_END) {
		r->read++;
		if ((r->read & 8191) == 0)
			progress(r, csv_offset(in), "reading");
		if (st == CSV_BAD) {
			fault(r, rec.line, column_at(r, rec.bad_field), "%s", rec.why);
			reject(r, rec.line, rec.end_line, rec.bad_field >= 0 || strcmp(rec.why, "an empty line"));
			continue;
		}
		if (rec.nfields != r->header_fields) {
			fault(r, rec.line, "record", "%d field%s, the header has %d", rec.nfields,
			      rec.nfields == 1 ? "" : "s", r->header_fields);
			reject(r, rec.line, rec.end_line, true);
			continue;
		}
		add(r, &rec, ctx);
	}
	progress(r, csv_offset(in), "reading");
	csv_close(in);
}

struct pays {
	struct pay *v;
	size_t n, cap;
};

static void add_payment(struct run *r, const struct csv_record *rec, void *ctx)
{
	struct pays *ps = ctx;
	struct pay p = { .line = rec->line, .end_line = rec->end_line, .ok = true };
	char why[200], buf[256];

	if (!import_text(val(r, rec, PAY_REFERENCE), 64, buf, sizeof buf, why, sizeof why))
		fault(r, p.line, "reference", "%s", why), p.ok = false;
	else
		p.reference = arena_dup(&r->arena, buf);
	/* The amount's decimals depend on the account's currency: checked
	 * whole once it is known; its shape now. */
	{
		long long m;

		if (!import_money(val(r, rec, PAY_AMOUNT), 4, false, &m, why, sizeof why) &&
		    !strstr(why, "more than"))
			fault(r, p.line, "amount", "%s", why), p.ok = false;
		else
			p.amount = arena_dup(&r->arena, val(r, rec, PAY_AMOUNT));
	}
	if (!import_when(val(r, rec, PAY_PAID_AT), p.when, why, sizeof why) ||
	    !import_paid_by(p.when, policy_now(), why, sizeof why))
		fault(r, p.line, "paid_at", "%s", why), p.ok = false;
	if (!import_text(val(r, rec, PAY_METHOD), 32, buf, sizeof buf, why, sizeof why) ||
	    !import_code(buf, why, sizeof why))
		fault(r, p.line, "method", "%s", why), p.ok = false;
	else
		p.method = arena_dup(&r->arena, buf);
	if (!import_text(val(r, rec, PAY_EXTERNAL_ID), 128, buf, sizeof buf, why, sizeof why))
		fault(r, p.line, "external_id", "%s", why), p.ok = false;
	else
		p.external_id = arena_dup(&r->arena, buf);
	if (!p.ok)
		reject(r, p.line, p.end_line, true);
	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 1024;
		ps->v = xrealloc(ps->v, ps->cap * sizeof *ps->v);
	}
	ps->v[ps->n++] = p;
}

/* ------------------------------------------------------------------ accounts */

struct accs {
	struct acc *v;
	size_t n, cap;
};

static void add_account(struct run *r, const struct csv_record *rec, void *ctx)
{
	struct accs *as = ctx;
	struct acc a = { .line = rec->line, .end_line = rec->end_line, .ok = true };
	char why[200], buf[512];
	const char *jur = val(r, rec, ACC_JURISDICTION), *cur = val(r, rec, ACC_CURRENCY);
	long score;

#define BAD(col, ...) (fault(r, a.line, import_account_columns[col].name, __VA_ARGS__), a.ok = false)
#define TEXT(col, max)                                                                                     \
	do {                                                                                               \
		if (!import_text(val(r, rec, col), max, buf, sizeof buf, why, sizeof why))                 \
			BAD(col, "%s", why);                                                               \
		else                                                                                       \
			a.v[col] = arena_dup(&r->arena, buf);                                              \
	} while (0)

	TEXT(ACC_REFERENCE, 64);
	TEXT(ACC_DEBTOR_NAME, 200);
	TEXT(ACC_NATIONAL_ID, 32);
	TEXT(ACC_CREDITOR, 64);
	TEXT(ACC_PRODUCT, 64);
	if (!import_jurisdiction(jur, why, sizeof why))
		BAD(ACC_JURISDICTION, "%s", why), jur = NULL;
	else
		a.v[ACC_JURISDICTION] = arena_dup(&r->arena, jur);
	if (!import_time_zone(val(r, rec, ACC_TIME_ZONE), why, sizeof why))
		BAD(ACC_TIME_ZONE, "%s", why);
	else
		a.v[ACC_TIME_ZONE] = arena_dup(&r->arena, val(r, rec, ACC_TIME_ZONE));
	if (strcmp(val(r, rec, ACC_LANGUAGE), "es") && strcmp(val(r, rec, ACC_LANGUAGE), "en"))
		BAD(ACC_LANGUAGE, "\"%s\" is not a language cobro speaks (es, en)", quoted(val(r, rec, ACC_LANGUAGE)));
	else
		a.v[ACC_LANGUAGE] = val(r, rec, ACC_LANGUAGE)[0] == 'e' && val(r, rec, ACC_LANGUAGE)[1] == 's' ? "es"
														: "en";
	if (strlen(cur) != 3 || strspn(cur, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3) {
		BAD(ACC_CURRENCY, "\"%s\" is not an ISO 4217 code such as PEN", quoted(cur));
		cur = NULL;
	} else {
		a.v[ACC_CURRENCY] = arena_dup(&r->arena, cur);
	}
	if (cur) {
		int dec = currency_decimals(cur);

		bool money_ok = true;

		if (!import_money(val(r, rec, ACC_BALANCE), dec, true, &a.balance, why, sizeof why))
			BAD(ACC_BALANCE, "%s", why), money_ok = false;
		if (!import_money(val(r, rec, ACC_PAST_DUE), dec, true, &a.past_due, why, sizeof why))
			BAD(ACC_PAST_DUE, "%s", why), money_ok = false;
		if (money_ok && a.past_due > a.balance)
			BAD(ACC_PAST_DUE, "%s is more than the balance, %s", val(r, rec, ACC_PAST_DUE),
			    val(r, rec, ACC_BALANCE));
	}
	if (*val(r, rec, ACC_DUE_DATE)) {
		if (!import_date(val(r, rec, ACC_DUE_DATE), buf, why, sizeof why))
			BAD(ACC_DUE_DATE, "%s", why);
		else if (a.past_due > 0 && a.v[ACC_TIME_ZONE] &&
			 !import_due_passed(buf, a.v[ACC_TIME_ZONE], policy_now(), why, sizeof why))
			BAD(ACC_DUE_DATE, "%s", why);
		else
			a.v[ACC_DUE_DATE] = arena_dup(&r->arena, buf);
	} else if (a.past_due > 0) {
		BAD(ACC_DUE_DATE, "empty, and an amount is past due: the date it fell due is needed");
	}
	if (*val(r, rec, ACC_SEGMENT) && !import_code(val(r, rec, ACC_SEGMENT), why, sizeof why))
		BAD(ACC_SEGMENT, "%s", why);
	else
		a.v[ACC_SEGMENT] = *val(r, rec, ACC_SEGMENT) ? arena_dup(&r->arena, val(r, rec, ACC_SEGMENT)) : "standard";
	if (*val(r, rec, ACC_SCORE) && !import_int(val(r, rec, ACC_SCORE), 0, 1000, &score, why, sizeof why))
		BAD(ACC_SCORE, "%s", why);
	else
		a.v[ACC_SCORE] = *val(r, rec, ACC_SCORE) ? arena_dup(&r->arena, val(r, rec, ACC_SCORE)) : "500";
	if (*val(r, rec, ACC_MOBILE)) {
		char e164[PHONE_E164_SIZE];

		if (!jur)
			BAD(ACC_MOBILE, "cannot be read without a jurisdiction");
		else if (!phone_normalize(val(r, rec, ACC_MOBILE), jur, e164, sizeof e164, why, sizeof why))
			BAD(ACC_MOBILE, "\"%s\": %s", quoted(val(r, rec, ACC_MOBILE)), why);
		else {
			a.v[ACC_MOBILE] = arena_dup(&r->arena, e164);
			a.mobile_kind = phone_is_mobile(e164) ? "mobile" : "phone";
		}
	}
	if (*val(r, rec, ACC_EMAIL)) {
		if (!import_email(val(r, rec, ACC_EMAIL), buf, sizeof buf, why, sizeof why))
			BAD(ACC_EMAIL, "%s", why);
		else
			a.v[ACC_EMAIL] = arena_dup(&r->arena, buf);
	}
	if (*val(r, rec, ACC_AGENT)) {
		if (!import_text(val(r, rec, ACC_AGENT), 63, buf, sizeof buf, why, sizeof why))
			BAD(ACC_AGENT, "%s", why);
		else
			a.v[ACC_AGENT] = arena_dup(&r->arena, buf);
	}
#undef TEXT
#undef BAD
	if (!a.ok) {
		reject(r, a.line, a.end_line, true);
		/* --full must not close the account of a row that was refused. */
		if (!a.v[ACC_REFERENCE] && *val(r, rec, ACC_REFERENCE) && strlen(val(r, rec, ACC_REFERENCE)) <= 64)
			a.v[ACC_REFERENCE] = arena_dup(&r->arena, val(r, rec, ACC_REFERENCE));
	}
	if (as->n == as->cap) {
		as->cap = as->cap ? as->cap * 2 : 1024;
		as->v = xrealloc(as->v, as->cap * sizeof *as->v);
	}
	as->v[as->n++] = a;
}

/* ------------------------------------------------------------------ common */

/* The rejected rows as they were, header first, in the rejects file. */
static void write_rejects(struct run *r, const char *path)
{
	FILE *in = fopen(r->file, "r"), *out;
	char *line = NULL;
	size_t cap = 0, k = 0;
	long n = 0;

	if (!in)
		die("%s: %s", r->file, strerror(errno));
	if (!(out = fopen(path, "w")))
		die("%s: %s: nothing was applied (the rejects file is written first)", path, strerror(errno));
	if (r->nbad > 1) /* qsort() may not be handed the NULL of none */
		qsort(r->bad, r->nbad, sizeof *r->bad, bad_by_line);
	while (getline(&line, &cap, in) >= 0) {
		n++;
		while (k < r->nbad && r->bad[k].end_line < n)
			k++;
		if (n <= r->header_end || (k < r->nbad && r->bad[k].copy && r->bad[k].line <= n))
			fputs(line, out);
	}
	free(line);
	fclose(in);
	if (fclose(out) != 0)
		die("%s: %s: nothing was applied (the rejects file is written first)", path, strerror(errno));
}

static void say_faults(struct run *r)
{
	if (r->nfaults > 1) /* qsort() may not be handed the NULL of none */
		qsort(r->faults, r->nfaults, sizeof *r->faults, by_line);
	for (size_t i = 0; i < r->nfaults; i++)
		fprintf(stderr, "%s:%ld: %s\n", r->file, r->faults[i].line, r->faults[i].text);
}

static FILE *open_input(struct run *r)
{
	struct stat st;
	FILE *f = fopen(r->file, "r");

	if (!f)
		die("%s: %s", r->file, strerror(errno));
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode))
		die("%s: not a regular file", r->file);
	r->size = st.st_size;
	r->tty = isatty(STDERR_FILENO);
	return f;
}

/* What happened, on stdout; the exit status. */
/* The rejected rows of an import about to be applied, written before its
 * COMMIT: a rejects file that cannot be written (a missing directory, no
 * permission) ends the import with nothing applied, never with the good
 * rows committed and the bad ones lost behind an error. */
static void save_rejects(struct run *r, const struct opts *o)
{
	if (!r->nbad)
		return;
	snprintf(r->rejects, sizeof r->rejects, "%s", o->rejects ? o->rejects : "");
	if (!*r->rejects)
		snprintf(r->rejects, sizeof r->rejects, "%s.rejects", r->file);
	write_rejects(r, r->rejects);
}

static int finish(struct run *r, const struct opts *o, bool applied, long long ok_rows, long long duplicates,
		  const char *detail)
{
	const char *rejects = r->rejects;

	say_faults(r);
	printf("%s: %ld read, %lld %s, %lld duplicate%s, %zu rejected%s%s%s\n", r->file, r->read, ok_rows,
	       applied ? "applied" : "would be applied", duplicates,
	       duplicates == 1 ? "" : "s", r->nbad, detail ? detail : "", *rejects ? "; rejected rows in " : "",
	       rejects);
	if (o->dry_run)
		printf("dry run: nothing was changed\n");
	else if (!applied)
		printf("--strict: nothing was applied, as %zu row%s %s rejected\n", r->nbad, r->nbad == 1 ? "" : "s",
		       r->nbad == 1 ? "was" : "were");
	return r->nbad ? EXIT_REJECTED : 0;
}

static void begin(struct ctl *c)
{
	ctl_connect(c);
	if (!db_cmd(&c->db, "BEGIN"))
		die("import: %s", c->db.err);
}

static void stage(struct ctl *c, const char *kind, const char *columns)
{
	const char *p[1] = { kind };
	PGresult *res = db_exec(&c->db, "SELECT cobro.import_stage($1)", 1, p);
	char *sql;

	/* The first call an administrator alone may make: say so in words. */
	if (!res && !strcmp(c->db.sqlstate, "42501"))
		die("import: only an administrator may import files; nothing was applied (%s)", c->db.err);
	if (!res)
		die("import: %s", c->db.err);
	sql = xasprintf("COPY %s (%s) FROM STDIN", PQgetvalue(res, 0, 0), columns);
	PQclear(res);
	if (!db_copy_begin(&c->db, sql))
		die("import: %s", c->db.err);
	free(sql);
}

static int import_payments(struct ctl *c, struct run *r, const struct opts *o)
{
	struct pays ps = { 0 };
	struct strmap refs = { 0 }, ext = { 0 }, known = { 0 }, indb = { 0 };
	FILE *f = open_input(r);
	char *lit;
	PGresult *res;
	long long ok_rows = 0, dups = 0;
	struct buf b = { 0 };
	char detail[300] = "";

	read_file_rows(r, f, add_payment, &ps);
	fclose(f);
	/* The same payment twice in one file: the second is refused. */
	for (size_t i = 0; i < ps.n; i++) {
		struct pay *p = &ps.v[i];
		long first;

		if (p->reference)
			strmap_put(&refs, p->reference, 0);
		if (!p->external_id)
			continue;
		if (strmap_get(&ext, p->external_id, &first)) {
			fault(r, p->line, "external_id", "\"%s\" is the external id of line %ld too", quoted(p->external_id),
			      first);
			if (p->ok)
				reject(r, p->line, p->end_line, true);
			p->ok = false;
		} else {
			strmap_put(&ext, p->external_id, p->line);
		}
	}
	progress_say(r, "looking up references");
	begin(c);
	lit = keys_literal(&refs);
	res = lookup(c, "SELECT reference, currency FROM cobro.account WHERE reference = ANY ($1::text[])", lit);
	free(lit);
	for (int i = 0; i < PQntuples(res); i++)
		strmap_put(&known, PQgetvalue(res, i, 0), currency_decimals(PQgetvalue(res, i, 1)));
	PQclear(res);
	for (size_t i = 0; i < ps.n; i++) {
		struct pay *p = &ps.v[i];
		long dec;
		char why[200];
		bool was_ok = p->ok;

		if (p->reference && !strmap_get(&known, p->reference, &dec)) {
			fault(r, p->line, "reference", "no account \"%s\"", quoted(p->reference));
			p->ok = false;
		} else if (p->reference && p->amount &&
			   !import_money(p->amount, (int)dec, false, &p->minor, why, sizeof why)) {
			fault(r, p->line, "amount", "%s", why);
			p->ok = false;
		}
		if (!p->ok) {
			if (was_ok)
				reject(r, p->line, p->end_line, true);
			continue;
		}
		ok_rows++;
	}
	if (o->dry_run || (o->strict && r->nbad)) {
		/* The payments already written, said by a report that applies
		 * nothing; an import that applies learns them from
		 * import_payments() (a look-up of a million external ids less). */
		lit = keys_literal(&ext);
		res = lookup(c, "SELECT external_id FROM cobro.payment WHERE external_id = ANY ($1::text[])", lit);
		free(lit);
		for (int i = 0; i < PQntuples(res); i++)
			strmap_put(&indb, PQgetvalue(res, i, 0), 0);
		PQclear(res);
		for (size_t i = 0; i < ps.n; i++)
			if (ps.v[i].ok && strmap_get(&indb, ps.v[i].external_id, NULL))
				dups++, ok_rows--;
	}
	strmap_free(&refs), strmap_free(&known), strmap_free(&ext), strmap_free(&indb);
	if (o->dry_run || (o->strict && r->nbad)) {
		progress_end(r);
		db_cmd(&c->db, "ROLLBACK");
		return finish(r, o, false, ok_rows, dups, NULL);
	}
	progress_say(r, "copying");
	stage(c, "payments", "line, reference, amount, paid_at, method, external_id");
	for (size_t i = 0; i < ps.n; i++) {
		struct pay *p = &ps.v[i];
		char num[32];

		if (!p->ok)
			continue;
		buf_printf(&b, "%ld\t", p->line);
		db_copy_field(&b, p->reference, false);
		snprintf(num, sizeof num, "%lld", p->minor);
		db_copy_field(&b, num, false);
		db_copy_field(&b, p->when, false);
		db_copy_field(&b, p->method, false);
		db_copy_field(&b, p->external_id, true);
		copy_flush(c, &b, false);
	}
	copy_flush(c, &b, true);
	buf_free(&b);
	free(ps.v);
	if (!db_copy_end(&c->db))
		die("import: COPY: %s", c->db.err);
	progress_say(r, "applying");
	{
		char read[24], rej[24];
		const char *p[3] = { r->file, read, rej };

		snprintf(read, sizeof read, "%ld", r->read);
		snprintf(rej, sizeof rej, "%zu", r->nbad);
		res = db_exec(&c->db,
			      "SELECT applied, duplicates, unknown, accounts, refused_messages "
			      "FROM cobro.import_payments($1, $2, $3)",
			      3, p);
		if (!res)
			die("import: %s", c->db.err);
	}
	ok_rows = atoll(PQgetvalue(res, 0, 0));
	dups = atoll(PQgetvalue(res, 0, 1));
	snprintf(detail, sizeof detail, " (%s account%s; %s queued message%s refused as no longer true",
		 PQgetvalue(res, 0, 3), strcmp(PQgetvalue(res, 0, 3), "1") ? "s" : "", PQgetvalue(res, 0, 4),
		 strcmp(PQgetvalue(res, 0, 4), "1") ? "s" : "");
	if (strcmp(PQgetvalue(res, 0, 2), "0"))
		die("import: %s staged payments lost their account while importing; nothing applied",
		    PQgetvalue(res, 0, 2));
	{
		/* Paid beyond the balance (import_payments() leaves the count and
		 * the sum in cobro.import_overpaid): said here, as the person who
		 * imports is the one to see that it is refunded or applied. */
		PGresult *over = db_exec(&c->db, "SELECT current_setting('cobro.import_overpaid', true)", 0, NULL);
		long long n_over = 0, excess = 0;
		size_t n = strlen(detail);

		if (!over)
			die("import: %s", c->db.err);
		if (sscanf(PQgetvalue(over, 0, 0), "%lld %lld", &n_over, &excess) == 2 && n_over > 0)
			snprintf(detail + n, sizeof detail - n,
				 "; %lld account%s paid beyond the balance, %lld minor units in all (overpaid events)",
				 n_over, n_over == 1 ? "" : "s", excess);
		PQclear(over);
	}
	{
		size_t n = strlen(detail);

		snprintf(detail + n, sizeof detail - n, ")");
	}
	PQclear(res);
	save_rejects(r, o);
	if (!db_cmd(&c->db, "COMMIT"))
		die("import: %s", c->db.err);
	progress_end(r);
	return finish(r, o, true, ok_rows, dups, detail);
}

static int import_accounts(struct ctl *c, struct run *r, const struct opts *o)
{
	struct accs as = { 0 };
	struct strmap refs = { 0 }, known = { 0 }, creditors = { 0 }, agents = { 0 };
	FILE *f = open_input(r);
	char **curs;
	char *lit;
	PGresult *res;
	long long ok_rows = 0;
	struct buf b = { 0 };
	char detail[300] = "";

	read_file_rows(r, f, add_account, &as);
	fclose(f);
	for (size_t i = 0; i < as.n; i++) {
		struct acc *a = &as.v[i];
		long first;

		if (!a->v[ACC_REFERENCE])
			continue;
		if (strmap_get(&refs, a->v[ACC_REFERENCE], &first)) {
			fault(r, a->line, "reference", "\"%s\" is the reference of line %ld too", quoted(a->v[ACC_REFERENCE]),
			      first);
			if (a->ok)
				reject(r, a->line, a->end_line, true);
			a->ok = false;
		} else {
			strmap_put(&refs, a->v[ACC_REFERENCE], a->line);
		}
		if (a->v[ACC_CREDITOR])
			strmap_put(&creditors, a->v[ACC_CREDITOR], 0);
		if (a->v[ACC_AGENT])
			strmap_put(&agents, a->v[ACC_AGENT], 0);
	}
	progress_say(r, "looking up references");
	begin(c);
	if (o->team) {
		const char *p[1] = { o->team };

		res = db_exec(&c->db, "SELECT 1 FROM cobro.team WHERE code = $1", 1, p);
		if (!res)
			die("import: %s", c->db.err);
		if (PQntuples(res) == 0)
			die("import: --team: no team \"%s\"", o->team);
		PQclear(res);
	}
	/* Each look-up is one query; what is known comes back as its index
	 * in curs, the existing accounts' currencies. */
	lit = keys_literal(&refs);
	res = lookup(c, "SELECT reference, currency FROM cobro.account WHERE reference = ANY ($1::text[])", lit);
	free(lit);
	curs = xcalloc((size_t)PQntuples(res) + 1, sizeof *curs);
	for (int i = 0; i < PQntuples(res); i++) {
		curs[i] = xstrdup(PQgetvalue(res, i, 1));
		strmap_put(&known, PQgetvalue(res, i, 0), i);
	}
	PQclear(res);
	lit = keys_literal(&creditors);
	res = lookup(c, "SELECT code FROM cobro.creditor WHERE code = ANY ($1::text[])", lit);
	free(lit);
	strmap_free(&creditors);
	for (int i = 0; i < PQntuples(res); i++)
		strmap_put(&creditors, PQgetvalue(res, i, 0), 1);
	PQclear(res);
	lit = keys_literal(&agents);
	res = lookup(c,
		     "SELECT login, active AND role IN ('collector', 'supervisor', 'lead') FROM cobro.agent "
		     "WHERE login = ANY ($1::text[])",
		     lit);
	free(lit);
	strmap_free(&agents);
	for (int i = 0; i < PQntuples(res); i++)
		strmap_put(&agents, PQgetvalue(res, i, 0), PQgetvalue(res, i, 1)[0] == 't');
	PQclear(res);
	for (size_t i = 0; i < as.n; i++) {
		struct acc *a = &as.v[i];
		long k = -1, works;
		bool was_ok = a->ok;

		if (!a->v[ACC_REFERENCE])
			continue;
		if (a->v[ACC_CREDITOR] && !strmap_get(&creditors, a->v[ACC_CREDITOR], NULL)) {
			fault(r, a->line, "creditor", "no creditor \"%s\"", quoted(a->v[ACC_CREDITOR]));
			a->ok = false;
		}
		if (a->v[ACC_AGENT] && !strmap_get(&agents, a->v[ACC_AGENT], &works)) {
			fault(r, a->line, "agent", "no agent \"%s\"", quoted(a->v[ACC_AGENT]));
			a->ok = false;
		} else if (a->v[ACC_AGENT] && !works) {
			fault(r, a->line, "agent", "\"%s\" is not an active collector, supervisor or lead",
			      quoted(a->v[ACC_AGENT]));
			a->ok = false;
		}
		if (strmap_get(&known, a->v[ACC_REFERENCE], &k)) {
			if (a->v[ACC_CURRENCY] && strcmp(curs[k], a->v[ACC_CURRENCY])) {
				fault(r, a->line, "currency", "%s, but the account is in %s", a->v[ACC_CURRENCY], curs[k]);
				a->ok = false;
			}
		} else if (!a->v[ACC_AGENT] && !o->team) {
			fault(r, a->line, "agent", "empty, and a new account needs an agent (or --team)");
			a->ok = false;
		}
		if (!a->ok && was_ok)
			reject(r, a->line, a->end_line, true);
		else if (a->ok)
			ok_rows++;
	}
	for (long i = 0; i < (long)known.len; i++)
		free(curs[i]);
	free(curs);
	strmap_free(&refs), strmap_free(&known), strmap_free(&creditors), strmap_free(&agents);
	if (o->dry_run || (o->strict && r->nbad)) {
		progress_end(r);
		db_cmd(&c->db, "ROLLBACK");
		return finish(r, o, false, ok_rows, 0, NULL);
	}
	progress_say(r, "copying");
	stage(c, "accounts",
	      "line, ok, reference, debtor_name, national_id, mobile, mobile_kind, email, jurisdiction, time_zone, "
	      "language, creditor, product, currency, balance, past_due, due_date, segment, score, agent");
	for (size_t i = 0; i < as.n; i++) {
		struct acc *a = &as.v[i];
		char num[32];

		if (!a->v[ACC_REFERENCE])
			continue;
		buf_printf(&b, "%ld\t%s\t", a->line, a->ok ? "t" : "f");
		db_copy_field(&b, a->v[ACC_REFERENCE], false);
		if (!a->ok) {
			buf_puts(&b, "\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\n");
			copy_flush(c, &b, false);
			continue;
		}
		db_copy_field(&b, a->v[ACC_DEBTOR_NAME], false);
		db_copy_field(&b, a->v[ACC_NATIONAL_ID], false);
		db_copy_field(&b, a->v[ACC_MOBILE], false);
		db_copy_field(&b, a->v[ACC_MOBILE] ? a->mobile_kind : NULL, false);
		db_copy_field(&b, a->v[ACC_EMAIL], false);
		db_copy_field(&b, a->v[ACC_JURISDICTION], false);
		db_copy_field(&b, a->v[ACC_TIME_ZONE], false);
		db_copy_field(&b, a->v[ACC_LANGUAGE], false);
		db_copy_field(&b, a->v[ACC_CREDITOR], false);
		db_copy_field(&b, a->v[ACC_PRODUCT], false);
		db_copy_field(&b, a->v[ACC_CURRENCY], false);
		snprintf(num, sizeof num, "%lld", a->balance);
		db_copy_field(&b, num, false);
		snprintf(num, sizeof num, "%lld", a->past_due);
		db_copy_field(&b, num, false);
		db_copy_field(&b, a->v[ACC_DUE_DATE], false);
		db_copy_field(&b, a->v[ACC_SEGMENT], false);
		db_copy_field(&b, a->v[ACC_SCORE], false);
		db_copy_field(&b, a->v[ACC_AGENT], true);
		copy_flush(c, &b, false);
	}
	copy_flush(c, &b, true);
	buf_free(&b);
	free(as.v);
	if (!db_copy_end(&c->db))
		die("import: COPY: %s", c->db.err);
	progress_say(r, "applying");
	{
		char read[24], rej[24];
		const char *p[6] = { r->file, read, rej, o->reassign ? "t" : "f", o->full ? "t" : "f", o->team };

		snprintf(read, sizeof read, "%ld", r->read);
		snprintf(rej, sizeof rej, "%zu", r->nbad);
		res = db_exec(&c->db,
			      "SELECT created, updated, closed, debtors FROM cobro.import_accounts($1, $2, $3, $4, $5, $6)",
			      6, p);
		if (!res)
			die("import: %s", c->db.err);
	}
	snprintf(detail, sizeof detail, " (%s created, %s updated, %lld unchanged, %s closed; %s new debtor%s)",
		 PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
		 ok_rows - atoll(PQgetvalue(res, 0, 0)) - atoll(PQgetvalue(res, 0, 1)), PQgetvalue(res, 0, 2),
		 PQgetvalue(res, 0, 3), strcmp(PQgetvalue(res, 0, 3), "1") ? "s" : "");
	PQclear(res);
	save_rejects(r, o);
	if (!db_cmd(&c->db, "COMMIT"))
		die("import: %s", c->db.err);
	progress_end(r);
	return finish(r, o, true, ok_rows, 0, detail);
}

static int import_run(struct ctl *c, int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "dry-run", no_argument, NULL, 'n' },  { "strict", no_argument, NULL, 's' },
		{ "reassign", no_argument, NULL, 'r' }, { "full", no_argument, NULL, 'f' },
		{ "rejects", required_argument, NULL, 'R' }, { "team", required_argument, NULL, 't' },
		{ 0 },
	};
	struct opts o = { 0 };
	struct run r = { 0 };
	int ch;

	if (argc < 2)
		return ctl_usage(&ctl_import_cmd);
	r.kind = argv[1];
	optind = 2;
	while ((ch = getopt_long(argc, argv, "+", lopts, NULL)) != -1) {
		switch (ch) {
		case 'n': o.dry_run = true; break;
		case 's': o.strict = true; break;
		case 'r': o.reassign = true; break;
		case 'f': o.full = true; break;
		case 'R': o.rejects = optarg; break;
		case 't': o.team = optarg; break;
		default: return ctl_usage(&ctl_import_cmd);
		}
	}
	if (optind != argc - 1)
		return ctl_usage(&ctl_import_cmd);
	r.file = argv[optind];
	/* The rejects file is never the file being read (checked before
	 * anything is applied, since it is written after). */
	{
		struct stat a, b;

		if (o.rejects && stat(o.rejects, &b) == 0 && stat(r.file, &a) == 0 && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino)
			die("%s: the rejects file would overwrite the file imported", o.rejects);
	}
	if (!strcmp(r.kind, "payments")) {
		if (o.reassign || o.full || o.team)
			die("import payments: --reassign, --full and --team are for import accounts");
		r.cols = import_payment_columns;
		r.ncols = PAY_NCOLS;
		return import_payments(c, &r, &o);
	}
	if (!strcmp(r.kind, "accounts")) {
		r.cols = import_account_columns;
		r.ncols = ACC_NCOLS;
		return import_accounts(c, &r, &o);
	}
	return ctl_usage(&ctl_import_cmd);
}

const struct ctl_command ctl_import_cmd = {
	.name = "import",
	.usage = "  import payments [--dry-run] [--strict] [--rejects PATH] FILE\n"
		 "                               payments (reference,amount,paid_at,method,external_id), each once\n"
		 "  import accounts [--dry-run] [--strict] [--rejects PATH] [--reassign] [--full] [--team CODE] FILE\n"
		 "                               the portfolio: new accounts made, known ones brought up to date\n",
	.run = import_run,
};
