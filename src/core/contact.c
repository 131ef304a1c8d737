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

/* Each save is one call of a function of functions/account_actions.sql,
 * which checks that the account is one the person works, validates what is
 * asked, takes every time from the database's clock, and records the event
 * and an audit row; people hold no write grant on those tables
 * (016_state_through_functions.sql). The function finds an event saved
 * earlier with the same key and changes nothing more: a save repeated after
 * a lost connection is recorded once. */
static bool save(struct db *db, const char *sql, int n, const char *const *p)
{
	PGresult *r = db_exec(db, sql, n, p);

	PQclear(r);
	return r != NULL;
}

bool contact_log_call(struct db *db, const char *key, long long account_id, enum call_outcome o,
                      long long point_id, const char *note)
{
	char id[24], pid[24];
	const char *p[5] = { key, id, outcome_code(o), point_id > 0 ? pid : NULL, note && *note ? note : NULL };

	snprintf(id, sizeof id, "%lld", account_id);
	snprintf(pid, sizeof pid, "%lld", point_id);
	return save(db, "SELECT cobro.account_log_call($1::uuid, $2::bigint, $3, $4::bigint, $5)", 5, p);
}

bool contact_add_note(struct db *db, const char *key, long long account_id, const char *note)
{
	char id[24];
	const char *p[3] = { key, id, note };

	snprintf(id, sizeof id, "%lld", account_id);
	return save(db, "SELECT cobro.account_add_note($1::uuid, $2::bigint, $3)", 3, p);
}

bool contact_schedule_callback(struct db *db, const char *key, long long account_id, int64_t due,
                               const char *zone, const char *note)
{
	char id[24], at[24];
	const char *p[5] = { key, id, at, zone, note && *note ? note : NULL };

	snprintf(id, sizeof id, "%lld", account_id);
	snprintf(at, sizeof at, "%lld", (long long)due);
	return save(db,
	            "SELECT cobro.account_schedule_callback($1::uuid, $2::bigint, to_timestamp($3::bigint), $4, $5)",
	            5, p);
}
