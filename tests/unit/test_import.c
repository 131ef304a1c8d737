/* src/core/csvfile.c, src/core/import.c and src/core/strmap.c: the CSV
 * reader of cobroctl import (RFC 4180 through libcsv, each record's physical
 * line, BOM, CRLF, faults named), every rule a value of the import files is
 * checked by, and the look-ups' map. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "csvfile.h"
#include "import.h"
#include "tz.h"
#include "strmap.h"

/* Reads text whole: each record as "LINE:f1|f2|..." or "LINE:!FIELD:why",
 * one per line of out. */
static void read_all(const char *text, char *out, size_t n)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	struct csv_in *in = csv_open(f);
	struct csv_record r;
	enum csv_status st;
	size_t off = 0;

	out[0] = '\0';
	while ((st = csv_next(in, &r)) != CSV_END) {
		off += (size_t)snprintf(out + off, n - off, "%ld:", r.line);
		if (st == CSV_BAD) {
			off += (size_t)snprintf(out + off, n - off, "!%d:%s\n", r.bad_field, r.why);
			continue;
		}
		for (int i = 0; i < r.nfields; i++)
			off += (size_t)snprintf(out + off, n - off, "%s%s", i ? "|" : "", r.field[i]);
		off += (size_t)snprintf(out + off, n - off, "\n");
	}
	csv_close(in);
	fclose(f);
}

static void records_know_their_physical_line(void **state)
{
	char out[1024];

	(void)state;
	read_all("a,b\n1,2\n\"x\ny\",3\n4,5\n", out, sizeof out);
	assert_string_equal(out, "1:a|b\n2:1|2\n3:x\ny|3\n5:4|5\n");
}

static void bom_crlf_and_rfc4180_quoting(void **state)
{
	char out[1024];

	(void)state;
	read_all("\xEF\xBB\xBFreference,amount\r\n\"A,1\",\"say \"\"hi\"\"\"\r\n B , 2 \r\n", out, sizeof out);
	/* The BOM is gone, CRLF ends records, quoted commas and quotes are
	 * kept, and spaces belong to the field. */
	assert_string_equal(out, "1:reference|amount\n2:A,1|say \"hi\"\n3: B | 2 \n");
	/* The last record needs no line break. */
	read_all("a,b\n1,2", out, sizeof out);
	assert_string_equal(out, "1:a|b\n2:1|2\n");
}

/* What cobroctl report writes (csv_write_field()) reads back field for
 * field: commas, quotes and line breaks quoted, CRLF after the last. */
static void written_fields_read_back(void **state)
{
	static const char *const fields[] = { "plain", "a,b", "say \"hi\"", "two\nlines", "", "CLP 1;PEN 2" };
	char text[512], out[512];
	FILE *f = fmemopen(text, sizeof text, "w");

	(void)state;
	for (int i = 0; i < 6; i++)
		csv_write_field(f, fields[i], i == 5);
	fclose(f);
	assert_string_equal(text, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,CLP 1;PEN 2\r\n");
	read_all(text, out, sizeof out);
	assert_string_equal(out, "1:plain|a,b|say \"hi\"|two\nlines||CLP 1;PEN 2\n");
}

static void faults_are_named_and_reading_goes_on(void **state)
{
	char out[2048];

	(void)state;
	read_all("a,b\n\n1,x\"y\n2,\xff\xfe\n3,ok\n", out, sizeof out);
	assert_string_equal(out, "1:a|b\n"
				 "2:!-1:an empty line\n"
				 "3:!1:a quote inside a field that does not start with one, or text after a closing quote\n"
				 "4:!1:is not valid UTF-8\n"
				 "5:3|ok\n");
	read_all("a,b\n1,\"open\n2,3\n", out, sizeof out);
	assert_string_equal(out, "1:a|b\n2:!1:an unterminated quote: the quoted field runs to the end of the file\n");
	read_all("a,b\r\n\r\n1,2\r\n", out, sizeof out);
	assert_string_equal(out, "1:a|b\n2:!-1:an empty line\n3:1|2\n");
}

static void a_nul_byte_is_refused(void **state)
{
	static const char text[] = "a,b\n1,x\0y\n2,3\n";
	FILE *f = fmemopen((void *)text, sizeof text - 1, "r");
	struct csv_in *in = csv_open(f);
	struct csv_record r;

	(void)state;
	assert_int_equal(csv_next(in, &r), CSV_RECORD);
	assert_int_equal(csv_next(in, &r), CSV_BAD);
	assert_int_equal(r.line, 2);
	assert_int_equal(r.bad_field, 1);
	assert_string_equal(r.why, "contains a NUL byte");
	assert_int_equal(csv_next(in, &r), CSV_RECORD);
	assert_string_equal(r.field[0], "2");
	assert_int_equal(csv_next(in, &r), CSV_END);
	assert_int_equal(csv_offset(in), (long long)sizeof text - 1);
	csv_close(in);
	fclose(f);
}

static void header_in_any_order_and_its_faults(void **state)
{
	char *f1[] = { "external_id", " amount", "paid_at", "reference", "method" };
	char *f2[] = { "reference", "amount", "paid_at", "method" };
	char *f3[] = { "reference", "amount", "paid_at", "method", "external_id", "amount" };
	char *f4[] = { "reference", "amout", "paid_at", "method", "external_id" };
	struct csv_record h = { .line = 1 };
	int col[PAY_NCOLS], acol[ACC_NCOLS];
	char err[128];

	(void)state;
	h.field = f1, h.nfields = 5;
	assert_true(csv_header_map(&h, import_payment_columns, PAY_NCOLS, col, err, sizeof err));
	assert_int_equal(col[PAY_REFERENCE], 3);
	assert_int_equal(col[PAY_AMOUNT], 1);
	assert_int_equal(col[PAY_EXTERNAL_ID], 0);
	h.field = f2, h.nfields = 4;
	assert_false(csv_header_map(&h, import_payment_columns, PAY_NCOLS, col, err, sizeof err));
	assert_string_equal(err, "missing column \"external_id\"");
	h.field = f3, h.nfields = 6;
	assert_false(csv_header_map(&h, import_payment_columns, PAY_NCOLS, col, err, sizeof err));
	assert_string_equal(err, "column \"amount\" appears twice");
	h.field = f4, h.nfields = 5;
	assert_false(csv_header_map(&h, import_payment_columns, PAY_NCOLS, col, err, sizeof err));
	assert_string_equal(err, "unknown column \"amout\"");
	/* agent is the accounts file's one optional column. */
	{
		char *fa[ACC_NCOLS - 1];

		for (int i = 0; i < ACC_NCOLS - 1; i++)
			fa[i] = (char *)import_account_columns[ACC_NCOLS - 2 - i].name;
		h.field = fa, h.nfields = ACC_NCOLS - 1;
		assert_true(csv_header_map(&h, import_account_columns, ACC_NCOLS, acol, err, sizeof err));
		assert_int_equal(acol[ACC_AGENT], -1);
		assert_int_equal(acol[ACC_REFERENCE], ACC_NCOLS - 2);
	}
}

static void money_with_a_dot_into_minor_units(void **state)
{
	long long v;
	char why[160];

	(void)state;
	assert_true(import_money("1234.5", 2, false, &v, why, sizeof why));
	assert_int_equal(v, 123450);
	assert_true(import_money("0.01", 2, false, &v, why, sizeof why));
	assert_int_equal(v, 1);
	assert_true(import_money("1234", 2, false, &v, why, sizeof why));
	assert_int_equal(v, 123400);
	assert_true(import_money("15000", 0, false, &v, why, sizeof why));
	assert_int_equal(v, 15000);
	assert_true(import_money("0", 2, true, &v, why, sizeof why));
	assert_int_equal(v, 0);
	assert_false(import_money("0.00", 2, false, &v, why, sizeof why));
	assert_string_equal(why, "\"0.00\" is zero");
	assert_false(import_money("-5.00", 2, false, &v, why, sizeof why));
	assert_string_equal(why, "\"-5.00\" is negative");
	assert_false(import_money("1,234.50", 2, false, &v, why, sizeof why));
	assert_string_equal(why, "\"1,234.50\" is not an amount such as 1234.50 (a dot for decimals, no separators)");
	assert_false(import_money("12.345", 2, false, &v, why, sizeof why));
	assert_string_equal(why, "\"12.345\" has more than 2 decimals");
	assert_false(import_money("100.5", 0, false, &v, why, sizeof why));
	assert_string_equal(why, "\"100.5\" has more than 0 decimals");
	assert_false(import_money("12.", 2, false, &v, why, sizeof why));
	assert_false(import_money(".5", 2, false, &v, why, sizeof why));
	assert_false(import_money("abc", 2, false, &v, why, sizeof why));
	assert_false(import_money("", 2, false, &v, why, sizeof why));
	assert_false(import_money("+5", 2, false, &v, why, sizeof why));
	assert_false(import_money("1e3", 2, false, &v, why, sizeof why));
	assert_false(import_money("99999999999999999999", 2, false, &v, why, sizeof why));
	assert_string_equal(why, "\"99999999999999999999\" is too large");
}

static void dates_exist_or_are_refused(void **state)
{
	char out[IMPORT_WHEN_SIZE], why[160];

	(void)state;
	assert_true(import_date("2028-02-29", out, why, sizeof why));
	assert_string_equal(out, "2028-02-29");
	assert_false(import_date("2026-02-30", out, why, sizeof why));
	assert_string_equal(why, "\"2026-02-30\": that day does not exist (2026-02 has 28 days)");
	assert_false(import_date("2027-02-29", out, why, sizeof why));
	assert_false(import_date("2100-02-29", out, why, sizeof why));
	assert_true(import_date("2000-02-29", out, why, sizeof why));
	assert_false(import_date("2026-13-01", out, why, sizeof why));
	assert_string_equal(why, "\"2026-13-01\": there is no month 13");
	assert_false(import_date("2026-04-31", out, why, sizeof why));
	assert_false(import_date("31/03/2026", out, why, sizeof why));
	assert_string_equal(why, "\"31/03/2026\" is not a date such as 2026-03-31 (YYYY-MM-DD)");
	assert_false(import_date("2026-3-1", out, why, sizeof why));
	assert_false(import_date("2026-03-01T10:00", out, why, sizeof why));
}

/* An amount past due fell due on a day that has come, in the debtor's
 * zone: at 2026-12-07 03:00Z it is still the 6th in Lima, the 7th in Madrid. */
static void a_past_due_date_has_come(void **state)
{
	char why[160];
	int64_t now = (days_from_civil(2026, 12, 7) * 86400) + 3 * 3600;

	(void)state;
	assert_true(import_due_passed("2026-12-06", "America/Lima", now, why, sizeof why));
	assert_false(import_due_passed("2026-12-07", "America/Lima", now, why, sizeof why));
	assert_string_equal(why, "\"2026-12-07\" is after the debtor's today (2026-12-06), and an amount is past due");
	assert_true(import_due_passed("2026-12-07", "Europe/Madrid", now, why, sizeof why));
	assert_false(import_due_passed("2027-01-06", "Europe/Madrid", now, why, sizeof why));
	assert_true(import_due_passed("2000-02-29", "UTC", now, why, sizeof why));
}

static void a_payment_has_been_made(void **state)
{
	char why[200];
	int64_t now = days_from_civil(2026, 12, 7) * 86400 + 23 * 3600; /* 23:00 UTC */

	(void)state;
	assert_true(import_paid_by("2026-12-07 10:00:00", now, why, sizeof why));
	assert_true(import_paid_by("2020-01-01 00:00:00", now, why, sizeof why));
	/* Tomorrow in UTC is today east of it (Pacific/Kiritimati, +14). */
	assert_true(import_paid_by("2026-12-08 09:00:00+14:00", now, why, sizeof why));
	assert_false(import_paid_by("2026-12-09 00:00:00", now, why, sizeof why));
	assert_string_equal(why, "\"2026-12-09\" has not come yet (today is 2026-12-07 in UTC): a payment is imported "
	                         "once made");
	assert_false(import_paid_by("2999-01-01 00:00:00", now, why, sizeof why));
}

static void date_times_with_and_without_an_offset(void **state)
{
	char out[IMPORT_WHEN_SIZE], why[160];

	(void)state;
	assert_true(import_when("2026-03-01", out, why, sizeof why));
	assert_string_equal(out, "2026-03-01 00:00:00");
	assert_true(import_when("2026-03-01T10:15", out, why, sizeof why));
	assert_string_equal(out, "2026-03-01 10:15:00");
	assert_true(import_when("2026-03-01 10:15:30.25Z", out, why, sizeof why));
	assert_string_equal(out, "2026-03-01 10:15:30.25+00:00");
	assert_true(import_when("2026-03-01T10:15:30-0500", out, why, sizeof why));
	assert_string_equal(out, "2026-03-01 10:15:30-05:00");
	assert_true(import_when("2026-03-01T10:15:30+05:30", out, why, sizeof why));
	assert_string_equal(out, "2026-03-01 10:15:30+05:30");
	assert_false(import_when("2026-02-30T10:00", out, why, sizeof why));
	assert_string_equal(why, "\"2026-02-30T10:00\": that day does not exist (2026-02 has 28 days)");
	assert_false(import_when("2026-03-01T24:00", out, why, sizeof why));
	assert_string_equal(why, "\"2026-03-01T24:00\": that time does not exist");
	assert_false(import_when("2026-03-01T10:00+5", out, why, sizeof why));
	assert_false(import_when("2026-03-01X10:00", out, why, sizeof why));
	assert_false(import_when("yesterday", out, why, sizeof why));
	assert_false(import_when("", out, why, sizeof why));
}

static void emails_lower_cased_and_checked(void **state)
{
	char out[IMPORT_EMAIL_MAX + 1], why[160];

	(void)state;
	assert_true(import_email("Ana.Perez@Example.COM", out, sizeof out, why, sizeof why));
	assert_string_equal(out, "ana.perez@example.com");
	assert_false(import_email("ana perez@example.com", out, sizeof out, why, sizeof why));
	assert_false(import_email("ana@example", out, sizeof out, why, sizeof why));
	assert_string_equal(why, "\"ana@example\": the domain is not a domain such as example.com");
	assert_false(import_email("@example.com", out, sizeof out, why, sizeof why));
	assert_false(import_email("a@b@example.com", out, sizeof out, why, sizeof why));
	assert_false(import_email("ana@example..com", out, sizeof out, why, sizeof why));
	assert_false(import_email("ana@example.com.", out, sizeof out, why, sizeof why));
}

static void texts_codes_places_and_numbers(void **state)
{
	char out[64], why[160];
	long v;

	(void)state;
	assert_true(import_text("  CR-001 ", 64, out, sizeof out, why, sizeof why));
	assert_string_equal(out, "CR-001");
	assert_false(import_text("   ", 64, out, sizeof out, why, sizeof why));
	assert_string_equal(why, "empty");
	assert_false(import_text("a\nb", 64, out, sizeof out, why, sizeof why));
	assert_false(import_text("abcdef", 5, out, sizeof out, why, sizeof why));
	assert_string_equal(why, "longer than 5 bytes");
	assert_true(import_code("transfer", why, sizeof why));
	assert_false(import_code("Transfer", why, sizeof why));
	assert_false(import_code("", why, sizeof why));
	assert_true(import_jurisdiction("PE", why, sizeof why));
	assert_true(import_jurisdiction("US-MA", why, sizeof why));
	assert_false(import_jurisdiction("PE-LI", why, sizeof why));
	assert_false(import_jurisdiction("FR", why, sizeof why));
	assert_false(import_jurisdiction("pe", why, sizeof why));
	assert_true(import_time_zone("America/Lima", why, sizeof why));
	assert_false(import_time_zone("America/Atlantis", why, sizeof why));
	assert_string_equal(why, "\"America/Atlantis\" is not a time zone (such as America/Lima)");
	assert_false(import_time_zone("../../etc/passwd", why, sizeof why));
	assert_true(import_int("1000", 0, 1000, &v, why, sizeof why));
	assert_int_equal(v, 1000);
	assert_false(import_int("1001", 0, 1000, &v, why, sizeof why));
	assert_false(import_int("-1", 0, 1000, &v, why, sizeof why));
	assert_false(import_int("5.5", 0, 1000, &v, why, sizeof why));
}

static void strmap_keeps_every_key_through_growth(void **state)
{
	struct strmap m = { 0 };
	char k[32];
	long v;

	(void)state;
	for (long i = 0; i < 20000; i++) {
		snprintf(k, sizeof k, "REF-%ld", i);
		assert_true(strmap_put(&m, k, i));
	}
	assert_int_equal(m.len, 20000);
	assert_false(strmap_put(&m, "REF-7", 70)); /* known: the value is replaced */
	assert_true(strmap_get(&m, "REF-7", &v));
	assert_int_equal(v, 70);
	assert_true(strmap_get(&m, "REF-19999", &v));
	assert_int_equal(v, 19999);
	assert_false(strmap_get(&m, "REF-20000", &v));
	assert_false(strmap_get(&m, "", NULL));
	strmap_free(&m);
	assert_false(strmap_get(&m, "REF-1", NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(records_know_their_physical_line),
		cmocka_unit_test(bom_crlf_and_rfc4180_quoting),
		cmocka_unit_test(written_fields_read_back),
		cmocka_unit_test(faults_are_named_and_reading_goes_on),
		cmocka_unit_test(a_nul_byte_is_refused),
		cmocka_unit_test(header_in_any_order_and_its_faults),
		cmocka_unit_test(money_with_a_dot_into_minor_units),
		cmocka_unit_test(dates_exist_or_are_refused),
		cmocka_unit_test(a_past_due_date_has_come),
		cmocka_unit_test(a_payment_has_been_made),
		cmocka_unit_test(date_times_with_and_without_an_offset),
		cmocka_unit_test(emails_lower_cased_and_checked),
		cmocka_unit_test(texts_codes_places_and_numbers),
		cmocka_unit_test(strmap_keeps_every_key_through_growth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
