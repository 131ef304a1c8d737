/* The demo portfolio: deterministic, realistic, loaded with COPY. */
#ifndef COBRO_DEMO_H
#define COBRO_DEMO_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"

struct demo_opts {
	long accounts;          /* default 5000 */
	uint64_t seed;          /* same seed, same portfolio */
	const char *dump_dir;   /* when set, also write each table's COPY text here */
	bool progress;          /* draw a progress bar on stderr */
	bool quiet;             /* no summary line on stdout either */
	bool replace;           /* empty the portfolio tables first instead of refusing */
	bool dump_only;         /* write dump_dir and touch no database (db may be unconnected) */
	/* The day the history ends, "YYYY-MM-DD" (UTC). NULL: $COBRO_DEMO_ANCHOR,
	 * else today. Same seed and anchor, same bytes. */
	const char *anchor;
};

/* Loads the portfolio into an initialised, empty-of-demo database (the people
 * ana, luis, carla, diego, sofia, marta and admin are created when missing).
 * Needs a superuser: COPY goes past row-level security. Returns false with
 * db->err set; nothing is left half-written. */
bool demo_load(struct db *db, const struct demo_opts *o);

#endif
