#!/usr/bin/env bash
# Promise limits (issue 16, line 2): cobroctl limits check, load and show.
# A bad file is named FILE:LINE and stores nothing (the version in force
# stays); a good one is a new version with the diff from the one before,
# audited; the version in force is what promise_limits_for() reads; only an
# administrator loads. In a database of its own, so that the shared demo's
# limits stay as cobroctl demo loaded them.
. "$(dirname "$0")/tap.sh"

db=cobro_limits_$$
psql -X -q -U postgres -d postgres -c "CREATE DATABASE $db" || exit 1
cleanup() {
	psql -X -q -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
	rm -rf "$scratch"
}
trap cleanup EXIT
q() { psql -X -qAt -v ON_ERROR_STOP=1 -U postgres -d "$db" -c "$1"; }
ctl() { run "$bindir/cobroctl" --database "dbname=$db" --user "$1" "${@:2}"; }
"$bindir/cobroctl" --database "dbname=$db user=postgres" init >/dev/null || exit 1

versions() { q "select count(*) from cobro.promise_limit_set"; }

ctl postgres limits show
check "a new database has the built-in limits" out_starts "promise limits version 1, loaded "
check "  one row for every jurisdiction and segment" grep -q '^\*  *\*  *60d  *25.0%  *6  *0.0%  *2d$' <<<"$out"

ctl postgres limits check "$top/etc/promise.conf"
check "the shipped etc/promise.conf is good" out_is "$top/etc/promise.conf: 17 limits, good"

# A file with a mistake on its fifth line: named, nothing stored.
cat >"$scratch/bad.conf" <<'EOF'
limits = (
  { jurisdiction = "*"; segment = "*"; horizon_days = 30; min_share_permille = 200;
    max_installments = 3; max_discount_permille = 0; grace_days = 2; },
  { jurisdiction = "PE"; segment = "*"; horizon_days = 30; min_share_permille = 200;
    max_installments = 3; max_discount_permille = 1500; grace_days = 2; }
);
EOF
ctl admin limits check "$scratch/bad.conf"
check "limits check names the file and line of a mistake" \
	err_is "cobroctl: $scratch/bad.conf:5: max_discount_permille: 1500 is out of range (0 to 1000)"
check "  exit 2" exit_is 2
ctl admin limits load "$scratch/bad.conf"
check "limits load refuses it the same way" err_has_line "cobroctl: $scratch/bad.conf:5: max_discount_permille: 1500 is out of range (0 to 1000)"
check "  and says the version in force stays" err_has_line "cobroctl: nothing was stored; the version in force stays"
check "  nothing is stored" test "$(versions)" = 1

printf 'limits = (\n  { jurisdiction = "*"; segment = "*"; horizon_days = 30;\n' >"$scratch/cut.conf"
ctl admin limits load "$scratch/cut.conf"
check "a file cut short: its line" err_starts "cobroctl: $scratch/cut.conf:3: syntax error"

# A good file, loaded by the administrator.
audit_before=$(q "select coalesce(max(id), 0) from cobro.audit")
ctl admin limits load "$top/etc/promise.conf"
check "limits load stores the shipped file as version 2" out_is "stored promise limits version 2"
check "  17 rows" test "$(q "select count(*) from cobro.promise_limit where version = 2")" = 17
check "  with the diff from the built-in version" \
	test "$(q "select diff like '%+  { jurisdiction = \"PE\"; segment = \"*\"%' from cobro.promise_limit_set where version = 2")" = t
check "  loaded by admin, from the file named" \
	test "$(q "select loaded_by || ' ' || source from cobro.promise_limit_set where version = 2")" = "admin $top/etc/promise.conf"
check "  and audited" test "$(q "select count(*) from cobro.audit where tbl = 'promise_limit_set' and id > $audit_before")" = 1
ctl admin limits show
check "limits show prints the version in force" out_starts "promise limits version 2, loaded "
check "  Peru's recovery row" grep -q '^PE  *recovery  *180d  *10.0%  *12  *35.0%  *5d$' <<<"$out"
ctl admin limits show US-MA recovery
check "limits show JURISDICTION SEGMENT: the row that applies (a subdivision takes its country's)" \
	grep -q '^US  *recovery  *180d  *10.0%  *12  *40.0%  *5d$' <<<"$out"
ctl admin limits show BR early
check "  and the * row where the jurisdiction has none" grep -q '^\*  *\*  *45d  *25.0%  *3  *0.0%  *2d$' <<<"$out"

# The database reads the version in force for an account.
q "insert into cobro.team (code, name) values ('lim', 'Limits') on conflict do nothing" >/dev/null
acc=$(q "with d as (insert into cobro.debtor (name, first_name, national_id, jurisdiction, time_zone)
                     values ('Deudora', 'Deudora', 'LIM-1', 'PE', 'America/Lima') returning id),
               c as (insert into cobro.creditor (code, name) values ('LIM', 'Limits') returning id)
          insert into cobro.account (debtor_id, creditor_id, product, reference, currency, balance, past_due, segment, team_id)
          select d.id, c.id, 'loan', 'LIM-1', 'PEN', 1000, 500, 'recovery', (select id from cobro.team where code = 'lim')
          from d, c returning id")
check "promise_limits_for() reads the new version's row for a Peruvian recovery account" \
	test "$(q "select version || ' ' || horizon_days || ' ' || max_discount_permille || ' ' || grace_days || ' ' || (today = (now() at time zone 'America/Lima')::date) from cobro.promise_limits_for($acc)")" = "2 180 350 5 true"

# Only an administrator loads.
ctl ana limits load "$top/etc/promise.conf"
check "a collector may not load limits" err_has "permission denied for function promise_limits_load"
check "  exit 1, nothing stored" test "$rc" = 1 -a "$(versions)" = 2
ctl sofia limits load "$top/etc/promise.conf"
check "nor a supervisor" test "$rc" = 1 -a "$(versions)" = 2

ctl admin limits
check "limits alone says its usage" exit_is 2

finish
