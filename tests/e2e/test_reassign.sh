#!/usr/bin/env bash
# Issue 17, lines 5 and 8: the reassign screen (a, team leads and
# administrators). marta, norte's lead, filters luis's accounts over 30 days
# past due, sees how many and how much, picks ana and luis and moves them
# evenly by count after one question; ana's worklist (another workstation)
# takes the new accounts without a key pressed; every account moved has its
# event ("from luis to ana by marta") and its audit row; u undoes the batch
# and the accounts are luis's again. A batch one of whose accounts was
# worked since is not undone, and the screen says why. ana and sofia
# pressing a are told it is not theirs; the database refuses them anyway.
# Spanish, NO_COLOR and the help.
set -u
. "$(dirname "$0")/lib.sh"
XDG_STATE_HOME=$(mktemp -d)
export XDG_STATE_HOME
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }

# ---- the data: luis's open accounts over 30 days past due, as the filter
# picks them (not paid or closed; days past due from the oldest due date).
over30="from cobro.account a join cobro.agent g on g.id = a.agent_id
        where g.login = 'luis' and a.status not in ('paid', 'closed') and current_date - a.oldest_due > 30"
ids=$(q "select string_agg(a.id::text, ',' order by a.id) $over30")
n=$(q "select count(*) $over30")
check "luis has accounts over 30 days past due to move ($n)" test "${n:-0}" -gt 1
luis_id=$(q "select id from cobro.agent where login = 'luis'")
ana_id=$(q "select id from cobro.agent where login = 'ana'")
# Whatever happens, the shared demo's accounts go back to luis, and what
# this test wrote on them goes.
ev0=$(q "select coalesce(max(id), 0) from cobro.event")
cleanup() {
	q "update cobro.account set agent_id = $luis_id where id in ($ids) and agent_id is distinct from $luis_id" >/dev/null
	q "delete from cobro.event where id > $ev0 and account_id in ($ids) and body = 'e2e reassign: worked'" >/dev/null
}
trap 'cleanup; tmux -L "$E2E_SOCK" kill-server 2>/dev/null; rm -f "$E2E_CONF"' EXIT
audit0=$(q "select coalesce(max(id), 0) from cobro.audit")

# ana's worklist counts her workable accounts.
ana_work() { q "select count(*) from cobro.account a where a.agent_id = $ana_id and a.workable"; }
with_luis() { q "select count(*) from cobro.account where id in ($ids) and agent_id = $luis_id"; }
with_ana() { q "select count(*) from cobro.account where id in ($ids) and agent_id = $ana_id"; }

# ---- ana works on her worklist; marta opens the reassign screen
app_start ana "$(cobro_cmd ana)" 80 24
app_start marta "$(cobro_cmd marta)" 80 24
ana_before=$(ana_work)
check "ana's worklist counts her $ana_before accounts" wait_for ana "$ana_before accounts to work"
# A lead starts on her dashboard (test_dashboard.sh), over her worklist.
wait_screen marta "sorted by" >/dev/null
keys marta Escape
wait_for marta "cobro · Worklist" >/dev/null
keys marta a
check "a opens marta's reassign screen, on her team" wait_screen marta "Move the accounts of team norte"
check "its key bar: pick, move, undo" line_has marta 24 "SpacePick"
team_open=$(q "select count(*) from cobro.account a join cobro.team t on t.id = a.team_id
               where t.code = 'norte' and a.status not in ('paid', 'closed')")
check "with no filter it counts the team's $team_open open accounts" \
	wait_screen marta "$team_open accounts picked"

# field LINE TEXT: Right on the field at LINE of the pane until it shows TEXT.
choose() {
	local i
	for i in $(seq 1 12); do
		line_has marta "$1" "$2" && return 0
		keys marta Right
		sleep 0.15
	done
	line_has marta "$1" "$2"
}
# Line 3 is the agent (the title, the screen's header, then the fields).
check "the agent filter takes luis" choose 3 "◂ luis ▸"
luis_open=$(q "select count(*) from cobro.account a where a.agent_id = $luis_id and a.status not in ('paid', 'closed')")
check "the count follows: luis's $luis_open open accounts" wait_screen marta "$luis_open accounts picked"
keys marta Down Down
check "days past due: over 30" choose 5 "◂ over 30 ▸"
check "the count follows: the $n over 30 days" wait_screen marta "$n accounts picked"
# The money per currency, never added across currencies.
cur=$(q "select string_agg(distinct a.currency, ' ') $over30")
check "and their balance in each currency ($cur), on the count's lines" bash -c "
	s=\$(tmux -L '$E2E_SOCK' capture-pane -p -t '=marta:' | sed -n 12,13p)
	for c in $cur; do case \$c in
		USD) grep -qF 'US\$' <<<\"\$s\" ;; MXN) grep -qF 'MX\$' <<<\"\$s\" ;; CLP) grep -qF 'CLP\$' <<<\"\$s\" ;;
		COP) grep -qF 'COL\$' <<<\"\$s\" ;; PEN) grep -qF 'S/' <<<\"\$s\" ;; EUR) grep -qF '€' <<<\"\$s\" ;;
		*) true ;; esac || exit 1; done"

# ---- the targets: Enter with none picked goes to them
keys marta Enter
check "Enter with no target picked says to pick them" wait_screen marta "Pick the targets with Space"
# The targets are the team's agents by login (ana, luis, marta, sofia), then the pool.
keys marta Home
keys marta Space
check "Space picks ana" wait_screen marta "[x] Ana Quispe Muñoz (ana)"
keys marta Down Space
check "and luis" wait_screen marta "[x] Luis Ibáñez Rojas (luis)"
half=$(( (n + 1) / 2 ))
check "the preview: even by count, each gets half of $n" eventually 5 bash -c "
	a=\$(tmux -L '$E2E_SOCK' capture-pane -p -t '=marta:' | grep -F '(ana)' | sed 's/.*(ana) *[0-9]* *\\([0-9]*\\).*/\\1/')
	l=\$(tmux -L '$E2E_SOCK' capture-pane -p -t '=marta:' | grep -F '(luis)' | sed 's/.*(luis) *[0-9]* *\\([0-9]*\\).*/\\1/')
	test -n \"\$a\" -a -n \"\$l\" && test \$((a + l)) = $n && test \$((a - l)) -le 1 -a \$((l - a)) -le 1"
ana_gets=$(screen marta | grep -F '(ana)' | sed 's/.*(ana) *[0-9]* *\([0-9]*\).*/\1/')
# Even by balance: the same accounts shared by their money, then back.
keys marta Up Up Right
check "even by balance: ana and luis share the $n, each some" eventually 5 bash -c "
	s=\$(tmux -L '$E2E_SOCK' capture-pane -p -t '=marta:')
	grep -qF '◂ even by balance ▸' <<<\"\$s\" || exit 1
	a=\$(grep -F '(ana)' <<<\"\$s\" | sed 's/.*(ana) *[0-9]* *\\([0-9]*\\).*/\\1/')
	l=\$(grep -F '(luis)' <<<\"\$s\" | sed 's/.*(luis) *[0-9]* *\\([0-9]*\\).*/\\1/')
	test -n \"\$a\" -a -n \"\$l\" && test \$((a + l)) = $n -a \$a -gt 0 -a \$l -gt 0"
keys marta Left
wait_screen marta "◂ even by count ▸" >/dev/null
keys marta Down Down
check "the cursor's target says its money in full" wait_screen marta "luis gets"
check "the last line says Enter moves them, asking first" wait_screen marta "Enter moves them"

# ---- nothing moved yet; Enter asks, saying what will happen
check "nothing has moved yet" test "$(with_luis)" = "$n"
keys marta Enter
check "Enter asks first: how many move, and how" wait_screen marta "Move $ana_gets accounts, even by count?"
check "the answer says who gets how many, and that luis keeps his" wait_screen marta "1  Yes: ana $ana_gets, luis $((n - ana_gets)) ($((n - ana_gets)) stay where they are)"
keys marta 2
check "2 moves nothing" wait_screen marta "Nothing moved"
check "  (the database agrees)" test "$(with_luis)" = "$n"
keys marta Enter
wait_screen marta "Move $ana_gets accounts" >/dev/null
keys marta 1
check "1 moves them as one batch, and says u undoes it" wait_screen marta "accounts moved. u undoes it"
batch=$(screen marta | sed -n 's/.*Batch \([0-9]*\):.*/\1/p' | head -1)
check "  batch $batch: ana has $ana_gets of them, luis the rest" \
	test "$(with_ana)" = "$ana_gets" -a "$(with_luis)" = "$((n - ana_gets))"

# ---- ana's worklist follows, without a key
ana_after=$(ana_work)
check "ana's worklist counts $ana_after now, without a key pressed" wait_screen ana "$ana_after accounts to work" 10
check "  (more than before: $ana_before)" test "$ana_after" -gt "$ana_before"
# One of them, workable, is in her list: searched by its reference.
moved_ref=$(q "select reference from cobro.account where id in ($ids) and agent_id = $ana_id and workable
               order by id limit 1")
keys ana /
text ana "$moved_ref"
keys ana Enter
check "  $moved_ref, luis's a moment ago, is in her worklist" wait_screen ana "1 account matches"
check "  on its row" eventually 5 line_has ana 3 "$(q "select split_part(d.name, ' ', 1) from cobro.account a
	join cobro.debtor d on d.id = a.debtor_id where a.reference = '$moved_ref'")"
# Its history says who moved it, from whom to whom.
keys ana Enter
check "  its history says it: reassigned by marta, luis → ana" \
	eventually 5 bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t '=ana:' | grep -qE '^[0-9-]+ [0-9:]+ +assignment +reassigned +marta +luis → ana'"
keys ana Escape
wait_screen ana "1 account matches" >/dev/null
keys ana /
keys ana C-u
keys ana Enter
wait_screen ana "$ana_after accounts to work" >/dev/null
# Left: her lease on it is given back (a batch is not undone under anyone's hands).
no_lease() { [ "$(q "select count(*) from cobro.lease where account_id in ($ids)")" = 0 ]; }
eventually 5 no_lease

# ---- the record: an event and an audit row per account moved
check "every account moved to ana has its event, from luis to ana by marta (as admin reads it)" \
	test "$(psql -X -qAt -U admin -d cobro -c "select count(distinct e.account_id) from cobro.event e join cobro.agent g on g.id = e.agent_id
	          where e.id > $ev0 and e.account_id in ($ids) and e.kind = 'assignment' and e.body = 'luis → ana'
	          and g.login = 'marta' and e.data->>'from' = 'luis' and e.data->>'to' = 'ana'
	          and e.data->>'by' = 'marta' and (e.data->>'batch')::bigint = $batch")" = "$ana_gets"
check "and an audit row, by marta, whose new agent is ana" \
	test "$(psql -X -qAt -U admin -d cobro -c "select count(distinct row_id) from cobro.audit where id > $audit0
	          and tbl = 'account' and actor = 'marta' and row_id in ($ids) and (new->>'agent_id')::bigint = $ana_id")" = "$ana_gets"

# ---- collectors and supervisors are told it is not theirs
keys ana a
check "ana pressing a is told reassignment is not hers" wait_screen ana "Reassignment is for team leads and administrators"
check "  and stays on her worklist" line_has ana 1 "cobro · Worklist"
app_start sofia "$(cobro_cmd sofia)" 80 24
wait_screen sofia "sorted by" >/dev/null
keys sofia Escape
wait_for sofia "cobro · Worklist" >/dev/null
keys sofia a
check "sofia (a supervisor) too" wait_screen sofia "Reassignment is for team leads and administrators"
# The screen only says so: the database refuses them.
check "  the database refuses ana (a collector) the count" not sql_as ana "select * from cobro.reassign_count('{}'::jsonb)"
check "  and sofia (a supervisor) the move" not sql_as sofia "select * from cobro.reassign_apply('{}'::jsonb, '{ana}', 'one')"

# ---- u undoes the batch: the accounts are luis's again
keys marta u
check "u undoes the batch" wait_screen marta "Batch $batch undone: $ana_gets accounts are back"
check "  every account is luis's again" test "$(with_luis)" = "$n"
check "  ana's worklist is back to $ana_before, without a key" wait_screen ana "$ana_before accounts to work" 10
check "  each account back has its event and its audit row" \
	test "$(psql -X -qAt -U admin -d cobro -c "select count(distinct row_id) from cobro.audit where id > $audit0
	          and tbl = 'account' and actor = 'marta' and row_id in ($ids) and (new->>'agent_id')::bigint = $luis_id")" = "$ana_gets"

check "  and its event, from ana back to luis by marta" \
	test "$(q "select count(distinct e.account_id) from cobro.event e join cobro.agent g on g.id = e.agent_id
	          where e.id > $ev0 and e.account_id in ($ids) and e.kind = 'assignment' and e.body = 'ana → luis'
	          and g.login = 'marta'")" = "$ana_gets"

# ---- a batch worked since is not undone, and the screen says why
# A batch moved drops the targets picked: Enter alone moves nothing again.
keys marta Enter
check "the targets were dropped after the batch: Enter asks for them" wait_screen marta "Pick the targets with Space"
keys marta Home Space Down Space
wait_screen marta "[x] Luis Ibáñez Rojas (luis)" >/dev/null
keys marta Enter
wait_screen marta "Move $ana_gets accounts" >/dev/null
keys marta 1
check "moved again" wait_screen marta "accounts moved. u undoes it"
batch2=$(screen marta | sed -n 's/.*Batch \([0-9]*\):.*/\1/p' | head -1)
worked=$(q "select id from cobro.account where id in ($ids) and agent_id = $ana_id order by id limit 1")
# ana works one of them: a note, as her workstation saves one.
check "ana notes one of the accounts moved to her" \
	test -n "$(sql_as ana "select cobro.account_add_note(gen_random_uuid(), $worked, 'e2e reassign: worked')")"
keys marta u
check "u refuses: one of its accounts has been worked since" \
	wait_screen marta "Batch $batch2 cannot be undone: 1 of its accounts has been worked since"
check "  nothing moved back" test "$(with_ana)" = "$ana_gets"

# ---- an account open on luis's workstation moves when he leaves it
rest=$(with_luis)
open_id=$(q "select id from cobro.account where id in ($ids) and agent_id = $luis_id and workable order by id limit 1")
open_ref=$(q "select reference from cobro.account where id = $open_id")
app_start luis "$(cobro_cmd luis)" 80 24
wait_for luis "accounts to work" >/dev/null
keys luis /
text luis "$open_ref"
keys luis Enter
wait_for luis "1 account matches" >/dev/null
eventually 5 line_has luis 3 "$(q "select split_part(d.name, ' ', 1) from cobro.account a
	join cobro.debtor d on d.id = a.debtor_id where a.id = $open_id")" 2>/dev/null
keys luis Enter
check "luis opens $open_ref, one of his $rest over 30 days left" wait_screen luis "History (newest first)"
# (read at each try: a command substitution would be read once)
leased_by_luis() { [ "$(q "select count(*) from cobro.lease l where l.account_id = $open_id and l.agent_id = $luis_id")" = 1 ]; }
agent_is() { [ "$(q "select agent_id from cobro.account where id = $1")" = "$2" ]; }
check "  (his lease on it)" eventually 5 leased_by_luis
# All to one: the share's choice before the targets, then ana alone.
keys marta Home Up Left
check "the share: all to one" wait_screen marta "◂ all to one ▸"
keys marta Down Space
check "ana alone picked, she gets the $rest" eventually 5 bash -c "
	tmux -L '$E2E_SOCK' capture-pane -p -t '=marta:' | grep -F '(ana)' | grep -qE '^ \[x\] .* $rest  '"
check "the last line says one is open now and moves when its lease ends" \
	wait_screen marta "1 is leased now and moves when its lease ends"
check "and ana's line says it too" wait_screen marta "ana gets $rest (1 when their lease ends)"
keys marta Enter
wait_screen marta "Move $rest accounts, all to one?" >/dev/null
keys marta 1
check "moved: $((rest - 1)) now, 1 when its lease ends" wait_screen marta "$((rest - 1)) accounts moved, 1 when their lease ends"
check "  $open_ref stays luis's while he has it open" test "$(q "select agent_id from cobro.account where id = $open_id")" = "$luis_id"
check "  the others are ana's" test "$(with_luis)" = 1
check "  marta's count: that 1 left with luis" eventually 5 line_has marta 12 "1 account picked"
keys luis Escape
check "luis leaves it: it is ana's" eventually 10 agent_is "$open_id" "$ana_id"
check "  marta's count follows, without a key: none of luis's is left" eventually 10 line_has marta 12 "0 accounts picked"
check "  and its event says it waited for the lease" \
	test "$(q "select count(*) from cobro.event e where e.id > $ev0 and e.account_id = $open_id and e.kind = 'assignment'
	          and e.body = 'luis → ana' and e.data->>'by' = 'marta' and (e.data->>'waited_for_lease')::boolean")" = 1

# ---- the help, Spanish and NO_COLOR
keys marta '?'
check "? lists the screen's keys" wait_screen marta "Pick or drop the agent under the cursor as a target"
keys marta Escape
app_start es "env LANGUAGE=es NO_COLOR=1 $(cobro_cmd marta)" 80 24
wait_screen es "orden:" >/dev/null
keys es a
check "in Spanish, under NO_COLOR, a from her dashboard" wait_screen es "Mover las cuentas del equipo norte"
check "  its key bar in Spanish" line_has es 24 "Elegir"
check "  the marks are characters, not colours" wait_screen es "[ ] "

for s in ana luis marta sofia es; do keys "$s" q; done
check "marta's workstation ends cleanly" wait_for marta "[exit=0]"
check "ana's too" wait_for ana "[exit=0]"
finish
