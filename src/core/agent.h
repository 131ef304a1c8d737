/* People and teams: each person is a PostgreSQL login role in one group. */
#ifndef COBRO_AGENT_H
#define COBRO_AGENT_H

#include <stdbool.h>
#include <stdio.h>

#include "db.h"

/* Creates LOGIN (when missing) in the group of role, and the agent row.
 * password may be NULL (peer, trust or certificate authentication). */
bool agent_add(struct db *db, const char *login, const char *name, const char *role,
               const char *team, const char *password);
bool team_add(struct db *db, const char *code, const char *name);
/* Prints login, name, role, team, active; one line each. */
bool agent_list(struct db *db, FILE *out);

/* Who is logged in: their agent row, read through row-level security. */
struct whoami {
	long long id;
	char login[64];
	char name[201];
	char role[16];
	char team[33];
};
bool agent_whoami(struct db *db, struct whoami *w);

#endif
