/* News read again and again from one moment on, each item handed out once:
 * the decisions on a collector's promises (approval.c) and accounts
 * (review.c). The first reading notes the database's clock, so that what
 * was decided before is no news. Each reading then reads everything since
 * that moment and hands out what was not told yet: an item is dated when
 * its transaction began, which may be before a reading that did not see it
 * yet, so "since the last reading" would lose some. A person has a few a
 * day. */
#ifndef COBRO_NEWS_H
#define COBRO_NEWS_H

#include <stdbool.h>

#include "db.h"

struct news_watch {
	char since[40];           /* the database's now() at the first reading, "" before */
	long long *told;          /* the ids handed out, sorted */
	int ntold;
};

/* Begins the watch at its first reading: true when it began just now (there
 * is nothing to read yet), false when it had begun already or on an error
 * (*failed then, with db->err). */
bool news_watch_begin(struct db *db, struct news_watch *w, bool *failed);
/* Whether id was handed out already. */
bool news_told(const struct news_watch *w, long long id);
/* Notes id as handed out. */
void news_tell(struct news_watch *w, long long id);
void news_watch_free(struct news_watch *w);

#endif
