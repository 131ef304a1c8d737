#!/usr/bin/env bash
# Issue 17, lines 6 and 8: the audit chain. cobroctl audit verify passes on a
# fresh demo, then, after the superuser alters one row (and in another
# database deletes one, inserts one, re-links one, empties the table), exits
# non-zero naming the first broken link; nobody, the superuser included,
# changes a row through the table's guard. cobroctl audit show filters by
# account, agent and date. Logins of cobroctl are on the record.
# Each case works in a database of its own, made here and dropped: the
# shared demo's chain stays whole for the other suites.
. "$(dirname "$0")/tap.sh"
db=cobro_audit_$$
su() { psql -X -qAt -v ON_ERROR_STOP=1 -U postgres -d "$db" "$@"; }
ctl() { run "$bindir/cobroctl" --database "dbname=$db" --user "$1" "${@:2}"; }
fresh() {
	psql -X -q -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null &&
		"$bindir/cobroctl" --database "dbname=$db" --user postgres init >/dev/null 2>&1 &&
		"$bindir/cobroctl" --database "dbname=$db" --user postgres demo --accounts 60 --seed 3 --quiet >/dev/null 2>&1
}
trap 'psql -X -q -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1; rm -rf "$scratch"' EXIT
# As the superuser, past the guard: what only a superuser can do.
tamper() { su -c "SET session_replication_role = replica" -c "$1"; }

fresh || { echo "Bail out! cannot make database $db"; exit 1; }
# Some history: people, a template's worth of changes, logins.
ctl postgres team add audit-t --name "Audit team"
ctl postgres agent add aud1 --name "Auditor Uno" --role collector --team audit-t
ctl admin agent list
ctl admin audit verify
check "verify passes on a fresh demo (exit 0)" test "$rc" = 0
check "  and says how many rows and the head" \
	grep -qE '^audit chain intact: [0-9]+ rows$' <<<"$out"
n=$(su -c "select count(*) from cobro.audit")
check "  the chain has rows to check ($n)" test "$n" -ge 5
check "cobroctl's logins are audited, in the login's name" \
	test "$(su -c "select count(*) from cobro.audit where action = 'LOGIN' and actor = 'admin' and new->>'program' = 'cobroctl'")" -ge 2
check "the team and the person added are audited" \
	test "$(su -c "select count(*) from cobro.audit where tbl in ('team', 'agent') and action = 'INSERT' and (new->>'code' = 'audit-t' or new->>'login' = 'aud1')")" = 2

# The guard: even the superuser, without switching it off, cannot.
victim=$(su -c "select id from cobro.audit order by id offset 2 limit 1")
run su -c "update cobro.audit set actor = 'nobody' where id = $victim"
check "the superuser's plain UPDATE is refused by the guard" \
	grep -q 'append-only' <<<"$err"
run su -c "delete from cobro.audit where id = $victim"
check "  and its DELETE" grep -q 'append-only' <<<"$err"
run su -c "truncate cobro.audit"
check "  and its TRUNCATE" grep -q 'append-only' <<<"$err"

# Altered: one row's content.
tamper "update cobro.audit set actor = 'nobody' where id = $victim"
ctl admin audit verify
check "after the superuser alters row $victim, verify exits non-zero" test "$rc" = 1
check "  naming row $victim as changed" \
	grep -q "^audit chain BROKEN at row $victim (changed)" <<<"$out"
check "  as audit_verify() in the database says too" \
	test "$(su -c "select broken_id || ' ' || problem from cobro.audit_verify()")" = "$victim changed"

# Altered with its hash recomputed: the next row's link no longer holds.
fresh || { echo "Bail out! cannot make database $db"; exit 1; }
ctl admin agent list
victim=$(su -c "select id from cobro.audit order by id offset 1 limit 1")
next=$(su -c "select id from cobro.audit where id > $victim order by id limit 1")
tamper "update cobro.audit set actor = 'nobody', hash = sha256(coalesce(prev_hash, '\x') || convert_to(concat_ws('|', at AT TIME ZONE 'UTC' || '+00', 'nobody', action, tbl, row_id, old, new), 'UTF8')) where id = $victim"
ctl admin audit verify
check "a row altered with its own hash recomputed breaks the next link ($next)" \
	grep -q "^audit chain BROKEN at row $next (removed)" <<<"$out"

# Deleted: a row in the middle.
fresh || { echo "Bail out! cannot make database $db"; exit 1; }
ctl admin agent list
victim=$(su -c "select id from cobro.audit order by id offset 1 limit 1")
next=$(su -c "select id from cobro.audit where id > $victim order by id limit 1")
tamper "delete from cobro.audit where id = $victim"
ctl admin audit verify
check "after the superuser deletes row $victim, verify exits non-zero" test "$rc" = 1
check "  naming row $next, whose link is gone" \
	grep -q "^audit chain BROKEN at row $next (removed): .*between [0-9]* and $next were removed" <<<"$out"
check "  as audit_verify() in the database says too" \
	test "$(su -c "select broken_id || ' ' || problem from cobro.audit_verify()")" = "$next removed"

# Inserted: a well-formed row slipped in between two rows (into a gap of
# ids, as a rolled-back write leaves), chained to the row before it.
fresh || { echo "Bail out! cannot make database $db"; exit 1; }
su -c "BEGIN" -c "SELECT cobro.audit_write('GAP', 'x', NULL, NULL, NULL)" -c "ROLLBACK" >/dev/null
ctl admin agent list
before=$(su -c "select max(id) from cobro.audit where action <> 'LOGIN' or actor <> 'admin'")
after=$(su -c "select min(id) from cobro.audit where id > $before")
gap=$((before + 1))
check "  (a gap of ids to insert into: $before, $gap, $after)" test "$after" -gt "$gap"
tamper "insert into cobro.audit (id, at, actor, action, tbl, row_id, prev_hash, hash) overriding system value
        select $gap, at, 'nobody', 'FORGED', 'account', 1, hash, '\x00' from cobro.audit where id = $before" >/dev/null
tamper "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD';
        update cobro.audit set hash = sha256(prev_hash || convert_to(concat_ws('|', at, actor, action, tbl, row_id, old, new), 'UTF8')) where action = 'FORGED'"
ctl admin audit verify
check "a row inserted by the superuser is found (exit 1)" test "$rc" = 1
check "  at the first link after it, named inserted" \
	grep -q "^audit chain BROKEN at row $after (inserted): row $after links to row $before" <<<"$out"
check "  as audit_verify() in the database says too" \
	test "$(su -c "select broken_id || ' ' || problem from cobro.audit_verify()")" = "$after inserted"

# Appended with a link to an old row: the next write chains to it, and the
# row after the last honest one is found re-linked.
fresh || { echo "Bail out! cannot make database $db"; exit 1; }
first=$(su -c "select min(id) from cobro.audit")
last=$(su -c "select max(id) from cobro.audit")
tamper "insert into cobro.audit (id, at, actor, action, tbl, row_id, prev_hash, hash) overriding system value
        select $last + 1000, at, 'nobody', 'FORGED', 'account', 1, hash, '\x00' from cobro.audit where id = $first" >/dev/null
tamper "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD';
        update cobro.audit set hash = sha256(prev_hash || convert_to(concat_ws('|', at, actor, action, tbl, row_id, old, new), 'UTF8')) where action = 'FORGED'"
ctl admin audit verify
check "a row appended linking to an old one is found (exit 1), re-linked" \
	test "$rc" = 1 && grep -q "(relinked)" <<<"$out"

# Emptied: the next row written (verify's own login) links to the head's
# row, which is gone, rather than starting a new chain that would hide it.
tamper "delete from cobro.audit"
ctl admin audit verify
check "an emptied trail fails verify, though a login was written since" \
	test "$rc" = 1 && grep -q "(removed): row [0-9]* links to a row that is gone: the rows before it were removed" <<<"$out"

# The tail cut: the rows after the head's row removed, then a write.
fresh || { echo "Bail out! cannot make database $db"; exit 1; }
ctl admin agent list
tamper "delete from cobro.audit where id >= (select id from cobro.audit where hash = (select hash from cobro.audit_head))"
ctl admin audit verify
check "rows removed at the end are found at the next row written" \
	test "$rc" = 1 && grep -q "(removed)" <<<"$out"

# Rewritten whole from a row on, every hash and the head recomputed: the
# chain verifies (what it cannot prove alone), but not against a head kept
# from before.
fresh || { echo "Bail out! cannot make database $db"; exit 1; }
ctl admin audit verify
kept=$(sed -n 's/^head //p' <<<"$out")
check "verify prints the head to keep (64 hex digits)" grep -qE '^[0-9a-f]{64}$' <<<"$kept"
ctl admin audit verify --head "$kept"
check "  and verify --head passes with it while nothing changed" \
	test "$rc" = 0 && grep -q "^the head kept is row [0-9]*$" <<<"$out"
victim=$(su -c "select id from cobro.audit order by id offset 1 limit 1")
tamper "DO \$\$ DECLARE r record; prev bytea; h bytea; BEGIN
	SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD';
	FOR r IN SELECT * FROM cobro.audit ORDER BY id LOOP
		IF r.id = $victim THEN r.actor := 'nobody'; END IF;
		h := sha256(coalesce(prev, '\x'::bytea) || convert_to(concat_ws('|', r.at, r.actor, r.action, r.tbl, r.row_id, r.old, r.new), 'UTF8'));
		UPDATE cobro.audit SET actor = r.actor, prev_hash = prev, hash = h WHERE id = r.id;
		prev := h;
	END LOOP;
	UPDATE cobro.audit_head SET hash = prev;
END \$\$"
ctl admin audit verify
check "a chain rewritten whole by the superuser verifies alone (the limit docs/security.md states)" test "$rc" = 0
ctl admin audit verify --head "$kept"
check "  but not against the head kept before: exit 1, rewritten" \
	test "$rc" = 1 && grep -q "^audit chain BROKEN (rewritten): no row has the head kept, $kept" <<<"$out"
ctl admin audit verify --head nothex
check "--head takes a hash as verify prints it" test "$rc" != 0 && grep -q 'is not a hash' <<<"$err"

# show: who, when, what; filters.
fresh || { echo "Bail out! cannot make database $db"; exit 1; }
acc=$(su -c "select reference from cobro.account order by id limit 1")
su -c "update cobro.account set status = 'closed' where reference = '$acc'"
ctl admin audit show
check "audit show lists the rows with a header" \
	test "$rc" = 0 -a "$(head -n 1 <<<"$out" | tr -s ' ' | sed 's/^ //')" = "id at (UTC) who action row what"
ctl admin audit show --account "$acc"
check "--account REF shows the status change of that account, old to new" \
	grep -q "postgres .*UPDATE .*account [0-9]* .*status: active → closed" <<<"$out"
check "  and only rows about it" test "$(tail -n 1 <<<"$out")" = "1 rows"
ctl admin audit show --agent admin
check "--agent LOGIN shows that login's rows" \
	test "$rc" = 0 && grep -q " admin .*LOGIN .*session" <<<"$out" && ! grep -q " postgres " <<<"$out"
ctl admin audit show --since 2999-01-01
check "--since DATE leaves out older rows" test "$rc" = 0 -a "$(tail -n 1 <<<"$out")" = "0 rows"
ctl admin audit show --since yesterday
check "--since takes a date only" test "$rc" != 0 && grep -q 'not a date' <<<"$err"
ctl admin audit show --account NO-SUCH
check "an unknown account is said" test "$rc" != 0 && grep -q 'no account NO-SUCH' <<<"$err"
ctl ana audit show
check "a collector cannot read the audit (the database refuses)" \
	test "$rc" != 0 && grep -q 'permission denied' <<<"$err"
ctl ana audit verify
check "  nor verify it" test "$rc" != 0 && grep -q 'permission denied' <<<"$err"
finish
