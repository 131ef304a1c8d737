/* The daily files cobroctl import reads (docs: cobroctl(1), IMPORTS): their
 * columns, and each value checked and normalised before anything is sent
 * to the database. Pure: no I/O (tz_cached() reads the zone data once),
 * no SQL. A check returns false with the reason in why, in English, worded
 * to follow "FILE:LINE: column: ". */
#ifndef COBRO_IMPORT_H
#define COBRO_IMPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "csvfile.h"

/* cobroctl import payments: reference,amount,paid_at,method,external_id */
enum {
	PAY_REFERENCE,
	PAY_AMOUNT,
	PAY_PAID_AT,
	PAY_METHOD,
	PAY_EXTERNAL_ID,
	PAY_NCOLS
};
extern const struct csv_column import_payment_columns[PAY_NCOLS];

/* cobroctl import accounts: the portfolio, one account a row (agent optional). */
enum {
	ACC_REFERENCE,
	ACC_DEBTOR_NAME,
	ACC_NATIONAL_ID,
	ACC_MOBILE,
	ACC_EMAIL,
	ACC_JURISDICTION,
	ACC_TIME_ZONE,
	ACC_LANGUAGE,
	ACC_CREDITOR,
	ACC_PRODUCT,
	ACC_CURRENCY,
	ACC_BALANCE,
	ACC_PAST_DUE,
	ACC_DUE_DATE,
	ACC_SEGMENT,
	ACC_SCORE,
	ACC_AGENT,
	ACC_NCOLS
};
extern const struct csv_column import_account_columns[ACC_NCOLS];

/* Longest values kept. */
#define IMPORT_WHEN_SIZE 40
#define IMPORT_EMAIL_MAX 254

/* An amount written with a dot for decimals ("1234.5", "1234.50", "0.01",
 * "1234") into minor units of a currency with `decimals` digits: no sign,
 * no thousands separator, no more decimals than the currency has, at most
 * 10^15 minor units. allow_zero: a balance may be 0, a payment may not. */
bool import_money(const char *s, int decimals, bool allow_zero, long long *minor, char *why, size_t n);

/* An ISO 8601 calendar date, YYYY-MM-DD, that exists (2026-02-30 does not);
 * years 1900 to 2999. out gets it again (11 bytes). */
bool import_date(const char *s, char *out, char *why, size_t n);

/* A date or a date-time: "2026-03-01", "2026-03-01T10:15", "2026-03-01 10:15:30",
 * with seconds' fractions, and "Z" or an offset ("+01:00", "-0500"). out
 * (IMPORT_WHEN_SIZE) gets what PostgreSQL reads: "2026-03-01 10:15:30" with
 * the offset when one was given ("2026-03-01 10:15:30+01:00"); a value
 * without one is the debtor's local time, which the database applies. */
bool import_when(const char *s, char *out, char *why, size_t n);

/* Whether a payment's moment, as import_when() wrote it, may have happened
 * by now (seconds since the epoch): its date is at most the day after
 * today in UTC, which is today somewhere (a zone is at most 14 hours ahead).
 * A payment dated later would lower a balance now that the promise keeper
 * counts only then; why gets the reason. */
bool import_paid_by(const char *when, int64_t now, char *why, size_t n);

/* An email address, lower-cased into out (IMPORT_EMAIL_MAX + 1): one @, a
 * local part and a domain with a dot, no spaces or control characters. */
bool import_email(const char *s, char *out, size_t outlen, char *why, size_t n);

/* A reference, product, external id, name: not empty once trimmed, at most
 * max bytes, no control characters. out gets it trimmed; may be s. */
bool import_text(const char *s, size_t max, char *out, size_t outlen, char *why, size_t n);

/* A code: lower case letters, digits, _ and -, starting with a letter, at
 * most 32 ("transfer", "standard"). */
bool import_code(const char *s, char *why, size_t n);

/* A jurisdiction cobro collects in: "PE", "MX", "CO", "CL", "AR", "ES",
 * "US" or "US-XX". */
bool import_jurisdiction(const char *s, char *why, size_t n);

/* An IANA time zone the system knows ("America/Lima"). */
bool import_time_zone(const char *s, char *why, size_t n);

/* An account's oldest due date (YYYY-MM-DD, as import_date() wrote it)
 * when an amount is past due: not after the debtor's today in zone at the
 * instant now (seconds since the epoch). A date still to come cannot have
 * fallen due. */
bool import_due_passed(const char *date, const char *zone, int64_t now, char *why, size_t n);

/* A whole number from lo to hi. */
bool import_int(const char *s, long lo, long hi, long *out, char *why, size_t n);

#endif
