/* The agents' figures (docs/metrics.md), as agent_metrics() computes them in
 * the database: one call, one row per agent and one of totals per team. The
 * dashboard and `cobroctl report agents` read them from here and only format
 * them. */
#ifndef COBRO_METRICS_H
#define COBRO_METRICS_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"

#define METRICS_MAX_CURRENCIES 8

/* An amount in each currency the figures met, in minor units. */
struct metric_money {
	int n;
	struct {
		char currency[4];
		int64_t amount;
	} sum[METRICS_MAX_CURRENCIES];
};

/* A ratio or an average that has no value (nothing to divide by) is
 * negative: rates and averages are never negative otherwise. */
struct agent_figures {
	char team[64];
	int64_t agent_id;          /* 0: the team's totals */
	char login[64];
	char name[208];
	char now_state[16];        /* account, idle, offline; "" for totals */
	char now_account[64];      /* the account's reference when on one */
	int now_minutes;           /* -1: offline or totals */
	int64_t accounts_worked, calls, rpc;
	double rpc_rate;
	int64_t promises;
	struct metric_money promise_amount;
	double promise_rate;
	int64_t kept_30d, broken_30d;
	double kept_rate;
	struct metric_money collected;
	int64_t sms, email, whatsapp;
	int64_t avg_seconds_per_account;   /* -1: no visit */
	int64_t contacts, active_hours;
	double contacts_per_hour;
};

/* The figures over the calendar days from .. to (both included, "YYYY-MM-DD",
 * in the session's time zone) for team (a team's code; NULL: the caller's
 * own, or every team for an administrator). *out is malloc'd, *n its rows.
 * False with db->err (and db->sqlstate: 42501 when the caller may not). */
bool metrics_agents_days(struct db *db, const char *from, const char *to, const char *team,
                         struct agent_figures **out, int *n);

/* The same over [from, to), two moments as PostgreSQL reads them. */
bool metrics_agents_range(struct db *db, const char *from, const char *to, const char *team,
                          struct agent_figures **out, int *n);

/* One point of the hourly sparkline: an agent's contacts in a clock hour. */
struct agent_hour {
	int64_t agent_id;
	int64_t hour;      /* the hour's start, seconds since the epoch */
	int64_t contacts;
};

/* agent_hourly() over [from, to) (two moments as PostgreSQL reads them) for
 * team as metrics_agents_range() takes it: hours with contacts only, by
 * agent then hour. *out is malloc'd, *n its rows; false with db->err. */
bool metrics_hourly_range(struct db *db, const char *from, const char *to, const char *team,
                          struct agent_hour **out, int *n);

/* Parses {"CLP": 123, ...} into m; false when it is not that. */
bool metrics_money_parse(const char *json, struct metric_money *m);

#endif
