#include "format.h"

#include <stdio.h>

#include "intl.h"
#include "policy_store.h"
#include "tz.h"

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
