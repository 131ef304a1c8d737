#!/usr/bin/env bash
# The strategies run day by day (issue 18, lines 1, 2, 4, 5, 7 and 10):
# cobroctl strategy run --date DAY for each day of March 2030, with the
# policy's clock (COBRO_NOW) at 03:00 in Lima, before the allowed hours, and
# cobroctl strategy dry-run beside it. In a database of its own: a run
# decides every account of its database.
#
# The accounts, all in Lima (Peru: calls and messages 07:00-20:00 on
# working days, none on weekends and holidays), each with a mobile and an
# email, one installment of S/ 1,000.00:
#   P1   due Thu 14 March: pre3 on Mon 11, due0 on Thu 14, dpd1 on Fri 15
#        (preventive, then early: a change of segment), dpd5 on Tue 19,
#        dpd15 (the worklist) on Fri 29
#   R1   due Sun 10: dpd1 on Mon 11; replies on Tue 12: no dpd5
#   PY1  due Sun 10: dpd1 on Mon 11; pays part on Tue 12: no dpd5
#   PR1  due Tue 5: promised S/ 500 for Tue 12 before the first run: paused;
#        the promise keeper breaks it on Wed 13: the broken-promise notice
#        goes out that day and the ladder runs again
#   CU1  due Tue 19, CU2 due Thu 21: no run from Fri 22 to Tue 26 (an
#        outage); on Wed 27 CU1's dpd5 (Sun 24, 3 days late) and CU2's dpd1
#        (Fri 22, 5 days late) are recorded skipped, CU2's dpd5 (Tue 26,
#        a day late) goes out
#   L1   due 15 December 2029: dpd90 on Fri 15 March places it with the
#        agency, whose file is written
#   NC1  due Thu 14, its mobile without consent to SMS: its SMS steps are
#        refused by the contact policy's consent rule
#   E001-E100, then E101-E200: imported accounts in the early segment,
#        split 80/20 into variants A and B; the first hundred keep theirs
#        when the second comes
. "$(dirname "$0")/tap.sh"
cd "$top"

db=cobro_strategy_$$
psql -X -q -U postgres -d postgres -c "CREATE DATABASE $db" || exit 1
cleanup() {
	[ -n "${COBRO_TEST_KEEP:-}" ] && { echo "# kept database $db" >&2; return; }
	psql -X -q -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
	rm -rf "$scratch"
}
trap cleanup EXIT
q() { psql -X -qAt -v ON_ERROR_STOP=1 -U postgres -d "$db" -c "$1"; }
ctl() { run "$bindir/cobroctl" --database "dbname=$db" --user "$1" "${@:2}"; }
tag=$$
"$bindir/cobroctl" --database "dbname=$db user=postgres" init >/dev/null || exit 1
"$bindir/cobroctl" --database "dbname=$db" --user admin template add etc/templates/*.tpl >/dev/null || exit 1
"$bindir/cobroctl" --database "dbname=$db" --user admin policy load etc/policy.conf >/dev/null || exit 1
"$bindir/cobroctl" --database "dbname=$db" --user admin team add "st$tag" --name "Estrategia" >/dev/null || exit 1
"$bindir/cobroctl" --database "dbname=$db" --user admin agent add "stc$tag" --name "Sara Torres" --role collector \
	--team "st$tag" >/dev/null || exit 1
q "insert into cobro.creditor (code, name, pay_link) values ('st', 'Banco Estrategia', 'https://pago.example.com/')"
team=$(q "select id from cobro.team where code = 'st$tag'")

mkdir -p "$scratch/out"
cat >"$scratch/strategy.conf" <<EOF
settings = { catch_up_days = 2; attribution_days = 7; cost_currency = "USD"; };
channels = {
  sms = { cost = "0.05"; rate = 50.0; };
  email = { cost = "0.005"; rate = 20.0; };
  whatsapp = { cost = "0.03"; rate = 20.0; };
  worklist = { cost = "2.50"; };
  agency = { cost = "0.00"; };
};
agencies = ( { name = "externa"; file = "$scratch/out/externa-%Y%m%d.csv"; } );
segments = (
  { name = "preventive"; ladder = "retail"; when = { dpd_max = 0; }; },
  { name = "early"; when = { dpd_min = 1; dpd_max = 60; };
    variants = ( { name = "A"; ladder = "retail"; percent = 80; },
                 { name = "B"; ladder = "retail"; percent = 20; } ); },
  { name = "late"; ladder = "late"; when = { dpd_min = 61; }; },
  { name = "standard"; ladder = "retail"; }
);
ladders = (
  { name = "retail";
    on_reply = "stop"; on_promise = "pause"; on_payment = "stop";
    steps = (
      { name = "pre3";  due = -3; channel = "sms";      template = "preventive_reminder"; },
      { name = "due0";  due = 0;  channel = "email";    template = "preventive_reminder"; },
      { name = "dpd1";  dpd = 1;  channel = "sms";      template = "overdue_notice"; },
      { name = "dpd5";  dpd = 5;  channel = "whatsapp"; template = "overdue_notice"; },
      { name = "dpd15"; dpd = 15; channel = "worklist"; assign = "pool"; }
    );
    broken_promise = { channel = "sms"; template = "broken_promise"; };
  },
  { name = "late";
    on_reply = "pause"; on_promise = "pause"; on_payment = "pause";
    steps = ( { name = "dpd90"; dpd = 90; channel = "agency"; agency = "externa"; } );
  }
);
EOF
ctl admin strategy load "$scratch/strategy.conf"
check "the strategy loads" exit_is 0

# acct REF DUE [PAST_DUE [CONSENT]]: a debtor in Lima, their mobile (with
# CONSENT, by default to calls, SMS and WhatsApp) and email, and an account
# with one installment due on DUE.
n=0
acct() {
	n=$((n + 1))
	q "with d as (insert into cobro.debtor (name, first_name, jurisdiction, time_zone)
	              values ('Deudor $1', 'Deudor', 'PE', 'America/Lima') returning id),
	        m as (insert into cobro.contact_point (debtor_id, kind, value, consent, is_primary)
	              select id, 'mobile', '+5199$(printf '%07d' $n)', '${4:-{call,sms,whatsapp\}}', true from d),
	        e as (insert into cobro.contact_point (debtor_id, kind, value, consent)
	              select id, 'email', lower('$1')||'@example.com', '{email}' from d),
	        a as (insert into cobro.account (debtor_id, creditor_id, product, reference, currency, balance,
	                                         past_due, oldest_due, team_id)
	              select d.id, (select id from cobro.creditor where code = 'st'), 'loan', '$1', 'PEN', 100000,
	                     ${3:-0}, '$2', $team from d returning id)
	   insert into cobro.installment (account_id, seq, due_date, amount) select id, 1, '$2', 100000 from a" >/dev/null
}
acct P1 2030-03-14
acct R1 2030-03-10
acct PY1 2030-03-10
acct PR1 2030-03-05 100000
acct CU1 2030-03-19
acct CU2 2030-03-21
acct L1 2029-12-15 100000
acct NC1 2030-03-14 0 '{call}'
q "with p as (insert into cobro.promise (account_id, amount, currency, due_date, created_at)
              select id, 50000, 'PEN', '2030-03-12', '2030-03-08 10:00-05' from cobro.account where reference = 'PR1'
              returning id)
   insert into cobro.promise_installment (promise_id, seq, due_date, amount) select id, 1, '2030-03-12', 50000 from p" \
	>/dev/null
# import N FROM: N accounts E<FROM>.. of the early segment through the
# accounts import, as an operator adds a month's new accounts.
import() {
	local i f=$scratch/accounts-$2.csv
	printf 'reference,national_id,debtor_name,mobile,email,jurisdiction,time_zone,language,creditor,product,currency,balance,past_due,due_date,segment,score,agent\n' >"$f"
	for ((i = $2; i < $2 + $1; i++)); do
		printf 'E%03d,N%03d,Deudor E%03d,+5198%07d,,PE,America/Lima,es,st,loan,PEN,500.00,500.00,2030-03-01,standard,500,stc%s\n' \
			"$i" "$i" "$i" "$i" "$tag" >>"$f"
	done
	COBRO_NOW=$3T12:00:00Z "$bindir/cobroctl" --database "dbname=$db" --user admin import accounts --team "st$tag" "$f" \
		>/dev/null
}
import 100 1 2030-03-08

# The daily import, as the accounts file brings it: what is unpaid of the
# installments due before day D is past due.
daily() {
	q "update cobro.account a set past_due = x.due
	   from (select i.account_id, coalesce(sum(i.amount - i.paid) filter (where i.due_date < '$1'), 0) as due
	         from cobro.installment i group by i.account_id) x
	   where x.account_id = a.id and a.reference !~ '^E' and a.status = 'active' and a.past_due <> x.due" >/dev/null
}
# day D: the day's run as cobrod makes it, the policy's clock at 03:00 in Lima.
day() {
	daily "$1"
	COBRO_NOW=$1T08:00:00Z run "$bindir/cobroctl" --database "dbname=$db" --user admin strategy run --date "$1" \
		--format json
}
# steps REF: "DAY:STEP:OUTCOME ..." of the account's steps, in order.
steps() {
	q "select string_agg(to_char(r.day, 'MM-DD') || ':' || d.step || ':' || d.outcome, ' ' order by r.day, d.step)
	   from cobro.strategy_step_done d join cobro.strategy_run r on r.id = d.run_id
	   join cobro.account a on a.id = d.account_id
	   where a.reference = '$1' and d.outcome <> 'skipped'"
}
msgs_on() { # REF DAY: the steps of the account's messages queued by the day's run
	q "select coalesce(string_agg(m.step, ' ' order by m.step), '') from cobro.message m
	   join cobro.account a on a.id = m.account_id
	   join cobro.strategy_step_done d on d.message_id = m.id join cobro.strategy_run r on r.id = d.run_id
	   where a.reference = '$1' and r.day = '$2'"
}
# Every table's row count, to see that a dry run writes nothing (the audit
# chain's apart: each cobroctl records its login there, and nothing else).
counts() {
	q "select (select string_agg(format('%s=%s', c.relname,
	          (xpath('/row/n/text()', query_to_xml(format('select count(*) as n from cobro.%I', c.relname), false, true, '')))[1]::text),
	          ' ' order by c.relname)
	   from pg_class c join pg_namespace s on s.oid = c.relnamespace
	   where s.nspname = 'cobro' and c.relkind in ('r', 'p') and c.relname not in ('audit', 'audit_head')
	   ) || ' audit=' || (select count(*) from cobro.audit where action <> 'LOGIN')"
}
# What the real run of DAY did, from the tables, in the dry run's terms:
# per segment, variant, step and channel (the message's, or the one the
# skipped or refused step's event names) the messages, assignments,
# placements, skipped and refused; refusals and skips by rule; messages per
# UTC hour.
recorded() {
	q "select string_agg(line, E'\n' order by line) from (
	     select format('%s/%s/%s/%s m=%s a=%s p=%s s=%s r=%s', segment, variant, step, channel,
	                   count(*) filter (where outcome = 'queued'), count(*) filter (where outcome = 'assigned'),
	                   count(*) filter (where outcome = 'placed'), count(*) filter (where outcome = 'skipped'),
	                   count(*) filter (where outcome = 'refused')) as line
	     from (select s.segment, coalesce(s.variant, '') as variant, d.step, d.outcome,
	                  case d.outcome when 'assigned' then 'worklist' when 'placed' then 'agency' when 'queued' then m.channel
	                       else d.channel end as channel
	           from cobro.strategy_step_done d join cobro.strategy_run r on r.id = d.run_id and r.kind = 'ladder'
	           join cobro.account_strategy s on s.account_id = d.account_id
	           left join cobro.message m on m.id = d.message_id
	           where r.day = '$1') x
	     group by segment, variant, step, channel
	     union all
	     select format('rule %s %s %s', d.outcome, d.reason, count(*))
	     from cobro.strategy_step_done d join cobro.strategy_run r on r.id = d.run_id and r.kind = 'ladder'
	     where r.day = '$1' and d.outcome in ('skipped', 'refused') group by d.outcome, d.reason
	     union all
	     select format('hour %s %s', to_char(date_trunc('hour', m.next_attempt_at at time zone 'UTC'), 'YYYY-MM-DD\"T\"HH24:00:00\"Z\"'), count(*))
	     from cobro.message m join cobro.strategy_step_done d on d.message_id = m.id
	     join cobro.strategy_run r on r.id = d.run_id where r.day = '$1'
	     group by date_trunc('hour', m.next_attempt_at at time zone 'UTC')) x"
}
# The same lines from a run's JSON (the dry run's).
from_json() {
	python3 -c '
import json, sys
j = json.loads(sys.stdin.read())
out = []
for t in j["steps"]:
    if t["messages"] + t["assignments"] + t["placements"] + t["skipped"] + t["refused"] == 0:
        continue
    out.append("%s/%s/%s/%s m=%d a=%d p=%d s=%d r=%d" % (t["segment"], t["variant"], t["step"], t["channel"],
               t["messages"] + t["letters"], t["assignments"], t["placements"], t["skipped"], t["refused"]))
for r in j["rules"]:
    if r["outcome"] != "waiting":
        out.append("rule %s %s %d" % (r["outcome"], r["rule"], r["count"]))
for h in j["hourly"]:
    out.append("hour %s %d" % (h["hour"], h["messages"]))
print("\n".join(sorted(out)))'
}

# ---- 9 and 10 March (a weekend): P1 is 5 and 4 days before its due date
day 2030-03-09
check "run of Sat 9 March: exit 0" exit_is 0
day 2030-03-10
check "run of Sun 10 March" exit_is 0
check "no reminder for P1 4 or 5 days before its due date" test "$(steps P1)" = ""
v1=$(q "select string_agg(a.reference || '=' || s.variant, ' ' order by a.reference) from cobro.account_strategy s
        join cobro.account a on a.id = s.account_id where a.reference ~ '^E'")
nb=$(q "select count(*) from cobro.account_strategy where segment = 'early' and variant = 'B'")
check "the split: the first hundred early accounts in A and B, about 80/20 ($nb in B)" \
	test "$(q "select count(*) from cobro.account_strategy where segment = 'early' and variant in ('A', 'B')")" -ge 100 -a "$nb" -ge 8 -a "$nb" -le 35
check "PR1, promised before the first run, is paused" \
	test "$(q "select state || ' ' || state_reason from cobro.account_strategy s join cobro.account a on a.id = s.account_id where a.reference = 'PR1'")" = "paused promise"

# ---- Mon 11: the preventive reminder, 3 days before the due date
day 2030-03-11
check "Mon 11 March: P1's preventive reminder, 3 days before its due date" test "$(msgs_on P1 2030-03-11)" = pre3
check "  by SMS, from the preventive_reminder template, in Spanish, with its pay link" \
	test "$(q "select channel || ' ' || template_code || ' ' || language || ' ' || (body like '%https://pago.example.com/P1%')
	           from cobro.message where step = 'pre3' and account_id = (select id from cobro.account where reference = 'P1')")" = "sms preventive_reminder es true"
check "  the run's clock is 03:00 in Lima: the message waits for the window, 07:00 in Lima" \
	test "$(q "select to_char(next_attempt_at at time zone 'America/Lima', 'YYYY-MM-DD HH24:MI') from cobro.message
	           where step = 'pre3' and account_id = (select id from cobro.account where reference = 'P1')")" = "2030-03-11 07:00"
check "R1 and PY1: dpd1 on their first day past due" \
	test "$(msgs_on R1 2030-03-11) $(msgs_on PY1 2030-03-11)" = "dpd1 dpd1"
check "PR1 is paused: no step" test "$(steps PR1)" = ""

# R1 replies, PY1 pays part of it (the payments file), on Tue 12.
# (message_inbound() records a reply at the database's clock, as cobrod's
# listener hears it: the test's March 2030 is put on it.)
q "select cobro.message_inbound('sms', '+5199$(printf '%07d' 2)', '12345', 'ya pagaré el viernes', '2030-03-12 10:00-05', false)" >/dev/null
q "update cobro.event set at = '2030-03-12 10:00-05' where direction = 'in' and debtor_id = (select debtor_id from cobro.account where reference = 'R1')" >/dev/null
printf 'external_id,reference,amount,paid_at,method\nSTPAY-1,PY1,300.00,2030-03-12T11:00:00-05:00,transfer\n' >"$scratch/pay.csv"
COBRO_NOW=2030-03-12T17:00:00Z ctl admin import payments "$scratch/pay.csv"
check "PY1's payment imported" exit_is 0
day 2030-03-12
check "Tue 12: nothing for P1, 2 days before its due date" test "$(msgs_on P1 2030-03-12)" = ""
check "  R1's reply stopped its ladder" \
	test "$(q "select state || ' ' || state_reason from cobro.account_strategy s join cobro.account a on a.id = s.account_id where a.reference = 'R1'")" = "stopped reply"
check "  PY1's payment stopped its ladder" \
	test "$(q "select state || ' ' || state_reason from cobro.account_strategy s join cobro.account a on a.id = s.account_id where a.reference = 'PY1'")" = "stopped payment"

# The promise keeper breaks PR1's promise (nothing paid by the end of 12 March in Lima).
ctl admin promises evaluate --at 2030-03-13T06:00:00Z
check "the promise keeper breaks PR1's promise" out_is $'kept 0\npartial 0\nbroken 1\nlate 0'
day 2030-03-13
check "Wed 13: the broken promise resumes PR1's ladder" \
	test "$(q "select state from cobro.account_strategy s join cobro.account a on a.id = s.account_id where a.reference = 'PR1'")" = running
check "  and its broken-promise notice goes out that day" test "$(msgs_on PR1 2030-03-13)" = broken_promise

day 2030-03-14
check "Thu 14: P1's due-date email" test "$(msgs_on P1 2030-03-14)" = due0
q "select count(*) from cobro.event" >/dev/null
seg_events=$(q "select count(*) from cobro.event e join cobro.account a on a.id = e.account_id
                where a.reference = 'P1' and e.kind = 'strategy' and e.outcome = 'segment'")

# Fri 15: the dry run first, then the real run: the same counts.
daily 2030-03-15
before=$(counts)
COBRO_NOW=2030-03-15T08:00:00Z run "$bindir/cobroctl" --database "dbname=$db" --user admin strategy dry-run --date 2030-03-15 --format json
dry15=$out
check "the dry run of Fri 15: exit 0" exit_is 0
check "  writes nothing: every table's row count as before" test "$(counts)" = "$before"
COBRO_NOW=2030-03-15T08:00:00Z run "$bindir/cobroctl" --database "dbname=$db" --user admin strategy dry-run --date 2030-03-15
check "  as a table: per segment, step and channel" out_starts "day 2030-03-15, strategy version 1:"
day 2030-03-15
check "the real run of Fri 15 reports what its dry run said" test "$out" = "$dry15"
check "  and its rows say the same: per segment, variant, step and channel; refusals by rule; messages per hour" \
	test "$(recorded 2030-03-15)" = "$(printf '%s' "$dry15" | from_json)"
check "P1: dpd1 the day after its due date" test "$(msgs_on P1 2030-03-15)" = dpd1
check "  P1 changed segment (preventive to early): an event" \
	test "$(q "select count(*) from cobro.event e join cobro.account a on a.id = e.account_id
	           where a.reference = 'P1' and e.kind = 'strategy' and e.outcome = 'segment'")" = $((seg_events + 1))
check "NC1's dpd1 refused by the contact policy, by its rule" \
	test "$(q "select d.outcome || ' ' || d.reason from cobro.strategy_step_done d join cobro.account a on a.id = d.account_id
	           where a.reference = 'NC1' and d.step = 'dpd1'")" = "refused ALL-CONSENT" \
	-a "$(printf '%s' "$dry15" | grep -c '"rule":"ALL-CONSENT"')" = 1
check "L1 placed with the agency at 90 days past due" \
	test "$(q "select p.agency || ' ' || a.status from cobro.placement p join cobro.account a on a.id = p.account_id where a.reference = 'L1'")" = "externa agency"
f=$scratch/out/externa-20300315.csv
check "  the agency's file of the day holds it, whole (CSV, a header, CRLF)" \
	test "$(head -c 9 "$f")" = "placed_on" -a "$(grep -c $'^2030-03-15,externa,L1,Deudor L1,,Banco Estrategia,loan,PEN,1000.00,1000.00,2029-12-15,PE\r$' "$f")" = 1
check "  and no temporary file is left beside it" test "$(ls "$scratch/out")" = externa-20300315.csv

for d in 16 17 18 19 20; do day 2030-03-$d; done
check "Tue 19: P1's dpd5" test "$(msgs_on P1 2030-03-19)" = dpd5
# (Their due-date email waited over Sunday; on Monday the preventive
# reminder's template no longer fits an account past due: refused.)
check "R1 and PY1, stopped, got no dpd5" \
	test "$(steps R1) / $(steps PY1)" = "03-11:dpd1:queued 03-11:due0:refused / 03-11:dpd1:queued 03-11:due0:refused"

# The second hundred accounts: the first keep their variants.
import 100 101 2030-03-21
before=$(counts)
COBRO_NOW=2030-03-21T09:00:00Z run "$bindir/cobroctl" --database "dbname=$db" --user admin segment run --dry-run \
	--date 2030-03-21 --format json
segdry=$out
check "segment run --dry-run after the import: the two hundred counted, nothing written" \
	test "$rc" = 0 -a "$(counts)" = "$before" \
	-a "$(printf '%s' "$out" | python3 -c 'import json,sys; print(sum(s["accounts"] for s in json.load(sys.stdin)["segments"] if s["segment"] == "early"))')" -ge 200
COBRO_NOW=2030-03-21T09:00:00Z run "$bindir/cobroctl" --database "dbname=$db" --user admin segment run --date 2030-03-21 \
	--format json
check "segment run after the import: exit 0, what its dry run said" test "$rc" = 0 -a "$out" = "$segdry"
day 2030-03-21
v2=$(q "select string_agg(a.reference || '=' || s.variant, ' ' order by a.reference) from cobro.account_strategy s
        join cobro.account a on a.id = s.account_id where a.reference ~ '^E' and a.reference <= 'E100'")
check "the split is stable: the first hundred keep their variant after a hundred more came" test "$v2" = "$v1"
nb=$(q "select count(*) from cobro.account_strategy s join cobro.account a on a.id = s.account_id where a.reference ~ '^E' and s.variant = 'B'")
check "  the two hundred are split about 80/20 ($nb in B)" test "$nb" -ge 20 -a "$nb" -le 65

# ---- the outage: no run from Fri 22 to Tue 26. Meanwhile a new version:
# dpd5 goes by SMS instead of WhatsApp, for the accounts already in the
# ladder too, from the next run.
sed 's/{ name = "dpd5";  dpd = 5;  channel = "whatsapp";/{ name = "dpd5";  dpd = 5;  channel = "sms";/' \
	"$scratch/strategy.conf" >"$scratch/strategy2.conf"
ctl admin strategy load "$scratch/strategy2.conf"
check "a second version loads" exit_is 0
daily 2030-03-27
COBRO_NOW=2030-03-27T08:00:00Z run "$bindir/cobroctl" --database "dbname=$db" --user admin strategy dry-run --date 2030-03-27 --format json
dry27=$out
day 2030-03-27
check "Wed 27, after 5 days without a run: exit 0" exit_is 0
check "  CU2's dpd5 (Tue 26, a day late) goes out" test "$(msgs_on CU2 2030-03-27)" = dpd5
check "  by the version in force since: its dpd5 by SMS now; every account on version 2" \
	test "$(q "select m.channel from cobro.message m join cobro.account a on a.id = m.account_id where a.reference = 'CU2' and m.step = 'dpd5'")" = sms \
	-a "$(q "select string_agg(distinct version::text, ',') from cobro.account_strategy")" = 2 \
	-a "$(q "select version from cobro.strategy_run where kind = 'ladder' and day = '2030-03-27'")" = 2
check "  CU2's dpd1 (Fri 22, 5 days late) is recorded skipped, stale" \
	test "$(q "select d.outcome || ' ' || d.reason from cobro.strategy_step_done d join cobro.account a on a.id = d.account_id
	           where a.reference = 'CU2' and d.step = 'dpd1'")" = "skipped stale"
check "  CU1's dpd5 (Sun 24, 3 days late) too" \
	test "$(q "select d.outcome || ' ' || d.reason from cobro.strategy_step_done d join cobro.account a on a.id = d.account_id
	           where a.reference = 'CU1' and d.step = 'dpd5'")" = "skipped stale"
check "  nothing flooded: at most one message per account that day" \
	test "$(q "select coalesce(max(n), 0) from (select count(*) n from cobro.message m join cobro.strategy_step_done d on d.message_id = m.id
	           join cobro.strategy_run r on r.id = d.run_id where r.day = '2030-03-27' group by m.account_id) x")" -le 1
check "  the dry run before it said the same" test "$(recorded 2030-03-27)" = "$(printf '%s' "$dry27" | from_json)"

day 2030-03-28
day 2030-03-29
check "Fri 29: P1's dpd15 assigns it to the worklist" test "$(steps P1 | tr ' ' '\n' | grep dpd15)" = "03-29:dpd15:assigned"
check "each of P1's steps on its day" \
	test "$(steps P1)" = "03-11:pre3:queued 03-14:due0:queued 03-15:dpd1:queued 03-19:dpd5:queued 03-29:dpd15:assigned"
check "no account got a step twice" \
	test "$(q "select count(*) from (select account_id, ladder, step, anchor from cobro.strategy_step_done group by 1, 2, 3, 4 having count(*) > 1) x")" = 0
check "nothing planned outside the allowed hours: every message inside 07:00-20:00 of a working day in Lima" \
	test "$(q "select count(*) from cobro.message where ladder is not null and (extract(hour from next_attempt_at at time zone 'America/Lima') not between 7 and 19
	           or extract(isodow from next_attempt_at at time zone 'America/Lima') > 5)")" = 0

# Running a day again: done already, nothing changes.
before=$(counts)
day 2030-03-29
check "a day's run again: said done, nothing written" test "$out" = "strategy run of 2030-03-29: done already" -a "$(counts)" = "$before"

# Usage.
ctl admin strategy run --date 2030-02-30
check "a day that does not exist is refused" err_is 'cobroctl: --date: "2030-02-30" is not a day like 2026-11-24'
check "  exit 2" exit_is 2
ctl admin strategy dry-run --format xml
check "a format other than table or json is refused" exit_is 2
ctl ana strategy run --date 2030-03-30
check "a collector may not run the strategies" exit_is 1
finish
