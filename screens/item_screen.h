/* The history item screen (screens/item.c): Enter on a row of the account's
 * history shows that item whole, wrapped to the screen: a note or a
 * message's whole text, a message's recipient and the steps of its
 * delivery with their times, a payment's amount, a callback's moment and
 * whose clock it is. */
#ifndef COBRO_ITEM_SCREEN_H
#define COBRO_ITEM_SCREEN_H

#include "money.h"
#include "screen.h"

extern const struct screen_ops item_screen;

/* What ui_push(ui, &item_screen, &args) takes (copied). */
struct item_args {
	long long event_id;
	const char *what;      /* the row's kind in words ("SMS ←") */
	const char *detail;    /* the row's outcome or status in words, or "" */
	enum money_form form;  /* as the screen under it writes money */
};

#endif
