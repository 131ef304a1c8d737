#!/usr/bin/env bash
# The promise keeper (issue 16, line 7): cobroctl promises evaluate [--at
# TIME] prints what it decided; only administrators (and cobrod) run it; and
# cobrod runs it on start and every promises.evaluate_every seconds (0:
# never). In a database of its own: the keeper decides every promise.
. "$(dirname "$0")/tap.sh"

db=cobro_promises_$$
psql -X -q -U postgres -d postgres -c "CREATE DATABASE $db" || exit 1
daemon=
cleanup() {
	[ -n "$daemon" ] && kill -TERM "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null
	psql -X -q -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
	rm -rf "$scratch"
}
trap cleanup EXIT
q() { psql -X -qAt -v ON_ERROR_STOP=1 -U postgres -d "$db" -c "$1"; }
ctl() { run "$bindir/cobroctl" --database "dbname=$db" --user "$1" "${@:2}"; }
"$bindir/cobroctl" --database "dbname=$db user=postgres" init >/dev/null || exit 1
"$bindir/cobroctl" --database "dbname=$db user=postgres" agent add t_pkeeper --name "Promise keeper" --role daemon \
	>/dev/null || exit 1

# promise REF AMOUNT FIRST N FREQ GRACE CREATED: an account in Lima with a
# promise and its plan, written as the owner would (nobody else may).
q "insert into cobro.team (code, name) values ('pk', 'Promises'); insert into cobro.creditor (code, name) values ('PK', 'PK')"
promise() {
	q "with d as (insert into cobro.debtor (name, first_name, national_id, jurisdiction, time_zone)
	              values ('Deudor $1', 'Deudor', '$1', 'PE', 'America/Lima') returning id),
	        a as (insert into cobro.account (debtor_id, creditor_id, product, reference, currency, balance, past_due, team_id)
	              select d.id, (select id from cobro.creditor where code = 'PK'), 'loan', '$1', 'PEN', 100000, 50000,
	                     (select id from cobro.team where code = 'pk') from d returning id),
	        p as (insert into cobro.promise (account_id, amount, currency, due_date, frequency, installments, grace_days, created_at)
	              select a.id, $2, 'PEN', $3, '$5', $4, $6, $7 from a returning id)
	   insert into cobro.promise_installment (promise_id, seq, due_date, amount)
	   select p.id, s.seq, s.due_date, s.amount from p, cobro.promise_schedule($3, $4, '$5', $2) s" >/dev/null
}
status() { q "select p.status from cobro.promise p join cobro.account a on a.id = p.account_id where a.reference = '$1'"; }
pay() { q "insert into cobro.payment (account_id, amount, currency, paid_at) select id, $2, 'PEN', '$3' from cobro.account where reference = '$1'" >/dev/null; }

# Lima is UTC-5: the grace of an installment of 10 January with 1 day's
# grace ends at 2030-01-12 05:00 UTC.
promise PK-KEPT 10000 "date '2030-01-10'" 1 once 1 "timestamptz '2030-01-02 09:00-05'"
promise PK-PART 20000 "date '2030-01-10'" 2 weekly 1 "timestamptz '2030-01-02 09:00-05'"
promise PK-LATE 10000 "date '2030-01-10'" 1 once 1 "timestamptz '2030-01-02 09:00-05'"
pay PK-KEPT 10000 "2030-01-11 23:00-05"
pay PK-PART 4000 "2030-01-09 10:00-05"
pay PK-LATE 10000 "2030-01-12 08:00-05"

ctl admin promises evaluate --at 2030-01-12T04:59:59Z
check "promises evaluate --at, before the grace ends in Lima: one kept" out_is $'kept 1\npartial 0\nbroken 0\nlate 0'
check "  exit 0" exit_is 0
check "  PK-KEPT kept, PK-PART still pending" test "$(status PK-KEPT) $(status PK-PART)" = "kept pending"
ctl admin promises evaluate --at 2030-01-12T05:00:00Z
check "at the end of the grace in Lima: one installment partial, two promises broken" \
	out_is $'kept 0\npartial 1\nbroken 2\nlate 0'
check "  PK-PART and PK-LATE broken" test "$(status PK-PART) $(status PK-LATE)" = "broken broken"
ctl admin promises evaluate --at 2030-01-13T00:00:00-05:00
check "after the late payment: one late" out_is $'kept 0\npartial 0\nbroken 0\nlate 1'
ctl admin promises evaluate --at 2030-01-13T00:00:00-05:00
check "again: nothing more" out_is $'kept 0\npartial 0\nbroken 0\nlate 0'

ctl admin promises evaluate --at yesterday
check "a time that is not one is refused" err_is 'cobroctl: --at: "yesterday" is not a time like 2026-11-24T10:00:00-05:00'
check "  exit 2" exit_is 2
ctl admin promises evaluate extra
check "an extra word is a usage error" exit_is 2
ctl ana promises evaluate
check "a collector may not evaluate promises" err_has "permission denied for function promise_evaluate"
check "  exit 1" exit_is 1
ctl sofia promises evaluate
check "nor a supervisor" exit_is 1

# cobrod: a promise due a week ago, nothing paid, broken by the next run.
promise PK-DAEMON 10000 "current_date - 7" 1 once 0 "now() - interval '10 days'"
printf 'database = "dbname=%s";\nlog = { level = "info"; };\npromises = { evaluate_every = 0; };\n' "$db" >"$scratch/off.conf"
"$bindir/cobrod" --config "$scratch/off.conf" --user t_pkeeper 2>"$scratch/off.log" &
daemon=$!
for _ in $(seq 1 50); do grep -q "connected as" "$scratch/off.log" && break; sleep 0.1; done
sleep 1
kill -TERM "$daemon"; wait "$daemon"; daemon=
check "cobrod with promises.evaluate_every = 0 evaluates nothing" test "$(status PK-DAEMON)" = pending

printf 'database = "dbname=%s";\nlog = { level = "info"; };\npromises = { evaluate_every = 1; };\n' "$db" >"$scratch/on.conf"
"$bindir/cobrod" --config "$scratch/on.conf" --user t_pkeeper 2>"$scratch/on.log" &
daemon=$!
for _ in $(seq 1 100); do [ "$(status PK-DAEMON)" = broken ] && break; sleep 0.1; done
check "cobrod evaluates the promises on start" test "$(status PK-DAEMON)" = broken
check "  and logs what it decided" grep -q "promises evaluated: 0 kept, 0 partial, 1 broken, 0 late" "$scratch/on.log"
# A second one, due before cobrod's next run: decided a second later.
promise PK-DAEMON2 10000 "current_date - 3" 1 once 0 "now() - interval '5 days'"
for _ in $(seq 1 50); do [ "$(status PK-DAEMON2)" = broken ] && break; sleep 0.1; done
check "  and again every promises.evaluate_every seconds" test "$(status PK-DAEMON2)" = broken
kill -TERM "$daemon"; wait "$daemon"
check "cobrod stops on SIGTERM" test $? = 0
daemon=

printf 'database = "dbname=%s";\npromises = { evaluate_every = 100000; };\n' "$db" >"$scratch/bad.conf"
run "$bindir/cobrod" --config "$scratch/bad.conf" --user t_pkeeper
check "promises.evaluate_every beyond a day is refused" err_has "evaluate_every"
check "  cobrod does not start" exit_not 0

finish
