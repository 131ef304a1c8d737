/* The promise form (screens/promise.c): `p` on the account screen. */
#ifndef COBRO_PROMISE_SCREEN_H
#define COBRO_PROMISE_SCREEN_H

#include "account.h"
#include "screen.h"

extern const struct screen_ops promise_screen;

/* What ui_push(ui, &promise_screen, &args) takes. What the form needs of
 * the view is copied: the account screen underneath may reload its own. */
struct promise_args {
	const struct account_view *view;
};

#endif
