#!/usr/bin/env bash
# Issue 17, line 5: the workstations a reassignment touches refresh at once,
# with no key pressed (LISTEN/NOTIFY, change_log). A collector of the test's
# own team sits on an empty worklist; the lead moves four accounts to them
# with cobroctl reassign, and they appear; the lead undoes the batch, and
# they go. The account's history says who moved it, from whom to whom.
set -u
. "$(dirname "$0")/lib.sh"
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }
ctl() { "$COBRO_BIN/cobroctl" --database "host=$PGHOST port=$PGPORT dbname=cobro" --user "$1" "${@:2}"; }
# The test's rows go at the end: the suites after it count the demo's.
cleanup() {
	tmux -L "$E2E_SOCK" kill-server 2>/dev/null
	rm -f "$E2E_CONF"
	q "$(sed "s/@TEAM@/$s/g" "$(dirname "$0")/../lib/reassign_cleanup.sql")" >/dev/null 2>&1
}
trap cleanup EXIT

# The test's own team (roles are the cluster's: a name of this run's own,
# short enough for the history's agent column).
s=e$((RANDOM % 900 + 100))
ctl admin team add "$s" --name "Live reassign $s" >/dev/null
ctl admin agent add "${s}l" --name "Lead $s" --role lead --team "$s" >/dev/null
ctl admin agent add "${s}a" --name "Giver $s" --role collector --team "$s" >/dev/null
ctl admin agent add "${s}b" --name "Taker $s" --role collector --team "$s" >/dev/null
q "with d as (insert into cobro.debtor (name, first_name, jurisdiction, time_zone)
             select 'Moved Debtor ' || i, 'Moved', 'PE', 'America/Lima' from generate_series(1, 4) i returning id, name)
   insert into cobro.account (debtor_id, creditor_id, product, reference, currency, balance, past_due, oldest_due, team_id, agent_id)
   select d.id, (select min(id) from cobro.creditor), 'card', '$s-' || split_part(d.name, ' ', 3), 'PEN', 10000, 10000,
          current_date - 45, (select id from cobro.team where code = '$s'), (select id from cobro.agent where login = '${s}a')
   from d" >/dev/null

app_start b "$(cobro_cmd "${s}b")" 100 30
check "${s}b starts on an empty worklist" wait_for b "No accounts to work" 15
ctl "${s}l" reassign --agent "${s}a" --dpd 31+ --to "${s}b" >/dev/null
check "the lead moves four accounts to them: they show with no key pressed" wait_screen b "4 accounts to work" 5
check "  Moved Debtor 1 among them" wait_screen b "Moved Debtor 1" 2
keys b Enter
check "the history says who moved it, from whom to whom" wait_screen b "${s}a → ${s}b" 5
check "  and by whom, the lead" eventually 2 sh -c "tmux -L '$E2E_SOCK' -f '$E2E_CONF' capture-pane -p -t '=b:' | grep -F '${s}a → ${s}b' | grep -qE ' ${s}l +${s}a'"
keys b Escape
# Back on the worklist, the account is let go (its lease released): an
# account open on a workstation would refuse the undo.
let_go() { test "$(q "select count(*) from cobro.lease l join cobro.account a on a.id = l.account_id where a.reference like '$s-%'")" = 0; }
check "  the account is let go" eventually 5 let_go
ctl "${s}l" reassign undo 2>&1 >/dev/null | sed 's/^/# /'
check "the lead undoes the batch: the worklist empties, no key pressed" wait_screen b "No accounts to work" 5
keys b q
check "quits cleanly" wait_for b "[exit=0]"
finish
