/* The import files' CSV reader (src/core/csvfile.c): any bytes read whole,
 * and what is asked of every record: lines that never go back, fields of
 * valid UTF-8 without NUL, a reason for each bad one; then the first record
 * as a header of either import, and each value through the import checks. */
#include "fuzz.h"

#include "csvfile.h"
#include "import.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f;
	struct csv_in *in;
	struct csv_record r;
	enum csv_status st;
	long last = 0;
	bool first = true;

	if (size == 0)
		return 0;
	f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	in = csv_open(f);
	while ((st = csv_next(in, &r)) != CSV_END) {
		FUZZ_ASSERT(r.line >= 1 && r.line >= last, "line %ld after %ld", r.line, last);
		last = r.line;
		if (st == CSV_BAD) {
			FUZZ_ASSERT(r.why[0] != '\0', "a bad record without a reason");
			FUZZ_ASSERT(r.bad_field >= -1, "bad field %d", r.bad_field);
			continue;
		}
		FUZZ_ASSERT(r.nfields >= 1, "a record of no fields");
		for (int i = 0; i < r.nfields; i++) {
			char out[IMPORT_WHEN_SIZE + IMPORT_EMAIL_MAX + 64], why[160];
			long long m;
			long v;

			FUZZ_ASSERT(text_utf8_valid(r.field[i], strlen(r.field[i])), "field %d not UTF-8", i);
			import_money(r.field[i], i % 4, i % 2, &m, why, sizeof why);
			import_date(r.field[i], out, why, sizeof why);
			if (import_when(r.field[i], out, why, sizeof why))
				FUZZ_ASSERT(strlen(out) >= 19 && strlen(out) < IMPORT_WHEN_SIZE, "when \"%s\"", out);
			if (import_email(r.field[i], out, sizeof out, why, sizeof why))
				FUZZ_ASSERT(strchr(out, '@') && !strpbrk(out, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"), "email \"%s\"", out);
			import_text(r.field[i], 64, out, sizeof out, why, sizeof why);
			import_code(r.field[i], why, sizeof why);
			import_jurisdiction(r.field[i], why, sizeof why);
			import_int(r.field[i], 0, 1000, &v, why, sizeof why);
		}
		if (first) {
			int pc[PAY_NCOLS], ac[ACC_NCOLS];
			char err[128];

			csv_header_map(&r, import_payment_columns, PAY_NCOLS, pc, err, sizeof err);
			csv_header_map(&r, import_account_columns, ACC_NCOLS, ac, err, sizeof err);
			first = false;
		}
	}
	FUZZ_ASSERT(csv_offset(in) == (long long)size, "read %lld of %zu bytes", csv_offset(in), size);
	csv_close(in);
	fclose(f);
	return 0;
}
