/* One contact to judge, read from a case file (libconfig), for
 * `cobroctl policy check CASEFILE` and the policy tests. cobroctl(1) documents
 * the format. */
#ifndef COBRO_POLICY_CASE_H
#define COBRO_POLICY_CASE_H

#include "policy.h"
#include "tz.h"

struct policy_case {
	char jurisdiction[8];
	char state[32];
	struct tz zones[POLICY_MAX_ZONES];
	struct policy_debtor debtor;
	struct policy_event *history;
	size_t nhistory;
	char (*strings)[64];   /* debt and creditor names the events point into */
	struct policy_contact contact;
};

/* Reads path; checks jurisdiction against rules, and every channel, kind, time
 * zone and time. On error: "FILE:LINE: what is wrong". */
bool policy_case_read(struct policy_case *c, const char *path, const struct policy *rules, char *err, size_t errlen);
/* The same for a case file's text; path names it in messages. */
bool policy_case_parse(struct policy_case *c, const char *text, const char *path, const struct policy *rules,
                       char *err, size_t errlen);
void policy_case_free(struct policy_case *c);

#endif
