/* Every screen of the workstation, one line each. The screen manager opens
 * the home screen at start and the help screen on ?, about the screen under
 * it; cobro --keys, and so cobro(1)'s KEYS, list their keys in this order.
 * A new screen is its file and one line here (docs/architecture.md). */
#include "registry.h"

#define SCREENS(X)                      \
	X(worklist_screen, SCREEN_HOME) \
	X(account_screen, SCREEN_OPENED) \
	X(send_screen, SCREEN_OPENED)   \
	X(promise_screen, SCREEN_OPENED) \
	X(item_screen, SCREEN_OPENED)   \
	X(approvals_screen, SCREEN_OPENED) \
	X(review_screen, SCREEN_KEYED)  \
	X(reassign_screen, SCREEN_OPENED) \
	X(dashboard_screen, SCREEN_KEYED) \
	X(drill_screen, SCREEN_OPENED)  \
	X(help_screen, SCREEN_HELP)

#define DECLARE(ops, role) extern const struct screen_ops ops;
SCREENS(DECLARE)
#undef DECLARE

static const struct screen_entry entries[] = {
#define ENTRY(ops, role) { &ops, role },
	SCREENS(ENTRY)
#undef ENTRY
};

const struct screen_registry cobro_screens = { entries, (int)(sizeof entries / sizeof entries[0]) };
