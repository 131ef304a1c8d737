#!/usr/bin/env bash
# The approval list and the states of promises, with two workstations: ana,
# a collector of team norte, saves promises outside the team's limits (as
# the promise form does, through cobro.promise_save() as herself); sofia,
# norte's supervisor, sees them come into her approval list (A) live,
# approves one and rejects another with a reason, while ana's workstation
# says each decision on its status line as it is made. The worklist shows
# every state of a promise in words (pending, due today, kept, broken, to
# approve, rejected), and the account screen a plan's installments with
# their state. A collector is offered no approval list.
set -u
. "$(dirname "$0")/lib.sh"
XDG_STATE_HOME=$(mktemp -d)
export XDG_STATE_HOME
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }

# ---- the data: four of ana's workable accounts that never had a promise,
# with money past due; and one of hers whose newest promise was kept and one
# whose was broken (the demo's).
fresh=$(q "select string_agg(a.id || ':' || a.reference, ' ' order by a.id) from (
             select a.id, a.reference from cobro.account a join cobro.agent g on g.id = a.agent_id
             join cobro.debtor d on d.id = a.debtor_id
             where g.login = 'ana' and a.workable and a.promise_status is null and a.past_due >= 10000
               and a.balance >= 100000 and d.time_zone is not null
             order by a.id limit 4) a")
read -r a1 a2 a3 a4 <<<"$fresh"
plan_id=${a1%%:*} plan_ref=${a1#*:}     # a plan of 8 monthly installments: outside the limits, approved
disc_id=${a2%%:*} disc_ref=${a2#*:}     # a settlement whose discount is outside them: rejected
today_id=${a3%%:*} today_ref=${a3#*:}   # due on the debtor's today, within the limits
weekly_id=${a4%%:*} weekly_ref=${a4#*:} # three weekly installments within the limits: pending
check "the demo has four accounts of ana's with no promise ($plan_ref $disc_ref $today_ref $weekly_ref)" \
	test -n "$weekly_ref"
kept_ref=$(q "select a.reference from cobro.account a join cobro.agent g on g.id = a.agent_id
              where g.login = 'ana' and a.workable and a.promise_status = 'kept' order by a.id limit 1")
broken_ref=$(q "select a.reference from cobro.account a join cobro.agent g on g.id = a.agent_id
                where g.login = 'ana' and a.workable and a.promise_status = 'broken' order by a.id limit 1")
check "and accounts of hers whose promise was kept ($kept_ref) and broken ($broken_ref)" \
	test -n "$kept_ref" -a -n "$broken_ref"

# What this test saved goes when it ends, whatever happens: the shared
# demo's accounts are as they were for the suites after it.
ids="$plan_id, $disc_id, $today_id, $weekly_id"
# A save sets the account's next action (the first date plus grace): put back.
restore=$(q "select string_agg(format('update cobro.account set next_action_at = %L where id = %s;', next_action_at, id), ' ')
             from cobro.account where id in ($ids)")
cleanup() {
	q "delete from cobro.event where account_id in ($ids) and kind = 'promise' and data ? 'promise'
	   and (data->>'promise')::bigint in (select id from cobro.promise where account_id in ($ids))" >/dev/null
	q "delete from cobro.promise_installment where promise_id in (select id from cobro.promise where account_id in ($ids));
	   delete from cobro.promise where account_id in ($ids)" >/dev/null
	q "$restore" >/dev/null
}
trap 'cleanup; tmux -L "$E2E_SOCK" kill-server 2>/dev/null; rm -f "$E2E_CONF"' EXIT
cleanup

# The debtor's today, as promise_save() checks the first date against it.
today() { sql_as ana "select today from cobro.promise_limits_for($1)"; }
max_installments=$(sql_as ana "select max_installments from cobro.promise_limits_for($plan_id)")
# save_as WHO ACCOUNT AMOUNT FIRST_DUE COUNT FREQUENCY DISCOUNT: promise_save()'s status.
save_as() {
	sql_as "$1" "select status from cobro.promise_save($2, $3, '$4'::date, $5, '$6', $7, 'call', 'e2e approve', null,
	                                                 gen_random_uuid())"
}
balance() { q "select balance from cobro.account where id = $1"; }
past_due() { q "select past_due from cobro.account where id = $1"; }

# ---- two workstations: ana's worklist, sofia's (no accounts of her own)
app_start ana "$(cobro_cmd ana)" 80 24
app_start sofia "$(cobro_cmd sofia)" 80 24
wait_for ana "accounts to work" >/dev/null
# A supervisor starts on her dashboard (test_dashboard.sh), over her worklist.
wait_screen sofia "sorted by" >/dev/null
keys sofia Escape
check "sofia's worklist opens (she has no accounts), pointing at A" wait_for sofia "No accounts to work. Press r to reload, or A to approve promises."
check "sofia's key bar offers the approvals" line_has sofia 24 "AApprovals"
check "ana's does not: a collector decides no promise" not line_has ana 24 "Approvals"
keys ana A
check "and A does nothing on ana's worklist" \
	bash -c "sleep 0.5; s=\$(tmux -L '$E2E_SOCK' capture-pane -p -t '=ana:'); grep -qF 'cobro · Worklist' <<<\"\$s\" && ! grep -qF Approvals <<<\"\$s\""
check "the database refuses ana the approval list anyway (empty)" \
	test "$(sql_as ana "select count(*) from cobro.promise_awaiting()")" = 0

# What awaits sofia already (another suite's promises, on a shared demo):
# hers are the newest, at the end of the list (oldest first).
before=$(sql_as sofia "select count(*) from cobro.promise_awaiting()")
keys sofia A
check "A opens sofia's approval list" wait_screen sofia "cobro · Approvals"
if [ "$before" = 0 ]; then
	check "with nothing awaiting yet" wait_screen sofia "No promise awaits approval"
fi

# ---- ana saves two promises outside the limits; sofia's list shows them live
plan_count=$((max_installments + 2))
check "a plan of $plan_count monthly installments is saved awaiting approval" \
	test "$(save_as ana "$plan_id" "$(balance "$plan_id")" "$(date -d "$(today "$plan_id") + 1 day" +%F)" \
	        "$plan_count" monthly 0)" = awaiting_approval
discount=$(($(balance "$disc_id") / 2))
check "a settlement with half the balance off is saved awaiting approval" \
	test "$(save_as ana "$disc_id" "$(($(balance "$disc_id") - discount))" "$(date -d "$(today "$disc_id") + 3 days" +%F)" \
	        1 once "$discount")" = awaiting_approval
check "sofia's list shows the plan without a key pressed" wait_screen sofia "$plan_ref" 5
check "and the settlement" wait_screen sofia "$disc_ref" 5
check "each with ana as its collector and its plan in words" \
	bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t '=sofia:' | grep -F '$plan_ref' | grep -qE 'ana .*$plan_count × monthly'"
check "the status line counts them" wait_screen sofia "$((before + 2)) promises await approval"
# The newest, last: the settlement; its detail names the limit broken.
keys sofia End
check "the settlement's detail says its discount" wait_screen sofia "settlement, discount"
check "and the limit it breaks" wait_screen sofia "Outside the limits: discount above the limit"
keys sofia Up
check "the plan's detail says which limits it breaks, in words" wait_screen sofia "too many installments"
check "and that it is made by ana" wait_screen sofia "$plan_ref · "
# Enter opens the promise's account, to read its history before deciding.
keys sofia Enter
check "Enter opens the plan's account for sofia" wait_screen sofia "History (newest first)"
check "the account of the plan" wait_screen sofia "$plan_ref"
keys sofia Escape
check "Esc comes back to the approval list" wait_screen sofia "Outside the limits: too"

# ---- ana's worklist filters by the new states: her two promises to approve
keys ana f
wait_screen ana "Filter by" >/dev/null
keys ana 3
check "the promise filter offers to approve and rejected" wait_screen ana "Rejected"
keys ana 6
awaiting=$(sql_as ana "select count(*) from cobro.account a where a.agent_id = cobro.my_agent_id() and a.workable
                        and a.promise_status = 'awaiting_approval'")
check "filtering those to approve shows her $awaiting (her two among them)" wait_for ana "$awaiting accounts match"
keys ana f
wait_screen ana "Filter by" >/dev/null
keys ana 5
wait_for ana "accounts to work" >/dev/null

# ---- ana's worklist shows them "to approve"; she watches the plan's account
keys ana /
text ana "$plan_ref"
keys ana Enter
check "ana's worklist finds the plan's account" wait_for ana "1 account matches"
check "its promise is to approve" line_has ana 3 "to approve"

# ---- sofia approves the plan: ana hears it
keys sofia a
check "sofia's status line says it is approved" wait_screen sofia "Promise on $plan_ref approved"
check "it leaves sofia's list" bash -c "sleep 0.5; ! tmux -L '$E2E_SOCK' capture-pane -p -t '=sofia:' | grep -qF '$plan_ref  '"
check "ana's status line says it live" wait_screen ana "Promise on $plan_ref approved by sofia" 5
check "and her row reads pending now" eventually 5 line_has ana 3 "pending"
check "the database has it pending, decided by sofia" \
	test "$(q "select p.status || ' ' || g.login from cobro.promise p join cobro.agent g on g.id = p.decided_by
	          where p.account_id = $plan_id")" = "pending sofia"

# ---- ana opens the settlement's account, its money pane
keys ana /
keys ana C-u
text ana "$disc_ref"
keys ana Enter
wait_for ana "1 account matches" >/dev/null
eventually 5 line_has ana 3 "$disc_ref" 2>/dev/null
keys ana Enter
wait_for ana "History (newest first)" >/dev/null
keys ana Tab
keys ana Tab
check "ana's account shows the settlement to approve" wait_screen ana "to approve"

# ---- sofia rejects the settlement: a reason is required
keys sofia End
keys sofia x
check "x asks why" wait_screen sofia "Why reject the promise on $disc_ref?"
keys sofia Enter
check "an empty reason is refused" wait_screen sofia "A reason is required"
text sofia "Descuento fuera de campaña"
keys sofia Enter
check "sofia's status line says it is rejected" wait_screen sofia "Promise on $disc_ref rejected"
check "ana's status line says who rejected it and why, live, on the account she has open" \
	wait_screen ana "Promise on $disc_ref rejected by sofia: Descuento fuera de campaña" 5
check "and the account's promise reads rejected, by sofia, with the reason" \
	eventually 5 bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t '=ana:' | grep -qE ' rejected +by sofia: Descuento'"
keys ana Escape
wait_screen ana "EnterOpen" >/dev/null
if [ "$before" = 0 ]; then
	check "sofia's list is empty again" wait_screen sofia "No promise awaits approval"
else
	check "the settlement leaves sofia's list" eventually 5 not bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t '=sofia:' | grep -qF '$disc_ref  '"
fi
check "the reason is stored" \
	test "$(q "select decision_reason from cobro.promise where account_id = $disc_id")" = "Descuento fuera de campaña"

# promise_decisions() is each collector's own: ana reads both decisions,
# another collector and the supervisor who made them none of them.
decided="$plan_ref true sofia|$disc_ref false sofia Descuento fuera de campaña"
check "ana reads her two decisions" test "$(sql_as ana "select string_agg(reference || ' ' || approved || ' ' || decided_by
	|| coalesce(nullif(' ' || reason, ' '), ''), '|' order by promise_id) from cobro.promise_decisions('-infinity')
	where account_id in ($ids)")" = "$decided"
check "luis reads none of them" test "$(sql_as luis "select count(*) from cobro.promise_decisions('-infinity')
	where account_id in ($ids)")" = 0
check "nor does sofia (they are not her promises)" test "$(sql_as sofia "select count(*)
	from cobro.promise_decisions('-infinity') where account_id in ($ids)")" = 0

# ---- the states at a glance: ana's worklist says each in words
check "a promise due on the debtor's today is saved pending" \
	test "$(save_as ana "$today_id" "$(past_due "$today_id")" "$(today "$today_id")" 1 once 0)" = pending
check "three weekly installments are saved pending" \
	test "$(save_as ana "$weekly_id" "$(past_due "$weekly_id")" "$(date -d "$(today "$weekly_id") + 2 days" +%F)" \
	        3 weekly 0)" = pending
# state REF WORDS: searching the reference, its row says the promise's state.
state() {
	# At 80 columns the row shows the debtor, not the reference: the row
	# found is known by the debtor's name (its first ten letters; the
	# column cuts it with an ellipsis).
	local name
	name=$(q "select d.name from cobro.account a join cobro.debtor d on d.id = a.debtor_id where a.reference = '$1'")
	keys ana /
	keys ana C-u
	text ana "$1"
	keys ana Enter
	wait_for ana "1 account matches" >/dev/null && eventually 5 line_has ana 3 "${name:0:10}"
	eventually 5 bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t '=ana:' | sed -n 3p | grep -qF '$2'"
}
check "the worklist says due today" state "$today_ref" "due today"
check "pending" state "$weekly_ref" "pending "
check "rejected" state "$disc_ref" "rejected"
check "kept" state "$kept_ref" "kept"
check "broken" state "$broken_ref" "broken"
# Without colours the words are all there is: the same, under NO_COLOR.
app_start plain "env NO_COLOR=1 $(cobro_cmd ana)" 80 24
wait_for plain "accounts to work" >/dev/null
keys plain /
text plain "$today_ref"
keys plain Enter
check "under NO_COLOR the row still says due today" eventually 5 line_has plain 3 "due today"

# ---- the account screen lists the plan's installments with their state
keys ana /
keys ana C-u
text ana "$weekly_ref"
keys ana Enter
wait_for ana "1 account matches" >/dev/null
keys ana Enter
wait_for ana "History (newest first)" >/dev/null
keys ana Tab
keys ana Tab
check "the money pane lists the promise and its installments" wait_screen ana "Promises and their installments"
check "the first of three installments, with its state" \
	bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t '=ana:' | grep -qE '^  1/3 +[0-9]{4}-[0-9]{2}-[0-9]{2} .* pending'"
check "and the third" \
	bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t '=ana:' | grep -qE '^  3/3 +[0-9]{4}-[0-9]{2}-[0-9]{2} .* pending'"

# ---- four eyes: sofia takes a promise herself; she cannot approve it
check "sofia saves a settlement on the rejected account herself: it awaits approval" \
	test "$(save_as sofia "$disc_id" "$(($(balance "$disc_id") - discount))" "$(date -d "$(today "$disc_id") + 3 days" +%F)" \
	        1 once "$discount")" = awaiting_approval
check "her list shows it live, taken by her" \
	eventually 5 bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t '=sofia:' | grep -F '$disc_ref' | grep -qw sofia"
keys sofia End
keys sofia a
check "a on her own promise says another supervisor approves it" \
	wait_screen sofia "You took the promise on $disc_ref: another supervisor approves it"
check "and it still awaits approval" \
	test "$(q "select status from cobro.promise where account_id = $disc_id order by id desc limit 1")" = awaiting_approval
own_id=$(q "select id from cobro.promise where account_id = $disc_id order by id desc limit 1")
check "the database refuses it too, whatever the screen" \
	bash -c "sql_as() { psql -X -qAt -U \"\$1\" -d cobro -c \"\$2\"; }; ! out=\$(sql_as sofia 'select cobro.promise_approve($own_id)' 2>&1) && grep -q 'does not approve' <<<\"\$out\""

# ---- the help of the approval list, and Spanish
keys sofia '?'
check "sofia's help lists approve and reject" wait_screen sofia "Approve the promise under the cursor"
check "with their keys" bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t '=sofia:' | grep -qE '^ *x +reject '"
keys sofia Escape
app_start es "env LANGUAGE=es $(cobro_cmd marta)" 80 24
wait_screen es "orden:" >/dev/null
keys es Escape
check "marta, norte's lead, sees her worklist in Spanish" wait_for es "Sin cuentas por gestionar. Pulse r para recargar o A para aprobar promesas."
keys es A
# Empty, or with what another suite left awaiting: either way in Spanish.
check "and the approval list, in Spanish" wait_screen es "espera"
check "its key bar in Spanish" line_has es 24 "Aprobar"

keys ana q
keys sofia q
keys es q
keys plain q
check "ana's workstation ends cleanly" wait_for ana "[exit=0]"
check "sofia's ends cleanly" wait_for sofia "[exit=0]"
finish
