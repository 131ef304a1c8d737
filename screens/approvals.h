/* The approval list (approvals.c) as the worklist sees it: the key that
 * opens it, only for those who may decide, and the news of decisions on
 * the person's own promises. */
#ifndef COBRO_APPROVALS_H
#define COBRO_APPROVALS_H

#include <stdbool.h>

#include "agent.h"

struct ui;

/* Whether this person may decide promises (a supervisor, a lead, an
 * administrator): a collector is offered no approval list. */
bool approvals_for(const struct whoami *me);
/* At start: withholds the approval keys from a collector, and notes where
 * the news of decisions starts. */
void approvals_offer(struct ui *ui);
/* Opens the approval list on top. */
void approvals_open(struct ui *ui);
/* Every notification the worklist hears: a change to an account may be a
 * decision on one of the person's promises. */
void approvals_heard(struct ui *ui, const char *channel, const char *payload);
/* At a wake-up, once what the status line shows is settled (the worklist
 * on top reloaded and said its count): the decisions heard of, said
 * ("Promise on REF approved by sofia"). */
void approvals_news(struct ui *ui);
/* Leaving cobro: what the watch keeps is freed. */
void approvals_forget(void);

#endif
