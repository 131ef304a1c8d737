/* STUB: the API of reassign.h compiles and its pure parts work; the calls
 * that reach the database are written next (functions/reassign.sql). */
#include "reassign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void reassign_filter_init(struct reassign_filter *f)
{
	memset(f, 0, sizeof *f);
	f->balance_min = -1;
	f->balance_max = -1;
}

static const char *const mode_names[] = { "one", "count", "balance" };

bool reassign_mode_parse(const char *s, enum reassign_mode *out)
{
	for (int i = 0; i < 3; i++)
		if (s && strcmp(s, mode_names[i]) == 0) {
			*out = (enum reassign_mode)i;
			return true;
		}
	return false;
}

const char *reassign_mode_name(enum reassign_mode m)
{
	return (unsigned)m < 3 ? mode_names[m] : "?";
}

static bool stub(struct db *db)
{
	snprintf(db->err, sizeof db->err, "reassignment is not written yet");
	snprintf(db->sqlstate, sizeof db->sqlstate, "0A000");
	return false;
}

bool reassign_count(struct db *db, const struct reassign_filter *f, struct reassign_total *out)
{
	(void)f;
	memset(out, 0, sizeof *out);
	return stub(db);
}

bool reassign_preview(struct db *db, const struct reassign_filter *f, const struct reassign_targets *t,
                      enum reassign_mode m, struct reassign_preview *out)
{
	(void)f, (void)t, (void)m;
	memset(out, 0, sizeof *out);
	return stub(db);
}

bool reassign_apply(struct db *db, const struct reassign_filter *f, const struct reassign_targets *t,
                    enum reassign_mode m, long long *batch, struct reassign_preview *out)
{
	(void)f, (void)t, (void)m;
	*batch = 0;
	if (out)
		memset(out, 0, sizeof *out);
	return stub(db);
}

void reassign_preview_free(struct reassign_preview *p)
{
	free(p->shares);
	p->shares = NULL;
	p->n = 0;
}

bool reassign_undo(struct db *db, long long batch, struct reassign_undo_result *out)
{
	(void)batch;
	memset(out, 0, sizeof *out);
	return stub(db);
}

bool reassign_batches(struct db *db, const char *team, int limit, struct reassign_batch **out, int *n)
{
	(void)team, (void)limit;
	*out = NULL;
	*n = 0;
	return stub(db);
}

bool reassign_agents(struct db *db, const char *team, struct reassign_agent **out, int *n)
{
	(void)team;
	*out = NULL;
	*n = 0;
	return stub(db);
}

bool reassign_absent(struct db *db, const char *login, const char *until, long long *batch, long long *moved)
{
	(void)login, (void)until;
	*batch = *moved = 0;
	return stub(db);
}

bool reassign_present(struct db *db, const char *login, long long *returned, long long *kept)
{
	(void)login;
	*returned = *kept = 0;
	return stub(db);
}

bool reassign_sweep(struct db *db, int *n)
{
	*n = 0;
	return stub(db);
}
