/* The account screen's outcomes that cannot be taken back by a later call
 * (issue 15, lines 3 and 6): a wrong number names the number and a dispute
 * its reason, each says what it will do and waits for a yes; what was marked
 * is undone with `u` on the same visit (account_undo_call() allows it to
 * whoever logged the call, for a few minutes); `d` says the due callback is
 * done. account.c keeps the saving (save_pending()). */
#ifndef COBRO_ACCOUNT_OUTCOME_H
#define COBRO_ACCOUNT_OUTCOME_H

#include "account_lists.h"

typedef void (*account_save_fn)(struct ui *ui, struct account_state *st);

/* `c`: the outcome menu; a chosen outcome ends in save(ui, st) with
 * st->pending filled. */
void account_outcome_ask(struct ui *ui, struct account_state *st, account_save_fn save);
/* p was just saved: what it marked may be undone now, or after a right
 * party a promise is offered (p). Returns what to say on the status line,
 * or NULL for the plain "Saved". */
const char *account_outcome_saved(struct account_state *st, const struct pending *p);
/* `u` and `d`. */
void account_outcome_undo(struct ui *ui, struct account_state *st);
void account_outcome_done(struct ui *ui, struct account_state *st);

#endif
