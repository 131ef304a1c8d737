/* CSV records through libcsv (csvfile.h). libcsv is fed one physical line at a
 * time: its state before each line says whether a record starts there, which
 * is how every record knows its line. */
#include "csvfile.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "util.h"

/* libcsv's parser state between records (libcsv keeps them private). */
#define ROW_NOT_BEGUN 0

struct rec {
	long line, end_line;
	int n, cap;
	char **f;
	int bad_field;
	char why[160];
};

struct csv_in {
	FILE *f;
	struct csv_parser p;
	char *linebuf;
	size_t linecap;
	long line;            /* the last physical line fed */
	long long offset;
	long next_start;      /* the line the record being built started on */
	bool first;           /* no line read yet: a BOM may come */
	bool eof;
	struct rec cur;       /* the record being built */
	struct rec *queue;    /* records complete, in order */
	int qhead, qlen, qcap;
	struct rec out;       /* the one csv_next handed out last */
};

static void rec_clear(struct rec *r)
{
	for (int i = 0; i < r->n; i++)
		free(r->f[i]);
	free(r->f);
	memset(r, 0, sizeof *r);
	r->bad_field = -1;
}

static void bad(struct rec *r, int field, const char *why)
{
	if (r->why[0])
		return; /* the first fault is the one said */
	r->bad_field = field;
	snprintf(r->why, sizeof r->why, "%s", why);
}

/* Spaces belong to the field (RFC 4180), unlike libcsv's default. */
static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void on_field(void *s, size_t len, void *data)
{
	struct csv_in *in = data;
	struct rec *r = &in->cur;
	char *v = xmalloc(len + 1);

	if (len)
		memcpy(v, s, len);
	v[len] = '\0';
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->f = xrealloc(r->f, (size_t)r->cap * sizeof *r->f);
	}
	if (memchr(v, '\0', len))
		bad(r, r->n, "contains a NUL byte");
	else if (!text_utf8_valid(v, len))
		bad(r, r->n, "is not valid UTF-8");
	r->f[r->n++] = v;
}

static void push(struct csv_in *in)
{
	if (in->qhead + in->qlen == in->qcap) {
		if (in->qhead > 0) {
			memmove(in->queue, in->queue + in->qhead, (size_t)in->qlen * sizeof *in->queue);
			in->qhead = 0;
		} else {
			in->qcap = in->qcap ? in->qcap * 2 : 4;
			in->queue = xrealloc(in->queue, (size_t)in->qcap * sizeof *in->queue);
		}
	}
	in->cur.end_line = in->line > in->cur.line ? in->line : in->cur.line;
	in->queue[in->qhead + in->qlen++] = in->cur;
	memset(&in->cur, 0, sizeof in->cur);
	in->cur.bad_field = -1;
}

static void on_record(int c, void *data)
{
	struct csv_in *in = data;

	(void)c;
	in->cur.line = in->next_start;
	push(in);
	/* A bare CR ends a record in the middle of a physical line. */
	in->next_start = in->line;
}

static void parser_init(struct csv_in *in)
{
	csv_init(&in->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
	csv_set_space_func(&in->p, no_space);
}

struct csv_in *csv_open(FILE *f)
{
	struct csv_in *in = xcalloc(1, sizeof *in);

	in->f = f;
	in->first = true;
	in->cur.bad_field = -1;
	parser_init(in);
	return in;
}

long long csv_offset(const struct csv_in *in)
{
	return in->offset;
}

/* A record that breaks the quoting rules ends where the fault is found: the
 * rest of its line is skipped and a fresh parser takes the next line. */
static void fault(struct csv_in *in, const char *why)
{
	in->cur.line = in->next_start;
	bad(&in->cur, in->cur.n, why);
	push(in);
	csv_free(&in->p);
	parser_init(in);
}

/* Feeds the next physical line; false at the end of the file. */
static bool feed(struct csv_in *in)
{
	ssize_t n;
	const char *s;

	if (in->eof)
		return false;
	n = getline(&in->linebuf, &in->linecap, in->f);
	if (n < 0) {
		in->eof = true;
		if (csv_fini(&in->p, on_field, on_record, in) != 0) {
			fault(in, "an unterminated quote: the quoted field runs to the end of the file");
			in->cur.bad_field = -1;
		} else if (in->cur.n > 0) {
			in->cur.line = in->next_start;
			push(in);
		}
		return in->qlen > 0;
	}
	in->line++;
	in->offset += n;
	s = in->linebuf;
	if (in->first) {
		in->first = false;
		if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
			s += 3, n -= 3;
	}
	if (in->p.pstate == ROW_NOT_BEGUN) {
		in->next_start = in->line;
		if ((n == 1 && s[0] == '\n') || (n == 2 && s[0] == '\r' && s[1] == '\n') || (n == 1 && s[0] == '\r')) {
			in->cur.line = in->line;
			bad(&in->cur, -1, "an empty line");
			push(in);
			return true;
		}
	}
	if (csv_parse(&in->p, s, (size_t)n, on_field, on_record, in) != (size_t)n)
		fault(in, csv_error(&in->p) == CSV_EPARSE
			      ? "a quote inside a field that does not start with one, or text after a closing quote"
			      : "too long");
	return true;
}

enum csv_status csv_next(struct csv_in *in, struct csv_record *out)
{
	rec_clear(&in->out);
	while (in->qlen == 0)
		if (!feed(in))
			return CSV_END;
	in->out = in->queue[in->qhead++];
	in->qlen--;
	memset(out, 0, sizeof *out);
	out->line = in->out.line;
	out->end_line = in->out.end_line;
	out->nfields = in->out.n;
	out->field = in->out.f;
	out->bad_field = in->out.bad_field;
	/* Copied only when there is a reason: a million records are good. */
	if (in->out.why[0])
		snprintf(out->why, sizeof out->why, "%s", in->out.why);
	return in->out.why[0] ? CSV_BAD : CSV_RECORD;
}

void csv_close(struct csv_in *in)
{
	if (!in)
		return;
	rec_clear(&in->out);
	rec_clear(&in->cur);
	for (int i = 0; i < in->qlen; i++)
		rec_clear(&in->queue[in->qhead + i]);
	free(in->queue);
	free(in->linebuf);
	csv_free(&in->p);
	free(in);
}

static void trim(const char *s, const char **b, size_t *n)
{
	size_t len = strlen(s);

	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	*b = s;
	*n = len;
}

bool csv_header_map(const struct csv_record *header, const struct csv_column *cols, int ncols, int *col_of,
		    char *err, size_t errlen)
{
	for (int i = 0; i < ncols; i++)
		col_of[i] = -1;
	for (int j = 0; j < header->nfields; j++) {
		const char *name;
		size_t len;
		int i;

		trim(header->field[j], &name, &len);
		for (i = 0; i < ncols; i++)
			if (strlen(cols[i].name) == len && !memcmp(cols[i].name, name, len))
				break;
		if (i == ncols) {
			snprintf(err, errlen, "unknown column \"%.*s\"", (int)(len > 40 ? 40 : len), name);
			return false;
		}
		if (col_of[i] >= 0) {
			snprintf(err, errlen, "column \"%s\" appears twice", cols[i].name);
			return false;
		}
		col_of[i] = j;
	}
	for (int i = 0; i < ncols; i++)
		if (cols[i].required && col_of[i] < 0) {
			snprintf(err, errlen, "missing column \"%s\"", cols[i].name);
			return false;
		}
	return true;
}

void csv_write_field(FILE *f, const char *s, bool last)
{
	if (strpbrk(s, ",\"\r\n")) {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
	fputs(last ? "\r\n" : ",", f);
}
