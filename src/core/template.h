/* Message templates: text with placeholders such as {debtor.first_name} and
 * {account.past_due}, checked when saved and rendered with one account's
 * data when a message is queued; and the file format of etc/templates that
 * `cobroctl template add FILE` reads. Pure: no SQL, no curses, no I/O.
 *
 * Syntax: {name} is a placeholder from template_placeholders; {{ and }}
 * are a literal { and }. Anything else between braces, an unclosed { and a
 * lone } are refused with the line and column. */
#ifndef COBRO_TEMPLATE_H
#define COBRO_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

struct template_placeholder {
	const char *name;    /* as written between the braces: "account.past_due" */
	const char *meaning; /* English, marked N_() for gettext */
};
extern const struct template_placeholder template_placeholders[];
extern const size_t template_nplaceholders;

/* The placeholder called name (len bytes), or NULL. */
const struct template_placeholder *template_placeholder_find(const char *name, size_t len);

/* What one message is rendered with. Strings may be NULL (or "") when the
 * data is missing; dates are "YYYY-MM-DD" in the debtor's time zone; money
 * is in minor units of the given ISO 4217 currency. */
struct template_data {
	const char *language; /* the debtor's: "es" or "en", for money and dates */
	const char *country;  /* the debtor's jurisdiction ("PE", "US-MA"): whose "$" it is; NULL: unknown */

	const char *debtor_name;
	const char *debtor_first_name; /* NULL or "": the first word of debtor_name */

	bool has_account;
	const char *account_reference;
	const char *currency; /* the account's */
	long long balance;
	long long past_due;
	const char *due_date; /* oldest unpaid installment, NULL when none */
	long long due_amount; /* what is unpaid of it */

	bool has_promise; /* the pending (or just broken) promise */
	long long promise_amount;
	const char *promise_currency; /* NULL: the account's */
	const char *promise_date;

	bool has_payment; /* the latest payment */
	long long payment_amount;
	const char *payment_currency; /* NULL: the account's */
	const char *payment_date;

	const char *creditor_name;
	const char *agent_name; /* NULL when automation sends the message */
	const char *pay_link;   /* the creditor's link for this account, NULL when none */
};

/* Whether text is a valid template: UTF-8, known placeholders, balanced
 * braces. If not, false and an English reason with its place in err:
 * "line 2, column 14: unknown placeholder {debtor.firstname}; did you mean
 * {debtor.first_name}?". err may be NULL. */
bool template_check(const char *text, char *err, size_t errsize);

/* Renders text with d into a malloc'd string. Returns NULL when the
 * template does not check (the reason as above) or some data it needs is
 * missing; the reason then names every such placeholder: "{promise.amount}:
 * the account has no promise to pay; {pay_link}: the creditor has no payment
 * link". */
char *template_render(const char *text, const struct template_data *d, char *err, size_t errsize);

/* Money as the debtor reads it: the currency's customary style in Spanish
 * ("S/ 1,234.50", "$1.234" for CLP, "1.234,50 €"), and in English always a
 * comma between thousands and a point before decimals ("$1,234" for CLP,
 * "€1,234.50"), since an English reader takes "$1.234" for one dollar. */
char *template_money(char *out, size_t n, long long minor, const char *currency, const char *language);

/* Money as a debtor of country reads it in a message (issue 15, line 10):
 * template_money(), and when the currency is not the country's own
 * (money_home_currency()) a symbol that cannot be taken for it: a "$"
 * becomes "US$" for USD and the ISO code for any other ("MXN 1,234.50"),
 * since a Peruvian reads "$261.00" as nobody's money and a Mexican as pesos.
 * country NULL or unknown: as template_money(). */
char *template_money_for(char *out, size_t n, long long minor, const char *currency, const char *language,
			 const char *country);

/* A date "YYYY-MM-DD" written out in full, which no reader can take the
 * wrong way round: "24 de noviembre de 2026", "November 24, 2026". False
 * (out "") when it is not a valid date or the language is not es or en. */
bool template_date(char *out, size_t n, const char *ymd, const char *language);

/* Data with every field present and as long as real accounts make it (a
 * 40-character name, millions in PEN, a long payment link), for previews
 * and for checking that an SMS template fits its segments. */
void template_sample(struct template_data *d, const char *language);

/* The facts a template may require of its account: the "requires:" line
 * of a .tpl file, stored with the template (cobro.template.requires). The
 * send screen offers first the templates whose facts hold and greys the
 * rest with the reason; cobrod tests them again when it sends. */
enum template_fact {
	TF_PAST_DUE,        /* past_due: an amount is unpaid since before today */
	TF_NOT_DUE,         /* not_due: nothing is past due, an installment is still to pay */
	TF_PROMISE_PENDING, /* promise_pending: the promise is pending and its date has not passed */
	TF_PROMISE_BROKEN,  /* promise_broken: broken, or pending with its date passed */
	TF_PROMISE_KEPT,    /* promise_kept: the promise was kept */
	TF_PAYMENT,         /* payment: the account has a payment */
	TF_COUNT
};
/* The facts' names as a .tpl file and the database write them. */
extern const char *const template_fact_names[TF_COUNT];

/* The facts of one account a template's requirements are tested against.
 * The promise is the one a message speaks of ({promise.amount}): the
 * pending one, else the latest. */
struct template_account {
	const char *today;          /* "YYYY-MM-DD": the debtor's day */
	long long past_due;         /* minor units */
	const char *oldest_due;     /* oldest unpaid installment's due date; NULL or "" when none */
	bool unpaid;                /* some installment is not paid in full */
	const char *promise_status; /* pending, kept, broken, cancelled; NULL or "" when none */
	const char *promise_date;   /* its due date, "YYYY-MM-DD" */
	bool has_payment;
};

/* The one test of a template's facts (a set of 1u << TF_x) against an
 * account, for the send screen and for cobrod at send time: true when every
 * required fact holds; else false and *why (may be NULL) says, in English
 * marked N_() for gettext, why the first one that does not hold is false:
 * "nothing is past due", "the promise was kept". */
bool template_fits(unsigned required, const struct template_account *a, const char **why);

/* The facts from a "requires:" value ("promise_broken past_due", spaces or
 * commas between): false with the reason when a word is not a fact. */
bool template_facts_parse(const char *text, unsigned *out, char *err, size_t errsize);
/* The facts as the database's text[] literal "{past_due,promise_broken}". */
char *template_facts_array(unsigned facts, char *out, size_t n);
/* The facts as words, "past_due promise_broken" ("" for none). */
char *template_facts_words(unsigned facts, char *out, size_t n);

/* One template file of etc/templates:
 *
 *	# comment lines start with #
 *	code: overdue_notice
 *	channel: sms
 *	language: es
 *	subject: ...                 (email only, and required there)
 *	requires: promise_broken     (optional: the facts it states, template_fact)
 *
 *	The body, after the first empty line, to the end of the file.
 *
 * Header keys appear once each. Lines may end in CRLF; trailing empty lines
 * and spaces at the end of the body are dropped. */
struct template_def {
	char code[64];   /* [a-z][a-z0-9_]*, at most 63 */
	char channel[9]; /* sms, email, whatsapp, letter */
	char language[3];
	char *subject; /* malloc'd; NULL unless the channel is email */
	char *body;    /* malloc'd */
	unsigned requires; /* 1u << TF_x of each fact the "requires:" line names */
	int body_line; /* the file's line where the body starts */
};

/* Parses a template file's text; name is the file's name for messages.
 * Also checks subject and body (template_check). On failure returns false,
 * out holds nothing to free, and err reads "NAME:LINE: reason" or
 * "NAME:LINE:COLUMN: reason". */
bool template_parse_file(const char *name, const char *text, struct template_def *out, char *err,
			 size_t errsize);
void template_def_free(struct template_def *def);

#endif
