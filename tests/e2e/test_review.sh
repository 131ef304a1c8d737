#!/usr/bin/env bash
# Issue 17, lines 4 and 8: the review queues with three workstations. ana, a
# collector of team norte, raises a dispute at her workstation and the
# account leaves her worklist; sofia (norte's supervisor) opens R, sees it
# come in live with ana's reason, and clears it with a reason of her own,
# after a confirmation; ana's worklist gets the account back without a key;
# the event and the audit row exist (psql as admin). Two numbers ana marks
# wrong come into sofia's queue of wrong contact points: one is confirmed
# wrong, the other restored. marta (norte's lead) has the queue open
# meanwhile and sees each decided item leave it without a key; a decision
# she makes on an item decided already is refused, naming sofia. ana's R is
# refused in words, and offered nowhere to her.
set -u
. "$(dirname "$0")/lib.sh"
XDG_STATE_HOME=$(mktemp -d)
export XDG_STATE_HOME
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }
ana="(select id from cobro.agent where login = 'ana')"
dialable="c.kind in ('phone', 'mobile', 'whatsapp') and c.bad_since is null"

# Four of ana's workable accounts, each with one usable number, no promise
# due and no callback due: x and w are disputed, y's and z's numbers marked
# wrong.
picked=$(q "select string_agg(a.id || ':' || a.reference, ' ' order by a.id) from (
              select a.id, a.reference from cobro.account a
              where a.agent_id = $ana and a.workable and a.status = 'active'
                and (a.promise_due is null or a.promise_due > current_date)
                and (a.next_action_at is null or a.next_action_at > now())
                and (select count(*) from cobro.contact_point c where c.debtor_id = a.debtor_id and $dialable) = 1
                and (select count(*) from cobro.account o where o.debtor_id = a.debtor_id) = 1
              order by a.id limit 4) a")
read -r px py pz pw <<<"$picked"
x_id=${px%%:*} x=${px#*:}
y_id=${py%%:*} y=${py#*:}
z_id=${pz%%:*} z=${pz#*:}
w_id=${pw%%:*} w=${pw#*:}
check "the demo has four of ana's accounts to work with one number each ($x $y $z $w)" test -n "$w"
point_of() { q "select c.id from cobro.contact_point c join cobro.account a on a.debtor_id = c.debtor_id
                where a.id = $1 and $dialable order by c.id limit 1"; }
y_cp=$(point_of "$y_id")
z_cp=$(point_of "$z_id")
y_num=$(q "select value from cobro.contact_point where id = $y_cp")
z_num=$(q "select value from cobro.contact_point where id = $z_cp")
name_of() { q "select d.name from cobro.account a join cobro.debtor d on d.id = a.debtor_id where a.reference = '$1'"; }
xname=$(name_of "$x")

# The shared demo as it was, whatever happens: the accounts active, the
# numbers good, nothing kept or confirmed.
cleanup() {
	q "update cobro.account set status = 'active' where id in ($x_id, $y_id, $z_id, $w_id) and status <> 'active';
	   update cobro.contact_point set bad_since = null where id in ($y_cp, $z_cp) and bad_since is not null" >/dev/null
}
trap 'cleanup; tmux -L "$E2E_SOCK" kill-server 2>/dev/null; rm -f "$E2E_CONF"' EXIT

# The contact rules in force, for the account screen's verdicts.
"$COBRO_BIN/cobroctl" --database "dbname=cobro" --user admin policy load "$COBRO_TOP/etc/policy.conf" >/dev/null

# What this run writes is dated after this (the run's clock, as the server's).
t0=$(q "select now()")
app_start ana "$(cobro_cmd ana)" 80 24
app_start sofia "$(cobro_cmd sofia)" 80 24
app_start marta "$(cobro_cmd marta)" 80 24
wait_for ana "accounts to work" >/dev/null
# A supervisor or lead starts on the dashboard (test_dashboard.sh); R
# opens the queues from anywhere, from the worklist here.
wait_screen sofia "sorted by" >/dev/null
wait_screen marta "sorted by" >/dev/null
keys sofia Escape
keys marta Escape
wait_for sofia "No accounts to work" >/dev/null
wait_for marta "No accounts to work" >/dev/null

# ---- ana: R is not hers
check "ana's key bar offers no review" not line_has ana 24 "Review"
keys ana R
check "ana's R is refused in words" wait_screen ana "The review queues are for supervisors, leads and administrators"
check "  and she stays on her worklist" line_has ana 1 "Worklist"
keys ana '?'
wait_screen ana "Keys of the Worklist screen" >/dev/null
check "  her help does not offer it" not bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t '=ana:' | grep -qF 'review queues:'"
keys ana Escape
check "the database refuses her the queue anyway" \
	bash -c "psql -X -qAt -U ana -d cobro -c 'select count(*) from cobro.review_disputes()' 2>&1 | grep -qF 'permission denied'"

# ---- sofia and marta open the queues
keys sofia R
check "sofia's R opens the review queues" wait_screen sofia "cobro · Review queues"
check "  with the sections and their counts" wait_screen sofia "Disputes ("
check "  the wrong contact points'" wait_screen sofia "Wrong contact points ("
check "  and the way to the approvals" wait_screen sofia "Approvals ("
check "  its key bar: clear, keep, restore, wrong" line_matches sofia 24 "cClear.*KKeep.*oRestore.*wWrong"
keys marta R
check "marta's R opens them too" wait_screen marta "cobro · Review queues"

# ---- ana raises a dispute at her workstation: it leaves her worklist
ndisputes=$(sql_as sofia "select count(*) from cobro.review_disputes()")
keys ana /
keys ana C-u
text ana "$x"
keys ana Enter
check "ana's worklist finds $x" wait_screen ana "${xname:0:10}"
keys ana Enter
wait_for ana "History (newest first)" >/dev/null
eventually 5 line_has ana 2 "${xname:0:10}"
keys ana c
wait_for ana "Call outcome" >/dev/null
keys ana 8
wait_for ana "Dispute, the debtor's reason:" >/dev/null
text ana "Dice que la deuda no es suya"
keys ana Enter
wait_screen ana "Yes: the account leaves your worklist" >/dev/null
keys ana 1
check "ana raises the dispute" wait_for ana "Dispute raised"
keys ana Escape
check "the account left ana's worklist" wait_screen ana "No account matches the search"

# ---- it reaches sofia's queue live, with who, when and why
check "sofia's queue counts it without a key" wait_screen sofia "Disputes ($((ndisputes + 1)))" 5
check "marta's too" wait_screen marta "Disputes ($((ndisputes + 1)))" 5
keys sofia End
check "the newest last (oldest first): $x" wait_screen sofia "$x"
keys marta End
wait_screen marta "$x" >/dev/null
check "its detail: raised by ana" wait_screen sofia "raised by ana"
check "  and ana's reason" wait_screen sofia "Why: Dice que la deuda no es suya"

# ---- sofia clears it, with a reason and a confirmation
keys sofia c
check "c asks why" wait_screen sofia "Why clear the dispute on $x?"
keys sofia Enter
check "  a reason is required" wait_screen sofia "A reason is required"
text sofia "Copia del contrato firmada"
keys sofia Enter
check "  then asks to confirm" wait_screen sofia "Clear the dispute on $x?"
keys sofia 1
check "sofia clears it" wait_screen sofia "Dispute on $x cleared"
check "the account is active" test "$(q "select status from cobro.account where id = $x_id")" = active
check "ana's worklist has it back, without a key" wait_screen ana "${xname:0:10}" 5
check "  and her status line says who cleared it, and why" \
	wait_screen ana "Dispute on $x cleared by sofia: Copia del contrato firmada" 5
check "marta's queue lost it, without a key" eventually 5 not bash -c \
	"tmux -L '$E2E_SOCK' capture-pane -p -t '=marta:' | sed -n '4,17p' | grep -qF -- '$x'"
check "an event in the account's history under sofia's name, with her reason" \
	test "$(sql_as admin "select count(*) from cobro.event e join cobro.agent g on g.id = e.agent_id
	        where e.account_id = $x_id and e.at >= '$t0' and e.kind = 'status' and e.outcome = 'active' and g.login = 'sofia'
	          and e.body = 'Copia del contrato firmada'")" = 1
check "an audit row of it (psql as admin)" \
	test "$(sql_as admin "select count(*) from cobro.audit where action = 'DISPUTE LIFTED' and row_id = $x_id and at >= '$t0'
	        and actor = 'sofia' and new->>'reason' = 'Copia del contrato firmada'")" = 1
check "marta deciding it after: refused, naming sofia" \
	bash -c "psql -X -qAt -U marta -d cobro -c \"select cobro.review_dispute_keep($x_id, 'tarde')\" 2>&1 |
	         grep -qF 'decided already: cleared by sofia'"

# ---- two at once: marta is typing why she keeps a dispute when sofia
# clears it; marta's decision is refused, naming sofia's
ndisputes=$(sql_as marta "select count(*) from cobro.review_disputes()")
sql_as ana "select cobro.account_raise_dispute(gen_random_uuid(), $w_id, 'No es su firma')" >/dev/null
check "another dispute of ana's reaches marta's queue" wait_screen marta "Disputes ($((ndisputes + 1)))" 5
keys marta End
wait_screen marta "$w" >/dev/null
keys marta K
check "marta starts keeping it" wait_screen marta "Why keep the dispute on $w?"
sql_as sofia "select cobro.review_dispute_clear($w_id, 'Firma cotejada')" >/dev/null
text marta "Sigue en revision"
keys marta Enter
wait_screen marta "Keep the dispute on $w?" >/dev/null
keys marta 1
check "marta's keep is refused: decided already, cleared by sofia" \
	wait_screen marta "$w was decided already: cleared by sofia"
check "  the account stays as sofia left it" test "$(q "select status from cobro.account where id = $w_id")" = active
check "  and it is gone from marta's queue" eventually 5 not bash -c \
	"tmux -L '$E2E_SOCK' capture-pane -p -t '=marta:' | sed -n '4,17p' | grep -qF -- '$w'"

# ---- two numbers marked wrong: one confirmed, one restored
keys sofia Tab
check "Tab shows the wrong contact points" wait_screen sofia "Contact point"
keys marta Tab
wait_screen marta "Contact point" >/dev/null
npoints=$(sql_as sofia "select count(*) from cobro.review_wrong_points()")
sql_as ana "select cobro.account_log_call(gen_random_uuid(), $y_id, 'wrong_number', $y_cp, null)" >/dev/null
sleep 0.2 # two marks, in this order
sql_as ana "select cobro.account_log_call(gen_random_uuid(), $z_id, 'wrong_number', $z_cp, null)" >/dev/null
check "  ana's two marks come in live: the count" wait_screen sofia "Wrong contact points ($((npoints + 2)))" 5
check "  marta's too" wait_screen marta "Wrong contact points ($((npoints + 2)))" 5
keys sofia End
check "  the newest last (oldest first)" wait_screen sofia "$z_num"
check "  the other before it" wait_screen sofia "$y_num"
check "the newest's detail: marked wrong by ana on a call" wait_screen sofia "by ana, on a call"
keys sofia Up
check "the other's too" wait_screen sofia "$y_num (" 
keys sofia w
check "w asks why it is wrong" wait_screen sofia "Why is $y_num wrong?"
text sofia "Es de otra persona"
keys sofia Enter
check "  then asks to confirm" wait_screen sofia "Confirm $y_num is wrong?"
keys sofia 1
check "sofia confirms it wrong" wait_screen sofia "$y_num confirmed wrong"
keys sofia End
check "the other, selected" wait_screen sofia "$z_num ("
keys sofia o
check "o asks why restore it" wait_screen sofia "Why restore $z_num?"
text sofia "El deudor lo confirmó"
keys sofia Enter
keys sofia 1
check "sofia restores it" wait_screen sofia "$z_num restored"
check "ana's status line says the number restored, by whom and why" \
	wait_screen ana "$z_num ($z) restored by sofia: El deudor lo confirmó" 5
check "the first stays bad, and confirmed" \
	test "$(q "select (bad_since is not null and bad_confirmed_at is not null)::text from cobro.contact_point where id = $y_cp")" = true
check "the second is good" test "$(q "select (bad_since is null)::text from cobro.contact_point where id = $z_cp")" = true
check "both left sofia's queue" eventually 3 not bash -c \
	"tmux -L '$E2E_SOCK' capture-pane -p -t '=sofia:' | sed -n '4,17p' | grep -qF -e '$y_num' -e '$z_num'"
check "and marta's, without a key" eventually 5 not bash -c \
	"tmux -L '$E2E_SOCK' capture-pane -p -t '=marta:' | sed -n '4,17p' | grep -qF -e '$y_num' -e '$z_num'"
check "the events of both decisions, under sofia's name" \
	test "$(sql_as admin "select string_agg(e.outcome, ',' order by e.id) from cobro.event e join cobro.agent g on g.id = e.agent_id
	        where e.account_id in ($y_id, $z_id) and e.at >= '$t0' and e.kind = 'contact_point' and g.login = 'sofia'")" = "bad_confirmed,good"
check "their audit rows (psql as admin)" \
	test "$(sql_as admin "select string_agg(action, ',' order by id) from cobro.audit
	        where action like 'CONTACT POINT %' and row_id in ($y_cp, $z_cp) and at >= '$t0' and actor = 'sofia'")" = \
	"CONTACT POINT CONFIRMED BAD,CONTACT POINT RESTORED"

# ---- A opens the approval list from here
keys sofia A
check "A opens the approval list" wait_screen sofia "cobro · Approvals"
keys sofia Escape
check "Esc comes back to the review queues" wait_screen sofia "cobro · Review queues"
keys sofia '?'
check "? shows the review's keys" wait_screen sofia "Keys of the Review queues screen"
keys sofia Escape

for w in ana sofia marta; do
	keys $w Escape
	keys $w q
	wait_for $w "[exit=0]" >/dev/null
done
finish
