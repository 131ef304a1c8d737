/* What the pieces of cobroctl share. */
#ifndef COBRO_COBROCTL_H
#define COBRO_COBROCTL_H

#include "config.h"
#include "db.h"

struct ctl {
	const char *config;
	const char *database;
	const char *user;
	struct cobro_conf conf;
	struct db db;
};

/* Connects to the database or dies with the reason. */
void ctl_connect(struct ctl *c);
/* A whole number from min to max, or dies naming the option. */
long parse_long(const char *what, const char *s, long min, long max);

/* cobroctl policy check|load|show (src/cobroctl_policy.c). */
int ctl_policy(struct ctl *c, int argc, char **argv);
/* cobroctl template add|list|show|preview|remove (src/cobroctl_template.c). */
int ctl_template(struct ctl *c, int argc, char **argv);

#endif
