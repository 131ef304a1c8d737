/* The screens' words are translated (gettext, domain "cobro"): _("...")
 * where used, N_("...") to mark text in tables, translated when shown.
 * Counts take ngettext(one, many, n): the catalogue's Plural-Forms says
 * which form a number takes.
 *
 * A word English shares and another language does not ("sent": a letter
 * "enviada", an SMS "enviado") carries a context: NC_("letter", "sent")
 * marks it in a table (xgettext -kNC_:1c,2 reads the context apart) and
 * pgettext_key() translates it, as gettext.h's pgettext does. */
#ifndef COBRO_INTL_H
#define COBRO_INTL_H

#include <libintl.h>
#include <string.h>

#define _(s) gettext(s)
#define N_(s) (s)
#define NC_(ctx, s) ctx "\004" s

/* The translation of a key NC_() made, or its text without the context. */
static inline const char *pgettext_key(const char *key)
{
	const char *t = gettext(key);
	const char *eot = strchr(key, '\004');

	return t == key && eot ? eot + 1 : t;
}

#endif
