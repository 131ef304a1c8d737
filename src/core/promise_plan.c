/* The promise's schedule and rules (promise_plan.h). */
#include "promise_plan.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "tz.h"

/* Marked for xgettext; the screen translates. */
#define N_(s) (s)

static const char *const freq_names[PROMISE_FREQ__COUNT] = {
	[PROMISE_ONCE] = "once",
	[PROMISE_WEEKLY] = "weekly",
	[PROMISE_BIWEEKLY] = "biweekly",
	[PROMISE_MONTHLY] = "monthly",
};

const char *promise_freq_name(enum promise_freq f)
{
	return (unsigned)f < PROMISE_FREQ__COUNT ? freq_names[f] : "";
}

bool promise_freq_parse(const char *name, enum promise_freq *out)
{
	for (int i = 0; i < PROMISE_FREQ__COUNT; i++)
		if (name && !strcmp(name, freq_names[i])) {
			*out = (enum promise_freq)i;
			return true;
		}
	return false;
}

const char *const promise_channels[PROMISE_CHANNELS + 1] = { "call",  "sms",   "email", "whatsapp",
	                                                      "letter", "visit", "web",   NULL };

bool promise_channel_known(const char *name)
{
	for (int i = 0; name && promise_channels[i]; i++)
		if (!strcmp(name, promise_channels[i]))
			return true;
	return false;
}

/* ------------------------------------------------------------ schedule */

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && leap(y) ? 29 : days[m - 1];
}

int64_t promise_due(int64_t first, enum promise_freq f, int k)
{
	int y, m, d, idx;

	switch (f) {
	case PROMISE_WEEKLY: return first + 7 * (int64_t)k;
	case PROMISE_BIWEEKLY: return first + 14 * (int64_t)k;
	case PROMISE_MONTHLY:
		/* Counted from the first date each time, never from the last
		 * step: Jan 31 + 2 months is Mar 31, not Feb 28 + 1 month. */
		civil_from_days(first, &y, &m, &d);
		idx = m - 1 + k;
		y += idx / 12;
		m = idx % 12 + 1;
		if (d > month_days(y, m))
			d = month_days(y, m);
		return days_from_civil(y, m, d);
	case PROMISE_ONCE:
	case PROMISE_FREQ__COUNT: break;
	}
	return first;
}

int promise_schedule(const struct promise_terms *t, struct promise_step *out, int max)
{
	long long each;

	if (t->count < 1 || t->count > max)
		return 0;
	each = t->amount / t->count;
	for (int k = 0; k < t->count; k++) {
		out[k].due = promise_due(t->first_due, t->freq, k);
		out[k].amount = each;
	}
	out[t->count - 1].amount = t->amount - each * (t->count - 1);
	return t->count;
}

/* ---------------------------------------------------------------- rules */

static const struct {
	const char *code, *text;
	enum promise_field field;
} errors[PE__COUNT] = {
	[PE_NONE] = { "", "", PF__COUNT },
	[PE_AMOUNT] = { "amount", N_("The amount must be above zero"), PF_AMOUNT },
	[PE_AMOUNT_ABOVE_BALANCE] = { "amount_above_balance", N_("Above the balance"), PF_AMOUNT },
	[PE_DATE_PAST] = { "date_past", N_("That date has passed"), PF_DATE },
	[PE_COUNT] = { "count", N_("1 to 360, each payment above zero"), PF_COUNT },
	[PE_FREQUENCY] = { "frequency", N_("Weekly, every two weeks or monthly"), PF_FREQUENCY },
	[PE_DISCOUNT] = { "discount", N_("Zero or more, and below the balance"), PF_DISCOUNT },
	[PE_ACTIVE] = { "active_promise", N_("The account has an active promise: replace it or keep it"), PF__COUNT },
	[PE_CHANNEL] = { "channel", N_("Not a channel a promise is given on"), PF_CHANNEL },
	[PE_DATE_RANGE] = { "date_range", N_("The plan would end after the year 9999"), PF_DATE },
	[PE_ACCOUNT_STATUS] = { "account_status", N_("This account is not worked: no promise can be taken"), PF__COUNT },
};

const char *promise_error_code(enum promise_error e)
{
	return (unsigned)e < PE__COUNT ? errors[e].code : "";
}

const char *promise_error_text(enum promise_error e)
{
	return (unsigned)e < PE__COUNT ? errors[e].text : "";
}

enum promise_field promise_error_field(enum promise_error e)
{
	return (unsigned)e < PE__COUNT ? errors[e].field : PF__COUNT;
}

enum promise_error promise_error_from_message(const char *message)
{
	/* "amount_above_balance: ..." must not be read as "amount". */
	for (int e = PE__COUNT - 1; message && e > PE_NONE; e--) {
		size_t n = strlen(errors[e].code);

		if (!strncmp(message, errors[e].code, n) && message[n] == ':')
			return (enum promise_error)e;
	}
	return PE_NONE;
}

static const struct {
	const char *code, *text;
	enum promise_field field;
} limits[PL__COUNT] = {
	[PL_HORIZON] = { "horizon", N_("The last payment is beyond the horizon"), PF_DATE },
	[PL_MIN_SHARE] = { "min_share", N_("Below the minimum share of the past-due amount"), PF_AMOUNT },
	[PL_MAX_INSTALLMENTS] = { "max_installments", N_("More installments than allowed"), PF_COUNT },
	[PL_MAX_DISCOUNT] = { "max_discount", N_("A larger discount than allowed"), PF_DISCOUNT },
};

const char *promise_limit_code(enum promise_limit l)
{
	return (unsigned)l < PL__COUNT ? limits[l].code : "";
}

const char *promise_limit_text(enum promise_limit l)
{
	return (unsigned)l < PL__COUNT ? limits[l].text : "";
}

enum promise_field promise_limit_field(enum promise_limit l)
{
	return (unsigned)l < PL__COUNT ? limits[l].field : PF__COUNT;
}

static void fail(struct promise_verdict *v, enum promise_error e)
{
	enum promise_field f = errors[e].field;

	if (f < PF__COUNT && v->error[f] == PE_NONE)
		v->error[f] = e;
	if (v->first == PE_NONE)
		v->first = e;
}

/* a * 1000 < permille * b, exactly: amounts may be near 2^63. */
static bool below_share(long long a, int permille, long long b)
{
	return (__int128)a * 1000 < (__int128)permille * b;
}

void promise_validate(const struct promise_terms *t, const struct promise_money *m,
                      const struct promise_account_limits *l, bool active, struct promise_verdict *v)
{
	bool settlement = t->discount > 0;
	bool count_ok, freq_ok = (unsigned)t->freq < PROMISE_FREQ__COUNT;

	memset(v, 0, sizeof *v);
	/* The order is promise_save()'s: the first error is the one it says. */
	count_ok = t->count >= 1 && t->count <= PROMISE_COUNT_MAX && !(freq_ok && t->freq == PROMISE_ONCE && t->count != 1);
	if (!freq_ok)
		fail(v, PE_FREQUENCY);
	if (!count_ok)
		fail(v, PE_COUNT);
	if (t->amount <= 0)
		fail(v, PE_AMOUNT);
	/* Each installment must be at least one minor unit: the split leaves
	 * none at zero. */
	if (count_ok && t->amount > 0 && t->count > t->amount) {
		fail(v, PE_COUNT);
		count_ok = false;
	}
	if (t->discount < 0 || (settlement && t->discount >= m->balance))
		fail(v, PE_DISCOUNT);
	else if (t->amount > 0 && t->amount > m->balance - t->discount)
		fail(v, PE_AMOUNT_ABOVE_BALANCE);
	if (t->first_due < l->today)
		fail(v, PE_DATE_PAST);
	if (!promise_channel_known(t->channel))
		fail(v, PE_CHANNEL);
	if (active)
		fail(v, PE_ACTIVE);

	v->last_due = count_ok && freq_ok ? promise_due(t->first_due, t->freq, t->count - 1) : t->first_due;
	/* After the other hard errors, as promise_save() checks it. */
	if (count_ok && freq_ok && v->last_due > days_from_civil(PROMISE_LAST_YEAR, 12, 31))
		fail(v, PE_DATE_RANGE);
	if (count_ok && freq_ok && v->error[PF_DATE] == PE_NONE && v->last_due - l->today > l->horizon_days)
		v->limits |= 1u << PL_HORIZON;
	if (!settlement && v->error[PF_AMOUNT] == PE_NONE && below_share(t->amount, l->min_share_permille, m->past_due))
		v->limits |= 1u << PL_MIN_SHARE;
	if (count_ok && t->count > l->max_installments)
		v->limits |= 1u << PL_MAX_INSTALLMENTS;
	if (v->error[PF_DISCOUNT] == PE_NONE && settlement &&
	    (__int128)t->discount * 1000 > (__int128)l->max_discount_permille * m->balance)
		v->limits |= 1u << PL_MAX_DISCOUNT;
}

/* ------------------------------------------------------------ as typed */

bool promise_parse_amount(const char *text, int decimals, long long *out)
{
	long long whole = 0, frac = 0;
	int nfrac = 0, ndigits = 0;
	const char *p = text;

	while (*p == ' ')
		p++;
	for (; isdigit((unsigned char)*p); p++, ndigits++) {
		if (whole > (9000000000000000000LL - 9) / 10)
			return false;
		whole = whole * 10 + (*p - '0');
	}
	if (*p == '.' || *p == ',') {
		p++;
		for (; isdigit((unsigned char)*p); p++, nfrac++) {
			if (nfrac >= decimals)
				return false;
			frac = frac * 10 + (*p - '0');
		}
	}
	while (*p == ' ')
		p++;
	if (*p || ndigits + nfrac == 0)
		return false;
	for (int i = nfrac; i < decimals; i++)
		frac *= 10;
	for (int i = 0; i < decimals; i++) {
		if (whole > 9000000000000000000LL / 10)
			return false;
		whole *= 10;
	}
	*out = whole + frac;
	return true;
}

bool promise_parse_date(const char *text, int64_t *days)
{
	int y, m, d, n = 0;

	if (strlen(text) != 10 || sscanf(text, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10)
		return false;
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? text[i] != '-' : !isdigit((unsigned char)text[i]))
			return false;
	if (m < 1 || m > 12 || d < 1 || d > month_days(y, m))
		return false;
	*days = days_from_civil(y, m, d);
	return true;
}

char *promise_date_text(char *out, size_t n, int64_t days)
{
	int y, m, d;

	civil_from_days(days, &y, &m, &d);
	snprintf(out, n, "%04d-%02d-%02d", y, m, d);
	return out;
}
