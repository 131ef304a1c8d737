/* The reassign screen (reassign.c) as the screens that open it see it: `a`,
 * for team leads and administrators; anyone else is told it is not theirs
 * (the database refuses them anyway). */
#ifndef COBRO_REASSIGN_SCREEN_H
#define COBRO_REASSIGN_SCREEN_H

#include <stdbool.h>

#include "agent.h"

struct ui;

/* Whether this person may move accounts: a lead or an administrator. */
bool reassign_for(const struct whoami *me);
/* Offers `a` in the help and key bars only to those it is for. */
void reassign_offer(struct ui *ui);
/* Opens the reassign screen on top, or says on the status line why not. */
void reassign_open(struct ui *ui);

#endif
