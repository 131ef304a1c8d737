#!/usr/bin/env bash
# A promise's life from end to end (issue 16, line 10), on two accounts the
# morning's portfolio load brings in: ana captures a plan of two monthly
# payments on the first with the promise form, and on the second a plan
# longer than the team allows, which waits for approval; sofia approves it
# in her approval list while ana's workstation says so; the day's payments
# file pays the first plan on its dates; the promise keeper, asked about the
# morning after the second payment's grace, finds the first plan kept and
# the second broken; ana's worklist shows both, the broken one on top.
# Everything runs through the programs a team uses: cobroctl import
# accounts and payments, the workstation in tmux, cobroctl promises
# evaluate. The accounts are this test's own and go when it ends.
set -u
E2E_OWN_CLUSTER=1
. "$(dirname "$0")/lib.sh"
XDG_STATE_HOME=$(mktemp -d)
export XDG_STATE_HOME
ctl() { "$COBRO_BIN/cobroctl" --database "dbname=cobro" --user admin "$@"; }
work=$(mktemp -d)
# Enterable by the postgres user, so that the cluster lives in it and goes
# with it (see test_golden.sh).
chmod 755 "$work"
tag="D$$"
ref1="E2E-$tag-1" ref2="E2E-$tag-2"

# Its own cluster and a small demo: the keeper is asked about a day weeks
# ahead, and would decide the shared demo's promises due before it.
# Its port is drawn above the main run's clusters' (tests/run.sh).
pgport=
trap 'tmux -L "$E2E_SOCK" kill-server 2>/dev/null; "$COBRO_TOP/scripts/pg.sh" stop "$work/pg" "$pgport" >/dev/null 2>&1
      rm -rf "$E2E_CONF" "$XDG_STATE_HOME" "$work"' EXIT
setup() {
	own_cluster_start "$work/pg" 54960 &&
		eval "$("$COBRO_TOP/scripts/pg.sh" env "$work/pg" "$pgport")" &&
		"$COBRO_BIN/cobroctl" --database "dbname=cobro user=postgres" init &&
		"$COBRO_BIN/cobroctl" --database "dbname=cobro user=postgres" demo --accounts 120 --seed 5 --quiet
}
if ! setup >"$work/setup.log" 2>&1; then
	echo "not ok 1 - a cluster of its own with a small demo"
	sed 's/^/# /' "$work/setup.log"
	exit 1
fi
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }

# ---- the morning's portfolio load: two debtors in Lima for ana; the second
# owes more, so that among broken promises its account comes first
creditor=$(q "select code from cobro.creditor order by id limit 1")
today=$(q "select (now() at time zone 'America/Lima')::date")
due=$(q "select date '$today' - 20")
mobile1="912 $(printf '%03d' $(($$ % 1000))) 101"
mobile2="0051-9$(printf '%02d' $(($$ % 100)))-123-202"
cat >"$work/accounts.csv" <<EOF
reference,debtor_name,national_id,mobile,email,jurisdiction,time_zone,language,creditor,product,currency,balance,past_due,due_date,segment,score,agent
$ref1,Rosa Quispe Mamani,$tag-1,$mobile1,rosa.$tag@example.com,PE,America/Lima,es,$creditor,tarjeta,PEN,1200.00,300.00,$due,standard,700,ana
$ref2,"Huamán, Julio César",$tag-2,$mobile2,,PE,America/Lima,es,$creditor,préstamo,PEN,9900000.00,9000.00,$due,standard,990,ana
EOF
out=$(ctl import accounts "$work/accounts.csv" 2>&1)
check "the portfolio load takes both accounts ($(tail -n 1 <<<"$out"))" \
	test "$(q "select count(*) from cobro.account a join cobro.agent g on g.id = a.agent_id
	          where a.reference in ('$ref1', '$ref2') and g.login = 'ana' and a.status = 'active'")" = 2
check "  the mobiles typed as people type them are stored in E.164" \
	test "$(q "select count(*) from cobro.contact_point c join cobro.debtor d on d.id = c.debtor_id
	          where d.national_id like '$tag-%' and c.value ~ '^\+519[0-9]{8}$'")" = 2
id1=$(q "select id from cobro.account where reference = '$ref1'")
id2=$(q "select id from cobro.account where reference = '$ref2'")
max_inst=$(sql_as ana "select max_installments from cobro.promise_limits_for($id2)")
grace=$(sql_as ana "select grace_days from cobro.promise_limits_for($id1)")
check "ana reads the team's limits for them (at most $max_inst installments, $grace days' grace)" \
	test -n "$max_inst" -a -n "$grace"

field() { screen "$1" | grep -E "^$2 " | head -1; }
field_has() { field "$1" "$2" | grep -qF -- "$3"; }
open_account() {
	keys ana /
	keys ana C-u
	text ana "$1"
	keys ana Enter
	wait_for ana "1 account matches" >/dev/null
	eventually 5 line_has ana 3 "$1" 2>/dev/null
	keys ana Enter
	wait_for ana "History (newest first)" >/dev/null
}

app_start ana "$(cobro_cmd ana)"
app_start sofia "$(cobro_cmd sofia)"
wait_for ana "accounts to work" >/dev/null
wait_for sofia "cobro" >/dev/null

# ---- the first account: two monthly payments of 150.00
open_account "$ref1"
keys ana p
check "p opens the promise form on $ref1" wait_screen ana "Promise to pay"
check "  the amount is the past-due amount" eventually 3 field_has ana Amount "300.00"
keys ana Enter # the first date: today
keys ana Enter
keys ana C-u
text ana "2"
keys ana Enter # monthly
check "  the schedule shows two payments" wait_screen ana "Schedule: 2 payments"
for _ in 1 2 3 4; do keys ana Enter; done
check "  saved pending" wait_screen ana "Saved, pending"
p1=$(q "select id from cobro.promise where account_id = $id1 and status = 'pending'")
check "  its plan: 150.00 today and 150.00 a month later" \
	test "$(q "select string_agg(amount || '@' || due_date, ' ' order by seq) from cobro.promise_installment where promise_id = '$p1'")" = \
	"15000@$today 15000@$(q "select (date '$today' + interval '1 month')::date")"
keys ana Escape
wait_screen ana "History (newest first)" >/dev/null
check "  back on the account, the status line keeps what was saved (not \"Cancelled\")" \
	bash -c "! tmux -L '$E2E_SOCK' capture-pane -p -t '=ana:' | grep -q Cancelled"
keys ana Escape
wait_screen ana "account matches" >/dev/null

# ---- the second: more installments than the limits allow
open_account "$ref2"
keys ana p
wait_screen ana "Promise to pay" >/dev/null
keys ana Tab
keys ana Tab
keys ana C-u
text ana "$((max_inst + 1))"
check "  $((max_inst + 1)) installments need approval, said beside the field" \
	eventually 3 field_has ana Installments "Needs approval"
for _ in 1 2 3 4 5; do keys ana Enter; done
check "  saving asks first" wait_screen ana "Needs approval"
keys ana 1
check "  saved awaiting approval" wait_screen ana "Saved, awaiting approval"
p2=$(q "select id from cobro.promise where account_id = $id2 and status = 'awaiting_approval'")
check "  the database has it awaiting approval" test -n "$p2"
keys ana Escape
wait_screen ana "History (newest first)" >/dev/null
# The money pane lists the plan under the promise; not in force yet, its
# installments have dates but no state.
plan_lines() { screen ana | grep -E "^  [0-9]/$((max_inst + 1)) "; }
plan_shown() { plan_lines | grep -q .; }
plan_pending() { plan_lines | grep -q pending; }
keys ana Tab
keys ana Tab
check "  ana's account lists the plan awaiting approval" eventually 5 plan_shown
check "  its installments show no state while it awaits approval" not plan_pending

# ---- sofia approves it while ana has the account open
keys sofia A
check "A opens sofia's approval list (from her dashboard)" wait_screen sofia "Approvals"
check "  with ana's promise on $ref2 in it" wait_screen sofia "$ref2" 5
# The newest is last.
keys sofia End
check "  the newest, last, is $ref2's, outside the limits" eventually 5 bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t '=sofia:' | grep -q 'too many installments'"
keys sofia a
check "sofia approves it" wait_screen sofia "Promise on $ref2 approved"
check "ana's workstation says so, live" wait_screen ana "Promise on $ref2 approved by sofia" 5
check "  ana's account shows its installments pending now" eventually 5 plan_pending
check "  the promise is pending, decided by sofia" \
	test "$(q "select p.status || ' ' || g.login from cobro.promise p join cobro.agent g on g.id = p.decided_by where p.id = $p2")" = "pending sofia"
keys ana Escape
wait_screen ana "account matches" >/dev/null

# ---- the payments files: the first plan paid on its two dates, nothing
# for the second. The second file comes on its day: cobroctl runs then
# (libfaketime), as a payment dated after today is refused.
second=$(q "select due_date from cobro.promise_installment where promise_id = $p1 and seq = 2")
printf 'reference,amount,paid_at,method,external_id\n%s,150.00,%sT10:15:00-05:00,transfer,%s\n' \
	"$ref1" "$today" "$tag-pay-1" >"$work/today.csv"
printf 'reference,amount,paid_at,method,external_id\n%s,150.00,%s,cash,%s\n' "$ref1" "$second" "$tag-pay-2" >"$work/later.csv"
out=$(ctl import payments "$work/later.csv" 2>&1)
check "a payment dated $second is refused today" grep -q "has not come yet" <<<"$out"
out=$(ctl import payments "$work/today.csv" 2>&1)
check "today's payments import applies it ($(tail -n 1 <<<"$out"))" \
	test "$(q "select count(*) from cobro.payment where external_id = '$tag-pay-1'")" = 1
. "$COBRO_TOP/tests/lib/faketime.sh"
faketime_on "@$second 18:00:00" 2>/dev/null
# (the sanitizer build runs with libfaketime loaded before its runtime)
out=$(env "${faketime_env[@]}" TZ=UTC ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" "$COBRO_BIN/cobroctl" --database "dbname=cobro" --user admin import payments "$work/later.csv" 2>&1)
faketime_off
check "on $second, that day's file applies the second ($(tail -n 1 <<<"$out"))" \
	test "$(q "select count(*) from cobro.payment where external_id like '$tag-pay-%'")" = 2
check "  the balance is 300.00 less" test "$(q "select balance from cobro.account where id = $id1")" = 90000
out=$(ctl import payments "$work/today.csv" 2>&1)
check "  today's file again changes nothing: a duplicate" \
	test "$(q "select count(*) from cobro.payment where external_id like '$tag-pay-%'")" = 2 -a -n "$(grep '1 duplicate' <<<"$out")"

# ---- the keeper, the morning after the second payment's grace
at="$(q "select date '$second' + $grace + 1")T09:00:00-05:00"
out=$(ctl promises evaluate --at "$at" 2>&1)
check "promises evaluate --at '$at' runs ($(tr '\n' ' ' <<<"$out"))" test -n "$out"
check "  the first plan is kept, both payments kept" \
	test "$(q "select status || ' ' || (select string_agg(status, ',' order by seq) from cobro.promise_installment where promise_id = p.id)
	          from cobro.promise p where id = $p1")" = "kept kept,kept"
check "  the second is broken" test "$(q "select status from cobro.promise where id = $p2")" = broken
check "  its break is in the history, in ana's name" \
	test "$(q "select count(*) from cobro.event e join cobro.agent g on g.id = e.agent_id
	          where e.account_id = $id2 and e.kind = 'promise' and e.outcome = 'broken' and g.login = 'ana'")" = 1

# ---- ana's worklist: the broken promise on top, the kept one says so
# (rows name the debtor; / with nothing clears the search)
keys ana /
keys ana C-u
keys ana Enter
wait_screen ana "accounts to work" >/dev/null
keys ana r
# On top: only a callback due now may come before it (DESIGN.md section 6;
# a broken promise worth more could, and its balance is above any the demo
# draws). Row n of the database's order is line n + 2 of the screen.
order="with w as (select row_number() over () n, * from cobro.worklist_page(0, 200, 1e9, 1e8, 0))"
pos=$(sql_as ana "$order select n from w where reference = '$ref2'")
above=$(sql_as ana "$order select count(*) from w where n < $pos
                    and not exists (select 1 from cobro.account a where a.id = w.id and a.next_action_at <= now())")
check "the database puts $ref2 on top of ana's worklist (row $pos, after callbacks due only)" test "$above" = 0
check "  and so does her screen, saying broken" \
	eventually 10 bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t '=ana:' | sed -n '$((pos + 2))p' | grep 'Huamán' | grep -q broken"
keys ana /
keys ana C-u
text ana "$ref1"
keys ana Enter
wait_screen ana "1 account matches" >/dev/null
check "  the first account's row says kept" eventually 5 bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t '=ana:' | sed -n 3p | grep 'Rosa Quispe' | grep -q kept"


# ---- an account in dispute: p says at once that no promise is taken
q "update cobro.account set status = 'dispute' where id = $id1" >/dev/null
keys ana Enter
wait_for ana "History (newest first)" >/dev/null
keys ana p
check "p on an account in dispute says no promise is taken, before anything is typed" \
	wait_screen ana "This account is not worked: no promise can be taken"
check "  and opens no form" not line_has ana 1 "Promise"

keys ana q
keys sofia q
finish
