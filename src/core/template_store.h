/* Message templates in the database (cobro.template): what `cobroctl
 * template` manages and the send screen lists. The SQL lives here; parsing
 * and rendering are template.c's. */
#ifndef COBRO_TEMPLATE_STORE_H
#define COBRO_TEMPLATE_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "template.h"

struct stored_template {
	long long id;
	char code[64];
	char channel[9];     /* sms, email, whatsapp, letter */
	char language[3];    /* es, en */
	char *subject;       /* malloc'd; NULL unless email (or a letter's) */
	char *body;          /* malloc'd */
	unsigned requires;   /* the facts it needs (template_fits()), 1u << TF_x */
	char updated_at[17]; /* "YYYY-MM-DD HH:MM" */
	char created_by[64];
};

/* Templates for channel and language (either NULL: all), ordered by code,
 * channel, language. *out is malloc'd (free with stored_templates_free). */
bool template_store_list(struct db *db, const char *channel, const char *language,
			 struct stored_template **out, int *n);
/* One template; false with db->err "no template CODE (CHANNEL, LANGUAGE)"
 * and sqlstate "02000" when there is none. */
bool template_store_get(struct db *db, const char *code, const char *channel, const char *language,
			struct stored_template *out);
/* Stores defs (already parsed and checked) in one transaction: each is
 * added, or replaces the template with its code, channel and language
 * (which keeps its id; updated_at is set). replaced[i] tells which (may be
 * NULL). All or nothing: false, nothing stored, with db->err and
 * db->sqlstate (42501 for anyone but an administrator). */
bool template_store_put(struct db *db, const struct template_def *defs, int n, bool *replaced);
/* Removes the templates with code (on channel and in language when given);
 * *removed says how many. Messages sent from them keep their text. Whether
 * the strategy in force still needs them is strategy_store.h's
 * strategy_store_template_in_use(), which cobroctl asks first. */
bool template_store_remove(struct db *db, const char *code, const char *channel, const char *language,
			   int *removed);
/* The id of the account with this reference, as the person logged in may
 * see it, for previewing a template with its data (account_load). False
 * with db->err "no account REF (or not one you may see)" and sqlstate
 * "02000" when there is none. */
bool template_store_account(struct db *db, const char *reference, long long *account_id);
/* The facts of queued messages' accounts and their templates' requirements,
 * for cobrod's test at send time (cobro.message_facts(), one query for a
 * batch): out[i] answers for ids[i]; known is false for a message not found.
 * at is the instant whose day (the debtor's) counts. */
struct message_facts {
	bool known;
	unsigned requires;
	char today[11], oldest_due[11], promise_status[12], promise_date[11];
	long long past_due;
	bool unpaid, has_payment;
};
bool template_store_message_facts(struct db *db, const long long *ids, int n, int64_t at,
				  struct message_facts *out);
/* f as template_fits() takes it; strings point into f. */
void message_facts_account(const struct message_facts *f, struct template_account *a);
void stored_template_free(struct stored_template *t);
void stored_templates_free(struct stored_template *t, int n);

#endif
