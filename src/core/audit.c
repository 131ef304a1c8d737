/* The audit chain read and recorded: see audit.h. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "audit.h"
#include "text.h"

bool audit_login(struct db *db, const char *program)
{
	/* The function is looked up first: cobroctl init and migrate connect
	 * to databases that have no chain yet. */
	PGresult *r = db_exec(db, "SELECT to_regprocedure('cobro.audit_login(text)') IS NOT NULL", 0, NULL);
	bool there;
	const char *p[1] = { program };

	if (!r)
		return false;
	there = PQgetvalue(r, 0, 0)[0] == 't';
	PQclear(r);
	return !there || db_run(db, "SELECT cobro.audit_login($1)", 1, p);
}

/* COPY text's escapes undone in place (\\, \n, \t, \r, \b, \f, \v, octal,
 * \xHH); returns the length. */
static size_t copy_unescape(char *s, size_t n)
{
	size_t i = 0, o = 0;

	while (i < n) {
		char ch = s[i++];

		if (ch != '\\' || i >= n) {
			s[o++] = ch;
			continue;
		}
		ch = s[i++];
		switch (ch) {
		case 'n': s[o++] = '\n'; break;
		case 't': s[o++] = '\t'; break;
		case 'r': s[o++] = '\r'; break;
		case 'b': s[o++] = '\b'; break;
		case 'f': s[o++] = '\f'; break;
		case 'v': s[o++] = '\v'; break;
		case 'x': {
			int v = 0, k = 0;

			while (k < 2 && i < n && isxdigit((unsigned char)s[i])) {
				v = v * 16 + (isdigit((unsigned char)s[i]) ? s[i] - '0' : (tolower((unsigned char)s[i]) - 'a' + 10));
				i++, k++;
			}
			s[o++] = (char)v;
			break;
		}
		default:
			if (ch >= '0' && ch <= '7') {
				int v = ch - '0', k = 1;

				while (k < 3 && i < n && s[i] >= '0' && s[i] <= '7')
					v = v * 8 + (s[i++] - '0'), k++;
				s[o++] = (char)v;
			} else {
				s[o++] = ch;
			}
		}
	}
	return o;
}

static int hexval(unsigned char ch)
{
	return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* 64 lowercase hex digits into 32 bytes; false when it is not that. */
static bool unhex32(const char *s, size_t n, unsigned char out[32])
{
	if (n != 64)
		return false;
	for (int i = 0; i < 32; i++) {
		int hi = hexval((unsigned char)s[2 * i]), lo = hexval((unsigned char)s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return true;
}

static void db_fail(struct db *db, PGresult *r, const char *what)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	char *nl;

	snprintf(db->err, sizeof db->err, "%s%s", what, PQerrorMessage(db->conn));
	if ((nl = strchr(db->err, '\n')))
		*nl = '\0';
	snprintf(db->sqlstate, sizeof db->sqlstate, "%s", state ? state : "");
}

/* The chain streamed in id order through COPY, each row's hash recomputed
 * here (libcrypto) while the server renders the next: the server's part is
 * the rows' text, as audit_write() built it, under its settings. The same
 * checks as audit_verify() in functions/audit_chain.sql, which says what
 * each problem means; the first broken link ends the checking (the rest is
 * read and dropped). */
static const char verify_copy[] =
	"COPY (SELECT id, concat_ws('|', at, actor, action, tbl, row_id, old, new), "
	"coalesce(encode(prev_hash, 'hex'), ''), encode(hash, 'hex') FROM cobro.audit ORDER BY id) TO STDOUT";

bool audit_verify(struct db *db, struct audit_check *c)
{
	unsigned char head[32], prev[32], hash[32], calc[32], link[32], named[32];
	bool have_head = false, have_prev = false, head_seen = false, ok = true;
	long long prev_id = 0, link_id = 0;
	EVP_MD_CTX *md = NULL;
	PGresult *r;
	char *line;
	int len;

	memset(c, 0, sizeof *c);
	if (!db_cmd(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") ||
	    !db_cmd(db, "SET LOCAL TimeZone = 'UTC'") || !db_cmd(db, "SET LOCAL DateStyle = 'ISO, YMD'") ||
	    /* In id order by the primary key as the rows are read: a million rows
	     * of text sorted instead spill to disk and took twice as long. */
	    !db_cmd(db, "SET LOCAL enable_sort = off"))
		goto fail;
	if (!(r = db_exec(db, "SELECT coalesce(encode(cobro.audit_head_hash(), 'hex'), '')", 0, NULL)))
		goto fail;
	snprintf(c->head, sizeof c->head, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	have_head = unhex32(c->head, strlen(c->head), head);
	r = PQexec(db->conn, verify_copy);
	if (PQresultStatus(r) != PGRES_COPY_OUT) {
		db_fail(db, r, "");
		PQclear(r);
		goto fail;
	}
	PQclear(r);
	md = EVP_MD_CTX_new();
	while ((len = PQgetCopyData(db->conn, &line, 0)) > 0) {
		char *f[4], *p = line;
		size_t tlen;
		long long id;
		bool has_link;

		c->rows++;
		if (c->problem[0]) {
			PQfreemem(line);
			continue;
		}
		for (int i = 0; i < 4; i++) {
			f[i] = p;
			p = memchr(p, i < 3 ? '\t' : '\n', (size_t)(line + len - p));
			if (!p) {
				p = line + len;
				break;
			}
			*p++ = '\0';
		}
		id = atoll(f[0]);
		tlen = copy_unescape(f[1], strlen(f[1]));
		has_link = unhex32(f[2], strlen(f[2]), link);
		if (!unhex32(f[3], strlen(f[3]), hash))
			memset(hash, 0, sizeof hash);
		EVP_DigestInit_ex(md, EVP_sha256(), NULL);
		if (has_link)
			EVP_DigestUpdate(md, link, 32);
		EVP_DigestUpdate(md, f[1], tlen);
		EVP_DigestFinal_ex(md, calc, NULL);
		if (have_head && !head_seen && !memcmp(hash, head, 32))
			head_seen = true;
		if (memcmp(calc, hash, 32)) {
			c->broken_id = id;
			snprintf(c->problem, sizeof c->problem, "changed");
			snprintf(c->detail, sizeof c->detail,
			         "row %lld does not match its hash: its content or hash was changed", id);
		} else if (has_link != have_prev || (has_link && memcmp(link, prev, 32))) {
			c->broken_id = id;
			link_id = prev_id;
			snprintf(c->problem, sizeof c->problem, "%s", has_link ? "link" : "relinked");
			if (!has_link)
				snprintf(c->detail, sizeof c->detail, "row %lld starts a chain of its own after row %lld", id,
				         prev_id);
			else
				memcpy(named, link, 32); /* the hash it names, looked up below */
		}
		memcpy(prev, hash, 32);
		have_prev = true;
		prev_id = id;
		PQfreemem(line);
	}
	EVP_MD_CTX_free(md);
	r = PQgetResult(db->conn);
	if (len == -2 || PQresultStatus(r) != PGRES_COMMAND_OK) {
		db_fail(db, r, "");
		PQclear(r);
		goto fail;
	}
	PQclear(r);
	while ((r = PQgetResult(db->conn)))
		PQclear(r);
	if (!strcmp(c->problem, "link")) {
		/* Where the link points, if anywhere: removed, inserted, re-linked. */
		char hex[65], bid[24];
		const char *p[1] = { hex };
		long long other;

		for (int i = 0; i < 32; i++)
			snprintf(hex + 2 * i, 3, "%02x", named[i]);
		if (!(r = db_exec(db, "SELECT coalesce(min(id), 0) FROM cobro.audit WHERE hash = decode($1, 'hex')", 1, p)))
			goto fail;
		other = atoll(PQgetvalue(r, 0, 0));
		PQclear(r);
		snprintf(bid, sizeof bid, "%lld", link_id);
		if (!other) {
			snprintf(c->problem, sizeof c->problem, "removed");
			if (!link_id)
				snprintf(c->detail, sizeof c->detail,
				         "row %lld links to a row that is gone: the rows before it were removed", c->broken_id);
			else
				snprintf(c->detail, sizeof c->detail,
				         "row %lld links to a row that is gone: rows between %s and %lld were removed, "
				         "or row %s's hash was rewritten",
				         c->broken_id, bid, c->broken_id, bid);
		} else if (other < link_id) {
			snprintf(c->problem, sizeof c->problem, "inserted");
			snprintf(c->detail, sizeof c->detail, "row %lld links to row %lld: the rows after %lld up to %s were inserted",
			         c->broken_id, other, other, bid);
		} else {
			snprintf(c->problem, sizeof c->problem, "relinked");
			snprintf(c->detail, sizeof c->detail, "row %lld links to row %lld, not to row %s before it",
			         c->broken_id, other, bid);
		}
	} else if (!c->problem[0] && ((!have_head && c->rows > 0) || (have_head && !head_seen))) {
		snprintf(c->problem, sizeof c->problem, "head");
		c->broken_id = prev_id;
		if (c->rows == 0)
			snprintf(c->detail, sizeof c->detail,
			         "the audit trail is empty but its head names a row: every row was removed");
		else
			snprintf(c->detail, sizeof c->detail,
			         "the chain's head names a row that is gone: rows after %lld were removed", prev_id);
	}
	ok = db_cmd(db, "COMMIT");
	return ok;
fail:
	if (PQtransactionStatus(db->conn) != PQTRANS_IDLE) {
		char keep[sizeof db->err];

		memcpy(keep, db->err, sizeof keep);
		db_cmd(db, "ROLLBACK");
		memcpy(db->err, keep, sizeof keep);
	}
	return false;
}

bool audit_find_hash(struct db *db, const char *hex, long long *id)
{
	const char *p[1] = { hex };
	PGresult *r = db_exec(db, "SELECT coalesce(min(id), 0) FROM cobro.audit WHERE hash = decode($1, 'hex')", 1, p);

	*id = 0;
	if (!r)
		return false;
	*id = atoll(PQgetvalue(r, 0, 0));
	PQclear(r);
	return true;
}

/* "What" is the keys an update changed (old -> new), else the row written
 * or removed; updated_at alone says nothing. */
static const char show_sql[] =
	"WITH acc AS (SELECT id FROM cobro.account WHERE reference = $1), "
	"who AS (SELECT id FROM cobro.agent WHERE login = $2) "
	"SELECT a.id, to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), a.actor, a.action, "
	"       a.tbl || coalesce(' ' || a.row_id, ''), "
	"       CASE WHEN jsonb_typeof(a.old) = 'object' AND jsonb_typeof(a.new) = 'object' THEN "
	"            coalesce((SELECT string_agg(k || ': ' || coalesce(a.old->>k, '-') || ' → ' || coalesce(a.new->>k, '-'), "
	"                                        ', ' ORDER BY k) "
	"                      FROM (SELECT jsonb_object_keys(a.new) UNION SELECT jsonb_object_keys(a.old)) s(k) "
	"                      WHERE a.old->k IS DISTINCT FROM a.new->k AND k <> 'updated_at'), '') "
	"            ELSE coalesce(a.new, a.old)::text END "
	"FROM cobro.audit a "
	"WHERE ($1::text IS NULL OR (a.tbl = 'account' AND a.row_id = (SELECT id FROM acc)) "
	"       OR (a.tbl IN ('promise', 'payment') "
	"           AND coalesce(a.new->>'account_id', a.old->>'account_id')::bigint = (SELECT id FROM acc))) "
	"  AND ($2::text IS NULL OR a.actor = $2 OR (a.tbl = 'agent' AND a.row_id = (SELECT id FROM who))) "
	"  AND ($3::text IS NULL OR a.at >= $3::date::timestamp AT TIME ZONE 'UTC') "
	"ORDER BY a.id";

/* The table's columns, in display cells (the last, what changed, is cut). */
enum { W_ID = 8, W_AT = 19, W_WHO = 12, W_ACTION = 16, W_ROW = 22, W_WHAT = 72 };

static void show_row(FILE *out, const char *id, const char *at, const char *who, const char *action,
                     const char *row, const char *what)
{
	char b[6][1024];

	text_pad(b[0], sizeof b[0], id, W_ID, true);
	text_fit(b[1], sizeof b[1], at, W_AT, 1);
	text_fit(b[2], sizeof b[2], who, W_WHO, 1);
	text_fit(b[3], sizeof b[3], action, W_ACTION, 1);
	text_fit(b[4], sizeof b[4], row, W_ROW, 1);
	text_fit(b[5], sizeof b[5], what, W_WHAT, 0);
	fprintf(out, "%s  %s  %s  %s  %s  %s\n", b[0], b[1], b[2], b[3], b[4], b[5]);
}

bool audit_show(struct db *db, FILE *out, const char *account, const char *agent, const char *since,
                long long *shown)
{
	const char *p[3] = { account, agent, since };
	PGresult *r;
	int n;

	*shown = 0;
	if (account) {
		PGresult *a = db_exec(db, "SELECT 1 FROM cobro.account WHERE reference = $1", 1, p);

		if (!a)
			return false;
		n = PQntuples(a);
		PQclear(a);
		if (n == 0) {
			snprintf(db->err, sizeof db->err, "no account %s", account);
			return false;
		}
	}
	if (!(r = db_exec(db, show_sql, 3, p)))
		return false;
	n = PQntuples(r);
	show_row(out, "id", "at (UTC)", "who", "action", "row", "what");
	for (int i = 0; i < n; i++)
		show_row(out, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), PQgetvalue(r, i, 2), PQgetvalue(r, i, 3),
		         PQgetvalue(r, i, 4), PQgetvalue(r, i, 5));
	PQclear(r);
	*shown = n;
	return true;
}
