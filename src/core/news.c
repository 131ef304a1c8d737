/* News handed out once (news.h). */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "news.h"
#include "util.h"

bool news_watch_begin(struct db *db, struct news_watch *w, bool *failed)
{
	PGresult *r;

	*failed = false;
	if (w->since[0])
		return false;
	if (!(r = db_exec(db, "SELECT now()::text", 0, NULL))) {
		*failed = true;
		return false;
	}
	snprintf(w->since, sizeof w->since, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return true;
}

static int cmp_id(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

bool news_told(const struct news_watch *w, long long id)
{
	return w->ntold && bsearch(&id, w->told, (size_t)w->ntold, sizeof id, cmp_id);
}

void news_tell(struct news_watch *w, long long id)
{
	int i = w->ntold;

	/* Kept sorted by inserting in place: ids mostly come in order. */
	w->told = xrealloc(w->told, (size_t)(w->ntold + 1) * sizeof *w->told);
	while (i > 0 && w->told[i - 1] > id) {
		w->told[i] = w->told[i - 1];
		i--;
	}
	w->told[i] = id;
	w->ntold++;
}

void news_watch_free(struct news_watch *w)
{
	free(w->told);
	memset(w, 0, sizeof *w);
}
