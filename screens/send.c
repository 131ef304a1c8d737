/* Send: a message to the debtor of the open account (s SMS, e email,
 * w WhatsApp on the account screen). The templates of the channel in the
 * debtor's language, the recipient among their usable contact points, the
 * whole text as it will go out, for SMS its encoding and segments, and the
 * contact policy's verdict now; Enter queues it (one short call: the
 * message and its history event in one transaction) and cobrod sends it.
 * The screen never waits on a gateway; a message that could not be queued
 * because the database was away keeps its key and is queued once it is
 * back, never twice. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <utf8proc.h>

#include "contact.h"
#include "label.h"
#include "list.h"
#include "mail.h"
#include "outbox.h"
#include "phone.h"
#include "policy_store.h"
#include "send.h"
#include "sms.h"
#include "template_store.h"
#include "text.h"
#include "tz.h"
#include "ui.h"
#include "util.h"

#define SEND_MAX_RECIPIENTS 16

/* A line of the wrapped preview: bytes [off, off + len) of the body. */
struct span {
	size_t off, len;
};

struct send_state {
	enum channel channel;
	struct account_view v; /* a copy (send.h), without the history */
	struct stored_template *templates;
	int ntemplates;
	bool fallback;         /* none in the debtor's language: these are in the other */
	char list_language[3]; /* the templates' language, "" when mixed */
	struct list choices;   /* the templates, the cursor on the one shown */
	/* Per template: whether its facts hold for the account (template_fits()),
	 * and why not (English, translated where shown). Those that fit come
	 * first, nfit of them; the others are greyed and cannot be chosen. */
	bool *fits;
	const char **unfit;
	int nfit;
	char today[11];        /* the debtor's day, "YYYY-MM-DD" */
	int senders;           /* running cobrods that send the channel; -1: not known */

	int recipients[SEND_MAX_RECIPIENTS]; /* indexes into v.points: usable for the channel */
	int nrecipients, recipient;

	/* The selected template rendered for the selected recipient. */
	char *subject, *body;
	char **params; /* whatsapp: the placeholders' values */
	int nparams;
	struct sms_size size;
	char payment_date[OUTBOX_DATE_SIZE];
	char verdict[256]; /* "allowed until 19:00", "refused CO-DAY, next Mon 07:00" */
	char refusal[512]; /* "Refused by CO-HOURS until Mon 07:00: " and the reason */
	bool refused;
	char problem[768]; /* why Enter would not queue it; "" when it would */

	/* Where things go (layout_send()) in the body last laid out, the body
	 * wrapped to its width (the preview's rows) and why Enter would not
	 * queue it, wrapped too. */
	struct send_layout at;
	int rows, cols;
	struct span *lines;
	int nlines, wrap_cols;
	struct list preview;
	struct span *why;
	int nwhy;

	/* The message's key, made when Enter is pressed: queued with it, or
	 * handed over with it to what waits to be saved (hand_over()). */
	char key[CONTACT_KEY_SIZE];
};

static const char *channel_label(enum channel ch)
{
	switch (ch) {
	case CH_SMS: return _("SMS");
	case CH_EMAIL: return _("Email");
	case CH_WHATSAPP: return _("WhatsApp");
	default: return channel_name(ch);
	}
}

static const char *language_label(const char *code)
{
	if (!strcmp(code, "es"))
		return _("Spanish");
	if (!strcmp(code, "en"))
		return _("English");
	return code;
}

/* --------------------------------------------------------------- the data */

/* The debtor's points that may carry the channel: not marked bad, not
 * opted out of it; the primary first, as the view lists them. The point
 * keep (an id) stays chosen if it is among them; else the first the
 * contact policy allows, as the account screen judges the channel
 * (policy_channel_point()). */
static void find_recipients(struct ui *ui, struct send_state *st, long long keep)
{
	struct policy_verdict v;
	const struct tz *zone;
	char err[256];
	int first = -1;

	st->nrecipients = 0;
	st->recipient = 0;
	for (int i = 0; i < st->v.npoints && st->nrecipients < SEND_MAX_RECIPIENTS; i++) {
		const struct contact_point_row *c = &st->v.points[i];

		if (policy_point_usable(c, st->channel))
			st->recipients[st->nrecipients++] = i;
	}
	if (!keep && ui_policy(ui) &&
	    policy_channel_point(ui_policy(ui), &st->v, st->channel, ui_now(), &first, &v, &zone, err, sizeof err) &&
	    first >= 0)
		keep = st->v.points[first].id;
	for (int i = 0; i < st->nrecipients; i++)
		if (st->v.points[st->recipients[i]].id == keep)
			st->recipient = i;
}

static const struct contact_point_row *recipient(const struct send_state *st)
{
	return st->nrecipients ? &st->v.points[st->recipients[st->recipient]] : NULL;
}

/* The template chosen in the list (0 when there is none). */
static int chosen(const struct send_state *st)
{
	int i = list_selected(&st->choices);

	return i > 0 ? i : 0;
}

static void *dup_rows(const void *rows, int n, size_t size)
{
	void *out = xcalloc(n > 0 ? (size_t)n : 1, size);

	if (n > 0)
		memcpy(out, rows, (size_t)n * size);
	return out;
}

/* Every list account_view_free() frees is duplicated here but the history,
 * which this screen does not show. */
static void view_copy(struct account_view *dst, const struct account_view *src)
{
	*dst = *src;
	dst->points = dup_rows(src->points, src->npoints, sizeof *src->points);
	dst->accounts = dup_rows(src->accounts, src->naccounts, sizeof *src->accounts);
	dst->installments = dup_rows(src->installments, src->ninstallments, sizeof *src->installments);
	dst->payments = dup_rows(src->payments, src->npayments, sizeof *src->payments);
	dst->promises = dup_rows(src->promises, src->npromises, sizeof *src->promises);
	dst->plan = dup_rows(src->plan, src->nplan, sizeof *src->plan);
	dst->contacts = dup_rows(src->contacts, src->ncontacts, sizeof *src->contacts);
	dst->events = NULL;
	dst->nevents = 0;
}

/* The contact policy on the channel now, for the chosen point (its own
 * consent and opt-out decide, as cobrod judges the message when it sends
 * it), or for the debtor as a whole while there is none. */
static void judge(struct ui *ui, struct send_state *st)
{
	const struct policy *p = ui_policy(ui);
	const struct contact_point_row *to = recipient(st);
	struct policy_account pa;
	struct policy_verdict v;
	char err[256], when[32];

	st->refused = true;
	st->refusal[0] = '\0';
	if (!p) {
		snprintf(st->verdict, sizeof st->verdict, "%s", _("none is loaded, nothing may be sent"));
		return;
	}
	if (!policy_account_from_view(p, &st->v, st->channel, to ? to->id : 0, ui_now(), &pa, err, sizeof err)) {
		snprintf(st->verdict, sizeof st->verdict, "%s", err);
		return;
	}
	policy_check(pa.policy, &pa.debtor, pa.history, pa.nhistory, &pa.contact, &v);
	ui_verdict(st->verdict, sizeof st->verdict, &v, pa.debtor.zones[0]);
	if (!v.allowed && v.next) {
		ui_when(when, sizeof when, pa.debtor.zones[0], v.next);
		snprintf(st->refusal, sizeof st->refusal, _("Refused by %s until %s: %s"), policy_rule_id(v.rule), when,
		         v.reason[ui_lang()]);
	} else if (!v.allowed && !v.rule) {
		snprintf(st->refusal, sizeof st->refusal, _("Refused: %s"), v.reason[ui_lang()]);
	} else if (!v.allowed) {
		snprintf(st->refusal, sizeof st->refusal, _("Refused by %s: %s"), policy_rule_id(v.rule),
		         v.reason[ui_lang()]);
	}
	st->refused = !v.allowed;
	policy_account_free(&pa);
}

static void clear_rendering(struct send_state *st)
{
	free(st->subject);
	free(st->body);
	outbox_params_free(st->params, st->nparams);
	free(st->lines);
	st->subject = st->body = NULL;
	st->params = NULL;
	st->nparams = 0;
	st->lines = NULL;
	st->nlines = 0;
	st->wrap_cols = 0;
	memset(&st->size, 0, sizeof st->size);
}

static void relayout(struct send_state *st);

/* Renders the selected template and finds what would stop Enter: the
 * first reason found is the one given. */
static void update(struct ui *ui, struct send_state *st)
{
	const struct stored_template *t = st->ntemplates ? &st->templates[chosen(st)] : NULL;
	const struct contact_point_row *to = recipient(st);
	struct template_data d;
	char err[512] = "", why[256] = "";
	char e164[PHONE_E164_SIZE];

	clear_rendering(st);
	st->problem[0] = '\0';
	if (t && !st->fits[chosen(st)]) {
		/* Not for this account: nothing rendered, the reason instead. */
		snprintf(st->problem, sizeof st->problem, _("This template is not for this account: %s"),
			 _(st->unfit[chosen(st)]));
		judge(ui, st);
		relayout(st);
		return;
	}
	if (t) {
		outbox_template_data(&st->v, ui->me.name, &d, st->payment_date);
		/* Money and dates are written in the language of the text. */
		d.language = t->language;
		st->body = template_render(t->body, &d, err, sizeof err);
		if (st->body && st->channel == CH_EMAIL && t->subject &&
		    !(st->subject = template_render(t->subject, &d, err, sizeof err)))
			clear_rendering(st);
		if (st->body && st->channel == CH_WHATSAPP &&
		    !outbox_template_params(t->body, &d, &st->params, &st->nparams, err, sizeof err))
			clear_rendering(st);
		if (st->body && st->channel == CH_SMS && !sms_measure(st->body, &st->size)) {
			snprintf(err, sizeof err, "%s", _("the text is not valid UTF-8"));
			clear_rendering(st);
		}
	}
	judge(ui, st);

	if (!t)
		snprintf(st->problem, sizeof st->problem, _("There is no %s template to send"),
			 channel_label(st->channel));
	else if (!st->body)
		snprintf(st->problem, sizeof st->problem,
			 _("This template cannot be sent to this debtor: %s"), err);
	else if (!to)
		snprintf(st->problem, sizeof st->problem, "%s",
			 st->channel == CH_EMAIL
			     ? _("The debtor has no usable email address")
			     : _("The debtor has no usable mobile number for this channel"));
	else if (st->channel != CH_EMAIL &&
		 (!phone_normalize(to->value, NULL, e164, sizeof e164, why, sizeof why) ||
		  strcmp(e164, to->value)))
		snprintf(st->problem, sizeof st->problem, _("%s is not a valid phone number: %s"), to->value,
			 why[0] ? why : _("not written as +CCNNN..."));
	else if (st->channel == CH_EMAIL && !mail_address_valid(to->value))
		snprintf(st->problem, sizeof st->problem, _("%s is not a valid email address"), to->value);
	else if (st->senders == 0)
		snprintf(st->problem, sizeof st->problem,
			 _("No running cobrod can send %s messages now: it would wait in the queue. Ask your "
			   "administrator"),
			 channel_label(st->channel));
	else if (st->channel == CH_SMS && st->size.segments > (size_t)ui->conf->sms_max_segments) {
		int max = ui->conf->sms_max_segments;
		char segs[48];

		snprintf(segs, sizeof segs, ngettext("%zu segment", "%zu segments", st->size.segments),
			 st->size.segments);
		snprintf(st->problem, sizeof st->problem,
			 ngettext("The SMS takes %s; at most %d is allowed",
				  "The SMS takes %s; at most %d are allowed", (unsigned long)max),
			 segs, max);
	} else if (st->refused && st->refusal[0])
		snprintf(st->problem, sizeof st->problem, "%s", st->refusal);
	else if (st->refused)
		snprintf(st->problem, sizeof st->problem, _("The contact policy refuses it: %s"),
			 st->verdict);
	relayout(st);
}

/* The debtor's day now, for the templates' facts. */
static void find_today(struct send_state *st)
{
	const struct tz *z = tz_cached(st->v.time_zone);
	struct civil c;

	if (z) {
		tz_local(z, ui_now(), &c);
	} else {
		time_t t = (time_t)ui_now();
		struct tm tm;

		gmtime_r(&t, &tm);
		c = (struct civil){ .year = tm.tm_year + 1900, .month = tm.tm_mon + 1, .day = tm.tm_mday };
	}
	snprintf(st->today, sizeof st->today, "%04d-%02d-%02d", c.year, c.month, c.day);
}

static int bits(unsigned x)
{
	int n = 0;

	for (; x; x &= x - 1)
		n++;
	return n;
}

/* Tests each template's facts against the account (the test cobrod makes
 * again when it sends) and orders them: those that fit first, the one that
 * needs the most facts (the most particular to this account) first; then
 * those that do not, by code. */
static void order_templates(struct send_state *st)
{
	struct template_account a;
	int n = st->ntemplates, k = 0;
	struct stored_template *sorted = xcalloc(n > 0 ? (size_t)n : 1, sizeof *sorted);
	const char **why = xcalloc(n > 0 ? (size_t)n : 1, sizeof *why);
	bool *fit = xcalloc(n > 0 ? (size_t)n : 1, sizeof *fit);

	find_today(st);
	outbox_account_facts(&st->v, st->today, &a);
	for (int i = 0; i < n; i++)
		fit[i] = template_fits(st->templates[i].requires, &a, &why[i]);
	for (int need = TF_COUNT; need >= 0; need--)
		for (int i = 0; i < n; i++)
			if (fit[i] && bits(st->templates[i].requires) == need)
				sorted[k++] = st->templates[i];
	st->nfit = k;
	free(st->unfit);
	free(st->fits);
	st->unfit = xcalloc(n > 0 ? (size_t)n : 1, sizeof *st->unfit);
	st->fits = xcalloc(n > 0 ? (size_t)n : 1, sizeof *st->fits);
	for (int i = 0; i < k; i++)
		st->fits[i] = true;
	for (int i = 0; i < n; i++)
		if (!fit[i]) {
			st->unfit[k] = why[i];
			sorted[k++] = st->templates[i];
		}
	/* The rows moved, their strings with them: only the array is new. */
	free(st->templates);
	st->templates = sorted;
	free(why);
	free(fit);
}

/* Whether a running cobrod sends the channel: asked when the screen opens
 * and when it is read again, not at every key. */
static void find_senders(struct ui *ui, struct send_state *st)
{
	if (ui->offline || !outbox_channel_senders(ui->db, st->channel, &st->senders))
		st->senders = -1;
}

static void load_templates(struct ui *ui, struct send_state *st)
{
	const char *mine = st->v.language, *other = !strcmp(mine, "es") ? "en" : "es";
	bool known = !strcmp(mine, "es") || !strcmp(mine, "en");
	long long was = st->ntemplates ? st->templates[chosen(st)].id : 0;

	stored_templates_free(st->templates, st->ntemplates);
	st->templates = NULL;
	st->ntemplates = 0;
	list_count(&st->choices, 0);
	st->fallback = false;
	snprintf(st->list_language, sizeof st->list_language, "%s", known ? mine : "");
	if (!template_store_list(ui->db, channel_name(st->channel), known ? mine : NULL, &st->templates,
				 &st->ntemplates)) {
		ui_status(ui, true, _("Could not load the templates: %s"), ui->db->err);
		return;
	}
	if (st->ntemplates == 0 && known) {
		free(st->templates);
		st->templates = NULL;
		st->fallback = true;
		snprintf(st->list_language, sizeof st->list_language, "%s", other);
		if (!template_store_list(ui->db, channel_name(st->channel), other, &st->templates,
					 &st->ntemplates)) {
			ui_status(ui, true, _("Could not load the templates: %s"), ui->db->err);
			return;
		}
		if (st->ntemplates == 0) { /* none in either: say so of the debtor's */
			st->fallback = false;
			snprintf(st->list_language, sizeof st->list_language, "%s", mine);
		}
	}
	order_templates(st);
	list_count(&st->choices, st->ntemplates);
	list_select(&st->choices, 0);
	for (int i = 0; i < st->nfit; i++)
		if (st->templates[i].id == was)
			list_select(&st->choices, i);
}

/* Reads the account again (another screen or person changed it). */
static void reload(struct ui *ui, struct send_state *st)
{
	struct account_view fresh;
	long long keep;

	if (ui->offline)
		return;
	if (!account_load(ui->db, st->v.account.id, 0, ui_now(), &fresh)) {
		ui_status(ui, true, _("Could not load the account: %s"), ui->db->err);
		return;
	}
	/* The point the person chose stays chosen if it is still usable. */
	keep = recipient(st) ? recipient(st)->id : 0;
	account_view_free(&st->v);
	st->v = fresh;
	find_recipients(ui, st, keep);
	/* The facts may have changed (a payment came): the templates are
	 * tested again, and whether a cobrod sends the channel asked again. */
	find_senders(ui, st);
	load_templates(ui, st);
}

/* ------------------------------------------------------------ queueing */

/* The database is away: the message joins what waits to be saved
 * (ui_save(): kept on disk at once, queued once when the database is back,
 * whichever screen the person goes to, and kept if cobro must exit), and
 * the screen goes back to the account. */
static void hand_over(struct ui *ui, struct send_state *st)
{
	const struct stored_template *t = &st->templates[chosen(st)];
	struct save_item it = {
		.kind = SAVE_MESSAGE,
		.account_id = st->v.account.id,
		.point_id = recipient(st)->id,
		.text = st->body,
		.msg = {
			.channel = st->channel,
			.template_id = t->id,
			.subject = st->subject,
			.params = st->params,
			.nparams = st->nparams,
			.segments = (int)st->size.segments,
			.ucs2 = st->size.encoding == SMS_UCS2,
		},
	};

	snprintf(it.key, sizeof it.key, "%s", st->key);
	ui_save(ui, &it);
	ui_pop(ui); /* st is gone */
	ui_status(ui, true, "%s", _("Not queued yet: it will be queued when the database is back"));
}

static void try_queue(struct ui *ui, struct send_state *st)
{
	const struct stored_template *t = &st->templates[chosen(st)];
	struct outbox_request r = {
		.key = st->key,
		.account_id = st->v.account.id,
		.point_id = recipient(st)->id,
		.channel = st->channel,
		.template_id = t->id,
		.subject = st->subject,
		.body = st->body,
		.params = (const char *const *)st->params,
		.nparams = st->nparams,
		.segments = (int)st->size.segments,
		.ucs2 = st->size.encoding == SMS_UCS2,
	};
	long long id;

	if (ui->offline) {
		hand_over(ui, st);
		return;
	}
	if (outbox_queue(ui->db, &r, &id)) {
		ui->own_changes = true;
		ui_pop(ui); /* st is gone */
		ui_status(ui, false, "%s", _("Queued"));
		/* This workstation's own notifications are not shown again: the
		 * account screen reloads to show the message. */
		ui_request(ui, ACTION_REFRESH);
		return;
	}
	if (db_classify(ui->db->sqlstate) == DB_CONNECTION || PQstatus(ui->db->conn) == CONNECTION_BAD) {
		ui->offline = true;
		hand_over(ui, st);
		return;
	}
	if (!strcmp(ui->db->sqlstate, "55000")) {
		/* The last cobrod that sent the channel stopped since the screen
		 * asked (message_queue(), functions/outbox.sql). */
		st->senders = 0;
		update(ui, st);
		ui_status(ui, true, "%s", st->problem);
		return;
	}
	ui_status(ui, true, _("Not queued: %s"), ui->db->err);
	relayout(st);
}

static void queue(struct ui *ui, struct send_state *st)
{
	find_senders(ui, st); /* a cobrod may have started or stopped */
	update(ui, st);       /* the verdict as of now, not as of the last key */
	if (st->problem[0]) {
		ui_status(ui, true, "%s", st->problem);
		return;
	}
	contact_new_key(st->key);
	try_queue(ui, st);
}

/* ------------------------------------------------------------- the screen */

/* Breaks text into lines of at most cols columns, at spaces where it can,
 * keeping its own line breaks. */
static int wrap(const char *text, int cols, struct span **out)
{
	struct span *lines = NULL;
	int n = 0, cap = 0;
	size_t i = 0, len = strlen(text);

	if (cols < 1)
		cols = 1;
	do {
		size_t start = i, brk = 0, end;
		int width = 0;
		bool have_brk = false;

		while (i < len && text[i] != '\n') {
			utf8proc_int32_t cp;
			utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)text + i,
							      (utf8proc_ssize_t)(len - i), &cp);
			int w;

			if (k < 1) {
				k = 1;
				cp = '?';
			}
			w = utf8proc_charwidth(cp);
			if (w < 0)
				w = 0;
			if (cp == ' ') {
				brk = i;
				have_brk = true;
			}
			if (width + w > cols && i > start)
				break;
			width += w;
			i += (size_t)k;
		}
		if (i < len && text[i] != '\n' && have_brk && brk > start) {
			end = brk;
			i = brk + 1;
		} else {
			end = i;
			if (i < len && text[i] == '\n')
				i++;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			lines = xrealloc(lines, (size_t)cap * sizeof *lines);
		}
		lines[n++] = (struct span){start, end - start};
	} while (i < len);
	*out = lines;
	return n;
}

/* What the last line says when it is not a problem: NULL when it is one. */
static const char *bottom_line(const struct send_state *st, char *buf, size_t n)
{
	if (!st->body)
		return st->ntemplates > 1 ? _("Nothing to queue: choose another template, or Esc")
		                          : _("Nothing to queue: Esc goes back");
	if (!st->problem[0]) {
		snprintf(buf, n, _("Enter queues it for %s"), recipient(st)->value);
		return buf;
	}
	return NULL;
}

/* Where things go now: after the body's size changed, and after what the
 * screen shows changed (update(), queueing). The body and the problem are
 * wrapped to the width here, once, not at every paint. */
static void relayout(struct send_state *st)
{
	char buf[512];
	bool problem = !bottom_line(st, buf, sizeof buf);

	if (!st->cols)
		return; /* not laid out yet: send_lay_out() will */
	layout_send(st->rows, st->ntemplates, st->channel == CH_EMAIL,
		    problem && text_width(st->problem) > st->cols ? 2 : 1, &st->at);
	list_layout(&st->choices, st->at.list, 0, st->at.nlist, st->cols);
	if (st->body && st->wrap_cols != st->cols) {
		free(st->lines);
		st->nlines = wrap(st->body, st->cols, &st->lines);
		st->wrap_cols = st->cols;
	}
	list_count(&st->preview, st->body ? st->nlines : 0);
	list_layout(&st->preview, st->at.preview, 0, st->at.npreview, st->cols);
	free(st->why);
	st->why = NULL;
	st->nwhy = st->problem[0] ? wrap(st->problem, st->cols, &st->why) : 0;
}

static void send_lay_out(struct ui *ui, void *state, int rows, int cols)
{
	struct send_state *st = state;

	(void)ui;
	st->rows = rows;
	st->cols = cols;
	relayout(st);
}

/* Bytes [s->off, s->off + len) of text, on line y: control characters as
 * blanks. */
static void put_span(WINDOW *w, int y, int cols, const char *text, const struct span *s, size_t len)
{
	char line[1024];
	size_t n = len < sizeof line - 1 ? len : sizeof line - 1;

	memcpy(line, text + s->off, n);
	line[n] = '\0';
	for (char *p = line; *p; p++)
		if ((unsigned char)*p < ' ')
			*p = ' ';
	ui_put(w, y, 0, cols, line);
}

enum { TPL_CODE, TPL_GIST, TPL_COLUMNS };
static const struct column template_columns[TPL_COLUMNS] = {
	[TPL_CODE] = { NULL, 26, 0, 0, false },
	[TPL_GIST] = { NULL, 0, 0, 0, false },
};

static void template_row(const struct list *l, WINDOW *w, int y, int i, bool selected, void *ctx)
{
	const struct send_state *st = ctx;
	const struct stored_template *t = &st->templates[i];
	const char *gist = t->subject ? t->subject : t->body;
	char line[512];

	if (!st->fits[i]) {
		/* Greyed, with why: its facts are false for this account. */
		ui_color_on(w, COLOR_DIM);
		snprintf(line, sizeof line, "%s %s", selected ? "\xe2\x96\xb6" : " ", t->code);
		list_cell(l, w, y, TPL_CODE, line);
		snprintf(line, sizeof line, _("not for this account: %s"), _(st->unfit[i]));
		list_cell(l, w, y, TPL_GIST, line);
		ui_color_off(w, COLOR_DIM);
		return;
	}
	snprintf(line, sizeof line, "%s %s", selected ? "\xe2\x96\xb6" : " ", t->code);
	list_cell(l, w, y, TPL_CODE, line);
	/* Its first line, dim beside the code. */
	text_first_line(line, sizeof line, gist);
	if (!selected)
		ui_color_on(w, COLOR_DIM);
	list_cell(l, w, y, TPL_GIST, line);
	if (!selected)
		ui_color_off(w, COLOR_DIM);
}

static void preview_row(const struct list *l, WINDOW *w, int y, int i, bool selected, void *ctx)
{
	const struct send_state *st = ctx;

	(void)selected;
	put_span(w, y, l->cols, st->body, &st->lines[i], st->lines[i].len);
}

static void *send_enter(struct ui *ui, void *arg)
{
	const struct send_args *a = arg;
	struct send_state *st = xcalloc(1, sizeof *st);

	ui_status(ui, false, "%s", ""); /* what the account screen last said is not about this */
	st->channel = a->channel;
	list_init(&st->choices, template_columns, TPL_COLUMNS, 0, true, template_row, st);
	list_init(&st->preview, NULL, 0, 0, false, preview_row, st);
	view_copy(&st->v, a->view);
	find_recipients(ui, st, 0);
	find_senders(ui, st);
	load_templates(ui, st);
	/* Chosen for the person (the promise's confirmation): Enter sends it,
	 * through the same checks as any other. */
	for (int i = 0; a->template_code && i < st->ntemplates; i++)
		if (!strcmp(st->templates[i].code, a->template_code)) {
			list_select(&st->choices, i);
			break;
		}
	update(ui, st);
	return st;
}

static void send_leave(struct ui *ui, void *state)
{
	struct send_state *st = state;

	(void)ui;
	clear_rendering(st);
	free(st->why);
	stored_templates_free(st->templates, st->ntemplates);
	free(st->fits);
	free(st->unfit);
	account_view_free(&st->v);
	free(st);
}

static void draw_list(const struct send_state *st, WINDOW *w, int cols)
{
	char line[512];

	ui_color_on(w, COLOR_HEADER);
	if (st->fallback && st->ntemplates)
		snprintf(line, sizeof line, _("No %s templates in %s: these are in %s"),
			 channel_label(st->channel), language_label(st->v.language),
			 language_label(st->list_language));
	else if (st->list_language[0])
		snprintf(line, sizeof line, _("%s templates in %s"), channel_label(st->channel),
			 language_label(st->list_language));
	else
		snprintf(line, sizeof line, _("%s templates"), channel_label(st->channel));
	ui_put(w, st->at.list_title, 0, cols, line);
	ui_color_off(w, COLOR_HEADER);
	if (!st->ntemplates) {
		ui_color_on(w, COLOR_ERROR);
		ui_put(w, st->at.list, 2, cols - 2, _("None: add some with cobroctl template add"));
		ui_color_off(w, COLOR_ERROR);
		return;
	}
	list_draw(&st->choices, w);
}

static void draw_preview_title(const struct send_state *st, WINDOW *w, int cols, int max_segments)
{
	const struct scroll *at = &st->preview.at;
	char line[512];
	bool over = false;

	snprintf(line, sizeof line, "%s", _("Preview"));
	if (st->body && st->channel == CH_SMS) {
		char segs[64], left[64];

		snprintf(segs, sizeof segs, ngettext("%zu segment", "%zu segments", st->size.segments),
			 st->size.segments);
		snprintf(left, sizeof left, ngettext("%zu char left", "%zu chars left", st->size.left),
			 st->size.left);
		snprintf(line, sizeof line, "%s \xc2\xb7 %s \xc2\xb7 %s \xc2\xb7 %s", _("Preview"),
			 sms_encoding_name(st->size.encoding), segs, left);
		over = st->size.segments > (size_t)max_segments;
	}
	if (at->count > at->height && at->height > 0) {
		size_t n = strlen(line);

		snprintf(line + n, sizeof line - n, _("  (lines %d-%d of %d: PgUp PgDn)"), at->top + 1,
			 at->top + at->height < at->count ? at->top + at->height : at->count, at->count);
	}
	ui_color_on(w, over ? COLOR_ERROR : COLOR_HEADER);
	ui_put(w, st->at.preview_title, 0, cols, line);
	ui_color_off(w, COLOR_HEADER);
}

static void send_draw(struct ui *ui, void *state, WINDOW *w, int rows, int cols)
{
	struct send_state *st = state;
	const struct contact_point_row *to = recipient(st);
	const struct send_layout *l = &st->at;
	char line[768], buf[512];
	const char *bottom = bottom_line(st, buf, sizeof buf);

	(void)rows;
	ui_color_on(w, COLOR_HEADER);
	snprintf(line, sizeof line, _("%s to %s  \xc2\xb7  %s  \xc2\xb7  %s"), channel_label(st->channel),
		 st->v.name, st->v.account.reference, st->v.account.creditor);
	ui_put(w, 0, 0, cols, line);
	ui_color_off(w, COLOR_HEADER);

	if (to) {
		snprintf(line, sizeof line, _("To: %s (%s%s)"), to->value,
			 label(LABEL_CONTACT_POINT, to->kind), to->primary ? _(", primary") : "");
		if (st->nrecipients > 1) {
			size_t n = strlen(line);

			snprintf(line + n, sizeof line - n, _("  \xc2\xb7  %d of %d, t for the next"),
				 st->recipient + 1, st->nrecipients);
		}
		ui_put(w, l->to, 0, cols, line);
	} else {
		ui_color_on(w, COLOR_ERROR);
		ui_put(w, l->to, 0, cols,
		       st->channel == CH_EMAIL ? _("To: no usable email address")
					       : _("To: no usable mobile number"));
		ui_color_off(w, COLOR_ERROR);
	}

	snprintf(line, sizeof line, _("Contact policy, %s now: %s"),
		 label(LABEL_CHANNEL, channel_name(st->channel)), st->verdict);
	ui_color_on(w, st->refused ? COLOR_ERROR : COLOR_INFO);
	ui_put(w, l->policy, 0, cols, line);
	ui_color_off(w, COLOR_INFO);

	draw_list(st, w, cols);
	draw_preview_title(st, w, cols, ui->conf->sms_max_segments);
	if (l->subject >= 0 && st->body) {
		snprintf(line, sizeof line, _("Subject: %s"), st->subject ? st->subject : "");
		ui_put(w, l->subject, 0, cols, line);
	}
	if (st->body) {
		list_draw(&st->preview, w);
	} else if (st->problem[0]) {
		/* Nothing to preview: why, in full, in its place. */
		ui_color_on(w, COLOR_ERROR);
		for (int i = 0; i < l->npreview && i < st->nwhy; i++)
			put_span(w, l->preview + i, cols, st->problem, &st->why[i], st->why[i].len);
		ui_color_off(w, COLOR_ERROR);
	}

	if (!st->body) {
		ui_color_on(w, COLOR_ERROR);
		ui_put(w, l->problem, 0, cols, bottom);
	} else if (!bottom) {
		/* The reason may be long (a policy rule's): up to two lines, the
		 * last one the rest, cut with "…". */
		ui_color_on(w, COLOR_ERROR);
		for (int i = 0; i < l->nproblem && i < st->nwhy; i++) {
			bool rest = i == l->nproblem - 1 && i < st->nwhy - 1;

			put_span(w, l->problem + i, cols, st->problem, &st->why[i],
				 rest ? strlen(st->problem) - st->why[i].off : st->why[i].len);
		}
	} else {
		ui_color_on(w, COLOR_PROMISE_KEPT);
		ui_put(w, l->problem, 0, cols, bottom);
	}
	ui_color_off(w, COLOR_NORMAL);
}

static enum ui_reaction send_action(struct ui *ui, void *state, enum ui_action a)
{
	struct send_state *st = state;

	switch (a) {
	case ACTION_QUEUE:
		queue(ui, st); /* may leave the screen: st is then gone */
		return UI_HANDLED;
	case ACTION_BACK:
		ui_pop(ui); /* st is gone; what is said now is the account's */
		ui_status(ui, false, "%s", _("Cancelled"));
		return UI_HANDLED;
	case ACTION_UP:
	case ACTION_DOWN:
	case ACTION_FIRST:
	case ACTION_LAST:
		if (!st->ntemplates)
			return UI_HANDLED;
		list_action(&st->choices, a);
		/* A template whose facts are false cannot be chosen, while one
		 * that fits is there. */
		if (st->nfit > 0 && list_selected(&st->choices) >= st->nfit)
			list_select(&st->choices, st->nfit - 1);
		list_select(&st->preview, 0);
		update(ui, st);
		return UI_REDRAW;
	case ACTION_RECIPIENT:
		if (st->nrecipients < 2) {
			ui_status(ui, false, "%s",
				  st->nrecipients
				      ? _("The debtor has no other usable contact point for this channel")
				      : _("The debtor has no usable contact point for this channel"));
			return UI_HANDLED;
		}
		st->recipient = (st->recipient + 1) % st->nrecipients;
		update(ui, st);
		return UI_REDRAW;
	case ACTION_PAGE_DOWN:
	case ACTION_PAGE_UP:
		list_action(&st->preview, a);
		return UI_REDRAW;
	case ACTION_REFRESH:
		reload(ui, st);
		update(ui, st);
		return UI_REDRAW;
	default: return UI_UNHANDLED;
	}
}

static enum ui_reaction send_notify(struct ui *ui, void *state, const char *channel, const char *payload)
{
	struct send_state *st = state;
	char id[24];

	if (!strcmp(channel, UI_NOTIFY_RECONNECTED)) {
		reload(ui, st);
		update(ui, st);
		return UI_REDRAW;
	}
	/* The verdict moves with the clock (allowed until 19:00) and the rules. */
	if (!strcmp(channel, UI_NOTIFY_TICK) || !strcmp(channel, NOTIFY_POLICY)) {
		update(ui, st);
		return UI_REDRAW;
	}
	if (ui->notify_own)
		return UI_HANDLED;
	snprintf(id, sizeof id, "%lld", st->v.account.id);
	if (!strcmp(channel, NOTIFY_ACCOUNT) && (!strcmp(payload, id) || !strcmp(payload, "*"))) {
		reload(ui, st);
		update(ui, st);
		return UI_REDRAW;
	}
	return UI_HANDLED;
}

static const struct keybind send_binds[] = {
	{ '\n', ACTION_QUEUE },
	{ KEY_ENTER, ACTION_QUEUE },
	{ 't', ACTION_RECIPIENT },
};
static const char *const send_bar[] = { "help", "queue", "recipient", "back", NULL };

static const struct keymap send_keys = {
	.binds = send_binds,
	.count = (int)ARRAY_SIZE(send_binds),
	.bar = send_bar,
};

const struct screen_ops send_screen = {
	.name = "send",
	.title = N_("Send"),
	.keymap = &send_keys,
	.enter = send_enter,
	.leave = send_leave,
	.layout = send_lay_out,
	.draw = send_draw,
	.action = send_action,
	.notify = send_notify,
};
