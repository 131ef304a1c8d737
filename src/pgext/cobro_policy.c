/* cobro_policy.so: the contact-policy check inside PostgreSQL.
 *
 * The database refuses a contact_policy version that does not parse or that
 * loosens a locked rule of the version in force, whoever writes it
 * (docs/security.md, "Contact policy versions"). It asks the very parser and
 * lock check cobrod and cobroctl use (src/core/policy.c, policy_rules.c,
 * compiled again with -fPIC into this library): there is one reading of the
 * rules, not two that could drift apart.
 *
 *   cobro.policy_verify(text, holidays, prev_text, prev_holidays) RETURNS text
 *	NULL when text (with its holidays) parses and, when prev_text is not
 *	NULL, keeps every locked rule of prev; otherwise why not, as cobroctl
 *	policy load says it.
 *
 * The core's code allocates with malloc and never throws: everything it
 * allocates is freed before this returns, and the answer is copied to
 * palloc'd memory. Its symbols are hidden (-fvisibility=hidden,
 * -Bsymbolic), so that none of them can meet one of the server's. */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

#include "policy.h"

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(cobro_policy_verify);

/* A NUL-terminated palloc'd copy of a text argument, or NULL for SQL NULL. */
static char *arg_cstring(FunctionCallInfo fcinfo, int n)
{
	return PG_ARGISNULL(n) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(n));
}

Datum cobro_policy_verify(PG_FUNCTION_ARGS)
{
	char *rules = arg_cstring(fcinfo, 0), *holidays = arg_cstring(fcinfo, 1);
	char *prev_text = arg_cstring(fcinfo, 2), *prev_holidays = arg_cstring(fcinfo, 3);
	struct policy *next, *prev;
	char err[512] = "";
	bool ok = false;

	if (!rules)
		PG_RETURN_TEXT_P(cstring_to_text("the contact rules are missing"));
	next = policy_parse(rules, "contact_policy", holidays, err, sizeof err);
	if (next && !prev_text) {
		ok = true;
	} else if (next) {
		char perr[512];

		prev = policy_parse(prev_text, "version in force", prev_holidays, perr, sizeof perr);
		if (!prev)
			snprintf(err, sizeof err, "the version in force does not parse: %s", perr);
		else
			ok = policy_check_locks(prev, next, err, sizeof err);
		policy_free(prev);
	}
	policy_free(next);
	if (ok)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(err[0] ? err : "the contact rules are not valid"));
}
