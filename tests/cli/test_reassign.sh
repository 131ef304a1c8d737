#!/usr/bin/env bash
# Issue 17, lines 5 and 7: cobroctl reassign and cobroctl agent absent|present
# on a team of the test's own (the shared demo is not changed): --dry-run
# changes nothing; even by count and even by balance share as they say; an
# account open on a workstation waits for its lease to end (released, or
# expired and swept); undo restores, and is refused once a collector worked
# an account; an absence sends the accounts to the pool and back. Run as
# the lead; a supervisor and a collector are refused by the database.
. "$(dirname "$0")/tap.sh"
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }
as() { psql -X -qAt -U "$1" -d cobro -c "$2" 2>&1; }
ctl() { run "$bindir/cobroctl" --database "dbname=cobro" --user "$1" "${@:2}"; }

# Names of this run's own: roles are the cluster's, so a second run never
# meets the first one's.
s=r$RANDOM$RANDOM
team=$s lead=${s}_lead sup=${s}_sup ca=${s}_a cb=${s}_b cc=${s}_c
ctl admin team add "$team" --name "Reassign test $s"
check "a team of the test's own" test "$rc" = 0
for p in "$lead lead" "$sup supervisor" "$ca collector" "$cb collector" "$cc collector"; do
	set -- $p
	ctl admin agent add "$1" --name "Test $1" --role "$2" --team "$team"
done
check "its lead, supervisor and three collectors" test "$rc" = 0
# Seven accounts of $ca, balances 700 .. 100 and 50 (USD cents), 40 days past due.
q "with d as (insert into cobro.debtor (name, first_name, jurisdiction, time_zone)
             select 'Debtor $s ' || i, 'Debtor', 'US-NY', 'America/New_York' from generate_series(1, 7) i
             returning id, name)
   insert into cobro.account (debtor_id, creditor_id, product, reference, currency, balance, past_due, oldest_due, team_id, agent_id)
   select d.id, (select min(id) from cobro.creditor), 'card', '$s-' || split_part(d.name, ' ', 3), 'USD',
          (array[700, 500, 400, 300, 200, 100, 50])[split_part(d.name, ' ', 3)::int], 0, current_date - 40,
          (select id from cobro.team where code = '$team'), (select id from cobro.agent where login = '$ca')
   from d" >/dev/null
acc() { q "select id from cobro.account where reference = '$s-$1'"; }
owners() { q "select string_agg(coalesce(g.login, '-'), ' ' order by a.reference) from cobro.account a left join cobro.agent g on g.id = a.agent_id where a.reference like '$s-%'"; }
of() { q "select count(*) from cobro.account a join cobro.agent g on g.id = a.agent_id where g.login = '$1' and a.reference like '$s-%' and a.status <> 'paid'"; }
sum_of() { q "select coalesce(sum(a.balance), 0) from cobro.account a join cobro.agent g on g.id = a.agent_id where g.login = '$1' and a.reference like '$s-%' and a.status <> 'paid'"; }
check "seven accounts of $ca" test "$(of "$ca")" = 7
start=$(owners)
# The seventh is not part of the shares below: it is paid.
q "update cobro.account set status = 'paid' where reference = '$s-7'" >/dev/null

# ---- refused
ctl "$sup" reassign --agent "$ca" --to "$cb" --dry-run
check "a supervisor: exit 1" test "$rc" = 1
check "  the database's reason on stderr" grep -qF "only a lead or an administrator may reassign accounts" <<<"$err"
ctl "$ca" reassign --agent "$ca" --to "$cb"
check "a collector: exit 1, refused by the database" test "$rc" = 1 -a -n "$err"
check "  nothing moved" test "$(owners)" = "$start"
ctl marta reassign --agent "$ca" --to "$cb"
check "marta, the lead of another team: exit 1" test "$rc" = 1
check "  nothing moved" test "$(owners)" = "$start"

# ---- dry run
ctl "$lead" reassign --agent "$ca" --to "$cb,$cc" --mode balance --dry-run
check "--dry-run: exit 0" test "$rc" = 0
check "  prints the preview per target" bash -c 'grep -q "^$1 *3 *0  USD 1100$" <<<"$2" && grep -q "^$3 *3 *0  USD 1100$" <<<"$2"' _ "$cb" "$out" "$cc"
check "  and changes nothing" test "$(owners)" = "$start"
check "  writes no batch" test "$(q "select count(*) from cobro.reassign_batch b join cobro.team t on t.id = b.team_id where t.code = '$team'")" = 0

# ---- even by count: largest first, in turn
ctl "$lead" reassign --agent "$ca" --to "$cb,$cc" --mode count
check "even by count: exit 0, a batch id" grep -qE "^batch [0-9]+$" <<<"$out"
batch=$(sed -n 's/^batch //p' <<<"$out")
check "  3 and 3" test "$(of "$cb") $(of "$cc")" = "3 3"
check "  $cb has 700, 400, 200" test "$(sum_of "$cb")" = 1300
check "  one event per account, from $ca to each by $lead" \
	test "$(q "select count(*) from cobro.event e join cobro.agent g on g.id = e.agent_id where e.kind = 'assignment' and (e.data->>'batch')::bigint = $batch and g.login = '$lead' and e.body in ('$ca → $cb', '$ca → $cc')")" = 6
check "  an audit row per account" \
	test "$(q "select count(*) from cobro.audit where tbl = 'account' and actor = '$lead' and row_id in (select account_id from cobro.reassign_move where batch_id = $batch)")" = 6
ctl "$lead" reassign undo
check "undo: exit 0" test "$rc" = 0
check "  restores every account" test "$(owners)" = "$start"
check "  says which batch" grep -qF "batch $batch undone: 6 accounts" <<<"$out"

# ---- even by balance: each to whoever has least so far
ctl "$lead" reassign --agent "$ca" --to "$cb,$cc" --mode balance
check "even by balance: 1100 and 1100" test "$(sum_of "$cb") $(sum_of "$cc")" = "1100 1100"
ctl "$lead" reassign undo
check "  undone" test "$(owners)" = "$start"

# ---- undo refused once a collector worked an account
ctl "$lead" reassign --agent "$ca" --to "$cb"
batch=$(sed -n 's/^batch //p' <<<"$out")
as "$cb" "select cobro.account_add_note(gen_random_uuid(), $(acc 1), 'called, will pay friday')" >/dev/null
ctl "$lead" reassign undo
check "undo after $cb worked an account: exit 1" test "$rc" = 1
check "  naming how many" grep -qF "batch $batch cannot be undone: 1 of its accounts were worked since" <<<"$err"
check "  nothing moved back" test "$(of "$cb")" = 6
q "update cobro.account a set agent_id = g.id from cobro.agent g where g.login = '$ca' and a.reference like '$s-%'" >/dev/null

# ---- an account open on a workstation waits for the lease
check "$ca opens account 2 (a lease)" test "$(as "$ca" "select mine from cobro.lease_take($(acc 2), 'ws-$ca', 120)")" = t
ctl "$lead" reassign --agent "$ca" --to "$cb"
check "reassign: 1 pending" bash -c 'grep -q "^$1 *6 *1 " <<<"$2"' _ "$cb" "$out"
check "  account 2 is still $ca's" test "$(q "select g.login from cobro.account a join cobro.agent g on g.id = a.agent_id where a.id = $(acc 2)")" = "$ca"
check "  the others moved" test "$(of "$cb")" = 5
as "$ca" "select cobro.lease_release($(acc 2), 'ws-$ca')" >/dev/null
check "$ca closes it: it moves to $cb" test "$(of "$cb")" = 6
check "  with its event, by $lead" \
	test "$(q "select g.login || ' ' || e.body from cobro.event e join cobro.agent g on g.id = e.agent_id where e.account_id = $(acc 2) and e.kind = 'assignment' and e.data ? 'waited_for_lease'")" = "$lead $ca → $cb"
ctl "$lead" reassign undo
check "  undone" test "$(owners)" = "$start"
# Expired, never released: cobrod's sweep (here an administrator's call of it).
as "$ca" "select cobro.lease_take($(acc 3), 'ws-$ca', 120)" >/dev/null
ctl "$lead" reassign --agent "$ca" --to "$cc"
q "update cobro.lease set expires_at = now() - interval '1 s' where account_id = $(acc 3)" >/dev/null
check "a lease expired: still $ca's until the sweep" test "$(of "$cc")" = 5
check "  the sweep moves it" test "$(as admin "select cobro.reassign_sweep()")" = 1
check "  to $cc" test "$(of "$cc")" = 6
ctl "$lead" reassign undo
q "delete from cobro.lease where account_id = $(acc 3)" >/dev/null

# ---- an absence
until=$(q "select current_date + 3")
ctl "$lead" agent absent "$ca" --until "$until"
check "agent absent: exit 0" test "$rc" = 0
check "  6 accounts to the team's pool" test "$(of "$ca") $(q "select count(*) from cobro.account where reference like '$s-%' and agent_id is null")" = "0 6"
check "  each with its event" test "$(q "select count(*) from cobro.event where kind = 'assignment' and outcome = 'absent' and body = '$ca → ($team)'")" = 6
ctl "$lead" reassign --agent - --to "$cb" --balance-min 650
check "meanwhile the lead gives account 1 (700) from the pool to $cb" test "$(of "$cb")" = 1
ctl "$lead" agent present "$ca"
check "agent present: 5 back, 1 kept" grep -qF "$ca is back: 5 accounts returned, 1 kept" <<<"$out"
check "  $ca has them" test "$(of "$ca")" = 5
q "update cobro.account a set agent_id = g.id from cobro.agent g where g.login = '$ca' and a.reference like '$s-%'" >/dev/null
ctl "$lead" agent absent "$ca" --until "$until"
q "update cobro.agent_absence x set until = current_date from cobro.agent g where g.id = x.agent_id and g.login = '$ca'" >/dev/null
check "the day of return comes: the sweep gives them back" test "$(as admin "select cobro.reassign_sweep()")" = 6
check "  $ca has all six" test "$(of "$ca")" = 6
ctl "$lead" agent absent "$ca" --until "$(q "select current_date")"
check "an absence until today: refused" test "$rc" = 1 -a -n "$err"
ctl "$sup" agent absent "$ca" --until "$until"
check "a supervisor marks nobody absent" test "$rc" = 1
finish
