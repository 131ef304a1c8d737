/* The audit chain read and recorded (functions/audit_chain.sql): a login
 * written once a program's session is open, the chain verified, and its
 * rows shown as a table. The chain itself is written by the database
 * (functions/audit.sql); no program writes audit rows directly. */
#ifndef COBRO_AUDIT_H
#define COBRO_AUDIT_H

#include <stdbool.h>
#include <stdio.h>

#include "db.h"

/* Records this session's login for program ("cobro", "cobroctl",
 * "cobrod"). A database whose schema has no audit_login() yet (before
 * cobroctl init or migrate) records nothing and is no error. False with
 * db->err when the database refuses. */
bool audit_login(struct db *db, const char *program);

struct audit_check {
	long long rows;       /* rows checked */
	long long broken_id;  /* the first broken link's row, 0 when intact */
	char problem[16];     /* changed, removed, inserted, relinked, head; "" */
	char detail[512];     /* the link in words */
	char head[65];        /* the chain head's hash in hex, "" when none */
};

/* Recomputes the chain (audit_verify()). False with db->err when it could
 * not be read; true with c filled otherwise, intact or not. */
bool audit_verify(struct db *db, struct audit_check *c);

/* Whether a row of the chain has the hash given in hex (a head printed by
 * an earlier verify and kept elsewhere): *id its row, 0 when none. False
 * with db->err. */
bool audit_find_hash(struct db *db, const char *hex, long long *id);

/* Prints the rows chosen, oldest first, as a table in display cells:
 * id, when (UTC), who, action, what row, what changed. Any filter may be
 * NULL: account (its reference: rows about the account, its promises and
 * payments), agent (a login: rows they wrote, and rows about them), since
 * (a date, YYYY-MM-DD, UTC). Sets *shown to the rows printed. False with
 * db->err (an unknown account, a date that is not one). */
bool audit_show(struct db *db, FILE *out, const char *account, const char *agent, const char *since,
                long long *shown);

#endif
