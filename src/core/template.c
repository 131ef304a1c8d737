/* Templates: placeholders, checking, rendering, money and dates in the
 * debtor's language, and the template file format (see template.h and
 * etc/templates/README).
 *
 * One scanner (walk) serves check and render, so that whatever passes the
 * check when a template is saved is read the same way when it is sent. */
#include "template.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "money.h"
#include "util.h"

/* The meanings are translated where they are shown; N_ only marks them. */
#ifndef N_
#define N_(s) (s)
#endif

enum ph {
	PH_DEBTOR_NAME,
	PH_DEBTOR_FIRST_NAME,
	PH_ACCOUNT_REFERENCE,
	PH_ACCOUNT_BALANCE,
	PH_ACCOUNT_PAST_DUE,
	PH_ACCOUNT_DUE_DATE,
	PH_ACCOUNT_DUE_AMOUNT,
	PH_PROMISE_AMOUNT,
	PH_PROMISE_DATE,
	PH_PAYMENT_AMOUNT,
	PH_PAYMENT_DATE,
	PH_CREDITOR_NAME,
	PH_AGENT_NAME,
	PH_PAY_LINK,
	PH_COUNT
};

/* clang-format off */
const struct template_placeholder template_placeholders[] = {
	[PH_DEBTOR_NAME] = { "debtor.name", N_("the debtor's full name") },
	[PH_DEBTOR_FIRST_NAME] = { "debtor.first_name", N_("the debtor's first name") },
	[PH_ACCOUNT_REFERENCE] = { "account.reference", N_("the account's reference") },
	[PH_ACCOUNT_BALANCE] = { "account.balance", N_("the account's whole balance") },
	[PH_ACCOUNT_PAST_DUE] = { "account.past_due", N_("the account's past-due amount") },
	[PH_ACCOUNT_DUE_DATE] = { "account.due_date",
				  N_("the due date of the oldest unpaid installment (the next one when "
				     "nothing is late)") },
	[PH_ACCOUNT_DUE_AMOUNT] = { "account.due_amount", N_("what is unpaid of that installment") },
	[PH_PROMISE_AMOUNT] = { "promise.amount", N_("the amount of the promise to pay") },
	[PH_PROMISE_DATE] = { "promise.date", N_("the date the debtor promised to pay by") },
	[PH_PAYMENT_AMOUNT] = { "payment.amount", N_("the amount of the latest payment") },
	[PH_PAYMENT_DATE] = { "payment.date", N_("the date of the latest payment") },
	[PH_CREDITOR_NAME] = { "creditor.name", N_("the creditor's name") },
	[PH_AGENT_NAME] = { "agent.name", N_("the collector who sends the message (none when automation does)") },
	[PH_PAY_LINK] = { "pay_link", N_("the creditor's payment link for this account") },
};
/* clang-format on */
const size_t template_nplaceholders = ARRAY_SIZE(template_placeholders);

_Static_assert(ARRAY_SIZE(template_placeholders) == PH_COUNT, "one row per placeholder");

/* Longer text between braces is compared with no name for "did you mean". */
#define NAME_MAX_LEN 63

const struct template_placeholder *template_placeholder_find(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(template_placeholders); i++)
		if (strlen(template_placeholders[i].name) == len &&
		    memcmp(template_placeholders[i].name, name, len) == 0)
			return &template_placeholders[i];
	return NULL;
}

/* ------------------------------------------------------------ scanning */

/* Where the scan stopped and why. */
struct where {
	int line, column; /* 1-based; columns count characters */
	char msg[320];
};

/* Called for each run of literal text and each placeholder (ph >= 0). */
typedef void emit_fn(void *ctx, const char *s, size_t n, int ph);

/* Edit distance between two short strings, for "did you mean". */
static size_t distance(const char *a, size_t la, const char *b, size_t lb)
{
	size_t row[NAME_MAX_LEN + 2];

	if (la > NAME_MAX_LEN || lb > NAME_MAX_LEN)
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t best = diag + (a[i - 1] != b[j - 1]);

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			size_t up = row[j];

			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* "unknown placeholder {X}" and the nearest names, a few edits away (more
 * for long names, so that {debtor.nombre} finds {debtor.name}): {first_name}
 * and {debtor.firstname} both point to {debtor.first_name}, {name} to all
 * three names. Otherwise the whole list, which is short. */
static void unknown_placeholder(struct where *w, const char *name, size_t len)
{
	size_t near = len / 4 > 2 ? len / 4 : 2, best = SIZE_MAX, d[PH_COUNT], off, cut = len;

	for (int i = 0; i < PH_COUNT; i++) {
		const char *full = template_placeholders[i].name, *dot = strchr(full, '.');

		d[i] = distance(name, len, full, strlen(full));
		if (dot) {
			size_t s = distance(name, len, dot + 1, strlen(dot + 1));

			if (s < d[i])
				d[i] = s;
		}
		if (d[i] < best)
			best = d[i];
	}
	/* At most 40 bytes of a long name, cut between characters. */
	if (cut > 40)
		for (cut = 40; cut > 0 && ((unsigned char)name[cut] & 0xC0) == 0x80; cut--)
			;
	off = (size_t)snprintf(w->msg, sizeof w->msg, "unknown placeholder {%.*s%s}", (int)cut, name,
			       cut < len ? "..." : "");
	if (best <= near) {
		int n = 0, shown = 0;

		for (int i = 0; i < PH_COUNT; i++)
			n += d[i] == best;
		for (int i = 0; i < PH_COUNT && off < sizeof w->msg; i++) {
			if (d[i] != best)
				continue;
			off += (size_t)snprintf(w->msg + off, sizeof w->msg - off, "%s{%s}",
						shown == 0       ? "; did you mean "
						: shown == n - 1 ? " or "
								 : ", ",
						template_placeholders[i].name);
			shown++;
		}
		if (off < sizeof w->msg)
			snprintf(w->msg + off, sizeof w->msg - off, "?");
		return;
	}
	for (int i = 0; i < PH_COUNT && off < sizeof w->msg; i++)
		off += (size_t)snprintf(w->msg + off, sizeof w->msg - off, "%s%s",
					i == 0 ? "; the placeholders are " : ", ",
					template_placeholders[i].name);
}

/* "U+000D (carriage return)" for the C0 controls and DEL people meet. */
static const char *control_name(unsigned c)
{
	static char other[16];
	switch (c) {
	case 0x07: return "U+0007 (bell)";
	case 0x08: return "U+0008 (backspace)";
	case 0x09: return "U+0009 (tab)";
	case 0x0A: return "U+000A (line feed)";
	case 0x0C: return "U+000C (form feed)";
	case 0x0D: return "U+000D (carriage return)";
	case 0x1B: return "U+001B (escape)";
	case 0x7F: return "U+007F (delete)";
	}
	snprintf(other, sizeof other, "U+%04X", c);
	return other;
}

/* Reads text from start to end. Literal runs and placeholders go to emit
 * (which may be NULL); on the first error fills w and returns false. */
static bool walk(const char *text, emit_fn *emit, void *ctx, struct where *w)
{
	const char *p = text, *run = text;
	int line = 1, column = 1;

#define FLUSH(upto)                                                                                          \
	do {                                                                                                 \
		if (emit && (upto) > run)                                                                    \
			emit(ctx, run, (size_t)((upto)-run), -1);                                            \
	} while (0)
#define FAIL(l, c, ...)                                                                                      \
	do {                                                                                                 \
		w->line = (l), w->column = (c);                                                              \
		snprintf(w->msg, sizeof w->msg, __VA_ARGS__);                                                \
		return false;                                                                                \
	} while (0)

	while (*p) {
		unsigned char c = (unsigned char)*p;

		if (c >= 0x80) {
			utf8proc_int32_t cp;
			utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)p, -1, &cp);

			if (n <= 0)
				FAIL(line, column, "invalid UTF-8");
			if (cp >= 0x80 && cp <= 0x9F)
				FAIL(line, column, "control character U+%04X: a template is printable text", (unsigned)cp);
			p += n, column++;
		} else if (c == '\n') {
			p++, line++, column = 1;
		} else if ((c == '{' && p[1] == '{') || (c == '}' && p[1] == '}')) {
			FLUSH(p + 1); /* the first brace is the literal one */
			p += 2, column += 2;
			run = p;
		} else if ((c < 0x20 && c != '\t') || c == 0x7F) {
			FAIL(line, column, "control character %s: a template is printable text", control_name(c));
		} else if (c == '}') {
			FAIL(line, column, "} without an opening {; write }} for a literal brace");
		} else if (c == '{') {
			const char *name = p + 1, *q = name;
			const struct template_placeholder *ph;

			while (*q && *q != '}' && *q != '{' && *q != '\n')
				q++;
			if (*q != '}')
				FAIL(line, column,
				     "{ without a closing } on its line; write {{ for a literal brace");
			if (q == name)
				FAIL(line, column, "empty placeholder {}; write {{}} for literal braces");
			ph = template_placeholder_find(name, (size_t)(q - name));
			if (!ph) {
				w->line = line, w->column = column;
				unknown_placeholder(w, name, (size_t)(q - name));
				return false;
			}
			FLUSH(p);
			if (emit)
				emit(ctx, name, (size_t)(q - name), (int)(ph - template_placeholders));
			/* A known name is ASCII: one column per byte. */
			column += (int)(q - p) + 1;
			p = q + 1;
			run = p;
		} else {
			p++, column++;
		}
	}
	FLUSH(p);
	return true;
#undef FLUSH
#undef FAIL
}

bool template_check(const char *text, char *err, size_t errsize)
{
	struct where w;

	if (walk(text, NULL, NULL, &w))
		return true;
	if (err && errsize)
		snprintf(err, errsize, "line %d, column %d: %s", w.line, w.column, w.msg);
	return false;
}

/* ------------------------------------------------------------ money and dates */

static bool is_english(const char *language)
{
	return language && strcmp(language, "en") == 0;
}

char *template_money(char *out, size_t n, long long minor, const char *currency, const char *language)
{
	char custom[64], number[48], digits[32];
	const char *first, *suffix;
	unsigned long long v, scale = 1;
	int dec = currency_decimals(currency);
	size_t len, g = 0;

	money_format(custom, sizeof custom, minor, currency);
	if (!is_english(language)) {
		snprintf(out, n, "%s", custom);
		return out;
	}
	/* Keep the sign, symbol and code money_format puts around the number;
	 * write the number the English way. */
	first = custom + strcspn(custom, "0123456789");
	for (suffix = custom + strlen(custom); suffix > first && (suffix[-1] < '0' || suffix[-1] > '9');
	     suffix--)
		;
	v = minor < 0 ? 0ULL - (unsigned long long)minor : (unsigned long long)minor;
	for (int i = 0; i < dec; i++)
		scale *= 10;
	snprintf(digits, sizeof digits, "%llu", v / scale);
	len = strlen(digits);
	for (size_t i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			number[g++] = ',';
		number[g++] = digits[i];
	}
	number[g] = '\0';
	if (dec > 0)
		snprintf(number + g, sizeof number - g, ".%0*llu", dec, v % scale);
	/* "1,234.50 €" is written "€1,234.50" in English (Ireland, Malta). */
	if (strcmp(suffix, " \xe2\x82\xac") == 0)
		snprintf(out, n, "%.*s\xe2\x82\xac%s", (int)(first - custom), custom, number);
	else
		snprintf(out, n, "%.*s%s%s", (int)(first - custom), custom, number, suffix);
	return out;
}

char *template_money_for(char *out, size_t n, long long minor, const char *currency, const char *language,
			 const char *country)
{
	const char *home = money_home_currency(country), *dollar;
	char plain[96];

	template_money(plain, sizeof plain, minor, currency, language);
	if (!home || !strcmp(home, currency) || !(dollar = strchr(plain, '$'))) {
		snprintf(out, n, "%s", plain);
		return out;
	}
	/* "$1,234.50" -> "US$1,234.50"; "$1.234" (COP in Spanish) -> "COP 1.234". */
	if (!strcmp(currency, "USD"))
		snprintf(out, n, "%.*sUS$%s", (int)(dollar - plain), plain, dollar + 1);
	else
		snprintf(out, n, "%.*s%.3s %s", (int)(dollar - plain), plain, currency, dollar + 1);
	return out;
}

/* clang-format off */
static const char *const months_es[12] = {
	"enero", "febrero", "marzo", "abril", "mayo", "junio",
	"julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
};
static const char *const months_en[12] = {
	"January", "February", "March", "April", "May", "June",
	"July", "August", "September", "October", "November", "December",
};
/* clang-format on */

static bool parse_ymd(const char *s, int *y, int *m, int *d)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	*y = atoi(s), *m = atoi(s + 5), *d = atoi(s + 8);
	leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
	return *y >= 1 && *m >= 1 && *m <= 12 && *d >= 1 && *d <= mdays[*m - 1] + (*m == 2 && leap);
}

bool template_date(char *out, size_t n, const char *ymd, const char *language)
{
	int y, m, d;

	if (n)
		out[0] = '\0';
	if (!parse_ymd(ymd, &y, &m, &d) || !language)
		return false;
	if (strcmp(language, "es") == 0)
		snprintf(out, n, "%d de %s de %d", d, months_es[m - 1], y);
	else if (strcmp(language, "en") == 0)
		snprintf(out, n, "%s %d, %d", months_en[m - 1], d, y);
	else
		return false;
	return true;
}

/* ------------------------------------------------------------ rendering */

static bool present(const char *s)
{
	return s && *s;
}

/* The first name when the data has none: the first word of the name, or
 * of what follows the comma in "Muñoz Peña, Juan Carlos". */
static void first_word(char *out, size_t n, const char *name)
{
	const char *comma = strchr(name, ',');
	const char *p = comma && comma[1] ? comma + 1 : name;
	size_t len;

	p += strspn(p, " \t");
	len = strcspn(p, " \t,");
	snprintf(out, n, "%.*s", (int)len, p);
}

struct render {
	const struct template_data *d;
	struct buf out;
	struct buf why;   /* the reasons, "; " between them */
	unsigned missing; /* placeholders already given a reason */
};

static const char *currency_or(const char *c, const char *account)
{
	return present(c) ? c : account;
}

static const char *missing(const char **why, const char *reason)
{
	*why = reason;
	return NULL;
}

static const char *money_value(char *tmp, size_t n, long long minor, const char *currency,
			       const struct template_data *d, const char **why, const char *no_currency)
{
	if (!present(currency))
		return missing(why, no_currency);
	return template_money_for(tmp, n, minor, currency, d->language, d->country);
}

static const char *date_value(char *tmp, size_t n, const char *ymd, const struct template_data *d,
			      const char **why, const char *not_a_date)
{
	return template_date(tmp, n, ymd, d->language) ? tmp : missing(why, not_a_date);
}

/* The value of placeholder ph, perhaps written into tmp, or NULL with the
 * reason it cannot be had. */
static const char *value(int ph, const struct template_data *d, char *tmp, size_t n, const char **why)
{
	static const char no_account[] = "the message is about no account";
	static const char no_installment[] = "the account has no unpaid installment";
	static const char no_promise[] = "the account has no promise to pay";
	static const char no_payment[] = "the account has no payment";

	switch (ph) {
	case PH_DEBTOR_NAME:
		return present(d->debtor_name) ? d->debtor_name : missing(why, "the debtor has no name");
	case PH_DEBTOR_FIRST_NAME:
		if (present(d->debtor_first_name))
			return d->debtor_first_name;
		tmp[0] = '\0';
		if (present(d->debtor_name))
			first_word(tmp, n, d->debtor_name);
		return tmp[0] ? tmp : missing(why, "the debtor has no name");
	case PH_ACCOUNT_REFERENCE:
		if (!d->has_account)
			return missing(why, no_account);
		return present(d->account_reference) ? d->account_reference
						     : missing(why, "the account has no reference");
	case PH_ACCOUNT_BALANCE:
		if (!d->has_account)
			return missing(why, no_account);
		return money_value(tmp, n, d->balance, d->currency, d, why, "the account has no currency");
	case PH_ACCOUNT_PAST_DUE:
		if (!d->has_account)
			return missing(why, no_account);
		return money_value(tmp, n, d->past_due, d->currency, d, why, "the account has no currency");
	case PH_ACCOUNT_DUE_DATE:
		if (!d->has_account)
			return missing(why, no_account);
		if (!present(d->due_date))
			return missing(why, no_installment);
		return date_value(tmp, n, d->due_date, d, why, "the installment's due date is not a date");
	case PH_ACCOUNT_DUE_AMOUNT:
		if (!d->has_account)
			return missing(why, no_account);
		if (!present(d->due_date))
			return missing(why, no_installment);
		return money_value(tmp, n, d->due_amount, d->currency, d, why, "the account has no currency");
	case PH_PROMISE_AMOUNT:
		if (!d->has_promise)
			return missing(why, no_promise);
		return money_value(tmp, n, d->promise_amount, currency_or(d->promise_currency, d->currency),
				   d, why, "the promise has no currency");
	case PH_PROMISE_DATE:
		if (!d->has_promise)
			return missing(why, no_promise);
		return date_value(tmp, n, d->promise_date, d, why, "the promise's date is not a date");
	case PH_PAYMENT_AMOUNT:
		if (!d->has_payment)
			return missing(why, no_payment);
		return money_value(tmp, n, d->payment_amount, currency_or(d->payment_currency, d->currency),
				   d, why, "the payment has no currency");
	case PH_PAYMENT_DATE:
		if (!d->has_payment)
			return missing(why, no_payment);
		return date_value(tmp, n, d->payment_date, d, why, "the payment's date is not a date");
	case PH_CREDITOR_NAME:
		return present(d->creditor_name) ? d->creditor_name
						 : missing(why, "the creditor has no name");
	case PH_AGENT_NAME:
		return present(d->agent_name)
			   ? d->agent_name
			   : missing(why, "no collector sends this message (automation does)");
	case PH_PAY_LINK:
		return present(d->pay_link) ? d->pay_link : missing(why, "the creditor has no payment link");
	}
	return missing(why, "unknown placeholder");
}

static void render_emit(void *ctx, const char *s, size_t n, int ph)
{
	struct render *r = ctx;
	const char *v, *why = NULL;
	char tmp[256];

	if (ph < 0) {
		buf_add(&r->out, s, n);
		return;
	}
	v = value(ph, r->d, tmp, sizeof tmp, &why);
	if (v) {
		buf_puts(&r->out, v);
		return;
	}
	if (r->missing & (1u << ph))
		return;
	r->missing |= 1u << ph;
	buf_printf(&r->why, "%s{%s}: %s", r->why.len ? "; " : "", template_placeholders[ph].name, why);
}

char *template_render(const char *text, const struct template_data *d, char *err, size_t errsize)
{
	struct render r = {.d = d};
	struct where w;

	if (!d->language || (strcmp(d->language, "es") != 0 && strcmp(d->language, "en") != 0)) {
		if (err && errsize)
			snprintf(err, errsize, "the debtor's language is %s%s%s, not es or en",
				 d->language ? "\"" : "", d->language ? d->language : "not set",
				 d->language ? "\"" : "");
		return NULL;
	}
	buf_puts(&r.out, "");
	if (!walk(text, render_emit, &r, &w)) {
		if (err && errsize)
			snprintf(err, errsize, "line %d, column %d: %s", w.line, w.column, w.msg);
		buf_free(&r.out);
		buf_free(&r.why);
		return NULL;
	}
	if (r.missing) {
		if (err && errsize)
			snprintf(err, errsize, "%s", r.why.s);
		buf_free(&r.out);
		buf_free(&r.why);
		return NULL;
	}
	return r.out.s;
}

void template_sample(struct template_data *d, const char *language)
{
	bool en = is_english(language);

	memset(d, 0, sizeof *d);
	d->language = en ? "en" : "es";
	d->country = en ? "US" : "PE";
	d->debtor_name =
	    en ? "Christopher Alexander Montgomery Jones" : "Maximiliano Alejandro Zamora Valderrama";
	d->debtor_first_name = en ? "Christopher Alexander" : "Maximiliano Alejandro";
	d->has_account = true;
	d->account_reference = en ? "LCS-US-000123456" : "BAN-PE-000123456";
	d->currency = en ? "USD" : "PEN";
	d->balance = 123456789;
	d->past_due = 98765432;
	d->due_date = "2026-09-30";
	d->due_amount = 12345678;
	d->has_promise = true;
	d->promise_amount = 98765432;
	d->promise_date = "2026-09-28";
	d->has_payment = true;
	d->payment_amount = 98765432;
	d->payment_date = "2026-09-29";
	d->creditor_name = en ? "Coastline Utilities Corporation" : "MovilSur Telecomunicaciones SA";
	d->agent_name = en ? "Elizabeth Anne Richardson" : "Ana Lucia Quispe Mamani";
	d->pay_link = en ? "https://pay.libertycard.example.com/a/LCS-US-000123456"
			 : "https://pagos.bancoandino.example.com/p/BAN-PE-000123456";
}

/* ------------------------------------------------------------ facts */

const char *const template_fact_names[TF_COUNT] = {
	[TF_PAST_DUE] = "past_due",
	[TF_NOT_DUE] = "not_due",
	[TF_PROMISE_PENDING] = "promise_pending",
	[TF_PROMISE_BROKEN] = "promise_broken",
	[TF_PROMISE_KEPT] = "promise_kept",
	[TF_PAYMENT] = "payment",
};

/* Dates "YYYY-MM-DD" compare as text. */
static int date_cmp(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* Why the promise is not in the state wanted, from the state it is in. */
static const char *promise_state_reason(const struct template_account *a, bool passed)
{
	const char *st = a->promise_status;

	if (!present(st))
		return N_("the account has no promise to pay");
	if (!strcmp(st, "kept"))
		return N_("the promise was kept");
	if (!strcmp(st, "cancelled"))
		return N_("the promise was cancelled");
	if (!strcmp(st, "broken") || passed)
		return N_("the promise was broken");
	return N_("the promise is still pending");
}

static bool fact_holds(enum template_fact f, const struct template_account *a, const char **why)
{
	bool late = a->past_due > 0 && present(a->oldest_due) && date_cmp(a->oldest_due, a->today) < 0;
	bool pending = present(a->promise_status) && !strcmp(a->promise_status, "pending");
	/* A pending promise whose day has gone by is broken, whether or not
	 * the promise keeper has said so yet. */
	bool passed = pending && date_cmp(a->promise_date, a->today) < 0;

	switch (f) {
	case TF_PAST_DUE:
		*why = N_("nothing is past due");
		return late;
	case TF_NOT_DUE:
		*why = late ? N_("an amount is past due") : N_("nothing is left to pay");
		return !late && a->unpaid;
	case TF_PROMISE_PENDING:
		*why = promise_state_reason(a, passed);
		return pending && !passed;
	case TF_PROMISE_BROKEN:
		*why = promise_state_reason(a, passed);
		return passed || (present(a->promise_status) && !strcmp(a->promise_status, "broken"));
	case TF_PROMISE_KEPT:
		*why = promise_state_reason(a, passed);
		return present(a->promise_status) && !strcmp(a->promise_status, "kept");
	case TF_PAYMENT:
		*why = N_("the account has no payment");
		return a->has_payment;
	case TF_COUNT:
		break;
	}
	*why = N_("unknown fact");
	return false;
}

bool template_fits(unsigned required, const struct template_account *a, const char **why)
{
	const char *reason = NULL;

	for (int f = 0; f < TF_COUNT; f++)
		if ((required & (1u << f)) && !fact_holds((enum template_fact)f, a, &reason)) {
			if (why)
				*why = reason;
			return false;
		}
	if (required >> TF_COUNT) {
		if (why)
			*why = N_("unknown fact");
		return false;
	}
	if (why)
		*why = NULL;
	return true;
}

bool template_facts_parse(const char *text, unsigned *out, char *err, size_t errsize)
{
	const char *p = text;

	*out = 0;
	for (;;) {
		size_t n;
		int f;

		p += strspn(p, " \t,");
		if (!*p)
			return true;
		n = strcspn(p, " \t,");
		for (f = 0; f < TF_COUNT; f++)
			if (strlen(template_fact_names[f]) == n && !memcmp(template_fact_names[f], p, n))
				break;
		if (f == TF_COUNT) {
			if (err && errsize) {
				int off = snprintf(err, errsize, "unknown fact \"%.*s\"; the facts are ",
						   (int)(n > 40 ? 40 : n), p);

				for (int i = 0; i < TF_COUNT && off > 0 && (size_t)off < errsize; i++)
					off += snprintf(err + off, errsize - (size_t)off, "%s%s",
							i ? ", " : "", template_fact_names[i]);
			}
			return false;
		}
		*out |= 1u << f;
		p += n;
	}
}

static char *facts_join(unsigned facts, char *out, size_t n, const char *open, const char *sep,
			const char *close)
{
	size_t off = (size_t)snprintf(out, n, "%s", open);
	bool first = true;

	for (int f = 0; f < TF_COUNT && off < n; f++)
		if (facts & (1u << f)) {
			off += (size_t)snprintf(out + off, n - off, "%s%s", first ? "" : sep, template_fact_names[f]);
			first = false;
		}
	if (off < n)
		snprintf(out + off, n - off, "%s", close);
	return out;
}

char *template_facts_array(unsigned facts, char *out, size_t n)
{
	return facts_join(facts, out, n, "{", ",", "}");
}

char *template_facts_words(unsigned facts, char *out, size_t n)
{
	return facts_join(facts, out, n, "", " ", "");
}

/* ------------------------------------------------------------ template files */

void template_def_free(struct template_def *def)
{
	free(def->subject);
	free(def->body);
	def->subject = def->body = NULL;
}

static bool valid_code(const char *s, size_t max)
{
	size_t len = strlen(s);

	if (len == 0 || len > max || s[0] < 'a' || s[0] > 'z')
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == len;
}

static bool one_of(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(s, *set) == 0)
			return true;
	return false;
}

/* "NAME:LINE: reason" or, with a column, "NAME:LINE:COLUMN: reason". */
__attribute__((format(printf, 6, 7))) static void file_error(char *err, size_t errsize, const char *name,
							     int line, int column, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!err || !errsize)
		return;
	if (column > 0)
		n = snprintf(err, errsize, "%s:%d:%d: ", name, line, column);
	else
		n = snprintf(err, errsize, "%s:%d: ", name, line);
	if (n < 0 || (size_t)n >= errsize)
		return;
	va_start(ap, fmt);
	vsnprintf(err + n, errsize - (size_t)n, fmt, ap);
	va_end(ap);
}

bool template_parse_file(const char *name, const char *text, struct template_def *out, char *err,
			 size_t errsize)
{
	static const char *const keys[] = {"code", "channel", "language", "subject", "requires", NULL};
	static const char *const channels[] = {"sms", "email", "whatsapp", "letter", NULL};
	static const char *const languages[] = {"es", "en", NULL};
	int key_line[5] = {0}, subject_col = 0, line = 0;
	char *copy, *p, *body, *end;
	struct where w;
	bool ok = false;

#define FAIL(l, ...)                                                                                         \
	do {                                                                                                 \
		file_error(err, errsize, name, (l), 0, __VA_ARGS__);                                         \
		goto done;                                                                                   \
	} while (0)
#define FAIL_AT(l, c, ...)                                                                                   \
	do {                                                                                                 \
		file_error(err, errsize, name, (l), (c), __VA_ARGS__);                                       \
		goto done;                                                                                   \
	} while (0)

	memset(out, 0, sizeof *out);
	/* Drop the CR of CRLF line ends, so that Windows editors do no harm. */
	copy = xstrdup(text);
	for (p = end = copy; *p; p++)
		if (!(p[0] == '\r' && p[1] == '\n'))
			*end++ = *p;
	*end = '\0';

	/* Text only, anywhere in the file: a control character in a subject
	 * (a bare CR) breaks every mail sent with it, ESC or BEL in a body
	 * reaches the debtor's handset, and either, echoed in a message here,
	 * would reach the terminal. Tabs and line feeds are allowed (a tab
	 * inside a header's value is refused below). */
	{
		int l = 1, col = 1;

		for (p = copy; *p;) {
			unsigned char c = (unsigned char)*p;

			if (c >= 0x80) {
				utf8proc_int32_t cp;
				utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)p, -1, &cp);

				if (n <= 0)
					FAIL_AT(l, col, "invalid UTF-8");
				if (cp <= 0x9F)
					FAIL_AT(l, col, "control character U+%04X: a template is printable text",
					        (unsigned)cp);
				p += n, col++;
				continue;
			}
			if (c == '\n') {
				p++, l++, col = 1;
				continue;
			}
			if ((c < 0x20 && c != '\t') || c == 0x7F)
				FAIL_AT(l, col, "control character %s: %s", control_name(c),
				        c == '\r' ? "a carriage return is allowed only before a line feed"
				                  : "a template is printable text");
			p++, col++;
		}
	}

	/* The header: "key: value" lines up to the first empty line. Comments
	 * and empty lines before the first key are skipped. */
	for (p = copy;;) {
		char *nl = strchr(p, '\n'), *colon, *val;
		int k;

		line++;
		if (!nl && !*p)
			FAIL(line, "no body: the header ends at an empty line and the body follows it");
		if (nl)
			*nl = '\0';
		if (*p == '#' || (*p == '\0' && !key_line[0] && !key_line[1] && !key_line[2] && !key_line[3] &&
				  !key_line[4])) {
			if (!nl)
				FAIL(line,
				     "no body: the header ends at an empty line and the body follows it");
			p = nl + 1;
			continue;
		}
		if (*p == '\0') {
			body = nl ? nl + 1 : p;
			break;
		}
		colon = strchr(p, ':');
		if (!colon)
			FAIL(line,
			     "expected \"key: value\" (code, channel, language, subject, requires), or an "
			     "empty line before the body");
		*colon = '\0';
		if (strchr(p, '\t'))
			FAIL_AT(line, (int)(strchr(p, '\t') - p) + 1,
			        "control character U+0009 (tab) in a header's name; write \"key: value\"");
		for (k = 0; keys[k] && strcmp(keys[k], p) != 0; k++)
			;
		if (!keys[k])
			FAIL(line, "unknown header \"%.40s\" (code, channel, language, subject or requires)", p);
		if (key_line[k])
			FAIL(line, "\"%s\" given twice (first on line %d)", keys[k], key_line[k]);
		key_line[k] = line;
		val = colon + 1;
		val += strspn(val, " \t");
		for (end = val + strlen(val); end > val && (end[-1] == ' ' || end[-1] == '\t'); end--)
			;
		*end = '\0';
		if (strchr(val, '\t'))
			FAIL_AT(line, (int)(strchr(val, '\t') - p) + 1,
			        "control character U+0009 (tab) in the %s; write a space", keys[k]);
		if (k == 0) {
			if (!valid_code(val, sizeof out->code - 1))
				FAIL(
				    line,
				    "code \"%.40s\": a lower-case letter, then letters, digits or _, at most "
				    "63",
				    val);
			snprintf(out->code, sizeof out->code, "%s", val);
		} else if (k == 1) {
			if (!one_of(val, channels))
				FAIL(line, "channel \"%.20s\": sms, email, whatsapp or letter", val);
			snprintf(out->channel, sizeof out->channel, "%s", val);
		} else if (k == 2) {
			if (!one_of(val, languages))
				FAIL(line, "language \"%.20s\": es or en", val);
			snprintf(out->language, sizeof out->language, "%s", val);
		} else if (k == 4) {
			char why[256];

			if (!template_facts_parse(val, &out->requires, why, sizeof why))
				FAIL(line, "requires: %s", why);
			if (!out->requires)
				FAIL(line, "requires: no fact named; leave the line out when the template needs none");
		} else {
			if (!*val)
				FAIL(line, "the subject is empty");
			/* The key and spaces before the value are ASCII: a column each. */
			subject_col = (int)(val - p) + 1;
			out->subject = xstrdup(val);
		}
		if (!nl)
			FAIL(line + 1, "no body: the header ends at an empty line and the body follows it");
		p = nl + 1;
	}

	for (int k = 0; k < 3; k++)
		if (!key_line[k])
			FAIL(line, "no \"%s:\" line in the header", keys[k]);
	if (strcmp(out->channel, "email") == 0 && !out->subject)
		FAIL(line, "an email template needs a \"subject:\" line");
	if (strcmp(out->channel, "email") != 0 && out->subject)
		FAIL(key_line[3], "only email templates have a subject, not %s ones", out->channel);

	for (end = body + strlen(body); end > body && strchr(" \t\n", end[-1]); end--)
		;
	*end = '\0';
	out->body_line = line + 1;
	if (!*body)
		FAIL(line + 1, "the body is empty");
	if (out->subject && !walk(out->subject, NULL, NULL, &w))
		FAIL_AT(key_line[3], subject_col + w.column - 1, "%s", w.msg);
	if (!walk(body, NULL, NULL, &w))
		FAIL_AT(out->body_line + w.line - 1, w.column, "%s", w.msg);
	out->body = xstrdup(body);
	ok = true;
done:
	free(copy);
	if (!ok)
		template_def_free(out);
	return ok;
#undef FAIL
#undef FAIL_AT
}
