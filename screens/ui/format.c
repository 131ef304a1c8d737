#include "format.h"

#include <stdio.h>
#include <stdlib.h>

#include "intl.h"
#include "policy_store.h"
#include "tz.h"

/* The policy's reasons come in Spanish and English: the one the screen
 * speaks, read from the environment as gettext reads it. */
enum lang ui_lang(void)
{
	const char *names[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const char *l = getenv(names[i]);

		if (l && *l)
			return l[0] == 'e' && l[1] == 's' ? LANG_ES : LANG_EN;
	}
	return LANG_EN;
}

int64_t ui_now(void)
{
	return policy_now();
}

void ui_verdict(char *out, size_t n, const struct policy_verdict *v, const struct tz *z)
{
	char when[32];

	if (v->allowed && v->until) {
		ui_when(when, sizeof when, z, v->until);
		snprintf(out, n, _("allowed until %s"), when);
	} else if (v->allowed) {
		snprintf(out, n, "%s", _("allowed"));
	} else if (!v->rule) {
		/* Refused before any rule: no number or address left to use. */
		snprintf(out, n, _("refused: %s"), v->reason[ui_lang()]);
	} else if (v->next) {
		ui_when(when, sizeof when, z, v->next);
		snprintf(out, n, _("refused %s, next %s"), policy_rule_id(v->rule), when);
	} else {
		snprintf(out, n, _("refused %s"), policy_rule_id(v->rule));
	}
}

void ui_when(char *out, size_t n, const struct tz *z, int64_t t)
{
	static const char *const days[] = { N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun") };
	struct civil c, now;

	tz_local(z, t, &c);
	tz_local(z, ui_now(), &now);
	if (c.year == now.year && c.month == now.month && c.day == now.day)
		snprintf(out, n, "%02d:%02d", c.hour, c.min);
	else if (t - ui_now() < 6 * 86400)
		snprintf(out, n, "%s %02d:%02d", _(days[c.wday]), c.hour, c.min);
	else
		snprintf(out, n, "%04d-%02d-%02d %02d:%02d", c.year, c.month, c.day, c.hour, c.min);
}
