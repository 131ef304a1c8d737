/* The lines every screen shares: the title on top, the status line and the
 * key bar (htop style: the key plain, its label on a coloured field). */
#ifndef COBRO_BARS_H
#define COBRO_BARS_H

#include <stdbool.h>

#include "agent.h"
#include "keys.h"
#include "layout.h"

/* " cobro · Title" on the left, "Name (login, team)" on the right. */
void bars_title(const struct frame *f, const char *title, const struct whoami *me);
/* The status line: what was last said, in red when it is an error. */
void bars_status(const struct frame *f, const char *message, bool error);
/* The key bar: the actions km's bar names, each with its first key. */
void bars_keys(const struct frame *f, const struct keymap *km);

#endif
