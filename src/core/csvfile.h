/* CSV files from outside (the daily payments and portfolio, cobroctl
 * import): RFC 4180 through libcsv, one record at a time, each with the
 * physical line it starts on, so that every complaint can say FILE:LINE.
 * A UTF-8 BOM is skipped, CRLF and LF both end a record, quoted fields may
 * hold commas, doubled quotes and line breaks. A record that is not well
 * formed (an unterminated quote, a quote inside an unquoted field, invalid
 * UTF-8, a NUL byte, an empty line) is returned as bad with the reason, and
 * reading goes on with the next line. No I/O besides the FILE given. */
#ifndef COBRO_CSVFILE_H
#define COBRO_CSVFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct csv_in;

struct csv_record {
	long line;        /* the physical line (from 1) the record starts on */
	long end_line;    /* and the one it ends on */
	int nfields;
	char **field;     /* NUL-terminated, valid UTF-8; the reader's until the next call */
	/* For a bad record: which field (0-based) is wrong, or -1 for the
	 * record as a whole; and why, in English. */
	int bad_field;
	char why[160];
};

enum csv_status {
	CSV_RECORD = 1, /* a well-formed record in *rec */
	CSV_END = 0,    /* no more records */
	CSV_BAD = -1,   /* a record that is not well formed: rec->line, bad_field, why */
};

/* Writes s as one field of a CSV record to f, RFC 4180: quoted when it holds
 * a comma, a quote or a line break (its quotes doubled); then a comma, or
 * CRLF when it is the record's last. What csv_next() reads back as s. */
void csv_write_field(FILE *f, const char *s, bool last);

/* Reads from f (not closed by csv_close). */
struct csv_in *csv_open(FILE *f);
enum csv_status csv_next(struct csv_in *in, struct csv_record *rec);
/* Bytes read so far, for a progress bar. */
long long csv_offset(const struct csv_in *in);
void csv_close(struct csv_in *in);

/* A column a file may have: by name, required or optional. */
struct csv_column {
	const char *name;
	bool required;
};

/* Maps a header record to the columns: col_of[i] is the header's position
 * of cols[i], or -1 for an optional column that is absent. An unknown
 * column, a repeated one or a missing required one is refused with a
 * message in err ("unknown column \"amout\"", "missing column \"paid_at\"").
 * Names are compared exactly, after trimming spaces. */
bool csv_header_map(const struct csv_record *header, const struct csv_column *cols, int ncols, int *col_of,
		    char *err, size_t errlen);

#endif
