#include "contact.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <utf8proc.h>

#include "util.h"

static const char *const outcome_codes[OUTCOME__COUNT] = {
	[OUTCOME_RIGHT_PARTY] = "right_party",   [OUTCOME_THIRD_PARTY] = "third_party",
	[OUTCOME_NO_ANSWER] = "no_answer",       [OUTCOME_BUSY] = "busy",
	[OUTCOME_WRONG_NUMBER] = "wrong_number", [OUTCOME_LEFT_MESSAGE] = "left_message",
	[OUTCOME_REFUSED] = "refused",           [OUTCOME_DISPUTE] = "dispute",
};

const char *outcome_code(enum call_outcome o) { return o < OUTCOME__COUNT ? outcome_codes[o] : "?"; }

void contact_new_key(char key[CONTACT_KEY_SIZE])
{
	unsigned char b[16];

	if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b)
		die("no randomness for a key");
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(key, CONTACT_KEY_SIZE, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
	         b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

enum note_problem contact_check_note(const char *text, bool required)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)(text ? text : "");
	size_t chars = 0;
	bool blank = true;

	while (*p) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);

		if (n < 1)
			return NOTE_BAD_UTF8;
		if ((cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			return NOTE_CONTROL;
		if (cp != ' ' && cp != '\n' && cp != '\t')
			blank = false;
		chars++;
		p += n;
	}
	if (chars > CONTACT_NOTE_MAX)
		return NOTE_TOO_LONG;
	if (required && blank)
		return NOTE_EMPTY;
	return NOTE_OK;
}

/* Runs the statements of one save in a transaction. The first statement
 * inserts the event only when no event carries this key yet, and reports
 * whether it did: a save repeated after a lost connection finds its own
 * earlier event and changes nothing more. */
static bool save(struct db *db, const char *insert_sql, int n, const char *const *p, const char *const *follow,
                 const int *follow_n, const char *const *const *follow_p, int nfollow)
{
	PGresult *r;
	bool fresh;

	if (!db_cmd(db, "BEGIN"))
		return false;
	if (!(r = db_exec(db, insert_sql, n, p)))
		goto fail;
	fresh = PQntuples(r) == 1;
	PQclear(r);
	if (!fresh) {
		/* Nothing inserted: either this key was saved before, or the
		 * account is not one the person may see. */
		if (!(r = db_exec(db, "SELECT 1 FROM cobro.event WHERE account_id = $1 AND data->>'key' = $2", 2, p)))
			goto fail;
		if (PQntuples(r) == 0) {
			PQclear(r);
			snprintf(db->err, sizeof db->err, "no such account");
			snprintf(db->sqlstate, sizeof db->sqlstate, "42501");
			goto fail;
		}
		PQclear(r);
	}
	for (int i = 0; fresh && i < nfollow; i++)
		if (!db_run(db, follow[i], follow_n[i], follow_p[i]))
			goto fail;
	if (db_cmd(db, "COMMIT"))
		return true;
fail:
	{
		char err[sizeof db->err], state[6];

		snprintf(err, sizeof err, "%s", db->err);
		snprintf(state, sizeof state, "%s", db->sqlstate);
		PQclear(PQexec(db->conn, "ROLLBACK"));
		snprintf(db->err, sizeof db->err, "%s", err);
		snprintf(db->sqlstate, sizeof db->sqlstate, "%s", state);
	}
	return false;
}

/* The account is read through row-level security: a key already used on
 * this account in the last day means the save happened. */
#define INSERT_EVENT(kind_expr)                                                                         \
	"INSERT INTO cobro.event (account_id, debtor_id, agent_id, kind, direction, outcome, body, data) "   \
	"SELECT a.id, a.debtor_id, cobro.my_agent_id(), " kind_expr ", $5, $3, nullif($4, ''), "             \
	"       jsonb_build_object('key', $2::text) "                                                      \
	"FROM cobro.account a WHERE a.id = $1 AND NOT EXISTS ("                                             \
	"  SELECT 1 FROM cobro.event e WHERE e.account_id = $1 AND e.at > now() - interval '1 day' "       \
	"    AND e.data->>'key' = $2) "                                                                      \
	"RETURNING id"

bool contact_log_call(struct db *db, const char *key, long long account_id, enum call_outcome o,
                      long long point_id, const char *note)
{
	char id[24], pid[24];
	const char *p[5] = { id, key, outcome_code(o), note ? note : "", "out" };
	const char *upd_p[2] = { id, outcome_code(o) }, *bad_p[1] = { pid };
	const char *const follow[] = {
		"UPDATE cobro.account SET last_contact_at = now(), updated_at = now(), "
		"  status = CASE WHEN $2 = 'dispute' THEN 'dispute' ELSE status END WHERE id = $1",
		"UPDATE cobro.contact_point SET bad_since = now() WHERE id = $1 AND bad_since IS NULL",
	};
	const char *const *follow_p[] = { upd_p, bad_p };
	const int follow_n[] = { 2, 1 };

	snprintf(id, sizeof id, "%lld", account_id);
	snprintf(pid, sizeof pid, "%lld", point_id);
	return save(db, INSERT_EVENT("'call'"), 5, p, follow, follow_n, follow_p,
	            o == OUTCOME_WRONG_NUMBER && point_id > 0 ? 2 : 1);
}

bool contact_add_note(struct db *db, const char *key, long long account_id, const char *note)
{
	char id[24];
	const char *p[5] = { id, key, NULL, note, NULL };

	snprintf(id, sizeof id, "%lld", account_id);
	return save(db, INSERT_EVENT("'note'"), 5, p, NULL, NULL, NULL, 0);
}

bool contact_schedule_callback(struct db *db, const char *key, long long account_id, int64_t due,
                               const char *zone, const char *note)
{
	char id[24], at[24];
	const char *p[5] = { id, key, NULL, note ? note : "", NULL };
	const char *cb_p[4] = { id, at, zone, note && *note ? note : NULL }, *acc_p[2] = { id, at };
	const char *const follow[] = {
		"INSERT INTO cobro.callback (account_id, agent_id, due_at, zone, note) "
		"VALUES ($1, cobro.my_agent_id(), to_timestamp($2::bigint), $3, $4)",
		"UPDATE cobro.account SET next_action_at = to_timestamp($2::bigint), updated_at = now() WHERE id = $1",
	};
	const char *const *follow_p[] = { cb_p, acc_p };
	const int follow_n[] = { 4, 2 };

	snprintf(id, sizeof id, "%lld", account_id);
	snprintf(at, sizeof at, "%lld", (long long)due);
	return save(db, INSERT_EVENT("'callback'"), 5, p, follow, follow_n, follow_p, 2);
}
