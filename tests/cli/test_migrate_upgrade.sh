#!/usr/bin/env bash
# A database made by the migrations as they were before functions moved to
# src/sql/functions/ (commit ff3aea2: a developer's `make run` database in
# var/pg, or a site's) upgrades cleanly: cobroctl migrate accepts the
# rewritten migrations by the checksums they supersede, applies the new ones
# and the function files, keeps every row, and leaves the same schema as a
# database made from nothing today. The old cobroctl is built from git into
# build/ff3aea2 (kept there for the next run), so its runner, not a copy of
# it, writes the old ledger.
. "$(dirname "$0")/tap.sh"

base=ff3aea2
old=$top/build/$base
if [ ! -x "$old/bin/cobroctl" ]; then
	rm -rf "$old" && mkdir -p "$old/src"
	if ! git -C "$top" archive "$base" | tar -x -C "$old/src" ||
		! make -s -C "$old/src" BUILD="$old/build" BIN="$old/bin" "$old/bin/cobroctl" >"$scratch/build.log" 2>&1; then
		check "the cobroctl of $base builds from git (a clone with its history)" false
		tail -n 5 "$scratch/build.log" | sed 's/^/# /'
		finish
	fi
fi

upg=cobro_upg_$$ fresh=cobro_fresh_$$
psql -X -q -U postgres -d postgres -c "CREATE DATABASE $upg" -c "CREATE DATABASE $fresh" || exit 1
cleanup() {
	psql -X -q -U postgres -d postgres -c "DROP DATABASE IF EXISTS $upg WITH (FORCE)" \
		-c "DROP DATABASE IF EXISTS $fresh WITH (FORCE)" >/dev/null 2>&1
	rm -rf "$scratch"
}
trap cleanup EXIT
q() { psql -X -qAt -v ON_ERROR_STOP=1 -U postgres -d "$1" -c "$2"; }

# ---- the old database, with a portfolio
run "$old/bin/cobroctl" --database "dbname=$upg user=postgres" init
check "the old cobroctl makes a database at version 13" grep -qxF "schema is at version 13 (13 applied now)" <<<"$out"
run "$old/bin/cobroctl" --database "dbname=$upg user=postgres" demo --accounts 300 --seed 11 --quiet
check "  and loads its demo" exit_is 0
# What the old schema let through (issue 14): a version raising the locked
# Massachusetts cap 2 -> 1000 and one that does not parse, stored straight
# into the table after a good one; a lease until 2094.
run "$old/bin/cobroctl" --database "dbname=$upg user=postgres" --user admin policy load "$top/etc/policy.conf"
check "  the old cobroctl loads the contact rules" exit_is 0
sed 's/max = 2; window = "rolling"; days = 7; per = "debt"; counts = \["attempt", "sent"\]/max = 1000; window = "rolling"; days = 7; per = "debt"; counts = ["attempt", "sent"]/' \
	"$top/etc/policy.conf" >"$scratch/ma1000.conf"
psql -X -qAt -v ON_ERROR_STOP=1 -U postgres -d "$upg" -v text="$(cat "$scratch/ma1000.conf")" >/dev/null <<'SQL'
INSERT INTO cobro.contact_policy (text, holidays, diff) SELECT :'text', holidays, '' FROM cobro.contact_policy WHERE version = 1;
INSERT INTO cobro.contact_policy (text, holidays, diff) VALUES ('this is { not rules', '', '');
INSERT INTO cobro.lease (account_id, agent_id, session, expires_at)
SELECT a.id, a.agent_id, 'old', '2094-01-01' FROM cobro.account a WHERE a.agent_id IS NOT NULL ORDER BY a.id LIMIT 1;
SQL
census() {
	q "$1" "SELECT concat_ws(' ', (SELECT count(*) FROM cobro.account), (SELECT sum(balance) FROM cobro.account),
	        (SELECT count(*) FROM cobro.debtor), (SELECT count(*) FROM cobro.contact_point),
	        (SELECT count(*) FROM cobro.promise), (SELECT count(*) FROM cobro.agent),
	        (SELECT md5(string_agg(e::text, '|' ORDER BY id)) FROM cobro.event e),
	        (SELECT md5(string_agg(a::text, '|' ORDER BY id)) FROM cobro.audit a WHERE a.id <= $audit_max))"
}
# The audit rows of the old schema are compared whole; the new cobroctl adds
# its logins to the trail (027_audit.sql), checked apart below.
audit_max=$(q "$upg" "SELECT coalesce(max(id), 0) FROM cobro.audit")
before=$(census "$upg")

# ---- what the new cobroctl says of it, then does
run "$bindir/cobroctl" --database "dbname=$upg user=postgres" migrate --status
check "migrate --status: something to do (exit 1)" exit_is 1
check "  the twelve rewritten migrations, to accept" \
	test "$(grep -c '^rewritten 0[01][0-9]_[a-z_]*\.sql: supersedes the text applied before' <<<"$out")" = 12
# The migrations after 013 (014_function_ledger.sql on), and every function file.
newer=$(for f in "$top"/src/sql/[0-9]*.sql; do basename "$f"; done | awk '$0 > "014"' | wc -l)
check "  the new migrations and every function file, pending" \
	test "$(grep -c '^pending   ' <<<"$out")" = "$((newer + $(ls "$top"/src/sql/functions/*.sql | wc -l)))"
check "  001, unchanged, is not listed" bash -c "! grep -q 001_roles <<<'$out'"
check "  and the version" grep -qE "^schema version 13 of [0-9]+, [0-9]+ files to apply or accept$" <<<"$out"
run "$bindir/cobroctl" --database "dbname=$upg user=postgres" migrate
check "migrate upgrades it" exit_is 0
check "  accepting the rewritten migrations without running them" \
	test "$(grep -c '^accepted 0[01][0-9]_.*: rewritten, it supersedes the text applied before$' <<<"$out")" = 12
check "  then applying the function files" grep -qxF "applied functions/account_screen.sql" <<<"$out"
run "$bindir/cobroctl" --database "dbname=$upg user=postgres" migrate --status
check "then nothing is left to do (exit 0)" exit_is 0
check "  functions up to date" grep -qE "functions up to date$" <<<"$out"
check "every row is kept" test "$(census "$upg")" = "$before"
check "  the audit gains only the new cobroctl's logins" \
	test "$(q "$upg" "SELECT string_agg(DISTINCT action, ',') FROM cobro.audit WHERE id > $audit_max")" = LOGIN
check "  and its chain verifies" "$bindir/cobroctl" --database "dbname=$upg user=postgres" audit verify

check "the versions stored behind the old schema's back are judged: only the first is accepted" \
	test "$(q "$upg" "SELECT string_agg(accepted::text, ' ' ORDER BY version) FROM cobro.contact_policy")" = "true false false"
run "$bindir/cobroctl" --database "dbname=$upg user=postgres" policy show US-MA
check "  policy show gives version 1, the cap of 2" \
	test "$(head -n 1 <<<"$out" | cut -d, -f1)" = "contact policy version 1" -a -n "$(grep -E 'US-MA-2IN7 +cap: at most 2 ' <<<"$out")"
run "$bindir/cobroctl" --database "dbname=$upg user=postgres" --user admin policy load "$top/etc/policy.conf"
check "  and policy load works: version 4" test "$out" = "stored contact policy version 4"
check "the lease until 2094 is cut to 300 s" \
	test "$(q "$upg" "SELECT bool_and(expires_at <= now() + interval '300 s') FROM cobro.lease")" = t
check "the agents' login roles carry cobro's mark" \
	test "$(q "$upg" "SELECT bool_and(shobj_description(r.oid, 'pg_authid') = cobro.agent_mark())
	                  FROM cobro.agent a JOIN pg_roles r ON r.rolname = a.login")" = t

# ---- the same schema as a database made today
run "$bindir/cobroctl" --database "dbname=$fresh user=postgres" init
check "a fresh database is made" exit_is 0
# Partitions are made by the clock (the old migration made 24 months back),
# and pg_dump's \restrict key changes with each run.
schema() { pg_dump -U postgres -s -n cobro -T 'cobro.event_2*' -d "$1" | grep -v '^\\\(un\)\?restrict '; }
schema "$upg" >"$scratch/upgraded.sql"
schema "$fresh" >"$scratch/fresh.sql"
check "pg_dump reads both schemas" grep -q '^CREATE FUNCTION cobro.account_screen(' "$scratch/upgraded.sql" "$scratch/fresh.sql"
check "the upgraded schema is the fresh one: tables, functions, triggers, policies, grants" \
	diff -u "$scratch/fresh.sql" "$scratch/upgraded.sql"
ledger() { q "$1" "SELECT string_agg(version || ' ' || checksum, ',' ORDER BY version) FROM cobro.schema_migration
                  UNION ALL SELECT string_agg(file || ' ' || checksum, ',' ORDER BY file) FROM cobro.schema_function"; }
check "and so are both ledgers' checksums" test "$(ledger "$upg")" = "$(ledger "$fresh")"
check "the old months' partitions are kept" test "$(q "$upg" "SELECT count(*) FROM pg_inherits i
	JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'cobro.event'::regclass
	AND c.relname ~ '^event_[0-9]{4}_[0-9]{2}$'")" -ge 36
check "  and granted to no one" test "$(q "$upg" "SELECT count(*) FROM pg_inherits i,
	unnest(ARRAY['public', 'cobro_collector', 'cobro_supervisor', 'cobro_lead', 'cobro_admin', 'cobro_daemon']) g
	WHERE i.inhparent = 'cobro.event'::regclass AND has_table_privilege(g, i.inhrelid, 'SELECT')")" = 0

# ---- and it works: what the workstation and cobrod call
ana() { psql -X -qAt -v ON_ERROR_STOP=1 -U ana -d "$upg" -c "$1"; }
check "ana's worklist page" test "$(ana "SELECT count(*) FROM cobro.worklist_page(0, 50, 1e9, 1e8, 150)")" -gt 0
first=$(ana "SELECT id FROM cobro.worklist_page(0, 1, 1e9, 1e8, 150)")
check "ana opens its first account" \
	test "$(ana "SELECT cobro.account_screen($first, 50, now() - interval '400 days') ->> 'policy_state'")" = active
check "cobro.priority_total agrees with the page's order" test "$(ana "
	SELECT bool_and(t.total >= coalesce(t.next_total, t.total)) FROM (
	  SELECT cobro.priority_total(a.next_action_at, a.promise_due, a.rank_value, 1e9, 1e8, 150) AS total,
	         lead(cobro.priority_total(a.next_action_at, a.promise_due, a.rank_value, 1e9, 1e8, 150))
	           OVER (ORDER BY w.ord) AS next_total
	  FROM cobro.worklist_page(0, 50, 1e9, 1e8, 150) WITH ORDINALITY AS w(id, d, r, dpd, b, c, p, l, s, j, n, ord)
	  JOIN cobro.account a ON a.id = w.id) t")" = t
finish
