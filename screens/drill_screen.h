/* The drill-down (drill.c) as the dashboard sees it: Enter on an agent. */
#ifndef COBRO_DRILL_SCREEN_H
#define COBRO_DRILL_SCREEN_H

#include "ui.h"

/* The agent drilled into; kept by the caller while the screen is open. */
struct drill_agent {
	long long agent_id;
	char login[64];
	char name[208];
};

/* Opens the agent's worklist and recent events on top. */
void drill_open(struct ui *ui, const struct drill_agent *a);

#endif
