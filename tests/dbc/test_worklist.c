/* src/core/worklist.c against the test cluster's demo portfolio (cobroctl demo
 * --accounts 2000 --seed 7): the search and filters of the worklist, as the
 * collector ana sees them through row-level security. Every expectation is an
 * independent query run as the superuser over ana's workable accounts, written
 * without cobro.fold() or the worklist's own SQL, so the two must agree.
 *
 * Needs PGHOST/PGPORT/PGDATABASE (tests/run.sh exports them); the superuser
 * is $COBRO_TEST_SUPERUSER, else $PGUSER, else postgres. Nothing is left
 * behind: rows a case needs are inserted in a transaction that is rolled back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db.h"
#include "util.h"
#include "worklist.h"

/* More than any collector of the demo portfolio has: every match, one page. */
#define ALL_ROWS 100000

static struct db ana, luis, su;
static const struct priority_weights weights = {
    .callback_due = 1e9,
    .promise_broken = 1e8,
    .contact_cost = 500,
};

/* ana's workable accounts, as the superuser sees them: the rows the worklist
 * may show her. A condition is ANDed on; it may use a (account), d (debtor),
 * pr (the account's newest promise status, or NULL), dpd, and $1, $2. */
static const char mine_sql[] =
    "SELECT coalesce(string_agg(a.id::text, ',' ORDER BY a.id), ''), count(*) FROM ("
    "  SELECT a.*, greatest(0, current_date - a.oldest_due) AS dpd,"
    "         (SELECT x.status FROM cobro.promise x WHERE x.account_id = a.id"
    "            AND NOT EXISTS (SELECT 1 FROM cobro.promise y WHERE y.account_id = a.id"
    "                            AND (y.created_at, y.id) > (x.created_at, x.id))) AS pr"
    "  FROM cobro.account a JOIN cobro.agent g ON g.login = 'ana'"
    "  WHERE a.agent_id = g.id AND a.team_id = g.team_id AND a.status = 'active'"
    ") a JOIN cobro.debtor d ON d.id = a.debtor_id WHERE d.state = 'active' AND ";

struct expected {
	char *ids; /* "3,17,42" */
	long long count;
};

static struct expected expect(const char *cond, const char *p1, const char *p2)
{
	struct buf sql = {0};
	const char *params[2] = {p1, p2};
	struct expected e;
	PGresult *r;

	/* cond is a constant of this file, never data. */
	buf_printf(&sql, "%s(%s)", mine_sql, cond);
	r = db_exec(&su, sql.s, p2 ? 2 : p1 ? 1 : 0, params);
	if (!r)
		fail_msg("expectation failed: %s\n  %s", su.err, cond);
	e.ids = xstrdup(PQgetvalue(r, 0, 0));
	e.count = atoll(PQgetvalue(r, 0, 1));
	PQclear(r);
	buf_free(&sql);
	return e;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

static char *ids_of(const struct worklist *wl)
{
	long long *v = xcalloc((size_t)wl->count + 1, sizeof *v);
	struct buf b = {0};

	for (int i = 0; i < wl->count; i++)
		v[i] = wl->rows[i].account_id;
	qsort(v, (size_t)wl->count, sizeof *v, cmp_ll);
	buf_puts(&b, "");
	for (int i = 0; i < wl->count; i++)
		buf_printf(&b, "%s%lld", i ? "," : "", v[i]);
	free(v);
	return b.s;
}

static struct worklist fetch(struct db *db, const struct worklist_query *q)
{
	struct worklist wl;

	if (!worklist_fetch_query(db, &weights, q, 0, ALL_ROWS, &wl))
		fail_msg("worklist_fetch_query: %s", db->err);
	return wl;
}

/* Fetches q as ana and compares it with the expectation; at least min rows
 * must match, so that a case cannot pass by finding nothing on both sides.
 * Returns how many matched. */
static long long check(const struct worklist_query *q, long long min, const char *cond, const char *p1,
		       const char *p2)
{
	struct expected e = expect(cond, p1, p2);
	struct worklist wl = fetch(&ana, q);
	char *got = ids_of(&wl);

	if (strcmp(got, e.ids) != 0 || wl.total != e.count)
		print_message("# search \"%s\" bucket %d segment %s promise %s jurisdiction %s\n"
			      "#   got      %lld: %.200s\n#   expected %lld: %.200s\n",
			      q->search ? q->search : "", q->dpd_bucket, q->segment ? q->segment : "-",
			      q->promise ? q->promise : "-", q->jurisdiction ? q->jurisdiction : "-",
			      wl.total, got, e.count, e.ids);
	assert_true(strcmp(got, e.ids) == 0); /* the lists are in the diagnostic above */
	assert_int_equal(wl.total, e.count);
	assert_int_equal(wl.count, e.count);
	assert_true(e.count >= min);
	free(got);
	free(e.ids);
	worklist_free(&wl);
	return e.count;
}

/* One value from the superuser's connection; fails the test when there is none. */
static char *su_value(const char *sql, const char *p1)
{
	const char *params[1] = {p1};
	PGresult *r = db_exec(&su, sql, p1 ? 1 : 0, params);
	char *v;

	if (!r)
		fail_msg("%s\n  %s", su.err, sql);
	if (PQntuples(r) < 1 || PQgetisnull(r, 0, 0)) {
		PQclear(r);
		fail_msg("the demo portfolio has no row for: %s", sql);
	}
	v = xstrdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}

static bool su_run(const char *sql)
{
	if (!db_run(&su, sql, 0, NULL))
		print_message("# %s\n#   %s\n", su.err, sql);
	return su.err[0] == '\0';
}

/* ana's workable accounts' debtors, for picking test data as the superuser. */
#define ANA_DEBTORS                                                                                          \
	"FROM cobro.account a JOIN cobro.debtor d ON d.id = a.debtor_id "                                    \
	"JOIN cobro.agent g ON g.login = 'ana' "                                                             \
	"WHERE a.agent_id = g.id AND a.team_id = g.team_id AND a.status = 'active' AND d.state = 'active' "

/* ----------------------------------------------------------------- cases */

static void bucket_table(void **state)
{
	(void)state;
	assert_int_equal(worklist_nbuckets, 7);
	assert_string_equal(worklist_buckets[0].label, "Any");
	assert_int_equal(worklist_buckets[1].from, 0);
	assert_int_equal(worklist_buckets[1].to, 0);
	/* Contiguous from 0 up, the last open-ended: every DPD is in exactly one. */
	for (int i = 2; i < worklist_nbuckets; i++)
		assert_int_equal(worklist_buckets[i].from, worklist_buckets[i - 1].to + 1);
	assert_int_equal(worklist_buckets[worklist_nbuckets - 1].from, 181);
	assert_int_equal(worklist_buckets[worklist_nbuckets - 1].to, -1);
	/* Every state a promise is stored in, and none. */
	assert_int_equal(worklist_npromise_states, 7);
	assert_string_equal(worklist_promise_states[4].value, "awaiting_approval");
	assert_string_equal(worklist_promise_states[5].value, "rejected");
	assert_string_equal(worklist_promise_states[6].value, "none");
}

static void empty_query_is_the_whole_list(void **state)
{
	static const char *const blanks[] = {NULL, "", "   ", " \t "};
	struct worklist all, one;

	(void)state;
	if (!worklist_fetch_query(&ana, &weights, &(struct worklist_query){ 0 }, 0, ALL_ROWS, &all))
		fail_msg("worklist_fetch_query: %s", ana.err);
	check(&(struct worklist_query){0}, 300, "true", NULL, NULL);
	for (size_t i = 0; i < ARRAY_SIZE(blanks); i++) {
		one = fetch(&ana, &(struct worklist_query){
				      .search = blanks[i], .segment = "", .promise = "", .jurisdiction = ""});
		assert_int_equal(one.count, all.count);
		assert_int_equal(one.total, all.total);
		for (int k = 0; k < all.count; k++)
			assert_int_equal(one.rows[k].account_id, all.rows[k].account_id);
		worklist_free(&one);
	}
	/* A page: the same order, the total still counts every match. */
	if (!worklist_fetch_query(&ana, &weights, NULL, 10, 5, &one))
		fail_msg("worklist_fetch_query: %s", ana.err);
	assert_int_equal(one.count, 5);
	assert_int_equal(one.total, all.total);
	for (int k = 0; k < 5; k++)
		assert_int_equal(one.rows[k].account_id, all.rows[10 + k].account_id);
	worklist_free(&one);
	worklist_free(&all);
}

/* Filtered rows keep the priority order: they are a subsequence of the list. */
static void filters_keep_the_priority_order(void **state)
{
	struct worklist all, some;
	int k = 0;

	(void)state;
	all = fetch(&ana, NULL);
	some = fetch(&ana, &(struct worklist_query){.dpd_bucket = 2});
	assert_true(some.count > 10);
	for (int i = 0; i < some.count; i++) {
		while (k < all.count && all.rows[k].account_id != some.rows[i].account_id)
			k++;
		assert_true(k < all.count);
	}
	worklist_free(&some);
	worklist_free(&all);
}

/* The order is the formula of docs/priority.md, computed here from the
 * account's own columns and its newest promise, as the superuser: each row's
 * priority is at most the one before it (the same, within rounding, for ties
 * broken by the lower id). Pages of any size and offset read the same list. */
static void order_follows_the_formula(void **state)
{
	struct worklist all, page;
	struct buf ids = {0};
	PGresult *r;
	const char *p[1];
	double prev = 0;
	int bonus = 0;

	(void)state;
	/* Days past due grow at midnight, and cobrod brings the ranks up to the
	 * new day (priority_refresh()); the dated run at 2027-12-31T23:59Z
	 * crosses midnight before it comes here, with no cobrod: do its walk. */
	if (!db_run(&su, "DO $$ DECLARE k bigint := 0; BEGIN "
	                 "WHILE k IS NOT NULL LOOP k := cobro.priority_refresh(k); END LOOP; END $$", 0, NULL))
		fail_msg("%s", su.err);
	all = fetch(&ana, NULL);
	assert_true(all.count > 300);
	for (int i = 0; i < all.count; i++)
		buf_printf(&ids, "%s%lld", i ? "," : "", all.rows[i].account_id);
	p[0] = ids.s;
	r = db_exec(&su,
		    "SELECT (CASE WHEN a.next_action_at <= now() THEN 1e9 ELSE 0 END)"
		    "     + (CASE WHEN pr.status = 'broken' OR (pr.status = 'pending' AND pr.due_date <= current_date)"
		    "             THEN 1e8 ELSE 0 END)"
		    "     + a.balance * a.score / 1000.0"
		    "       * greatest(0, 1 - 0.08 * greatest(0, current_date - a.oldest_due) / 30.0) - 500 "
		    "FROM unnest(string_to_array($1, ',')::bigint[]) WITH ORDINALITY AS o(id, n) "
		    "JOIN cobro.account a ON a.id = o.id "
		    "LEFT JOIN LATERAL (SELECT status, due_date FROM cobro.promise WHERE account_id = a.id "
		    "                   ORDER BY created_at DESC, id DESC LIMIT 1) pr ON true "
		    "ORDER BY o.n",
		    1, p);
	if (!r)
		fail_msg("%s", su.err);
	assert_int_equal(PQntuples(r), all.count);
	for (int i = 0; i < all.count; i++) {
		double v = atof(PQgetvalue(r, i, 0));

		if (i && v > prev + 1e-6 * (prev > 0 ? prev : 1))
			fail_msg("row %d (account %lld) ranks %.3f, above the row before it (%.3f)", i,
				 all.rows[i].account_id, v, prev);
		bonus += v >= 1e8;
		prev = v;
	}
	/* Both tiers take part, or the check above proves little. */
	assert_true(bonus > 0 && bonus < all.count);
	PQclear(r);
	buf_free(&ids);

	for (int off = 0; off < 120; off += 37) {
		if (!worklist_fetch_query(&ana, &weights, NULL, off, 25, &page))
			fail_msg("worklist_fetch_query: %s", ana.err);
		assert_int_equal(page.count, 25);
		assert_int_equal(page.total, all.total);
		for (int k = 0; k < page.count; k++)
			assert_int_equal(page.rows[k].account_id, all.rows[off + k].account_id);
		worklist_free(&page);
	}
	worklist_free(&all);
}

static const char nunez_cond[] = "d.name ~ '[Nn][UuÚú][NnÑñ][Ee][Zz]'";

static void name_ignores_accents_and_case(void **state)
{
	static const char *const typed[] = {"nunez", "NUNEZ", "Núñez", "  núñez ", "NÚÑEZ", "ñunez"};
	long long n;

	(void)state;
	n = check(&(struct worklist_query){.search = "nunez"}, 1, nunez_cond, NULL, NULL);
	for (size_t i = 1; i < ARRAY_SIZE(typed); i++) {
		/* "ñunez" folds to "nunez" too: accents are ignored in the search as well. */
		assert_int_equal(
		    check(&(struct worklist_query){.search = typed[i]}, 1, nunez_cond, NULL, NULL), n);
	}
	check(&(struct worklist_query){.search = "PEÑA"}, 1, "d.name ~ '[Pp][EeÉé][ÑñNn][Aa]'", NULL, NULL);
	check(&(struct worklist_query){.search = "unez"}, 1, "d.name ~ '[UuÚú][NnÑñ][Ee][Zz]'", NULL, NULL);
}

/* Spellings the demo portfolio lacks, and names with % and _ in them, added
 * for ana in a transaction that is rolled back (by rollback_as_superuser
 * too, should an assertion stop the test half-way). The superuser's
 * connection then takes ana's identity: session_user, which row-level
 * security keys on. */
static void name_spellings_and_literal_wildcards(void **state)
{
	static const char *const names[] = {
	    "Rosa Nuñez Ríos", "PEDRO NUNEZ",       "Luisa Núñez-Peña",
	    "Marco Nunes",     "Tienda 100% Nuñez", "Ana Mar_Tin",
	};
	static const struct {
		const char *search, *cond;
		int count; /* accounts of this test's debtors among the matches */
	} cases[] = {
	    {"nunez", "d.name ~ '[Nn][UuÚú][NnÑñ][Ee][Zz]'", 4},
	    {"pedro  nunez", "d.name ~ '[Pp][Ee][Dd][Rr][Oo]' AND d.name ~ '[Nn][UuÚú][NnÑñ][Ee][Zz]'", 1},
	    {"nuñez-peña", "d.name ~ '[Nn][UuÚú][NnÑñ][Ee][Zz]-[Pp][Ee][ÑñNn][Aa]'", 1},
	    /* % and _ are plain characters, where as wildcards they would match
	     * every name with "100" or with an r two letters before a t. */
	    {"100%", "strpos(d.name, '100%') > 0", 1},
	    {"R_T", "strpos(lower(d.name), 'r_t') > 0", 1},
	};
	static const char insert_sql[] =
	    "WITH d AS (INSERT INTO cobro.debtor (name, first_name, jurisdiction, time_zone) "
	    "           VALUES ($1, split_part($1, ' ', 1), 'PE', 'America/Lima') RETURNING id) "
	    "INSERT INTO cobro.account (debtor_id, creditor_id, product, reference, currency, "
	    "                           balance, oldest_due, team_id, agent_id) "
	    "SELECT d.id, (SELECT min(id) FROM cobro.creditor), 'card', $2, 'PEN', 10000, "
	    "       current_date - 40, g.team_id, g.id "
	    "FROM d, cobro.agent g WHERE g.login = 'ana'";
	struct expected want[ARRAY_SIZE(cases)];

	(void)state;
	assert_true(su_run("BEGIN"));
	/* Triggers stay on: they make the new accounts workable and rank them. */
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		char ref[32];
		const char *p[2] = {names[i], ref};

		snprintf(ref, sizeof ref, "WLTEST-%zu", i);
		if (!db_run(&su, insert_sql, 2, p))
			fail_msg("insert %s: %s", names[i], su.err);
	}
	/* Expectations first, as the superuser; then the worklist as ana. */
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		want[i] = expect(cases[i].cond, NULL, NULL);
	assert_true(su_run("SET SESSION AUTHORIZATION ana"));
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct worklist wl = fetch(&su, &(struct worklist_query){.search = cases[i].search});
		char *got = ids_of(&wl);
		int ours = 0;

		for (int k = 0; k < wl.count; k++) {
			assert_string_not_equal(wl.rows[k].debtor, "Marco Nunes");
			ours += !strncmp(wl.rows[k].reference, "WLTEST-", 7);
		}
		if (strcmp(got, want[i].ids) != 0)
			print_message("# \"%s\": got %.200s, expected %.200s\n", cases[i].search, got,
				      want[i].ids);
		assert_true(strcmp(got, want[i].ids) == 0);
		assert_int_equal(wl.total, want[i].count);
		assert_int_equal(ours, cases[i].count);
		free(got);
		free(want[i].ids);
		worklist_free(&wl);
	}
	assert_true(su_run("ROLLBACK"));
}

static int rollback_as_superuser(void **state)
{
	(void)state;
	db_cmd(&su, "ROLLBACK");
	return 0;
}

/* In the demo data nobody has % or _ in a name or reference, so these find
 * nothing, where LIKE wildcards would find most of the list. */
static void wildcards_are_literal(void **state)
{
	static const char *const typed[] = {"%", "_", "%%", "n_nez", "%nunez", "nu%ez", "\\", "\\%"};
	const char cond[] =
	    "strpos(lower(d.name), lower($1)) > 0 OR starts_with(lower(a.reference), lower($1))";

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(typed); i++)
		assert_int_equal(check(&(struct worklist_query){.search = typed[i]}, 0, cond, typed[i], NULL),
				 0);
}

static void reference_case_insensitive(void **state)
{
	char *ref = su_value("SELECT lower(a.reference) " ANA_DEBTORS "ORDER BY a.id DESC LIMIT 1", NULL);
	char prefix[16];

	(void)state;
	assert_int_equal(
	    check(&(struct worklist_query){.search = ref}, 1, "a.reference = upper($1)", ref, NULL), 1);
	/* A prefix finds every account whose reference starts so. */
	snprintf(prefix, sizeof prefix, "%.13s", ref);
	check(&(struct worklist_query){.search = prefix}, 2, "left(lower(a.reference), length($1)) = $1",
	      prefix, NULL);
	free(ref);
}

/* "10620893-K" typed "10.62.08.93-k": letters and digits, any punctuation. */
static void national_id_any_punctuation(void **state)
{
	static const char *const picks[] = {
	    "SELECT d.national_id " ANA_DEBTORS
	    "AND d.national_id ~ '^[0-9]+-K$' ORDER BY d.id LIMIT 1", /* CL RUT */
	    "SELECT d.national_id " ANA_DEBTORS "AND d.jurisdiction = 'ES' ORDER BY d.id LIMIT 1", /* DNI */
	    "SELECT d.national_id " ANA_DEBTORS "AND d.jurisdiction = 'MX' ORDER BY d.id LIMIT 1", /* CURP */
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(picks); i++) {
		char *id = su_value(picks[i], NULL);
		char typed[64];
		size_t n = 0, k = 0;

		for (const char *s = id; *s && n + 3 < sizeof typed; s++) {
			if (*s == '-')
				continue;
			if (k && k % 2 == 0)
				typed[n++] = k % 4 ? '.' : '-';
			typed[n++] = (char)(*s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a' : *s);
			k++;
		}
		typed[n] = '\0';
		print_message("# national id %s typed \"%s\"\n", id, typed);
		check(&(struct worklist_query){.search = typed}, 1, "d.national_id = $1", id, NULL);
		free(id);
	}
}

/* The debtor's numbers end in the digits typed, or are one of their E.164
 * readings (a trunk 0 dropped, an international prefix). */
static const char phone_cond[] =
    "EXISTS (SELECT 1 FROM cobro.contact_point c WHERE c.debtor_id = d.id "
    "        AND c.kind IN ('phone', 'mobile', 'whatsapp') AND (c.value LIKE '%' || $1 OR c.value = $2))";

/* One of ana's workable debtors' numbers: the smallest matching pattern. */
static char *ana_number(const char *kinds, const char *pattern)
{
	const char *p[2] = {kinds, pattern};
	PGresult *r =
	    db_exec(&su,
		    "SELECT min(c.value) FROM cobro.contact_point c WHERE c.kind = ANY ($1::text[]) "
		    "AND c.value LIKE $2 AND c.debtor_id IN (SELECT d.id " ANA_DEBTORS ")",
		    2, p);
	char *v;

	if (!r)
		fail_msg("%s", su.err);
	if (PQgetisnull(r, 0, 0)) {
		PQclear(r);
		fail_msg("ana has no %s number like %s", kinds, pattern);
	}
	v = xstrdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}

static void phone_any_format(void **state)
{
	char *pe = ana_number("{mobile}", "+519%");
	char *us = ana_number("{phone,mobile}", "+1%");
	char *lima = ana_number("{phone}", "+511%");
	char typed[64], digits[32];

	(void)state;
	/* PE mobile "+51987654321" typed "987 654 321". */
	snprintf(typed, sizeof typed, "%.3s %.3s %.3s", pe + 3, pe + 6, pe + 9);
	print_message("# %s typed \"%s\"\n", pe, typed);
	check(&(struct worklist_query){.search = typed}, 1, phone_cond, pe + 3, pe);
	/* The same with its country code, two ways. */
	snprintf(typed, sizeof typed, "+51 %.3s-%.3s-%.3s", pe + 3, pe + 6, pe + 9);
	check(&(struct worklist_query){.search = typed}, 1, phone_cond, pe + 1, pe);
	snprintf(typed, sizeof typed, "0051%s", pe + 3);
	check(&(struct worklist_query){.search = typed}, 1, phone_cond, typed, pe);

	/* US "+12125550147" typed "(212) 555-0147". */
	snprintf(typed, sizeof typed, "(%.3s) %.3s-%.4s", us + 2, us + 5, us + 8);
	print_message("# %s typed \"%s\"\n", us, typed);
	check(&(struct worklist_query){.search = typed}, 1, phone_cond, us + 2, us);
	/* Its last 7 digits, as read off a caller id. */
	snprintf(digits, sizeof digits, "%s", us + strlen(us) - 7);
	check(&(struct worklist_query){.search = digits}, 1, phone_cond, digits, us);

	/* Lima landline "+5112345678" typed with its trunk 0: "(01) 234-5678". */
	snprintf(typed, sizeof typed, "(0%.1s) %.3s-%.4s", lima + 3, lima + 4, lima + 7);
	snprintf(digits, sizeof digits, "0%s", lima + 3);
	print_message("# %s typed \"%s\"\n", lima, typed);
	check(&(struct worklist_query){.search = typed}, 1, phone_cond, digits, lima);
	free(pe);
	free(us);
	free(lima);
}

/* luis's accounts, of debtors ana does not work: no account of hers, and no
 * name of hers holding every word of theirs. */
#define LUIS_ONLY                                                                                            \
	"FROM cobro.account a JOIN cobro.debtor d ON d.id = a.debtor_id "                                    \
	"JOIN cobro.agent g ON g.id = a.agent_id "                                                           \
	"WHERE g.login = 'luis' AND a.status = 'active' AND d.state = 'active' "                             \
	"AND NOT EXISTS (SELECT 1 FROM cobro.account b JOIN cobro.agent h ON h.id = b.agent_id "             \
	"                JOIN cobro.debtor e ON e.id = b.debtor_id WHERE h.login = 'ana' "                   \
	"                AND (e.id = d.id OR e.national_id = d.national_id "                                 \
	"                     OR NOT EXISTS (SELECT 1 FROM regexp_split_to_table(lower(d.name), ' ') w "     \
	"                                    WHERE strpos(lower(e.name), w) = 0))) "

/* What finds a debtor for luis finds nothing for ana. */
static void other_collectors_accounts_stay_hidden(void **state)
{
	char *typed[] = {
	    su_value("SELECT lower(a.reference) " LUIS_ONLY "ORDER BY a.id LIMIT 1", NULL),
	    su_value("SELECT upper(d.name) " LUIS_ONLY "ORDER BY a.id LIMIT 1", NULL),
	    su_value("SELECT d.national_id " LUIS_ONLY "AND d.national_id ~ '[0-9]{6}' ORDER BY a.id LIMIT 1",
		     NULL),
	    su_value("SELECT c.value FROM cobro.contact_point c WHERE c.kind = 'mobile' "
		     "AND c.debtor_id IN (SELECT d.id " LUIS_ONLY ") "
		     "AND NOT EXISTS (SELECT 1 FROM cobro.contact_point x JOIN cobro.account b "
		     "                ON b.debtor_id = x.debtor_id JOIN cobro.agent h ON h.id = b.agent_id "
		     "                WHERE h.login = 'ana' AND x.value = c.value) ORDER BY c.value LIMIT 1",
		     NULL),
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(typed); i++) {
		struct worklist wl = fetch(&luis, &(struct worklist_query){.search = typed[i]});

		print_message("# luis's \"%s\"\n", typed[i]);
		assert_true(wl.count >= 1);
		worklist_free(&wl);
		wl = fetch(&ana, &(struct worklist_query){.search = typed[i]});
		assert_int_equal(wl.count, 0);
		assert_int_equal(wl.total, 0);
		worklist_free(&wl);
		free(typed[i]);
	}
}

/* How long the order holds by the clock: until ana's first next action
 * falls due, or midnight, as the superuser counts them from ana's workable
 * accounts; luis's is counted from his own. */
static void steady_until_the_first_next_action_or_midnight(void **state)
{
	static const char want_sql[] =
	    "SELECT extract(epoch FROM least((SELECT min(a.next_action_at) FROM cobro.account a "
	    "  JOIN cobro.agent g ON g.id = a.agent_id AND g.login = $1 "
	    "  WHERE a.status = 'active' AND a.workable AND a.next_action_at > now()), "
	    "  (current_date + 1)::timestamptz) - now())";
	const char *who[] = { "ana", "luis" };
	struct db *as[] = { &ana, &luis };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(who); i++) {
		char *want = su_value(want_sql, who[i]);
		double got;

		assert_true(worklist_steady_for(as[i], &got));
		print_message("# %s: %.1f s, the superuser counts %s s\n", who[i], got, want);
		assert_true(got > 0);
		/* The two statements run a moment apart. */
		assert_true(got - atof(want) < 1.0 && atof(want) - got < 1.0);
		free(want);
	}
}

static void each_filter_alone(void **state)
{
	static const char *const segments[] = {"preventive", "early", "mid", "late", "recovery", "nosuch"};
	static const char *const jurisdictions[] = {"PE", "MX", "CO", "CL", "ES", "US-MA", "XX"};
	long long all, sum = 0;

	(void)state;
	all = check(&(struct worklist_query){0}, 300, "true", NULL, NULL);
	for (int b = 1; b < worklist_nbuckets; b++) {
		char from[16], to[16];
		long long n;

		snprintf(from, sizeof from, "%d", worklist_buckets[b].from);
		snprintf(to, sizeof to, "%d", worklist_buckets[b].to);
		n = check(&(struct worklist_query){.dpd_bucket = b}, 0,
			  "dpd >= $1::int AND ($2::int < 0 OR dpd <= $2::int)", from, to);
		print_message("# bucket %s: %lld\n", worklist_buckets[b].label, n);
		sum += n;
	}
	assert_int_equal(sum, all);

	sum = 0;
	for (size_t i = 0; i < ARRAY_SIZE(segments); i++)
		sum += check(&(struct worklist_query){.segment = segments[i]},
			     i + 1 < ARRAY_SIZE(segments) ? 1 : 0, "a.segment = $1", segments[i], NULL);
	assert_int_equal(sum, all);

	sum = 0;
	for (int i = 0; i < worklist_npromise_states; i++)
		sum += check(&(struct worklist_query){.promise = worklist_promise_states[i].value}, 0,
			     "coalesce(a.pr, 'none') = $1", worklist_promise_states[i].value, NULL);
	assert_int_equal(sum, all);
	check(&(struct worklist_query){.promise = "broken"}, 1, "a.pr = 'broken'", NULL, NULL);
	check(&(struct worklist_query){.promise = "none"}, 1, "a.pr IS NULL", NULL, NULL);

	for (size_t i = 0; i < ARRAY_SIZE(jurisdictions); i++)
		check(&(struct worklist_query){.jurisdiction = jurisdictions[i]},
		      i + 1 < ARRAY_SIZE(jurisdictions) ? 1 : 0, "d.jurisdiction = $1", jurisdictions[i],
		      NULL);
	/* A country takes in its subdivisions: "US" is US and US-MA. */
	check(&(struct worklist_query){.jurisdiction = "US"}, 2, "d.jurisdiction IN ('US', 'US-MA')", NULL,
	      NULL);
}

static void filters_combined(void **state)
{
	(void)state;
	check(&(struct worklist_query){.dpd_bucket = 2, .segment = "early", .jurisdiction = "MX"}, 1,
	      "dpd BETWEEN 1 AND 30 AND a.segment = 'early' AND d.jurisdiction = 'MX'", NULL, NULL);
	check(&(struct worklist_query){.dpd_bucket = 1, .promise = "none", .jurisdiction = "US"}, 1,
	      "dpd = 0 AND a.pr IS NULL AND d.jurisdiction LIKE 'US%'", NULL, NULL);
	check(&(struct worklist_query){.search = "nunez", .promise = "none"}, 1,
	      "d.name ~ '[Nn][UuÚú][NnÑñ][Ee][Zz]' AND a.pr IS NULL", NULL, NULL);
	check(&(struct worklist_query){.search = "maría", .dpd_bucket = 6, .segment = "recovery"}, 0,
	      "d.name ~ '[Mm][Aa][Rr][IiÍí][Aa]' AND dpd >= 181 AND a.segment = 'recovery'", NULL, NULL);
	/* Filters that exclude each other: nothing, and a total of 0. */
	check(&(struct worklist_query){.search = "zzzz",
				       .dpd_bucket = 6,
				       .segment = "early",
				       .promise = "kept",
				       .jurisdiction = "PE"},
	      0, "false", NULL, NULL);
}

/* Issue 15: the workstation reads the worklist a page at a time (50 rows,
 * the next 50 when the cursor passes the last). Read so, page after page to
 * the end, it is the same list as read at once, with the same count on every
 * page; the accounts the workstation judges for "may be called now"
 * (worklist_members()) are exactly these; and `y` (worklist_explain()) gives
 * each row its place in that list. */
static void pages_read_the_one_list(void **state)
{
	static const int sizes[] = {50, 37};
	struct worklist all;
	struct worklist_member *members;
	int nmembers;

	(void)state;
	all = fetch(&ana, NULL);
	assert_true(all.count > 300);
	assert_int_equal(all.count, all.total);
	for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
		int at = 0;

		for (int off = 0; off < all.count + sizes[s]; off += sizes[s]) {
			struct worklist page;

			if (!worklist_fetch_query(&ana, &weights, NULL, off, sizes[s], &page))
				fail_msg("worklist_fetch_query: %s", ana.err);
			assert_int_equal(page.count, off >= all.count ? 0
						      : all.count - off < sizes[s] ? all.count - off : sizes[s]);
			if (page.count)
				assert_int_equal(page.total, all.total);
			for (int k = 0; k < page.count; k++, at++)
				if (page.rows[k].account_id != all.rows[at].account_id)
					fail_msg("pages of %d: row %d is account %lld, read at once %lld", sizes[s], at,
						 page.rows[k].account_id, all.rows[at].account_id);
			worklist_free(&page);
		}
		assert_int_equal(at, all.count);
	}
	if (!worklist_members(&ana, &members, &nmembers))
		fail_msg("worklist_members: %s", ana.err);
	{
		char *got = ids_of(&all);
		struct buf b = {0};

		buf_puts(&b, "");
		for (int i = 0; i < nmembers; i++)
			buf_printf(&b, "%s%lld", i ? "," : "", members[i].account_id);
		assert_int_equal(nmembers, all.total);
		assert_string_equal(b.s, got);
		buf_free(&b);
		free(got);
	}
	/* The debtors of some of them: each account's own, once. */
	{
		long long pick[3] = {members[0].account_id, members[1].account_id, members[0].account_id};
		long long *debtors;
		int nd;

		if (!worklist_debtors_of(&ana, pick, 3, &debtors, &nd))
			fail_msg("worklist_debtors_of: %s", ana.err);
		assert_int_equal(nd, members[0].debtor_id == members[1].debtor_id ? 1 : 2);
		assert_true(debtors[0] == members[0].debtor_id || debtors[0] == members[1].debtor_id);
		assert_true(debtors[nd - 1] == members[0].debtor_id || debtors[nd - 1] == members[1].debtor_id);
		assert_true(nd == 1 || debtors[0] < debtors[1]);
		free(debtors);
	}
	free(members);
	/* `y`: the first rows, some in the middle and the last. */
	for (int i = 0; i < all.count; i += i < 60 ? 1 : i < all.count - 5 ? 97 : 1) {
		struct priority_terms t;

		if (!worklist_explain(&ana, &weights, all.rows[i].account_id, &t))
			fail_msg("worklist_explain: %s", ana.err);
		assert_true(t.ranked);
		if (t.rank != i + 1)
			fail_msg("row %d (account %lld): y says rank %lld", i + 1, all.rows[i].account_id, t.rank);
		assert_int_equal(t.of, all.total);
	}
	worklist_free(&all);
}

/* A promise broken 80 days past due ranks above an account 0 days past due
 * of the same balance and score, as the formula's promise tier says: on the
 * first page, above it, and `y` says so. Two accounts added for ana in a
 * transaction that is rolled back. */
static void broken_promise_ranks_above_current(void **state)
{
	static const char insert_sql[] =
	    "WITH d AS (INSERT INTO cobro.debtor (name, first_name, jurisdiction, time_zone) "
	    "           VALUES ($1, 'Prueba', 'PE', 'America/Lima') RETURNING id) "
	    "INSERT INTO cobro.account (debtor_id, creditor_id, product, reference, currency, "
	    "                           balance, score, oldest_due, team_id, agent_id) "
	    "SELECT d.id, (SELECT min(id) FROM cobro.creditor), 'card', $1, 'PEN', 50000, 600, "
	    "       current_date - $2::int, g.team_id, g.id "
	    "FROM d, cobro.agent g WHERE g.login = 'ana' RETURNING id";
	const char *broken_p[2] = {"WLTEST-BROKEN-80", "80"}, *current_p[2] = {"WLTEST-CURRENT-0", "0"};
	long long broken = 0, current = 0;
	int at_broken = -1, at_current = -1;
	struct worklist page;
	struct priority_terms tb, tc;
	PGresult *r;

	(void)state;
	assert_true(su_run("BEGIN"));
	if (!(r = db_exec(&su, insert_sql, 2, broken_p)))
		fail_msg("%s", su.err);
	broken = atoll(PQgetvalue(r, 0, 0));
	PQclear(r);
	if (!(r = db_exec(&su, insert_sql, 2, current_p)))
		fail_msg("%s", su.err);
	current = atoll(PQgetvalue(r, 0, 0));
	PQclear(r);
	{
		char id[24];
		const char *p[1] = {id};

		snprintf(id, sizeof id, "%lld", broken);
		if (!db_run(&su,
			    "INSERT INTO cobro.promise (account_id, amount, currency, due_date, status, created_at) "
			    "VALUES ($1, 10000, 'PEN', current_date - 20, 'broken', now() - interval '30 days')",
			    1, p))
			fail_msg("%s", su.err);
	}
	assert_true(su_run("SET SESSION AUTHORIZATION ana"));
	/* A first page as the workstation reads it: deep enough to hold both. */
	if (!worklist_fetch_query(&su, &weights, NULL, 0, ALL_ROWS, &page))
		fail_msg("worklist_fetch_query: %s", su.err);
	for (int i = 0; i < page.count; i++) {
		if (page.rows[i].account_id == broken)
			at_broken = i;
		if (page.rows[i].account_id == current)
			at_current = i;
	}
	assert_true(at_broken >= 0 && at_current >= 0);
	assert_int_equal(page.rows[at_broken].dpd, 80);
	assert_int_equal(page.rows[at_current].dpd, 0);
	assert_string_equal(page.rows[at_broken].promise, "broken");
	if (at_broken > at_current)
		fail_msg("the broken promise of 80 DPD is row %d, below the account of 0 DPD (row %d)", at_broken + 1,
			 at_current + 1);
	assert_true(worklist_explain(&su, &weights, broken, &tb));
	assert_true(worklist_explain(&su, &weights, current, &tc));
	assert_int_equal(tb.rank, at_broken + 1);
	assert_int_equal(tc.rank, at_current + 1);
	assert_true(tb.promise > 0 && tc.promise == 0);
	worklist_free(&page);
	/* And the page of 50 that holds the account of 0 DPD holds the broken one
	 * before it, or an earlier page does. */
	if (!worklist_fetch_query(&su, &weights, NULL, at_current / 50 * 50, 50, &page))
		fail_msg("worklist_fetch_query: %s", su.err);
	for (int i = 0; i < page.count; i++)
		assert_true(page.rows[i].account_id != broken || at_current / 50 * 50 + i < at_current);
	worklist_free(&page);
	assert_true(su_run("ROLLBACK"));
}

static void unknown_bucket_is_an_error(void **state)
{
	struct worklist wl;

	(void)state;
	assert_false(
	    worklist_fetch_query(&ana, &weights, &(struct worklist_query){.dpd_bucket = 7}, 0, 10, &wl));
	assert_non_null(strstr(ana.err, "bucket"));
	assert_int_equal(wl.count, 0);
	assert_null(wl.rows);
	assert_false(
	    worklist_fetch_query(&ana, &weights, &(struct worklist_query){.dpd_bucket = -1}, 0, 10, &wl));
}

static int connect_all(void **state)
{
	const char *super = getenv("COBRO_TEST_SUPERUSER");

	(void)state;
	if (!super || !super[0])
		super = getenv("PGUSER");
	if (!super || !super[0])
		super = "postgres";
	if (!db_connect(&ana, "dbname=cobro", "ana", "test") ||
	    !db_connect(&luis, "dbname=cobro", "luis", "test") ||
	    !db_connect(&su, "dbname=cobro", super, "test")) {
		print_error("cannot connect: %s%s%s\n", ana.err, luis.err, su.err);
		return -1;
	}
	return 0;
}

static int disconnect_all(void **state)
{
	(void)state;
	db_close(&ana);
	db_close(&luis);
	db_close(&su);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(bucket_table),
	    cmocka_unit_test(empty_query_is_the_whole_list),
	    cmocka_unit_test(filters_keep_the_priority_order),
	    cmocka_unit_test(order_follows_the_formula),
	    cmocka_unit_test(name_ignores_accents_and_case),
	    cmocka_unit_test_teardown(name_spellings_and_literal_wildcards, rollback_as_superuser),
	    cmocka_unit_test(wildcards_are_literal),
	    cmocka_unit_test(reference_case_insensitive),
	    cmocka_unit_test(national_id_any_punctuation),
	    cmocka_unit_test(phone_any_format),
	    cmocka_unit_test(other_collectors_accounts_stay_hidden),
	    cmocka_unit_test(steady_until_the_first_next_action_or_midnight),
	    cmocka_unit_test(each_filter_alone),
	    cmocka_unit_test(filters_combined),
	    cmocka_unit_test(unknown_bucket_is_an_error),
	    cmocka_unit_test(pages_read_the_one_list),
	    cmocka_unit_test_teardown(broken_promise_ranks_above_current, rollback_as_superuser),
	};

	return cmocka_run_group_tests_name("worklist", tests, connect_all, disconnect_all);
}
