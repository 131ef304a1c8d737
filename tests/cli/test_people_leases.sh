#!/usr/bin/env bash
# Issue 14, lines 4 and 5, as the demo's real people: cobro changes only the
# login roles it created; a lease is the agent's who took it, and lasts no
# longer than the administrator allows.
. "$(dirname "$0")/tap.sh"
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }
as() { psql -X -qAt -U "$1" -d cobro -c "$2" 2>&1; }
ctl() { run "$bindir/cobroctl" --database "dbname=cobro" --user "$1" "${@:2}"; }

# ---- people: another application's login role in the same cluster
q "drop role if exists billing_owner; drop role if exists h14_newhire;
   delete from cobro.agent where login in ('billing_owner', 'h14_newhire')" >/dev/null 2>&1
q "create role billing_owner login password 'billing-secret'" >/dev/null
# Passwords compared as the server keeps them (a SCRAM verifier, salted:
# a new password, even the same one, gives another).
secret() { q "select rolpassword from pg_authid where rolname = '$1'"; }
billing=$(secret billing_owner)
check "billing_owner, another application's login, has its password" test -n "$billing"
run bash -c "echo pwned | '$bindir/cobroctl' --database dbname=cobro --user admin agent add billing_owner --name 'Billing' --role collector --team norte --password"
check "cobroctl agent add billing_owner is refused" test "$rc" != 0
check "with a clear error" grep -qF 'role "billing_owner" exists and was not created by cobro' <<<"$err"
check "its password is unchanged" test "$(secret billing_owner)" = "$billing"
check "it is in no cobro group, and has no agent row" \
	test "$(q "select count(*) from pg_auth_members where member = 'billing_owner'::regrole") $(q "select count(*) from cobro.agent where login = 'billing_owner'")" = "0 0"
res=$(as admin "select cobro.agent_add('billing_owner', 'Billing', 'admin', null, 'pwned')")
check "not as an admin either, straight in psql" grep -qF 'was not created by cobro' <<<"$res"
# A role cobro made, left by a database that is gone, is cobro's to take again.
run bash -c "echo first | '$bindir/cobroctl' --database dbname=cobro --user admin agent add h14_newhire --name 'New Hire' --role collector --team norte --password"
check "a new person is added" test "$rc" = 0
check "and marked as cobro's (its comment)" test "$(q "select shobj_description('h14_newhire'::regrole, 'pg_authid') = cobro.agent_mark()")" = t
q "delete from cobro.agent where login = 'h14_newhire'" >/dev/null
first=$(secret h14_newhire)
run bash -c "echo second | '$bindir/cobroctl' --database dbname=cobro --user admin agent add h14_newhire --name 'New Hire' --role collector --team norte --password"
check "cobro's own leftover role is adopted again, with the new password" test "$rc" = 0 -a "$(secret h14_newhire)" != "$first"
q "delete from cobro.agent where login in ('h14_newhire', 'billing_owner'); drop role h14_newhire; drop role billing_owner" >/dev/null

# ---- leases: ana's account, sofia her supervisor, marta the lead
acc=$(q "select a.id from cobro.account a join cobro.agent g on g.id = a.agent_id where g.login = 'ana' order by a.id limit 1")
q "delete from cobro.lease where account_id = $acc" >/dev/null
check "ana takes the lease on her account" test "$(as ana "select holder || ' ' || mine from cobro.lease_take($acc, 'ana-window', 120)")" = "ana true"
sess=$(as sofia "select session from cobro.lease where account_id = $acc")
check "sofia can read ana's session" test "$sess" = ana-window
check "sofia passing it takes nothing: ana still holds the lease" \
	test "$(as sofia "select holder || ' ' || mine from cobro.lease_take($acc, '$sess', 2000000000)")" = "ana false"
check "marta neither" test "$(as marta "select holder || ' ' || mine from cobro.lease_take($acc, '$sess', 120)")" = "ana false"
check "the lease is still ana's, for 2 minutes at most" \
	test "$(q "select g.login || ' ' || (l.expires_at <= now() + interval '120 s') from cobro.lease l join cobro.agent g on g.id = l.agent_id where l.account_id = $acc")" = "ana true"
check "ana asking for 63 years gets the longest lease, 300 s" \
	test "$(as ana "select mine from cobro.lease_take($acc, 'ana-window', 2000000000)") $(q "select expires_at <= now() + interval '300 s' from cobro.lease where account_id = $acc")" = "t t"
res=$(as sofia "update cobro.lease_setting set max_seconds = 3600")
check "sofia cannot set the longest lease" grep -qF "permission denied for table lease_setting" <<<"$res"
res=$(as marta "update cobro.lease_setting set max_seconds = 3600")
check "marta cannot either" grep -qF "permission denied for table lease_setting" <<<"$res"
as admin "update cobro.lease_setting set max_seconds = 60" >/dev/null
check "admin sets it to 60 s: ana's lease is cut to 60 s at once" \
	test "$(q "select expires_at <= now() + interval '60 s' from cobro.lease where account_id = $acc")" = t
res=$(as admin "update cobro.lease_setting set max_seconds = 864000")
check "admin cannot set it beyond an hour" grep -qF "lease_setting_max_seconds_check" <<<"$res"
# A lease taken before the bound (sofia's of the report, until 2094):
q "update cobro.lease set expires_at = '2094-01-01', session = 'old' where account_id = $acc" >/dev/null
check "a lease until 2094 no longer holds ana off her own account" \
	test "$(as ana "select holder || ' ' || mine from cobro.lease_take($acc, 'ana-window', 120)")" = "ana true"
as admin "update cobro.lease_setting set max_seconds = 300" >/dev/null

# ---- the same through cobroctl lease max
ctl admin lease max
check "cobroctl lease max: the longest lease, 300 s" test "$rc" = 0 -a "$out" = "longest lease 300 s"
as ana "select mine from cobro.lease_take($acc, 'ana-window', 120)" >/dev/null
check "ana's lease runs for 2 minutes" \
	test "$(q "select expires_at > now() + interval '100 s' from cobro.lease where account_id = $acc")" = t
ctl admin lease max 90
check "admin sets it to 90 s" test "$rc" = 0 -a "$(q "select max_seconds from cobro.lease_setting")" = 90
check "  and ana's lease is cut to it" \
	test "$(q "select expires_at <= now() + interval '90 s' from cobro.lease where account_id = $acc")" = t
ctl admin lease max 7200
check "beyond an hour is refused by cobroctl" test "$rc" != 0 -a "$err" = 'cobroctl: lease max: "7200" is not a whole number from 60 to 3600'
ctl sofia lease max 3600
check "sofia cannot set it" test "$rc" != 0 -a "$(q "select max_seconds from cobro.lease_setting")" = 90
ctl admin lease max 300
q "delete from cobro.lease where account_id = $acc" >/dev/null
finish
