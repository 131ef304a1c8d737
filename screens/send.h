/* The send screen (screens/send.c): a message to the debtor of the open
 * account from a template, previewed, measured, judged by the contact
 * policy and queued for cobrod. */
#ifndef COBRO_SEND_H
#define COBRO_SEND_H

#include "account.h"
#include "policy.h"
#include "screen.h"

extern const struct screen_ops send_screen;

/* What ui_push(ui, &send_screen, &args) takes. The view is copied: the
 * account screen underneath may reload its own while this one is open. */
struct send_args {
	const struct account_view *view;
	enum channel channel; /* CH_SMS, CH_EMAIL or CH_WHATSAPP */
	/* The template chosen when the screen opens (the promise form's
	 * confirmation), if the channel has it; NULL: the first that fits. */
	const char *template_code;
};

#endif
