/* The account screen (account.c), as the screens that open it see it: the
 * worklist opens it, and reads accounts ahead for it. */
#ifndef COBRO_ACCOUNT_SCREEN_H
#define COBRO_ACCOUNT_SCREEN_H

#include <stdbool.h>

#include "ui.h"

/* ui_push(ui, &account_screen, &id): id is a long long, kept by the caller. */
extern const struct screen_ops account_screen;

/* Reads account id ahead, as the account screen would show it, taking no
 * lease and painting nothing: opening it then paints at once (and reads it
 * again just after). The first time, it rehearses the whole opening, so that
 * the first account opened is as quick as the rest. */
void account_screen_ahead(struct ui *ui, long long id);
/* A notification, for the account read ahead: a change to it, or someone
 * else taking or leaving its lease, drops it (and true is returned, so that
 * it may be read again). */
bool account_screen_heard(struct ui *ui, const char *channel, const char *payload);
/* Frees what was read ahead. */
void account_screen_forget(void);

#endif
