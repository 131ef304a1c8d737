/* The screens' words are translated (gettext, domain "cobro"): _("...")
 * where used, N_("...") to mark text in tables, translated when shown. */
#ifndef COBRO_INTL_H
#define COBRO_INTL_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

#endif
