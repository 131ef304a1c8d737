#!/usr/bin/env bash
# Issue 15, lines 3 and 6, as carla at the workstation: a call outcome on an
# account whose callback is due completes it (and `n` does not open it again
# after the next account); `d` says a callback done without a call; Wrong
# number asks which number when there are several, names it when there is
# one, and waits for a yes; Dispute asks the reason and says what it will do;
# `u` undoes either right after.
set -u
. "$(dirname "$0")/lib.sh"
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }
carla="(select id from cobro.agent where login = 'carla')"
dialable="c.kind in ('phone', 'mobile', 'whatsapp') and c.bad_since is null"
# One of carla's workable accounts with no promise due and no callback due,
# whose debtor has N usable numbers (N a comparison: "= 1", ">= 2"), the
# highest by rank first, skipping OFFSET.
pick() {
	q "select a.reference from cobro.account a
	   where a.agent_id = $carla and a.workable and a.status = 'active'
	     and (a.promise_due is null or a.promise_due > current_date)
	     and (a.next_action_at is null or a.next_action_at > now())
	     and (select count(*) from cobro.contact_point c where c.debtor_id = a.debtor_id and $dialable) $1
	   order by a.rank_value desc, a.id offset ${2:-0} limit 1"
}
# A callback due a minute ago on account REF, as the clock would make it.
due_callback() {
	q "insert into cobro.callback (account_id, agent_id, due_at, zone)
	     select id, $carla, now() - interval '1 minute', 'UTC' from cobro.account where reference = '$1';
	   update cobro.account set next_action_at = now() - interval '1 minute' where reference = '$1'" >/dev/null
}
name_of() { q "select d.name from cobro.account a join cobro.debtor d on d.id = a.debtor_id where a.reference = '$1'"; }
# Opens account REF from the worklist by searching its reference.
open_ref() {
	keys a /
	keys a C-u
	text a "$1"
	keys a Enter
	wait_screen a "$(name_of "$1" | cut -c1-20)" >/dev/null
	keys a Enter
	wait_for a "History (newest first)" >/dev/null
	eventually 5 line_has a 2 "$1"
}
# Back to the whole worklist.
back_to_worklist() {
	keys a Escape
	wait_screen a "EnterOpen" >/dev/null
	keys a /
	keys a C-u
	keys a Enter
}

# The contact rules in force, for the verdicts on the account screen.
"$COBRO_BIN/cobroctl" --database "dbname=cobro" --user admin policy load "$COBRO_TOP/etc/policy.conf" >/dev/null

# ------------------------------------------------ a worked callback is done
# The account: one that a callback due puts on top of carla's worklist and
# that is not on top without it (the workstation's default weights: callback
# 1e9, promise 1e8, contact cost 150), so that once the callback is done `n`
# has a better account to open.
top=$(q "select max(cobro.priority_total(a.next_action_at, a.promise_due, a.rank_value, 1e9, 1e8, 150))
         from cobro.account a where a.agent_id = $carla and a.workable")
x=$(q "select a.reference from cobro.account a
       where a.agent_id = $carla and a.workable and a.status = 'active'
         and (a.promise_due is null or a.promise_due > current_date)
         and (a.next_action_at is null or a.next_action_at > now())
         and (select count(*) from cobro.contact_point c where c.debtor_id = a.debtor_id and $dialable) >= 1
         and a.rank_value + 1e9 - 150 > $top and a.rank_value - 150 < $top
       order by a.rank_value, a.id limit 1")
xname=$(name_of "$x")
due_callback "$x"
app_start a "$(cobro_cmd carla)" 100 30
wait_for a "accounts to work" >/dev/null
check "the account with a callback due ($x) tops carla's worklist" eventually 5 line_has a 3 "${xname:0:20}"
keys a n
check "n opens it" eventually 5 line_has a 2 "$x"
keys a c
wait_for a "Call outcome" >/dev/null
keys a 3 # No answer
check "a call outcome is saved" wait_for a "Saved"
check "the callback due is done, in the call's transaction" test "$(q "select count(*) from cobro.callback c join cobro.account a on a.id = c.account_id
	where a.reference = '$x' and c.due_at <= now() and c.done_at is null")" = 0
check "with a 'callback done' event naming the call" test "$(q "select count(*) from cobro.event e join cobro.account a on a.id = e.account_id
	where a.reference = '$x' and e.kind = 'callback' and e.outcome = 'done'
	  and (e.data->>'by')::bigint = (select max(id) from cobro.event where account_id = a.id and kind = 'call')")" = 1
check "the history shows it" eventually 5 bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t a | grep -qE 'callback +done'"
keys a N
check "N opens the next account" eventually 5 not line_has a 2 "$x"
keys a Escape
wait_screen a "EnterOpen" >/dev/null
keys a Home
check "the worked account is no longer on top: its callback no longer puts it there" \
	eventually 5 bash -c "! tmux -L '$E2E_SOCK' capture-pane -p -t a | sed -n 3p | grep -qF '$(name_of "$x" | cut -c1-15)'"
keys a n
check "n opens an account again" wait_screen a "History (newest first)"
check "and not the one whose callback was worked" eventually 3 bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t a | sed -n 2p | grep -q '·' && ! tmux -L '$E2E_SOCK' capture-pane -p -t a | sed -n 2p | grep -qF '$x'"
keys a Escape
wait_screen a "EnterOpen" >/dev/null

# d: worked without a call.
y=$(pick ">= 1" 1)
due_callback "$y"
open_ref "$y"
t0=$(q "select now()") # the suite may run twice on one database
keys a d
check "d says the callback is done" wait_for a "Callback done"
check "and it is, with its event" test "$(q "select (a.next_action_at is null or a.next_action_at > now())::int
	+ (select count(*) from cobro.event e where e.account_id = a.id and e.kind = 'callback' and e.outcome = 'done'
	   and e.agent_id = $carla and e.at >= '$t0')
	from cobro.account a where a.reference = '$y'")" = 2
keys a d
check "a second d: nothing is due" wait_for a "No callback is due on this account"
back_to_worklist

# -------------------------------------------------- wrong number, one number
one=$(pick "= 1 and exists (select 1 from cobro.contact_point c where c.debtor_id = a.debtor_id and c.kind = 'mobile' and $dialable)")
onep=$(q "select c.value from cobro.contact_point c join cobro.account a on a.debtor_id = c.debtor_id where a.reference = '$one' and $dialable")
# As cobro masks a number it need not show whole: "+57******5317".
masked="${onep:0:3}$(printf '%*s' $((${#onep} - 7)) '' | tr ' ' '*')${onep: -4}"
open_ref "$one"
keys a c
check "the outcome menu names the number the call is recorded on" wait_screen a "Call outcome, $onep"
keys a 5
check "Wrong number names the only number and says what it does" wait_screen a "Yes: $onep will be marked wrong, no SMS or calls to it"
keys a 2
check "No cancels" wait_for a "Nothing was marked"
check "and nothing is marked" test "$(q "select count(*) from cobro.contact_point c join cobro.account a on a.debtor_id = c.debtor_id
	where a.reference = '$one' and c.bad_since is not null and c.value = '$onep'")" = 0
# Marked, the verdict names it as the cause (not the consent rule); undone,
# it does not.
keys a c
wait_for a "Call outcome" >/dev/null
keys a 5
wait_screen a "no SMS or calls to it" >/dev/null
keys a 1
wait_for a "marked wrong. u undoes it" >/dev/null
check "the verdict names the number marked wrong" wait_screen a "call: refused: no usable number: $masked marked wrong"
keys a u
wait_for a "Undone" >/dev/null
check "undone, it does not" eventually 5 not line_has a 5 "no usable number"
back_to_worklist

# ---------------------------------------------- wrong number, several numbers
many=$(pick ">= 2")
second=$(q "select c.value from cobro.contact_point c join cobro.account a on a.debtor_id = c.debtor_id
            where a.reference = '$many' and $dialable order by c.is_primary desc, c.id offset 1 limit 1")
open_ref "$many"
t0=$(q "select now()")
keys a c
wait_for a "Call outcome" >/dev/null
keys a 5
check "Wrong number asks which, with several" wait_screen a "Which number was wrong?"
check "listing the second number" wait_screen a "2  $second"
keys a 2
check "then says what marking it does" wait_screen a "Yes: $second will be marked wrong, no SMS or calls to it"
keys a 1
check "and marks it on a yes, saying u undoes it" wait_for a "$second marked wrong. u undoes it"
bad() { q "select count(*) from cobro.contact_point c join cobro.account a on a.debtor_id = c.debtor_id
           where a.reference = '$many' and c.value = '$second' and c.bad_since is not null"; }
check "the number chosen is marked wrong" test "$(bad)" = 1
check "the call records the number dialled" test "$(q "select count(*) from cobro.event e join cobro.account a on a.id = e.account_id
	join cobro.contact_point c on c.id = (e.data->>'contact_point')::bigint
	where a.reference = '$many' and e.kind = 'call' and e.outcome = 'wrong_number' and c.value = '$second'
	  and e.at >= '$t0'")" = 1
keys a u
check "u undoes it" wait_for a "Undone"
check "the number is good again" test "$(bad)" = 0
keys a u
check "a second u has nothing to undo" wait_for a "Nothing to undo"
back_to_worklist

# ----------------------------------------------------------------- dispute
z=$(pick ">= 1" 2)
open_ref "$z"
keys a c
wait_for a "Call outcome" >/dev/null
keys a 8
check "Dispute asks the reason" wait_for a "Dispute, the debtor's reason:"
keys a Enter
check "a reason is required" wait_for a "Say why the debtor disputes it"
text a "Dice que ya pagó en octubre"
keys a Enter
check "then says what it does" wait_screen a "Yes: the account leaves your worklist until a supervisor reviews it"
keys a 1
check "and raises it on a yes, saying u undoes it" wait_for a "Dispute raised"
status() { q "select status from cobro.account where reference = '$z'"; }
check "the account is in dispute" test "$(status)" = dispute
check "the reason is on the call" test "$(q "select count(*) from cobro.event e join cobro.account a on a.id = e.account_id
	where a.reference = '$z' and e.kind = 'call' and e.outcome = 'dispute' and e.body = 'Dice que ya pagó en octubre'")" -ge 1
keys a u
check "u undoes the dispute" wait_for a "Undone"
check "the account is active again" test "$(status)" = active

keys a Escape
keys a q
wait_for a "[exit=0]" >/dev/null
finish
