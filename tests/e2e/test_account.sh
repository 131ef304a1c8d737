#!/usr/bin/env bash
# The account screen: open from the worklist, log every call outcome and see
# it in the history, notes and callbacks with their checks, leases between two
# windows, and live refresh from a NOTIFY sent in psql.
set -u
. "$(dirname "$0")/lib.sh"
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }

# The contact rules in force, for the verdicts on the account screen.
"$COBRO_BIN/cobroctl" --database "dbname=cobro" --user admin policy load "$COBRO_TOP/etc/policy.conf" >/dev/null

app_start a "env TZ=Asia/Tokyo $(cobro_cmd diego)" 100 32
wait_for a "accounts to work" >/dev/null
keys a Enter
check "Enter opens the selected account" wait_for a "History (newest first)"
ref=$(screen a | sed -n 2p | sed 's/.*·  //; s/ *$//')
id=$(q "select id from cobro.account where reference = '$ref'")
zone=$(q "select d.time_zone from cobro.account a join cobro.debtor d on d.id = a.debtor_id where a.id = $id")
check "the account screen names the account's reference ($ref)" test -n "$id"
# The screen's verdict for calls agrees with cobroctl's for the same account.
verdict=$("$COBRO_BIN/cobroctl" --database "dbname=cobro" --user diego policy check --account "$ref" --channel call --at "$COBRO_NOW")
case "$verdict" in
allowed) want="call: allowed" ;;
refused*) want="call: refused $(echo "$verdict" | sed 's/^refused \([^:]*\):.*/\1/')" ;;
esac
check "the account screen shows the policy verdict for calls ($want)" wait_for a "$want"
check "and one for SMS, email and WhatsApp" bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t a | sed -n 5,6p | tr '\n' ' ' | grep -qE 'SMS: .*email: .*WhatsApp: '"
check "the account's lease is diego's" until_true 5 "select exists (select 1 from cobro.lease l join cobro.agent g on g.id = l.agent_id where l.account_id = $id and g.login = 'diego')"

# Tab goes round the panes: the debtor's accounts, then the money.
keys a Tab
keys a Tab
check "the money pane lists installments" wait_screen a "Installments (due, amount, paid)"
check "payments" wait_screen a "Payments"
check "and promises" wait_screen a "Promises and their installments (made, due, amount, state)"
keys a Tab
check "then every contact point of the debtor" wait_screen a "Contact points ("
keys a Tab
check "Tab comes back to the history" wait_screen a "History (newest first)"

# A second window of the same person opens the same (first) account: it sees
# the lease and may not act.
app_start b "$(cobro_cmd diego)" 100 32
wait_for b "accounts to work" >/dev/null
keys b Enter
check "a second window sees who is on the account" wait_for b "Diego Núñez Araya is on this account"
keys b c
check "and may not log a call on it" wait_for b "diego is on this account"
keys b Escape
keys b q
wait_for b "[exit=0]" >/dev/null

# Every outcome, one after the other, each seen in the history and the database.
n=1
for label in "Right party" "Third party" "No answer" "Busy" "Wrong number" "Left message" "Refused to pay" "Dispute"; do
	keys a c
	wait_for a "Call outcome" >/dev/null
	keys a "$n"
	case $label in
	"Wrong number")
		# Which number, when there are several; then what it will do, and a yes.
		eventually 5 bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t a | grep -qE 'Which number was wrong|Yes: '"
		screen a | grep -q "Which number was wrong?" && keys a 1
		wait_screen a "no SMS or calls to it" >/dev/null
		keys a 1
		check "outcome $n ($label) is saved, and may be undone" wait_for a "marked wrong. u undoes it"
		;;
	Dispute)
		wait_for a "Dispute, the debtor's reason:" >/dev/null
		text a "No reconoce la deuda"
		keys a Enter
		wait_screen a "leaves your worklist until a supervisor reviews it" >/dev/null
		keys a 1
		check "outcome $n ($label) is saved, and may be undone" wait_for a "Dispute raised"
		;;
	*) check "outcome $n ($label) is saved" wait_for a "Saved" ;;
	esac
	# On top, or just below the "callback done" it wrote in its transaction
	# when the account had a callback due (on some dates of the dated runs).
	check "and shows on top of the history" bash -c "sleep 0.2; tmux -L '$E2E_SOCK' capture-pane -p -t a | grep -A2 'History (newest first)' | tail -n 2 |
		{ read -r first; read -r second; grep -qF '$label' <<<\"\$first\" || { grep -qE 'callback +done' <<<\"\$first\" && grep -qF '$label' <<<\"\$second\"; }; }"
	keys a r
	n=$((n + 1))
done
check "eight call events were written by diego" test "$(q "select count(*) from cobro.event where account_id = $id and kind = 'call' and at > now() - interval '5 minutes' and agent_id = (select id from cobro.agent where login = 'diego')")" = 8
check "wrong number marked a number bad" test "$(q "select count(*) from cobro.contact_point c join cobro.account a on a.debtor_id = c.debtor_id where a.id = $id and c.bad_since > now() - interval '5 minutes'")" -ge 1
check "dispute took the account out of work" test "$(q "select status from cobro.account where id = $id")" = dispute

# A note: bad input keeps what was typed, beside the message.
keys a o
text a "bell"
keys a C-g
keys a Enter
check "a note with a control character is refused" wait_for a "Control characters are not allowed"
check "and the typed text is kept" wait_for a "Note: bell?"
keys a C-u
text a "Llamó Núñez, pagará el lunes"
keys a Enter
check "the note is saved" wait_for a "Llamó Núñez, pagará el lunes"

# A callback: a day that does not exist, a time that has passed, then a good one.
# The workstation runs in Tokyo's time (TZ above), the debtor elsewhere: b asks
# whose time the callback is typed in.
keys a b
check "b asks whose time the callback is in" wait_screen a "Callback time in"
check "the debtor's zone is offered first" wait_screen a "Debtor's time ($zone)"
check "and the collector's own" wait_screen a "My time (Asia/Tokyo)"
keys a 1
check "the callback prompt names the debtor's time zone" wait_for a "Callback, debtor's time ($zone, now"
text a "2026-02-30 10:00"
keys a Enter
check "a date that does not exist is refused" wait_for a "That date or time does not exist"
keys a C-u
text a "2020-01-01 10:00"
keys a Enter
check "a time in the past is refused" wait_for a "That time has passed"
keys a C-u
text a "$(date -u -d '+2 days' +%Y-%m-%d) 10:00"
keys a Enter
check "a callback in two days is saved" wait_for a "callback"
check "the callback is in the database" test "$(q "select count(*) from cobro.callback where account_id = $id and done_at is null and due_at > now()")" = 1
check "at 10:00 in the debtor's zone" test "$(q "select to_char(due_at at time zone '$zone', 'HH24:MI') || ' ' || zone from cobro.callback where account_id = $id and done_at is null")" = "10:00 $zone"

# The same in the collector's own time.
keys a b
wait_screen a "Callback time in" >/dev/null
keys a 2
check "the prompt says it is the collector's time" wait_for a "Callback, your time (Asia/Tokyo, now"
text a "$(TZ=Asia/Tokyo date -d '+3 days' +%Y-%m-%d) 09:30"
keys a Enter
check "a callback typed in Tokyo's time is saved as such" bash -c "for i in \$(seq 50); do
	[ \"\$(psql -X -qAt -U postgres -d cobro -c \"select to_char(due_at at time zone 'Asia/Tokyo', 'HH24:MI') || ' ' || zone from cobro.callback where account_id = $id and zone = 'Asia/Tokyo'\")\" = '09:30 Asia/Tokyo' ] && exit 0; sleep 0.1; done; exit 1"

# Live refresh: an event written in psql, announced with NOTIFY, shows at once.
wait_for a "History (newest first)" >/dev/null
ref3=$(screen a | sed -n 2p | sed 's/.*·  //; s/ *$//')
id3=$(q "select id from cobro.account where reference = '$ref3'")
q "insert into cobro.event (account_id, debtor_id, kind, direction, body)
   select id, debtor_id, 'letter', 'out', 'Carta de prueba desde psql' from cobro.account where id = $id3" >/dev/null
check "an event written elsewhere shows within a second" wait_for a "Carta de prueba desde psql" 1
q "notify $(channel NOTIFY_ACCOUNT), '$id3'" >/dev/null

keys a Escape
keys a q
check "quits cleanly" wait_for a "[exit=0]"

# The lease passes on: a window waiting on the account is told when the
# holder leaves, and may work it from then on.
app_start c "$(cobro_cmd diego)" 100 32
app_start d "$(cobro_cmd diego)" 100 32
wait_for c "accounts to work" >/dev/null
wait_for d "accounts to work" >/dev/null
keys c Enter
wait_for c "History (newest first)" >/dev/null
# The lease is taken a moment after the paint: d opens the account once c has it.
until_true 5 "select exists (select 1 from cobro.lease l join cobro.agent g on g.id = l.agent_id where g.login = 'diego')"
keys d Enter
check "the waiting window sees the holder" wait_for d "Diego Núñez Araya is on this account"
keys c Escape
check "when the holder leaves, the waiting window hears it within a second" \
	wait_for d "The account is free: it is yours now" 1
keys d o
check "  and may act on the account" wait_for d "Note:"
keys d Escape
keys d Escape
keys c q
keys d q
wait_for c "[exit=0]" >/dev/null
wait_for d "[exit=0]" >/dev/null
check "leaving released the lease" test "$(q "select count(*) from cobro.lease where account_id in ($id, $id3)")" = 0
finish
