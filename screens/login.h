/* The login form (screens/login.c). */
#ifndef COBRO_LOGIN_H
#define COBRO_LOGIN_H

#include <stdbool.h>
#include <stddef.h>

#include "db.h"

/* Asks for user (prefilled with user, when given) and password on the
 * terminal and connects db with them, up to five tries. False when the
 * person quits, the tries run out, or the failure is not about the login;
 * err then says why, in English, for the message cobro exits with. */
bool login_run(struct db *db, const char *conninfo, const char *user, const char *appname, char *err,
               size_t errsize);

#endif
