#include "policy_case.h"

#include <errno.h>
#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "util.h"

static int line_of(const config_setting_t *s) { return s ? (int)config_setting_source_line(s) : 0; }

#define FAIL(s, ...)                                                                                   \
	do {                                                                                           \
		char msg_[384];                                                                        \
		snprintf(msg_, sizeof msg_, __VA_ARGS__);                                              \
		snprintf(err, errlen, "%s:%d: %s", path, line_of(s), msg_); \
		goto fail;                                                                             \
	} while (0)

static bool read_channels(const config_setting_t *list, chanset *out, const char **bad)
{
	*out = 0;
	for (int i = 0; list && i < config_setting_length(list); i++) {
		const char *v = config_setting_get_string_elem(list, (unsigned)i);
		enum channel ch;

		if (!v || !channel_parse(v, &ch)) {
			*bad = v ? v : "(not a string)";
			return false;
		}
		*out |= 1u << ch;
	}
	return true;
}

static const char *keep(struct policy_case *c, size_t *n, const char *s)
{
	if (!s)
		return NULL;
	snprintf(c->strings[*n], sizeof c->strings[*n], "%s", s);
	return c->strings[(*n)++];
}

bool policy_case_read(struct policy_case *c, const char *path, const struct policy *rules, char *err, size_t errlen)
{
	size_t len;
	char *text = read_text_file(path, &len, err, errlen);
	bool ok;

	memset(c, 0, sizeof *c);
	if (!text)
		return false;
	if (strlen(text) != len) {
		snprintf(err, errlen, "%s: a NUL byte at offset %zu; a case file is text", path, strlen(text));
		free(text);
		return false;
	}
	ok = policy_case_parse(c, text, path, rules, err, errlen);
	free(text);
	return ok;
}

bool policy_case_parse(struct policy_case *c, const char *text, const char *path, const struct policy *rules,
                       char *err, size_t errlen)
{
	config_t cf;
	const config_setting_t *d, *h, *k, *s;
	const char *v, *bad;
	size_t nstr = 0;
	int nhist;

	memset(c, 0, sizeof *c);
	config_init(&cf);
	if (!conf_numbers_check(text, path, err, errlen) || !config_read_string(&cf, text)) {
		if (config_error_text(&cf))
			snprintf(err, errlen, "%s:%d: %s", path, config_error_line(&cf), config_error_text(&cf));
		config_destroy(&cf);
		return false;
	}
	if (!(d = config_lookup(&cf, "debtor")) || config_setting_type(d) != CONFIG_TYPE_GROUP)
		FAIL(d, "debtor = { jurisdiction = ...; time_zone = ...; }; is required");
	if (!config_setting_lookup_string(d, "jurisdiction", &v))
		FAIL(d, "debtor.jurisdiction is required");
	if (!policy_has_jurisdiction(rules, v))
		FAIL(config_setting_get_member(d, "jurisdiction"), "debtor.jurisdiction: unknown jurisdiction \"%s\"", v);
	snprintf(c->jurisdiction, sizeof c->jurisdiction, "%s", v);
	if (!config_setting_lookup_string(d, "time_zone", &v))
		FAIL(d, "debtor.time_zone is required");
	{
		char e[128];

		if (!tz_load(&c->zones[0], v, e, sizeof e))
			FAIL(config_setting_get_member(d, "time_zone"), "debtor.time_zone: %s", e);
	}
	c->debtor.nzones = 1;
	if ((s = config_setting_get_member(d, "phone_time_zones"))) {
		for (int i = 0; i < config_setting_length(s); i++) {
			char e[128];
			const char *z = config_setting_get_string_elem(s, (unsigned)i);

			if (c->debtor.nzones == POLICY_MAX_ZONES)
				FAIL(s, "debtor.phone_time_zones: at most %d zones", POLICY_MAX_ZONES - 1);
			if (!z || !tz_load(&c->zones[c->debtor.nzones], z, e, sizeof e))
				FAIL(s, "debtor.phone_time_zones: %s", z ? e : "must be a list of zone names");
			c->debtor.nzones++;
		}
	}
	for (int i = 0; i < c->debtor.nzones; i++)
		c->debtor.zones[i] = &c->zones[i];
	c->debtor.consent = CH_ALL;
	if ((s = config_setting_get_member(d, "consent")) && !read_channels(s, &c->debtor.consent, &bad))
		FAIL(s, "debtor.consent: unknown channel \"%s\"", bad);
	if ((s = config_setting_get_member(d, "opted_out")) && !read_channels(s, &c->debtor.opted_out, &bad))
		FAIL(s, "debtor.opted_out: unknown channel \"%s\"", bad);
	snprintf(c->state, sizeof c->state, "active");
	if (config_setting_lookup_string(d, "state", &v))
		snprintf(c->state, sizeof c->state, "%s", v);
	c->debtor.jurisdiction = c->jurisdiction;
	c->debtor.state = c->state;

	h = config_lookup(&cf, "history");
	nhist = h ? config_setting_length(h) : 0;
	c->history = xcalloc((size_t)(nhist ? nhist : 1), sizeof *c->history);
	/* Room for every debt and creditor name: the contact's and each event's. */
	c->strings = xcalloc(2 + 2 * (size_t)nhist, sizeof *c->strings);
	for (int i = 0; i < nhist; i++) {
		const config_setting_t *e = config_setting_get_elem(h, (unsigned)i);
		struct policy_event *ev = &c->history[i];
		const char *debt = NULL, *cred = NULL;

		if (!config_setting_lookup_string(e, "at", &v) || !time_parse_iso(v, &ev->at))
			FAIL(e, "history: at must be a time like \"2026-11-24T09:00:00-05:00\"");
		if (!config_setting_lookup_string(e, "channel", &v) || !channel_parse(v, &ev->channel))
			FAIL(e, "history: unknown channel \"%s\"", v ? v : "");
		if (!config_setting_lookup_string(e, "kind", &v) || !kind_parse(v, &ev->kind))
			FAIL(e, "history: unknown kind \"%s\" (attempt, placed, conversation, sent)", v ? v : "");
		config_setting_lookup_string(e, "debt", &debt);
		config_setting_lookup_string(e, "creditor", &cred);
		ev->debt = debt;
		ev->creditor = cred;
		c->nhistory++;
	}
	if (!(k = config_lookup(&cf, "contact")))
		FAIL(NULL, "contact = { at = ...; channel = ...; }; is required");
	if (!config_setting_lookup_string(k, "at", &v) || !time_parse_iso(v, &c->contact.at))
		FAIL(k, "contact.at must be a time like \"2026-11-24T10:00:00-05:00\"");
	if (!config_setting_lookup_string(k, "channel", &v) || !channel_parse(v, &c->contact.channel))
		FAIL(k, "contact.channel: unknown channel \"%s\"", v ? v : "");
	config_setting_lookup_string(k, "debt", &c->contact.debt);
	config_setting_lookup_string(k, "creditor", &c->contact.creditor);
	/* The strings live in cf; copy them before it goes. */
	c->contact.debt = keep(c, &nstr, c->contact.debt);
	c->contact.creditor = keep(c, &nstr, c->contact.creditor);
	for (size_t i = 0; i < c->nhistory; i++) {
		c->history[i].debt = keep(c, &nstr, c->history[i].debt);
		c->history[i].creditor = keep(c, &nstr, c->history[i].creditor);
	}
	config_destroy(&cf);
	return true;
fail:
	config_destroy(&cf);
	policy_case_free(c);
	return false;
}

void policy_case_free(struct policy_case *c)
{
	for (int i = 0; i < POLICY_MAX_ZONES; i++)
		tz_free(&c->zones[i]);
	free(c->history);
	free(c->strings);
	memset(c, 0, sizeof *c);
}
